/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GetDiagnostics: versions, driver reachability, readers with their
 * features, the trust store summary and the terminal credentials.  Nothing
 * read from a document is in here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>

#include "config.h"

#include "bus.h"
#include "trust.h"
#include "conf.h"

static void iso_time(time_t t, char *out, size_t size)
{
	struct tm tm;

	if (!t) {
		snprintf(out, size, "%s", "");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* key -> aa{sv} */
static bool open_list(DBusMessageIter *d, const char *key, DBusMessageIter *e, DBusMessageIter *v,
		      DBusMessageIter *a)
{
	return eidd_dict_open_var(d, key, "aa{sv}", e, v) &&
	       dbus_message_iter_open_container(v, DBUS_TYPE_ARRAY, "a{sv}", a);
}

static bool close_list(DBusMessageIter *d, DBusMessageIter *e, DBusMessageIter *v,
		       DBusMessageIter *a)
{
	return dbus_message_iter_close_container(v, a) && eidd_dict_close_var(d, e, v);
}

static bool add_readers(DBusMessageIter *d, struct eidd *dm)
{
	DBusMessageIter e, v, a, r;
	bool ok = open_list(d, "readers", &e, &v, &a);

	for (struct eidd_reader *rd = dm->readers; ok && rd; rd = rd->next) {
		ok = dbus_message_iter_open_container(&a, DBUS_TYPE_ARRAY, "{sv}", &r) &&
		     eidd_dict_add_str(&r, "path", rd->path) &&
		     eidd_dict_add_str(&r, "name", rd->label) &&
		     eidd_dict_add_str(&r, "driver", rd->driver->name) &&
		     eidd_dict_add_bool(&r, "card_present", rd->card_present) &&
		     eidd_dict_add_bool(&r, "busy", rd->busy != NULL) &&
		     eidd_dict_add_bool(&r, "extended_length",
					(rd->features & EID_FEAT_EXTENDED_LENGTH) != 0) &&
		     eidd_dict_add_bool(&r, "features_known",
					(rd->features & EID_FEAT_EXTENDED_KNOWN) != 0) &&
		     eidd_dict_add_bool(&r, "pin_pad",
					(rd->features & (EID_FEAT_PINPAD_VERIFY |
							 EID_FEAT_PINPAD_MODIFY)) != 0) &&
		     eidd_dict_add_bool(&r, "reader_pace",
					(rd->features & EID_FEAT_READER_PACE) != 0) &&
		     dbus_message_iter_close_container(&a, &r);
	}
	return ok && close_list(d, &e, &v, &a);
}

static bool add_drivers(DBusMessageIter *d, struct eidd *dm)
{
	DBusMessageIter e, v, a, r;
	bool ok = open_list(d, "drivers", &e, &v, &a);

	for (size_t i = 0; ok && i < dm->n_monitors; i++) {
		struct eidd_monitor *m = &dm->monitors[i];
		bool reachable;

		pthread_mutex_lock(&m->lock);
		reachable = m->reachable;
		pthread_mutex_unlock(&m->lock);
		ok = dbus_message_iter_open_container(&a, DBUS_TYPE_ARRAY, "{sv}", &r) &&
		     eidd_dict_add_str(&r, "name", m->driver->name) &&
		     eidd_dict_add_bool(&r, "reachable", reachable) &&
		     dbus_message_iter_close_container(&a, &r);
	}
	return ok && close_list(d, &e, &v, &a);
}

static bool add_trust(DBusMessageIter *d, const struct eidd_trust *t)
{
	const struct eid_trust *s = t ? t->store : NULL;
	struct eid_trust_summary sum;
	DBusMessageIter e, v, td, le, lv, la, r;
	time_t oldest = 0, newest = 0;
	char when[32];
	bool ok;

	memset(&sum, 0, sizeof(sum));
	if (s)
		eid_trust_get_summary(s, &sum);
	ok = eidd_dict_open_var(d, "trust_store", "a{sv}", &e, &v) &&
	     dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "{sv}", &td) &&
	     eidd_dict_add_u32(&td, "cscas", (uint32_t)sum.n_cscas) &&
	     eidd_dict_add_u32(&td, "master_list_count", (uint32_t)sum.n_master_lists) &&
	     eidd_dict_add_u32(&td, "crl_count", (uint32_t)sum.n_crls) &&
	     eidd_dict_add_u32(&td, "duplicates", (uint32_t)sum.n_duplicates) &&
	     eidd_dict_add_u32(&td, "skipped", (uint32_t)sum.n_skipped) &&
	     eidd_dict_add_u32(&td, "load_errors", t ? (uint32_t)t->n_errors : 0);
	if (ok && t) {
		iso_time(t->loaded, when, sizeof(when));
		ok = eidd_dict_add_str(&td, "loaded", when);
	}
	for (size_t i = 0; s && i < eid_trust_csca_count(s); i++) {
		const struct eid_trust_csca *c = eid_trust_csca_get(s, i);

		if (!oldest || c->not_before < oldest)
			oldest = c->not_before;
		if (!newest || c->not_before > newest)
			newest = c->not_before;
	}
	if (ok && oldest) {
		iso_time(oldest, when, sizeof(when));
		ok = eidd_dict_add_str(&td, "oldest_csca", when);
		iso_time(newest, when, sizeof(when));
		ok = ok && eidd_dict_add_str(&td, "newest_csca", when);
	}
	ok = ok && open_list(&td, "master_lists", &le, &lv, &la);
	for (size_t i = 0; ok && s && i < eid_trust_ml_count(s); i++) {
		const struct eid_trust_ml *ml = eid_trust_ml_get(s, i);

		iso_time(ml->signing_time, when, sizeof(when));
		ok = dbus_message_iter_open_container(&la, DBUS_TYPE_ARRAY, "{sv}", &r) &&
		     eidd_dict_add_str(&r, "source", ml->source) &&
		     eidd_dict_add_str(&r, "signer", ml->signer) &&
		     eidd_dict_add_str(&r, "issued", when) &&
		     eidd_dict_add_u32(&r, "certificates", (uint32_t)ml->n_certs) &&
		     dbus_message_iter_close_container(&la, &r);
	}
	ok = ok && close_list(&td, &le, &lv, &la) && open_list(&td, "crls", &le, &lv, &la);
	for (size_t i = 0; ok && s && i < eid_trust_crl_count(s); i++) {
		const struct eid_trust_crl *c = eid_trust_crl_get(s, i);
		char next[32];

		iso_time(c->this_update, when, sizeof(when));
		iso_time(c->next_update, next, sizeof(next));
		ok = dbus_message_iter_open_container(&la, DBUS_TYPE_ARRAY, "{sv}", &r) &&
		     eidd_dict_add_str(&r, "issuer", c->issuer) &&
		     eidd_dict_add_str(&r, "source", c->source) &&
		     eidd_dict_add_str(&r, "this_update", when) &&
		     eidd_dict_add_str(&r, "next_update", next) &&
		     eidd_dict_add_bool(&r, "expired", c->next_update && c->next_update < time(NULL)) &&
		     dbus_message_iter_close_container(&la, &r);
	}
	ok = ok && close_list(&td, &le, &lv, &la);
	return ok && dbus_message_iter_close_container(&v, &td) && eidd_dict_close_var(d, &e, &v);
}

static bool add_terminal(DBusMessageIter *d, struct eidd *dm)
{
	char chr[32], rights[512], expiry[16];
	DBusMessageIter e, v, td;

	if (!eidd_creds_describe(dm->creds, chr, sizeof(chr), rights, sizeof(rights), expiry,
				 sizeof(expiry)))
		return eidd_dict_add_bool(d, "terminal_credentials", false);
	return eidd_dict_add_bool(d, "terminal_credentials", true) &&
	       eidd_dict_open_var(d, "terminal", "a{sv}", &e, &v) &&
	       dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "{sv}", &td) &&
	       eidd_dict_add_str(&td, "chr", chr) && eidd_dict_add_str(&td, "chat", rights) &&
	       eidd_dict_add_str(&td, "expires", expiry) &&
	       dbus_message_iter_close_container(&v, &td) && eidd_dict_close_var(d, &e, &v);
}

