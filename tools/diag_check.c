/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag check: the first thing a technician runs.
 *
 *   eid-diag check [--json] [--trust PATH]... [--terminal-cert FILE]...
 *                  [--terminal-key FILE] [--at YYYY-MM-DD] [--no-readers]
 *                  [--daemon [--system | --session | --address ADDR]]
 *
 * Looks at every compiled-in reader back end (is pcscd reachable, which
 * readers, their PC/SC part 10 features and APDU limits), at the card on
 * each reader (ATR decoded, what it is, EF.CardAccess read in plain, whether
 * extended-length APDUs get through: probed), at the trust store (CSCAs,
 * master lists, CRLs), at the terminal credentials (expiry, rights), and
 * with --daemon at what the running eidd sees.  No password is ever used;
 * no personal data is read.  Each problem comes with one line saying what
 * to do.
 *
 * Everything is gathered into one JSON document, printed as it is with
 * --json or as text.  Exit: 0 all fine, 1 a problem was found, 2 the check
 * could not run (bad options, a file given that does not exist).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <json-c/json.h>
#include <dbus/dbus.h>
#include <PCSC/winscard.h>
#include <PCSC/reader.h>

#include "config.h"
#include "buf.h"
#include "apdu.h"
#include "file.h"
#include "driver.h"
#include "pace.h"
#include "secinfo.h"
#include "trust.h"
#include "cvc.h"
#include "ta.h"
#include "diag.h"
#include "diag_atr.h"
#include "diag_check.h"

#define MAX_TRUST 32
#define DBUS_NAME "org.eidd.Eidd1"
#define DBUS_PATH "/org/eidd/Eidd1"
#define DBUS_MANAGER "org.eidd.Eidd1.Manager"
#define DBUS_READER "org.eidd.Eidd1.Reader"
#define DBUS_TIMEOUT_MS 10000
#define SFI_CARDACCESS 0x1C
#define DAY (24 * 3600)

enum bus_kind { BUS_SYSTEM = 0, BUS_SESSION, BUS_ADDRESS };

struct check_args {
	bool json, daemon, no_readers;
	enum bus_kind bus;
	const char *address;
	const char *trust[MAX_TRUST];
	size_t n_trust;
	const char *certs[EID_TA_MAX_CERTS];
	size_t n_certs;
	const char *key;
	time_t at;
};

struct check {
	struct check_args a;
	time_t now;
	json_object *root, *readers, *problems, *notes;
	size_t n_readers, n_cards;
	bool any_driver_open;
};

static const char *const driver_names[] = { "pcsc", "nfc" };

static const uint8_t aid_mrtd[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

/* ---- helpers ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eid-diag check [--json] [--trust PATH]... [--terminal-cert FILE]...\n"
		"                      [--terminal-key FILE] [--at YYYY-MM-DD] [--no-readers]\n"
		"                      [--daemon [--system | --session | --address ADDR]]\n"
		"Checks readers (PC/SC and libnfc), the card on each (ATR, type, EF.CardAccess,\n"
		"extended length), the trust store and the terminal credentials; says what to do\n"
		"about each problem found.  No password is used and no personal data is read.\n"
		"  --trust PATH          CSCA certificate, master list, LDIF, CRL or folder\n"
		"  --terminal-cert FILE  CV certificate, in chain order (DV, then terminal)\n"
		"  --terminal-key FILE   the terminal's private key\n"
		"  --at YYYY-MM-DD       judge expiry dates on that day (default today)\n"
		"  --no-readers          skip readers and cards\n"
		"  --daemon              also ask the running eidd (GetDiagnostics) and compare\n"
		"  --system, --session, --address ADDR   the bus eidd is on (default system)\n"
		"  --json                print the findings as JSON\n"
		"Exit: 0 all fine, 1 problem found, 2 could not run.\n");
}

static void date_str(time_t t, char out[11])
{
	struct tm tm;

	if (t == 0 || !gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 11, "unknown");
}

static void jadd_str(json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void jadd_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void jadd_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static void jadd_date(json_object *o, const char *k, time_t t)
{
	char d[11];

	date_str(t, d);
	jadd_str(o, k, d);
}

static void jadd_hex(json_object *o, const char *k, const uint8_t *b, size_t n)
{
	char *h = malloc(2 * n + 1);

	if (!h)
		return;
	eid_hex(b, n, h);
	jadd_str(o, k, h);
	free(h);
}

static const char *jget_str(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : NULL;
}

static json_object *jget(json_object *o, const char *k)
{
	json_object *v;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

__attribute__((format(printf, 3, 0)))
static void finding(json_object *list, const char *code, const char *fmt, va_list ap)
{
	json_object *o = json_object_new_object();
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	jadd_str(o, "code", code);
	jadd_str(o, "message", msg);
	json_object_array_add(list, o);
}

/* A problem: what is wrong, then what to do (one line). */
__attribute__((format(printf, 3, 4)))
static void problem(struct check *ck, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding(ck->problems, code, fmt, ap);
	va_end(ap);
}

/* A note: worth knowing, nothing to fix. */
__attribute__((format(printf, 3, 4)))
static void note(struct check *ck, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding(ck->notes, code, fmt, ap);
	va_end(ap);
}

/* ---- ATR ---- */

static json_object *hist_json(const struct diag_hist *h)
{
	json_object *o = json_object_new_object(), *items = json_object_new_array();
	char cat[3];

	snprintf(cat, sizeof(cat), "%02X", h->category);
	jadd_str(o, "category", cat);
	for (size_t i = 0; i < h->n_items; i++) {
		json_object *it = json_object_new_object();

		jadd_int(it, "tag", h->items[i].tag);
		jadd_str(it, "name", diag_hist_tag_name(h->items[i].tag));
		jadd_hex(it, "value", h->items[i].value, h->items[i].len);
		json_object_array_add(items, it);
	}
	json_object_object_add(o, "items", items);
	if (h->has_status && h->sw) {
		char sw[5];

		snprintf(sw, sizeof(sw), "%04X", h->sw);
		jadd_str(o, "status_word", sw);
	}
	if (h->has_caps) {
		jadd_bool(o, "extended_lc_le", h->ext_lc_le);
		jadd_bool(o, "command_chaining", h->chaining);
	}
	return o;
}

static json_object *atr_json(const uint8_t *atr, size_t n, struct diag_atr *a, bool *ok)
{
	json_object *o = json_object_new_object(), *iface, *protos;
	char b[32];

	jadd_hex(o, "hex", atr, n);
	*ok = diag_atr_parse(atr, n, a) == 0;
	if (!*ok) {
		jadd_str(o, "error", "malformed");
		return o;
	}
	snprintf(b, sizeof(b), "%02X", a->ts);
	jadd_str(o, "ts", b);
	jadd_str(o, "convention", a->ts == 0x3B ? "direct" : "inverse");
	snprintf(b, sizeof(b), "%02X", a->t0);
	jadd_str(o, "t0", b);
	iface = json_object_new_array();
	for (size_t i = 0; i < a->n_levels; i++) {
		static const char names[] = "ABCD";

		for (int k = 0; k < 4; k++) {
			const uint8_t v[] = { a->level[i].ta, a->level[i].tb, a->level[i].tc,
					      a->level[i].td };

			if (!(a->level[i].present & (1u << k)))
				continue;
			snprintf(b, sizeof(b), "T%c%zu=%02X", names[k], i + 1, v[k]);
			json_object_array_add(iface, json_object_new_string(b));
		}
	}
	json_object_object_add(o, "interface_bytes", iface);
	protos = json_object_new_array();
	for (int t = 0; t < 16; t++)
		if (a->protocols & (1u << t)) {
			snprintf(b, sizeof(b), "T=%d", t);
			json_object_array_add(protos, json_object_new_string(b));
		}
	json_object_object_add(o, "protocols", protos);
	jadd_hex(o, "historical_bytes", a->hist, a->hist_len);
	if (a->hist_ok)
		json_object_object_add(o, "historical", hist_json(&a->hb));
	jadd_str(o, "tck", !a->has_tck ? "absent" : a->tck_ok ? "ok" : "wrong");
	jadd_str(o, "interface", a->contactless ? "contactless" : "contact");
	if (a->contactless)
		jadd_str(o, "contactless", diag_cl_kind_name(a->contactless));
	if (a->contactless == DIAG_CL_STORAGE) {
		jadd_int(o, "storage_standard", a->storage_standard);
		jadd_int(o, "storage_card_name", a->storage_name);
	}
	if (a->contactless == DIAG_CL_ISO14443_B) {
		jadd_hex(o, "atqb_application_data", a->atqb_app, sizeof(a->atqb_app));
		jadd_hex(o, "atqb_protocol_info", a->atqb_proto, sizeof(a->atqb_proto));
		jadd_int(o, "mbli", a->mbli);
	}
	if (a->max_frame)
		jadd_int(o, "max_frame", a->max_frame);
	return o;
}

/* ---- PC/SC part 10, straight from pcsc-lite (works without a card) ---- */

struct reader_caps {
	bool max_apdu_known;
	uint32_t max_apdu;     /* largest command the reader takes (0: unknown) */
};

static void pcsc_part10(const char *reader, json_object *jf, struct reader_caps *caps)
{
	SCARDCONTEXT hctx;
	SCARDHANDLE h;
	DWORD proto = 0, len = 0;
	BYTE buf[256], attr[4];
	DWORD alen = sizeof(attr);
	struct diag_part10 feats;
	json_object *arr = json_object_new_array();
	uint32_t tlv_ioctl = 0;

	json_object_object_add(jf, "part10", arr);
	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &hctx) != SCARD_S_SUCCESS)
		return;
	if (SCardConnect(hctx, reader, SCARD_SHARE_DIRECT, 0, &h, &proto) != SCARD_S_SUCCESS)
		goto out_ctx;
	if (SCardControl(h, CM_IOCTL_GET_FEATURE_REQUEST, NULL, 0, buf, sizeof(buf), &len) ==
		    SCARD_S_SUCCESS && len <= sizeof(buf)) {
		if (diag_part10_features_parse(buf, len, &feats) == 0) {
			for (size_t i = 0; i < feats.n; i++) {
				const char *nm = diag_part10_feature_name(feats.f[i].tag);
				char unk[24];

				if (!nm) {
					snprintf(unk, sizeof(unk), "FEATURE_%02X", feats.f[i].tag);
					nm = unk;
				}
				json_object_array_add(arr, json_object_new_string(nm));
				if (feats.f[i].tag == FEATURE_GET_TLV_PROPERTIES)
					tlv_ioctl = feats.f[i].ioctl;
			}
		} else {
			jadd_str(jf, "part10_error", "malformed feature list");
		}
	}
	if (tlv_ioctl && SCardControl(h, tlv_ioctl, NULL, 0, buf, sizeof(buf), &len) ==
				 SCARD_S_SUCCESS && len <= sizeof(buf)) {
		struct diag_part10_props p;
		char id[8];

		if (diag_part10_props_parse(buf, len, &p) == 0) {
			if (p.present & (1u << DIAG_PROP_MAX_APDU)) {
				caps->max_apdu_known = true;
				caps->max_apdu = p.max_apdu ? p.max_apdu : 261;
				jadd_int(jf, "max_apdu_data", p.max_apdu);
			}
			if (p.present & (1u << DIAG_PROP_VENDOR_ID)) {
				snprintf(id, sizeof(id), "%04x", p.vendor_id);
				jadd_str(jf, "vendor_id", id);
			}
			if (p.present & (1u << DIAG_PROP_PRODUCT_ID)) {
				snprintf(id, sizeof(id), "%04x", p.product_id);
				jadd_str(jf, "product_id", id);
			}
			if (p.present & (1u << DIAG_PROP_FIRMWARE_ID))
				jadd_str(jf, "firmware", p.firmware);
			if (p.present & (1u << DIAG_PROP_MIN_PIN))
				jadd_int(jf, "min_pin", p.min_pin);
			if (p.present & (1u << DIAG_PROP_MAX_PIN))
				jadd_int(jf, "max_pin", p.max_pin);
		} else {
			jadd_str(jf, "part10_error", "malformed TLV properties");
		}
	}
	if (SCardGetAttrib(h, SCARD_ATTR_MAXINPUT, attr, &alen) == SCARD_S_SUCCESS && alen == 4) {
		uint32_t max = (uint32_t)attr[0] | (uint32_t)attr[1] << 8 |
			       (uint32_t)attr[2] << 16 | (uint32_t)attr[3] << 24;

		jadd_int(jf, "max_input", max);
		if (!caps->max_apdu_known) {
			caps->max_apdu_known = true;
			caps->max_apdu = max;
		}
	}
	SCardDisconnect(h, SCARD_LEAVE_CARD);
