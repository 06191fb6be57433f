/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: Restricted Identification's parsers.  The first byte picks
 * the entry: the GENERAL AUTHENTICATE response (7C { 81 ID }), the sector
 * key (SubjectPublicKeyInfo) with and without announced domain parameters,
 * or the RI key choice from EF.CardSecurity / bare SecurityInfos.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ri.h"
#include "secinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eid_buf out = EID_BUF_INIT;
	struct eid_secinfos *si = NULL;
	int key_id, param_id;

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		if (eid_ri_parse_response(data + 1, size - 1, &out) == 0 && out.len != EID_RI_ID_LEN)
			abort();
		break;
	case 1:
		if (eid_ri_sector_point(data + 1, size - 1, 13, &out) == 0 &&
		    (out.len != 65 || out.data[0] != 0x04))
			abort();
		break;
	case 2:
		if (eid_ri_sector_point(data + 1, size - 1, -1, &out) == 0 &&
		    (out.len < 3 || out.data[0] != 0x04))
			abort();
		break;
	default:
		if (eid_secinfos_parse_auto(data + 1, size - 1, &si) == 0 &&
		    eid_ri_select(si, &key_id, &param_id) == 0 && key_id < 0)
			abort();
		eid_secinfos_free(si);
		break;
	}
	eid_buf_free(&out);
	return 0;
}
