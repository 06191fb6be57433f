/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "testutil.h"
#include "apdu.h"

static void encode(const struct eid_apdu *a, const char *hex)
{
	eid_buf b = EID_BUF_INIT;

	assert_int_equal(eid_apdu_encode(a, &b), 0);
	tu_assert_hex(b.data, b.len, hex, "encoded APDU");
	eid_buf_free(&b);
}

static void encodes_the_four_short_cases(void **state)
{
	struct eid_apdu a = { .cla = 0x00, .ins = 0xA4, .p1 = 0x02, .p2 = 0x0C };

	encode(&a, "00A4020C"); /* case 1 */
	a.data = (const uint8_t *)"\x01\x1E";
	a.lc = 2;
	encode(&a, "00A4020C02011E"); /* case 3: SELECT EF.COM (9303-11 D.4) */
	a.le = 256;
	encode(&a, "00A4020C02011E00"); /* case 4, Le 256 -> 00 */
	a = (struct eid_apdu){ .cla = 0x00, .ins = 0x84, .le = 8 };
	encode(&a, "0084000008"); /* case 2: GET CHALLENGE */
	a.le = 255;
	encode(&a, "00840000FF");
}

static void encodes_extended_length(void **state)
{
	uint8_t data[300];
	struct eid_apdu a = { .cla = 0x00, .ins = 0xB0, .p1 = 0x00, .p2 = 0x00, .le = 257 };
	eid_buf b = EID_BUF_INIT;

	encode(&a, "00B00000000101"); /* case 2E */
	a.le = 65536;
	encode(&a, "00B00000000000");
	a.le = 4;
	a.extended = true;
	encode(&a, "00B00000000004"); /* forced */
	memset(data, 0x11, sizeof(data));
	a = (struct eid_apdu){ .cla = 0x00, .ins = 0x2A, .p1 = 0x00, .p2 = 0xBE,
			       .data = data, .lc = 300 };
	assert_true(eid_apdu_is_extended(&a));
	assert_int_equal(eid_apdu_encode(&a, &b), 0); /* case 3E */
	assert_int_equal(b.len, 4 + 3 + 300);
	assert_hex(b.data, 7, "002A00BE00012C");
	eid_buf_reset(&b);
	a.le = 65536; /* case 4E: Le shares Lc's leading 00 */
	assert_int_equal(eid_apdu_encode(&a, &b), 0);
	assert_int_equal(b.len, 4 + 3 + 300 + 2);
	assert_hex(b.data + 307, 2, "0000");
	eid_buf_free(&b);
}

static void rejects_impossible_apdus(void **state)
{
	struct eid_apdu a = { .ins = 0xB0, .le = 65537 };
	eid_buf b = EID_BUF_INIT;

	assert_int_equal(eid_apdu_encode(&a, &b), -EID_EINVAL);
	a.le = 0;
	a.lc = 3; /* no data pointer */
	assert_int_equal(eid_apdu_encode(&a, &b), -EID_EINVAL);
	a.lc = 65536;
	a.data = (const uint8_t *)"";
	assert_int_equal(eid_apdu_encode(&a, &b), -EID_EINVAL);
	eid_buf_free(&b);
}

