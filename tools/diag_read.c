/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag read: a direct read of an e-passport without the daemon.
 *
 *   eid-diag read [--reader NAME|INDEX] (--mrz TEXT | --doc-number X --dob YYMMDD
 *                 --doe YYMMDD | --can N) [--dg DG1,DG2,...] [--face FILE]
 *                 [--trust PATH]... [--at YYYY-MM-DD] [--allow-bac] [--json]
 *                 [--trace | --trace-data]
 *
 * The result uses the keys of the D-Bus API's result dictionary, plus
 * "stats" (APDUs, bytes each way, wall and host CPU seconds, seconds per step).  --trace prints
 * each step with its duration and APDU count and each APDU's header and status word to stderr,
 * never data; --trace-data adds the APDU bytes as they go over the wire (after secure
 * messaging wrapping), with a warning first.
 * Exit: 0 verified, 1 read but not verified, 2 could not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <json-c/json.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "driver.h"
#include "mrz.h"
#include "read.h"
#include "ta.h"
#include "trust.h"
#include "diag.h"

#define MAX_TRUST 32

struct read_args {
	const char *reader, *driver;
	const char *mrz, *doc, *dob, *doe, *can, *pin, *puk;
	const char *document;
	const char *term_cert[EID_TA_MAX_CERTS];
	size_t n_term_cert;
	const char *term_key;
	uint32_t dgs;
	const char *face;
	const char *ri_sector;
	const char *trust[MAX_TRUST];
	size_t n_trust;
	time_t at;
	bool allow_bac, json, trace, trace_data;
	/* --trace: the step under way, measured from the card's counters */
	const struct eid_card *card;
	const char *step;
	unsigned long step_apdus, start_apdus;
	struct timespec step_t0, start_t0;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eid-diag read [--driver pcsc|nfc] [--reader NAME|INDEX] (--mrz TEXT | --doc-number X --dob YYMMDD\n"
		"                     --doe YYMMDD | --can N) [--dg DG1,DG2,...] [--face FILE]\n"
		"                     [--trust PATH]... [--at YYYY-MM-DD] [--allow-bac] [--json] [--trace]\n"
		"                     [--trace-data]\n"
		"Reads an e-passport directly through PC/SC (no daemon) and verifies it.\n"
		"  --driver NAME       reader back end: pcsc (default) or nfc (libnfc)\n"
		"  --mrz TEXT          the MRZ (lines separated by newlines) for BAC/PACE\n"
		"  --doc-number, --dob, --doe   the MRZ key fields instead of the whole MRZ\n"
		"  --can N             the card access number (PACE with CAN)\n"
		"  --pin N             German eID: the PIN (PACE with PIN; with --can too when\n"
		"                      the PIN is suspended, with --puk when it is blocked)\n"
		"  --puk N             German eID: the PUK, used only when the PIN is blocked\n"
		"  --terminal-cert FILE  German eID: a CV certificate of the terminal's chain,\n"
		"                      repeated in order: (link certificates,) DV, terminal\n"
		"  --terminal-key FILE the terminal's private key (PEM or DER)\n"
		"  --document KIND     auto (default), icao-mrtd or de-eid\n"
		"  --ri-sector FILE    German eID: Restricted Identification with this sector\n"
		"                      public key (PEM); prints the sector-specific ID\n"
		"  --dg LIST           data groups to read (default: passports DG1; the German\n"
		"                      eID DG1-DG5 and DG8)\n"
		"  --face FILE         write the face image (DG2) to FILE: JPEG as it is,\n"
		"                      JPEG 2000 converted to PNG\n"
		"  --trust PATH        CSCA certificate, master list, LDIF, CRL or folder\n"
		"  --at YYYY-MM-DD     verify certificates at that day (default now)\n"
		"  --allow-bac         use BAC when PACE is not offered or fails\n"
		"  --trace             print each step (time, APDUs) and APDU headers and\n"
		"                      status words to stderr\n"
		"  --trace-data        --trace with the APDU bytes too: shows personal data\n"
		"                      and secrets\n"
		"Exit: 0 verified, 1 read but not verified, 2 could not read.\n");
}

