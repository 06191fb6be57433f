/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: BER-TLV / DER reading, nested to a bounded depth. */
#include <stdint.h>
#include <stddef.h>

#include "tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(eid_cbs c, int depth, bool der)
{
	while (eid_cbs_len(&c)) {
		eid_cbs v, el, tmp;
		uint32_t tag, u;
		char text[128];
		bool ok;

		tmp = c;
		if (eid_der_get_oid(&tmp, &v))
			(void)eid_oid_to_text(eid_cbs_data(&v), eid_cbs_len(&v), text, sizeof(text));
		tmp = c;
		(void)eid_der_get_u32(&tmp, &u);
		tmp = c;
		(void)eid_tlv_get_element(&tmp, &tag, &el);
		ok = der ? eid_der_get_any(&c, &tag, &v) : eid_tlv_get_any(&c, &tag, &v, NULL);
		if (!ok)
			return;
		if (eid_tlv_constructed(tag) && depth < 16)
			walk(v, depth + 1, der);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eid_cbs c;
	uint32_t tag;
	size_t hdr, len;
	char text[64];

	eid_cbs_init(&c, data, size);
	walk(c, 0, false);
	walk(c, 0, true);
	(void)eid_tlv_header(data, size, &tag, &hdr, &len);
	(void)eid_oid_to_text(data, size, text, sizeof(text));
	return 0;
}
