/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecurityInfos: every published EF.CardAccess, EF.CardSecurity and DG14 in
 * ../shared/vectors/bin, decoded item by item, and the strictness rules
 * (truncation, trailing bytes, wrong tags, limits, nesting bombs).
 *
 * Where vectors.md / eid-datagroups.md describe a file, the expected values
 * come from there (section named at each test); for the other real files the
 * expectations were read off `openssl asn1parse -inform DER -i` (and
 * `-strparse 61` / `-strparse 57` for the eContent of the CMS files).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "secinfo.h"
#include "tlv.h"

/* ---- helpers ---- */

struct want {
	enum eid_secinfo_type type;
	const char *oid;       /* dotted */
	const char *name;      /* NULL: unknown protocol */
	int version, parameter_id, std_param_id, key_id;
	bool privileged;
};

#define NONE (-1)

static void check_items(const struct eid_secinfos *set, const struct want *w, size_t n)
{
	if (set->n != n)
		fail_msg("%zu SecurityInfos, want %zu", set->n, n);
	for (size_t i = 0; i < n; i++) {
		const struct eid_secinfo *si = &set->items[i];

#define CHECK_INT(field)                                                                     \
	if (si->field != w[i].field)                                                         \
		fail_msg("item %zu (%s): " #field " %d, want %d", i, si->oid_text, (int)si->field, \
			 (int)w[i].field)
		CHECK_INT(type);
		CHECK_INT(version);
		CHECK_INT(parameter_id);
		CHECK_INT(std_param_id);
		CHECK_INT(key_id);
		CHECK_INT(privileged);
#undef CHECK_INT
		if (strcmp(si->oid_text, w[i].oid) != 0)
			fail_msg("item %zu: oid %s, want %s", i, si->oid_text, w[i].oid);
		if (!w[i].name != !si->name || (si->name && strcmp(si->name, w[i].name) != 0))
			fail_msg("item %zu: name %s, want %s", i, si->name ? si->name : "(none)",
				 w[i].name ? w[i].name : "(none)");
		if (!si->version_ok)
			fail_msg("item %zu: version %d reported as not allowed", i, si->version);
	}
}

static void assert_cbs_hex(const eid_cbs *c, const char *hex)
{
	tu_assert_hex(eid_cbs_data(c), eid_cbs_len(c), hex, "cbs");
}

static void assert_cbs_str(const eid_cbs *c, const char *s)
{
	assert_int_equal(eid_cbs_len(c), strlen(s));
	assert_memory_equal(eid_cbs_data(c), s, strlen(s));
}

static void assert_oid_text(const eid_cbs *oid, const char *want)
{
	char text[EID_SECINFO_OID_TEXT_MAX];

	assert_int_equal(eid_oid_to_text(eid_cbs_data(oid), eid_cbs_len(oid), text, sizeof(text)), 0);
	assert_string_equal(text, want);
}

/* Parse a vector file with the auto-detecting entry point. */
static struct eid_secinfos *parse_vector(const char *file, enum eid_secinfo_source src)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_secinfos *set = NULL;

	tu_read_vector(file, &b);
	assert_int_equal(eid_secinfos_parse_auto(b.data, b.len, &set), 0);
	assert_non_null(set);
	assert_int_equal(set->source, src);
	eid_buf_free(&b);
	return set;
}

static int parse_hex(const char *hex, struct eid_secinfos **set)
{
	eid_buf b = EID_BUF_INIT;
	int r;

	tu_unhex(&b, hex);
	r = eid_secinfos_parse_auto(b.data, b.len, set);
	eid_buf_free(&b);
	return r;
}

/* ContentInfo { signedData, [0] SignedData { 3, {}, { type, [0] { OCTET STRING payload } }, {} } } */
static void build_cms(eid_buf *out, const char *type_hex, const char *payload_hex, bool with_content)
{
	eid_buf t = EID_BUF_INIT, p = EID_BUF_INIT;
	size_t ci, ex, sd, encap, ex2;

	tu_unhex(&t, type_hex);
	tu_unhex(&p, payload_hex);
	eid_buf_reset(out);
	ci = eid_tlv_begin(out, 0x30);
	eid_tlv_add(out, 0x06, "\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02", 9);
	ex = eid_tlv_begin(out, 0xA0);
	sd = eid_tlv_begin(out, 0x30);
	eid_der_add_u32(out, 3);
	eid_tlv_add(out, 0x31, NULL, 0);
	encap = eid_tlv_begin(out, 0x30);
	eid_tlv_add(out, 0x06, t.data, t.len);
	if (with_content) {
		ex2 = eid_tlv_begin(out, 0xA0);
		eid_tlv_add(out, 0x04, p.data, p.len);
		assert_int_equal(eid_tlv_end(out, ex2), 0);
	}
	assert_int_equal(eid_tlv_end(out, encap), 0);
	eid_tlv_add(out, 0x31, NULL, 0);
	assert_int_equal(eid_tlv_end(out, sd), 0);
	assert_int_equal(eid_tlv_end(out, ex), 0);
	assert_int_equal(eid_tlv_end(out, ci), 0);
	assert_true(eid_buf_ok(out));
	eid_buf_free(&t);
	eid_buf_free(&p);
}

#define SECOBJ_HEX "04007F0007030201"
#define BSI_PT_OID "\x04\x00\x7F\x00\x07\x02\x02\x08"

/* ---- EF.CardAccess ---- */

/* vectors.md §4.1 and appendix "openpace ef_cardaccess_dan": TA v2, CA v2 key
 * ids 0x41 and 0x45, PACE ECDH-GM AES-128 param 13, CA domain params, URL. */
static void cardaccess_dan_real_npa_all_seven_infos(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x41, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x45, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x41, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x45, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
	};
	struct eid_secinfos *set = parse_vector("op_ef_cardaccess_dan.bin", EID_SI_SRC_SET);
	const struct eid_secinfo *pace = eid_secinfos_find(set, EID_SI_PACE, 0);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(set->der_len, 182);
	assert_cbs_str(&set->items[6].url, "http://bsi.bund.de/cif/npa.xml");
	assert_non_null(pace);
	assert_hex(pace->oid, pace->oid_len, "04007F00070202040202");
	assert_cbs_hex(&pace->element, "3012060A04007F0007020204020202010202010D");
	assert_cbs_hex(&pace->required, "020102");
	assert_cbs_hex(&pace->optional, "02010D");
	assert_cbs_hex(&set->items[4].algorithm, "300C060704007F0007010202010D");
	assert_oid_text(&set->items[4].algorithm_oid, "0.4.0.127.0.7.1.2");
	assert_false(set->items[4].explicit_params);
	eid_secinfos_free(set);
}

/* Real nPA with CA v3 (openpace ef_cardaccess_ca3; asn1parse): CA v2/v3,
 * PACE GM and CAM, PSAInfo, CardInfo, privileged CA key 0x49. */
