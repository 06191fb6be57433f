/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Profiles and the document they carry (ICAO 9303-10):
 *   1. holder data: checked, then the TD3 MRZ with its check digits;
 *   2. DG1 (MRZ), DG2 (face: ISO/IEC 19794-5 or 39794-5, JPEG or JPEG 2000),
 *      DG11 (additional personal details), DG12 (document details);
 *   3. the profile's setup adds its protocols, the chip keys and what
 *      they publish (EF.CardAccess, DG14, DG15: secinfos.c);
 *   4. faults on data groups, EF.COM listing every data group, and EF.SOD:
 *      an LDSSecurityObject with SHA-256 hashes in a CMS SignedData
 *      (eContentType 2.23.136.1.1.1) signed now by a test Document Signer
 *      from tests/data/pki (ECDSA or RSA-PSS).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "sim.h"
#include "mrz.h"
#include "tlv.h"

/* ---- options ---- */

void sim_options_init(struct sim_options *o)
{
	memset(o, 0, sizeof(*o));
	o->profile = "passport-bac";
	/* BSI TR-03105-5 specimen passport (vectors.md 4.2) */
	strcpy(o->holder.doc_number, "C11T002JM");
	strcpy(o->holder.date_of_birth, "960812");
	strcpy(o->holder.date_of_expiry, "231031");
	strcpy(o->holder.surname, "MUSTERMANN");
	strcpy(o->holder.given_names, "ERIKA");
	strcpy(o->holder.nationality, "D");
	strcpy(o->holder.sex, "F");
	strcpy(o->holder.place_of_birth, "BERLIN");
	strcpy(o->holder.issuing_authority, "STADT KOELN");
	strcpy(o->can, "");     /* the profile's: 123456, eID cards 500540 */
}

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *try_dir(char *buf, size_t size, const char *base, const char *rel)
{
	int n = snprintf(buf, size, "%s%s", base, rel);

	if (n < 0 || (size_t)n >= size || !dir_exists(buf))
		return NULL;
	return buf;
}

const char *sim_default_data_dir(char *buf, size_t size)
{
	const char *env = getenv("EID_SIM_DATA");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env)
		return try_dir(buf, size, env, "");
#ifdef EID_SIM_DATADIR
	if (try_dir(buf, size, EID_SIM_DATADIR, ""))
		return buf;
#endif
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	/* build/tools/eid-sim, build/tests/test_sim, tools/eid-sim in tree */
	if (try_dir(buf, size, exe, "/../tests/data/pki") ||
	    try_dir(buf, size, exe, "/../../tests/data/pki")) {
		buf[strlen(buf) - 4] = '\0';      /* drop "/pki" */
		return buf;
	}
	return NULL;
}

/* ---- step 1: holder data and the MRZ ---- */

static bool all_chars(const char *s, const char *allowed)
{
	return strspn(s, allowed) == strlen(s);
}

#define MRZ_ALNUM "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ -"

