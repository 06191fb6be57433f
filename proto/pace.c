/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PACE v2, terminal side (ICAO 9303-11 4.4, BSI TR-03110-2 3.2 and -3 A.3).
 *
 * eid_pace_run() performs the protocol steps in order, each a function below:
 *   pace_mse_set_at        MSE:Set AT: protocol OID, password, parameters
 *   pace_ga1_nonce         GA 1: the chip's encrypted nonce z; s = D(K_pi, z)
 *   pace_ga2_map           GA 2: mapping to a new generator (GM / CAM, or IM)
 *   pace_ga3_agree         GA 3: ephemeral key agreement; session keys
 *   pace_ga4_authenticate  GA 4: authentication tokens (CARs, PACE-CAM data)
 * The group arithmetic (domain parameters, keys, mappings) is in pace_dp.c.
 *
 * Every response is parsed with the TLV cursor: the data of a GENERAL
 * AUTHENTICATE response must be exactly one 7C object holding exactly the
 * expected data objects.  Every public key of the chip is validated and one
 * equal to the terminal's own is refused.  Nonce, private keys, shared
 * secrets and keys are held in wiped memory.
 */
#include <string.h>

#include "pace_priv.h"
#include "tlv.h"

/* ---- algorithms and passwords ---- */

/* id-PACE = 0.4.0.127.0.7.2.2.4, then {mapping + key agreement}.{cipher} */
static const uint8_t pace_oid_prefix[8] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04 };

struct pace_family {
	uint8_t arc;
	enum eid_pace_mapping mapping;
	enum eid_key_agreement ka;
	const char *names[4];   /* by cipher arc 1..4; NULL: not defined */
};

static const struct pace_family pace_families[] = {
	{ 1, EID_PACE_GM, EID_KA_DH, {
		"id-PACE-DH-GM-3DES-CBC-CBC", "id-PACE-DH-GM-AES-CBC-CMAC-128",
		"id-PACE-DH-GM-AES-CBC-CMAC-192", "id-PACE-DH-GM-AES-CBC-CMAC-256" } },
	{ 2, EID_PACE_GM, EID_KA_ECDH, {
		"id-PACE-ECDH-GM-3DES-CBC-CBC", "id-PACE-ECDH-GM-AES-CBC-CMAC-128",
		"id-PACE-ECDH-GM-AES-CBC-CMAC-192", "id-PACE-ECDH-GM-AES-CBC-CMAC-256" } },
	{ 3, EID_PACE_IM, EID_KA_DH, {
		"id-PACE-DH-IM-3DES-CBC-CBC", "id-PACE-DH-IM-AES-CBC-CMAC-128",
		"id-PACE-DH-IM-AES-CBC-CMAC-192", "id-PACE-DH-IM-AES-CBC-CMAC-256" } },
	{ 4, EID_PACE_IM, EID_KA_ECDH, {
		"id-PACE-ECDH-IM-3DES-CBC-CBC", "id-PACE-ECDH-IM-AES-CBC-CMAC-128",
		"id-PACE-ECDH-IM-AES-CBC-CMAC-192", "id-PACE-ECDH-IM-AES-CBC-CMAC-256" } },
	{ 6, EID_PACE_CAM, EID_KA_ECDH, {
		NULL, "id-PACE-ECDH-CAM-AES-CBC-CMAC-128",
		"id-PACE-ECDH-CAM-AES-CBC-CMAC-192", "id-PACE-ECDH-CAM-AES-CBC-CMAC-256" } },
};

static const enum eid_cipher pace_ciphers[4] = {
	EID_CIPHER_3DES, EID_CIPHER_AES128, EID_CIPHER_AES192, EID_CIPHER_AES256,
};

int eid_pace_algo_from_oid(const uint8_t *oid, size_t n, struct eid_pace_algo *out)
{
	eid_cbs c, prefix;
	uint8_t fam, ciph;

	if (!out || (!oid && n))
		return -EID_EINVAL;
	eid_cbs_init(&c, oid, n);
	if (!eid_cbs_get_bytes(&c, &prefix, sizeof(pace_oid_prefix)) ||
	    !eid_cbs_equal(&prefix, pace_oid_prefix, sizeof(pace_oid_prefix)) ||
	    !eid_cbs_get_u8(&c, &fam) || !eid_cbs_get_u8(&c, &ciph) || eid_cbs_len(&c) != 0 ||
	    ciph < 1 || ciph > 4)
		return -EID_ENOTSUP;
	for (size_t i = 0; i < sizeof(pace_families) / sizeof(pace_families[0]); i++) {
		const struct pace_family *f = &pace_families[i];

		if (f->arc != fam || !f->names[ciph - 1])
			continue;
		memset(out, 0, sizeof(*out));
		out->mapping = f->mapping;
		out->ka = f->ka;
		out->cipher = pace_ciphers[ciph - 1];
		memcpy(out->oid, oid, n);
		out->oid_len = n;
		out->name = f->names[ciph - 1];
		return 0;
	}
	return -EID_ENOTSUP;
}

