/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidctl read: StartRead on a reader, follow the session through its
 * signals (progress on stderr), supply a missing secret typed on the
 * terminal without echo, then GetResult and Close.  The result is printed
 * for people, or as JSON with the keys of the D-Bus result.
 *
 * Secrets given on the command line are copied and wiped from argv at once;
 * our copies are wiped after they were put into the D-Bus message.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "buf.h"
#include "lds.h"
#include "diag.h"
#include "eidctl.h"

#define SECRET_MAX 128

/* diag_write_face() (tools/diag_image.c) reports through this. */
void diag_err(const char *fmt, ...)
{
	va_list ap;

	fputs("eidctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct read_args {
	const char *reader, *dgs, *face, *document, *wait_card;
	char can[SECRET_MAX], pin[SECRET_MAX], puk[SECRET_MAX], mrz[SECRET_MAX * 2];
	char doc_number[SECRET_MAX], dob[SECRET_MAX], doe[SECRET_MAX];
	bool json, raw, no_bac;
};

struct session {
	char path[256];
	char state[32], step[64], secret_requested[16], error[128];
	double progress;
	int retry_counter;
	bool on_pin_pad, asked, completed;
	char outcome[32], error_name[256], message[512];
};

static void read_usage(FILE *f)
{
	fprintf(f,
		"Usage: eidctl read [--reader N|NAME] [--can N|--pin N|--puk N|--mrz TEXT|\n"
		"                   --doc-number X --dob YYMMDD --doe YYMMDD] [--dg DG1,DG2]\n"
		"                   [--face FILE] [--json] [--raw] [--wait-card MS]\n"
		"                   [--document auto|icao-mrtd|de-eid] [--no-bac]\n"
		"\n"
		"  --reader N|NAME   reader number (eidctl readers) or name; default: the first\n"
		"                    reader with a card\n"
		"  --can, --pin, --puk, --mrz, --doc-number/--dob/--doe\n"
		"                    the password; a missing one is asked for on the terminal\n"
		"  --dg LIST         data groups to read (default: those naming the holder)\n"
		"  --face FILE       also read the photo and write it to FILE (JPEG as it is,\n"
		"                    JPEG 2000 converted to PNG)\n"
		"  --json            print the result as JSON (bytes as base64; the photo's\n"
		"                    bytes only with --raw)\n"
		"  --raw             also return the raw bytes of every file read\n"
		"  --wait-card MS    wait this long for a card\n"
		"  --document KIND   fail unless the document is of this kind\n"
		"  --no-bac          do not fall back to BAC when the chip offers no PACE\n"
		"Exit codes: 0 verified, 1 read but not verified, 2 error.\n");
}

/* Copy a secret argument and wipe it from argv. */
static int take_secret(char *dst, size_t size, char *arg, const char *what)
{
	size_t n = strlen(arg);

	if (n >= size) {
		eidctl_err("read: %s too long", what);
		eid_wipe(arg, n);
		return -1;
	}
	memcpy(dst, arg, n + 1);
	eid_wipe(arg, n);
	return 0;
}

static int parse_args(struct read_args *a, int argc, char **argv)
{
	enum { O_CAN = 256, O_PIN, O_PUK, O_MRZ, O_DOCNR, O_DOB, O_DOE, O_DG, O_FACE, O_JSON,
	       O_RAW, O_WAIT, O_DOC, O_NOBAC, O_READER, O_HELP };
	static const struct option opts[] = {
		{ "reader", required_argument, NULL, O_READER },
		{ "can", required_argument, NULL, O_CAN },
		{ "pin", required_argument, NULL, O_PIN },
		{ "puk", required_argument, NULL, O_PUK },
		{ "mrz", required_argument, NULL, O_MRZ },
		{ "doc-number", required_argument, NULL, O_DOCNR },
		{ "dob", required_argument, NULL, O_DOB },
		{ "doe", required_argument, NULL, O_DOE },
		{ "dg", required_argument, NULL, O_DG },
		{ "face", required_argument, NULL, O_FACE },
		{ "json", no_argument, NULL, O_JSON },
		{ "raw", no_argument, NULL, O_RAW },
		{ "wait-card", required_argument, NULL, O_WAIT },
		{ "document", required_argument, NULL, O_DOC },
		{ "no-bac", no_argument, NULL, O_NOBAC },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	int o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case O_READER: a->reader = optarg; break;
		case O_CAN:
			if (take_secret(a->can, sizeof(a->can), optarg, "CAN"))
				return -1;
			break;
		case O_PIN:
			if (take_secret(a->pin, sizeof(a->pin), optarg, "PIN"))
				return -1;
			break;
		case O_PUK:
			if (take_secret(a->puk, sizeof(a->puk), optarg, "PUK"))
				return -1;
			break;
		case O_MRZ:
			if (take_secret(a->mrz, sizeof(a->mrz), optarg, "MRZ"))
				return -1;
			break;
		case O_DOCNR:
			if (take_secret(a->doc_number, sizeof(a->doc_number), optarg,
					"document number"))
				return -1;
			break;
		case O_DOB:
			if (take_secret(a->dob, sizeof(a->dob), optarg, "date of birth"))
				return -1;
			break;
		case O_DOE:
			if (take_secret(a->doe, sizeof(a->doe), optarg, "date of expiry"))
				return -1;
			break;
		case O_DG: a->dgs = optarg; break;
		case O_FACE: a->face = optarg; break;
		case O_JSON: a->json = true; break;
		case O_RAW: a->raw = true; break;
		case O_WAIT: a->wait_card = optarg; break;
		case O_DOC: a->document = optarg; break;
		case O_NOBAC: a->no_bac = true; break;
		case O_HELP:
			read_usage(stdout);
			exit(EIDCTL_EXIT_OK);
		default:
			read_usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		read_usage(stderr);
		return -1;
	}
	if ((a->doc_number[0] || a->dob[0] || a->doe[0]) &&
	    !(a->doc_number[0] && a->dob[0] && a->doe[0])) {
		eidctl_err("read: --doc-number, --dob and --doe go together");
		return -1;
	}
	if (a->document && strcmp(a->document, "auto") && strcmp(a->document, "icao-mrtd") &&
	    strcmp(a->document, "de-eid")) {
		eidctl_err("read: --document wants auto, icao-mrtd or de-eid");
		return -1;
	}
	if (a->document && !strcmp(a->document, "auto"))
		a->document = NULL;
	return 0;
}

static void wipe_args(struct read_args *a)
{
	eid_wipe(a->can, sizeof(a->can));
	eid_wipe(a->pin, sizeof(a->pin));
	eid_wipe(a->puk, sizeof(a->puk));
	eid_wipe(a->mrz, sizeof(a->mrz));
	eid_wipe(a->doc_number, sizeof(a->doc_number));
	eid_wipe(a->dob, sizeof(a->dob));
	eid_wipe(a->doe, sizeof(a->doe));
}

/* ---- options a{sv} ---- */

static void dict_add(DBusMessageIter *arr, const char *key, int type, const char *sig,
		     const void *val)
{
	DBusMessageIter e, v;

	dbus_message_iter_open_container(arr, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, sig, &v);
	dbus_message_iter_append_basic(&v, type, val);
	dbus_message_iter_close_container(&e, &v);
	dbus_message_iter_close_container(arr, &e);
}

static void dict_add_str(DBusMessageIter *arr, const char *key, const char *s)
{
	dict_add(arr, key, DBUS_TYPE_STRING, "s", &s);
}

static void dict_add_bool(DBusMessageIter *arr, const char *key, bool b)
{
	dbus_bool_t v = b;

	dict_add(arr, key, DBUS_TYPE_BOOLEAN, "b", &v);
}

static int dict_add_dgs(DBusMessageIter *arr, const char *key, const char *list)
{
	DBusMessageIter e, v, a;
	char *copy = strdup(list), *save = NULL;

	if (!copy)
		return -1;
	dbus_message_iter_open_container(arr, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "as", &v);
	dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "s", &a);
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		const char *s = t;

		dbus_message_iter_append_basic(&a, DBUS_TYPE_STRING, &s);
	}
	dbus_message_iter_close_container(&v, &a);
	dbus_message_iter_close_container(&e, &v);
	dbus_message_iter_close_container(arr, &e);
	free(copy);
	return 0;
}