static void cardaccess_ca3_with_cam_psa_and_privileged_key(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x48, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 3, NONE, NONE, 0x4F, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_PSA, "0.4.0.127.0.7.2.2.11.1.2.3", "id-PSA-ECDH-ECSchnorr-SHA-256", 1, NONE, NONE, 0x4F, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x48, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x4F, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_PRIVILEGED, "0.4.0.127.0.7.2.2.8", "id-PT", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x49, true },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x49, true },
	};
	struct eid_secinfos *set = parse_vector("op_ef_cardaccess_ca3.bin", EID_SI_SRC_SET);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_cbs_hex(&set->items[5].required, "3009020101020100020101");
	assert_cbs_str(&set->items[8].url, "http://bsi.bund.de/cif/npa.xml");
	assert_int_equal(set->items[9].parent, -1);
	assert_int_equal(set->items[10].parent, 9);
	assert_int_equal(set->items[11].parent, 9);
	eid_secinfos_free(set);
}

/* Old test card (asn1parse): PACE version 1 without parameterId, CA without
 * keyId, and PACE/CA domain parameters given explicitly. */
static void cardaccess_old_testcard_explicit_domain_parameters(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, NONE, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 1, NONE, NONE, NONE, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, NONE, NONE, false },
		{ EID_SI_PACE_DP, "0.4.0.127.0.7.2.2.4.2", "id-PACE-ECDH-GM", NONE, NONE, NONE, NONE, false },
	};
	struct eid_secinfos *set = parse_vector("op_ef_cardaccess_old_testcard.bin", EID_SI_SRC_SET);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_cbs_str(&set->items[3].url, "AwT ePA - BDr GmbH - Testkarte v1.0");
	for (size_t i = 4; i < 6; i++) {
		const struct eid_secinfo *si = &set->items[i];

		assert_true(si->explicit_params);
		assert_oid_text(&si->algorithm_oid, "0.4.0.127.0.7.1.1.5.2.2.2");
		assert_int_equal(eid_cbs_len(&si->algorithm), 243);
		assert_int_equal(eid_cbs_len(&si->algorithm_params), 227);
		/* the explicit prime (asn1parse offset 149 / 406) */
		assert_memory_equal(eid_cbs_data(&si->algorithm_params) + 3 + 3 + 2 + 9 + 2 + 1,
				    "\xA9\xFB\x57\xDB\xA1\xEE\xA9\xBC", 8);
	}
	eid_secinfos_free(set);
}

/* New test card (asn1parse): 38 bytes of non-DER junk follow the SET in the
 * dump.  The strict parser rejects the whole file; the SET itself (its size
 * from the first TLV header, as a card reader reads it) parses. */
static void cardaccess_new_testcard_trailing_junk_rejected_set_parses(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x41, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x41, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
	};
	eid_buf b = EID_BUF_INIT;
	struct eid_secinfos *set = NULL;
	uint32_t tag;
	size_t hdr, len;

	(void)state;
	tu_read_vector("op_ef_cardaccess_new_testcard.bin", &b);
	assert_int_equal(b.len, 171);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_EPARSE);
	assert_null(set);
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), 0);
	assert_int_equal(hdr + len, 133);
	assert_int_equal(eid_secinfos_parse(b.data, hdr + len, &set), 0);
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_cbs_str(&set->items[4].url, "ePA - BDr GmbH - Testkarte v2.0");
	eid_secinfos_free(set);
	eid_buf_free(&b);
}

/* Slovenian eID (asn1parse): CA 3DES v1 key 3, TA v1 with efCVCA FileID
 * 011A/1A, an unknown proprietary SecurityInfo 1.0.24727.3.0.9, and two
 * trailing bytes (62 82) after the SET in the dump. */
static void cardaccess_slovenia_efcvca_and_unknown_protocol_kept(void **state)
{
	static const struct want w[] = {
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.1", "id-CA-ECDH-3DES-CBC-CBC", 1, NONE, NONE, 3, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 3, false },
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 1, NONE, NONE, NONE, false },
		{ EID_SI_UNKNOWN, "1.0.24727.3.0.9", NULL, NONE, NONE, NONE, NONE, false },
	};
	eid_buf b = EID_BUF_INIT;
	struct eid_secinfos *set = NULL;

	(void)state;
	tu_read_vector("op_ef_cardaccess_slowenia.bin", &b);
	assert_int_equal(b.len, 95);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_EPARSE);
	assert_int_equal(eid_secinfos_parse(b.data, 93, &set), 0);
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(set->items[2].fid, 0x011A);
	assert_int_equal(set->items[2].sfid, 0x1A);
	assert_hex(set->items[3].oid, set->items[3].oid_len, "2881C117030009");
	assert_cbs_hex(&set->items[3].required, "020101");
	assert_cbs_hex(&set->items[3].optional, "020106");
	eid_secinfos_free(set);
	eid_buf_free(&b);
}

static const struct want eac_ecdh_cardaccess[] = {
	{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
	{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 1, false },
	{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
	{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 1, false },
	{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
	{ EID_SI_PRIVILEGED, "0.4.0.127.0.7.2.2.8", "id-PT", NONE, NONE, NONE, NONE, false },
	{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 2, true },
	{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 2, true },
};

/* vectors.md §3.1: BSI EAC worked example EF.CardAccess (ECDH), 201 bytes. */
static void cardaccess_eac_worked_example_ecdh(void **state)
{
	static const char *const files[] = { "vs_ecdh_ef_cardaccess.bin", "op_tc_ecdh_ef_cardaccess.bin" };
	eid_buf b = EID_BUF_INIT;

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		struct eid_secinfos *set = parse_vector(files[f], EID_SI_SRC_SET);

		tu_read_vector(files[f], &b);
		assert_hex(b.data, b.len,
			   "3181C6300D060804007F00070202020201023012060A04007F000702020302020201020201013012060A04007F0007020204020202010202010D301C060904007F000702020302300C060704007F0007010202010D020101302F060804007F0007020206162368747470733A2F2F7777772E686A702D636F6E73756C74696E672E636F6D2F686F6D65303E060804007F000702020831323012060A04007F00070202030202020102020102301C060904007F000702020302300C060704007F0007010202010D020102");
		check_items(set, eac_ecdh_cardaccess, sizeof(eac_ecdh_cardaccess) / sizeof(eac_ecdh_cardaccess[0]));
		assert_cbs_str(&set->items[4].url, "https://www.hjp-consulting.com/home");
		/* PACE with parameter ID 13 = brainpoolP256r1 (§2.0) */
		assert_string_equal(eid_secinfo_param_name(eid_secinfos_find(set, EID_SI_PACE, 0)->parameter_id),
				    "brainpoolP256r1");
		eid_secinfos_free(set);
	}
	eid_buf_free(&b);
}

/* vectors.md §3.2: the DH variant (param ID 0, id-PACE-DH-GM-AES-CBC-CMAC-128,
 * id-CA-DH-AES-CBC-CMAC-128); items from asn1parse. */
static void cardaccess_eac_worked_example_dh(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.1.2", "id-CA-DH-AES-CBC-CMAC-128", 2, NONE, NONE, 1, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.1.2", "id-PACE-DH-GM-AES-CBC-CMAC-128", 2, 0, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.1", "id-CA-DH", NONE, NONE, 0, 1, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_PRIVILEGED, "0.4.0.127.0.7.2.2.8", "id-PT", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.1.2", "id-CA-DH-AES-CBC-CMAC-128", 2, NONE, NONE, 2, true },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.1", "id-CA-DH", NONE, NONE, 0, 2, true },
	};
	static const char *const files[] = { "vs_dh_ef_cardaccess.bin", "op_tc_dh_ef_cardaccess.bin" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		struct eid_secinfos *set = parse_vector(files[f], EID_SI_SRC_SET);

		check_items(set, w, sizeof(w) / sizeof(w[0]));
		assert_string_equal(eid_secinfo_param_name(set->items[2].parameter_id), "modp1024_160");
		eid_secinfos_free(set);
	}
}

