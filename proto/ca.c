/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca.h"
#include "pace_priv.h"
#include "secinfo.h"
#include "tlv.h"

/* id-CA: 0.4.0.127.0.7.2.2.3 */
static const uint8_t id_ca[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03 };

static int algo_from_oid(struct eid_ca_ctx *ctx, const uint8_t *oid, size_t n)
{
	if (n != sizeof(id_ca) + 2 || memcmp(oid, id_ca, sizeof(id_ca)) != 0)
		return -EID_ENOTSUP;
	switch (oid[sizeof(id_ca)]) {
	case 1:
		ctx->ka = EID_KA_DH;
		break;
	case 2:
		ctx->ka = EID_KA_ECDH;
		break;
	default:
		return -EID_ENOTSUP;
	}
	switch (oid[sizeof(id_ca) + 1]) {
	case 1:
		ctx->cipher = EID_CIPHER_3DES;
		break;
	case 2:
		ctx->cipher = EID_CIPHER_AES128;
		break;
	case 3:
		ctx->cipher = EID_CIPHER_AES192;
		break;
	case 4:
		ctx->cipher = EID_CIPHER_AES256;
		break;
	default:
		return -EID_ENOTSUP;
	}
	memcpy(ctx->oid, oid, n);
	ctx->oid_len = n;
	return 0;
}

static void ctx_init(struct eid_ca_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->key_id = -1;
	eid_buf_init_secret(&ctx->priv);
}

static int set_chip_key(struct eid_ca_ctx *ctx, const uint8_t *pub, size_t n)
{
	int r;

	if (ctx->dp->ka != ctx->ka)
		return -EID_EPARSE; /* a DH key for ECDH or vice versa */
	if ((r = eid_pace_check_pub(ctx->dp, pub, n)) < 0)
		return r;
	return eid_buf_set(&ctx->chip_pub, pub, n);
}

/* The key from a *PublicKeyInfo's BIT STRING: an EC point, or for DH an
 * INTEGER used as |p| bytes. */
static int set_chip_key_bits(struct eid_ca_ctx *ctx, eid_cbs bits)
{
	eid_buf dh = EID_BUF_INIT;
	eid_cbs v;
	int r;

	if (ctx->dp->ka == EID_KA_ECDH)
		return set_chip_key(ctx, eid_cbs_data(&bits), eid_cbs_len(&bits));
	if (!eid_der_get_uint_bytes(&bits, &v) || eid_cbs_len(&bits) || eid_cbs_len(&v) > ctx->dp->plen)
		return -EID_EPARSE;
	eid_buf_add_zeros(&dh, ctx->dp->plen - eid_cbs_len(&v));
	eid_buf_add_cbs(&dh, &v);
	r = eid_buf_status(&dh);
	if (r == 0)
		r = set_chip_key(ctx, dh.data, dh.len);
	eid_buf_free(&dh);
	return r;
}

int eid_ca_init_raw(struct eid_ca_ctx *ctx, const uint8_t *oid, size_t oid_len, int version,
		    int key_id, int std_param_id, const uint8_t *chip_pub, size_t chip_pub_len)
{
	int r;

	ctx_init(ctx);
	ctx->version = version;
	ctx->key_id = key_id;
	if ((r = algo_from_oid(ctx, oid, oid_len)) < 0 ||
	    (r = eid_pace_dp_new(std_param_id, &ctx->dp)) < 0 ||
	    (chip_pub && (r = set_chip_key(ctx, chip_pub, chip_pub_len)) < 0))
		eid_ca_clear(ctx);
	return r;
}

int eid_ca_set_chip_key(struct eid_ca_ctx *ctx, const struct eid_secinfo *pk_info)
{
	if (!ctx->dp || !pk_info || pk_info->type != EID_SI_CA_PK)
		return -EID_EINVAL;
	if (pk_info->std_param_id >= 0 && pk_info->std_param_id != ctx->dp->id)
		return -EID_EAUTH; /* not the key of the announced domain parameters */
	return set_chip_key_bits(ctx, pk_info->public_key);
}

/* The key from a SubjectPublicKeyInfo with named or explicit parameters. */
static int key_from_spki(struct eid_ca_ctx *ctx, const struct eid_secinfo *pk)
{
	const unsigned char *p = eid_cbs_data(&pk->spki);
	EVP_PKEY *key;
	int r;

	if (eid_cbs_len(&pk->spki) == 0 || eid_cbs_len(&pk->spki) > 1u << 16)
		return -EID_EPARSE;
	key = d2i_PUBKEY(NULL, &p, (long)eid_cbs_len(&pk->spki));
	if (!key)
		return -EID_EPARSE;
	r = eid_pace_dp_from_pkey(key, &ctx->dp);
	EVP_PKEY_free(key);
	if (r < 0)
		return r;
	return set_chip_key_bits(ctx, pk->public_key);
}