static int parse_dgs(const char *list, uint32_t *dgs)
{
	char buf[256], *save = NULL, *tok;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int n;

		if (eid_read_parse_dg(tok, &n) < 0)
			return -1;
		*dgs |= 1u << n;
	}
	return 0;
}

static const char *arg_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		diag_err("read: %s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct read_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char **dst = NULL;

		if (!strcmp(o, "--json")) {
			a->json = true;
			continue;
		}
		if (!strcmp(o, "--trace")) {
			a->trace = true;
			continue;
		}
		if (!strcmp(o, "--trace-data")) {
			a->trace = a->trace_data = true;
			continue;
		}
		if (!strcmp(o, "--allow-bac")) {
			a->allow_bac = true;
			continue;
		}
		if (!strcmp(o, "--help")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(o, "--reader"))
			dst = &a->reader;
		else if (!strcmp(o, "--driver"))
			dst = &a->driver;
		else if (!strcmp(o, "--mrz"))
			dst = &a->mrz;
		else if (!strcmp(o, "--doc-number"))
			dst = &a->doc;
		else if (!strcmp(o, "--dob"))
			dst = &a->dob;
		else if (!strcmp(o, "--doe"))
			dst = &a->doe;
		else if (!strcmp(o, "--can"))
			dst = &a->can;
		else if (!strcmp(o, "--pin"))
			dst = &a->pin;
		else if (!strcmp(o, "--puk"))
			dst = &a->puk;
		else if (!strcmp(o, "--document"))
			dst = &a->document;
		else if (!strcmp(o, "--terminal-key"))
			dst = &a->term_key;
		else if (!strcmp(o, "--face"))
			dst = &a->face;
		else if (!strcmp(o, "--ri-sector"))
			dst = &a->ri_sector;
		if (dst) {
			if (!(*dst = arg_value(argc, argv, &i)))
				return -1;
			continue;
		}
		if (!strcmp(o, "--dg")) {
			const char *v = arg_value(argc, argv, &i);

			if (!v || parse_dgs(v, &a->dgs) < 0) {
				diag_err("read: bad --dg list (use e.g. DG1,DG2,DG11)");
				return -1;
			}
		} else if (!strcmp(o, "--terminal-cert")) {
			const char *v = arg_value(argc, argv, &i);

			if (!v || a->n_term_cert >= EID_TA_MAX_CERTS)
				return -1;
			a->term_cert[a->n_term_cert++] = v;
		} else if (!strcmp(o, "--trust")) {
			const char *v = arg_value(argc, argv, &i);

			if (!v || a->n_trust >= MAX_TRUST)
				return -1;
			a->trust[a->n_trust++] = v;
		} else if (!strcmp(o, "--at")) {
			const char *v = arg_value(argc, argv, &i);

			if (!v || !(a->at = diag_parse_date(v))) {
				diag_err("read: bad --at date (use YYYY-MM-DD)");
				return -1;
			}
		} else {
			diag_err("read: unknown option '%s' (try --help)", o);
			return -1;
		}
	}
	if (!a->mrz && !a->can && !a->pin && !a->puk && !(a->doc && a->dob && a->doe)) {
		diag_err("read: give --mrz, --doc-number/--dob/--doe, --can, --pin or --puk");
		return -1;
	}
	if (a->document && strcmp(a->document, "auto") && strcmp(a->document, "icao-mrtd") &&
	    strcmp(a->document, "de-eid")) {
		diag_err("read: --document is auto, icao-mrtd or de-eid");
		return -1;
	}
	if ((a->n_term_cert > 0) != (a->term_key != NULL)) {
		diag_err("read: --terminal-cert and --terminal-key go together");
		return -1;
	}
	if (a->face)
		a->dgs |= 1u << 2;
	return 0;
}

/* ---- secrets: computed from the arguments, wiped after use ---- */

