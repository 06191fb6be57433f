/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: CSCA master lists (CMS SignedData, BER with indefinite
 * lengths too) and the format detection of trust store input, each into a
 * fresh store; then lookups in the result.
 */
#include <stdint.h>
#include <stddef.h>

#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(const struct eid_trust *t)
{
	struct eid_trust_summary s;
	const struct eid_trust_csca *c, *found[4];
	size_t first;

	eid_trust_get_summary(t, &s);
	for (size_t i = 0; (c = eid_trust_csca_get(t, i)); i++) {
		(void)eid_trust_find_subject(t, c->der.data, c->der.len, &first);
		(void)eid_trust_find_ski(t, c->ski, c->ski_len, found, 4);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_trust *t = eid_trust_new();

	if (!t)
		return 0;
	(void)eid_trust_add_masterlist(t, data, size, "fuzz.ml");
	use(t);
	eid_trust_free(t);
	t = eid_trust_new();
	if (!t)
		return 0;
	(void)eid_trust_add_bytes(t, data, size, "fuzz");
	use(t);
	eid_trust_free(t);
	return 0;
}
