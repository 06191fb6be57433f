/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Passive authentication: the CMS SignedData of EF.SOD / EF.CardSecurity,
 * its signature, the document signer -> CSCA step, validity, revocation
 * and the data group hashes.  See pa.h for the steps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "pa.h"
#include "tlv.h"

/* ---- object identifiers (contents octets) ---- */

static const uint8_t OID_SIGNED_DATA[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
static const uint8_t OID_CONTENT_TYPE[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03 };
static const uint8_t OID_MESSAGE_DIGEST[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04 };
static const uint8_t OID_SIGNING_TIME[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05 };
static const uint8_t OID_MGF1[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08 };
/* 2.23.136.1.1.1 LDSSecurityObject */
static const uint8_t OID_LDS_SO[] = { 0x67, 0x81, 0x08, 0x01, 0x01, 0x01 };
/* 0.4.0.127.0.7.3.2.1 id-SecurityObject (EF.CardSecurity, EF.ChipSecurity) */
static const uint8_t OID_SECURITY_OBJECT[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x02, 0x01 };
/* 0.4.0.127.0.7.2.2.7 id-eIDSecurity */
static const uint8_t OID_EID_SECURITY[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x07 };

#define OID_MAX 10

static bool oid_is(const eid_cbs *oid, const uint8_t *want, size_t n)
{
	return eid_cbs_len(oid) == n && memcmp(eid_cbs_data(oid), want, n) == 0;
}

#define OID_IS(oid, arr) oid_is((oid), (arr), sizeof(arr))

/* ---- algorithms ---- */

struct md_info {
	uint8_t oid[OID_MAX];
	size_t oid_len;
	const char *md;      /* OpenSSL name */
	const char *display; /* for people */
	size_t len;
};

static const struct md_info md_table[] = {
	{ { 0x2B, 0x0E, 0x03, 0x02, 0x1A }, 5, "SHA1", "SHA-1", 20 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04 }, 9, "SHA224", "SHA-224", 28 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 }, 9, "SHA256", "SHA-256", 32 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 }, 9, "SHA384", "SHA-384", 48 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 }, 9, "SHA512", "SHA-512", 64 },
};

enum sig_kind { SIG_RSA, SIG_RSA_PSS, SIG_ECDSA, SIG_ECDSA_PLAIN };

struct sig_info {
	uint8_t oid[OID_MAX];
	size_t oid_len;
	enum sig_kind kind;
	const char *md;      /* NULL: the hash comes from elsewhere */
};

#define PKCS1(x) { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, x }
#define X962(x, y) { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, x, y }
#define BSI_PLAIN(x) { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01, x }

static const struct sig_info sig_table[] = {
	{ PKCS1(0x01), 9, SIG_RSA, NULL },          /* rsaEncryption */
	{ PKCS1(0x05), 9, SIG_RSA, "SHA1" },
	{ PKCS1(0x0E), 9, SIG_RSA, "SHA224" },
	{ PKCS1(0x0B), 9, SIG_RSA, "SHA256" },
	{ PKCS1(0x0C), 9, SIG_RSA, "SHA384" },
	{ PKCS1(0x0D), 9, SIG_RSA, "SHA512" },
	{ PKCS1(0x0A), 9, SIG_RSA_PSS, NULL },      /* id-RSASSA-PSS */
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01 }, 7, SIG_ECDSA, "SHA1" },
	{ X962(0x03, 0x01), 8, SIG_ECDSA, "SHA224" },
	{ X962(0x03, 0x02), 8, SIG_ECDSA, "SHA256" },
	{ X962(0x03, 0x03), 8, SIG_ECDSA, "SHA384" },
	{ X962(0x03, 0x04), 8, SIG_ECDSA, "SHA512" },
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 }, 7, SIG_ECDSA, NULL }, /* id-ecPublicKey */
	{ BSI_PLAIN(0x01), 10, SIG_ECDSA_PLAIN, "SHA1" },
	{ BSI_PLAIN(0x02), 10, SIG_ECDSA_PLAIN, "SHA224" },
	{ BSI_PLAIN(0x03), 10, SIG_ECDSA_PLAIN, "SHA256" },
	{ BSI_PLAIN(0x04), 10, SIG_ECDSA_PLAIN, "SHA384" },
	{ BSI_PLAIN(0x05), 10, SIG_ECDSA_PLAIN, "SHA512" },
};

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
static bool parse_alg(const eid_cbs *alg_el, eid_cbs *oid, eid_cbs *params)
{
	eid_cbs c = *alg_el, seq;

	if (!eid_tlv_get(&c, 0x30, &seq) || !eid_der_get_oid(&seq, oid))
		return false;
	*params = seq; /* the rest: absent, NULL or the parameters */
	return true;
}

static const struct md_info *md_by_oid(const eid_cbs *oid)
{
	for (size_t i = 0; i < sizeof(md_table) / sizeof(md_table[0]); i++)
		if (oid_is(oid, md_table[i].oid, md_table[i].oid_len))
			return &md_table[i];
	return NULL;
}

static const struct md_info *md_by_alg(const eid_cbs *alg_el)
{
	eid_cbs oid, params;

	if (!parse_alg(alg_el, &oid, &params))
		return NULL;
	return md_by_oid(&oid);
}

struct sig_params {
	enum sig_kind kind;
	const char *md;
	const char *mgf_md;  /* PSS */
	int salt_len;        /* PSS */
};

/*
 * RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1,
 *   maskGenAlgorithm [1] DEFAULT mgf1SHA1, saltLength [2] DEFAULT 20,
 *   trailerField [3] DEFAULT 1 }
 */
