/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Machine readable zone (ICAO 9303-3/4/5/6/7).
 *
 * The steps, in the order a reader meets them:
 *   1. check digit arithmetic (9303-3 4.9: weights 7-3-1, '<' = 0, A = 10)
 *   2. cut the text into lines (newlines, or one concatenated line)
 *   3. recognise the format from the line lengths (TD1 3x30, TD2 2x36,
 *      TD3 2x44) and the character set [0-9A-Z<]
 *   4. cut the lines into the format's fields
 *   5. decode the fields (fillers, names, long document numbers)
 *   6. verify every check digit, the composite last
 *   7. MRZ_information and its SHA-1 (BAC key seed, PACE MRZ password)
 *
 * All input goes through the eid_cbs cursor.  Reported conventions:
 *   - sex '<' (unspecified) is reported as "X" (as printed in the VIZ);
 *   - document code, states, document number and optional data lose their
 *     trailing fillers; fillers inside them are kept;
 *   - a visa (document code 'V', 9303-7 MRV-A 2x44 / MRV-B 2x36) has no
 *     optional-data or composite check digit: both are EID_MRZ_NA and the
 *     rest of line 2 is optional data.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "mrz.h"

#define TD1_LEN 30
#define TD2_LEN 36
#define TD3_LEN 44
#define MRZ_MAX_LINES 3
#define MRZ_MAX_LINE (3 * TD1_LEN)   /* the longest concatenated form */
#define DOCNUM_LEN 9
#define DATE_LEN 6
/* MRZ_information: number (>= 9) + cd + date + cd + date + cd, and a NUL. */
#define MRZ_INFO_MAX 64
#define MRZ_INFO_MAX_DOCNUM (MRZ_INFO_MAX - 1 - 1 - 2 * (DATE_LEN + 1))

/* ---- 1. check digits -------------------------------------------------- */

/* Value of an MRZ character, or -1 when it is not one. */
static int char_value(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	if (ch == '<')
		return 0;
	return -1;
}

static bool is_mrz_char(uint8_t ch)
{
	return char_value(ch) >= 0;
}

/* A check digit computed over several pieces, weights continuing across. */
struct cd_sum {
	unsigned sum;
	unsigned pos;
};

static bool cd_feed(struct cd_sum *a, const eid_cbs *piece)
{
	static const unsigned weight[3] = { 7, 3, 1 };
	eid_cbs c = *piece;
	uint8_t ch;

	while (eid_cbs_get_u8(&c, &ch)) {
		int v = char_value(ch);

		if (v < 0)
			return false;
		a->sum += (unsigned)v * weight[a->pos % 3];
		a->pos++;
		a->sum %= 10;
	}
	return true;
}

int eid_mrz_check_digit(const char *s, size_t n)
{
	struct cd_sum a = { 0, 0 };
	eid_cbs c;

	if (!s && n)
		return -EID_EINVAL;
	eid_cbs_init(&c, (const uint8_t *)s, n);
	if (!cd_feed(&a, &c))
		return -EID_EPARSE;
	return (int)a.sum;
}

/* OK when the one-character field cd holds the digit computed over pieces. */
static enum eid_mrz_result check_pieces(const eid_cbs *pieces, size_t n, const eid_cbs *cd)
{
	struct cd_sum a = { 0, 0 };
	eid_cbs c = *cd;
	uint8_t ch;

	for (size_t i = 0; i < n; i++)
		if (!cd_feed(&a, &pieces[i]))
			return EID_MRZ_BAD;
	if (!eid_cbs_get_u8(&c, &ch) || eid_cbs_len(&c) != 0)
		return EID_MRZ_BAD;
	return ch >= '0' && ch <= '9' && (unsigned)(ch - '0') == a.sum ? EID_MRZ_OK : EID_MRZ_BAD;
}

static enum eid_mrz_result check_field(const eid_cbs *field, const eid_cbs *cd)
{
	return check_pieces(field, 1, cd);
}

/* ---- 2. lines ----------------------------------------------------------- */

static bool in_set(uint8_t ch, const char *set)
{
	return ch != 0 && strchr(set, ch) != NULL;
}

