/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* eid-sim's emulated PN532 (tools/sim/pn532.c): frames, the commands libnfc
 * sends, InDataExchange with MI both ways, raw ISO-DEP blocks, a pulled
 * card; and the NFC driver's ISO-DEP layer (drivers/isodep.c) talking to it
 * through PN532 frames. */
#include <string.h>

#include "testutil.h"
#include "../tools/sim/pn532.h"
#include "../drivers/isodep.h"

struct fake_card {
	unsigned long apdus;
	unsigned long pull_after;
	unsigned long resets;
	size_t resp_len;       /* length of each response (data), 0: echo */
};

static size_t fake_atr(void *ctx, uint8_t *atr, size_t max)
{
	static const uint8_t a[] = { 0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0x40, 0xB7 };

	(void)ctx;
	assert_true(max >= sizeof(a));
	memcpy(atr, a, sizeof(a));
	return sizeof(a);
}

static void fake_reset(void *ctx)
{
	((struct fake_card *)ctx)->resets++;
}

/* The response: resp_len bytes i & 0xFF, or the command echoed; then the
 * command's length as SW (so the test sees what arrived). */
static size_t fake_apdu(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t max)
{
	struct fake_card *c = ctx;
	size_t len = c->resp_len ? c->resp_len : n;

	c->apdus++;
	assert_true(len + 2 <= max);
	for (size_t i = 0; i < len; i++)
		resp[i] = c->resp_len ? (uint8_t)i : cmd[i];
	resp[len] = (uint8_t)(n >> 8);
	resp[len + 1] = (uint8_t)n;
	return len + 2;
}

static bool fake_removed(void *ctx)
{
	struct fake_card *c = ctx;

	return c->pull_after && c->apdus >= c->pull_after;
}

static const struct vpcd_card_ops fake_ops = {
	.atr = fake_atr, .reset = fake_reset, .apdu = fake_apdu, .removed = fake_removed,
};

/* Send one command (D4 ...) and return the answer payload (D5 ...) after
 * checking the ACK and the frame. */
static void cmd(struct pn532_emu *e, const char *payload_hex, eid_buf *ans)
{
	eid_buf p = EID_BUF_INIT, frame = EID_BUF_INIT, out = EID_BUF_INIT;
	eid_cbs c, pl;
	size_t used;

	tu_unhex(&p, payload_hex);
	assert_int_equal(pn532_frame_put(&frame, p.data, p.len), 0);
	assert_int_equal(pn532_emu_input(e, frame.data, frame.len, &out), 0);
	assert_true(out.len > 6);
	assert_hex(out.data, 6, "0000ff00ff00");
	eid_cbs_init(&c, out.data + 6, out.len - 6);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_INFO);
	assert_int_equal(used, out.len - 6);
	eid_buf_reset(ans);
	eid_buf_add_cbs(ans, &pl);
	eid_buf_free(&p);
	eid_buf_free(&frame);
	eid_buf_free(&out);
}

static void frames_are_decoded_and_checked(void **state)
{
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, pl;
	size_t used;

	(void)state;
	/* wake-up bytes, then SAMConfiguration */
	tu_unhex(&b, "5555000000000000000000000000000000 0000ff03fdd4140117 00");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_INFO);
	assert_hex(eid_cbs_data(&pl), eid_cbs_len(&pl), "d41401");
	/* incomplete: wait, dropping nothing but what precedes the start */
	tu_unhex(&b, "55 0000ff03fdd414");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_MORE);
	assert_int_equal(used, 2);
	/* wrong data checksum, wrong length checksum */
	tu_unhex(&b, "0000ff03fdd4140118 00");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_BAD);
	tu_unhex(&b, "0000ff03fcd4140117 00");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_BAD);
	/* ACK, NACK */
	tu_unhex(&b, "0000ff00ff00");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_ACK);
	tu_unhex(&b, "0000ffff0000");
	eid_buf_cbs(&b, &c);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_NACK);
	/* an extended frame round trip */
	eid_buf_reset(&b);
	{
		uint8_t big[300];

		memset(big, 0x5A, sizeof(big));
		big[0] = 0xD5;
		assert_int_equal(pn532_frame_put(&b, big, sizeof(big)), 0);
		assert_hex(b.data, 8, "0000ffffff012cd3");
		eid_buf_cbs(&b, &c);
		assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_INFO);
		assert_int_equal(eid_cbs_len(&pl), sizeof(big));
		assert_int_equal(used, b.len);
	}
	eid_buf_free(&b);
}

