/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Secure messaging (ICAO 9303-11 9.8, ISO 7816-4): one engine for both
 * cipher suites.  3DES: 8-byte SSC, retail MAC, zero IV.  AES: 16-byte SSC,
 * CMAC truncated to 8 bytes, IV = E(KSenc, SSC).
 *
 * Commands: DO'87' (even INS) or DO'85' (odd INS) for data, DO'97' for Le,
 * DO'8E' for the MAC over the padded header and DOs.  Responses: DO'87'/'85',
 * DO'99' (status, optional: tolerated when absent), DO'8E' (mandatory).
 * The SSC is incremented before each command and each response.  The MAC of
 * a response is verified before anything in it is decrypted; any error sets
 * the context's `failed` flag, after which it refuses to work.
 */
#ifndef EID_SM_H
#define EID_SM_H

#include "apdu.h"
#include "crypto.h"

struct eid_sm {
	enum eid_cipher cipher;
	uint8_t kenc[32];
	uint8_t kmac[32];
	uint8_t ssc[16];
	size_t keylen;       /* eid_cipher_keylen(cipher) */
	size_t blocklen;     /* 8 or 16, also the SSC length */
	bool failed;
};

/* Set up a channel; ssc may be NULL for all zeros (PACE, CA). */
int eid_sm_init(struct eid_sm *sm, enum eid_cipher cipher, const uint8_t *kenc,
		const uint8_t *kmac, const uint8_t *ssc);
/* Wipe keys and SSC. */
void eid_sm_clear(struct eid_sm *sm);

/*
 * Protect a command: appends the encoded protected APDU to out.  The CLA
 * gets bits 0x0C (chaining bit 0x10 is kept).  Extended encoding is used
 * when the protected data or Le need it.
 */
int eid_sm_wrap(struct eid_sm *sm, const struct eid_apdu *cmd, eid_buf *out);
/*
 * Check and decrypt a protected response (resp includes SW1 SW2).  Appends
 * the plain data to *data (may be NULL) and sets *sw to the protected status
 * word (DO'99' when present, else the outer SW).  Errors: -EID_EMAC (MAC
 * missing or wrong), -EID_ESM (malformed, bad padding), -EID_ESMCLOSED.
 * An outer SW other than 9000/62xx/63xx without SM objects is passed through
 * as *sw with return 0 when the response has no data (the chip answered an
 * error in plain): 6987/6988 end the channel; other errors (6A82, 6982...)
 * keep it and leave the SSC as it is, as the chip sent no protected response.
 * Such a status is unauthenticated and means failure only.
 */
int eid_sm_unwrap(struct eid_sm *sm, const uint8_t *resp, size_t n, eid_buf *data,
		  uint16_t *sw);

/* Increment the send sequence counter (big endian). */
void eid_sm_ssc_inc(struct eid_sm *sm);

#endif
