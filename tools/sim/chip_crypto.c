/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip's own group arithmetic, on OpenSSL 3 (EC_POINT, BIGNUM; no
 * deprecated API), written apart from proto/pace_dp.c so that each side
 * checks the other:
 *   - standardized domain parameters (BSI TR-03110-3 table 4) and the
 *     group of a chip key;
 *   - checks of the terminal's public keys before anything uses them
 *     (OpenPACE would log its own failures to stderr);
 *   - ECDH for Chip Authentication;
 *   - the PACE authentication token (ICAO 9303-11 4.4.3.4);
 *   - PACE-CAM's chip authentication data (ICAO 9303-11 4.4.3.5).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/params.h>

#include "sim.h"
#include "tlv.h"

/* ---- groups ---- */

static const struct {
	int id;
	int nid;              /* EC curve */
	const char *dh_name;  /* OpenSSL's name of the RFC 5114 group */
} std_params[] = {
	{ 0, NID_undef, "dh_1024_160" },
	{ 1, NID_undef, "dh_2048_224" },
	{ 2, NID_undef, "dh_2048_256" },
	{ 8, NID_X9_62_prime192v1, NULL },
	{ 9, NID_brainpoolP192r1, NULL },
	{ 10, NID_secp224r1, NULL },
	{ 11, NID_brainpoolP224r1, NULL },
	{ 12, NID_X9_62_prime256v1, NULL },
	{ 13, NID_brainpoolP256r1, NULL },
	{ 14, NID_brainpoolP320r1, NULL },
	{ 15, NID_secp384r1, NULL },
	{ 16, NID_brainpoolP384r1, NULL },
	{ 17, NID_brainpoolP512r1, NULL },
	{ 18, NID_secp521r1, NULL },
};

static int group_alloc(struct sim_group **out)
{
	struct sim_group *g = OPENSSL_zalloc(sizeof(*g));

	*out = NULL;
	if (!g)
		return -EID_ENOMEM;
	g->param_id = -1;
	if (!(g->bn = BN_CTX_new())) {
		OPENSSL_free(g);
		return -EID_ENOMEM;
	}
	*out = g;
	return 0;
}

static int group_ec(struct sim_group *g, int nid)
{
	if (!(g->ec = EC_GROUP_new_by_curve_name(nid)) || !(g->p = BN_new()) ||
	    !EC_GROUP_get_curve(g->ec, g->p, NULL, NULL, g->bn) ||
	    !(g->q = BN_dup(EC_GROUP_get0_order(g->ec))))
		return -EID_ECRYPTO;
	g->plen = (size_t)BN_num_bytes(g->p);
	g->qlen = (size_t)BN_num_bytes(g->q);
	return 0;
}

/* p and q of an RFC 5114 group, from OpenSSL's built-in parameters. */
static int group_dh(struct sim_group *g, const char *name)
{
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DHX", NULL);
	EVP_PKEY *key = NULL;
	int r = -EID_ECRYPTO;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!pc || EVP_PKEY_paramgen_init(pc) <= 0 || EVP_PKEY_CTX_set_params(pc, params) <= 0 ||
	    EVP_PKEY_paramgen(pc, &key) <= 0 ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_P, &g->p) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_Q, &g->q))
		goto out;
	g->dh = true;
	g->plen = (size_t)BN_num_bytes(g->p);
	g->qlen = (size_t)BN_num_bytes(g->q);
	r = 0;
out:
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(pc);
	return r;
}

int sim_group_new(int param_id, struct sim_group **out)
{
	struct sim_group *g;
	int r;

	*out = NULL;
	if ((r = group_alloc(&g)) < 0)
		return r;
	r = -EID_ENOTSUP;
	for (size_t i = 0; i < sizeof(std_params) / sizeof(std_params[0]); i++) {
		if (std_params[i].id != param_id)
			continue;
		g->param_id = param_id;
		r = std_params[i].dh_name ? group_dh(g, std_params[i].dh_name)
					  : group_ec(g, std_params[i].nid);
		break;
	}
	if (r < 0) {
		sim_group_free(g);
		return r;
	}
	*out = g;
	return 0;
}

