/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card-verifiable certificates: strict parsing (TR-03110-3 C.1), public
 * keys as EVP_PKEY, signature checks and chain verification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "cvc.h"
#include "tlv.h"

/* id-TA: 0.4.0.127.0.7.2.2.2 */
static const uint8_t id_ta[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02 };
/* id-roles: 0.4.0.127.0.7.3.1.2 (terminal types IS 1, AT 2, ST 3) */
static const uint8_t id_roles[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02 };

/* Limits on key sizes: far above anything in use, low enough that hostile
 * parameters cannot make the crypto library work for long. */
#define EC_MAX_FIELD 66   /* 521 bits */
#define RSA_MAX_MOD  512  /* 4096 bits */
#define RSA_MAX_EXP  8

int eid_cvc_ta_algorithm(const uint8_t *oid, size_t n, enum eid_cvc_sig_scheme *scheme,
			 const char **md)
{
	static const char *const ecdsa_md[] = { NULL, "SHA1", "SHA224", "SHA256", "SHA384",
						"SHA512" };
	static const struct {
		enum eid_cvc_sig_scheme scheme;
		const char *md;
	} rsa[] = {
		{ EID_CVC_SIG_NONE, NULL },
		{ EID_CVC_SIG_RSA_V15, "SHA1" },
		{ EID_CVC_SIG_RSA_V15, "SHA256" },
		{ EID_CVC_SIG_RSA_PSS, "SHA1" },
		{ EID_CVC_SIG_RSA_PSS, "SHA256" },
		{ EID_CVC_SIG_RSA_V15, "SHA512" },
		{ EID_CVC_SIG_RSA_PSS, "SHA512" },
	};
	uint8_t kind, x;

	if (!oid || n != sizeof(id_ta) + 2 || memcmp(oid, id_ta, sizeof(id_ta)) != 0)
		return -EID_ENOTSUP;
	kind = oid[sizeof(id_ta)];
	x = oid[sizeof(id_ta) + 1];
	if (kind == 2 && x >= 1 && x <= 5) {
		*scheme = EID_CVC_SIG_ECDSA;
		*md = ecdsa_md[x];
		return 0;
	}
	if (kind == 1 && x >= 1 && x <= 6) {
		*scheme = rsa[x].scheme;
		*md = rsa[x].md;
		return 0;
	}
	return -EID_ENOTSUP;
}

/* ---- ECDSA signature formats ------------------------------------------------- */

int eid_cvc_ecdsa_plain_to_der(const uint8_t *sig, size_t n, eid_buf *out)
{
	size_t mark;

	if (!sig || n == 0 || n % 2 != 0 || n > 2 * 132)
		return -EID_EPARSE;
	mark = eid_tlv_begin(out, 0x30);
	eid_der_add_uint_bytes(out, sig, n / 2);
	eid_der_add_uint_bytes(out, sig + n / 2, n / 2);
	eid_tlv_end(out, mark);
	return eid_buf_status(out);
}

static int add_padded(eid_buf *out, const eid_cbs *v, size_t half)
{
	if (eid_cbs_len(v) > half)
		return -EID_EPARSE;
	eid_buf_add_zeros(out, half - eid_cbs_len(v));
	eid_buf_add_cbs(out, v);
	return eid_buf_status(out);
}

int eid_cvc_ecdsa_der_to_plain(const uint8_t *der, size_t n, size_t half, eid_buf *out)
{
	eid_cbs in, seq, r, s;
	int ret;

	eid_cbs_init(&in, der, n);
	if (!eid_der_get(&in, 0x30, &seq) || eid_cbs_len(&in) != 0 ||
	    !eid_der_get_uint_bytes(&seq, &r) || !eid_der_get_uint_bytes(&seq, &s) ||
	    eid_cbs_len(&seq) != 0)
		return -EID_EPARSE;
	ret = add_padded(out, &r, half);
	if (ret == 0)
		ret = add_padded(out, &s, half);
	return ret;
}

/* ---- parsing ------------------------------------------------------------------- */

static bool printable(const eid_cbs *v)
{
	eid_cbs c = *v;
	uint8_t b;

	while (eid_cbs_get_u8(&c, &b))
		if (b < 0x20 || b > 0x7E)
			return false;
	return true;
}

