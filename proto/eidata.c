/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eID application's data groups DG1..DG22 (BSI TR-03110-4 2.2.3).
 *
 * Each data group is decoded into owned strings first; only when the whole
 * data group is well-formed do they replace the holder's fields, so a
 * malformed file leaves the holder as it was.  Values are personal data:
 * every intermediate copy is wiped.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "eidata.h"
#include "tlv.h"

const uint8_t eid_eidata_aid[9] = { 0xE8, 0x07, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x02 };

/* Largest inflated Text (DG19/DG20): guards against DEFLATE bombs. */
#define EIDATA_TEXT_MAX (64u * 1024u)

/* ASN.1 tags used below. */
#define TAG_OCTET_STRING 0x04
#define TAG_UTF8 0x0C
#define TAG_NUMERIC 0x12
#define TAG_PRINTABLE 0x13
#define TAG_IA5 0x16
#define TAG_SEQUENCE 0x30
#define TAG_SET 0x31
#define TAG_CTX1 0xA1 /* freetextPlace, uncompressed Text */
#define TAG_CTX2 0xA2 /* noPlaceInfo, compressed Text */
#define TAG_STREET 0xAA
#define TAG_CITY 0xAB
#define TAG_STATE 0xAC
#define TAG_COUNTRY 0xAD
#define TAG_ZIP 0xAE

enum charset {
	CS_ICAO,      /* PrintableString (FROM ("A".."Z" | " ")) */
	CS_PRINTABLE, /* PrintableString */
	CS_NUMERIC,   /* NumericString: digits and space */
	CS_IA5,       /* IA5String without control characters */
	CS_UTF8,      /* UTF8String without control characters */
	CS_UTF8_TEXT, /* UTF8String; tab, line feed and carriage return allowed */
};