static void trim(eid_cbs *c, const char *set)
{
	eid_cbs rest, last;
	uint8_t ch;

	while (eid_cbs_peek_u8(c, &ch) && in_set(ch, set))
		eid_cbs_skip(c, 1);
	for (;;) {
		rest = *c;
		if (!eid_cbs_get_last(&rest, &last, 1) || !eid_cbs_peek_u8(&last, &ch) ||
		    !in_set(ch, set))
			break;
		*c = rest;
	}
}

/* Bytes before the next '\n' (counting stops past max). */
static size_t line_length(const eid_cbs *c, size_t max)
{
	eid_cbs t = *c;
	size_t n = 0;
	uint8_t ch;

	while (n <= max && eid_cbs_get_u8(&t, &ch) && ch != '\n')
		n++;
	return n;
}

static int split_lines(eid_cbs text, eid_cbs lines[MRZ_MAX_LINES], size_t *nlines,
		       const char **why)
{
	size_t n;

	*nlines = 0;
	trim(&text, " \t\r\n\v\f");
	if (eid_cbs_len(&text) == 0) {
		*why = "empty input";
		return -EID_EPARSE;
	}
	while (eid_cbs_len(&text) > 0) {
		eid_cbs line;

		if (*nlines == MRZ_MAX_LINES) {
			*why = "more than 3 lines";
			return -EID_EPARSE;
		}
		n = line_length(&text, MRZ_MAX_LINE);
		if (n > MRZ_MAX_LINE) {
			*why = "line longer than 90 characters";
			return -EID_EPARSE;
		}
		if (!eid_cbs_get_bytes(&text, &line, n))
			return -EID_EPARSE;
		eid_cbs_skip(&text, 1);   /* the '\n', absent after the last line */
		trim(&line, " \t\r");
		if (eid_cbs_len(&line) == 0) {
			*why = "empty line";
			return -EID_EPARSE;
		}
		lines[(*nlines)++] = line;
	}
	return 0;
}

/* ---- 3. format ----------------------------------------------------------- */

static bool all_mrz_chars(const eid_cbs *line)
{
	eid_cbs c = *line;
	uint8_t ch;

	while (eid_cbs_get_u8(&c, &ch))
		if (!is_mrz_char(ch))
			return false;
	return true;
}

/* Cut one concatenated line of nlines * len characters into lines. */
static bool cut_concatenated(eid_cbs text, size_t len, size_t nlines, eid_cbs *lines)
{
	for (size_t i = 0; i < nlines; i++)
		if (!eid_cbs_get_bytes(&text, &lines[i], len))
			return false;
	return eid_cbs_len(&text) == 0;
}

static bool lines_of(const eid_cbs *lines, size_t n, size_t want_n, size_t want_len)
{
	if (n != want_n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (eid_cbs_len(&lines[i]) != want_len)
			return false;
	return true;
}

static int recognise_format(eid_cbs lines[MRZ_MAX_LINES], size_t *n,
			    enum eid_mrz_format *format, const char **why)
{
	static const struct {
		enum eid_mrz_format format;
		size_t nlines, len;
	} shapes[] = {
		{ EID_MRZ_TD1, 3, TD1_LEN },
		{ EID_MRZ_TD2, 2, TD2_LEN },
		{ EID_MRZ_TD3, 2, TD3_LEN },
	};

	for (size_t i = 0; i < *n; i++) {
		if (!all_mrz_chars(&lines[i])) {
			*why = "character outside [0-9A-Z<]";
			return -EID_EPARSE;
		}
	}
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		if (*n == 1 && eid_cbs_len(&lines[0]) == shapes[i].nlines * shapes[i].len) {
			if (!cut_concatenated(lines[0], shapes[i].len, shapes[i].nlines, lines))
				break;
			*n = shapes[i].nlines;
		}
		if (lines_of(lines, *n, shapes[i].nlines, shapes[i].len)) {
			*format = shapes[i].format;
			return 0;
		}
	}
	*why = "not 3 lines of 30, 2 of 36 or 2 of 44 characters";
	return -EID_EPARSE;
}

/* ---- 4. fields ----------------------------------------------------------- */

