/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The daemon's log: stderr, syslog or the journal (stderr with <N>
 * priority prefixes when started by systemd), with levels.
 *
 * Nothing personal and nothing secret is ever passed here: no names,
 * dates, numbers, images, data group bytes, APDU data, CAN/PIN/PUK or
 * keys, at any level.  Strings that come from outside (reader names, bus
 * names, file paths) go through eidd_log_clean() so that control
 * characters cannot forge log lines.
 */
#ifndef EIDD_LOG_H
#define EIDD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <syslog.h>

enum eidd_log_target {
	EIDD_LOG_AUTO = 0,   /* journal when JOURNAL_STREAM says so, else stderr */
	EIDD_LOG_STDERR,
	EIDD_LOG_SYSLOG,
	EIDD_LOG_JOURNAL,
};

/* Levels are syslog priorities: LOG_ERR .. LOG_DEBUG. */
void eidd_log_setup(enum eidd_log_target target, int level);
int eidd_log_level(void);
/* Parse "error", "warning", "notice", "info", "debug" (or 0..7); -1 otherwise. */
int eidd_log_parse_level(const char *s);
/* Parse "auto", "stderr", "syslog", "journal"; -1 otherwise. */
int eidd_log_parse_target(const char *s);

void eidd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void eidd_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* An audit line to syslog with identifier "eidd-audit" (LOG_AUTHPRIV|LOG_INFO),
 * and to the test sink. */
void eidd_log_audit(const char *line);

/* A test hook: every formatted line also goes to fn (NULL: none). */
typedef void (*eidd_log_sink_fn)(int level, const char *line, void *ctx);
void eidd_log_set_sink(eidd_log_sink_fn fn, void *ctx);

/*
 * Copy an outside string for the log: control characters and bytes >= 0x7f
 * become \xNN, the result is cut at outsz - 1 (ending with "..." when cut).
 * Returns out.
 */
char *eidd_log_clean(const char *in, char *out, size_t outsz);

#define log_err(...)     eidd_log(LOG_ERR, __VA_ARGS__)
#define log_warning(...) eidd_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  eidd_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    eidd_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   eidd_log(LOG_DEBUG, __VA_ARGS__)

#endif
