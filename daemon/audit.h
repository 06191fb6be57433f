/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One audit record per session: to syslog (identifier "eidd-audit",
 * LOG_AUTHPRIV|LOG_INFO) and, when configured ([audit] file=), appended to
 * a file.  The line format is described in audit.c.  It names what was
 * done and by whom, never a value read from the document.
 */
#ifndef EIDD_AUDIT_H
#define EIDD_AUDIT_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct eidd_audit {
	time_t when;                 /* end of the session */
	const char *session;         /* object path */
	long uid, pid;               /* -1: unknown */
	char exe[256];               /* /proc/PID/exe, "" unknown */
	const char *sender;          /* unique bus name */
	const char *reader;
	const char *document;        /* "icao-mrtd", "de-eid", "" */
	uint32_t requested, read, denied; /* bit n: DGn (0: default) */
	const char *access;          /* "pace", "bac", "" */
	const char *password;        /* "can", "pin", "puk", "mrz", "" */
	const char *terminal;        /* terminal certificate CHR, "" */
	const char *outcome;         /* "done", "failed", "cancelled", "closed",
					"expired", "owner-gone" */
	const char *error;           /* error name, "" */
	const char *verdict;         /* "verified", "not-verified", "" */
};

/* Fill uid/pid-dependent exe from /proc (pid < 0: left empty). */
void eidd_audit_exe(struct eidd_audit *a);
/* The record as one line (no newline).  Returns the length, or -1 when
 * it does not fit. */
int eidd_audit_format(const struct eidd_audit *a, char *out, size_t size);
/* Send the record to syslog and append it to file (NULL: none). */
void eidd_audit_write(const struct eidd_audit *a, const char *file);

#endif
