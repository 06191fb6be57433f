/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Read results and verification outcomes as JSON and as text. */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "read.h"
#include "diag.h"

static void add(json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

void diag_pa_json(json_object *o, const struct eid_pa_result *pa)
{
	json_object *dgs = json_object_new_object();
	char key[16];

	add(o, "passive_auth", eid_pa_status_name(pa->status));
	add(o, "passive_auth_detail", pa->detail);
	/* present even when empty: "" means none was found */
	add(o, "signer", pa->signer);
	add(o, "csca", pa->csca);
	add(o, "csca_source", pa->csca_source);
	for (size_t i = 0; i < pa->n_dgs; i++) {
		snprintf(key, sizeof(key), "DG%u", pa->dgs[i].number);
		add(dgs, key, eid_pa_dg_state_name(pa->dgs[i].state));
	}
	json_object_object_add(o, "dg_hashes", dgs);
	add(o, "revocation", eid_pa_revocation_name(pa->revocation));
}

json_object *diag_verification_json(const struct eid_read_verification *v)
{
	json_object *o = json_object_new_object();

	add(o, "access", v->access);
	add(o, "password", v->password);
	add(o, "pace_mapping", v->pace_mapping);
	add(o, "terminal_auth", "not-performed");
	add(o, "chip_auth", v->chip_auth);
	add(o, "active_auth", v->active_auth);
	if (v->pace_error)
		add(o, "pace_error", eid_errname(v->pace_error));
	diag_pa_json(o, &v->pa);
	json_object_object_add(o, "document_expired", json_object_new_boolean(v->document_expired));
	json_object_object_add(o, "clone_resistant", json_object_new_boolean(v->clone_resistant));
	add(o, "verdict", v->verdict);
	return o;
}

/* Text from a chip or certificate: control characters as '?'. */
static void clean(const char *label, const char *s)
{
	printf("%-22s ", label);
	for (; s && *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
	putchar('\n');
}

/* A YYMMDD MRZ date as ISO 8601, seen from this year. */
static const char *iso(const char *yymmdd, bool birth, char out[11])
{
	eid_mrz_iso_date(yymmdd, birth, diag_this_year(), out);
	return out[0] ? out : yymmdd;
}

void diag_print_read_text(const struct eid_read_result *res)
{
	const struct eid_read_verification *v = &res->v;
	char date[11];

	if (res->have_mrz) {
		clean("document:", res->mrz.document_code);
		clean("issuing state:", res->mrz.issuing_state);
		clean("document number:", res->mrz.document_number);
		clean("family name:", res->mrz.family_name);
		clean("given names:", res->mrz.given_names);
		clean("date of birth:", iso(res->mrz.date_of_birth, true, date));
		clean("date of expiry:", iso(res->mrz.date_of_expiry, false, date));
		clean("nationality:", res->mrz.nationality);
		clean("sex:", res->mrz.sex);
	}
	if (res->dg2 && res->dg2->n)
		printf("%-22s %s %ux%u, %zu bytes\n", "face:", res->dg2->faces[0].mime,
		       res->dg2->faces[0].width, res->dg2->faces[0].height,
		       res->dg2->faces[0].image.len);
	printf("%-22s %s%s%s\n", "access:", v->access ? v->access : "-",
	       v->pace_mapping ? " " : "", v->pace_mapping ? v->pace_mapping : "");
	printf("%-22s %s\n", "chip authentication:", v->chip_auth);
	printf("%-22s %s\n", "active authentication:", v->active_auth);
	printf("%-22s %s\n", "passive authentication:", eid_pa_status_name(v->pa.status));
	clean("  detail:", v->pa.detail);
	for (size_t i = 0; i < v->pa.n_dgs; i++)
		printf("  DG%-19u %s\n", v->pa.dgs[i].number, eid_pa_dg_state_name(v->pa.dgs[i].state));
	printf("%-22s %s\n", "revocation:", eid_pa_revocation_name(v->pa.revocation));
	printf("%-22s %s\n", "document expired:", v->document_expired ? "yes" : "no");
	printf("%-22s %s\n", "verdict:", v->verdict);
	printf("%-22s %lu APDUs, %lu bytes out, %lu bytes in, %.3f s\n", "stats:",
	       res->stats.apdus, res->stats.bytes_out, res->stats.bytes_in, res->seconds);
}
