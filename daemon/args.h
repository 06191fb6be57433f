/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidd's command line.
 *
 *   eidd [--system | --session | --address ADDR] [--polkit] [--config FILE]
 *        [--verbose | --log-level LEVEL] [--log-target TARGET]
 *        [--trust PATH]... [--terminal-cert FILE]... [--terminal-key FILE]
 *        [--driver pcsc|nfc]... [--version] [--help]
 *
 * --trust adds to the configured paths; --terminal-cert/--terminal-key and
 * --driver replace the configured ones.  --allow-core-dump (hidden, tests
 * only) leaves the process dumpable.
 */
#ifndef EIDD_ARGS_H
#define EIDD_ARGS_H

#include <stdio.h>

#include "conf.h"

enum eidd_bus_kind {
	EIDD_BUS_SYSTEM = 0,
	EIDD_BUS_SESSION,
	EIDD_BUS_ADDRESS,
};

struct eidd_args {
	enum eidd_bus_kind bus;
	const char *address;
	bool polkit;                 /* consult polkit (always on the system bus) */
	const char *config;          /* NULL: EIDD_CONFIG_DEFAULT, missing is fine */
	int log_level;               /* -1: from the configuration */
	int log_target;              /* -1: from the configuration */
	const char *trust[EIDD_MAX_PATHS];
	size_t n_trust;
	const char *terminal_certs[EIDD_MAX_PATHS];
	size_t n_terminal_certs;
	const char *terminal_key;
	const char *drivers[EIDD_MAX_DRIVERS];
	size_t n_drivers;
	bool allow_core_dump;
	bool help, version;
	char error[256];
};

/* 0, or -EID_EINVAL with a message in a->error.  argv is not changed. */
int eidd_args_parse(struct eidd_args *a, int argc, char *const *argv);
/* Put the command line on top of the configuration. */
int eidd_args_apply(const struct eidd_args *a, struct eidd_config *c);
/* Does this configuration consult polkit? */
static inline bool eidd_args_use_polkit(const struct eidd_args *a)
{
	return a->bus == EIDD_BUS_SYSTEM || a->polkit;
}
void eidd_args_usage(FILE *f);

#endif