/* eid-datagroups.md §5.2: AusweisApp simulator EF.CardAccess (PACEInfo first:
 * the SET is not in DER order). */
static void cardaccess_ausweisapp_simulator_unsorted_set(void **state)
{
	static const struct want w[] = {
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 41, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 41, false },
		{ EID_SI_PRIVILEGED, "0.4.0.127.0.7.2.2.8", "id-PT", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 45, true },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 45, true },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
	};
	struct eid_secinfos *set = parse_vector("aa_ef_cardaccess.bin", EID_SI_SRC_SET);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(set->der_len, 196);
	assert_cbs_str(&set->items[7].url, "http://bsi.bund.de/cif/npa.xml");
	/* the key for ordinary terminals is 41; 45 is for privileged ones */
	assert_ptr_equal(eid_secinfos_find_key(set, EID_SI_CA, 41), &set->items[2]);
	assert_ptr_equal(eid_secinfos_find_key(set, EID_SI_CA, 45), &set->items[5]);
	assert_null(eid_secinfos_find_key(set, EID_SI_CA, 42));
	eid_secinfos_free(set);
}

/* vectors.md §2.1: the one-PACEInfo EF.CardAccess of the ICAO G.1 example. */
static void cardaccess_icao_g1_single_paceinfo(void **state)
{
	struct eid_secinfos *set = NULL;
	static const struct want w[] = {
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
	};

	(void)state;
	assert_int_equal(parse_hex("31143012060A04007F0007020204020202010202010D", &set), 0);
	check_items(set, w, 1);
	eid_secinfos_free(set);
}

/* vectors.md §2.5: ChipAuthenticationPublicKeyInfo of the PACE-CAM example
 * (put into a SET): key ID 13, standardized parameters 13, PK_IC. */
static void ca_public_key_info_icao_i1_cam_example(void **state)
{
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *pk;

	(void)state;
	assert_int_equal(parse_hex("3164"
				   "3062060904007F0007020201023052300C060704007F0007010202010D034200041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC884D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F02010D",
				   &set), 0);
	assert_int_equal(set->n, 1);
	pk = eid_secinfos_find(set, EID_SI_CA_PK, 0);
	assert_non_null(pk);
	assert_string_equal(pk->name, "id-PK-ECDH");
	assert_string_equal(pk->oid_text, "0.4.0.127.0.7.2.2.1.2");
	assert_int_equal(pk->key_id, 13);
	assert_int_equal(pk->std_param_id, 13);
	assert_int_equal(pk->version, -1);
	assert_cbs_hex(&pk->public_key,
		       "041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC884D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F");
	assert_cbs_hex(&pk->algorithm, "300C060704007F0007010202010D");
	assert_int_equal(eid_cbs_len(&pk->spki), 0x54);
	eid_secinfos_free(set);
}

/* ---- DG14 ---- */

/* vectors.md §4.2 / appendix "BSI TR-03105-5 DG14": id-PK-ECDH with explicit
 * brainpoolP224r1 parameters, CA 3DES v1, TA v1. */
static void dg14_bsi_specimen_passport(void **state)
{
	static const struct want w[] = {
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.1", "id-CA-ECDH-3DES-CBC-CBC", 1, NONE, NONE, NONE, false },
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 1, NONE, NONE, NONE, false },
	};
	struct eid_secinfos *set = parse_vector("zi_Datagroup14.bin", EID_SI_SRC_DG14);
	const struct eid_secinfo *pk = &set->items[0];
	eid_buf b = EID_BUF_INIT;
	struct eid_secinfos *set2 = NULL;

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(set->der_len, 330);
	assert_true(pk->explicit_params);
	assert_oid_text(&pk->algorithm_oid, "1.2.840.10045.2.1");
	assert_cbs_hex(&pk->public_key,
		       "04A847F020F71DF33D386BE7C9223A354D6AC7727018B26E281C6FFB96A83B142AAF303C23F2BCF2CDE4706C14E45914A9BE42C15BCB67A01F");
	assert_int_equal(eid_cbs_len(&pk->spki), 279);
	/* the explicit prime of brainpoolP224r1 inside the parameters */
	assert_memory_equal(eid_cbs_data(&pk->algorithm_params) + 3 + 3 + 2 + 9 + 2,
			    "\x00\xD7\xC1\x34\xAA\x26\x43\x66\x86", 9);
	/* the same through the DG14 entry point */
	tu_read_vector("zi_Datagroup14.bin", &b);
	assert_int_equal(eid_secinfos_parse_dg14(b.data, b.len, &set2), 0);
	assert_int_equal(set2->n, 3);
	eid_secinfos_free(set2);
	/* and not as a bare SET */
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set2), -EID_EPARSE);
	assert_null(set2);
	eid_secinfos_free(set);
	eid_buf_free(&b);
}

/* ActiveAuthenticationInfo (ICAO 9303-11 9.2.8) in a synthetic DG14: no
 * published file carries one. */
static void dg14_active_authentication_info_signature_algorithm(void **state)
{
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *aa;

	(void)state;
	assert_int_equal(parse_hex("6E19 3117 3015 0606678108010105 020101 06082A8648CE3D040302", &set), 0);
	assert_int_equal(set->source, EID_SI_SRC_DG14);
	aa = eid_secinfos_find(set, EID_SI_AA, 0);
	assert_non_null(aa);
	assert_string_equal(aa->oid_text, "2.23.136.1.1.5");
	assert_string_equal(aa->name, "id-icao-mrtd-security-aaProtocolObject");
	assert_int_equal(aa->version, 1);
	assert_true(aa->version_ok);
	assert_cbs_hex(&aa->sig_alg, "2A8648CE3D040302");
	assert_string_equal(eid_secinfo_oid_name(eid_cbs_data(&aa->sig_alg), eid_cbs_len(&aa->sig_alg)),
			    "ecdsa-with-SHA256");
	eid_secinfos_free(set);
	/* version 2 is reported, the signature algorithm is required */
	assert_int_equal(parse_hex("3118 3016 0606678108010105 020102 0609608648016503040201", &set), 0);
	assert_false(set->items[0].version_ok);
	eid_secinfos_free(set);
	assert_int_equal(parse_hex("310D 300B 0606678108010105 020101", &set), -EID_EPARSE);
}

