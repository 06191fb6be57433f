/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag verify --trust PATH [--trust PATH]... [--at YYYY-MM-DD] [--json]
 *                 (--sod FILE [--dg N=FILE]... | --cardsecurity FILE [--dg N=FILE]...)
 *
 * Offline passive authentication of dumped files against CSCA certificates,
 * master lists, PKD LDIF files and CRLs.  The verdict uses the keys of the
 * D-Bus "verification" dictionary.  --at verifies at 00:00:00 UTC of that
 * day (default: now).
 * Exit: 0 passive_auth valid, no given DG mismatching and nothing revoked;
 * 1 verification failed; 2 unreadable or unparseable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "eid.h"
#include "pa.h"
#include "trust.h"
#include "diag.h"

#define MAX_TRUST 64
#define DG_FILE_MAX (16u << 20)

struct dg_file {
	unsigned number;
	const char *path;
	uint8_t *data;
	size_t len;
};

struct opts {
	const char *trust[MAX_TRUST];
	size_t n_trust;
	const char *file;          /* --sod or --cardsecurity */
	enum eid_pa_kind kind;
	struct dg_file dgs[EID_PA_MAX_DGS];
	size_t n_dgs;
	time_t at;                 /* 0: now */
	bool json;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eid-diag verify --trust PATH [--trust PATH]... [--at YYYY-MM-DD] [--json]\n"
		"                       (--sod FILE [--dg N=FILE]... | --cardsecurity FILE)\n"
		"Passive authentication of a dumped EF.SOD or EF.CardSecurity.\n"
		"  --trust PATH        CSCA certificate, master list, PKD LDIF, CRL, or a folder\n"
		"  --at YYYY-MM-DD     verify at that day (00:00 UTC) instead of now\n"
		"  --sod FILE          EF.SOD (tag 77) of an ICAO document\n"
		"  --cardsecurity FILE EF.CardSecurity of an eID card\n"
		"  --dg N=FILE         data group N to compare with its signed hash\n"
		"  --json              print the verdict as JSON\n"
		"Exit: 0 valid, 1 verification failed, 2 unusable input.\n");
}

static bool parse_dg(const char *arg, struct dg_file *dg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (end == arg || *end != '=' || !end[1] || n < 1 || n > 99)
		return false;
	dg->number = (unsigned)n;
	dg->path = end + 1;
	return true;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name))
		return NULL;
	if (*i + 1 >= argc) {
		diag_err("verify: %s needs a value", name);
		return "";
	}
	return argv[++*i];
}

static int set_file(struct opts *o, const char *path, enum eid_pa_kind kind)
{
	if (!*path || o->file) {
		diag_err("verify: give one --sod or --cardsecurity file");
		return -1;
	}
	o->file = path;
	o->kind = kind;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else if ((v = opt_value(argc, argv, &i, "--trust"))) {
			if (!*v || o->n_trust == MAX_TRUST)
				goto bad;
			o->trust[o->n_trust++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--at"))) {
			if (!(o->at = diag_parse_date(v))) {
				diag_err("verify: --at wants a date YYYY-MM-DD, not '%s'", v);
				return -1;
			}
		} else if ((v = opt_value(argc, argv, &i, "--sod"))) {
			if (set_file(o, v, EID_PA_KIND_SOD) < 0)
				return -1;
		} else if ((v = opt_value(argc, argv, &i, "--cardsecurity"))) {
			if (set_file(o, v, EID_PA_KIND_CARDSECURITY) < 0)
				return -1;
		} else if ((v = opt_value(argc, argv, &i, "--dg"))) {
			if (o->n_dgs == EID_PA_MAX_DGS || !parse_dg(v, &o->dgs[o->n_dgs])) {
				diag_err("verify: --dg wants N=FILE (N from 1 to 99), not '%s'", v);
				return -1;
			}
			for (size_t k = 0; k < o->n_dgs; k++)
				if (o->dgs[k].number == o->dgs[o->n_dgs].number) {
					diag_err("verify: DG%u given twice", o->dgs[k].number);
					return -1;
				}
			o->n_dgs++;
		} else {
			diag_err("verify: unknown argument '%s' (try --help)", argv[i]);
			return -1;
		}
	}
	if (!o->n_trust || !o->file) {
		diag_err("verify: --trust and one of --sod / --cardsecurity are required (try --help)");
		return -1;
	}
	return 0;
bad:
	diag_err("verify: bad --trust argument");
	return -1;
}

static struct eid_trust *load_trust(const struct opts *o)
{
	struct eid_trust *t = eid_trust_new();

