/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LDS data groups (ICAO 9303-10 4.6, 4.7).  Each parser unwraps the file's
 * outer TLV, then reads the elements inside with the tlv.h cursor.  The
 * facial records of DG2 follow ISO/IEC 19794-5:2005 (binary, 5F2E) or the
 * ICAO application profile of ISO/IEC 39794-5 (DER, 7F2E).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lds.h"
#include "tlv.h"

/* ======================================================================
 * File identifiers
 * ====================================================================== */

static const struct eid_lds_ef_info ef_table[] = {
	{ 1, "DG1", 0x0101, 0x01, 0x61, false },
	{ 2, "DG2", 0x0102, 0x02, 0x75, false },
	{ 3, "DG3", 0x0103, 0x03, 0x63, false },
	{ 4, "DG4", 0x0104, 0x04, 0x76, false },
	{ 5, "DG5", 0x0105, 0x05, 0x65, false },
	{ 6, "DG6", 0x0106, 0x06, 0x66, false },
	{ 7, "DG7", 0x0107, 0x07, 0x67, false },
	{ 8, "DG8", 0x0108, 0x08, 0x68, false },
	{ 9, "DG9", 0x0109, 0x09, 0x69, false },
	{ 10, "DG10", 0x010A, 0x0A, 0x6A, false },
	{ 11, "DG11", 0x010B, 0x0B, 0x6B, false },
	{ 12, "DG12", 0x010C, 0x0C, 0x6C, false },
	{ 13, "DG13", 0x010D, 0x0D, 0x6D, false },
	{ 14, "DG14", 0x010E, 0x0E, 0x6E, false },
	{ 15, "DG15", 0x010F, 0x0F, 0x6F, false },
	{ 16, "DG16", 0x0110, 0x10, 0x70, false },
	{ EID_LDS_EF_COM, "EF.COM", 0x011E, 0x1E, 0x60, false },
	{ EID_LDS_EF_SOD, "EF.SOD", 0x011D, 0x1D, 0x77, false },
	{ EID_LDS_EF_CARDACCESS, "EF.CardAccess", 0x011C, 0x1C, 0x31, true },
};

#define EF_TABLE_N (sizeof(ef_table) / sizeof(ef_table[0]))

const struct eid_lds_ef_info *eid_lds_ef_info(int ef)
{
	for (size_t i = 0; i < EF_TABLE_N; i++)
		if (ef_table[i].ef == ef)
			return &ef_table[i];
	return NULL;
}

int eid_lds_ef_from_tag(uint8_t tag)
{
	/* EF.CardAccess (0x31) is not an LDS file and has no LDS tag */
	for (size_t i = 0; i < EF_TABLE_N; i++)
		if (ef_table[i].tag == tag && !ef_table[i].in_mf)
			return ef_table[i].ef;
	return -EID_ENOTFOUND;
}

/* ======================================================================
 * Shared reading helpers
 * ====================================================================== */

/* The file is exactly one TLV with the given tag; *value = its contents. */
static int unwrap_file(const uint8_t *data, size_t n, uint32_t tag, eid_cbs *value)
{
	eid_cbs in;

	if (!data && n)
		return -EID_EINVAL;
	if (n > EID_LDS_MAX_FILE)
		return -EID_ETOOBIG;
	eid_cbs_init(&in, data, n);
	if (!eid_tlv_get(&in, tag, value) || eid_cbs_len(&in) != 0)
		return -EID_EPARSE;
	return 0;
}

/* Bytes a tag value occupies in its encoding (tags are packed big-endian). */
static size_t tag_size(uint32_t tag)
{
	return tag > 0xFFFFFF ? 4 : tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;
}

/* Non-negative integer of 1..4 content bytes (a leading 00 is allowed only
 * before a byte with its top bit set, as in DER), at most max. */
static bool uint_value(eid_cbs v, uint32_t max, uint32_t *out)
{
	uint8_t first, next;
	uint32_t x;

	if (!eid_cbs_peek_u8(&v, &first) || (first & 0x80))
		return false;
	if (first == 0 && eid_cbs_len(&v) > 1) {
		eid_cbs_skip(&v, 1);
		if (!eid_cbs_peek_u8(&v, &next) || !(next & 0x80))
			return false;
	}
	if (eid_cbs_len(&v) > 4 || !eid_cbs_get_uint(&v, eid_cbs_len(&v), &x) || x > max)
		return false;
	*out = x;
	return true;
}

/*
 * The element with `tag` among the TLVs of seq.  Every TLV of seq must be
 * well formed; the tag may appear at most once.  *found tells whether it did.
 */
static int find_child(eid_cbs seq, uint32_t tag, eid_cbs *value, bool *found)
{
	*found = false;
	while (eid_cbs_len(&seq)) {
		uint32_t t;
		eid_cbs v;

		if (!eid_tlv_get_any(&seq, &t, &v, NULL))
			return -EID_EPARSE;
		if (t != tag)
			continue;
		if (*found)
			return -EID_EPARSE;
		*value = v;
		*found = true;
	}
	return 0;
}

/* Like find_child, but the element must be there. */
static int need_child(eid_cbs seq, uint32_t tag, eid_cbs *value)
{
	bool found;
	int r = find_child(seq, tag, value, &found);

	if (r < 0)
		return r;
	return found ? 0 : -EID_EPARSE;
}

/* A 5C tag list: concatenated BER tags. */
static int parse_tag_list(eid_cbs v, uint32_t *tags, size_t *n)
{
	*n = 0;
	while (eid_cbs_len(&v)) {
		uint32_t t;

		if (!eid_tlv_peek_tag(&v, &t) || !eid_cbs_skip(&v, tag_size(t)))
			return -EID_EPARSE;
		if (*n == EID_LDS_TAG_LIST_MAX)
			return -EID_ETOOBIG;
		tags[(*n)++] = t;
	}
	return 0;
}

