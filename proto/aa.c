/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "aa.h"
#include "tlv.h"

/* ISO/IEC 10118-3 hash identifiers used in two-byte trailers. */
static const struct {
	uint8_t id;
	const char *name;
	size_t len;
} iso_hashes[] = {
	{ 0x33, "SHA1", 20 },
	{ 0x34, "SHA256", 32 },
	{ 0x35, "SHA512", 64 },
	{ 0x36, "SHA384", 48 },
	{ 0x38, "SHA224", 28 },
};

/* ecdsa-plain-SHA* (BSI TR-03111): 0.4.0.127.0.7.1.1.4.1.x */
static const uint8_t ecdsa_plain_prefix[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01 };
static const char *const ecdsa_plain_hash[] = { NULL, "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };

int eid_aa_check_iso9796(const uint8_t *f, size_t n, const uint8_t *challenge, size_t clen)
{
	const char *hash = NULL;
	size_t hlen = 0, tlen, m1len;
	uint8_t h[64];
	size_t outlen = sizeof(h);
	eid_buf m = EID_BUF_INIT;
	eid_cbs c, m1, hf;
	uint8_t last, first;
	int r = -EID_EAUTH;

	eid_cbs_init(&c, f, n);
	if (!eid_cbs_peek_u8(&c, &first) || first != 0x6A || n < 3)
		return -EID_EAUTH;
	last = f[n - 1];
	if (last == 0xBC) {
		hash = "SHA1";
		hlen = 20;
		tlen = 1;
	} else if (last == 0xCC) {
		for (size_t i = 0; i < sizeof(iso_hashes) / sizeof(iso_hashes[0]); i++)
			if (iso_hashes[i].id == f[n - 2]) {
				hash = iso_hashes[i].name;
				hlen = iso_hashes[i].len;
			}
		tlen = 2;
	} else {
		return -EID_EAUTH;
	}
	if (!hash || n < 1 + hlen + tlen)
		return -EID_EAUTH;
	m1len = n - 1 - hlen - tlen;
	if (!eid_cbs_skip(&c, 1) || !eid_cbs_get_bytes(&c, &m1, m1len) ||
	    !eid_cbs_get_bytes(&c, &hf, hlen))
		return -EID_EAUTH;
	eid_buf_add_cbs(&m, &m1);
	eid_buf_add(&m, challenge, clen);
	if (!eid_buf_ok(&m)) {
		r = -EID_ENOMEM;
		goto out;
	}
	if ((r = eid_digest(hash, m.data, m.len, h, &outlen)) < 0)
		goto out;
	r = (outlen == hlen && eid_cbs_equal(&hf, h, hlen)) ? 0 : -EID_EAUTH;
out:
	eid_buf_free(&m);
	return r;
}

/* s^e mod n without padding, as long as the modulus. */
static int rsa_recover(EVP_PKEY *key, const uint8_t *sig, size_t sig_len, eid_buf *out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	size_t n = (size_t)EVP_PKEY_get_size(key);
	uint8_t *p;
	int r = -EID_EAUTH;

	if (!ctx)
		return -EID_ENOMEM;
	if (sig_len != n)
		goto out;
	if (EVP_PKEY_verify_recover_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) <= 0) {
		r = -EID_ECRYPTO;
		goto out;
	}
	p = eid_buf_add_space(out, n);
	if (!p) {
		r = -EID_ENOMEM;
		goto out;
	}
	if (EVP_PKEY_verify_recover(ctx, p, &n, sig, sig_len) <= 0)
		goto out; /* e.g. signature >= modulus */
	eid_buf_truncate(out, n);
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/* n - J, for representatives given in the other half of Z_n. */
static int rsa_complement(EVP_PKEY *key, const eid_buf *j, eid_buf *out)
{
	BIGNUM *n = NULL, *bj = NULL, *d = NULL;
	int r = -EID_ECRYPTO;

	if (!EVP_PKEY_get_bn_param(key, "n", &n))
		goto out;
	bj = BN_bin2bn(j->data, (int)j->len, NULL);
	d = BN_new();
	if (!bj || !d || !BN_sub(d, n, bj))
		goto out;
	if (!eid_buf_add_space(out, j->len) || BN_bn2binpad(d, out->data, (int)j->len) < 0)
		goto out;
	r = 0;
out:
	BN_free(n);
	BN_free(bj);
	BN_free(d);
	return r;
}

static int verify_rsa(EVP_PKEY *key, const uint8_t *challenge, const uint8_t *sig, size_t sig_len)
{
	eid_buf j = EID_BUF_INIT, alt = EID_BUF_INIT;
	int r;

	if ((EVP_PKEY_get_bits(key) % 8) != 0)
		return -EID_ENOTSUP;
	if ((r = rsa_recover(key, sig, sig_len, &j)) < 0)
		goto out;
	r = eid_aa_check_iso9796(j.data, j.len, challenge, EID_AA_CHALLENGE_LEN);
	if (r == -EID_EAUTH && rsa_complement(key, &j, &alt) == 0)
		r = eid_aa_check_iso9796(alt.data, alt.len, challenge, EID_AA_CHALLENGE_LEN);
out:
	eid_buf_free(&j);
	eid_buf_free(&alt);
	return r;
}

/* Plain r || s to a DER ECDSA-Sig-Value. */
static int plain_to_der(const uint8_t *sig, size_t n, eid_buf *der)
{
	size_t mark;

	if (n == 0 || n % 2)
		return -EID_EAUTH;
	mark = eid_tlv_begin(der, 0x30);
	eid_der_add_uint_bytes(der, sig, n / 2);
	eid_der_add_uint_bytes(der, sig + n / 2, n / 2);
	return eid_tlv_end(der, mark);
}

static int verify_ecdsa(EVP_PKEY *key, const char *hash, const uint8_t *challenge,
			const uint8_t *sig, size_t sig_len)
{
	static const char *const any[] = { "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };
	eid_buf der = EID_BUF_INIT;
	int r, order_len = (EVP_PKEY_get_bits(key) + 7) / 8;

	if (sig_len != 2 * (size_t)order_len)
		return -EID_EAUTH;
	if ((r = plain_to_der(sig, sig_len, &der)) < 0)
		goto out;
	r = -EID_EAUTH;
	for (size_t i = 0; i < sizeof(any) / sizeof(any[0]) && r == -EID_EAUTH; i++) {
		const char *h = hash ? hash : any[i];
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		if (!md) {
			r = -EID_ENOMEM;
			break;
		}
		if (EVP_DigestVerifyInit_ex(md, NULL, h, NULL, NULL, key, NULL) > 0 &&
		    EVP_DigestVerify(md, der.data, der.len, challenge, EID_AA_CHALLENGE_LEN) == 1)
			r = 0;
		EVP_MD_CTX_free(md);
		if (hash)
			break;
	}
out:
	eid_buf_free(&der);
	return r;
}

int eid_aa_verify(const uint8_t *spki, size_t spki_len, const uint8_t *sig_alg, size_t sig_alg_len,
		  const uint8_t challenge[EID_AA_CHALLENGE_LEN], const uint8_t *sig, size_t sig_len)
{
	const unsigned char *p = spki;
	EVP_PKEY *key;
	const char *hash = NULL;
	int r;

	if (!spki || spki_len > 1u << 16)
		return -EID_EPARSE;
	key = d2i_PUBKEY(NULL, &p, (long)spki_len);
	if (!key || p != spki + spki_len) {
		EVP_PKEY_free(key);
		return -EID_EPARSE;
	}
	if (sig_alg && sig_alg_len == sizeof(ecdsa_plain_prefix) + 1 &&
	    !memcmp(sig_alg, ecdsa_plain_prefix, sizeof(ecdsa_plain_prefix))) {
		uint8_t x = sig_alg[sig_alg_len - 1];

		if (x >= 1 && x <= 5)
			hash = ecdsa_plain_hash[x];
	}
	if (EVP_PKEY_is_a(key, "RSA"))
		r = verify_rsa(key, challenge, sig, sig_len);
	else if (EVP_PKEY_is_a(key, "EC"))
		r = verify_ecdsa(key, hash, challenge, sig, sig_len);
	else
		r = -EID_ENOTSUP;
	EVP_PKEY_free(key);
	return r;
}

int eid_aa_authenticate(struct eid_card *card, const uint8_t *spki, size_t spki_len,
			const uint8_t *sig_alg, size_t sig_alg_len, const struct eid_rng *rng)
{
	uint8_t challenge[EID_AA_CHALLENGE_LEN];
	struct eid_apdu a = { .ins = 0x88, .data = challenge, .lc = sizeof(challenge) };
	eid_buf sig = EID_BUF_INIT;
	uint16_t sw;
	int r;

	if ((r = eid_random(rng, challenge, sizeof(challenge))) < 0)
		return r;
	/* an RSA-2048 signature under SM needs more than a short response */
	a.le = card->extended_length ? EID_LE_MAX_EXTENDED : EID_LE_MAX_SHORT;
	if ((r = eid_card_transmit(card, &a, &sig, &sw)) < 0)
		goto out;
	if (sw != EID_SW_OK) {
		r = -EID_ESW;
		goto out;
	}
	r = eid_aa_verify(spki, spki_len, sig_alg, sig_alg_len, challenge, sig.data, sig.len);
out:
	eid_buf_free(&sig);
	return r;
}
