/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the cmocka unit tests: hex, published vector files, a
 * scripted card that answers with a worked example's responses, and a
 * replaying random source.
 */
#ifndef EID_TESTUTIL_H
#define EID_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "apdu.h"
#include "crypto.h"

/* Parse hex into b (fails the test on bad hex). b is reset first. */
void tu_unhex(eid_buf *b, const char *hex);
/* Compare n bytes at p with hex; on mismatch prints both and fails. */
void tu_assert_hex(const uint8_t *p, size_t n, const char *hex, const char *what);
#define assert_hex(p, n, hex) tu_assert_hex((p), (n), (hex), #p)

/* Read $EID_VECTORS/bin/<name> into b (fails the test when missing). */
void tu_read_vector(const char *name, eid_buf *b);
/* Path of $EID_VECTORS/<rel> in a static buffer. */
const char *tu_vector_path(const char *rel);

/*
 * Scripted card: a list of (command hex, response hex) pairs.  Each command
 * the code under test sends must equal the next expected one byte for byte;
 * otherwise transmit fails with -EID_ETRANSPORT and the mismatch is printed.
 * A NULL command hex accepts any command (for random-dependent steps).
 */
struct tu_exchange {
	const char *cmd;
	const char *resp;
};

struct tu_script {
	const struct tu_exchange *ex;
	size_t n;
	size_t pos;
	bool mismatch;
	struct eid_card card;
};

void tu_script_init(struct tu_script *s, const struct tu_exchange *ex, size_t n);
/* Assert every scripted exchange was used and none mismatched. */
void tu_script_assert_done(struct tu_script *s);

/*
 * Replaying random source: returns the given hex chunks in order; a request
 * whose size differs from the next chunk fails (and is printed).
 */
struct tu_rng {
	const char *const *chunks;
	size_t n;
	size_t pos;
	bool mismatch;
	struct eid_rng rng;
};

void tu_rng_init(struct tu_rng *r, const char *const *chunks, size_t n);
void tu_rng_assert_done(struct tu_rng *r);

#endif