out_ctx:
	SCardReleaseContext(hctx);
}

/* ---- the card ---- */

enum tri { TRI_UNKNOWN = 0, TRI_YES, TRI_NO };

static const char *tri_name(enum tri t)
{
	return t == TRI_YES ? "yes" : t == TRI_NO ? "no" : "unknown";
}

struct card_probe {
	enum tri extended;
	bool mrtd_app;
	enum tri bac;
	bool cardaccess;          /* EF.CardAccess read */
	int cardaccess_error;     /* parse error of it */
	struct eid_secinfos *si;
	bool removed;
};

/* An extended-length SELECT of the eMRTD application: 9000 yes, 6700 no. */
static int probe_extended_select(struct eid_card *card, struct card_probe *p)
{
	struct eid_apdu a = { .ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .data = aid_mrtd,
			      .lc = sizeof(aid_mrtd), .extended = true };
	uint16_t sw = 0;
	int r = eid_card_transmit_plain(card, &a, NULL, &sw);

	if (r == -EID_ENOCARD)
		return r;
	if (r < 0 || sw == EID_SW_WRONG_LENGTH || sw == 0x6D00 || sw == 0x6E00)
		p->extended = TRI_NO;
	else if (sw == EID_SW_OK)
		p->extended = TRI_YES;
	return 0;
}

static int probe_card(struct eid_card *card, struct card_probe *p)
{
	struct eid_apdu sel = { .ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .data = aid_mrtd,
				.lc = sizeof(aid_mrtd) };
	struct eid_apdu chal = { .ins = 0x84, .le = 8 };
	eid_buf ca, resp;
	uint16_t sw = 0;
	int r;

	eid_buf_init(&ca);
	eid_buf_init(&resp);
	/* EF.CardAccess in plain, asking for an extended Le first: as the
	 * read flow does, a refused extended APDU costs nothing here */
	card->extended_length = true;
	card->last_read_le = 0;
	r = eid_file_read(card, SFI_CARDACCESS, &ca);
	if (r == 0) {
		p->extended = card->last_read_le > EID_LE_MAX_SHORT ? TRI_YES : TRI_NO;
	} else if (r == -EID_ETRANSPORT) {
		p->extended = TRI_NO;
		card->extended_length = false;
		card->read_le = 0;
		eid_buf_reset(&ca);
		r = eid_file_read(card, SFI_CARDACCESS, &ca);
	}
	card->extended_length = false;
	card->read_le = 0;
	if (r == -EID_ENOCARD)
		goto removed;
	if (r == 0) {
		p->cardaccess = true;
		p->cardaccess_error = eid_secinfos_parse(ca.data, ca.len, &p->si);
	}
	if (p->extended == TRI_UNKNOWN && (r = probe_extended_select(card, p)) < 0)
		goto removed;
	r = eid_card_transmit_plain(card, &sel, NULL, &sw);
	if (r == -EID_ENOCARD)
		goto removed;
	p->mrtd_app = r == 0 && sw == EID_SW_OK;
	if (p->mrtd_app) {
		/* BAC starts with GET CHALLENGE in plain; no key is used */
		r = eid_card_transmit_plain(card, &chal, &resp, &sw);
		if (r == -EID_ENOCARD)
			goto removed;
		p->bac = r == 0 && sw == EID_SW_OK && resp.len == 8 ? TRI_YES : TRI_NO;
	}
	r = 0;
	goto out;
removed:
	p->removed = true;
	r = -EID_ENOCARD;
out:
	eid_buf_free(&ca);
	eid_buf_free(&resp);
	return r;
}

