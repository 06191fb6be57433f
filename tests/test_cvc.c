/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

#include "testutil.h"
#include "cvc.h"
#include "tlv.h"
#include "cvc_vectors.h"

static time_t day(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };

	return timegm(&tm);
}

static struct eid_cvc *load(const char *name)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_cvc *c = NULL;

	tu_read_vector(name, &b);
	assert_int_equal(eid_cvc_parse(b.data, b.len, &c), 0);
	eid_buf_free(&b);
	return c;
}

static struct eid_cvc *load_hex(const char *hex)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_cvc *c = NULL;

	tu_unhex(&b, hex);
	assert_int_equal(eid_cvc_parse(b.data, b.len, &c), 0);
	eid_buf_free(&b);
	return c;
}

/* Values as printed by OpenPACE's cvc-print for the worked example. */
static void worked_example_ecdh_certificates(void **state)
{
	struct eid_cvc *cvca = load("op_tc_ecdh_cvca_cert.bin");
	struct eid_cvc *dv = load("op_tc_ecdh_dv_cert.bin");
	struct eid_cvc *ta = load("op_tc_ecdh_ta_cert.bin");

	(void)state;
	assert_string_equal(cvca->car, "DECVCAAT00001");
	assert_string_equal(cvca->chr, "DECVCAAT00001");
	assert_int_equal(cvca->type, EID_CVC_TYPE_IS);
	assert_int_equal(cvca->role, EID_CVC_ROLE_CVCA);
	assert_int_equal(cvca->rights, 0x03); /* read fingerprint, read iris */
	assert_string_equal(cvca->effective, "2010-09-30");
	assert_string_equal(cvca->expiration, "2011-09-25");
	assert_true(cvca->pk_is_ec);
	assert_true(cvca->pk_has_domain);
	assert_hex(cvca->pk_oid, cvca->pk_oid_len, "04007F00070202020205"); /* ECDSA-SHA-512 */
	assert_int_equal(cvca->pk_p.len, 64);
	assert_hex(cvca->pk_f.data, cvca->pk_f.len, "01");
	assert_hex(cvca->chat, cvca->chat_len, "7F4C0E060904007F0007030102015301C3");
	assert_int_equal(cvca->ext.len, 0);

	assert_string_equal(dv->car, "DECVCAAT00001");
	assert_string_equal(dv->chr, "DETESTDVDE019");
	assert_int_equal(dv->type, EID_CVC_TYPE_AT);
	assert_int_equal(dv->role, EID_CVC_ROLE_DV_OFFICIAL);
	/* CAN allowed, read DG1..DG21 */
	assert_int_equal(dv->rights, 0x1FFFFF10);
	assert_string_equal(dv->effective, "2010-09-30");
	assert_string_equal(dv->expiration, "2010-10-30");
	assert_false(dv->pk_has_domain);
	assert_int_equal(dv->pk_y.len, 129);

	assert_string_equal(ta->car, "DETESTDVDE019");
	assert_string_equal(ta->chr, "DETESTATDE019");
	assert_int_equal(ta->role, EID_CVC_ROLE_TERMINAL);
	assert_int_equal(ta->type, EID_CVC_TYPE_AT);
	assert_int_equal(ta->rights, EID_CVC_AT_CAN_ALLOWED | EID_CVC_AT_READ_DG(1));
	assert_string_equal(ta->effective, "2010-09-30");
	assert_string_equal(ta->expiration, "2010-10-30");
	assert_int_equal(ta->effective_t, day(2010, 9, 30) - 12 * 3600);
	assert_int_equal(ta->expiration_t, day(2010, 10, 30) + 12 * 3600 - 1);
	assert_true(eid_cvc_valid_at(ta, day(2010, 10, 30)));
	assert_false(eid_cvc_valid_at(ta, day(2010, 10, 31)));
	assert_false(eid_cvc_valid_at(ta, day(2010, 9, 29)));
	assert_int_equal(ta->signature.len, 128);
	assert_hex(ta->body.data, 4, "7F4E81DE");

	eid_cvc_free(cvca);
	eid_cvc_free(dv);
	eid_cvc_free(ta);
}

