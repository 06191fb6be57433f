/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include "diag.h"

int diag_secinfo_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	diag_err("secinfo: not implemented yet");
	return DIAG_EXIT_UNUSABLE;
}