static bool pace_usable(const struct eid_secinfo *si)
{
	struct eid_pace_algo algo;

	return si->version == 2 && eid_pace_param_id_supported(si->parameter_id) &&
	       eid_pace_algo_from_oid(si->oid, si->oid_len, &algo) == 0;
}

static bool is_german_eid(const struct eid_secinfos *set)
{
	const struct eid_secinfo *si;

	if (!set)
		return false;
	if (eid_secinfos_find(set, EID_SI_TA, 0))
		return true;
	for (size_t i = 0; (si = eid_secinfos_find(set, EID_SI_CA, i)); i++)
		if (si->version == 2)
			return true;
	return false;
}

static json_object *cardaccess_json(const struct eid_secinfos *set, size_t *n_pace,
				    size_t *n_pace_ok)
{
	json_object *o = json_object_new_object(), *pace = json_object_new_array();
	json_object *ca = json_object_new_array(), *ta = json_object_new_array();
	json_object *other = json_object_new_array();

	*n_pace = *n_pace_ok = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct eid_secinfo *si = &set->items[i];
		json_object *e = json_object_new_object();
		const char *pn;

		jadd_str(e, "protocol", si->name ? si->name : si->oid_text);
		if (si->version >= 0)
			jadd_int(e, "version", si->version);
		switch (si->type) {
		case EID_SI_PACE:
			(*n_pace)++;
			if (si->parameter_id >= 0)
				jadd_int(e, "parameter_id", si->parameter_id);
			if ((pn = eid_secinfo_param_name(si->parameter_id)))
				jadd_str(e, "parameters", pn);
			jadd_bool(e, "supported", pace_usable(si));
			if (pace_usable(si))
				(*n_pace_ok)++;
			json_object_array_add(pace, e);
			break;
		case EID_SI_CA:
		case EID_SI_CA_DP:
			if (si->key_id >= 0)
				jadd_int(e, "key_id", si->key_id);
			if (si->std_param_id >= 0 && (pn = eid_secinfo_param_name(si->std_param_id)))
				jadd_str(e, "parameters", pn);
			json_object_array_add(ca, e);
			break;
		case EID_SI_TA:
			json_object_array_add(ta, e);
			break;
		case EID_SI_AA:
			jadd_bool(o, "aa", true);
			json_object_put(e);
			break;
		default:
			json_object_put(e);
			json_object_array_add(other, json_object_new_string(
				si->name ? si->name : eid_secinfo_type_name(si->type)));
			break;
		}
	}
	json_object_object_add(o, "pace", pace);
	json_object_object_add(o, "ca", ca);
	json_object_object_add(o, "ta", ta);
	json_object_object_add(o, "other", other);
	return o;
}

static void check_card(struct check *ck, const struct eid_driver *d, struct eid_drv_ctx *ctx,
		       const struct eid_reader_info *ri, json_object *jr,
		       const struct reader_caps *caps)
{
	struct eid_drv_conn *conn = NULL;
	struct card_probe p;
	struct eid_card card;
	struct diag_atr a;
	uint8_t atr[DIAG_ATR_MAX];
	size_t atr_len = sizeof(atr), n_pace = 0, n_pace_ok = 0;
	uint32_t f = 0;
	json_object *jc = json_object_new_object(), *jf = jget(jr, "features");
	const char *type = "unknown", *ext_how = "not probed";
	bool atr_ok = false, card_ext = false;
	enum tri ext = TRI_UNKNOWN;
	int r;

	memset(&p, 0, sizeof(p));
	json_object_object_add(jr, "card", jc);
	r = d->connect(ctx, ri->name, &conn);
	if (r < 0) {
		if (r == -EID_ESTATE)
			problem(ck, "card-in-use",
				"the card in '%s' is in use by another program: stop it (eidd holds a "
				"card only while it reads) and run the check again", ri->name);
		else if (r == -EID_ENOCARD)
			note(ck, "card-removed", "the card left '%s' during the check", ri->name);
		else
			problem(ck, "connect-failed",
				"cannot connect to the card in '%s' (%s): place the card flat in the "
				"middle of the reader; if it persists the card or the reader's driver "
				"is faulty", ri->name, eid_strerror(r));
		jadd_str(jc, "error", eid_errname(r));
		return;
	}
	if (d->features && d->features(conn, &f) == 0) {
		jadd_bool(jf, "pinpad", f & EID_FEAT_PINPAD_VERIFY);
		jadd_bool(jf, "reader_pace", f & EID_FEAT_READER_PACE);
	}
	if (!d->atr || d->atr(conn, atr, &atr_len) < 0) {
		atr_len = ri->atr_len <= sizeof(atr) ? ri->atr_len : 0;
		memcpy(atr, ri->atr, atr_len);
	}
	if (atr_len) {
		json_object_object_add(jr, "atr", atr_json(atr, atr_len, &a, &atr_ok));
		if (!atr_ok)
			note(ck, "atr-malformed", "the ATR of the card in '%s' is malformed; readers "
			     "often still work with such cards", ri->name);
		card_ext = atr_ok && a.hist_ok && a.hb.ext_lc_le;
	}
	eid_card_init(&card, d->transmit, conn);
	r = probe_card(&card, &p);
	d->disconnect(conn, true);
	if (r < 0) {
		note(ck, "card-removed", "the card left '%s' during the check", ri->name);
		jadd_str(jc, "error", eid_errname(r));
		goto out;
	}
	/* what the card is */
	if (p.cardaccess && p.cardaccess_error == 0 && is_german_eid(p.si))
		type = "de-eid";
	else if (p.mrtd_app)
		type = "icao-mrtd";
	jadd_str(jc, "type", type);
	jadd_bool(jc, "emrtd_application", p.mrtd_app);
	jadd_bool(jc, "cardaccess", p.cardaccess);
	if (p.cardaccess && p.cardaccess_error == 0)
		json_object_object_add(jc, "security_infos", cardaccess_json(p.si, &n_pace, &n_pace_ok));
	jadd_bool(jc, "pace", n_pace > 0);
	if (p.mrtd_app)
		jadd_str(jc, "bac", tri_name(p.bac));
	/* extended length: the probe, else what the reader says */
	if (p.extended != TRI_UNKNOWN) {
		ext = p.extended;
		ext_how = "probed";
	} else if (f & EID_FEAT_EXTENDED_KNOWN) {
		ext = (f & EID_FEAT_EXTENDED_LENGTH) ? TRI_YES : TRI_NO;
		ext_how = "reader";
	} else if (caps->max_apdu_known) {
		ext = caps->max_apdu > 261 ? TRI_YES : TRI_NO;
		ext_how = "reader";
	}
	jadd_str(jr, "extended_length", tri_name(ext));
	jadd_str(jr, "extended_length_how", ext_how);
	jadd_bool(jc, "announces_extended_length", card_ext);

	/* the findings */
	if (p.cardaccess && p.cardaccess_error < 0)
		problem(ck, "cardaccess-malformed",
			"EF.CardAccess of the card in '%s' cannot be decoded (%s): reads will not "
			"use PACE; record it with 'eid-diag read --trace' and report the card",
			ri->name, eid_strerror(p.cardaccess_error));
	if (!strcmp(type, "unknown"))
		problem(ck, "unknown-card",
			"the card in '%s' is neither an e-passport nor a German eID (no eMRTD "
			"application, no eID EF.CardAccess): check that it is an electronic document "
			"(chip symbol) and lies flat on the reader", ri->name);
	if (n_pace && !n_pace_ok)
		problem(ck, "pace-unsupported",
			"the card in '%s' offers PACE only with parameters eidd does not support: "
			"%s", ri->name,
			p.bac == TRI_YES ? "passports fall back to BAC when it is allowed"
					 : "report the card's EF.CardAccess (eid-diag secinfo)");
	if (!strcmp(type, "icao-mrtd") && !n_pace) {
		if (p.bac == TRI_YES)
			note(ck, "bac-only", "the passport in '%s' offers BAC only (no PACE): reads "
			     "need BAC allowed (eidd allows it for passports by default; eid-diag "
			     "read --allow-bac)", ri->name);
		else
			problem(ck, "no-access-protocol",
				"the passport in '%s' offers neither PACE nor BAC: it cannot be read "
				"with a password; check the document", ri->name);
	}
	if (!strcmp(type, "de-eid") && ck->a.n_certs == 0)
		note(ck, "eid-needs-terminal", "the card in '%s' is a German eID: reading it needs "
		     "Terminal Authentication; check the credentials with --terminal-cert and "
		     "--terminal-key", ri->name);
	if (ext == TRI_NO) {
		if (card_ext || !strcmp(type, "de-eid"))
			problem(ck, "no-extended-length",
				"extended-length APDUs do not get through '%s' although the card "
				"takes them: use a reader (and driver) with extended length support; "
				"German eID cards cannot be read without it", ri->name);
		else
			problem(ck, "no-extended-length",
				"extended-length APDUs do not get through '%s' with this card (the "
				"card does not announce them): passports still read with short APDUs, "
				"more slowly; German eID cards need extended length, so check the "
				"reader with an eID card or choose one with extended length support",
				ri->name);
	}
out:
	eid_secinfos_free(p.si);
}