/* The raw fields, views into the lines. */
struct mrz_raw {
	eid_cbs code, state, name;
	eid_cbs docnum, docnum_cd, nationality;
	eid_cbs dob, dob_cd, sex, doe, doe_cd;
	eid_cbs opt, opt_cd;          /* TD1 line 1 / TD2 / TD3 personal number */
	eid_cbs opt2;                 /* TD1 line 2 */
	eid_cbs composite_cd;
	bool visa;                    /* no opt_cd, no composite */
	eid_cbs composite[8];         /* the pieces the composite covers, in order */
	size_t ncomposite;
};

static bool take(eid_cbs *line, eid_cbs *field, size_t n)
{
	return eid_cbs_get_bytes(line, field, n);
}

/* Document code and issuing state: the start of line 1 in every format. */
static bool read_code_state(eid_cbs *l1, struct mrz_raw *r)
{
	uint8_t first;

	if (!take(l1, &r->code, 2) || !take(l1, &r->state, 3))
		return false;
	r->visa = eid_cbs_peek_u8(&r->code, &first) && first == 'V';
	return true;
}

/* TD2/TD3 line 2 up to the date of expiry's check digit. */
static bool read_line2_common(eid_cbs *l2, struct mrz_raw *r)
{
	return take(l2, &r->docnum, DOCNUM_LEN) && take(l2, &r->docnum_cd, 1) &&
	       take(l2, &r->nationality, 3) &&
	       take(l2, &r->dob, DATE_LEN) && take(l2, &r->dob_cd, 1) &&
	       take(l2, &r->sex, 1) &&
	       take(l2, &r->doe, DATE_LEN) && take(l2, &r->doe_cd, 1);
}

static bool add_piece(struct mrz_raw *r, const eid_cbs *piece)
{
	if (r->ncomposite >= sizeof(r->composite) / sizeof(r->composite[0]))
		return false;
	r->composite[r->ncomposite++] = *piece;
	return true;
}

/* Line 1: code 2, state 3, number 9, cd, optional 15.  Line 2: birth 6 + cd,
 * sex, expiry 6 + cd, nationality 3, optional 11, composite.  Line 3: name.
 * Composite over line1[5..30] + line2[0..7] + line2[8..15] + line2[18..29]. */
static bool read_td1(eid_cbs *l, struct mrz_raw *r)
{
	if (!read_code_state(&l[0], r) ||
	    !take(&l[0], &r->docnum, DOCNUM_LEN) || !take(&l[0], &r->docnum_cd, 1) ||
	    !take(&l[0], &r->opt, 15) ||
	    !take(&l[1], &r->dob, DATE_LEN) || !take(&l[1], &r->dob_cd, 1) ||
	    !take(&l[1], &r->sex, 1) ||
	    !take(&l[1], &r->doe, DATE_LEN) || !take(&l[1], &r->doe_cd, 1) ||
	    !take(&l[1], &r->nationality, 3) || !take(&l[1], &r->opt2, 11) ||
	    !take(&l[1], &r->composite_cd, 1) ||
	    !take(&l[2], &r->name, TD1_LEN))
		return false;
	r->visa = false;   /* 9303-5 has no TD1 visa */
	return add_piece(r, &r->docnum) && add_piece(r, &r->docnum_cd) &&
	       add_piece(r, &r->opt) &&
	       add_piece(r, &r->dob) && add_piece(r, &r->dob_cd) &&
	       add_piece(r, &r->doe) && add_piece(r, &r->doe_cd) &&
	       add_piece(r, &r->opt2);
}

/* Line 1: code 2, state 3, name 31.  Line 2: number 9 + cd, nationality,
 * birth + cd, sex, expiry + cd, optional 7, composite over [0..10] +
 * [13..20] + [21..35].  MRV-B visa: optional 8, no composite. */
static bool read_td2(eid_cbs *l, struct mrz_raw *r)
{
	if (!read_code_state(&l[0], r) || !take(&l[0], &r->name, TD2_LEN - 5) ||
	    !read_line2_common(&l[1], r))
		return false;
	if (r->visa)
		return take(&l[1], &r->opt, 8);
	return take(&l[1], &r->opt, 7) && take(&l[1], &r->composite_cd, 1) &&
	       add_piece(r, &r->docnum) && add_piece(r, &r->docnum_cd) &&
	       add_piece(r, &r->dob) && add_piece(r, &r->dob_cd) &&
	       add_piece(r, &r->doe) && add_piece(r, &r->doe_cd) &&
	       add_piece(r, &r->opt);
}

