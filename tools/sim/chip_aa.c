/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Active Authentication, chip side (ICAO 9303-11 6.1): INTERNAL
 * AUTHENTICATE 00 88 00 00 with the terminal's 8-byte challenge, inside an
 * authenticated session; the chip signs the challenge with the private key
 * whose public half is DG15.
 *   RSA:   ISO/IEC 9796-2 digital signature scheme 1 (partial message
 *          recovery): F = 6A || M1 || H || T with M1 random, H =
 *          hash(M1 || challenge), T = BC (SHA-1) or 34 CC (SHA-256); the
 *          signature is F^d mod n (raw RSA: EVP_PKEY_sign, no padding).
 *   ECDSA: SHA-256 over the challenge (DG14's ActiveAuthenticationInfo says
 *          ecdsa-plain-SHA256), answered as plain r || s (BSI TR-03111).
 */
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "sim.h"

#define CHALLENGE_LEN 8

/* F = 6A || M1 || hash(M1 || challenge) || trailer, as long as the modulus. */
static int iso9796_f(struct sim_chip *chip, size_t k, const uint8_t *challenge, eid_buf *f)
{
	bool sha256 = chip->aa == SIM_AA_RSA_SHA256;
	size_t hlen = sha256 ? 32 : 20, tlen = sha256 ? 2 : 1, m1len;
	uint8_t h[32], *m1;
	size_t outlen = sizeof(h);
	eid_buf m;
	int r;

	if (k < 1 + hlen + tlen + 8)
		return -EID_ENOTSUP;
	m1len = k - 1 - hlen - tlen;
	eid_buf_init(&m);
	eid_buf_add_u8(f, 0x6A);
	if (!(m1 = eid_buf_add_space(f, m1len))) {
		r = -EID_ENOMEM;
		goto out;
	}
	if ((r = sim_chip_random(chip, m1, m1len)) < 0)
		goto out;
	eid_buf_add(&m, m1, m1len);
	eid_buf_add(&m, challenge, CHALLENGE_LEN);
	if ((r = eid_buf_status(&m)) < 0 ||
	    (r = eid_digest(sha256 ? "SHA256" : "SHA1", m.data, m.len, h, &outlen)) < 0)
		goto out;
	eid_buf_add(f, h, hlen);
	if (sha256)
		eid_buf_add_u16(f, 0x34CC);
	else
		eid_buf_add_u8(f, 0xBC);
	r = eid_buf_status(f);
out:
	eid_buf_free(&m);
	return r;
}

static int sign_rsa(struct sim_chip *chip, const uint8_t *challenge, eid_buf *sig)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(chip->aa_key, NULL);
	size_t k = (size_t)EVP_PKEY_get_size(chip->aa_key), n = k;
	eid_buf f = EID_BUF_INIT;
	uint8_t *dst;
	int r;

	if (!ctx)
		return -EID_ENOMEM;
	if ((r = iso9796_f(chip, k, challenge, &f)) < 0)
		goto out;
	r = -EID_ECRYPTO;
	if (!(dst = eid_buf_add_space(sig, k)) || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) <= 0 ||
	    EVP_PKEY_sign(ctx, dst, &n, f.data, f.len) <= 0 || n != k)
		goto out;
	r = 0;
out:
	eid_buf_free(&f);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

static int sign_ecdsa(struct sim_chip *chip, const uint8_t *challenge, eid_buf *sig)
{
	size_t qlen = (size_t)(EVP_PKEY_get_bits(chip->aa_key) + 7) / 8, len = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	const unsigned char *p;
	unsigned char *der = NULL;
	const BIGNUM *br, *bs;
	ECDSA_SIG *es = NULL;
	uint8_t *dst;
	int r = -EID_ECRYPTO;

	if (!md || EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, chip->aa_key, NULL) <= 0 ||
	    EVP_DigestSign(md, NULL, &len, challenge, CHALLENGE_LEN) <= 0 ||
	    !(der = OPENSSL_malloc(len)) ||
	    EVP_DigestSign(md, der, &len, challenge, CHALLENGE_LEN) <= 0)
		goto out;
	p = der;
	if (!(es = d2i_ECDSA_SIG(NULL, &p, (long)len)))
		goto out;
	ECDSA_SIG_get0(es, &br, &bs);
	if (!(dst = eid_buf_add_space(sig, 2 * qlen)) ||
	    BN_bn2binpad(br, dst, (int)qlen) < 0 || BN_bn2binpad(bs, dst + qlen, (int)qlen) < 0)
		goto out;
	r = 0;
out:
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return r;
}

/* INTERNAL AUTHENTICATE (88). */
static uint16_t cmd_internal_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					  eid_buf *out)
{
	eid_buf sig = EID_BUF_INIT;
	uint16_t sw = 0x6F00;
	int r;

	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (!chip->authenticated || !cmd->sm || !chip->aa_key)
		return SIM_SW_SECURITY;
	if (cmd->lc != CHALLENGE_LEN || !cmd->le)
		return SIM_SW_WRONG_LENGTH;
	r = chip->aa == SIM_AA_ECDSA ? sign_ecdsa(chip, cmd->data, &sig)
				     : sign_rsa(chip, cmd->data, &sig);
	if (r < 0)
		goto out;
	if (sig.len > cmd->le || (cmd->max_data && sig.len > cmd->max_data)) {
		sw = SIM_SW_WRONG_LENGTH;
		goto out;
	}
	sw = eid_buf_add(out, sig.data, sig.len) < 0 ? 0x6F00 : SIM_SW_OK;
out:
	eid_buf_free(&sig);
	return sw;
}

static const struct sim_command aa_cmds[] = {
	{ .ins = 0x88, .p1p2 = -1, .fn = cmd_internal_authenticate },
};

const struct sim_protocol sim_protocol_aa = {
	.name = "AA",
	.cmds = aa_cmds,
	.n_cmds = sizeof(aa_cmds) / sizeof(aa_cmds[0]),
	.reset = NULL,
};