static void check_reader(struct check *ck, const struct eid_driver *d, struct eid_drv_ctx *ctx,
			 const struct eid_reader_info *ri, size_t index)
{
	json_object *jr = json_object_new_object(), *jf = json_object_new_object();
	struct reader_caps caps = { 0 };

	json_object_array_add(ck->readers, jr);
	jadd_str(jr, "driver", d->name);
	jadd_int(jr, "index", (int64_t)index);
	jadd_str(jr, "name", ri->name);
	jadd_bool(jr, "card_present", ri->card_present);
	json_object_object_add(jr, "features", jf);
	if (!strcmp(d->name, "pcsc"))
		pcsc_part10(ri->name, jf, &caps);
	if (caps.max_apdu_known)
		jadd_int(jf, "max_apdu", caps.max_apdu);
	if (ri->card_present) {
		ck->n_cards++;
		check_card(ck, d, ctx, ri, jr, &caps);
		return;
	}
	if (ri->atr_len) {
		struct diag_atr a;
		bool ok;

		json_object_object_add(jr, "atr", atr_json(ri->atr, ri->atr_len, &a, &ok));
	}
	if (caps.max_apdu_known) {
		jadd_str(jr, "extended_length", caps.max_apdu > 261 ? "yes" : "no");
		jadd_str(jr, "extended_length_how", "reader");
		if (caps.max_apdu <= 261)
			problem(ck, "reader-short-apdu",
				"'%s' takes short APDUs only: passports read more slowly and German "
				"eID cards cannot be read; use a reader with extended length support",
				ri->name);
	} else {
		jadd_str(jr, "extended_length", "unknown");
		jadd_str(jr, "extended_length_how", "not probed");
	}
}

static void check_drivers(struct check *ck)
{
	json_object *drivers = json_object_new_array();

	json_object_object_add(ck->root, "drivers", drivers);
	ck->readers = json_object_new_array();
	json_object_object_add(ck->root, "readers", ck->readers);
	for (size_t k = 0; k < sizeof(driver_names) / sizeof(driver_names[0]); k++) {
		const struct eid_driver *d = eid_driver_find(driver_names[k]);
		json_object *jd = json_object_new_object();
		struct eid_drv_ctx *ctx = NULL;
		struct eid_reader_info *ri = NULL;
		size_t n = 0;
		int r;

		json_object_array_add(drivers, jd);
		jadd_str(jd, "name", driver_names[k]);
		jadd_bool(jd, "compiled", d != NULL);
		if (!d)
			continue;
		r = d->open(NULL, &ctx);
		jadd_bool(jd, "available", r == 0);
		if (r < 0) {
			jadd_str(jd, "error", eid_errname(r));
			if (!strcmp(d->name, "pcsc")) {
				const char *sock = getenv("PCSCLITE_CSOCK_NAME");

				problem(ck, "pcscd-unreachable",
					"cannot reach pcscd%s%s%s: install and start it (Debian: apt "
					"install pcscd; systemctl start pcscd.socket)",
					sock ? " (PCSCLITE_CSOCK_NAME=" : "", sock ? sock : "",
					sock ? ")" : "");
			} else {
				note(ck, "driver-unavailable", "the %s back end found no device (%s)",
				     d->name, eid_strerror(r));
			}
			continue;
		}
		ck->any_driver_open = true;
		r = d->list(ctx, &ri, &n);
		if (r < 0) {
			jadd_str(jd, "error", eid_errname(r));
			problem(ck, "list-failed", "the %s back end cannot list its readers (%s): "
				"restart it (pcscd: systemctl restart pcscd)", d->name, eid_strerror(r));
			d->close(ctx);
			continue;
		}
		jadd_int(jd, "readers", (int64_t)n);
		for (size_t i = 0; i < n; i++)
			check_reader(ck, d, ctx, &ri[i], i);
		ck->n_readers += n;
		free(ri);
		d->close(ctx);
	}
	if (ck->any_driver_open && ck->n_readers == 0)
		problem(ck, "no-readers",
			"no reader found: plug the reader in and check 'lsusb'; a USB CCID reader "
			"needs libccid, an NFC reader libnfc's configuration (LIBNFC_DEVICE or "
			"/etc/nfc/libnfc.conf); pcscd's log tells more (journalctl -u pcscd)");
	else if (ck->n_readers && ck->n_cards == 0)
		note(ck, "no-card", "no card on any reader: place a passport or ID card on the "
		     "reader to check the card, its type and extended length");
}

/* ---- the trust store ---- */

/* The C= attribute of a subject line ("C=DE, O=..."): "" if none. */
static void country_of(const char *subject, char out[8])
{
	const char *p = subject;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, "C=", 2)) {
			size_t n = strcspn(p + 2, ",");

			if (n < 8) {
				memcpy(out, p + 2, n);
				out[n] = '\0';
			}
			return;
		}
		p = strstr(p, ", ");
		if (p)
			p += 2;
	}
}

