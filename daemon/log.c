/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static enum eidd_log_target log_target = EIDD_LOG_STDERR;
static int log_max = LOG_INFO;
static eidd_log_sink_fn log_sink;
static void *log_sink_ctx;

static const char *const level_names[] = {
	"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
};

void eidd_log_setup(enum eidd_log_target target, int level)
{
	pthread_mutex_lock(&log_lock);
	if (target == EIDD_LOG_AUTO)
		target = getenv("JOURNAL_STREAM") ? EIDD_LOG_JOURNAL : EIDD_LOG_STDERR;
	if (log_target == EIDD_LOG_SYSLOG && target != EIDD_LOG_SYSLOG)
		closelog();
	if (target == EIDD_LOG_SYSLOG && log_target != EIDD_LOG_SYSLOG)
		openlog("eidd", LOG_PID, LOG_DAEMON);
	log_target = target;
	log_max = level < LOG_ERR ? LOG_ERR : level > LOG_DEBUG ? LOG_DEBUG : level;
	pthread_mutex_unlock(&log_lock);
}

int eidd_log_level(void)
{
	return log_max;
}

int eidd_log_parse_level(const char *s)
{
	if (!s)
		return -1;
	if (s[0] >= '0' && s[0] <= '7' && !s[1])
		return s[0] - '0';
	if (!strcasecmp(s, "err"))
		return LOG_ERR;
	if (!strcasecmp(s, "warn"))
		return LOG_WARNING;
	for (int i = LOG_ERR; i <= LOG_DEBUG; i++)
		if (!strcasecmp(s, level_names[i]))
			return i;
	return -1;
}

int eidd_log_parse_target(const char *s)
{
	static const char *const names[] = { "auto", "stderr", "syslog", "journal" };

	for (int i = 0; s && i < 4; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

void eidd_log_set_sink(eidd_log_sink_fn fn, void *ctx)
{
	pthread_mutex_lock(&log_lock);
	log_sink = fn;
	log_sink_ctx = ctx;
	pthread_mutex_unlock(&log_lock);
}

void eidd_vlog(int level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level > log_max && !log_sink)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_sink)
		log_sink(level, line, log_sink_ctx);
	if (level <= log_max) {
		switch (log_target) {
		case EIDD_LOG_SYSLOG:
			syslog(level, "%s", line);
			break;
		case EIDD_LOG_JOURNAL:
			fprintf(stderr, "<%d>%s\n", level, line);
			break;
		default:
			fprintf(stderr, "eidd[%s]: %s\n", level_names[level & 7], line);
			break;
		}
	}
	pthread_mutex_unlock(&log_lock);
}

void eidd_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	eidd_vlog(level, fmt, ap);
	va_end(ap);
}

char *eidd_log_clean(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	if (!outsz)
		return out;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
		char esc[5];
		size_t n;

		if (*p < 0x20 || *p >= 0x7f || *p == '\\') {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			n = 4;
		} else {
			esc[0] = (char)*p;
			n = 1;
		}
		if (o + n + 1 > outsz) {
			if (outsz >= 4) {
				o = o + 4 > outsz ? outsz - 4 : o;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

void eidd_log_audit(const char *line)
{
	pthread_mutex_lock(&log_lock);
	if (log_sink)
		log_sink(-1, line, log_sink_ctx);
	if (log_target == EIDD_LOG_SYSLOG)
		closelog();
	openlog("eidd-audit", 0, LOG_AUTHPRIV);
	syslog(LOG_AUTHPRIV | LOG_INFO, "%s", line);
	closelog();
	if (log_target == EIDD_LOG_SYSLOG)
		openlog("eidd", LOG_PID, LOG_DAEMON);
	pthread_mutex_unlock(&log_lock);
}
