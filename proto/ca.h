/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Chip Authentication, terminal side: v1 for eMRTDs (ICAO 9303-11 6.2, key
 * from DG14) and v2 for the eID application (BSI TR-03110-2 3.4, key from
 * EF.CardSecurity).  An ephemeral key agreement with the chip's static key
 * proves the chip holds its private key and gives new secure-messaging keys.
 *
 *   v1, 3DES:  MSE:Set KAT { 91 PK_PCD, [84 keyID] }
 *   v1, AES:   MSE:Set AT { 80 OID, [84 keyID] }; GA { 80 PK_PCD } -> 7C00
 *   v2:        MSE:Set AT { 80 OID, [84 keyID] }; GA { 80 PK_PCD }
 *              -> 7C { 81 r_PICC, 82 T_PICC }; keys from K || r_PICC;
 *              T_PICC = MAC(KSmac, 7F49 { 06 OID, 86|84 PK_PCD }) checked.
 * The exchange runs under the current secure channel (old keys); the caller
 * installs the new channel when eid_ca_run succeeds.
 */
#ifndef EID_CA_H
#define EID_CA_H

#include "apdu.h"
#include "crypto.h"
#include "pace.h"
#include "sm.h"

struct eid_secinfo;
struct eid_pace_dp;

struct eid_ca_ctx {
	uint8_t oid[16];            /* id-CA-{DH,ECDH}-{3DES,AES...} contents */
	size_t oid_len;
	int version;                /* 1 (ICAO) or 2 (eID) */
	int key_id;                 /* -1: none */
	enum eid_cipher cipher;
	enum eid_key_agreement ka;
	struct eid_pace_dp *dp;     /* the chip key's domain parameters */
	eid_buf chip_pub;           /* chip static key, encoded element */
	eid_buf priv;               /* terminal ephemeral private key (secret) */
	eid_buf pub;                /* terminal ephemeral public key */
};

/*
 * Set up from a ChipAuthenticationInfo (may be NULL: ICAO's default, v1
 * with 3DES) and the matching ChipAuthenticationPublicKeyInfo.
 */
int eid_ca_init(struct eid_ca_ctx *ctx, const struct eid_secinfo *ca_info,
		const struct eid_secinfo *pk_info);
/*
 * Set up from raw values: the CA protocol OID, version, key ID (-1 none),
 * the chip key's standardized domain parameter ID, and its public key
 * (NULL: set later with eid_ca_set_chip_key).
 */
int eid_ca_init_raw(struct eid_ca_ctx *ctx, const uint8_t *oid, size_t oid_len, int version,
		    int key_id, int std_param_id, const uint8_t *chip_pub, size_t chip_pub_len);
/* eID: the chip's static key, known only after EF.CardSecurity was read (init_raw
 * was given chip_pub NULL); it must lie in the domain parameters set up. */
int eid_ca_set_chip_key(struct eid_ca_ctx *ctx, const struct eid_secinfo *pk_info);
/* The terminal's ephemeral key pair (before TA for the eID: TA signs it). */
int eid_ca_keygen(struct eid_ca_ctx *ctx, const struct eid_rng *rng);
/* Comp(PK_PCD) for Terminal Authentication: x-coordinate (EC), SHA-1 (DH). */
int eid_ca_compressed_pub(const struct eid_ca_ctx *ctx, eid_buf *out);
/* Run the exchange; on success *sm holds the new channel (SSC zero). */
int eid_ca_run(struct eid_card *card, struct eid_ca_ctx *ctx, struct eid_sm *sm);
void eid_ca_clear(struct eid_ca_ctx *ctx);

#endif
