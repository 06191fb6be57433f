/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for eidd's StartRead options: the bytes as a marshalled D-Bus
 * message (what a caller can send), demarshalled by libdbus and, when its
 * body starts with a{sv}, parsed into a read request.  Either the options
 * are accepted (and consistent) or they are InvalidArguments with a
 * printable message; secrets never exceed their bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <dbus/dbus.h>

#include "bus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eidd_request req;
	DBusMessage *m;
	DBusMessageIter it;
	DBusError err;
	char why[256];
	int r;

	if (size > 1 << 20 || size < 16)
		return 0;
	if (dbus_message_demarshal_bytes_needed((const char *)data, (int)size) != (int)size)
		return 0;
	dbus_error_init(&err);
	m = dbus_message_demarshal((const char *)data, (int)size, &err);
	dbus_error_free(&err);
	if (!m)
		return 0;
	if (eidd_request_init(&req) < 0) {
		dbus_message_unref(m);
		return 0;
	}
	if (dbus_message_iter_init(m, &it)) {
		r = eidd_bus_parse_options(&it, &req, why, sizeof(why));
		if (r < 0) {
			if (r != -EID_EINVAL || !why[0])
				abort();
			for (const char *p = why; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
					abort();
		} else {
			const struct eidd_secrets *s = req.secrets;

			if ((req.dgs & ~0x7ffffeu) || req.access == EID_PW_PUK ||
			    strlen(s->can) > EIDD_SECRET_MAX_DIGITS ||
			    strlen(s->pin) > EIDD_SECRET_MAX_DIGITS ||
			    strlen(s->puk) > EIDD_SECRET_MAX_DIGITS || s->have_doc)
				abort();
		}
	}
	eidd_request_clear(&req);
	dbus_message_unref(m);
	return 0;
}
