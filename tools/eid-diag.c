/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag: the technician's tool.  Works without the daemon, directly on
 * files, readers and the protocol library.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "diag_check.h"

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "check", diag_check_main, "check [--json] [--trust PATH]... [--terminal-cert FILE]... [--daemon] ...\n"
	  "                              what works and what to fix: readers, cards, trust store,\n"
	  "                              terminal credentials, eidd (see check --help)" },
	{ "readers", diag_readers_main, "readers [--json]            list readers (PC/SC), cards, ATRs and features" },
	{ "read", diag_read_main, "read (--mrz T | --doc-number X --dob D --doe D | --can N) [--dg LIST] [--json] ...\n"
	  "                              read and verify an e-passport directly (see read --help)" },
	{ "mrz", diag_mrz_main, "mrz [--json] LINE...        parse an MRZ and check its check digits" },
	{ "secinfo", diag_secinfo_main, "secinfo [--json] FILE       decode EF.CardAccess / EF.CardSecurity / DG14" },
	{ "verify", diag_verify_main, "verify --trust PATH... (--sod FILE [--dg N=FILE]... | --cardsecurity FILE)\n"
	  "                              offline passive authentication of dumped files" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: eid-diag COMMAND [OPTIONS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	fprintf(f, "\nExit codes: 0 fine, 1 problem found, 2 unusable input or could not run.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DIAG_EXIT_UNUSABLE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return DIAG_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("eid-diag %s\n", PACKAGE_VERSION);
		return DIAG_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].main(argc - 1, argv + 1);
	diag_err("unknown command '%s' (try --help)", argv[1]);
	return DIAG_EXIT_UNUSABLE;
}
