/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidctl: command-line client of eidd over D-Bus.
 *
 *   eidctl [--system|--session|--address ADDR] readers [--json]
 *   eidctl ... watch [--count N]
 *   eidctl ... read [options]          (see eidctl_read.c)
 *   eidctl ... diagnostics [--json]
 *   eidctl ... reload
 *
 * Everything that comes back from the bus is read through libdbus's typed
 * iterators, and every type is checked before a value is taken.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "eidctl.h"

volatile sig_atomic_t eidctl_interrupted;

void eidctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("eidctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void eidctl_dbus_err(const char *what, const DBusError *e)
{
	if (what)
		eidctl_err("%s: %s: %s", what, e->name ? e->name : "error",
			   e->message ? e->message : "");
	else
		eidctl_err("%s: %s", e->name ? e->name : "error", e->message ? e->message : "");
}

DBusMessage *eidctl_method(const char *path, const char *iface, const char *member)
{
	DBusMessage *m = dbus_message_new_method_call(EIDD_BUS_NAME, path, iface, member);

	if (!m) {
		eidctl_err("out of memory");
		exit(EIDCTL_EXIT_ERROR);
	}
	return m;
}

DBusMessage *eidctl_call(DBusConnection *c, DBusMessage *m, const char *what)
{
	DBusError e;
	DBusMessage *reply;

	dbus_error_init(&e);
	reply = dbus_connection_send_with_reply_and_block(c, m, DBUS_TIMEOUT_USE_DEFAULT, &e);
	if (!reply) {
		eidctl_dbus_err(what, &e);
		dbus_error_free(&e);
	}
	return reply;
}

/* ---- D-Bus values as JSON ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *eidctl_base64(const uint8_t *p, size_t n)
{
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64[(v >> 18) & 63];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static struct json_object *basic_json(DBusMessageIter *it, int type)
{
	switch (type) {
	case DBUS_TYPE_STRING:
	case DBUS_TYPE_OBJECT_PATH:
	case DBUS_TYPE_SIGNATURE: {
		const char *s;

		dbus_message_iter_get_basic(it, &s);
		return json_object_new_string(s);
	}
	case DBUS_TYPE_BOOLEAN: {
		dbus_bool_t b;

		dbus_message_iter_get_basic(it, &b);
		return json_object_new_boolean(b);
	}
	case DBUS_TYPE_DOUBLE: {
		double d;

		dbus_message_iter_get_basic(it, &d);
		return json_object_new_double(d);
	}
	case DBUS_TYPE_BYTE: {
		uint8_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_INT16: {
		int16_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_UINT16: {
		uint16_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_INT32: {
		int32_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_UINT32: {
		uint32_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_INT64: {
		int64_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v);
	}
	case DBUS_TYPE_UINT64: {
		uint64_t v;

		dbus_message_iter_get_basic(it, &v);
		return json_object_new_uint64(v);
	}
	case DBUS_TYPE_UNIX_FD:
		return NULL;
	}
	return NULL;
}

struct json_object *eidctl_iter_json(DBusMessageIter *it, bool omit_bytes)
{
	int type = dbus_message_iter_get_arg_type(it);
	DBusMessageIter sub;
	struct json_object *o;

	if (type == DBUS_TYPE_VARIANT) {
		dbus_message_iter_recurse(it, &sub);
		return eidctl_iter_json(&sub, omit_bytes);
	}
	if (type == DBUS_TYPE_ARRAY) {
		int et = dbus_message_iter_get_element_type(it);

		dbus_message_iter_recurse(it, &sub);
		if (et == DBUS_TYPE_BYTE) {
			const uint8_t *p;
			int n;
			char *s;

			if (omit_bytes)
				return NULL;
			dbus_message_iter_get_fixed_array(&sub, &p, &n);
			s = eidctl_base64(p, n < 0 ? 0 : (size_t)n);
			o = s ? json_object_new_string(s) : NULL;
			free(s);
			return o;
		}
		if (et == DBUS_TYPE_DICT_ENTRY) {
			o = json_object_new_object();
			for (; dbus_message_iter_get_arg_type(&sub) == DBUS_TYPE_DICT_ENTRY;
			     dbus_message_iter_next(&sub)) {
				DBusMessageIter de;
				struct json_object *v;
				const char *key;
				char num[32];
				int kt;

				dbus_message_iter_recurse(&sub, &de);
				kt = dbus_message_iter_get_arg_type(&de);
				if (kt == DBUS_TYPE_STRING || kt == DBUS_TYPE_OBJECT_PATH) {
					dbus_message_iter_get_basic(&de, &key);
				} else {
					struct json_object *k = basic_json(&de, kt);

					snprintf(num, sizeof(num), "%s",
						 k ? json_object_get_string(k) : "?");
					json_object_put(k);
					key = num;
				}
				dbus_message_iter_next(&de);
				v = eidctl_iter_json(&de, omit_bytes);
				if (v)
					json_object_object_add(o, key, v);
			}
			return o;
		}
		o = json_object_new_array();
		for (; dbus_message_iter_get_arg_type(&sub) != DBUS_TYPE_INVALID;
		     dbus_message_iter_next(&sub)) {
			struct json_object *v = eidctl_iter_json(&sub, omit_bytes);

			if (v)
				json_object_array_add(o, v);
		}
		return o;
	}
	if (type == DBUS_TYPE_STRUCT || type == DBUS_TYPE_DICT_ENTRY) {
		o = json_object_new_array();
		dbus_message_iter_recurse(it, &sub);
		for (; dbus_message_iter_get_arg_type(&sub) != DBUS_TYPE_INVALID;
		     dbus_message_iter_next(&sub)) {
			struct json_object *v = eidctl_iter_json(&sub, omit_bytes);

			json_object_array_add(o, v);
		}
		return o;
	}
	return basic_json(it, type);
}

const char *eidctl_json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool prop_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
	       json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

struct json_object *eidctl_get_all(DBusConnection *c, const char *path, const char *iface)
{
	DBusMessage *m = eidctl_method(path, DBUS_PROPS_IFACE, "GetAll"), *reply;
	DBusMessageIter it;
	struct json_object *o = NULL;

	dbus_message_append_args(m, DBUS_TYPE_STRING, &iface, DBUS_TYPE_INVALID);
	reply = eidctl_call(c, m, "GetAll");
	dbus_message_unref(m);
	if (!reply)
		return NULL;
	if (dbus_message_iter_init(reply, &it) &&
	    dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY &&
	    dbus_message_iter_get_element_type(&it) == DBUS_TYPE_DICT_ENTRY)
		o = eidctl_iter_json(&it, true);
	else
		eidctl_err("GetAll: unexpected reply");
	dbus_message_unref(reply);
	return o;
}

/* GetReaders as a JSON array of object paths (NULL on error, reported). */
static struct json_object *get_readers(DBusConnection *c)
{
	DBusMessage *m = eidctl_method(EIDD_MANAGER_PATH, EIDD_MANAGER_IFACE, "GetReaders");
	DBusMessage *reply = eidctl_call(c, m, "GetReaders");
	DBusMessageIter it;
	struct json_object *o = NULL;

	dbus_message_unref(m);
	if (!reply)
		return NULL;
	if (dbus_message_iter_init(reply, &it) &&
	    dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY &&
	    dbus_message_iter_get_element_type(&it) == DBUS_TYPE_OBJECT_PATH)
		o = eidctl_iter_json(&it, true);
	else
		eidctl_err("GetReaders: unexpected reply");
	dbus_message_unref(reply);
	return o;
}

/* The number at the end of a reader's object path ("" if none). */
static const char *path_number(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : "";
}

int eidctl_pick_reader(DBusConnection *c, const char *want, char *path, size_t size)
{
	struct json_object *readers = get_readers(c), *props;
	const char *chosen = NULL, *first = NULL;
	size_t n;
	int ret = -1;

	if (!readers)
		return -1;
	n = json_object_array_length(readers);
	for (size_t i = 0; i < n && !chosen; i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(readers, i));
		const char *name;

		if (want && !strcmp(want, path_number(p))) {
			chosen = p;
			break;
		}
		props = eidctl_get_all(c, p, EIDD_READER_IFACE);
		if (!props)
			continue;
		name = eidctl_json_str(props, "Name");
		if (want) {
			if (name && !strcmp(name, want))
				chosen = p;
		} else {
			if (!first)
				first = p;
			if (prop_bool(props, "CardPresent"))
				chosen = p;
		}
		json_object_put(props);
	}
	if (!chosen)
		chosen = want ? NULL : first;
	if (!chosen) {
		if (want)
			eidctl_err("no reader '%s' (see eidctl readers)", want);
		else
			eidctl_err("no reader");
		goto out;
	}
	snprintf(path, size, "%s", chosen);
	ret = 0;
out:
	json_object_put(readers);
	return ret;
}

