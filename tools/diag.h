/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag subcommands.  Each returns the process exit code.
 * Exit codes: 0 fine, 1 a problem was found (check digit, verification),
 * 2 input unusable or the command could not run.
 */
#ifndef EID_DIAG_H
#define EID_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIAG_EXIT_OK      0
#define DIAG_EXIT_PROBLEM 1
#define DIAG_EXIT_UNUSABLE 2

int diag_mrz_main(int argc, char **argv);
int diag_secinfo_main(int argc, char **argv);
int diag_verify_main(int argc, char **argv);
int diag_readers_main(int argc, char **argv);

/* Read a whole file (at most max bytes); returns 0 or a negative EID_E*. */
int diag_read_file(const char *path, size_t max, uint8_t **data, size_t *len);
/* Print "eid-diag: <fmt>" to stderr. */
void diag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
