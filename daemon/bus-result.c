/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The result dictionary of dbus-api.md ("The result") from a read result.
 * Every string that came from the chip or a certificate is checked as
 * UTF-8 first (libdbus aborts on invalid UTF-8); bytes that are not valid
 * UTF-8 become '?' in a wiped copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "pa.h"

/* ---- a{sv} helpers ---- */

bool eidd_dict_open_var(DBusMessageIter *dict, const char *key, const char *sig,
			DBusMessageIter *entry, DBusMessageIter *var)
{
	if (!dbus_message_iter_open_container(dict, DBUS_TYPE_DICT_ENTRY, NULL, entry))
		return false;
	if (!dbus_message_iter_append_basic(entry, DBUS_TYPE_STRING, &key) ||
	    !dbus_message_iter_open_container(entry, DBUS_TYPE_VARIANT, sig, var)) {
		dbus_message_iter_abandon_container(dict, entry);
		return false;
	}
	return true;
}

bool eidd_dict_close_var(DBusMessageIter *dict, DBusMessageIter *entry, DBusMessageIter *var)
{
	return dbus_message_iter_close_container(entry, var) &&
	       dbus_message_iter_close_container(dict, entry);
}

/* A valid UTF-8 copy of s (wiped by the caller with free_utf8) or s itself. */
static const char *utf8(const char *s, char **copy)
{
	size_t n;

	*copy = NULL;
	if (dbus_validate_utf8(s, NULL))
		return s;
	n = strlen(s);
	if (!(*copy = malloc(n + 1)))
		return "";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		(*copy)[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	(*copy)[n] = '\0';
	return *copy;
}

static void free_utf8(char *copy)
{
	if (copy) {
		eid_wipe(copy, strlen(copy));
		free(copy);
	}
}

static bool append_str(DBusMessageIter *it, const char *s)
{
	char *copy;
	const char *v = utf8(s, &copy);
	bool ok = dbus_message_iter_append_basic(it, DBUS_TYPE_STRING, &v);

	free_utf8(copy);
	return ok;
}

bool eidd_dict_add_str(DBusMessageIter *dict, const char *key, const char *value)
{
	DBusMessageIter e, v;

	if (!value)
		return true;
	return eidd_dict_open_var(dict, key, "s", &e, &v) && append_str(&v, value) &&
	       eidd_dict_close_var(dict, &e, &v);
}

bool eidd_dict_add_bool(DBusMessageIter *dict, const char *key, bool value)
{
	DBusMessageIter e, v;
	dbus_bool_t b = value;

	return eidd_dict_open_var(dict, key, "b", &e, &v) &&
	       dbus_message_iter_append_basic(&v, DBUS_TYPE_BOOLEAN, &b) &&
	       eidd_dict_close_var(dict, &e, &v);
}

bool eidd_dict_add_u32(DBusMessageIter *dict, const char *key, uint32_t value)
{
	DBusMessageIter e, v;
	dbus_uint32_t u = value;

	return eidd_dict_open_var(dict, key, "u", &e, &v) &&
	       dbus_message_iter_append_basic(&v, DBUS_TYPE_UINT32, &u) &&
	       eidd_dict_close_var(dict, &e, &v);
}

bool eidd_dict_add_i64(DBusMessageIter *dict, const char *key, int64_t value)
{
	DBusMessageIter e, v;
	dbus_int64_t x = value;

	return eidd_dict_open_var(dict, key, "x", &e, &v) &&
	       dbus_message_iter_append_basic(&v, DBUS_TYPE_INT64, &x) &&
	       eidd_dict_close_var(dict, &e, &v);
}

bool eidd_dict_add_strv(DBusMessageIter *dict, const char *key, const char *const *strv, size_t n)
{
	DBusMessageIter e, v, a;

	if (!eidd_dict_open_var(dict, key, "as", &e, &v))
		return false;
	if (!dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "s", &a))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!append_str(&a, strv[i]))
			return false;
	return dbus_message_iter_close_container(&v, &a) && eidd_dict_close_var(dict, &e, &v);
}