static void worked_example_chain_verifies(void **state)
{
	struct eid_cvc *cvca = load("op_tc_ecdh_cvca_cert.bin");
	struct eid_cvc *dv = load("op_tc_ecdh_dv_cert.bin");
	struct eid_cvc *ta = load("op_tc_ecdh_ta_cert.bin");
	const struct eid_cvc *anchors[] = { cvca };
	const struct eid_cvc *chain[] = { dv, ta };
	const char *why = NULL;
	uint64_t rights = 0;

	(void)state;
	assert_int_equal(eid_cvc_verify_signature(cvca, cvca, NULL), 0);
	assert_int_equal(eid_cvc_verify_signature(dv, cvca, NULL), 0);
	assert_int_equal(eid_cvc_verify_signature(ta, dv, cvca), 0);
	/* the DV's key has no domain of its own */
	assert_int_equal(eid_cvc_verify_signature(ta, dv, NULL), -EID_EINVAL);
	assert_int_equal(eid_cvc_verify_signature(ta, cvca, NULL), -EID_EAUTH);

	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 10, 15), &rights,
					      &why), 0);
	assert_null(why);
	assert_int_equal(rights, EID_CVC_AT_CAN_ALLOWED | EID_CVC_AT_READ_DG(1));

	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 11, 1), &rights,
					      &why), -EID_ECERT);
	assert_string_equal(why, "certificate expired");
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 9, 1), &rights,
					      &why), -EID_ECERT);
	assert_string_equal(why, "certificate not yet valid");

	/* wrong order, no anchor, a DV alone */
	const struct eid_cvc *swapped[] = { ta, dv };
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, swapped, 2, day(2010, 10, 15), NULL,
					      &why), -EID_ECERT);
	assert_int_equal(eid_cvc_chain_verify(NULL, 0, chain, 2, day(2010, 10, 15), NULL, &why),
			 -EID_ECERT);
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 1, day(2010, 10, 15), NULL, &why),
			 -EID_EINVAL);

	/* a flipped signature byte */
	ta->signature.data[10] ^= 0x01;
	assert_int_equal(eid_cvc_verify_signature(ta, dv, cvca), -EID_EAUTH);
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 10, 15), &rights,
					      &why), -EID_ECERT);
	assert_string_equal(why, "certificate signature is wrong");
	assert_int_equal(rights, 0);
	ta->signature.data[10] ^= 0x01;
	/* a changed body byte (the CHAT's rights) */
	dv->body.data[dv->body.len - 20] ^= 0x01;
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 10, 15), &rights,
					      &why), -EID_ECERT);

	eid_cvc_free(cvca);
	eid_cvc_free(dv);
	eid_cvc_free(ta);
}

static void link_certificate_verifies(void **state)
{
	struct eid_cvc *c4 = load("aa_cvca_detesteid00004.cvcert");
	struct eid_cvc *c5 = load("aa_cvca_detesteid00005.cvcert");
	EVP_PKEY *key = NULL;
	char name[64];

	(void)state;
	assert_string_equal(c4->car, "DETESTeID00004");
	assert_string_equal(c4->chr, "DETESTeID00004");
	assert_string_equal(c5->car, "DETESTeID00004");
	assert_string_equal(c5->chr, "DETESTeID00005");
	assert_string_equal(c4->effective, "2012-05-11");
	assert_string_equal(c4->expiration, "2015-05-11");
	assert_string_equal(c5->effective, "2015-05-04");
	assert_string_equal(c5->expiration, "2018-05-04");
	assert_int_equal(c5->role, EID_CVC_ROLE_CVCA);
	assert_int_equal(c5->type, EID_CVC_TYPE_AT);
	assert_hex(c5->bitmap, c5->bitmap_len, "FC0F13FFFF");
	assert_int_equal(c5->rights, 0x3C0F13FFFFull);
	assert_hex(c5->pk_oid, c5->pk_oid_len, "04007F00070202020203"); /* ECDSA-SHA-256 */
	assert_true(c5->pk_has_domain);

	assert_int_equal(eid_cvc_verify_signature(c4, c4, NULL), 0);
	assert_int_equal(eid_cvc_verify_signature(c5, c4, NULL), 0);
	assert_int_equal(eid_cvc_verify_signature(c5, c5, NULL), -EID_EAUTH);

	/* the explicit domain is recognised as brainpoolP256r1 */
	assert_int_equal(eid_cvc_pubkey(c5, NULL, &key), 0);
	assert_true(EVP_PKEY_get_utf8_string_param(key, "group", name, sizeof(name), NULL));
	assert_string_equal(name, "brainpoolP256r1");
	EVP_PKEY_free(key);

	eid_cvc_free(c4);
	eid_cvc_free(c5);
}

