/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidd's D-Bus side without a bus: StartRead options into a request (and
 * every InvalidArguments case), a read result serialised into a message
 * and read back key by key (dbus-api.md, "The result"), the error mapping,
 * the audit line, the log's cleaning of outside strings, and the compiled-in
 * introspection XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "audit.h"
#include "bus.h"
#include "errmap.h"
#include "log.h"
#include "mrz.h"

extern const char eidd_introspection_xml[];

static DBusMessage *new_msg(void)
{
	DBusMessage *m = dbus_message_new_method_call("org.eidd.Eidd1", "/org/eidd/Eidd1/Reader/0",
						      "org.eidd.Eidd1.Reader", "StartRead");

	assert_non_null(m);
	return m;
}

/* ---- building options ---- */

struct opt {
	const char *key;
	int type;             /* DBUS_TYPE_STRING, _BOOLEAN, _UINT32, _INT32, or 'A' (as) */
	const char *s;
	uint32_t u;
	const char *const *strv;
};

static DBusMessage *options_msg(const struct opt *o, size_t n)
{
	DBusMessage *m = new_msg();
	DBusMessageIter it, a, e, v, arr;

	dbus_message_iter_init_append(m, &it);
	assert_true(dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &a));
	for (size_t i = 0; i < n; i++) {
		char sig[2] = { (char)o[i].type, 0 };
		dbus_bool_t b = o[i].u != 0;
		dbus_int32_t x = (dbus_int32_t)o[i].u;

		assert_true(dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &e));
		assert_true(dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &o[i].key));
		assert_true(dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT,
							     o[i].type == 'A' ? "as" : sig, &v));
		switch (o[i].type) {
		case DBUS_TYPE_STRING:
			assert_true(dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &o[i].s));
			break;
		case DBUS_TYPE_BOOLEAN:
			assert_true(dbus_message_iter_append_basic(&v, DBUS_TYPE_BOOLEAN, &b));
			break;
		case DBUS_TYPE_UINT32:
			assert_true(dbus_message_iter_append_basic(&v, DBUS_TYPE_UINT32, &o[i].u));
			break;
		case DBUS_TYPE_INT32:
			assert_true(dbus_message_iter_append_basic(&v, DBUS_TYPE_INT32, &x));
			break;
		case 'A':
			assert_true(dbus_message_iter_open_container(&v, DBUS_TYPE_ARRAY, "s", &arr));
			for (size_t k = 0; o[i].strv[k]; k++)
				assert_true(dbus_message_iter_append_basic(&arr, DBUS_TYPE_STRING,
									   &o[i].strv[k]));
			assert_true(dbus_message_iter_close_container(&v, &arr));
			break;
		default:
			fail();
		}
		assert_true(dbus_message_iter_close_container(&e, &v));
		assert_true(dbus_message_iter_close_container(&a, &e));
	}
	assert_true(dbus_message_iter_close_container(&it, &a));
	return m;
}

static int parse_opts(const struct opt *o, size_t n, struct eidd_request *req, char *why,
		      size_t size)
{
	DBusMessage *m = options_msg(o, n);
	DBusMessageIter it;
	int r;

	assert_int_equal(eidd_request_init(req), 0);
	assert_true(dbus_message_iter_init(m, &it));
	r = eidd_bus_parse_options(&it, req, why, size);
	dbus_message_unref(m);
	return r;
}

static void test_options_every_key(void **state)
{
	static const char *const dgs[] = { "DG1", "dg11", "DG17", NULL };
	const struct opt o[] = {
		{ "data_groups", 'A', .strv = dgs },
		{ "face", DBUS_TYPE_BOOLEAN, .u = 1 },
		{ "access", DBUS_TYPE_STRING, .s = "pin" },
		{ "allow_bac", DBUS_TYPE_BOOLEAN, .u = 0 },
		{ "can", DBUS_TYPE_STRING, .s = "123456" },
		{ "pin", DBUS_TYPE_STRING, .s = "654321" },
		{ "puk", DBUS_TYPE_STRING, .s = "0123456789" },
		{ "mrz_document_number", DBUS_TYPE_STRING, .s = "C11T002JM" },
		{ "mrz_date_of_birth", DBUS_TYPE_STRING, .s = "960812" },
		{ "mrz_date_of_expiry", DBUS_TYPE_STRING, .s = "231031" },
		{ "wait_for_card_ms", DBUS_TYPE_UINT32, .u = 5000 },
		{ "raw", DBUS_TYPE_BOOLEAN, .u = 1 },
	};
	struct eidd_request req;
	uint8_t key[20];
	char why[256];

	(void)state;
	assert_int_equal(parse_opts(o, sizeof(o) / sizeof(o[0]), &req, why, sizeof(why)), 0);
	assert_int_equal(req.dgs, (1u << 1) | (1u << 11) | (1u << 17));
	assert_true(req.face);
	assert_int_equal(req.access, EID_PW_PIN);
	assert_false(req.allow_bac);
	assert_true(req.allow_bac_given);
	assert_int_equal(req.wait_for_card_ms, 5000);
	assert_true(req.raw);
	assert_string_equal(req.secrets->can, "123456");
	assert_string_equal(req.secrets->pin, "654321");
	assert_string_equal(req.secrets->puk, "0123456789");
	assert_true(req.secrets->have_mrz);
	assert_int_equal(eid_mrz_key_hash("C11T002JM", "960812", "231031", key), 0);
	assert_memory_equal(req.secrets->mrz_key, key, sizeof(key));
	/* the MRZ fields themselves are not kept once the key is made */
	assert_false(req.secrets->have_doc);
	assert_int_equal(req.secrets->mrz_doc[0], 0);
	/* face adds DG2 to what was asked for */
	assert_int_equal(eidd_request_dgs(&req, 0), (1u << 1) | (1u << 2) | (1u << 11) | (1u << 17));
	eidd_request_clear(&req);
}

