/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PACE internals shared by pace.c, pace_dp.c and tests/test_pace.c.  Not a
 * public interface of libeid: the step functions are exposed so the unit
 * tests can assert each intermediate value of the worked examples.
 *
 * Group elements cross these functions encoded, as they travel on the wire:
 * an EC point uncompressed (04 || x || y, each coordinate as long as the field
 * prime), a DH value as exactly as many bytes as the modulus p.  Private keys
 * are big-endian integers of the byte length of the group order.
 */
#ifndef EID_PACE_PRIV_H
#define EID_PACE_PRIV_H

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "pace.h"

/* ---- pace_dp.c: standardized domain parameters and their arithmetic ---- */

struct eid_pace_dp {
	int id;                    /* standardized domain parameter ID */
	enum eid_key_agreement ka;
	EC_GROUP *group;           /* ECDH: the named curve with its generator G */
	BIGNUM *p;                 /* DH modulus, or the curve's field prime */
	BIGNUM *a, *b;             /* ECDH: curve coefficients */
	BIGNUM *q;                 /* order of the generator (EC order / DH subgroup) */
	BIGNUM *g;                 /* DH: generator */
	size_t plen;               /* bytes of a field element or DH value */
	size_t qlen;               /* bytes of the order: length of a private key */
	BN_CTX *bn;
};

/* Domain parameters for a standardized ID (0..2 DH, 8..18 EC); -EID_ENOTSUP. */
int eid_pace_dp_new(int param_id, struct eid_pace_dp **out);
/* Domain parameters of a public key's group (EC named or explicit, DH with q);
 * the ID is -1.  Used by Chip Authentication for DG14 keys. */
int eid_pace_dp_from_pkey(EVP_PKEY *key, struct eid_pace_dp **out);
void eid_pace_dp_free(struct eid_pace_dp *dp);
/* Length of an encoded element (public key, generator). */
size_t eid_pace_dp_elem_len(const struct eid_pace_dp *dp);

/*
 * Validate a public key received from the chip: the right length and
 * encoding, on the curve and not the point at infinity (EC), 1 < y < p-1 and
 * y^q = 1 mod p (DH).  -EID_EPARSE when it is not a valid element.
 */
int eid_pace_check_pub(const struct eid_pace_dp *dp, const uint8_t *pub, size_t n);

/*
 * Draw a private key with the rng (exactly qlen bytes, big endian; bits above
 * the order's bit length are cleared; drawn again when 0 or >= order) and
 * compute the public key priv * gen.  gen NULL: the standard generator.
 * priv should be a secret buffer.
 */
int eid_pace_keygen(const struct eid_pace_dp *dp, const uint8_t *gen, size_t gen_len,
		    const struct eid_rng *rng, eid_buf *priv, eid_buf *pub);

/*
 * Key agreement: priv * peer (EC) or peer^priv mod p (DH), after validating
 * peer with eid_pace_check_pub().  With x_only (EC) only the x-coordinate,
 * plen bytes, is written; otherwise the encoded element.  Fails when the
 * result is the identity.  out should be a secret buffer.
 */
int eid_pace_agree(const struct eid_pace_dp *dp, const uint8_t *priv, size_t priv_len,
		   const uint8_t *peer, size_t peer_len, bool x_only, eid_buf *out);

/* Generic mapping: G~ = s*G + H (EC), g~ = g^s * h mod p (DH). */
int eid_pace_map_gm(const struct eid_pace_dp *dp, const uint8_t *s, size_t slen,
		    const uint8_t *h, size_t hlen, eid_buf *gen);

/*
 * Integrated mapping, pseudo-random function R(s,t) (ICAO 9303-11 4.4.3.3.2):
 * k0 = E(t, s); x_i = E(k_i, c1); k_{i+1} = E(k_i, c0) truncated to the key
 * length; output x_0 || ... || x_{n-1} with n the smallest number such that
 * n * l >= pbits + 64, l the bit length of s.  E is the suite's block cipher
 * in CBC mode with zero IV.  s is 16 or 32 bytes, t as long as the key.
 */
int eid_pace_im_prf(enum eid_cipher c, const uint8_t *s, size_t slen, const uint8_t *t,
		    size_t tlen, size_t pbits, eid_buf *out);

/*
 * Integrated mapping: EC: G~ = f_G(R(s,t) mod p), the point encoding of
 * ICAO 9303-11 Appendix B (curves with p = 3 mod 4, else -EID_ENOTSUP);
 * DH: g~ = (R(s,t) mod p)^((p-1)/q) mod p.
 */
int eid_pace_map_im(const struct eid_pace_dp *dp, enum eid_cipher c, const uint8_t *s,
		    size_t slen, const uint8_t *t, size_t tlen, eid_buf *gen);

/* ---- pace.c: symmetric steps ---- */

/* K_pi = KDF_pi(pw); writes eid_cipher_keylen(c) bytes. */
int eid_pace_derive_kpi(enum eid_cipher c, const uint8_t *pw, size_t n, uint8_t *kpi);

/* s = D(K_pi, z), CBC with zero IV; z a non-empty multiple of the block size
 * of at most 32 bytes.  s should be a secret buffer. */
int eid_pace_decrypt_nonce(enum eid_cipher c, const uint8_t *kpi, const uint8_t *z, size_t n,
			   eid_buf *s);

/* KSenc = KDF_enc(K), KSmac = KDF_mac(K). */
int eid_pace_session_keys(enum eid_cipher c, const uint8_t *k, size_t n, uint8_t *kenc,
			  uint8_t *kmac);

/* Token input 7F49 { 06 OID, 86 point (ECDH) | 84 value (DH) }. */
int eid_pace_token_input(const struct eid_pace_algo *algo, const uint8_t *pub, size_t n,
			 eid_buf *out);

/* Authentication token: CMAC(KSmac, input)[0..7] (AES) or the retail MAC over
 * the ISO-padded input (3DES). */
int eid_pace_token(const struct eid_pace_algo *algo, const uint8_t *kmac, const uint8_t *pub,
		   size_t n, uint8_t out[8]);

/* PACE-CAM: CA_IC = unpad(D(KSenc, A_IC)) with IV = E(KSenc, FF..FF) (AES
 * only).  out must hold n bytes; *outlen gets the unpadded length. */
int eid_pace_cam_decrypt(enum eid_cipher c, const uint8_t *kenc, const uint8_t *a_ic, size_t n,
			 uint8_t *out, size_t *outlen);

#endif
