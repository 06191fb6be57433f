/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Passive-authentication throughput: load both real CSCA master lists, then
 * verify every real EF.SOD of the vectors (but Indonesia's, whose CSCA is in
 * neither list) again and again.  Prints load time, verifications per
 * second and CPU time per verification.
 *   bench_pa VECTORS_DIR [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "pa.h"
#include "trust.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int slurp(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*data = malloc((size_t)n);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const docs[] = { "AT", "DE", "FI", "FR", "MY", "NZ", "PH", "RU", "SG", "UK", "US" };
	const char *vec = argc > 1 ? argv[1] : "../shared/vectors";
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	struct eid_pa_sod *sod[sizeof(docs) / sizeof(docs[0])];
	time_t at[sizeof(docs) / sizeof(docs[0])];
	struct eid_trust *t = eid_trust_new();
	char path[4096];
	double t0, c0, el;
	unsigned long n = 0, valid = 0;
	size_t nd = sizeof(docs) / sizeof(docs[0]);

	t0 = now();
	c0 = cpu();
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/bin/%s", vec, i ? "nl_ml.ml" : "de_ml.ml");
		if (eid_trust_load(t, path) < 0) {
			fprintf(stderr, "bench_pa: %s\n", eid_trust_last_error(t));
			return 2;
		}
	}
	printf("trust store: 2 master lists, %zu CSCAs, loaded in %.3f s (%.3f s CPU)\n",
	       eid_trust_csca_count(t), now() - t0, cpu() - c0);
	for (size_t i = 0; i < nd; i++) {
		uint8_t *d;
		size_t len;
		struct eid_pa_result res;

		snprintf(path, sizeof(path), "%s/bin/gm_%s_sod.bin", vec, docs[i]);
		if (slurp(path, &d, &len) < 0 || eid_pa_sod_parse(d, len, &sod[i]) < 0) {
			fprintf(stderr, "bench_pa: cannot parse %s\n", path);
			return 2;
		}
		free(d);
		/* verify inside the signer's validity: one day after notBefore */
		memset(&res, 0, sizeof(res));
		eid_pa_verify(sod[i], t, time(NULL), NULL, 0, &res);
		at[i] = res.signer_not_before ? res.signer_not_before + 86400 : 0;
	}
	t0 = now();
	c0 = cpu();
	do {
		for (size_t i = 0; i < nd; i++) {
			struct eid_pa_result res;

			if (eid_pa_verify(sod[i], t, at[i], NULL, 0, &res) == 0 && res.status == EID_PA_VALID)
				valid++;
			n++;
		}
		el = now() - t0;
	} while (el < secs);
	printf("passive authentication: %lu verifications of %zu real EF.SODs in %.2f s: "
	       "%.0f/s, %.2f ms CPU each (%lu valid)\n",
	       n, nd, el, (double)n / el, (cpu() - c0) / (double)n * 1e3, valid);
	for (size_t i = 0; i < nd; i++)
		eid_pa_sod_free(sod[i]);
	eid_trust_free(t);
	return valid == n ? 0 : 1;
}
