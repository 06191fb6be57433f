/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CSCA trust store: the real German and Dutch master lists (their own
 * signatures checked), altered master lists, PEM/DER/CRL/LDIF loading,
 * lookups by subject and subject key identifier.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pa.h"
#include "tlv.h"
#include "trust.h"
#include "testutil.h"
#include "testutil_pa.h"

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct eid_trust *load_vectors(const char *const *names)
{
	struct eid_trust *t = eid_trust_new();
	char path[4096];

	assert_non_null(t);
	for (size_t i = 0; names[i]; i++)
		assert_int_equal(eid_trust_load(t, tpa_vector(names[i], path, sizeof(path))), 0);
	return t;
}

/*
 * de_ml.ml: 588 certificates, signed 2026-05-28 06:28:45 UTC by "CSCA Master
 * List Signer" (issued by csca-germany 0x4CD, which is in the list);
 * nl_ml.ml: 411 certificates, signed 2026-07-23 09:35:43 UTC by "Masterlist
 * Signer NL" (issued by CSCA NL serialNumber=7, in the list); 372 of the
 * Dutch entries are in the German list too: 627 distinct CSCAs.
 * Loading both took 0.16-0.20 s on the development machine (2 cores,
 * OpenSSL 3.0): certificates are indexed from their DER, public keys are
 * only decoded when used (OpenSSL 3.0 needs ~0.5 ms per key).
 */
static void loads_both_master_lists_fast(void **state)
{
	static const char *const files[] = { "de_ml.ml", "nl_ml.ml", NULL };
	struct eid_trust_summary s;
	const struct eid_trust_ml *de, *nl;
	struct eid_trust *t;
	double t0, took;

	(void)state;
	t0 = seconds();
	t = load_vectors(files);
	took = seconds() - t0;
	print_message("# both master lists loaded in %.3f s\n", took);
	assert_true(took < 1.0);

	eid_trust_get_summary(t, &s);
	assert_int_equal(s.n_master_lists, 2);
	assert_int_equal(s.n_cscas, 627);
	assert_int_equal(s.n_duplicates, 372);
	assert_int_equal(s.n_skipped, 0);
	assert_int_equal(s.n_crls, 0);
	assert_int_equal(eid_trust_csca_count(t), 627);

	de = eid_trust_ml_get(t, 0);
	nl = eid_trust_ml_get(t, 1);
	assert_non_null(strstr(de->source, "de_ml.ml"));
	assert_string_equal(de->signer, "C=DE, O=bund, OU=bsi, serialNumber=0039, "
			    "CN=CSCA Master List Signer");
	assert_int_equal(de->signing_time, 1779949725); /* 2026-05-28 06:28:45 UTC */
	assert_int_equal(de->n_certs, 588);
	assert_int_equal(de->n_added, 588);
	assert_non_null(strstr(nl->source, "nl_ml.ml"));
	assert_string_equal(nl->signer, "serialNumber=8, CN=Masterlist Signer NL, "
			    "OU=Kingdom of the Netherlands, O=Kingdom of the Netherlands, C=NL");
	assert_int_equal(nl->signing_time, 1784799343); /* 2026-07-23 09:35:43 UTC */
	assert_int_equal(nl->n_certs, 411);
	assert_int_equal(nl->n_added, 39);
	assert_null(eid_trust_ml_get(t, 2));

	/* every entry is in subject order and says where it came from */
	for (size_t i = 0; i < eid_trust_csca_count(t); i++) {
		const struct eid_trust_csca *c = eid_trust_csca_get(t, i);

		assert_int_equal(strncmp(c->source, "master list ", 12), 0);
		assert_true(c->not_before > 0 && c->not_after > c->not_before);
		if (i)
			assert_true(X509_NAME_cmp(eid_trust_csca_get(t, i - 1)->name, c->name) <= 0);
	}
	eid_trust_free(t);
}

