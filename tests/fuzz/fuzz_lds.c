/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: LDS data group parsers.  The first byte selects the parser
 * (0 EF.COM, 1 DG1, 2 DG2, 3 DG11, 4 DG12, 5 DG15, 6 DG14; modulo 7), the
 * rest is the file.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "lds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every byte the parsers hand out, so a wrong length shows up. */
static unsigned sum(const uint8_t *p, size_t n)
{
	unsigned s = 0;

	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

static unsigned text(const char *s)
{
	return s ? sum((const uint8_t *)s, strlen(s)) : 0;
}

static void dg2(const uint8_t *d, size_t n)
{
	struct eid_lds_dg2 *g = NULL;

	if (eid_lds_dg2_parse(d, n, &g) == 0) {
		for (size_t i = 0; i < g->n; i++)
			(void)sum(g->faces[i].image.data, g->faces[i].image.len);
	}
	eid_lds_dg2_free(g);
}

static void dg11(const uint8_t *d, size_t n)
{
	struct eid_lds_dg11 *g = NULL;

	if (eid_lds_dg11_parse(d, n, &g) == 0) {
		(void)(text(g->full_name) + text(g->full_name_primary) +
		       text(g->full_name_secondary) + text(g->personal_number) +
		       text(g->place_of_birth) + text(g->address) + text(g->custody_info));
		for (size_t i = 0; i < g->n_other_names; i++)
			(void)text(g->other_names[i]);
	}
	eid_lds_dg11_free(g);
}

static void dg12(const uint8_t *d, size_t n)
{
	struct eid_lds_dg12 *g = NULL;

	if (eid_lds_dg12_parse(d, n, &g) == 0) {
		(void)(text(g->issuing_authority) + text(g->endorsements) +
		       sum(g->image_front.data, g->image_front.len));
		for (size_t i = 0; i < g->n_other_persons; i++)
			(void)text(g->other_persons[i]);
	}
	eid_lds_dg12_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_lds_com com;
	struct eid_lds_dg1 dg1;
	struct eid_lds_dg15 dg15;
	struct eid_mrz mrz;
	eid_cbs set;

	if (size < 1)
		return 0;
	switch (data[0] % 7) {
	case 0:
		(void)eid_lds_com_parse(data + 1, size - 1, &com);
		break;
	case 1:
		if (eid_lds_dg1_parse(data + 1, size - 1, &dg1) == 0)
			(void)text(dg1.mrz);
		eid_lds_dg1_clear(&dg1);
		if (eid_lds_dg1_parse_mrz(data + 1, size - 1, &mrz) == 0)
			eid_mrz_clear(&mrz);
		break;
	case 2:
		dg2(data + 1, size - 1);
		break;
	case 3:
		dg11(data + 1, size - 1);
		break;
	case 4:
		dg12(data + 1, size - 1);
		break;
	case 5:
		(void)eid_lds_dg15_parse(data + 1, size - 1, &dg15);
		eid_lds_dg15_clear(&dg15);
		break;
	case 6:
		if (eid_lds_dg14_unwrap(data + 1, size - 1, &set) == 0)
			(void)sum(eid_cbs_data(&set), eid_cbs_len(&set));
		break;
	}
	return 0;
}
