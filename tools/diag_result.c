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
	add(o, "terminal_auth", v->terminal_auth ? v->terminal_auth : "not-performed");
	if (v->terminal_chr[0])
		add(o, "terminal", v->terminal_chr);
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

/* The holder in the D-Bus result's names. */
void diag_holder_json(json_object *o, const struct eid_holder *h)
{
	add(o, "document_type", h->document_type);
	add(o, "issuing_state", h->issuing_state);
	add(o, "document_number", h->document_number);
	add(o, "date_of_expiry", h->date_of_expiry);
	add(o, "date_of_issuance", h->date_of_issuance);
	add(o, "given_names", h->given_names);
	add(o, "family_name", h->family_name);
	add(o, "date_of_birth", h->date_of_birth);
	add(o, "nationality", h->nationality);
	add(o, "sex", h->sex);
	add(o, "place_of_birth", h->place_of_birth);
	add(o, "birth_name", h->birth_name);
	add(o, "academic_title", h->academic_title);
	add(o, "artistic_name", h->artistic_name);
	add(o, "community_id", h->community_id);
	add(o, "residence_permit_1", h->residence_permit_1);
	add(o, "residence_permit_2", h->residence_permit_2);
	add(o, "phone_number", h->phone_number);
	add(o, "email_address", h->email_address);
	add(o, "mrz", h->mrz);
	if (h->have_address) {
		json_object *a = json_object_new_object();

		add(a, "street", h->address.street);
		add(a, "city", h->address.city);
		add(a, "state", h->address.state);
		add(a, "zip", h->address.zip);
		add(a, "country", h->address.country);
		add(a, "free_text", h->address.free_text);
		json_object_object_add(o, "address", a);
	}
}

/* Text from a chip or certificate: control characters as '?'. */
static void clean(const char *label, const char *s)
{
	printf("%-22s ", label);
	for (; s && *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
	putchar('\n');
}

void diag_print_read_text(const struct eid_read_result *res)
{
	const struct eid_read_verification *v = &res->v;
	const struct eid_holder *h = &res->holder;
	const struct {
		const char *label, *value;
	} fields[] = {
		{ "document:", h->document_type }, { "issuing state:", h->issuing_state },
		{ "document number:", h->document_number }, { "family name:", h->family_name },
		{ "given names:", h->given_names }, { "birth name:", h->birth_name },
		{ "academic title:", h->academic_title }, { "artistic name:", h->artistic_name },
		{ "date of birth:", h->date_of_birth }, { "place of birth:", h->place_of_birth },
		{ "nationality:", h->nationality }, { "sex:", h->sex },
		{ "date of issuance:", h->date_of_issuance }, { "date of expiry:", h->date_of_expiry },
		{ "street:", h->address.street }, { "zip:", h->address.zip },
		{ "city:", h->address.city }, { "country:", h->address.country },
		{ "address:", h->address.free_text }, { "community ID:", h->community_id },
		{ "residence permit 1:", h->residence_permit_1 },
		{ "residence permit 2:", h->residence_permit_2 },
	};

	printf("%-22s %s\n", "document kind:", eid_doc_kind_name(res->kind));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].value)
			clean(fields[i].label, fields[i].value);
	for (int i = 1; i < EID_FILE_COUNT; i++)
		if (res->read_error[i])
			printf("%-22s %s\n", eid_read_file_name(i), eid_errname(res->read_error[i]));
	if (res->dg2 && res->dg2->n)
		printf("%-22s %s %ux%u, %zu bytes\n", "face:", res->dg2->faces[0].mime,
		       res->dg2->faces[0].width, res->dg2->faces[0].height,
		       res->dg2->faces[0].image.len);
	printf("%-22s %s%s%s\n", "access:", v->access ? v->access : "-",
	       v->pace_mapping ? " " : "", v->pace_mapping ? v->pace_mapping : "");
	if (res->kind == EID_DOC_EID)
		printf("%-22s %s %s\n", "terminal authentication:", v->terminal_auth, v->terminal_chr);
	printf("%-22s %s\n", "chip authentication:", v->chip_auth);
	if (res->restricted_id.len) {
		char rid[2 * 64 + 1];

		eid_hex(res->restricted_id.data,
			res->restricted_id.len < 64 ? res->restricted_id.len : 64, rid);
		printf("%-22s %s\n", "restricted ID:", rid);
	}
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