static void subject_der(const char *const *rdns, eid_buf *out)
{
	X509_NAME *n = X509_NAME_new();
	unsigned char *der = NULL;
	int len;

	assert_non_null(n);
	for (size_t i = 0; rdns[i]; i += 2)
		assert_int_equal(X509_NAME_add_entry_by_txt(n, rdns[i], MBSTRING_ASC,
							    (const unsigned char *)rdns[i + 1], -1,
							    -1, 0), 1);
	len = i2d_X509_NAME(n, &der);
	assert_true(len > 0);
	assert_int_equal(eid_buf_set(out, der, (size_t)len), 0);
	OPENSSL_free(der);
	X509_NAME_free(n);
}

/* Six German CSCAs share one name (key rollover, link certificates). */
static void finds_cscas_by_subject_and_key_identifier(void **state)
{
	static const char *const files[] = { "de_ml.ml", "nl_ml.ml", NULL };
	static const char *const de[] = { "C", "DE", "O", "bund", "OU", "bsi", "CN", "csca-germany",
					  NULL };
	static const char *const nobody[] = { "C", "XX", "CN", "nobody", NULL };
	const struct eid_trust_csca *found[8];
	char serials[128] = "";
	struct eid_trust *t = load_vectors(files);
	eid_buf name = EID_BUF_INIT, ski = EID_BUF_INIT;
	size_t first, n;

	(void)state;
	subject_der(de, &name);
	n = eid_trust_find_subject(t, name.data, name.len, &first);
	assert_int_equal(n, 6);
	for (size_t i = first; i < first + n; i++) {
		assert_string_equal(eid_trust_csca_get(t, i)->subject,
				    "C=DE, O=bund, OU=bsi, CN=csca-germany");
		strcat(serials, eid_trust_csca_get(t, i)->serial);
		strcat(serials, " ");
	}
	/* each serial once, in any order */
	for (const char *const *s = (const char *const[]){ "042B ", "044D ", "048B ", "048D ",
							   "04CD ", "04CE ", NULL }; *s; s++)
		assert_non_null(strstr(serials, *s));

	subject_der(nobody, &name);
	assert_int_equal(eid_trust_find_subject(t, name.data, name.len, &first), 0);

	/* 0x48B and its link certificate 0x48D have the same key */
	tu_unhex(&ski, "A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8");
	n = eid_trust_find_ski(t, ski.data, ski.len, found, 8);
	assert_int_equal(n, 2);
	assert_string_equal(found[0]->subject, "C=DE, O=bund, OU=bsi, CN=csca-germany");
	assert_string_equal(found[1]->subject, "C=DE, O=bund, OU=bsi, CN=csca-germany");
	assert_true((!strcmp(found[0]->serial, "048B") && !strcmp(found[1]->serial, "048D")) ||
		    (!strcmp(found[0]->serial, "048D") && !strcmp(found[1]->serial, "048B")));
	assert_hex(found[0]->ski, found[0]->ski_len, "A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8");

	/* the Dutch CSCA that issued the NL master list signer (and its link certificate) */
	tu_unhex(&ski, "F2423BA9C13C6815D65081792BF7307129046F336C2389950B82E998AC3BBCA4");
	n = eid_trust_find_ski(t, ski.data, ski.len, found, 8);
	assert_int_equal(n, 2);
	assert_string_equal(found[0]->subject, "serialNumber=7, CN=CSCA NL, "
			    "OU=Kingdom of the Netherlands, O=Kingdom of the Netherlands, C=NL");
	tu_unhex(&ski, "0102030405");
	assert_int_equal(eid_trust_find_ski(t, ski.data, ski.len, found, 8), 0);
	eid_buf_free(&name);
	eid_buf_free(&ski);
	eid_trust_free(t);
}

