/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Symmetric crypto helpers on OpenSSL 3: key derivation, hashes, 3DES and
 * AES in CBC mode, the retail MAC and AES-CMAC, ISO 7816-4 padding and the
 * injectable randomness source.
 *
 * Everything goes through fetched EVP objects of the default provider.
 * Single DES (needed by the retail MAC) lives in the legacy provider only,
 * so it is computed as two-key 3DES with K1 = K2, which equals DES(K1).
 */
#include <limits.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

#define DES_BLOCK 8
#define AES_BLOCK 16

/* ---- cipher suites ---- */

size_t eid_cipher_keylen(enum eid_cipher c)
{
	switch (c) {
	case EID_CIPHER_3DES:
	case EID_CIPHER_AES128:
		return 16;
	case EID_CIPHER_AES192:
		return 24;
	case EID_CIPHER_AES256:
		return 32;
	}
	return 0;
}

size_t eid_cipher_blocklen(enum eid_cipher c)
{
	switch (c) {
	case EID_CIPHER_3DES:
		return DES_BLOCK;
	case EID_CIPHER_AES128:
	case EID_CIPHER_AES192:
	case EID_CIPHER_AES256:
		return AES_BLOCK;
	}
	return 0;
}

const char *eid_cipher_name(enum eid_cipher c)
{
	switch (c) {
	case EID_CIPHER_3DES:
		return "3DES";
	case EID_CIPHER_AES128:
		return "AES-128";
	case EID_CIPHER_AES192:
		return "AES-192";
	case EID_CIPHER_AES256:
		return "AES-256";
	}
	return "unknown";
}

/* ---- hashes ---- */

/* hash(a || b || c) with an EVP digest; any part may be empty. */
static int digest3(const char *name, const uint8_t *a, size_t alen, const uint8_t *b,
		   size_t blen, const uint8_t *c, size_t clen, uint8_t *out, size_t *outlen)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int len = 0;
	int ret = -EID_ECRYPTO;

	md = EVP_MD_fetch(NULL, name, NULL);
	if (!md) {
		ret = -EID_ENOTSUP;
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    (alen && EVP_DigestUpdate(ctx, a, alen) != 1) ||
	    (blen && EVP_DigestUpdate(ctx, b, blen) != 1) ||
	    (clen && EVP_DigestUpdate(ctx, c, clen) != 1) ||
	    EVP_DigestFinal_ex(ctx, out, &len) != 1)
		goto out;
	if (outlen)
		*outlen = len;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

int eid_digest(const char *name, const uint8_t *in, size_t n, uint8_t *out, size_t *outlen)
{
	if (!name || !out || (n && !in))
		return -EID_EINVAL;
	return digest3(name, in, n, NULL, 0, NULL, 0, out, outlen);
}

int eid_sha1(const uint8_t *in, size_t n, uint8_t out[20])
{
	return eid_digest("SHA1", in, n, out, NULL);
}

int eid_sha256(const uint8_t *in, size_t n, uint8_t out[32])
{
	return eid_digest("SHA256", in, n, out, NULL);
}

/* ---- key derivation ---- */

void eid_des_set_parity(uint8_t *key, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = key[i] & 0xFE, ones = 0;

		for (uint8_t v = b; v; v >>= 1)
			ones += v & 1;
		key[i] = (ones & 1) ? b : (uint8_t)(b | 1);
	}
}