/* ======================================================================
 * Text: UTF-8 validation, copies, names, dates
 * ====================================================================== */

/* One code point; false on malformed, overlong, surrogate or > U+10FFFF. */
static bool utf8_get(eid_cbs *s, uint32_t *cp)
{
	uint8_t b, c;
	uint32_t x, min;
	int more;

	if (!eid_cbs_get_u8(s, &b))
		return false;
	if (b < 0x80) {
		*cp = b;
		return true;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		x = b & 0x1F, more = 1, min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		x = b & 0x0F, more = 2, min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		x = b & 0x07, more = 3, min = 0x10000;
	} else {
		return false;
	}
	while (more--) {
		if (!eid_cbs_get_u8(s, &c) || (c & 0xC0) != 0x80)
			return false;
		x = (x << 6) | (c & 0x3F);
	}
	if (x < min || x > 0x10FFFF || (x >= 0xD800 && x <= 0xDFFF))
		return false;
	*cp = x;
	return true;
}

/* Valid UTF-8 without NUL or control characters (TAB, LF, CR allowed). */
static bool text_ok(eid_cbs s)
{
	uint32_t cp;

	while (eid_cbs_len(&s)) {
		if (!utf8_get(&s, &cp))
			return false;
		if (cp == '\t' || cp == '\n' || cp == '\r')
			continue;
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return false;
	}
	return true;
}

/* Copy of a text value as a NUL-terminated string. */
static int text_dup(const eid_cbs *v, char **out)
{
	size_t n = eid_cbs_len(v);
	eid_cbs tmp = *v;
	char *s;

	if (n > EID_LDS_MAX_TEXT)
		return -EID_ETOOBIG;
	if (!text_ok(*v))
		return -EID_EPARSE;
	s = malloc(n + 1);
	if (!s)
		return -EID_ENOMEM;
	if (!eid_cbs_copy(&tmp, (uint8_t *)s, n)) {
		free(s);
		return -EID_EPARSE;
	}
	s[n] = '\0';
	*out = s;
	return 0;
}

static void text_free(char *s)
{
	if (!s)
		return;
	eid_wipe(s, strlen(s));
	free(s);
}

/* ICAO name fillers: every '<' becomes a space, runs of spaces become one,
 * no space at either end.  In place. */
static void fillers_to_spaces(char *s)
{
	size_t r, w = 0;
	bool after_space = true;

	for (r = 0; s[r]; r++) {
		char c = s[r] == '<' ? ' ' : s[r];

		if (c == ' ') {
			if (after_space)
				continue;
			after_space = true;
		} else {
			after_space = false;
		}
		s[w++] = c;
	}
	if (w && s[w - 1] == ' ')
		w--;
	eid_wipe(s + w, r - w);
	s[w] = '\0';
}

static int name_dup(const eid_cbs *v, char **out)
{
	int r = text_dup(v, out);

	if (r == 0)
		fillers_to_spaces(*out);
	return r;
}

/* "PRIMARY<<SECONDARY": the name as a whole and its two parts. */
static int full_name_dup(const eid_cbs *v, char **full, char **primary, char **secondary)
{
	char *raw, *sep;
	int r;

	if ((r = text_dup(v, &raw)) < 0)
		return r;
	*full = strdup(raw);
	sep = strstr(raw, "<<");
	if (sep) {
		*secondary = strdup(sep + 2);
		*sep = '\0';
	} else {
		*secondary = strdup("");
	}
	*primary = strdup(raw);
	text_free(raw);
	if (!*full || !*primary || !*secondary)
		return -EID_ENOMEM;
	fillers_to_spaces(*full);
	fillers_to_spaces(*primary);
	fillers_to_spaces(*secondary);
	return 0;
}

/* A date or time of ndigits digits, as ASCII digits or as packed BCD
 * (ndigits / 2 bytes, used by some issuers).  out holds ndigits + 1. */
static int digits_get(eid_cbs v, size_t ndigits, char *out)
{
	size_t i = 0;
	uint8_t b;

	if (eid_cbs_len(&v) == ndigits) {
		while (eid_cbs_get_u8(&v, &b)) {
			if (b < '0' || b > '9')
				return -EID_EPARSE;
			out[i++] = (char)b;
		}
	} else if (eid_cbs_len(&v) == ndigits / 2) {
		while (eid_cbs_get_u8(&v, &b)) {
			if ((b >> 4) > 9 || (b & 0x0F) > 9)
				return -EID_EPARSE;
			out[i++] = (char)('0' + (b >> 4));
			out[i++] = (char)('0' + (b & 0x0F));
		}
	} else {
		return -EID_EPARSE;
	}
	out[i] = '\0';
	return 0;
}

static int bytes_set(const eid_cbs *v, eid_buf *out)
{
	return eid_buf_set(out, eid_cbs_data(v), eid_cbs_len(v));
}

/* ======================================================================
 * Tagged-field tables for DG11 and DG12
 * ====================================================================== */

enum field_kind {
	F_TAG_LIST,   /* 5C: off = tag array, off2 = count */
	F_TEXT,       /* char * */
	F_FULL_NAME,  /* char * x3: full, primary (off2), secondary (off3) */
	F_NAME_LIST,  /* A0 { 02 count, inner ... }: char ** at off, count at off2 */
	F_DATE,       /* char[9] */
	F_DATETIME,   /* char[15] */
	F_BYTES,      /* eid_buf */
};

struct field {
	uint32_t tag;
	enum field_kind kind;
	size_t off, off2, off3;
	uint32_t inner;           /* F_NAME_LIST: tag of each entry */
};

#define AT(base, off, type) ((type)(void *)((char *)(base) + (off)))