/* ---- EF.CardSecurity ---- */

/* The eContent equals the separately published *_content.bin file. */
static void assert_content_is(const struct eid_secinfos *set, const char *file)
{
	eid_buf b = EID_BUF_INIT;

	tu_read_vector(file, &b);
	assert_int_equal(set->der_len, b.len);
	assert_memory_equal(set->der, b.data, b.len);
	eid_buf_free(&b);
}

/* vectors.md §4.1: real nPA EF.CardSecurity, id-PK-ECDH key id 0x41
 * (04925DB4E1...A13D9, full value from the appendix hex). */
static void cardsecurity_dan_real_npa_ca_public_key_41(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x41, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 0x43, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 0x44, false },
		{ EID_SI_RI_DP, "0.4.0.127.0.7.2.2.5.2", "id-RI-ECDH", NONE, NONE, 13, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x41, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 0x41, false },
	};
	struct eid_secinfos *set = parse_vector("op_ef_cardsecurity_dan.bin", EID_SI_SRC_CMS);
	const struct eid_secinfo *pk = eid_secinfos_find_key(set, EID_SI_CA_PK, 0x41);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_content_is(set, "op_cardsec_dan_content.bin");
	assert_true(set->items[3].authorized_only);
	assert_false(set->items[4].authorized_only);
	assert_non_null(pk);
	assert_cbs_hex(&pk->public_key,
		       "04925DB4E17ADE58209F96FAA07F1F8A223F823F96CC5D78CBEF5D17422088FDD58E56BC4250DE3346B3C832CAE48635FB6C43789DE8B3102F4393B418E24A13D9");
	eid_secinfos_free(set);
}

/* vectors.md §3.1: EAC worked example EF.CardSecurity (ECDH); CA static
 * public key with key id 1 = 04A44EBE...2E94. */
static void cardsecurity_eac_worked_example_ecdh_key_1(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 1, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 1, false },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 1, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 2, false },
		{ EID_SI_RI_DP, "0.4.0.127.0.7.2.2.5.2", "id-RI-ECDH", NONE, NONE, 13, NONE, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 1, false },
	};
	static const char *const files[] = { "vs_ecdh_ef_cardsecurity.bin", "op_tc_ecdh_ef_cardsecurity.bin" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		struct eid_secinfos *set = parse_vector(files[f], EID_SI_SRC_CMS);

		check_items(set, w, sizeof(w) / sizeof(w[0]));
		assert_content_is(set, "op_tc_ecdh_ef_cardsecurity_content.bin");
		assert_false(set->items[5].authorized_only);
		assert_true(set->items[6].authorized_only);
		assert_cbs_hex(&eid_secinfos_find(set, EID_SI_CA_PK, 0)->public_key,
			       "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94");
		eid_secinfos_free(set);
	}
}

/* vectors.md §3.2: DH variant; the CA static public key (PICC) is the
 * DHPublicKey INTEGER inside the BIT STRING. */
static void cardsecurity_eac_worked_example_dh_key_is_integer(void **state)
{
	struct eid_secinfos *set = parse_vector("vs_dh_ef_cardsecurity.bin", EID_SI_SRC_CMS);
	const struct eid_secinfo *pk = eid_secinfos_find(set, EID_SI_CA_PK, 0);

	(void)state;
	assert_int_equal(set->n, 9);
	assert_content_is(set, "op_tc_dh_ef_cardsecurity_content.bin");
	assert_non_null(pk);
	assert_string_equal(pk->name, "id-PK-DH");
	assert_int_equal(pk->std_param_id, 0);
	assert_int_equal(pk->key_id, 1);
	assert_cbs_hex(&pk->public_key,
		       "028180"
		       "1B3345F8DC04341BF8B2C97F652FA680E5D4FA4C146AE4B839431A644A79BC368C4822C89CD018A57F953644BEDA679C5B532902320E83E13B80DEEF8C18AF3E7D493AE3F88196101B9F78EAFE4B3025EF8BFF916B2FC02D762D0838DEA29C09B485591C2F47F87C71F530BB358F56AF6459D86DBF85EAF9EDBD962CD364F7B8");
	eid_secinfos_free(set);
}

/* eid-datagroups.md §6.2: AusweisApp simulator EF.CardSecurity, 11 top-level
 * SecurityInfos, three inside the PrivilegedTerminalInfo; keys 41 and 45. */
static void cardsecurity_ausweisapp_simulator_all_infos(void **state)
{
	static const struct want w[] = {
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 1, false },
		{ EID_SI_RI_DP, "0.4.0.127.0.7.2.2.5.2", "id-RI-ECDH", NONE, NONE, NONE, NONE, false },
		{ EID_SI_RI, "0.4.0.127.0.7.2.2.5.2.3", "id-RI-ECDH-SHA-256", 1, NONE, NONE, 2, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 41, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 41, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 41, false },
		{ EID_SI_PRIVILEGED, "0.4.0.127.0.7.2.2.8", "id-PT", NONE, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 45, true },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 45, true },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 45, true },
		{ EID_SI_CARD_INFO, "0.4.0.127.0.7.2.2.6", "id-CI", NONE, NONE, NONE, NONE, false },
		{ EID_SI_EID_SECURITY, "0.4.0.127.0.7.2.2.7", "id-eIDSecurity", NONE, NONE, NONE, NONE, false },
	};
	struct eid_secinfos *set = parse_vector("aa_ef_cardsecurity.bin", EID_SI_SRC_CMS);
	const struct eid_secinfo *rdp = &set->items[3], *eid = &set->items[13];
	eid_cbs params, curve;

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_content_is(set, "aa_ef_cardsecurity_content.bin");
	assert_false(set->items[2].authorized_only);
	assert_true(set->items[4].authorized_only);
	/* RI domain parameters: id-ecPublicKey with the named curve brainpoolP256r1 */
	assert_oid_text(&rdp->algorithm_oid, "1.2.840.10045.2.1");
	assert_false(rdp->explicit_params);
	params = rdp->algorithm_params;
	assert_true(eid_der_get_oid(&params, &curve));
	assert_int_equal(eid_cbs_len(&params), 0);
	assert_oid_text(&curve, "1.3.36.3.3.2.8.1.1.7");
	/* CA public keys (§6.2) */
	assert_cbs_hex(&set->items[7].public_key,
		       "0419D4B7447788B0E1993DB35500999627E739A4E5E35F02D8FB07D6122E76567F17758D7A3AA6943EF23E5E2909B3E8B31BFAA4544C2CBF1FB487F31FF239C8F8");
	assert_cbs_hex(&set->items[11].public_key,
		       "041AC6CAE884A6C2B8461404150F54CD1150B21E862A4E5F21CE34290C741104BD1BF31ED91E085D7C630E8B4D10A8AE22BBB2898B44B52EA0F4CDADCF57CFBA25");
	/* eIDSecurityInfo: SHA-224, hashes kept raw for passive authentication */
	assert_oid_text(&eid->algorithm_oid, "2.16.840.1.101.3.4.2.4");
	assert_int_equal(eid_cbs_len(&eid->required), 0x1D8 + 4);
	assert_int_equal(eid_cbs_len(&eid->optional), 0);
	for (size_t i = 9; i < 12; i++)
		assert_int_equal(set->items[i].parent, 8);
	eid_secinfos_free(set);
}