/* ---- readers ---- */

static void print_reader(const char *path, struct json_object *p)
{
	const char *type = eidctl_json_str(p, "CardType");

	printf("%s: %s [%s]\n", path_number(path), eidctl_json_str(p, "Name") ?: "?",
	       eidctl_json_str(p, "Driver") ?: "?");
	if (prop_bool(p, "CardPresent"))
		printf("   card: %s\n", type && strcmp(type, "none") ? type : "present");
	else
		printf("   card: none\n");
	printf("   features:%s%s%s%s\n", prop_bool(p, "ExtendedLength") ? " extended-length" : "",
	       prop_bool(p, "HasPinPad") ? " pin-pad" : "",
	       prop_bool(p, "ReaderPace") ? " reader-pace" : "",
	       prop_bool(p, "Busy") ? " (busy)" : "");
}

static int cmd_readers(DBusConnection *c, int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	struct json_object *readers, *out = json_object_new_array();
	size_t n;
	int ret = EIDCTL_EXIT_ERROR;

	if (argc > (json ? 2 : 1)) {
		eidctl_err("usage: eidctl readers [--json]");
		goto out;
	}
	readers = get_readers(c);
	if (!readers)
		goto out;
	n = json_object_array_length(readers);
	if (n == 0 && !json)
		printf("no readers\n");
	for (size_t i = 0; i < n; i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(readers, i));
		struct json_object *props = eidctl_get_all(c, p, EIDD_READER_IFACE);

		if (!props) {
			json_object_put(readers);
			goto out;
		}
		if (json) {
			json_object_object_add(props, "path", json_object_new_string(p));
			json_object_array_add(out, props);
		} else {
			print_reader(p, props);
			json_object_put(props);
		}
	}
	json_object_put(readers);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	ret = EIDCTL_EXIT_OK;
