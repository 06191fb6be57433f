/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * polkit: org.freedesktop.PolicyKit1.Authority.CheckAuthorization with the
 * caller as subject ("system-bus-name", {"name": <sender>}), the reader
 * name as detail "reader", and user interaction allowed.  Asynchronous:
 * the bus keeps serving while polkit asks for a password.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "log.h"

#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"
#define POLKIT_IFACE "org.freedesktop.PolicyKit1.Authority"
#define POLKIT_TIMEOUT_MS (5 * 60 * 1000)
#define MAX_ACTIONS 4

struct check {
	struct eidd *d;
	char sender[256];
	char reader[256];
	const char *actions[MAX_ACTIONS];
	size_t n, i;
	eidd_polkit_done_fn done;
	void *ud;
};

static void next(struct check *c);

static DBusMessage *make_call(const struct check *c)
{
	DBusMessage *m = dbus_message_new_method_call(POLKIT_NAME, POLKIT_PATH, POLKIT_IFACE,
						      "CheckAuthorization");
	DBusMessageIter it, subj, dict, e, v, det, de;
	const char *kind = "system-bus-name", *name = "name", *sender = c->sender;
	const char *action = c->actions[c->i], *rk = "reader", *reader = c->reader, *cancel = "";
	dbus_uint32_t flags = 1; /* AllowUserInteraction */
	bool ok;

	if (!m)
		return NULL;
	dbus_message_iter_init_append(m, &it);
	ok = dbus_message_iter_open_container(&it, DBUS_TYPE_STRUCT, NULL, &subj) &&
	     dbus_message_iter_append_basic(&subj, DBUS_TYPE_STRING, &kind) &&
	     dbus_message_iter_open_container(&subj, DBUS_TYPE_ARRAY, "{sv}", &dict) &&
	     dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, NULL, &e) &&
	     dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &name) &&
	     dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "s", &v) &&
	     dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &sender) &&
	     dbus_message_iter_close_container(&e, &v) &&
	     dbus_message_iter_close_container(&dict, &e) &&
	     dbus_message_iter_close_container(&subj, &dict) &&
	     dbus_message_iter_close_container(&it, &subj) &&
	     dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &action) &&
	     dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{ss}", &det);
	if (ok && reader[0])
		ok = dbus_message_iter_open_container(&det, DBUS_TYPE_DICT_ENTRY, NULL, &de) &&
		     dbus_message_iter_append_basic(&de, DBUS_TYPE_STRING, &rk) &&
		     dbus_message_iter_append_basic(&de, DBUS_TYPE_STRING, &reader) &&
		     dbus_message_iter_close_container(&det, &de);
	ok = ok && dbus_message_iter_close_container(&it, &det) &&
	     dbus_message_iter_append_basic(&it, DBUS_TYPE_UINT32, &flags) &&
	     dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &cancel);
	if (!ok) {
		dbus_message_unref(m);
		return NULL;
	}
	return m;
}

/* (bba{ss}): is_authorized first */
static bool reply_allowed(DBusMessage *reply)
{
	DBusMessageIter it, st;
	dbus_bool_t b = FALSE;

	if (!reply || dbus_message_get_type(reply) != DBUS_MESSAGE_TYPE_METHOD_RETURN ||
	    !dbus_message_iter_init(reply, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRUCT)
		return false;
	dbus_message_iter_recurse(&it, &st);
	if (dbus_message_iter_get_arg_type(&st) != DBUS_TYPE_BOOLEAN)
		return false;
	dbus_message_iter_get_basic(&st, &b);
	return b != 0;
}

static void finish(struct check *c, bool allowed, const char *denied)
{
	c->done(c->d, c->ud, allowed, denied);
	free(c);
}

static void on_reply(DBusPendingCall *pending, void *data)
{
	struct check *c = data;
	DBusMessage *reply = dbus_pending_call_steal_reply(pending);
	bool allowed = reply_allowed(reply);

	if (reply && dbus_message_get_type(reply) == DBUS_MESSAGE_TYPE_ERROR)
		log_warning("polkit: %s", dbus_message_get_error_name(reply));
	if (reply)
		dbus_message_unref(reply);
	dbus_pending_call_unref(pending);
	if (!allowed) {
		log_info("polkit: %s denied", c->actions[c->i]);
		finish(c, false, c->actions[c->i]);
		return;
	}
	c->i++;
	next(c);
}

static void next(struct check *c)
{
	DBusPendingCall *pending = NULL;
	DBusMessage *m;

	if (c->i >= c->n) {
		finish(c, true, NULL);
		return;
	}
	m = make_call(c);
	if (!m || !dbus_connection_send_with_reply(c->d->conn, m, &pending, POLKIT_TIMEOUT_MS) ||
	    !pending) {
		if (m)
			dbus_message_unref(m);
		log_warning("polkit: cannot send the authorization check");
		finish(c, false, c->actions[c->i]);
		return;
	}
	dbus_message_unref(m);
	if (!dbus_pending_call_set_notify(pending, on_reply, c, NULL)) {
		dbus_pending_call_cancel(pending);
		dbus_pending_call_unref(pending);
		finish(c, false, c->actions[c->i]);
	}
}

void eidd_polkit_check(struct eidd *d, const char *sender, const char *const *actions,
		       size_t n, const char *reader, eidd_polkit_done_fn done, void *ud)
{
	struct check *c;

	if (!d->use_polkit || n == 0) {
		done(d, ud, true, NULL);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c || n > MAX_ACTIONS) {
		free(c);
		done(d, ud, false, n ? actions[0] : NULL);
		return;
	}
	c->d = d;
	snprintf(c->sender, sizeof(c->sender), "%s", sender);
	snprintf(c->reader, sizeof(c->reader), "%s", reader ? reader : "");
	for (size_t i = 0; i < n; i++)
		c->actions[i] = actions[i];
	c->n = n;
	c->done = done;
	c->ud = ud;
	next(c);
}
