/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag mrz [--json] LINE...
 *
 * Parses an MRZ typed by the technician (lines as separate arguments, or
 * one argument holding newlines or the concatenated lines) and shows every
 * field and every check digit.  The MRZ's personal data goes to stdout
 * only, because that is what was asked for; error messages never quote the
 * input.  Exit: 0 valid, 1 a check digit is wrong, 2 not an MRZ.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "buf.h"
#include "mrz.h"
#include "diag.h"

static const struct {
	enum eid_mrz_check check;
	const char *key;     /* JSON */
	const char *label;   /* human output */
} checks[] = {
	{ EID_MRZ_CHECK_DOCNUM, "document_number", "document number" },
	{ EID_MRZ_CHECK_DOB, "date_of_birth", "date of birth" },
	{ EID_MRZ_CHECK_DOE, "date_of_expiry", "date of expiry" },
	{ EID_MRZ_CHECK_OPTIONAL, "optional_data", "optional data" },
	{ EID_MRZ_CHECK_COMPOSITE, "composite", "composite" },
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eid-diag mrz [--json] LINE...\n"
		"\n"
		"Parse a machine readable zone (TD1 3x30, TD2 2x36, TD3 2x44 characters\n"
		"of [0-9A-Z<]) and check every check digit.  Give the lines as separate\n"
		"arguments, or as one argument with newlines or without separators.\n"
		"\n"
		"  --json   print the fields as JSON\n"
		"  --help   show this help\n"
		"\n"
		"An unspecified sex ('<') is shown as X.\n"
		"Exit codes: 0 all check digits right, 1 a check digit is wrong,\n"
		"2 the input is not an MRZ.\n");
}

static const char *format_name(enum eid_mrz_format f)
{
	switch (f) {
	case EID_MRZ_TD1:
		return "TD1";
	case EID_MRZ_TD2:
		return "TD2";
	case EID_MRZ_TD3:
		return "TD3";
	}
	return "?";
}

static const char *result_name(enum eid_mrz_result r)
{
	return r == EID_MRZ_OK ? "ok" : "bad";
}

/* ---- human output --------------------------------------------------------- */

static void print_field(const char *label, const char *value)
{
	printf("%-18s %s\n", label, value);
}

static void print_human(const struct eid_mrz *m)
{
	print_field("format", format_name(m->format));
	print_field("document code", m->document_code);
	print_field("issuing state", m->issuing_state);
	print_field("document number", m->document_number);
	print_field("date of birth", m->date_of_birth);
	print_field("date of expiry", m->date_of_expiry);
	print_field("sex", m->sex);
	print_field("nationality", m->nationality);
	print_field("family name", m->family_name);
	print_field("given names", m->given_names);
	print_field("optional data", m->optional_data);
	if (m->format == EID_MRZ_TD1)
		print_field("optional data 2", m->optional_data2);
	printf("check digits\n");
	for (size_t i = 0; i < NCHECKS; i++)
		if (m->check[checks[i].check] != EID_MRZ_NA)
			printf("  %-16s %s\n", checks[i].label,
			       m->check[checks[i].check] == EID_MRZ_OK ? "ok" : "BAD");
	print_field("valid", m->valid ? "yes" : "no (a check digit is wrong)");
}

/* ---- JSON output ---------------------------------------------------------- */

static bool add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return false;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}

static bool add_str(struct json_object *o, const char *key, const char *s)
{
	return add(o, key, json_object_new_string(s));
}

static struct json_object *check_digits_json(const struct eid_mrz *m)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < NCHECKS; i++) {
		enum eid_mrz_result r = m->check[checks[i].check];

		if (r != EID_MRZ_NA && !add_str(o, checks[i].key, result_name(r))) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

static int print_json(const struct eid_mrz *m)
{
	struct json_object *o = json_object_new_object();
	const char *text;
	int ret = -EID_ENOMEM;

	if (!o)
		return ret;
	if (!add_str(o, "format", format_name(m->format)) ||
	    !add_str(o, "document_code", m->document_code) ||
	    !add_str(o, "issuing_state", m->issuing_state) ||
	    !add_str(o, "document_number", m->document_number) ||
	    !add_str(o, "date_of_birth", m->date_of_birth) ||
	    !add_str(o, "date_of_expiry", m->date_of_expiry) ||
	    !add_str(o, "sex", m->sex) ||
	    !add_str(o, "nationality", m->nationality) ||
	    !add_str(o, "family_name", m->family_name) ||
	    !add_str(o, "given_names", m->given_names) ||
	    !add_str(o, "optional_data", m->optional_data) ||
	    (m->format == EID_MRZ_TD1 && !add_str(o, "optional_data2", m->optional_data2)) ||
	    !add(o, "check_digits", check_digits_json(m)) ||
	    !add(o, "valid", json_object_new_boolean(m->valid)))
		goto out;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	if (!text)
		goto out;
	puts(text);
	ret = 0;
out:
	json_object_put(o);
	return ret;
}

/* ---- the command ---------------------------------------------------------- */

/* Add one line to the text; lines are joined with newlines, so one text
 * results however they were given. */
static void add_line(eid_buf *text, const char *line, int *nlines)
{
	if (*nlines > 0)
		eid_buf_add_u8(text, '\n');
	eid_buf_add(text, line, strlen(line));
	(*nlines)++;
}

int diag_mrz_main(int argc, char **argv)
{
	int nlines = 0;
	bool json = false, options_done = false;
	eid_buf text;
	struct eid_mrz m;
	const char *why = NULL;
	int ret = DIAG_EXIT_UNUSABLE, err;

	eid_buf_init_secret(&text);
	memset(&m, 0, sizeof(m));
	/* options may come anywhere before "--"; no MRZ line starts with '-' */
	for (int i = 1; i < argc; i++) {
		if (!options_done && !strcmp(argv[i], "--")) {
			options_done = true;
		} else if (!options_done && !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!options_done &&
			   (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			usage(stdout);
			ret = DIAG_EXIT_OK;
			goto out;
		} else if (!options_done && argv[i][0] == '-' && argv[i][1] != '\0') {
			diag_err("mrz: unknown option (try 'eid-diag mrz --help')");
			goto out;
		} else {
			add_line(&text, argv[i], &nlines);
		}
	}
	if (nlines == 0) {
		diag_err("mrz: no MRZ lines given (try 'eid-diag mrz --help')");
		goto out;
	}
	if (eid_buf_status(&text) < 0) {
		diag_err("mrz: out of memory");
		goto out;
	}
	err = eid_mrz_parse_bytes(text.data, text.len, &m, &why);
	if (err < 0) {
		diag_err("mrz: not an MRZ: %s", why ? why : eid_strerror(err));
		goto out;
	}
	if (json) {
		if (print_json(&m) < 0) {
			diag_err("mrz: out of memory");
			goto out;
		}
	} else {
		print_human(&m);
	}
	if (fflush(stdout) != 0) {
		diag_err("mrz: cannot write the output");
		goto out;
	}
	ret = m.valid ? DIAG_EXIT_OK : DIAG_EXIT_PROBLEM;
out:
	eid_mrz_clear(&m);
	eid_buf_free(&text);
	return ret;
}
