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
#include <time.h>

#define DIAG_EXIT_OK      0
#define DIAG_EXIT_PROBLEM 1
#define DIAG_EXIT_UNUSABLE 2

int diag_mrz_main(int argc, char **argv);
int diag_secinfo_main(int argc, char **argv);
int diag_verify_main(int argc, char **argv);
int diag_readers_main(int argc, char **argv);
int diag_read_main(int argc, char **argv);

/* Read a whole file (at most max bytes); returns 0 or a negative EID_E*. */
int diag_read_file(const char *path, size_t max, uint8_t **data, size_t *len);
/* The current year (UTC), for two-digit MRZ years. */
int diag_this_year(void);
/* YYYY-MM-DD to 00:00:00 UTC of that day; 0 when malformed. */
time_t diag_parse_date(const char *s);

struct eid_read_result;
struct eid_read_verification;
struct eid_pa_result;
struct json_object;
/* The D-Bus API's "verification" dictionary as JSON. */
struct json_object *diag_verification_json(const struct eid_read_verification *v);
/* Passive authentication keys of it, added to o. */
struct eid_holder;
void diag_holder_json(struct json_object *o, const struct eid_holder *h);
void diag_pa_json(struct json_object *o, const struct eid_pa_result *pa);
/* A read result for people. */
void diag_print_read_text(const struct eid_read_result *res);

struct eid_lds_face;
/* Write a face image: JPEG as it is, JPEG 2000 decoded and written as PNG. */
int diag_write_face(const struct eid_lds_face *face, const char *path);

/* Print "eid-diag: <fmt>" to stderr. */
void diag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
