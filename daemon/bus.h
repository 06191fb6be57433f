/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The D-Bus side of eidd (libdbus-1): the connection and its event loop,
 * the Manager, Reader and Session objects, polkit, the result dictionary
 * and the options parser.  Only the bus*.c files include dbus.h.
 */
#ifndef EIDD_BUS_H
#define EIDD_BUS_H

#include <dbus/dbus.h>

#include "daemon.h"

/* bus.c */
int eidd_bus_open(struct eidd *d);
void eidd_bus_close(struct eidd *d);
int eidd_bus_run(struct eidd *d);
void eidd_bus_reader_added(struct eidd *d, struct eidd_reader *r);
void eidd_bus_reader_removed(struct eidd *d, struct eidd_reader *r);
/* props: NULL-terminated property names that changed */
void eidd_bus_reader_changed(struct eidd *d, struct eidd_reader *r, const char *const *props);

/* bus-options.c: StartRead/Read options a{sv} into req (initialised by the
 * caller).  -EID_EINVAL with a message for InvalidArguments in why. */
int eidd_bus_parse_options(DBusMessageIter *it, struct eidd_request *req, char *why,
			   size_t why_size);

/* bus-result.c: the result a{sv} (dbus-api.md, "The result"). */
int eidd_bus_append_result(DBusMessageIter *it, const struct eid_read_result *res, bool raw);
/* The verification a{sv} alone (used by the result). */
int eidd_bus_append_verification(DBusMessageIter *it, const struct eid_read_verification *v);

/* bus-diag.c: GetDiagnostics a{sv}. */
int eidd_bus_append_diagnostics(DBusMessageIter *it, struct eidd *d);

/* bus-polkit.c: check actions one after the other for sender; done is
 * called once (maybe before this returns) with allowed or the first
 * denied action. */
typedef void (*eidd_polkit_done_fn)(struct eidd *d, void *ud, bool allowed,
				    const char *denied_action);
void eidd_polkit_check(struct eidd *d, const char *sender, const char *const *actions,
		       size_t n, const char *reader, eidd_polkit_done_fn done, void *ud);

/* Small helpers for a{sv} (bus-result.c). */
bool eidd_dict_add_str(DBusMessageIter *dict, const char *key, const char *value);
bool eidd_dict_add_bool(DBusMessageIter *dict, const char *key, bool value);
bool eidd_dict_add_u32(DBusMessageIter *dict, const char *key, uint32_t value);
bool eidd_dict_add_i64(DBusMessageIter *dict, const char *key, int64_t value);
bool eidd_dict_add_strv(DBusMessageIter *dict, const char *key, const char *const *v, size_t n);
bool eidd_dict_open_var(DBusMessageIter *dict, const char *key, const char *sig,
			DBusMessageIter *entry, DBusMessageIter *var);
bool eidd_dict_close_var(DBusMessageIter *dict, DBusMessageIter *entry, DBusMessageIter *var);

#endif