	if (!t) {
		diag_err("verify: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < o->n_trust; i++) {
		if (eid_trust_load(t, o->trust[i]) < 0) {
			diag_err("verify: trust %s", eid_trust_last_error(t));
			eid_trust_free(t);
			return NULL;
		}
	}
	return t;
}

static int read_dgs(struct opts *o)
{
	for (size_t i = 0; i < o->n_dgs; i++) {
		int r = diag_read_file(o->dgs[i].path, DG_FILE_MAX, &o->dgs[i].data, &o->dgs[i].len);

		if (r < 0) {
			diag_err("verify: DG%u file %s: %s", o->dgs[i].number, o->dgs[i].path,
				 eid_strerror(r));
			return r;
		}
	}
	return 0;
}

static bool add_str(struct json_object *obj, const char *key, const char *s)
{
	struct json_object *v = json_object_new_string(s ? s : "");

	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

static void date_text(time_t t, char *out, size_t n)
{
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d", &tm))
		snprintf(out, n, "%s", "");
}

static int print_json(const struct eid_pa_result *res, time_t at)
{
	struct json_object *o = json_object_new_object(), *list = json_object_new_array();
	char when[16];
	bool ok = o && list;

	date_text(at, when, sizeof(when));
	if (ok)
		diag_pa_json(o, res);
	for (size_t i = 0; ok && i < res->n_sod_dgs; i++)
		ok = !json_object_array_add(list, json_object_new_int((int)res->sod_dgs[i]));
	ok = ok && add_str(o, "hash_algorithm", res->hash_name) &&
	     !json_object_object_add(o, "signed_data_groups", list);
	if (ok)
		list = NULL;
	ok = ok && add_str(o, "verified_at", when);
	if (ok)
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	json_object_put(list);
	if (!ok)
		diag_err("verify: out of memory");
	return ok ? 0 : -EID_ENOMEM;
}

/* Names and detail come from certificates: print control characters as '?'. */
static void print_clean(const char *label, const char *s)
{
	printf("%s: ", label);
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
	putchar('\n');
}

static void print_text(const struct eid_pa_result *res, time_t at)
{
	char when[16];

	date_text(at, when, sizeof(when));
	printf("passive_auth: %s\n", eid_pa_status_name(res->status));
	print_clean("passive_auth_detail", res->detail);
	print_clean("signer", res->signer);
	print_clean("csca", res->csca);
	print_clean("csca_source", res->csca_source);
	printf("revocation: %s\n", eid_pa_revocation_name(res->revocation));
	printf("hash_algorithm: %s\n", res->hash_name);
	printf("signed_data_groups:");
	for (size_t i = 0; i < res->n_sod_dgs; i++)
		printf(" %u", res->sod_dgs[i]);
	printf("\n");
	for (size_t i = 0; i < res->n_dgs; i++)
		printf("DG%u: %s\n", res->dgs[i].number, eid_pa_dg_state_name(res->dgs[i].state));
	printf("verified_at: %s\n", when);
}

static int exit_code(const struct eid_pa_result *res)
{
	if (res->status != EID_PA_VALID || res->revocation == EID_PA_REV_REVOKED)
		return DIAG_EXIT_PROBLEM;
	for (size_t i = 0; i < res->n_dgs; i++)
		if (res->dgs[i].state == EID_PA_DG_MISMATCH)
			return DIAG_EXIT_PROBLEM;
	return DIAG_EXIT_OK;
}

static const char *kind_name(enum eid_pa_kind k)
{
	return k == EID_PA_KIND_SOD ? "an EF.SOD" : "an EF.CardSecurity";
}

int diag_verify_main(int argc, char **argv)
{
	struct opts o;
	struct eid_trust *trust = NULL;
	struct eid_pa_sod *sod = NULL;
	struct eid_pa_dg dgs[EID_PA_MAX_DGS];
	struct eid_pa_result res;
	uint8_t *data = NULL;
	size_t len = 0;
	int r, ret = DIAG_EXIT_UNUSABLE;

	memset(&o, 0, sizeof(o));
	if ((r = parse_args(argc, argv, &o)) != 0)
		return r > 0 ? DIAG_EXIT_OK : DIAG_EXIT_UNUSABLE;
	if ((r = diag_read_file(o.file, EID_PA_MAX_SIZE, &data, &len)) < 0) {
		diag_err("verify: %s: %s", o.file, eid_strerror(r));
		goto out;
	}
	if ((r = eid_pa_sod_parse(data, len, &sod)) < 0) {
		diag_err("verify: %s: not a security object (%s)", o.file, eid_strerror(r));
		goto out;
	}
	if (eid_pa_sod_kind(sod) != o.kind) {
		diag_err("verify: %s is %s, not %s", o.file, kind_name(eid_pa_sod_kind(sod)),
			 kind_name(o.kind));
		goto out;
	}
	if (read_dgs(&o) < 0 || !(trust = load_trust(&o)))
		goto out;
	for (size_t i = 0; i < o.n_dgs; i++)
		dgs[i] = (struct eid_pa_dg){ o.dgs[i].number, o.dgs[i].data, o.dgs[i].len };
	if (!o.at)
		o.at = time(NULL);
	if ((r = eid_pa_verify(sod, trust, o.at, dgs, o.n_dgs, &res)) < 0) {
		diag_err("verify: %s", eid_strerror(r));
		goto out;
	}
	if (o.json) {
		if (print_json(&res, o.at) < 0)
			goto out;
	} else {
		print_text(&res, o.at);
	}
	ret = exit_code(&res);
out:
	for (size_t i = 0; i < o.n_dgs; i++)
		free(o.dgs[i].data);
	free(data);
	eid_pa_sod_free(sod);
	eid_trust_free(trust);
	return ret;
}
