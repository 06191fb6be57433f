/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The D-Bus connection (libdbus-1) and eidd's event loop.
 *
 * One thread runs the loop: poll() over libdbus's watches, the notify
 * eventfd (reader monitors and session workers) and a signalfd (SIGHUP
 * reloads the trust store; SIGINT/SIGTERM end the daemon).  Objects:
 *
 *   /org/eidd/Eidd1             Manager, ObjectManager (readers)
 *   /org/eidd/Eidd1/Reader/N    Reader
 *   /org/eidd/Eidd1/Session/N   Session: its owner only; signals unicast
 *
 * Introspection is served from data/org.eidd.Eidd1.xml, compiled in.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>

#include "config.h"

#include "bus.h"
#include "errmap.h"
#include "log.h"

#define DBUS_IFACE_PROPS "org.freedesktop.DBus.Properties"
#define DBUS_IFACE_INTRO "org.freedesktop.DBus.Introspectable"
#define DBUS_IFACE_PEER "org.freedesktop.DBus.Peer"
#define DBUS_IFACE_OM "org.freedesktop.DBus.ObjectManager"
#define MAX_WATCHES 64

/* data/org.eidd.Eidd1.xml (generated eidd-xml.c) */
extern const char eidd_introspection_xml[];

struct eidd_watch {
	struct eidd_watch *next;
	DBusWatch *w;
};

struct eidd_timeout {
	struct eidd_timeout *next;
	DBusTimeout *t;
	uint64_t due;
};

uint64_t eidd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void eidd_notify(struct eidd *d)
{
	uint64_t one = 1;

	if (write(d->notify_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("notify: %m");
}

/* ---- replies ---- */

static void send_unref(struct eidd *d, DBusMessage *m)
{
	if (!m)
		return;
	dbus_connection_send(d->conn, m, NULL);
	dbus_message_unref(m);
}

static void reply_error(struct eidd *d, DBusMessage *call, const char *short_name,
			const char *msg)
{
	const char *full = eidd_error_full_name(short_name);

	send_unref(d, dbus_message_new_error(call, full ? full : short_name, msg));
}

static void reply_empty(struct eidd *d, DBusMessage *call)
{
	send_unref(d, dbus_message_new_method_return(call));
}

/* ---- introspection ---- */

static void buf_str(eid_buf *b, const char *s)
{
	eid_buf_add(b, s, strlen(s));
}

/* Append the <interface name="iface"> ... </interface> block of the XML. */
static void xml_interface(eid_buf *b, const char *iface)
{
	char open[128];
	const char *start, *end;

	snprintf(open, sizeof(open), "<interface name=\"%s\">", iface);
	start = strstr(eidd_introspection_xml, open);
	if (!start)
		return;
	end = strstr(start, "</interface>");
	if (!end)
		return;
	end += strlen("</interface>");
	buf_str(b, "  ");
	eid_buf_add(b, start, (size_t)(end - start));
	buf_str(b, "\n");
}

static const char xml_standard[] =
	"  <interface name=\"" DBUS_IFACE_PROPS "\">\n"
	"    <method name=\"Get\"><arg name=\"interface_name\" type=\"s\" direction=\"in\"/>"
	"<arg name=\"property_name\" type=\"s\" direction=\"in\"/>"
	"<arg name=\"value\" type=\"v\" direction=\"out\"/></method>\n"
	"    <method name=\"GetAll\"><arg name=\"interface_name\" type=\"s\" direction=\"in\"/>"
	"<arg name=\"properties\" type=\"a{sv}\" direction=\"out\"/></method>\n"
	"    <method name=\"Set\"><arg name=\"interface_name\" type=\"s\" direction=\"in\"/>"
	"<arg name=\"property_name\" type=\"s\" direction=\"in\"/>"
	"<arg name=\"value\" type=\"v\" direction=\"in\"/></method>\n"
	"    <signal name=\"PropertiesChanged\"><arg name=\"interface_name\" type=\"s\"/>"
	"<arg name=\"changed_properties\" type=\"a{sv}\"/>"
	"<arg name=\"invalidated_properties\" type=\"as\"/></signal>\n"
	"  </interface>\n"
	"  <interface name=\"" DBUS_IFACE_INTRO "\">\n"
	"    <method name=\"Introspect\"><arg name=\"xml_data\" type=\"s\" direction=\"out\"/></method>\n"
	"  </interface>\n"
	"  <interface name=\"" DBUS_IFACE_PEER "\">\n"
	"    <method name=\"Ping\"/>\n"
	"    <method name=\"GetMachineId\"><arg name=\"machine_uuid\" type=\"s\" direction=\"out\"/></method>\n"
	"  </interface>\n";

static const char xml_om[] =
	"  <interface name=\"" DBUS_IFACE_OM "\">\n"
	"    <method name=\"GetManagedObjects\"><arg name=\"objects\" type=\"a{oa{sa{sv}}}\" direction=\"out\"/></method>\n"
	"    <signal name=\"InterfacesAdded\"><arg name=\"object\" type=\"o\"/>"
	"<arg name=\"interfaces\" type=\"a{sa{sv}}\"/></signal>\n"
	"    <signal name=\"InterfacesRemoved\"><arg name=\"object\" type=\"o\"/>"
	"<arg name=\"interfaces\" type=\"as\"/></signal>\n"
	"  </interface>\n";

static void xml_child(eid_buf *b, const char *name)
{
	buf_str(b, "  <node name=\"");
	buf_str(b, name);
	buf_str(b, "\"/>\n");
}

static void handle_introspect(struct eidd *d, DBusMessage *m, const char *path)
{
	const char *sender = dbus_message_get_sender(m);
	DBusMessage *reply;
	const char *text;
	eid_buf b;
	char num[16];

	eid_buf_init(&b);
	buf_str(&b, DBUS_INTROSPECT_1_0_XML_DOCTYPE_DECL_NODE "<node>\n");
	if (!strcmp(path, "/") || !strcmp(path, "/org") || !strcmp(path, "/org/eidd")) {
		xml_child(&b, !strcmp(path, "/") ? "org" : !strcmp(path, "/org") ? "eidd" : "Eidd1");
	} else if (!strcmp(path, EIDD_PATH)) {
		xml_interface(&b, EIDD_IFACE_MANAGER);
		buf_str(&b, xml_om);
		buf_str(&b, xml_standard);
		xml_child(&b, "Reader");
		xml_child(&b, "Session");
	} else if (!strcmp(path, EIDD_READER_PATH)) {
		for (struct eidd_reader *r = d->readers; r; r = r->next) {
			snprintf(num, sizeof(num), "%u", r->id);
			xml_child(&b, num);
		}
	} else if (!strcmp(path, EIDD_SESSION_PATH)) {
		for (struct eidd_session *s = d->sessions; s; s = s->next)
			if (!s->closed && !s->oneshot && sender && !strcmp(s->owner, sender)) {
				snprintf(num, sizeof(num), "%u", s->id);
				xml_child(&b, num);
			}
	} else if (eidd_reader_by_path(d, path)) {
		xml_interface(&b, EIDD_IFACE_READER);
		buf_str(&b, xml_standard);
	} else if (eidd_session_by_path(d, path)) {
		xml_interface(&b, EIDD_IFACE_SESSION);
		buf_str(&b, xml_standard);
	}
	buf_str(&b, "</node>\n");
	eid_buf_add_u8(&b, 0);
	if (!eid_buf_ok(&b)) {
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		eid_buf_free(&b);
		return;
	}
	text = (const char *)b.data;
	reply = dbus_message_new_method_return(m);
	if (reply && !dbus_message_append_args(reply, DBUS_TYPE_STRING, &text, DBUS_TYPE_INVALID)) {
		dbus_message_unref(reply);
		reply = NULL;
	}
	send_unref(d, reply);
	eid_buf_free(&b);
}

/* ---- properties ---- */

static bool var_str(DBusMessageIter *it, const char *s)
{
	DBusMessageIter v;

	return dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "s", &v) &&
	       dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &s) &&
	       dbus_message_iter_close_container(it, &v);
}

