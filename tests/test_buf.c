/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "testutil.h"
#include "buf.h"

static void cursor_reads_big_endian_and_stops_at_the_end(void **state)
{
	static const uint8_t d[] = { 1, 2, 3, 4, 5, 6, 7 };
	eid_cbs c, sub;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	eid_cbs_init(&c, d, sizeof(d));
	assert_true(eid_cbs_get_u8(&c, &u8));
	assert_int_equal(u8, 1);
	assert_true(eid_cbs_get_u16(&c, &u16));
	assert_int_equal(u16, 0x0203);
	assert_true(eid_cbs_get_u32(&c, &u32));
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(eid_cbs_len(&c), 0);
	assert_false(eid_cbs_get_u8(&c, &u8));
	assert_false(eid_cbs_get_bytes(&c, &sub, 1));
	assert_true(eid_cbs_get_bytes(&c, &sub, 0));
}

static void failed_reads_leave_the_cursor_unchanged(void **state)
{
	static const uint8_t d[] = { 0xAA, 0xBB, 0xCC };
	eid_cbs c, sub;
	uint32_t v;
	uint8_t out[4];

	eid_cbs_init(&c, d, sizeof(d));
	assert_false(eid_cbs_get_u32(&c, &v));
	assert_false(eid_cbs_get_bytes(&c, &sub, 4));
	assert_false(eid_cbs_copy(&c, out, 4));
	assert_false(eid_cbs_skip(&c, 4));
	assert_false(eid_cbs_get_last(&c, &sub, 4));
	assert_false(eid_cbs_get_uint(&c, 0, &v));
	assert_false(eid_cbs_get_uint(&c, 5, &v));
	assert_int_equal(eid_cbs_len(&c), 3);
	assert_ptr_equal(eid_cbs_data(&c), d);
	assert_true(eid_cbs_get_uint(&c, 3, &v));
	assert_int_equal(v, 0xAABBCC);
}

static void get_last_splits_off_the_tail(void **state)
{
	static const uint8_t d[] = { 1, 2, 3, 0x90, 0x00 };
	eid_cbs c, tail;
	uint16_t sw;

	eid_cbs_init(&c, d, sizeof(d));
	assert_true(eid_cbs_get_last(&c, &tail, 2));
	assert_true(eid_cbs_get_u16(&tail, &sw));
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eid_cbs_len(&c), 3);
	assert_true(eid_cbs_equal(&c, "\x01\x02\x03", 3));
	assert_false(eid_cbs_equal(&c, "\x01\x02\x04", 3));
	assert_false(eid_cbs_equal(&c, "\x01\x02", 2));
}

static void buffer_grows_and_builds(void **state)
{
	eid_buf b = EID_BUF_INIT;

	for (int i = 0; i < 1000; i++)
		assert_int_equal(eid_buf_add_u16(&b, (uint16_t)i), 0);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[1998], (999 >> 8) & 0xFF);
	assert_int_equal(b.data[1999], 999 & 0xFF);
	eid_buf_truncate(&b, 2);
	assert_int_equal(b.len, 2);
	assert_int_equal(eid_buf_add_zeros(&b, 3), 0);
	assert_hex(b.data, b.len, "0000000000");
	assert_int_equal(eid_buf_set(&b, "\xAB", 1), 0);
	assert_hex(b.data, b.len, "AB");
	eid_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	eid_buf_free(&b); /* twice is harmless */
}

static void buffer_failure_is_sticky(void **state)
{
	eid_buf b = EID_BUF_INIT;

	assert_int_equal(eid_buf_reserve(&b, SIZE_MAX), -EID_ENOMEM);
	assert_false(eid_buf_ok(&b));
	eid_buf_reset(&b);
	assert_int_equal(eid_buf_reserve(&b, EID_BUF_MAX + 1), -EID_ENOMEM);
	assert_false(eid_buf_ok(&b));
	assert_int_equal(eid_buf_add_u8(&b, 1), -EID_ENOMEM);
	assert_int_equal(eid_buf_status(&b), -EID_ENOMEM);
	eid_buf_reset(&b);
	assert_true(eid_buf_ok(&b));
	assert_int_equal(eid_buf_add_u8(&b, 1), 0);
	eid_buf_free(&b);
}

static void secret_buffer_keeps_its_flag_and_contents(void **state)
{
	eid_buf b;

	eid_buf_init_secret(&b);
	for (int i = 0; i < 300; i++)
		assert_int_equal(eid_buf_add_u8(&b, (uint8_t)i), 0);
	assert_true(b.secret);
	assert_int_equal(b.data[255], 255);
	assert_int_equal(b.data[299], 299 & 0xFF);
	eid_buf_free(&b);
	assert_true(b.secret);
}

static void secret_copies_and_frees(void **state)
{
	eid_secret *s = eid_secret_new("123456", 6);

	assert_non_null(s);
	assert_int_equal(s->len, 6);
	assert_memory_equal(s->data, "123456", 6);
	eid_secret_free(s);
	eid_secret_free(NULL);
	s = eid_secret_new(NULL, 16);
	assert_non_null(s);
	assert_hex(s->data, s->len, "00000000000000000000000000000000");
	eid_secret_free(s);
}

static void hex_round_trip_and_bad_digits(void **state)
{
	eid_buf b = EID_BUF_INIT;
	char out[16];

	assert_int_equal(eid_unhex("0A bc:DE\n", &b), 0);
	assert_hex(b.data, b.len, "0ABCDE");
	eid_hex(b.data, b.len, out);
	assert_string_equal(out, "0abcde");
	eid_buf_reset(&b);
	assert_int_equal(eid_unhex("0G", &b), -EID_EPARSE);
	eid_buf_reset(&b);
	assert_int_equal(eid_unhex("ABC", &b), -EID_EPARSE);
	eid_buf_free(&b);
}

static void constant_time_compare(void **state)
{
	assert_true(eid_ct_equal("abc", "abc", 3));
	assert_false(eid_ct_equal("abc", "abd", 3));
	assert_true(eid_ct_equal("x", "y", 0));
}

static void error_names_are_stable(void **state)
{
	assert_string_equal(eid_errname(-EID_EMAC), "SecureMessagingMac");
	assert_string_equal(eid_errname(EID_EPARSE), "Parse");
	assert_string_equal(eid_errname(-9999), "Unknown");
	assert_string_equal(eid_strerror(0), "success");
	for (int e = 0; e < EID_ERROR_MAX; e++) {
		assert_non_null(eid_errname(e));
		assert_non_null(eid_strerror(-e));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_reads_big_endian_and_stops_at_the_end),
		cmocka_unit_test(failed_reads_leave_the_cursor_unchanged),
		cmocka_unit_test(get_last_splits_off_the_tail),
		cmocka_unit_test(buffer_grows_and_builds),
		cmocka_unit_test(buffer_failure_is_sticky),
		cmocka_unit_test(secret_buffer_keeps_its_flag_and_contents),
		cmocka_unit_test(secret_copies_and_frees),
		cmocka_unit_test(hex_round_trip_and_bad_digits),
		cmocka_unit_test(constant_time_compare),
		cmocka_unit_test(error_names_are_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