static int parse_pss_params(eid_cbs params, struct sig_params *sp)
{
	eid_cbs seq, f, oid, inner;
	const struct md_info *m;
	uint32_t v;
	bool present;

	sp->md = "SHA1";
	sp->mgf_md = "SHA1";
	sp->salt_len = 20;
	if (eid_cbs_len(&params) == 0 || eid_cbs_equal(&params, "\x05\x00", 2))
		return 0;
	if (!eid_tlv_get(&params, 0x30, &seq))
		return -EID_EPARSE;
	if (!eid_tlv_get_optional(&seq, 0xA0, &f, &present))
		return -EID_EPARSE;
	if (present) {
		if (!(m = md_by_alg(&f)))
			return -EID_ENOTSUP;
		sp->md = m->md;
	}
	if (!eid_tlv_get_optional(&seq, 0xA1, &f, &present))
		return -EID_EPARSE;
	if (present) {
		if (!parse_alg(&f, &oid, &inner))
			return -EID_EPARSE;
		if (!OID_IS(&oid, OID_MGF1) || !(m = md_by_alg(&inner)))
			return -EID_ENOTSUP;
		sp->mgf_md = m->md;
	}
	if (!eid_tlv_get_optional(&seq, 0xA2, &f, &present))
		return -EID_EPARSE;
	if (present) {
		if (!eid_der_get_u32(&f, &v) || v > 1024)
			return -EID_EPARSE;
		sp->salt_len = (int)v;
	}
	if (!eid_tlv_get_optional(&seq, 0xA3, &f, &present))
		return -EID_EPARSE;
	if (present && (!eid_der_get_u32(&f, &v) || v != 1))
		return -EID_ENOTSUP;
	return 0;
}

static int parse_sig_alg(const eid_cbs *alg, const char *default_md, struct sig_params *sp)
{
	eid_cbs oid, params;
	const struct sig_info *si = NULL;

	if (!parse_alg(alg, &oid, &params))
		return -EID_EPARSE;
	for (size_t i = 0; i < sizeof(sig_table) / sizeof(sig_table[0]); i++)
		if (oid_is(&oid, sig_table[i].oid, sig_table[i].oid_len))
			si = &sig_table[i];
	if (!si)
		return -EID_ENOTSUP;
	sp->kind = si->kind;
	sp->md = si->md ? si->md : default_md;
	if (si->kind == SIG_RSA_PSS)
		return parse_pss_params(params, sp);
	return sp->md ? 0 : -EID_ENOTSUP;
}

/* BSI TR-03111 plain signature r || s as a DER ECDSA-Sig-Value. */
static int plain_to_der(const uint8_t *sig, size_t n, eid_buf *out)
{
	eid_cbs c, r;
	size_t mark;

	eid_cbs_init(&c, sig, n);
	if (n == 0 || n % 2 || !eid_cbs_get_bytes(&c, &r, n / 2))
		return -EID_EAUTH;
	mark = eid_tlv_begin(out, 0x30);
	eid_der_add_uint_bytes(out, eid_cbs_data(&r), eid_cbs_len(&r));
	eid_der_add_uint_bytes(out, eid_cbs_data(&c), eid_cbs_len(&c));
	return eid_tlv_end(out, mark);
}

static int set_pss(EVP_PKEY_CTX *pctx, const struct sig_params *sp)
{
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, sp->mgf_md, NULL) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, sp->salt_len) <= 0)
		return -EID_EAUTH; /* e.g. the key is not RSA */
	return 0;
}

int eid_pa_verify_signature(EVP_PKEY *key, const eid_cbs *alg, const char *default_md,
			    const uint8_t *data, size_t n, const uint8_t *sig, size_t siglen)
{
	struct sig_params sp = { 0 };
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	eid_buf der = EID_BUF_INIT;
	int r;

	if (!key || !alg)
		return -EID_EINVAL;
	if ((r = parse_sig_alg(alg, default_md, &sp)) < 0)
		return r;
	if (sp.kind == SIG_ECDSA_PLAIN) {
		if ((r = plain_to_der(sig, siglen, &der)) < 0)
			goto out;
		sig = der.data;
		siglen = der.len;
	}
	r = -EID_ENOMEM;
	if (!(ctx = EVP_MD_CTX_new()))
		goto out;
	r = -EID_EAUTH; /* a key that does not fit the algorithm fails here */
	if (EVP_DigestVerifyInit_ex(ctx, &pctx, sp.md, NULL, NULL, key, NULL) != 1)
		goto out;
	if (sp.kind == SIG_RSA_PSS && (r = set_pss(pctx, &sp)) < 0)
		goto out;
	r = EVP_DigestVerify(ctx, sig, siglen, data, n) == 1 ? 0 : -EID_EAUTH;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	eid_buf_free(&der);
	return r;
}

int eid_pa_verify_signed_der(const uint8_t *der, size_t n, EVP_PKEY *key)
{
	eid_cbs in, seq, tbs, alg, bits;
	uint8_t unused;

	eid_cbs_init(&in, der, n);
	if (!eid_tlv_get(&in, 0x30, &seq) || !eid_tlv_get_element_tag(&seq, 0x30, &tbs) ||
	    !eid_tlv_get_element_tag(&seq, 0x30, &alg) || !eid_tlv_get(&seq, 0x03, &bits) ||
	    !eid_cbs_get_u8(&bits, &unused) || unused != 0)
		return -EID_EPARSE;
	return eid_pa_verify_signature(key, &alg, NULL, eid_cbs_data(&tbs), eid_cbs_len(&tbs),
				       eid_cbs_data(&bits), eid_cbs_len(&bits));
}

/* ---- BER with indefinite lengths ---- */