/* Real German passport EF.CardSecurity (gmrtd; asn1parse -strparse 61): PACE
 * GM and CAM, two CA public keys (IDs 0x0D and 0x48). */
static void cardsecurity_real_de_passport(void **state)
{
	static const struct want w[] = {
		{ EID_SI_TA, "0.4.0.127.0.7.2.2.2", "id-TA", 2, NONE, NONE, NONE, false },
		{ EID_SI_CA, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128", 2, NONE, NONE, 0x48, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128", 2, 13, NONE, NONE, false },
		{ EID_SI_CA_DP, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH", NONE, NONE, 13, 0x48, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 0x0D, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 13, 0x48, false },
	};
	struct eid_secinfos *set = parse_vector("gm_DE_cardsecurity.bin", EID_SI_SRC_CMS);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(set->der_len, 309);
	assert_cbs_hex(&eid_secinfos_find_key(set, EID_SI_CA_PK, 0x0D)->public_key,
		       "04614CD88B00821A887869D0060B44A9D18789353E8CF7DFBC3F29F79327DE30B97B1B2DDA0BE77F24AD415C327C7B7AB2E9C10B0258F5BCBF90C01825FBDFDEF7");
	assert_cbs_hex(&eid_secinfos_find_key(set, EID_SI_CA_PK, 0x48)->public_key,
		       "048488A2DC34B6B36D6C01A8DFBD70A874610C53B32893A1DE3B1C4BBF477EEF3761AA51DFD6B52DA43587E95386FC34FFE178D90086A7D646047C82BEBC27DA3E");
	eid_secinfos_free(set);
}

/* Real Finnish passport EF.CardSecurity (gmrtd; asn1parse -strparse 57):
 * AES-256 PACE GM and CAM on brainpoolP384r1 (ID 16), key ID 16. */
static void cardsecurity_real_fi_passport_brainpool384(void **state)
{
	static const struct want w[] = {
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.2.4", "id-PACE-ECDH-GM-AES-CBC-CMAC-256", 2, 16, NONE, NONE, false },
		{ EID_SI_PACE, "0.4.0.127.0.7.2.2.4.6.4", "id-PACE-ECDH-CAM-AES-CBC-CMAC-256", 2, 16, NONE, NONE, false },
		{ EID_SI_CA_PK, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH", NONE, NONE, 16, 16, false },
	};
	struct eid_secinfos *set = parse_vector("gm_FI_cardsecurity.bin", EID_SI_SRC_CMS);

	(void)state;
	check_items(set, w, sizeof(w) / sizeof(w[0]));
	assert_string_equal(eid_secinfo_param_name(16), "brainpoolP384r1");
	assert_cbs_hex(&set->items[2].public_key,
		       "047777B5202C812EA334F4295B6AE711F70CC77CA43A53560569603CB92FB55C084D714BCF291F3C4DBB8EAD1278FCA88C3D6ADEBD71F9E2DE90CB0450F8AB7CDCBA5AF6752EB3C57EA7D5F126E21C10CEDD0FCB6D7FF2F57A713306E59882B51D");
	eid_secinfos_free(set);
}

/* eContent extraction is plain CMS structure, and checks its type. */
static void cms_econtent_type_and_content_extracted(void **state)
{
	eid_buf b = EID_BUF_INIT, m = EID_BUF_INIT;
	eid_cbs type, content;
	struct eid_secinfos *set = NULL;

	(void)state;
	tu_read_vector("op_ef_cardsecurity_dan.bin", &b);
	assert_int_equal(eid_secinfos_cms_econtent(b.data, b.len, &type, &content), 0);
	assert_cbs_hex(&type, SECOBJ_HEX);
	assert_int_equal(eid_cbs_len(&content), 310);
	assert_ptr_equal(eid_cbs_data(&content), b.data + 65);
	/* trailing byte after the ContentInfo */
	eid_buf_add_u8(&b, 0x00);
	assert_int_equal(eid_secinfos_cms_econtent(b.data, b.len, &type, &content), -EID_EPARSE);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	/* a master list is a CMS too, but not SecurityInfos */
	tu_read_vector("de_ml.ml", &m);
	assert_int_equal(eid_secinfos_cms_econtent(m.data, m.len, &type, &content), 0);
	assert_cbs_hex(&type, "678108010102");
	assert_int_equal(eid_secinfos_parse_auto(m.data, m.len, &set), -EID_EPARSE);
	assert_null(set);
	eid_buf_free(&b);
	eid_buf_free(&m);
}

static void cms_synthetic_wrappers_strict(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs type, content;
	struct eid_secinfos *set = NULL;

	(void)state;
	/* minimal valid: empty SecurityInfos */
	build_cms(&b, SECOBJ_HEX, "3100", true);
	assert_int_equal(eid_secinfos_parse_auto(b.data, b.len, &set), 0);
	assert_int_equal(set->source, EID_SI_SRC_CMS);
	assert_int_equal(set->n, 0);
	eid_secinfos_free(set);
	/* a byte after the SET inside the OCTET STRING */
	build_cms(&b, SECOBJ_HEX, "310000", true);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	/* eContent not a SET */
	build_cms(&b, SECOBJ_HEX, "3000", true);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	/* other eContentType (ldsSecurityObject) */
	build_cms(&b, "678108010101", "3100", true);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	/* detached content */
	build_cms(&b, SECOBJ_HEX, "", false);
	assert_int_equal(eid_secinfos_cms_econtent(b.data, b.len, &type, &content), -EID_ENOTFOUND);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	/* not signedData (data 1.2.840.113549.1.7.1) */
	build_cms(&b, SECOBJ_HEX, "3100", true);
	b.data[14] = 0x01;
	assert_int_equal(eid_secinfos_cms_econtent(b.data, b.len, &type, &content), -EID_EPARSE);
	assert_null(set);
	eid_buf_free(&b);
}

/* ---- strictness ---- */

/* Every proper prefix of every kind of file is rejected, never read past. */
static void truncated_inputs_rejected_at_every_length(void **state)
{
	static const char *const files[] = { "op_ef_cardaccess_dan.bin", "aa_ef_cardaccess.bin",
					     "zi_Datagroup14.bin", "op_ef_cardsecurity_dan.bin" };
	eid_buf b = EID_BUF_INIT;

	(void)state;
	for (size_t f = 0; f < 4; f++) {
		tu_read_vector(files[f], &b);
		for (size_t n = 0; n < b.len; n++) {
			/* an exact-size copy, so reading past it would be caught by ASan */
			uint8_t *copy = malloc(n ? n : 1);
			struct eid_secinfos *set = NULL;
			int r;

			assert_non_null(copy);
			memcpy(copy, b.data, n);
			r = eid_secinfos_parse_auto(copy, n, &set);
			if (r != -EID_EPARSE)
				fail_msg("%s cut to %zu bytes: %d", files[f], n, r);
			assert_null(set);
			free(copy);
		}
	}
	eid_buf_free(&b);
}

static void trailing_bytes_rejected_after_set_and_inside_dg14(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	assert_int_equal(parse_hex("31143012060A04007F0007020204020202010202010D00", &set), -EID_EPARSE);
	assert_int_equal(parse_hex("6E023100", &set), 0);
	eid_secinfos_free(set);
	assert_int_equal(parse_hex("6E02310000", &set), -EID_EPARSE);   /* after 6E */
	assert_int_equal(parse_hex("6E03310000", &set), -EID_EPARSE);   /* inside 6E */
	/* a fourth element in a SecurityInfo */
	assert_int_equal(parse_hex("3117 3015 060A04007F00070202040202 020102 02010D 020100", &set),
			 -EID_EPARSE);
	/* bytes after the INTEGER inside requiredData-as-element are a new element: caught above;
	 * bytes inside a FileID */
	assert_int_equal(parse_hex("311B 3019 060804007F0007020202 020101 300A 0402011A 04011A 04011A", &set),
			 -EID_EPARSE);
	assert_null(set);
}

static void wrong_outer_tag_and_non_der_rejected(void **state)
{
	struct eid_secinfos *set = NULL;
	eid_buf b = EID_BUF_INIT;

	(void)state;
	tu_unhex(&b, "3000");
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_EPARSE);
	tu_unhex(&b, "3100");
	assert_int_equal(eid_secinfos_parse_dg14(b.data, b.len, &set), -EID_EPARSE);
	assert_int_equal(eid_secinfos_parse_cardsecurity(b.data, b.len, &set), -EID_EPARSE);
	assert_int_equal(parse_hex("0400", &set), -EID_EPARSE);
	assert_int_equal(parse_hex("", &set), -EID_EPARSE);
	/* an element of the SET that is not a SEQUENCE */
	assert_int_equal(parse_hex("3103020101", &set), -EID_EPARSE);
	/* protocol not an OID */
	assert_int_equal(parse_hex("3108 3006 0401000201 02", &set), -EID_EPARSE);
	/* SecurityInfo without requiredData */
	assert_int_equal(parse_hex("3105 3003 060100", &set), -EID_EPARSE);
	/* long-form length where the short form fits (BER, not DER) */
	assert_int_equal(parse_hex("318114 3012060A04007F0007020204020202010202010D", &set), -EID_EPARSE);
	/* indefinite length */
	assert_int_equal(parse_hex("3180 3012060A04007F0007020204020202010202010D 0000", &set), -EID_EPARSE);
	assert_null(set);
	eid_buf_free(&b);
}

static void empty_set_is_valid_with_no_items(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	assert_int_equal(parse_hex("3100", &set), 0);
	assert_non_null(set);
	assert_int_equal(set->n, 0);
	assert_int_equal(set->source, EID_SI_SRC_SET);
	assert_null(eid_secinfos_find(set, EID_SI_PACE, 0));
	eid_secinfos_free(set);
}

static void oid_longer_than_limit_rejected(void **state)
{
	struct eid_secinfos *set = NULL;
	eid_buf b = EID_BUF_INIT;

	(void)state;
	/* 32 bytes of OID: accepted as an unknown protocol */
	tu_unhex(&b, "3126 3024 0620 2B01010101010101010101010101010101010101010101010101010101010101 0500");
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), 0);
	assert_int_equal(set->items[0].type, EID_SI_UNKNOWN);
	assert_int_equal(set->items[0].oid_len, 32);
	assert_string_equal(set->items[0].oid_text, "1.3.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1");
	eid_secinfos_free(set);
	/* 33 bytes: over the limit */
	tu_unhex(&b, "3127 3025 0621 2B0101010101010101010101010101010101010101010101010101010101010101 0500");
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_ETOOBIG);
	assert_null(set);
	/* malformed OID (last byte with continuation bit) */
	assert_int_equal(parse_hex("3107 3005 060181 0500", &set), -EID_EPARSE);
	eid_buf_free(&b);
}