static void wipe_str(char **s)
{
	if (*s) {
		eid_wipe(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

static void place_clear(struct eid_holder_place *p)
{
	wipe_str(&p->street);
	wipe_str(&p->city);
	wipe_str(&p->state);
	wipe_str(&p->zip);
	wipe_str(&p->country);
	wipe_str(&p->free_text);
}

/* ---- character sets ---- */

static bool printable_char(uint8_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr(" '()+,-./:=?", c) != NULL;
}

static bool text_control_ok(uint32_t cp, enum charset cs)
{
	return cs == CS_UTF8_TEXT && (cp == '\t' || cp == '\n' || cp == '\r');
}

/* One UTF-8 sequence from c: shortest form, no surrogates, at most U+10FFFF. */
static bool get_utf8(eid_cbs *c, uint32_t *cp)
{
	eid_cbs tmp = *c;
	uint8_t b;
	uint32_t v, min;
	int more;

	if (!eid_cbs_get_u8(&tmp, &b))
		return false;
	if (b < 0x80) {
		v = b;
		more = 0;
		min = 0;
	} else if ((b & 0xE0) == 0xC0) {
		v = b & 0x1F;
		more = 1;
		min = 0x80;
	} else if ((b & 0xF0) == 0xE0) {
		v = b & 0x0F;
		more = 2;
		min = 0x800;
	} else if ((b & 0xF8) == 0xF0) {
		v = b & 0x07;
		more = 3;
		min = 0x10000;
	} else {
		return false;
	}
	while (more-- > 0) {
		if (!eid_cbs_get_u8(&tmp, &b) || (b & 0xC0) != 0x80)
			return false;
		v = (v << 6) | (b & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return false;
	*cp = v;
	*c = tmp;
	return true;
}

static bool check_chars(const eid_cbs *s, enum charset cs)
{
	eid_cbs c = *s;
	uint32_t cp;
	uint8_t b;

	while (eid_cbs_len(&c)) {
		if (cs == CS_UTF8 || cs == CS_UTF8_TEXT) {
			if (!get_utf8(&c, &cp))
				return false;
			/* C0, DEL and C1 controls (NUL included) */
			if ((cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) && !text_control_ok(cp, cs))
				return false;
			continue;
		}
		if (!eid_cbs_get_u8(&c, &b))
			return false;
		switch (cs) {
		case CS_ICAO:
			if (!((b >= 'A' && b <= 'Z') || b == ' '))
				return false;
			break;
		case CS_PRINTABLE:
			if (!printable_char(b))
				return false;
			break;
		case CS_NUMERIC:
			if (!((b >= '0' && b <= '9') || b == ' '))
				return false;
			break;
		case CS_IA5:
			if (b < 0x20 || b >= 0x7F)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* ---- strings ---- */

/* An owned copy of s (NULL when s is empty). */
static int copy_value(const eid_cbs *s, char **out)
{
	if (eid_cbs_len(s) == 0)
		return 0;
	return eid_holder_set(out, (const char *)eid_cbs_data(s), eid_cbs_len(s));
}

/* The contents of the one element `tag` that makes up all of in. */
static int get_only(eid_cbs in, uint32_t tag, eid_cbs *value)
{
	if (!eid_tlv_get(&in, tag, value) || eid_cbs_len(&in) != 0)
		return -EID_EPARSE;
	return 0;
}

/* in is exactly one string element `tag` in character set cs. */
static int only_string(eid_cbs in, uint32_t tag, enum charset cs, char **out)
{
	eid_cbs s;
	int r = get_only(in, tag, &s);

	if (r < 0)
		return r;
	if (!check_chars(&s, cs))
		return -EID_EPARSE;
	return copy_value(&s, out);
}

/* ICAOString of one of the sizes in the mask (bit n: n characters), trailing blanks removed. */
static int only_icao(eid_cbs in, unsigned size_mask, char **out)
{
	eid_cbs s, c;
	size_t n, keep = 0;
	uint8_t b;
	int r = get_only(in, TAG_PRINTABLE, &s);

	if (r < 0)
		return r;
	n = eid_cbs_len(&s);
	if (n >= sizeof(unsigned) * CHAR_BIT || !(size_mask & (1u << n)) || !check_chars(&s, CS_ICAO))
		return -EID_EPARSE;
	c = s;
	for (size_t i = 0; eid_cbs_get_u8(&c, &b); i++)
		if (b != ' ')
			keep = i + 1;
	if (!eid_cbs_get_bytes(&s, &c, keep))
		return -EID_EPARSE;
	return copy_value(&c, out);
}

#define ICAO_COUNTRY_SIZES ((1u << 1) | (1u << 3))

/* ---- dates ---- */

static bool all_unknown(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] != ' ' && d[i] != '0')
			return false;
	return true;
}

static bool all_digits(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	return true;
}

static unsigned num(const uint8_t *d, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	return v;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Copies the known parts of v ("YYYYMMDD") as "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
static void iso_date(const uint8_t v[8], size_t parts, char out[11])
{
	size_t o = 0;

	for (size_t i = 0; i < 4; i++)
		out[o++] = (char)v[i];
	for (size_t p = 1; p < parts; p++) {
		out[o++] = '-';
		out[o++] = (char)v[2 + 2 * p];
		out[o++] = (char)v[3 + 2 * p];
	}
	out[o] = '\0';
}

int eid_eidata_date(const uint8_t *d, size_t n, char out[11])
{
	uint8_t v[8];
	eid_cbs c;
	unsigned y, m, day;

	if (!out || (!d && n))
		return -EID_EINVAL;
	out[0] = '\0';
	eid_cbs_init(&c, d, n);
	if (n != sizeof(v) || !eid_cbs_copy(&c, v, sizeof(v)))
		return -EID_EPARSE;
	if (all_unknown(v, 8))
		return 0; /* nothing known: no date */
	if (!all_digits(v, 4) || (y = num(v, 4)) == 0)
		return -EID_EPARSE;
	if (all_unknown(v + 4, 4)) {
		iso_date(v, 1, out);
		return 0;
	}
	if (!all_digits(v + 4, 2) || (m = num(v + 4, 2)) < 1 || m > 12)
		return -EID_EPARSE;
	if (all_unknown(v + 6, 2)) {
		iso_date(v, 2, out);
		return 0;
	}
	if (!all_digits(v + 6, 2) || (day = num(v + 6, 2)) < 1 || day > days_in_month(y, m))
		return -EID_EPARSE;
	iso_date(v, 3, out);
	return 0;
}

static int only_date(eid_cbs in, char **out)
{
	eid_cbs s;
	char iso[11];
	int r = get_only(in, TAG_NUMERIC, &s);

	if (r < 0)
		return r;
	if (!check_chars(&s, CS_NUMERIC))
		return -EID_EPARSE;
	r = eid_eidata_date(eid_cbs_data(&s), eid_cbs_len(&s), iso);
	if (r == 0 && iso[0])
		r = eid_holder_set(out, iso, strlen(iso));
	eid_wipe(iso, sizeof(iso));
	return r;
}

/* ---- places ---- */

/* An optional field [tag] EXPLICIT of the Place SEQUENCE. */
static int place_field(eid_cbs *seq, uint32_t tag, bool required, uint32_t inner,
		       enum charset cs, char **out)
{
	eid_cbs v;
	bool present;

	if (!eid_tlv_get_optional(seq, tag, &v, &present))
		return -EID_EPARSE;
	if (!present)
		return required ? -EID_EPARSE : 0;
	if (tag == TAG_COUNTRY)
		return only_icao(v, ICAO_COUNTRY_SIZES, out);
	return only_string(v, inner, cs, out);
}

/* Place ::= SEQUENCE { street [10], city [11], state [12] OPT, country [13], zipcode [14] OPT } */
static int parse_place(eid_cbs seq, struct eid_holder_place *p)
{
	int r;

	if ((r = place_field(&seq, TAG_STREET, false, TAG_UTF8, CS_UTF8, &p->street)) < 0 ||
	    (r = place_field(&seq, TAG_CITY, true, TAG_UTF8, CS_UTF8, &p->city)) < 0 ||
	    (r = place_field(&seq, TAG_STATE, false, TAG_UTF8, CS_UTF8, &p->state)) < 0 ||
	    (r = place_field(&seq, TAG_COUNTRY, true, TAG_PRINTABLE, CS_ICAO, &p->country)) < 0 ||
	    (r = place_field(&seq, TAG_ZIP, false, TAG_PRINTABLE, CS_PRINTABLE, &p->zip)) < 0)
		return r;
	return eid_cbs_len(&seq) == 0 ? 0 : -EID_EPARSE;
}

/*
 * GeneralPlace ::= CHOICE { structuredPlace Place, freetextPlace [1] UTF8String,
 * noPlaceInfo [2] UTF8String }: the next element of in.  Both texts go to
 * free_text.
 */
static int get_general_place(eid_cbs *in, struct eid_holder_place *p)
{
	uint32_t tag;
	eid_cbs v;

	if (!eid_tlv_get_any(in, &tag, &v, NULL))
		return -EID_EPARSE;
	switch (tag) {
	case TAG_SEQUENCE:
		return parse_place(v, p);
	case TAG_CTX1:
	case TAG_CTX2:
		return only_string(v, TAG_UTF8, CS_UTF8, &p->free_text);
	default:
		return -EID_EPARSE;
	}
}

static int add_part(eid_buf *b, const char *sep, const char *s)
{
	if (!s)
		return 0;
	if (b->len)
		eid_buf_add(b, sep, strlen(sep));
	eid_buf_add(b, s, strlen(s));
	return eid_buf_status(b);
}

/* A place on one line: the free text, or "street, zip city, state, country". */
static int place_line(const struct eid_holder_place *p, char **out)
{
	eid_buf b;
	int r;

	if (p->free_text)
		return eid_holder_set(out, p->free_text, strlen(p->free_text));
	eid_buf_init_secret(&b);
	if ((r = add_part(&b, ", ", p->street)) < 0 || (r = add_part(&b, ", ", p->zip)) < 0 ||
	    (r = add_part(&b, p->zip ? " " : ", ", p->city)) < 0 ||
	    (r = add_part(&b, ", ", p->state)) < 0 || (r = add_part(&b, ", ", p->country)) < 0)
		goto out;
	if (b.len)
		r = eid_holder_set(out, (const char *)b.data, b.len);
out:
	eid_buf_free(&b);
	return r;
}

/* PlaceOfResidence ::= CHOICE { residence GeneralPlace, multResidence SET OF GeneralPlace } */
static int parse_residence(eid_cbs in, struct eid_holder_place *p, bool *have)
{
	struct eid_holder_place other = { 0 };
	eid_cbs set;
	uint32_t tag;
	int r;

	if (!eid_tlv_peek_tag(&in, &tag))
		return -EID_EPARSE;
	if (tag != TAG_SET) {
		if ((r = get_general_place(&in, p)) < 0)
			return r;
		*have = true;
		return eid_cbs_len(&in) == 0 ? 0 : -EID_EPARSE;
	}
	if ((r = get_only(in, TAG_SET, &set)) < 0)
		return r;
	/* the first place is the main residence; the others must be well-formed too */
	for (bool first = true; eid_cbs_len(&set); first = false) {
		r = get_general_place(&set, first ? p : &other);
		place_clear(&other);
		if (r < 0)
			return r;
		*have = true;
	}
	return 0;
}

/* ---- Text (DG19, DG20) ---- */

/* zlib allocations that are wiped when freed (they hold the inflated text). */
struct zblock {
	size_t size;
	max_align_t align[];
};

static voidpf zalloc_wiped(voidpf opaque, uInt items, uInt size)
{
	struct zblock *z;
	size_t n;

	(void)opaque;
	if (size && items > (SIZE_MAX - sizeof(*z)) / size)
		return Z_NULL;
	n = (size_t)items * size;
	z = malloc(sizeof(*z) + n);
	if (!z)
		return Z_NULL;
	z->size = n;
	return z->align;
}

static void zfree_wiped(voidpf opaque, voidpf p)
{
	struct zblock *z;

	(void)opaque;
	if (!p)
		return;
	z = (struct zblock *)((char *)p - offsetof(struct zblock, align));
	eid_wipe(p, z->size);
	free(z);
}

/*
 * Inflate DEFLATE data, with or without the zlib wrapper (RFC 1950/1951),
 * into out (at most EIDATA_TEXT_MAX bytes).  The stream must end exactly at
 * the end of the input.
 */
static int inflate_text(const eid_cbs *in, eid_buf *out)
{
	z_stream zs;
	uint8_t b0 = 0, b1 = 0;
	eid_cbs c = *in;
	int window = -15, zr, r;

	if (eid_cbs_len(in) > UINT_MAX)
		return -EID_ETOOBIG;
	/* a zlib header: CM 8, window at most 32 KiB, FCHECK, no preset dictionary */
	if (eid_cbs_get_u8(&c, &b0) && eid_cbs_get_u8(&c, &b1) && (b0 & 0x0F) == 8 &&
	    (b0 >> 4) <= 7 && ((unsigned)b0 * 256 + b1) % 31 == 0 && !(b1 & 0x20))
		window = 15;
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = zalloc_wiped;
	zs.zfree = zfree_wiped;
	zs.next_in = (Bytef *)eid_cbs_data(in);
	zs.avail_in = (uInt)eid_cbs_len(in);
	if (inflateInit2(&zs, window) != Z_OK)
		return -EID_ENOMEM;
	for (;;) {
		uint8_t *dst;
		size_t room = EIDATA_TEXT_MAX + 1 - out->len; /* one more: to see an excess */
		size_t chunk = room < 4096 ? room : 4096;

		if (chunk == 0) {
			r = -EID_ETOOBIG;
			goto out;
		}
		if (!(dst = eid_buf_add_space(out, chunk))) {
			r = -EID_ENOMEM;
			goto out;
		}
		zs.next_out = dst;
		zs.avail_out = (uInt)chunk;
		zr = inflate(&zs, Z_NO_FLUSH);
		eid_buf_truncate(out, out->len - zs.avail_out);
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			r = -EID_ENOMEM;
			goto out;
		}
		/* Z_BUF_ERROR with output room left: the input ended early */
		if (zr != Z_OK || (zs.avail_out != 0 && zs.avail_in == 0)) {
			r = -EID_EPARSE;
			goto out;
		}
	}
	r = zs.avail_in == 0 ? 0 : -EID_EPARSE; /* nothing after the stream */
	if (r == 0 && out->len > EIDATA_TEXT_MAX)
		r = -EID_ETOOBIG;
out:
	inflateEnd(&zs);
	return r;
}

/*
 * Text ::= CHOICE { uncompressed [1] UTF8String, compressed [2] OCTET STRING }.
 * The compressed form holds the DEFLATE-compressed UTF8String: its DER
 * encoding, or (as some encoders write it) just the UTF-8 bytes.
 */
static int parse_text(eid_cbs in, char **out)
{
	eid_buf plain;
	eid_cbs v, z, s, rest;
	uint32_t tag;
	int r;

	if (!eid_tlv_get_any(&in, &tag, &v, NULL) || eid_cbs_len(&in) != 0)
		return -EID_EPARSE;
	if (tag == TAG_CTX1)
		return only_string(v, TAG_UTF8, CS_UTF8_TEXT, out);
	if (tag != TAG_CTX2)
		return -EID_EPARSE;
	if ((r = get_only(v, TAG_OCTET_STRING, &z)) < 0)
		return r;
	eid_buf_init_secret(&plain);
	if ((r = inflate_text(&z, &plain)) < 0)
		goto out;
	eid_buf_cbs(&plain, &s);
	rest = s;
	/* a raw text never starts with 0x0C (a control character, refused below) */
	if (eid_tlv_peek_tag(&rest, &tag) && tag == TAG_UTF8)
		r = only_string(s, TAG_UTF8, CS_UTF8_TEXT, out);
	else if (!check_chars(&s, CS_UTF8_TEXT))
		r = -EID_EPARSE;
	else
		r = copy_value(&s, out);
out:
	eid_buf_free(&plain);
	return r;
}

/* ---- DG12, DG14, DG16, DG18 ---- */

/* OptionalDataR ::= SET OF OptionalData; OptionalData ::= SEQUENCE { OID, ANY OPTIONAL } */
static int check_optional_data(eid_cbs in)
{
	eid_cbs set, od, oid, any;
	uint32_t tag;
	char text[128];
	int r;

	if ((r = get_only(in, TAG_SET, &set)) < 0)
		return r;
	while (eid_cbs_len(&set)) {
		if (!eid_tlv_get(&set, TAG_SEQUENCE, &od) || !eid_der_get_oid(&od, &oid))
			return -EID_EPARSE;
		r = eid_oid_to_text(eid_cbs_data(&oid), eid_cbs_len(&oid), text, sizeof(text));
		if (r == -EID_EPARSE)
			return r;
		if (eid_cbs_len(&od) && !eid_tlv_get_any(&od, &tag, &any, NULL))
			return -EID_EPARSE;
		if (eid_cbs_len(&od))
			return -EID_EPARSE;
	}
	return 0;
}

/* Contents of a data group with no defined structure: a series of TLVs. */
static int check_tlvs(eid_cbs in)
{
	eid_cbs v;
	uint32_t tag;

	while (eid_cbs_len(&in))
		if (!eid_tlv_get_any(&in, &tag, &v, NULL))
			return -EID_EPARSE;
	return 0;
}

static int hex_value(eid_cbs in, char **out)
{
	static const char digits[] = "0123456789ABCDEF";
	eid_cbs s;
	eid_buf b;
	uint8_t x;
	int r = get_only(in, TAG_OCTET_STRING, &s);

	if (r < 0 || eid_cbs_len(&s) == 0)
		return r;
	eid_buf_init_secret(&b);
	while (eid_cbs_get_u8(&s, &x)) {
		eid_buf_add_u8(&b, (uint8_t)digits[x >> 4]);
		eid_buf_add_u8(&b, (uint8_t)digits[x & 0x0F]);
	}
	if ((r = eid_buf_status(&b)) == 0)
		r = eid_holder_set(out, (const char *)b.data, b.len);
	eid_buf_free(&b);
	return r;
}

int eid_eidata_signature_image(const uint8_t *data, size_t n, eid_cbs *image)
{
	eid_cbs in, v, s;
	int r;

	if ((!data && n) || !image)
		return -EID_EINVAL;
	eid_cbs_init(&in, data, n);
	if ((r = get_only(in, 0x6E, &v)) < 0 || (r = get_only(v, TAG_OCTET_STRING, &s)) < 0)
		return r;
	if (eid_cbs_len(&s) == 0)
		return -EID_ENOTFOUND;
	*image = s;
	return 0;
}

/* ---- the data groups ---- */

/* Where a data group's single string goes (NULL: DG9, DG12, DG14, DG16, DG17). */
static char **field_of(int dg, struct eid_holder *h)
{
	switch (dg) {
	case 1: return &h->document_type;
	case 2: return &h->issuing_state;
	case 3: return &h->date_of_expiry;
	case 4: return &h->given_names;
	case 5: return &h->family_name;
	case 6: return &h->artistic_name;
	case 7: return &h->academic_title;
	case 8: return &h->date_of_birth;
	case 9: return &h->place_of_birth;
	case 10: return &h->nationality;
	case 11: return &h->sex;
	case 13: return &h->birth_name;
	case 15: return &h->date_of_issuance;
	case 18: return &h->community_id;
	case 19: return &h->residence_permit_1;
	case 20: return &h->residence_permit_2;
	case 21: return &h->phone_number;
	case 22: return &h->email_address;
	default: return NULL;
	}
}

/* IssuingEntity ::= CHOICE { issuingState ICAOCountry, issuingPlace Place }: the country. */
static int parse_issuing_entity(eid_cbs in, char **out)
{
	struct eid_holder_place p = { 0 };
	eid_cbs v;
	uint32_t tag;
	int r;

	if (!eid_tlv_peek_tag(&in, &tag))
		return -EID_EPARSE;
	if (tag != TAG_SEQUENCE)
		return only_icao(in, ICAO_COUNTRY_SIZES, out);
	if ((r = get_only(in, TAG_SEQUENCE, &v)) < 0 || (r = parse_place(v, &p)) < 0)
		goto out;
	*out = p.country;
	p.country = NULL;
out:
	place_clear(&p);
	return r;
}

/* ICAOSex ::= PrintableString (FROM ("M"|"F"|" ")); "X" is accepted too, blank becomes "X". */
static int parse_sex(eid_cbs in, char **out)
{
	eid_cbs s;
	uint8_t c;
	int r = get_only(in, TAG_PRINTABLE, &s);

	if (r < 0)
		return r;
	if (eid_cbs_len(&s) != 1 || !eid_cbs_get_u8(&s, &c) ||
	    (c != 'M' && c != 'F' && c != 'X' && c != ' '))
		return -EID_EPARSE;
	return eid_holder_set(out, c == ' ' ? "X" : (const char *)&c, 1);
}

int eid_eidata_decode(int dg, const uint8_t *data, size_t n, struct eid_holder *h)
{
	struct eid_holder_place place = { 0 };
	bool have_place = false;
	char *value = NULL;
	eid_cbs in, v, image;
	char **field;
	int r;

	if (dg < 1 || dg > EID_EIDATA_MAX_DG || (!data && n) || !h)
		return -EID_EINVAL;
	eid_cbs_init(&in, data, n);
	if ((r = get_only(in, 0x60 + (uint32_t)dg, &v)) < 0)
		return r;

	switch (dg) {
	case 1:
		r = only_icao(v, 1u << 2, &value);
		break;
	case 2:
		r = parse_issuing_entity(v, &value);
		break;
	case 3:
	case 8:
	case 15:
		r = only_date(v, &value);
		break;
	case 4:
	case 5:
	case 6:
	case 7:
	case 13:
		r = only_string(v, TAG_UTF8, CS_UTF8, &value);
		break;
	case 9:
		if ((r = get_general_place(&v, &place)) == 0 && eid_cbs_len(&v) != 0)
			r = -EID_EPARSE;
		if (r == 0)
			r = place_line(&place, &value);
		break;
	case 10:
		r = only_icao(v, ICAO_COUNTRY_SIZES, &value);
		break;
	case 11:
		r = parse_sex(v, &value);
		break;
	case 12:
		r = check_optional_data(v);
		break;
	case 14:
		r = get_only(v, TAG_OCTET_STRING, &image);
		break;
	case 16:
		r = check_tlvs(v);
		break;
	case 17:
		r = parse_residence(v, &place, &have_place);
		break;
	case 18:
		r = hex_value(v, &value);
		break;
	case 19:
	case 20:
		r = parse_text(v, &value);
		break;
	case 21:
		r = only_string(v, TAG_PRINTABLE, CS_PRINTABLE, &value);
		break;
	case 22:
		r = only_string(v, TAG_IA5, CS_IA5, &value);
		break;
	default:
		r = -EID_EINVAL;
		break;
	}
	if (r < 0)
		goto out;

	if (dg == 17) {
		place_clear(&h->address);
		h->address = place;
		memset(&place, 0, sizeof(place));
		h->have_address = have_place;
	} else if ((field = field_of(dg, h))) {
		wipe_str(field);
		*field = value;
		value = NULL;
	}
out:
	wipe_str(&value);
	place_clear(&place);
	return r;
}