int eid_ca_init(struct eid_ca_ctx *ctx, const struct eid_secinfo *ca_info,
		const struct eid_secinfo *pk_info)
{
	/* without ChipAuthenticationInfo, ICAO assumes CA v1 with 3DES */
	static const uint8_t default_ecdh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x01 };
	static const uint8_t default_dh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x01, 0x01 };
	int r;

	ctx_init(ctx);
	if (!pk_info || pk_info->type != EID_SI_CA_PK)
		return -EID_EINVAL;
	if (ca_info) {
		r = algo_from_oid(ctx, ca_info->oid, ca_info->oid_len);
		ctx->version = ca_info->version;
		ctx->key_id = ca_info->key_id >= 0 ? ca_info->key_id : pk_info->key_id;
	} else {
		/* id-PK-DH ends in 1, id-PK-ECDH in 2 */
		bool dh = pk_info->oid_len && pk_info->oid[pk_info->oid_len - 1] == 1;

		r = dh ? algo_from_oid(ctx, default_dh, sizeof(default_dh))
		       : algo_from_oid(ctx, default_ecdh, sizeof(default_ecdh));
		ctx->version = 1;
		ctx->key_id = pk_info->key_id;
	}
	if (r < 0)
		goto out;
	if (ctx->version < 1 || ctx->version > 2) {
		r = -EID_ENOTSUP;
		goto out;
	}
	if (pk_info->std_param_id >= 0) {
		if ((r = eid_pace_dp_new(pk_info->std_param_id, &ctx->dp)) < 0)
			goto out;
		r = set_chip_key(ctx, eid_cbs_data(&pk_info->public_key),
				 eid_cbs_len(&pk_info->public_key));
	} else {
		r = key_from_spki(ctx, pk_info);
	}
out:
	if (r < 0)
		eid_ca_clear(ctx);
	return r;
}

int eid_ca_keygen(struct eid_ca_ctx *ctx, const struct eid_rng *rng)
{
	if (!ctx->dp)
		return -EID_ESTATE;
	eid_buf_reset(&ctx->priv);
	eid_buf_reset(&ctx->pub);
	return eid_pace_keygen(ctx->dp, NULL, 0, rng, &ctx->priv, &ctx->pub);
}

int eid_ca_compressed_pub(const struct eid_ca_ctx *ctx, eid_buf *out)
{
	uint8_t h[20];
	int r;

	if (ctx->pub.len == 0)
		return -EID_ESTATE;
	if (ctx->ka == EID_KA_ECDH)
		return eid_buf_add(out, ctx->pub.data + 1, ctx->dp->plen);
	if ((r = eid_sha1(ctx->pub.data, ctx->pub.len, h)) < 0)
		return r;
	return eid_buf_add(out, h, sizeof(h));
}

static int add_key_ref(eid_buf *b, int key_id)
{
	uint8_t v[4];
	size_t n = 0;

	if (key_id < 0)
		return 0;
	/* minimal big-endian bytes, as in TR-03110 (84 01 01, 84 01 41) */
	for (int shift = 24; shift >= 0; shift -= 8)
		if (n || (key_id >> shift) & 0xFF || shift == 0)
			v[n++] = (uint8_t)(key_id >> shift);
	return eid_tlv_add(b, 0x84, v, n);
}

/* Step 1: tell the chip which key and protocol (MSE:Set AT, or Set KAT for
 * 3DES v1, which already carries our key and ends the exchange). */
static int ca_mse(struct eid_card *card, const struct eid_ca_ctx *ctx, bool kat)
{
	struct eid_apdu a = { .ins = 0x22, .p1 = 0x41, .p2 = kat ? 0xA6 : 0xA4 };
	eid_buf data = EID_BUF_INIT;
	uint16_t sw;
	int r;

	if (kat)
		eid_tlv_add(&data, 0x91, ctx->pub.data, ctx->pub.len);
	else
		eid_tlv_add(&data, 0x80, ctx->oid, ctx->oid_len);
	add_key_ref(&data, ctx->key_id);
	if ((r = eid_buf_status(&data)) < 0)
		goto out;
	a.data = data.data;
	a.lc = data.len;
	if ((r = eid_card_transmit(card, &a, NULL, &sw)) < 0)
		goto out;
	r = sw == EID_SW_OK ? 0 : -EID_ESW;
out:
	eid_buf_free(&data);
	return r;
}