/* Line 1: code 2, state 3, name 39.  Line 2: number 9 + cd, nationality,
 * birth + cd, sex, expiry + cd, personal number 14 + cd, composite over
 * [0..10] + [13..20] + [21..43].  MRV-A visa: optional 16, no composite. */
static bool read_td3(eid_cbs *l, struct mrz_raw *r)
{
	if (!read_code_state(&l[0], r) || !take(&l[0], &r->name, TD3_LEN - 5) ||
	    !read_line2_common(&l[1], r))
		return false;
	if (r->visa)
		return take(&l[1], &r->opt, 16);
	return take(&l[1], &r->opt, 14) && take(&l[1], &r->opt_cd, 1) &&
	       take(&l[1], &r->composite_cd, 1) &&
	       add_piece(r, &r->docnum) && add_piece(r, &r->docnum_cd) &&
	       add_piece(r, &r->dob) && add_piece(r, &r->dob_cd) &&
	       add_piece(r, &r->doe) && add_piece(r, &r->doe_cd) &&
	       add_piece(r, &r->opt) && add_piece(r, &r->opt_cd);
}

static int read_fields(enum eid_mrz_format format, eid_cbs *lines, struct mrz_raw *r)
{
	bool ok = false;

	memset(r, 0, sizeof(*r));
	switch (format) {
	case EID_MRZ_TD1:
		ok = read_td1(lines, r);
		break;
	case EID_MRZ_TD2:
		ok = read_td2(lines, r);
		break;
	case EID_MRZ_TD3:
		ok = read_td3(lines, r);
		break;
	}
	return ok ? 0 : -EID_EPARSE;
}

/* ---- 5. decoding --------------------------------------------------------- */

/* A bounded string being written. */
struct out_str {
	char *s;
	size_t cap;
	size_t len;
};

static void out_init(struct out_str *o, char *s, size_t cap)
{
	o->s = s;
	o->cap = cap;
	o->len = 0;
	s[0] = '\0';
}

static bool out_add(struct out_str *o, uint8_t ch)
{
	if (o->len + 1 >= o->cap)
		return false;
	o->s[o->len++] = (char)ch;
	o->s[o->len] = '\0';
	return true;
}

static bool out_add_cbs(struct out_str *o, const eid_cbs *c)
{
	eid_cbs t = *c;
	uint8_t ch;

	while (eid_cbs_get_u8(&t, &ch))
		if (!out_add(o, ch))
			return false;
	return true;
}

/* Drop trailing fillers. */
static void out_strip_fillers(struct out_str *o)
{
	while (o->len > 0 && o->s[o->len - 1] == '<')
		o->s[--o->len] = '\0';
}

/* A field with its trailing fillers removed. */
static bool decode_plain(const eid_cbs *field, char *s, size_t cap)
{
	struct out_str o;

	out_init(&o, s, cap);
	if (!out_add_cbs(&o, field))
		return false;
	out_strip_fillers(&o);
	return true;
}

/*
 * Name: primary identifier, "<<", secondary identifier; a '<' (or a run of
 * them) inside either becomes one space; trailing fillers vanish.
 */
static bool decode_name(const eid_cbs *field, struct eid_mrz *m)
{
	eid_cbs c = *field;
	struct out_str o;
	size_t fillers = 0;
	bool secondary = false;
	uint8_t ch;

	out_init(&o, m->family_name, sizeof(m->family_name));
	m->given_names[0] = '\0';
	while (eid_cbs_get_u8(&c, &ch)) {
		if (ch == '<') {
			fillers++;
			if (fillers == 2 && !secondary) {
				out_init(&o, m->given_names, sizeof(m->given_names));
				secondary = true;
				fillers = 0;
			}
			continue;
		}
		if (fillers > 0 && o.len > 0 && !out_add(&o, ' '))
			return false;
		fillers = 0;
		if (!out_add(&o, ch))
			return false;
	}
	return true;
}