int sim_group_from_key(EVP_PKEY *key, struct sim_group **out)
{
	char name[80];
	struct sim_group *g;
	int nid, r;

	*out = NULL;
	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
					    NULL) ||
	    (nid = OBJ_sn2nid(name)) == NID_undef)
		return -EID_ENOTSUP;
	if ((r = group_alloc(&g)) < 0)
		return r;
	if ((r = group_ec(g, nid)) < 0) {
		sim_group_free(g);
		return r;
	}
	for (size_t i = 0; i < sizeof(std_params) / sizeof(std_params[0]); i++)
		if (std_params[i].nid == nid)
			g->param_id = std_params[i].id;
	*out = g;
	return 0;
}

void sim_group_free(struct sim_group *g)
{
	if (!g)
		return;
	EC_GROUP_free(g->ec);
	BN_free(g->p);
	BN_free(g->q);
	BN_CTX_free(g->bn);
	OPENSSL_free(g);
}

size_t sim_group_elem_len(const struct sim_group *g)
{
	return g->dh ? g->plen : 1 + 2 * g->plen;
}

/* ---- public keys of the terminal ---- */

static EC_POINT *point_decode(const struct sim_group *g, const uint8_t *pub, size_t n)
{
	EC_POINT *pt;

	if (g->dh || n != sim_group_elem_len(g) || pub[0] != 0x04 || !(pt = EC_POINT_new(g->ec)))
		return NULL;
	if (EC_POINT_oct2point(g->ec, pt, pub, n, g->bn) == 1 &&
	    EC_POINT_is_on_curve(g->ec, pt, g->bn) == 1 && !EC_POINT_is_at_infinity(g->ec, pt))
		return pt;
	EC_POINT_free(pt);
	return NULL;
}

static bool dh_pub_ok(const struct sim_group *g, const uint8_t *pub, size_t n)
{
	BIGNUM *y = NULL, *pm1 = NULL, *t = NULL;
	bool ok = false;

	if (n != g->plen)
		return false;
	y = BN_bin2bn(pub, (int)n, NULL);
	pm1 = BN_dup(g->p);
	t = BN_new();
	if (!y || !pm1 || !t || !BN_sub_word(pm1, 1))
		goto out;
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0)
		goto out;
	ok = BN_mod_exp(t, y, g->q, g->p, g->bn) && BN_is_one(t);
out:
	BN_free(y);
	BN_free(pm1);
	BN_free(t);
	return ok;
}

bool sim_group_pub_ok(const struct sim_group *g, const uint8_t *pub, size_t n)
{
	EC_POINT *pt;

	if (!g || !pub)
		return false;
	if (g->dh)
		return dh_pub_ok(g, pub, n);
	if (!(pt = point_decode(g, pub, n)))
		return false;
	EC_POINT_free(pt);
	return true;
}

int sim_ecdh_x(const struct sim_group *g, const BIGNUM *priv, const uint8_t *peer, size_t n,
	       eid_buf *x)
{
	EC_POINT *pt = point_decode(g, peer, n), *k = NULL;
	BIGNUM *bx = BN_new();
	uint8_t *dst;
	int r = -EID_EPARSE;

	if (!pt || !bx)
		goto out;
	r = -EID_ECRYPTO;
	if (!(k = EC_POINT_new(g->ec)) || !EC_POINT_mul(g->ec, k, NULL, pt, priv, g->bn) ||
	    EC_POINT_is_at_infinity(g->ec, k) ||
	    !EC_POINT_get_affine_coordinates(g->ec, k, bx, NULL, g->bn))
		goto out;
	if (!(dst = eid_buf_add_space(x, g->plen))) {
		r = -EID_ENOMEM;
		goto out;
	}
	r = BN_bn2binpad(bx, dst, (int)g->plen) == (int)g->plen ? 0 : -EID_ECRYPTO;
out:
	EC_POINT_clear_free(k);
	EC_POINT_free(pt);
	BN_clear_free(bx);
	return r;
}

int sim_key_priv(EVP_PKEY *key, BIGNUM **priv)
{
	*priv = NULL;
	return EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, priv) ? 0 : -EID_ECRYPTO;
}

