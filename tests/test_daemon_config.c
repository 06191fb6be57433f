/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidd's configuration file (inih) and command line: every key, defaults,
 * bad files with a clear error naming the line, and the command line on
 * top of the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "args.h"
#include "conf.h"
#include "log.h"

static void test_defaults(void **state)
{
	struct eidd_config c;

	(void)state;
	eidd_config_init(&c);
	assert_int_equal(c.n_trust, 0);
	assert_int_equal(c.n_drivers, 0);
	assert_true(c.allow_bac);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_int_equal(c.expiry_seconds, 600);
	assert_null(c.audit_file);
	eidd_config_clear(&c);
}

static void test_every_key(void **state)
{
	static const char text[] =
		"; comment\n"
		"[trust]\n"
		"path = /etc/eidd/trust\n"
		"path = /srv/ml.ml\n"
		"[terminal]\n"
		"certificate = dv.cvcert\n"
		"certificate = at.cvcert\n"
		"key = at.pkcs8\n"
		"[drivers]\n"
		"use = pcsc, nfc\n"
		"[read]\n"
		"data_groups = DG1,DG2 dg11\n"
		"allow_bac = no\n"
		"[log]\n"
		"level = debug\n"
		"target = syslog\n"
		"[audit]\n"
		"file = /var/log/eidd/audit.log\n"
		"[session]\n"
		"expiry = 30\n";
	struct eidd_config c;

	(void)state;
	eidd_config_init(&c);
	assert_int_equal(eidd_config_load_string(&c, text, "t.conf"), 0);
	assert_int_equal(c.n_trust, 2);
	assert_string_equal(c.trust[0], "/etc/eidd/trust");
	assert_string_equal(c.trust[1], "/srv/ml.ml");
	assert_int_equal(c.n_terminal_certs, 2);
	assert_string_equal(c.terminal_certs[1], "at.cvcert");
	assert_string_equal(c.terminal_key, "at.pkcs8");
	assert_int_equal(c.n_drivers, 2);
	assert_string_equal(c.drivers[0], "pcsc");
	assert_string_equal(c.drivers[1], "nfc");
	assert_int_equal(c.data_groups, (1u << 1) | (1u << 2) | (1u << 11));
	assert_false(c.allow_bac);
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_int_equal(c.log_target, EIDD_LOG_SYSLOG);
	assert_string_equal(c.audit_file, "/var/log/eidd/audit.log");
	assert_int_equal(c.expiry_seconds, 30);
	eidd_config_clear(&c);
	assert_int_equal(c.n_trust, 0);
}

static void test_shipped_default_file_loads(void **state)
{
	struct eidd_config c;
	char path[4096];
	const char *src = getenv("EID_SRCDIR");

	(void)state;
	snprintf(path, sizeof(path), "%s/data/eidd.conf", src ? src : ".");
	eidd_config_init(&c);
	if (eidd_config_load(&c, path, false) != 0)
		print_error("%s\n", c.error);
	assert_int_equal(c.error[0], '\0');
	assert_int_equal(c.n_drivers, 1);
	assert_string_equal(c.drivers[0], "pcsc");
	assert_int_equal(c.data_groups, 0);
	assert_int_equal(c.expiry_seconds, 600);
	eidd_config_clear(&c);
}

struct bad {
	const char *text;
	const char *error; /* expected message */
};

