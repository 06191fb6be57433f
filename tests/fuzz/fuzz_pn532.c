/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the emulated PN532 (tools/sim/pn532.c): its frame decoder on the raw
 * input, then the whole emulator fed with the input in pieces, with a small
 * card that answers every APDU with a long response (so MI and ISO-DEP
 * chaining run) and can be pulled.
 * Input: flags (bit 0 type B, bit 1 card pulled after 3 APDUs, bits 2..7
 * piece size - 1), then host bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "../../tools/sim/pn532.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fake_card {
	unsigned long apdus;
	unsigned long pull_after;
};

static size_t fake_atr(void *ctx, uint8_t *atr, size_t max)
{
	static const uint8_t a[] = { 0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0x40, 0x00 };

	(void)ctx;
	if (max < sizeof(a))
		return 0;
	memcpy(atr, a, sizeof(a));
	return sizeof(a);
}

static void fake_reset(void *ctx)
{
	(void)ctx;
}

static size_t fake_apdu(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t max)
{
	struct fake_card *c = ctx;
	size_t len = n * 3 + 2;

	c->apdus++;
	if (len > max)
		len = max;
	for (size_t i = 0; i + 2 < len; i++)
		resp[i] = cmd[i % n];
	resp[len - 2] = 0x90;
	resp[len - 1] = 0x00;
	return len;
}

static bool fake_removed(void *ctx)
{
	struct fake_card *c = ctx;

	return c->pull_after && c->apdus >= c->pull_after;
}

static const struct vpcd_card_ops fake_ops = {
	.atr = fake_atr,
	.reset = fake_reset,
	.apdu = fake_apdu,
	.removed = fake_removed,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_card card = { 0, 0 };
	struct pn532_emu *e = NULL;
	eid_buf out = EID_BUF_INIT;
	eid_cbs c, rest, payload;
	size_t used, piece;
	uint8_t flags;

	eid_cbs_init(&c, data, size);
	if (!eid_cbs_get_u8(&c, &flags))
		return 0;
	/* the decoder alone, over the whole stream */
	rest = c;
	while (eid_cbs_len(&rest)) {
		enum pn532_frame_kind k = pn532_frame_next(&rest, &payload, &used);

		if (k == PN532_FRAME_INFO && (eid_cbs_len(&payload) == 0 ||
					      eid_cbs_len(&payload) > eid_cbs_len(&rest)))
			abort();
		if (used > eid_cbs_len(&rest))
			abort();
		if (k == PN532_FRAME_MORE || used == 0)
			break;
		eid_cbs_skip(&rest, used);
	}
	/* the emulator */
	card.pull_after = (flags & 2) ? 3 : 0;
	if (pn532_emu_new((flags & 1) ? PN532_TARGET_B : PN532_TARGET_A, &fake_ops, &card, &e) < 0)
		return 0;
	piece = (size_t)(flags >> 2) + 1;
	while (eid_cbs_len(&c)) {
		size_t k = eid_cbs_len(&c) < piece ? eid_cbs_len(&c) : piece;
		eid_cbs p;

		eid_cbs_get_bytes(&c, &p, k);
		eid_buf_reset(&out);
		if (pn532_emu_input(e, eid_cbs_data(&p), k, &out) < 0)
			break;
		(void)pn532_emu_pulled(e);
	}
	eid_buf_free(&out);
	pn532_emu_free(e);
	return 0;
}