static void test_options_defaults_and_full_mrz(void **state)
{
	const struct opt o[] = {
		{ "mrz", DBUS_TYPE_STRING,
		  .s = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10" },
	};
	struct eidd_request req;
	uint8_t key[20];
	char why[256];

	(void)state;
	assert_int_equal(parse_opts(NULL, 0, &req, why, sizeof(why)), 0);
	assert_int_equal(req.dgs, 0);
	assert_false(req.face);
	assert_int_equal(req.access, 0);
	assert_true(req.allow_bac);
	assert_false(req.allow_bac_given);
	assert_int_equal(req.wait_for_card_ms, 0);
	assert_false(req.secrets->have_can || req.secrets->have_mrz);
	/* the configured default applies when the caller names none; face
	 * alone means DG1 and DG2 */
	assert_int_equal(eidd_request_dgs(&req, 1u << 3), 1u << 3);
	req.face = true;
	assert_int_equal(eidd_request_dgs(&req, 0), (1u << 1) | (1u << 2));
	eidd_request_clear(&req);

	assert_int_equal(parse_opts(o, 1, &req, why, sizeof(why)), 0);
	assert_true(req.secrets->have_mrz);
	assert_int_equal(eid_mrz_key_hash("L898902C3", "740812", "120415", key), 0);
	assert_memory_equal(req.secrets->mrz_key, key, sizeof(key));
	eidd_request_clear(&req);
}

struct bad_opt {
	struct opt o[2];
	size_t n;
	const char *why;
};

static void test_options_invalid_arguments(void **state)
{
	static const char *const dg99[] = { "DG99", NULL };
	static const char *const dg0[] = { "DG0", NULL };
	static const char *const sod[] = { "SOD", NULL };
	static char long_str[300];
	const struct bad_opt bad[] = {
		{ { { "colour", DBUS_TYPE_STRING, .s = "blue" } }, 1, "unknown option 'colour'" },
		{ { { "can", DBUS_TYPE_UINT32, .u = 123456 } }, 1,
		  "option 'can' must be a string of digits" },
		{ { { "can", DBUS_TYPE_STRING, .s = "12a456" } }, 1,
		  "option 'can': a secret must be digits" },
		{ { { "pin", DBUS_TYPE_STRING, .s = "" } }, 1, "option 'pin': a secret must be digits" },
		{ { { "puk", DBUS_TYPE_STRING, .s = "12345678901234567" } }, 1,
		  "option 'puk': secret too long" },
		{ { { "pin", DBUS_TYPE_STRING, .s = long_str } }, 1,
		  "option 'pin' must be a string of digits" },
		{ { { "data_groups", 'A', .strv = dg99 } }, 1,
		  "data_groups: unknown data group name (use DG1..DG22)" },
		{ { { "data_groups", 'A', .strv = dg0 } }, 1,
		  "data_groups: unknown data group name (use DG1..DG22)" },
		{ { { "data_groups", 'A', .strv = sod } }, 1,
		  "data_groups: unknown data group name (use DG1..DG22)" },
		{ { { "data_groups", DBUS_TYPE_STRING, .s = "DG1" } }, 1,
		  "option 'data_groups' must be an array of strings (as)" },
		{ { { "face", DBUS_TYPE_STRING, .s = "yes" } }, 1, "option 'face' must be a boolean" },
		{ { { "wait_for_card_ms", DBUS_TYPE_INT32, .u = 5 } }, 1,
		  "option 'wait_for_card_ms' must be a uint32 (u)" },
		{ { { "access", DBUS_TYPE_STRING, .s = "puk" } }, 1,
		  "option 'access' must be auto, can, pin or mrz" },
		{ { { "mrz_date_of_birth", DBUS_TYPE_STRING, .s = "961312" } }, 1,
		  "option 'mrz_date_of_birth' must be YYMMDD" },
		{ { { "mrz_date_of_expiry", DBUS_TYPE_STRING, .s = "23103" } }, 1,
		  "option 'mrz_date_of_expiry' must be YYMMDD" },
		{ { { "mrz_document_number", DBUS_TYPE_STRING, .s = "C11T002JM" },
		    { "mrz_date_of_birth", DBUS_TYPE_STRING, .s = "960812" } }, 2,
		  "give mrz_document_number, mrz_date_of_birth and mrz_date_of_expiry together" },
		{ { { "mrz_document_number", DBUS_TYPE_STRING, .s = long_str } }, 1,
		  "option 'mrz_document_number' must be a string" },
		{ { { "mrz", DBUS_TYPE_STRING, .s = "P<UTOERIKSSON" } }, 1, "option 'mrz': malformed MRZ" },
	};

	(void)state;
	memset(long_str, '1', sizeof(long_str) - 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct eidd_request req;
		char why[256];

		if (parse_opts(bad[i].o, bad[i].n, &req, why, sizeof(why)) != -EID_EINVAL ||
		    strcmp(why, bad[i].why))
			print_error("case %zu: '%s'\n", i, why);
		assert_string_equal(why, bad[i].why);
		/* a message never quotes a secret's value */
		assert_null(strstr(why, "12a456"));
		eidd_request_clear(&req);
	}
}

static void test_options_not_a_dict(void **state)
{
	DBusMessage *m = new_msg();
	DBusMessageIter it;
	struct eidd_request req;
	const char *s = "can";
	char why[256];

	(void)state;
	assert_true(dbus_message_append_args(m, DBUS_TYPE_STRING, &s, DBUS_TYPE_INVALID));
	assert_int_equal(eidd_request_init(&req), 0);
	assert_true(dbus_message_iter_init(m, &it));
	assert_int_equal(eidd_bus_parse_options(&it, &req, why, sizeof(why)), -EID_EINVAL);
	assert_string_equal(why, "options must be a{sv}");
	eidd_request_clear(&req);
	dbus_message_unref(m);
}

static void test_secrets_supplied_later(void **state)
{
	struct eidd_secrets *s = eidd_secrets_new();
	const char *why = NULL;

	(void)state;
	assert_non_null(s);
	assert_false(eidd_secrets_have(s, EID_PW_CAN));
	assert_int_equal(eidd_secrets_set(s, EID_PW_CAN, "123456", &why), 0);
	assert_true(eidd_secrets_have(s, EID_PW_CAN));
	assert_int_equal(eidd_secrets_set(s, EID_PW_MRZ, "123456", &why), -EID_EINVAL);
	assert_int_equal(eidd_secrets_set_mrz(s, "C11T002JM", "960812", "991331", &why),
			 -EID_EINVAL);
	assert_string_equal(why, "dates must be YYMMDD");
	assert_int_equal(eidd_secrets_set_mrz(s, "c11t002jm", "960812", "231031", &why),
			 -EID_EINVAL);
	assert_int_equal(eidd_secrets_set_mrz(s, "C11T002JM", "960812", "231031", &why), 0);
	assert_true(eidd_secrets_have(s, EID_PW_MRZ));
	assert_int_equal(eidd_password_parse("puk"), EID_PW_PUK);
	assert_int_equal(eidd_password_parse("PIN"), 0);
	eidd_secrets_free(s);
}

/* ---- the result ---- */

/* The variant of key in the a{sv} at it; fails when absent. */
static bool dict_find(DBusMessageIter *dict, const char *key, DBusMessageIter *var)
{
	DBusMessageIter a, e;

	assert_int_equal(dbus_message_iter_get_arg_type(dict), DBUS_TYPE_ARRAY);
	dbus_message_iter_recurse(dict, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
		const char *k;

		dbus_message_iter_recurse(&a, &e);
		dbus_message_iter_get_basic(&e, &k);
		if (!strcmp(k, key)) {
			dbus_message_iter_next(&e);
			dbus_message_iter_recurse(&e, var);
			return true;
		}
		dbus_message_iter_next(&a);
	}
	return false;
}

static const char *dict_str(DBusMessageIter *dict, const char *key)
{
	DBusMessageIter v;
	const char *s;

	if (!dict_find(dict, key, &v)) {
		print_error("key %s missing\n", key);
		fail();
	}
	assert_int_equal(dbus_message_iter_get_arg_type(&v), DBUS_TYPE_STRING);
	dbus_message_iter_get_basic(&v, &s);
	return s;
}

static bool dict_bool(DBusMessageIter *dict, const char *key)
{
	DBusMessageIter v;
	dbus_bool_t b;

	assert_true(dict_find(dict, key, &v));
	assert_int_equal(dbus_message_iter_get_arg_type(&v), DBUS_TYPE_BOOLEAN);
	dbus_message_iter_get_basic(&v, &b);
	return b;
}

static void set(char **field, const char *s)
{
	assert_int_equal(eid_holder_set(field, s, strlen(s)), 0);
}

static struct eid_read_result *fake_result(void)
{
	struct eid_read_result *res = calloc(1, sizeof(*res));
	struct eid_holder *h = &res->holder;
	struct eid_lds_face *f;
	static const uint8_t jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F' };
	static const uint8_t dg1[] = { 0x61, 0x03, 0x5F, 0x1F, 0x00 };

	assert_non_null(res);
	res->kind = EID_DOC_MRTD;
	set(&h->document_type, "P");
	set(&h->issuing_state, "UTO");
	set(&h->document_number, "L898902C3");
	set(&h->date_of_expiry, "2012-04-15");
	set(&h->given_names, "ANNA MARIA");
	set(&h->family_name, "ERIKSSON");
	set(&h->date_of_birth, "1974-08-12");
	set(&h->nationality, "UTO");
	set(&h->sex, "F");
	set(&h->place_of_birth, "Z\xC3\xBCRICH");   /* valid UTF-8 */
	set(&h->birth_name, "GABLER\xFF\xFE");       /* not UTF-8: made printable */
	set(&h->mrz, "P<UTO...\nL898...");
	h->have_address = true;
	set(&h->address.street, "HEIDESTRASSE 17");
	set(&h->address.city, "K\xC3\x96LN");
	set(&h->address.zip, "51147");
	set(&h->address.country, "D");
	res->dg2 = calloc(1, sizeof(*res->dg2));
	res->dg2->faces = calloc(EID_LDS_MAX_FACES, sizeof(*res->dg2->faces));
	res->dg2->n = 1;
	f = &res->dg2->faces[0];
	f->mime = "image/jpeg";
	f->width = 480;
	f->height = 640;
	eid_buf_init_secret(&f->image);
	assert_int_equal(eid_buf_set(&f->image, jpeg, sizeof(jpeg)), 0);
	for (int i = 1; i < EID_FILE_COUNT; i++)
		eid_buf_init_secret(&res->files[i]);
	res->have[1] = res->have[2] = res->have[EID_FILE_SOD] = res->have[EID_FILE_CARDACCESS] = true;
	assert_int_equal(eid_buf_set(&res->files[1], dg1, sizeof(dg1)), 0);
	assert_int_equal(eid_buf_set(&res->files[2], jpeg, sizeof(jpeg)), 0);
	res->read_error[3] = -EID_EACCESS;
	res->v.access = "pace";
	res->v.password = "can";
	res->v.pace_mapping = "gm";
	res->v.terminal_auth = "not-performed";
	res->v.chip_auth = "valid";
	res->v.active_auth = "not-performed";
	res->v.pa.status = EID_PA_VALID;
	res->v.pa.revocation = EID_PA_REV_NOT_REVOKED;
	snprintf(res->v.pa.detail, sizeof(res->v.pa.detail), "chained to the CSCA");
	snprintf(res->v.pa.signer, sizeof(res->v.pa.signer), "C=UT, CN=DS");
	snprintf(res->v.pa.csca, sizeof(res->v.pa.csca), "C=UT, CN=CSCA");
	snprintf(res->v.pa.csca_source, sizeof(res->v.pa.csca_source), "/etc/eidd/trust/csca.pem");
	res->v.pa.n_dgs = 2;
	res->v.pa.dgs[0] = (struct eid_pa_dg_result){ 1, EID_PA_DG_MATCH };
	res->v.pa.dgs[1] = (struct eid_pa_dg_result){ 2, EID_PA_DG_MISMATCH };
	res->v.clone_resistant = true;
	res->v.verdict = "not-verified";
	return res;
}

/* dbus_message_iter_get_signature() returns a copy the caller frees. */
static void assert_sig(DBusMessageIter *it, const char *want)
{
	char *sig = dbus_message_iter_get_signature(it);

	assert_non_null(sig);
	assert_string_equal(sig, want);
	dbus_free(sig);
}

static void test_result_round_trip(void **state)
{
	struct eid_read_result *res = fake_result();
	DBusMessage *m = new_msg();
	DBusMessageIter it, v, face, ver, arr, raw;
	const uint8_t *bytes;
	const char *s;
	dbus_uint32_t u;
	int n;

	(void)state;
	dbus_message_iter_init_append(m, &it);
	assert_int_equal(eidd_bus_append_result(&it, res, false), 0);
	eid_read_result_free(res);
	/* through the wire format, as a client gets it */
	{
		char *wire;
		int len;
		DBusError err;

		dbus_message_set_serial(m, 1);
		assert_true(dbus_message_marshal(m, &wire, &len));
		dbus_message_unref(m);
		dbus_error_init(&err);
		m = dbus_message_demarshal(wire, len, &err);
		assert_non_null(m);
		dbus_free(wire);
	}
	assert_string_equal(dbus_message_get_signature(m), "a{sv}");
	assert_true(dbus_message_iter_init(m, &it));
	assert_string_equal(dict_str(&it, "document_kind"), "icao-mrtd");
	assert_string_equal(dict_str(&it, "document_type"), "P");
	assert_string_equal(dict_str(&it, "issuing_state"), "UTO");
	assert_string_equal(dict_str(&it, "document_number"), "L898902C3");
	assert_string_equal(dict_str(&it, "date_of_expiry"), "2012-04-15");
	assert_string_equal(dict_str(&it, "given_names"), "ANNA MARIA");
	assert_string_equal(dict_str(&it, "family_name"), "ERIKSSON");
	assert_string_equal(dict_str(&it, "date_of_birth"), "1974-08-12");
	assert_string_equal(dict_str(&it, "nationality"), "UTO");
	assert_string_equal(dict_str(&it, "sex"), "F");
	assert_string_equal(dict_str(&it, "place_of_birth"), "Z\xC3\xBCRICH");
	assert_string_equal(dict_str(&it, "birth_name"), "GABLER??");
	assert_string_equal(dict_str(&it, "mrz"), "P<UTO...\nL898...");
	/* absent keys mean "not on this document" */
	assert_false(dict_find(&it, "academic_title", &v));
	assert_false(dict_find(&it, "community_id", &v));
	assert_false(dict_find(&it, "raw", &v));
	/* address a{ss} */
	assert_true(dict_find(&it, "address", &v));
	assert_sig(&v, "a{ss}");
	{
		DBusMessageIter a, e;
		const char *k, *val;
		size_t count = 0;

		dbus_message_iter_recurse(&v, &a);
		while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
			dbus_message_iter_recurse(&a, &e);
			dbus_message_iter_get_basic(&e, &k);
			dbus_message_iter_next(&e);
			dbus_message_iter_get_basic(&e, &val);
			if (!strcmp(k, "city"))
				assert_string_equal(val, "K\xC3\x96LN");
			if (!strcmp(k, "zip"))
				assert_string_equal(val, "51147");
			count++;
			dbus_message_iter_next(&a);
		}
		assert_int_equal(count, 4);
	}
	/* face a{sv} */
	assert_true(dict_find(&it, "face", &face));
	assert_string_equal(dict_str(&face, "mime"), "image/jpeg");
	assert_true(dict_find(&face, "width", &v));
	dbus_message_iter_get_basic(&v, &u);
	assert_int_equal(u, 480);
	assert_true(dict_find(&face, "height", &v));
	dbus_message_iter_get_basic(&v, &u);
	assert_int_equal(u, 640);
	assert_true(dict_find(&face, "data", &v));
	dbus_message_iter_recurse(&v, &arr);
	dbus_message_iter_get_fixed_array(&arr, &bytes, &n);
	assert_int_equal(n, 10);
	assert_hex(bytes, 10, "FFD8FFE000104A464946");
	/* data_groups: files read (EF.CardAccess is not listed) */
	assert_true(dict_find(&it, "data_groups", &v));
	assert_sig(&v, "as");
	{
		const char *want[] = { "DG1", "DG2", "SOD" };
		size_t i = 0;

		dbus_message_iter_recurse(&v, &arr);
		while (dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_STRING) {
			dbus_message_iter_get_basic(&arr, &s);
			assert_true(i < 3);
			assert_string_equal(s, want[i++]);
			dbus_message_iter_next(&arr);
		}
		assert_int_equal(i, 3);
	}
	/* verification */
	assert_true(dict_find(&it, "verification", &ver));
	assert_string_equal(dict_str(&ver, "access"), "pace");
	assert_string_equal(dict_str(&ver, "password"), "can");
	assert_string_equal(dict_str(&ver, "pace_mapping"), "gm");
	assert_string_equal(dict_str(&ver, "terminal_auth"), "not-performed");
	assert_string_equal(dict_str(&ver, "chip_auth"), "valid");
	assert_string_equal(dict_str(&ver, "active_auth"), "not-performed");
	assert_string_equal(dict_str(&ver, "passive_auth"), "valid");
	assert_string_equal(dict_str(&ver, "passive_auth_detail"), "chained to the CSCA");
	assert_string_equal(dict_str(&ver, "signer"), "C=UT, CN=DS");
	assert_string_equal(dict_str(&ver, "csca"), "C=UT, CN=CSCA");
	assert_string_equal(dict_str(&ver, "csca_source"), "/etc/eidd/trust/csca.pem");
	assert_string_equal(dict_str(&ver, "revocation"), "not-revoked");
	assert_false(dict_bool(&ver, "document_expired"));
	assert_true(dict_bool(&ver, "clone_resistant"));
	assert_string_equal(dict_str(&ver, "verdict"), "not-verified");
	assert_true(dict_find(&ver, "dg_hashes", &v));
	assert_sig(&v, "a{ss}");
	{
		DBusMessageIter a, e;
		const char *k, *val;

		dbus_message_iter_recurse(&v, &a);
		dbus_message_iter_recurse(&a, &e);
		dbus_message_iter_get_basic(&e, &k);
		dbus_message_iter_next(&e);
		dbus_message_iter_get_basic(&e, &val);
		assert_string_equal(k, "DG1");
		assert_string_equal(val, "match");
		dbus_message_iter_next(&a);
		dbus_message_iter_recurse(&a, &e);
		dbus_message_iter_get_basic(&e, &k);
		dbus_message_iter_next(&e);
		dbus_message_iter_get_basic(&e, &val);
		assert_string_equal(k, "DG2");
		assert_string_equal(val, "mismatch");
	}
	dbus_message_unref(m);

	/* with option raw: file name -> bytes, every file read */
	res = fake_result();
	m = new_msg();
	dbus_message_iter_init_append(m, &it);
	assert_int_equal(eidd_bus_append_result(&it, res, true), 0);
	eid_read_result_free(res);
	assert_true(dbus_message_iter_init(m, &it));
	assert_true(dict_find(&it, "raw", &raw));
	assert_sig(&raw, "a{say}");
	{
		DBusMessageIter a, e;
		size_t count = 0;

		dbus_message_iter_recurse(&raw, &a);
		while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
			dbus_message_iter_recurse(&a, &e);
			dbus_message_iter_get_basic(&e, &s);
			dbus_message_iter_next(&e);
			dbus_message_iter_recurse(&e, &arr);
			n = 0;
			if (dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_BYTE)
				dbus_message_iter_get_fixed_array(&arr, &bytes, &n);
			if (!strcmp(s, "DG1")) {
				assert_int_equal(n, 5);
				assert_hex(bytes, 5, "61035F1F00");
			}
			count++;
			dbus_message_iter_next(&a);
		}
		assert_int_equal(count, 4); /* DG1, DG2, SOD (empty), CardAccess (empty) */
	}
	dbus_message_unref(m);
}

