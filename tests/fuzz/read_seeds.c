/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Records seeds for fuzz_read: a whole read of each simulator profile, the
 * simulated chip and the terminal both on fixed counters for randomness,
 * written as fuzz_read's input format.  Not built by default:
 *   make tests/fuzz/read_seeds && tests/fuzz/read_seeds OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/sim/sim.h"
#include "read_fixture.h"

struct rec {
	struct sim_chip *chip;
	eid_buf out;
};

static int recording(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *len)
{
	struct rec *r = ctx;
	int ret = sim_chip_transmit(r->chip, cmd, n, resp, len);

	if (ret == 0) {
		eid_buf_add_u16(&r->out, (uint16_t)*len);
		eid_buf_add(&r->out, resp, *len);
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *profiles[] = { "passport-bac", "passport-pace", "passport-pace-dh", "passport-cam" };
	const char *dir = argc > 1 ? argv[1] : ".";

	for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++)
		for (uint8_t mode = 0; mode < 2; mode++) {
			uint8_t chip_counter = 100, counter = 1;
			struct eid_rng chip_rng = { fixture_counter_rng, &chip_counter };
			struct eid_rng rng = { fixture_counter_rng, &counter };
			struct sim_options so;
			struct rec r;
			struct eid_card card;
			struct eid_read_opts o = fixture_opts(&rng, false);
			struct eid_read_result *res = NULL;
			char path[4096];
			FILE *f;
			int ret;

			sim_options_init(&so);
			so.profile = profiles[p];
			so.rng = &chip_rng;
			memset(&r, 0, sizeof(r));
			if (sim_chip_new(&so, &r.chip) < 0) {
				fprintf(stderr, "read_seeds: no profile %s\n", profiles[p]);
				continue;
			}
			eid_buf_add_u8(&r.out, mode);
			eid_card_init(&card, recording, &r);
			card.extended_length = mode & 1;
			ret = eid_read_mrtd(&card, &o, &res);
			eid_read_result_free(res);
			snprintf(path, sizeof(path), "%s/%s%s.bin", dir, profiles[p], mode ? "-ext" : "");
			f = fopen(path, "wb");
			if (!f || fwrite(r.out.data, 1, r.out.len, f) != r.out.len) {
				perror(path);
				return 1;
			}
			fclose(f);
			printf("%s: read %s, %zu bytes\n", path, ret ? eid_errname(ret) : "ok", r.out.len);
			eid_buf_free(&r.out);
			sim_chip_free(r.chip);
		}
	return 0;
}
