/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag secinfo [--json] FILE
 *
 * Decodes EF.CardAccess (SecurityInfos SET), EF.CardSecurity / EF.ChipSecurity
 * (CMS SignedData) or DG14 and lists every SecurityInfo.  Bytes after the
 * first element (files dumped with a fixed read size, padding) are ignored
 * with a note on stderr, as a reader that takes the size from the first
 * TLV header would never see them.
 * Exit: 0 decoded, 2 unreadable or unparseable input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "eid.h"
#include "secinfo.h"
#include "tlv.h"
#include "diag.h"

#define SECINFO_FILE_MAX (1u << 20)

static void usage(FILE *f)
{
	fprintf(f, "Usage: eid-diag secinfo [--json] FILE\n"
		   "Decode EF.CardAccess, EF.CardSecurity (CMS) or DG14 and list its SecurityInfos.\n");
}

/* ---- field helpers shared by both outputs ---- */

static void oid_text(const eid_cbs *oid, char *out, size_t outsz)
{
	if (eid_oid_to_text(eid_cbs_data(oid), eid_cbs_len(oid), out, outsz) < 0)
		snprintf(out, outsz, "?");
}

static const char *oid_label(const eid_cbs *oid)
{
	return eid_secinfo_oid_name(eid_cbs_data(oid), eid_cbs_len(oid));
}

/* Name of the standardized domain parameters the item refers to, if any. */
static const char *param_name(const struct eid_secinfo *si)
{
	if (si->std_param_id >= 0)
		return eid_secinfo_param_name(si->std_param_id);
	if (si->type == EID_SI_PACE && si->parameter_id >= 0)
		return eid_secinfo_param_name(si->parameter_id);
	return NULL;
}

/* The named-curve OID when the AlgorithmIdentifier's parameters are one. */
static bool curve_oid(const struct eid_secinfo *si, eid_cbs *oid)
{
	eid_cbs c = si->algorithm_params;

	return eid_der_get_oid(&c, oid) && !eid_cbs_len(&c);
}

static const char *form_name(uint8_t first)
{
	switch (first) {
	case 0x31:
		return "EF.CardAccess (SecurityInfos SET)";
	case 0x30:
		return "EF.CardSecurity (CMS SignedData)";
	case 0x6E:
		return "DG14";
	default:
		return NULL;
	}
}

/* ---- text output ---- */

static void print_text_url(const eid_cbs *url)
{
	const uint8_t *p = eid_cbs_data(url);

	for (size_t i = 0; i < eid_cbs_len(url); i++)
		putchar(p[i] >= 0x20 && p[i] < 0x7F ? p[i] : '?');
}

static void print_text_item(const struct eid_secinfos *set, size_t i)
{
	const struct eid_secinfo *si = &set->items[i];
	const char *indent = si->privileged ? "      " : "    ";
	const char *pn = param_name(si);
	char text[EID_SECINFO_OID_TEXT_MAX];
	eid_cbs curve;

	printf("%s%zu. %s%s\n", si->privileged ? "  " : "", i + 1, eid_secinfo_type_name(si->type),
	       si->privileged ? " (privileged terminals)" : "");
	printf("%sprotocol: %s (%s)\n", indent, si->name ? si->name : "unknown", si->oid_text);
	if (si->version >= 0)
		printf("%sversion: %d%s\n", indent, si->version,
		       si->version_ok ? "" : " (not a version this protocol defines)");
	if (si->parameter_id >= 0)
		printf("%sparameter ID: %d%s%s%s\n", indent, si->parameter_id,
		       si->type == EID_SI_PACE && pn ? " (" : "",
		       si->type == EID_SI_PACE && pn ? pn : "", si->type == EID_SI_PACE && pn ? ")" : "");
	if (eid_cbs_len(&si->algorithm_oid)) {
		const char *an = oid_label(&si->algorithm_oid);

		oid_text(&si->algorithm_oid, text, sizeof(text));
		printf("%salgorithm: %s (%s)%s\n", indent, an ? an : "unknown", text,
		       si->explicit_params ? ", explicit parameters" : "");
		if (curve_oid(si, &curve)) {
			const char *cn = oid_label(&curve);

			oid_text(&curve, text, sizeof(text));
			printf("%snamed curve: %s (%s)\n", indent, cn ? cn : "unknown", text);
		}
	}
	if (si->std_param_id >= 0)
		printf("%sdomain parameter ID: %d (%s)\n", indent, si->std_param_id, pn ? pn : "not standardized");
	if (si->key_id >= 0)
		printf("%skey ID: %d (0x%02X)\n", indent, si->key_id, (unsigned)si->key_id);
	if (si->password_id >= 0)
		printf("%spassword ID: %d\n", indent, si->password_id);
	if (si->type == EID_SI_RI)
		printf("%sauthorized only: %s\n", indent, si->authorized_only ? "yes" : "no");
	if (eid_cbs_len(&si->public_key))
		printf("%spublic key: %zu bytes\n", indent, eid_cbs_len(&si->public_key));
	if (eid_cbs_len(&si->sig_alg)) {
		const char *sn = oid_label(&si->sig_alg);

		oid_text(&si->sig_alg, text, sizeof(text));
		printf("%ssignature algorithm: %s (%s)\n", indent, sn ? sn : "unknown", text);
	}
	if (si->type == EID_SI_CARD_INFO) {
		printf("%surl: ", indent);
		print_text_url(&si->url);
		putchar('\n');
	}
	if (si->fid >= 0) {
		printf("%sfile: %04X", indent, (unsigned)si->fid);
		if (si->sfid >= 0)
			printf(", short file ID %02X", (unsigned)si->sfid);
		putchar('\n');
	}
}

