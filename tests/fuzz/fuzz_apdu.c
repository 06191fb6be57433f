/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: response APDU handling.  The input is a stream of responses,
 * each a 2-byte big-endian length followed by the bytes; the card handle
 * sends a few commands and gets these responses (61xx / 6Cxx chains
 * included).  The first byte chooses the command shape.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *len)
{
	eid_cbs *in = ctx, r;
	uint16_t l;

	if (!eid_cbs_get_u16(in, &l) || !eid_cbs_get_bytes(in, &r, l))
		return -EID_ENOCARD;
	if (l > *len)
		return -EID_ETRANSPORT;
	if (l)
		memcpy(resp, eid_cbs_data(&r), l);
	*len = l;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eid_cbs in, d;
	struct eid_card card;
	struct eid_apdu a;
	eid_buf resp = EID_BUF_INIT, enc = EID_BUF_INIT;
	uint8_t mode = 0;
	uint16_t sw;
	static const uint8_t payload[300] = { 0 };

	eid_cbs_init(&in, data, size);
	(void)eid_rapdu_parse(data, size, &d, &sw);
	(void)eid_cbs_get_u8(&in, &mode);
	memset(&a, 0, sizeof(a));
	a.ins = 0xB0;
	a.le = (mode & 1) ? 256 : (mode & 2) ? 65536 : 4;
	if (mode & 4) {
		a.data = payload;
		a.lc = (mode & 8) ? 300 : 2;
	}
	a.extended = (mode & 16) != 0;
	(void)eid_apdu_encode(&a, &enc);
	eid_card_init(&card, replay, &in);
	card.extended_length = (mode & 32) != 0;
	for (int i = 0; i < 8; i++) {
		eid_buf_reset(&resp);
		if (eid_card_transmit(&card, &a, &resp, &sw) == -EID_ENOCARD)
			break;
		(void)eid_sw_str(sw);
	}
	eid_buf_free(&resp);
	eid_buf_free(&enc);
	return 0;
}