#define BER_MAX_DEPTH 32

/* A BER header: the tag bytes as they are, and the length (or indefinite). */
static bool ber_header(eid_cbs *in, eid_cbs *tag, bool *indefinite, size_t *len)
{
	eid_cbs start = *in, tmp = *in;
	uint8_t first, b;
	size_t tag_len = 1;
	uint32_t v;

	if (!eid_cbs_get_u8(&tmp, &first))
		return false;
	if ((first & 0x1F) == 0x1F) {
		do {
			if (!eid_cbs_get_u8(&tmp, &b) || ++tag_len > 4)
				return false;
		} while (b & 0x80);
	}
	if (!eid_cbs_get_u8(&tmp, &b))
		return false;
	*indefinite = b == 0x80;
	*len = 0;
	if (*indefinite) {
		if (!(first & 0x20))
			return false; /* only constructed encodings may be indefinite */
	} else if (b < 0x80) {
		*len = b;
	} else if ((b & 0x7F) > 4 || !eid_cbs_get_uint(&tmp, b & 0x7F, &v)) {
		return false;
	} else {
		*len = v;
	}
	eid_cbs_get_bytes(&start, tag, tag_len);
	*in = tmp;
	return true;
}

/* The contents of a constructed OCTET STRING: its (normalised) segments joined. */
static int join_segments(const eid_buf *segments, eid_buf *out)
{
	eid_cbs c, v;

	eid_buf_cbs(segments, &c);
	while (eid_cbs_len(&c)) {
		if (!eid_tlv_get(&c, 0x04, &v))
			return -EID_EPARSE;
		eid_buf_add_cbs(out, &v);
	}
	return eid_buf_status(out);
}

static int ber_element(eid_cbs *in, eid_buf *out, int depth);

static bool at_end_of_contents(const eid_cbs *in)
{
	eid_cbs tmp = *in, two;

	return eid_cbs_get_bytes(&tmp, &two, 2) && eid_cbs_equal(&two, "\0\0", 2);
}

/* Normalise the elements of a constructed encoding into out. */
static int ber_children(eid_cbs *in, bool indefinite, eid_buf *out, int depth)
{
	int r;

	for (;;) {
		if (!indefinite && !eid_cbs_len(in))
			return 0;
		if (indefinite && at_end_of_contents(in))
			return eid_cbs_skip(in, 2) ? 0 : -EID_EPARSE;
		if ((r = ber_element(in, out, depth + 1)) < 0)
			return r;
	}
}

/*
 * One element with every indefinite length made definite and constructed
 * OCTET STRINGs joined into one.  Elements that need no change are copied
 * byte for byte (signed parts keep their exact encoding).
 */
static int ber_element(eid_cbs *in, eid_buf *out, int depth)
{
	eid_cbs start = *in, tag, content, el;
	eid_buf kids = EID_BUF_INIT, joined = EID_BUF_INIT;
	bool indefinite, octets;
	uint8_t first;
	size_t len;
	int r;

	if (depth > BER_MAX_DEPTH || !ber_header(in, &tag, &indefinite, &len) ||
	    !eid_cbs_peek_u8(&tag, &first))
		return -EID_EPARSE;
	if (indefinite)
		content = *in;
	else if (!eid_cbs_get_bytes(in, &content, len))
		return -EID_EPARSE;
	octets = eid_cbs_equal(&tag, "\x24", 1);
	if (first & 0x20) {
		eid_cbs original = content;

		if ((r = ber_children(&content, indefinite, &kids, depth)) < 0)
			goto out;
		if (indefinite)
			*in = content; /* after the end-of-contents octets */
		else if (!octets && eid_cbs_equal(&original, kids.data, kids.len))
			goto verbatim;
		if (octets) {
			if ((r = join_segments(&kids, &joined)) == 0)
				r = eid_tlv_add(out, 0x04, joined.data, joined.len);
			goto out;
		}
		eid_buf_add_cbs(out, &tag);
		eid_tlv_add_len(out, kids.len);
		eid_buf_add(out, kids.data, kids.len);
		r = eid_buf_status(out);
		goto out;
	}
verbatim:
	eid_cbs_get_bytes(&start, &el, eid_cbs_len(&start) - eid_cbs_len(in));
	r = eid_buf_add_cbs(out, &el);
out:
	eid_buf_free(&kids);
	eid_buf_free(&joined);
	return r;
}

int eid_pa_ber_definite(const uint8_t *data, size_t n, eid_buf *out)
{
	eid_cbs in;

	if (!out || (!data && n))
		return -EID_EINVAL;
	eid_cbs_init(&in, data, n);
	return ber_element(&in, out, 0);
}

/* ---- CMS SignedData ---- */

/* The single value of an attribute: SET { value }. */
static bool single_value(eid_cbs *values, eid_cbs *el)
{
	uint32_t tag;

	return eid_tlv_get_element(values, &tag, el) && eid_cbs_len(values) == 0;
}

static int parse_attribute(eid_cbs attr, struct eid_pa_cms *cms)
{
	eid_cbs oid, values, el, *slot = NULL;
	uint32_t want = 0;

	if (!eid_der_get_oid(&attr, &oid) || !eid_tlv_get(&attr, 0x31, &values))
		return -EID_EPARSE;
	if (OID_IS(&oid, OID_CONTENT_TYPE)) {
		slot = &cms->attr_content_type;
		want = 0x06;
	} else if (OID_IS(&oid, OID_MESSAGE_DIGEST)) {
		slot = &cms->attr_message_digest;
		want = 0x04;
	} else if (OID_IS(&oid, OID_SIGNING_TIME)) {
		slot = &cms->attr_signing_time;
	} else {
		return 0;
	}
	if (eid_cbs_len(slot) || !single_value(&values, &el))
		return -EID_EPARSE; /* a repeated attribute or several values */
	if (!want) { /* signingTime: UTCTime or GeneralizedTime element */
		if (eid_cbs_len(&el) < 2 || (eid_cbs_data(&el)[0] != 0x17 && eid_cbs_data(&el)[0] != 0x18))
			return -EID_EPARSE;
		*slot = el;
		return 0;
	}
	if (!eid_tlv_get(&el, want, slot) || eid_cbs_len(slot) == 0)
		return -EID_EPARSE;
	return 0;
}