int eidd_bus_append_diagnostics(DBusMessageIter *it, struct eidd *dm)
{
	DBusMessageIter d;
	int maj, min, mic;
	char dbus_ver[32];
	bool ok, pcscd = false;

	dbus_get_version(&maj, &min, &mic);
	snprintf(dbus_ver, sizeof(dbus_ver), "%d.%d.%d", maj, min, mic);
	for (size_t i = 0; i < dm->n_monitors; i++)
		if (!strcmp(dm->monitors[i].driver->name, "pcsc")) {
			pthread_mutex_lock(&dm->monitors[i].lock);
			pcscd = dm->monitors[i].reachable;
			pthread_mutex_unlock(&dm->monitors[i].lock);
		}
	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &d))
		return -EID_ENOMEM;
	ok = eidd_dict_add_str(&d, "version", PACKAGE_VERSION) &&
	     eidd_dict_add_str(&d, "openssl_version", OpenSSL_version(OPENSSL_VERSION)) &&
	     eidd_dict_add_str(&d, "dbus_version", dbus_ver) &&
	     eidd_dict_add_bool(&d, "pcscd_reachable", pcscd) &&
	     eidd_dict_add_bool(&d, "polkit", dm->use_polkit) && add_drivers(&d, dm) &&
	     add_readers(&d, dm) && add_trust(&d, dm->trust) && add_terminal(&d, dm);
	if (!ok || !dbus_message_iter_close_container(it, &d))
		return -EID_ENOMEM;
	return 0;
}