static DBusMessage *start_read_message(const char *reader, const struct read_args *a)
{
	DBusMessage *m = eidctl_method(reader, EIDD_READER_IFACE, "StartRead");
	DBusMessageIter it, arr;

	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &arr);
	if (a->dgs)
		dict_add_dgs(&arr, "data_groups", a->dgs);
	if (a->face)
		dict_add_bool(&arr, "face", true);
	if (a->raw)
		dict_add_bool(&arr, "raw", true);
	if (a->no_bac)
		dict_add_bool(&arr, "allow_bac", false);
	if (a->wait_card) {
		char *end;
		unsigned long ms;

		errno = 0;
		ms = strtoul(a->wait_card, &end, 10);
		if (errno || *end || !*a->wait_card || ms > UINT32_MAX) {
			eidctl_err("read: --wait-card wants milliseconds");
			dbus_message_unref(m);
			return NULL;
		}
		dbus_uint32_t v = (dbus_uint32_t)ms;

		dict_add(&arr, "wait_for_card_ms", DBUS_TYPE_UINT32, "u", &v);
	}
	/* the password named on the command line decides the access */
	if (a->pin[0]) {
		dict_add_str(&arr, "access", "pin");
		dict_add_str(&arr, "pin", a->pin);
	} else if (a->can[0]) {
		dict_add_str(&arr, "access", "can");
	} else if (a->mrz[0] || a->doc_number[0]) {
		dict_add_str(&arr, "access", "mrz");
	}
	if (a->can[0])
		dict_add_str(&arr, "can", a->can);
	if (a->puk[0])
		dict_add_str(&arr, "puk", a->puk);
	if (a->mrz[0])
		dict_add_str(&arr, "mrz", a->mrz);
	if (a->doc_number[0]) {
		dict_add_str(&arr, "mrz_document_number", a->doc_number);
		dict_add_str(&arr, "mrz_date_of_birth", a->dob);
		dict_add_str(&arr, "mrz_date_of_expiry", a->doe);
	}
	dbus_message_iter_close_container(&it, &arr);
	return m;
}