static void integer_overflow_negative_and_nonminimal_rejected(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	/* PACEInfo version 0x7FFFFFFF: the largest accepted (and reported as not allowed) */
	assert_int_equal(parse_hex("3114 3012 060A04007F00070202040202 02047FFFFFFF", &set), 0);
	assert_int_equal(set->items[0].version, 0x7FFFFFFF);
	assert_false(set->items[0].version_ok);
	eid_secinfos_free(set);
	/* 0x80000000 needs 5 bytes: too big */
	assert_int_equal(parse_hex("3115 3013 060A04007F00070202040202 02050080000000", &set), -EID_EPARSE);
	/* a huge parameterId */
	assert_int_equal(parse_hex("311B 3019 060A04007F00070202040202 020102 02080102030405060708", &set),
			 -EID_EPARSE);
	/* negative key ID */
	assert_int_equal(parse_hex("3114 3012 060A04007F00070202030202 020102 0201FF", &set), -EID_EPARSE);
	/* non-minimal INTEGER */
	assert_int_equal(parse_hex("3112 3010 060A04007F00070202040202 02020002", &set), -EID_EPARSE);
	/* empty INTEGER */
	assert_int_equal(parse_hex("3110 300E 060A04007F00070202040202 0200", &set), -EID_EPARSE);
	/* the version as an OCTET STRING */
	assert_int_equal(parse_hex("3111 300F 060A04007F00070202040202 040102", &set), -EID_EPARSE);
	assert_null(set);
}

