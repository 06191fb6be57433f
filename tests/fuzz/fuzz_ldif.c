/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: ICAO PKD LDIF (folded lines, base64 values, certificates,
 * master lists and CRLs inside) and PEM text, each into a fresh store.
 */
#include <stdint.h>
#include <stddef.h>

#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_trust *t = eid_trust_new();
	struct eid_trust_summary s;

	if (!t)
		return 0;
	(void)eid_trust_add_ldif(t, data, size, "fuzz.ldif");
	eid_trust_get_summary(t, &s);
	for (size_t i = 0; i < s.n_crls; i++)
		(void)eid_trust_crl_get(t, i);
	eid_trust_free(t);
	t = eid_trust_new();
	if (!t)
		return 0;
	(void)eid_trust_add_bytes(t, data, size, "fuzz");
	eid_trust_free(t);
	return 0;
}
