/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The audit record, one line of space-separated key=value pairs:
 *
 *   time=2025-03-01T10:15:02Z session=/org/eidd/Eidd1/Session/3 uid=1000
 *   pid=4242 exe="/usr/bin/eidctl" sender=:1.42 reader="Virtual PCD 00 00"
 *   document=icao-mrtd requested=DG1,DG2 read=DG1,DG2 denied=- access=pace
 *   password=can terminal=- outcome=done error=- verdict=verified
 *
 *   time       end of the session, UTC
 *   session    the session's object path
 *   uid, pid   the caller's, from the bus (-1 unknown)
 *   exe        /proc/PID/exe of the caller (quoted; "" unknown)
 *   sender     the caller's unique bus name
 *   reader     reader name (quoted)
 *   document   icao-mrtd, de-eid, or - when not detected
 *   requested  data groups asked for (default: the per-document minimum)
 *   read       data groups read from the chip
 *   denied     data groups refused by the chip or the terminal's rights
 *   access     pace, bac, or -
 *   password   mrz, can, pin, puk, or - (the kind, never the value)
 *   terminal   CHR of the terminal certificate used for the eID, or -
 *   outcome    done, failed, cancelled, closed, expired, owner-gone
 *   error      the D-Bus error name (short) when failed, or -
 *   verdict    verified, not-verified, or -
 *
 * Quoted values escape control characters, '"' and '\' as \xNN; bare
 * values are from fixed vocabularies.  No value from the document (names,
 * dates, numbers, images, data group bytes) and no secret is ever written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"

void eidd_audit_exe(struct eidd_audit *a)
{
	char path[64];
	ssize_t n;

	a->exe[0] = '\0';
	if (a->pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/exe", a->pid);
	n = readlink(path, a->exe, sizeof(a->exe) - 1);
	a->exe[n > 0 ? n : 0] = '\0';
}

/* A bare value from a vocabulary: letters, digits, - : . / _ only. */
static const char *word(const char *s, char *buf, size_t size)
{
	size_t i = 0;

	if (!s || !*s)
		return "-";
	for (; s[i] && i + 1 < size; i++) {
		char c = s[i];

		buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || strchr("-:./_", c) ? c : '_';
	}
	buf[i] = '\0';
	return buf;
}

static void quoted(const char *s, char *buf, size_t size)
{
	char clean[512];

	eidd_log_clean(s, clean, sizeof(clean));
	/* eidd_log_clean keeps '"': escape it here */
	size_t o = 0;

	buf[o++] = '"';
	for (const char *p = clean; *p && o + 6 < size; p++) {
		if (*p == '"') {
			memcpy(buf + o, "\\x22", 4);
			o += 4;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

static void dg_list(uint32_t mask, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 1; i <= 22; i++) {
		if (!(mask & (1u << i)))
			continue;
		o += (size_t)snprintf(out + o, size - o, "%sDG%d", o ? "," : "", i);
		if (o >= size) {
			out[size - 1] = '\0';
			return;
		}
	}
	if (!o)
		snprintf(out, size, "-");
}

int eidd_audit_format(const struct eidd_audit *a, char *out, size_t size)
{
	char when[32], exe[600], reader[600], req[160], rd[160], den[160];
	char w1[64], w2[64], w3[64], w4[64], w5[64], w6[64], w7[64], w8[64], w9[96];
	struct tm tm;
	int n;

	gmtime_r(&a->when, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	quoted(a->exe, exe, sizeof(exe));
	quoted(a->reader ? a->reader : "", reader, sizeof(reader));
	if (a->requested)
		dg_list(a->requested, req, sizeof(req));
	else
		snprintf(req, sizeof(req), "default");
	dg_list(a->read, rd, sizeof(rd));
	dg_list(a->denied, den, sizeof(den));
	n = snprintf(out, size,
		     "time=%s session=%s uid=%ld pid=%ld exe=%s sender=%s reader=%s document=%s "
		     "requested=%s read=%s denied=%s access=%s password=%s terminal=%s "
		     "outcome=%s error=%s verdict=%s",
		     when, word(a->session, w1, sizeof(w1)), a->uid, a->pid, exe,
		     word(a->sender, w2, sizeof(w2)), reader, word(a->document, w3, sizeof(w3)),
		     req, rd, den, word(a->access, w4, sizeof(w4)),
		     word(a->password, w5, sizeof(w5)), word(a->terminal, w9, sizeof(w9)),
		     word(a->outcome, w6, sizeof(w6)), word(a->error, w7, sizeof(w7)),
		     word(a->verdict, w8, sizeof(w8)));
	return n < 0 || (size_t)n >= size ? -1 : n;
}

void eidd_audit_write(const struct eidd_audit *a, const char *file)
{
	char line[2048];
	int n = eidd_audit_format(a, line, sizeof(line) - 1);

	if (n < 0)
		return;
	eidd_log_audit(line);
	if (file) {
		int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		char clean[256];

		if (fd < 0) {
			log_warning("audit file %s: %m", eidd_log_clean(file, clean, sizeof(clean)));
			return;
		}
		line[n] = '\n';
		if (write(fd, line, (size_t)n + 1) != n + 1)
			log_warning("audit file %s: short write",
				    eidd_log_clean(file, clean, sizeof(clean)));
		close(fd);
	}
}
