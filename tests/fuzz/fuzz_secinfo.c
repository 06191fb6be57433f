/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: SecurityInfos from EF.CardAccess, EF.CardSecurity (CMS) and
 * DG14.  Every entry point gets the input; on success every view the parser
 * handed out is read in full and must lie inside the set's own copy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secinfo.h"

static volatile uint8_t sink;

static void touch(const struct eid_secinfos *set, const eid_cbs *c)
{
	uintptr_t lo = (uintptr_t)set->der, hi = lo + set->der_len, p = (uintptr_t)eid_cbs_data(c);
	size_t n = eid_cbs_len(c);

	if (!n)
		return;
	if (p < lo || p > hi || n > hi - p)
		abort();     /* a view outside the owned copy */
	for (size_t i = 0; i < n; i++)
		sink ^= eid_cbs_data(c)[i];
}

static void check(const struct eid_secinfos *set)
{
	if (!set || (set->n && !set->items) || set->n > EID_SECINFOS_MAX_ITEMS)
		abort();
	for (size_t i = 0; i < set->n; i++) {
		const struct eid_secinfo *si = &set->items[i];

		if ((unsigned)si->type >= EID_SI_TYPE_MAX || si->oid_len == 0 ||
		    si->oid_len > EID_SECINFO_OID_MAX ||
		    strnlen(si->oid_text, sizeof(si->oid_text)) == sizeof(si->oid_text))
			abort();
		if (si->parent >= (int)i || si->privileged != (si->parent >= 0))
			abort();
		if (si->parent >= 0 && set->items[si->parent].type != EID_SI_PRIVILEGED)
			abort();
		if ((si->type == EID_SI_UNKNOWN) != (si->name == NULL))
			abort();
		touch(set, &si->element);
		touch(set, &si->required);
		touch(set, &si->optional);
		touch(set, &si->algorithm);
		touch(set, &si->algorithm_oid);
		touch(set, &si->algorithm_params);
		touch(set, &si->spki);
		touch(set, &si->public_key);
		touch(set, &si->sig_alg);
		touch(set, &si->url);
		sink ^= (uint8_t)si->version ^ (uint8_t)si->key_id ^ (uint8_t)si->parameter_id;
		sink ^= (uint8_t)eid_secinfo_type_name(si->type)[0];
		if (eid_secinfo_param_name(si->std_param_id))
			sink ^= 1;
		if (eid_secinfos_find(set, si->type, 0) == NULL)
			abort();
	}
	sink ^= (uint8_t)eid_secinfo_source_name(set->source)[0];
}

typedef int (*parse_fn)(const uint8_t *, size_t, struct eid_secinfos **);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parse_fn fns[] = { eid_secinfos_parse_auto, eid_secinfos_parse,
					eid_secinfos_parse_dg14, eid_secinfos_parse_cardsecurity };
	eid_cbs type, content;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct eid_secinfos *set = NULL;
		int r = fns[i](data, size, &set);

		if (r == 0)
			check(set);
		else if (set)
			abort();   /* no result on failure */
		eid_secinfos_free(set);
	}
	if (eid_secinfos_cms_econtent(data, size, &type, &content) == 0) {
		uintptr_t lo = (uintptr_t)data, p = (uintptr_t)eid_cbs_data(&content);

		if (eid_cbs_len(&content) && (p < lo || eid_cbs_len(&content) > size - (p - lo)))
			abort();
		if (eid_cbs_len(&type) == 0)
			abort();
	}
	return 0;
}
