/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for the MRZ parser: the bytes as MRZ text (eid_mrz_parse_bytes),
 * the same as a C string (eid_mrz_parse, which must agree when there is no
 * NUL), the same split into lines (eid_mrz_parse_lines), and the check
 * digit over the raw bytes.  A parsed MRZ must be self-consistent, and its
 * key fields must give an MRZ_information or a clean error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "mrz.h"

#define MAX_SPLIT 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_terminated(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void check_parsed(const struct eid_mrz *m)
{
	bool any_bad = false;
	char info[64];
	uint8_t key[20];
	int r;

	if (m->format < EID_MRZ_TD1 || m->format > EID_MRZ_TD3)
		abort();
	check_terminated(m->document_code, sizeof(m->document_code));
	check_terminated(m->issuing_state, sizeof(m->issuing_state));
	check_terminated(m->document_number, sizeof(m->document_number));
	check_terminated(m->date_of_birth, sizeof(m->date_of_birth));
	check_terminated(m->date_of_expiry, sizeof(m->date_of_expiry));
	check_terminated(m->sex, sizeof(m->sex));
	check_terminated(m->nationality, sizeof(m->nationality));
	check_terminated(m->family_name, sizeof(m->family_name));
	check_terminated(m->given_names, sizeof(m->given_names));
	check_terminated(m->optional_data, sizeof(m->optional_data));
	check_terminated(m->optional_data2, sizeof(m->optional_data2));
	for (size_t i = 0; i < EID_MRZ_CHECK_COUNT; i++) {
		if (m->check[i] > EID_MRZ_BAD)
			abort();
		any_bad |= m->check[i] == EID_MRZ_BAD;
	}
	if (m->valid == any_bad)
		abort();
	if (m->check[EID_MRZ_CHECK_DOB] == EID_MRZ_NA || m->check[EID_MRZ_CHECK_DOE] == EID_MRZ_NA ||
	    m->check[EID_MRZ_CHECK_DOCNUM] == EID_MRZ_NA)
		abort();

	r = eid_mrz_information(m->document_number, m->date_of_birth, m->date_of_expiry, info);
	if (r != 0 && r != -EID_EINVAL)
		abort();
	if (r == 0)
		check_terminated(info, sizeof(info));
	r = eid_mrz_key_hash_from(m, key);
	if (r != 0 && r != -EID_EINVAL && r != -EID_ECHECKDIGIT)
		abort();
}

static void fuzz_lines(char *text)
{
	const char *lines[MAX_SPLIT];
	size_t n = 0;
	struct eid_mrz m;
	char *p = text;

	while (n < MAX_SPLIT) {
		char *nl = strchr(p, '\n');

		lines[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	if (eid_mrz_parse_lines(lines, n, &m) == 0)
		check_parsed(&m);
	eid_mrz_clear(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_mrz m, m2;
	const char *why = NULL;
	char *text;
	int r, r2, cd;

	r = eid_mrz_parse_bytes(data, size, &m, &why);
	if (r != 0 && r != -EID_EPARSE)
		abort();
	if ((r == 0) != (why == NULL))
		abort();
	if (r == 0)
		check_parsed(&m);

	text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	r2 = eid_mrz_parse(text, &m2);
	if (!memchr(data, '\0', size) &&
	    (r2 != r || (r == 0 && memcmp(&m, &m2, sizeof(m)) != 0)))
		abort();
	fuzz_lines(text);

	cd = eid_mrz_check_digit((const char *)data, size);
	if (cd != -EID_EPARSE && (cd < 0 || cd > 9))
		abort();

	free(text);
	eid_mrz_clear(&m);
	eid_mrz_clear(&m2);
	return 0;
}