/* ---- the session ---- */

static void copy_str(char *dst, size_t size, struct json_object *o, const char *key)
{
	const char *s = eidctl_json_str(o, key);

	if (s)
		snprintf(dst, size, "%s", s);
}

static bool terminal_state(const char *s)
{
	return !strcmp(s, "done") || !strcmp(s, "failed") || !strcmp(s, "cancelled");
}

static void apply_props(struct session *s, struct json_object *p, bool quiet)
{
	struct json_object *v;
	char old_step[sizeof(s->step)], old_state[sizeof(s->state)];

	memcpy(old_step, s->step, sizeof(old_step));
	memcpy(old_state, s->state, sizeof(old_state));
	copy_str(s->state, sizeof(s->state), p, "State");
	copy_str(s->step, sizeof(s->step), p, "Step");
	copy_str(s->secret_requested, sizeof(s->secret_requested), p, "SecretRequested");
	copy_str(s->error, sizeof(s->error), p, "Error");
	if (json_object_object_get_ex(p, "Progress", &v))
		s->progress = json_object_get_double(v);
	if (json_object_object_get_ex(p, "RetryCounter", &v))
		s->retry_counter = json_object_get_int(v);
	if (json_object_object_get_ex(p, "SecretOnPinPad", &v))
		s->on_pin_pad = json_object_get_boolean(v);
	if (strcmp(s->state, "need-secret"))
		s->asked = false;
	if (quiet)
		return;
	if (strcmp(old_state, s->state) || strcmp(old_step, s->step))
		fprintf(stderr, "[%3d%%] %s%s%s\n", (int)(s->progress * 100 + 0.5), s->state,
			s->step[0] ? ": " : "", s->step);
}

static bool session_signal(DBusMessage *msg, const struct session *s)
{
	const char *path = dbus_message_get_path(msg);

	return path && !strcmp(path, s->path);
}