static int parse_signed_attrs(struct eid_pa_cms *cms)
{
	eid_cbs c = cms->signed_attrs, set, attr;
	int r;

	if (!eid_tlv_get(&c, 0xA0, &set))
		return -EID_EPARSE;
	while (eid_cbs_len(&set)) {
		if (!eid_tlv_get(&set, 0x30, &attr))
			return -EID_EPARSE;
		if ((r = parse_attribute(attr, cms)) < 0)
			return r;
	}
	return 0;
}

/*
 * SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm,
 *   signedAttrs [0] IMPLICIT OPTIONAL, signatureAlgorithm, signature,
 *   unsignedAttrs [1] IMPLICIT OPTIONAL }
 */
static int parse_signer_info(eid_cbs si, struct eid_pa_cms *cms)
{
	eid_cbs ver, sid;
	uint32_t tag;

	if (!eid_tlv_get(&si, 0x02, &ver) || !eid_tlv_peek_tag(&si, &tag))
		return -EID_EPARSE;
	if (tag == 0x30) {
		if (!eid_tlv_get(&si, 0x30, &sid) || !eid_tlv_get_element_tag(&sid, 0x30, &cms->sid_issuer) ||
		    !eid_tlv_get_element_tag(&sid, 0x02, &cms->sid_serial))
			return -EID_EPARSE;
	} else if (!eid_tlv_get(&si, 0x80, &cms->sid_ski) || eid_cbs_len(&cms->sid_ski) == 0) {
		return -EID_EPARSE;
	}
	if (!eid_tlv_get_element_tag(&si, 0x30, &cms->digest_alg))
		return -EID_EPARSE;
	if (eid_tlv_peek_tag(&si, &tag) && tag == 0xA0 && !eid_tlv_get_element_tag(&si, 0xA0, &cms->signed_attrs))
		return -EID_EPARSE;
	if (!eid_tlv_get_element_tag(&si, 0x30, &cms->sig_alg) || !eid_tlv_get(&si, 0x04, &cms->signature))
		return -EID_EPARSE;
	return eid_cbs_len(&cms->signed_attrs) ? parse_signed_attrs(cms) : 0;
}

/*
 * SignedData ::= SEQUENCE { version, digestAlgorithms SET,
 *   encapContentInfo SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING },
 *   certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL,
 *   signerInfos SET OF SignerInfo }
 */
static int parse_signed_data(eid_cbs sd, struct eid_pa_cms *cms)
{
	eid_cbs ver, algs, eci, eco, crls, sis, si;
	bool present;

	if (!eid_tlv_get(&sd, 0x02, &ver) || !eid_tlv_get(&sd, 0x31, &algs) ||
	    !eid_tlv_get(&sd, 0x30, &eci) || !eid_der_get_oid(&eci, &cms->econtent_type))
		return -EID_EPARSE;
	if (!eid_tlv_get(&eci, 0xA0, &eco) || !eid_tlv_get(&eco, 0x04, &cms->econtent))
		return -EID_EPARSE; /* detached content: nothing to verify */
	if (!eid_tlv_get_optional(&sd, 0xA0, &cms->certs, &present) ||
	    !eid_tlv_get_optional(&sd, 0xA1, &crls, &present) || !eid_tlv_get(&sd, 0x31, &sis) ||
	    !eid_tlv_get(&sis, 0x30, &si))
		return -EID_EPARSE;
	return parse_signer_info(si, cms);
}

int eid_pa_cms_parse(const uint8_t *data, size_t n, struct eid_pa_cms *cms)
{
	eid_cbs in, ci, oid, content, sd;
	int r;

	if (!cms || (!data && n))
		return -EID_EINVAL;
	memset(cms, 0, sizeof(*cms));
	eid_cbs_init(&in, data, n);
	if (!eid_tlv_get(&in, 0x30, &ci) || !eid_der_get_oid(&ci, &oid) ||
	    !OID_IS(&oid, OID_SIGNED_DATA) || !eid_tlv_get(&ci, 0xA0, &content) ||
	    !eid_tlv_get(&content, 0x30, &sd))
		return -EID_EPARSE;
	r = parse_signed_data(sd, cms);
	if (r < 0)
		memset(cms, 0, sizeof(*cms));
	return r;
}

static X509 *d2i_cert(const eid_cbs *el)
{
	const unsigned char *p = eid_cbs_data(el);

	if (eid_cbs_len(el) > 0x7FFFFFFF)
		return NULL;
	return d2i_X509(NULL, &p, (long)eid_cbs_len(el));
}