static void rsa_chain_verifies(void **state)
{
	struct eid_cvc *cvca = load_hex(tv_dh_cvca);
	struct eid_cvc *dv = load_hex(tv_dh_dv_cert);
	struct eid_cvc *ta = load_hex(tv_dh_ta_cert);
	const struct eid_cvc *anchors[] = { cvca };
	const struct eid_cvc *chain[] = { dv, ta };
	const char *why;
	uint64_t rights;
	EVP_PKEY *key = NULL;

	(void)state;
	assert_string_equal(cvca->chr, "DETESTCVCA00003");
	assert_string_equal(ta->chr, "DETESTATDE019");
	assert_false(ta->pk_is_ec);
	assert_hex(ta->pk_oid, ta->pk_oid_len, "04007F00070202020101"); /* RSA-v1-5-SHA-1 */
	assert_int_equal(ta->pk_n.len, 128);
	assert_hex(ta->pk_e.data, ta->pk_e.len, "010001");
	assert_string_equal(ta->effective, "2010-03-24");
	assert_string_equal(ta->expiration, "2010-04-24");
	assert_int_equal(eid_cvc_pubkey(ta, NULL, &key), 0);
	assert_true(EVP_PKEY_is_a(key, "RSA"));
	assert_int_equal(EVP_PKEY_get_bits(key), 1024);
	EVP_PKEY_free(key);

	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 4, 1), &rights,
					      &why), 0);
	assert_int_equal(rights, EID_CVC_AT_CAN_ALLOWED | EID_CVC_AT_READ_DG(1));
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 4, 25), &rights,
					      &why), -EID_ECERT);
	cvca->signature.data[0] ^= 0x80; /* the anchor's own signature is not checked */
	dv->signature.data[5] ^= 0x80;
	assert_int_equal(eid_cvc_chain_verify(anchors, 1, chain, 2, day(2010, 4, 1), &rights,
					      &why), -EID_ECERT);
	assert_string_equal(why, "certificate signature is wrong");

	eid_cvc_free(cvca);
	eid_cvc_free(dv);
	eid_cvc_free(ta);
}

static void dates_are_calendar_dates(void **state)
{
	eid_buf b = EID_BUF_INIT, m = EID_BUF_INIT;
	struct eid_cvc *c = NULL;
	size_t exp_at = 0;
	static const struct {
		uint8_t d[6];
		int ok;
	} cases[] = {
		/* expiration dates; the effective date is 2010-09-30 */
		{ { 1, 0, 0, 9, 3, 0 }, 0 },              /* the same day */
		{ { 1, 0, 0, 9, 3, 1 }, -EID_EPARSE },    /* 31 September */
		{ { 1, 1, 0, 2, 2, 9 }, -EID_EPARSE },    /* 29 February 2011 */
		{ { 1, 1, 0, 2, 2, 8 }, 0 },
		{ { 1, 2, 0, 2, 2, 9 }, 0 },              /* 29 February 2012 */
		{ { 9, 9, 1, 2, 3, 1 }, 0 },              /* 2099-12-31 */
		{ { 1, 0, 1, 3, 0, 1 }, -EID_EPARSE },    /* month 13 */
		{ { 1, 0, 0, 0, 0, 1 }, -EID_EPARSE },    /* month 0 */
		{ { 1, 0, 1, 1, 0, 0 }, -EID_EPARSE },    /* day 0 */
		{ { 1, 0, 1, 1, 0, 10 }, -EID_EPARSE },   /* a byte above 9 */
		{ { 1, 0, 0, 9, 2, 9 }, -EID_EPARSE },    /* before the effective date */
	};

	(void)state;
	tu_read_vector("op_tc_ecdh_ta_cert.bin", &b);
	for (size_t i = 0; i + 2 < b.len; i++)
		if (b.data[i] == 0x5F && b.data[i + 1] == 0x24 && b.data[i + 2] == 6)
			exp_at = i + 3;
	assert_true(exp_at > 0);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		int expect = cases[k].ok;

		eid_buf_set(&m, b.data, b.len);
		memcpy(m.data + exp_at, cases[k].d, 6);
		assert_int_equal(eid_cvc_parse(m.data, m.len, &c), expect);
		if (expect == 0) {
			char want[11] = "20YY-MM-DD";

			for (size_t i = 0; i < 6; i++)
				want[2 + i + i / 2] = (char)('0' + cases[k].d[i]);
			assert_string_equal(c->expiration, want);
		}
		eid_cvc_free(c);
		c = NULL;
	}
	eid_buf_free(&b);
	eid_buf_free(&m);
}