out:
	json_object_put(out);
	return ret;
}

/* ---- watch ---- */

static bool add_match(DBusConnection *c, const char *rule)
{
	DBusError e;

	dbus_error_init(&e);
	dbus_bus_add_match(c, rule, &e);
	if (dbus_error_is_set(&e)) {
		eidctl_dbus_err("AddMatch", &e);
		dbus_error_free(&e);
		return false;
	}
	return true;
}

static void print_changed(DBusMessage *msg)
{
	DBusMessageIter it;
	const char *iface;
	struct json_object *changed;

	if (!dbus_message_iter_init(msg, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRING)
		return;
	dbus_message_iter_get_basic(&it, &iface);
	dbus_message_iter_next(&it);
	if (dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY)
		return;
	changed = eidctl_iter_json(&it, true);
	printf("changed %s:", path_number(dbus_message_get_path(msg)));
	json_object_object_foreach(changed, k, v)
		printf(" %s=%s", k, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	printf("\n");
	json_object_put(changed);
}

static void print_added(DBusConnection *c, DBusMessage *msg, bool added)
{
	DBusMessageIter it;
	const char *path;

	if (!dbus_message_iter_init(msg, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_OBJECT_PATH)
		return;
	dbus_message_iter_get_basic(&it, &path);
	if (strncmp(path, EIDD_READER_PREFIX, strlen(EIDD_READER_PREFIX)))
		return;
	if (added) {
		struct json_object *ifaces, *props;

		dbus_message_iter_next(&it);
		ifaces = eidctl_iter_json(&it, true);
		if (ifaces && json_object_object_get_ex(ifaces, EIDD_READER_IFACE, &props)) {
			printf("reader added ");
			print_reader(path, props);
		} else {
			printf("reader added %s\n", path_number(path));
		}
		json_object_put(ifaces);
	} else {
		printf("reader removed %s\n", path_number(path));
	}
	(void)c;
}

static int cmd_watch(DBusConnection *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long count = -1, seen = 0;
	struct json_object *readers;
	int o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		char *end;

		switch (o) {
		case 'n':
			errno = 0;
			count = strtol(optarg, &end, 10);
			if (errno || *end || count < 1) {
				eidctl_err("watch: --count wants a positive number");
				return EIDCTL_EXIT_ERROR;
			}
			break;
		case 'h':
			printf("Usage: eidctl watch [--count N]\n"
			       "Shows readers and cards as they change until interrupted\n"
			       "(or after N events).\n");
			return EIDCTL_EXIT_OK;
		default:
			return EIDCTL_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		eidctl_err("usage: eidctl watch [--count N]");
		return EIDCTL_EXIT_ERROR;
	}
	if (!add_match(c, "type='signal',sender='" EIDD_BUS_NAME "',interface='" DBUS_OM_IFACE
			  "',path='" EIDD_MANAGER_PATH "'") ||
	    !add_match(c, "type='signal',sender='" EIDD_BUS_NAME "',interface='" DBUS_PROPS_IFACE
			  "',member='PropertiesChanged',path_namespace='/org/eidd/Eidd1/Reader'") ||
	    !add_match(c, "type='signal',sender='org.freedesktop.DBus',"
			  "member='NameOwnerChanged',arg0='" EIDD_BUS_NAME "'"))
		return EIDCTL_EXIT_ERROR;

	/* what is there now (not counted as events) */
	readers = get_readers(c);
	if (!readers)
		return EIDCTL_EXIT_ERROR;
	for (size_t i = 0; i < json_object_array_length(readers); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(readers, i));
		struct json_object *props = eidctl_get_all(c, p, EIDD_READER_IFACE);

		if (props)
			print_reader(p, props);
		json_object_put(props);
	}
	json_object_put(readers);
	fflush(stdout);

	while (!eidctl_interrupted && (count < 0 || seen < count)) {
		DBusMessage *msg;

		if (!dbus_connection_read_write(c, 200)) {
			eidctl_err("watch: disconnected from the bus");
			return EIDCTL_EXIT_ERROR;
		}
		while ((msg = dbus_connection_pop_message(c))) {
			bool counted = true;

			if (dbus_message_is_signal(msg, DBUS_PROPS_IFACE, "PropertiesChanged") &&
			    dbus_message_get_path(msg) &&
			    !strncmp(dbus_message_get_path(msg), EIDD_READER_PREFIX,
				     strlen(EIDD_READER_PREFIX)))
				print_changed(msg);
			else if (dbus_message_is_signal(msg, DBUS_OM_IFACE, "InterfacesAdded"))
				print_added(c, msg, true);
			else if (dbus_message_is_signal(msg, DBUS_OM_IFACE, "InterfacesRemoved"))
				print_added(c, msg, false);
			else if (dbus_message_is_signal(msg, DBUS_INTERFACE_DBUS, "NameOwnerChanged")) {
				const char *name, *old, *new;

				if (dbus_message_get_args(msg, NULL, DBUS_TYPE_STRING, &name,
							  DBUS_TYPE_STRING, &old, DBUS_TYPE_STRING,
							  &new, DBUS_TYPE_INVALID))
					printf("eidd %s the bus\n", *new ? "joined" : "left");
			} else if (dbus_message_is_signal(msg, DBUS_INTERFACE_LOCAL, "Disconnected")) {
				dbus_message_unref(msg);
				eidctl_err("watch: disconnected from the bus");
				return EIDCTL_EXIT_ERROR;
			} else {
				counted = false;
			}
			dbus_message_unref(msg);
			fflush(stdout);
			if (counted && ++seen == count)
				break;
		}
	}
	return EIDCTL_EXIT_OK;
}

/* ---- diagnostics, reload ---- */

static void print_tree(struct json_object *o, int indent)
{
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			bool nested = json_object_is_type(v, json_type_object) ||
				      (json_object_is_type(v, json_type_array) &&
				       json_object_array_length(v) > 0 &&
				       !json_object_is_type(json_object_array_get_idx(v, 0),
							    json_type_string));

			printf("%*s%s:", indent, "", k);
			if (nested) {
				printf("\n");
				print_tree(v, indent + 2);
			} else if (json_object_is_type(v, json_type_array)) {
				for (size_t i = 0; i < json_object_array_length(v); i++)
					printf("%s %s", i ? "," : "",
					       json_object_get_string(json_object_array_get_idx(v, i)));
				printf("\n");
			} else {
				printf(" %s\n", json_object_get_string(v));
			}
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			printf("%*s- %zu\n", indent, "", i);
			print_tree(json_object_array_get_idx(o, i), indent + 2);
		}
	} else {
		printf("%*s%s\n", indent, "", json_object_get_string(o));
	}
}

