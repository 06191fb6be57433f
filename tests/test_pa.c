/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Passive authentication against published real and specimen security
 * objects (vectors.md section 4, eid-datagroups.md sections 6-7) and a small
 * test PKI with a CRL (tests/data/pa/, made by tests/data/pa/gen.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "pa.h"
#include "tlv.h"
#include "trust.h"
#include "testutil.h"
#include "testutil_pa.h"

#define DAY 86400

/* The store with de_ml.ml + nl_ml.ml, shared by the tests (read only). */
static struct eid_trust *ml_store;

static int load_master_lists(void **state)
{
	char path[4096];

	(void)state;
	ml_store = eid_trust_new();
	if (!ml_store)
		return -1;
	if (eid_trust_load(ml_store, tpa_vector("de_ml.ml", path, sizeof(path))) < 0 ||
	    eid_trust_load(ml_store, tpa_vector("nl_ml.ml", path, sizeof(path))) < 0)
		return -1;
	return 0;
}

static int free_master_lists(void **state)
{
	(void)state;
	eid_trust_free(ml_store);
	return 0;
}

static struct eid_trust *store_of(const char *const *files, bool vectors)
{
	struct eid_trust *t = eid_trust_new();
	char path[4096];

	assert_non_null(t);
	for (size_t i = 0; files[i]; i++) {
		const char *p = vectors ? tpa_vector(files[i], path, sizeof(path)) :
					  tpa_data_path(files[i]);

		assert_int_equal(eid_trust_load(t, p), 0);
	}
	return t;
}

static void verify_vector(const char *name, const struct eid_trust *t, time_t at,
			  const struct eid_pa_dg *dgs, size_t ndgs, struct eid_pa_result *res)
{
	eid_buf b = EID_BUF_INIT;

	tu_read_vector(name, &b);
	assert_int_equal(eid_pa_verify_bytes(b.data, b.len, t, at, dgs, ndgs, res), 0);
	eid_buf_free(&b);
}

static void assert_dgs(const struct eid_pa_result *res, const unsigned *want, size_t n)
{
	assert_int_equal(res->n_sod_dgs, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(res->sod_dgs[i], want[i]);
}

/* ---- real passports and ID cards against the German and Dutch master lists ---- */

struct real_doc {
	const char *file;
	enum eid_pa_kind kind;
	const char *signer;
	const char *csca;
	const char *csca_serials; /* the ones vectors.md 4.3 lists, '|'-separated; NULL: not listed */
	const char *hash;
	unsigned dgs[8];
	size_t n_dgs;
};

static const struct real_doc real_docs[] = {
	{ "gm_AT_sod.bin", EID_PA_KIND_SOD,
	  "C=AT, O=GV, OU=BMI, serialNumber=004015, CN=DS-AUSTRIA-eMRTD",
	  "C=AT, O=GV, OU=BMI, CN=CSCA-AUSTRIA", "|16DA979699F90356|047F|", "SHA-256",
	  { 1, 2, 3, 11, 12, 14 }, 6 },
	{ "gm_DE_sod.bin", EID_PA_KIND_SOD,
	  "C=DE, O=Bundesdruckerei GmbH, serialNumber=152, CN=Document Signer Passport",
	  "C=DE, O=bund, OU=bsi, CN=csca-germany", "|048B|048D|", "SHA-384", { 1, 2, 3, 14 }, 4 },
	{ "gm_DE_cardsecurity.bin", EID_PA_KIND_CARDSECURITY,
	  "C=DE, O=Bundesdruckerei GmbH, serialNumber=152, CN=Document Signer Passport",
	  "C=DE, O=bund, OU=bsi, CN=csca-germany", "|048B|048D|", "", { 0 }, 0 },
	{ "gm_FI_sod.bin", EID_PA_KIND_SOD,
	  "CN=ICAO Compliant Document Signer for Identity Cards, O=Finland, C=FI",
	  "C=FI, O=Finland, OU=VRK, CN=CSCA Finland", "|9EB100|9EB101|", "SHA-512",
	  { 1, 2, 3, 7, 14 }, 5 },
	{ "gm_FI_cardsecurity.bin", EID_PA_KIND_CARDSECURITY,
	  "CN=ICAO Compliant Document Signer for Identity Cards, O=Finland, C=FI",
	  "C=FI, O=Finland, OU=VRK, CN=CSCA Finland", "|9EB100|9EB101|", "", { 0 }, 0 },
	{ "gm_FR_sod.bin", EID_PA_KIND_SOD,
	  "C=FR, O=Gouv, OU=Document Signer, CN=HSM-DS2, serialNumber=201707181355550",
	  "C=FR, O=Gouv, CN=CSCA-FRANCE", "|11201424CC5C44173F33CDF3F6D1DBF38E52|", "SHA-256",
	  { 1, 2, 3, 11, 12, 13, 14 }, 7 },
	{ "gm_MY_sod.bin", EID_PA_KIND_SOD,
	  "CN=Malaysia Doc Signer, OU=Bahagian Keselamatan dan Pasport, "
	  "O=Jabatan Imigresen Malaysia, L=Johor, ST=Johor, C=MY",
	  "C=MY, ST=WP, L=Putrajaya, O=Jabatan Imigresen Malaysia, "
	  "OU=Bahagian Keselamatan dan Pasport, CN=Malaysia Country Signer",
	  "|3C99DFD4C3F358E8|", "SHA-256", { 1, 2, 3, 11, 12, 14 }, 6 },
	{ "gm_NZ_sod.bin", EID_PA_KIND_SOD,
	  "C=NZ, O=Government of New Zealand, OU=Passports, OU=MRTD, "
	  "CN=Document Signer 201710020001",
	  "C=NZ, O=Government of New Zealand, OU=Passports, OU=Identity Services Passport CA",
	  NULL, "SHA-256", { 1, 2, 12, 13, 14, 15 }, 6 },
	{ "gm_PH_sod.bin", EID_PA_KIND_SOD, "C=PH, O=DFA, CN=DS01076", "C=PH, O=DFA, CN=CSCA01006",
	  NULL, "SHA-256", { 1, 2, 7, 11, 12, 15 }, 6 },
	{ "gm_RU_sod.bin", EID_PA_KIND_SOD,
	  "C=RU, L=Moscow, O=STC-Atlas, OU=UZIS, CN=Document_Signer_3.3, "
	  "emailAddress=camail@stcnet.ru",
	  "C=RU, ST=Russia, L=Moscow, O=FSUE STC Atlas, OU=UZIS, CN=CSCA-Russia, "
	  "emailAddress=camail@stcnet.ru",
	  NULL, "SHA-1", { 1, 2, 3, 13, 14 }, 5 },
	{ "gm_SG_sod.bin", EID_PA_KIND_SOD,
	  "C=SG, O=Ministry of Home Affairs, OU=ICA, CN=SG DSC10 20220627-01",
	  "C=SG, O=Ministry of Home Affairs, OU=ICA, CN=Singapore Passport CA 5", NULL, "SHA-256",
	  { 1, 2, 3, 4, 13, 14 }, 6 },
	{ "gm_UK_sod.bin", EID_PA_KIND_SOD,
	  "C=GB, O=HM Passport Office, OU=London, CN=Document Signing Key 32",
	  "C=GB, O=UKKPA, CN=Country Signing Authority", NULL, "SHA-256", { 1, 2, 14 }, 3 },
	{ "gm_US_sod.bin", EID_PA_KIND_SOD,
	  "C=US, O=U.S. Government, OU=Department of State, OU=MRTD, OU=Document Signers, "
	  "CN=DS 202106101641",
	  "C=US, O=U.S. Government, OU=Department of State, OU=MRTD, "
	  "OU=Certification Authorities, OU=U.S. Department of State MRTD CA",
	  NULL, "SHA-256", { 1, 2, 11, 12 }, 4 },
};

/*
 * Every real document verifies (CMS signature, DS -> CSCA from a master list
 * whose own signature was checked) at a time inside its DS validity: one
 * day after the DS notBefore, read from the certificate in the SOD, so the
 * test does not expire with the documents.
 */
static void real_documents_chain_to_master_list_cscas(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(real_docs) / sizeof(real_docs[0]); i++) {
		const struct real_doc *d = &real_docs[i];
		struct eid_pa_result res;
		char serial[84];

		print_message("# %s\n", d->file);
		verify_vector(d->file, ml_store, 0, NULL, 0, &res);
		assert_true(res.signature_valid);
		assert_true(res.signer_not_before > 0 && res.signer_not_after > res.signer_not_before);
		verify_vector(d->file, ml_store, res.signer_not_before + DAY, NULL, 0, &res);
		assert_int_equal(res.kind, d->kind);
		assert_int_equal(res.status, EID_PA_VALID);
		assert_true(res.signature_valid);
		assert_string_equal(res.signer, d->signer);
		assert_string_equal(res.csca, d->csca);
		assert_string_equal(res.hash_name, d->hash);
		assert_dgs(&res, d->dgs, d->n_dgs);
		assert_int_equal(strncmp(res.csca_source, "master list ", 12), 0);
		assert_non_null(strstr(res.csca_source, "_ml.ml ("));
		assert_int_equal(res.revocation, EID_PA_REV_UNKNOWN); /* no CRLs loaded */
		assert_non_null(strstr(res.detail, "chains to CSCA"));
		if (d->csca_serials) {
			snprintf(serial, sizeof(serial), "|%s|", res.csca_serial);
			assert_non_null(strstr(d->csca_serials, serial));
		}
	}
}

/* The Indonesian DS's CSCA is in neither master list; its RSA-PSS signature is fine. */
static void indonesian_passport_has_no_trust_anchor(void **state)
{
	struct eid_pa_result res;
	static const unsigned dgs[] = { 1, 2, 3, 14, 15 };

	(void)state;
	verify_vector("gm_ID_sod.bin", ml_store, tpa_date(2025, 6, 1), NULL, 0, &res);
	assert_int_equal(res.status, EID_PA_NO_TRUST_ANCHOR);
	assert_true(res.signature_valid);
	assert_string_equal(res.signer, "C=ID, O=DIT SISTIK, OU=DITJEN IMIGRASI, CN=DS");
	assert_string_equal(res.csca, "");
	assert_string_equal(res.detail, "The signature is valid, but no CSCA in the trust store "
			    "issued the document signer certificate (issuer C=ID, O=DIT SISTIK, "
			    "OU=DITJEN IMIGRASI, CN=CSCA).");
	assert_dgs(&res, dgs, 5);
}

/* ---- the 2010 German ID card (vectors.md 4.1): explicit EC parameters, NULL parameters ---- */

static void german_id_card_2010_verifies_with_csca_013_in_2011(void **state)
{
	static const char *const pem[] = { "csca_de_013.pem", NULL };
	static const char *const der[] = { "op_csca_germany_013_self_signed_cer.bin", NULL };
	const char *const *stores[] = { pem, der };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct eid_trust *t = store_of(stores[i], true);
		struct eid_pa_result res;

		verify_vector("op_ef_cardsecurity_dan.bin", t, tpa_date(2011, 6, 1), NULL, 0, &res);
		assert_int_equal(res.status, EID_PA_VALID);
		assert_int_equal(res.kind, EID_PA_KIND_CARDSECURITY);
		assert_string_equal(res.signer, "C=DE, O=Bundesdruckerei GmbH, serialNumber=074, CN=DS");
		assert_string_equal(res.csca, "C=DE, O=bund, OU=bsi, serialNumber=013, CN=csca-germany");
		assert_string_equal(res.csca_serial, "011D");
		assert_non_null(strstr(res.csca_source, stores[i][0]));
		/* DS validity 2010-10-05 11:07:52 .. 2021-04-05 08:39:47 UTC */
		assert_int_equal(res.signer_not_before, 1286276872);
		assert_int_equal(res.signer_not_after, 1617611987);
		eid_trust_free(t);
	}
}

