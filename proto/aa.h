/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Active Authentication (ICAO 9303-11 6.1): the chip signs a terminal
 * challenge with the private key whose public half is in DG15.
 *   RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message
 *        recovery; trailer BC (SHA-1) or xx CC (hash named by xx).
 *   ECDSA: plain r || s (BSI TR-03111) over the challenge, the hash named
 *        by ActiveAuthenticationInfo in DG14.
 */
#ifndef EID_AA_H
#define EID_AA_H

#include "apdu.h"
#include "crypto.h"

#define EID_AA_CHALLENGE_LEN 8

/*
 * Verify a signature over the 8-byte challenge.  spki: DG15's
 * SubjectPublicKeyInfo (DER).  sig_alg: ActiveAuthenticationInfo's
 * signature algorithm OID contents, or NULL (ECDSA then accepts the usual
 * hashes).  Returns 0 when valid, -EID_EAUTH when not, -EID_EPARSE /
 * -EID_ENOTSUP for unusable keys.
 */
int eid_aa_verify(const uint8_t *spki, size_t spki_len, const uint8_t *sig_alg, size_t sig_alg_len,
		  const uint8_t challenge[EID_AA_CHALLENGE_LEN], const uint8_t *sig, size_t sig_len);

/*
 * Check an ISO 9796-2 scheme 1 message representative F (the RSA-recovered
 * block, as long as the modulus): header 6A, trailer BC or xxCC, and
 * hash(M1 || challenge) equal to the hash in F.  0 or -EID_EAUTH.
 */
int eid_aa_check_iso9796(const uint8_t *f, size_t n, const uint8_t *challenge, size_t clen);

/*
 * INTERNAL AUTHENTICATE with a fresh challenge from rng (NULL: system
 * CSPRNG), then eid_aa_verify.  0 valid, -EID_EAUTH invalid, else the
 * transport or status error.
 */
int eid_aa_authenticate(struct eid_card *card, const uint8_t *spki, size_t spki_len,
			const uint8_t *sig_alg, size_t sig_alg_len, const struct eid_rng *rng);

#endif