static void test_result_eid_kind_and_extension_keys(void **state)
{
	struct eid_read_result *res = calloc(1, sizeof(*res));
	DBusMessage *m = new_msg();
	DBusMessageIter it, v;

	(void)state;
	res->kind = EID_DOC_EID;
	set(&res->holder.date_of_issuance, "2020-01-02");
	set(&res->holder.community_id, "02760503150000");
	set(&res->holder.academic_title, "DR.");
	res->holder.have_address = true;
	set(&res->holder.address.free_text, "keine Hauptwohnung in Deutschland");
	res->v.terminal_auth = "valid";
	snprintf(res->v.terminal_chr, sizeof(res->v.terminal_chr), "DETESTeID00005");
	dbus_message_iter_init_append(m, &it);
	assert_int_equal(eidd_bus_append_result(&it, res, false), 0);
	eid_read_result_free(res);
	assert_true(dbus_message_iter_init(m, &it));
	assert_string_equal(dict_str(&it, "document_kind"), "de-eid");
	assert_string_equal(dict_str(&it, "date_of_issuance"), "2020-01-02");
	assert_string_equal(dict_str(&it, "community_id"), "02760503150000");
	assert_string_equal(dict_str(&it, "academic_title"), "DR.");
	assert_false(dict_find(&it, "face", &v));
	assert_true(dict_find(&it, "verification", &v));
	assert_string_equal(dict_str(&v, "terminal_auth"), "valid");
	assert_string_equal(dict_str(&v, "verdict"), "not-verified");
	assert_string_equal(dict_str(&v, "passive_auth"), "not-performed");
	dbus_message_unref(m);
}

