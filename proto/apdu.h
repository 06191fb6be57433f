/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ISO 7816-4 command/response APDUs and the card handle.
 *
 * A card handle (struct eid_card) is what proto/ gets from a driver: a
 * transmit callback plus context.  eid_card_transmit() sends one command,
 * protected by secure messaging when a channel is set, and handles the
 * transport-level status words 61xx (GET RESPONSE) and 6Cxx (resend with
 * the right Le).  It also counts APDUs and bytes for performance figures.
 */
#ifndef EID_APDU_H
#define EID_APDU_H

#include "buf.h"

/* Status words used by the protocols. */
#define EID_SW_OK                 0x9000
#define EID_SW_EOF_WARNING        0x6282  /* end of file reached before Le bytes */
#define EID_SW_WRONG_LENGTH       0x6700
#define EID_SW_SM_MISSING         0x6987
#define EID_SW_SM_INCORRECT       0x6988
#define EID_SW_SECURITY_STATUS    0x6982
#define EID_SW_AUTH_BLOCKED       0x6983
#define EID_SW_REF_DATA_UNUSABLE  0x6984
#define EID_SW_CONDITIONS         0x6985
#define EID_SW_FILE_NOT_FOUND     0x6A82
#define EID_SW_WRONG_P1P2         0x6B00
#define EID_SW_INS_NOT_SUPPORTED  0x6D00

/* Le value meaning "up to 256" in short / "up to 65536" in extended form. */
#define EID_LE_MAX_SHORT    256u
#define EID_LE_MAX_EXTENDED 65536u

struct eid_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;   /* command data (Lc bytes), may be NULL when lc == 0 */
	size_t lc;             /* 0..65535 */
	size_t le;             /* 0: no Le field; 1..256 short, up to 65536 extended */
	bool extended;         /* force extended-length encoding */
};

/* Encode a command APDU (case 1..4, short unless lc > 255, le > 256 or
 * extended is set).  Appends to out. */
int eid_apdu_encode(const struct eid_apdu *a, eid_buf *out);
/* True when the APDU will be encoded in extended form. */
bool eid_apdu_is_extended(const struct eid_apdu *a);

/* Split a response APDU into data and SW1SW2.  -EID_EPARSE when n < 2. */
int eid_rapdu_parse(const uint8_t *resp, size_t n, eid_cbs *data, uint16_t *sw);

/* Short human-readable meaning of a status word ("file not found"). */
const char *eid_sw_str(uint16_t sw);

/*
 * Transmit callback provided by a driver: send cmd, write the response
 * (data + SW1 SW2) to resp, up to *resp_len bytes, and set *resp_len.
 * Returns 0 or a negative EID_E* code (-EID_ENOCARD when the card is gone,
 * -EID_ETRANSPORT on reader errors, -EID_ECANCELLED).
 */
typedef int (*eid_transmit_fn)(void *ctx, const uint8_t *cmd, size_t cmd_len,
			       uint8_t *resp, size_t *resp_len);

/* Called for every raw APDU (after SM wrapping) when set; for traces. */
typedef void (*eid_trace_fn)(void *ctx, bool is_command, const uint8_t *bytes, size_t n);

struct eid_sm;

struct eid_card_stats {
	unsigned long apdus;      /* raw command APDUs sent */
	unsigned long bytes_out;  /* command bytes sent */
	unsigned long bytes_in;   /* response bytes received, SW included */
};

struct eid_card {
	eid_transmit_fn transmit;
	void *transmit_ctx;
	eid_trace_fn trace;       /* optional */
	void *trace_ctx;
	struct eid_sm *sm;        /* active secure messaging channel or NULL */
	bool extended_length;     /* reader and chip accept extended APDUs */
	size_t max_response;      /* response buffer to offer (0: 65538 with extended length, else 258) */
	size_t read_le;           /* largest READ BINARY Le that worked (0: not known yet) */
	size_t last_read_le;      /* Le of the last READ BINARY the chip answered */
	bool no_sfi;              /* the chip lacks short file identifiers: SELECT by FID */
	bool extended_probe;      /* extended length unknown: the read flow probes it
				     with its first (plain) file read */
	struct eid_card_stats stats;
};

void eid_card_init(struct eid_card *card, eid_transmit_fn fn, void *ctx);

/*
 * Send one command.  With card->sm set the command is wrapped and the
 * response unwrapped (MAC checked before anything is decrypted); an SM error
 * ends the channel (card->sm is cleared and its keys wiped) and later calls
 * fail with -EID_ESMCLOSED until a new channel is set.
 * Appends the response data to *resp (may be NULL to discard) and stores the
 * final status word in *sw.  Any SW is returned as 0 here; interpreting it is
 * the caller's job, except 61xx / 6Cxx which are handled.
 */
int eid_card_transmit(struct eid_card *card, const struct eid_apdu *a,
		      eid_buf *resp, uint16_t *sw);
/* Same, but fails with -EID_ESW unless the final SW is 9000. */
int eid_card_transmit_ok(struct eid_card *card, const struct eid_apdu *a, eid_buf *resp);
/* Raw transmit without SM but with 61xx/6Cxx handling and statistics. */
int eid_card_transmit_plain(struct eid_card *card, const struct eid_apdu *a,
			    eid_buf *resp, uint16_t *sw);
/* Send already-encoded bytes (used by the SM layer); statistics and trace. */
int eid_card_transmit_raw(struct eid_card *card, const uint8_t *cmd, size_t n,
			  eid_buf *resp_with_sw);
/* End the secure channel: wipe keys and clear card->sm. */
void eid_card_end_sm(struct eid_card *card);

#endif
