/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by test_pa and test_trust: files of the small test PKI in
 * tests/data/pa/ (made by tests/data/pa/gen.sh), whole files, dates.
 */
#ifndef EID_TESTUTIL_PA_H
#define EID_TESTUTIL_PA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

/* $EID_SRCDIR/tests/data/pa/<name> (EID_SRCDIR defaults to ".."). */
static inline const char *tpa_data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("EID_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/pa/%s", dir ? dir : "..", name);
	return path;
}

static inline void tpa_read_path(const char *path, eid_buf *b)
{
	FILE *f = fopen(path, "rb");
	uint8_t tmp[65536];
	size_t n;

	if (!f)
		fail_msg("cannot open %s", path);
	eid_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		assert_int_equal(eid_buf_add(b, tmp, n), 0);
	fclose(f);
}

static inline void tpa_read_data(const char *name, eid_buf *b)
{
	tpa_read_path(tpa_data_path(name), b);
}

/* 00:00:00 UTC of a day. */
static inline time_t tpa_date(int y, int m, int d)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return timegm(&tm);
}

/* Path of a vector file (a copy: tu_vector_path's buffer is reused). */
static inline const char *tpa_vector(const char *name, char *out, size_t n)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "bin/%s", name);
	snprintf(out, n, "%s", tu_vector_path(rel));
	return out;
}

#endif