static void parses_responses(void **state)
{
	eid_cbs data;
	uint16_t sw;

	assert_int_equal(eid_rapdu_parse((const uint8_t *)"\x46\x08\x90\x00", 4, &data, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eid_cbs_len(&data), 2);
	assert_int_equal(eid_rapdu_parse((const uint8_t *)"\x6A\x82", 2, &data, &sw), 0);
	assert_int_equal(sw, 0x6A82);
	assert_int_equal(eid_cbs_len(&data), 0);
	assert_int_equal(eid_rapdu_parse((const uint8_t *)"\x90", 1, &data, &sw), -EID_EPARSE);
	assert_int_equal(eid_rapdu_parse(NULL, 0, &data, &sw), -EID_EPARSE);
	assert_string_equal(eid_sw_str(0x6A82), "file or application not found");
	assert_string_equal(eid_sw_str(0x63C2), "verification failed, retry counter in SW2");
	assert_string_equal(eid_sw_str(0x1234), "unknown status");
}

static void follows_61xx_with_get_response(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "00B0000000", "0102036104" },
		{ "00C0000004", "040506076100" },
		{ "00C0000000", "089000" },
	};
	struct tu_script s;
	struct eid_apdu a = { .ins = 0xB0, .le = 256 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;

	tu_script_init(&s, ex, 3);
	assert_int_equal(eid_card_transmit(&s.card, &a, &resp, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_hex(resp.data, resp.len, "0102030405060708");
	tu_script_assert_done(&s);
	assert_int_equal(s.card.stats.apdus, 3);
	assert_int_equal(s.card.stats.bytes_out, 15);
	assert_int_equal(s.card.stats.bytes_in, 5 + 6 + 3);
	eid_buf_free(&resp);
}

static void resends_with_the_le_from_6cxx(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "00B0000010", "6C04" },
		{ "00B0000004", "AABBCCDD9000" },
	};
	struct tu_script s;
	struct eid_apdu a = { .ins = 0xB0, .le = 16 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;

	tu_script_init(&s, ex, 2);
	assert_int_equal(eid_card_transmit(&s.card, &a, &resp, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_hex(resp.data, resp.len, "AABBCCDD");
	tu_script_assert_done(&s);
	eid_buf_free(&resp);
}

static void a_second_6cxx_is_not_followed(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "00B0000010", "6C04" },
		{ "00B0000004", "6C02" },
	};
	struct tu_script s;
	struct eid_apdu a = { .ins = 0xB0, .le = 16 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;

	tu_script_init(&s, ex, 2);
	assert_int_equal(eid_card_transmit(&s.card, &a, &resp, &sw), 0);
	assert_int_equal(sw, 0x6C02);
	tu_script_assert_done(&s);
	eid_buf_free(&resp);
}

static void status_words_reach_the_caller(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "00A4020C020101", "6A82" },
		{ "00A4020C020101", "6A82" },
	};
	struct tu_script s;
	struct eid_apdu a = { .ins = 0xA4, .p1 = 2, .p2 = 0x0C,
			      .data = (const uint8_t *)"\x01\x01", .lc = 2 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;

	tu_script_init(&s, ex, 2);
	assert_int_equal(eid_card_transmit(&s.card, &a, &resp, &sw), 0);
	assert_int_equal(sw, 0x6A82);
	assert_int_equal(resp.len, 0);
	assert_int_equal(eid_card_transmit_ok(&s.card, &a, &resp), -EID_ESW);
	tu_script_assert_done(&s);
	eid_buf_free(&resp);
}

static int failing_transmit(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *len)
{
	int *mode = ctx;

	if (*mode == 0)
		return -EID_ENOCARD;
	if (*mode == 1) { /* a response too short to hold a status word */
		*len = 1;
		resp[0] = 0x90;
		return 0;
	}
	*len = *len + 1; /* a driver claiming more than the buffer */
	return 0;
}

static void transport_failures_are_clean_errors(void **state)
{
	struct eid_card card;
	struct eid_apdu a = { .ins = 0x84, .le = 8 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;
	int mode = 0;

	eid_card_init(&card, failing_transmit, &mode);
	assert_int_equal(eid_card_transmit(&card, &a, &resp, &sw), -EID_ENOCARD);
	mode = 1;
	assert_int_equal(eid_card_transmit(&card, &a, &resp, &sw), -EID_ETRANSPORT);
	mode = 2;
	assert_int_equal(eid_card_transmit(&card, &a, &resp, &sw), -EID_ETRANSPORT);
	eid_card_init(&card, NULL, NULL);
	assert_int_equal(eid_card_transmit(&card, &a, &resp, &sw), -EID_ENOTSUP);
	eid_buf_free(&resp);
}

static int endless_61xx(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *len)
{
	resp[0] = 0xAA;
	resp[1] = 0x61;
	resp[2] = 0x01;
	*len = 3;
	return 0;
}

static void endless_get_response_is_bounded(void **state)
{
	struct eid_card card;
	struct eid_apdu a = { .ins = 0xB0, .le = 256 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw;

	eid_card_init(&card, endless_61xx, NULL);
	assert_int_equal(eid_card_transmit(&card, &a, &resp, &sw), -EID_ETOOBIG);
	assert_true(card.stats.apdus < 300);
	eid_buf_free(&resp);
}

struct trace_log {
	int commands, responses;
};

static void trace_cb(void *ctx, bool is_command, const uint8_t *bytes, size_t n)
{
	struct trace_log *t = ctx;

	if (is_command)
		t->commands++;
	else
		t->responses++;
}

static void trace_sees_every_raw_apdu(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0084000008", "61 08" },
		{ "00C0000008", "4608F919887022129000" },
	};
	struct tu_script s;
	struct trace_log t = { 0, 0 };
	struct eid_apdu a = { .ins = 0x84, .le = 8 };
	eid_buf resp = EID_BUF_INIT;

	tu_script_init(&s, ex, 2);
	s.card.trace = trace_cb;
	s.card.trace_ctx = &t;
	assert_int_equal(eid_card_transmit_ok(&s.card, &a, &resp), 0);
	assert_hex(resp.data, resp.len, "4608F91988702212");
	assert_int_equal(t.commands, 2);
	assert_int_equal(t.responses, 2);
	eid_buf_free(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encodes_the_four_short_cases),
		cmocka_unit_test(encodes_extended_length),
		cmocka_unit_test(rejects_impossible_apdus),
		cmocka_unit_test(parses_responses),
		cmocka_unit_test(follows_61xx_with_get_response),
		cmocka_unit_test(resends_with_the_le_from_6cxx),
		cmocka_unit_test(a_second_6cxx_is_not_followed),
		cmocka_unit_test(status_words_reach_the_caller),
		cmocka_unit_test(transport_failures_are_clean_errors),
		cmocka_unit_test(endless_get_response_is_bounded),
		cmocka_unit_test(trace_sees_every_raw_apdu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
