/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The NFC driver's ISO/IEC 14443-4 block protocol (drivers/isodep.c) against
 * a scripted card: block for block, in both directions. */
#include <string.h>

#include "testutil.h"
#include "isodep.h"

/* One expected block from the reader and the card's answer ("ERR": a
 * transmission error). */
struct blk {
	const char *tx;
	const char *rx;
};

struct card {
	const struct blk *b;
	size_t n, pos;
	int last_timeout;
};

static int card_xfer(void *ctx, const uint8_t *blk, size_t n, uint8_t *resp, size_t *resp_len,
		     int timeout_ms)
{
	struct card *c = ctx;
	eid_buf rx = EID_BUF_INIT;

	assert_true(c->pos < c->n);
	tu_assert_hex(blk, n, c->b[c->pos].tx, "block from the reader");
	c->last_timeout = timeout_ms;
	if (!strcmp(c->b[c->pos].rx, "ERR")) {
		c->pos++;
		return -EID_ETRANSPORT;
	}
	tu_unhex(&rx, c->b[c->pos++].rx);
	assert_true(rx.len <= *resp_len);
	memcpy(resp, rx.data, rx.len);
	*resp_len = rx.len;
	eid_buf_free(&rx);
	return 0;
}

static void run(const struct blk *b, size_t nb, size_t fsc, const char *cmd_hex,
		const char *want_hex, int want_r)
{
	struct card c = { b, nb, 0, 0 };
	struct eid_isodep d;
	eid_buf cmd = EID_BUF_INIT;
	uint8_t resp[1024];
	size_t len = sizeof(resp);
	int r;

	tu_unhex(&cmd, cmd_hex);
	eid_isodep_init(&d, card_xfer, &c, fsc, 77);
	r = eid_isodep_transceive(&d, cmd.data, cmd.len, resp, &len);
	assert_int_equal(r, want_r);
	if (want_hex)
		tu_assert_hex(resp, len, want_hex, "response");
	assert_int_equal(c.pos, nb);
	eid_buf_free(&cmd);
}

static void plain_exchange_toggles_the_block_number(void **state)
{
	static const struct blk b[] = {
		{ "02 00a4040c07a0000002471001", "02 9000" },
	};
	struct card c = { b, 1, 0, 0 };
	static const struct blk b2[] = {
		{ "02 00b0000004", "02 01020304 9000" },
		{ "03 00b0000404", "03 05060708 9000" },
	};
	struct eid_isodep d;
	uint8_t cmd[] = { 0x00, 0xB0, 0x00, 0x00, 0x04 }, resp[64];
	size_t len = sizeof(resp);

	(void)state;
	run(b, 1, 256, "00a4040c07a0000002471001", "9000", 0);
	c.b = b2;
	c.n = 2;
	eid_isodep_init(&d, card_xfer, &c, 256, 77);
	assert_int_equal(eid_isodep_transceive(&d, cmd, sizeof(cmd), resp, &len), 0);
	assert_hex(resp, len, "010203049000");
	cmd[3] = 4;
	len = sizeof(resp);
	assert_int_equal(eid_isodep_transceive(&d, cmd, sizeof(cmd), resp, &len), 0);
	assert_hex(resp, len, "050607089000");
}

static void command_chained_at_the_frame_size(void **state)
{
	/* FSC 16: 13 bytes of information a block */
	static const struct blk b[] = {
		{ "12 00112233445566778899aabbcc", "a2" },
		{ "13 ddeeff00112233445566778899", "a3" },
		{ "02 aabb", "02 9000" },
	};

	(void)state;
	run(b, 3, 16, "00112233445566778899aabbccddeeff00112233445566778899aabb", "9000", 0);
}

static void response_chain_is_acknowledged(void **state)
{
	static const struct blk b[] = {
		{ "02 00b0000000", "12 0102" },
		{ "a3", "13 0304" },
		{ "a2", "02 9000" },
	};

	(void)state;
	run(b, 3, 256, "00b0000000", "010203049000", 0);
}

static void waiting_time_extension_is_answered(void **state)
{
	static const struct blk b[] = {
		{ "02 0088000000", "f2 05" },
		{ "f2 05", "f2 03" },
		{ "f2 03", "02 aa9000" },
	};

	(void)state;
	run(b, 3, 256, "0088000000", "aa9000", 0);
}

static void lost_answer_is_fetched_with_a_nak(void **state)
{
	/* the card got the command, its answer was lost: R(NAK) makes it repeat */
	static const struct blk b[] = {
		{ "02 0084000008", "ERR" },
		{ "b2", "02 1122334455667788 9000" },
	};

	(void)state;
	run(b, 2, 256, "0084000008", "11223344556677889000", 0);
}

static void lost_command_is_sent_again(void **state)
{
	/* the card never saw the block: it answers R(NAK) with R(ACK) of its
	 * own (other) block number, and the reader sends the block again */
	static const struct blk b[] = {
		{ "02 0084000008", "ERR" },
		{ "b2", "a3" },
		{ "02 0084000008", "02 1122334455667788 9000" },
	};

	(void)state;
	run(b, 3, 256, "0084000008", "11223344556677889000", 0);
}