/* One changed bit in the signature (last byte) or in a listed certificate: rejected whole. */
static void rejects_master_list_with_altered_signature_or_content(void **state)
{
	eid_buf ml = EID_BUF_INIT;
	struct eid_trust *t = eid_trust_new();
	struct eid_trust_summary s;
	char path[4096];

	(void)state;
	tpa_read_path(tpa_vector("de_ml.ml", path, sizeof(path)), &ml);
	ml.data[ml.len - 1] ^= 0x01;
	assert_int_equal(eid_trust_add_masterlist(t, ml.data, ml.len, "de_ml.ml"), -EID_EAUTH);
	ml.data[ml.len - 1] ^= 0x01;
	ml.data[ml.len / 2] ^= 0x01; /* inside the eContent: messageDigest */
	assert_int_equal(eid_trust_add_masterlist(t, ml.data, ml.len, "de_ml.ml"), -EID_EAUTH);
	eid_trust_get_summary(t, &s);
	assert_int_equal(s.n_cscas, 0);
	assert_int_equal(s.n_master_lists, 0);
	ml.data[ml.len / 2] ^= 0x01;
	assert_int_equal(eid_trust_add_masterlist(t, ml.data, ml.len, "de_ml.ml"), 0);
	assert_int_equal(eid_trust_csca_count(t), 588);
	eid_buf_free(&ml);
	eid_trust_free(t);
}

/*
 * The master list signer must be issued by a CSCA in the list or already
 * trusted: ml_orphan.ml (empty list) only loads after the Test CSCA.
 */
static void master_list_signer_must_chain_to_a_csca(void **state)
{
	struct eid_trust *t = eid_trust_new();

	(void)state;
	assert_int_equal(eid_trust_load(t, tpa_data_path("ml_orphan.ml")), -EID_EAUTH);
	assert_non_null(strstr(eid_trust_last_error(t), "ml_orphan.ml: "));
	assert_int_equal(eid_trust_ml_count(t), 0);
	assert_int_equal(eid_trust_load(t, tpa_data_path("csca.pem")), 0);
	assert_int_equal(eid_trust_load(t, tpa_data_path("ml_orphan.ml")), 0);
	assert_int_equal(eid_trust_ml_count(t), 1);
	assert_int_equal(eid_trust_ml_get(t, 0)->n_certs, 0);
	assert_string_equal(eid_trust_ml_get(t, 0)->signer,
			    "C=XX, O=eidd test, CN=Test Master List Signer");
	eid_trust_free(t);
	/* the small list that holds its own CSCA loads alone */
	t = eid_trust_new();
	assert_int_equal(eid_trust_load(t, tpa_data_path("ml.ml")), 0);
	assert_int_equal(eid_trust_csca_count(t), 1);
	assert_string_equal(eid_trust_csca_get(t, 0)->subject, "C=XX, O=eidd test, CN=Test CSCA");
	assert_non_null(strstr(eid_trust_csca_get(t, 0)->source, "ml.ml (C=XX, O=eidd test, "
							       "CN=Test Master List Signer)"));
	eid_trust_free(t);
}