static void handle_message(struct session *s, DBusMessage *msg, bool quiet)
{
	if (dbus_message_is_signal(msg, DBUS_PROPS_IFACE, "PropertiesChanged") &&
	    session_signal(msg, s)) {
		DBusMessageIter it;
		const char *iface;

		if (!dbus_message_iter_init(msg, &it) ||
		    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRING)
			return;
		dbus_message_iter_get_basic(&it, &iface);
		if (strcmp(iface, EIDD_SESSION_IFACE))
			return;
		dbus_message_iter_next(&it);
		if (dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY) {
			struct json_object *p = eidctl_iter_json(&it, true);

			apply_props(s, p, quiet);
			json_object_put(p);
		}
	} else if (dbus_message_is_signal(msg, EIDD_SESSION_IFACE, "Completed") &&
		   session_signal(msg, s)) {
		const char *outcome, *name, *message;

		if (dbus_message_get_args(msg, NULL, DBUS_TYPE_STRING, &outcome, DBUS_TYPE_STRING,
					  &name, DBUS_TYPE_STRING, &message, DBUS_TYPE_INVALID)) {
			snprintf(s->outcome, sizeof(s->outcome), "%s", outcome);
			snprintf(s->error_name, sizeof(s->error_name), "%s", name);
			snprintf(s->message, sizeof(s->message), "%s", message);
			s->completed = true;
		}
	} else if (dbus_message_is_signal(msg, DBUS_INTERFACE_DBUS, "NameOwnerChanged")) {
		const char *name, *old, *new;

		if (dbus_message_get_args(msg, NULL, DBUS_TYPE_STRING, &name, DBUS_TYPE_STRING,
					  &old, DBUS_TYPE_STRING, &new, DBUS_TYPE_INVALID) &&
		    !strcmp(name, EIDD_BUS_NAME) && !*new) {
			snprintf(s->outcome, sizeof(s->outcome), "failed");
			snprintf(s->error_name, sizeof(s->error_name), "eidd left the bus");
			s->message[0] = '\0';
			s->completed = true;
		}
	}
}