/* A0 { 02 count, inner name ... }: the count must match the entries. */
static int name_list_get(eid_cbs v, uint32_t inner, char ***list, size_t *n)
{
	eid_cbs cnt, e;
	uint32_t count, t;
	char **names;
	int r;

	if (!eid_tlv_get(&v, 0x02, &cnt) || !uint_value(cnt, UINT32_MAX, &count))
		return -EID_EPARSE;
	if (count > EID_LDS_MAX_NAMES)
		return -EID_ETOOBIG;
	names = calloc(count ? count : 1, sizeof(*names));
	if (!names)
		return -EID_ENOMEM;
	*list = names;
	*n = 0;
	while (eid_cbs_len(&v)) {
		if (!eid_tlv_get_any(&v, &t, &e, NULL))
			return -EID_EPARSE;
		if (t != inner)
			continue;
		if (*n == count)
			return -EID_EPARSE;
		if ((r = name_dup(&e, &names[*n])) < 0)
			return r;
		(*n)++;
	}
	return *n == count ? 0 : -EID_EPARSE;
}

static int field_get(const struct field *f, const eid_cbs *v, void *base)
{
	switch (f->kind) {
	case F_TAG_LIST:
		return parse_tag_list(*v, AT(base, f->off, uint32_t *), AT(base, f->off2, size_t *));
	case F_TEXT:
		return text_dup(v, AT(base, f->off, char **));
	case F_FULL_NAME:
		return full_name_dup(v, AT(base, f->off, char **), AT(base, f->off2, char **),
				     AT(base, f->off3, char **));
	case F_NAME_LIST:
		return name_list_get(*v, f->inner, AT(base, f->off, char ***),
				     AT(base, f->off2, size_t *));
	case F_DATE:
		return digits_get(*v, 8, AT(base, f->off, char *));
	case F_DATETIME:
		return digits_get(*v, 14, AT(base, f->off, char *));
	case F_BYTES:
		return bytes_set(v, AT(base, f->off, eid_buf *));
	}
	return -EID_EINVAL;
}

/* Every element of v: known tags into base (once each), unknown skipped.
 * The 5C tag list is mandatory. */
static int fields_get(eid_cbs v, const struct field *fields, size_t nfields, void *base)
{
	uint64_t seen = 0;
	uint32_t tag;
	eid_cbs e;
	size_t i;
	int r;

	while (eid_cbs_len(&v)) {
		if (!eid_tlv_get_any(&v, &tag, &e, NULL))
			return -EID_EPARSE;
		for (i = 0; i < nfields && fields[i].tag != tag; i++)
			;
		if (i == nfields)
			continue;
		if (seen & (1ull << i))
			return -EID_EPARSE;
		seen |= 1ull << i;
		if ((r = field_get(&fields[i], &e, base)) < 0)
			return r;
	}
	for (i = 0; i < nfields; i++)
		if (fields[i].kind == F_TAG_LIST && !(seen & (1ull << i)))
			return -EID_EPARSE;
	return 0;
}

/* ======================================================================
 * EF.COM
 * ====================================================================== */

static int com_version(eid_cbs v, char *out, size_t ndigits)
{
	if (eid_cbs_len(&v) != ndigits)
		return -EID_EPARSE;
	return digits_get(v, ndigits, out);
}

/* 5C of EF.COM: one byte per data group tag. */
static void com_tag_list(eid_cbs v, struct eid_lds_com *out)
{
	uint8_t t;

	while (eid_cbs_get_u8(&v, &t)) {
		int ef = eid_lds_ef_from_tag(t);

		if (ef >= 1 && ef <= 16)
			out->dgs |= 1u << ef;
		else
			out->n_unknown_tags++;
	}
}

int eid_lds_com_parse(const uint8_t *data, size_t n, struct eid_lds_com *out)
{
	eid_cbs com, v;
	int r;

	if (!out)
		return -EID_EINVAL;
	memset(out, 0, sizeof(*out));
	if ((r = unwrap_file(data, n, 0x60, &com)) < 0)
		goto out;
	if ((r = need_child(com, 0x5F01, &v)) < 0 ||
	    (r = com_version(v, out->lds_version, 4)) < 0)
		goto out;
	if ((r = need_child(com, 0x5F36, &v)) < 0 ||
	    (r = com_version(v, out->unicode_version, 6)) < 0)
		goto out;
	if ((r = need_child(com, 0x5C, &v)) < 0)
		goto out;
	com_tag_list(v, out);
out:
	if (r < 0)
		memset(out, 0, sizeof(*out));
	return r;
}

bool eid_lds_com_has_dg(const struct eid_lds_com *com, int dg)
{
	return com && dg >= 1 && dg <= 16 && (com->dgs & (1u << dg));
}

/* ======================================================================
 * DG1: the MRZ
 * ====================================================================== */

static bool mrz_char_ok(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<';
}

/* MRZ characters into lines of line_len joined by '\n'. */
static int mrz_text(eid_cbs v, size_t line_len, struct eid_lds_dg1 *out)
{
	size_t w = 0, col = 0;
	uint8_t c;

	while (eid_cbs_get_u8(&v, &c)) {
		if (!mrz_char_ok(c))
			return -EID_EPARSE;
		if (col == line_len) {
			out->mrz[w++] = '\n';
			col = 0;
		}
		out->mrz[w++] = (char)c;
		col++;
	}
	out->mrz[w] = '\0';
	out->mrz_len = w;
	return 0;
}

