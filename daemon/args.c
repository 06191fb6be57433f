/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eid.h"
#include "args.h"
#include "log.h"

void eidd_args_usage(FILE *f)
{
	fprintf(f,
		"Usage: eidd [OPTION]...\n"
		"Reads ID cards and e-passports for local clients over D-Bus.\n"
		"  --system              use the system bus (default; polkit decides)\n"
		"  --session             use the session bus\n"
		"  --address ADDR        use the bus at ADDR\n"
		"  --polkit              consult polkit also on a session or private bus\n"
		"  --config FILE         configuration file (default " EIDD_CONFIG_DEFAULT ")\n"
		"  -v, --verbose         log debug messages\n"
		"  --log-level LEVEL     error, warning, notice, info, debug\n"
		"  --log-target TARGET   auto, stderr, syslog, journal\n"
		"  --trust PATH          CSCA certificates, master lists, LDIF, CRLs (repeatable)\n"
		"  --terminal-cert FILE  terminal certificate chain, in order (repeatable)\n"
		"  --terminal-key FILE   terminal private key\n"
		"  --driver NAME         reader back end: pcsc or nfc (repeatable)\n"
		"  --version             print the version\n"
		"  --help                print this help\n");
}

static int fail(struct eidd_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* fmt takes one string argument, which is cleaned for the message. */
static int fail(struct eidd_args *a, const char *fmt, ...)
{
	char clean[96];
	const char *what;
	va_list ap;

	va_start(ap, fmt);
	what = va_arg(ap, const char *);
	va_end(ap);
	eidd_log_clean(what, clean, sizeof(clean));
	snprintf(a->error, sizeof(a->error), "%s", "");
	{
		const char *pct = strstr(fmt, "%s");
		size_t pre = pct ? (size_t)(pct - fmt) : strlen(fmt);

		snprintf(a->error, sizeof(a->error), "%.*s%s%s", (int)pre, fmt, pct ? clean : "",
			 pct ? pct + 2 : "");
	}
	return -EID_EINVAL;
}

static int add(struct eidd_args *a, const char **list, size_t *n, size_t max, const char *v,
	       const char *opt)
{
	if (*n >= max)
		return fail(a, "too many %s options", opt);
	list[(*n)++] = v;
	return 0;
}

int eidd_args_parse(struct eidd_args *a, int argc, char *const *argv)
{
	int bus_opts = 0;

	memset(a, 0, sizeof(*a));
	a->log_level = -1;
	a->log_target = -1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = NULL, *eq;
		char name[32];
		size_t nl;
		int r = 0;

		/* --opt=value */
		eq = !strncmp(o, "--", 2) ? strchr(o, '=') : NULL;
		nl = eq ? (size_t)(eq - o) : strlen(o);
		if (nl >= sizeof(name))
			return fail(a, "unknown option '%s' (try --help)", o);
		memcpy(name, o, nl);
		name[nl] = '\0';
		if (eq)
			v = eq + 1;
#define FLAG(n) (!strcmp(name, n) && !eq)
#define VALUE(n) (!strcmp(name, n) && (v || (i + 1 < argc && (v = argv[++i]))))
		if (FLAG("--help") || FLAG("-h")) {
			a->help = true;
		} else if (FLAG("--version")) {
			a->version = true;
		} else if (FLAG("--system")) {
			a->bus = EIDD_BUS_SYSTEM;
			bus_opts++;
		} else if (FLAG("--session")) {
			a->bus = EIDD_BUS_SESSION;
			bus_opts++;
		} else if (VALUE("--address")) {
			a->bus = EIDD_BUS_ADDRESS;
			a->address = v;
			bus_opts++;
		} else if (FLAG("--polkit")) {
			a->polkit = true;
		} else if (FLAG("--allow-core-dump")) {
			a->allow_core_dump = true;
		} else if (FLAG("--verbose") || FLAG("-v")) {
			a->log_level = LOG_DEBUG;
		} else if (VALUE("--config")) {
			a->config = v;
		} else if (VALUE("--log-level")) {
			if ((a->log_level = eidd_log_parse_level(v)) < 0)
				return fail(a, "bad log level '%s'", v);
		} else if (VALUE("--log-target")) {
			if ((a->log_target = eidd_log_parse_target(v)) < 0)
				return fail(a, "bad log target '%s'", v);
		} else if (VALUE("--trust")) {
			r = add(a, a->trust, &a->n_trust, EIDD_MAX_PATHS, v, "--trust");
		} else if (VALUE("--terminal-cert")) {
			r = add(a, a->terminal_certs, &a->n_terminal_certs, EIDD_MAX_PATHS, v,
				"--terminal-cert");
		} else if (VALUE("--terminal-key")) {
			a->terminal_key = v;
		} else if (VALUE("--driver")) {
			if (strcmp(v, "pcsc") && strcmp(v, "nfc"))
				return fail(a, "unknown driver '%s' (pcsc or nfc)", v);
			r = add(a, a->drivers, &a->n_drivers, EIDD_MAX_DRIVERS, v, "--driver");
		} else if (!strcmp(name, "--address") || !strcmp(name, "--config") ||
			   !strcmp(name, "--log-level") || !strcmp(name, "--log-target") ||
			   !strcmp(name, "--trust") || !strcmp(name, "--terminal-cert") ||
			   !strcmp(name, "--terminal-key") || !strcmp(name, "--driver")) {
			return fail(a, "%s needs a value", name);
		} else {
			return fail(a, "unknown option '%s' (try --help)", o);
		}
#undef FLAG
#undef VALUE
		if (r < 0)
			return r;
	}
	if (bus_opts > 1)
		return fail(a, "%s", "give only one of --system, --session, --address");
	if (a->bus == EIDD_BUS_ADDRESS && !*a->address)
		return fail(a, "%s", "--address needs a bus address");
	if (a->terminal_key && !a->n_terminal_certs)
		return fail(a, "%s", "--terminal-key needs --terminal-cert");
	return 0;
}

int eidd_args_apply(const struct eidd_args *a, struct eidd_config *c)
{
	int r;

	for (size_t i = 0; i < a->n_trust; i++)
		if ((r = eidd_config_add(c->trust, &c->n_trust, EIDD_MAX_PATHS, a->trust[i])) < 0)
			return r;
	if (a->n_terminal_certs) {
		for (size_t i = 0; i < c->n_terminal_certs; i++)
			free(c->terminal_certs[i]);
		c->n_terminal_certs = 0;
		for (size_t i = 0; i < a->n_terminal_certs; i++)
			if ((r = eidd_config_add(c->terminal_certs, &c->n_terminal_certs,
						 EIDD_MAX_PATHS, a->terminal_certs[i])) < 0)
				return r;
		free(c->terminal_key);
		c->terminal_key = NULL;
	}
	if (a->terminal_key && !(c->terminal_key = strdup(a->terminal_key)))
		return -EID_ENOMEM;
	if (a->n_drivers) {
		for (size_t i = 0; i < c->n_drivers; i++)
			free(c->drivers[i]);
		c->n_drivers = 0;
		for (size_t i = 0; i < a->n_drivers; i++)
			if ((r = eidd_config_add(c->drivers, &c->n_drivers, EIDD_MAX_DRIVERS,
						 a->drivers[i])) < 0)
				return r;
	}
	if (a->log_level >= 0)
		c->log_level = a->log_level;
	if (a->log_target >= 0)
		c->log_target = a->log_target;
	return 0;
}
