/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the NFC driver's parsers of card answers (drivers/isodep.c): the ATS
 * and ATQB protocol info, and the ISO-DEP block protocol against a card
 * whose blocks come from the input.
 * Input: fsci|fwi byte, command length (u16), then card blocks, each a
 * length byte (FF: a transmission error) and the block.
 */
#include <stdlib.h>
#include <string.h>

#include "isodep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int card_xfer(void *ctx, const uint8_t *blk, size_t n, uint8_t *resp, size_t *resp_len,
		     int timeout_ms)
{
	eid_cbs *c = ctx;
	eid_cbs b;
	uint8_t len;

	if (!blk || n == 0 || timeout_ms <= 0)
		abort();
	if (!eid_cbs_get_u8(c, &len))
		return -EID_ETRANSPORT;
	if (len == 0xFF)
		return -EID_ETRANSPORT;
	if (!eid_cbs_get_bytes(c, &b, len) || len > *resp_len)
		return -EID_ETRANSPORT;
	eid_cbs_copy(&b, resp, len);
	*resp_len = len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t cmd[70000], resp[70000];
	struct eid_isodep d;
	eid_cbs c, hist;
	size_t fsc, len = sizeof(resp);
	int fwt;
	uint8_t p, atr[33];
	uint16_t n;

	if (eid_isodep_parse_ats(data, size, &fsc, &fwt, &hist) == 0)
		(void)eid_isodep_atr(eid_cbs_data(&hist), eid_cbs_len(&hist), atr, sizeof(atr));
	(void)eid_isodep_parse_protinfo(data, size, &fsc, &fwt);

	eid_cbs_init(&c, data, size);
	if (!eid_cbs_get_u8(&c, &p) || !eid_cbs_get_u16(&c, &n) || n == 0)
		return 0;
	memset(cmd, 0xA5, n);
	eid_isodep_init(&d, card_xfer, &c, eid_isodep_fsc(p & 0x0F), eid_isodep_fwt_ms(p >> 4));
	if (eid_isodep_transceive(&d, cmd, n, resp, &len) == 0 && (len < 2 || len > sizeof(resp)))
		abort();
	(void)eid_isodep_ping(&d);
	return 0;
}