int eid_lds_dg1_parse(const uint8_t *data, size_t n, struct eid_lds_dg1 *out)
{
	eid_cbs dg1, mrz;
	size_t line_len;
	int r;

	if (!out)
		return -EID_EINVAL;
	memset(out, 0, sizeof(*out));
	if ((r = unwrap_file(data, n, 0x61, &dg1)) < 0 ||
	    (r = need_child(dg1, 0x5F1F, &mrz)) < 0)
		goto out;
	switch (eid_cbs_len(&mrz)) {
	case 90:
		out->format = EID_MRZ_TD1, line_len = 30;
		break;
	case 72:
		out->format = EID_MRZ_TD2, line_len = 36;
		break;
	case 88:
		out->format = EID_MRZ_TD3, line_len = 44;
		break;
	default:
		r = -EID_EPARSE;
		goto out;
	}
	r = mrz_text(mrz, line_len, out);
out:
	if (r < 0)
		eid_lds_dg1_clear(out);
	return r;
}

int eid_lds_dg1_parse_mrz(const uint8_t *data, size_t n, struct eid_mrz *out)
{
	struct eid_lds_dg1 dg1;
	int r;

	if (!out)
		return -EID_EINVAL;
	if ((r = eid_lds_dg1_parse(data, n, &dg1)) < 0)
		goto out;
	r = eid_mrz_parse(dg1.mrz, out);
out:
	eid_lds_dg1_clear(&dg1);
	return r;
}

void eid_lds_dg1_clear(struct eid_lds_dg1 *dg1)
{
	if (dg1)
		eid_wipe(dg1, sizeof(*dg1));
}

/* ======================================================================
 * DG2: face images
 * ====================================================================== */

static const uint8_t magic_jpeg[] = { 0xFF, 0xD8, 0xFF };
static const uint8_t magic_jp2[] = { 0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20,
				     0x0D, 0x0A, 0x87, 0x0A };
static const uint8_t magic_j2k[] = { 0xFF, 0x4F, 0xFF, 0x51 };

static bool starts_with(eid_cbs c, const uint8_t *magic, size_t n)
{
	eid_cbs head;

	return eid_cbs_get_bytes(&c, &head, n) && memcmp(eid_cbs_data(&head), magic, n) == 0;
}

enum eid_lds_image_type eid_lds_image_detect(const uint8_t *img, size_t n)
{
	eid_cbs c;

	if (!img)
		return 0;
	eid_cbs_init(&c, img, n);
	if (starts_with(c, magic_jpeg, sizeof(magic_jpeg)))
		return EID_LDS_IMAGE_JPEG;
	if (starts_with(c, magic_jp2, sizeof(magic_jp2)))
		return EID_LDS_IMAGE_JP2;
	if (starts_with(c, magic_j2k, sizeof(magic_j2k)))
		return EID_LDS_IMAGE_J2K;
	return 0;
}

const char *eid_lds_image_mime(enum eid_lds_image_type t)
{
	switch (t) {
	case EID_LDS_IMAGE_JPEG:
		return "image/jpeg";
	case EID_LDS_IMAGE_JP2:
	case EID_LDS_IMAGE_J2K:
		return "image/jp2";
	}
	return NULL;
}

/* What a record declares the image to be. */
enum declared_image { DECL_JPEG, DECL_JPEG2000 };

static bool dim_ok(uint32_t d)
{
	return d >= 1 && d <= EID_LDS_MAX_IMAGE_DIM;
}

/* The image must start with the magic of its declared type; keep a copy. */
static int face_set_image(struct eid_lds_face *f, enum declared_image decl, eid_cbs img)
{
	enum eid_lds_image_type t = eid_lds_image_detect(eid_cbs_data(&img), eid_cbs_len(&img));

	if (decl == DECL_JPEG ? t != EID_LDS_IMAGE_JPEG
			      : (t != EID_LDS_IMAGE_JP2 && t != EID_LDS_IMAGE_J2K))
		return -EID_EPARSE;
	f->image_type = t;
	f->mime = eid_lds_image_mime(t);
	return bytes_set(&img, &f->image);
}

struct dg2_ctx {
	struct eid_lds_dg2 *dg2;
	uint16_t format_owner, format_type; /* of the BIT being read */
};

static struct eid_lds_face *face_new(struct dg2_ctx *ctx, enum eid_lds_bdb_encoding enc)
{
	struct eid_lds_face *f;

	if (ctx->dg2->n == EID_LDS_MAX_FACES)
		return NULL;
	f = &ctx->dg2->faces[ctx->dg2->n++];
	eid_buf_init_secret(&f->image);
	f->encoding = enc;
	f->format_owner = ctx->format_owner;
	f->format_type = ctx->format_type;
	f->face_image_type = f->gender = f->eye_colour = f->hair_colour = -1;
	f->colour_space = f->source_type = f->n_feature_points = -1;
	return f;
}

/* ---- ISO/IEC 19794-5:2005 (5F2E) ---- */

#define FAC_HEADER_LEN  14   /* "FAC\0" "010\0" record length(4) faces(2) */
#define FAC_INFO_LEN    20   /* facial information block */
#define FAC_POINT_LEN    8   /* one feature point */
#define FAC_IMGINFO_LEN 12   /* image information block */

/* Facial record header: format identifier, version, length, face count. */
static int fac_header(eid_cbs *rec, size_t bdb_len, uint16_t *nfaces)
{
	static const uint8_t fac[4] = { 'F', 'A', 'C', 0 };
	static const uint8_t v010[4] = { '0', '1', '0', 0 };
	eid_cbs id, version;
	uint32_t record_len;

	if (!eid_cbs_get_bytes(rec, &id, 4) || !eid_cbs_get_bytes(rec, &version, 4) ||
	    !eid_cbs_get_u32(rec, &record_len) || !eid_cbs_get_u16(rec, nfaces))
		return -EID_EPARSE;
	if (!eid_cbs_equal(&id, fac, sizeof(fac)))
		return -EID_EPARSE;
	if (!eid_cbs_equal(&version, v010, sizeof(v010)))
		return -EID_ENOTSUP;
	/* Some issuers count the record length differently (it has been seen
	 * 8 bytes short); the BDB's own length bounds the parse, this is only
	 * a sanity check. */
	if (record_len < FAC_HEADER_LEN || record_len > bdb_len || *nfaces == 0)
		return -EID_EPARSE;
	return 0;
}