/* A line typed on the terminal without echo; -1 when stdin is no terminal. */
static int prompt_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	size_t n;
	bool ok;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old))
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet))
		return -1;
	fprintf(stderr, "%s: ", prompt);
	fflush(stderr);
	ok = fgets(buf, (int)size, stdin) != NULL;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	if (!ok || eidctl_interrupted) {
		eid_wipe(buf, size);
		return -1;
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

static int call_session(DBusConnection *c, const struct session *s, DBusMessage *m,
			const char *what)
{
	DBusMessage *reply = eidctl_call(c, m, what);

	dbus_message_unref(m);
	if (!reply)
		return -1;
	dbus_message_unref(reply);
	return 0;
}

static const char *secret_name(const char *kind)
{
	if (!strcmp(kind, "can"))
		return "CAN";
	if (!strcmp(kind, "pin"))
		return "PIN";
	if (!strcmp(kind, "puk"))
		return "PUK";
	if (!strcmp(kind, "mrz"))
		return "MRZ";
	return kind;
}

/* The session asks for a secret: type it, or fail with NeedSecret. */
static int supply_secret(DBusConnection *c, struct session *s)
{
	const char *kind = s->secret_requested;
	char prompt[128], v[3][SECRET_MAX];
	DBusMessage *m;
	int r = -1;

	s->asked = true;
	if (s->on_pin_pad) {
		fprintf(stderr, "enter the %s on the reader's keypad\n", secret_name(kind));
		return 0;
	}
	if (!isatty(STDIN_FILENO)) {
		eidctl_err("org.eidd.Eidd1.Error.NeedSecret: the document needs the %s "
			   "(--%s%s), and stdin is not a terminal to ask for it",
			   secret_name(kind), !strcmp(kind, "mrz") ? "mrz or --doc-number/--dob/--doe"
								 : kind, "");
		return -1;
	}
	if (s->retry_counter >= 0)
		fprintf(stderr, "%d %s left\n", s->retry_counter,
			s->retry_counter == 1 ? "try" : "tries");
	if (!strcmp(kind, "mrz")) {
		if (prompt_secret("Document number", v[0], sizeof(v[0])) ||
		    prompt_secret("Date of birth (YYMMDD)", v[1], sizeof(v[1])) ||
		    prompt_secret("Date of expiry (YYMMDD)", v[2], sizeof(v[2])))
			goto out;
		const char *a0 = v[0], *a1 = v[1], *a2 = v[2];

		m = eidctl_method(s->path, EIDD_SESSION_IFACE, "SupplyMrz");
		dbus_message_append_args(m, DBUS_TYPE_STRING, &a0, DBUS_TYPE_STRING, &a1,
					 DBUS_TYPE_STRING, &a2, DBUS_TYPE_INVALID);
	} else {
		snprintf(prompt, sizeof(prompt), "%s", secret_name(kind));
		if (prompt_secret(prompt, v[0], sizeof(v[0])))
			goto out;
		const char *a0 = v[0];

		m = eidctl_method(s->path, EIDD_SESSION_IFACE, "SupplySecret");
		dbus_message_append_args(m, DBUS_TYPE_STRING, &kind, DBUS_TYPE_STRING, &a0,
					 DBUS_TYPE_INVALID);
	}
	eid_wipe(v, sizeof(v));
	r = call_session(c, s, m, s->path[0] ? "SupplySecret" : NULL);
out:
	eid_wipe(v, sizeof(v));
	return r;
}

static void end_session(DBusConnection *c, struct session *s, bool cancel)
{
	if (cancel) {
		DBusMessage *m = eidctl_method(s->path, EIDD_SESSION_IFACE, "Cancel");
		DBusMessage *reply =
			dbus_connection_send_with_reply_and_block(c, m, 5000, NULL);

		dbus_message_unref(m);
		if (reply)
			dbus_message_unref(reply);
	}
	DBusMessage *m = eidctl_method(s->path, EIDD_SESSION_IFACE, "Close");
	DBusMessage *reply = dbus_connection_send_with_reply_and_block(c, m, 5000, NULL);

	dbus_message_unref(m);
	if (reply)
		dbus_message_unref(reply);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Follow the session until it ends; 0 when done, -1 otherwise (reported). */
static int follow(DBusConnection *c, struct session *s, bool quiet)
{
	struct json_object *p;
	double deadline = 0;

	p = eidctl_get_all(c, s->path, EIDD_SESSION_IFACE);
	if (!p)
		return -1;
	apply_props(s, p, quiet);
	json_object_put(p);

	for (;;) {
		DBusMessage *msg;

		while ((msg = dbus_connection_pop_message(c))) {
			handle_message(s, msg, quiet);
			dbus_message_unref(msg);
		}
		if (s->completed)
			break;
		if (terminal_state(s->state)) {
			/* wait a moment for Completed and its message */
			if (deadline == 0)
				deadline = now_s() + 1.0;
			else if (now_s() > deadline)
				break;
		}
		if (eidctl_interrupted) {
			eidctl_err("interrupted: cancelling the read");
			end_session(c, s, true);
			return -1;
		}
		if (!strcmp(s->state, "need-secret") && s->secret_requested[0] && !s->asked &&
		    supply_secret(c, s) < 0) {
			end_session(c, s, true);
			return -1;
		}
		if (!dbus_connection_read_write(c, 200)) {
			eidctl_err("disconnected from the bus");
			return -1;
		}
	}
	if (!s->completed)
		snprintf(s->outcome, sizeof(s->outcome), "%s", s->state);
	if (!strcmp(s->outcome, "done"))
		return 0;
	if (s->error_name[0] || s->error[0])
		eidctl_err("%s%s%s", s->error_name[0] ? s->error_name : s->error,
			   s->message[0] ? ": " : "", s->message);
	else
		eidctl_err("the read ended: %s", s->outcome);
	end_session(c, s, false);
	return -1;
}

/* ---- the result ---- */

struct face_bytes {
	uint8_t *data;
	size_t len;
};

/* The face image's bytes from the result a{sv} (copied). */
static void find_face(DBusMessageIter *result, struct face_bytes *f)
{
	DBusMessageIter arr, e, v, fd, fe, fv, bytes;

	dbus_message_iter_recurse(result, &arr);
	for (; dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY;
	     dbus_message_iter_next(&arr)) {
		const char *key;

		dbus_message_iter_recurse(&arr, &e);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_STRING)
			continue;
		dbus_message_iter_get_basic(&e, &key);
		if (strcmp(key, "face"))
			continue;
		dbus_message_iter_next(&e);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_VARIANT)
			return;
		dbus_message_iter_recurse(&e, &v);
		if (dbus_message_iter_get_arg_type(&v) != DBUS_TYPE_ARRAY ||
		    dbus_message_iter_get_element_type(&v) != DBUS_TYPE_DICT_ENTRY)
			return;
		dbus_message_iter_recurse(&v, &fd);
		for (; dbus_message_iter_get_arg_type(&fd) == DBUS_TYPE_DICT_ENTRY;
		     dbus_message_iter_next(&fd)) {
			const uint8_t *p;
			int n;

			dbus_message_iter_recurse(&fd, &fe);
			if (dbus_message_iter_get_arg_type(&fe) != DBUS_TYPE_STRING)
				continue;
			dbus_message_iter_get_basic(&fe, &key);
			if (strcmp(key, "data"))
				continue;
			dbus_message_iter_next(&fe);
			if (dbus_message_iter_get_arg_type(&fe) != DBUS_TYPE_VARIANT)
				return;
			dbus_message_iter_recurse(&fe, &fv);
			if (dbus_message_iter_get_arg_type(&fv) != DBUS_TYPE_ARRAY ||
			    dbus_message_iter_get_element_type(&fv) != DBUS_TYPE_BYTE)
				return;
			dbus_message_iter_recurse(&fv, &bytes);
			dbus_message_iter_get_fixed_array(&bytes, &p, &n);
			if (n <= 0)
				return;
			f->data = malloc((size_t)n);
			if (!f->data)
				return;
			memcpy(f->data, p, (size_t)n);
			f->len = (size_t)n;
			return;
		}
		return;
	}
}