int eid_kdf(enum eid_cipher cipher, const uint8_t *k, size_t klen,
	    const uint8_t *nonce, size_t nlen, uint32_t counter, uint8_t *out)
{
	uint8_t ctr[4] = { (uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
			   (uint8_t)(counter >> 8), (uint8_t)counter };
	uint8_t h[EVP_MAX_MD_SIZE];
	size_t keylen = eid_cipher_keylen(cipher);
	const char *md;
	int ret;

	if (!keylen || !out || (klen && !k) || (nlen && !nonce))
		return -EID_EINVAL;
	md = keylen <= 16 ? "SHA1" : "SHA256";
	ret = digest3(md, k, klen, nonce, nlen, ctr, sizeof(ctr), h, NULL);
	if (ret < 0)
		goto out;
	memcpy(out, h, keylen);
	if (cipher == EID_CIPHER_3DES)
		eid_des_set_parity(out, keylen);
out:
	eid_wipe(h, sizeof(h));
	return ret;
}

/* ---- block ciphers ---- */

/*
 * Run the named cipher without padding over n bytes (a multiple of the block
 * size).  The key must have exactly the cipher's key length.
 */
static int cipher_run(const char *name, const uint8_t *key, size_t keylen, const uint8_t *iv,
		      bool encrypt, const uint8_t *in, size_t n, uint8_t *out)
{
	static const uint8_t zero_iv[AES_BLOCK];
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int len = 0, fin = 0, ret = -EID_ECRYPTO;

	if (n > INT_MAX)
		return -EID_ETOOBIG;
	cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	if (!cipher) {
		ret = -EID_ENOTSUP;
		goto out;
	}
	if ((size_t)EVP_CIPHER_get_key_length(cipher) != keylen ||
	    n % (size_t)EVP_CIPHER_get_block_size(cipher) != 0) {
		ret = -EID_EINVAL;
		goto out;
	}
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (EVP_CipherInit_ex2(ctx, cipher, key,
			       EVP_CIPHER_get_iv_length(cipher) ? (iv ? iv : zero_iv) : NULL,
			       encrypt ? 1 : 0, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
		goto out;
	if (n && EVP_CipherUpdate(ctx, out, &len, in, (int)n) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + len, &fin) != 1 || (size_t)(len + fin) != n)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

int eid_des3_cbc(const uint8_t key[16], const uint8_t *iv, bool encrypt,
		 const uint8_t *in, size_t n, uint8_t *out)
{
	if (!key || (n && (!in || !out)))
		return -EID_EINVAL;
	if (n % DES_BLOCK)
		return -EID_EINVAL;
	return cipher_run("DES-EDE-CBC", key, 16, iv, encrypt, in, n, out);
}

/*
 * ISO 9797-1 MAC algorithm 3: CBC-MAC with DES(K1) over every block, then
 * the last result decrypted with K2 and encrypted with K1.  The CBC-MAC over
 * all but the last block is DES-EDE with K1||K1 (= single DES K1); the last
 * block E_K1(D_K2(E_K1(x xor h))) is one two-key 3DES-CBC step with h as IV.
 */
int eid_retail_mac(const uint8_t key[16], const uint8_t *in, size_t n, uint8_t out[8])
{
	uint8_t k1k1[16], h[DES_BLOCK] = { 0 }, last[DES_BLOCK];
	eid_buf tmp;
	eid_cbs c, head, tail;
	int ret;

	eid_buf_init_secret(&tmp);
	if (!key || !out || (n && !in))
		return -EID_EINVAL;
	if (n == 0 || n % DES_BLOCK)
		return -EID_EINVAL;
	memcpy(k1k1, key, 8);
	memcpy(k1k1 + 8, key, 8);
	eid_cbs_init(&c, in, n);
	if (!eid_cbs_get_bytes(&c, &head, n - DES_BLOCK) ||
	    !eid_cbs_get_bytes(&c, &tail, DES_BLOCK)) {
		ret = -EID_EINVAL;
		goto out;
	}
	if (eid_cbs_len(&head)) {
		uint8_t *p = eid_buf_add_space(&tmp, eid_cbs_len(&head));

		if (!p) {
			ret = -EID_ENOMEM;
			goto out;
		}
		ret = cipher_run("DES-EDE-CBC", k1k1, 16, NULL, true, eid_cbs_data(&head),
				 eid_cbs_len(&head), p);
		if (ret < 0)
			goto out;
		memcpy(h, tmp.data + tmp.len - DES_BLOCK, DES_BLOCK);
	}
	ret = cipher_run("DES-EDE-CBC", key, 16, h, true, eid_cbs_data(&tail), DES_BLOCK, last);
	if (ret < 0)
		goto out;
	memcpy(out, last, DES_BLOCK);
out:
	eid_wipe(k1k1, sizeof(k1k1));
	eid_wipe(h, sizeof(h));
	eid_wipe(last, sizeof(last));
	eid_buf_free(&tmp);
	return ret;
}

static const char *aes_cbc_name(size_t keylen)
{
	switch (keylen) {
	case 16:
		return "AES-128-CBC";
	case 24:
		return "AES-192-CBC";
	case 32:
		return "AES-256-CBC";
	}
	return NULL;
}

static const char *aes_ecb_name(size_t keylen)
{
	switch (keylen) {
	case 16:
		return "AES-128-ECB";
	case 24:
		return "AES-192-ECB";
	case 32:
		return "AES-256-ECB";
	}
	return NULL;
}

int eid_aes_cbc(const uint8_t *key, size_t keylen, const uint8_t *iv, bool encrypt,
		const uint8_t *in, size_t n, uint8_t *out)
{
	const char *name = aes_cbc_name(keylen);

	if (!name || !key || (n && (!in || !out)) || n % AES_BLOCK)
		return -EID_EINVAL;
	return cipher_run(name, key, keylen, iv, encrypt, in, n, out);
}

int eid_aes_encrypt_block(const uint8_t *key, size_t keylen, const uint8_t in[16],
			  uint8_t out[16])
{
	const char *name = aes_ecb_name(keylen);

	if (!name || !key || !in || !out)
		return -EID_EINVAL;
	return cipher_run(name, key, keylen, NULL, true, in, AES_BLOCK, out);
}

int eid_aes_cmac(const uint8_t *key, size_t keylen, const uint8_t *in, size_t n,
		 uint8_t out[16])
{
	const char *name = aes_cbc_name(keylen);
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t len = 0;
	int ret = -EID_ECRYPTO;

	if (!name || !key || !out || (n && !in))
		return -EID_EINVAL;
	mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	if (!mac) {
		ret = -EID_ENOTSUP;
		goto out;
	}
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx) {
		ret = -EID_ENOMEM;
		goto out;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, keylen, params) != 1 ||
	    (n && EVP_MAC_update(ctx, in, n) != 1) ||
	    EVP_MAC_final(ctx, out, &len, AES_BLOCK) != 1 || len != AES_BLOCK)
		goto out;
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

/* ---- dispatch by cipher suite ---- */

int eid_cipher_cbc(enum eid_cipher c, const uint8_t *key, const uint8_t *iv, bool encrypt,
		   const uint8_t *in, size_t n, uint8_t *out)
{
	switch (c) {
	case EID_CIPHER_3DES:
		return eid_des3_cbc(key, iv, encrypt, in, n, out);
	case EID_CIPHER_AES128:
	case EID_CIPHER_AES192:
	case EID_CIPHER_AES256:
		return eid_aes_cbc(key, eid_cipher_keylen(c), iv, encrypt, in, n, out);
	}
	return -EID_EINVAL;
}

int eid_cipher_mac8(enum eid_cipher c, const uint8_t *key, const uint8_t *in, size_t n,
		    uint8_t out[8])
{
	uint8_t full[AES_BLOCK];
	int ret;

	switch (c) {
	case EID_CIPHER_3DES:
		return eid_retail_mac(key, in, n, out);
	case EID_CIPHER_AES128:
	case EID_CIPHER_AES192:
	case EID_CIPHER_AES256:
		ret = eid_aes_cmac(key, eid_cipher_keylen(c), in, n, full);
		if (ret == 0)
			memcpy(out, full, 8);
		eid_wipe(full, sizeof(full));
		return ret;
	}
	return -EID_EINVAL;
}

/* ---- ISO/IEC 7816-4 padding ---- */

int eid_pad(eid_buf *b, size_t block)
{
	size_t zeros;

	if (!b || block == 0)
		return -EID_EINVAL;
	zeros = block - 1 - b->len % block;
	eid_buf_add_u8(b, 0x80);
	eid_buf_add_zeros(b, zeros);
	return eid_buf_status(b);
}

int eid_unpad_len(const uint8_t *data, size_t n, size_t *unpadded)
{
	eid_cbs c, last;
	uint8_t v;

	if (!unpadded || (n && !data))
		return -EID_EINVAL;
	eid_cbs_init(&c, data, n);
	for (;;) {
		if (!eid_cbs_get_last(&c, &last, 1) || !eid_cbs_get_u8(&last, &v))
			return -EID_ESM;   /* only zeros, or empty: no 80 marker */
		if (v == 0x80)
			break;
		if (v != 0x00)
			return -EID_ESM;
	}
	*unpadded = eid_cbs_len(&c);
	return 0;
}

/* ---- randomness ---- */

int eid_random(const struct eid_rng *rng, uint8_t *out, size_t n)
{
	if (n == 0)
		return 0;
	if (!out)
		return -EID_EINVAL;
	if (rng && rng->bytes)
		return rng->bytes(rng->ctx, out, n);
	if (n > INT_MAX)
		return -EID_ETOOBIG;
	return RAND_bytes(out, (int)n) == 1 ? 0 : -EID_ECRYPTO;
}

int eid_retail_mac_padded(const uint8_t key[16], const uint8_t *in, size_t n, uint8_t out[8])
{
	eid_buf p = EID_BUF_INIT;
	int r;

	eid_buf_add(&p, in, n);
	if ((r = eid_pad(&p, 8)) == 0)
		r = eid_retail_mac(key, p.data, p.len, out);
	eid_buf_free(&p);
	return r;
}