/* Facial information block (20 bytes) and the feature points after it. */
static int fac_info(eid_cbs *face, struct eid_lds_face *f)
{
	uint16_t npoints;
	uint8_t gender, eye, hair;

	if (!eid_cbs_get_u16(face, &npoints) || !eid_cbs_get_u8(face, &gender) ||
	    !eid_cbs_get_u8(face, &eye) || !eid_cbs_get_u8(face, &hair) ||
	    /* property mask 3, expression 2, pose angle 3, uncertainty 3 */
	    !eid_cbs_skip(face, 3 + 2 + 3 + 3) ||
	    !eid_cbs_skip(face, (size_t)npoints * FAC_POINT_LEN))
		return -EID_EPARSE;
	f->gender = gender;
	f->eye_colour = eye;
	f->hair_colour = hair;
	f->n_feature_points = npoints;
	return 0;
}

/* Image information block (12 bytes): type, data type, size, ... */
static int fac_image_info(eid_cbs *face, struct eid_lds_face *f, enum declared_image *decl)
{
	uint8_t face_type, data_type, colour, source;
	uint16_t width, height;

	if (!eid_cbs_get_u8(face, &face_type) || !eid_cbs_get_u8(face, &data_type) ||
	    !eid_cbs_get_u16(face, &width) || !eid_cbs_get_u16(face, &height) ||
	    !eid_cbs_get_u8(face, &colour) || !eid_cbs_get_u8(face, &source) ||
	    /* device type 2, quality 2 */
	    !eid_cbs_skip(face, 2 + 2))
		return -EID_EPARSE;
	if (data_type > 1)
		return -EID_ENOTSUP;
	if (!dim_ok(width) || !dim_ok(height))
		return -EID_EPARSE;
	*decl = data_type == 0 ? DECL_JPEG : DECL_JPEG2000;
	f->face_image_type = face_type;
	f->colour_space = colour;
	f->source_type = source;
	f->width = width;
	f->height = height;
	return 0;
}

/* One facial record data block: its length covers info, points, image
 * information and the image, which is the rest. */
static int fac_face(eid_cbs *rec, struct dg2_ctx *ctx)
{
	struct eid_lds_face *f;
	enum declared_image decl;
	uint32_t face_len;
	eid_cbs face;
	int r;

	if (!eid_cbs_get_u32(rec, &face_len) || face_len < FAC_INFO_LEN + FAC_IMGINFO_LEN ||
	    !eid_cbs_get_bytes(rec, &face, face_len - 4))
		return -EID_EPARSE;
	if (!(f = face_new(ctx, EID_LDS_ISO19794)))
		return -EID_ETOOBIG;
	if ((r = fac_info(&face, f)) < 0 || (r = fac_image_info(&face, f, &decl)) < 0)
		return r;
	return face_set_image(f, decl, face);
}

static int iso19794_bdb(eid_cbs bdb, struct dg2_ctx *ctx)
{
	uint16_t nfaces;
	int r;

	if ((r = fac_header(&bdb, eid_cbs_len(&bdb), &nfaces)) < 0)
		return r;
	while (nfaces--)
		if ((r = fac_face(&bdb, ctx)) < 0)
			return r;
	return eid_cbs_len(&bdb) == 0 ? 0 : -EID_EPARSE;
}

/* ---- ISO/IEC 39794-5, ICAO application profile (7F2E) ---- */

/* A context-tagged INTEGER child (implicit tag), bounded. */
static int child_uint(eid_cbs seq, uint32_t tag, uint32_t max, uint32_t *out)
{
	eid_cbs v;
	int r;

	if ((r = need_child(seq, tag, &v)) < 0)
		return r;
	return uint_value(v, max, out) ? 0 : -EID_EPARSE;
}

/* VersionBlock ::= SEQUENCE { generation [0], year [1], ... } */
static int i39794_version(eid_cbs v, struct eid_lds_face *f)
{
	uint32_t gen, year;
	int r;

	if ((r = child_uint(v, 0x80, UINT16_MAX, &gen)) < 0 ||
	    (r = child_uint(v, 0x81, UINT16_MAX, &year)) < 0)
		return r;
	f->version_generation = gen;
	f->version_year = year;
	return 0;
}

/* imageDataFormat [0] CHOICE { code [0] ENUMERATED, extensionBlock [1] } */
static int i39794_format(eid_cbs info, enum declared_image *decl)
{
	eid_cbs choice, code;
	uint32_t c;
	int r;

	if ((r = need_child(info, 0xA0, &choice)) < 0)
		return r;
	if (!eid_tlv_get(&choice, 0x80, &code) || eid_cbs_len(&choice) != 0)
		return -EID_ENOTSUP; /* extension block or another choice */
	if (!uint_value(code, UINT32_MAX, &c))
		return -EID_EPARSE;
	switch (c) {
	case 2: /* jpeg */
		*decl = DECL_JPEG;
		return 0;
	case 3: /* jpeg2000Lossy */
	case 4: /* jpeg2000Lossless */
		*decl = DECL_JPEG2000;
		return 0;
	}
	return -EID_ENOTSUP;
}