/* A reference (CAR/CHR): 1..16 printable characters. */
static int get_ref(eid_cbs *in, uint32_t tag, char out[17])
{
	eid_cbs v;

	if (!eid_der_get(in, tag, &v) || eid_cbs_len(&v) == 0 || eid_cbs_len(&v) > 16 ||
	    !printable(&v))
		return -EID_EPARSE;
	memset(out, 0, 17);
	eid_cbs_copy(&v, (uint8_t *)out, eid_cbs_len(&v));
	return 0;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Six digits YYMMDD (one per byte), a real calendar date of 20YY. */
static int get_date(eid_cbs *in, uint32_t tag, char text[11], time_t *t, bool end_of_day)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	uint8_t d[6];
	eid_cbs v;
	struct tm tm;
	int y, m, day;

	if (!eid_der_get(in, tag, &v) || eid_cbs_len(&v) != 6 || !eid_cbs_copy(&v, d, 6))
		return -EID_EPARSE;
	for (size_t i = 0; i < 6; i++)
		if (d[i] > 9)
			return -EID_EPARSE;
	y = 2000 + d[0] * 10 + d[1];
	m = d[2] * 10 + d[3];
	day = d[4] * 10 + d[5];
	if (m < 1 || m > 12 || day < 1 ||
	    day > mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0))
		return -EID_EPARSE;
	memcpy(text, "20", 2);
	for (size_t i = 0; i < 6; i++)
		text[2 + i + i / 2] = (char)('0' + d[i]);
	text[4] = '-';
	text[7] = '-';
	text[10] = '\0';
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = day;
	if (end_of_day) {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
	}
	*t = timegm(&tm);
	return 0;
}

static int set_buf(eid_buf *b, const eid_cbs *v)
{
	return eid_buf_set(b, eid_cbs_data(v), eid_cbs_len(v));
}

/* A positive integer component (no empty value). */
static int get_component(eid_cbs *in, uint32_t tag, size_t max, eid_buf *out)
{
	eid_cbs v;

	if (!eid_der_get(in, tag, &v) || eid_cbs_len(&v) == 0 || eid_cbs_len(&v) > max)
		return -EID_EPARSE;
	return set_buf(out, &v);
}

static int parse_pubkey(struct eid_cvc *c, eid_cbs *pk)
{
	enum eid_cvc_sig_scheme scheme;
	const char *md;
	eid_cbs oid;
	uint32_t tag;
	int ret;

	if (!eid_der_get(pk, 0x06, &oid) || eid_cbs_len(&oid) == 0 ||
	    eid_cbs_len(&oid) > sizeof(c->pk_oid))
		return -EID_EPARSE;
	c->pk_oid_len = eid_cbs_len(&oid);
	eid_cbs_copy(&oid, c->pk_oid, c->pk_oid_len);
	ret = eid_cvc_ta_algorithm(c->pk_oid, c->pk_oid_len, &scheme, &md);
	if (ret < 0)
		return -EID_EPARSE;
	if (scheme == EID_CVC_SIG_ECDSA) {
		c->pk_is_ec = true;
		if (!eid_tlv_peek_tag(pk, &tag))
			return -EID_EPARSE;
		if (tag == 0x81) {
			/* domain parameters 81..85, point 86, cofactor 87 */
			c->pk_has_domain = true;
			if ((ret = get_component(pk, 0x81, EC_MAX_FIELD, &c->pk_p)) < 0 ||
			    (ret = get_component(pk, 0x82, EC_MAX_FIELD, &c->pk_a)) < 0 ||
			    (ret = get_component(pk, 0x83, EC_MAX_FIELD, &c->pk_b)) < 0 ||
			    (ret = get_component(pk, 0x84, 2 * EC_MAX_FIELD + 1, &c->pk_g)) < 0 ||
			    (ret = get_component(pk, 0x85, EC_MAX_FIELD + 1, &c->pk_r)) < 0 ||
			    (ret = get_component(pk, 0x86, 2 * EC_MAX_FIELD + 1, &c->pk_y)) < 0 ||
			    (ret = get_component(pk, 0x87, 8, &c->pk_f)) < 0)
				return ret;
		} else if ((ret = get_component(pk, 0x86, 2 * EC_MAX_FIELD + 1, &c->pk_y)) < 0) {
			return ret;
		}
	} else {
		if ((ret = get_component(pk, 0x81, RSA_MAX_MOD, &c->pk_n)) < 0 ||
		    (ret = get_component(pk, 0x82, RSA_MAX_EXP, &c->pk_e)) < 0)
			return ret;
	}
	return eid_cbs_len(pk) == 0 ? 0 : -EID_EPARSE;
}