/* PEM and DER certificates, the report of one, CRLs, non-CA certificates skipped. */
static void loads_certificates_and_crls(void **state)
{
	static const char *const der[] = { "op_csca_germany_013_self_signed_cer.bin",
					   "csca_de_013.pem", "aa_csca.der", NULL };
	struct eid_trust *t = load_vectors(der);
	const struct eid_trust_csca *c;
	const struct eid_trust_crl *crl;
	struct eid_trust_summary s;

	(void)state;
	eid_trust_get_summary(t, &s);
	assert_int_equal(s.n_cscas, 2); /* the PEM is the same certificate as the DER */
	assert_int_equal(s.n_duplicates, 1);
	c = eid_trust_csca_get(t, 1);
	assert_string_equal(c->subject, "C=DE, O=bund, OU=bsi, serialNumber=013, CN=csca-germany");
	assert_string_equal(c->serial, "011D");
	assert_int_equal(c->not_before, tpa_date(2008, 2, 26) + 13 * 3600 + 43 * 60 + 4);
	assert_int_equal(c->not_after, tpa_date(2021, 8, 26) + 12 * 3600 + 35 * 60 + 56);
	assert_non_null(strstr(c->source, "op_csca_germany_013_self_signed_cer.bin"));
	assert_hex(c->sha256, 32, "E15EA42388498587F518CB2AB07E9E4ACD5C4A2F8D3CFCC839D52A6B070631A5");
	c = eid_trust_csca_get(t, 0);
	assert_string_equal(c->subject, "C=DE, O=bund, OU=bsi, CN=TEST csca-germany");
	assert_string_equal(c->serial, "04B0");
	assert_hex(c->ski, c->ski_len, "539DB1872AAC9193D76392EE80D9E5996CF99B3B");
	assert_hex(c->sha256, 32, "7B8E343C5B5225B2B2CDCBA95EE4053F9E2C726196E2B3267F8EEADDABD33F2B");

	/* a document signer certificate is not an anchor */
	assert_int_equal(eid_trust_load(t, tpa_data_path("ds_good.pem")), 0);
	eid_trust_get_summary(t, &s);
	assert_int_equal(s.n_cscas, 2);
	assert_int_equal(s.n_skipped, 1);

	assert_int_equal(eid_trust_load(t, tpa_data_path("crl.pem")), 0);
	assert_int_equal(eid_trust_crl_count(t), 1);
	crl = eid_trust_crl_get(t, 0);
	assert_string_equal(crl->issuer, "C=XX, O=eidd test, CN=Test CSCA");
	assert_int_equal(crl->n_revoked, 1);
	assert_true(crl->next_update > crl->this_update);
	assert_non_null(strstr(crl->source, "crl.pem"));
	eid_trust_free(t);
}

/* A folder: files with known extensions, in name order; gen.sh is ignored. */
static void loads_a_directory(void **state)
{
	struct eid_trust *t = eid_trust_new();
	struct eid_trust_summary s;
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s", tpa_data_path(""));
	assert_int_equal(eid_trust_load(t, dir), 0);
	eid_trust_get_summary(t, &s);
	/* crl.pem, csca.pem, csca_rogue.pem, ds_good.pem, ds_revoked.pem, ml.ml, ml_orphan.ml */
	assert_int_equal(s.n_crls, 1);
	assert_int_equal(s.n_cscas, 2);       /* Test CSCA and the forged one */
	assert_int_equal(s.n_duplicates, 1);  /* the Test CSCA again in ml.ml */
	assert_int_equal(s.n_skipped, 2);     /* the two DS certificates */
	assert_int_equal(s.n_master_lists, 2);
	eid_trust_free(t);
}

static void append_folded_base64(eid_buf *out, const char *attr, const uint8_t *der, size_t n,
				 const char *eol)
{
	size_t cap = 4 * ((n + 2) / 3) + 1, col;
	unsigned char *b64 = malloc(cap);
	int len;

	assert_non_null(b64);
	len = EVP_EncodeBlock(b64, der, (int)n);
	assert_true(len > 0);
	eid_buf_add(out, attr, strlen(attr));
	eid_buf_add(out, ":: ", 3);
	col = strlen(attr) + 3;
	for (int i = 0; i < len; i++) {
		if (col == 76) { /* LDIF folding: line break and one leading space */
			eid_buf_add(out, eol, strlen(eol));
			eid_buf_add(out, " ", 1);
			col = 1;
		}
		eid_buf_add_u8(out, b64[i]);
		col++;
	}
	eid_buf_add(out, eol, strlen(eol));
	free(b64);
}

static void add_text(eid_buf *out, const char *s)
{
	eid_buf_add(out, s, strlen(s));
}

