/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What fuzz_read and the recorder of its seeds (read_seeds) must share for a
 * recorded session to replay: the terminal's randomness, the secrets, the
 * read options.
 */
#ifndef EID_FUZZ_READ_FIXTURE_H
#define EID_FUZZ_READ_FIXTURE_H

#include "mrz.h"
#include "read.h"

/* Randomness from a byte counter. */
static inline int fixture_counter_rng(void *ctx, uint8_t *out, size_t n)
{
	uint8_t *c = ctx;

	for (size_t i = 0; i < n; i++)
		out[i] = (*c)++;
	return 0;
}

/* The simulator's specimen passport: CAN 123456 and its MRZ key. */
static inline int fixture_secret(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	uint8_t k[20];
	int r;

	(void)ctx;
	(void)retries;
	if (kind == EID_PW_CAN)
		return eid_buf_set(out, "123456", 6);
	r = eid_mrz_key_hash("C11T002JM", "960812", "231031", k);
	if (r == 0)
		r = eid_buf_set(out, k, sizeof(k));
	return r;
}

/* DG1, DG2, DG11, DG12 with BAC allowed, verified at a fixed time. */
static inline struct eid_read_opts fixture_opts(const struct eid_rng *rng, bool can)
{
	struct eid_read_opts o = {
		.dgs = 1u << 1 | 1u << 2 | 1u << 11 | 1u << 12, .allow_bac = true,
		.rng = rng, .secret = fixture_secret, .verify_time = 1600000000,
		.password = can ? EID_PW_CAN : EID_PW_MRZ,
	};
	return o;
}

#endif