static void libnfc_setup_commands(void **state)
{
	struct fake_card card = { 0 };
	struct pn532_emu *e;
	eid_buf a = EID_BUF_INIT, out = EID_BUF_INIT;
	static const uint8_t err_cmd[] = { 0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0xEE, 0x3E, 0x00 };

	(void)state;
	assert_int_equal(pn532_emu_new(PN532_TARGET_A, &fake_ops, &card, &e), 0);
	cmd(e, "d41401", &a);
	assert_hex(a.data, a.len, "d515");
	cmd(e, "d400006c69626e6663", &a);
	assert_hex(a.data, a.len, "d501006c69626e6663");
	cmd(e, "d402", &a);
	assert_hex(a.data, a.len, "d50332010607");
	cmd(e, "d40663056331", &a);
	assert_hex(a.data, a.len, "d5070000");
	/* field off: the card is reset */
	cmd(e, "d4320100", &a);
	assert_hex(a.data, a.len, "d533");
	assert_int_equal(card.resets, 1);
	/* an unknown command: ACK, then the error frame; a NACK repeats it */
	assert_int_equal(pn532_emu_input(e, err_cmd, sizeof(err_cmd), &out), 0);
	assert_hex(out.data, out.len, "0000ff00ff00 0000ff01ff7f8100");
	eid_buf_reset(&out);
	assert_int_equal(pn532_emu_input(e, (const uint8_t *)"\0\0\xff\xff\0\0", 6, &out), 0);
	assert_hex(out.data, out.len, "0000ff01ff7f8100");
	eid_buf_free(&out);
	eid_buf_free(&a);
	pn532_emu_free(e);
}

static void targets_of_type_a_and_b(void **state)
{
	struct fake_card card = { 0 };
	struct pn532_emu *e;
	eid_buf a = EID_BUF_INIT;

	(void)state;
	assert_int_equal(pn532_emu_new(PN532_TARGET_A, &fake_ops, &card, &e), 0);
	cmd(e, "d44a0100", &a);
	assert_hex(a.data, a.len, "d54b 01 01 0004 20 04 08454944 0a 78008000 8073000040");
	cmd(e, "d44a010300", &a);
	assert_hex(a.data, a.len, "d54b00");
	cmd(e, "d4600102 0320", &a);
	assert_hex(a.data, a.len, "d561 01 20 13 01 0004 20 04 08454944 0a 78008000 8073000040");
	pn532_emu_free(e);
	assert_int_equal(pn532_emu_new(PN532_TARGET_B, &fake_ops, &card, &e), 0);
	cmd(e, "d44a0100", &a);
	assert_hex(a.data, a.len, "d54b00");
	cmd(e, "d44a010300", &a);
	assert_hex(a.data, a.len, "d54b 01 01 50 45494442 00000000 008180 01 00");
	pn532_emu_free(e);
	eid_buf_free(&a);
}

static void data_exchange_chains_both_ways(void **state)
{
	struct fake_card card = { 0 };
	struct pn532_emu *e;
	eid_buf a = EID_BUF_INIT;

	(void)state;
	assert_int_equal(pn532_emu_new(PN532_TARGET_A, &fake_ops, &card, &e), 0);
	/* no target yet */
	cmd(e, "d4400100a4000c", &a);
	assert_hex(a.data, a.len, "d54127");
	cmd(e, "d44a0100", &a);
	cmd(e, "d4400100a4000c", &a);
	assert_hex(a.data, a.len, "d5410000a4000c0004");
	/* a command in two parts (MI from the host) */
	cmd(e, "d440410011", &a);
	assert_hex(a.data, a.len, "d54100");
	cmd(e, "d440012233", &a);
	assert_hex(a.data, a.len, "d541 00 001122330004");
	/* a 300-byte response: 252 bytes with MI, then the rest */
	card.resp_len = 300;
	cmd(e, "d4400100b0000000", &a);
	assert_int_equal(a.len, 3 + 252);
	assert_hex(a.data, 3, "d54140");
	cmd(e, "d44001", &a);
	assert_int_equal(a.len, 3 + 50);
	assert_hex(a.data, 3, "d54100");
	assert_hex(a.data + a.len - 4, 4, "2a2b0005");
	eid_buf_free(&a);
	pn532_emu_free(e);
}

static void pulled_card_answers_nothing(void **state)
{
	struct fake_card card = { .pull_after = 1 };
	struct pn532_emu *e;
	eid_buf a = EID_BUF_INIT;

	(void)state;
	assert_int_equal(pn532_emu_new(PN532_TARGET_B, &fake_ops, &card, &e), 0);
	cmd(e, "d44a010300", &a);
	assert_false(pn532_emu_pulled(e));
	cmd(e, "d4400100a4000c", &a);
	assert_hex(a.data, a.len, "d5410000a4000c0004");
	assert_true(pn532_emu_pulled(e));
	assert_false(pn532_emu_pulled(e));
	cmd(e, "d4400100a4000c", &a);
	assert_hex(a.data, a.len, "d54101");
	cmd(e, "d44202", &a);
	assert_hex(a.data, a.len, "d54301");
	cmd(e, "d44a010300", &a);
	assert_hex(a.data, a.len, "d54b00");
	/* back in the field */
	card.pull_after = 0;
	cmd(e, "d44a010300", &a);
	assert_hex(a.data, 3, "d54b01");
	eid_buf_free(&a);
	pn532_emu_free(e);
}