const char *eid_password_name(enum eid_password p)
{
	switch (p) {
	case EID_PW_MRZ: return "mrz";
	case EID_PW_CAN: return "can";
	case EID_PW_PIN: return "pin";
	case EID_PW_PUK: return "puk";
	}
	return "unknown";
}

/* ---- symmetric steps ---- */

int eid_pace_derive_kpi(enum eid_cipher c, const uint8_t *pw, size_t n, uint8_t *kpi)
{
	if (!pw || n == 0 || !kpi)
		return -EID_EINVAL;
	return eid_kdf(c, pw, n, NULL, 0, EID_KDF_PI, kpi);
}

int eid_pace_decrypt_nonce(enum eid_cipher c, const uint8_t *kpi, const uint8_t *z, size_t n,
			   eid_buf *s)
{
	size_t block = eid_cipher_blocklen(c);
	uint8_t *dst;
	int ret;

	if (!block || !kpi || !s)
		return -EID_EINVAL;
	if (!z || n == 0 || n % block != 0 || n > 32)
		return -EID_EPARSE;
	eid_buf_reset(s);
	dst = eid_buf_add_space(s, n);
	if (!dst)
		return -EID_ENOMEM;
	ret = eid_cipher_cbc(c, kpi, NULL, false, z, n, dst);
	if (ret < 0)
		eid_buf_reset(s);
	return ret;
}

int eid_pace_session_keys(enum eid_cipher c, const uint8_t *k, size_t n, uint8_t *kenc,
			  uint8_t *kmac)
{
	int ret;

	if (!k || n == 0 || !kenc || !kmac)
		return -EID_EINVAL;
	ret = eid_kdf(c, k, n, NULL, 0, EID_KDF_ENC, kenc);
	if (ret == 0)
		ret = eid_kdf(c, k, n, NULL, 0, EID_KDF_MAC, kmac);
	return ret;
}

int eid_pace_token_input(const struct eid_pace_algo *algo, const uint8_t *pub, size_t n,
			 eid_buf *out)
{
	size_t mark;

	if (!algo || !out || (!pub && n))
		return -EID_EINVAL;
	eid_buf_reset(out);
	mark = eid_tlv_begin(out, 0x7F49);
	eid_tlv_add(out, 0x06, algo->oid, algo->oid_len);
	eid_tlv_add(out, algo->ka == EID_KA_ECDH ? 0x86 : 0x84, pub, n);
	return eid_tlv_end(out, mark);
}

int eid_pace_token(const struct eid_pace_algo *algo, const uint8_t *kmac, const uint8_t *pub,
		   size_t n, uint8_t out[8])
{
	eid_buf in = EID_BUF_INIT;
	int ret;

	if (!kmac || !out)
		return -EID_EINVAL;
	ret = eid_pace_token_input(algo, pub, n, &in);
	if (ret == 0 && algo->cipher == EID_CIPHER_3DES)
		ret = eid_pad(&in, 8);
	if (ret == 0)
		ret = eid_cipher_mac8(algo->cipher, kmac, in.data, in.len, out);
	eid_buf_free(&in);
	return ret;
}

int eid_pace_cam_decrypt(enum eid_cipher c, const uint8_t *kenc, const uint8_t *a_ic, size_t n,
			 uint8_t *out, size_t *outlen)
{
	static const uint8_t ssc_ff[16] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	size_t keylen = eid_cipher_keylen(c);
	uint8_t iv[16];
	int ret;

	if (!kenc || !out || !outlen)
		return -EID_EINVAL;
	if (c == EID_CIPHER_3DES || !keylen)
		return -EID_ENOTSUP;
	if (!a_ic || n == 0 || n % 16 != 0)
		return -EID_EPARSE;
	ret = eid_aes_encrypt_block(kenc, keylen, ssc_ff, iv);
	if (ret == 0)
		ret = eid_aes_cbc(kenc, keylen, iv, false, a_ic, n, out);
	if (ret == 0 && eid_unpad_len(out, n, outlen) < 0)
		ret = -EID_EPARSE;
	eid_wipe(iv, sizeof(iv));
	return ret;
}

