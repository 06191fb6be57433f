/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replays a fuzz target's seed corpus as a regression test (no libFuzzer
 * runtime needed).  Without arguments it runs every file of
 * FUZZ_CORPUS_ROOT/FUZZ_NAME; with arguments, the given files.  Prints TAP.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	uint8_t *copy;

	if (!f)
		return -1;
	for (;;) {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? cap * 2 : 4096;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	/* an exact-size copy so out-of-bounds reads are caught by ASan */
	copy = malloc(len ? len : 1);
	if (!copy) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(copy, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char dir[4096], path[8192];
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;
	struct dirent *e;
	int failed = 0;

	if (argc > 1) {
		printf("1..%d\n", argc - 1);
		for (int k = 1; k < argc; k++) {
			int r = run_file(argv[k]);
			printf("%s %d - %s\n", r ? "not ok" : "ok", k, argv[k]);
			failed |= r != 0;
		}
		return failed;
	}
	snprintf(dir, sizeof(dir), "%s/%s", FUZZ_CORPUS_ROOT, FUZZ_NAME);
	d = opendir(dir);
	if (!d) {
		printf("1..1\nnot ok 1 - corpus %s missing\n", dir);
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names)
			return 1;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n == 0) {
		printf("1..1\nnot ok 1 - corpus %s is empty\n", dir);
		return 1;
	}
	qsort(names, n, sizeof(*names), cmp);
	/* One TAP test for the whole corpus: a crash aborts the program and the
	 * harness reports it; reaching the end means every input was handled. */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (run_file(path)) {
			printf("1..1\nnot ok 1 - %s: cannot read %s\n", FUZZ_NAME, path);
			return 1;
		}
		free(names[i]);
	}
	free(names);
	printf("1..1\nok 1 - fuzz corpus %s: %zu inputs replayed\n", FUZZ_NAME, n);
	return 0;
}