static void structure_errors_refused(void **state)
{
	eid_buf b = EID_BUF_INIT, m = EID_BUF_INIT;
	struct eid_cvc *c = NULL;

	(void)state;
	tu_read_vector("op_tc_ecdh_ta_cert.bin", &b);
	/* the certificate starts 7F2182016 6 7F4E 81 DE 5F29 01 00 42 0D ... */
	assert_hex(b.data, 13, "7F218201667F4E81DE5F290100");
	eid_buf_set(&m, b.data, b.len);
	m.data[12] = 0x01; /* profile 1 */
	assert_int_equal(eid_cvc_parse(m.data, m.len, &c), -EID_EPARSE);
	eid_buf_set(&m, b.data, b.len);
	m.data[15] = 0x07; /* a control character in the CAR */
	assert_int_equal(eid_cvc_parse(m.data, m.len, &c), -EID_EPARSE);
	eid_buf_set(&m, b.data, b.len);
	m.data[1] = 0x22; /* not 7F21 */
	assert_int_equal(eid_cvc_parse(m.data, m.len, &c), -EID_EPARSE);
	eid_buf_set(&m, b.data, b.len);
	eid_buf_add_u8(&m, 0x00); /* trailing byte */
	assert_int_equal(eid_cvc_parse(m.data, m.len, &c), -EID_EPARSE);
	/* the terminal-type OID 0.4.0.127.0.7.3.1.2.9 */
	for (size_t i = 0; i + 10 < b.len; i++) {
		if (memcmp(b.data + i, "\x06\x09\x04\x00\x7F\x00\x07\x03\x01\x02\x02", 11) == 0) {
			eid_buf_set(&m, b.data, b.len);
			m.data[i + 10] = 0x09;
			assert_int_equal(eid_cvc_parse(m.data, m.len, &c), -EID_EPARSE);
		}
	}
	/* every truncation fails cleanly */
	for (size_t n = 0; n < b.len; n++) {
		assert_int_equal(eid_cvc_parse(b.data, n, &c), -EID_EPARSE);
		assert_null(c);
	}
	assert_int_equal(eid_cvc_parse(b.data, b.len, NULL), -EID_EINVAL);
	eid_buf_free(&b);
	eid_buf_free(&m);
}

static void ecdsa_formats(void **state)
{
	eid_buf der = EID_BUF_INIT, plain = EID_BUF_INIT;

	(void)state;
	tu_unhex(&plain, "0080" "0001");
	assert_int_equal(eid_cvc_ecdsa_plain_to_der(plain.data, plain.len, &der), 0);
	assert_hex(der.data, der.len, "3007020200800201" "01");
	eid_buf_reset(&plain);
	assert_int_equal(eid_cvc_ecdsa_der_to_plain(der.data, der.len, 3, &plain), 0);
	assert_hex(plain.data, plain.len, "000080" "000001");
	eid_buf_reset(&plain);
	assert_int_equal(eid_cvc_ecdsa_der_to_plain(der.data, der.len, 1, &plain), 0);
	assert_hex(plain.data, plain.len, "8001");
	assert_int_equal(eid_cvc_ecdsa_der_to_plain(der.data, der.len, 0, &plain), -EID_EPARSE);
	assert_int_equal(eid_cvc_ecdsa_plain_to_der(der.data, 3, &plain), -EID_EPARSE);
	assert_int_equal(eid_cvc_ecdsa_der_to_plain(der.data, der.len - 1, 3, &plain), -EID_EPARSE);
	eid_buf_free(&der);
	eid_buf_free(&plain);
}

static void rights_as_text(void **state)
{
	char s[512], tiny[8];
	struct eid_cvc *c5 = load("aa_cvca_detesteid00005.cvcert");

	(void)state;
	assert_int_equal(eid_cvc_rights_string(EID_CVC_AT_CAN_ALLOWED | EID_CVC_AT_READ_DG(1), s,
					       sizeof(s)), 0);
	assert_string_equal(s, "DG1 CAN-allowed");
	assert_int_equal(eid_cvc_rights_string(c5->rights, s, sizeof(s)), 0);
	assert_string_equal(s, "DG1 DG2 DG3 DG4 DG5 DG6 DG7 DG8 DG9 DG10 DG13 DG17 DG18 DG19 DG20 "
			       "age-verification community-id RI privileged CAN-allowed "
			       "PIN-management install-cert install-qcert write-DG17 write-DG18 "
			       "write-DG19 write-DG20");
	assert_int_equal(eid_cvc_rights_string(0, s, sizeof(s)), 0);
	assert_string_equal(s, "");
	assert_int_equal(eid_cvc_rights_string(c5->rights, tiny, sizeof(tiny)), -EID_ETOOBIG);
	assert_true(eid_cvc_ref_equal("DETESTeID00005", "DETESTeID00005"));
	assert_false(eid_cvc_ref_equal("DETESTeID00005", "DETESTeID00004"));
	assert_false(eid_cvc_ref_equal("", ""));
	eid_cvc_free(c5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example_ecdh_certificates),
		cmocka_unit_test(worked_example_chain_verifies),
		cmocka_unit_test(link_certificate_verifies),
		cmocka_unit_test(rsa_chain_verifies),
		cmocka_unit_test(dates_are_calendar_dates),
		cmocka_unit_test(structure_errors_refused),
		cmocka_unit_test(ecdsa_formats),
		cmocka_unit_test(rights_as_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