static int secret_cb(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	const struct read_args *a = ctx;
	uint8_t h[20];
	int r;

	const char *digits = kind == EID_PW_CAN ? a->can : kind == EID_PW_PIN ? a->pin
			     : kind == EID_PW_PUK ? a->puk : NULL;

	(void)retries;
	if (kind == EID_PW_CAN || kind == EID_PW_PIN || kind == EID_PW_PUK) {
		if (!digits)
			return -EID_ENOTFOUND;
		return eid_buf_set(out, digits, strlen(digits));
	}
	if (kind != EID_PW_MRZ)
		return -EID_ENOTFOUND;
	if (a->mrz) {
		struct eid_mrz m;

		if (eid_mrz_parse(a->mrz, &m) < 0)
			return -EID_EINVAL;
		r = eid_mrz_key_hash_from(&m, h);
		eid_mrz_clear(&m);
	} else if (a->doc) {
		r = eid_mrz_key_hash(a->doc, a->dob, a->doe, h);
	} else {
		return -EID_ENOTFOUND;
	}
	if (r == 0)
		r = eid_buf_set(out, h, sizeof(h));
	eid_wipe(h, sizeof(h));
	return r;
}

/* Bytes as hex, 32 a line, indented under their APDU line. */
static void trace_hex(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02X%s", i % 32 ? " " : "    ", b[i],
			i % 32 == 31 || i + 1 == n ? "\n" : "");
}

