/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The daemon's configuration: an INI file read with inih
 * (/etc/eidd/eidd.conf, or --config FILE), then the command line on top.
 *
 *   [trust]     path = FILE_OR_DIR          (repeatable; CSCAs, master lists, LDIF, CRLs)
 *   [terminal]  certificate = FILE          (repeatable, chain order: DV, then terminal)
 *               key = FILE
 *   [drivers]   use = pcsc nfc              (space or comma separated)
 *   [read]      data_groups = DG1,DG2       (default when a caller names none;
 *                                            empty: the per-document minimum)
 *               allow_bac = true|false      (default for the allow_bac option)
 *   [log]       level = error|warning|notice|info|debug
 *               target = auto|stderr|syslog|journal
 *   [audit]     file = PATH                 (also append audit records there)
 *   [session]   expiry = SECONDS            (default 600)
 *
 * Unknown sections or keys and bad values are errors naming the line.
 */
#ifndef EIDD_CONF_H
#define EIDD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* $(sysconfdir)/eidd/eidd.conf, where make install puts it */
#ifndef EIDD_CONFIG_DEFAULT
#define EIDD_CONFIG_DEFAULT "/etc/eidd/eidd.conf"
#endif
#define EIDD_MAX_PATHS 32
#define EIDD_MAX_DRIVERS 4

struct eidd_config {
	char *trust[EIDD_MAX_PATHS];
	size_t n_trust;
	char *terminal_certs[EIDD_MAX_PATHS];
	size_t n_terminal_certs;
	char *terminal_key;
	char *drivers[EIDD_MAX_DRIVERS];
	size_t n_drivers;          /* 0: "pcsc" */
	uint32_t data_groups;      /* bit n: DGn; 0: per-document minimum */
	bool allow_bac;
	int log_level;             /* syslog priority */
	int log_target;            /* enum eidd_log_target */
	char *audit_file;
	unsigned expiry_seconds;
	char error[512];           /* after a failed load: "FILE:LINE: reason" */
};

/* Defaults: pcsc, allow_bac, info, auto, expiry 600. */
void eidd_config_init(struct eidd_config *c);
void eidd_config_clear(struct eidd_config *c);
/*
 * Read an INI file on top of c.  missing_ok: a file that does not exist is
 * no error (the default path).  -EID_ENOTFOUND, -EID_EPARSE with c->error.
 */
int eidd_config_load(struct eidd_config *c, const char *path, bool missing_ok);
/* The same from a string (name is used in messages). */
int eidd_config_load_string(struct eidd_config *c, const char *text, const char *name);
/* Append to a repeatable list; -EID_ETOOBIG when full, -EID_ENOMEM. */
int eidd_config_add(char **list, size_t *n, size_t max, const char *value);
/* Parse a data group list "DG1,DG2 DG11" into a mask; -EID_EINVAL. */
int eidd_config_parse_dgs(const char *s, uint32_t *mask);
/* Parse true/false/yes/no/on/off/1/0; -EID_EINVAL. */
int eidd_config_parse_bool(const char *s, bool *out);

#endif
