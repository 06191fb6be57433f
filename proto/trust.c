/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CSCA trust store: loading (certificates, master lists, LDIF, CRLs),
 * the sorted indexes, lookups and revocation.  See trust.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "pa.h"
#include "tlv.h"
#include "trust.h"

/* 2.23.136.1.1.2 id-icao-cscaMasterList */
static const uint8_t OID_CSCA_MASTER_LIST[] = { 0x67, 0x81, 0x08, 0x01, 0x01, 0x02 };

#define MAX_CANDIDATES 32
#define MAX_PATH_TEXT 4096

struct eid_trust {
	struct eid_trust_csca **cscas;  /* sorted by subject after every add */
	size_t n_cscas, cap_cscas;
	struct eid_trust_csca **by_ski; /* the entries with a key id, sorted by it */
	size_t n_ski;
	struct eid_trust_ml **mls;
	size_t n_mls, cap_mls;
	struct eid_trust_crl **crls;
	size_t n_crls, cap_crls;
	size_t n_duplicates, n_skipped;
	char last_error[MAX_PATH_TEXT + 128];
};

/* ---- small helpers ---- */

void eid_trust_name_text(const X509_NAME *name, char *out, size_t outsz)
{
	const unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) |
				    XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
				    XN_FLAG_DUMP_UNKNOWN_FIELDS;
	BIO *b;
	int n;

	if (!out || !outsz)
		return;
	out[0] = '\0';
	if (!name || !(b = BIO_new(BIO_s_mem())))
		return;
	if (X509_NAME_print_ex(b, name, 0, flags) >= 0) {
		n = BIO_read(b, out, (int)(outsz > 0x7FFFFFFF ? 0x7FFFFFFF : outsz - 1));
		out[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
}

time_t eid_trust_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static char *name_dup(const X509_NAME *name)
{
	char buf[1024];

	eid_trust_name_text(name, buf, sizeof(buf));
	return strdup(buf);
}

static bool grow(void *arrayp, size_t *cap, size_t need, size_t elem)
{
	void **array = arrayp;
	size_t ncap;
	void *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	if (!(p = realloc(*array, ncap * elem)))
		return false;
	*array = p;
	*cap = ncap;
	return true;
}

static X509 *d2i_cert(const uint8_t *der, size_t n)
{
	const unsigned char *p = der;

	if (n > 0x7FFFFFFF)
		return NULL;
	return d2i_X509(NULL, &p, (long)n);
}

static bool valid_at(X509 *x, time_t at)
{
	time_t nb = eid_trust_time(X509_get0_notBefore(x));
	time_t na = eid_trust_time(X509_get0_notAfter(x));

	return nb && na && nb <= at && at <= na;
}

static X509_NAME *d2i_name(const eid_cbs *el)
{
	const unsigned char *p = eid_cbs_data(el);

	return eid_cbs_len(el) > 0x7FFFFFFF ? NULL : d2i_X509_NAME(NULL, &p, (long)eid_cbs_len(el));
}

static time_t time_of(const eid_cbs *el)
{
	const unsigned char *p = eid_cbs_data(el);
	ASN1_TIME *at = d2i_ASN1_TIME(NULL, &p, (long)eid_cbs_len(el));
	time_t t = eid_trust_time(at);

	ASN1_TIME_free(at);
	return t;
}

/* Upper-case hex of an INTEGER's contents, without a leading zero byte. */
static char *serial_hex(eid_cbs v)
{
	uint8_t b;
	char *out;
	size_t n;

	if (eid_cbs_len(&v) > 1 && eid_cbs_peek_u8(&v, &b) && b == 0)
		eid_cbs_skip(&v, 1);
	n = eid_cbs_len(&v);
	if (n > 64 || !(out = malloc(2 * n + 1)))
		return NULL;
	eid_hex(eid_cbs_data(&v), n, out);
	for (size_t i = 0; out[i]; i++)
		if (out[i] >= 'a' && out[i] <= 'f')
			out[i] = (char)(out[i] - 'a' + 'A');
	return out;
}

/* ---- certificates, parsed just enough to index them ---- */

static const uint8_t OID_SKI[] = { 0x55, 0x1D, 0x0E };
static const uint8_t OID_BASIC_CONSTRAINTS[] = { 0x55, 0x1D, 0x13 };

struct cert_info {
	eid_cbs serial;                  /* INTEGER contents */
	eid_cbs issuer, subject, spki;   /* elements */
	eid_cbs not_before, not_after;   /* Time elements */
	eid_cbs ski;                     /* key identifier octets, or empty */
	bool has_bc, is_ca;              /* basicConstraints present, cA TRUE */
};

/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
static int parse_extension(eid_cbs ext, struct cert_info *ci)
{
	eid_cbs oid, crit, val, bc, ca;
	bool present;
	uint8_t b;

	if (!eid_der_get_oid(&ext, &oid) || !eid_tlv_get_optional(&ext, 0x01, &crit, &present) ||
	    !eid_tlv_get(&ext, 0x04, &val))
		return -EID_EPARSE;
	if (eid_cbs_len(&oid) == sizeof(OID_SKI) && !memcmp(eid_cbs_data(&oid), OID_SKI, 3)) {
		if (!eid_tlv_get(&val, 0x04, &ci->ski))
			return -EID_EPARSE;
	} else if (eid_cbs_len(&oid) == sizeof(OID_BASIC_CONSTRAINTS) &&
		   !memcmp(eid_cbs_data(&oid), OID_BASIC_CONSTRAINTS, 3)) {
		if (!eid_tlv_get(&val, 0x30, &bc) || !eid_tlv_get_optional(&bc, 0x01, &ca, &present))
			return -EID_EPARSE;
		ci->has_bc = true;
		ci->is_ca = present && eid_cbs_get_u8(&ca, &b) && b != 0;
	}
	return 0;
}

/*
 * Certificate ::= SEQUENCE { TBSCertificate ::= SEQUENCE { [0] version,
 *   serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo,
 *   [1] issuerUID, [2] subjectUID, [3] extensions }, ... }
 */
static int parse_cert_info(const eid_cbs *der, struct cert_info *ci)
{
	eid_cbs c = *der, cert, tbs, tmp, validity, exts, ext;
	uint32_t tag;
	bool present;
	int r;

	memset(ci, 0, sizeof(*ci));
	if (!eid_tlv_get(&c, 0x30, &cert) || !eid_tlv_get(&cert, 0x30, &tbs) ||
	    !eid_tlv_get_optional(&tbs, 0xA0, &tmp, &present) ||
	    !eid_tlv_get(&tbs, 0x02, &ci->serial) || !eid_tlv_get(&tbs, 0x30, &tmp) ||
	    !eid_tlv_get_element_tag(&tbs, 0x30, &ci->issuer) || !eid_tlv_get(&tbs, 0x30, &validity) ||
	    !eid_tlv_get_element(&validity, &tag, &ci->not_before) ||
	    !eid_tlv_get_element(&validity, &tag, &ci->not_after) ||
	    !eid_tlv_get_element_tag(&tbs, 0x30, &ci->subject) || !eid_tlv_get_element_tag(&tbs, 0x30, &ci->spki) ||
	    !eid_tlv_get_optional(&tbs, 0x81, &tmp, &present) ||
	    !eid_tlv_get_optional(&tbs, 0x82, &tmp, &present) ||
	    !eid_tlv_get_optional(&tbs, 0xA3, &tmp, &present))
		return -EID_EPARSE;
	if (!present)
		return 0;
	if (!eid_tlv_get(&tmp, 0x30, &exts))
		return -EID_EPARSE;
	while (eid_cbs_len(&exts)) {
		if (!eid_tlv_get(&exts, 0x30, &ext))
			return -EID_EPARSE;
		if ((r = parse_extension(ext, ci)) < 0)
			return r;
	}
	return 0;
}

/* A CA: basicConstraints cA TRUE, or (old style) no basicConstraints and self-issued. */
static bool cert_is_ca(const struct cert_info *ci)
{
	X509_NAME *issuer, *subject;
	bool self;

	if (ci->has_bc)
		return ci->is_ca;
	issuer = d2i_name(&ci->issuer);
	subject = d2i_name(&ci->subject);
	self = issuer && subject && !X509_NAME_cmp(issuer, subject);
	X509_NAME_free(issuer);
	X509_NAME_free(subject);
	return self;
}

EVP_PKEY *eid_trust_csca_get1_key(const struct eid_trust_csca *c)
{
	const unsigned char *p;
	EVP_PKEY *key;

	if (!c)
		return NULL;
	p = eid_cbs_data(&c->spki);
	key = d2i_PUBKEY(NULL, &p, (long)eid_cbs_len(&c->spki));
	ERR_clear_error();
	return key;
}

X509 *eid_trust_csca_get1_cert(const struct eid_trust_csca *c)
{
	X509 *x;

	if (!c)
		return NULL;
	x = d2i_cert(c->der.data, c->der.len);
	ERR_clear_error();
	return x;
}

/* ---- the store ---- */

struct eid_trust *eid_trust_new(void)
{
	return calloc(1, sizeof(struct eid_trust));
}

static void csca_free(struct eid_trust_csca *c)
{
	if (!c)
		return;
	eid_buf_free(&c->der);
	X509_NAME_free(c->name);
	free(c->subject);
	free(c->serial);
	free(c->source);
	free(c);
}

static void ml_free(struct eid_trust_ml *m)
{
	if (!m)
		return;
	free(m->source);
	free(m->signer);
	free(m);
}

static void crl_free(struct eid_trust_crl *c)
{
	if (!c)
		return;
	X509_CRL_free(c->crl);
	free(c->issuer);
	free(c->source);
	eid_buf_free(&c->der);
	free(c);
}

void eid_trust_free(struct eid_trust *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_cscas; i++)
		csca_free(t->cscas[i]);
	for (size_t i = 0; i < t->n_mls; i++)
		ml_free(t->mls[i]);
	for (size_t i = 0; i < t->n_crls; i++)
		crl_free(t->crls[i]);
	free(t->cscas);
	free(t->by_ski);
	free(t->mls);
	free(t->crls);
	free(t);
}