static void trace_cb(void *ctx, bool is_command, const uint8_t *b, size_t n)
{
	const struct read_args *a = ctx;

	if (is_command && n >= 4) {
		fprintf(stderr, "> %02X %02X %02X %02X  (%zu bytes)\n", b[0], b[1], b[2], b[3], n);
		if (a->trace_data)
			trace_hex(b + 4, n - 4);
	} else if (!is_command && n >= 2) {
		fprintf(stderr, "< %02X%02X  (%zu bytes)\n", b[n - 2], b[n - 1], n);
		if (a->trace_data)
			trace_hex(b, n - 2);
	}
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* --trace: the step under way ends (at the next step's start and after the read). */
static void trace_step_end(struct read_args *a)
{
	if (!a->step || !a->card)
		return;
	fprintf(stderr, "-- %s: %.1f ms, %lu APDUs\n", a->step, ms_since(&a->step_t0),
		a->card->stats.apdus - a->step_apdus);
	a->step = NULL;
}

static void progress_cb(void *ctx, const char *step, double fraction)
{
	struct read_args *a = ctx;

	if (!a->trace)
		return;
	trace_step_end(a);
	fprintf(stderr, "-- %s (%.0f%%)\n", step, fraction * 100);
	if (a->card) {
		a->step = step;
		a->step_apdus = a->card->stats.apdus;
		clock_gettime(CLOCK_MONOTONIC, &a->step_t0);
	}
}

/* ---- the reader ---- */

static int pick_reader(const struct eid_driver *d, struct eid_drv_ctx *ctx, const char *want,
		       char *name, size_t size)
{
	struct eid_reader_info *ri = NULL;
	size_t n = 0;
	int r, found = -1;

	if ((r = d->list(ctx, &ri, &n)) < 0)
		return r;
	for (size_t i = 0; i < n && found < 0; i++) {
		char idx[24];

		snprintf(idx, sizeof(idx), "%zu", i);
		if (want ? (!strcmp(want, ri[i].name) || !strcmp(want, idx)) : ri[i].card_present)
			found = (int)i;
	}
	if (found >= 0)
		snprintf(name, size, "%s", ri[found].name);
	free(ri);
	return found >= 0 ? 0 : -EID_ENOTFOUND;
}

/* ---- output ---- */

static void add(json_object *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_object_add(o, k, json_object_new_string(v));
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static json_object *result_json(const struct eid_read_result *res, double cpu)
{
	json_object *o = json_object_new_object(), *files = json_object_new_array();
	json_object *stats = json_object_new_object(), *steps = json_object_new_array();

	add(o, "document_kind", eid_doc_kind_name(res->kind));
	diag_holder_json(o, &res->holder);
	if (res->dg2 && res->dg2->n) {
		json_object *face = json_object_new_object();

		add(face, "mime", res->dg2->faces[0].mime);
		json_object_object_add(face, "width", json_object_new_int((int)res->dg2->faces[0].width));
		json_object_object_add(face, "height", json_object_new_int((int)res->dg2->faces[0].height));
		json_object_object_add(face, "bytes", json_object_new_int((int)res->dg2->faces[0].image.len));
		json_object_object_add(o, "face", face);
	}
	for (int i = 1; i < EID_FILE_COUNT; i++)
		if (res->have[i] && i != EID_FILE_CARDACCESS)
			json_object_array_add(files, json_object_new_string(eid_read_file_short_name(i)));
	json_object_object_add(o, "data_groups", files);
	for (int i = 1; i < EID_FILE_COUNT; i++)
		if (res->read_error[i]) {
			json_object *u = json_object_object_get(o, "unread");

			if (!u) {
				u = json_object_new_object();
				json_object_object_add(o, "unread", u);
			}
			add(u, eid_read_file_name(i), eid_errname(res->read_error[i]));
		}
	if (res->restricted_id.len) {
		char *h = malloc(2 * res->restricted_id.len + 1);

		if (h) {
			eid_hex(res->restricted_id.data, res->restricted_id.len, h);
			add(o, "restricted_id", h);
			free(h);
		}
	}
	json_object_object_add(o, "verification", diag_verification_json(&res->v));
	json_object_object_add(stats, "apdus", json_object_new_int64((int64_t)res->stats.apdus));
	json_object_object_add(stats, "bytes_out", json_object_new_int64((int64_t)res->stats.bytes_out));
	json_object_object_add(stats, "bytes_in", json_object_new_int64((int64_t)res->stats.bytes_in));
	json_object_object_add(stats, "seconds", json_object_new_double(res->seconds));
	json_object_object_add(stats, "cpu_seconds", json_object_new_double(cpu));
	for (size_t i = 0; i < res->n_steps; i++) {
		json_object *s = json_object_new_object();

		add(s, "step", res->steps[i].name);
		json_object_object_add(s, "seconds", json_object_new_double(res->steps[i].seconds));
		json_object_object_add(s, "apdus", json_object_new_int64((int64_t)res->steps[i].apdus));
		json_object_array_add(steps, s);
	}
	json_object_object_add(stats, "steps", steps);
	json_object_object_add(o, "stats", stats);
	return o;
}

/* The sector public key (PEM, or DER) as a DER SubjectPublicKeyInfo. */
static int load_sector_key(const char *path, eid_buf *spki)
{
	uint8_t *data = NULL;
	size_t len = 0;
	const unsigned char *p;
	unsigned char *der = NULL;
	EVP_PKEY *key = NULL;
	BIO *bio;
	int n, r;

	if ((r = diag_read_file(path, 1u << 16, &data, &len)) < 0)
		return r;
	if ((bio = BIO_new_mem_buf(data, (int)len))) {
		key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (!key) {
		p = data;
		key = d2i_PUBKEY(NULL, &p, (long)len);
	}
	free(data);
	if (!key)
		return -EID_EPARSE;
	n = i2d_PUBKEY(key, &der);
	EVP_PKEY_free(key);
	if (n <= 0)
		return -EID_EPARSE;
	r = eid_buf_set(spki, der, (size_t)n);
	OPENSSL_free(der);
	return r;
}

static int write_face(const struct eid_read_result *res, const char *path)
{
	if (!res->dg2 || !res->dg2->n) {
		diag_err("read: no face image on the document");
		return -1;
	}
	return diag_write_face(&res->dg2->faces[0], path);
}

int diag_read_main(int argc, char **argv)
{
	struct read_args a;
	const struct eid_driver *d = &eid_driver_pcsc;
	struct eid_drv_ctx *ctx = NULL;
	struct eid_drv_conn *conn = NULL;
	struct eid_trust *trust = NULL;
	struct eid_read_result *res = NULL;
	struct eid_read_opts o;
	struct eid_read_status st;
	struct eid_ta_creds *creds = NULL;
	struct eid_card card;
	eid_buf sector = EID_BUF_INIT;
	char reader[256];
	uint32_t features = 0;
	double cpu;
	int r, ret = DIAG_EXIT_UNUSABLE;

	memset(&a, 0, sizeof(a));
	r = parse_args(argc, argv, &a);
	if (r)
		return r > 0 ? DIAG_EXIT_OK : DIAG_EXIT_UNUSABLE;
	if (a.trace_data)
		fprintf(stderr, "eid-diag: WARNING: --trace-data prints the bytes exchanged with the\n"
			"eid-diag: card; they can contain personal data (names, dates, numbers,\n"
			"eid-diag: images) and secrets.  Do not share this output.\n");
	if (a.driver && !(d = eid_driver_find(a.driver))) {
		diag_err("read: unknown driver '%s' (pcsc or nfc)", a.driver);
		goto out;
	}
	if (a.n_term_cert && (r = eid_ta_creds_load(a.term_cert, a.n_term_cert, a.term_key,
						      &creds)) < 0) {
		diag_err("read: terminal credentials: %s", eid_strerror(r));
		goto out;
	}
	trust = eid_trust_new();
	for (size_t i = 0; trust && i < a.n_trust; i++)
		if (eid_trust_load(trust, a.trust[i]) < 0) {
			diag_err("read: trust %s", eid_trust_last_error(trust));
			goto out;
		}
	if ((r = d->open(NULL, &ctx)) < 0) {
		diag_err("read: cannot open the %s driver (%s)", d->name, eid_strerror(r));
		goto out;
	}
	if ((r = pick_reader(d, ctx, a.reader, reader, sizeof(reader))) < 0) {
		diag_err("read: %s", a.reader ? "no such reader" : "no reader with a card");
		goto out;
	}
	if ((r = d->connect(ctx, reader, &conn)) < 0) {
		diag_err("read: cannot connect to the card in '%s': %s", reader, eid_strerror(r));
		goto out;
	}
	eid_card_init(&card, d->transmit, conn);
	if (d->features && d->features(conn, &features) == 0 && (features & EID_FEAT_EXTENDED_KNOWN))
		card.extended_length = (features & EID_FEAT_EXTENDED_LENGTH) != 0;
	else
		card.extended_probe = true;
	if (a.trace) {
		card.trace = trace_cb;
		card.trace_ctx = &a;
		a.card = &card;
	}
	memset(&o, 0, sizeof(o));
	o.dgs = a.dgs;
	o.allow_bac = a.allow_bac;
	o.password = a.pin ? EID_PW_PIN : a.puk ? EID_PW_PUK : a.can ? EID_PW_CAN
		     : (a.mrz || a.doc) ? EID_PW_MRZ : 0;
	o.kind = !a.document || !strcmp(a.document, "auto") ? EID_DOC_AUTO
		 : !strcmp(a.document, "de-eid") ? EID_DOC_EID : EID_DOC_MRTD;
	o.terminal = creds;
	if (a.ri_sector) {
		if ((r = load_sector_key(a.ri_sector, &sector)) < 0) {
			diag_err("read: --ri-sector: %s", eid_strerror(r));
			goto out;
		}
		o.ri_sector_pub = sector.data;
		o.ri_sector_pub_len = sector.len;
	}
	o.trust = trust;
	o.verify_time = a.at;
	o.secret = secret_cb;
	o.progress = progress_cb;
	o.cb_ctx = &a;
	cpu = cpu_seconds();
	a.start_apdus = card.stats.apdus;
	clock_gettime(CLOCK_MONOTONIC, &a.start_t0);
	r = eid_read(&card, &o, &res, &st);
	cpu = cpu_seconds() - cpu;
	if (a.trace) {
		trace_step_end(&a);
		fprintf(stderr, "-- total: %.1f ms, %lu APDUs\n", ms_since(&a.start_t0),
			card.stats.apdus - a.start_apdus);
	}
	if (r < 0) {
		diag_err("read: %s (%s)%s%s", eid_strerror(r), eid_errname(r),
			 st.detail ? ": " : "", st.detail ? st.detail : "");
		if (st.retry_counter >= 0 && st.password == EID_PW_PIN)
			diag_err("read: PIN retry counter: %d", st.retry_counter);
		goto out;
	}
	if (a.json) {
		json_object *j = result_json(res, cpu);

		printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		diag_print_read_text(res);
	}
	if (a.face && write_face(res, a.face) < 0)
		goto out;
	ret = !strcmp(res->v.verdict, "verified") ? DIAG_EXIT_OK : DIAG_EXIT_PROBLEM;
out:
	eid_ta_creds_free(creds);
	eid_buf_free(&sector);
	eid_read_result_free(res);
	if (conn)
		d->disconnect(conn, true);
	if (ctx)
		d->close(ctx);
	eid_trust_free(trust);
	return ret;
}