/* The same card today: the DS expired in 2021; valid at the DS time, invalid now. */
static void expired_document_signer_is_invalid_now(void **state)
{
	static const char *const files[] = { "csca_de_013.pem", NULL };
	struct eid_trust *t = store_of(files, true);
	struct eid_pa_result res;

	(void)state;
	verify_vector("op_ef_cardsecurity_dan.bin", t, tpa_date(2011, 6, 1), NULL, 0, &res);
	assert_int_equal(res.status, EID_PA_VALID);
	verify_vector("op_ef_cardsecurity_dan.bin", t, 0, NULL, 0, &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_true(res.signature_valid);
	assert_non_null(strstr(res.detail, "The document signer certificate is not valid on "));
	assert_non_null(strstr(res.detail, "(valid from 2010-10-05 to 2021-04-05)."));
	/* and before it was issued */
	verify_vector("op_ef_cardsecurity_dan.bin", t, tpa_date(2010, 1, 1), NULL, 0, &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_string_equal(res.detail, "The document signer certificate is not valid on "
			    "2010-01-01 (valid from 2010-10-05 to 2021-04-05).");
	eid_trust_free(t);
}

/* ---- the BSI specimen passport (vectors.md 4.2): RSA-PSS, no public CSCA ---- */

static void specimen_passport_dg_hashes_without_trust_anchor(void **state)
{
	eid_buf dg1 = EID_BUF_INIT, dg14 = EID_BUF_INIT, sod = EID_BUF_INIT;
	struct eid_pa_result res;
	struct eid_pa_sod *parsed;
	static const unsigned dgs[] = { 1, 2, 3, 14, 4 };
	unsigned num;
	eid_cbs hash;

	(void)state;
	tu_read_vector("zi_Datagroup1.bin", &dg1);
	tu_read_vector("zi_Datagroup14.bin", &dg14);
	tu_read_vector("zi_EF_SOD.bin", &sod);
	{
		struct eid_pa_dg in[] = {
			{ 1, dg1.data, dg1.len }, { 14, dg14.data, dg14.len }, { 15, dg1.data, dg1.len },
		};

		assert_int_equal(eid_pa_verify_bytes(sod.data, sod.len, ml_store, tpa_date(2014, 6, 1),
						     in, 3, &res), 0);
	}
	assert_int_equal(res.status, EID_PA_NO_TRUST_ANCHOR);
	assert_true(res.signature_valid);
	assert_string_equal(res.signer, "C=DE, O=HJP Consulting, OU=Document Signer, CN=HJP PB DS");
	assert_string_equal(res.hash_name, "SHA-256");
	assert_dgs(&res, dgs, 5);
	assert_int_equal(res.n_dgs, 3);
	assert_int_equal(res.dgs[0].number, 1);
	assert_int_equal(res.dgs[0].state, EID_PA_DG_MATCH);
	assert_int_equal(res.dgs[1].number, 14);
	assert_int_equal(res.dgs[1].state, EID_PA_DG_MATCH);
	assert_int_equal(res.dgs[2].number, 15);
	assert_int_equal(res.dgs[2].state, EID_PA_DG_ABSENT);

	/* one changed byte of DG1: the sex after the birth date, 'F' -> 'M' */
	{
		uint8_t *sex = memmem(dg1.data, dg1.len, "9608122F", 8);

		assert_non_null(sex);
		sex[7] = 'M';
	}
	{
		struct eid_pa_dg in[] = { { 1, dg1.data, dg1.len } };

		assert_int_equal(eid_pa_verify_bytes(sod.data, sod.len, NULL, 0, in, 1, &res), 0);
	}
	assert_int_equal(res.status, EID_PA_NO_TRUST_ANCHOR);
	assert_int_equal(res.dgs[0].state, EID_PA_DG_MISMATCH);

	/* the listed hashes themselves */
	assert_int_equal(eid_pa_sod_parse(sod.data, sod.len, &parsed), 0);
	assert_int_equal(eid_pa_sod_kind(parsed), EID_PA_KIND_SOD);
	assert_int_equal(eid_pa_sod_dg_count(parsed), 5);
	assert_true(eid_pa_sod_dg(parsed, 0, &num, &hash));
	assert_int_equal(num, 1);
	assert_hex(eid_cbs_data(&hash), eid_cbs_len(&hash),
		   "4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6");
	assert_true(eid_pa_sod_dg(parsed, 3, &num, &hash));
	assert_int_equal(num, 14);
	assert_hex(eid_cbs_data(&hash), eid_cbs_len(&hash),
		   "CF5004FFCCD64E1A8BD3A42FD53814EC3D4481640BE1906D0ECFEB016EF6A6AE");
	assert_false(eid_pa_sod_dg(parsed, 5, &num, &hash));
	eid_pa_sod_free(parsed);
	eid_buf_free(&dg1);
	eid_buf_free(&dg14);
	eid_buf_free(&sod);
}

/* The signed content of the specimen SOD is the published LDSSecurityObject. */
static void specimen_sod_content_is_the_lds_security_object(void **state)
{
	eid_buf sod = EID_BUF_INIT, content = EID_BUF_INIT;
	struct eid_pa_sod *parsed;
	eid_cbs c;

	(void)state;
	tu_read_vector("zi_EF_SOD.bin", &sod);
	tu_read_vector("zi_sod_content.bin", &content);
	assert_int_equal(eid_pa_sod_parse(sod.data, sod.len, &parsed), 0);
	eid_pa_sod_content(parsed, &c);
	assert_int_equal(eid_cbs_len(&c), content.len);
	assert_memory_equal(eid_cbs_data(&c), content.data, content.len);
	eid_pa_sod_free(parsed);
	eid_buf_free(&sod);
	eid_buf_free(&content);
}

/* ---- the AusweisApp simulator card (eid-datagroups.md 6-7) ---- */

/*
 * TEST CSCA with explicit brainpoolP512r1, DS with explicit brainpoolP384r1;
 * the eIDSecurityInfo lists SHA-224 hashes: DG3 and DG8 were changed after
 * signing (the _signed variants match), DG11 has no hash.  Verified at
 * 2021-01-01, inside DS (2020-01-21 .. 2030-08-21) and CSCA validity.
 */
static void simulator_eid_card_verifies_and_reports_dg3_dg8(void **state)
{
	static const char *const files[] = { "aa_csca.der", NULL };
	static const unsigned listed[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 17, 18, 10 };
	static const struct {
		unsigned dg;
		const char *file;
		enum eid_pa_dg_state want;
	} cases[] = {
		{ 1, "aa_eid_dg01.bin", EID_PA_DG_MATCH }, { 2, "aa_eid_dg02.bin", EID_PA_DG_MATCH },
		{ 3, "aa_eid_dg03.bin", EID_PA_DG_MISMATCH },
		{ 4, "aa_eid_dg04.bin", EID_PA_DG_MATCH }, { 5, "aa_eid_dg05.bin", EID_PA_DG_MATCH },
		{ 6, "aa_eid_dg06.bin", EID_PA_DG_MATCH }, { 7, "aa_eid_dg07.bin", EID_PA_DG_MATCH },
		{ 8, "aa_eid_dg08.bin", EID_PA_DG_MISMATCH },
		{ 9, "aa_eid_dg09.bin", EID_PA_DG_MATCH }, { 10, "aa_eid_dg10.bin", EID_PA_DG_MATCH },
		{ 11, "aa_eid_dg11.bin", EID_PA_DG_ABSENT },
		{ 13, "aa_eid_dg13.bin", EID_PA_DG_MATCH }, { 17, "aa_eid_dg17.bin", EID_PA_DG_MATCH },
		{ 18, "aa_eid_dg18.bin", EID_PA_DG_MATCH },
		{ 3, "aa_eid_dg03_signed.bin", EID_PA_DG_MATCH },
		{ 8, "aa_eid_dg08_signed.bin", EID_PA_DG_MATCH },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct eid_trust *t = store_of(files, true);
	eid_buf bufs[N];
	struct eid_pa_dg dgs[N];
	struct eid_pa_result res;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		eid_buf_init(&bufs[i]);
		tu_read_vector(cases[i].file, &bufs[i]);
		dgs[i] = (struct eid_pa_dg){ cases[i].dg, bufs[i].data, bufs[i].len };
	}
	verify_vector("aa_ef_cardsecurity.bin", t, tpa_date(2021, 1, 1), dgs, N, &res);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_int_equal(res.kind, EID_PA_KIND_CARDSECURITY);
	assert_string_equal(res.signer, "C=DE, O=BSI, serialNumber=0099, "
			    "CN=TEST Document Signer Identity Documents");
	assert_string_equal(res.csca, "C=DE, O=bund, OU=bsi, CN=TEST csca-germany");
	assert_string_equal(res.csca_serial, "04B0");
	assert_string_equal(res.hash_name, "SHA-224");
	assert_dgs(&res, listed, sizeof(listed) / sizeof(listed[0]));
	assert_int_equal(res.n_dgs, N);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(res.dgs[i].number, cases[i].dg);
		if (res.dgs[i].state != cases[i].want)
			fail_msg("%s: %s", cases[i].file, eid_pa_dg_state_name(res.dgs[i].state));
	}
	for (size_t i = 0; i < N; i++)
		eid_buf_free(&bufs[i]);
	eid_trust_free(t);
}

/*
 * The 2010 card on 2025-01-01: the DS (to 2021-04-05) and the CSCA (to
 * 2021-08-26) have both expired.  The signature still verifies and the
 * signer is named, but passive authentication is not valid.
 */
static void german_id_card_2010_is_not_valid_in_2025(void **state)
{
	static const char *const files[] = { "op_csca_germany_013_self_signed_cer.bin", NULL };
	struct eid_trust *t = store_of(files, true);
	struct eid_pa_result res;

	(void)state;
	verify_vector("op_ef_cardsecurity_dan.bin", t, tpa_date(2025, 1, 1), NULL, 0, &res);
	print_message("# %s\n", res.detail);
	assert_int_equal(res.kind, EID_PA_KIND_CARDSECURITY);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_true(res.signature_valid);
	assert_string_equal(res.signer, "C=DE, O=Bundesdruckerei GmbH, serialNumber=074, CN=DS");
	assert_string_equal(res.detail, "The document signer certificate is not valid on "
			    "2025-01-01 (valid from 2010-10-05 to 2021-04-05).");
	assert_string_equal(res.hash_name, "");
	assert_int_equal(res.n_sod_dgs, 0);
	eid_trust_free(t);
}

/* The signed content of an EF.CardSecurity is its SecurityInfos, byte for byte. */
static void card_security_content_is_the_security_infos(void **state)
{
	static const struct {
		const char *file, *content;
	} cases[] = {
		{ "aa_ef_cardsecurity.bin", "aa_ef_cardsecurity_content.bin" },
		{ "op_ef_cardsecurity_dan.bin", "op_cardsec_dan_content.bin" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eid_buf sod = EID_BUF_INIT, want = EID_BUF_INIT;
		struct eid_pa_sod *parsed;
		eid_cbs c;

		tu_read_vector(cases[i].file, &sod);
		tu_read_vector(cases[i].content, &want);
		assert_int_equal(eid_pa_sod_parse(sod.data, sod.len, &parsed), 0);
		assert_int_equal(eid_pa_sod_kind(parsed), EID_PA_KIND_CARDSECURITY);
		eid_pa_sod_content(parsed, &c);
		assert_int_equal(eid_cbs_len(&c), want.len);
		assert_memory_equal(eid_cbs_data(&c), want.data, want.len);
		eid_pa_sod_free(parsed);
		eid_buf_free(&sod);
		eid_buf_free(&want);
	}
}

/*
 * The simulator card against its TEST CSCA across the DS validity
 * (aa_ds.der: 2020-01-21 06:36:04 .. 2030-08-21 23:59:59 UTC): valid on its
 * first and last day, invalid the day before and the day after.
 */
static void simulator_eid_card_within_document_signer_validity(void **state)
{
	static const char *const files[] = { "aa_csca.der", NULL };
	static const struct {
		time_t at;
		enum eid_pa_status want;
	} cases[] = {
		{ 1579588564 + 60, EID_PA_VALID },
		{ 1913587199 - 60, EID_PA_VALID },
		{ 1579588564 - DAY, EID_PA_INVALID },
		{ 1913587199 + DAY, EID_PA_INVALID },
	};
	struct eid_trust *t = store_of(files, true);
	eid_buf dg = EID_BUF_INIT;
	struct eid_pa_dg dgs[1];
	struct eid_pa_result res;

	(void)state;
	tu_read_vector("aa_eid_dg08_signed.bin", &dg);
	dgs[0] = (struct eid_pa_dg){ 8, dg.data, dg.len };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		verify_vector("aa_ef_cardsecurity.bin", t, cases[i].at, dgs, 1, &res);
		print_message("# %s\n", res.detail);
		assert_int_equal(res.status, cases[i].want);
		assert_true(res.signature_valid);
		assert_int_equal(res.signer_not_before, 1579588564);
		assert_int_equal(res.signer_not_after, 1913587199);
		assert_int_equal(res.n_dgs, 1);
		assert_int_equal(res.dgs[0].state, EID_PA_DG_MATCH);
		if (cases[i].want == EID_PA_VALID) {
			assert_string_equal(res.csca, "C=DE, O=bund, OU=bsi, CN=TEST csca-germany");
			assert_non_null(strstr(res.csca_source, "aa_csca.der"));
		} else {
			assert_non_null(strstr(res.detail, "The document signer certificate is "
						  "not valid on "));
		}
	}
	eid_buf_free(&dg);
	eid_trust_free(t);
}

/* The German card's EF.CardSecurity with the German master list alone (vectors.md 4.3). */
static void german_card_security_with_the_german_master_list(void **state)
{
	static const char *const files[] = { "de_ml.ml", NULL };
	struct eid_trust *t = store_of(files, true);
	struct eid_pa_result res;
	char serial[84];

	(void)state;
	verify_vector("gm_DE_cardsecurity.bin", t, 0, NULL, 0, &res);
	assert_true(res.signature_valid);
	verify_vector("gm_DE_cardsecurity.bin", t, res.signer_not_before + DAY, NULL, 0, &res);
	assert_int_equal(res.kind, EID_PA_KIND_CARDSECURITY);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_string_equal(res.csca, "C=DE, O=bund, OU=bsi, CN=csca-germany");
	snprintf(serial, sizeof(serial), "|%s|", res.csca_serial);
	assert_non_null(strstr("|048B|048D|", serial));
	assert_non_null(strstr(res.csca_source, "de_ml.ml ("));
	assert_int_equal(res.n_sod_dgs, 0);
	/* after the DS has expired it is no longer valid */
	verify_vector("gm_DE_cardsecurity.bin", t, res.signer_not_after + DAY, NULL, 0, &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_true(res.signature_valid);
	assert_non_null(strstr(res.detail, "The document signer certificate is not valid on "));
	eid_trust_free(t);
}

/* ---- negative cases ---- */

/* The last byte of gm_DE_sod.bin is the last byte of the ECDSA signature's s. */
static void flipped_signature_byte_is_invalid(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_pa_result res;

	(void)state;
	tu_read_vector("gm_DE_sod.bin", &b);
	b.data[b.len - 1] ^= 0x01;
	assert_int_equal(eid_pa_verify_bytes(b.data, b.len, ml_store, tpa_date(2024, 1, 1), NULL, 0,
					     &res), 0);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_false(res.signature_valid);
	assert_string_equal(res.detail, "The security object's signature is invalid: the "
			    "signature does not verify with the signer's key.");
	eid_buf_free(&b);
}

/* A changed DG hash inside the eContent no longer matches the messageDigest attribute. */
static void flipped_content_byte_is_invalid(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_pa_result res;
	struct eid_pa_sod *parsed;
	unsigned num;
	eid_cbs hash;
	uint8_t *at;

	(void)state;
	tu_read_vector("gm_FR_sod.bin", &b);
	assert_int_equal(eid_pa_sod_parse(b.data, b.len, &parsed), 0);
	assert_true(eid_pa_sod_dg(parsed, 0, &num, &hash));
	at = memmem(b.data, b.len, eid_cbs_data(&hash), eid_cbs_len(&hash));
	assert_non_null(at);
	eid_pa_sod_free(parsed);
	at[3] ^= 0x80;
	assert_int_equal(eid_pa_verify_bytes(b.data, b.len, ml_store, tpa_date(2020, 1, 1), NULL, 0,
					     &res), 0);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_false(res.signature_valid);
	assert_string_equal(res.detail, "The security object's signature is invalid: the "
			    "messageDigest attribute does not match the signed content.");
	eid_buf_free(&b);
}

/* ---- the test PKI: revocation, unknown and forged CSCAs ---- */

static void verify_data(const char *sod_name, const struct eid_trust *t, time_t at,
			struct eid_pa_result *res)
{
	eid_buf b = EID_BUF_INIT, dg1 = EID_BUF_INIT;

	tpa_read_data(sod_name, &b);
	tpa_read_data("dg1.bin", &dg1);
	{
		struct eid_pa_dg in[] = { { 1, dg1.data, dg1.len } };

		assert_int_equal(eid_pa_verify_bytes(b.data, b.len, t, at, in, 1, res), 0);
	}
	assert_int_equal(res->n_dgs, 1);
	assert_int_equal(res->dgs[0].state, EID_PA_DG_MATCH);
	eid_buf_free(&b);
	eid_buf_free(&dg1);
}

/* Test CSCA + its CRL: DS 0x1002 is revoked, DS 0x1001 is not. */
static void crl_revokes_one_document_signer(void **state)
{
	static const char *const files[] = { "csca.pem", "crl.pem", NULL };
	struct eid_trust *t = store_of(files, false);
	struct eid_pa_result res;

	(void)state;
	verify_data("sod_good.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_int_equal(res.revocation, EID_PA_REV_NOT_REVOKED);
	assert_string_equal(res.signer, "C=XX, O=eidd test, OU=Document Signer, CN=Test DS good");
	assert_string_equal(res.csca, "C=XX, O=eidd test, CN=Test CSCA");
	assert_string_equal(res.csca_serial, "0100");

	verify_data("sod_revoked.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_true(res.signature_valid);
	assert_int_equal(res.revocation, EID_PA_REV_REVOKED);
	assert_string_equal(res.signer, "C=XX, O=eidd test, OU=Document Signer, CN=Test DS revoked");
	assert_non_null(strstr(res.detail, "(serial 1002) is revoked by a CRL of CSCA C=XX, "
			       "O=eidd test, CN=Test CSCA ("));
	assert_non_null(strstr(res.detail, "crl.pem)."));
	eid_trust_free(t);
}

/* Without a CRL the status is unknown, not "not revoked". */
static void no_crl_means_revocation_unknown(void **state)
{
	static const char *const files[] = { "csca.pem", NULL };
	struct eid_trust *t = store_of(files, false);
	struct eid_pa_result res;

	(void)state;
	verify_data("sod_revoked.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_int_equal(res.revocation, EID_PA_REV_UNKNOWN);
	eid_trust_free(t);
}

/* A CRL that names the CSCA but is not signed by its key does not count. */
static void crl_not_signed_by_the_csca_is_ignored(void **state)
{
	eid_buf crl = EID_BUF_INIT;
	struct eid_trust *t = eid_trust_new();
	struct eid_pa_result res;
	uint8_t *sig;

	(void)state;
	assert_int_equal(eid_trust_load(t, tpa_data_path("csca.pem")), 0);
	/* the CRL in DER with one bit of its signature changed */
	{
		eid_buf pem = EID_BUF_INIT;
		struct eid_trust *tmp = eid_trust_new();

		tpa_read_data("crl.pem", &pem);
		assert_int_equal(eid_trust_add_bytes(tmp, pem.data, pem.len, "crl.pem"), 0);
		assert_int_equal(eid_trust_crl_count(tmp), 1);
		assert_int_equal(eid_buf_set(&crl, eid_trust_crl_get(tmp, 0)->der.data,
					     eid_trust_crl_get(tmp, 0)->der.len), 0);
		eid_trust_free(tmp);
		eid_buf_free(&pem);
	}
	sig = crl.data + crl.len - 10;
	*sig ^= 0x01;
	assert_int_equal(eid_trust_add_crl(t, crl.data, crl.len, "forged.crl"), 0);
	verify_data("sod_revoked.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_int_equal(res.revocation, EID_PA_REV_UNKNOWN);
	eid_buf_free(&crl);
	eid_trust_free(t);
}

/* A DS whose CSCA is not in the store: no trust anchor (also with no store at all). */
static void unknown_csca_gives_no_trust_anchor(void **state)
{
	struct eid_pa_result res;

	(void)state;
	verify_data("sod_good.bin", ml_store, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_NO_TRUST_ANCHOR);
	assert_true(res.signature_valid);
	assert_string_equal(res.detail, "The signature is valid, but no CSCA in the trust store "
			    "issued the document signer certificate (issuer C=XX, O=eidd test, "
			    "CN=Test CSCA).");
	verify_data("sod_good.bin", NULL, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_NO_TRUST_ANCHOR);
}

/* A forged CSCA with the right name and key identifier but another key is rejected. */
static void forged_csca_with_same_key_identifier_is_invalid(void **state)
{
	static const char *const rogue[] = { "csca_rogue.pem", NULL };
	static const char *const both[] = { "csca_rogue.pem", "csca.pem", NULL };
	struct eid_trust *t = store_of(rogue, false);
	struct eid_pa_result res;

	(void)state;
	verify_data("sod_good.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_non_null(strstr(res.detail, "does not verify with the key of CSCA C=XX, "
			       "O=eidd test, CN=Test CSCA"));
	eid_trust_free(t);
	/* beside the real one, the real one is found */
	t = store_of(both, false);
	verify_data("sod_good.bin", t, tpa_date(2025, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_VALID);
	assert_non_null(strstr(res.csca_source, "/csca.pem"));
	eid_trust_free(t);
}

/* The test DSs are valid from 2024-01-01: earlier they are not. */
static void document_signer_not_yet_valid_is_invalid(void **state)
{
	static const char *const files[] = { "csca.pem", NULL };
	struct eid_trust *t = store_of(files, false);
	struct eid_pa_result res;

	(void)state;
	verify_data("sod_good.bin", t, tpa_date(2023, 6, 1), &res);
	assert_int_equal(res.status, EID_PA_INVALID);
	assert_string_equal(res.detail, "The document signer certificate is not valid on "
			    "2023-06-01 (valid from 2024-01-01 to 2034-01-01).");
	eid_trust_free(t);
}

/* ---- parsing ---- */

static void malformed_objects_are_rejected(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_pa_sod *sod = (struct eid_pa_sod *)1;
	struct eid_pa_result res;
	char path[4096];

	(void)state;
	assert_int_equal(eid_pa_sod_parse(NULL, 0, &sod), -EID_EPARSE);
	assert_null(sod);
	tu_read_vector("zi_EF_SOD.bin", &b);
	for (size_t cut = 0; cut < b.len; cut += 97)
		assert_int_equal(eid_pa_sod_parse(b.data, cut, &sod), -EID_EPARSE);
	b.data[0] = 0x78; /* neither 77 nor a SEQUENCE */
	assert_int_equal(eid_pa_verify_bytes(b.data, b.len, NULL, 0, NULL, 0, &res), -EID_EPARSE);
	/* a master list is signed data, but not a security object */
	tpa_read_path(tpa_vector("de_ml.ml", path, sizeof(path)), &b);
	assert_int_equal(eid_pa_sod_parse(b.data, b.len, &sod), -EID_ENOTSUP);
	/* an EF.CardAccess is not signed data */
	tu_read_vector("op_ef_cardaccess_dan.bin", &b);
	assert_int_equal(eid_pa_sod_parse(b.data, b.len, &sod), -EID_EPARSE);
	eid_buf_free(&b);
}

/* Indefinite lengths become definite, constructed OCTET STRINGs are joined. */
static void ber_indefinite_lengths_are_made_definite(void **state)
{
	eid_buf in = EID_BUF_INIT, out = EID_BUF_INIT;

	(void)state;
	tu_unhex(&in, "3080 020105 2480 0401AA 0401BB 0000 A003 020107 0000");
	assert_int_equal(eid_pa_ber_definite(in.data, in.len, &out), 0);
	assert_hex(out.data, out.len, "300C020105 0402AABB A003020107");
	/* already definite: unchanged, byte for byte (a non-minimal length stays) */
	tu_unhex(&in, "308103 020105");
	eid_buf_reset(&out);
	assert_int_equal(eid_pa_ber_definite(in.data, in.len, &out), 0);
	assert_hex(out.data, out.len, "308103020105");
	/* missing end-of-contents, primitive indefinite */
	tu_unhex(&in, "3080 020105");
	assert_int_equal(eid_pa_ber_definite(in.data, in.len, &out), -EID_EPARSE);
	tu_unhex(&in, "0480 00 00");
	assert_int_equal(eid_pa_ber_definite(in.data, in.len, &out), -EID_EPARSE);
	eid_buf_free(&in);
	eid_buf_free(&out);
}

/* The cursor-level CMS reader exposes the parts of the specimen SOD. */
static void cms_reader_finds_the_signer_info_parts(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_pa_cms cms;
	eid_cbs in, inner;

	(void)state;
	tu_read_vector("zi_EF_SOD.bin", &b);
	eid_cbs_init(&in, b.data, b.len);
	assert_true(eid_tlv_get(&in, 0x77, &inner));
	assert_int_equal(eid_pa_cms_parse(eid_cbs_data(&inner), eid_cbs_len(&inner), &cms), 0);
	assert_hex(eid_cbs_data(&cms.econtent_type), eid_cbs_len(&cms.econtent_type), "678108010101");
	assert_hex(eid_cbs_data(&cms.attr_content_type), eid_cbs_len(&cms.attr_content_type),
		   "678108010101");
	assert_hex(eid_cbs_data(&cms.attr_message_digest), eid_cbs_len(&cms.attr_message_digest),
		   "B46A0D05E280F398EFEEEBFF67E78C736ADD15E75670B1AD4C6C534E8187B9D6");
	assert_hex(eid_cbs_data(&cms.sid_serial), eid_cbs_len(&cms.sid_serial), "02060142FD5CF927");
	assert_int_equal(eid_cbs_len(&cms.sid_ski), 0);
	assert_int_equal(eid_cbs_len(&cms.econtent), 219);
	assert_int_equal(eid_cbs_data(&cms.signed_attrs)[0], 0xA0);
	eid_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_documents_chain_to_master_list_cscas),
		cmocka_unit_test(indonesian_passport_has_no_trust_anchor),
		cmocka_unit_test(german_id_card_2010_verifies_with_csca_013_in_2011),
		cmocka_unit_test(expired_document_signer_is_invalid_now),
		cmocka_unit_test(specimen_passport_dg_hashes_without_trust_anchor),
		cmocka_unit_test(specimen_sod_content_is_the_lds_security_object),
		cmocka_unit_test(simulator_eid_card_verifies_and_reports_dg3_dg8),
		cmocka_unit_test(german_id_card_2010_is_not_valid_in_2025),
		cmocka_unit_test(card_security_content_is_the_security_infos),
		cmocka_unit_test(simulator_eid_card_within_document_signer_validity),
		cmocka_unit_test(german_card_security_with_the_german_master_list),
		cmocka_unit_test(flipped_signature_byte_is_invalid),
		cmocka_unit_test(flipped_content_byte_is_invalid),
		cmocka_unit_test(crl_revokes_one_document_signer),
		cmocka_unit_test(no_crl_means_revocation_unknown),
		cmocka_unit_test(crl_not_signed_by_the_csca_is_ignored),
		cmocka_unit_test(unknown_csca_gives_no_trust_anchor),
		cmocka_unit_test(forged_csca_with_same_key_identifier_is_invalid),
		cmocka_unit_test(document_signer_not_yet_valid_is_invalid),
		cmocka_unit_test(malformed_objects_are_rejected),
		cmocka_unit_test(ber_indefinite_lengths_are_made_definite),
		cmocka_unit_test(cms_reader_finds_the_signer_info_parts),
	};

	return cmocka_run_group_tests(tests, load_master_lists, free_master_lists);
}