/* ---- one PACE run ---- */

struct pace_ctx {
	struct eid_card *card;
	const struct eid_pace_algo *algo;
	struct eid_pace_result *res;
	struct eid_pace_dp *dp;
	struct eid_pace_opts opts;
	size_t keylen;
	uint8_t kpi[32];
	uint8_t kenc[32], kmac[32];
	eid_buf s;        /* secret: the decrypted nonce */
	eid_buf gen;      /* the mapped generator */
	eid_buf priv;     /* secret: the terminal's current private key */
	eid_buf pub;      /* the terminal's mapping, then ephemeral public key */
	eid_buf shared;   /* secret: H (GM) and then K */
	eid_buf resp;     /* data of the last response */
};

static int pace_ctx_init(struct pace_ctx *c, struct eid_card *card,
			 const struct eid_pace_algo *algo, int param_id,
			 const struct eid_pace_opts *opts, struct eid_pace_result *res)
{
	int ret;

	memset(c, 0, sizeof(*c));
	eid_buf_init_secret(&c->s);
	eid_buf_init(&c->gen);
	eid_buf_init_secret(&c->priv);
	eid_buf_init(&c->pub);
	eid_buf_init_secret(&c->shared);
	eid_buf_init(&c->resp);
	c->card = card;
	c->algo = algo;
	c->res = res;
	if (opts)
		c->opts = *opts;
	c->keylen = eid_cipher_keylen(algo->cipher);
	if (!c->keylen || algo->oid_len == 0 || algo->oid_len > sizeof(algo->oid))
		return -EID_ENOTSUP;
	if (algo->mapping != EID_PACE_GM && algo->mapping != EID_PACE_IM &&
	    algo->mapping != EID_PACE_CAM)
		return -EID_ENOTSUP;
	if (algo->mapping == EID_PACE_CAM &&
	    (algo->ka != EID_KA_ECDH || algo->cipher == EID_CIPHER_3DES))
		return -EID_ENOTSUP;
	if (c->opts.chat) {
		eid_cbs chat, v;

		eid_cbs_init(&chat, c->opts.chat, c->opts.chat_len);
		if (!eid_tlv_get(&chat, 0x7F4C, &v) || eid_cbs_len(&chat) != 0)
			return -EID_EINVAL;
	}
	ret = eid_pace_dp_new(param_id, &c->dp);
	if (ret < 0)
		return ret;
	if (c->dp->ka != algo->ka)
		return -EID_ENOTSUP;
	return 0;
}

static void pace_ctx_clear(struct pace_ctx *c)
{
	eid_pace_dp_free(c->dp);
	eid_buf_free(&c->s);
	eid_buf_free(&c->gen);
	eid_buf_free(&c->priv);
	eid_buf_free(&c->pub);
	eid_buf_free(&c->shared);
	eid_buf_free(&c->resp);
	eid_wipe(c, sizeof(*c));
}

/* Le of a GENERAL AUTHENTICATE: extended when a response with one element
 * (DH-2048) may not fit in 256 bytes and the reader supports it. */
static size_t pace_le(const struct pace_ctx *c)
{
	if (eid_pace_dp_elem_len(c->dp) + 8 > EID_LE_MAX_SHORT && c->card->extended_length)
		return EID_LE_MAX_EXTENDED;
	return EID_LE_MAX_SHORT;
}

/* Status of a GENERAL AUTHENTICATE.  After the last one, 63Cx / 6300 mean the
 * chip found our token wrong: the password was wrong. */
static int pace_ga_status(struct pace_ctx *c, uint16_t sw, bool last)
{
	if (sw == EID_SW_OK)
		return 0;
	if (last && (sw == 0x6300 || (sw & 0xFFF0) == 0x63C0)) {
		if ((sw & 0xFFF0) == 0x63C0)
			c->res->retry_counter = sw & 0x0F;
		return -EID_EPASSWORD;
	}
	if (sw == EID_SW_AUTH_BLOCKED)
		return -EID_EBLOCKED;
	return -EID_ESW;
}