static int check_trust(struct check *ck)
{
	struct eid_trust *t = eid_trust_new();
	struct eid_trust_summary s;
	json_object *jt = json_object_new_object(), *expired = json_object_new_array();
	json_object *mls = json_object_new_array(), *crls = json_object_new_array();
	struct { char c[8]; size_t valid, expired; const struct eid_trust_csca *newest; } cc[256];
	size_t n_cc = 0, n_expired = 0, n_stale = 0;
	char d1[11];

	json_object_object_add(ck->root, "trust", jt);
	if (!t)
		return -EID_ENOMEM;
	for (size_t i = 0; i < ck->a.n_trust; i++) {
		if (eid_trust_load(t, ck->a.trust[i]) < 0)
			problem(ck, "trust-load", "trust store: %s: fix or remove that file",
				eid_trust_last_error(t));
	}
	eid_trust_get_summary(t, &s);
	jadd_int(jt, "cscas", (int64_t)s.n_cscas);
	jadd_int(jt, "master_lists", (int64_t)s.n_master_lists);
	jadd_int(jt, "crls", (int64_t)s.n_crls);
	jadd_int(jt, "duplicates", (int64_t)s.n_duplicates);
	jadd_int(jt, "skipped", (int64_t)s.n_skipped);
	if (s.n_cscas == 0)
		problem(ck, "trust-empty", "the trust store holds no CSCA: passive authentication "
			"cannot succeed; add the CSCA master list or CSCA certificates with --trust");
	for (size_t i = 0; i < eid_trust_csca_count(t); i++) {
		const struct eid_trust_csca *c = eid_trust_csca_get(t, i);
		bool is_expired = c->not_after < ck->now;
		char country[8];
		size_t k;

		country_of(c->subject, country);
		for (k = 0; k < n_cc && strcmp(cc[k].c, country); k++)
			;
		if (k == n_cc && n_cc < sizeof(cc) / sizeof(cc[0])) {
			memset(&cc[k], 0, sizeof(cc[k]));
			snprintf(cc[k].c, sizeof(cc[k].c), "%s", country);
			n_cc++;
		}
		if (k < n_cc) {
			if (is_expired)
				cc[k].expired++;
			else
				cc[k].valid++;
			if (!cc[k].newest || c->not_after > cc[k].newest->not_after)
				cc[k].newest = c;
		}
		if (is_expired) {
			json_object *e = json_object_new_object();

			n_expired++;
			jadd_str(e, "subject", c->subject);
			jadd_date(e, "not_after", c->not_after);
			jadd_str(e, "source", c->source);
			json_object_array_add(expired, e);
		}
		if (c->not_before > ck->now) {
			date_str(c->not_before, d1);
			note(ck, "csca-not-yet-valid", "CSCA '%s' becomes valid only on %s",
			     c->subject, d1);
		}
	}
	jadd_int(jt, "cscas_expired", (int64_t)n_expired);
	json_object_object_add(jt, "expired_cscas", expired);
	for (size_t k = 0; k < n_cc; k++) {
		if (!cc[k].expired)
			continue;
		date_str(cc[k].newest->not_after, d1);
		if (cc[k].valid == 0)
			problem(ck, "csca-expired",
				"every CSCA of country '%s' has expired (the newest, '%s', on %s): its "
				"documents cannot be verified; load a current master list or that "
				"country's current CSCA", cc[k].c[0] ? cc[k].c : "?", cc[k].newest->subject,
				d1);
		else
			note(ck, "csca-expired", "%zu expired CSCA(s) of country '%s' (normal in "
			     "master lists; %zu valid ones remain)", cc[k].expired,
			     cc[k].c[0] ? cc[k].c : "?", cc[k].valid);
	}
	for (size_t i = 0; i < eid_trust_ml_count(t); i++) {
		const struct eid_trust_ml *m = eid_trust_ml_get(t, i);
		json_object *e = json_object_new_object();

		jadd_str(e, "source", m->source);
		jadd_str(e, "signer", m->signer);
		if (m->signing_time)
			jadd_date(e, "signing_time", m->signing_time);
		jadd_int(e, "certificates", (int64_t)m->n_certs);
		jadd_int(e, "added", (int64_t)m->n_added);
		json_object_array_add(mls, e);
		if (m->signing_time && m->signing_time < ck->now - 365 * (time_t)DAY) {
			date_str(m->signing_time, d1);
			note(ck, "masterlist-old", "master list %s was signed on %s, over a year "
			     "ago: check for a newer one", m->source, d1);
		}
	}
	json_object_object_add(jt, "master_lists_loaded", mls);
	for (size_t i = 0; i < eid_trust_crl_count(t); i++) {
		const struct eid_trust_crl *c = eid_trust_crl_get(t, i);
		json_object *e = json_object_new_object();
		bool stale = c->next_update && c->next_update < ck->now, known = false;

		for (size_t k = 0; k < eid_trust_csca_count(t) && !known; k++)
			known = c->issuer && !strcmp(eid_trust_csca_get(t, k)->subject, c->issuer);
		jadd_str(e, "issuer", c->issuer);
		jadd_str(e, "source", c->source);
		jadd_date(e, "this_update", c->this_update);
		if (c->next_update)
			jadd_date(e, "next_update", c->next_update);
		jadd_int(e, "revoked", (int64_t)c->n_revoked);
		jadd_bool(e, "stale", stale);
		jadd_bool(e, "issuer_known", known);
		json_object_array_add(crls, e);
		if (stale) {
			n_stale++;
			date_str(c->next_update, d1);
			problem(ck, "crl-stale",
				"the CRL of '%s' (%s) was due for renewal on %s: download the current "
				"CRL, or revocations issued since are missed", c->issuer ? c->issuer : "?",
				c->source, d1);
		}
		if (!known)
			note(ck, "crl-issuer-unknown", "the CRL %s is issued by '%s', which is not "
			     "in the trust store: it is never used", c->source,
			     c->issuer ? c->issuer : "?");
	}
	jadd_int(jt, "crls_stale", (int64_t)n_stale);
	json_object_object_add(jt, "crls_loaded", crls);
	eid_trust_free(t);
	return 0;
}

/* ---- terminal credentials ---- */

static void check_terminal(struct check *ck)
{
	struct eid_ta_creds *creds = NULL;
	json_object *jt = json_object_new_object(), *chain = json_object_new_array();
	const struct eid_cvc *term;
	char rights[512];
	int r;

	json_object_object_add(ck->root, "terminal", jt);
	json_object_object_add(jt, "chain", chain);
	r = eid_ta_creds_load(ck->a.certs, ck->a.n_certs, ck->a.key, &creds);
	if (r < 0) {
		jadd_str(jt, "error", eid_errname(r));
		problem(ck, "terminal-unusable",
			"the terminal credentials cannot be used (%s): give the certificates in "
			"chain order (DV, then terminal) and the terminal's own private key",
			eid_strerror(r));
		return;
	}
	for (size_t i = 0; i < creds->n_certs; i++) {
		const struct eid_cvc *c = creds->certs[i];
		json_object *e = json_object_new_object();

		jadd_str(e, "chr", c->chr);
		jadd_str(e, "car", c->car);
		jadd_str(e, "effective", c->effective);
		jadd_str(e, "expiration", c->expiration);
		jadd_bool(e, "expired", c->expiration_t < ck->now);
		json_object_array_add(chain, e);
		if (c->expiration_t < ck->now)
			problem(ck, "terminal-expired",
				"the %s certificate %s expired on %s: request a new one from your "
				"certificate provider (DV); the chip refuses expired certificates",
				i + 1 == creds->n_certs ? "terminal" : "DV", c->chr, c->expiration);
		else if (c->effective_t > ck->now)
			problem(ck, "terminal-not-yet-valid",
				"the certificate %s becomes valid only on %s: check the system clock "
				"or wait", c->chr, c->effective);
	}
	term = eid_ta_creds_terminal(creds);
	if (term) {
		jadd_str(jt, "chr", term->chr);
		jadd_str(jt, "expiration", term->expiration);
		if (eid_cvc_rights_string(term->rights, rights, sizeof(rights)) == 0)
			jadd_str(jt, "chat", rights);
		if (term->expiration_t >= ck->now && term->expiration_t < ck->now + 7 * (time_t)DAY)
			note(ck, "terminal-expiring", "the terminal certificate %s expires on %s: "
			     "renew it in time", term->chr, term->expiration);
	}
	eid_ta_creds_free(creds);
}

/* ---- the daemon ---- */

static json_object *variant_json(DBusMessageIter *it);

static json_object *array_json(DBusMessageIter *it)
{
	DBusMessageIter sub;
	int et = dbus_message_iter_get_element_type(it);
	json_object *o;

	dbus_message_iter_recurse(it, &sub);
	if (et == DBUS_TYPE_BYTE) {
		const uint8_t *b = NULL;
		int n = 0;
		char *h;

		dbus_message_iter_get_fixed_array(&sub, &b, &n);
		if (n < 0 || !(h = malloc(2 * (size_t)n + 1)))
			return NULL;
		eid_hex(b, (size_t)n, h);
		o = json_object_new_string(h);
		free(h);
		return o;
	}
	if (et == DBUS_TYPE_DICT_ENTRY) {
		o = json_object_new_object();
		for (; dbus_message_iter_get_arg_type(&sub) == DBUS_TYPE_DICT_ENTRY;
		     dbus_message_iter_next(&sub)) {
			DBusMessageIter e;
			char key[128];
			const char *k = NULL;

			dbus_message_iter_recurse(&sub, &e);
			if (dbus_message_iter_get_arg_type(&e) == DBUS_TYPE_STRING) {
				dbus_message_iter_get_basic(&e, &k);
			} else {
				json_object *kj = variant_json(&e);

				snprintf(key, sizeof(key), "%s", kj ? json_object_get_string(kj) : "?");
				json_object_put(kj);
				k = key;
			}
			dbus_message_iter_next(&e);
			json_object_object_add(o, k, variant_json(&e));
		}
		return o;
	}
	o = json_object_new_array();
	for (; dbus_message_iter_get_arg_type(&sub) != DBUS_TYPE_INVALID; dbus_message_iter_next(&sub))
		json_object_array_add(o, variant_json(&sub));
	return o;
}