static void silent_card_fails_after_three_tries(void **state)
{
	static const struct blk b[] = {
		{ "02 00b0000001", "ERR" },
		{ "b2", "ERR" },
		{ "b2", "ERR" },
	};

	(void)state;
	run(b, 3, 256, "00b0000001", NULL, -EID_ETRANSPORT);
}

static void protocol_errors_are_refused(void **state)
{
	/* wrong block number, an S-block that is no WTX, WTX of 0, too short */
	static const struct blk wrong_bn[] = { { "02 00b0000001", "03 9000" } };
	static const struct blk deselect[] = { { "02 00b0000001", "c2" } };
	static const struct blk wtx0[] = { { "02 00b0000001", "f2 00" } };
	static const struct blk short_resp[] = { { "02 00b0000001", "02 90" } };
	static const struct blk no_ack[] = { { "12 00112233445566778899aabbcc", "02 9000" } };

	(void)state;
	run(wrong_bn, 1, 256, "00b0000001", NULL, -EID_ETRANSPORT);
	run(deselect, 1, 256, "00b0000001", NULL, -EID_ETRANSPORT);
	run(wtx0, 1, 256, "00b0000001", NULL, -EID_ETRANSPORT);
	run(short_resp, 1, 256, "00b0000001", NULL, -EID_ETRANSPORT);
	run(no_ack, 1, 16, "00112233445566778899aabbccdd", NULL, -EID_ETRANSPORT);
}

static void response_longer_than_the_buffer(void **state)
{
	static const struct blk b[] = { { "02 00b0000000", "02 0102030405 9000" } };
	struct card c = { b, 1, 0, 0 };
	struct eid_isodep d;
	uint8_t cmd[] = { 0x00, 0xB0, 0x00, 0x00, 0x00 }, resp[4];
	size_t len = sizeof(resp);

	(void)state;
	eid_isodep_init(&d, card_xfer, &c, 256, 77);
	assert_int_equal(eid_isodep_transceive(&d, cmd, sizeof(cmd), resp, &len), -EID_ETOOBIG);
}

static void card_parameters_and_atr(void **state)
{
	/* ATS of the simulator's type A target: FSCI 8, TA, TB (FWI 8), TC */
	static const uint8_t ats[] = { 0x78, 0x00, 0x80, 0x00, 0x80, 0x73, 0x00, 0x00, 0x40 };
	static const uint8_t bad_ats[] = { 0x78, 0x00 };
	static const uint8_t pi[] = { 0x00, 0x81, 0x80 }, pi_not4[] = { 0x00, 0x80, 0x80 };
	size_t fsc, n;
	int fwt;
	eid_cbs hist;
	uint8_t atr[33];

	(void)state;
	assert_int_equal(eid_isodep_parse_ats(ats, sizeof(ats), &fsc, &fwt, &hist), 0);
	assert_int_equal(fsc, 256);
	assert_int_equal(fwt, 78);
	assert_hex(eid_cbs_data(&hist), eid_cbs_len(&hist), "8073000040");
	/* the same ATR as the simulator gives pcscd through vpcd */
	n = eid_isodep_atr(eid_cbs_data(&hist), eid_cbs_len(&hist), atr, sizeof(atr));
	assert_hex(atr, n, "3b8580018073000040b7");
	assert_int_equal(eid_isodep_parse_ats(bad_ats, sizeof(bad_ats), &fsc, &fwt, &hist),
			 -EID_EPARSE);
	assert_int_equal(eid_isodep_parse_ats(NULL, 0, &fsc, &fwt, &hist), -EID_EPARSE);
	assert_int_equal(eid_isodep_parse_protinfo(pi, sizeof(pi), &fsc, &fwt), 0);
	assert_int_equal(fsc, 256);
	assert_int_equal(eid_isodep_parse_protinfo(pi_not4, sizeof(pi_not4), &fsc, &fwt),
			 -EID_EPARSE);
	assert_int_equal(eid_isodep_parse_protinfo(pi, 2, &fsc, &fwt), -EID_EPARSE);
	assert_int_equal(eid_isodep_fsc(0), 16);
	assert_int_equal(eid_isodep_fsc(5), 64);
	assert_int_equal(eid_isodep_fsc(12), 256);
	assert_int_equal(eid_isodep_fwt_ms(0), 1);
	assert_int_equal(eid_isodep_fwt_ms(14), 4948);
	assert_int_equal(eid_isodep_fwt_ms(15), eid_isodep_fwt_ms(4));
	assert_int_equal(eid_isodep_atr(atr, 16, atr, sizeof(atr)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_exchange_toggles_the_block_number),
		cmocka_unit_test(command_chained_at_the_frame_size),
		cmocka_unit_test(response_chain_is_acknowledged),
		cmocka_unit_test(waiting_time_extension_is_answered),
		cmocka_unit_test(lost_answer_is_fetched_with_a_nak),
		cmocka_unit_test(lost_command_is_sent_again),
		cmocka_unit_test(silent_card_fails_after_three_tries),
		cmocka_unit_test(protocol_errors_are_refused),
		cmocka_unit_test(response_longer_than_the_buffer),
		cmocka_unit_test(card_parameters_and_atr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
