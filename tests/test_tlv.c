/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "testutil.h"
#include "tlv.h"

static void cbs_from_hex(eid_buf *b, eid_cbs *c, const char *hex)
{
	tu_unhex(b, hex);
	eid_buf_cbs(b, c);
}

static void reads_multibyte_tags_and_long_lengths(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t tag;
	size_t hdr;

	/* 7F49 with a 1-byte length, 5F1F with 81 form, BF8101 three-byte tag */
	cbs_from_hex(&b, &c, "7F4903010203" "5F1F8103414243" "BF81010100");
	assert_true(eid_tlv_get_any(&c, &tag, &v, &hdr));
	assert_int_equal(tag, 0x7F49);
	assert_int_equal(hdr, 3);
	assert_hex(eid_cbs_data(&v), eid_cbs_len(&v), "010203");
	assert_true(eid_tlv_get(&c, 0x5F1F, &v));
	assert_true(eid_cbs_equal(&v, "ABC", 3));
	assert_true(eid_tlv_get_any(&c, &tag, &v, NULL));
	assert_int_equal(tag, 0xBF8101);
	assert_int_equal(eid_cbs_len(&c), 0);
	assert_true(eid_tlv_constructed(0x7F49));
	assert_true(eid_tlv_constructed(0x30));
	assert_false(eid_tlv_constructed(0x5F1F));
	assert_false(eid_tlv_constructed(0x04));
	eid_buf_free(&b);
}

static void four_length_bytes_are_the_limit(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t tag;

	/* 84 form with a length that exceeds the input: truncation */
	cbs_from_hex(&b, &c, "048400010000AA");
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	assert_int_equal(eid_cbs_len(&c), 7);
	/* 85: five length bytes are not accepted */
	cbs_from_hex(&b, &c, "04850000000001AA");
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	/* 84 form that fits */
	cbs_from_hex(&b, &c, "048400000002AABB");
	assert_true(eid_tlv_get_any(&c, &tag, &v, NULL));
	assert_hex(eid_cbs_data(&v), eid_cbs_len(&v), "AABB");
	/* 82 form with 300 bytes */
	eid_buf_reset(&b);
	eid_buf_add(&b, "\x04\x82\x01\x2C", 4);
	eid_buf_add_zeros(&b, 300);
	eid_buf_cbs(&b, &c);
	assert_true(eid_tlv_get(&c, 0x04, &v));
	assert_int_equal(eid_cbs_len(&v), 300);
	eid_buf_free(&b);
}

static void rejects_indefinite_truncated_and_overlong_tags(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t tag;

	cbs_from_hex(&b, &c, "308002010000"); /* indefinite */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "0405AABB"); /* value truncated */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "7F"); /* tag truncated */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "04"); /* length missing */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "048201"); /* length bytes truncated */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "1F8181818101AA"); /* 5 tag bytes */
	assert_false(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "04"); /* wrong expected tag leaves cursor */
	cbs_from_hex(&b, &c, "0401AA");
	assert_false(eid_tlv_get(&c, 0x05, &v));
	assert_int_equal(eid_cbs_len(&c), 3);
	eid_buf_free(&b);
}

static void der_rejects_non_minimal_encodings(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t tag;

	cbs_from_hex(&b, &c, "048102AABB"); /* BER accepts 81 02 */
	assert_true(eid_tlv_get_any(&c, &tag, &v, NULL));
	cbs_from_hex(&b, &c, "048102AABB");
	assert_false(eid_der_get_any(&c, &tag, &v));
	cbs_from_hex(&b, &c, "04820002AABB");
	assert_false(eid_der_get_any(&c, &tag, &v));
	cbs_from_hex(&b, &c, "1F8001AA"); /* tag with leading 0x80 */
	assert_false(eid_der_get_any(&c, &tag, &v));
	cbs_from_hex(&b, &c, "1F0501AA"); /* tag number < 31 in long form */
	assert_false(eid_der_get_any(&c, &tag, &v));
	cbs_from_hex(&b, &c, "0402AABB");
	assert_true(eid_der_get(&c, 0x04, &v));
	eid_buf_free(&b);
}

static void nested_iteration_and_optional(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, seq, v, el;
	uint32_t tag;
	bool present;
	int n = 0;

	cbs_from_hex(&b, &c, "3009" "020101" "020102" "0401FF");
	assert_true(eid_tlv_get(&c, 0x30, &seq));
	assert_int_equal(eid_cbs_len(&c), 0);
	assert_true(eid_tlv_get_optional(&seq, 0x04, &v, &present));
	assert_false(present);
	while (eid_cbs_len(&seq)) {
		uint32_t t;

		assert_true(eid_tlv_peek_tag(&seq, &t));
		if (t != 0x02)
			break;
		assert_true(eid_tlv_get_element(&seq, &tag, &el));
		assert_int_equal(eid_cbs_len(&el), 3);
		n++;
	}
	assert_int_equal(n, 2);
	assert_true(eid_tlv_get_optional(&seq, 0x04, &v, &present));
	assert_true(present);
	assert_hex(eid_cbs_data(&v), eid_cbs_len(&v), "FF");
	eid_buf_free(&b);
}

