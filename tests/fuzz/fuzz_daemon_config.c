/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for eidd's configuration parser: the bytes as an INI file
 * (up to the first NUL).  Either it loads, or it fails with a message that
 * names the file and a line and holds only printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eidd_config c;
	char *text;
	int r;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	eidd_config_init(&c);
	r = eidd_config_load_string(&c, text, "fuzz.conf");
	if (r < 0) {
		if (strncmp(c.error, "fuzz.conf:", 10) != 0)
			abort();
		for (const char *p = c.error; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
	} else if (c.error[0] || c.n_trust > EIDD_MAX_PATHS || c.n_drivers > EIDD_MAX_DRIVERS ||
		   c.expiry_seconds < 1 || (c.data_groups & ~0x7ffffeu)) {
		abort();
	}
	eidd_config_clear(&c);
	free(text);
	return 0;
}