static int parse_chat(struct eid_cvc *c, const eid_cbs *element)
{
	eid_cbs in = *element, chat, oid, bits;
	uint8_t type;

	if (eid_cbs_len(element) > sizeof(c->chat))
		return -EID_EPARSE;
	c->chat_len = eid_cbs_len(element);
	memcpy(c->chat, eid_cbs_data(element), c->chat_len);
	if (!eid_der_get(&in, 0x7F4C, &chat) || !eid_der_get(&chat, 0x06, &oid) ||
	    !eid_der_get(&chat, 0x53, &bits) || eid_cbs_len(&chat) != 0)
		return -EID_EPARSE;
	if (eid_cbs_len(&oid) != sizeof(id_roles) + 1 ||
	    memcmp(eid_cbs_data(&oid), id_roles, sizeof(id_roles)) != 0)
		return -EID_EPARSE;
	type = eid_cbs_data(&oid)[sizeof(id_roles)];
	switch (type) {
	case 1:
		c->type = EID_CVC_TYPE_IS;
		break;
	case 2:
		c->type = EID_CVC_TYPE_AT;
		break;
	case 3:
		c->type = EID_CVC_TYPE_ST;
		break;
	default:
		return -EID_EPARSE;
	}
	if (eid_cbs_len(&bits) != (c->type == EID_CVC_TYPE_AT ? 5u : 1u))
		return -EID_EPARSE;
	c->bitmap_len = eid_cbs_len(&bits);
	eid_cbs_copy(&bits, c->bitmap, c->bitmap_len);
	c->role = (enum eid_cvc_role)(c->bitmap[0] >> 6);
	c->rights = c->bitmap[0] & 0x3F;
	for (size_t i = 1; i < c->bitmap_len; i++)
		c->rights = (c->rights << 8) | c->bitmap[i];
	return 0;
}

/* 65 { 73 { 06 OID, ... } ... }: kept as is, only its shape is checked. */
static int parse_extensions(struct eid_cvc *c, const eid_cbs *ext)
{
	eid_cbs in = *ext, ddt, oid;

	while (eid_cbs_len(&in)) {
		if (!eid_der_get(&in, 0x73, &ddt) || !eid_der_get_oid(&ddt, &oid))
			return -EID_EPARSE;
	}
	return set_buf(&c->ext, ext);
}

static int parse_body(struct eid_cvc *c, eid_cbs *body)
{
	eid_cbs v, chat;
	uint8_t profile;
	bool present;
	int ret;

	if (!eid_der_get(body, 0x5F29, &v) || eid_cbs_len(&v) != 1 ||
	    !eid_cbs_get_u8(&v, &profile) || profile != 0)
		return -EID_EPARSE;
	if ((ret = get_ref(body, 0x42, c->car)) < 0)
		return ret;
	if (!eid_der_get(body, 0x7F49, &v) || (ret = parse_pubkey(c, &v)) < 0)
		return ret < 0 ? ret : -EID_EPARSE;
	if ((ret = get_ref(body, 0x5F20, c->chr)) < 0)
		return ret;
	{
		uint32_t tag;

		if (!eid_der_get_element(body, &tag, &chat) || tag != 0x7F4C)
			return -EID_EPARSE;
	}
	if ((ret = parse_chat(c, &chat)) < 0)
		return ret;
	if ((ret = get_date(body, 0x5F25, c->effective, &c->effective_t, false)) < 0 ||
	    (ret = get_date(body, 0x5F24, c->expiration, &c->expiration_t, true)) < 0)
		return ret;
	if (c->expiration_t < c->effective_t)
		return -EID_EPARSE;
	if (!eid_tlv_get_optional(body, 0x65, &v, &present))
		return -EID_EPARSE;
	if (present && (ret = parse_extensions(c, &v)) < 0)
		return ret;
	return eid_cbs_len(body) == 0 ? 0 : -EID_EPARSE;
}