/* imageSizeBlock [7] SEQUENCE { width [0], height [1] } (optional) */
static int i39794_size(eid_cbs info, struct eid_lds_face *f)
{
	uint32_t w, h;
	bool found;
	eid_cbs size;
	int r;

	if ((r = find_child(info, 0xA7, &size, &found)) < 0 || !found)
		return r;
	if ((r = child_uint(size, 0x80, UINT16_MAX, &w)) < 0 ||
	    (r = child_uint(size, 0x81, UINT16_MAX, &h)) < 0)
		return r;
	if (!dim_ok(w) || !dim_ok(h))
		return -EID_EPARSE;
	f->width = w;
	f->height = h;
	return 0;
}

/* ImageRepresentation2DBlock ::= SEQUENCE { representationData2D [0]
 * OCTET STRING, imageInformation2DBlock [1], captureDevice2DBlock [2] ... } */
static int i39794_2d(eid_cbs block, struct eid_lds_face *f)
{
	enum declared_image decl;
	eid_cbs img, info;
	int r;

	if ((r = need_child(block, 0x80, &img)) < 0 ||
	    (r = need_child(block, 0xA1, &info)) < 0 ||
	    (r = i39794_format(info, &decl)) < 0 ||
	    (r = i39794_size(info, f)) < 0)
		return r;
	return face_set_image(f, decl, img);
}

/* RepresentationBlock ::= SEQUENCE { representationId [0], imageRepresentation
 * [1] CHOICE { base [0] CHOICE { imageRepresentation2DBlock [0] } }, ... } */
static int i39794_representation(eid_cbs rep, eid_cbs version, struct dg2_ctx *ctx)
{
	struct eid_lds_face *f;
	eid_cbs image_rep, base, block;
	uint32_t id;
	int r;

	if ((r = child_uint(rep, 0x80, UINT32_MAX, &id)) < 0 ||
	    (r = need_child(rep, 0xA1, &image_rep)) < 0)
		return r;
	if (!eid_tlv_get(&image_rep, 0xA0, &base) || eid_cbs_len(&image_rep) != 0 ||
	    !eid_tlv_get(&base, 0xA0, &block) || eid_cbs_len(&base) != 0)
		return -EID_ENOTSUP; /* extension block or a 3D representation */
	if (!(f = face_new(ctx, EID_LDS_ISO39794)))
		return -EID_ETOOBIG;
	if ((r = i39794_version(version, f)) < 0)
		return r;
	return i39794_2d(block, f);
}

/*
 * 7F2E { A1 { FaceImageDataBlock } }, as JMRTD and gmrtd read the ICAO
 * profile; a bare FaceImageDataBlock is accepted too.
 * FaceImageDataBlock ::= [APPLICATION 5] SEQUENCE { versionBlock [0],
 * representationBlocks [1] SEQUENCE OF RepresentationBlock, ... }
 */
static int iso39794_bdb(eid_cbs bdb, struct dg2_ctx *ctx)
{
	eid_cbs wrap, fidb, version, reps, rep;
	int r;

	if (eid_tlv_get(&bdb, 0xA1, &wrap)) {
		if (eid_cbs_len(&bdb) != 0)
			return -EID_EPARSE;
		bdb = wrap;
	}
	if (!eid_tlv_get(&bdb, 0x65, &fidb) || eid_cbs_len(&bdb) != 0)
		return -EID_EPARSE;
	if ((r = need_child(fidb, 0xA0, &version)) < 0 ||
	    (r = need_child(fidb, 0xA1, &reps)) < 0)
		return r;
	if (eid_cbs_len(&reps) == 0)
		return -EID_EPARSE;
	while (eid_cbs_len(&reps)) {
		if (!eid_tlv_get(&reps, 0x30, &rep))
			return -EID_EPARSE;
		if ((r = i39794_representation(rep, version, ctx)) < 0)
			return r;
	}
	return 0;
}

/* ---- the CBEFF structure around the records (ISO/IEC 7816-11) ---- */

/* Biometric header template A1: format owner 87 and type 88 (mandatory). */
static int bht_get(eid_cbs bht, struct dg2_ctx *ctx)
{
	eid_cbs owner, type;
	int r;

	if ((r = need_child(bht, 0x87, &owner)) < 0 || (r = need_child(bht, 0x88, &type)) < 0)
		return r;
	if (!eid_cbs_get_u16(&owner, &ctx->format_owner) || eid_cbs_len(&owner) != 0 ||
	    !eid_cbs_get_u16(&type, &ctx->format_type) || eid_cbs_len(&type) != 0)
		return -EID_EPARSE;
	return 0;
}

/* Biometric information template 7F60 { A1 BHT, 5F2E | 7F2E BDB }. */
static int bit_get(eid_cbs bit, struct dg2_ctx *ctx)
{
	eid_cbs bht, smt, bdb19794, bdb39794;
	bool protected, has19794, has39794;
	int r;

	if ((r = find_child(bit, 0x7D, &smt, &protected)) < 0)
		return r;
	if (protected)
		return -EID_ENOTSUP; /* secure-messaging protected template */
	if ((r = need_child(bit, 0xA1, &bht)) < 0 || (r = bht_get(bht, ctx)) < 0)
		return r;
	if ((r = find_child(bit, 0x5F2E, &bdb19794, &has19794)) < 0 ||
	    (r = find_child(bit, 0x7F2E, &bdb39794, &has39794)) < 0)
		return r;
	if (has19794 == has39794)
		return -EID_EPARSE; /* no data block, or one of each */
	return has19794 ? iso19794_bdb(bdb19794, ctx) : iso39794_bdb(bdb39794, ctx);
}