static int cmd_diagnostics(DBusConnection *c, int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	DBusMessage *m, *reply;
	DBusMessageIter it;
	struct json_object *o;

	if (argc > (json ? 2 : 1)) {
		eidctl_err("usage: eidctl diagnostics [--json]");
		return EIDCTL_EXIT_ERROR;
	}
	m = eidctl_method(EIDD_MANAGER_PATH, EIDD_MANAGER_IFACE, "GetDiagnostics");
	reply = eidctl_call(c, m, NULL);
	dbus_message_unref(m);
	if (!reply)
		return EIDCTL_EXIT_ERROR;
	if (!dbus_message_iter_init(reply, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY ||
	    dbus_message_iter_get_element_type(&it) != DBUS_TYPE_DICT_ENTRY) {
		dbus_message_unref(reply);
		eidctl_err("GetDiagnostics: unexpected reply");
		return EIDCTL_EXIT_ERROR;
	}
	o = eidctl_iter_json(&it, true);
	dbus_message_unref(reply);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_tree(o, 0);
	json_object_put(o);
	return EIDCTL_EXIT_OK;
}

static int cmd_reload(DBusConnection *c, int argc, char **argv)
{
	DBusMessage *m, *reply;

	(void)argv;
	if (argc != 1) {
		eidctl_err("usage: eidctl reload");
		return EIDCTL_EXIT_ERROR;
	}
	m = eidctl_method(EIDD_MANAGER_PATH, EIDD_MANAGER_IFACE, "ReloadTrustStore");
	reply = eidctl_call(c, m, NULL);
	dbus_message_unref(m);
	if (!reply)
		return EIDCTL_EXIT_ERROR;
	dbus_message_unref(reply);
	printf("trust store reloaded\n");
	return EIDCTL_EXIT_OK;
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eidctl [--system|--session|--address ADDR] COMMAND [options]\n"
		"\n"
		"Client of eidd, the eID and e-passport reader service (org.eidd.Eidd1).\n"
		"\n"
		"Commands:\n"
		"  readers [--json]        the readers and their cards\n"
		"  watch [--count N]       readers and cards as they change (Ctrl-C ends)\n"
		"  read [options]          read the document in a reader (read --help)\n"
		"  diagnostics [--json]    versions, readers, trust store, terminal credentials\n"
		"  reload                  reload the trust store\n"
		"\n"
		"Bus: --system (default), --session, or --address ADDR.\n"
		"Exit codes: 0 verified (or done), 1 read but not verified, 2 error.\n");
}

