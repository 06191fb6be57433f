/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

void tu_unhex(eid_buf *b, const char *hex)
{
	eid_buf_reset(b);
	if (eid_unhex(hex, b) < 0)
		fail_msg("bad hex in test: %s", hex);
}

void tu_assert_hex(const uint8_t *p, size_t n, const char *hex, const char *what)
{
	eid_buf want = EID_BUF_INIT;
	char *got;

	tu_unhex(&want, hex);
	if (want.len != n || (n && memcmp(p, want.data, n) != 0)) {
		got = malloc(2 * n + 1);
		eid_hex(p, n, got);
		print_error("%s mismatch\n  got  %s\n  want %s\n", what, got, hex);
		free(got);
		eid_buf_free(&want);
		fail();
	}
	eid_buf_free(&want);
}

const char *tu_vector_path(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("EID_VECTORS");

	if (!dir)
		dir = "../shared/vectors";
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return path;
}

void tu_read_vector(const char *name, eid_buf *b)
{
	char rel[512];
	const char *path;
	FILE *f;
	uint8_t tmp[4096];
	size_t n;

	snprintf(rel, sizeof(rel), "bin/%s", name);
	path = tu_vector_path(rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open vector file %s", path);
	eid_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		assert_int_equal(eid_buf_add(b, tmp, n), 0);
	fclose(f);
}

static int script_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			   size_t *resp_len)
{
	struct tu_script *s = ctx;
	const struct tu_exchange *e;
	eid_buf want = EID_BUF_INIT;
	char *got;

	if (s->pos >= s->n) {
		print_error("scripted card: unexpected extra command #%zu\n", s->pos + 1);
		s->mismatch = true;
		return -EID_ETRANSPORT;
	}
	e = &s->ex[s->pos];
	if (e->cmd) {
		tu_unhex(&want, e->cmd);
		if (want.len != cmd_len || memcmp(want.data, cmd, cmd_len) != 0) {
			got = malloc(2 * cmd_len + 1);
			eid_hex(cmd, cmd_len, got);
			print_error("scripted card: command #%zu differs\n  got  %s\n  want %s\n",
				    s->pos + 1, got, e->cmd);
			free(got);
			eid_buf_free(&want);
			s->mismatch = true;
			return -EID_ETRANSPORT;
		}
	}
	tu_unhex(&want, e->resp);
	if (want.len > *resp_len) {
		eid_buf_free(&want);
		return -EID_ETRANSPORT;
	}
	memcpy(resp, want.data, want.len);
	*resp_len = want.len;
	eid_buf_free(&want);
	s->pos++;
	return 0;
}

void tu_script_init(struct tu_script *s, const struct tu_exchange *ex, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->ex = ex;
	s->n = n;
	eid_card_init(&s->card, script_transmit, s);
}

void tu_script_assert_done(struct tu_script *s)
{
	assert_false(s->mismatch);
	assert_int_equal(s->pos, s->n);
}

static int rng_bytes(void *ctx, uint8_t *out, size_t n)
{
	struct tu_rng *r = ctx;
	eid_buf b = EID_BUF_INIT;

	if (r->pos >= r->n) {
		print_error("replaying rng: no chunk left for a request of %zu bytes\n", n);
		r->mismatch = true;
		return -EID_EINVAL;
	}
	tu_unhex(&b, r->chunks[r->pos]);
	if (b.len != n) {
		print_error("replaying rng: chunk #%zu has %zu bytes, %zu requested\n",
			    r->pos + 1, b.len, n);
		r->mismatch = true;
		eid_buf_free(&b);
		return -EID_EINVAL;
	}
	memcpy(out, b.data, n);
	eid_buf_free(&b);
	r->pos++;
	return 0;
}

void tu_rng_init(struct tu_rng *r, const char *const *chunks, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->chunks = chunks;
	r->n = n;
	r->rng.bytes = rng_bytes;
	r->rng.ctx = r;
}

void tu_rng_assert_done(struct tu_rng *r)
{
	assert_false(r->mismatch);
	assert_int_equal(r->pos, r->n);
}