static bool var_bool(DBusMessageIter *it, bool b)
{
	DBusMessageIter v;
	dbus_bool_t x = b;

	return dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "b", &v) &&
	       dbus_message_iter_append_basic(&v, DBUS_TYPE_BOOLEAN, &x) &&
	       dbus_message_iter_close_container(it, &v);
}

static bool var_basic(DBusMessageIter *it, int type, const char *sig, const void *val)
{
	DBusMessageIter v;

	return dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, sig, &v) &&
	       dbus_message_iter_append_basic(&v, type, val) &&
	       dbus_message_iter_close_container(it, &v);
}

static bool append_paths(DBusMessageIter *it, struct eidd *d)
{
	DBusMessageIter a;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "o", &a))
		return false;
	for (struct eidd_reader *r = d->readers; r; r = r->next) {
		const char *p = r->path;

		if (!dbus_message_iter_append_basic(&a, DBUS_TYPE_OBJECT_PATH, &p))
			return false;
	}
	return dbus_message_iter_close_container(it, &a);
}

static const char *const manager_props[] = { "Version", "Readers", NULL };
static const char *const reader_props[] = { "Name", "Driver", "CardPresent", "CardType",
					    "HasPinPad", "ReaderPace", "ExtendedLength", "Busy",
					    NULL };
static const char *const session_props[] = { "State", "Step", "Progress", "SecretRequested",
					     "RetryCounter", "SecretOnPinPad", "Error", NULL };

/* The value of one property as a variant; false when unknown. */
static bool manager_prop(struct eidd *d, const char *name, DBusMessageIter *it)
{
	DBusMessageIter v;

	if (!strcmp(name, "Version"))
		return var_str(it, PACKAGE_VERSION);
	if (!strcmp(name, "Readers"))
		return dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "ao", &v) &&
		       append_paths(&v, d) && dbus_message_iter_close_container(it, &v);
	return false;
}

static bool reader_prop(struct eidd_reader *r, const char *name, DBusMessageIter *it)
{
	if (!strcmp(name, "Name"))
		return var_str(it, r->label);
	if (!strcmp(name, "Driver"))
		return var_str(it, r->driver->name);
	if (!strcmp(name, "CardPresent"))
		return var_bool(it, r->card_present);
	if (!strcmp(name, "CardType"))
		return var_str(it, r->card_type);
	if (!strcmp(name, "HasPinPad"))
		return var_bool(it, (r->features &
				     (EID_FEAT_PINPAD_VERIFY | EID_FEAT_PINPAD_MODIFY)) != 0);
	if (!strcmp(name, "ReaderPace"))
		return var_bool(it, (r->features & EID_FEAT_READER_PACE) != 0);
	if (!strcmp(name, "ExtendedLength"))
		return var_bool(it, (r->features & EID_FEAT_EXTENDED_LENGTH) != 0);
	if (!strcmp(name, "Busy"))
		return var_bool(it, r->busy != NULL);
	return false;
}

static const char *secret_name(enum eid_password p)
{
	return p ? eid_password_name(p) : "";
}

/* With the session's lock held. */
static bool session_prop(struct eidd_session *s, const char *name, DBusMessageIter *it)
{
	if (!strcmp(name, "State"))
		return var_str(it, eidd_state_name(s->state));
	if (!strcmp(name, "Step"))
		return var_str(it, s->step_shown ? s->step_shown : s->step ? s->step : "");
	if (!strcmp(name, "Progress"))
		return var_basic(it, DBUS_TYPE_DOUBLE, "d", &s->progress);
	if (!strcmp(name, "SecretRequested"))
		return var_str(it, secret_name(s->secret_requested));
	if (!strcmp(name, "RetryCounter")) {
		dbus_int32_t rc = s->retry_counter;

		return var_basic(it, DBUS_TYPE_INT32, "i", &rc);
	}
	if (!strcmp(name, "SecretOnPinPad"))
		return var_bool(it, s->secret_on_pinpad);
	if (!strcmp(name, "Error")) {
		const char *full = s->error_name[0] ? eidd_error_full_name(s->error_name) : "";

		return var_str(it, full ? full : s->error_name);
	}
	return false;
}

enum obj_kind { OBJ_NONE, OBJ_MANAGER, OBJ_READER, OBJ_SESSION };

struct obj {
	enum obj_kind kind;
	const char *iface;
	const char *const *props;
	struct eidd_reader *reader;
	struct eidd_session *session;
};

static bool obj_prop(struct eidd *d, struct obj *o, const char *name, DBusMessageIter *it)
{
	switch (o->kind) {
	case OBJ_MANAGER:
		return manager_prop(d, name, it);
	case OBJ_READER:
		return reader_prop(o->reader, name, it);
	case OBJ_SESSION: {
		bool ok;

		pthread_mutex_lock(&o->session->lock);
		ok = session_prop(o->session, name, it);
		pthread_mutex_unlock(&o->session->lock);
		return ok;
	}
	default:
		return false;
	}
}

