/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: what eid-diag check decodes from a card or a reader.  The
 * input goes to every decoder: ATR, ATS, historical bytes, the PC/SC part
 * 10 feature list and TLV properties.  On success the results must be
 * consistent with the input (lengths within bounds, strings terminated).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eid.h"
#include "diag_atr.h"

static volatile uint8_t sink;

static void check_hist(const struct diag_hist *h)
{
	if (h->n_items > DIAG_HIST_MAX)
		abort();
	for (size_t i = 0; i < h->n_items; i++) {
		if (h->items[i].tag == 0 || h->items[i].tag > 15 || h->items[i].len > 15)
			abort();
		for (size_t k = 0; k < h->items[i].len; k++)
			sink ^= h->items[i].value[k];
		sink ^= (uint8_t)diag_hist_tag_name(h->items[i].tag)[0];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_atr a;
	struct diag_ats s;
	struct diag_hist h;
	struct diag_part10 f;
	struct diag_part10_props p;

	if (diag_atr_parse(data, size, &a) == 0) {
		if (a.hist_len > DIAG_HIST_MAX || a.n_levels > DIAG_ATR_MAX_LEVELS ||
		    size > DIAG_ATR_MAX || (a.ts != 0x3B && a.ts != 0x3F) ||
		    a.hist_len != (size_t)(a.t0 & 0x0F))
			abort();
		if (a.hist_ok)
			check_hist(&a.hb);
		if (a.contactless == DIAG_CL_ISO14443_B && a.hist_len != 8)
			abort();
		sink ^= (uint8_t)diag_cl_kind_name(a.contactless)[0];
	}
	if (diag_ats_parse(data, size, &s) == 0) {
		if (s.tl != size || s.hist_len >= size || s.fsc == 0)
			abort();
		if (s.hist_ok)
			check_hist(&s.hb);
	}
	if (diag_hist_parse(data, size, &h) == 0)
		check_hist(&h);
	if (diag_part10_features_parse(data, size, &f) == 0) {
		if (f.n > DIAG_PART10_MAX || f.n * 6 != size)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (diag_part10_feature_name(f.f[i].tag))
				sink ^= 1;
	}
	if (diag_part10_props_parse(data, size, &p) == 0) {
		if (strnlen(p.firmware, sizeof(p.firmware)) == sizeof(p.firmware))
			abort();
		sink ^= (uint8_t)p.max_apdu;
	}
	return 0;
}