/* Step 2: send our ephemeral key; v2 chips answer a nonce and a token. */
static int ca_general_authenticate(struct eid_card *card, const struct eid_ca_ctx *ctx,
				   uint8_t r_picc[8], uint8_t t_picc[8])
{
	struct eid_apdu a = { .ins = 0x86, .le = EID_LE_MAX_SHORT };
	eid_buf data = EID_BUF_INIT, resp = EID_BUF_INIT;
	eid_cbs c, dyn, v;
	uint16_t sw;
	size_t mark;
	int r;

	mark = eid_tlv_begin(&data, 0x7C);
	eid_tlv_add(&data, 0x80, ctx->pub.data, ctx->pub.len);
	if ((r = eid_tlv_end(&data, mark)) < 0)
		goto out;
	a.data = data.data;
	a.lc = data.len;
	if ((r = eid_card_transmit(card, &a, &resp, &sw)) < 0)
		goto out;
	if (sw != EID_SW_OK) {
		r = -EID_ESW;
		goto out;
	}
	eid_buf_cbs(&resp, &c);
	r = -EID_EPARSE;
	if (ctx->version == 1) {
		/* 7C00, or nothing at all */
		if (eid_cbs_len(&c) && (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c)))
			goto out;
		r = 0;
		goto out;
	}
	if (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c) ||
	    !eid_tlv_get(&dyn, 0x81, &v) || eid_cbs_len(&v) != 8 || !eid_cbs_copy(&v, r_picc, 8) ||
	    !eid_tlv_get(&dyn, 0x82, &v) || eid_cbs_len(&v) != 8 || !eid_cbs_copy(&v, t_picc, 8) ||
	    eid_cbs_len(&dyn))
		goto out;
	r = 0;
out:
	eid_buf_free(&data);
	eid_buf_free(&resp);
	return r;
}

/* Step 3: K, the new keys, and (v2) the chip's token. */
static int ca_keys(const struct eid_ca_ctx *ctx, const uint8_t *r_picc, const uint8_t *t_picc,
		   struct eid_sm *sm)
{
	eid_buf k;
	uint8_t kenc[32], kmac[32], t[8];
	size_t nlen = ctx->version == 2 ? 8 : 0;
	int r;

	eid_buf_init_secret(&k);
	if ((r = eid_pace_agree(ctx->dp, ctx->priv.data, ctx->priv.len, ctx->chip_pub.data,
				ctx->chip_pub.len, ctx->ka == EID_KA_ECDH, &k)) < 0)
		goto out;
	if ((r = eid_kdf(ctx->cipher, k.data, k.len, nlen ? r_picc : NULL, nlen, EID_KDF_ENC, kenc)) < 0 ||
	    (r = eid_kdf(ctx->cipher, k.data, k.len, nlen ? r_picc : NULL, nlen, EID_KDF_MAC, kmac)) < 0)
		goto out;
	if (ctx->version == 2) {
		struct eid_pace_algo algo;

		memset(&algo, 0, sizeof(algo));
		algo.ka = ctx->ka;
		algo.cipher = ctx->cipher;
		memcpy(algo.oid, ctx->oid, ctx->oid_len);
		algo.oid_len = ctx->oid_len;
		if ((r = eid_pace_token(&algo, kmac, ctx->pub.data, ctx->pub.len, t)) < 0)
			goto out;
		if (!eid_ct_equal(t, t_picc, 8)) {
			r = -EID_EAUTH;
			goto out;
		}
	}
	r = eid_sm_init(sm, ctx->cipher, kenc, kmac, NULL);
out:
	eid_wipe(kenc, sizeof(kenc));
	eid_wipe(kmac, sizeof(kmac));
	eid_buf_free(&k);
	return r;
}

int eid_ca_run(struct eid_card *card, struct eid_ca_ctx *ctx, struct eid_sm *sm)
{
	uint8_t r_picc[8] = { 0 }, t_picc[8] = { 0 };
	bool kat = ctx->version == 1 && ctx->cipher == EID_CIPHER_3DES;
	int r;

	if (!ctx->dp || ctx->pub.len == 0)
		return -EID_ESTATE;
	if ((r = ca_mse(card, ctx, kat)) < 0)
		return r;
	if (!kat && (r = ca_general_authenticate(card, ctx, r_picc, t_picc)) < 0)
		return r;
	r = ca_keys(ctx, r_picc, t_picc, sm);
	eid_wipe(r_picc, sizeof(r_picc));
	return r;
}

void eid_ca_clear(struct eid_ca_ctx *ctx)
{
	eid_pace_dp_free(ctx->dp);
	ctx->dp = NULL;
	eid_buf_free(&ctx->priv);
	eid_buf_free(&ctx->pub);
	eid_buf_free(&ctx->chip_pub);
	eid_wipe(ctx, sizeof(*ctx));
	ctx->key_id = -1;
}
