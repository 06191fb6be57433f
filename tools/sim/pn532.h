/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-sim as an NXP PN532 on a pseudo-terminal, for libnfc's pn532_uart
 * driver: the simulated chip becomes an ISO/IEC 14443-A or -B target of an
 * emulated reader, so tests go through the real libnfc.
 *
 * Host frames: 00 00 FF LEN LCS D4 CMD ... DCS 00 (extended: 00 00 FF FF FF
 * LENM LENL LCS ...), ACK 00 00 FF 00 FF 00, NACK 00 00 FF FF 00 00.  Every
 * information frame is answered with an ACK and then D5 CMD+1 ...; nothing
 * is ever sent unprompted.
 *
 * Card exchange: InDataExchange (40 Tg APDU) with the MI bit in both
 * directions (Tg | 0x40 from the host: more command data follows; status
 * | 0x40 in the answer: more response data, fetched with 40 Tg), and
 * InCommunicateThru (42 block) carrying raw ISO/IEC 14443-4 blocks (the
 * card side of the block protocol: I-blocks with chaining, R(ACK), R(NAK),
 * S(DESELECT)).  A pulled card (card ops' removed()) no longer answers:
 * exchanges get status 01 (timeout) and polls find no target.
 */
#ifndef EID_SIM_PN532_H
#define EID_SIM_PN532_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "vpcd.h"

enum pn532_target { PN532_TARGET_A = 0, PN532_TARGET_B };

/* ---- frames ---- */

enum pn532_frame_kind {
	PN532_FRAME_MORE = 0,  /* incomplete: keep the bytes from *consumed on */
	PN532_FRAME_INFO,      /* an information frame: *payload = TFI, data */
	PN532_FRAME_ACK,
	PN532_FRAME_NACK,
	PN532_FRAME_BAD,       /* wrong length or data checksum: dropped */
};

/* The next frame of the byte stream in (bytes before a start code 00 FF
 * are skipped).  *consumed is how many bytes of in are used up. */
enum pn532_frame_kind pn532_frame_next(const eid_cbs *in, eid_cbs *payload, size_t *consumed);

/* Append a frame carrying payload (TFI first): normal, or extended when
 * longer than 255 bytes. */
int pn532_frame_put(eid_buf *out, const uint8_t *payload, size_t n);

/* ---- the emulated PN532 (transport independent) ---- */

struct pn532_emu;

int pn532_emu_new(enum pn532_target type, const struct vpcd_card_ops *ops, void *card,
		  struct pn532_emu **out);
void pn532_emu_free(struct pn532_emu *e);

/* Bytes from the host; answers are appended to out.  0 or -EID_ENOMEM. */
int pn532_emu_input(struct pn532_emu *e, const uint8_t *data, size_t n, eid_buf *out);

/* True once per pull: the card was found removed since the last call. */
bool pn532_emu_pulled(struct pn532_emu *e);

/* ---- the pseudo-terminal ---- */

struct pn532_run {
	const char *link;             /* symlink to create to the pty slave */
	enum pn532_target type;
	long reinsert_ms;             /* after a pull, insert again (-1: never) */
	void (*insert)(void *card);   /* a new insertion of the card */
	bool verbose;                 /* events on stderr (never data) */
};

/*
 * Create the pty (raw mode) and its symlink, then serve until *stop.  The
 * reader stays when the card is pulled (polls find nothing); with
 * reinsert_ms >= 0 the card comes back after that time.  Returns 0, or 1
 * when the pty or link cannot be made (a message is printed).
 */
int pn532_run(const struct pn532_run *opt, const struct vpcd_card_ops *ops, void *card,
	      volatile bool *stop);

#endif