static void on_signal(int sig)
{
	(void)sig;
	eidctl_interrupted = 1;
}

int main(int argc, char **argv)
{
	const char *address = NULL;
	DBusBusType bus = DBUS_BUS_SYSTEM;
	DBusConnection *c = NULL;
	DBusError e;
	struct sigaction sa;
	int i, ret = EIDCTL_EXIT_ERROR;
	bool help = false;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--system")) {
			bus = DBUS_BUS_SYSTEM;
			address = NULL;
		} else if (!strcmp(argv[i], "--session")) {
			bus = DBUS_BUS_SESSION;
			address = NULL;
		} else if (!strcmp(argv[i], "--address") && i + 1 < argc) {
			address = argv[++i];
		} else if (!strncmp(argv[i], "--address=", 10)) {
			address = argv[i] + 10;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EIDCTL_EXIT_OK;
		} else {
			usage(stderr);
			return EIDCTL_EXIT_ERROR;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EIDCTL_EXIT_ERROR;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a prompt returns on Ctrl-C */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* "COMMAND --help" needs no bus */
	for (int k = i + 1; k < argc; k++)
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h"))
			help = true;
	dbus_error_init(&e);
	if (help) {
		c = NULL;
	} else if (address) {
		c = dbus_connection_open_private(address, &e);
		if (c && !dbus_bus_register(c, &e)) {
			dbus_connection_close(c);
			dbus_connection_unref(c);
			c = NULL;
		}
	} else {
		c = dbus_bus_get_private(bus, &e);
	}
	if (!c && !help) {
		eidctl_dbus_err("cannot connect to the bus", &e);
		dbus_error_free(&e);
		return EIDCTL_EXIT_ERROR;
	}
	if (c)
		dbus_connection_set_exit_on_disconnect(c, FALSE);

	argc -= i;
	argv += i;
	if (!strcmp(argv[0], "readers"))
		ret = cmd_readers(c, argc, argv);
	else if (!strcmp(argv[0], "watch"))
		ret = cmd_watch(c, argc, argv);
	else if (!strcmp(argv[0], "read"))
		ret = eidctl_read_main(c, argc, argv);
	else if (!strcmp(argv[0], "diagnostics"))
		ret = cmd_diagnostics(c, argc, argv);
	else if (!strcmp(argv[0], "reload"))
		ret = cmd_reload(c, argc, argv);
	else {
		eidctl_err("unknown command '%s'", argv[0]);
		usage(stderr);
	}
	if (c) {
		dbus_connection_flush(c);
		dbus_connection_close(c);
		dbus_connection_unref(c);
	}
	return ret;
}