static int write_face(const struct face_bytes *f, const char *path, const char **kind)
{
	struct eid_lds_face face;

	memset(&face, 0, sizeof(face));
	face.image_type = eid_lds_image_detect(f->data, f->len);
	if (!face.image_type) {
		eidctl_err("the face image is neither JPEG nor JPEG 2000");
		return -1;
	}
	face.image.data = f->data;
	face.image.len = f->len;
	*kind = face.image_type == EID_LDS_IMAGE_JPEG ? "JPEG" : "PNG from JPEG 2000";
	return diag_write_face(&face, path);
}

static void print_field(struct json_object *r, const char *label, const char *key)
{
	const char *s = eidctl_json_str(r, key);

	if (s)
		printf("%-18s %s\n", label, s);
}

static void print_result(struct json_object *r, const char *face_file, const char *face_kind)
{
	static const struct { const char *label, *key; } fields[] = {
		{ "Document", "document_kind" },
		{ "Type", "document_type" },
		{ "Issuing state", "issuing_state" },
		{ "Document number", "document_number" },
		{ "Date of expiry", "date_of_expiry" },
		{ "Family name", "family_name" },
		{ "Given names", "given_names" },
		{ "Birth name", "birth_name" },
		{ "Academic title", "academic_title" },
		{ "Artistic name", "artistic_name" },
		{ "Date of birth", "date_of_birth" },
		{ "Place of birth", "place_of_birth" },
		{ "Nationality", "nationality" },
		{ "Sex", "sex" },
		{ "Community ID", "community_id" },
	};
	static const char *const shown[] = { "address", "mrz", "face", "data_groups", "raw",
					     "verification" };
	struct json_object *v, *ver = NULL;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		print_field(r, fields[i].label, fields[i].key);
	/* other text fields the daemon may add (extensions) */
	json_object_object_foreach(r, key, val) {
		bool known = false;

		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && !known; i++)
			known = !strcmp(key, fields[i].key);
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]) && !known; i++)
			known = !strcmp(key, shown[i]);
		if (!known && json_object_is_type(val, json_type_string))
			printf("%-18s %s\n", key, json_object_get_string(val));
	}
	if (json_object_object_get_ex(r, "address", &v)) {
		printf("%-18s", "Address");
		json_object_object_foreach(v, k, a)
			printf(" %s=%s", k, json_object_get_string(a));
		printf("\n");
	}
	if (json_object_object_get_ex(r, "mrz", &v)) {
		char *mrz = strdup(json_object_get_string(v)), *save = NULL;
		bool first = true;

		for (char *l = mrz ? strtok_r(mrz, "\n", &save) : NULL; l;
		     l = strtok_r(NULL, "\n", &save), first = false)
			printf("%-18s %s\n", first ? "MRZ" : "", l);
		free(mrz);
	}
	if (json_object_object_get_ex(r, "face", &v)) {
		struct json_object *w, *h;

		printf("%-18s %s", "Face", eidctl_json_str(v, "mime") ?: "?");
		if (json_object_object_get_ex(v, "width", &w) &&
		    json_object_object_get_ex(v, "height", &h))
			printf(" %dx%d", json_object_get_int(w), json_object_get_int(h));
		if (face_file)
			printf(", written to %s (%s)", face_file, face_kind);
		printf("\n");
	}
	if (json_object_object_get_ex(r, "data_groups", &v)) {
		printf("%-18s", "Files read");
		for (size_t i = 0; i < json_object_array_length(v); i++)
			printf("%s %s", i ? "," : "",
			       json_object_get_string(json_object_array_get_idx(v, i)));
		printf("\n");
	}
	if (!json_object_object_get_ex(r, "verification", &ver))
		return;
	printf("\nVerification       %s\n", eidctl_json_str(ver, "verdict") ?: "?");
	json_object_object_foreach(ver, vk, vv) {
		if (!strcmp(vk, "verdict"))
			continue;
		if (json_object_is_type(vv, json_type_object)) {
			printf("  %-16s", vk);
			json_object_object_foreach(vv, hk, hv)
				printf(" %s=%s", hk, json_object_get_string(hv));
			printf("\n");
		} else {
			printf("  %-16s %s\n", vk, json_object_get_string(vv));
		}
	}
}

