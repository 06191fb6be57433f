/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eid.h"
#include "diag.h"

void diag_err(const char *fmt, ...)
{
	va_list ap;

	fputs("eid-diag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int diag_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *p;
	size_t n = 0, cap = 0, got;
	int ret = -EID_ENOTFOUND;

	if (!f)
		return ret;
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1) {
				ret = -EID_ETOOBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			if (cap > max + 1)
				cap = max + 1;
			p = realloc(buf, cap);
			if (!p) {
				ret = -EID_ENOMEM;
				goto out;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	if (ferror(f)) {
		ret = -EID_ETRANSPORT;
		goto out;
	}
	if (n > max) {
		ret = -EID_ETOOBIG;
		goto out;
	}
	*data = buf;
	*len = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	fclose(f);
	return ret;
}

time_t diag_parse_date(const char *s)
{
	struct tm tm, back;
	int y, m, d;
	char end;
	time_t t;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 1970 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	/* timegm normalises 2021-02-31 to March: reject such dates */
	if (t <= 0 || !gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != m - 1)
		return 0;
	return t;
}

int diag_this_year(void)
{
	time_t t = time(NULL);
	struct tm now;

	if (!gmtime_r(&t, &now))
		return 1970;
	return now.tm_year + 1900;
}