static bool decode_sex(const eid_cbs *field, struct eid_mrz *m)
{
	uint8_t ch;

	if (!eid_cbs_peek_u8(field, &ch))
		return false;
	m->sex[0] = ch == '<' ? 'X' : (char)ch;
	m->sex[1] = '\0';
	return true;
}

static int decode_fields(const struct mrz_raw *r, struct eid_mrz *m)
{
	bool ok = decode_plain(&r->code, m->document_code, sizeof(m->document_code)) &&
		  decode_plain(&r->state, m->issuing_state, sizeof(m->issuing_state)) &&
		  decode_plain(&r->nationality, m->nationality, sizeof(m->nationality)) &&
		  decode_plain(&r->dob, m->date_of_birth, sizeof(m->date_of_birth)) &&
		  decode_plain(&r->doe, m->date_of_expiry, sizeof(m->date_of_expiry)) &&
		  decode_plain(&r->opt2, m->optional_data2, sizeof(m->optional_data2)) &&
		  decode_sex(&r->sex, m) && decode_name(&r->name, m);

	return ok ? 0 : -EID_EPARSE;
}

/*
 * Document number.  TD1 and TD2 carry a number longer than 9 characters
 * as: its first 9 characters, '<' where the check digit would be, then
 * at the start of the optional data the rest of the number, its check
 * digit and a '<'.  The optional data reported is what follows.
 */
/* Bytes before the first filler. */
static size_t span_until_filler(const eid_cbs *c)
{
	eid_cbs t = *c;
	size_t n = 0;
	uint8_t ch;

	while (eid_cbs_get_u8(&t, &ch) && ch != '<')
		n++;
	return n;
}

/* Optional data starting with the rest of a long number, its check digit
 * and a '<' (absent when they fill the field): split it. */
static bool split_long_number(const eid_cbs *opt, eid_cbs *ext, eid_cbs *ext_cd, eid_cbs *rest)
{
	size_t n = span_until_filler(opt);

	*rest = *opt;
	if (n < 2 || !eid_cbs_get_bytes(rest, ext, n - 1) || !eid_cbs_get_bytes(rest, ext_cd, 1))
		return false;
	eid_cbs_skip(rest, 1);
	return true;
}

/* The number (first 9 characters, then ext if any) and the optional data. */
static int decode_number(const eid_cbs *first, const eid_cbs *ext, const eid_cbs *opt,
			 struct eid_mrz *m)
{
	struct out_str num;

	out_init(&num, m->document_number, sizeof(m->document_number));
	if (!out_add_cbs(&num, first) || (ext && !out_add_cbs(&num, ext)) ||
	    !decode_plain(opt, m->optional_data, sizeof(m->optional_data)))
		return -EID_EPARSE;
	out_strip_fillers(&num);
	return 0;
}

static int decode_document_number(const struct mrz_raw *r, struct eid_mrz *m)
{
	eid_cbs ext, ext_cd, rest, pieces[2];
	uint8_t cd;

	if (!eid_cbs_peek_u8(&r->docnum_cd, &cd))
		return -EID_EPARSE;
	if (cd != '<' || m->format == EID_MRZ_TD3 || r->visa) {
		m->check[EID_MRZ_CHECK_DOCNUM] = check_field(&r->docnum, &r->docnum_cd);
		return decode_number(&r->docnum, NULL, &r->opt, m);
	}
	if (!split_long_number(&r->opt, &ext, &ext_cd, &rest)) {
		/* '<' in place of the check digit but no continuation */
		m->check[EID_MRZ_CHECK_DOCNUM] = EID_MRZ_BAD;
		return decode_number(&r->docnum, NULL, &r->opt, m);
	}
	pieces[0] = r->docnum;
	pieces[1] = ext;
	m->check[EID_MRZ_CHECK_DOCNUM] = check_pieces(pieces, 2, &ext_cd);
	return decode_number(&r->docnum, &ext, &rest, m);
}

/* ---- 6. check digits ---------------------------------------------------- */

/* TD3 personal number: its check digit may be '<' when the number is empty. */
static enum eid_mrz_result check_personal_number(const struct mrz_raw *r)
{
	eid_cbs t = r->opt;
	uint8_t cd, ch;