/* ---- errors ---- */

static void test_error_mapping(void **state)
{
	static const struct {
		int err;
		bool present;
		int retries;
		enum eid_password pw;
		const char *name;
		const char *msg;
	} map[] = {
		{ -EID_EPASSWORD, true, 2, EID_PW_PIN, "WrongSecret", "wrong pin, 2 tries left" },
		{ -EID_EPASSWORD, true, -1, EID_PW_CAN, "WrongSecret", "wrong can" },
		{ -EID_ESUSPENDED, true, 1, EID_PW_PIN, "PinSuspended",
		  "the PIN is suspended: give the CAN first" },
		{ -EID_EBLOCKED, true, 0, EID_PW_PIN, "PinBlocked", "the PIN is blocked: the PUK is needed" },
		{ -EID_EDEACTIVATED, true, -1, 0, "PinDeactivated",
		  "the online identification function is deactivated" },
		{ -EID_ENOCREDS, true, -1, 0, "NoTerminalCredentials",
		  "this document needs Terminal Authentication and no terminal certificate is configured" },
		{ -EID_ECERT, true, -1, 0, "TerminalCertificateRefused",
		  "terminal certificate expired or not accepted" },
		{ -EID_EACCESS, true, -1, 0, "AccessDenied", "the chip refused access" },
		{ -EID_ENOCARD, true, -1, 0, "CardRemoved", "the card was removed during the read" },
		{ -EID_ENOCARD, false, -1, 0, "NoCard", "no card in the reader" },
		{ -EID_ECANCELLED, true, -1, 0, "Cancelled", "the read was cancelled" },
		{ -EID_ETIMEOUT, false, -1, 0, "Timeout",
		  "no card came within the time the caller allowed" },
		{ -EID_ETRANSPORT, true, -1, 0, "ReaderError", "the reader failed" },
		{ -EID_ENOTSUP, true, -1, 0, "UnsupportedDocument",
		  "unsupported document or access protocol" },
		{ -EID_ENOMEM, true, -1, 0, "Internal", "internal error (NoMemory)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct eid_read_status st = { .retry_counter = map[i].retries, .password = map[i].pw };
		char msg[256];
		const char *name = eidd_error_from_read(map[i].err, &st, map[i].present, msg,
							sizeof(msg));

		assert_string_equal(name, map[i].name);
		if (strcmp(msg, map[i].msg) && strncmp(map[i].msg, "internal", 8))
			print_error("case %zu: '%s'\n", i, msg);
		if (strncmp(map[i].msg, "internal", 8))
			assert_string_equal(msg, map[i].msg);
		assert_non_null(eidd_error_full_name(name));
	}
	{
		struct eid_read_status st = { .retry_counter = -1, .step = "pace",
					      .detail = "the chip's token does not verify" };
		char msg[256];

		assert_string_equal(eidd_error_from_read(-EID_EMAC, &st, true, msg, sizeof(msg)),
				    "ProtocolError");
		assert_string_equal(msg, "pace failed: the chip's token does not verify");
	}
	assert_string_equal(eidd_error_full_name("NeedSecret"), "org.eidd.Eidd1.Error.NeedSecret");
	assert_string_equal(eidd_error_full_name("Timeout"), "org.eidd.Eidd1.Error.Timeout");
	assert_null(eidd_error_full_name("Nonsense"));
}

/* ---- audit and log ---- */

static void test_audit_line(void **state)
{
	struct eidd_audit a;
	char line[2048];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.when = 1700000000;
	a.session = "/org/eidd/Eidd1/Session/3";
	a.uid = 1000;
	a.pid = 4242;
	snprintf(a.exe, sizeof(a.exe), "/usr/bin/eid ctl");
	a.sender = ":1.42";
	a.reader = "Virtual PCD 00 00";
	a.document = "icao-mrtd";
	a.requested = (1u << 1) | (1u << 2);
	a.read = (1u << 1) | (1u << 2) | (1u << 14);
	a.denied = 1u << 3;
	a.access = "pace";
	a.password = "can";
	a.terminal = "";
	a.outcome = "done";
	a.error = "";
	a.verdict = "verified";
	assert_true(eidd_audit_format(&a, line, sizeof(line)) > 0);
	assert_string_equal(line,
			    "time=2023-11-14T22:13:20Z session=/org/eidd/Eidd1/Session/3 uid=1000 "
			    "pid=4242 exe=\"/usr/bin/eid ctl\" sender=:1.42 "
			    "reader=\"Virtual PCD 00 00\" document=icao-mrtd requested=DG1,DG2 "
			    "read=DG1,DG2,DG14 denied=DG3 access=pace password=can terminal=- "
			    "outcome=done error=- verdict=verified");
	/* hostile names cannot add fields or lines */
	a.reader = "R\" verdict=verified\nx";
	a.sender = ":1.4 uid=0";
	a.requested = 0;
	a.read = 0;
	a.document = "";
	assert_true(eidd_audit_format(&a, line, sizeof(line)) > 0);
	assert_null(strchr(line, '\n'));
	assert_non_null(strstr(line, "reader=\"R\\x22 verdict=verified\\x0ax\""));
	assert_non_null(strstr(line, "sender=:1.4_uid_0 "));
	assert_non_null(strstr(line, "requested=default read=- "));
	assert_non_null(strstr(line, "document=- "));
	assert_int_equal(eidd_audit_format(&a, line, 40), -1);
}

struct sink {
	char lines[8][256];
	int levels[8];
	size_t n;
};

static void sink_fn(int level, const char *line, void *ctx)
{
	struct sink *s = ctx;

	if (s->n < 8) {
		s->levels[s->n] = level;
		snprintf(s->lines[s->n++], sizeof(s->lines[0]), "%s", line);
	}
}

static void test_log_clean_and_levels(void **state)
{
	char out[16], big[64];
	struct sink s = { .n = 0 };

	(void)state;
	assert_string_equal(eidd_log_clean("abc", out, sizeof(out)), "abc");
	assert_string_equal(eidd_log_clean("a\nb\\c", big, sizeof(big)), "a\\x0ab\\x5cc");
	assert_string_equal(eidd_log_clean("\xC3\xBC", big, sizeof(big)), "\\xc3\\xbc");
	assert_string_equal(eidd_log_clean("0123456789abcdefghij", out, sizeof(out)),
			    "0123456789ab...");
	assert_string_equal(eidd_log_clean(NULL, out, sizeof(out)), "");
	assert_int_equal(eidd_log_parse_level("debug"), LOG_DEBUG);
	assert_int_equal(eidd_log_parse_level("warning"), LOG_WARNING);
	assert_int_equal(eidd_log_parse_level("3"), LOG_ERR);
	assert_int_equal(eidd_log_parse_level("verbose"), -1);
	assert_int_equal(eidd_log_parse_target("journal"), EIDD_LOG_JOURNAL);
	assert_int_equal(eidd_log_parse_target("file"), -1);

	eidd_log_setup(EIDD_LOG_STDERR, LOG_WARNING);
	eidd_log_set_sink(sink_fn, &s);
	log_err("e %d", 1);
	log_debug("d %d", 2);
	eidd_log_audit("time=x outcome=done");
	eidd_log_set_sink(NULL, NULL);
	eidd_log_setup(EIDD_LOG_STDERR, LOG_INFO);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.lines[0], "e 1");
	assert_int_equal(s.levels[0], LOG_ERR);
	assert_string_equal(s.lines[2], "time=x outcome=done");
	assert_int_equal(s.levels[2], -1);
}

