/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MRZ parsing, check digits, MRZ_information and the key hash, against
 * ../shared/vectors/vectors.md §5 (every MRZ), §1.1, §2.1, §2.5, §3.4, §4.2.
 *
 * Where §5 gives only part of an MRZ (ICAO 9303-3 App. A examples 3-5, the
 * NLD TD1 without name line) the missing line is made up here and marked
 * "made up": it is outside every check digit, so it changes no digit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "mrz.h"
#include "tlv.h"

enum { OK = EID_MRZ_OK, BAD = EID_MRZ_BAD, NA = EID_MRZ_NA };

struct expect {
	const char *line[3];
	enum eid_mrz_format format;
	const char *document_code, *issuing_state, *document_number;
	const char *date_of_birth, *date_of_expiry, *sex, *nationality;
	const char *family_name, *given_names, *optional_data, *optional_data2;
	/* document number, birth, expiry, optional (TD3), composite */
	int check[EID_MRZ_CHECK_COUNT];
	bool valid;
};

static size_t nlines(const struct expect *e)
{
	return e->format == EID_MRZ_TD1 ? 3 : 2;
}

static void assert_fields(const struct eid_mrz *m, const struct expect *e)
{
	assert_int_equal(m->format, e->format);
	assert_string_equal(m->document_code, e->document_code);
	assert_string_equal(m->issuing_state, e->issuing_state);
	assert_string_equal(m->document_number, e->document_number);
	assert_string_equal(m->date_of_birth, e->date_of_birth);
	assert_string_equal(m->date_of_expiry, e->date_of_expiry);
	assert_string_equal(m->sex, e->sex);
	assert_string_equal(m->nationality, e->nationality);
	assert_string_equal(m->family_name, e->family_name);
	assert_string_equal(m->given_names, e->given_names);
	assert_string_equal(m->optional_data, e->optional_data);
	assert_string_equal(m->optional_data2, e->optional_data2);
	for (size_t i = 0; i < EID_MRZ_CHECK_COUNT; i++) {
		if ((int)m->check[i] != e->check[i])
			print_error("check digit #%zu: got %d, want %d\n", i, m->check[i], e->check[i]);
		assert_int_equal(m->check[i], e->check[i]);
	}
	assert_int_equal(m->valid, e->valid);
}

/* The same MRZ given as separate lines, as text with LF, with CRLF and
 * surrounding blanks, and concatenated: every form gives the same fields. */
static void assert_mrz(const struct expect *e)
{
	struct eid_mrz m;
	char text[200], crlf[220], concat[100];
	size_t n = nlines(e);

	assert_int_equal(eid_mrz_parse_lines(e->line, n, &m), 0);
	assert_fields(&m, e);

	snprintf(text, sizeof(text), "%s\n%s%s%s", e->line[0], e->line[1],
		 n == 3 ? "\n" : "", n == 3 ? e->line[2] : "");
	assert_int_equal(eid_mrz_parse(text, &m), 0);
	assert_fields(&m, e);

	snprintf(crlf, sizeof(crlf), "  %s\r\n%s\r\n%s%s\r\n\n", e->line[0], e->line[1],
		 n == 3 ? e->line[2] : "", n == 3 ? "\r\n" : "");
	assert_int_equal(eid_mrz_parse(crlf, &m), 0);
	assert_fields(&m, e);

	snprintf(concat, sizeof(concat), "%s%s%s", e->line[0], e->line[1],
		 n == 3 ? e->line[2] : "");
	assert_int_equal(eid_mrz_parse(concat, &m), 0);
	assert_fields(&m, e);

	assert_int_equal(eid_mrz_parse_bytes((const uint8_t *)concat, strlen(concat), &m, NULL), 0);
	assert_fields(&m, e);
	eid_mrz_clear(&m);
}

/* ---- check digits (§5 row 1) -------------------------------------------- */

static void test_check_digit_icao_app_a_examples_520727_is_3_AB2134_is_5(void **state)
{
	(void)state;
	assert_int_equal(eid_mrz_check_digit("520727", 6), 3);
	assert_int_equal(eid_mrz_check_digit("AB2134<<<", 9), 5);
	/* §1.1 fields */
	assert_int_equal(eid_mrz_check_digit("L898902C<", 9), 3);
	assert_int_equal(eid_mrz_check_digit("690806", 6), 1);
	assert_int_equal(eid_mrz_check_digit("940623", 6), 6);
}

static void test_check_digit_of_nothing_is_0_and_only_counts_n_chars(void **state)
{
	(void)state;
	assert_int_equal(eid_mrz_check_digit("", 0), 0);
	assert_int_equal(eid_mrz_check_digit(NULL, 0), 0);
	assert_int_equal(eid_mrz_check_digit("<<<<", 4), 0);
	assert_int_equal(eid_mrz_check_digit("520727xyz", 6), 3);
}