static bool date_ok(const char *d)
{
	int mm, dd;

	if (strlen(d) != 6 || !all_chars(d, "0123456789"))
		return false;
	mm = (d[2] - '0') * 10 + (d[3] - '0');
	dd = (d[4] - '0') * 10 + (d[5] - '0');
	return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

int sim_holder_check(const struct sim_holder *h, const char **why)
{
	const char *w = NULL;

	if (!*h->doc_number || strlen(h->doc_number) > 9 || !all_chars(h->doc_number, MRZ_ALNUM))
		w = "document number: 1..9 characters A-Z 0-9";
	else if (!date_ok(h->date_of_birth))
		w = "date of birth: YYMMDD";
	else if (!date_ok(h->date_of_expiry))
		w = "date of expiry: YYMMDD";
	else if (!*h->surname || !all_chars(h->surname, NAME_CHARS) ||
		 !all_chars(h->given_names, NAME_CHARS))
		w = "names: letters A-Z, spaces and hyphens";
	else if (!*h->nationality || strlen(h->nationality) > 3 ||
		 !all_chars(h->nationality, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		w = "nationality: 1..3 letters";
	else if (strlen(h->issuing_state) > 3 ||
		 !all_chars(h->issuing_state, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		w = "issuing state: 1..3 letters";
	else if (strlen(h->sex) != 1 || !all_chars(h->sex, "FMX<"))
		w = "sex: F, M, X or <";
	else if (!all_chars(h->place_of_birth, NAME_CHARS) ||
		 !all_chars(h->issuing_authority, NAME_CHARS))
		w = "place of birth, authority: letters A-Z, spaces and hyphens";
	if (why)
		*why = w;
	return w ? -EID_EINVAL : 0;
}

/* Copy s into dst (width characters), spaces and hyphens as '<', filled
 * with '<'; returns characters written. */
static size_t mrz_field(char *dst, size_t width, const char *s)
{
	size_t i = 0;

	for (; *s && i < width; s++, i++)
		dst[i] = (*s == ' ' || *s == '-') ? '<' : *s;
	for (size_t j = i; j < width; j++)
		dst[j] = '<';
	return i;
}

static char check_digit(const char *s, size_t n)
{
	int d = eid_mrz_check_digit(s, n);

	return d < 0 ? '<' : (char)('0' + d);
}

int sim_mrz_td3(const struct sim_holder *h, char line1[45], char line2[45])
{
	const char *state = *h->issuing_state ? h->issuing_state : h->nationality;
	char *p;
	size_t n;

	if (sim_holder_check(h, NULL) < 0)
		return -EID_EINVAL;
	/* line 1: P < state(3) surname << given names, 39 characters */
	memcpy(line1, "P<", 2);
	mrz_field(line1 + 2, 3, state);
	n = mrz_field(line1 + 5, 39, h->surname);
	if (*h->given_names && n + 2 < 39)
		mrz_field(line1 + 5 + n + 2, 39 - n - 2, h->given_names);
	line1[44] = '\0';
	/* line 2 */
	p = line2;
	mrz_field(p, 9, h->doc_number);
	p[9] = check_digit(p, 9);
	mrz_field(p + 10, 3, h->nationality);
	memcpy(p + 13, h->date_of_birth, 6);
	p[19] = check_digit(p + 13, 6);
	p[20] = h->sex[0];
	memcpy(p + 21, h->date_of_expiry, 6);
	p[27] = check_digit(p + 21, 6);
	mrz_field(p + 28, 14, "");
	p[42] = '<';    /* check digit of empty optional data: '<' as in the BSI
			   specimen's DG1 (9303-4 allows '<' or '0') */
	{
		char comp[39];

		memcpy(comp, p, 10);
		memcpy(comp + 10, p + 13, 7);
		memcpy(comp + 17, p + 21, 22);
		p[43] = check_digit(comp, sizeof(comp));
	}
	line2[44] = '\0';
	return 0;
}

/* ---- step 2: data groups ---- */

static int dg1_build(const struct sim_holder *h, eid_buf *out)
{
	char l1[45], l2[45];
	size_t mark, mrz;
	int r;

	if ((r = sim_mrz_td3(h, l1, l2)) < 0)
		return r;
	mark = eid_tlv_begin(out, 0x61);
	mrz = eid_tlv_begin(out, 0x5F1F);
	eid_buf_add(out, l1, 44);
	eid_buf_add(out, l2, 44);
	eid_tlv_end(out, mrz);
	r = eid_tlv_end(out, mark);
	eid_wipe(l1, sizeof(l1));
	eid_wipe(l2, sizeof(l2));
	return r;
}

/* Full year of a YYMMDD date: birth dates are in the past, expiry dates
 * within 70 years from 2000. */
static void full_date(const char *yymmdd, bool birth, char out[9])
{
	int yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
	int century = 20;

	if (birth) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		if (yy > tm.tm_year % 100)
			century = 19;
	} else if (yy >= 70) {
		century = 19;
	}
	snprintf(out, 9, "%02d%.6s", century, yymmdd);
}

/* Name in the MRZ style of DG11 5F0E: SURNAME<<GIVEN<NAMES. */
static int add_full_name(eid_buf *out, const struct sim_holder *h)
{
	char name[84];
	size_t n = mrz_field(name, strlen(h->surname), h->surname);

	if (*h->given_names) {
		memcpy(name + n, "<<", 2);
		n += 2;
		n += mrz_field(name + n, strlen(h->given_names), h->given_names);
	}
	return eid_tlv_add(out, 0x5F0E, name, n);
}

static int add_text(eid_buf *out, uint32_t tag, const char *s)
{
	char v[40];
	size_t n = mrz_field(v, strlen(s), s);

	return eid_tlv_add(out, tag, v, n);
}

/* DG11: tag list, full name, full date of birth, place of birth. */
static int dg11_build(const struct sim_holder *h, eid_buf *out)
{
	static const uint8_t tags[] = { 0x5F, 0x0E, 0x5F, 0x2B, 0x5F, 0x11 };
	char dob[9];
	size_t mark = eid_tlv_begin(out, 0x6B);

	eid_tlv_add(out, 0x5C, tags, *h->place_of_birth ? 6 : 4);
	add_full_name(out, h);
	full_date(h->date_of_birth, true, dob);
	eid_tlv_add(out, 0x5F2B, dob, 8);
	if (*h->place_of_birth)
		add_text(out, 0x5F11, h->place_of_birth);
	return eid_tlv_end(out, mark);
}

/* DG12: tag list, issuing authority, date of issue (ten years before
 * expiry). */
static int dg12_build(const struct sim_holder *h, eid_buf *out)
{
	static const uint8_t tags[] = { 0x5F, 0x19, 0x5F, 0x26 };
	char doe[9], doi[9];
	int year;
	size_t mark = eid_tlv_begin(out, 0x6C);

	eid_tlv_add(out, 0x5C, tags, sizeof(tags));
	if (*h->issuing_authority)
		eid_tlv_add(out, 0x5F19, h->issuing_authority, strlen(h->issuing_authority));
	full_date(h->date_of_expiry, false, doe);
	year = (doe[0] - '0') * 1000 + (doe[1] - '0') * 100 + (doe[2] - '0') * 10 + (doe[3] - '0');
	year = (year - 10) % 10000;
	doi[0] = (char)('0' + year / 1000);
	doi[1] = (char)('0' + year / 100 % 10);
	doi[2] = (char)('0' + year / 10 % 10);
	doi[3] = (char)('0' + year % 10);
	memcpy(doi + 4, doe + 4, 4);
	eid_tlv_add(out, 0x5F26, doi, 8);
	return eid_tlv_end(out, mark);
}

/* ---- DG2: the face ---- */

struct face {
	eid_buf img;
	bool jp2;               /* JPEG 2000 (file format or codestream) */
	uint32_t width, height;
};

/* JPEG: the frame header (SOFn) gives height and width. */
static bool jpeg_size(eid_cbs c, uint32_t *w, uint32_t *h)
{
	uint16_t soi, len, hh, ww;
	uint8_t ff, marker, precision;
	eid_cbs seg;

	if (!eid_cbs_get_u16(&c, &soi) || soi != 0xFFD8)
		return false;
	for (;;) {
		if (!eid_cbs_get_u8(&c, &ff) || ff != 0xFF || !eid_cbs_get_u8(&c, &marker))
			return false;
		while (marker == 0xFF)
			if (!eid_cbs_get_u8(&c, &marker))
				return false;
		if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
			continue;
		if (marker == 0xD9 || marker == 0xDA)
			return false;
		if (!eid_cbs_get_u16(&c, &len) || len < 2 || !eid_cbs_get_bytes(&c, &seg, len - 2u))
			return false;
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
		    marker != 0xCC) {
			if (!eid_cbs_get_u8(&seg, &precision) || !eid_cbs_get_u16(&seg, &hh) ||
			    !eid_cbs_get_u16(&seg, &ww))
				return false;
			*w = ww;
			*h = hh;
			return true;
		}
	}
}

/* JPEG 2000 codestream: the SIZ marker segment. */
static bool j2k_size(eid_cbs c, uint32_t *w, uint32_t *h)
{
	uint16_t soc, siz, lsiz, rsiz;
	uint32_t x, y, xo, yo;

	if (!eid_cbs_get_u16(&c, &soc) || soc != 0xFF4F || !eid_cbs_get_u16(&c, &siz) ||
	    siz != 0xFF51 || !eid_cbs_get_u16(&c, &lsiz) || !eid_cbs_get_u16(&c, &rsiz) ||
	    !eid_cbs_get_u32(&c, &x) || !eid_cbs_get_u32(&c, &y) || !eid_cbs_get_u32(&c, &xo) ||
	    !eid_cbs_get_u32(&c, &yo) || x <= xo || y <= yo)
		return false;
	*w = x - xo;
	*h = y - yo;
	return true;
}

/* Next JP2 box: its type and contents. */
static bool jp2_box(eid_cbs *c, uint32_t *type, eid_cbs *box)
{
	uint32_t len, hi, lo;

	if (!eid_cbs_get_u32(c, &len) || !eid_cbs_get_u32(c, type))
		return false;
	if (len == 0)
		return eid_cbs_get_bytes(c, box, eid_cbs_len(c));
	if (len == 1) {
		if (!eid_cbs_get_u32(c, &hi) || !eid_cbs_get_u32(c, &lo) || hi || lo < 16)
			return false;
		return eid_cbs_get_bytes(c, box, lo - 16);
	}
	return len >= 8 && eid_cbs_get_bytes(c, box, len - 8);
}

/* JP2 file format: jp2h { ihdr { height, width } }. */
static bool jp2_size(eid_cbs c, uint32_t *w, uint32_t *h)
{
	uint32_t type;
	eid_cbs box, inner;

	while (eid_cbs_len(&c)) {
		if (!jp2_box(&c, &type, &box))
			return false;
		if (type != 0x6A703268)                 /* 'jp2h' */
			continue;
		while (eid_cbs_len(&box)) {
			if (!jp2_box(&box, &type, &inner))
				return false;
			if (type == 0x69686472)         /* 'ihdr' */
				return eid_cbs_get_u32(&inner, h) && eid_cbs_get_u32(&inner, w);
		}
		return false;
	}
	return false;
}

static int face_load(const struct sim_chip *chip, struct face *f)
{
	char path[600];
	const char *file = chip->opt.face_file;
	uint8_t tmp[4096];
	eid_cbs c, magic;
	uint16_t m;
	FILE *fp;
	size_t n;
	bool ok;

	if (!file) {
		snprintf(path, sizeof(path), "%s/%s", chip->data_dir,
			 chip->opt.face_format == SIM_FACE_JP2 ? "face.jp2" : "face.jpg");
		file = path;
	}
	if (!(fp = fopen(file, "rb")))
		return -EID_ENOTFOUND;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0 && f->img.len <= SIM_MAX_FACE_FILE)
		eid_buf_add(&f->img, tmp, n);
	fclose(fp);
	if (!eid_buf_ok(&f->img))
		return -EID_ENOMEM;
	if (f->img.len > SIM_MAX_FACE_FILE)
		return -EID_ETOOBIG;
	eid_buf_cbs(&f->img, &c);
	magic = c;
	if (!eid_cbs_get_u16(&magic, &m))
		return -EID_EPARSE;
	if (m == 0xFFD8) {
		f->jp2 = false;
		ok = jpeg_size(c, &f->width, &f->height);
	} else if (m == 0xFF4F) {
		f->jp2 = true;
		ok = j2k_size(c, &f->width, &f->height);
	} else {
		f->jp2 = true;
		ok = jp2_size(c, &f->width, &f->height);
	}
	if (!ok || !f->width || !f->height || f->width > 0xFFFF || f->height > 0xFFFF)
		return -EID_EPARSE;
	return 0;
}

static void add_u8(eid_buf *b, uint8_t v) { eid_buf_add_u8(b, v); }
static void add_u16(eid_buf *b, uint16_t v) { eid_buf_add_u16(b, v); }

static void add_u24(eid_buf *b, uint32_t v)
{
	add_u8(b, (uint8_t)(v >> 16));
	add_u16(b, (uint16_t)v);
}

static void add_u32(eid_buf *b, uint32_t v)
{
	add_u16(b, (uint16_t)(v >> 16));
	add_u16(b, (uint16_t)v);
}

/* ISO/IEC 19794-5:2005 facial record: header, one face: facial
 * information, image information, image. */
static void bdb_19794(const struct face *f, const struct sim_holder *h, eid_buf *out)
{
	static const uint8_t fac[8] = { 'F', 'A', 'C', 0, '0', '1', '0', 0 };
	uint32_t block = 20 + 12 + (uint32_t)f->img.len;

	eid_buf_add(out, fac, sizeof(fac));
	add_u32(out, 14 + block);          /* record length */
	add_u16(out, 1);                   /* number of faces */
	add_u32(out, block);               /* facial record data length */
	add_u16(out, 0);                   /* feature points */
	add_u8(out, h->sex[0] == 'F' ? 2 : h->sex[0] == 'M' ? 1 : 0); /* gender */
	add_u8(out, 0);                    /* eye colour: unspecified */
	add_u8(out, 0);                    /* hair colour: unspecified */
	add_u24(out, 0);                   /* property mask */
	add_u16(out, 0);                   /* expression */
	add_u24(out, 0);                   /* pose angle */
	add_u24(out, 0);                   /* pose angle uncertainty */
	add_u8(out, 1);                    /* face image type: full frontal */
	add_u8(out, f->jp2 ? 1 : 0);       /* image data type */
	add_u16(out, (uint16_t)f->width);
	add_u16(out, (uint16_t)f->height);
	add_u8(out, 3);                    /* colour space: 8-bit greyscale */
	add_u8(out, 2);                    /* source type: digital still camera */
	add_u16(out, 0);                   /* device type */
	add_u16(out, 0);                   /* quality */
	eid_buf_add(out, f->img.data, f->img.len);
}

/* [tag] INTEGER (implicit), v >= 0, minimal two's complement. */
static void add_ctx_uint(eid_buf *b, uint32_t tag, uint32_t v)
{
	uint8_t be[5] = { 0, (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
			  (uint8_t)v };
	size_t i = 0;

	while (i < 4 && be[i] == 0 && !(be[i + 1] & 0x80))
		i++;
	eid_tlv_add(b, tag, be + i, 5 - i);
}

/*
 * ISO/IEC 39794-5 (ICAO profile), as proto/lds reads it:
 * A1 { 65 FaceImageDataBlock { A0 version { 80 generation, 81 year },
 *   A1 { 30 { 80 id, A1 { A0 { A0 2D block { 80 image,
 *       A1 info { A0 { 80 format }, A7 { 80 width, 81 height } } } } } } } } }
 */
static void bdb_39794(const struct face *f, eid_buf *out)
{
	size_t wrap = eid_tlv_begin(out, 0xA1);
	size_t fidb = eid_tlv_begin(out, 0x65);
	size_t m, reps, rep, irep, base, blk, info;

	m = eid_tlv_begin(out, 0xA0);
	add_ctx_uint(out, 0x80, 3);        /* generation 3 */
	add_ctx_uint(out, 0x81, 2019);     /* ISO/IEC 39794-5:2019 */
	eid_tlv_end(out, m);
	reps = eid_tlv_begin(out, 0xA1);
	rep = eid_tlv_begin(out, 0x30);
	add_ctx_uint(out, 0x80, 1);        /* representationId */
	irep = eid_tlv_begin(out, 0xA1);   /* imageRepresentation */
	base = eid_tlv_begin(out, 0xA0);   /* base */
	blk = eid_tlv_begin(out, 0xA0);    /* imageRepresentation2DBlock */
	eid_tlv_add(out, 0x80, f->img.data, f->img.len);
	info = eid_tlv_begin(out, 0xA1);   /* imageInformation2DBlock */
	m = eid_tlv_begin(out, 0xA0);      /* imageDataFormat: code */
	add_ctx_uint(out, 0x80, f->jp2 ? 3 : 2);   /* jpeg2000Lossy / jpeg */
	eid_tlv_end(out, m);
	m = eid_tlv_begin(out, 0xA7);      /* imageSizeBlock */
	add_ctx_uint(out, 0x80, f->width);
	add_ctx_uint(out, 0x81, f->height);
	eid_tlv_end(out, m);
	eid_tlv_end(out, info);
	eid_tlv_end(out, blk);
	eid_tlv_end(out, base);
	eid_tlv_end(out, irep);
	eid_tlv_end(out, rep);
	eid_tlv_end(out, reps);
	eid_tlv_end(out, fidb);
	eid_tlv_end(out, wrap);
}

/* 75 { 7F61 { 02 count, 7F60 { A1 BHT, 5F2E | 7F2E BDB } } } */
static int dg2_build(const struct sim_chip *chip, eid_buf *out)
{
	static const uint8_t one = 1, face_type = 0x02, subtype = 0x00;
	static const uint8_t hdr_version[2] = { 0x01, 0x01 }, owner[2] = { 0x01, 0x01 };
	static const uint8_t type19794[2] = { 0x00, 0x08 }, type39794[2] = { 0x00, 0x40 };
	bool iso39794 = chip->opt.face_encoding == SIM_FACE_ISO39794;
	struct face f;
	size_t m75, m61, m60, m;
	int r;

	memset(&f, 0, sizeof(f));
	eid_buf_init(&f.img);
	if ((r = face_load(chip, &f)) < 0)
		goto out;
	m75 = eid_tlv_begin(out, 0x75);
	m61 = eid_tlv_begin(out, 0x7F61);
	eid_tlv_add(out, 0x02, &one, 1);
	m60 = eid_tlv_begin(out, 0x7F60);
	m = eid_tlv_begin(out, 0xA1);
	eid_tlv_add(out, 0x80, hdr_version, 2);
	eid_tlv_add(out, 0x81, &face_type, 1);
	eid_tlv_add(out, 0x82, &subtype, 1);
	eid_tlv_add(out, 0x87, owner, 2);
	eid_tlv_add(out, 0x88, iso39794 ? type39794 : type19794, 2);
	eid_tlv_end(out, m);
	m = eid_tlv_begin(out, iso39794 ? 0x7F2E : 0x5F2E);
	if (iso39794)
		bdb_39794(&f, out);
	else
		bdb_19794(&f, &chip->opt.holder, out);
	eid_tlv_end(out, m);
	eid_tlv_end(out, m60);
	eid_tlv_end(out, m61);
	r = eid_tlv_end(out, m75);
out:
	eid_buf_free(&f.img);
	return r;
}

/* Add a data group file: FID 01xx, SFI = DG number. */
int sim_lds_add_dg(struct sim_chip *chip, int dg, const eid_buf *b)
{
	int r = eid_buf_status(b);

	if (r < 0)
		return r;
	return sim_chip_set_file(chip, (uint16_t)(0x0100 + dg), (uint8_t)dg, false, dg,
				 SIM_ACCESS_SM, b->data, b->len);
}

int sim_lds_build(struct sim_chip *chip)
{
	eid_buf b;
	int r;

	eid_buf_init_secret(&b);
	if ((r = dg1_build(&chip->opt.holder, &b)) < 0 || (r = sim_lds_add_dg(chip, 1, &b)) < 0)
		goto out;
	eid_buf_reset(&b);
	if ((r = dg2_build(chip, &b)) < 0 || (r = sim_lds_add_dg(chip, 2, &b)) < 0)
		goto out;
	eid_buf_reset(&b);
	if ((r = dg11_build(&chip->opt.holder, &b)) < 0 || (r = sim_lds_add_dg(chip, 11, &b)) < 0)
		goto out;
	eid_buf_reset(&b);
	if ((r = dg12_build(&chip->opt.holder, &b)) < 0 || (r = sim_lds_add_dg(chip, 12, &b)) < 0)
		goto out;
out:
	eid_buf_free(&b);
	return r;
}

/* ---- step 4: faults, EF.COM, EF.SOD ---- */

static struct sim_file *dg_file(struct sim_chip *chip, int dg)
{
	for (size_t i = 0; i < chip->n_files; i++)
		if (chip->files[i].dg == dg)
			return &chip->files[i];
	return NULL;
}

/* Fault: the data group's outer length claims ~2 GiB (84 7FFFFFF0). */
static int fault_oversized(struct sim_chip *chip, int dg)
{
	struct sim_file *f = dg_file(chip, dg);
	eid_buf b = EID_BUF_INIT;
	eid_cbs c, v;
	uint32_t tag;
	int r;

	if (!f)
		return -EID_ENOTFOUND;
	eid_buf_cbs(&f->data, &c);
	if (!eid_tlv_get_any(&c, &tag, &v, NULL))
		return -EID_EPARSE;
	eid_tlv_add_tag(&b, tag);
	eid_buf_add_u8(&b, 0x84);
	eid_buf_add_u16(&b, 0x7FFF);
	eid_buf_add_u16(&b, 0xFFF0);
	eid_buf_add_cbs(&b, &v);
	if ((r = eid_buf_status(&b)) == 0)
		r = eid_buf_set(&f->data, b.data, b.len);
	eid_buf_free(&b);
	return r;
}

/* EF.COM: 60 { 5F01 "0107", 5F36 "040000", 5C tags of the data groups }. */
static int com_build(struct sim_chip *chip)
{
	static const uint8_t dg_tags[17] = { 0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67,
					     0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E,
					     0x6F, 0x70 };
	uint8_t list[16];
	size_t n = 0, mark;
	eid_buf b = EID_BUF_INIT;
	int r;

	for (int dg = 1; dg <= 16; dg++)
		if (dg_file(chip, dg))
			list[n++] = dg_tags[dg];
	mark = eid_tlv_begin(&b, 0x60);
	eid_tlv_add(&b, 0x5F01, "0107", 4);
	eid_tlv_add(&b, 0x5F36, "040000", 6);
	eid_tlv_add(&b, 0x5C, list, n);
	eid_tlv_end(&b, mark);
	if ((r = eid_buf_status(&b)) == 0)
		r = sim_chip_set_file(chip, 0x011E, 0x1E, false, 0, SIM_ACCESS_SM, b.data, b.len);
	eid_buf_free(&b);
	return r;
}

/* LDSSecurityObject ::= SEQUENCE { version 0, hashAlgorithm sha256,
 * dataGroupHashValues SEQUENCE OF { dataGroupNumber, dataGroupHashValue } } */
static int lds_security_object(struct sim_chip *chip, eid_buf *out)
{
	static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
					      0x01 };
	uint8_t hash[32];
	size_t seq, m, hashes, dgh;
	int r;

	seq = eid_tlv_begin(out, 0x30);
	eid_der_add_u32(out, 0);
	m = eid_tlv_begin(out, 0x30);
	eid_tlv_add(out, 0x06, oid_sha256, sizeof(oid_sha256));
	eid_tlv_end(out, m);
	hashes = eid_tlv_begin(out, 0x30);
	for (int dg = 1; dg <= 16; dg++) {
		const struct sim_file *f = dg_file(chip, dg);

		if (!f)
			continue;
		if ((r = eid_sha256(f->data.data, f->data.len, hash)) < 0)
			return r;
		if (chip->opt.wrong_dg_hash == dg)
			hash[31] ^= 0x5A;          /* fault: a wrong hash */
		dgh = eid_tlv_begin(out, 0x30);
		eid_der_add_u32(out, (uint32_t)dg);
		eid_tlv_add(out, 0x04, hash, sizeof(hash));
		eid_tlv_end(out, dgh);
	}
	eid_tlv_end(out, hashes);
	return eid_tlv_end(out, seq);
}

/* The Document Signer for the options: key and certificate files. */
static const char *ds_name(const struct sim_options *o)
{
	if (o->ds_alg == SIM_DS_RSA_PSS)
		return o->ds == SIM_DS_OK ? "ds-rsa" : NULL;
	switch (o->ds) {
	case SIM_DS_OK:
		return "ds-ec";
	case SIM_DS_EXPIRED:
		return "ds-ec-expired";
	case SIM_DS_REVOKED:
		return "ds-ec-revoked";
	case SIM_DS_UNKNOWN_CSCA:
		return "ds-unknown";
	case SIM_DS_LINK:
		return "ds-ec-2";
	}
	return NULL;
}

static int load_signer(const struct sim_chip *chip, X509 **cert, EVP_PKEY **key)
{
	const char *name = ds_name(&chip->opt);
	char path[600];
	BIO *bio;

	if (!name)
		return -EID_ENOTSUP;
	snprintf(path, sizeof(path), "%s/pki/%s.pem", chip->data_dir, name);
	if (!(bio = BIO_new_file(path, "r")))
		return -EID_ENOTFOUND;
	*cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	snprintf(path, sizeof(path), "%s/pki/%s.key", chip->data_dir, name);
	if (!(bio = BIO_new_file(path, "r")))
		return -EID_ENOTFOUND;
	*key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *cert && *key ? 0 : -EID_EPARSE;
}

/* RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt. */
static int signer_pss(CMS_SignerInfo *si)
{
	EVP_PKEY_CTX *pctx = CMS_SignerInfo_get0_pkey_ctx(si);

	if (!pctx || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)
		return -EID_ECRYPTO;
	return 0;
}

/* CMS SignedData over content (the LDSSecurityObject, or the eID card's
 * SecurityInfos), eContentType oid, signed attributes. */
int sim_cms_sign(const struct sim_chip *chip, const char *oid_txt, const eid_buf *lso,
		 eid_buf *der)
{
	bool pss = chip->opt.ds_alg == SIM_DS_RSA_PSS;
	unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	ASN1_OBJECT *oid = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *in = NULL;
	unsigned char *p = NULL;
	int len, r;

	if ((r = load_signer(chip, &cert, &key)) < 0)
		goto out;
	r = -EID_ECRYPTO;
	if (!(cms = CMS_sign(NULL, NULL, NULL, NULL, flags)) ||
	    !(oid = OBJ_txt2obj(oid_txt, 1)) || !CMS_set1_eContentType(cms, oid))
		goto out;
	if (!(si = CMS_add1_signer(cms, cert, key, EVP_sha256(),
				   flags | (pss ? CMS_KEY_PARAM : 0))))
		goto out;
	if (pss && signer_pss(si) < 0)
		goto out;
	if (!(in = BIO_new_mem_buf(lso->data, (int)lso->len)) ||
	    !CMS_final(cms, in, NULL, CMS_BINARY))
		goto out;
	if ((len = i2d_CMS_ContentInfo(cms, &p)) <= 0)
		goto out;
	r = eid_buf_set(der, p, (size_t)len);
out:
	OPENSSL_free(p);
	BIO_free(in);
	ASN1_OBJECT_free(oid);
	CMS_ContentInfo_free(cms);
	EVP_PKEY_free(key);
	X509_free(cert);
	return r;
}

/* EF.SOD: 77 { ContentInfo }. */
static int sod_build(struct sim_chip *chip)
{
	eid_buf lso = EID_BUF_INIT, cms = EID_BUF_INIT, sod = EID_BUF_INIT;
	int r;

	if ((r = lds_security_object(chip, &lso)) < 0 || (r = eid_buf_status(&lso)) < 0)
		goto out;
	/* id-icao-mrtd-security-ldsSecurityObject */
	if ((r = sim_cms_sign(chip, "2.23.136.1.1.1", &lso, &cms)) < 0)
		goto out;
	if ((r = eid_tlv_add(&sod, 0x77, cms.data, cms.len)) < 0)
		goto out;
	r = sim_chip_set_file(chip, 0x011D, 0x1D, false, 0, SIM_ACCESS_SM, sod.data, sod.len);
out:
	eid_buf_free(&lso);
	eid_buf_free(&cms);
	eid_buf_free(&sod);
	return r;
}

int sim_lds_finish(struct sim_chip *chip)
{
	int r;

	if (chip->opt.oversized_tlv && (r = fault_oversized(chip, chip->opt.oversized_tlv)) < 0)
		return r;
	if (chip->opt.wrong_dg_hash && !dg_file(chip, chip->opt.wrong_dg_hash))
		return -EID_ENOTFOUND;
	if ((r = com_build(chip)) < 0)
		return r;
	return sod_build(chip);
}

/* ---- profiles ---- */

/* The AA key: the option, else the profile's. */
static void choose_aa(struct sim_chip *chip, enum sim_aa profile_default)
{
	chip->aa = chip->opt.aa == SIM_AA_PROFILE ? profile_default : chip->opt.aa;
}

static int offer_pace(struct sim_chip *chip, enum eid_pace_mapping mapping,
		      enum eid_key_agreement ka, int param_id)
{
	struct sim_pace_info *p;

	if (chip->n_pace == SIM_MAX_PACE_INFOS)
		return -EID_ETOOBIG;
	p = &chip->pace[chip->n_pace++];
	p->mapping = mapping;
	p->ka = ka;
	p->cipher = EID_CIPHER_AES128;
	p->param_id = param_id;
	return 0;
}

/* Protocols, keys and their files: BAC when asked, PACE for what was
 * offered (EF.CardAccess), Chip Authentication with the CA key, Active
 * Authentication with the AA key (DG14, DG15). */
static int setup_protocols(struct sim_chip *chip, bool bac, bool ca)
{
	int r;

	if (bac && (r = sim_chip_add_protocol(chip, &sim_protocol_bac)) < 0)
		return r;
	if (chip->n_pace && ((r = sim_chip_add_protocol(chip, &sim_protocol_pace)) < 0 ||
			     (r = sim_card_access_build(chip)) < 0))
		return r;
	if ((r = sim_keys_load(chip, ca)) < 0)
		return r;
	if (chip->ca_key && (r = sim_chip_add_protocol(chip, &sim_protocol_ca)) < 0)
		return r;
	if (chip->aa_key && (r = sim_chip_add_protocol(chip, &sim_protocol_aa)) < 0)
		return r;
	if ((r = sim_dg14_build(chip)) < 0)
		return r;
	return sim_dg15_build(chip);
}

static int setup_passport_bac(struct sim_chip *chip)
{
	choose_aa(chip, SIM_AA_NONE);
	return setup_protocols(chip, true, false);
}

static int setup_passport_pace(struct sim_chip *chip)
{
	int r;

	choose_aa(chip, SIM_AA_RSA);
	if ((r = offer_pace(chip, EID_PACE_GM, EID_KA_ECDH, 13)) < 0)
		return r;
	return setup_protocols(chip, true, true);
}

static int setup_passport_pace_dh(struct sim_chip *chip)
{
	int r;

	choose_aa(chip, SIM_AA_RSA);
	if ((r = offer_pace(chip, EID_PACE_GM, EID_KA_DH, 0)) < 0)
		return r;
	return setup_protocols(chip, true, true);
}

/* PACE-CAM, and generic mapping for terminals without CAM. */
static int setup_passport_cam(struct sim_chip *chip)
{
	int r;

	choose_aa(chip, SIM_AA_ECDSA);
	if ((r = offer_pace(chip, EID_PACE_GM, EID_KA_ECDH, 13)) < 0 ||
	    (r = offer_pace(chip, EID_PACE_CAM, EID_KA_ECDH, 13)) < 0)
		return r;
	return setup_protocols(chip, false, true);
}

/* The German eID card and the eAT: OpenPACE's chip side of PACE (CAN,
 * PIN, PUK), TA v2, CA v2, Restricted Identification (key 1), the eID
 * application (eid_files.c). */
static int setup_eid_card(struct sim_chip *chip, bool eat)
{
	static const uint8_t eid_aid[] = { 0xE8, 0x07, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x02 };
	int r;

	choose_aa(chip, SIM_AA_NONE);
	memcpy(chip->app_aid, eid_aid, sizeof(eid_aid));
	chip->app_aid_len = sizeof(eid_aid);
	chip->ca_version = 2;
	chip->ca_key_id = 41;            /* as on the specimen card (0x29) */
	if ((r = offer_pace(chip, EID_PACE_GM, EID_KA_ECDH, 13)) < 0 ||
	    (r = sim_chip_add_protocol(chip, &sim_protocol_pace)) < 0 ||
	    (r = sim_keys_load(chip, true)) < 0 ||
	    (r = sim_ta_load_cvca(chip)) < 0 ||
	    (r = sim_ri_load(chip, 1)) < 0 ||
	    (r = sim_chip_add_protocol(chip, &sim_protocol_ta)) < 0 ||
	    (r = sim_chip_add_protocol(chip, &sim_protocol_ri)) < 0 ||
	    (r = sim_chip_add_protocol(chip, &sim_protocol_ca)) < 0 ||
	    (r = sim_chip_add_protocol(chip, &sim_protocol_eid)) < 0)
		return r;
	return sim_eid_build(chip, eat);
}

static int setup_eid(struct sim_chip *chip)
{
	return setup_eid_card(chip, false);
}

static int setup_eat(struct sim_chip *chip)
{
	return setup_eid_card(chip, true);
}

const struct sim_profile sim_profiles[] = {
	{ "passport-bac", "ICAO passport with BAC only (3DES secure messaging)",
	  setup_passport_bac, false },
	{ "passport-pace", "ICAO passport: PACE ECDH-GM brainpoolP256r1 AES-128, BAC, "
	  "Chip Authentication, Active Authentication (RSA)", setup_passport_pace, false },
	{ "passport-pace-dh", "ICAO passport: PACE DH-GM 1024/160 AES-128, BAC, "
	  "Chip Authentication, Active Authentication (RSA)", setup_passport_pace_dh, false },
	{ "passport-cam", "ICAO passport: PACE-CAM (and ECDH-GM) brainpoolP256r1 AES-128, "
	  "Chip Authentication, Active Authentication (ECDSA)", setup_passport_cam, false },
	{ "eid", "German ID card (eID application, specimen ERIKA MUSTERMANN): PACE "
	  "CAN/PIN/PUK, TA v2, CA v2, DG1..DG22", setup_eid, true },
	{ "eat", "German residence permit (eAT): as eid, document type AR, "
	  "DG19/DG20 texts", setup_eat, true },
};
const size_t sim_n_profiles = sizeof(sim_profiles) / sizeof(sim_profiles[0]);

const struct sim_profile *sim_profile_find(const char *name)
{
	for (size_t i = 0; name && i < sim_n_profiles; i++)
		if (strcmp(sim_profiles[i].name, name) == 0)
			return &sim_profiles[i];
	return NULL;
}

/* ---- exporting the trust anchors ---- */

static int copy_file(const char *from, const char *to)
{
	uint8_t buf[8192];
	FILE *in, *out;
	size_t n;
	int r = 0;

	if (!(in = fopen(from, "rb")))
		return -EID_ENOTFOUND;
	if (!(out = fopen(to, "wb"))) {
		fclose(in);
		return -EID_ETRANSPORT;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			r = -EID_ETRANSPORT;
	fclose(in);
	if (fclose(out) != 0)
		r = -EID_ETRANSPORT;
	return r;
}

int sim_export_pki(const char *data_dir, const char *dir)
{
	static const char *const files[] = {
		"csca-ec-1.pem", "csca-ec-2.pem", "link-ec-2.pem", "csca-rsa.pem",
		"crl-ec-1.crl", "crl-ec-2.crl", "crl-rsa.crl", "masterlist.ml",
	};
	char from[600], to[600];
	int r;

	if (mkdir(dir, 0755) < 0 && !dir_exists(dir))
		return -EID_ETRANSPORT;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(from, sizeof(from), "%s/pki/%s", data_dir, files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		if ((r = copy_file(from, to)) < 0)
			return r;
	}
	return 0;
}