/*
 * One GENERAL AUTHENTICATE with 7C { tag value } (7C 00 when tag is 0),
 * chained (CLA 10) except the last.  On success *inner is the contents of the
 * response's 7C object, which must be all of the response data.
 */
static int pace_ga(struct pace_ctx *c, bool last, uint32_t tag, const uint8_t *v, size_t n,
		   eid_cbs *inner)
{
	struct eid_apdu a = { .cla = last ? 0x00 : 0x10, .ins = 0x86, .p1 = 0, .p2 = 0 };
	eid_buf cmd = EID_BUF_INIT;
	eid_cbs data;
	uint16_t sw = 0;
	size_t mark;
	int ret;

	mark = eid_tlv_begin(&cmd, 0x7C);
	if (tag)
		eid_tlv_add(&cmd, tag, v, n);
	ret = eid_tlv_end(&cmd, mark);
	if (ret < 0)
		goto out;
	a.data = cmd.data;
	a.lc = cmd.len;
	a.le = pace_le(c);
	eid_buf_reset(&c->resp);
	ret = eid_card_transmit(c->card, &a, &c->resp, &sw);
	if (ret < 0)
		goto out;
	ret = pace_ga_status(c, sw, last);
	if (ret < 0)
		goto out;
	eid_buf_cbs(&c->resp, &data);
	if (!eid_tlv_get(&data, 0x7C, inner) || eid_cbs_len(&data) != 0)
		ret = -EID_EPARSE;
out:
	eid_buf_free(&cmd);
	return ret;
}

/* The 7C contents must be exactly one data object with this tag. */
static int pace_get_only(eid_cbs *inner, uint32_t tag, eid_cbs *value)
{
	if (!eid_tlv_get(inner, tag, value) || eid_cbs_len(inner) != 0)
		return -EID_EPARSE;
	return 0;
}

/* Validate a public key of the chip, refuse the terminal's own key (a
 * reflection), and keep a copy in dst. */
static int pace_take_chip_key(struct pace_ctx *c, const eid_cbs *key, uint8_t *dst, size_t cap,
			      size_t *len)
{
	eid_cbs k = *key;
	size_t n = eid_cbs_len(&k);
	int ret;

	ret = eid_pace_check_pub(c->dp, eid_cbs_data(&k), n);
	if (ret < 0)
		return ret;
	if (n == c->pub.len && eid_cbs_equal(&k, c->pub.data, n))
		return -EID_EAUTH;
	if (n > cap || !eid_cbs_copy(&k, dst, n))
		return -EID_ETOOBIG;
	*len = n;
	return 0;
}

/* Step 0: MSE:Set AT 00 22 C1 A4 { 80 OID, 83 password, [84 ID], [7F4C CHAT] }. */
static int pace_mse_status(struct pace_ctx *c, enum eid_password pw, uint16_t sw)
{
	if (sw == EID_SW_OK)
		return 0;
	if ((sw & 0xFFF0) == 0x63C0) {
		c->res->retry_counter = sw & 0x0F;
		if (c->res->retry_counter == 0)
			return -EID_EBLOCKED;
		/* a PIN with one try left is suspended until PACE with the CAN */
		if (pw == EID_PW_PIN && c->res->retry_counter == 1 && !c->opts.pin_resumed)
			return -EID_ESUSPENDED;
		return 0;
	}
	if (sw == EID_SW_AUTH_BLOCKED) {
		c->res->retry_counter = 0;
		return -EID_EBLOCKED;
	}
	/* 6283 (selected file deactivated), 6984, 6985: the password is deactivated */
	if (sw == 0x6283 || sw == EID_SW_REF_DATA_UNUSABLE || sw == EID_SW_CONDITIONS)
		return -EID_EDEACTIVATED;
	return -EID_ESW;
}

static int pace_mse_set_at(struct pace_ctx *c, enum eid_password pw)
{
	struct eid_apdu a = { .cla = 0x00, .ins = 0x22, .p1 = 0xC1, .p2 = 0xA4 };
	eid_buf data = EID_BUF_INIT;
	uint8_t pwref = (uint8_t)pw, id = (uint8_t)c->dp->id;
	uint16_t sw = 0;
	int ret;

	eid_tlv_add(&data, 0x80, c->algo->oid, c->algo->oid_len);
	eid_tlv_add(&data, 0x83, &pwref, 1);
	if (c->opts.send_param_id)
		eid_tlv_add(&data, 0x84, &id, 1);
	if (c->opts.chat)
		eid_buf_add(&data, c->opts.chat, c->opts.chat_len);
	ret = eid_buf_status(&data);
	if (ret < 0)
		goto out;
	a.data = data.data;
	a.lc = data.len;
	ret = eid_card_transmit(c->card, &a, NULL, &sw);
	if (ret == 0)
		ret = pace_mse_status(c, pw, sw);
out:
	eid_buf_free(&data);
	return ret;
}