/* ---- PACE: protocol OID and authentication token ---- */

int sim_pace_oid(const struct sim_pace_info *info, uint8_t oid[10])
{
	static const uint8_t prefix[8] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04 };
	uint8_t family, cipher;

	switch (info->mapping) {
	case EID_PACE_GM:
		family = info->ka == EID_KA_DH ? 1 : 2;
		break;
	case EID_PACE_IM:
		family = info->ka == EID_KA_DH ? 3 : 4;
		break;
	case EID_PACE_CAM:
		if (info->ka != EID_KA_ECDH || info->cipher == EID_CIPHER_3DES)
			return -EID_ENOTSUP;
		family = 6;
		break;
	default:
		return -EID_ENOTSUP;
	}
	switch (info->cipher) {
	case EID_CIPHER_3DES: cipher = 1; break;
	case EID_CIPHER_AES128: cipher = 2; break;
	case EID_CIPHER_AES192: cipher = 3; break;
	case EID_CIPHER_AES256: cipher = 4; break;
	default: return -EID_ENOTSUP;
	}
	memcpy(oid, prefix, sizeof(prefix));
	oid[8] = family;
	oid[9] = cipher;
	return 0;
}

int sim_pace_token(enum eid_cipher c, const uint8_t *kmac, const uint8_t *oid, size_t oid_len,
		   bool dh, const uint8_t *pub, size_t n, uint8_t out[8])
{
	eid_buf in = EID_BUF_INIT;
	size_t mark;
	int r;

	mark = eid_tlv_begin(&in, 0x7F49);
	eid_tlv_add(&in, 0x06, oid, oid_len);
	eid_tlv_add(&in, dh ? 0x84 : 0x86, pub, n);
	eid_tlv_end(&in, mark);
	if ((r = eid_buf_status(&in)) == 0 && c == EID_CIPHER_3DES)
		r = eid_pad(&in, 8);
	if (r == 0)
		r = eid_cipher_mac8(c, kmac, in.data, in.len, out);
	eid_buf_free(&in);
	return r;
}

/* ---- PACE-CAM ---- */

int sim_cam_ca_ic(const struct sim_group *g, const BIGNUM *sk_map, const BIGNUM *sk_ic,
		  eid_buf *ca_ic)
{
	BIGNUM *inv = BN_secure_new(), *ca = BN_secure_new();
	uint8_t *dst;
	int r = -EID_ECRYPTO;

	if (!inv || !ca || g->dh || BN_is_zero(sk_ic))
		goto out;
	if (!BN_mod_inverse(inv, sk_ic, g->q, g->bn) || !BN_mod_mul(ca, sk_map, inv, g->q, g->bn))
		goto out;
	if (!(dst = eid_buf_add_space(ca_ic, g->qlen))) {
		r = -EID_ENOMEM;
		goto out;
	}
	r = BN_bn2binpad(ca, dst, (int)g->qlen) == (int)g->qlen ? 0 : -EID_ECRYPTO;
out:
	BN_clear_free(inv);
	BN_clear_free(ca);
	return r;
}

int sim_cam_encrypt(enum eid_cipher c, const uint8_t *kenc, const uint8_t *ca_ic, size_t n,
		    eid_buf *a_ic)
{
	static const uint8_t ff[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	size_t keylen = eid_cipher_keylen(c);
	uint8_t iv[16], *dst;
	eid_buf p;
	int r;

	if (c == EID_CIPHER_3DES || !keylen)
		return -EID_ENOTSUP;
	eid_buf_init_secret(&p);
	eid_buf_add(&p, ca_ic, n);
	if ((r = eid_pad(&p, 16)) < 0 || (r = eid_aes_encrypt_block(kenc, keylen, ff, iv)) < 0)
		goto out;
	if (!(dst = eid_buf_add_space(a_ic, p.len))) {
		r = -EID_ENOMEM;
		goto out;
	}
	r = eid_aes_cbc(kenc, keylen, iv, true, p.data, p.len, dst);
out:
	eid_wipe(iv, sizeof(iv));
	eid_buf_free(&p);
	return r;
}