	if (eid_cbs_peek_u8(&r->opt_cd, &cd) && cd == '<') {
		while (eid_cbs_get_u8(&t, &ch))
			if (ch != '<')
				return EID_MRZ_BAD;
		return EID_MRZ_OK;
	}
	return check_field(&r->opt, &r->opt_cd);
}

static void verify_check_digits(const struct mrz_raw *r, struct eid_mrz *m)
{
	m->check[EID_MRZ_CHECK_DOB] = check_field(&r->dob, &r->dob_cd);
	m->check[EID_MRZ_CHECK_DOE] = check_field(&r->doe, &r->doe_cd);
	if (m->format == EID_MRZ_TD3 && !r->visa)
		m->check[EID_MRZ_CHECK_OPTIONAL] = check_personal_number(r);
	if (!r->visa)
		m->check[EID_MRZ_CHECK_COMPOSITE] =
			check_pieces(r->composite, r->ncomposite, &r->composite_cd);
	m->valid = true;
	for (size_t i = 0; i < EID_MRZ_CHECK_COUNT; i++)
		if (m->check[i] == EID_MRZ_BAD)
			m->valid = false;
}

/* ---- parsing, all steps -------------------------------------------------- */

static int parse_mrz_lines(eid_cbs *lines, size_t n, struct eid_mrz *out, const char **why)
{
	struct mrz_raw raw;
	int ret;

	ret = recognise_format(lines, &n, &out->format, why);
	if (ret < 0)
		goto out;
	ret = read_fields(out->format, lines, &raw);
	if (ret < 0)
		goto out;
	ret = decode_fields(&raw, out);
	if (ret < 0)
		goto out;
	ret = decode_document_number(&raw, out);
	if (ret < 0)
		goto out;
	verify_check_digits(&raw, out);
out:
	if (ret < 0 && !*why)
		*why = "malformed fields";
	return ret;
}

int eid_mrz_parse_bytes(const uint8_t *data, size_t len, struct eid_mrz *out,
			const char **why)
{
	eid_cbs text, lines[MRZ_MAX_LINES];
	const char *reason = NULL;
	size_t n;
	int ret;

	if (why)
		*why = NULL;
	if (!out || (!data && len))
		return -EID_EINVAL;
	eid_mrz_clear(out);
	eid_cbs_init(&text, data, len);
	ret = split_lines(text, lines, &n, &reason);
	if (ret < 0)
		goto out;
	ret = parse_mrz_lines(lines, n, out, &reason);
out:
	if (ret < 0) {
		eid_mrz_clear(out);
		if (why)
			*why = reason ? reason : "malformed input";
	}
	return ret;
}

int eid_mrz_parse(const char *text, struct eid_mrz *out)
{
	if (!text)
		return -EID_EINVAL;
	return eid_mrz_parse_bytes((const uint8_t *)text, strlen(text), out, NULL);
}

int eid_mrz_parse_lines(const char *const *lines, size_t nlines, struct eid_mrz *out)
{
	eid_cbs cbs[MRZ_MAX_LINES];
	const char *why = NULL;
	int ret;

	if (!out || (!lines && nlines))
		return -EID_EINVAL;
	for (size_t i = 0; i < nlines; i++)
		if (!lines[i])
			return -EID_EINVAL;
	if (nlines == 1)
		return eid_mrz_parse(lines[0], out);
	eid_mrz_clear(out);
	if (nlines == 0 || nlines > MRZ_MAX_LINES)
		return -EID_EPARSE;
	for (size_t i = 0; i < nlines; i++) {
		eid_cbs_init(&cbs[i], (const uint8_t *)lines[i], strlen(lines[i]));
		trim(&cbs[i], " \t\r\n\v\f");
	}
	ret = parse_mrz_lines(cbs, nlines, out, &why);
	if (ret < 0)
		eid_mrz_clear(out);
	return ret;
}

void eid_mrz_clear(struct eid_mrz *m)
{
	if (m)
		eid_wipe(m, sizeof(*m));
}

/* ---- 7. MRZ_information and the key ------------------------------------- */

static bool valid_chars(const char *s, size_t n, bool digits_only)
{
	eid_cbs c;
	uint8_t ch;

	eid_cbs_init(&c, (const uint8_t *)s, n);
	while (eid_cbs_get_u8(&c, &ch))
		if (!is_mrz_char(ch) || (digits_only && ch != '<' && (ch < '0' || ch > '9')))
			return false;
	return true;
}