/* a{sv} of the given properties (NULL-terminated names). */
static bool append_props(struct eidd *d, struct obj *o, const char *const *names,
			 DBusMessageIter *it)
{
	DBusMessageIter a, e;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &a))
		return false;
	for (size_t i = 0; names[i]; i++) {
		const char *n = names[i];

		if (!dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &e) ||
		    !dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &n) ||
		    !obj_prop(d, o, n, &e) || !dbus_message_iter_close_container(&a, &e))
			return false;
	}
	return dbus_message_iter_close_container(it, &a);
}

static void handle_properties(struct eidd *d, DBusMessage *m, struct obj *o)
{
	const char *member = dbus_message_get_member(m), *iface = NULL, *name = NULL;
	DBusMessage *reply;
	DBusMessageIter it;
	bool ok;

	if (!strcmp(member, "Set")) {
		send_unref(d, dbus_message_new_error(m, DBUS_ERROR_PROPERTY_READ_ONLY,
						     "properties are read-only"));
		return;
	}
	if (!strcmp(member, "Get")) {
		if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &iface, DBUS_TYPE_STRING,
					   &name, DBUS_TYPE_INVALID))
			goto bad;
	} else if (!strcmp(member, "GetAll")) {
		if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &iface, DBUS_TYPE_INVALID))
			goto bad;
	} else {
		send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_METHOD, "unknown method"));
		return;
	}
	reply = dbus_message_new_method_return(m);
	if (!reply)
		return;
	dbus_message_iter_init_append(reply, &it);
	if (name) {
		bool known = false;

		for (size_t i = 0; o->props[i]; i++)
			known |= !strcmp(o->props[i], name);
		if (strcmp(iface, o->iface) || !known) {
			dbus_message_unref(reply);
			send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_PROPERTY,
							     "no such property"));
			return;
		}
		ok = obj_prop(d, o, name, &it);
	} else {
		static const char *const none[] = { NULL };

		ok = append_props(d, o, strcmp(iface, o->iface) && *iface ? none : o->props, &it);
	}
	if (!ok) {
		dbus_message_unref(reply);
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	send_unref(d, reply);
	return;
bad:
	send_unref(d, dbus_message_new_error(m, DBUS_ERROR_INVALID_ARGS, "bad arguments"));
}

/* PropertiesChanged (to dest only when dest is set). */
static void emit_changed(struct eidd *d, const char *path, struct obj *o,
			 const char *const *names, const char *dest)
{
	DBusMessage *sig = dbus_message_new_signal(path, DBUS_IFACE_PROPS, "PropertiesChanged");
	DBusMessageIter it, inv;
	const char *iface = o->iface;

	if (!sig)
		return;
	dbus_message_iter_init_append(sig, &it);
	if (!dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &iface) ||
	    !append_props(d, o, names, &it) ||
	    !dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &inv) ||
	    !dbus_message_iter_close_container(&it, &inv) ||
	    (dest && !dbus_message_set_destination(sig, dest))) {
		dbus_message_unref(sig);
		return;
	}
	send_unref(d, sig);
}

/* ---- Manager, ObjectManager ---- */

static bool append_reader_ifaces(struct eidd *d, struct eidd_reader *r, DBusMessageIter *it)
{
	struct obj o = { OBJ_READER, EIDD_IFACE_READER, reader_props, r, NULL };
	DBusMessageIter a, e;
	const char *iface = EIDD_IFACE_READER;

	return dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sa{sv}}", &a) &&
	       dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &e) &&
	       dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &iface) &&
	       append_props(d, &o, reader_props, &e) &&
	       dbus_message_iter_close_container(&a, &e) &&
	       dbus_message_iter_close_container(it, &a);
}

static void handle_managed_objects(struct eidd *d, DBusMessage *m)
{
	DBusMessage *reply = dbus_message_new_method_return(m);
	DBusMessageIter it, a, e;
	bool ok;

	if (!reply)
		return;
	dbus_message_iter_init_append(reply, &it);
	ok = dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{oa{sa{sv}}}", &a);
	for (struct eidd_reader *r = d->readers; ok && r; r = r->next) {
		const char *p = r->path;

		ok = dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &e) &&
		     dbus_message_iter_append_basic(&e, DBUS_TYPE_OBJECT_PATH, &p) &&
		     append_reader_ifaces(d, r, &e) && dbus_message_iter_close_container(&a, &e);
	}
	ok = ok && dbus_message_iter_close_container(&it, &a);
	if (!ok) {
		dbus_message_unref(reply);
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	send_unref(d, reply);
}

static void emit_readers_changed(struct eidd *d)
{
	static const char *const names[] = { "Readers", NULL };
	struct obj o = { OBJ_MANAGER, EIDD_IFACE_MANAGER, manager_props, NULL, NULL };

	emit_changed(d, EIDD_PATH, &o, names, NULL);
}

static void emit_path_signal(struct eidd *d, const char *member, const char *path)
{
	DBusMessage *sig = dbus_message_new_signal(EIDD_PATH, EIDD_IFACE_MANAGER, member);

	if (sig && dbus_message_append_args(sig, DBUS_TYPE_OBJECT_PATH, &path, DBUS_TYPE_INVALID))
		send_unref(d, sig);
	else if (sig)
		dbus_message_unref(sig);
}

void eidd_bus_reader_added(struct eidd *d, struct eidd_reader *r)
{
	DBusMessage *sig;
	DBusMessageIter it;
	const char *p = r->path;

	if (!d->conn)
		return;
	sig = dbus_message_new_signal(EIDD_PATH, DBUS_IFACE_OM, "InterfacesAdded");
	if (sig) {
		dbus_message_iter_init_append(sig, &it);
		if (dbus_message_iter_append_basic(&it, DBUS_TYPE_OBJECT_PATH, &p) &&
		    append_reader_ifaces(d, r, &it))
			send_unref(d, sig);
		else
			dbus_message_unref(sig);
	}
	emit_path_signal(d, "ReaderAdded", r->path);
	emit_readers_changed(d);
}

