/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decoders of eid-diag check: ATRs of real kinds (contact T=1, PC/SC
 * part 3 contactless type A and B, storage card), the ATS, historical
 * bytes and PC/SC part 10 blobs, and their refusal of malformed input.
 */
#include <string.h>

#include "testutil.h"
#include "diag_atr.h"

static int parse_atr(const char *hex, struct diag_atr *a)
{
	eid_buf b = EID_BUF_INIT;
	int r;

	tu_unhex(&b, hex);
	r = diag_atr_parse(b.data, b.len, a);
	eid_buf_free(&b);
	return r;
}

static void contactless_type_a_with_card_capabilities(void **state)
{
	struct diag_atr a;

	/* eid-sim: 3B 85 80 01, historical bytes 80 73 00 00 40, TCK */
	assert_int_equal(parse_atr("3B8580018073000040B7", &a), 0);
	assert_int_equal(a.ts, 0x3B);
	assert_int_equal(a.n_levels, 2);
	assert_int_equal(a.protocols, (1u << 0) | (1u << 1));
	assert_true(a.has_tck);
	assert_true(a.tck_ok);
	assert_int_equal(a.contactless, DIAG_CL_ISO14443_4);
	assert_true(a.hist_ok);
	assert_int_equal(a.hb.category, 0x80);
	assert_int_equal(a.hb.n_items, 1);
	assert_int_equal(a.hb.items[0].tag, 7);
	assert_true(a.hb.has_caps);
	assert_true(a.hb.ext_lc_le);
	assert_false(a.hb.chaining);
	/* the same without extended Lc/Le, and with a wrong TCK */
	assert_int_equal(parse_atr("3B858001807300000000", &a), 0);
	assert_false(a.hb.ext_lc_le);
	assert_false(a.tck_ok);
}

static void contactless_type_b_german_id_card(void **state)
{
	struct diag_atr a;

	/* nPA: ATQB application data 00000000, protocol info 77 81 81, MBLI 0 */
	assert_int_equal(parse_atr("3B88800100000000778181007E", &a), 0);
	assert_true(a.tck_ok);
	assert_int_equal(a.contactless, DIAG_CL_ISO14443_B);
	assert_false(a.hist_ok);
	assert_hex(a.atqb_proto, 3, "778181");
	assert_int_equal(a.max_frame, 256);
	assert_int_equal(a.mbli, 0);
}

static void storage_card(void **state)
{
	struct diag_atr a;

	/* MIFARE Classic 1K: standard 03, card name 0001 */
	assert_int_equal(parse_atr("3B8F8001804F0CA000000306030001000000006A", &a), 0);
	assert_int_equal(a.contactless, DIAG_CL_STORAGE);
	assert_int_equal(a.storage_standard, 3);
	assert_int_equal(a.storage_name, 1);
	assert_true(a.tck_ok);
}

static void contact_cards(void **state)
{
	struct diag_atr a;

	/* T=0 only: no TCK; TA1 TB1 TC1 absent, 8 historical bytes */
	assert_int_equal(parse_atr("3B6800000073C84013009000", &a), 0);
	assert_int_equal(a.protocols, 1);
	assert_false(a.has_tck);
	assert_int_equal(a.level[0].present, 0x06);
	assert_int_equal(a.contactless, DIAG_CL_NONE);
	assert_int_equal(a.hist_len, 8);
	/* T=1: TA1 96, TD1 81, TD2 31 with TA3 FE (IFSC) and TB3 45, TCK */
	assert_int_equal(parse_atr("3B93968131FE458031C07F", &a), 0);
	assert_int_equal(a.n_levels, 3);
	assert_int_equal(a.level[0].present, 0x09);
	assert_int_equal(a.level[0].ta, 0x96);
	assert_int_equal(a.level[1].present, 0x08);
	assert_int_equal(a.level[2].present, 0x03);
	assert_int_equal(a.level[2].ta, 0xFE);
	assert_int_equal(a.level[2].tb, 0x45);
	assert_int_equal(a.protocols, 1u << 1);
	assert_true(a.tck_ok);
	assert_true(a.hist_ok);
	assert_int_equal(a.hb.items[0].tag, 3);
	assert_int_equal(a.contactless, DIAG_CL_NONE);
	/* the same with TB3 missing */
	assert_int_equal(parse_atr("3B93968131FE", &a), -EID_EPARSE);
}

static void malformed_atrs(void **state)
{
	struct diag_atr a;

	assert_int_equal(parse_atr("3A8580018073000040B6", &a), -EID_EPARSE); /* TS */
	assert_int_equal(parse_atr("3BF0", &a), -EID_EPARSE);                 /* TA1.. missing */
	assert_int_equal(parse_atr("3B0001", &a), -EID_EPARSE);               /* trailing */
	assert_int_equal(parse_atr("3B85800180730000", &a), -EID_EPARSE);     /* hist short */
	assert_int_equal(parse_atr("3B8580018073000040", &a), -EID_EPARSE);   /* no TCK */
	assert_int_equal(parse_atr("3B", &a), -EID_EPARSE);
	assert_int_equal(diag_atr_parse(NULL, 0, &a), -EID_EPARSE);
	/* TDi chaining beyond what fits */
	assert_int_equal(parse_atr("3B808080808080808080808001", &a), -EID_EPARSE);
}