static void test_bad_files_name_the_line(void **state)
{
	static const struct bad bad[] = {
		{ "[trust]\nfolder = /x\n", "b.conf:2: unknown key 'folder' in section [trust]" },
		{ "[nosuch]\nkey = 1\n", "b.conf:2: unknown key 'key' in section [nosuch]" },
		{ "[log]\nlevel = loud\n", "b.conf:2: bad value for 'level' in [log]" },
		{ "[log]\ntarget = printer\n", "b.conf:2: bad value for 'target' in [log]" },
		{ "[read]\n\ndata_groups = DG1,DG23\n", "b.conf:3: bad value for 'data_groups' in [read]" },
		{ "[read]\nallow_bac = maybe\n", "b.conf:2: bad value for 'allow_bac' in [read]" },
		{ "[drivers]\nuse = pcsc usb\n", "b.conf:2: bad value for 'use' in [drivers]" },
		{ "[session]\nexpiry = -5\n", "b.conf:2: bad value for 'expiry' in [session]" },
		{ "[session]\nexpiry = 10x\n", "b.conf:2: bad value for 'expiry' in [session]" },
		{ "[session]\nexpiry = 0\n", "b.conf:2: bad value for 'expiry' in [session]" },
		{ "[trust\npath = x\n", "b.conf:1: syntax error" },
		{ "[trust]\njust words\n", "b.conf:2: syntax error" },
		{ "path = x\n", "b.conf:1: unknown key 'path' in section []" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct eidd_config c;

		eidd_config_init(&c);
		assert_true(eidd_config_load_string(&c, bad[i].text, "b.conf") < 0);
		if (strcmp(c.error, bad[i].error))
			print_error("case %zu: got '%s'\n", i, c.error);
		assert_string_equal(c.error, bad[i].error);
		eidd_config_clear(&c);
	}
}

static void test_too_many_paths(void **state)
{
	struct eidd_config c;
	char *text = malloc(64 * (EIDD_MAX_PATHS + 2)), *p = text;

	(void)state;
	p += sprintf(p, "[trust]\n");
	for (int i = 0; i <= EIDD_MAX_PATHS; i++)
		p += sprintf(p, "path = /t/%d\n", i);
	eidd_config_init(&c);
	assert_true(eidd_config_load_string(&c, text, "m.conf") < 0);
	assert_non_null(strstr(c.error, "too many values for 'path'"));
	eidd_config_clear(&c);
	free(text);
}

static void test_missing_file(void **state)
{
	struct eidd_config c;

	(void)state;
	eidd_config_init(&c);
	assert_int_equal(eidd_config_load(&c, "/nonexistent/eidd.conf", true), 0);
	assert_int_equal(eidd_config_load(&c, "/nonexistent/eidd.conf", false), -EID_ENOTFOUND);
	assert_non_null(strstr(c.error, "/nonexistent/eidd.conf: "));
	eidd_config_clear(&c);
}

static void test_binary_garbage_is_an_error_not_a_crash(void **state)
{
	char text[512];
	struct eidd_config c;

	(void)state;
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)(1 + (i * 131) % 255);
	text[sizeof(text) - 1] = '\0';
	eidd_config_init(&c);
	assert_true(eidd_config_load_string(&c, text, "g.conf") < 0);
	assert_non_null(strstr(c.error, "g.conf:"));
	/* control characters in the message are escaped */
	for (const char *p = c.error; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	eidd_config_clear(&c);
}

/* ---- command line ---- */

static int parse(struct eidd_args *a, const char *const *argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return eidd_args_parse(a, argc, (char *const *)argv);
}

static void test_args_defaults_and_bus(void **state)
{
	const char *const none[] = { "eidd", NULL };
	const char *const sess[] = { "eidd", "--session", NULL };
	const char *const addr[] = { "eidd", "--address=unix:path=/tmp/b", "--polkit", NULL };
	const char *const two[] = { "eidd", "--session", "--address", "x", NULL };
	struct eidd_args a;

	(void)state;
	assert_int_equal(parse(&a, none), 0);
	assert_int_equal(a.bus, EIDD_BUS_SYSTEM);
	assert_true(eidd_args_use_polkit(&a));
	assert_int_equal(a.log_level, -1);
	assert_false(a.allow_core_dump);
	assert_int_equal(parse(&a, sess), 0);
	assert_int_equal(a.bus, EIDD_BUS_SESSION);
	assert_false(eidd_args_use_polkit(&a));
	assert_int_equal(parse(&a, addr), 0);
	assert_int_equal(a.bus, EIDD_BUS_ADDRESS);
	assert_string_equal(a.address, "unix:path=/tmp/b");
	assert_true(eidd_args_use_polkit(&a));
	assert_int_equal(parse(&a, two), -EID_EINVAL);
	assert_string_equal(a.error, "give only one of --system, --session, --address");
}

static void test_args_bad(void **state)
{
	const char *const unknown[] = { "eidd", "--frobnicate", NULL };
	const char *const novalue[] = { "eidd", "--trust", NULL };
	const char *const driver[] = { "eidd", "--driver", "usb", NULL };
	const char *const level[] = { "eidd", "--log-level", "loud", NULL };
	const char *const keyonly[] = { "eidd", "--terminal-key", "k.pem", NULL };
	const char *const ctrl[] = { "eidd", "--x\033[2J", NULL };
	struct eidd_args a;

	(void)state;
	assert_int_equal(parse(&a, unknown), -EID_EINVAL);
	assert_string_equal(a.error, "unknown option '--frobnicate' (try --help)");
	assert_int_equal(parse(&a, novalue), -EID_EINVAL);
	assert_string_equal(a.error, "--trust needs a value");
	assert_int_equal(parse(&a, driver), -EID_EINVAL);
	assert_string_equal(a.error, "unknown driver 'usb' (pcsc or nfc)");
	assert_int_equal(parse(&a, level), -EID_EINVAL);
	assert_string_equal(a.error, "bad log level 'loud'");
	assert_int_equal(parse(&a, keyonly), -EID_EINVAL);
	assert_string_equal(a.error, "--terminal-key needs --terminal-cert");
	assert_int_equal(parse(&a, ctrl), -EID_EINVAL);
	assert_string_equal(a.error, "unknown option '--x\\x1b[2J' (try --help)");
}

static void test_args_on_top_of_the_file(void **state)
{
	const char *const argv[] = { "eidd", "--config", "/etc/x.conf", "--trust", "/cli/t",
				     "--terminal-cert", "cli-dv", "--terminal-cert=cli-at",
				     "--terminal-key", "cli.key", "--driver", "nfc", "-v",
				     "--log-target", "stderr", "--allow-core-dump", NULL };
	static const char text[] = "[trust]\npath = /file/t\n[terminal]\ncertificate = f-at\n"
				   "key = f.key\n[drivers]\nuse = pcsc\n[log]\nlevel = error\n";
	struct eidd_args a;
	struct eidd_config c;

	(void)state;
	assert_int_equal(parse(&a, argv), 0);
	assert_string_equal(a.config, "/etc/x.conf");
	assert_true(a.allow_core_dump);
	eidd_config_init(&c);
	assert_int_equal(eidd_config_load_string(&c, text, "f.conf"), 0);
	assert_int_equal(eidd_args_apply(&a, &c), 0);
	/* --trust adds; the rest replaces */
	assert_int_equal(c.n_trust, 2);
	assert_string_equal(c.trust[0], "/file/t");
	assert_string_equal(c.trust[1], "/cli/t");
	assert_int_equal(c.n_terminal_certs, 2);
	assert_string_equal(c.terminal_certs[0], "cli-dv");
	assert_string_equal(c.terminal_certs[1], "cli-at");
	assert_string_equal(c.terminal_key, "cli.key");
	assert_int_equal(c.n_drivers, 1);
	assert_string_equal(c.drivers[0], "nfc");
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_int_equal(c.log_target, EIDD_LOG_STDERR);
	eidd_config_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_shipped_default_file_loads),
		cmocka_unit_test(test_bad_files_name_the_line),
		cmocka_unit_test(test_too_many_paths),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_binary_garbage_is_an_error_not_a_crash),
		cmocka_unit_test(test_args_defaults_and_bus),
		cmocka_unit_test(test_args_bad),
		cmocka_unit_test(test_args_on_top_of_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