static bool add_bytes(DBusMessageIter *dict, const char *key, const uint8_t *data, size_t n)
{
	DBusMessageIter e, v, a;

	if (!eidd_dict_open_var(dict, key, "ay", &e, &v) ||
	    !dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "y", &a))
		return false;
	if (n && !dbus_message_iter_append_fixed_array(&a, DBUS_TYPE_BYTE, &data, (int)n))
		return false;
	return dbus_message_iter_close_container(&v, &a) && eidd_dict_close_var(dict, &e, &v);
}

/* ---- verification ---- */

int eidd_bus_append_verification(DBusMessageIter *it, const struct eid_read_verification *v)
{
	const struct eid_pa_result *pa = &v->pa;
	DBusMessageIter d, e, var, h, he;
	bool ok;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &d))
		return -EID_ENOMEM;
	ok = eidd_dict_add_str(&d, "access", v->access) &&
	     eidd_dict_add_str(&d, "password", v->password) &&
	     eidd_dict_add_str(&d, "pace_mapping", v->pace_mapping) &&
	     eidd_dict_add_str(&d, "terminal_auth",
			       v->terminal_auth ? v->terminal_auth : "not-performed") &&
	     eidd_dict_add_str(&d, "chip_auth", v->chip_auth) &&
	     eidd_dict_add_str(&d, "active_auth", v->active_auth) &&
	     eidd_dict_add_str(&d, "passive_auth", eid_pa_status_name(pa->status)) &&
	     eidd_dict_add_str(&d, "passive_auth_detail", pa->detail) &&
	     eidd_dict_add_str(&d, "signer", pa->signer) &&
	     eidd_dict_add_str(&d, "csca", pa->csca) &&
	     eidd_dict_add_str(&d, "csca_source", pa->csca_source);
	if (ok && v->terminal_chr[0])
		ok = eidd_dict_add_str(&d, "terminal", v->terminal_chr);
	if (ok)
		ok = eidd_dict_open_var(&d, "dg_hashes", "a{ss}", &e, &var) &&
		     dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "{ss}", &h);
	for (size_t i = 0; ok && i < pa->n_dgs && i < EID_PA_MAX_DGS; i++) {
		char key[16];
		const char *k = key, *s = eid_pa_dg_state_name(pa->dgs[i].state);

		snprintf(key, sizeof(key), "DG%u", pa->dgs[i].number);
		ok = dbus_message_iter_open_container(&h, DBUS_TYPE_DICT_ENTRY, NULL, &he) &&
		     dbus_message_iter_append_basic(&he, DBUS_TYPE_STRING, &k) &&
		     dbus_message_iter_append_basic(&he, DBUS_TYPE_STRING, &s) &&
		     dbus_message_iter_close_container(&h, &he);
	}
	if (ok)
		ok = dbus_message_iter_close_container(&var, &h) &&
		     eidd_dict_close_var(&d, &e, &var);
	ok = ok && eidd_dict_add_str(&d, "revocation", eid_pa_revocation_name(pa->revocation)) &&
	     eidd_dict_add_bool(&d, "document_expired", v->document_expired) &&
	     eidd_dict_add_bool(&d, "clone_resistant", v->clone_resistant) &&
	     eidd_dict_add_str(&d, "verdict", v->verdict ? v->verdict : "not-verified");
	if (!ok || !dbus_message_iter_close_container(it, &d))
		return -EID_ENOMEM;
	return 0;
}

/* ---- the result ---- */

static bool add_address(DBusMessageIter *dict, const struct eid_holder_place *p)
{
	static const char *const keys[] = { "street", "city", "state", "zip", "country",
					    "free_text" };
	const char *vals[] = { p->street, p->city, p->state, p->zip, p->country, p->free_text };
	DBusMessageIter e, v, a, ae;

	if (!eidd_dict_open_var(dict, "address", "a{ss}", &e, &v) ||
	    !dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "{ss}", &a))
		return false;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *k = keys[i];

		if (!vals[i])
			continue;
		if (!dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &ae) ||
		    !dbus_message_iter_append_basic(&ae, DBUS_TYPE_STRING, &k) ||
		    !append_str(&ae, vals[i]) || !dbus_message_iter_close_container(&a, &ae))
			return false;
	}
	return dbus_message_iter_close_container(&v, &a) && eidd_dict_close_var(dict, &e, &v);
}