/* Biometric information group template 7F61 { 02 count, 7F60 ... }. */
static int bit_group_get(eid_cbs group, struct dg2_ctx *ctx)
{
	eid_cbs cnt, bit;
	uint32_t count, seen = 0, tag;
	int r;

	if (!eid_tlv_get(&group, 0x02, &cnt) || !uint_value(cnt, EID_LDS_MAX_FACES, &count) ||
	    count == 0)
		return -EID_EPARSE;
	while (eid_cbs_len(&group)) {
		if (!eid_tlv_get_any(&group, &tag, &bit, NULL))
			return -EID_EPARSE;
		if (tag != 0x7F60)
			continue;
		if (++seen > count)
			return -EID_EPARSE;
		if ((r = bit_get(bit, ctx)) < 0)
			return r;
	}
	return seen == count ? 0 : -EID_EPARSE;
}

int eid_lds_dg2_parse(const uint8_t *data, size_t n, struct eid_lds_dg2 **out)
{
	struct dg2_ctx ctx = { 0 };
	eid_cbs dg2, group;
	int r;

	if (!out)
		return -EID_EINVAL;
	*out = NULL;
	if ((r = unwrap_file(data, n, 0x75, &dg2)) < 0 ||
	    (r = need_child(dg2, 0x7F61, &group)) < 0)
		goto out;
	r = -EID_ENOMEM;
	if (!(ctx.dg2 = calloc(1, sizeof(*ctx.dg2))) ||
	    !(ctx.dg2->faces = calloc(EID_LDS_MAX_FACES, sizeof(*ctx.dg2->faces))))
		goto out;
	if ((r = bit_group_get(group, &ctx)) < 0)
		goto out;
	*out = ctx.dg2;
	ctx.dg2 = NULL;
out:
	eid_lds_dg2_free(ctx.dg2);
	return r;
}

void eid_lds_dg2_free(struct eid_lds_dg2 *dg2)
{
	if (!dg2)
		return;
	if (dg2->faces) {
		for (size_t i = 0; i < dg2->n; i++)
			eid_buf_free(&dg2->faces[i].image);
		eid_wipe(dg2->faces, EID_LDS_MAX_FACES * sizeof(*dg2->faces));
		free(dg2->faces);
	}
	eid_wipe(dg2, sizeof(*dg2));
	free(dg2);
}

/* ======================================================================
 * DG11: additional personal details
 * ====================================================================== */

#define D11(m) offsetof(struct eid_lds_dg11, m)

static const struct field dg11_fields[] = {
	{ 0x5C, F_TAG_LIST, D11(tag_list), D11(n_tag_list), 0, 0 },
	{ 0x5F0E, F_FULL_NAME, D11(full_name), D11(full_name_primary),
	  D11(full_name_secondary), 0 },
	{ 0xA0, F_NAME_LIST, D11(other_names), D11(n_other_names), 0, 0x5F0F },
	{ 0x5F10, F_TEXT, D11(personal_number), 0, 0, 0 },
	{ 0x5F2B, F_DATE, D11(date_of_birth), 0, 0, 0 },
	{ 0x5F11, F_TEXT, D11(place_of_birth), 0, 0, 0 },
	{ 0x5F42, F_TEXT, D11(address), 0, 0, 0 },
	{ 0x5F12, F_TEXT, D11(telephone), 0, 0, 0 },
	{ 0x5F13, F_TEXT, D11(profession), 0, 0, 0 },
	{ 0x5F14, F_TEXT, D11(title), 0, 0, 0 },
	{ 0x5F15, F_TEXT, D11(personal_summary), 0, 0, 0 },
	{ 0x5F16, F_BYTES, D11(proof_of_citizenship), 0, 0, 0 },
	{ 0x5F17, F_TEXT, D11(other_td_numbers), 0, 0, 0 },
	{ 0x5F18, F_TEXT, D11(custody_info), 0, 0, 0 },
};

int eid_lds_dg11_parse(const uint8_t *data, size_t n, struct eid_lds_dg11 **out)
{
	struct eid_lds_dg11 *d = NULL;
	eid_cbs dg11;
	int r;

	if (!out)
		return -EID_EINVAL;
	*out = NULL;
	if ((r = unwrap_file(data, n, 0x6B, &dg11)) < 0)
		goto out;
	r = -EID_ENOMEM;
	if (!(d = calloc(1, sizeof(*d))))
		goto out;
	eid_buf_init_secret(&d->proof_of_citizenship);
	if ((r = fields_get(dg11, dg11_fields, sizeof(dg11_fields) / sizeof(dg11_fields[0]),
			    d)) < 0)
		goto out;
	*out = d;
	d = NULL;
out:
	eid_lds_dg11_free(d);
	return r;
}

static void names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		text_free(names[i]);
	free(names);
}

void eid_lds_dg11_free(struct eid_lds_dg11 *d)
{
	if (!d)
		return;
	text_free(d->full_name);
	text_free(d->full_name_primary);
	text_free(d->full_name_secondary);
	names_free(d->other_names, d->n_other_names);
	text_free(d->personal_number);
	text_free(d->place_of_birth);
	text_free(d->address);
	text_free(d->telephone);
	text_free(d->profession);
	text_free(d->title);
	text_free(d->personal_summary);
	eid_buf_free(&d->proof_of_citizenship);
	text_free(d->other_td_numbers);
	text_free(d->custody_info);
	eid_wipe(d, sizeof(*d));
	free(d);
}

/* ======================================================================
 * DG12: additional document details
 * ====================================================================== */

#define D12(m) offsetof(struct eid_lds_dg12, m)

static const struct field dg12_fields[] = {
	{ 0x5C, F_TAG_LIST, D12(tag_list), D12(n_tag_list), 0, 0 },
	{ 0x5F19, F_TEXT, D12(issuing_authority), 0, 0, 0 },
	{ 0x5F26, F_DATE, D12(date_of_issue), 0, 0, 0 },
	{ 0xA0, F_NAME_LIST, D12(other_persons), D12(n_other_persons), 0, 0x5F1A },
	{ 0x5F1B, F_TEXT, D12(endorsements), 0, 0, 0 },
	{ 0x5F1C, F_TEXT, D12(tax_exit), 0, 0, 0 },
	{ 0x5F1D, F_BYTES, D12(image_front), 0, 0, 0 },
	{ 0x5F1E, F_BYTES, D12(image_rear), 0, 0, 0 },
	{ 0x5F55, F_DATETIME, D12(personalisation_time), 0, 0, 0 },
	{ 0x5F56, F_TEXT, D12(personaliser_serial), 0, 0, 0 },
};