static void version_outside_allowed_values_reported_not_fatal(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	/* PACE v3, CA v4, TA v3, RI v2: all parsed, all flagged */
	assert_int_equal(parse_hex("3150"
				   "3012 060A04007F00070202040202 020103 02010D"
				   "3012 060A04007F00070202030202 020104 020141"
				   "300D 060804007F00070202020201 03"
				   "3017 060A04007F00070202050203 3009 020102 020101 010100",
				   &set), 0);
	assert_int_equal(set->n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_false(set->items[i].version_ok);
	assert_int_equal(set->items[0].version, 3);
	assert_int_equal(set->items[0].parameter_id, 13);
	assert_int_equal(set->items[1].version, 4);
	assert_int_equal(set->items[1].key_id, 0x41);
	assert_int_equal(set->items[2].version, 3);
	assert_int_equal(set->items[3].version, 2);
	eid_secinfos_free(set);
}

/* A SET of PrivilegedTerminalInfos each holding the next one. */
static void build_pt_nest(eid_buf *b, int levels)
{
	size_t marks[2 * 256];
	int m = 0;

	eid_buf_reset(b);
	marks[m++] = eid_tlv_begin(b, 0x31);
	for (int i = 0; i < levels; i++) {
		marks[m++] = eid_tlv_begin(b, 0x30);
		eid_tlv_add(b, 0x06, BSI_PT_OID, 8);
		marks[m++] = eid_tlv_begin(b, 0x31);
	}
	while (m > 0)
		assert_int_equal(eid_tlv_end(b, marks[--m]), 0);
}

static void nested_privileged_terminal_info_bomb_rejected(void **state)
{
	struct eid_secinfos *set = NULL;
	eid_buf b = EID_BUF_INIT;

	(void)state;
	/* up to EID_SECINFOS_MAX_DEPTH nested PrivilegedTerminalInfos are fine */
	build_pt_nest(&b, EID_SECINFOS_MAX_DEPTH);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), 0);
	assert_int_equal(set->n, EID_SECINFOS_MAX_DEPTH);
	assert_false(set->items[0].privileged);
	assert_true(set->items[1].privileged);
	assert_int_equal(set->items[1].parent, 0);
	eid_secinfos_free(set);
	/* one more is too deep, and so is a bomb of 200 */
	build_pt_nest(&b, EID_SECINFOS_MAX_DEPTH + 1);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_ETOOBIG);
	build_pt_nest(&b, 200);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_ETOOBIG);
	assert_null(set);
	/* a PrivilegedTerminalInfo whose content is not a SET */
	assert_int_equal(parse_hex("310E 300C 060804007F00070202 08 3000", &set), -EID_EPARSE);
	eid_buf_free(&b);
}

static void too_many_items_and_too_big_input_rejected(void **state)
{
	struct eid_secinfos *set = NULL;
	eid_buf b = EID_BUF_INIT;
	size_t mark;
	uint8_t *big;

	(void)state;
	mark = eid_tlv_begin(&b, 0x31);
	for (int i = 0; i < EID_SECINFOS_MAX_ITEMS + 1; i++)
		eid_buf_add(&b, "\x30\x05\x06\x01\x00\x05\x00", 7);
	assert_int_equal(eid_tlv_end(&b, mark), 0);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), -EID_ETOOBIG);
	/* exactly the limit is fine */
	eid_buf_reset(&b);
	mark = eid_tlv_begin(&b, 0x31);
	for (int i = 0; i < EID_SECINFOS_MAX_ITEMS; i++)
		eid_buf_add(&b, "\x30\x05\x06\x01\x00\x05\x00", 7);
	assert_int_equal(eid_tlv_end(&b, mark), 0);
	assert_int_equal(eid_secinfos_parse(b.data, b.len, &set), 0);
	assert_int_equal(set->n, EID_SECINFOS_MAX_ITEMS);
	eid_secinfos_free(set);
	set = NULL;
	big = calloc(1, EID_SECINFOS_MAX_SIZE + 1);
	assert_non_null(big);
	big[0] = 0x31;
	assert_int_equal(eid_secinfos_parse_auto(big, EID_SECINFOS_MAX_SIZE + 1, &set), -EID_ETOOBIG);
	assert_null(set);
	free(big);
	eid_buf_free(&b);
}

static void malformed_fields_of_known_types_rejected(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	/* CardInfoLocator URL with a non-IA5 byte */
	assert_int_equal(parse_hex("310F 300D 060804007F00070202 06 1601 C3", &set), -EID_EPARSE);
	/* CardInfoLocator URL as UTF8String */
	assert_int_equal(parse_hex("310F 300D 060804007F00070202 06 0C01 41", &set), -EID_EPARSE);
	/* public key BIT STRING with unused bits */
	assert_int_equal(parse_hex("3121 301F 060904007F0007020201 02 3012 300C060704007F0007010202010D 0302 0104",
				   &set), -EID_EPARSE);
	/* RI authorizedOnly BOOLEAN not DER (01) */
	assert_int_equal(parse_hex("3119 3017 060A04007F00070202050203 3009 020101 020101 010101", &set),
			 -EID_EPARSE);
	/* standardized domain parameters whose parameter is not an INTEGER */
	assert_int_equal(parse_hex("3120 301E 060904007F00070202 0302 300E 060704007F00070102 0403010D0E 020141",
				   &set), -EID_EPARSE);
	/* RestrictedIdentificationDomainParameterInfo has no optionalData */
	assert_int_equal(parse_hex("311E 301C 060904007F00070202 0502 300C 060704007F0007010202010D 020101",
				   &set), -EID_EPARSE);
	/* TA efCVCA fid of 3 bytes */
	assert_int_equal(parse_hex("3116 3014 060804007F00070202 02 020101 3005 0403011A1A", &set), -EID_EPARSE);
	assert_null(set);
}

static void unknown_protocols_kept_in_any_order(void **state)
{
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *u;

	(void)state;
	/* an unknown OID under id-PACE with odd data, after a PACEInfo and before a TA info */
	assert_int_equal(parse_hex("313A"
				   "3012 060A04007F00070202040202 020102 02010D"
				   "300F 060A04007F00070202040209 A0 01 FF"
				   "300D 060804007F00070202020201 02"
				   "3004 0600 0500",
				   &set), -EID_EPARSE);    /* empty OID is malformed */
	assert_int_equal(parse_hex("3136"
				   "3012 060A04007F00070202040202 020102 02010D"
				   "3011 060A04007F00070202040209 A0 01 FF 8000"
				   "300D 060804007F00070202020201 02",
				   &set), 0);
	assert_int_equal(set->n, 3);
	u = eid_secinfos_find(set, EID_SI_UNKNOWN, 0);
	assert_non_null(u);
	assert_null(u->name);
	assert_string_equal(u->oid_text, "0.4.0.127.0.7.2.2.4.2.9");
	assert_int_equal(u->version, -1);
	assert_true(u->version_ok);
	assert_cbs_hex(&u->required, "A001FF");
	assert_cbs_hex(&u->optional, "8000");
	assert_non_null(eid_secinfos_find(set, EID_SI_TA, 0));
	assert_null(eid_secinfos_find(set, EID_SI_TA, 1));
	eid_secinfos_free(set);
}