static void pem_to_der(const char *name, eid_buf *der)
{
	struct eid_trust *t = eid_trust_new();
	eid_buf pem = EID_BUF_INIT;

	tpa_read_data(name, &pem);
	assert_int_equal(eid_trust_add_bytes(t, pem.data, pem.len, name), 0);
	if (eid_trust_csca_count(t))
		assert_int_equal(eid_buf_set(der, eid_trust_csca_get(t, 0)->der.data,
					     eid_trust_csca_get(t, 0)->der.len), 0);
	else
		assert_int_equal(eid_buf_set(der, eid_trust_crl_get(t, 0)->der.data,
					     eid_trust_crl_get(t, 0)->der.len), 0);
	eid_buf_free(&pem);
	eid_trust_free(t);
}

/*
 * An ICAO PKD style LDIF: a CSCA (userCertificate;binary), the real German
 * master list (pkdMasterListContent), a CRL and a DS certificate, base64
 * folded at 76 columns, with LF and with CRLF line ends.
 */
static void loads_ldif_with_folded_lines(void **state)
{
	static const char *const eols[] = { "\n", "\r\n" };
	eid_buf csca = EID_BUF_INIT, crl = EID_BUF_INIT, ml = EID_BUF_INIT, ds = EID_BUF_INIT;
	char path[4096];

	(void)state;
	pem_to_der("csca.pem", &csca);
	pem_to_der("crl.pem", &crl);
	tpa_read_path(tpa_vector("de_ml.ml", path, sizeof(path)), &ml);
	tpa_read_path(tpa_vector("aa_ds.der", path, sizeof(path)), &ds);
	for (size_t e = 0; e < 2; e++) {
		const char *eol = eols[e];
		eid_buf ldif = EID_BUF_INIT;
		struct eid_trust *t = eid_trust_new();
		struct eid_trust_summary s;
		size_t first;
		const struct eid_trust_csca *c;

		add_text(&ldif, "version: 1");
		add_text(&ldif, eol);
		add_text(&ldif, eol);
		add_text(&ldif, "# CSCA of test land");
		add_text(&ldif, eol);
		add_text(&ldif, "dn: cn=CN\\=Test CSCA\\,O\\=eidd test\\,C\\=XX,o=csca,c=XX,dc=data,");
		add_text(&ldif, eol);
		add_text(&ldif, " dc=download,dc=pkd,dc=icao,dc=int");
		add_text(&ldif, eol);
		add_text(&ldif, "objectClass: top");
		add_text(&ldif, eol);
		append_folded_base64(&ldif, "userCertificate;binary", csca.data, csca.len, eol);
		add_text(&ldif, eol);
		add_text(&ldif, "dn: cn=DE,o=ml,c=DE,dc=data,dc=download,dc=pkd,dc=icao,dc=int");
		add_text(&ldif, eol);
		append_folded_base64(&ldif, "pkdMasterListContent", ml.data, ml.len, eol);
		add_text(&ldif, eol);
		add_text(&ldif, "dn: cn=XX,o=crl,c=XX,dc=data,dc=download,dc=pkd,dc=icao,dc=int");
		add_text(&ldif, eol);
		append_folded_base64(&ldif, "certificateRevocationList;binary", crl.data, crl.len, eol);
		add_text(&ldif, eol);
		add_text(&ldif, "dn: cn=ds,o=dsc,c=DE,dc=data,dc=download,dc=pkd,dc=icao,dc=int");
		add_text(&ldif, eol);
		append_folded_base64(&ldif, "userCertificate;binary", ds.data, ds.len, eol);
		assert_true(eid_buf_ok(&ldif));

		assert_int_equal(eid_trust_add_bytes(t, ldif.data, ldif.len, "pkd.ldif"), 0);
		eid_trust_get_summary(t, &s);
		assert_int_equal(s.n_cscas, 589);
		assert_int_equal(s.n_master_lists, 1);
		assert_int_equal(s.n_crls, 1);
		assert_int_equal(s.n_skipped, 1); /* the DS */
		assert_int_equal(eid_trust_ml_get(t, 0)->n_certs, 588);
		assert_string_equal(eid_trust_ml_get(t, 0)->source,
				    "pkd.ldif (cn=DE,o=ml,c=DE,dc=data,dc=download,dc=pkd,dc=icao,dc=int)");
		assert_string_equal(eid_trust_crl_get(t, 0)->issuer, "C=XX, O=eidd test, CN=Test CSCA");
		/* the folded dn is unfolded too */
		{
			eid_buf name = EID_BUF_INIT;
			static const char *const rdns[] = { "C", "XX", "O", "eidd test", "CN",
							    "Test CSCA", NULL };

			subject_der(rdns, &name);
			assert_int_equal(eid_trust_find_subject(t, name.data, name.len, &first), 1);
			eid_buf_free(&name);
		}
		c = eid_trust_csca_get(t, first);
		assert_string_equal(c->source, "pkd.ldif (cn=CN\\=Test CSCA\\,O\\=eidd test\\,C\\=XX,"
				    "o=csca,c=XX,dc=data,dc=download,dc=pkd,dc=icao,dc=int)");
		assert_int_equal(c->der.len, csca.len);
		assert_memory_equal(c->der.data, csca.data, csca.len);
		eid_buf_free(&ldif);
		eid_trust_free(t);
	}
	eid_buf_free(&csca);
	eid_buf_free(&crl);
	eid_buf_free(&ml);
	eid_buf_free(&ds);
}