/* Any D-Bus value as JSON (byte arrays as hex). */
static json_object *variant_json(DBusMessageIter *it)
{
	DBusBasicValue v;
	DBusMessageIter sub;
	json_object *o;

	switch (dbus_message_iter_get_arg_type(it)) {
	case DBUS_TYPE_STRING:
	case DBUS_TYPE_OBJECT_PATH:
	case DBUS_TYPE_SIGNATURE:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_string(v.str);
	case DBUS_TYPE_BOOLEAN:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_boolean(v.bool_val);
	case DBUS_TYPE_BYTE:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int(v.byt);
	case DBUS_TYPE_INT16:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int(v.i16);
	case DBUS_TYPE_UINT16:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int(v.u16);
	case DBUS_TYPE_INT32:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int(v.i32);
	case DBUS_TYPE_UINT32:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v.u32);
	case DBUS_TYPE_INT64:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64(v.i64);
	case DBUS_TYPE_UINT64:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_int64((int64_t)v.u64);
	case DBUS_TYPE_DOUBLE:
		dbus_message_iter_get_basic(it, &v);
		return json_object_new_double(v.dbl);
	case DBUS_TYPE_VARIANT:
		dbus_message_iter_recurse(it, &sub);
		return variant_json(&sub);
	case DBUS_TYPE_ARRAY:
		return array_json(it);
	case DBUS_TYPE_STRUCT:
		o = json_object_new_array();
		dbus_message_iter_recurse(it, &sub);
		for (; dbus_message_iter_get_arg_type(&sub) != DBUS_TYPE_INVALID;
		     dbus_message_iter_next(&sub))
			json_object_array_add(o, variant_json(&sub));
		return o;
	default:
		return NULL;
	}
}

static DBusMessage *call(DBusConnection *c, const char *path, const char *iface,
			 const char *method, DBusError *err, int first_type, ...)
{
	DBusMessage *m = dbus_message_new_method_call(DBUS_NAME, path, iface, method), *reply;
	va_list ap;

	if (!m)
		return NULL;
	va_start(ap, first_type);
	if (first_type != DBUS_TYPE_INVALID && !dbus_message_append_args_valist(m, first_type, ap)) {
		va_end(ap);
		dbus_message_unref(m);
		return NULL;
	}
	va_end(ap);
	reply = dbus_connection_send_with_reply_and_block(c, m, DBUS_TIMEOUT_MS, err);
	dbus_message_unref(m);
	return reply;
}

/* A reader property (string) of a Reader object; NULL on failure (strdup'ed). */
static char *reader_prop(DBusConnection *c, const char *path, const char *prop)
{
	const char *iface = DBUS_READER;
	DBusError err;
	DBusMessage *r;
	DBusMessageIter it, v;
	char *out = NULL;

	dbus_error_init(&err);
	r = call(c, path, DBUS_INTERFACE_PROPERTIES, "Get", &err, DBUS_TYPE_STRING, &iface,
		 DBUS_TYPE_STRING, &prop, DBUS_TYPE_INVALID);
	dbus_error_free(&err);
	if (!r)
		return NULL;
	if (dbus_message_iter_init(r, &it) && dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_VARIANT) {
		dbus_message_iter_recurse(&it, &v);
		if (dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_STRING) {
			const char *s;

			dbus_message_iter_get_basic(&v, &s);
			out = strdup(s);
		}
	}
	dbus_message_unref(r);
	return out;
}

static bool in_list(json_object *arr, const char *driver, const char *name)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		const char *dn = jget_str(e, "driver"), *nm = jget_str(e, "name");

		if (nm && !strcmp(nm, name) && (!dn || !driver || !strcmp(dn, driver)))
			return true;
	}
	return false;
}

static void daemon_error(struct check *ck, json_object *jd, const DBusError *err)
{
	const char *where = ck->a.bus == BUS_ADDRESS ? ck->a.address
			    : ck->a.bus == BUS_SESSION ? "the session bus" : "the system bus";

	jadd_str(jd, "error", err->name);
	if (!strcmp(err->name, DBUS_ERROR_SERVICE_UNKNOWN) ||
	    !strcmp(err->name, DBUS_ERROR_NAME_HAS_NO_OWNER) ||
	    !strcmp(err->name, DBUS_ERROR_UNKNOWN_METHOD) ||
	    !strcmp(err->name, DBUS_ERROR_UNKNOWN_OBJECT) ||
	    !strcmp(err->name, DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND))
		problem(ck, "daemon-absent", "eidd is not running on %s: start it (systemctl "
			"start eidd) and look at its log (journalctl -u eidd)", where);
	else if (!strcmp(err->name, "org.eidd.Eidd1.Error.NotAuthorized") ||
		 !strcmp(err->name, DBUS_ERROR_ACCESS_DENIED))
		problem(ck, "daemon-denied", "eidd refused GetDiagnostics (%s): run the check as "
			"an administrator (polkit action org.eidd.diagnostics)", err->message);
	else if (!strcmp(err->name, DBUS_ERROR_NO_REPLY) || !strcmp(err->name, DBUS_ERROR_TIMEOUT))
		problem(ck, "daemon-hangs", "eidd on %s did not answer within %d s: restart it "
			"(systemctl restart eidd) and report its log", where, DBUS_TIMEOUT_MS / 1000);
	else
		problem(ck, "daemon-error", "asking eidd on %s failed (%s: %s)", where, err->name,
			err->message);
}