/* Step 1: GA 10 86 00 00 { 7C 00 } -> 7C { 80 z }; s = D(K_pi, z). */
static int pace_ga1_nonce(struct pace_ctx *c, const uint8_t *pw, size_t pw_len)
{
	eid_cbs inner, z;
	int ret;

	ret = eid_pace_derive_kpi(c->algo->cipher, pw, pw_len, c->kpi);
	if (ret < 0)
		return ret;
	ret = pace_ga(c, false, 0, NULL, 0, &inner);
	if (ret < 0)
		return ret;
	ret = pace_get_only(&inner, 0x80, &z);
	if (ret < 0)
		return ret;
	return eid_pace_decrypt_nonce(c->algo->cipher, c->kpi, eid_cbs_data(&z), eid_cbs_len(&z),
				      &c->s);
}

/* Step 2, generic mapping (and PACE-CAM): exchange mapping keys, H = the
 * DH / ECDH result, generator = s*G + H / g^s * h. */
static int pace_map_generic(struct pace_ctx *c)
{
	struct eid_pace_result *res = c->res;
	eid_cbs inner, chip;
	int ret;

	ret = eid_pace_keygen(c->dp, NULL, 0, c->opts.rng, &c->priv, &c->pub);
	if (ret < 0)
		return ret;
	ret = pace_ga(c, false, 0x81, c->pub.data, c->pub.len, &inner);
	if (ret < 0)
		return ret;
	ret = pace_get_only(&inner, 0x82, &chip);
	if (ret < 0)
		return ret;
	ret = pace_take_chip_key(c, &chip, res->chip_map_pub, sizeof(res->chip_map_pub),
				 &res->chip_map_pub_len);
	if (ret < 0)
		return ret;
	ret = eid_pace_agree(c->dp, c->priv.data, c->priv.len, res->chip_map_pub,
			     res->chip_map_pub_len, false, &c->shared);
	if (ret < 0)
		return ret;
	return eid_pace_map_gm(c->dp, c->s.data, c->s.len, c->shared.data, c->shared.len,
			       &c->gen);
}

/* Step 2, integrated mapping: send the nonce t; the chip answers 7C 00 (some
 * send an empty 82); generator = map(R(s, t)). */
static int pace_map_integrated(struct pace_ctx *c)
{
	uint8_t t[32];
	eid_cbs inner, v;
	int ret;

	ret = eid_random(c->opts.rng, t, c->keylen);
	if (ret < 0)
		goto out;
	ret = pace_ga(c, false, 0x81, t, c->keylen, &inner);
	if (ret < 0)
		goto out;
	if (eid_cbs_len(&inner) != 0 &&
	    (pace_get_only(&inner, 0x82, &v) < 0 || eid_cbs_len(&v) != 0)) {
		ret = -EID_EPARSE;
		goto out;
	}
	ret = eid_pace_map_im(c->dp, c->algo->cipher, c->s.data, c->s.len, t, c->keylen, &c->gen);
out:
	eid_wipe(t, sizeof(t));
	return ret;
}

static int pace_ga2_map(struct pace_ctx *c)
{
	if (c->algo->mapping == EID_PACE_IM)
		return pace_map_integrated(c);
	return pace_map_generic(c);
}

/* ID_PICC for Terminal Authentication: x-coordinate (ECDH) or the value (DH)
 * of the chip's ephemeral public key. */
static int pace_keep_id_icc(struct pace_ctx *c)
{
	struct eid_pace_result *res = c->res;
	eid_cbs k;
	size_t n = c->dp->plen;

	eid_cbs_init(&k, res->chip_eph_pub, res->chip_eph_pub_len);
	if (c->dp->ka == EID_KA_ECDH && !eid_cbs_skip(&k, 1))
		return -EID_EPARSE;
	if (n > sizeof(res->id_icc) || !eid_cbs_copy(&k, res->id_icc, n))
		return -EID_ETOOBIG;
	res->id_icc_len = n;
	return 0;
}