static bool add_face(DBusMessageIter *dict, const struct eid_lds_face *f)
{
	DBusMessageIter e, v, fd;

	if (!eidd_dict_open_var(dict, "face", "a{sv}", &e, &v) ||
	    !dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "{sv}", &fd))
		return false;
	if (!eidd_dict_add_str(&fd, "mime", f->mime ? f->mime : "application/octet-stream") ||
	    !add_bytes(&fd, "data", f->image.data, f->image.len) ||
	    !eidd_dict_add_u32(&fd, "width", f->width) ||
	    !eidd_dict_add_u32(&fd, "height", f->height))
		return false;
	return dbus_message_iter_close_container(&v, &fd) && eidd_dict_close_var(dict, &e, &v);
}

static bool add_raw(DBusMessageIter *dict, const struct eid_read_result *res)
{
	DBusMessageIter e, v, a, ae, b;

	if (!eidd_dict_open_var(dict, "raw", "a{say}", &e, &v) ||
	    !dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "{say}", &a))
		return false;
	for (int i = 1; i < EID_FILE_COUNT; i++) {
		const char *k = eid_read_file_short_name(i);
		const uint8_t *data = res->files[i].data;

		if (!res->have[i] || !k)
			continue;
		if (!dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &ae) ||
		    !dbus_message_iter_append_basic(&ae, DBUS_TYPE_STRING, &k) ||
		    !dbus_message_iter_open_container(&ae, DBUS_TYPE_ARRAY, "y", &b))
			return false;
		if (res->files[i].len &&
		    !dbus_message_iter_append_fixed_array(&b, DBUS_TYPE_BYTE, &data,
							  (int)res->files[i].len))
			return false;
		if (!dbus_message_iter_close_container(&ae, &b) ||
		    !dbus_message_iter_close_container(&a, &ae))
			return false;
	}
	return dbus_message_iter_close_container(&v, &a) && eidd_dict_close_var(dict, &e, &v);
}

int eidd_bus_append_result(DBusMessageIter *it, const struct eid_read_result *res, bool raw)
{
	const struct eid_holder *h = &res->holder;
	const struct {
		const char *key;
		const char *value;
	} strs[] = {
		{ "document_type", h->document_type },
		{ "issuing_state", h->issuing_state },
		{ "document_number", h->document_number },
		{ "date_of_expiry", h->date_of_expiry },
		{ "date_of_issuance", h->date_of_issuance },
		{ "given_names", h->given_names },
		{ "family_name", h->family_name },
		{ "date_of_birth", h->date_of_birth },
		{ "nationality", h->nationality },
		{ "sex", h->sex },
		{ "place_of_birth", h->place_of_birth },
		{ "birth_name", h->birth_name },
		{ "academic_title", h->academic_title },
		{ "artistic_name", h->artistic_name },
		{ "community_id", h->community_id },
		{ "residence_permit_1", h->residence_permit_1 },
		{ "residence_permit_2", h->residence_permit_2 },
		{ "phone_number", h->phone_number },
		{ "email_address", h->email_address },
		{ "mrz", h->mrz },
	};
	const char *names[EID_FILE_COUNT];
	size_t n_names = 0;
	DBusMessageIter d, e, v;
	bool ok;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &d))
		return -EID_ENOMEM;
	ok = eidd_dict_add_str(&d, "document_kind", eid_doc_kind_name(res->kind));
	for (size_t i = 0; ok && i < sizeof(strs) / sizeof(strs[0]); i++)
		ok = eidd_dict_add_str(&d, strs[i].key, strs[i].value);
	if (ok && h->have_address)
		ok = add_address(&d, &h->address);
	if (ok && res->dg2 && res->dg2->n)
		ok = add_face(&d, &res->dg2->faces[0]);
	for (int i = 1; i < EID_FILE_COUNT; i++)
		if (res->have[i] && i != EID_FILE_CARDACCESS && eid_read_file_short_name(i))
			names[n_names++] = eid_read_file_short_name(i);
	ok = ok && eidd_dict_add_strv(&d, "data_groups", names, n_names);
	if (ok && raw)
		ok = add_raw(&d, res);
	if (ok)
		ok = eidd_dict_open_var(&d, "verification", "a{sv}", &e, &v) &&
		     eidd_bus_append_verification(&v, &res->v) == 0 &&
		     eidd_dict_close_var(&d, &e, &v);
	if (!ok || !dbus_message_iter_close_container(it, &d))
		return -EID_ENOMEM;
	return 0;
}