static void ats(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct diag_ats s;

	/* T0 78 (TA TB TC, FSCI 8), TA 80, TB 77, TC 02, 9 historical bytes:
	 * category 80, card capabilities, status indicator LCS 00 SW 9000 */
	tu_unhex(&b, "0D78807702" "8073C82110" "83009000");
	assert_int_equal(diag_ats_parse(b.data, b.len, &s), -EID_EPARSE); /* TL 13 != 14 */
	eid_buf_reset(&b);
	tu_unhex(&b, "0E78807702" "8073C82110" "83009000");
	assert_int_equal(diag_ats_parse(b.data, b.len, &s), 0);
	assert_int_equal(s.fsc, 256);
	assert_int_equal(s.fwi, 7);
	assert_int_equal(s.sfgi, 7);
	assert_true(s.cid);
	assert_false(s.nad);
	assert_int_equal(s.hist_len, 9);
	assert_true(s.hist_ok);
	assert_int_equal(s.hb.category, 0x80);
	assert_true(s.hb.has_status);
	assert_int_equal(s.hb.sw, 0x9000);
	eid_buf_reset(&b);
	tu_unhex(&b, "01");
	assert_int_equal(diag_ats_parse(b.data, b.len, &s), 0);
	assert_int_equal(s.fsc, 32);
	eid_buf_free(&b);
}

static void historical_bytes(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct diag_hist h;

	/* category 00: compact TLV then LCS SW1 SW2 */
	tu_unhex(&b, "0031C0019000");
	assert_int_equal(diag_hist_parse(b.data, b.len, &h), 0);
	assert_int_equal(h.n_items, 1);
	assert_int_equal(h.items[0].tag, 3);
	assert_int_equal(h.lcs, 1);
	assert_int_equal(h.sw, 0x9000);
	eid_buf_reset(&b);
	tu_unhex(&b, "0000000077818100"); /* an ATQB is not 7816-4 */
	assert_int_equal(diag_hist_parse(b.data, b.len, &h), -EID_EPARSE);
	eid_buf_reset(&b);
	tu_unhex(&b, "8079");                 /* item longer than the input */
	assert_int_equal(diag_hist_parse(b.data, b.len, &h), -EID_EPARSE);
	eid_buf_reset(&b);
	tu_unhex(&b, "1005");
	assert_int_equal(diag_hist_parse(b.data, b.len, &h), 0);
	assert_int_equal(h.dir_ref, 5);
	eid_buf_free(&b);
}

static void part10_blobs(void **state)
{
	eid_buf b = EID_BUF_INIT;
	struct diag_part10 f;
	struct diag_part10_props p;

	tu_unhex(&b, "060442330012" "120442330014" "200442330020");
	assert_int_equal(diag_part10_features_parse(b.data, b.len, &f), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.f[1].tag, 0x12);
	assert_int_equal(f.f[1].ioctl, 0x42330014);
	assert_string_equal(diag_part10_feature_name(f.f[0].tag), "VERIFY_PIN_DIRECT");
	assert_string_equal(diag_part10_feature_name(f.f[2].tag), "EXECUTE_PACE");
	eid_buf_reset(&b);
	tu_unhex(&b, "0603423300");           /* length 3 */
	assert_int_equal(diag_part10_features_parse(b.data, b.len, &f), -EID_EPARSE);
	eid_buf_reset(&b);
	/* max APDU 0x0F5F (3935), vendor 08E6, product 3433, firmware, an unknown tag */
	tu_unhex(&b, "0A045F0F0000" "0B02E608" "0C023334" "080446573120" "7F0100" "060104");
	assert_int_equal(diag_part10_props_parse(b.data, b.len, &p), 0);
	assert_int_equal(p.max_apdu, 3935);
	assert_int_equal(p.vendor_id, 0x08E6);
	assert_int_equal(p.product_id, 0x3433);
	assert_string_equal(p.firmware, "FW1 ");
	assert_int_equal(p.min_pin, 4);
	eid_buf_reset(&b);
	tu_unhex(&b, "0A025F0F");             /* dwMaxAPDUDataSize of 2 bytes */
	assert_int_equal(diag_part10_props_parse(b.data, b.len, &p), -EID_EPARSE);
	eid_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contactless_type_a_with_card_capabilities),
		cmocka_unit_test(contactless_type_b_german_id_card),
		cmocka_unit_test(storage_card),
		cmocka_unit_test(contact_cards),
		cmocka_unit_test(malformed_atrs),
		cmocka_unit_test(ats),
		cmocka_unit_test(historical_bytes),
		cmocka_unit_test(part10_blobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