static void print_text(const struct eid_secinfos *set, const char *path)
{
	printf("%s: %s, %zu SecurityInfo%s\n", path, eid_secinfo_source_name(set->source), set->n,
	       set->n == 1 ? "" : "s");
	for (size_t i = 0; i < set->n; i++)
		print_text_item(set, i);
}

/* ---- JSON output ---- */

static void add_int(json_object *o, const char *key, int v)
{
	if (v >= 0)
		json_object_object_add(o, key, json_object_new_int(v));
}

static void add_str(json_object *o, const char *key, const char *s)
{
	if (s)
		json_object_object_add(o, key, json_object_new_string(s));
}

static void add_hex(json_object *o, const char *key, int v, int width)
{
	char buf[16];

	if (v < 0)
		return;
	snprintf(buf, sizeof(buf), "%0*X", width, (unsigned)v);
	add_str(o, key, buf);
}

static json_object *json_item(const struct eid_secinfo *si)
{
	json_object *o = json_object_new_object();
	char text[EID_SECINFO_OID_TEXT_MAX];
	eid_cbs curve;

	if (!o)
		return NULL;
	add_str(o, "type", eid_secinfo_type_name(si->type));
	add_str(o, "protocol", si->name);
	add_str(o, "oid", si->oid_text);
	if (si->privileged)
		json_object_object_add(o, "privileged", json_object_new_boolean(1));
	if (si->version >= 0) {
		add_int(o, "version", si->version);
		json_object_object_add(o, "version_ok", json_object_new_boolean(si->version_ok));
	}
	add_int(o, "parameter_id", si->parameter_id);
	add_int(o, "domain_parameter_id", si->std_param_id);
	add_str(o, "parameter_name", param_name(si));
	if (eid_cbs_len(&si->algorithm_oid)) {
		oid_text(&si->algorithm_oid, text, sizeof(text));
		add_str(o, "algorithm", oid_label(&si->algorithm_oid));
		add_str(o, "algorithm_oid", text);
		if (si->explicit_params)
			json_object_object_add(o, "explicit_parameters", json_object_new_boolean(1));
		if (curve_oid(si, &curve)) {
			oid_text(&curve, text, sizeof(text));
			add_str(o, "curve", oid_label(&curve));
			add_str(o, "curve_oid", text);
		}
	}
	add_int(o, "key_id", si->key_id);
	add_int(o, "password_id", si->password_id);
	if (si->type == EID_SI_RI)
		json_object_object_add(o, "authorized_only", json_object_new_boolean(si->authorized_only));
	if (eid_cbs_len(&si->public_key))
		add_int(o, "public_key_bytes", (int)eid_cbs_len(&si->public_key));
	if (eid_cbs_len(&si->sig_alg)) {
		oid_text(&si->sig_alg, text, sizeof(text));
		add_str(o, "signature_algorithm", oid_label(&si->sig_alg));
		add_str(o, "signature_algorithm_oid", text);
	}
	if (si->type == EID_SI_CARD_INFO)
		json_object_object_add(o, "url", json_object_new_string_len(
			(const char *)eid_cbs_data(&si->url), (int)eid_cbs_len(&si->url)));
	add_hex(o, "fid", si->fid, 4);
	add_hex(o, "sfid", si->sfid, 2);
	return o;
}