int eid_cvc_parse(const uint8_t *der, size_t n, struct eid_cvc **out)
{
	struct eid_cvc *c = NULL;
	eid_cbs in, cert, body_el, body, sig;
	uint32_t tag;
	int ret;

	if (!out || (!der && n))
		return -EID_EINVAL;
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -EID_ENOMEM;
	eid_buf_init(&c->pk_p);
	eid_buf_init(&c->pk_a);
	eid_buf_init(&c->pk_b);
	eid_buf_init(&c->pk_g);
	eid_buf_init(&c->pk_r);
	eid_buf_init(&c->pk_f);
	eid_buf_init(&c->pk_y);
	eid_buf_init(&c->pk_n);
	eid_buf_init(&c->pk_e);
	eid_buf_init(&c->body);
	eid_buf_init(&c->signature);
	eid_buf_init(&c->der);
	eid_buf_init(&c->ext);

	eid_cbs_init(&in, der, n);
	if (!eid_der_get(&in, 0x7F21, &cert) || eid_cbs_len(&in) != 0) {
		ret = -EID_EPARSE;
		goto out;
	}
	if ((ret = eid_buf_set(&c->der, der, n)) < 0)
		goto out;
	if (!eid_der_get_element(&cert, &tag, &body_el) || tag != 0x7F4E ||
	    !eid_der_get(&cert, 0x5F37, &sig) || eid_cbs_len(&sig) == 0 ||
	    eid_cbs_len(&cert) != 0) {
		ret = -EID_EPARSE;
		goto out;
	}
	if ((ret = set_buf(&c->body, &body_el)) < 0 || (ret = set_buf(&c->signature, &sig)) < 0)
		goto out;
	in = body_el;
	if (!eid_der_get(&in, 0x7F4E, &body)) {
		ret = -EID_EPARSE;
		goto out;
	}
	ret = parse_body(c, &body);
out:
	if (ret < 0)
		eid_cvc_free(c);
	else
		*out = c;
	return ret;
}

void eid_cvc_free(struct eid_cvc *c)
{
	if (!c)
		return;
	eid_buf_free(&c->pk_p);
	eid_buf_free(&c->pk_a);
	eid_buf_free(&c->pk_b);
	eid_buf_free(&c->pk_g);
	eid_buf_free(&c->pk_r);
	eid_buf_free(&c->pk_f);
	eid_buf_free(&c->pk_y);
	eid_buf_free(&c->pk_n);
	eid_buf_free(&c->pk_e);
	eid_buf_free(&c->body);
	eid_buf_free(&c->signature);
	eid_buf_free(&c->der);
	eid_buf_free(&c->ext);
	free(c);
}

bool eid_cvc_valid_at(const struct eid_cvc *c, time_t at)
{
	return c && c->effective_t <= at && at <= c->expiration_t;
}

bool eid_cvc_ref_equal(const char *a, const char *b)
{
	return a && b && a[0] && strcmp(a, b) == 0;
}

/* ---- public keys ------------------------------------------------------------------ */

static BIGNUM *bn_of(const eid_buf *b)
{
	return BN_bin2bn(b->data, (int)b->len, NULL);
}

static int pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int ret = -EID_ECRYPTO;

	params = OSSL_PARAM_BLD_to_param(bld);
	pctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) != 1)
		goto out;
	/* an invalid key (a point not on the curve) is the certificate's fault */
	ret = EVP_PKEY_fromdata(pctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1 ? 0 : -EID_EPARSE;
out:
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	return ret;
}

static int ec_pubkey(const struct eid_cvc *c, const struct eid_cvc *d, EVP_PKEY **out)
{
	BIGNUM *p = NULL, *a = NULL, *b = NULL, *r = NULL, *f = NULL;
	EC_GROUP *group = NULL;
	EC_POINT *gen = NULL;
	BN_CTX *bn = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	int nid, ret = -EID_ECRYPTO;

	bn = BN_CTX_new();
	bld = OSSL_PARAM_BLD_new();
	p = bn_of(&d->pk_p);
	a = bn_of(&d->pk_a);
	b = bn_of(&d->pk_b);
	r = bn_of(&d->pk_r);
	f = bn_of(&d->pk_f);
	if (!bn || !bld || !p || !a || !b || !r || !f)
		goto out;
	/* the field must be an odd prime-sized modulus above 3 (cheap checks;
	 * the curve equation and the points are checked by the library) */
	if (!BN_is_odd(p) || BN_num_bits(p) < 32 || BN_is_zero(r) || BN_is_zero(f)) {
		ret = -EID_EPARSE;
		goto out;
	}
	group = EC_GROUP_new_curve_GFp(p, a, b, bn);
	if (!group) {
		ret = -EID_EPARSE;
		goto out;
	}
	gen = EC_POINT_new(group);
	if (!gen || EC_POINT_oct2point(group, gen, d->pk_g.data, d->pk_g.len, bn) != 1 ||
	    EC_GROUP_set_generator(group, gen, r, f) != 1) {
		ret = -EID_EPARSE;
		goto out;
	}
	nid = EC_GROUP_check_named_curve(group, 0, bn);
	if (nid > 0 && OBJ_nid2sn(nid)) {
		const char *name = OBJ_nid2sn(nid);

		if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, name, 0))
			goto out;
	} else if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_EC_FIELD_TYPE,
						     SN_X9_62_prime_field, 0) ||
		   !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_P, p) ||
		   !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_A, a) ||
		   !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_B, b) ||
		   !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_EC_GENERATOR,
						     d->pk_g.data, d->pk_g.len) ||
		   !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_ORDER, r) ||
		   !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_EC_COFACTOR, f)) {
		goto out;
	}
	if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, c->pk_y.data,
					      c->pk_y.len))
		goto out;
	ret = pkey_fromdata("EC", bld, out);