static void other_types_password_ps_and_cardinfo_extensions(void **state)
{
	struct eid_secinfos *set = NULL;

	(void)state;
	assert_int_equal(parse_hex("3162"
				   /* PasswordInfo id-CAN, pwdId 2, optional flags */
				   "3016 060904007F000702020C02 3003 020102 3004 03020780"
				   /* PSPublicKeyInfo with [1] pSParameterID 13, [2] keyId 7 */
				   "3028 060A04007F000702020103 02 3012 3010 3009 0607 2A8648CE3D0201 0303 000102 3006 81010D 820107"
				   /* CardInfo with ExtCardInfoData { [0] FileID 011D 1D, [1] "2.21" } */
				   "301E 060804007F00070202 06 1601 41 A00F A007 0402011D 04011D 8104322E3231",
				   &set), 0);
	assert_int_equal(set->n, 3);
	assert_int_equal(set->items[0].type, EID_SI_PASSWORD);
	assert_string_equal(set->items[0].name, "id-CAN");
	assert_int_equal(set->items[0].password_id, 2);
	assert_int_equal(set->items[1].type, EID_SI_PS_PK);
	assert_int_equal(set->items[1].parameter_id, 13);
	assert_int_equal(set->items[1].key_id, 7);
	assert_cbs_hex(&set->items[1].public_key, "0102");
	assert_int_equal(set->items[2].type, EID_SI_CARD_INFO);
	assert_int_equal(set->items[2].fid, 0x011D);
	assert_int_equal(set->items[2].sfid, 0x1D);
	assert_cbs_str(&set->items[2].url, "A");
	eid_secinfos_free(set);
}

static void names_and_free_null(void **state)
{
	(void)state;
	eid_secinfos_free(NULL);
	assert_null(eid_secinfos_find(NULL, EID_SI_PACE, 0));
	assert_null(eid_secinfos_find_key(NULL, EID_SI_CA, 1));
	assert_string_equal(eid_secinfo_type_name(EID_SI_PACE), "PACEInfo");
	assert_string_equal(eid_secinfo_type_name(EID_SI_CA_PK), "ChipAuthenticationPublicKeyInfo");
	assert_string_equal(eid_secinfo_type_name(EID_SI_UNKNOWN), "UnknownSecurityInfo");
	assert_string_equal(eid_secinfo_type_name((enum eid_secinfo_type)999), "UnknownSecurityInfo");
	for (int t = 0; t < EID_SI_TYPE_MAX; t++)
		assert_non_null(eid_secinfo_type_name((enum eid_secinfo_type)t));
	assert_string_equal(eid_secinfo_source_name(EID_SI_SRC_SET), "EF.CardAccess");
	assert_string_equal(eid_secinfo_source_name(EID_SI_SRC_CMS), "EF.CardSecurity");
	assert_string_equal(eid_secinfo_source_name(EID_SI_SRC_DG14), "DG14");
	/* TR-03110-3 table 4 / ICAO 9303-11 table 6 */
	assert_string_equal(eid_secinfo_param_name(0), "modp1024_160");
	assert_string_equal(eid_secinfo_param_name(2), "modp2048_256");
	assert_null(eid_secinfo_param_name(3));
	assert_null(eid_secinfo_param_name(7));
	assert_string_equal(eid_secinfo_param_name(8), "secp192r1");
	assert_string_equal(eid_secinfo_param_name(12), "secp256r1");
	assert_string_equal(eid_secinfo_param_name(13), "brainpoolP256r1");
	assert_string_equal(eid_secinfo_param_name(17), "brainpoolP512r1");
	assert_string_equal(eid_secinfo_param_name(18), "secp521r1");
	assert_null(eid_secinfo_param_name(19));
	assert_null(eid_secinfo_param_name(-1));
	assert_string_equal(eid_secinfo_oid_name((const uint8_t *)"\x04\x00\x7F\x00\x07\x02\x02\x04\x06\x02", 10),
			    "id-PACE-ECDH-CAM-AES-CBC-CMAC-128");
	assert_null(eid_secinfo_oid_name((const uint8_t *)"\x04\x00\x7F", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cardaccess_dan_real_npa_all_seven_infos),
		cmocka_unit_test(cardaccess_ca3_with_cam_psa_and_privileged_key),
		cmocka_unit_test(cardaccess_old_testcard_explicit_domain_parameters),
		cmocka_unit_test(cardaccess_new_testcard_trailing_junk_rejected_set_parses),
		cmocka_unit_test(cardaccess_slovenia_efcvca_and_unknown_protocol_kept),
		cmocka_unit_test(cardaccess_eac_worked_example_ecdh),
		cmocka_unit_test(cardaccess_eac_worked_example_dh),
		cmocka_unit_test(cardaccess_ausweisapp_simulator_unsorted_set),
		cmocka_unit_test(cardaccess_icao_g1_single_paceinfo),
		cmocka_unit_test(ca_public_key_info_icao_i1_cam_example),
		cmocka_unit_test(dg14_bsi_specimen_passport),
		cmocka_unit_test(dg14_active_authentication_info_signature_algorithm),
		cmocka_unit_test(cardsecurity_dan_real_npa_ca_public_key_41),
		cmocka_unit_test(cardsecurity_eac_worked_example_ecdh_key_1),
		cmocka_unit_test(cardsecurity_eac_worked_example_dh_key_is_integer),
		cmocka_unit_test(cardsecurity_ausweisapp_simulator_all_infos),
		cmocka_unit_test(cardsecurity_real_de_passport),
		cmocka_unit_test(cardsecurity_real_fi_passport_brainpool384),
		cmocka_unit_test(cms_econtent_type_and_content_extracted),
		cmocka_unit_test(cms_synthetic_wrappers_strict),
		cmocka_unit_test(truncated_inputs_rejected_at_every_length),
		cmocka_unit_test(trailing_bytes_rejected_after_set_and_inside_dg14),
		cmocka_unit_test(wrong_outer_tag_and_non_der_rejected),
		cmocka_unit_test(empty_set_is_valid_with_no_items),
		cmocka_unit_test(oid_longer_than_limit_rejected),
		cmocka_unit_test(integer_overflow_negative_and_nonminimal_rejected),
		cmocka_unit_test(version_outside_allowed_values_reported_not_fatal),
		cmocka_unit_test(nested_privileged_terminal_info_bomb_rejected),
		cmocka_unit_test(too_many_items_and_too_big_input_rejected),
		cmocka_unit_test(malformed_fields_of_known_types_rejected),
		cmocka_unit_test(unknown_protocols_kept_in_any_order),
		cmocka_unit_test(other_types_password_ps_and_cardinfo_extensions),
		cmocka_unit_test(names_and_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