/* A broken base64 value in one LDIF entry fails that entry, not the others. */
static void ldif_with_a_bad_entry_loads_the_rest(void **state)
{
	eid_buf ldif = EID_BUF_INIT, crl = EID_BUF_INIT;
	struct eid_trust *t = eid_trust_new();

	(void)state;
	pem_to_der("crl.pem", &crl);
	add_text(&ldif, "dn: cn=a\nuserCertificate;binary:: MIIB!!!\n\ndn: cn=b\n");
	append_folded_base64(&ldif, "certificateRevocationList;binary", crl.data, crl.len, "\n");
	assert_int_equal(eid_trust_add_ldif(t, ldif.data, ldif.len, "x.ldif"), -EID_EPARSE);
	assert_int_equal(eid_trust_csca_count(t), 0);
	assert_int_equal(eid_trust_crl_count(t), 1);
	assert_string_equal(eid_trust_crl_get(t, 0)->source, "x.ldif (cn=b)");
	/* no known attribute at all */
	assert_int_equal(eid_trust_add_ldif(t, (const uint8_t *)"dn: cn=a\ncn: a\n", 15, "y.ldif"),
			 -EID_EPARSE);
	eid_buf_free(&ldif);
	eid_buf_free(&crl);
	eid_trust_free(t);
}

static void rejects_unreadable_and_unknown_input(void **state)
{
	struct eid_trust *t = eid_trust_new();
	static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };

	(void)state;
	assert_int_equal(eid_trust_load(t, "/nonexistent/eidd-trust.pem"), -EID_ENOTFOUND);
	assert_int_equal(strncmp(eid_trust_last_error(t), "/nonexistent/eidd-trust.pem: ", 29), 0);
	assert_int_equal(eid_trust_add_bytes(t, junk, sizeof(junk), "junk"), -EID_EPARSE);
	assert_int_equal(eid_trust_add_bytes(t, (const uint8_t *)"hello\n", 6, "txt"), -EID_EPARSE);
	assert_int_equal(eid_trust_add_bytes(t, (const uint8_t *)"-----BEGIN CERTIFICATE-----\n"
					     "AAAA\n-----END CERTIFICATE-----\n", 59, "p"),
			 -EID_EPARSE);
	assert_int_equal(eid_trust_add_bytes(t, NULL, 0, "empty"), -EID_EPARSE);
	assert_int_equal(eid_trust_csca_count(t), 0);
	eid_trust_free(NULL);
	eid_trust_free(t);
}