void eidd_bus_reader_removed(struct eidd *d, struct eidd_reader *r)
{
	DBusMessage *sig;
	DBusMessageIter it, a;
	const char *p = r->path, *iface = EIDD_IFACE_READER;

	if (!d->conn)
		return;
	sig = dbus_message_new_signal(EIDD_PATH, DBUS_IFACE_OM, "InterfacesRemoved");
	if (sig) {
		dbus_message_iter_init_append(sig, &it);
		if (dbus_message_iter_append_basic(&it, DBUS_TYPE_OBJECT_PATH, &p) &&
		    dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &a) &&
		    dbus_message_iter_append_basic(&a, DBUS_TYPE_STRING, &iface) &&
		    dbus_message_iter_close_container(&it, &a))
			send_unref(d, sig);
		else
			dbus_message_unref(sig);
	}
	emit_path_signal(d, "ReaderRemoved", r->path);
	emit_readers_changed(d);
}

void eidd_bus_reader_changed(struct eidd *d, struct eidd_reader *r, const char *const *props)
{
	struct obj o = { OBJ_READER, EIDD_IFACE_READER, reader_props, r, NULL };

	if (d->conn)
		emit_changed(d, r->path, &o, props, NULL);
}

static void handle_get_readers(struct eidd *d, DBusMessage *m)
{
	DBusMessage *reply = dbus_message_new_method_return(m);
	DBusMessageIter it;

	if (!reply)
		return;
	dbus_message_iter_init_append(reply, &it);
	if (!append_paths(&it, d)) {
		dbus_message_unref(reply);
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	send_unref(d, reply);
}

/* Work that waits for polkit: the call and what to do then. */
enum pending_kind { PEND_DIAG, PEND_RELOAD, PEND_READ };

struct pending {
	enum pending_kind kind;
	DBusMessage *msg;
	char reader_path[64];
	struct eidd_request req;
	bool oneshot;
};

static void pending_free(struct pending *p)
{
	if (!p)
		return;
	if (p->msg)
		dbus_message_unref(p->msg);
	eidd_request_clear(&p->req);
	free(p);
}

static void denied(struct eidd *d, DBusMessage *m, const char *action)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "not authorized for %s", action ? action : "this action");
	reply_error(d, m, EIDD_ERR_NOT_AUTHORIZED, msg);
}

static void do_read(struct eidd *d, struct pending *p);

static void polkit_done(struct eidd *d, void *ud, bool allowed, const char *action)
{
	struct pending *p = ud;

	if (!allowed) {
		denied(d, p->msg, action);
		pending_free(p);
		return;
	}
	switch (p->kind) {
	case PEND_DIAG: {
		DBusMessage *reply = dbus_message_new_method_return(p->msg);
		DBusMessageIter it;

		if (reply) {
			dbus_message_iter_init_append(reply, &it);
			if (eidd_bus_append_diagnostics(&it, d) < 0) {
				dbus_message_unref(reply);
				reply_error(d, p->msg, EIDD_ERR_INTERNAL, "out of memory");
			} else {
				send_unref(d, reply);
			}
		}
		break;
	}
	case PEND_RELOAD:
		if (eidd_reload_trust(d) < 0)
			reply_error(d, p->msg, EIDD_ERR_INTERNAL, "cannot load the trust store");
		else
			reply_empty(d, p->msg);
		break;
	case PEND_READ:
		do_read(d, p);
		break;
	}
	pending_free(p);
}

static void check_then(struct eidd *d, DBusMessage *m, enum pending_kind kind,
		       const char *action)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p) {
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	p->kind = kind;
	p->msg = dbus_message_ref(m);
	eidd_polkit_check(d, dbus_message_get_sender(m), &action, 1, NULL, polkit_done, p);
}

/* ---- Reader: StartRead, Read ---- */

static long caller_pid(struct eidd *d, const char *name)
{
	DBusMessage *m, *reply;
	dbus_uint32_t pid = 0;
	long ret = -1;

	m = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS, DBUS_INTERFACE_DBUS,
					 "GetConnectionUnixProcessID");
	if (!m)
		return -1;
	if (dbus_message_append_args(m, DBUS_TYPE_STRING, &name, DBUS_TYPE_INVALID)) {
		reply = dbus_connection_send_with_reply_and_block(d->conn, m, 2000, NULL);
		if (reply) {
			if (dbus_message_get_args(reply, NULL, DBUS_TYPE_UINT32, &pid,
						  DBUS_TYPE_INVALID))
				ret = pid;
			dbus_message_unref(reply);
		}
	}
	dbus_message_unref(m);
	return ret;
}

static void handle_read(struct eidd *d, DBusMessage *m, struct eidd_reader *r, bool oneshot)
{
	const char *actions[3];
	size_t n = 0;
	struct pending *p = calloc(1, sizeof(*p));
	DBusMessageIter it;
	char why[256];
	uint32_t dgs;

	if (!p || eidd_request_init(&p->req) < 0) {
		free(p);
		reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	p->kind = PEND_READ;
	p->oneshot = oneshot;
	snprintf(p->reader_path, sizeof(p->reader_path), "%s", r->path);
	if (!dbus_message_iter_init(m, &it) || strcmp(dbus_message_get_signature(m), "a{sv}")) {
		reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, "expected options a{sv}");
		pending_free(p);
		return;
	}
	if (eidd_bus_parse_options(&it, &p->req, why, sizeof(why)) < 0) {
		reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, why);
		pending_free(p);
		return;
	}
	p->msg = dbus_message_ref(m);
	dgs = eidd_request_dgs(&p->req, d->cfg.data_groups);
	actions[n++] = "org.eidd.read";
	if (dgs & (1u << 2))
		actions[n++] = "org.eidd.read-face";
	if (dgs & (1u << 17))
		actions[n++] = "org.eidd.read-address";
	eidd_polkit_check(d, dbus_message_get_sender(m), actions, n, r->label, polkit_done, p);
}