out:
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(gen);
	EC_GROUP_free(group);
	BN_free(p);
	BN_free(a);
	BN_free(b);
	BN_free(r);
	BN_free(f);
	BN_CTX_free(bn);
	return ret;
}

static int rsa_pubkey(const struct eid_cvc *c, EVP_PKEY **out)
{
	BIGNUM *n = bn_of(&c->pk_n), *e = bn_of(&c->pk_e);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	int ret = -EID_ECRYPTO;

	if (!n || !e || !bld)
		goto out;
	if (BN_num_bits(n) < 512 || !BN_is_odd(n) || !BN_is_odd(e) || BN_is_one(e)) {
		ret = -EID_EPARSE;
		goto out;
	}
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	ret = pkey_fromdata("RSA", bld, out);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ret;
}

int eid_cvc_pubkey(const struct eid_cvc *c, const struct eid_cvc *domain, EVP_PKEY **out)
{
	enum eid_cvc_sig_scheme scheme;
	const char *md;

	if (!c || !out)
		return -EID_EINVAL;
	*out = NULL;
	if (eid_cvc_ta_algorithm(c->pk_oid, c->pk_oid_len, &scheme, &md) < 0)
		return -EID_ENOTSUP;
	if (!c->pk_is_ec)
		return rsa_pubkey(c, out);
	if (c->pk_has_domain)
		domain = c;
	if (!domain || !domain->pk_is_ec || !domain->pk_has_domain)
		return -EID_EINVAL;
	return ec_pubkey(c, domain, out);
}

/* ---- signatures ------------------------------------------------------------------ */