static bool ski_equal(X509 *x, const eid_cbs *ski)
{
	const ASN1_OCTET_STRING *s = X509_get0_subject_key_id(x);

	return s && eid_cbs_equal(ski, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
}

/* The sid's issuer Name and serial number as OpenSSL objects. */
static void sid_decode(const struct eid_pa_cms *cms, X509_NAME **issuer, ASN1_INTEGER **serial)
{
	const unsigned char *p;

	*issuer = NULL;
	*serial = NULL;
	if (!eid_cbs_len(&cms->sid_issuer))
		return;
	p = eid_cbs_data(&cms->sid_issuer);
	*issuer = d2i_X509_NAME(NULL, &p, (long)eid_cbs_len(&cms->sid_issuer));
	p = eid_cbs_data(&cms->sid_serial);
	*serial = d2i_ASN1_INTEGER(NULL, &p, (long)eid_cbs_len(&cms->sid_serial));
}

int eid_pa_cms_signer(const struct eid_pa_cms *cms, X509 **cert, eid_cbs *der)
{
	eid_cbs c, el, by_serial_der = { NULL, 0 };
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *serial = NULL;
	X509 *x = NULL, *by_serial = NULL;
	size_t n_serial = 0;
	uint32_t tag;
	int r = -EID_ENOTFOUND;

	if (!cms || !cert || !der)
		return -EID_EINVAL;
	*cert = NULL;
	c = cms->certs;
	sid_decode(cms, &issuer, &serial);
	while (eid_cbs_len(&c) && eid_tlv_get_element(&c, &tag, &el)) {
		bool same_serial;

		if (tag != 0x30 || !(x = d2i_cert(&el)))
			continue; /* other CertificateChoices, or unparseable */
		if (eid_cbs_len(&cms->sid_ski) ? ski_equal(x, &cms->sid_ski) :
		    (issuer && serial && !X509_NAME_cmp(X509_get_issuer_name(x), issuer) &&
		     !ASN1_INTEGER_cmp(X509_get0_serialNumber(x), serial))) {
			*cert = x;
			*der = el;
			r = 0;
			goto out;
		}
		same_serial = serial && !ASN1_INTEGER_cmp(X509_get0_serialNumber(x), serial);
		if (same_serial && n_serial++ == 0) {
			by_serial = x;
			by_serial_der = el;
		} else {
			X509_free(x);
		}
	}
	if (n_serial == 1) {
		*cert = by_serial;
		*der = by_serial_der;
		by_serial = NULL;
		r = 0;
	}
out:
	X509_free(by_serial);
	X509_NAME_free(issuer);
	ASN1_INTEGER_free(serial);
	ERR_clear_error();
	return r;
}

static int check_signed_attrs(const struct eid_pa_cms *cms, const struct md_info *md,
			      const char **why)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	size_t hl = 0;
	int r;

	if (!eid_cbs_len(&cms->attr_content_type) ||
	    !eid_cbs_equal(&cms->attr_content_type, eid_cbs_data(&cms->econtent_type),
			   eid_cbs_len(&cms->econtent_type))) {
		*why = "the contentType attribute does not name the signed content";
		return -EID_EAUTH;
	}
	if (!eid_cbs_len(&cms->attr_message_digest)) {
		*why = "the messageDigest attribute is missing";
		return -EID_EAUTH;
	}
	r = eid_digest(md->md, eid_cbs_data(&cms->econtent), eid_cbs_len(&cms->econtent), h, &hl);
	if (r < 0)
		return r;
	if (hl != eid_cbs_len(&cms->attr_message_digest) ||
	    !eid_ct_equal(h, eid_cbs_data(&cms->attr_message_digest), hl)) {
		*why = "the messageDigest attribute does not match the signed content";
		return -EID_EAUTH;
	}
	return 0;
}

int eid_pa_cms_verify(const struct eid_pa_cms *cms, X509 *signer, const char **why)
{
	const struct md_info *md;
	const char *dummy;
	eid_buf attrs = EID_BUF_INIT;
	EVP_PKEY *key;
	int r;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!cms || !signer)
		return -EID_EINVAL;
	if (!(md = md_by_alg(&cms->digest_alg))) {
		*why = "the digest algorithm is not supported";
		return -EID_ENOTSUP;
	}
	if (!(key = X509_get0_pubkey(signer))) {
		ERR_clear_error();
		*why = "the signer's public key cannot be decoded";
		return -EID_ENOTSUP;
	}
	if (!eid_cbs_len(&cms->signed_attrs)) {
		/* no signed attributes: the signature is over the content itself */
		r = eid_pa_verify_signature(key, &cms->sig_alg, md->md, eid_cbs_data(&cms->econtent),
					    eid_cbs_len(&cms->econtent),
					    eid_cbs_data(&cms->signature),
					    eid_cbs_len(&cms->signature));
	} else {
		if ((r = check_signed_attrs(cms, md, why)) < 0)
			return r;
		/* the signature covers the attributes' DER with the SET OF tag */
		if ((r = eid_buf_add_cbs(&attrs, &cms->signed_attrs)) < 0)
			return r;
		attrs.data[0] = 0x31;
		r = eid_pa_verify_signature(key, &cms->sig_alg, md->md, attrs.data, attrs.len,
					    eid_cbs_data(&cms->signature),
					    eid_cbs_len(&cms->signature));
	}
	if (r == -EID_EAUTH)
		*why = "the signature does not verify with the signer's key";
	else if (r == -EID_ENOTSUP)
		*why = "the signature algorithm is not supported";
	else if (r < 0 && !*why)
		*why = "the signature algorithm is malformed";
	eid_buf_free(&attrs);
	return r;
}

/* ---- the security object ---- */

struct eid_pa_sod {
	eid_buf raw;                 /* copy of the input */
	eid_buf definite;            /* raw with definite lengths, when needed */
	struct eid_pa_cms cms;       /* views into raw or definite */
	enum eid_pa_kind kind;
	const struct md_info *hash;  /* of the DG hashes; NULL when none */
	size_t n_dgs;
	unsigned dg_number[EID_PA_MAX_DGS];
	eid_cbs dg_hash[EID_PA_MAX_DGS];
};

/* DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING } */
static int parse_dg_hashes(eid_cbs list, struct eid_pa_sod *sod)
{
	eid_cbs item, hash;
	uint32_t num;

	while (eid_cbs_len(&list)) {
		if (!eid_tlv_get(&list, 0x30, &item) || !eid_der_get_u32(&item, &num) ||
		    !eid_tlv_get(&item, 0x04, &hash) || num > 255)
			return -EID_EPARSE;
		for (size_t i = 0; i < sod->n_dgs; i++)
			if (sod->dg_number[i] == num)
				return -EID_EPARSE; /* listed twice */
		if (sod->n_dgs == EID_PA_MAX_DGS)
			return -EID_ETOOBIG;
		sod->dg_number[sod->n_dgs] = num;
		sod->dg_hash[sod->n_dgs++] = hash;
	}
	return 0;
}

/* SEQUENCE { ... hashAlgorithm, dataGroupHashValues SEQUENCE OF ..., ... } */
static int parse_hash_list(eid_cbs *seq, struct eid_pa_sod *sod)
{
	eid_cbs alg, list;

	if (!eid_tlv_get_element_tag(seq, 0x30, &alg) || !eid_tlv_get(seq, 0x30, &list))
		return -EID_EPARSE;
	if (!(sod->hash = md_by_alg(&alg)))
		return -EID_ENOTSUP;
	return parse_dg_hashes(list, sod);
}

/*
 * LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm,
 *   dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo OPTIONAL }
 */
static int parse_lds_object(struct eid_pa_sod *sod)
{
	eid_cbs c = sod->cms.econtent, so;
	uint32_t version;

	if (!eid_tlv_get(&c, 0x30, &so) || !eid_der_get_u32(&so, &version))
		return -EID_EPARSE;
	return parse_hash_list(&so, sod);
}

/*
 * SecurityInfos ::= SET OF SecurityInfo.  The eID application's
 * eIDSecurityInfo ::= SEQUENCE { id-eIDSecurity, EIDSecurityObject ::=
 * SEQUENCE { hashAlgorithm, dataGroupHashValues }, eIDVersionInfo OPTIONAL }
 * carries DG hashes; other SecurityInfos are skipped here (see secinfo.h).
 */
static int parse_security_infos(struct eid_pa_sod *sod)
{
	eid_cbs c = sod->cms.econtent, set, info, oid, obj;
	int r;

	if (!eid_tlv_get(&c, 0x31, &set))
		return -EID_EPARSE;
	while (eid_cbs_len(&set)) {
		if (!eid_tlv_get(&set, 0x30, &info) || !eid_der_get_oid(&info, &oid))
			return -EID_EPARSE;
		if (!OID_IS(&oid, OID_EID_SECURITY) || sod->hash)
			continue;
		if (!eid_tlv_get(&info, 0x30, &obj))
			return -EID_EPARSE;
		if ((r = parse_hash_list(&obj, sod)) < 0)
			return r;
	}
	return 0;
}

int eid_pa_sod_parse(const uint8_t *data, size_t n, struct eid_pa_sod **out)
{
	struct eid_pa_sod *sod = NULL;
	eid_cbs in, inner;
	uint8_t first;
	int r;

	if (!out || (!data && n))
		return -EID_EINVAL;
	*out = NULL;
	if (n > EID_PA_MAX_SIZE)
		return -EID_ETOOBIG;
	if (!(sod = OPENSSL_zalloc(sizeof(*sod))))
		return -EID_ENOMEM;
	eid_buf_init(&sod->raw);
	eid_buf_init(&sod->definite);
	if ((r = eid_buf_set(&sod->raw, data, n)) < 0)
		goto out;
	eid_buf_cbs(&sod->raw, &in);
	r = -EID_EPARSE;
	if (!eid_cbs_peek_u8(&in, &first))
		goto out;
	if (first != 0x77)
		inner = in;
	else if (!eid_tlv_get(&in, 0x77, &inner)) /* EF.SOD wrapper */
		goto out;
	r = eid_pa_cms_parse(eid_cbs_data(&inner), eid_cbs_len(&inner), &sod->cms);
	if (r == -EID_EPARSE) { /* indefinite lengths (real SODs have them) */
		if ((r = eid_pa_ber_definite(eid_cbs_data(&inner), eid_cbs_len(&inner),
					     &sod->definite)) < 0)
			goto out;
		r = eid_pa_cms_parse(sod->definite.data, sod->definite.len, &sod->cms);
	}
	if (r < 0)
		goto out;
	if (OID_IS(&sod->cms.econtent_type, OID_LDS_SO)) {
		sod->kind = EID_PA_KIND_SOD;
		r = parse_lds_object(sod);
	} else if (OID_IS(&sod->cms.econtent_type, OID_SECURITY_OBJECT)) {
		sod->kind = EID_PA_KIND_CARDSECURITY;
		r = parse_security_infos(sod);
	} else {
		r = -EID_ENOTSUP;
	}
	if (r < 0)
		goto out;
	*out = sod;
	sod = NULL;
out:
	eid_pa_sod_free(sod);
	return r;
}

void eid_pa_sod_free(struct eid_pa_sod *sod)
{
	if (!sod)
		return;
	eid_buf_free(&sod->raw);
	eid_buf_free(&sod->definite);
	OPENSSL_free(sod);
}

enum eid_pa_kind eid_pa_sod_kind(const struct eid_pa_sod *sod)
{
	return sod->kind;
}

void eid_pa_sod_content(const struct eid_pa_sod *sod, eid_cbs *out)
{
	*out = sod->cms.econtent;
}