static void do_read(struct eidd *d, struct pending *p)
{
	struct eidd_reader *r = eidd_reader_by_path(d, p->reader_path);
	const char *sender = dbus_message_get_sender(p->msg);
	struct eidd_session *s;
	DBusError err;
	unsigned long uid;
	char clean[256];

	if (!r) {
		reply_error(d, p->msg, EIDD_ERR_READER, "the reader is gone");
		return;
	}
	if (r->busy) {
		reply_error(d, p->msg, EIDD_ERR_BUSY, "the reader is busy with another session");
		return;
	}
	if (!r->card_present && p->req.wait_for_card_ms == 0) {
		reply_error(d, p->msg, EIDD_ERR_NO_CARD, "no card in the reader");
		return;
	}
	if (!sender || !dbus_bus_name_has_owner(d->conn, sender, NULL)) {
		log_debug("caller left before its read started");
		return;
	}
	if (eidd_session_new(d, r, sender, &p->req, p->oneshot, &s) < 0) {
		reply_error(d, p->msg, EIDD_ERR_INTERNAL, "out of memory");
		return;
	}
	dbus_error_init(&err);
	uid = dbus_bus_get_unix_user(d->conn, sender, &err);
	dbus_error_free(&err);
	s->uid = uid == (unsigned long)-1 ? -1 : (long)uid;
	s->pid = caller_pid(d, sender);
	if (s->pid > 0) {
		char link[64];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%ld/exe", s->pid);
		n = readlink(link, s->exe, sizeof(s->exe) - 1);
		s->exe[n > 0 ? n : 0] = '\0';
	}
	if (eidd_session_start(s) < 0) {
		reply_error(d, p->msg, EIDD_ERR_INTERNAL, "cannot start the read");
		eidd_session_free(s);
		return;
	}
	log_info("session %s started by %s on %s%s", s->path,
		 eidd_log_clean(sender, clean, sizeof(clean)), r->path, p->oneshot ? " (Read)" : "");
	{
		static const char *const names[] = { "Busy", NULL };

		eidd_bus_reader_changed(d, r, names);
	}
	if (p->oneshot) {
		s->reply_to = p->msg;
		p->msg = NULL;
	} else {
		DBusMessage *reply = dbus_message_new_method_return(p->msg);
		const char *path = s->path;

		if (reply && dbus_message_append_args(reply, DBUS_TYPE_OBJECT_PATH, &path,
						      DBUS_TYPE_INVALID))
			send_unref(d, reply);
		else if (reply)
			dbus_message_unref(reply);
	}
}

/* ---- Session ---- */

static void session_close(struct eidd *d, struct eidd_session *s, const char *reason)
{
	if (s->closed)
		return;
	s->closed = true;
	s->end_reason = reason;
	eidd_session_cancel(s);
	log_info("session %s %s", s->path, reason);
	pthread_mutex_lock(&s->lock);
	eid_read_result_free(s->res);
	s->res = NULL;
	pthread_mutex_unlock(&s->lock);
	(void)d;
}

static void handle_session(struct eidd *d, DBusMessage *m, struct eidd_session *s)
{
	const char *member = dbus_message_get_member(m);
	const char *a = NULL, *b = NULL, *c = NULL, *why = NULL;
	enum eidd_state st;

	if (!strcmp(member, "SupplySecret")) {
		enum eid_password kind;

		if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &a, DBUS_TYPE_STRING, &b,
					   DBUS_TYPE_INVALID)) {
			reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, "expected (ss)");
			return;
		}
		kind = eidd_password_parse(a);
		if (!kind) {
			reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, "kind must be can, pin, puk or mrz");
			return;
		}
		if (strnlen(b, EIDD_OPT_MAX_STRING + 1) > EIDD_OPT_MAX_STRING ||
		    eidd_session_supply(s, kind, b, &why) < 0) {
			reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, why ? why : "value too long");
			return;
		}
		reply_empty(d, m);
	} else if (!strcmp(member, "SupplyMrz")) {
		if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &a, DBUS_TYPE_STRING, &b,
					   DBUS_TYPE_STRING, &c, DBUS_TYPE_INVALID)) {
			reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, "expected (sss)");
			return;
		}
		if (strnlen(a, EIDD_OPT_MAX_STRING + 1) > EIDD_OPT_MAX_STRING ||
		    eidd_session_supply_mrz(s, a, b, c, &why) < 0) {
			reply_error(d, m, EIDD_ERR_INVALID_ARGUMENTS, why ? why : "value too long");
			return;
		}
		reply_empty(d, m);
	} else if (!strcmp(member, "Cancel")) {
		eidd_session_cancel(s);
		reply_empty(d, m);
	} else if (!strcmp(member, "Close")) {
		reply_empty(d, m);
		session_close(d, s, "closed");
		eidd_notify(d);
	} else if (!strcmp(member, "GetResult")) {
		DBusMessage *reply;
		DBusMessageIter it;

		pthread_mutex_lock(&s->lock);
		st = s->state;
		if (st != EIDD_ST_DONE || !s->res || !s->finished) {
			char name[48], msg[256];

			snprintf(name, sizeof(name), "%s",
				 st == EIDD_ST_FAILED || st == EIDD_ST_CANCELLED ? s->error_name :
										  EIDD_ERR_BUSY);
			snprintf(msg, sizeof(msg), "%s",
				 st == EIDD_ST_FAILED || st == EIDD_ST_CANCELLED ?
					 s->error_msg : "the read has not finished");
			pthread_mutex_unlock(&s->lock);
			reply_error(d, m, name, msg);
			return;
		}
		pthread_mutex_unlock(&s->lock);
		reply = dbus_message_new_method_return(m);
		if (!reply)
			return;
		dbus_message_iter_init_append(reply, &it);
		if (eidd_bus_append_result(&it, s->res, s->req.raw) < 0) {
			dbus_message_unref(reply);
			reply_error(d, m, EIDD_ERR_INTERNAL, "out of memory");
			return;
		}
		/* the reply carries personal data: sent and released at once */
		send_unref(d, reply);
		dbus_connection_flush(d->conn);
	} else {
		send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_METHOD, "unknown method"));
	}
}

/* ---- dispatch ---- */

/*
 * libdbus reads each incoming message into one buffer and copies it out,
 * leaving the bytes behind: a StartRead, Read or Supply call's CAN, PIN or
 * MRZ stays there until later messages happen to cover it.  After such a
 * call eidd sends itself a signal of zeros, which the buffer receives next.
 */
#define SCRUB_BYTES 12288
static const unsigned char scrub_zeros[SCRUB_BYTES];

static void scrub_read_buffer(struct eidd *d)
{
	const char *me = dbus_bus_get_unique_name(d->conn);
	const unsigned char *z = scrub_zeros;
	DBusMessage *m;

	if (!me)
		return;
	m = dbus_message_new_signal("/", EIDD_BUS_NAME ".Scrub", "Scrub");
	if (m && dbus_message_set_destination(m, me) &&
	    dbus_message_append_args(m, DBUS_TYPE_ARRAY, DBUS_TYPE_BYTE, &z,
				     (int)sizeof(scrub_zeros), DBUS_TYPE_INVALID))
		send_unref(d, m);
	else if (m)
		dbus_message_unref(m);
}