static void header_of_a_partial_file(void **state)
{
	eid_buf b = EID_BUF_INIT;
	uint32_t tag;
	size_t hdr, len;

	/* EF.SOD starts 77 82 07 8A: 4 header bytes + 1930 */
	tu_unhex(&b, "7782078A3082");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), 0);
	assert_int_equal(tag, 0x77);
	assert_int_equal(hdr, 4);
	assert_int_equal(len, 0x78A);
	assert_int_equal(eid_tlv_header(b.data, 2, &tag, &hdr, &len), 1);
	assert_int_equal(eid_tlv_header(b.data, 0, &tag, &hdr, &len), 1);
	tu_unhex(&b, "7F61");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), 1);
	tu_unhex(&b, "7F");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), 1);
	tu_unhex(&b, "7780");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), -EID_EPARSE);
	tu_unhex(&b, "7785");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), -EID_EPARSE);
	tu_unhex(&b, "1F81818181");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), -EID_EPARSE);
	tu_unhex(&b, "6115");
	assert_int_equal(eid_tlv_header(b.data, b.len, &tag, &hdr, &len), 0);
	assert_int_equal(hdr + len, 0x17);
	eid_buf_free(&b);
}

static void integers_and_oids(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t u;
	char text[64];

	cbs_from_hex(&b, &c, "0201 0D");
	assert_true(eid_der_get_u32(&c, &u));
	assert_int_equal(u, 13);
	cbs_from_hex(&b, &c, "020200FF");
	assert_true(eid_der_get_u32(&c, &u));
	assert_int_equal(u, 255);
	cbs_from_hex(&b, &c, "0202007F"); /* non-minimal */
	assert_false(eid_der_get_u32(&c, &u));
	cbs_from_hex(&b, &c, "0201FF"); /* negative */
	assert_false(eid_der_get_u32(&c, &u));
	cbs_from_hex(&b, &c, "02050100000000"); /* too big */
	assert_false(eid_der_get_u32(&c, &u));
	cbs_from_hex(&b, &c, "0200");
	assert_false(eid_der_get_uint_bytes(&c, &v));

	cbs_from_hex(&b, &c, "060A04007F00070202040202");
	assert_true(eid_der_get_oid(&c, &v));
	assert_int_equal(eid_oid_to_text(eid_cbs_data(&v), eid_cbs_len(&v), text, sizeof(text)), 0);
	assert_string_equal(text, "0.4.0.127.0.7.2.2.4.2.2");
	cbs_from_hex(&b, &c, "06062A864886F70D"); /* 1.2.840.113549 */
	assert_true(eid_der_get_oid(&c, &v));
	assert_int_equal(eid_oid_to_text(eid_cbs_data(&v), eid_cbs_len(&v), text, sizeof(text)), 0);
	assert_string_equal(text, "1.2.840.113549");
	cbs_from_hex(&b, &c, "0606678108010101"); /* 2.23.136.1.1.1 */
	assert_true(eid_der_get_oid(&c, &v));
	assert_int_equal(eid_oid_to_text(eid_cbs_data(&v), eid_cbs_len(&v), text, sizeof(text)), 0);
	assert_string_equal(text, "2.23.136.1.1.1");
	cbs_from_hex(&b, &c, "06022A86"); /* unterminated sub-identifier */
	assert_false(eid_der_get_oid(&c, &v));
	cbs_from_hex(&b, &c, "0603 2A 80 01"); /* 0x80 padding */
	assert_false(eid_der_get_oid(&c, &v));
	assert_int_equal(eid_oid_to_text((const uint8_t *)"\x2A\x86\x48", 3, text, 4), -EID_ETOOBIG);
	eid_buf_free(&b);
}

static void writes_der(void **state)
{
	eid_buf b = EID_BUF_INIT;
	size_t outer, inner;
	uint8_t big[300];

	/* the PACE authentication token input shape: 7F49 { 06 OID, 86 point } */
	outer = eid_tlv_begin(&b, 0x7F49);
	eid_tlv_add(&b, 0x06, "\x04\x00\x7F\x00\x07\x02\x02\x04\x02\x02", 10);
	eid_tlv_add(&b, 0x86, "\x04\x01\x02", 3);
	assert_int_equal(eid_tlv_end(&b, outer), 0);
	assert_hex(b.data, b.len, "7F4911060A04007F00070202040202" "8603040102");

	/* nested lengths widen: 300 bytes inside need 82 01 2C + outer 82 01 30 */
	eid_buf_reset(&b);
	memset(big, 0xAB, sizeof(big));
	outer = eid_tlv_begin(&b, 0x30);
	inner = eid_tlv_begin(&b, 0x04);
	eid_buf_add(&b, big, sizeof(big));
	assert_int_equal(eid_tlv_end(&b, inner), 0);
	assert_int_equal(eid_tlv_end(&b, outer), 0);
	assert_int_equal(b.len, 4 + 4 + 300);
	assert_hex(b.data, 8, "30820130" "0482012C");
	assert_int_equal(b.data[8], 0xAB);
	assert_int_equal(b.data[307], 0xAB);

	eid_buf_reset(&b);
	eid_der_add_u32(&b, 0);
	eid_der_add_u32(&b, 13);
	eid_der_add_u32(&b, 0x80);
	eid_der_add_u32(&b, 0x12345678);
	assert_hex(b.data, b.len, "020100" "02010D" "02020080" "020412345678");
	eid_buf_reset(&b);
	eid_tlv_add(&b, 0x5F1F, NULL, 0);
	eid_tlv_add_len(&b, 0x10000);
	assert_hex(b.data, b.len, "5F1F00" "83010000");
	eid_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_multibyte_tags_and_long_lengths),
		cmocka_unit_test(four_length_bytes_are_the_limit),
		cmocka_unit_test(rejects_indefinite_truncated_and_overlong_tags),
		cmocka_unit_test(der_rejects_non_minimal_encodings),
		cmocka_unit_test(nested_iteration_and_optional),
		cmocka_unit_test(header_of_a_partial_file),
		cmocka_unit_test(integers_and_oids),
		cmocka_unit_test(writes_der),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