int eidctl_read_main(DBusConnection *c, int argc, char **argv)
{
	struct read_args a;
	struct session s;
	char reader[256];
	DBusMessage *m = NULL, *reply = NULL;
	DBusMessageIter it;
	struct json_object *result = NULL;
	struct face_bytes face = { NULL, 0 };
	const char *session_path, *kind, *face_kind = NULL, *verdict;
	int ret = EIDCTL_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	s.retry_counter = -1;
	if (parse_args(&a, argc, argv))
		goto out;
	if (eidctl_pick_reader(c, a.reader, reader, sizeof(reader)))
		goto out;

	/* subscribe before the session exists: nothing it says is missed */
	dbus_bus_add_match(c, "type='signal',sender='" EIDD_BUS_NAME
			      "',path_namespace='/org/eidd/Eidd1/Session'", NULL);
	dbus_bus_add_match(c, "type='signal',sender='org.freedesktop.DBus',"
			      "member='NameOwnerChanged',arg0='" EIDD_BUS_NAME "'", NULL);

	m = start_read_message(reader, &a);
	wipe_args(&a);
	if (!m)
		goto out;
	reply = eidctl_call(c, m, NULL);
	dbus_message_unref(m);
	m = NULL;
	if (!reply)
		goto out;
	if (!dbus_message_get_args(reply, NULL, DBUS_TYPE_OBJECT_PATH, &session_path,
				   DBUS_TYPE_INVALID)) {
		eidctl_err("StartRead: unexpected reply");
		goto out;
	}
	snprintf(s.path, sizeof(s.path), "%s", session_path);
	dbus_message_unref(reply);
	reply = NULL;

	if (follow(c, &s, false) < 0)
		goto out;

	m = eidctl_method(s.path, EIDD_SESSION_IFACE, "GetResult");
	reply = eidctl_call(c, m, "GetResult");
	dbus_message_unref(m);
	m = NULL;
	if (!reply) {
		end_session(c, &s, false);
		goto out;
	}
	if (!dbus_message_iter_init(reply, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY ||
	    dbus_message_iter_get_element_type(&it) != DBUS_TYPE_DICT_ENTRY) {
		eidctl_err("GetResult: unexpected reply");
		end_session(c, &s, false);
		goto out;
	}
	result = eidctl_iter_json(&it, false);
	find_face(&it, &face);
	dbus_message_unref(reply);
	reply = NULL;
	end_session(c, &s, false);

	/* the photo's bytes stay out of JSON unless --raw */
	if (!a.raw) {
		struct json_object *f;

		if (json_object_object_get_ex(result, "face", &f))
			json_object_object_del(f, "data");
	}
	kind = eidctl_json_str(result, "document_kind");
	if (a.document && (!kind || strcmp(kind, a.document))) {
		eidctl_err("the document is %s, not %s", kind ? kind : "of an unknown kind",
			   a.document);
		goto out;
	}
	if (a.face) {
		if (!face.data) {
			eidctl_err("the result has no face image");
			goto out;
		}
		if (write_face(&face, a.face, &face_kind) < 0)
			goto out;
	}
	if (a.json)
		printf("%s\n", json_object_to_json_string_ext(result, JSON_C_TO_STRING_PRETTY |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_result(result, a.face, face_kind);
	{
		struct json_object *ver;

		verdict = json_object_object_get_ex(result, "verification", &ver)
				  ? eidctl_json_str(ver, "verdict")
				  : NULL;
	}
	ret = verdict && !strcmp(verdict, "verified") ? EIDCTL_EXIT_OK : EIDCTL_EXIT_UNVERIFIED;
out:
	wipe_args(&a);
	if (face.data) {
		eid_wipe(face.data, face.len);
		free(face.data);
	}
	json_object_put(result);
	if (reply)
		dbus_message_unref(reply);
	if (m)
		dbus_message_unref(m);
	return ret;
}