int eid_lds_dg12_parse(const uint8_t *data, size_t n, struct eid_lds_dg12 **out)
{
	struct eid_lds_dg12 *d = NULL;
	eid_cbs dg12;
	int r;

	if (!out)
		return -EID_EINVAL;
	*out = NULL;
	if ((r = unwrap_file(data, n, 0x6C, &dg12)) < 0)
		goto out;
	r = -EID_ENOMEM;
	if (!(d = calloc(1, sizeof(*d))))
		goto out;
	eid_buf_init_secret(&d->image_front);
	eid_buf_init_secret(&d->image_rear);
	if ((r = fields_get(dg12, dg12_fields, sizeof(dg12_fields) / sizeof(dg12_fields[0]),
			    d)) < 0)
		goto out;
	*out = d;
	d = NULL;
out:
	eid_lds_dg12_free(d);
	return r;
}

void eid_lds_dg12_free(struct eid_lds_dg12 *d)
{
	if (!d)
		return;
	text_free(d->issuing_authority);
	names_free(d->other_persons, d->n_other_persons);
	text_free(d->endorsements);
	text_free(d->tax_exit);
	eid_buf_free(&d->image_front);
	eid_buf_free(&d->image_rear);
	text_free(d->personaliser_serial);
	eid_wipe(d, sizeof(*d));
	free(d);
}

/* ======================================================================
 * DG14: unwrapped only
 * ====================================================================== */

int eid_lds_dg14_unwrap(const uint8_t *data, size_t n, eid_cbs *set)
{
	eid_cbs dg14, el;
	uint32_t tag;
	int r;

	if (!set)
		return -EID_EINVAL;
	if ((r = unwrap_file(data, n, 0x6E, &dg14)) < 0)
		return r;
	if (!eid_tlv_get_element(&dg14, &tag, &el) || tag != 0x31 || eid_cbs_len(&dg14) != 0)
		return -EID_EPARSE;
	*set = el;
	return 0;
}

/* ======================================================================
 * DG15: Active Authentication public key
 * ====================================================================== */

/* rsaEncryption 1.2.840.113549.1.1.1 and id-ecPublicKey 1.2.840.10045.2.1 */
static const uint8_t oid_rsa[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
static const uint8_t oid_ec[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier { OID, params },
 * BIT STRING }: the key type by the algorithm OID. */
static int spki_key_type(eid_cbs spki, enum eid_lds_key_type *type)
{
	eid_cbs seq, alg, oid, bits;

	if (!eid_der_get(&spki, 0x30, &seq) || eid_cbs_len(&spki) != 0 ||
	    !eid_der_get(&seq, 0x30, &alg) || !eid_der_get(&seq, 0x03, &bits) ||
	    eid_cbs_len(&seq) != 0 || !eid_der_get_oid(&alg, &oid))
		return -EID_EPARSE;
	if (eid_cbs_equal(&oid, oid_rsa, sizeof(oid_rsa)))
		*type = EID_LDS_KEY_RSA;
	else if (eid_cbs_equal(&oid, oid_ec, sizeof(oid_ec)))
		*type = EID_LDS_KEY_EC;
	else
		return -EID_ENOTSUP;
	return 0;
}

/* OpenSSL must accept the whole SPKI as a key of that type. */
static int spki_check(eid_cbs spki, enum eid_lds_key_type type, unsigned *bits)
{
	const unsigned char *start = eid_cbs_data(&spki), *p = start;
	long len = (long)eid_cbs_len(&spki);
	EVP_PKEY *pkey;
	int nbits, r = -EID_EPARSE;

	pkey = d2i_PUBKEY(NULL, &p, len);
	if (!pkey)
		goto out;
	/* everything consumed: d2i moved p by exactly len */
	if ((size_t)(p - start) != eid_cbs_len(&spki))
		goto out;
	if (!EVP_PKEY_is_a(pkey, type == EID_LDS_KEY_RSA ? "RSA" : "EC"))
		goto out;
	if ((nbits = EVP_PKEY_get_bits(pkey)) <= 0)
		goto out;
	*bits = (unsigned)nbits;
	r = 0;
out:
	EVP_PKEY_free(pkey);
	return r;
}

int eid_lds_dg15_parse(const uint8_t *data, size_t n, struct eid_lds_dg15 *out)
{
	eid_cbs dg15, spki;
	uint32_t tag;
	int r;

	if (!out)
		return -EID_EINVAL;
	memset(out, 0, sizeof(*out));
	if ((r = unwrap_file(data, n, 0x6F, &dg15)) < 0)
		goto out;
	r = -EID_EPARSE;
	if (!eid_tlv_get_element(&dg15, &tag, &spki) || tag != 0x30 || eid_cbs_len(&dg15) != 0)
		goto out;
	if ((r = spki_key_type(spki, &out->key_type)) < 0 ||
	    (r = spki_check(spki, out->key_type, &out->bits)) < 0)
		goto out;
	r = bytes_set(&spki, &out->spki);
out:
	if (r < 0)
		eid_lds_dg15_clear(out);
	return r;
}

void eid_lds_dg15_clear(struct eid_lds_dg15 *dg15)
{
	if (!dg15)
		return;
	eid_buf_free(&dg15->spki);
	memset(dg15, 0, sizeof(*dg15));
}