/* Append field + its check digit. */
static bool add_with_check_digit(struct out_str *o, const char *field, size_t n)
{
	eid_cbs c;
	int cd;

	eid_cbs_init(&c, (const uint8_t *)field, n);
	cd = eid_mrz_check_digit(field, n);
	return cd >= 0 && out_add_cbs(o, &c) && out_add(o, (uint8_t)('0' + cd));
}

int eid_mrz_information(const char *document_number, const char *date_of_birth,
			const char *date_of_expiry, char out[64])
{
	char number[DOCNUM_LEN + 1];
	struct out_str o;
	size_t n;
	int ret = -EID_EINVAL;

	if (!out)
		return -EID_EINVAL;
	out_init(&o, out, MRZ_INFO_MAX);
	if (!document_number || !date_of_birth || !date_of_expiry)
		goto out;
	n = strlen(document_number);
	if (n == 0 || n > MRZ_INFO_MAX_DOCNUM || !valid_chars(document_number, n, false) ||
	    strlen(date_of_birth) != DATE_LEN || !valid_chars(date_of_birth, DATE_LEN, true) ||
	    strlen(date_of_expiry) != DATE_LEN || !valid_chars(date_of_expiry, DATE_LEN, true))
		goto out;
	if (n < DOCNUM_LEN) {
		memset(number, '<', DOCNUM_LEN);
		memcpy(number, document_number, n);
		number[DOCNUM_LEN] = '\0';
		document_number = number;
		n = DOCNUM_LEN;
	}
	if (!add_with_check_digit(&o, document_number, n) ||
	    !add_with_check_digit(&o, date_of_birth, DATE_LEN) ||
	    !add_with_check_digit(&o, date_of_expiry, DATE_LEN))
		goto out;
	ret = 0;
out:
	eid_wipe(number, sizeof(number));
	if (ret < 0)
		eid_wipe(out, MRZ_INFO_MAX);
	return ret;
}

int eid_mrz_key_hash(const char *document_number, const char *date_of_birth,
		     const char *date_of_expiry, uint8_t out[20])
{
	char info[MRZ_INFO_MAX];
	int ret;

	if (!out)
		return -EID_EINVAL;
	ret = eid_mrz_information(document_number, date_of_birth, date_of_expiry, info);
	if (ret < 0)
		goto out;
	ret = eid_sha1((const uint8_t *)info, strlen(info), out);
out:
	eid_wipe(info, sizeof(info));
	return ret;
}

/*
 * Refuses (-EID_ECHECKDIGIT) when the document number, date of birth or
 * date of expiry failed its check digit: a key from a misread MRZ cannot
 * open the chip.
 */
int eid_mrz_key_hash_from(const struct eid_mrz *m, uint8_t out[20])
{
	if (!m || !out || !m->format)
		return -EID_EINVAL;
	if (m->check[EID_MRZ_CHECK_DOCNUM] == EID_MRZ_BAD ||
	    m->check[EID_MRZ_CHECK_DOB] == EID_MRZ_BAD ||
	    m->check[EID_MRZ_CHECK_DOE] == EID_MRZ_BAD)
		return -EID_ECHECKDIGIT;
	return eid_mrz_key_hash(m->document_number, m->date_of_birth, m->date_of_expiry, out);
}

int eid_mrz_year(const char *yymmdd, bool birth, int now)
{
	int yy, year, month, day;

	if (!yymmdd || strlen(yymmdd) != 6 || strspn(yymmdd, "0123456789") != 6)
		return -1;
	yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
	month = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
	day = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return -1;
	year = now - now % 100 + yy;
	if (birth ? year > now : year > now + 20)
		year -= 100;
	return year;
}

void eid_mrz_iso_date(const char *yymmdd, bool birth, int now, char out[11])
{
	int year = eid_mrz_year(yymmdd, birth, now);

	out[0] = '\0';
	if (year >= 0)
		snprintf(out, 11, "%04d-%.2s-%.2s", year % 10000, yymmdd + 2, yymmdd + 4);
}