static void test_check_digit_rejects_chars_outside_0_9_A_Z_filler(void **state)
{
	(void)state;
	assert_int_equal(eid_mrz_check_digit("52072a", 6), -EID_EPARSE);
	assert_int_equal(eid_mrz_check_digit("ab2134", 6), -EID_EPARSE);
	assert_int_equal(eid_mrz_check_digit("AB 134", 6), -EID_EPARSE);
	assert_int_equal(eid_mrz_check_digit("AB\0" "134", 6), -EID_EPARSE);
	assert_int_equal(eid_mrz_check_digit("\xc3\x84", 2), -EID_EPARSE);
	assert_int_equal(eid_mrz_check_digit(NULL, 1), -EID_EINVAL);
}

/* ---- §5 TD3 --------------------------------------------------------------- */

static void test_td3_icao_9303_4_specimen_eriksson_all_digits_ok(void **state)
{
	static const struct expect e = {
		{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L898902C36UTO7408122F1204159ZE184226B<<<<<10" },
		EID_MRZ_TD3, "P", "UTO", "L898902C3", "740812", "120415", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "ZE184226B", "",
		{ OK, OK, OK, OK, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* §1.1 line 2 (9303-11 App. D.2) with the specimen's line 1 */
static void test_td3_bac_example_d2_all_digits_ok(void **state)
{
	static const struct expect e = {
		{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L898902C<3UTO6908061F9406236ZE184226B<<<<<14" },
		EID_MRZ_TD3, "P", "UTO", "L898902C", "690806", "940623", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "ZE184226B", "",
		{ OK, OK, OK, OK, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* §5: the mix of the two lines above: composite 0 where 4 is right */
static void test_td3_mixed_line_with_composite_0_has_only_composite_bad(void **state)
{
	static const struct expect e = {
		{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L898902C<3UTO6908061F9406236ZE184226B<<<<<10" },
		EID_MRZ_TD3, "P", "UTO", "L898902C", "690806", "940623", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "ZE184226B", "",
		{ OK, OK, OK, OK, BAD }, false,
	};

	(void)state;
	assert_mrz(&e);
}

/* 9303-3 App. A ex. 3: line 2 + its composite 8; line 1 made up */
static void test_td3_app_a_example_3_composite_8_ok(void **state)
{
	static const struct expect e = {
		{ "P<YTOSPECIMEN<<TEST<<<<<<<<<<<<<<<<<<<<<<<<<",
		  "HA672242<6YTO5802254M9601086<<<<<<<<<<<<<<08" },
		EID_MRZ_TD3, "P", "YTO", "HA672242", "580225", "960108", "M", "YTO",
		"SPECIMEN", "TEST", "", "",
		{ OK, OK, OK, OK, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td3_bsi_specimen_mustermann_state_d_with_fillers(void **state)
{
	static const struct expect e = {
		{ "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
		  "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<04" },
		EID_MRZ_TD3, "P", "D", "C11T002JM", "960812", "231031", "F", "D",
		"MUSTERMANN", "ERIKA", "", "",
		{ OK, OK, OK, OK, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td3_schmidt_personal_number_check_digit_filler_is_ok(void **state)
{
	static const struct expect e = {
		{ "P<D<<SCHMIDT<<FINN<<<<<<<<<<<<<<<<<<<<<<<<<<",
		  "AA89BXHZ56D<<7503201M2511188<<<<<<<<<<<<<<<8" },
		EID_MRZ_TD3, "P", "D", "AA89BXHZ5", "750320", "251118", "M", "D",
		"SCHMIDT", "FINN", "", "",
		{ OK, OK, OK, OK, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* §4.2: the DG1 file of the BSI specimen holds the concatenated MRZ */
static void test_td3_from_dg1_file_of_bsi_specimen(void **state)
{
	static const struct expect e = {
		{ NULL, NULL }, EID_MRZ_TD3, "P", "D", "C11T002JM", "960812", "231031", "F", "D",
		"MUSTERMANN", "ERIKA", "", "",
		{ OK, OK, OK, OK, OK }, true,
	};
	eid_buf dg1 = EID_BUF_INIT;
	eid_cbs c, app, mrz;
	struct eid_mrz m;

	(void)state;
	tu_read_vector("zi_Datagroup1.bin", &dg1);
	eid_buf_cbs(&dg1, &c);
	assert_true(eid_tlv_get(&c, 0x61, &app));
	assert_true(eid_tlv_get(&app, 0x5F1F, &mrz));
	assert_int_equal(eid_cbs_len(&mrz), 88);
	assert_int_equal(eid_mrz_parse_bytes(eid_cbs_data(&mrz), eid_cbs_len(&mrz), &m, NULL), 0);
	assert_fields(&m, &e);
	eid_mrz_clear(&m);
	eid_buf_free(&dg1);
}

/* ---- §5 TD1 --------------------------------------------------------------- */

static void test_td1_icao_9303_5_specimen_eriksson_all_digits_ok(void **state)
{
	static const struct expect e = {
		{ "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
		EID_MRZ_TD1, "I", "UTO", "D23145890", "740812", "120415", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* Made up from the 9303-5 specimen (digits recomputed): optional data on
 * line 2 is covered by the composite; optional data after a long number. */
static void test_td1_line2_optional_data_is_in_the_composite(void **state)
{
	static const struct expect e = {
		{ "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTOAB12345<<<<2",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
		EID_MRZ_TD1, "I", "UTO", "D23145890", "740812", "120415", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "", "AB12345",
		{ OK, OK, OK, NA, OK }, true,
	};
	const char *old_composite[3] = { e.line[0], "7408122F1204159UTOAB12345<<<<6", e.line[2] };
	struct eid_mrz m;

	(void)state;
	assert_mrz(&e);
	assert_int_equal(eid_mrz_parse_lines(old_composite, 3, &m), 0);
	assert_int_equal(m.check[EID_MRZ_CHECK_COMPOSITE], BAD);
	eid_mrz_clear(&m);
}

static void test_td1_optional_data_after_a_long_number(void **state)
{
	static const struct expect e = {
		{ "I<UTOD23145890<7349<ABC<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<7",
		  "STEVENSON<<PETER<JOHN<<<<<<<<<" },
		EID_MRZ_TD1, "I", "UTO", "D23145890734", "340712", "950712", "M", "UTO",
		"STEVENSON", "PETER JOHN", "ABC", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* 9303-3 App. A ex. 4: lines 1-2 + composite 2; name line made up */
static void test_td1_app_a_example_4_composite_2_ok(void **state)
{
	static const struct expect e = {
		{ "I<YTOD231458907<<<<<<<<<<<<<<<", "3407127M9507122YTO<<<<<<<<<<<2",
		  "SPECIMEN<<TEST<<<<<<<<<<<<<<<<" },
		EID_MRZ_TD1, "I", "YTO", "D23145890", "340712", "950712", "M", "YTO",
		"SPECIMEN", "TEST", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td1_long_document_number_continues_in_optional_data(void **state)
{
	static const struct expect e = {
		{ "I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2",
		  "STEVENSON<<PETER<JOHN<<<<<<<<<" },
		EID_MRZ_TD1, "I", "UTO", "D23145890734", "340712", "950712", "M", "UTO",
		"STEVENSON", "PETER JOHN", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td1_german_id_card_code_ID_state_D_sex_unspecified_is_X(void **state)
{
	static const struct expect e = {
		{ "IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<1010318D<<<<<<<<<<<<<6",
		  "MUSTERMANN<<ERIKA<<<<<<<<<<<<<" },
		EID_MRZ_TD1, "ID", "D", "T22000129", "640812", "101031", "X", "D",
		"MUSTERMANN", "ERIKA", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* §5: pymrtd's NLD card: composite printed 4, computes 8; name line made up */
static void test_td1_nld_with_composite_4_has_only_composite_bad(void **state)
{
	static const struct expect e = {
		{ "I<NLDXI85935F86999999990<<<<<<", "7208148F1108268NLD<<<<<<<<<<<4",
		  "DE<BRUIJN<<WILLEKE<LISELOTTE<<" },
		EID_MRZ_TD1, "I", "NLD", "XI85935F8", "720814", "110826", "F", "NLD",
		"DE BRUIJN", "WILLEKE LISELOTTE", "999999990", "",
		{ OK, OK, OK, NA, BAD }, false,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td1_nld_with_composite_8_is_valid(void **state)
{
	static const struct expect e = {
		{ "I<NLDXI85935F86999999990<<<<<<", "7208148F1108268NLD<<<<<<<<<<<8",
		  "DE<BRUIJN<<WILLEKE<LISELOTTE<<" },
		EID_MRZ_TD1, "I", "NLD", "XI85935F8", "720814", "110826", "F", "NLD",
		"DE BRUIJN", "WILLEKE LISELOTTE", "999999990", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* ---- §5 TD2 --------------------------------------------------------------- */

static void test_td2_icao_9303_6_specimen_eriksson_all_digits_ok(void **state)
{
	static const struct expect e = {
		{ "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6" },
		EID_MRZ_TD2, "I", "UTO", "D23145890", "740812", "120415", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* 9303-3 App. A ex. 5: line 2 + composite 8; line 1 made up */
static void test_td2_app_a_example_5_composite_8_ok(void **state)
{
	static const struct expect e = {
		{ "I<YTOSPECIMEN<<TEST<<<<<<<<<<<<<<<<<", "HA672242<6YTO5802254M9601086<<<<<<<8" },
		EID_MRZ_TD2, "I", "YTO", "HA672242", "580225", "960108", "M", "YTO",
		"SPECIMEN", "TEST", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td2_long_document_number_continues_in_optional_data(void **state)
{
	static const struct expect e = {
		{ "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8" },
		EID_MRZ_TD2, "I", "UTO", "D23145890734", "340712", "950712", "M", "UTO",
		"STEVENSON", "PETER JOHN", "", "",
		{ OK, OK, OK, NA, OK }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* ---- wrong check digits, field by field ----------------------------------- */

static void test_each_wrong_digit_is_reported_on_its_own_field(void **state)
{
	/* the 9303-4 specimen with one digit changed at a time */
	static const struct {
		const char *line2;
		int check[EID_MRZ_CHECK_COUNT];
	} cases[] = {
		{ "L898902C35UTO7408122F1204159ZE184226B<<<<<10", { BAD, OK, OK, OK, BAD } },
		{ "L898902C36UTO7408123F1204159ZE184226B<<<<<10", { OK, BAD, OK, OK, BAD } },
		{ "L898902C36UTO7408122F1204158ZE184226B<<<<<10", { OK, OK, BAD, OK, BAD } },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<20", { OK, OK, OK, BAD, BAD } },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<11", { OK, OK, OK, OK, BAD } },
		/* a letter or filler where a digit belongs */
		{ "L898902C3AUTO7408122F1204159ZE184226B<<<<<10", { BAD, OK, OK, OK, BAD } },
		{ "L898902C3<UTO7408122F1204159ZE184226B<<<<<10", { BAD, OK, OK, OK, BAD } },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<<0", { OK, OK, OK, BAD, BAD } },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<1<", { OK, OK, OK, OK, BAD } },
	};
	struct eid_mrz m;
	const char *lines[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", NULL };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lines[1] = cases[i].line2;
		assert_int_equal(eid_mrz_parse_lines(lines, 2, &m), 0);
		for (size_t k = 0; k < EID_MRZ_CHECK_COUNT; k++)
			assert_int_equal(m.check[k], cases[i].check[k]);
		assert_false(m.valid);
	}
	eid_mrz_clear(&m);
}

static void test_td3_has_no_long_numbers_filler_check_digit_is_just_bad(void **state)
{
	static const struct expect e = {
		{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L898902C3<UTO7408122F1204159ZE184226B<<<<<10" },
		EID_MRZ_TD3, "P", "UTO", "L898902C3", "740812", "120415", "F", "UTO",
		"ERIKSSON", "ANNA MARIA", "ZE184226B", "",
		{ BAD, OK, OK, OK, BAD }, false,
	};

	(void)state;
	assert_mrz(&e);
}

static void test_td1_long_number_without_continuation_has_docnum_bad(void **state)
{
	/* '<' in the check digit position but optional data empty or 1 char */
	const char *a[3] = { "I<UTOD23145890<<<<<<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<0",
			     "STEVENSON<<PETER<JOHN<<<<<<<<<" };
	const char *b[3] = { "I<UTOD23145890<7<<<<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<0",
			     "STEVENSON<<PETER<JOHN<<<<<<<<<" };
	struct eid_mrz m;

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(a, 3, &m), 0);
	assert_int_equal(m.check[EID_MRZ_CHECK_DOCNUM], BAD);
	assert_string_equal(m.document_number, "D23145890");
	assert_false(m.valid);
	assert_int_equal(eid_mrz_parse_lines(b, 3, &m), 0);
	assert_int_equal(m.check[EID_MRZ_CHECK_DOCNUM], BAD);
	assert_string_equal(m.document_number, "D23145890");
	assert_false(m.valid);
	eid_mrz_clear(&m);
}

static void test_td1_long_number_with_wrong_digit_has_docnum_bad(void **state)
{
	const char *l[3] = { "I<UTOD23145890<7348<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2",
			     "STEVENSON<<PETER<JOHN<<<<<<<<<" };
	struct eid_mrz m;

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(l, 3, &m), 0);
	assert_string_equal(m.document_number, "D23145890734");
	assert_int_equal(m.check[EID_MRZ_CHECK_DOCNUM], BAD);
	assert_int_equal(m.check[EID_MRZ_CHECK_COMPOSITE], BAD);
	assert_false(m.valid);
	eid_mrz_clear(&m);
}

/* ---- visas (9303-7 specimens; digits recomputed, not in vectors.md) ------- */

static void test_mrv_a_visa_has_no_personal_number_or_composite_digit(void **state)
{
	static const struct expect e = {
		{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L8988901C4XXX4009078F96121096ZE184226B<<<<<<" },
		EID_MRZ_TD3, "V", "UTO", "L8988901C", "400907", "961210", "F", "XXX",
		"ERIKSSON", "ANNA MARIA", "6ZE184226B", "",
		{ OK, OK, OK, NA, NA }, true,
	};

	/* the whole rest of line 2 is optional data, digits or not */
	static const struct expect full = {
		{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		  "L8988901C4XXX4009078F96121096ZE184226B<<<<AB" },
		EID_MRZ_TD3, "V", "UTO", "L8988901C", "400907", "961210", "F", "XXX",
		"ERIKSSON", "ANNA MARIA", "6ZE184226B<<<<AB", "",
		{ OK, OK, OK, NA, NA }, true,
	};

	(void)state;
	assert_mrz(&e);
	assert_mrz(&full);
}

static void test_mrv_b_visa_has_no_composite_digit(void **state)
{
	static const struct expect e = {
		{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<" },
		EID_MRZ_TD2, "V", "UTO", "L8988901C", "400907", "961210", "F", "XXX",
		"ERIKSSON", "ANNA MARIA", "", "",
		{ OK, OK, OK, NA, NA }, true,
	};

	(void)state;
	assert_mrz(&e);
}

/* ---- names --------------------------------------------------------------- */

static void test_names_split_on_double_filler_and_single_filler_is_space(void **state)
{
	static const struct {
		const char *line1, *family, *given;
	} cases[] = {
		{ "P<UTOVAN<DER<BERG<<ANNA<<MARIA<<<<<<<<<<<<<<", "VAN DER BERG", "ANNA MARIA" },
		{ "P<UTOMONONYM<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "MONONYM", "" },
		/* 39 letters, no "<<": all primary identifier (truncated) */
		{ "P<UTOABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOP",
		  "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM", "" },
		{ "P<UTOLONGFAMILY<<GIVENNAMETHATRUNSTOTHEENDX", "LONGFAMILY", "GIVENNAMETHATRUNSTOTHEENDX" },
		{ "P<UTO<<ONLYGIVEN<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "", "ONLYGIVEN" },
		{ "P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "", "" },
	};
	char line1[45];
	const char *lines[2] = { line1, "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };
	struct eid_mrz m;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* pad (or cut) every made-up line 1 to 44 characters */
		snprintf(line1, sizeof(line1), "%s<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
			 cases[i].line1);
		assert_int_equal(eid_mrz_parse_lines(lines, 2, &m), 0);
		assert_string_equal(m.family_name, cases[i].family);
		assert_string_equal(m.given_names, cases[i].given);
		assert_true(m.valid);
	}
	eid_mrz_clear(&m);
}

/* ---- not an MRZ ----------------------------------------------------------- */

static void assert_not_mrz(const char *text, const char *why_part)
{
	struct eid_mrz m;
	const char *why = NULL;

	memset(&m, 0x55, sizeof(m));
	assert_int_equal(eid_mrz_parse(text, &m), -EID_EPARSE);
	/* nothing of a half-parsed MRZ is left behind */
	assert_int_equal(m.format, 0);
	assert_string_equal(m.document_number, "");
	assert_string_equal(m.family_name, "");
	assert_false(m.valid);
	assert_int_equal(eid_mrz_parse_bytes((const uint8_t *)text, strlen(text), &m, &why),
			 -EID_EPARSE);
	assert_non_null(why);
	if (!strstr(why, why_part))
		print_error("reason '%s' lacks '%s'\n", why, why_part);
	assert_non_null(strstr(why, why_part));
}

static void test_empty_and_blank_input_is_not_an_mrz(void **state)
{
	(void)state;
	assert_not_mrz("", "empty");
	assert_not_mrz(" \r\n\t\n ", "empty");
}

static void test_lowercase_is_not_an_mrz(void **state)
{
	(void)state;
	assert_not_mrz("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n"
		       "l898902c36uto7408122f1204159ze184226b<<<<<10", "character");
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226b<<<<<10", "character");
}

static void test_chars_outside_the_mrz_set_are_not_an_mrz(void **state)
{
	(void)state;
	/* space, '-', 'Ä' (UTF-8), tab and CR inside a line */
	assert_not_mrz("P<UTOERIKSSON<<ANNA MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "character");
	assert_not_mrz("P<UTOERIKSSON<<ANNA-MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "character");
	assert_not_mrz("P<UTO\xc3\x84RIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "character");
	assert_not_mrz("P<UTOERIKSSON<<ANNA\tMARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "character");
	assert_not_mrz("P<UTOERIKSSON<<ANNA\rMARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "character");
}

static void test_nul_byte_inside_bytes_is_not_an_mrz(void **state)
{
	static const char text[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
				   "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
	uint8_t bytes[sizeof(text)];
	struct eid_mrz m;
	const char *why = NULL;

	(void)state;
	memcpy(bytes, text, sizeof(bytes));
	assert_int_equal(eid_mrz_parse_bytes(bytes, 88, &m, &why), 0);
	assert_null(why);
	bytes[20] = 0;
	assert_int_equal(eid_mrz_parse_bytes(bytes, 88, &m, &why), -EID_EPARSE);
	assert_string_equal(why, "character outside [0-9A-Z<]");
	eid_mrz_clear(&m);
}

static void test_wrong_line_lengths_are_not_an_mrz(void **state)
{
	(void)state;
	/* TD3 line 2 one short, one long */
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<1", "lines of");
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<100", "lines of");
	/* TD2 line 1 with TD3 line 2 */
	assert_not_mrz("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "lines of");
	/* two lines of TD1 length, three of TD3 length */
	assert_not_mrz("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6",
		       "lines of");
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "lines of");
	/* one line, TD3 length only: not a whole MRZ */
	assert_not_mrz("L898902C36UTO7408122F1204159ZE184226B<<<<<10", "lines of");
	/* concatenated, one character short or long */
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<1", "lines of");
	assert_not_mrz("I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6"
		       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "line");
}

static void test_wrong_line_counts_are_not_an_mrz(void **state)
{
	(void)state;
	assert_not_mrz("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
		       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		       "more than 3 lines");
	/* an empty line in the middle */
	assert_not_mrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\n"
		       "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "empty line");
	assert_not_mrz("\n\nA\n\n\nB\n\n", "empty line");
}

static void test_huge_single_line_is_rejected_early(void **state)
{
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	struct eid_mrz m;
	const char *why = NULL;

	(void)state;
	assert_non_null(big);
	memset(big, '<', n);
	big[n] = '\0';
	assert_int_equal(eid_mrz_parse_bytes((const uint8_t *)big, n, &m, &why), -EID_EPARSE);
	assert_string_equal(why, "line longer than 90 characters");
	free(big);
}

static void test_parse_lines_counts_and_arguments(void **state)
{
	const char *td3[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			       "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };
	const char *four[4] = { td3[0], td3[1], td3[0], td3[1] };
	const char *with_null[2] = { td3[0], NULL };
	const char *concat[1] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
				  "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };
	const char *embedded_nl[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n",
				       "L898902C36UTO7408122F1204159Z\nE184226B<<<<<10" };
	struct eid_mrz m;

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(td3, 1, &m), -EID_EPARSE);
	assert_int_equal(eid_mrz_parse_lines(td3, 0, &m), -EID_EPARSE);
	assert_int_equal(eid_mrz_parse_lines(four, 4, &m), -EID_EPARSE);
	assert_int_equal(eid_mrz_parse_lines(four, 3, &m), -EID_EPARSE);
	assert_int_equal(eid_mrz_parse_lines(with_null, 2, &m), -EID_EINVAL);
	assert_int_equal(eid_mrz_parse_lines(NULL, 2, &m), -EID_EINVAL);
	assert_int_equal(eid_mrz_parse_lines(td3, 2, NULL), -EID_EINVAL);
	assert_int_equal(eid_mrz_parse_lines(embedded_nl, 2, &m), -EID_EPARSE);
	/* a single line argument may hold the whole MRZ concatenated */
	assert_int_equal(eid_mrz_parse_lines(concat, 1, &m), 0);
	assert_string_equal(m.document_number, "L898902C3");
	assert_true(m.valid);
	assert_int_equal(eid_mrz_parse(NULL, &m), -EID_EINVAL);
	assert_int_equal(eid_mrz_parse(concat[0], NULL), -EID_EINVAL);
	assert_int_equal(eid_mrz_parse_bytes(NULL, 1, &m, NULL), -EID_EINVAL);
	eid_mrz_clear(&m);
}

static void test_clear_wipes_every_field(void **state)
{
	struct eid_mrz m, zero;
	const char *td3[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			       "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(td3, 2, &m), 0);
	eid_mrz_clear(&m);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&m, &zero, sizeof(m));
	eid_mrz_clear(NULL);
}

/* ---- MRZ_information and key hash (§1.1, §2.1, §2.5, §3.4, §5) ------------ */

static void assert_info(const char *num, const char *dob, const char *doe, const char *want)
{
	char info[64];

	assert_int_equal(eid_mrz_information(num, dob, doe, info), 0);
	assert_string_equal(info, want);
}

static void test_mrz_information_pads_short_numbers_and_keeps_long_ones(void **state)
{
	(void)state;
	assert_info("L898902C", "690806", "940623", "L898902C<369080619406236");     /* §1.1 */
	assert_info("L898902C<", "690806", "940623", "L898902C<369080619406236");
	assert_info("T22000129", "640812", "101031", "T22000129364081251010318");    /* §2.1 */
	assert_info("C11T002JM", "960812", "231031", "C11T002JM496081222310314");    /* §2.5 */
	assert_info("LM277954", "781214", "271115", "LM277954<178121452711151");     /* §3.4 */
	assert_info("D23145890734", "340712", "950712", "D23145890734934071279507122"); /* §5 */
}

static void test_mrz_information_rejects_malformed_fields(void **state)
{
	char info[64];
	char long_num[50];

	(void)state;
	memset(long_num, 'A', 49);
	long_num[49] = '\0';
	assert_int_equal(eid_mrz_information("", "690806", "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("l898902c", "690806", "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "69080", "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "690806", "9406231", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "69O806", "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "690806", "94-623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information(long_num, "690806", "940623", info), -EID_EINVAL);
	assert_string_equal(info, "");
	long_num[48] = '\0';   /* 48 characters is the most that fits */
	assert_int_equal(eid_mrz_information(long_num, "690806", "940623", info), 0);
	assert_int_equal(strlen(info), 48 + 15);
	assert_int_equal(eid_mrz_information(NULL, "690806", "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", NULL, "940623", info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "690806", NULL, info), -EID_EINVAL);
	assert_int_equal(eid_mrz_information("L898902C", "690806", "940623", NULL), -EID_EINVAL);
}

static void test_key_hash_bac_d2_is_sha1_and_kseed_prefix(void **state)
{
	uint8_t k[20];

	(void)state;
	assert_int_equal(eid_mrz_key_hash("L898902C<", "690806", "940623", k), 0);
	assert_hex(k, 20, "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565");
	assert_hex(k, 16, "239AB9CB282DAF66231DC5A4DF6BFBAE");  /* Kseed */
}

static void test_key_hash_pace_g1_password_k(void **state)
{
	uint8_t k[20];

	(void)state;
	assert_int_equal(eid_mrz_key_hash("T22000129", "640812", "101031", k), 0);
	assert_hex(k, 20, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");
	assert_int_equal(eid_mrz_key_hash("T22000129", "640812", "1010", k), -EID_EINVAL);
	assert_int_equal(eid_mrz_key_hash("T22000129", "640812", "101031", NULL), -EID_EINVAL);
}

static void test_key_hash_from_parsed_mrz_matches_published_keys(void **state)
{
	const char *bac[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			       "L898902C<3UTO6908061F9406236ZE184226B<<<<<14" };
	const char *de[3] = { "IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<1010318D<<<<<<<<<<<<<6",
			      "MUSTERMANN<<ERIKA<<<<<<<<<<<<<" };
	const char *lng[3] = { "I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2",
			       "STEVENSON<<PETER<JOHN<<<<<<<<<" };
	struct eid_mrz m;
	uint8_t k[20], want[20];

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(bac, 2, &m), 0);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), 0);
	assert_hex(k, 20, "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565");

	assert_int_equal(eid_mrz_parse_lines(de, 3, &m), 0);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), 0);
	assert_hex(k, 20, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");

	/* the long number's key is SHA-1 of the published MRZ_information */
	assert_int_equal(eid_mrz_parse_lines(lng, 3, &m), 0);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), 0);
	assert_int_equal(eid_sha1((const uint8_t *)"D23145890734934071279507122", 27, want), 0);
	assert_memory_equal(k, want, 20);
	eid_mrz_clear(&m);
}

static void test_key_hash_from_refuses_wrong_key_field_digits(void **state)
{
	const char *bad_dob[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				   "L898902C<3UTO6908062F9406236ZE184226B<<<<<14" };
	const char *bad_composite[2] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
					 "L898902C<3UTO6908061F9406236ZE184226B<<<<<10" };
	struct eid_mrz m;
	uint8_t k[20];

	(void)state;
	assert_int_equal(eid_mrz_parse_lines(bad_dob, 2, &m), 0);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), -EID_ECHECKDIGIT);
	/* a wrong composite does not touch the key fields */
	assert_int_equal(eid_mrz_parse_lines(bad_composite, 2, &m), 0);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), 0);
	assert_hex(k, 20, "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565");
	eid_mrz_clear(&m);
	assert_int_equal(eid_mrz_key_hash_from(&m, k), -EID_EINVAL);
	assert_int_equal(eid_mrz_key_hash_from(NULL, k), -EID_EINVAL);
}

static void two_digit_years_by_kind_of_date(void **state)
{
	char d[11];

	(void)state;
	/* birth dates are never in the future */
	assert_int_equal(eid_mrz_year("960812", true, 2026), 1996);
	assert_int_equal(eid_mrz_year("260101", true, 2026), 2026);
	assert_int_equal(eid_mrz_year("270101", true, 2026), 1927);
	/* expiry dates: at most 20 years ahead */
	assert_int_equal(eid_mrz_year("231031", false, 2026), 2023);
	assert_int_equal(eid_mrz_year("460101", false, 2026), 2046);
	assert_int_equal(eid_mrz_year("940623", false, 2026), 1994);
	assert_int_equal(eid_mrz_year("941301", false, 2026), -1);
	assert_int_equal(eid_mrz_year("94<623", false, 2026), -1);
	assert_int_equal(eid_mrz_year("9406", false, 2026), -1);
	eid_mrz_iso_date("690806", true, 2026, d);
	assert_string_equal(d, "1969-08-06");
	eid_mrz_iso_date("xx", true, 2026, d);
	assert_string_equal(d, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_digit_years_by_kind_of_date),
		cmocka_unit_test(test_check_digit_icao_app_a_examples_520727_is_3_AB2134_is_5),
		cmocka_unit_test(test_check_digit_of_nothing_is_0_and_only_counts_n_chars),
		cmocka_unit_test(test_check_digit_rejects_chars_outside_0_9_A_Z_filler),
		cmocka_unit_test(test_td3_icao_9303_4_specimen_eriksson_all_digits_ok),
		cmocka_unit_test(test_td3_bac_example_d2_all_digits_ok),
		cmocka_unit_test(test_td3_mixed_line_with_composite_0_has_only_composite_bad),
		cmocka_unit_test(test_td3_app_a_example_3_composite_8_ok),
		cmocka_unit_test(test_td3_bsi_specimen_mustermann_state_d_with_fillers),
		cmocka_unit_test(test_td3_schmidt_personal_number_check_digit_filler_is_ok),
		cmocka_unit_test(test_td3_from_dg1_file_of_bsi_specimen),
		cmocka_unit_test(test_td1_icao_9303_5_specimen_eriksson_all_digits_ok),
		cmocka_unit_test(test_td1_line2_optional_data_is_in_the_composite),
		cmocka_unit_test(test_td1_optional_data_after_a_long_number),
		cmocka_unit_test(test_td1_app_a_example_4_composite_2_ok),
		cmocka_unit_test(test_td1_long_document_number_continues_in_optional_data),
		cmocka_unit_test(test_td1_german_id_card_code_ID_state_D_sex_unspecified_is_X),
		cmocka_unit_test(test_td1_nld_with_composite_4_has_only_composite_bad),
		cmocka_unit_test(test_td1_nld_with_composite_8_is_valid),
		cmocka_unit_test(test_td2_icao_9303_6_specimen_eriksson_all_digits_ok),
		cmocka_unit_test(test_td2_app_a_example_5_composite_8_ok),
		cmocka_unit_test(test_td2_long_document_number_continues_in_optional_data),
		cmocka_unit_test(test_each_wrong_digit_is_reported_on_its_own_field),
		cmocka_unit_test(test_td3_has_no_long_numbers_filler_check_digit_is_just_bad),
		cmocka_unit_test(test_td1_long_number_without_continuation_has_docnum_bad),
		cmocka_unit_test(test_td1_long_number_with_wrong_digit_has_docnum_bad),
		cmocka_unit_test(test_mrv_a_visa_has_no_personal_number_or_composite_digit),
		cmocka_unit_test(test_mrv_b_visa_has_no_composite_digit),
		cmocka_unit_test(test_names_split_on_double_filler_and_single_filler_is_space),
		cmocka_unit_test(test_empty_and_blank_input_is_not_an_mrz),
		cmocka_unit_test(test_lowercase_is_not_an_mrz),
		cmocka_unit_test(test_chars_outside_the_mrz_set_are_not_an_mrz),
		cmocka_unit_test(test_nul_byte_inside_bytes_is_not_an_mrz),
		cmocka_unit_test(test_wrong_line_lengths_are_not_an_mrz),
		cmocka_unit_test(test_wrong_line_counts_are_not_an_mrz),
		cmocka_unit_test(test_huge_single_line_is_rejected_early),
		cmocka_unit_test(test_parse_lines_counts_and_arguments),
		cmocka_unit_test(test_clear_wipes_every_field),
		cmocka_unit_test(test_mrz_information_pads_short_numbers_and_keeps_long_ones),
		cmocka_unit_test(test_mrz_information_rejects_malformed_fields),
		cmocka_unit_test(test_key_hash_bac_d2_is_sha1_and_kseed_prefix),
		cmocka_unit_test(test_key_hash_pace_g1_password_k),
		cmocka_unit_test(test_key_hash_from_parsed_mrz_matches_published_keys),
		cmocka_unit_test(test_key_hash_from_refuses_wrong_key_field_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
