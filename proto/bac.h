/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Basic Access Control (ICAO 9303-11 4.3, App. D).
 */
#ifndef EID_BAC_H
#define EID_BAC_H

#include "apdu.h"
#include "crypto.h"
#include "sm.h"

/* KEnc and KMAC (3DES, parity adjusted) from the 16-byte key seed. */
int eid_bac_derive_keys(const uint8_t kseed[16], uint8_t kenc[16], uint8_t kmac[16]);

/*
 * GET CHALLENGE + MUTUAL AUTHENTICATE with the MRZ key seed.  On success
 * *sm holds the session keys and SSC, ready for eid_card.sm.  RND.IFD and
 * K.IFD come from rng (NULL: system CSPRNG), in that order.
 * -EID_EAUTH when the chip rejects the key (6300/6988) or its cryptogram's
 * MAC or nonce does not match.
 */
int eid_bac_authenticate(struct eid_card *card, const uint8_t kseed[16],
			 const struct eid_rng *rng, struct eid_sm *sm);

#endif
