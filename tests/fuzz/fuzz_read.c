/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: the whole e-passport read flow (proto/read.c) driven by a
 * replayed stream of card responses, like OpenSC's fuzzer_reader.  Input:
 * one mode byte (bit 0: extended length, bit 1: PACE with CAN instead of
 * the MRZ), then responses, each a 2-byte big-endian length and the bytes.
 * The terminal's randomness is a fixed counter, so a recorded session
 * (tests/fuzz/read_seeds.c) replays to the end and mutations explore every
 * step after it.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "read_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *len)
{
	eid_cbs *in = ctx, r;
	uint16_t l;

	(void)cmd;
	(void)n;
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
	eid_cbs in;
	uint8_t mode = 0, counter = 1;
	struct eid_card card;
	struct eid_rng rng = { fixture_counter_rng, &counter };
	struct eid_read_opts o;
	struct eid_read_result *res = NULL;

	eid_cbs_init(&in, data, size);
	(void)eid_cbs_get_u8(&in, &mode);
	o = fixture_opts(&rng, mode & 2);
	eid_card_init(&card, replay, &in);
	card.extended_length = mode & 1;
	if (eid_read_mrtd(&card, &o, &res) == 0)
		eid_read_result_free(res);
	return 0;
}