/* ---- indexes ---- */

static int cmp_subject(const void *a, const void *b)
{
	const struct eid_trust_csca *x = *(struct eid_trust_csca *const *)a;
	const struct eid_trust_csca *y = *(struct eid_trust_csca *const *)b;
	int c = X509_NAME_cmp(x->name, y->name);

	if (c)
		return c;
	c = memcmp(x->sha256, y->sha256, sizeof(x->sha256));
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_keyid(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = memcmp(a, b, alen);
	return c;
}

static int cmp_ski(const void *a, const void *b)
{
	const struct eid_trust_csca *x = *(struct eid_trust_csca *const *)a;
	const struct eid_trust_csca *y = *(struct eid_trust_csca *const *)b;

	return cmp_keyid(x->ski, x->ski_len, y->ski, y->ski_len);
}

/*
 * Sort by subject (then fingerprint, then arrival), drop later copies of a
 * certificate, rebuild the key-id index.  Run at the end of every add.
 */
static int reindex(struct eid_trust *t)
{
	struct eid_trust_csca **ski;
	size_t n = 0, k = 0;

	if (t->n_cscas > 1)
		qsort(t->cscas, t->n_cscas, sizeof(*t->cscas), cmp_subject);
	for (size_t i = 0; i < t->n_cscas; i++) {
		if (n && !memcmp(t->cscas[n - 1]->sha256, t->cscas[i]->sha256, 32)) {
			csca_free(t->cscas[i]);
			t->n_duplicates++;
			continue;
		}
		t->cscas[n++] = t->cscas[i];
	}
	t->n_cscas = n;
	if (!(ski = realloc(t->by_ski, (n ? n : 1) * sizeof(*ski))))
		return -EID_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (t->cscas[i]->ski_len)
			ski[k++] = t->cscas[i];
	if (k > 1)
		qsort(ski, k, sizeof(*ski), cmp_ski);
	t->by_ski = ski;
	t->n_ski = k;
	return 0;
}

/* First index whose subject is >= name. */
static size_t lower_bound_subject(const struct eid_trust *t, const X509_NAME *name)
{
	size_t lo = 0, hi = t->n_cscas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (X509_NAME_cmp(t->cscas[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t subject_range(const struct eid_trust *t, const X509_NAME *name, size_t *first)
{
	size_t lo = lower_bound_subject(t, name), hi = lo;

	while (hi < t->n_cscas && !X509_NAME_cmp(t->cscas[hi]->name, name))
		hi++;
	*first = lo;
	return hi - lo;
}

size_t eid_trust_find_subject(const struct eid_trust *t, const uint8_t *name_der, size_t n,
			      size_t *first)
{
	const unsigned char *p = name_der;
	X509_NAME *name;
	size_t count;

	*first = 0;
	if (!t || !name_der || n > 0x7FFFFFFF || !(name = d2i_X509_NAME(NULL, &p, (long)n))) {
		ERR_clear_error();
		return 0;
	}
	count = subject_range(t, name, first);
	X509_NAME_free(name);
	return count;
}

size_t eid_trust_find_ski(const struct eid_trust *t, const uint8_t *ski, size_t n,
			  const struct eid_trust_csca **out, size_t max)
{
	size_t lo = 0, hi, found = 0;

	if (!t || !ski || !n)
		return 0;
	hi = t->n_ski;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_keyid(t->by_ski[mid]->ski, t->by_ski[mid]->ski_len, ski, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n_ski && !cmp_keyid(t->by_ski[lo]->ski, t->by_ski[lo]->ski_len, ski, n);
	     lo++, found++)
		if (found < max && out)
			out[found] = t->by_ski[lo];
	return found;
}

static bool keyid_is(const ASN1_OCTET_STRING *id, const struct eid_trust_csca *c)
{
	return id && c->ski_len && !cmp_keyid(ASN1_STRING_get0_data(id),
					      (size_t)ASN1_STRING_length(id), c->ski, c->ski_len);
}

size_t eid_trust_find_issuers(const struct eid_trust *t, X509 *cert,
			      const struct eid_trust_csca **out, size_t max)
{
	const ASN1_OCTET_STRING *aki;
	const struct eid_trust_csca *by_key[MAX_CANDIDATES];
	size_t first, count, n = 0, nk;

	if (!t || !cert || !out)
		return 0;
	aki = X509_get0_authority_key_id(cert);
	count = subject_range(t, X509_get_issuer_name(cert), &first);
	for (size_t i = first; i < first + count && n < max; i++) {
		const struct eid_trust_csca *c = t->cscas[i];

		if (aki && c->ski_len && !keyid_is(aki, c))
			continue; /* same name, another key (rollover) */
		out[n++] = c;
	}
	if (!aki)
		return n;
	nk = eid_trust_find_ski(t, ASN1_STRING_get0_data(aki), (size_t)ASN1_STRING_length(aki),
				by_key, MAX_CANDIDATES);
	for (size_t i = 0; i < nk && i < MAX_CANDIDATES && n < max; i++) {
		bool seen = false;

		for (size_t j = 0; j < n; j++)
			seen |= out[j] == by_key[i];
		if (!seen)
			out[n++] = by_key[i];
	}
	return n;
}

/* ---- adding certificates ---- */

/*
 * Add a copy of a certificate.  With require_ca, a certificate that is not
 * a CA is skipped (1 is returned).
 */
static int add_csca(struct eid_trust *t, const uint8_t *der, size_t n, const char *source,
		    bool require_ca)
{
	struct eid_trust_csca *c = NULL;
	struct cert_info ci;
	eid_cbs view;
	int r = -EID_ENOMEM;

	if (!grow(&t->cscas, &t->cap_cscas, t->n_cscas + 1, sizeof(*t->cscas)) ||
	    !(c = calloc(1, sizeof(*c))))
		goto out;
	eid_buf_init(&c->der);
	if ((r = eid_buf_set(&c->der, der, n)) < 0)
		goto out;
	eid_buf_cbs(&c->der, &view);
	if ((r = parse_cert_info(&view, &ci)) < 0)
		goto out;
	if (require_ca && !cert_is_ca(&ci)) {
		r = 1;
		goto out;
	}
	r = -EID_EPARSE;
	c->spki = ci.spki;
	c->not_before = time_of(&ci.not_before);
	c->not_after = time_of(&ci.not_after);
	if (!(c->name = d2i_name(&ci.subject)) || !c->not_before || !c->not_after ||
	    eid_cbs_len(&ci.ski) > EID_TRUST_KEYID_MAX)
		goto out;
	r = -EID_ENOMEM;
	c->seq = t->n_cscas + t->n_duplicates; /* only the order matters */
	c->subject = name_dup(c->name);
	c->serial = serial_hex(ci.serial);
	c->source = strdup(source ? source : "");
	if (!c->subject || !c->serial || !c->source)
		goto out;
	c->ski_len = eid_cbs_len(&ci.ski);
	if (c->ski_len)
		memcpy(c->ski, eid_cbs_data(&ci.ski), c->ski_len);
	if ((r = eid_sha256(der, n, c->sha256)) < 0)
		goto out;
	t->cscas[t->n_cscas++] = c;
	c = NULL;
	r = 0;
out:
	csca_free(c);
	ERR_clear_error();
	return r;
}

static int add_cert(struct eid_trust *t, const uint8_t *der, size_t n, const char *source)
{
	int r = add_csca(t, der, n, source, true);

	if (r == 1) /* a document signer or other end entity: not an anchor */
		t->n_skipped++;
	return r < 0 ? r : 0;
}

int eid_trust_add_cert(struct eid_trust *t, const uint8_t *der, size_t n, const char *source)
{
	int r, r2;

	if (!t || (!der && n))
		return -EID_EINVAL;
	r = add_cert(t, der, n, source);
	r2 = reindex(t);
	return r < 0 ? r : r2;
}

/* ---- CRLs ---- */

static int add_crl(struct eid_trust *t, const uint8_t *der, size_t n, const char *source)
{
	struct eid_trust_crl *c = NULL;
	const unsigned char *p = der;
	int r = -EID_ENOMEM;

	if (!grow(&t->crls, &t->cap_crls, t->n_crls + 1, sizeof(*t->crls)) ||
	    !(c = calloc(1, sizeof(*c))))
		goto out;
	eid_buf_init(&c->der);
	r = -EID_EPARSE;
	if (n > 0x7FFFFFFF || !(c->crl = d2i_X509_CRL(NULL, &p, (long)n)))
		goto out;
	r = -EID_ENOMEM;
	if (eid_buf_set(&c->der, der, n) < 0 ||
	    !(c->issuer = name_dup(X509_CRL_get_issuer(c->crl))) ||
	    !(c->source = strdup(source ? source : "")))
		goto out;
	c->this_update = eid_trust_time(X509_CRL_get0_lastUpdate(c->crl));
	c->next_update = eid_trust_time(X509_CRL_get0_nextUpdate(c->crl));
	c->n_revoked = (size_t)sk_X509_REVOKED_num(X509_CRL_get_REVOKED(c->crl));
	t->crls[t->n_crls++] = c;
	c = NULL;
	r = 0;
out:
	crl_free(c);
	ERR_clear_error();
	return r;
}

int eid_trust_add_crl(struct eid_trust *t, const uint8_t *der, size_t n, const char *source)
{
	if (!t || (!der && n))
		return -EID_EINVAL;
	return add_crl(t, der, n, source);
}

enum eid_trust_revocation eid_trust_revocation(const struct eid_trust *t,
					       const struct eid_trust_csca *csca, X509 *cert,
					       const char **crl_source)
{
	enum eid_trust_revocation st = EID_TRUST_REV_UNKNOWN;
	EVP_PKEY *key;

	if (crl_source)
		*crl_source = NULL;
	if (!t || !csca || !cert || !t->n_crls || !(key = eid_trust_csca_get1_key(csca)))
		return st;
	for (size_t i = 0; i < t->n_crls; i++) {
		const struct eid_trust_crl *c = t->crls[i];
		X509_REVOKED *rev = NULL;

		if (X509_NAME_cmp(X509_CRL_get_issuer(c->crl), csca->name) ||
		    eid_pa_verify_signed_der(c->der.data, c->der.len, key) < 0)
			continue; /* another issuer's, or not signed by this CSCA's key */
		if (crl_source)
			*crl_source = c->source;
		if (X509_CRL_get0_by_serial(c->crl, &rev, X509_get0_serialNumber(cert)) == 1) {
			st = EID_TRUST_REV_REVOKED;
			break;
		}
		st = EID_TRUST_REV_NOT_REVOKED;
	}
	EVP_PKEY_free(key);
	ERR_clear_error();
	return st;
}

/* ---- master lists ---- */

/* CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate } */
static int parse_ml_content(const eid_cbs *content, eid_cbs **out, size_t *nout)
{
	eid_cbs c = *content, seq, version, set, el, *list = NULL;
	size_t n = 0, cap = 0;
	uint32_t tag;

	*out = NULL;
	*nout = 0;
	if (!eid_tlv_get(&c, 0x30, &seq) || !eid_tlv_get(&seq, 0x02, &version) ||
	    !eid_tlv_get(&seq, 0x31, &set))
		return -EID_EPARSE;
	while (eid_cbs_len(&set)) {
		if (!eid_tlv_get_element(&set, &tag, &el)) {
			free(list);
			return -EID_EPARSE;
		}
		if (!grow(&list, &cap, n + 1, sizeof(*list))) {
			free(list);
			return -EID_ENOMEM;
		}
		list[n++] = el;
	}
	*out = list;
	*nout = n;
	return 0;
}

static bool key_signs(EVP_PKEY *key, const eid_cbs *der)
{
	bool ok = key && eid_pa_verify_signed_der(eid_cbs_data(der), eid_cbs_len(der), key) == 0;

	EVP_PKEY_free(key);
	ERR_clear_error();
	return ok;
}

/* Is der (a certificate in the list) named issuer, and does its key sign signer_der? */
static bool list_entry_signs(const eid_cbs *der, const X509_NAME *issuer,
			     const eid_cbs *signer_der)
{
	struct cert_info ci;
	X509_NAME *name;
	const unsigned char *p;
	bool same;

	if (parse_cert_info(der, &ci) < 0 || !(name = d2i_name(&ci.subject)))
		return false;
	same = !X509_NAME_cmp(name, issuer);
	X509_NAME_free(name);
	if (!same)
		return false;
	p = eid_cbs_data(&ci.spki);
	return key_signs(d2i_PUBKEY(NULL, &p, (long)eid_cbs_len(&ci.spki)), signer_der);
}

/*
 * The master list signer must be issued by a CSCA in the list itself or
 * already in the store, and be valid when it signed (signingTime).
 */
static int check_ml_signer(const struct eid_trust *t, X509 *signer, const eid_cbs *signer_der,
			   const eid_cbs *list, size_t n, time_t signing_time)
{
	const struct eid_trust_csca *cand[MAX_CANDIDATES];
	const X509_NAME *issuer = X509_get_issuer_name(signer);
	size_t nc;

	if (signing_time && !valid_at(signer, signing_time))
		return -EID_EAUTH;
	for (size_t i = 0; i < n; i++)
		if (list_entry_signs(&list[i], issuer, signer_der))
			return 0;
	nc = eid_trust_find_issuers(t, signer, cand, MAX_CANDIDATES);
	for (size_t i = 0; i < nc; i++)
		if (key_signs(eid_trust_csca_get1_key(cand[i]), signer_der))
			return 0;
	return -EID_EAUTH;
}

static time_t signing_time(const struct eid_pa_cms *cms)
{
	const unsigned char *p = eid_cbs_data(&cms->attr_signing_time);
	ASN1_TIME *at;
	time_t tt;

	if (!eid_cbs_len(&cms->attr_signing_time))
		return 0;
	at = d2i_ASN1_TIME(NULL, &p, (long)eid_cbs_len(&cms->attr_signing_time));
	tt = eid_trust_time(at);
	ASN1_TIME_free(at);
	ERR_clear_error();
	return tt;
}

static int record_ml(struct eid_trust *t, const char *source, X509 *signer, time_t when,
		     size_t n_certs, size_t n_added)
{
	struct eid_trust_ml *m;

	if (!grow(&t->mls, &t->cap_mls, t->n_mls + 1, sizeof(*t->mls)) ||
	    !(m = calloc(1, sizeof(*m))))
		return -EID_ENOMEM;
	m->source = strdup(source ? source : "");
	m->signer = name_dup(X509_get_subject_name(signer));
	m->signing_time = when;
	m->n_certs = n_certs;
	m->n_added = n_added;
	if (!m->source || !m->signer) {
		ml_free(m);
		return -EID_ENOMEM;
	}
	t->mls[t->n_mls++] = m;
	return 0;
}

static int add_masterlist(struct eid_trust *t, const uint8_t *data, size_t n, const char *source)
{
	struct eid_pa_cms cms;
	eid_cbs *list = NULL, signer_der;
	size_t nlist = 0, before;
	X509 *signer = NULL;
	char *src = NULL, signer_name[1024];
	eid_buf definite = EID_BUF_INIT;
	time_t when;
	int r;

	r = eid_pa_cms_parse(data, n, &cms);
	if (r == -EID_EPARSE) { /* indefinite lengths */
		if ((r = eid_pa_ber_definite(data, n, &definite)) == 0)
			r = eid_pa_cms_parse(definite.data, definite.len, &cms);
	}
	if (r < 0)
		goto out;
	r = -EID_EPARSE;
	if (eid_cbs_len(&cms.econtent_type) != sizeof(OID_CSCA_MASTER_LIST) ||
	    memcmp(eid_cbs_data(&cms.econtent_type), OID_CSCA_MASTER_LIST,
		   sizeof(OID_CSCA_MASTER_LIST)))
		goto out; /* a signed object, but not a master list */
	if ((r = parse_ml_content(&cms.econtent, &list, &nlist)) < 0)
		goto out;
	if ((r = reindex(t)) < 0) /* the signer's issuer is looked up below */
		goto out;
	before = t->n_cscas;
	when = signing_time(&cms);
	if ((r = eid_pa_cms_signer(&cms, &signer, &signer_der)) < 0 ||
	    (r = eid_pa_cms_verify(&cms, signer, NULL)) < 0 ||
	    (r = check_ml_signer(t, signer, &signer_der, list, nlist, when)) < 0) {
		r = r == -EID_ENOMEM ? r : -EID_EAUTH;
		goto out;
	}
	eid_trust_name_text(X509_get_subject_name(signer), signer_name, sizeof(signer_name));
	r = -EID_ENOMEM;
	if (asprintf(&src, "master list %s (%s)", source ? source : "", signer_name) < 0) {
		src = NULL;
		goto out;
	}
	for (size_t i = 0; i < nlist; i++) {
		r = add_csca(t, eid_cbs_data(&list[i]), eid_cbs_len(&list[i]), src, false);
		if (r == -EID_EPARSE)
			t->n_skipped++; /* one bad entry does not spoil the list */
		else if (r < 0)
			goto out;
	}
	if ((r = reindex(t)) < 0)
		goto out;
	r = record_ml(t, source, signer, when, nlist, t->n_cscas - before);
out:
	free(list);
	free(src);
	X509_free(signer);
	eid_buf_free(&definite);
	ERR_clear_error();
	return r;
}

int eid_trust_add_masterlist(struct eid_trust *t, const uint8_t *data, size_t n,
			     const char *source)
{
	int r, r2;

	if (!t || (!data && n))
		return -EID_EINVAL;
	r = add_masterlist(t, data, n, source);
	r2 = reindex(t); /* entries added before a failure stay consistent */
	return r < 0 ? r : r2;
}

/* ---- text formats: lines, base64, PEM, LDIF ---- */

/* Offset of the first ch in c; false when there is none. */
static bool find_byte(const eid_cbs *c, uint8_t ch, size_t *pos)
{
	const uint8_t *p;

	if (!eid_cbs_len(c) || !(p = memchr(eid_cbs_data(c), ch, eid_cbs_len(c))))
		return false;
	*pos = (size_t)(p - eid_cbs_data(c));
	return true;
}

/* Next line without its end (LF or CRLF); false at the end of the input. */
static bool next_line(eid_cbs *in, eid_cbs *line)
{
	size_t len;

	if (!eid_cbs_len(in))
		return false;
	if (!find_byte(in, '\n', &len))
		len = eid_cbs_len(in);
	eid_cbs_get_bytes(in, line, len);
	eid_cbs_skip(in, 1); /* the LF, if any */
	{
		eid_cbs last, tmp = *line;

		if (eid_cbs_get_last(&tmp, &last, 1) && eid_cbs_equal(&last, "\r", 1))
			*line = tmp;
	}
	return true;
}

static int b64_value(uint8_t ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Decode base64 (white space ignored, padding checked), appending to out. */
static int base64_decode(eid_cbs in, eid_buf *out)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	uint8_t ch;

	while (eid_cbs_get_u8(&in, &ch)) {
		int v;

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64_value(ch)) < 0)
			return -EID_EPARSE;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			eid_buf_add_u8(out, (uint8_t)(acc >> bits));
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || (bits == 0 && pad) || (bits == 2 && pad != 1) || (bits == 4 && pad != 2) ||
	    bits == 6 || (acc & ((1u << bits) - 1)))
		return -EID_EPARSE;
	return eid_buf_status(out);
}

static bool starts_with(const eid_cbs *c, const char *s)
{
	size_t n = strlen(s);

	return eid_cbs_len(c) >= n && !memcmp(eid_cbs_data(c), s, n);
}

/* A DER object: certificate, CRL or CMS (master list)? */
enum der_kind { DER_UNKNOWN, DER_CERT, DER_CRL, DER_CMS };

static enum der_kind der_kind(const uint8_t *data, size_t n)
{
	eid_cbs c, seq, tbs, tmp;
	uint32_t tag;

	eid_cbs_init(&c, data, n);
	if (!eid_tlv_get(&c, 0x30, &seq) || !eid_tlv_peek_tag(&seq, &tag))
		return DER_UNKNOWN;
	if (tag == 0x06)
		return DER_CMS;
	if (tag != 0x30 || !eid_tlv_get(&seq, 0x30, &tbs))
		return DER_UNKNOWN;
	/* TBSCertificate: [0] version, serial, alg, issuer, validity SEQUENCE ...
	 * TBSCertList:    version?, alg, issuer, thisUpdate Time ... */
	if (eid_tlv_peek_tag(&tbs, &tag) && tag == 0xA0)
		return DER_CERT;
	if (eid_tlv_peek_tag(&tbs, &tag) && tag == 0x02)
		eid_tlv_get(&tbs, 0x02, &tmp);
	if (!eid_tlv_get(&tbs, 0x30, &tmp) || !eid_tlv_get(&tbs, 0x30, &tmp) ||
	    !eid_tlv_peek_tag(&tbs, &tag))
		return DER_UNKNOWN;
	if (tag == 0x30)
		return DER_CERT;
	return tag == 0x17 || tag == 0x18 ? DER_CRL : DER_UNKNOWN;
}

static int add_der(struct eid_trust *t, const uint8_t *data, size_t n, const char *source)
{
	switch (der_kind(data, n)) {
	case DER_CERT:
		return add_cert(t, data, n, source);
	case DER_CRL:
		return add_crl(t, data, n, source);
	case DER_CMS:
		return add_masterlist(t, data, n, source);
	default:
		return -EID_EPARSE;
	}
}

static void keep_first(int *first, int r)
{
	if (r < 0 && *first == 0)
		*first = r;
}

/* PEM: -----BEGIN LABEL----- base64 -----END LABEL-----, several per file. */
static int add_pem(struct eid_trust *t, eid_cbs in, const char *source)
{
	eid_buf der = EID_BUF_INIT, body = EID_BUF_INIT;
	eid_cbs line, label = { NULL, 0 }, b;
	bool inside = false;
	int first = 0, r, objects = 0;

	while (next_line(&in, &line)) {
		if (!inside && starts_with(&line, "-----BEGIN ")) {
			inside = true;
			label = line;
			eid_cbs_skip(&label, 11);
			eid_buf_reset(&body);
			continue;
		}
		if (!inside)
			continue;
		if (!starts_with(&line, "-----END ")) {
			size_t colon;

			if (!find_byte(&line, ':', &colon))
				eid_buf_add_cbs(&body, &line); /* not an RFC 1421 header */
			continue;
		}
		inside = false;
		eid_buf_reset(&der);
		eid_buf_cbs(&body, &b);
		if ((r = base64_decode(b, &der)) < 0) {
			keep_first(&first, r);
			continue;
		}
		if (starts_with(&label, "CERTIFICATE-----") ||
		    starts_with(&label, "X509 CERTIFICATE-----"))
			r = add_cert(t, der.data, der.len, source);
		else if (starts_with(&label, "X509 CRL-----"))
			r = add_crl(t, der.data, der.len, source);
		else if (starts_with(&label, "CMS-----") || starts_with(&label, "PKCS7-----"))
			r = add_masterlist(t, der.data, der.len, source);
		else
			continue; /* keys and other objects are not ours */
		objects++;
		keep_first(&first, r);
	}
	if (!first && (inside || !objects))
		first = -EID_EPARSE;
	eid_buf_free(&der);
	eid_buf_free(&body);
	return first;
}

/* LDIF attribute names, compared without case. */
static bool attr_is(const eid_cbs *name, const char *want)
{
	size_t n = strlen(want);

	return eid_cbs_len(name) == n && !strncasecmp((const char *)eid_cbs_data(name), want, n);
}

struct ldif_state {
	const char *path;
	eid_buf dn;
	eid_buf value;
	int first_error;
	size_t objects;
};

/* One unfolded "name: value" / "name:: base64" line of an LDIF record. */
static int ldif_attribute(struct eid_trust *t, struct ldif_state *st, eid_cbs line)
{
	eid_cbs name, val;
	size_t colon;
	char *src = NULL;
	bool b64;
	uint8_t ch;
	int r;

	if (!eid_cbs_len(&line) || eid_cbs_data(&line)[0] == '#')
		return 0;
	if (!find_byte(&line, ':', &colon))
		return -EID_EPARSE;
	eid_cbs_get_bytes(&line, &name, colon);
	eid_cbs_skip(&line, 1);
	b64 = eid_cbs_peek_u8(&line, &ch) && ch == ':';
	if (b64)
		eid_cbs_skip(&line, 1);
	else if (eid_cbs_peek_u8(&line, &ch) && ch == '<')
		return 0; /* a URL reference: not followed */
	while (eid_cbs_peek_u8(&line, &ch) && ch == ' ')
		eid_cbs_skip(&line, 1);
	val = line;
	eid_buf_reset(&st->value);
	if (b64 && (r = base64_decode(val, &st->value)) < 0)
		return r;
	if (!b64 && (r = eid_buf_add_cbs(&st->value, &val)) < 0)
		return r;
	if (attr_is(&name, "dn")) {
		eid_buf_reset(&st->dn);
		eid_buf_add(&st->dn, st->value.data, st->value.len);
		return eid_buf_status(&st->dn);
	}
	if (!attr_is(&name, "userCertificate;binary") && !attr_is(&name, "cACertificate;binary") &&
	    !attr_is(&name, "pkdMasterListContent") &&
	    !attr_is(&name, "certificateRevocationList;binary"))
		return 0;
	if (!b64)
		return -EID_EPARSE;
	if (asprintf(&src, "%s (%.*s)", st->path, (int)(st->dn.len > 512 ? 512 : st->dn.len),
		     st->dn.data ? (const char *)st->dn.data : "") < 0)
		return -EID_ENOMEM;
	st->objects++;
	if (attr_is(&name, "pkdMasterListContent"))
		r = add_masterlist(t, st->value.data, st->value.len, src);
	else if (attr_is(&name, "certificateRevocationList;binary"))
		r = add_crl(t, st->value.data, st->value.len, src);
	else
		r = add_cert(t, st->value.data, st->value.len, src);
	free(src);
	return r;
}

static int add_ldif(struct eid_trust *t, eid_cbs in, const char *source)
{
	struct ldif_state st = { .path = source ? source : "", .first_error = 0 };
	eid_buf cur = EID_BUF_INIT;
	eid_cbs line, c;
	bool have = false;
	int r;

	eid_buf_init(&st.dn);
	eid_buf_init(&st.value);
	for (;;) {
		bool more = next_line(&in, &line);
		uint8_t ch;

		if (more && eid_cbs_peek_u8(&line, &ch) && ch == ' ') {
			eid_cbs_skip(&line, 1); /* folded: continues the previous line */
			eid_buf_add_cbs(&cur, &line);
			continue;
		}
		if (have) {
			if ((r = eid_buf_status(&cur)) < 0)
				goto out;
			eid_buf_cbs(&cur, &c);
			keep_first(&st.first_error, ldif_attribute(t, &st, c));
		}
		if (!more)
			break;
		eid_buf_reset(&cur);
		if (!eid_cbs_len(&line)) { /* a blank line ends the record */
			eid_buf_reset(&st.dn);
			have = false;
			continue;
		}
		eid_buf_add_cbs(&cur, &line);
		have = true;
	}
	r = st.first_error ? st.first_error : st.objects ? 0 : -EID_EPARSE;
out:
	eid_buf_free(&cur);
	eid_buf_free(&st.dn);
	eid_buf_free(&st.value);
	return r;
}

int eid_trust_add_ldif(struct eid_trust *t, const uint8_t *data, size_t n, const char *source)
{
	eid_cbs in;
	int r, r2;

	if (!t || (!data && n))
		return -EID_EINVAL;
	eid_cbs_init(&in, data, n);
	r = add_ldif(t, in, source);
	r2 = reindex(t);
	return r < 0 ? r : r2;
}

/* Text that holds a PEM object somewhere? */
static bool has_pem(const uint8_t *data, size_t n)
{
	static const char marker[] = "-----BEGIN ";

	return n >= sizeof(marker) - 1 && memmem(data, n, marker, sizeof(marker) - 1) != NULL;
}

/* LDIF starts with "version:", "dn:" or a comment (after blank lines). */
static bool looks_like_ldif(eid_cbs in)
{
	eid_cbs line;

	while (next_line(&in, &line)) {
		if (!eid_cbs_len(&line))
			continue;
		return starts_with(&line, "version:") || starts_with(&line, "dn:") ||
		       starts_with(&line, "#");
	}
	return false;
}

int eid_trust_add_bytes(struct eid_trust *t, const uint8_t *data, size_t n, const char *source)
{
	eid_cbs in;
	uint8_t first;
	int r, r2;

	if (!t || (!data && n))
		return -EID_EINVAL;
	eid_cbs_init(&in, data, n);
	if (!eid_cbs_peek_u8(&in, &first))
		return -EID_EPARSE;
	if (first == 0x30)
		r = add_der(t, data, n, source);
	else if (looks_like_ldif(in))
		r = add_ldif(t, in, source);
	else if (has_pem(data, n))
		r = add_pem(t, in, source);
	else
		r = -EID_EPARSE;
	r2 = reindex(t);
	return r < 0 ? r : r2;
}

/* ---- files and directories ---- */

static int read_file(const char *path, eid_buf *out)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	size_t got;
	int r = 0;

	if (!f)
		return errno == ENOENT ? -EID_ENOTFOUND : -EID_EINVAL;
	for (;;) {
		if (out->len >= EID_TRUST_MAX_FILE) {
			r = -EID_ETOOBIG;
			break;
		}
		if (!(p = eid_buf_add_space(out, 65536))) {
			r = -EID_ENOMEM;
			break;
		}
		got = fread(p, 1, 65536, f);
		eid_buf_truncate(out, out->len - 65536 + got);
		if (got < 65536) {
			if (ferror(f))
				r = -EID_EINVAL;
			break;
		}
	}
	fclose(f);
	return r;
}

static void set_error(struct eid_trust *t, const char *path, int r)
{
	snprintf(t->last_error, sizeof(t->last_error), "%s: %s", path, eid_strerror(r));
}

static int load_file(struct eid_trust *t, const char *path)
{
	eid_buf data = EID_BUF_INIT;
	int r;

	if ((r = read_file(path, &data)) == 0)
		r = eid_trust_add_bytes(t, data.data, data.len, path);
	if (r < 0)
		set_error(t, path, r);
	eid_buf_free(&data);
	return r;
}

static bool known_extension(const char *name)
{
	static const char *const ext[] = { ".pem", ".crt", ".cer", ".der", ".ml", ".ldif", ".crl" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && !strcasecmp(name + n - e, ext[i]))
			return true;
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct eid_trust *t, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL, full[MAX_PATH_TEXT], first_error[sizeof(t->last_error)] = "";
	size_t n = 0, cap = 0;
	int first = 0;

	if (!d) {
		set_error(t, path, -EID_ENOTFOUND);
		return -EID_ENOTFOUND;
	}
	while ((e = readdir(d))) {
		char *s;

		if (e->d_name[0] == '.' || !known_extension(e->d_name))
			continue;
		if (!grow(&names, &cap, n + 1, sizeof(*names)) || !(s = strdup(e->d_name))) {
			first = -EID_ENOMEM;
			set_error(t, path, first);
			snprintf(first_error, sizeof(first_error), "%s", t->last_error);
			break;
		}
		names[n++] = s;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int r;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &st) || !S_ISREG(st.st_mode))
			continue;
		r = load_file(t, full);
		if (r < 0 && !first) {
			first = r;
			snprintf(first_error, sizeof(first_error), "%s", t->last_error);
		}
	}
	if (first)
		snprintf(t->last_error, sizeof(t->last_error), "%s", first_error);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return first;
}

