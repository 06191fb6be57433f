/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "driver.h"

static const struct eid_driver *const drivers[] = {
	&eid_driver_pcsc,
	&eid_driver_nfc,
};

const struct eid_driver *eid_driver_find(const char *name)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (name && !strcmp(drivers[i]->name, name))
			return drivers[i];
	return NULL;
}

const struct eid_driver *eid_driver_get(size_t i)
{
	return i < sizeof(drivers) / sizeof(drivers[0]) ? drivers[i] : NULL;
}