/* The driver's ISO-DEP layer over InCommunicateThru frames to the emulator. */
static int thru(void *ctx, const uint8_t *blk, size_t n, uint8_t *resp, size_t *resp_len,
		int timeout_ms)
{
	struct pn532_emu *e = ctx;
	eid_buf p = EID_BUF_INIT, frame = EID_BUF_INIT, out = EID_BUF_INIT;
	eid_cbs c, pl;
	size_t used;
	uint8_t tfi = 0, code = 0, st = 0xFF;
	int r = -EID_ETRANSPORT;

	(void)timeout_ms;
	eid_buf_add_u8(&p, 0xD4);
	eid_buf_add_u8(&p, 0x42);
	eid_buf_add(&p, blk, n);
	pn532_frame_put(&frame, p.data, p.len);
	assert_int_equal(pn532_emu_input(e, frame.data, frame.len, &out), 0);
	eid_cbs_init(&c, out.data + 6, out.len - 6);
	assert_int_equal(pn532_frame_next(&c, &pl, &used), PN532_FRAME_INFO);
	assert_true(eid_cbs_get_u8(&pl, &tfi) && eid_cbs_get_u8(&pl, &code) &&
		    eid_cbs_get_u8(&pl, &st));
	assert_int_equal(code, 0x43);
	if (st == 0 && eid_cbs_len(&pl) <= *resp_len) {
		*resp_len = eid_cbs_len(&pl);
		eid_cbs_copy(&pl, resp, *resp_len);
		r = 0;
	}
	eid_buf_free(&p);
	eid_buf_free(&frame);
	eid_buf_free(&out);
	return r;
}

static void isodep_reader_and_emulated_card_agree(void **state)
{
	struct fake_card card = { 0 };
	struct pn532_emu *e;
	struct eid_isodep d;
	eid_buf a = EID_BUF_INIT;
	static uint8_t cmdbuf[1000], resp[4000];
	size_t len;

	(void)state;
	assert_int_equal(pn532_emu_new(PN532_TARGET_A, &fake_ops, &card, &e), 0);
	cmd(e, "d44a0100", &a);
	eid_isodep_init(&d, thru, e, 64, 77);
	for (size_t i = 0; i < sizeof(cmdbuf); i++)
		cmdbuf[i] = (uint8_t)(i * 7);
	/* a 1000-byte command (chained in 61-byte pieces), echoed back (chained
	 * in 250-byte pieces by the card) */
	len = sizeof(resp);
	assert_int_equal(eid_isodep_transceive(&d, cmdbuf, sizeof(cmdbuf), resp, &len), 0);
	assert_int_equal(len, sizeof(cmdbuf) + 2);
	assert_memory_equal(resp, cmdbuf, sizeof(cmdbuf));
	assert_hex(resp + sizeof(cmdbuf), 2, "03e8");
	/* the next exchanges keep the block numbers in step */
	card.resp_len = 3000;
	len = sizeof(resp);
	assert_int_equal(eid_isodep_transceive(&d, cmdbuf, 5, resp, &len), 0);
	assert_int_equal(len, 3002);
	assert_int_equal(resp[2999], (uint8_t)2999);
	assert_int_equal(eid_isodep_ping(&d), 1);
	len = sizeof(resp);
	assert_int_equal(eid_isodep_transceive(&d, cmdbuf, 5, resp, &len), 0);
	assert_int_equal(card.apdus, 3);
	/* pulled: the card stays silent */
	card.pull_after = 3;
	len = sizeof(resp);
	assert_int_equal(eid_isodep_transceive(&d, cmdbuf, 5, resp, &len), -EID_ETRANSPORT);
	assert_int_equal(eid_isodep_ping(&d), 0);
	eid_buf_free(&a);
	pn532_emu_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_are_decoded_and_checked),
		cmocka_unit_test(libnfc_setup_commands),
		cmocka_unit_test(targets_of_type_a_and_b),
		cmocka_unit_test(data_exchange_chains_both_ways),
		cmocka_unit_test(pulled_card_answers_nothing),
		cmocka_unit_test(isodep_reader_and_emulated_card_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