/* Step 3: exchange ephemeral keys on the mapped generator; K = the shared
 * secret (x-coordinate for ECDH); KSenc, KSmac from K. */
static int pace_ga3_agree(struct pace_ctx *c)
{
	struct eid_pace_result *res = c->res;
	eid_cbs inner, chip;
	int ret;

	ret = eid_pace_keygen(c->dp, c->gen.data, c->gen.len, c->opts.rng, &c->priv, &c->pub);
	if (ret < 0)
		return ret;
	ret = pace_ga(c, false, 0x83, c->pub.data, c->pub.len, &inner);
	if (ret < 0)
		return ret;
	ret = pace_get_only(&inner, 0x84, &chip);
	if (ret < 0)
		return ret;
	ret = pace_take_chip_key(c, &chip, res->chip_eph_pub, sizeof(res->chip_eph_pub),
				 &res->chip_eph_pub_len);
	if (ret < 0)
		return ret;
	ret = eid_pace_agree(c->dp, c->priv.data, c->priv.len, res->chip_eph_pub,
			     res->chip_eph_pub_len, true, &c->shared);
	if (ret < 0)
		return ret;
	ret = eid_pace_session_keys(c->algo->cipher, c->shared.data, c->shared.len, c->kenc,
				    c->kmac);
	if (ret < 0)
		return ret;
	return pace_keep_id_icc(c);
}

/* A certification authority reference: 1..31 printable ASCII characters. */
static int pace_copy_car(const eid_cbs *v, char *dst, size_t cap)
{
	eid_cbs c = *v;
	size_t n = eid_cbs_len(&c);
	uint8_t ch;

	dst[0] = '\0';
	if (n == 0 || n >= cap)
		return -EID_EPARSE;
	for (size_t i = 0; i < n; i++) {
		if (!eid_cbs_get_u8(&c, &ch) || ch < 0x20 || ch > 0x7E) {
			dst[0] = '\0';
			return -EID_EPARSE;
		}
		dst[i] = (char)ch;
	}
	dst[n] = '\0';
	return 0;
}

/* The GA 4 response: 7C { 86 T_IC, [87 CAR1], [88 CAR2], 8A A_IC (CAM only) }. */
static int pace_parse_ga4(struct pace_ctx *c, eid_cbs *inner, eid_cbs *t_ic, eid_cbs *a_ic)
{
	eid_cbs car;
	bool present;
	int ret;

	if (!eid_tlv_get(inner, 0x86, t_ic) || eid_cbs_len(t_ic) != 8)
		return -EID_EPARSE;
	if (!eid_tlv_get_optional(inner, 0x87, &car, &present))
		return -EID_EPARSE;
	if (present && (ret = pace_copy_car(&car, c->res->car1, sizeof(c->res->car1))) < 0)
		return ret;
	if (!eid_tlv_get_optional(inner, 0x88, &car, &present))
		return -EID_EPARSE;
	if (present && (ret = pace_copy_car(&car, c->res->car2, sizeof(c->res->car2))) < 0)
		return ret;
	if (c->algo->mapping == EID_PACE_CAM && !eid_tlv_get(inner, 0x8A, a_ic))
		return -EID_EPARSE;
	if (eid_cbs_len(inner) != 0)
		return -EID_EPARSE;
	return 0;
}

/* PACE-CAM: decrypt the chip authentication data (checked against the chip's
 * static key later, by eid_pace_cam_verify()). */
static int pace_cam_data(struct pace_ctx *c, const eid_cbs *a_ic)
{
	struct eid_pace_result *res = c->res;
	size_t n = eid_cbs_len(a_ic);

	if (n > sizeof(res->ca_ic))
		return -EID_ETOOBIG;
	return eid_pace_cam_decrypt(c->algo->cipher, c->kenc, eid_cbs_data(a_ic), n, res->ca_ic,
				    &res->ca_ic_len);
}

/* Step 4: T_IFD over the chip's ephemeral key -> T_IC over ours, compared
 * in constant time. */