/* ---- introspection ---- */

static void test_introspection_xml(void **state)
{
	static const char *const want[] = {
		"<interface name=\"org.eidd.Eidd1.Manager\">",
		"<interface name=\"org.eidd.Eidd1.Reader\">",
		"<interface name=\"org.eidd.Eidd1.Session\">",
		"<method name=\"GetReaders\">", "<method name=\"GetDiagnostics\">",
		"<method name=\"ReloadTrustStore\"/>", "<signal name=\"ReaderAdded\">",
		"<signal name=\"ReaderRemoved\">", "<method name=\"StartRead\">",
		"<method name=\"Read\">", "<method name=\"SupplySecret\">",
		"<method name=\"SupplyMrz\">", "<method name=\"Cancel\"/>",
		"<method name=\"GetResult\">", "<method name=\"Close\"/>",
		"<signal name=\"Completed\">", "<property name=\"Busy\" type=\"b\"",
		"<property name=\"RetryCounter\" type=\"i\"", "<property name=\"Progress\" type=\"d\"",
		"<property name=\"Readers\" type=\"ao\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(eidd_introspection_xml, want[i]))
			print_error("missing: %s\n", want[i]);
		assert_non_null(strstr(eidd_introspection_xml, want[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_every_key),
		cmocka_unit_test(test_options_defaults_and_full_mrz),
		cmocka_unit_test(test_options_invalid_arguments),
		cmocka_unit_test(test_options_not_a_dict),
		cmocka_unit_test(test_secrets_supplied_later),
		cmocka_unit_test(test_result_round_trip),
		cmocka_unit_test(test_result_eid_kind_and_extension_keys),
		cmocka_unit_test(test_error_mapping),
		cmocka_unit_test(test_audit_line),
		cmocka_unit_test(test_log_clean_and_levels),
		cmocka_unit_test(test_introspection_xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