static int print_json(const struct eid_secinfos *set, size_t trailing)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();
	int ret = DIAG_EXIT_UNUSABLE;

	if (!root || !list) {
		json_object_put(list);
		goto out;
	}
	add_str(root, "source", eid_secinfo_source_name(set->source));
	if (trailing)
		json_object_object_add(root, "trailing_bytes", json_object_new_int64((int64_t)trailing));
	json_object_object_add(root, "security_infos", list);
	for (size_t i = 0; i < set->n; i++) {
		json_object *item = json_item(&set->items[i]);

		if (!item)
			goto out;
		json_object_array_add(list, item);
	}
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	ret = DIAG_EXIT_OK;
out:
	json_object_put(root);
	return ret;
}

/* ---- input ---- */

/* Why a CMS did not give SecurityInfos, in one line. */
static void explain_cms(const uint8_t *data, size_t len, const char *path, int err)
{
	eid_cbs type, content;
	char text[EID_SECINFO_OID_TEXT_MAX];
	int r = eid_secinfos_cms_econtent(data, len, &type, &content);

	if (r == 0 || r == -EID_ENOTFOUND) {
		oid_text(&type, text, sizeof(text));
		if (strcmp(text, "0.4.0.127.0.7.3.2.1") != 0) {
			diag_err("%s: CMS content type %s is not id-SecurityObject", path, text);
			return;
		}
		if (r == -EID_ENOTFOUND) {
			diag_err("%s: CMS SignedData without encapsulated content", path);
			return;
		}
		diag_err("%s: SecurityInfos in the CMS content are malformed (%s)", path, eid_strerror(err));
		return;
	}
	diag_err("%s: not a valid EF.CardSecurity CMS SignedData (%s)", path, eid_strerror(r));
}

/* Length of the first TLV element, so that trailing bytes can be reported. */
static size_t first_element_len(const uint8_t *data, size_t len)
{
	uint32_t tag;
	size_t hdr, n;

	if (eid_tlv_header(data, len, &tag, &hdr, &n) != 0 || n > len - hdr)
		return len;   /* let the parser report what is wrong */
	return hdr + n;
}

int diag_secinfo_main(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	uint8_t *data = NULL;
	size_t len = 0, elen;
	struct eid_secinfos *set = NULL;
	int r, ret = DIAG_EXIT_UNUSABLE;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return DIAG_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
			diag_err("secinfo: unknown option '%s'", argv[i]);
			return DIAG_EXIT_UNUSABLE;
		} else {
			if (!strcmp(argv[i], "--") && i + 1 < argc)
				i++;
			if (path) {
				diag_err("secinfo: only one FILE, please");
				return DIAG_EXIT_UNUSABLE;
			}
			path = argv[i];
		}
	}
	if (!path) {
		diag_err("secinfo: no FILE given (usage: eid-diag secinfo [--json] FILE)");
		return DIAG_EXIT_UNUSABLE;
	}

	errno = 0;
	r = diag_read_file(path, SECINFO_FILE_MAX, &data, &len);
	if (r == -EID_ETOOBIG) {
		diag_err("%s: file too big (limit %u bytes)", path, SECINFO_FILE_MAX);
		goto out;
	} else if (r < 0) {
		diag_err("%s: cannot read: %s", path, errno ? strerror(errno) : eid_strerror(r));
		goto out;
	}
	if (len == 0) {
		diag_err("%s: empty file", path);
		goto out;
	}
	if (!form_name(data[0])) {
		diag_err("%s: unknown format (first byte %02X; expected 31 EF.CardAccess, 30 CMS or 6E DG14)",
			 path, data[0]);
		goto out;
	}

	elen = first_element_len(data, len);
	r = eid_secinfos_parse_auto(data, elen, &set);
	if (r < 0) {
		if (data[0] == 0x30)
			explain_cms(data, elen, path, r);
		else
			diag_err("%s: not valid %s: %s", path, form_name(data[0]), eid_strerror(r));
		goto out;
	}
	if (elen < len)
		diag_err("note: %s: %zu bytes after the %s ignored", path, len - elen,
			 form_name(data[0]));

	ret = json ? print_json(set, len - elen) : (print_text(set, path), DIAG_EXIT_OK);
out:
	eid_secinfos_free(set);
	free(data);
	return ret;
}
