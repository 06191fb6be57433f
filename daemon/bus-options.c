/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * StartRead/Read options (a{sv}) into a request.  Every key, type and
 * value is checked: unknown keys, wrong types, unknown data group names,
 * strings over 256 bytes, CAN/PIN/PUK that are not digits and dates that
 * are not YYMMDD are InvalidArguments.  Secrets go straight into the
 * request's wiping memory; messages never quote a value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"

static int bad(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -EID_EINVAL;
}

/* The variant's string (checked type and length), or NULL. */
static const char *get_str(DBusMessageIter *var)
{
	const char *s = NULL;

	if (dbus_message_iter_get_arg_type(var) != DBUS_TYPE_STRING)
		return NULL;
	dbus_message_iter_get_basic(var, &s);
	if (strnlen(s, EIDD_OPT_MAX_STRING + 1) > EIDD_OPT_MAX_STRING)
		return NULL;
	return s;
}

static int get_bool(DBusMessageIter *var, bool *out)
{
	dbus_bool_t b;

	if (dbus_message_iter_get_arg_type(var) != DBUS_TYPE_BOOLEAN)
		return -EID_EINVAL;
	dbus_message_iter_get_basic(var, &b);
	*out = b != 0;
	return 0;
}

static int parse_dgs(DBusMessageIter *var, uint32_t *mask, char *why, size_t size)
{
	DBusMessageIter a;
	int count = 0;

	if (dbus_message_iter_get_arg_type(var) != DBUS_TYPE_ARRAY ||
	    dbus_message_iter_get_element_type(var) != DBUS_TYPE_STRING)
		return bad(why, size, "option '%s' must be an array of strings (as)", "data_groups");
	dbus_message_iter_recurse(var, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRING) {
		const char *s;
		int dg;

		dbus_message_iter_get_basic(&a, &s);
		if (++count > 64 || strlen(s) > 8 || eid_read_parse_dg(s, &dg) < 0 || dg < 1 ||
		    dg > 22)
			return bad(why, size, "%s: unknown data group name (use DG1..DG22)",
				   "data_groups");
		*mask |= 1u << dg;
		dbus_message_iter_next(&a);
	}
	return 0;
}

int eidd_bus_parse_options(DBusMessageIter *it, struct eidd_request *req, char *why,
			   size_t why_size)
{
	struct eidd_secrets *sec = req->secrets;
	DBusMessageIter a;

	why[0] = '\0';
	if (dbus_message_iter_get_arg_type(it) != DBUS_TYPE_ARRAY ||
	    dbus_message_iter_get_element_type(it) != DBUS_TYPE_DICT_ENTRY)
		return bad(why, why_size, "%s must be a{sv}", "options");
	dbus_message_iter_recurse(it, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
		DBusMessageIter e, var;
		const char *key, *s = NULL, *reason = NULL;
		char *dst = NULL;
		size_t dst_size = 0;
		bool *have = NULL;
		int r = 0;

		dbus_message_iter_recurse(&a, &e);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_STRING)
			return bad(why, why_size, "%s must be a{sv}", "options");
		dbus_message_iter_get_basic(&e, &key);
		dbus_message_iter_next(&e);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_VARIANT)
			return bad(why, why_size, "%s must be a{sv}", "options");
		dbus_message_iter_recurse(&e, &var);
		if (strlen(key) > 64)
			return bad(why, why_size, "%s: unknown option", "options");

		if (!strcmp(key, "data_groups")) {
			r = parse_dgs(&var, &req->dgs, why, why_size);
			if (r < 0)
				return r;
		} else if (!strcmp(key, "face")) {
			if (get_bool(&var, &req->face) < 0)
				return bad(why, why_size, "option '%s' must be a boolean", key);
		} else if (!strcmp(key, "raw")) {
			if (get_bool(&var, &req->raw) < 0)
				return bad(why, why_size, "option '%s' must be a boolean", key);
		} else if (!strcmp(key, "allow_bac")) {
			if (get_bool(&var, &req->allow_bac) < 0)
				return bad(why, why_size, "option '%s' must be a boolean", key);
			req->allow_bac_given = true;
		} else if (!strcmp(key, "wait_for_card_ms")) {
			dbus_uint32_t u;

			if (dbus_message_iter_get_arg_type(&var) != DBUS_TYPE_UINT32)
				return bad(why, why_size, "option '%s' must be a uint32 (u)", key);
			dbus_message_iter_get_basic(&var, &u);
			req->wait_for_card_ms = u;
		} else if (!strcmp(key, "access")) {
			if (!(s = get_str(&var)))
				return bad(why, why_size, "option '%s' must be a string", key);
			if (!strcmp(s, "auto"))
				req->access = 0;
			else if (!strcmp(s, "can") || !strcmp(s, "pin") || !strcmp(s, "mrz"))
				req->access = eidd_password_parse(s);
			else
				return bad(why, why_size, "option '%s' must be auto, can, pin or mrz", key);
		} else if (!strcmp(key, "can") || !strcmp(key, "pin") || !strcmp(key, "puk")) {
			if (!(s = get_str(&var)))
				return bad(why, why_size, "option '%s' must be a string of digits", key);
			if (eidd_secrets_set(sec, eidd_password_parse(key), s, &reason) < 0) {
				snprintf(why, why_size, "option '%s': %s", key, reason);
				return -EID_EINVAL;
			}
		} else if (!strcmp(key, "mrz")) {
			if (!(s = get_str(&var)))
				return bad(why, why_size, "option '%s' must be a string", key);
			if (eidd_secrets_set_mrz_text(sec, s, &reason) < 0) {
				snprintf(why, why_size, "option '%s': %s", key, reason);
				return -EID_EINVAL;
			}
		} else if (!strcmp(key, "mrz_document_number")) {
			dst = sec->mrz_doc;
			dst_size = sizeof(sec->mrz_doc);
			have = &sec->have_doc;
		} else if (!strcmp(key, "mrz_date_of_birth")) {
			dst = sec->mrz_dob;
			dst_size = sizeof(sec->mrz_dob);
			have = &sec->have_dob;
		} else if (!strcmp(key, "mrz_date_of_expiry")) {
			dst = sec->mrz_doe;
			dst_size = sizeof(sec->mrz_doe);
			have = &sec->have_doe;
		} else {
			char clean[80];
			size_t i;

			/* name the key, printable ASCII only */
			for (i = 0; key[i] && i + 1 < sizeof(clean); i++)
				clean[i] = key[i] > 0x20 && key[i] < 0x7f ? key[i] : '?';
			clean[i] = '\0';
			return bad(why, why_size, "unknown option '%s'", clean);
		}
		if (dst) {
			size_t n;

			if (!(s = get_str(&var)))
				return bad(why, why_size, "option '%s' must be a string", key);
			n = strlen(s);
			if (n >= dst_size || (have != &sec->have_doc && !eidd_yymmdd_valid(s)))
				return have == &sec->have_doc ?
				       bad(why, why_size, "option '%s' is too long", key) :
				       bad(why, why_size, "option '%s' must be YYMMDD", key);
			eid_wipe(dst, dst_size);
			memcpy(dst, s, n);
			*have = true;
		}
		dbus_message_iter_next(&a);
	}
	{
		const char *reason = NULL;

		if (eidd_request_finish(req, &reason) < 0) {
			snprintf(why, why_size, "%s", reason);
			return -EID_EINVAL;
		}
	}
	return 0;
}