static DBusHandlerResult on_message(DBusConnection *conn, DBusMessage *m, void *data)
{
	struct eidd *d = data;
	const char *path = dbus_message_get_path(m), *iface = dbus_message_get_interface(m);
	const char *member = dbus_message_get_member(m), *sender = dbus_message_get_sender(m);
	struct obj o = { OBJ_NONE, NULL, NULL, NULL, NULL };

	(void)conn;
	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_METHOD_CALL || !path || !member)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (iface && !strcmp(iface, DBUS_IFACE_INTRO) && !strcmp(member, "Introspect")) {
		handle_introspect(d, m, path);
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (iface && !strcmp(iface, DBUS_IFACE_PEER))
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED; /* libdbus answers Peer */
	if (!strcmp(path, EIDD_PATH)) {
		o = (struct obj){ OBJ_MANAGER, EIDD_IFACE_MANAGER, manager_props, NULL, NULL };
	} else if ((o.reader = eidd_reader_by_path(d, path))) {
		o.kind = OBJ_READER;
		o.iface = EIDD_IFACE_READER;
		o.props = reader_props;
	} else if ((o.session = eidd_session_by_path(d, path)) && !o.session->oneshot) {
		o.kind = OBJ_SESSION;
		o.iface = EIDD_IFACE_SESSION;
		o.props = session_props;
		if (!sender || strcmp(sender, o.session->owner)) {
			reply_error(d, m, EIDD_ERR_NOT_AUTHORIZED, "the session belongs to another caller");
			return DBUS_HANDLER_RESULT_HANDLED;
		}
	} else {
		send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_OBJECT, "no such object"));
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (iface && !strcmp(iface, DBUS_IFACE_PROPS)) {
		handle_properties(d, m, &o);
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (o.kind == OBJ_MANAGER && iface && !strcmp(iface, DBUS_IFACE_OM) &&
	    !strcmp(member, "GetManagedObjects")) {
		handle_managed_objects(d, m);
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (iface && strcmp(iface, o.iface)) {
		send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_INTERFACE, "no such interface"));
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	switch (o.kind) {
	case OBJ_MANAGER:
		if (!strcmp(member, "GetReaders"))
			handle_get_readers(d, m);
		else if (!strcmp(member, "GetDiagnostics"))
			check_then(d, m, PEND_DIAG, "org.eidd.diagnostics");
		else if (!strcmp(member, "ReloadTrustStore"))
			check_then(d, m, PEND_RELOAD, "org.eidd.manage");
		else
			send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_METHOD, "unknown method"));
		break;
	case OBJ_READER:
		if (!strcmp(member, "StartRead"))
			handle_read(d, m, o.reader, false);
		else if (!strcmp(member, "Read"))
			handle_read(d, m, o.reader, true);
		else
			send_unref(d, dbus_message_new_error(m, DBUS_ERROR_UNKNOWN_METHOD, "unknown method"));
		scrub_read_buffer(d);
		break;
	case OBJ_SESSION:
		handle_session(d, m, o.session);
		if (!strncmp(member, "Supply", 6))
			scrub_read_buffer(d);
		break;
	default:
		break;
	}
	return DBUS_HANDLER_RESULT_HANDLED;
}

static DBusHandlerResult on_filter(DBusConnection *conn, DBusMessage *m, void *data)
{
	struct eidd *d = data;
	const char *name = NULL, *old_owner = NULL, *new_owner = NULL;

	(void)conn;
	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected")) {
		log_err("disconnected from the bus");
		d->quit = true;
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (dbus_message_is_signal(m, DBUS_INTERFACE_DBUS, "NameOwnerChanged") &&
	    dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &name, DBUS_TYPE_STRING, &old_owner,
				  DBUS_TYPE_STRING, &new_owner, DBUS_TYPE_INVALID) &&
	    name[0] == ':' && !new_owner[0]) {
		for (struct eidd_session *s = d->sessions; s; s = s->next)
			if (!s->closed && !strcmp(s->owner, name))
				session_close(d, s, "owner-gone");
		eidd_notify(d);
	}
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

/* ---- session progress, on the main loop ---- */

static void finish_session(struct eidd *d, struct eidd_session *s)
{
	struct eidd_reader *r = s->reader;
	const char *outcome, *full;
	char err_full[128];

	pthread_join(s->thread, NULL);
	s->thread_started = false;
	s->completed = true;
	if (r) {
		static const char *const names[] = { "Busy", "CardType", "HasPinPad", "ReaderPace",
						     "ExtendedLength", NULL };

		if (r->busy == s)
			r->busy = NULL;
		if (s->res)
			r->card_type = eid_doc_kind_name(s->res->kind);
		if (s->features_known)
			r->features = s->features;
		eidd_bus_reader_changed(d, r, names);
	}
	outcome = s->state == EIDD_ST_DONE ? "done" :
		  s->state == EIDD_ST_CANCELLED ? "cancelled" : "failed";
	full = s->error_name[0] ? eidd_error_full_name(s->error_name) : "";
	snprintf(err_full, sizeof(err_full), "%s", full ? full : s->error_name);
	log_info("session %s %s%s%s", s->path, outcome, err_full[0] ? ": " : "", s->error_name);
	eidd_session_audit(s, s->closed ? s->end_reason : outcome);
	if (s->oneshot) {
		DBusMessage *call = s->reply_to;

		s->reply_to = NULL;
		if (call && !s->closed) {
			if (s->state == EIDD_ST_DONE && s->res) {
				DBusMessage *reply = dbus_message_new_method_return(call);
				DBusMessageIter it;

				if (reply) {
					dbus_message_iter_init_append(reply, &it);
					if (eidd_bus_append_result(&it, s->res, s->req.raw) < 0) {
						dbus_message_unref(reply);
						reply_error(d, call, EIDD_ERR_INTERNAL, "out of memory");
					} else {
						send_unref(d, reply);
						dbus_connection_flush(d->conn);
					}
				}
			} else {
				reply_error(d, call, s->error_name, s->error_msg);
			}
		}
		if (call)
			dbus_message_unref(call);
		eidd_session_free(s);
		return;
	}
	if (s->closed) {
		eidd_session_free(s);
		return;
	}
	{
		DBusMessage *sig = dbus_message_new_signal(s->path, EIDD_IFACE_SESSION, "Completed");
		const char *msg = s->error_msg, *e = err_full;

		if (sig && dbus_message_append_args(sig, DBUS_TYPE_STRING, &outcome, DBUS_TYPE_STRING,
						    &e, DBUS_TYPE_STRING, &msg, DBUS_TYPE_INVALID) &&
		    dbus_message_set_destination(sig, s->owner))
			send_unref(d, sig);
		else if (sig)
			dbus_message_unref(sig);
	}
}