static void check_daemon(struct check *ck)
{
	json_object *jd = json_object_new_object(), *dr = json_object_new_array();
	DBusConnection *c = NULL;
	DBusMessage *r = NULL;
	DBusMessageIter it, sub;
	DBusError err;
	size_t only_daemon = 0, only_here = 0;
	char list_d[1024] = "", list_h[1024] = "";

	json_object_object_add(ck->root, "daemon", jd);
	dbus_error_init(&err);
	if (ck->a.bus == BUS_ADDRESS) {
		c = dbus_connection_open_private(ck->a.address, &err);
		if (c && !dbus_bus_register(c, &err)) {
			dbus_connection_close(c);
			dbus_connection_unref(c);
			c = NULL;
		}
	} else {
		c = dbus_bus_get_private(ck->a.bus == BUS_SESSION ? DBUS_BUS_SESSION : DBUS_BUS_SYSTEM,
					 &err);
	}
	if (!c) {
		jadd_str(jd, "error", err.name ? err.name : "unknown");
		problem(ck, "daemon-bus", "cannot connect to %s (%s): is dbus running, is the "
			"address right?", ck->a.bus == BUS_ADDRESS ? ck->a.address
			: ck->a.bus == BUS_SESSION ? "the session bus" : "the system bus",
			err.message ? err.message : "unknown error");
		goto out;
	}
	dbus_connection_set_exit_on_disconnect(c, FALSE);
	r = call(c, DBUS_PATH, DBUS_MANAGER, "GetDiagnostics", &err, DBUS_TYPE_INVALID);
	if (!r) {
		jadd_bool(jd, "reachable", false);
		daemon_error(ck, jd, &err);
		goto out;
	}
	jadd_bool(jd, "reachable", true);
	if (dbus_message_iter_init(r, &it))
		json_object_object_add(jd, "diagnostics", variant_json(&it));
	dbus_message_unref(r);
	r = call(c, DBUS_PATH, DBUS_MANAGER, "GetReaders", &err, DBUS_TYPE_INVALID);
	if (!r) {
		daemon_error(ck, jd, &err);
		goto out;
	}
	json_object_object_add(jd, "readers", dr);
	dr = NULL;
	if (dbus_message_iter_init(r, &it) && dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY) {
		dbus_message_iter_recurse(&it, &sub);
		for (; dbus_message_iter_get_arg_type(&sub) == DBUS_TYPE_OBJECT_PATH;
		     dbus_message_iter_next(&sub)) {
			const char *path;
			char *name, *driver;
			json_object *e = json_object_new_object();

			dbus_message_iter_get_basic(&sub, &path);
			name = reader_prop(c, path, "Name");
			driver = reader_prop(c, path, "Driver");
			jadd_str(e, "path", path);
			jadd_str(e, "name", name);
			jadd_str(e, "driver", driver);
			json_object_array_add(jget(jd, "readers"), e);
			if (name && !ck->a.no_readers && !in_list(ck->readers, driver, name)) {
				only_daemon++;
				snprintf(list_d + strlen(list_d), sizeof(list_d) - strlen(list_d),
					 "%s'%s'", only_daemon > 1 ? ", " : "", name);
			}
			free(name);
			free(driver);
		}
	}
	if (!ck->a.no_readers) {
		json_object *mine = ck->readers, *theirs = jget(jd, "readers");

		for (size_t i = 0; i < json_object_array_length(mine); i++) {
			json_object *e = json_object_array_get_idx(mine, i);
			const char *nm = jget_str(e, "name");

			if (nm && !in_list(theirs, jget_str(e, "driver"), nm)) {
				only_here++;
				snprintf(list_h + strlen(list_h), sizeof(list_h) - strlen(list_h),
					 "%s'%s'", only_here > 1 ? ", " : "", nm);
			}
		}
		jadd_bool(jd, "readers_match", !only_daemon && !only_here);
		if (only_daemon || only_here)
			problem(ck, "daemon-readers-differ",
				"eidd and eid-diag see different readers (%s%s%s%s%s%s): restart eidd "
				"(systemctl restart eidd) and check that both use the same pcscd and "
				"back ends (eidd --driver)",
				only_daemon ? "only eidd: " : "", list_d, only_daemon && only_here ? "; " : "",
				only_here ? "only eid-diag: " : "", list_h, "");
	}
out:
	if (r)
		dbus_message_unref(r);
	json_object_put(dr);
	dbus_error_free(&err);
	if (c) {
		dbus_connection_close(c);
		dbus_connection_unref(c);
	}
}

/* ---- text output ---- */

static void print_atr_text(json_object *ja)
{
	json_object *v, *h;

	printf("      ATR: %s\n", jget_str(ja, "hex"));
	if (jget_str(ja, "error")) {
		printf("           malformed (cannot be decoded)\n");
		return;
	}
	printf("           TS %s (%s convention), T0 %s", jget_str(ja, "ts"),
	       jget_str(ja, "convention"), jget_str(ja, "t0"));
	if ((v = jget(ja, "interface_bytes")))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			printf(", %s", json_object_get_string(json_object_array_get_idx(v, i)));
	printf("; protocols");
	if ((v = jget(ja, "protocols")))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(v, i)));
	printf("; TCK %s\n", jget_str(ja, "tck"));
	if (jget_str(ja, "contactless")) {
		printf("           contactless (PC/SC part 3): %s", jget_str(ja, "contactless"));
		if (!strcmp(jget_str(ja, "contactless"), "ISO 14443-4"))
			printf(", historical bytes from the ATS");
		if (jget(ja, "max_frame"))
			printf(", max frame %s bytes", jget_str(ja, "max_frame"));
		printf("\n");
	}
	printf("           historical bytes: %s", *jget_str(ja, "historical_bytes") ?
	       jget_str(ja, "historical_bytes") : "none");
	if ((h = jget(ja, "historical"))) {
		printf(" (category %s", jget_str(h, "category"));
		v = jget(h, "items");
		for (size_t i = 0; v && i < json_object_array_length(v); i++) {
			json_object *it = json_object_array_get_idx(v, i);

			printf("; %s %s", jget_str(it, "name"), jget_str(it, "value"));
		}
		if (jget(h, "extended_lc_le"))
			printf("; extended Lc/Le: %s",
			       json_object_get_boolean(jget(h, "extended_lc_le")) ? "yes" : "no");
		printf(")");
	}
	printf("\n");
}

static void print_card_text(json_object *jr)
{
	json_object *jc = jget(jr, "card"), *si, *v;
	const char *type = jget_str(jc, "type");

	if (jget(jr, "atr"))
		print_atr_text(jget(jr, "atr"));
	if (jget_str(jc, "error")) {
		printf("      card: %s\n", jget_str(jc, "error"));
		return;
	}
	printf("      card type: %s\n", !type ? "unknown" : !strcmp(type, "de-eid") ?
	       "German eID card (de-eid)" : !strcmp(type, "icao-mrtd") ?
	       "ICAO e-passport or e-ID (icao-mrtd)" : "unknown");
	if ((si = jget(jc, "security_infos"))) {
		printf("      EF.CardAccess:");
		v = jget(si, "pace");
		for (size_t i = 0; v && i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);

			printf("\n        PACE %s, parameter ID %s%s%s%s", jget_str(e, "protocol"),
			       jget_str(e, "parameter_id") ? jget_str(e, "parameter_id") : "?",
			       jget_str(e, "parameters") ? " (" : "",
			       jget_str(e, "parameters") ? jget_str(e, "parameters") : "",
			       jget_str(e, "parameters") ? ")" : "");
			if (!json_object_get_boolean(jget(e, "supported")))
				printf(" - not supported");
		}
		v = jget(si, "ca");
		for (size_t i = 0; v && i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);

			printf("\n        CA %s%s%s", jget_str(e, "protocol"),
			       jget(e, "version") ? " v" : "",
			       jget(e, "version") ? jget_str(e, "version") : "");
		}
		v = jget(si, "ta");
		for (size_t i = 0; v && i < json_object_array_length(v); i++)
			printf("\n        TA v%s", jget_str(json_object_array_get_idx(v, i), "version"));
		if (jget(si, "aa"))
			printf("\n        AA");
		v = jget(si, "other");
		for (size_t i = 0; v && i < json_object_array_length(v); i++)
			printf("\n        %s", json_object_get_string(json_object_array_get_idx(v, i)));
		printf("\n");
	} else {
		printf("      EF.CardAccess: %s\n", json_object_get_boolean(jget(jc, "cardaccess")) ?
		       "unreadable" : "none (no PACE)");
	}
	if (jget(jc, "bac"))
		printf("      BAC: %s\n", jget_str(jc, "bac"));
}

static void print_findings(const char *title, json_object *list)
{
	size_t n = json_object_array_length(list);

	if (!n)
		return;
	printf("\n%s:\n", title);
	for (size_t i = 0; i < n; i++)
		printf("  - %s\n", jget_str(json_object_array_get_idx(list, i), "message"));
}