/* The candidates for a DS are found by its issuer name and authority key id. */
static void finds_issuers_of_a_document_signer(void **state)
{
	static const char *const files[] = { "de_ml.ml", NULL };
	struct eid_trust *t = load_vectors(files);
	const struct eid_trust_csca *cand[8];
	struct eid_pa_cms cms;
	eid_buf sod = EID_BUF_INIT;
	eid_cbs der, in, inner;
	X509 *ds = NULL;
	size_t n;

	(void)state;
	tu_read_vector("gm_DE_sod.bin", &sod);
	eid_cbs_init(&in, sod.data, sod.len);
	assert_true(eid_tlv_get(&in, 0x77, &inner));
	assert_int_equal(eid_pa_cms_parse(eid_cbs_data(&inner), eid_cbs_len(&inner), &cms), 0);
	assert_int_equal(eid_pa_cms_signer(&cms, &ds, &der), 0);
	n = eid_trust_find_issuers(t, ds, cand, 8);
	assert_int_equal(n, 2); /* 0x48B and 0x48D, not the other four csca-germany */
	for (size_t i = 0; i < n; i++) {
		EVP_PKEY *key = eid_trust_csca_get1_key(cand[i]);

		assert_hex(cand[i]->ski, cand[i]->ski_len, "A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8");
		assert_int_equal(eid_pa_verify_signed_der(eid_cbs_data(&der), eid_cbs_len(&der), key),
				 0);
		EVP_PKEY_free(key);
	}
	X509_free(ds);
	eid_buf_free(&sod);
	eid_trust_free(t);
}

/*
 * The German DS of 2010 verified by hand (vectors.md 4.1): its TBS
 * (ds_tbs.bin) and signature (ds_sig.bin) with the CSCA key of explicit
 * brainpoolP256r1 parameters, ecdsa-with-SHA256 with a NULL parameter.
 */
static void explicit_parameter_key_verifies_the_published_ds_signature(void **state)
{
	static const char *const files[] = { "csca_de_013.pem", NULL };
	struct eid_trust *t = load_vectors(files);
	eid_buf tbs = EID_BUF_INIT, sig = EID_BUF_INIT, alg = EID_BUF_INIT;
	EVP_PKEY *key = eid_trust_csca_get1_key(eid_trust_csca_get(t, 0));
	eid_cbs a;

	(void)state;
	assert_non_null(key);
	tu_read_vector("ds_tbs.bin", &tbs);
	tu_read_vector("ds_sig.bin", &sig);
	tu_unhex(&alg, "300C06082A8648CE3D0403020500");
	eid_buf_cbs(&alg, &a);
	assert_int_equal(eid_pa_verify_signature(key, &a, NULL, tbs.data, tbs.len, sig.data, sig.len),
			 0);
	tbs.data[100] ^= 1;
	assert_int_equal(eid_pa_verify_signature(key, &a, NULL, tbs.data, tbs.len, sig.data, sig.len),
			 -EID_EAUTH);
	EVP_PKEY_free(key);
	eid_buf_free(&tbs);
	eid_buf_free(&sig);
	eid_buf_free(&alg);
	eid_trust_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_both_master_lists_fast),
		cmocka_unit_test(finds_cscas_by_subject_and_key_identifier),
		cmocka_unit_test(rejects_master_list_with_altered_signature_or_content),
		cmocka_unit_test(master_list_signer_must_chain_to_a_csca),
		cmocka_unit_test(loads_certificates_and_crls),
		cmocka_unit_test(loads_a_directory),
		cmocka_unit_test(loads_ldif_with_folded_lines),
		cmocka_unit_test(ldif_with_a_bad_entry_loads_the_rest),
		cmocka_unit_test(rejects_unreadable_and_unknown_input),
		cmocka_unit_test(finds_issuers_of_a_document_signer),
		cmocka_unit_test(explicit_parameter_key_verifies_the_published_ds_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
