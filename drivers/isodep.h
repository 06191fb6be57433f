/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ISO/IEC 14443-4 (ISO-DEP) block transmission protocol, reader side, for
 * readers that pass raw blocks (libnfc with easy framing off): APDUs of any
 * length by chaining in both directions, waiting time extensions, and the
 * R(NAK)/R(ACK) recovery of lost blocks.  Also the card parameters from the
 * ATS (type A) or ATQB (type B) and the PC/SC part 3 ATR built from them.
 * Pure code over a block exchange callback: no I/O of its own, no logging.
 */
#ifndef EID_ISODEP_H
#define EID_ISODEP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Send one block (without CRC) and receive the card's block.  Returns 0,
 * -EID_ETRANSPORT for a timeout or garbled frame (recoverable), or another
 * negative code that ends the exchange (-EID_ECANCELLED, -EID_ENOCARD). */
typedef int (*eid_isodep_xfer_fn)(void *ctx, const uint8_t *blk, size_t n, uint8_t *resp,
				  size_t *resp_len, int timeout_ms);

#define EID_ISODEP_MAX_BLOCK 260   /* largest block we accept from a card */

struct eid_isodep {
	eid_isodep_xfer_fn xfer;
	void *ctx;
	uint8_t bn;        /* the reader's block number */
	size_t fsc;        /* card's largest frame (PCB .. CRC), 16..256 used */
	int fwt_ms;        /* frame waiting time */
};

void eid_isodep_init(struct eid_isodep *d, eid_isodep_xfer_fn xfer, void *ctx, size_t fsc,
		     int fwt_ms);

/* One APDU: cmd out, the response (data + SW) into resp (*resp_len in:
 * its size).  -EID_ETOOBIG when resp is too small, -EID_ETRANSPORT on a
 * protocol error or when the card stops answering. */
int eid_isodep_transceive(struct eid_isodep *d, const uint8_t *cmd, size_t n, uint8_t *resp,
			  size_t *resp_len);

/* Presence check: an R(NAK) the card must answer.  1 answered, 0 silent,
 * or a negative code (-EID_ECANCELLED). */
int eid_isodep_ping(struct eid_isodep *d);

/* Frame size from FSCI (ISO/IEC 14443-4:2018 table; 256 for codes above 8
 * since no PN53x takes more); frame waiting time in ms from FWI. */
size_t eid_isodep_fsc(uint8_t fsci);
int eid_isodep_fwt_ms(uint8_t fwi);

/* The ATS as libnfc gives it (T0 first, without TL): FSC, FWT and the
 * historical bytes (a view into ats).  -EID_EPARSE when malformed. */
int eid_isodep_parse_ats(const uint8_t *ats, size_t n, size_t *fsc, int *fwt_ms, eid_cbs *hist);
/* ATQB protocol info (3 bytes): FSC and FWT; -EID_EPARSE unless the card
 * says ISO/IEC 14443-4. */
int eid_isodep_parse_protinfo(const uint8_t *pi, size_t n, size_t *fsc, int *fwt_ms);

/* PC/SC part 3 ATR: 3B 8n 80 01 <historical bytes> TCK.  Type A: the ATS
 * historical bytes; type B: application data (4), protocol info (3) and
 * the MBLI nibble.  Returns the ATR length, 0 when it does not fit. */
size_t eid_isodep_atr(const uint8_t *hist, size_t n, uint8_t *atr, size_t max);

#endif