const char *eid_pa_sod_hash_name(const struct eid_pa_sod *sod)
{
	return sod->hash ? sod->hash->display : "";
}

size_t eid_pa_sod_dg_count(const struct eid_pa_sod *sod)
{
	return sod->n_dgs;
}

bool eid_pa_sod_dg(const struct eid_pa_sod *sod, size_t i, unsigned *number, eid_cbs *hash)
{
	if (i >= sod->n_dgs)
		return false;
	*number = sod->dg_number[i];
	*hash = sod->dg_hash[i];
	return true;
}

int eid_pa_check_dg(const struct eid_pa_sod *sod, const struct eid_pa_dg *dg,
		    enum eid_pa_dg_state *state)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	size_t hl = 0;
	int r;

	if (!sod || !dg || !state || (!dg->data && dg->len))
		return -EID_EINVAL;
	*state = EID_PA_DG_ABSENT;
	for (size_t i = 0; i < sod->n_dgs; i++) {
		if (sod->dg_number[i] != dg->number)
			continue;
		if ((r = eid_digest(sod->hash->md, dg->data, dg->len, h, &hl)) < 0)
			return r;
		*state = hl == eid_cbs_len(&sod->dg_hash[i]) &&
				 eid_ct_equal(h, eid_cbs_data(&sod->dg_hash[i]), hl) ?
			 EID_PA_DG_MATCH : EID_PA_DG_MISMATCH;
		return 0;
	}
	return 0;
}

/* ---- verification ---- */

const char *eid_pa_status_name(enum eid_pa_status s)
{
	switch (s) {
	case EID_PA_VALID: return "valid";
	case EID_PA_INVALID: return "invalid";
	case EID_PA_NO_TRUST_ANCHOR: return "no-trust-anchor";
	default: return "not-performed";
	}
}

const char *eid_pa_revocation_name(enum eid_pa_revocation r)
{
	switch (r) {
	case EID_PA_REV_NOT_REVOKED: return "not-revoked";
	case EID_PA_REV_REVOKED: return "revoked";
	default: return "unknown";
	}
}

const char *eid_pa_dg_state_name(enum eid_pa_dg_state s)
{
	switch (s) {
	case EID_PA_DG_MATCH: return "match";
	case EID_PA_DG_MISMATCH: return "mismatch";
	default: return "absent";
	}
}

/* A step returns 0 to go on, STOP when the verdict is set, < 0 on failure. */
#define STOP 1

static int verdict(struct eid_pa_result *res, enum eid_pa_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int verdict(struct eid_pa_result *res, enum eid_pa_status st, const char *fmt, ...)
{
	va_list ap;

	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return STOP;
}

static void date_text(time_t t, char *out, size_t n)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d", &tm))
		snprintf(out, n, "?");
}

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Steps 1 and 2: the DS certificate and the signature over the object. */
static int check_signature(const struct eid_pa_sod *sod, struct eid_pa_result *res, X509 **ds,
			   eid_cbs *ds_der)
{
	const char *why = NULL;
	int r;

	r = eid_pa_cms_signer(&sod->cms, ds, ds_der);
	if (r == -EID_ENOTFOUND)
		return verdict(res, EID_PA_INVALID, "The security object does not contain the "
			       "document signer certificate its SignerInfo names.");
	if (r < 0)
		return r;
	eid_trust_name_text(X509_get_subject_name(*ds), res->signer, sizeof(res->signer));
	res->signer_not_before = eid_trust_time(X509_get0_notBefore(*ds));
	res->signer_not_after = eid_trust_time(X509_get0_notAfter(*ds));
	r = eid_pa_cms_verify(&sod->cms, *ds, &why);
	if (r == -EID_ENOMEM)
		return r;
	if (r < 0)
		return verdict(res, EID_PA_INVALID, "The security object's signature is invalid: %s.",
			       why ? why : eid_strerror(r));
	res->signature_valid = true;
	return 0;
}

static bool in_period(time_t nb, time_t na, time_t at)
{
	return nb && na && nb <= at && at <= na;
}

static bool csca_valid_at(const struct eid_trust_csca *c, time_t at)
{
	return in_period(c->not_before, c->not_after, at);
}

/* Does cert's authority key identifier equal the CSCA's subject key identifier? */
static bool aki_is(X509 *cert, const struct eid_trust_csca *c)
{
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(cert);

	return aki && c->ski_len && (size_t)ASN1_STRING_length(aki) == c->ski_len &&
	       !memcmp(ASN1_STRING_get0_data(aki), c->ski, c->ski_len);
}

#define MAX_CANDIDATES 32

/* Step 3: the CSCA whose key verifies the DS certificate. */
static int find_csca(const struct eid_trust *trust, X509 *ds, const eid_cbs *ds_der, time_t at,
		     struct eid_pa_result *res, const struct eid_trust_csca **out)
{
	const struct eid_trust_csca *cand[MAX_CANDIDATES], *found = NULL, *claimed = NULL;
	size_t n = trust ? eid_trust_find_issuers(trust, ds, cand, MAX_CANDIDATES) : 0;
	char issuer[EID_PA_TEXT_MAX];