static void process_sessions(struct eidd *d)
{
	uint64_t now = eidd_now_ms();
	struct eidd_session *s, *next;

	for (s = d->sessions; s; s = next) {
		const char *names[8];
		const char *unseen[sizeof(s->steps_unseen) / sizeof(s->steps_unseen[0])];
		unsigned n_unseen;
		size_t n = 0;
		unsigned dirty;
		bool finished;

		next = s->next;
		if (!s->closed && now >= s->expires_ms)
			session_close(d, s, "expired");
		if (s->closed && !s->thread_started && !s->completed) {
			/* never started (cannot happen today) */
			eidd_session_free(s);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		dirty = s->dirty;
		s->dirty = 0;
		finished = s->finished;
		n_unseen = s->n_steps_unseen;
		memcpy(unseen, s->steps_unseen, sizeof(unseen));
		s->n_steps_unseen = 0;
		pthread_mutex_unlock(&s->lock);
		if (dirty && !s->closed && !s->oneshot) {
			struct obj o = { OBJ_SESSION, EIDD_IFACE_SESSION, session_props, NULL, s };
			static const char *const step_only[] = { "Step", NULL };

			/* the steps the worker passed since the last round, each
			 * announced in order before the current values */
			for (unsigned i = 0; i < n_unseen; i++) {
				pthread_mutex_lock(&s->lock);
				s->step_shown = unseen[i];
				pthread_mutex_unlock(&s->lock);
				emit_changed(d, s->path, &o, step_only, s->owner);
			}
			pthread_mutex_lock(&s->lock);
			s->step_shown = NULL;
			pthread_mutex_unlock(&s->lock);

			if (dirty & EIDD_P_STATE)
				names[n++] = "State";
			if (dirty & EIDD_P_STEP)
				names[n++] = "Step";
			if (dirty & EIDD_P_PROGRESS)
				names[n++] = "Progress";
			if (dirty & EIDD_P_SECRET)
				names[n++] = "SecretRequested";
			if (dirty & EIDD_P_RETRY)
				names[n++] = "RetryCounter";
			if (dirty & EIDD_P_PINPAD)
				names[n++] = "SecretOnPinPad";
			if (dirty & EIDD_P_ERROR)
				names[n++] = "Error";
			names[n] = NULL;
			emit_changed(d, s->path, &o, names, s->owner);
		}
		if (finished && !s->completed)
			finish_session(d, s);
	}
}

/* ---- the event loop ---- */

static dbus_bool_t add_watch(DBusWatch *w, void *data)
{
	struct eidd *d = data;
	struct eidd_watch *x = calloc(1, sizeof(*x));

	if (!x)
		return FALSE;
	x->w = w;
	x->next = d->watches;
	d->watches = x;
	return TRUE;
}

static void remove_watch(DBusWatch *w, void *data)
{
	struct eidd *d = data;

	for (struct eidd_watch **pp = &d->watches; *pp; pp = &(*pp)->next)
		if ((*pp)->w == w) {
			struct eidd_watch *x = *pp;

			*pp = x->next;
			free(x);
			return;
		}
}

static void toggle_watch(DBusWatch *w, void *data)
{
	(void)w;
	(void)data;
}

static dbus_bool_t add_timeout(DBusTimeout *t, void *data)
{
	struct eidd *d = data;
	struct eidd_timeout *x = calloc(1, sizeof(*x));

	if (!x)
		return FALSE;
	x->t = t;
	x->due = eidd_now_ms() + (uint64_t)dbus_timeout_get_interval(t);
	x->next = d->timeouts;
	d->timeouts = x;
	return TRUE;
}

static void remove_timeout(DBusTimeout *t, void *data)
{
	struct eidd *d = data;

	for (struct eidd_timeout **pp = &d->timeouts; *pp; pp = &(*pp)->next)
		if ((*pp)->t == t) {
			struct eidd_timeout *x = *pp;

			*pp = x->next;
			free(x);
			return;
		}
}

static void toggle_timeout(DBusTimeout *t, void *data)
{
	struct eidd *d = data;

	for (struct eidd_timeout *x = d->timeouts; x; x = x->next)
		if (x->t == t)
			x->due = eidd_now_ms() + (uint64_t)dbus_timeout_get_interval(t);
}

static bool watch_known(struct eidd *d, DBusWatch *w)
{
	for (struct eidd_watch *x = d->watches; x; x = x->next)
		if (x->w == w)
			return true;
	return false;
}

int eidd_bus_open(struct eidd *d)
{
	DBusConnection *c = NULL;
	DBusError err;
	int r;

	dbus_error_init(&err);
	switch (d->args.bus) {
	case EIDD_BUS_SYSTEM:
		c = dbus_bus_get_private(DBUS_BUS_SYSTEM, &err);
		break;
	case EIDD_BUS_SESSION:
		c = dbus_bus_get_private(DBUS_BUS_SESSION, &err);
		break;
	case EIDD_BUS_ADDRESS:
		c = dbus_connection_open_private(d->args.address, &err);
		if (c && !dbus_bus_register(c, &err)) {
			dbus_connection_close(c);
			dbus_connection_unref(c);
			c = NULL;
		}
		break;
	}
	if (!c) {
		log_err("cannot connect to the bus: %s", err.message ? err.message : "unknown error");
		dbus_error_free(&err);
		return -EID_ETRANSPORT;
	}
	dbus_connection_set_exit_on_disconnect(c, FALSE);
	d->conn = c;
	r = dbus_bus_request_name(c, EIDD_BUS_NAME, DBUS_NAME_FLAG_DO_NOT_QUEUE, &err);
	if (r != DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
		log_err("cannot own %s: %s", EIDD_BUS_NAME,
			dbus_error_is_set(&err) ? err.message : "the name is taken");
		dbus_error_free(&err);
		return -EID_ESTATE;
	}
	dbus_bus_add_match(c, "type='signal',sender='" DBUS_SERVICE_DBUS "',interface='"
			   DBUS_INTERFACE_DBUS "',member='NameOwnerChanged'", &err);
	if (dbus_error_is_set(&err)) {
		log_err("cannot watch bus names: %s", err.message);
		dbus_error_free(&err);
		return -EID_ETRANSPORT;
	}
	if (!dbus_connection_add_filter(c, on_filter, d, NULL))
		return -EID_ENOMEM;
	{
		static const DBusObjectPathVTable vt = { .message_function = on_message };

		if (!dbus_connection_register_fallback(c, "/", &vt, d))
			return -EID_ENOMEM;
	}
	if (!dbus_connection_set_watch_functions(c, add_watch, remove_watch, toggle_watch, d,
						 NULL) ||
	    !dbus_connection_set_timeout_functions(c, add_timeout, remove_timeout, toggle_timeout,
						   d, NULL))
		return -EID_ENOMEM;
	log_info("on the bus as %s (%s)", EIDD_BUS_NAME, dbus_bus_get_unique_name(c));
	return 0;
}

void eidd_bus_close(struct eidd *d)
{
	if (!d->conn)
		return;
	dbus_connection_flush(d->conn);
	dbus_connection_close(d->conn);
	dbus_connection_unref(d->conn);
	d->conn = NULL;
	while (d->watches) {
		struct eidd_watch *x = d->watches;

		d->watches = x->next;
		free(x);
	}
	while (d->timeouts) {
		struct eidd_timeout *x = d->timeouts;

		d->timeouts = x->next;
		free(x);
	}
}

static void handle_signals(struct eidd *d)
{
	struct signalfd_siginfo si;

	while (read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			d->reload = true;
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->quit = true;
		}
	}
}