int eid_cvc_verify_signature(const struct eid_cvc *c, const struct eid_cvc *issuer,
			     const struct eid_cvc *domain)
{
	enum eid_cvc_sig_scheme scheme;
	const char *md;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	eid_buf der = EID_BUF_INIT;
	const uint8_t *sig;
	size_t siglen;
	int ret;

	if (!c || !issuer)
		return -EID_EINVAL;
	if ((ret = eid_cvc_ta_algorithm(issuer->pk_oid, issuer->pk_oid_len, &scheme, &md)) < 0)
		return ret;
	if ((ret = eid_cvc_pubkey(issuer, domain, &key)) < 0)
		return ret;
	sig = c->signature.data;
	siglen = c->signature.len;
	if (scheme == EID_CVC_SIG_ECDSA) {
		size_t half = ((size_t)EVP_PKEY_get_bits(key) + 7) / 8;

		if (siglen != 2 * half) {
			ret = -EID_EAUTH;
			goto out;
		}
		if ((ret = eid_cvc_ecdsa_plain_to_der(sig, siglen, &der)) < 0)
			goto out;
		sig = der.data;
		siglen = der.len;
	}
	ret = -EID_ECRYPTO;
	mctx = EVP_MD_CTX_new();
	if (!mctx || EVP_DigestVerifyInit_ex(mctx, &pctx, md, NULL, NULL, key, NULL) != 1)
		goto out;
	if (scheme == EID_CVC_SIG_RSA_PSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out;
	ret = EVP_DigestVerify(mctx, sig, siglen, c->body.data, c->body.len) == 1 ? 0
										   : -EID_EAUTH;
out:
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(key);
	eid_buf_free(&der);
	return ret;
}

/* ---- chains -------------------------------------------------------------------- */

static bool is_dv(const struct eid_cvc *c)
{
	return c->role == EID_CVC_ROLE_DV_OFFICIAL || c->role == EID_CVC_ROLE_DV_NONOFFICIAL;
}

int eid_cvc_chain_verify(const struct eid_cvc *const *anchors, size_t n_anchors,
			 const struct eid_cvc *const *chain, size_t n, time_t at,
			 uint64_t *rights, const char **why)
{
	const struct eid_cvc *anchor = NULL, *issuer, *domain, *term;
	const char *dummy;
	uint64_t r;
	int ret;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (rights)
		*rights = 0;
	if ((!anchors && n_anchors) || !chain || n < 2)
		return -EID_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!chain[i])
			return -EID_EINVAL;
	for (size_t i = 0; i < n_anchors && !anchor; i++)
		if (anchors[i] && eid_cvc_ref_equal(anchors[i]->chr, chain[0]->car))
			anchor = anchors[i];
	if (!anchor) {
		*why = "no trusted CVCA issued the first certificate";
		return -EID_ECERT;
	}
	if (anchor->role != EID_CVC_ROLE_CVCA) {
		*why = "trust anchor is not a CVCA certificate";
		return -EID_ECERT;
	}
	if (anchor->pk_is_ec && !anchor->pk_has_domain) {
		*why = "trust anchor lacks domain parameters";
		return -EID_ECERT;
	}
	term = chain[n - 1];
	if (term->role != EID_CVC_ROLE_TERMINAL || !is_dv(chain[n - 2])) {
		*why = "chain does not end with a DV and a terminal certificate";
		return -EID_ECERT;
	}
	for (size_t i = 0; i + 2 < n; i++) {
		if (chain[i]->role != EID_CVC_ROLE_CVCA) {
			*why = "certificate above the DV is not a CVCA link certificate";
			return -EID_ECERT;
		}
	}
	if (chain[n - 2]->type != term->type) {
		*why = "DV and terminal certificates are of different terminal types";
		return -EID_ECERT;
	}

	issuer = anchor;
	domain = anchor;
	r = anchor->type == term->type ? anchor->rights : UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct eid_cvc *c = chain[i];

		if (i > 0 && !eid_cvc_ref_equal(c->car, issuer->chr)) {
			*why = "certificate's CAR is not its issuer's CHR";
			return -EID_ECERT;
		}
		if (c->pk_is_ec != issuer->pk_is_ec && c->role != EID_CVC_ROLE_TERMINAL) {
			*why = "key algorithm changes inside the chain";
			return -EID_ECERT;
		}
		ret = eid_cvc_verify_signature(c, issuer, domain);
		if (ret < 0) {
			*why = ret == -EID_EAUTH ? "certificate signature is wrong"
						 : "certificate signature cannot be checked";
			return -EID_ECERT;
		}
		/* link certificates update the trust point only; the chip
		 * checks the dates of the DV and terminal certificates */
		if (c->role != EID_CVC_ROLE_CVCA && !eid_cvc_valid_at(c, at)) {
			*why = at < c->effective_t ? "certificate not yet valid"
						   : "certificate expired";
			return -EID_ECERT;
		}
		if (c->type == term->type)
			r &= c->rights;
		if (c->pk_has_domain)
			domain = c;
		issuer = c;
	}
	if (rights)
		*rights = r;
	return 0;
}

/* ---- rights as text ---------------------------------------------------------------- */

static int add_word(char *out, size_t cap, size_t *len, const char *w)
{
	int k = snprintf(out + *len, cap - *len, "%s%s", *len ? " " : "", w);

	if (k < 0 || (size_t)k >= cap - *len)
		return -EID_ETOOBIG;
	*len += (size_t)k;
	return 0;
}

int eid_cvc_rights_string(uint64_t rights, char *out, size_t cap)
{
	static const char *const names[8] = {
		"age-verification", "community-id", "RI", "privileged",
		"CAN-allowed", "PIN-management", "install-cert", "install-qcert",
	};
	char w[16];
	size_t len = 0;
	int ret;

	if (!out || cap == 0)
		return -EID_EINVAL;
	out[0] = '\0';
	for (int dg = 1; dg <= 22; dg++) {
		if (!(rights & EID_CVC_AT_READ_DG(dg)))
			continue;
		snprintf(w, sizeof(w), "DG%d", dg);
		if ((ret = add_word(out, cap, &len, w)) < 0)
			return ret;
	}
	for (int bit = 0; bit < 8; bit++)
		if ((rights & (1ull << bit)) && (ret = add_word(out, cap, &len, names[bit])) < 0)
			return ret;
	for (int bit = 37; bit >= 32; bit--) {
		if (!(rights & (1ull << bit)))
			continue;
		snprintf(w, sizeof(w), "write-DG%d", 17 + (37 - bit));
		if ((ret = add_word(out, cap, &len, w)) < 0)
			return ret;
	}
	return 0;
}