int eid_trust_load(struct eid_trust *t, const char *path)
{
	struct stat st;

	if (!t || !path)
		return -EID_EINVAL;
	if (stat(path, &st)) {
		set_error(t, path, -EID_ENOTFOUND);
		return -EID_ENOTFOUND;
	}
	return S_ISDIR(st.st_mode) ? load_dir(t, path) : load_file(t, path);
}

const char *eid_trust_last_error(const struct eid_trust *t)
{
	return t ? t->last_error : "";
}

/* ---- reports ---- */

void eid_trust_get_summary(const struct eid_trust *t, struct eid_trust_summary *s)
{
	memset(s, 0, sizeof(*s));
	if (!t)
		return;
	s->n_cscas = t->n_cscas;
	s->n_master_lists = t->n_mls;
	s->n_crls = t->n_crls;
	s->n_duplicates = t->n_duplicates;
	s->n_skipped = t->n_skipped;
}

size_t eid_trust_csca_count(const struct eid_trust *t)
{
	return t ? t->n_cscas : 0;
}

const struct eid_trust_csca *eid_trust_csca_get(const struct eid_trust *t, size_t i)
{
	return t && i < t->n_cscas ? t->cscas[i] : NULL;
}

size_t eid_trust_ml_count(const struct eid_trust *t)
{
	return t ? t->n_mls : 0;
}

const struct eid_trust_ml *eid_trust_ml_get(const struct eid_trust *t, size_t i)
{
	return t && i < t->n_mls ? t->mls[i] : NULL;
}

size_t eid_trust_crl_count(const struct eid_trust *t)
{
	return t ? t->n_crls : 0;
}

const struct eid_trust_crl *eid_trust_crl_get(const struct eid_trust *t, size_t i)
{
	return t && i < t->n_crls ? t->crls[i] : NULL;
}