/*
 * libdbus keeps a few freed messages (those under 10 KiB) for reuse, with
 * their buffers as they were: a StartRead call's CAN or PIN, a result's
 * names and dates.  Taking every cached message out and growing its body
 * past the size it would be cached at overwrites those bytes, and the
 * messages are then freed for good (the allocator in eidd.c wipes them).
 */
#define SCRUB_MESSAGES 8

static void scrub_message_cache(void)
{
	const unsigned char *z = scrub_zeros;
	DBusMessage *m[SCRUB_MESSAGES];

	for (size_t i = 0; i < SCRUB_MESSAGES; i++) {
		m[i] = dbus_message_new_signal("/", EIDD_BUS_NAME ".Scrub", "Scrub");
		if (m[i] && !dbus_message_append_args(m[i], DBUS_TYPE_ARRAY, DBUS_TYPE_BYTE, &z,
						      (int)sizeof(scrub_zeros), DBUS_TYPE_INVALID))
			log_debug("message scrub: out of memory");
	}
	for (size_t i = 0; i < SCRUB_MESSAGES; i++)
		if (m[i])
			dbus_message_unref(m[i]);
}

int eidd_bus_run(struct eidd *d)
{
	DBusConnection *c = d->conn;

	while (!d->quit) {
		struct pollfd pfd[MAX_WATCHES + 2];
		DBusWatch *pw[MAX_WATCHES + 2];
		uint64_t now, next_due = UINT64_MAX;
		size_t n = 0;
		int timeout;

		while (dbus_connection_get_dispatch_status(c) == DBUS_DISPATCH_DATA_REMAINS)
			dbus_connection_dispatch(c);
		if (d->reload) {
			d->reload = false;
			eidd_reload_trust(d);
		}
		eidd_readers_update(d);
		process_sessions(d);
		while (dbus_connection_get_dispatch_status(c) == DBUS_DISPATCH_DATA_REMAINS)
			dbus_connection_dispatch(c);
		if (d->quit)
			break;
		scrub_message_cache();

		pfd[n] = (struct pollfd){ .fd = d->notify_fd, .events = POLLIN };
		pw[n++] = NULL;
		pfd[n] = (struct pollfd){ .fd = d->signal_fd, .events = POLLIN };
		pw[n++] = NULL;
		for (struct eidd_watch *x = d->watches; x && n < MAX_WATCHES + 2; x = x->next) {
			unsigned fl = dbus_watch_get_flags(x->w);

			if (!dbus_watch_get_enabled(x->w))
				continue;
			pfd[n] = (struct pollfd){ .fd = dbus_watch_get_unix_fd(x->w) };
			if (fl & DBUS_WATCH_READABLE)
				pfd[n].events |= POLLIN;
			if (fl & DBUS_WATCH_WRITABLE)
				pfd[n].events |= POLLOUT;
			pw[n++] = x->w;
		}
		now = eidd_now_ms();
		for (struct eidd_timeout *x = d->timeouts; x; x = x->next)
			if (dbus_timeout_get_enabled(x->t) && x->due < next_due)
				next_due = x->due;
		for (struct eidd_session *s = d->sessions; s; s = s->next)
			if (!s->closed && s->expires_ms < next_due)
				next_due = s->expires_ms;
		timeout = next_due == UINT64_MAX ? -1 :
			  next_due <= now ? 0 :
			  next_due - now > 60000 ? 60000 : (int)(next_due - now);
		if (poll(pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %m");
			return -EID_ETRANSPORT;
		}
		if (pfd[0].revents & POLLIN) {
			uint64_t v;

			if (read(d->notify_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				log_debug("notify read: %m");
		}
		if (pfd[1].revents & POLLIN)
			handle_signals(d);
		for (size_t i = 2; i < n; i++) {
			unsigned fl = 0;

			if (!pfd[i].revents || !watch_known(d, pw[i]))
				continue;
			if (pfd[i].revents & POLLIN)
				fl |= DBUS_WATCH_READABLE;
			if (pfd[i].revents & POLLOUT)
				fl |= DBUS_WATCH_WRITABLE;
			if (pfd[i].revents & POLLERR)
				fl |= DBUS_WATCH_ERROR;
			if (pfd[i].revents & POLLHUP)
				fl |= DBUS_WATCH_HANGUP;
			dbus_watch_handle(pw[i], fl);
		}
		now = eidd_now_ms();
		for (struct eidd_timeout *x = d->timeouts; x; x = x->next) {
			if (dbus_timeout_get_enabled(x->t) && x->due <= now) {
				x->due = now + (uint64_t)dbus_timeout_get_interval(x->t);
				dbus_timeout_handle(x->t);
				break; /* the list may have changed */
			}
		}
	}
	return 0;
}