	for (size_t i = 0; i < n; i++) {
		EVP_PKEY *key = eid_trust_csca_get1_key(cand[i]);

		if (key && eid_pa_verify_signed_der(eid_cbs_data(ds_der), eid_cbs_len(ds_der),
						    key) == 0) {
			if (!found || (!csca_valid_at(found, at) && csca_valid_at(cand[i], at)))
				found = cand[i];
		} else if (!claimed && aki_is(ds, cand[i])) {
			claimed = cand[i];
		}
		EVP_PKEY_free(key);
	}
	ERR_clear_error();
	if (found) {
		copy_text(res->csca, sizeof(res->csca), found->subject);
		copy_text(res->csca_serial, sizeof(res->csca_serial), found->serial);
		copy_text(res->csca_source, sizeof(res->csca_source), found->source);
		*out = found;
		return 0;
	}
	if (claimed)
		return verdict(res, EID_PA_INVALID, "The document signer certificate's signature "
			       "does not verify with the key of CSCA %s (%s), which its authority "
			       "key identifier names.", claimed->subject, claimed->source);
	eid_trust_name_text(X509_get_issuer_name(ds), issuer, sizeof(issuer));
	return verdict(res, EID_PA_NO_TRUST_ANCHOR, "The signature is valid, but no CSCA in the "
		       "trust store issued the document signer certificate (issuer %s).", issuer);
}

static int check_period(struct eid_pa_result *res, const char *what, time_t from, time_t to,
			time_t at)
{
	char d[16], nb[16], na[16];

	if (in_period(from, to, at))
		return 0;
	date_text(at, d, sizeof(d));
	date_text(from, nb, sizeof(nb));
	date_text(to, na, sizeof(na));
	return verdict(res, EID_PA_INVALID, "The %s certificate is not valid on %s (valid from %s "
		       "to %s).", what, d, nb, na);
}

/* Step 4: both certificates valid at the verification time. */
static int check_validity(const struct eid_trust_csca *csca, time_t at,
			  struct eid_pa_result *res)
{
	int r = check_period(res, "document signer", res->signer_not_before,
			     res->signer_not_after, at);

	return r ? r : check_period(res, "CSCA", csca->not_before, csca->not_after, at);
}

/* Step 5: the DS serial against the CSCA's CRLs. */
static int check_revocation(const struct eid_trust *trust, const struct eid_trust_csca *csca,
			    X509 *ds, struct eid_pa_result *res)
{
	const char *crl_source = NULL;
	char serial[80] = "?";
	BIGNUM *bn;
	char *hex;

	switch (eid_trust_revocation(trust, csca, ds, &crl_source)) {
	case EID_TRUST_REV_NOT_REVOKED:
		res->revocation = EID_PA_REV_NOT_REVOKED;
		return 0;
	case EID_TRUST_REV_REVOKED:
		break;
	default:
		res->revocation = EID_PA_REV_UNKNOWN;
		return 0;
	}
	res->revocation = EID_PA_REV_REVOKED;
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(ds), NULL)) && (hex = BN_bn2hex(bn))) {
		copy_text(serial, sizeof(serial), hex);
		OPENSSL_free(hex);
	}
	BN_free(bn);
	return verdict(res, EID_PA_INVALID, "The document signer certificate (serial %s) is "
		       "revoked by a CRL of CSCA %s (%s).", serial, csca->subject,
		       crl_source ? crl_source : "?");
}

/* Step 6: the caller's data groups. */
static int compare_dgs(const struct eid_pa_sod *sod, const struct eid_pa_dg *dgs, size_t ndgs,
		       struct eid_pa_result *res)
{
	int r;

	for (size_t i = 0; i < ndgs; i++) {
		res->dgs[i].number = dgs[i].number;
		if ((r = eid_pa_check_dg(sod, &dgs[i], &res->dgs[i].state)) < 0)
			return r;
	}
	res->n_dgs = ndgs;
	return 0;
}

static void init_result(const struct eid_pa_sod *sod, struct eid_pa_result *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = sod->kind;
	res->status = EID_PA_NOT_PERFORMED;
	res->revocation = EID_PA_REV_UNKNOWN;
	copy_text(res->hash_name, sizeof(res->hash_name), eid_pa_sod_hash_name(sod));
	for (size_t i = 0; i < sod->n_dgs; i++)
		res->sod_dgs[i] = sod->dg_number[i];
	res->n_sod_dgs = sod->n_dgs;
}

int eid_pa_verify(const struct eid_pa_sod *sod, const struct eid_trust *trust, time_t at,
		  const struct eid_pa_dg *dgs, size_t ndgs, struct eid_pa_result *res)
{
	const struct eid_trust_csca *csca = NULL;
	X509 *ds = NULL;
	eid_cbs ds_der;
	int r;

	if (!sod || !res || ndgs > EID_PA_MAX_DGS || (ndgs && !dgs))
		return -EID_EINVAL;
	init_result(sod, res);
	if (!at)
		at = time(NULL);
	r = check_signature(sod, res, &ds, &ds_der);
	if (!r)
		r = find_csca(trust, ds, &ds_der, at, res, &csca);
	if (!r)
		r = check_validity(csca, at, res);
	if (!r)
		r = check_revocation(trust, csca, ds, res);
	if (!r)
		verdict(res, EID_PA_VALID, "The signature is valid and the document signer "
			"chains to CSCA %s (%s).", csca->subject, csca->source);
	if (r >= 0)
		r = compare_dgs(sod, dgs, ndgs, res);
	X509_free(ds);
	return r < 0 ? r : 0;
}

int eid_pa_verify_bytes(const uint8_t *data, size_t n, const struct eid_trust *trust,
			time_t at, const struct eid_pa_dg *dgs, size_t ndgs,
			struct eid_pa_result *res)
{
	struct eid_pa_sod *sod = NULL;
	int r;

	if ((r = eid_pa_sod_parse(data, n, &sod)) < 0)
		return r;
	r = eid_pa_verify(sod, trust, at, dgs, ndgs, res);
	eid_pa_sod_free(sod);
	return r;
}