static void print_text(struct check *ck)
{
	json_object *v, *t;

	if ((v = jget(ck->root, "drivers"))) {
		printf("Readers\n");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *d = json_object_array_get_idx(v, i);
			const char *nm = jget_str(d, "name");

			if (!json_object_get_boolean(jget(d, "compiled")))
				printf("  %s: not built in\n", nm);
			else if (!json_object_get_boolean(jget(d, "available")))
				printf("  %s: %s (%s)\n", nm, !strcmp(nm, "pcsc") ? "pcscd unreachable"
				       : "unavailable", jget_str(d, "error"));
			else
				printf("  %s: %s readers%s\n", nm, jget_str(d, "readers"),
				       !strcmp(nm, "pcsc") ? " (pcscd reachable)" : "");
		}
	}
	for (size_t i = 0; ck->readers && i < json_object_array_length(ck->readers); i++) {
		json_object *r = json_object_array_get_idx(ck->readers, i), *f = jget(r, "features");
		json_object *p10 = jget(f, "part10");

		printf("  [%s %s] %s\n", jget_str(r, "driver"), jget_str(r, "index"),
		       jget_str(r, "name"));
		printf("      card: %s\n", json_object_get_boolean(jget(r, "card_present")) ?
		       "present" : "none");
		printf("      part 10 features:");
		for (size_t k = 0; p10 && k < json_object_array_length(p10); k++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(p10, k)));
		if (!p10 || !json_object_array_length(p10))
			printf(" none");
		printf("; max APDU: %s\n", jget(f, "max_apdu") ? jget_str(f, "max_apdu") : "unknown");
		if (jget(f, "pinpad"))
			printf("      pin pad: %s, reader PACE: %s\n",
			       json_object_get_boolean(jget(f, "pinpad")) ? "yes" : "no",
			       json_object_get_boolean(jget(f, "reader_pace")) ? "yes" : "no");
		if (jget(r, "card"))
			print_card_text(r);
		printf("      extended length: %s (%s)\n", jget_str(r, "extended_length"),
		       jget_str(r, "extended_length_how"));
	}
	if ((t = jget(ck->root, "trust"))) {
		printf("Trust store\n  %s CSCAs (%s expired), %s master lists, %s CRLs (%s past "
		       "next update)\n", jget_str(t, "cscas"), jget_str(t, "cscas_expired"),
		       jget_str(t, "master_lists"), jget_str(t, "crls"), jget_str(t, "crls_stale"));
		v = jget(t, "master_lists_loaded");
		for (size_t i = 0; v && i < json_object_array_length(v); i++) {
			json_object *m = json_object_array_get_idx(v, i);

			printf("  master list %s: signed %s, %s certificates\n", jget_str(m, "source"),
			       jget_str(m, "signing_time") ? jget_str(m, "signing_time") : "(no date)",
			       jget_str(m, "certificates"));
		}
		v = jget(t, "crls_loaded");
		for (size_t i = 0; v && i < json_object_array_length(v); i++) {
			json_object *c = json_object_array_get_idx(v, i);

			printf("  CRL %s: next update %s%s\n", jget_str(c, "source"),
			       jget_str(c, "next_update") ? jget_str(c, "next_update") : "none",
			       json_object_get_boolean(jget(c, "stale")) ? " (stale)" : "");
		}
	}
	if ((t = jget(ck->root, "terminal"))) {
		printf("Terminal credentials\n");
		if (jget_str(t, "error"))
			printf("  unusable (%s)\n", jget_str(t, "error"));
		else
			printf("  %s, expires %s\n  rights: %s\n", jget_str(t, "chr"),
			       jget_str(t, "expiration"),
			       jget_str(t, "chat") ? jget_str(t, "chat") : "unknown");
	}
	if ((t = jget(ck->root, "daemon"))) {
		printf("Daemon\n");
		if (!json_object_get_boolean(jget(t, "reachable")))
			printf("  eidd not reachable (%s)\n", jget_str(t, "error") ?
			       jget_str(t, "error") : "no connection");
		else
			printf("  eidd answers; readers %s\n", !jget(t, "readers_match") ? "not compared"
			       : json_object_get_boolean(jget(t, "readers_match")) ? "match"
			       : "differ");
	}
	print_findings("Notes", ck->notes);
	print_findings("Problems", ck->problems);
	if (json_object_array_length(ck->problems))
		printf("\nResult: %zu problem(s) found\n", json_object_array_length(ck->problems));
	else
		printf("\nResult: all fine\n");
}

/* ---- arguments ---- */

static int parse_args(int argc, char **argv, struct check_args *a)
{
	struct stat st;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(o, "--trust") || !strcmp(o, "--terminal-cert") ||
			     !strcmp(o, "--terminal-key") || !strcmp(o, "--at") ||
			     !strcmp(o, "--address");

		if (takes && !v) {
			diag_err("check: %s needs a value", o);
			return -1;
		}
		if (!strcmp(o, "--json")) {
			a->json = true;
		} else if (!strcmp(o, "--help")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(o, "--daemon")) {
			a->daemon = true;
		} else if (!strcmp(o, "--no-readers")) {
			a->no_readers = true;
		} else if (!strcmp(o, "--system")) {
			a->bus = BUS_SYSTEM;
		} else if (!strcmp(o, "--session")) {
			a->bus = BUS_SESSION;
		} else if (!strcmp(o, "--address")) {
			a->bus = BUS_ADDRESS;
			a->address = v;
		} else if (!strcmp(o, "--trust")) {
			if (a->n_trust >= MAX_TRUST) {
				diag_err("check: at most %d --trust", MAX_TRUST);
				return -1;
			}
			a->trust[a->n_trust++] = v;
		} else if (!strcmp(o, "--terminal-cert")) {
			if (a->n_certs >= EID_TA_MAX_CERTS) {
				diag_err("check: at most %d --terminal-cert", EID_TA_MAX_CERTS);
				return -1;
			}
			a->certs[a->n_certs++] = v;
		} else if (!strcmp(o, "--terminal-key")) {
			a->key = v;
		} else if (!strcmp(o, "--at")) {
			if (!(a->at = diag_parse_date(v))) {
				diag_err("check: bad --at date (use YYYY-MM-DD)");
				return -1;
			}
		} else {
			diag_err("check: unknown option '%s' (try --help)", o);
			return -1;
		}
		if (takes)
			i++;
	}
	if (!a->n_certs != !a->key) {
		diag_err("check: give --terminal-cert and --terminal-key together");
		return -1;
	}
	for (size_t i = 0; i < a->n_trust; i++)
		if (stat(a->trust[i], &st) < 0) {
			diag_err("check: trust store %s: %s", a->trust[i], strerror(errno));
			return -1;
		}
	for (size_t i = 0; i < a->n_certs + 1 && a->key; i++) {
		const char *p = i < a->n_certs ? a->certs[i] : a->key;

		if (stat(p, &st) < 0) {
			diag_err("check: %s: %s", p, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int diag_check_main(int argc, char **argv)
{
	struct check ck;
	int r;

	memset(&ck, 0, sizeof(ck));
	r = parse_args(argc, argv, &ck.a);
	if (r)
		return r > 0 ? DIAG_EXIT_OK : DIAG_EXIT_UNUSABLE;
	ck.now = ck.a.at ? ck.a.at : time(NULL);
	ck.root = json_object_new_object();
	ck.problems = json_object_new_array();
	ck.notes = json_object_new_array();
	if (!ck.root || !ck.problems || !ck.notes) {
		diag_err("check: out of memory");
		return DIAG_EXIT_UNUSABLE;
	}
	jadd_str(ck.root, "version", PACKAGE_VERSION);
	jadd_date(ck.root, "date", ck.now);
	if (!ck.a.no_readers)
		check_drivers(&ck);
	if (ck.a.n_trust && check_trust(&ck) < 0) {
		diag_err("check: out of memory");
		json_object_put(ck.root);
		return DIAG_EXIT_UNUSABLE;
	}
	if (ck.a.n_certs)
		check_terminal(&ck);
	if (ck.a.daemon)
		check_daemon(&ck);
	json_object_object_add(ck.root, "notes", json_object_get(ck.notes));
	json_object_object_add(ck.root, "problems", json_object_get(ck.problems));
	jadd_str(ck.root, "result", json_object_array_length(ck.problems) ? "problems" : "ok");
	if (ck.a.json)
		printf("%s\n", json_object_to_json_string_ext(ck.root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_text(&ck);
	r = json_object_array_length(ck.problems) ? DIAG_EXIT_PROBLEM : DIAG_EXIT_OK;
	json_object_put(ck.notes);
	json_object_put(ck.problems);
	json_object_put(ck.root);
	return r;
}