static int pace_ga4_authenticate(struct pace_ctx *c)
{
	struct eid_pace_result *res = c->res;
	uint8_t t_ifd[8], t_ic[8];
	eid_cbs inner, chip_t, a_ic;
	int ret;

	ret = eid_pace_token(c->algo, c->kmac, res->chip_eph_pub, res->chip_eph_pub_len, t_ifd);
	if (ret < 0)
		goto out;
	ret = pace_ga(c, true, 0x85, t_ifd, sizeof(t_ifd), &inner);
	if (ret < 0)
		goto out;
	ret = pace_parse_ga4(c, &inner, &chip_t, &a_ic);
	if (ret < 0)
		goto out;
	ret = eid_pace_token(c->algo, c->kmac, c->pub.data, c->pub.len, t_ic);
	if (ret < 0)
		goto out;
	if (!eid_ct_equal(t_ic, eid_cbs_data(&chip_t), sizeof(t_ic))) {
		ret = -EID_EAUTH;
		goto out;
	}
	if (c->algo->mapping == EID_PACE_CAM)
		ret = pace_cam_data(c, &a_ic);
out:
	eid_wipe(t_ifd, sizeof(t_ifd));
	eid_wipe(t_ic, sizeof(t_ic));
	return ret;
}

int eid_pace_run(struct eid_card *card, const struct eid_pace_algo *algo, int param_id,
		 enum eid_password pw_type, const uint8_t *pw, size_t pw_len,
		 const struct eid_pace_opts *opts, struct eid_pace_result *res)
{
	struct pace_ctx c;
	int ret;

	if (!res)
		return -EID_EINVAL;
	memset(res, 0, sizeof(*res));
	res->retry_counter = -1;
	res->param_id = param_id;
	if (!card || !algo || !pw || pw_len == 0 || pw_type < EID_PW_MRZ || pw_type > EID_PW_PUK)
		return -EID_EINVAL;
	res->algo = *algo;

	ret = pace_ctx_init(&c, card, algo, param_id, opts, res);
	if (ret == 0)
		ret = pace_mse_set_at(&c, pw_type);
	if (ret == 0)
		ret = pace_ga1_nonce(&c, pw, pw_len);
	if (ret == 0)
		ret = pace_ga2_map(&c);
	if (ret == 0)
		ret = pace_ga3_agree(&c);
	if (ret == 0)
		ret = pace_ga4_authenticate(&c);
	if (ret == 0)
		ret = eid_sm_init(&res->sm, algo->cipher, c.kenc, c.kmac, NULL);

	pace_ctx_clear(&c);
	if (ret < 0)
		eid_sm_clear(&res->sm);
	return ret;
}

/* ---- after the run ---- */

int eid_pace_cam_verify(const struct eid_pace_result *res, const uint8_t *pk_ic, size_t n)
{
	struct eid_pace_dp *dp = NULL;
	eid_buf prod = EID_BUF_INIT;
	eid_cbs ca;
	uint8_t lead;
	int ret;

	if (!res || (!pk_ic && n))
		return -EID_EINVAL;
	if (res->algo.mapping != EID_PACE_CAM || res->ca_ic_len == 0 ||
	    res->chip_map_pub_len == 0)
		return -EID_ESTATE;
	ret = eid_pace_dp_new(res->param_id, &dp);
	if (ret < 0)
		goto out;
	ret = eid_pace_check_pub(dp, pk_ic, n);
	if (ret < 0)
		goto out;
	/* CA_IC * PK_IC == PK_Map,IC; a CA_IC out of range cannot match.  Leading
	 * zero bytes beyond the order's length are tolerated. */
	eid_cbs_init(&ca, res->ca_ic, res->ca_ic_len);
	while (eid_cbs_len(&ca) > dp->qlen && eid_cbs_peek_u8(&ca, &lead) && lead == 0)
		eid_cbs_skip(&ca, 1);
	ret = eid_pace_agree(dp, eid_cbs_data(&ca), eid_cbs_len(&ca), pk_ic, n, false, &prod);
	if (ret == -EID_EINVAL) {
		ret = -EID_EAUTH;
		goto out;
	}
	if (ret < 0)
		goto out;
	if (prod.len != res->chip_map_pub_len ||
	    !eid_ct_equal(prod.data, res->chip_map_pub, prod.len))
		ret = -EID_EAUTH;
out:
	eid_buf_free(&prod);
	eid_pace_dp_free(dp);
	return ret;
}

void eid_pace_result_clear(struct eid_pace_result *res)
{
	if (!res)
		return;
	eid_sm_clear(&res->sm);
	eid_wipe(res, sizeof(*res));
	res->retry_counter = -1;
}
