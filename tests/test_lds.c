/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LDS data groups: the BSI TR-03105-5 specimen files (vectors.md §4.2 and the
 * appendix), the EF.COM of ICAO 9303-11 D.4 (vectors.md §1.4), MRZ specimens
 * of 9303-4/5/6 (vectors.md §5), and DG2/DG11/DG12/DG15 files built here
 * field by field (no published vector exists for them).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "lds.h"
#include "tlv.h"

/* ---- images used inside the built files ---- */

/* 4x3 greyscale JPEG (cjpeg -quality 50 -grayscale) */
#define TINY_JPEG                                                                        \
	"ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318" \
	"281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d" \
	"71797064785c656763ffc0000b080003000401011100ffc4001f00000105010101010101000000000" \
	"00000000102030405060708090a0bffc400b5100002010303020403050504040000017d0102030004" \
	"1105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25" \
	"262728292a3435363738393a434445464748494a535455565758595a636465666768696a73747576" \
	"7778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2" \
	"c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda00" \
	"08010100003f00bd69a558f90bfe8d1d7fffd9"

/* 4x3 greyscale JPEG 2000 codestream (opj_compress -n 1) */
#define TINY_J2K                                                                         \
	"ff4fff510029000000000004000000030000000000000000000000040000000300000000000000" \
	"000001070101ff52000c00000001000004040001ff5c00044040ff640025000143726561746564" \
	"206279204f70656e4a5045472076657273696f6e20322e352e30ff90000a00000000001a0001ff" \
	"93cfb424078cef41007d72229bffd9"

/* JPEG 2000 file format: signature box, then (cut short) ftyp */
#define TINY_JP2 "0000000c6a5020200d0a870a" "00000014667479706a703220"

/* ---- building files ---- */

static void add_hex(eid_buf *b, const char *hex)
{
	eid_buf t = EID_BUF_INIT;

	tu_unhex(&t, hex);
	assert_int_equal(eid_buf_add(b, t.data, t.len), 0);
	eid_buf_free(&t);
}

static void add_tlv_hex(eid_buf *b, uint32_t tag, const char *hex)
{
	size_t m = eid_tlv_begin(b, tag);

	add_hex(b, hex);
	assert_int_equal(eid_tlv_end(b, m), 0);
}

static void add_tlv_str(eid_buf *b, uint32_t tag, const char *s)
{
	assert_int_equal(eid_tlv_add(b, tag, s, strlen(s)), 0);
}

/* Wrap the whole of b in a TLV with tag. */
static void wrap(eid_buf *b, uint32_t tag)
{
	eid_buf t = EID_BUF_INIT;

	assert_int_equal(eid_tlv_add(&t, tag, b->data, b->len), 0);
	assert_int_equal(eid_buf_set(b, t.data, t.len), 0);
	eid_buf_free(&t);
}

/* Every proper prefix of a valid file is an error (and reads nothing past
 * its end: each prefix is an exact-size heap copy). */
typedef int (*parse_fn)(const uint8_t *data, size_t n);

static void assert_every_prefix_fails(const eid_buf *file, parse_fn parse)
{
	for (size_t k = 0; k < file->len; k++) {
		uint8_t *p = malloc(k ? k : 1);

		assert_non_null(p);
		memcpy(p, file->data, k);
		if (parse(p, k) >= 0)
			fail_msg("prefix of %zu of %zu bytes was accepted", k, file->len);
		free(p);
	}
	assert_int_equal(parse(file->data, file->len), 0);
}

/* ======================================================================
 * File identifiers
 * ====================================================================== */

static void ef_table_gives_fid_and_sfi_of_every_file(void **state)
{
	const struct eid_lds_ef_info *i;

	(void)state;
	for (int dg = 1; dg <= 16; dg++) {
		i = eid_lds_ef_info(dg);
		assert_non_null(i);
		assert_int_equal(i->fid, 0x0100 + dg);
		assert_int_equal(i->sfi, dg);
		assert_false(i->in_mf);
	}
	assert_string_equal(eid_lds_ef_info(1)->name, "DG1");
	assert_string_equal(eid_lds_ef_info(16)->name, "DG16");
	i = eid_lds_ef_info(EID_LDS_EF_COM);
	assert_int_equal(i->fid, 0x011E);
	assert_int_equal(i->sfi, 0x1E);
	assert_int_equal(i->tag, 0x60);
	assert_string_equal(i->name, "EF.COM");
	i = eid_lds_ef_info(EID_LDS_EF_SOD);
	assert_int_equal(i->fid, 0x011D);
	assert_int_equal(i->sfi, 0x1D);
	assert_int_equal(i->tag, 0x77);
	i = eid_lds_ef_info(EID_LDS_EF_CARDACCESS);
	assert_int_equal(i->fid, 0x011C);
	assert_int_equal(i->sfi, 0x1C);
	assert_true(i->in_mf);
	assert_null(eid_lds_ef_info(0));
	assert_null(eid_lds_ef_info(17));
	assert_null(eid_lds_ef_info(0x1F));
}

static void ef_from_tag_maps_each_data_group_tag(void **state)
{
	static const uint8_t tags[17] = { 0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
					  0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70 };

	(void)state;
	for (int dg = 1; dg <= 16; dg++) {
		assert_int_equal(eid_lds_ef_from_tag(tags[dg]), dg);
		assert_int_equal(eid_lds_ef_info(dg)->tag, tags[dg]);
	}
	assert_int_equal(eid_lds_ef_from_tag(0x60), EID_LDS_EF_COM);
	assert_int_equal(eid_lds_ef_from_tag(0x77), EID_LDS_EF_SOD);
	assert_int_equal(eid_lds_ef_from_tag(0x31), -EID_ENOTFOUND);
	assert_int_equal(eid_lds_ef_from_tag(0x62), -EID_ENOTFOUND);
	assert_int_equal(eid_lds_ef_from_tag(0x00), -EID_ENOTFOUND);
}

/* ======================================================================
 * EF.COM
 * ====================================================================== */

static int com_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_com c;

	return eid_lds_com_parse(d, n, &c);
}

/* zi_EF_COM.bin: 5C 05 61 75 63 76 6E = DG1, DG2, DG3, DG4, DG14 */
static void com_bsi_specimen_lists_dg1_2_3_4_14(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_com c;

	(void)state;
	tu_read_vector("zi_EF_COM.bin", &f);
	assert_hex(f.data, f.len, "60175F0104303130375F36063034303030305C05617563766E");
	assert_int_equal(eid_lds_com_parse(f.data, f.len, &c), 0);
	assert_string_equal(c.lds_version, "0107");
	assert_string_equal(c.unicode_version, "040000");
	assert_int_equal(c.dgs, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 14));
	assert_int_equal(c.n_unknown_tags, 0);
	assert_true(eid_lds_com_has_dg(&c, 14));
	assert_false(eid_lds_com_has_dg(&c, 15));
	assert_false(eid_lds_com_has_dg(&c, 0));
	assert_false(eid_lds_com_has_dg(&c, 17));
	assert_every_prefix_fails(&f, com_parse);
	eid_buf_free(&f);
}

/* ICAO 9303-11 D.4 (vectors.md §1.4): the EF.COM read under BAC SM */
static void com_icao_d4_example_lists_dg1_and_dg2(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_com c;

	(void)state;
	tu_unhex(&f, "60145F0104303130365F36063034303030305C026175");
	assert_int_equal(eid_lds_com_parse(f.data, f.len, &c), 0);
	assert_string_equal(c.lds_version, "0106");
	assert_string_equal(c.unicode_version, "040000");
	assert_int_equal(c.dgs, (1u << 1) | (1u << 2));
	assert_every_prefix_fails(&f, com_parse);
	eid_buf_free(&f);
}

static void com_counts_unknown_tags_and_skips_unknown_elements(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_com c;

	(void)state;
	/* unknown element 5F7F first; tag list with 77 (EF.SOD) and 99 */
	tu_unhex(&f, "601A" "5F7F0100" "5F010430313038" "5F3606303630303030" "5C0461777099");
	assert_int_equal(eid_lds_com_parse(f.data, f.len, &c), 0);
	assert_string_equal(c.lds_version, "0108");
	assert_string_equal(c.unicode_version, "060000");
	assert_int_equal(c.dgs, (1u << 1) | (1u << 16));
	assert_int_equal(c.n_unknown_tags, 2);
	eid_buf_free(&f);
}

static void com_rejects_malformed_files(void **state)
{
	static const char *const bad[] = {
		/* wrong outer tag (61) */
		"61145F0104303130365F36063034303030305C026175",
		/* trailing byte after the outer TLV */
		"60145F0104303130365F36063034303030305C02617500",
		/* tag list missing */
		"60105F0104303130365F3606303430303030",
		/* LDS version missing */
		"600D5F36063034303030305C026175",
		/* Unicode version missing */
		"600B5F0104303130365C026175",
		/* LDS version not digits */
		"60145F0104303130415F36063034303030305C026175",
		/* LDS version of 3 digits */
		"60135F01033031305F36063034303030305C026175",
		/* tag list twice */
		"60175F0104303130365F36063034303030305C0261755C0161",
		/* inner length beyond the outer one */
		"60145F0104303130365F36063034303030305C036175",
	};
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_com c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_unhex(&f, bad[i]);
		if (eid_lds_com_parse(f.data, f.len, &c) != -EID_EPARSE)
			fail_msg("bad EF.COM #%zu not rejected", i);
		assert_int_equal(c.dgs, 0);
	}
	assert_int_equal(eid_lds_com_parse(NULL, 0, &c), -EID_EPARSE);
	assert_int_equal(eid_lds_com_parse(NULL, 3, &c), -EID_EINVAL);
	assert_int_equal(eid_lds_com_parse(f.data, f.len, NULL), -EID_EINVAL);
	eid_buf_free(&f);
}

/* ======================================================================
 * DG1
 * ====================================================================== */

static int dg1_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_dg1 g;

	return eid_lds_dg1_parse(d, n, &g);
}

/* zi_Datagroup1.bin = the MRZ of vectors.md §4.2 */
static void dg1_bsi_specimen_gives_td3_mrz_in_two_lines(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg1 g;

	(void)state;
	tu_read_vector("zi_Datagroup1.bin", &f);
	assert_hex(f.data, f.len,
		   "615B5F1F58503C443C3C4D55535445524D414E4E3C3C4552494B413C3C3C3C3C"
		   "3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C433131543030324A4D34443C3C3936"
		   "303831323246323331303331343C3C3C3C3C3C3C3C3C3C3C3C3C3C3C34");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), 0);
	assert_int_equal(g.format, EID_MRZ_TD3);
	/* the file has '<' as the (empty) personal number's check digit where
	 * vectors.md §4.2 prints "...<<04"; the bytes above are authoritative */
	assert_string_equal(g.mrz, "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n"
				   "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4");
	assert_int_equal(g.mrz_len, 89);
	eid_lds_dg1_clear(&g);
	assert_int_equal(g.mrz[0], 0);
	assert_int_equal(g.mrz_len, 0);
	assert_every_prefix_fails(&f, dg1_parse);
	eid_buf_free(&f);
}

static void dg1_bsi_specimen_feeds_the_mrz_parser(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_mrz m;

	(void)state;
	tu_read_vector("zi_Datagroup1.bin", &f);
	assert_int_equal(eid_lds_dg1_parse_mrz(f.data, f.len, &m), 0);
	assert_int_equal(m.format, EID_MRZ_TD3);
	assert_string_equal(m.document_code, "P");
	assert_string_equal(m.document_number, "C11T002JM");
	assert_string_equal(m.date_of_birth, "960812");
	assert_string_equal(m.date_of_expiry, "231031");
	assert_string_equal(m.family_name, "MUSTERMANN");
	assert_string_equal(m.given_names, "ERIKA");
	assert_string_equal(m.sex, "F");
	assert_true(m.valid);
	eid_mrz_clear(&m);
	eid_buf_free(&f);
}

static void build_dg1(eid_buf *f, const char *mrz)
{
	eid_buf_reset(f);
	add_tlv_str(f, 0x5F1F, mrz);
	wrap(f, 0x61);
}

/* 9303-5 / 9303-6 specimens (vectors.md §5) */
static void dg1_td1_and_td2_are_split_into_their_lines(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg1 g;

	(void)state;
	build_dg1(&f, "I<UTOD231458907<<<<<<<<<<<<<<<"
		      "7408122F1204159UTO<<<<<<<<<<<6"
		      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), 0);
	assert_int_equal(g.format, EID_MRZ_TD1);
	assert_string_equal(g.mrz, "I<UTOD231458907<<<<<<<<<<<<<<<\n"
				   "7408122F1204159UTO<<<<<<<<<<<6\n"
				   "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	assert_int_equal(g.mrz_len, 92);
	assert_every_prefix_fails(&f, dg1_parse);

	build_dg1(&f, "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
		      "D231458907UTO7408122F1204159<<<<<<<6");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), 0);
	assert_int_equal(g.format, EID_MRZ_TD2);
	assert_string_equal(g.mrz, "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
				   "D231458907UTO7408122F1204159<<<<<<<6");
	assert_int_equal(g.mrz_len, 73);
	eid_lds_dg1_clear(&g);
	eid_buf_free(&f);
}

static void dg1_rejects_wrong_lengths_characters_and_tags(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg1 g;
	struct eid_mrz m;
	char mrz[89];

	(void)state;
	/* 87 characters: no MRZ format */
	build_dg1(&f, "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<"
		      "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<0");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
	assert_int_equal(eid_lds_dg1_parse_mrz(f.data, f.len, &m), -EID_EPARSE);
	/* lower case, space, newline and NUL are not MRZ characters */
	memcpy(mrz, "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<"
		    "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<04", 89);
	for (size_t i = 0; i < 4; i++) {
		static const char badc[4] = { 'a', ' ', '\n', '\0' };

		mrz[10] = badc[i];
		eid_buf_reset(&f);
		assert_int_equal(eid_tlv_add(&f, 0x5F1F, mrz, 88), 0);
		wrap(&f, 0x61);
		assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
		assert_int_equal(g.mrz_len, 0);
	}
	/* wrong outer tag; 5F1F missing; 5F1F twice; trailing garbage */
	tu_read_vector("zi_Datagroup1.bin", &f);
	f.data[0] = 0x62;
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
	tu_unhex(&f, "61035F2000");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
	tu_read_vector("zi_Datagroup1.bin", &f);
	assert_int_equal(eid_buf_add(&f, "\x00", 1), 0);
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
	tu_unhex(&f, "61085F1F015A5F1F015A");
	assert_int_equal(eid_lds_dg1_parse(f.data, f.len, &g), -EID_EPARSE);
	eid_buf_free(&f);
}

/* ======================================================================
 * DG2
 * ====================================================================== */

struct fac {
	const char *version;   /* "010" */
	uint16_t nfaces;
	uint8_t data_type;     /* 0 JPEG, 1 JPEG 2000 */
	uint16_t width, height;
	const char *image;     /* hex */
	uint32_t face_len_plus;/* added to the true facial record data length */
	const char *tail;      /* hex appended after the faces */
};

/* An ISO/IEC 19794-5:2005 facial record with nfaces equal faces, each with
 * one feature point. */
static void build_fac(eid_buf *rec, const struct fac *p)
{
	eid_buf img = EID_BUF_INIT;
	size_t face_len, rec_len;

	tu_unhex(&img, p->image);
	face_len = 20 + 8 + 12 + img.len;
	rec_len = 14 + p->nfaces * face_len;
	eid_buf_reset(rec);
	assert_int_equal(eid_buf_add(rec, "FAC", 4), 0);
	assert_int_equal(eid_buf_add(rec, p->version, 4), 0);
	add_hex(rec, "00000000");
	rec->data[8] = (uint8_t)(rec_len >> 24), rec->data[9] = (uint8_t)(rec_len >> 16);
	rec->data[10] = (uint8_t)(rec_len >> 8), rec->data[11] = (uint8_t)rec_len;
	assert_int_equal(eid_buf_add_u16(rec, p->nfaces), 0);
	for (uint16_t i = 0; i < p->nfaces; i++) {
		uint32_t fl = (uint32_t)face_len + p->face_len_plus;

		assert_int_equal(eid_buf_add_u16(rec, (uint16_t)(fl >> 16)), 0);
		assert_int_equal(eid_buf_add_u16(rec, (uint16_t)fl), 0);
		/* 1 point, gender 2, eyes 3, hair 4, mask, expression, pose, uncertainty */
		add_hex(rec, "0001" "02" "03" "04" "000001" "0001" "000000" "000000");
		add_hex(rec, "0151" "0010" "0020" "0000"); /* feature point 5.1 at 16,32 */
		/* full frontal, data type, width, height, colour 01, source 02, device, quality */
		assert_int_equal(eid_buf_add_u8(rec, 1), 0);
		assert_int_equal(eid_buf_add_u8(rec, p->data_type), 0);
		assert_int_equal(eid_buf_add_u16(rec, p->width), 0);
		assert_int_equal(eid_buf_add_u16(rec, p->height), 0);
		add_hex(rec, "01" "02" "0000" "0000");
		assert_int_equal(eid_buf_add(rec, img.data, img.len), 0);
	}
	if (p->tail)
		add_hex(rec, p->tail);
	eid_buf_free(&img);
}

struct fidb {
	bool wrap_a1;          /* 7F2E { A1 { 65 ... } } rather than 7F2E { 65 } */
	const char *image;     /* hex */
	const char *format;    /* contents of imageDataFormat [0], e.g. "800103" */
	const char *size;      /* contents of imageSizeBlock [7]; NULL: absent */
};

/* An ISO/IEC 39794-5 FaceImageDataBlock per the ICAO profile. */
static void build_fidb(eid_buf *bdb, const struct fidb *p)
{
	size_t m65, mreps, mrep, mimg, mbase, m2d, minfo;

	eid_buf_reset(bdb);
	m65 = eid_tlv_begin(bdb, 0x65);
	add_tlv_hex(bdb, 0xA0, "800103" "810207E3");           /* generation 3, 2019 */
	mreps = eid_tlv_begin(bdb, 0xA1);
	mrep = eid_tlv_begin(bdb, 0x30);
	add_tlv_hex(bdb, 0x80, "00");                           /* representationId */
	mimg = eid_tlv_begin(bdb, 0xA1);                        /* imageRepresentation */
	mbase = eid_tlv_begin(bdb, 0xA0);                       /* base */
	m2d = eid_tlv_begin(bdb, 0xA0);                         /* 2D block */
	add_tlv_hex(bdb, 0x80, p->image);                       /* representationData2D */
	minfo = eid_tlv_begin(bdb, 0xA1);                       /* imageInformation2DBlock */
	add_tlv_hex(bdb, 0xA0, p->format);                      /* imageDataFormat */
	add_tlv_hex(bdb, 0xA1, "A103800100");                   /* faceImageKind2D: mrtd */
	if (p->size)
		add_tlv_hex(bdb, 0xA7, p->size);
	assert_int_equal(eid_tlv_end(bdb, minfo), 0);
	add_tlv_hex(bdb, 0xA2, "A003800101");                   /* captureDevice2DBlock */
	assert_int_equal(eid_tlv_end(bdb, m2d), 0);
	assert_int_equal(eid_tlv_end(bdb, mbase), 0);
	assert_int_equal(eid_tlv_end(bdb, mimg), 0);
	add_tlv_hex(bdb, 0xA2, "800207E9810107820117");       /* capture date 2025-07-23 */
	assert_int_equal(eid_tlv_end(bdb, mrep), 0);
	assert_int_equal(eid_tlv_end(bdb, mreps), 0);
	assert_int_equal(eid_tlv_end(bdb, m65), 0);
	if (p->wrap_a1)
		wrap(bdb, 0xA1);
}

#define BHT_FACE_19794 "80020101" "810102" "820100" "87020101" "88020008"
#define BHT_FACE_39794 "80020101" "810102" "87020101" "88020040"

/* 75 { 7F61 { 02 count, 7F60 { A1 bht, bdb_tag bdb } ... } } */
static void build_dg2(eid_buf *f, size_t count, size_t nbits, const char *const *bhts,
		      const uint32_t *bdb_tags, const eid_buf *bdbs)
{
	size_t m61, m60;
	uint8_t c = (uint8_t)count;

	eid_buf_reset(f);
	m61 = eid_tlv_begin(f, 0x7F61);
	assert_int_equal(eid_tlv_add(f, 0x02, &c, 1), 0);
	for (size_t i = 0; i < nbits; i++) {
		m60 = eid_tlv_begin(f, 0x7F60);
		add_tlv_hex(f, 0xA1, bhts[i]);
		assert_int_equal(eid_tlv_add(f, bdb_tags[i], bdbs[i].data, bdbs[i].len), 0);
		assert_int_equal(eid_tlv_end(f, m60), 0);
	}
	assert_int_equal(eid_tlv_end(f, m61), 0);
	wrap(f, 0x75);
}

static void build_dg2_one(eid_buf *f, uint32_t bdb_tag, const eid_buf *bdb)
{
	const char *bht = bdb_tag == 0x5F2E ? BHT_FACE_19794 : BHT_FACE_39794;

	build_dg2(f, 1, 1, &bht, &bdb_tag, bdb);
}

static const struct fac fac_jpeg = { "010", 1, 0, 4, 3, TINY_JPEG, 0, NULL };
static const struct fidb fidb_j2k = { true, TINY_J2K, "800103", "800104810103" };

static int dg2_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_dg2 *g = NULL;
	int r = eid_lds_dg2_parse(d, n, &g);

	if (r < 0 && g)
		return 0; /* an error must leave nothing behind */
	eid_lds_dg2_free(g);
	return r;
}

static int dg2_parse_fac(const struct fac *p, struct eid_lds_dg2 **g)
{
	eid_buf rec = EID_BUF_INIT, f = EID_BUF_INIT;
	int r;

	build_fac(&rec, p);
	build_dg2_one(&f, 0x5F2E, &rec);
	r = eid_lds_dg2_parse(f.data, f.len, g);
	eid_buf_free(&rec);
	eid_buf_free(&f);
	return r;
}

static int dg2_parse_fidb(const struct fidb *p, struct eid_lds_dg2 **g)
{
	eid_buf bdb = EID_BUF_INIT, f = EID_BUF_INIT;
	int r;

	build_fidb(&bdb, p);
	build_dg2_one(&f, 0x7F2E, &bdb);
	r = eid_lds_dg2_parse(f.data, f.len, g);
	eid_buf_free(&bdb);
	eid_buf_free(&f);
	return r;
}

static void dg2_iso19794_jpeg_face_gives_every_field(void **state)
{
	eid_buf rec = EID_BUF_INIT, f = EID_BUF_INIT;
	struct eid_lds_dg2 *g = NULL;
	const struct eid_lds_face *face;

	(void)state;
	build_fac(&rec, &fac_jpeg);
	build_dg2_one(&f, 0x5F2E, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), 0);
	assert_int_equal(g->n, 1);
	face = &g->faces[0];
	assert_int_equal(face->encoding, EID_LDS_ISO19794);
	assert_int_equal(face->format_owner, 0x0101);
	assert_int_equal(face->format_type, 0x0008);
	assert_int_equal(face->image_type, EID_LDS_IMAGE_JPEG);
	assert_string_equal(face->mime, "image/jpeg");
	assert_int_equal(face->width, 4);
	assert_int_equal(face->height, 3);
	assert_hex(face->image.data, face->image.len, TINY_JPEG);
	assert_true(face->image.secret);
	assert_int_equal(face->face_image_type, 1);
	assert_int_equal(face->gender, 2);
	assert_int_equal(face->eye_colour, 3);
	assert_int_equal(face->hair_colour, 4);
	assert_int_equal(face->colour_space, 1);
	assert_int_equal(face->source_type, 2);
	assert_int_equal(face->n_feature_points, 1);
	assert_int_equal(face->version_generation, 0);
	assert_int_equal(face->version_year, 0);
	eid_lds_dg2_free(g);
	eid_lds_dg2_free(NULL);
	assert_every_prefix_fails(&f, dg2_parse);
	eid_buf_free(&rec);
	eid_buf_free(&f);
}

static void dg2_iso19794_jpeg2000_record_with_two_faces(void **state)
{
	struct fac p = { "010", 2, 1, 4, 3, TINY_J2K, 0, NULL };
	struct eid_lds_dg2 *g = NULL;

	(void)state;
	assert_int_equal(dg2_parse_fac(&p, &g), 0);
	assert_int_equal(g->n, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(g->faces[i].image_type, EID_LDS_IMAGE_J2K);
		assert_string_equal(g->faces[i].mime, "image/jp2");
		assert_int_equal(g->faces[i].width, 4);
		assert_int_equal(g->faces[i].height, 3);
		assert_hex(g->faces[i].image.data, g->faces[i].image.len, TINY_J2K);
	}
	eid_lds_dg2_free(g);

	/* at most EID_LDS_MAX_FACES faces */
	p.nfaces = EID_LDS_MAX_FACES + 1;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_ETOOBIG);
	assert_null(g);
	p.nfaces = EID_LDS_MAX_FACES;
	assert_int_equal(dg2_parse_fac(&p, &g), 0);
	assert_int_equal(g->n, EID_LDS_MAX_FACES);
	eid_lds_dg2_free(g);

	/* the JPEG 2000 file format (JP2 signature box) too */
	p.nfaces = 1;
	p.image = TINY_JP2;
	assert_int_equal(dg2_parse_fac(&p, &g), 0);
	assert_int_equal(g->faces[0].image_type, EID_LDS_IMAGE_JP2);
	assert_string_equal(g->faces[0].mime, "image/jp2");
	assert_hex(g->faces[0].image.data, g->faces[0].image.len, TINY_JP2);
	eid_lds_dg2_free(g);
}

static void dg2_iso39794_jpeg2000_face_gives_every_field(void **state)
{
	eid_buf bdb = EID_BUF_INIT, f = EID_BUF_INIT;
	struct eid_lds_dg2 *g = NULL;
	const struct eid_lds_face *face;

	(void)state;
	build_fidb(&bdb, &fidb_j2k);
	build_dg2_one(&f, 0x7F2E, &bdb);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), 0);
	assert_int_equal(g->n, 1);
	face = &g->faces[0];
	assert_int_equal(face->encoding, EID_LDS_ISO39794);
	assert_int_equal(face->format_owner, 0x0101);
	assert_int_equal(face->format_type, 0x0040);
	assert_int_equal(face->image_type, EID_LDS_IMAGE_J2K);
	assert_string_equal(face->mime, "image/jp2");
	assert_int_equal(face->width, 4);
	assert_int_equal(face->height, 3);
	assert_hex(face->image.data, face->image.len, TINY_J2K);
	assert_int_equal(face->version_generation, 3);
	assert_int_equal(face->version_year, 2019);
	assert_int_equal(face->face_image_type, -1);
	assert_int_equal(face->gender, -1);
	assert_int_equal(face->n_feature_points, -1);
	eid_lds_dg2_free(g);
	assert_every_prefix_fails(&f, dg2_parse);
	eid_buf_free(&bdb);
	eid_buf_free(&f);
}

static void dg2_iso39794_variants_jpeg_bare_block_and_no_size(void **state)
{
	struct fidb p = { false, TINY_JPEG, "800102", NULL };
	struct eid_lds_dg2 *g = NULL;

	(void)state;
	/* 7F2E { 65 ... } without the A1 wrapper, JPEG, no imageSizeBlock */
	assert_int_equal(dg2_parse_fidb(&p, &g), 0);
	assert_int_equal(g->faces[0].image_type, EID_LDS_IMAGE_JPEG);
	assert_string_equal(g->faces[0].mime, "image/jpeg");
	assert_int_equal(g->faces[0].width, 0);
	assert_int_equal(g->faces[0].height, 0);
	assert_hex(g->faces[0].image.data, g->faces[0].image.len, TINY_JPEG);
	eid_lds_dg2_free(g);
	/* jpeg2000Lossless (4), sizes needing a leading zero byte */
	p.image = TINY_J2K;
	p.format = "800104";
	p.size = "80020280" "81020100"; /* 640 x 256 */
	assert_int_equal(dg2_parse_fidb(&p, &g), 0);
	assert_int_equal(g->faces[0].image_type, EID_LDS_IMAGE_J2K);
	assert_int_equal(g->faces[0].width, 640);
	assert_int_equal(g->faces[0].height, 256);
	eid_lds_dg2_free(g);
}

static void dg2_two_templates_one_of_each_encoding(void **state)
{
	static const char *const bhts[2] = { BHT_FACE_19794, BHT_FACE_39794 };
	static const uint32_t tags[2] = { 0x5F2E, 0x7F2E };
	eid_buf bdbs[2] = { EID_BUF_INIT, EID_BUF_INIT }, f = EID_BUF_INIT;
	struct eid_lds_dg2 *g = NULL;

	(void)state;
	build_fac(&bdbs[0], &fac_jpeg);
	build_fidb(&bdbs[1], &fidb_j2k);
	build_dg2(&f, 2, 2, bhts, tags, bdbs);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), 0);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->faces[0].encoding, EID_LDS_ISO19794);
	assert_int_equal(g->faces[0].format_type, 0x0008);
	assert_hex(g->faces[0].image.data, g->faces[0].image.len, TINY_JPEG);
	assert_int_equal(g->faces[1].encoding, EID_LDS_ISO39794);
	assert_int_equal(g->faces[1].format_type, 0x0040);
	assert_hex(g->faces[1].image.data, g->faces[1].image.len, TINY_J2K);
	eid_lds_dg2_free(g);
	g = NULL;
	/* the count must match the templates */
	build_dg2(&f, 1, 2, bhts, tags, bdbs);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	build_dg2(&f, 3, 2, bhts, tags, bdbs);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	build_dg2(&f, 0, 0, bhts, tags, bdbs);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	assert_null(g);
	eid_buf_free(&bdbs[0]);
	eid_buf_free(&bdbs[1]);
	eid_buf_free(&f);
}

static void dg2_image_must_match_its_declared_type(void **state)
{
	struct fac p = fac_jpeg;
	struct fidb q = fidb_j2k;
	struct eid_lds_dg2 *g = NULL;

	(void)state;
	p.image = TINY_J2K; /* declared JPEG, is JPEG 2000 */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.data_type = 1, p.image = TINY_JPEG; /* declared JPEG 2000, is JPEG */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.data_type = 0, p.image = "89504E470D0A1A0A0000000D49484452"; /* PNG */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.image = "FFD8"; /* too short for the JPEG magic */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.image = ""; /* no image at all */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	q.format = "800102"; /* declared JPEG, is JPEG 2000 */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	q.format = "800103", q.image = "0000000C6A502020"; /* JP2 box cut short */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	assert_null(g);
}

static void dg2_rejects_absurd_image_sizes(void **state)
{
	struct fac p = fac_jpeg;
	struct fidb q = fidb_j2k;
	struct eid_lds_dg2 *g = NULL;

	(void)state;
	p.width = 0;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.width = 4, p.height = 0;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.height = 0xFFFF;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.height = EID_LDS_MAX_IMAGE_DIM + 1;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.height = EID_LDS_MAX_IMAGE_DIM;
	assert_int_equal(dg2_parse_fac(&p, &g), 0);
	assert_int_equal(g->faces[0].height, EID_LDS_MAX_IMAGE_DIM);
	eid_lds_dg2_free(g);
	g = NULL;
	q.size = "800100810103";                 /* width 0 */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	q.size = "80030111708101 03";            /* width 70000 */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	q.size = "8001FF810103";                 /* width negative */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	q.size = "80020004810103";               /* non-minimal INTEGER */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	q.size = "800104";                       /* height missing */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_EPARSE);
	assert_null(g);
}

static void dg2_rejects_lengths_beyond_their_container(void **state)
{
	struct fac p = fac_jpeg;
	eid_buf rec = EID_BUF_INIT, f = EID_BUF_INIT;
	struct eid_lds_dg2 *g = NULL;
	size_t m61, m60;

	(void)state;
	/* facial record data length one byte past the record, or absurd */
	p.face_len_plus = 1;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.face_len_plus = 0x7FFFFFFF;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	p.face_len_plus = (uint32_t)-1; /* one byte short: the image loses its last byte */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE); /* a byte is left over */
	/* bytes after the last face */
	p.face_len_plus = 0, p.tail = "00";
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_EPARSE);
	/* more faces announced than present */
	p.tail = NULL;
	build_fac(&rec, &p);
	rec.data[13] = 2;
	build_dg2_one(&f, 0x5F2E, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* record length longer than the BDB, or shorter than its header; a
	 * record length 8 bytes short (seen on real passports) is tolerated */
	build_fac(&rec, &p);
	rec.data[11] = (uint8_t)(rec.data[11] + 1);
	build_dg2_one(&f, 0x5F2E, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	rec.data[8] = rec.data[9] = rec.data[10] = 0, rec.data[11] = 13;
	build_dg2_one(&f, 0x5F2E, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	build_fac(&rec, &p);
	rec.data[11] = (uint8_t)(rec.data[11] - 8);
	build_dg2_one(&f, 0x5F2E, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), 0);
	eid_lds_dg2_free(g);
	g = NULL;

	/* 5F2E whose length runs past the end of the file (containers sized to
	 * what is really there) */
	build_fac(&rec, &fac_jpeg);
	eid_buf_reset(&f);
	m61 = eid_tlv_begin(&f, 0x7F61);
	add_hex(&f, "020101");
	m60 = eid_tlv_begin(&f, 0x7F60);
	add_tlv_hex(&f, 0xA1, BHT_FACE_19794);
	assert_int_equal(eid_tlv_add_tag(&f, 0x5F2E), 0);
	assert_int_equal(eid_tlv_add_len(&f, rec.len + 10), 0);
	assert_int_equal(eid_buf_add(&f, rec.data, rec.len), 0);
	assert_int_equal(eid_tlv_end(&f, m60), 0);
	assert_int_equal(eid_tlv_end(&f, m61), 0);
	wrap(&f, 0x75);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* the outer 75 claiming more than the file */
	build_dg2_one(&f, 0x5F2E, &rec);
	f.data[3]++;
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	assert_null(g);
	eid_buf_free(&rec);
	eid_buf_free(&f);
}

static void dg2_rejects_wrong_tags_and_structure(void **state)
{
	eid_buf rec = EID_BUF_INIT, f = EID_BUF_INIT, bdbs[2] = { EID_BUF_INIT, EID_BUF_INIT };
	struct eid_lds_dg2 *g = NULL;
	static const uint32_t both[2] = { 0x5F2E, 0x7F2E };
	const char *bht;
	uint32_t tag;

	(void)state;
	build_fac(&rec, &fac_jpeg);
	/* wrong outer tag, trailing garbage */
	build_dg2_one(&f, 0x5F2E, &rec);
	f.data[0] = 0x76;
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	build_dg2_one(&f, 0x5F2E, &rec);
	add_hex(&f, "9000");
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* no 7F61 */
	tu_unhex(&f, "75035F0100");
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* BHT without format owner / type */
	bht = "810102" "88020008";
	tag = 0x5F2E;
	build_dg2(&f, 1, 1, &bht, &tag, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	bht = "87020101";
	build_dg2(&f, 1, 1, &bht, &tag, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* a BDB of neither kind */
	tag = 0x5F2F;
	bht = BHT_FACE_19794;
	build_dg2(&f, 1, 1, &bht, &tag, &rec);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* both kinds in one template */
	build_fac(&bdbs[0], &fac_jpeg);
	build_fidb(&bdbs[1], &fidb_j2k);
	eid_buf_reset(&f);
	add_tlv_hex(&f, 0xA1, BHT_FACE_19794);
	for (int i = 0; i < 2; i++)
		assert_int_equal(eid_tlv_add(&f, both[i], bdbs[i].data, bdbs[i].len), 0);
	wrap(&f, 0x7F60);
	{
		eid_buf t = EID_BUF_INIT;

		add_hex(&t, "020101");
		assert_int_equal(eid_buf_add(&t, f.data, f.len), 0);
		wrap(&t, 0x7F61);
		wrap(&t, 0x75);
		assert_int_equal(eid_lds_dg2_parse(t.data, t.len, &g), -EID_EPARSE);
		eid_buf_free(&t);
	}
	/* 39794: not a FaceImageDataBlock (65) inside */
	tu_unhex(&bdbs[1], "A103660100");
	tag = 0x7F2E;
	bht = BHT_FACE_39794;
	build_dg2(&f, 1, 1, &bht, &tag, &bdbs[1]);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	/* 39794: no representation blocks */
	tu_unhex(&bdbs[1], "A10C650AA006800103810113A100");
	build_dg2(&f, 1, 1, &bht, &tag, &bdbs[1]);
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_EPARSE);
	assert_null(g);
	eid_buf_free(&bdbs[0]);
	eid_buf_free(&bdbs[1]);
	eid_buf_free(&rec);
	eid_buf_free(&f);
}

static void dg2_unsupported_records_are_enotsup(void **state)
{
	struct fac p = fac_jpeg;
	struct fidb q = fidb_j2k;
	struct eid_lds_dg2 *g = NULL;
	eid_buf f = EID_BUF_INIT;

	(void)state;
	p.version = "030"; /* ISO/IEC 19794-5:2011 */
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_ENOTSUP);
	p.version = "010", p.data_type = 2;
	assert_int_equal(dg2_parse_fac(&p, &g), -EID_ENOTSUP);
	q.format = "800100"; /* unknown format code */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_ENOTSUP);
	q.format = "A100"; /* extension block */
	assert_int_equal(dg2_parse_fidb(&q, &g), -EID_ENOTSUP);
	/* secure-messaging protected template 7D */
	tu_unhex(&f, "750B" "7F6108" "020101" "7F6002" "7D00");
	assert_int_equal(eid_lds_dg2_parse(f.data, f.len, &g), -EID_ENOTSUP);
	assert_null(g);
	eid_buf_free(&f);
}

static void image_detect_recognises_the_three_magics(void **state)
{
	eid_buf b = EID_BUF_INIT;

	(void)state;
	tu_unhex(&b, TINY_JPEG);
	assert_int_equal(eid_lds_image_detect(b.data, b.len), EID_LDS_IMAGE_JPEG);
	tu_unhex(&b, TINY_J2K);
	assert_int_equal(eid_lds_image_detect(b.data, b.len), EID_LDS_IMAGE_J2K);
	tu_unhex(&b, TINY_JP2);
	assert_int_equal(eid_lds_image_detect(b.data, b.len), EID_LDS_IMAGE_JP2);
	assert_int_equal(eid_lds_image_detect(b.data, 11), 0);
	tu_unhex(&b, "FFD8FE");
	assert_int_equal(eid_lds_image_detect(b.data, b.len), 0);
	assert_int_equal(eid_lds_image_detect(NULL, 0), 0);
	assert_string_equal(eid_lds_image_mime(EID_LDS_IMAGE_JPEG), "image/jpeg");
	assert_string_equal(eid_lds_image_mime(EID_LDS_IMAGE_JP2), "image/jp2");
	assert_string_equal(eid_lds_image_mime(EID_LDS_IMAGE_J2K), "image/jp2");
	assert_null(eid_lds_image_mime(0));
	eid_buf_free(&b);
}

/* ======================================================================
 * DG11
 * ====================================================================== */

/* "MÜLLER<<JÖRG<PETER" etc. in UTF-8 */
#define U_UE "\xC3\x9C"
#define U_OE "\xC3\x96"

static void build_dg11_full(eid_buf *f, const char *dob_hex)
{
	size_t m;

	eid_buf_reset(f);
	add_tlv_hex(f, 0x5C, "5F0E5F0F5F105F2B5F115F425F125F135F145F155F165F175F18");
	add_tlv_str(f, 0x5F0E, "M" U_UE "LLER<<J" U_OE "RG<PETER");
	m = eid_tlv_begin(f, 0xA0);
	add_hex(f, "020102");
	add_tlv_str(f, 0x5F0F, "SCHMIDT<<J" U_OE "RG");
	add_tlv_str(f, 0x5F0F, "<<NEMO<");
	assert_int_equal(eid_tlv_end(f, m), 0);
	add_tlv_str(f, 0x5F10, "123456789");
	add_tlv_hex(f, 0x5F2B, dob_hex);
	add_tlv_str(f, 0x5F11, "K" U_OE "LN<DEUTSCHLAND");
	add_tlv_str(f, 0x5F42, "HEIDESTRASSE 17<K" U_OE "LN<51147<D");
	add_tlv_str(f, 0x5F12, "+49 221 1234567");
	add_tlv_str(f, 0x5F13, "ENGINEER");
	add_tlv_str(f, 0x5F14, "DR.");
	add_tlv_str(f, 0x5F15, "NONE\nREALLY");
	add_tlv_hex(f, 0x5F16, TINY_JPEG);
	add_tlv_str(f, 0x5F7F, "unknown tags are skipped");
	add_tlv_str(f, 0x5F17, "C01X00T47<C01X00T48");
	add_tlv_str(f, 0x5F18, "NO CUSTODY");
	wrap(f, 0x6B);
}

static int dg11_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_dg11 *g = NULL;
	int r = eid_lds_dg11_parse(d, n, &g);

	if (r < 0 && g)
		return 0;
	eid_lds_dg11_free(g);
	return r;
}

static void dg11_every_field_is_parsed(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg11 *g = NULL;
	static const uint32_t tags[13] = { 0x5F0E, 0x5F0F, 0x5F10, 0x5F2B, 0x5F11, 0x5F42, 0x5F12,
					   0x5F13, 0x5F14, 0x5F15, 0x5F16, 0x5F17, 0x5F18 };

	(void)state;
	build_dg11_full(&f, "3139363430383132");
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), 0);
	assert_int_equal(g->n_tag_list, 13);
	for (size_t i = 0; i < 13; i++)
		assert_int_equal(g->tag_list[i], tags[i]);
	assert_string_equal(g->full_name, "M" U_UE "LLER J" U_OE "RG PETER");
	assert_string_equal(g->full_name_primary, "M" U_UE "LLER");
	assert_string_equal(g->full_name_secondary, "J" U_OE "RG PETER");
	assert_int_equal(g->n_other_names, 2);
	assert_string_equal(g->other_names[0], "SCHMIDT J" U_OE "RG");
	assert_string_equal(g->other_names[1], "NEMO");
	assert_string_equal(g->personal_number, "123456789");
	assert_string_equal(g->date_of_birth, "19640812");
	assert_string_equal(g->place_of_birth, "K" U_OE "LN<DEUTSCHLAND");
	assert_string_equal(g->address, "HEIDESTRASSE 17<K" U_OE "LN<51147<D");
	assert_string_equal(g->telephone, "+49 221 1234567");
	assert_string_equal(g->profession, "ENGINEER");
	assert_string_equal(g->title, "DR.");
	assert_string_equal(g->personal_summary, "NONE\nREALLY");
	assert_hex(g->proof_of_citizenship.data, g->proof_of_citizenship.len, TINY_JPEG);
	assert_true(g->proof_of_citizenship.secret);
	assert_string_equal(g->other_td_numbers, "C01X00T47<C01X00T48");
	assert_string_equal(g->custody_info, "NO CUSTODY");
	eid_lds_dg11_free(g);
	eid_lds_dg11_free(NULL);
	assert_every_prefix_fails(&f, dg11_parse);
	eid_buf_free(&f);
}

static void dg11_bcd_date_and_minimal_file(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg11 *g = NULL;

	(void)state;
	/* date of birth as 4 BCD bytes */
	build_dg11_full(&f, "19640812");
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), 0);
	assert_string_equal(g->date_of_birth, "19640812");
	eid_lds_dg11_free(g);
	/* only the tag list and a name without "<<" */
	tu_unhex(&f, "6B0E" "5C025F0E" "5F0E07" "3C4E454D4F3C58");
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), 0);
	assert_string_equal(g->full_name, "NEMO X");
	assert_string_equal(g->full_name_primary, "NEMO X");
	assert_string_equal(g->full_name_secondary, "");
	assert_null(g->other_names);
	assert_int_equal(g->n_other_names, 0);
	assert_null(g->personal_number);
	assert_string_equal(g->date_of_birth, "");
	assert_int_equal(g->proof_of_citizenship.len, 0);
	eid_lds_dg11_free(g);
	eid_buf_free(&f);
}

static void dg11_rejects_invalid_utf8_and_control_characters(void **state)
{
	static const char *const bad_names[] = {
		"4DC328",          /* C3 followed by a non-continuation byte */
		"4DC3",            /* sequence cut at the end */
		"C0AF",            /* overlong '/' */
		"E080AF",          /* overlong 3-byte */
		"EDA080",          /* UTF-16 surrogate */
		"F4908080",        /* above U+10FFFF */
		"F880808080",      /* 5-byte form */
		"80",              /* lone continuation byte */
		"4D004D",          /* NUL */
		"4D1B5B324A",      /* ESC [2J */
		"4DC29B",          /* C1 control CSI */
		"4D7F",            /* DEL */
	};
	eid_buf f = EID_BUF_INIT, v = EID_BUF_INIT;
	struct eid_lds_dg11 *g = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		tu_unhex(&v, bad_names[i]);
		eid_buf_reset(&f);
		add_tlv_hex(&f, 0x5C, "5F0E");
		assert_int_equal(eid_tlv_add(&f, 0x5F0E, v.data, v.len), 0);
		wrap(&f, 0x6B);
		if (eid_lds_dg11_parse(f.data, f.len, &g) != -EID_EPARSE)
			fail_msg("bad UTF-8 #%zu (%s) not rejected", i, bad_names[i]);
		assert_null(g);
		/* the same bytes in an other name */
		eid_buf_reset(&f);
		add_tlv_hex(&f, 0x5C, "5F0F");
		add_hex(&f, "A0");
		assert_int_equal(eid_tlv_add_len(&f, 3 + 2 + 1 + v.len), 0);
		add_hex(&f, "020101");
		assert_int_equal(eid_tlv_add(&f, 0x5F0F, v.data, v.len), 0);
		wrap(&f, 0x6B);
		assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), -EID_EPARSE);
	}
	/* 4-byte UTF-8 and TAB are fine */
	tu_unhex(&f, "6B0E5C025F0E5F0E07F09F98800941" "42");
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), 0);
	assert_string_equal(g->full_name, "\xF0\x9F\x98\x80\tAB");
	eid_lds_dg11_free(g);
	eid_buf_free(&v);
	eid_buf_free(&f);
}

static void dg11_rejects_malformed_files(void **state)
{
	static const char *const bad[] = {
		/* tag list missing */
		"6B065F1003313233",
		/* personal number twice */
		"6B0C5C025F105F1001315F100132",
		/* wrong outer tag */
		"6C045C025F10",
		/* trailing garbage after 6B */
		"6B045C025F1000",
		/* date of birth not digits / wrong length / bad BCD */
		"6B0F5C025F2B5F2B083139363430383158",
		"6B0E5C025F2B5F2B0731393634303831",
		"6B0B5C025F2B5F2B041964081A",
		"6B105C025F2B5F2B09313936343038313230",
		/* other names: count 2, one name */
		"6B0E5C025F0FA0080201025F0F024142",
		/* other names: count 1, two names */
		"6B125C025F0FA00C0201015F0F0241425F0F0143",
		/* other names: no count */
		"6B0B5C025F0FA0055F0F024142",
		/* other names: absurd count */
		"6B0C5C025F0FA006020401000000",
		/* malformed tag list (tag cut) */
		"6B035C015F",
		/* element length beyond 6B */
		"6B075C025F105F1005",
	};
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg11 *g = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_unhex(&f, bad[i]);
		int r = eid_lds_dg11_parse(f.data, f.len, &g);

		if (r != -EID_EPARSE && r != -EID_ETOOBIG)
			fail_msg("bad DG11 #%zu accepted (%d)", i, r);
		assert_null(g);
	}
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, NULL), -EID_EINVAL);
	eid_buf_free(&f);
}

static void dg11_bounds_text_and_name_counts(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg11 *g = NULL;
	char *big = malloc(EID_LDS_MAX_TEXT + 2);
	size_t m;

	(void)state;
	assert_non_null(big);
	memset(big, 'A', EID_LDS_MAX_TEXT + 1);
	big[EID_LDS_MAX_TEXT + 1] = '\0';
	eid_buf_reset(&f);
	add_tlv_hex(&f, 0x5C, "5F13");
	add_tlv_str(&f, 0x5F13, big);
	wrap(&f, 0x6B);
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), -EID_ETOOBIG);
	big[EID_LDS_MAX_TEXT] = '\0';
	eid_buf_reset(&f);
	add_tlv_hex(&f, 0x5C, "5F13");
	add_tlv_str(&f, 0x5F13, big);
	wrap(&f, 0x6B);
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), 0);
	assert_int_equal(strlen(g->profession), EID_LDS_MAX_TEXT);
	eid_lds_dg11_free(g);
	g = NULL;
	/* 33 other names */
	eid_buf_reset(&f);
	add_tlv_hex(&f, 0x5C, "5F0F");
	m = eid_tlv_begin(&f, 0xA0);
	add_hex(&f, "020121");
	for (int i = 0; i < 33; i++)
		add_tlv_str(&f, 0x5F0F, "A");
	assert_int_equal(eid_tlv_end(&f, m), 0);
	wrap(&f, 0x6B);
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), -EID_ETOOBIG);
	/* 33 entries in a tag list */
	eid_buf_reset(&f);
	m = eid_tlv_begin(&f, 0x5C);
	for (int i = 0; i < 33; i++)
		add_hex(&f, "5F10");
	assert_int_equal(eid_tlv_end(&f, m), 0);
	wrap(&f, 0x6B);
	assert_int_equal(eid_lds_dg11_parse(f.data, f.len, &g), -EID_ETOOBIG);
	assert_null(g);
	free(big);
	eid_buf_free(&f);
}

/* ======================================================================
 * DG12
 * ====================================================================== */

static void build_dg12_full(eid_buf *f, const char *time_hex)
{
	size_t m;

	eid_buf_reset(f);
	add_tlv_hex(f, 0x5C, "5F195F265F1A5F1B5F1C5F1D5F1E5F555F56");
	add_tlv_str(f, 0x5F19, "STADT K" U_OE "LN");
	add_tlv_str(f, 0x5F26, "20100930");
	m = eid_tlv_begin(f, 0xA0);
	add_hex(f, "020101");
	add_tlv_str(f, 0x5F1A, "MUSTERMANN<<ANNA<<");
	assert_int_equal(eid_tlv_end(f, m), 0);
	add_tlv_str(f, 0x5F1B, "VALID FOR ALL COUNTRIES");
	add_tlv_str(f, 0x5F1C, "NO EXIT RESTRICTIONS");
	add_tlv_hex(f, 0x5F1D, TINY_JPEG);
	add_tlv_hex(f, 0x5F1E, TINY_J2K);
	add_tlv_hex(f, 0x5F55, time_hex);
	add_tlv_str(f, 0x5F56, "SN-4711");
	wrap(f, 0x6C);
}

static int dg12_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_dg12 *g = NULL;
	int r = eid_lds_dg12_parse(d, n, &g);

	if (r < 0 && g)
		return 0;
	eid_lds_dg12_free(g);
	return r;
}

static void dg12_every_field_is_parsed(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg12 *g = NULL;
	static const uint32_t tags[9] = { 0x5F19, 0x5F26, 0x5F1A, 0x5F1B, 0x5F1C,
					  0x5F1D, 0x5F1E, 0x5F55, 0x5F56 };

	(void)state;
	build_dg12_full(&f, "3230313030393239313433303135");
	assert_int_equal(eid_lds_dg12_parse(f.data, f.len, &g), 0);
	assert_int_equal(g->n_tag_list, 9);
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(g->tag_list[i], tags[i]);
	assert_string_equal(g->issuing_authority, "STADT K" U_OE "LN");
	assert_string_equal(g->date_of_issue, "20100930");
	assert_int_equal(g->n_other_persons, 1);
	assert_string_equal(g->other_persons[0], "MUSTERMANN ANNA");
	assert_string_equal(g->endorsements, "VALID FOR ALL COUNTRIES");
	assert_string_equal(g->tax_exit, "NO EXIT RESTRICTIONS");
	assert_hex(g->image_front.data, g->image_front.len, TINY_JPEG);
	assert_hex(g->image_rear.data, g->image_rear.len, TINY_J2K);
	assert_true(g->image_front.secret);
	assert_true(g->image_rear.secret);
	assert_int_equal(eid_lds_image_detect(g->image_rear.data, g->image_rear.len),
			 EID_LDS_IMAGE_J2K);
	assert_string_equal(g->personalisation_time, "20100929143015");
	assert_string_equal(g->personaliser_serial, "SN-4711");
	eid_lds_dg12_free(g);
	eid_lds_dg12_free(NULL);
	assert_every_prefix_fails(&f, dg12_parse);

	/* personalisation time as 7 BCD bytes */
	build_dg12_full(&f, "20100929143015");
	assert_int_equal(eid_lds_dg12_parse(f.data, f.len, &g), 0);
	assert_string_equal(g->personalisation_time, "20100929143015");
	eid_lds_dg12_free(g);
	eid_buf_free(&f);
}

static void dg12_rejects_bad_text_dates_and_structure(void **state)
{
	static const char *const bad[] = {
		/* issuing authority with invalid UTF-8 */
		"6C0A5C025F195F1903C3284D",
		/* date of issue with a letter */
		"6C0F5C025F265F2608323031303039334F",
		/* personalisation time of 13 digits */
		"6C145C025F555F550D32303130303932393134333031",
		/* other persons count 2, one person */
		"6C0E5C025F1AA0080201025F1A024142",
		/* other persons' entries under the wrong tag only (count 1) */
		"6C0E5C025F1AA0080201015F0F024142",
		/* tag list missing */
		"6C065F5603534E31",
		/* endorsements twice */
		"6C0C5C025F1B5F1B01415F1B0142",
		/* wrong outer tag */
		"6B045C025F1B",
		/* trailing garbage */
		"6C045C025F1BFF",
	};
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg12 *g = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_unhex(&f, bad[i]);
		if (eid_lds_dg12_parse(f.data, f.len, &g) != -EID_EPARSE)
			fail_msg("bad DG12 #%zu not rejected", i);
		assert_null(g);
	}
	assert_int_equal(eid_lds_dg12_parse(f.data, f.len, NULL), -EID_EINVAL);
	eid_buf_free(&f);
}

/* ======================================================================
 * DG14
 * ====================================================================== */

static int dg14_parse(const uint8_t *d, size_t n)
{
	eid_cbs set;

	return eid_lds_dg14_unwrap(d, n, &set);
}

static void dg14_bsi_specimen_unwraps_to_its_security_infos(void **state)
{
	eid_buf f = EID_BUF_INIT;
	eid_cbs set;

	(void)state;
	tu_read_vector("zi_Datagroup14.bin", &f);
	assert_int_equal(f.len, 334);
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, &set), 0);
	/* the SET element: everything after 6E 82 01 4A */
	assert_ptr_equal(eid_cbs_data(&set), f.data + 4);
	assert_int_equal(eid_cbs_len(&set), 330);
	assert_hex(eid_cbs_data(&set), 16, "3182014630820122060904007F000702");
	assert_hex(eid_cbs_data(&set) + 315, 15, "300D060804007F0007020202020101");
	assert_every_prefix_fails(&f, dg14_parse);

	/* wrong outer tag; SET followed by another element; not a SET */
	f.data[0] = 0x6F;
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, &set), -EID_EPARSE);
	tu_unhex(&f, "6E0431003000");
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, &set), -EID_EPARSE);
	tu_unhex(&f, "6E023000");
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, &set), -EID_EPARSE);
	tu_unhex(&f, "6E023100");
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, &set), 0);
	assert_int_equal(eid_cbs_len(&set), 2);
	assert_int_equal(eid_lds_dg14_unwrap(f.data, f.len, NULL), -EID_EINVAL);
	eid_buf_free(&f);
}

/* ======================================================================
 * DG15
 * ====================================================================== */

#define EC_P256_SPKI                                                                     \
	"3059301306072a8648ce3d020106082a8648ce3d0301070342000443cee95f109b2b5736c35c12a36b" \
	"3d772025a147970a89825a2198cf9ca896c4dad418cb71cf3bd3b26124c5e881521d1e4dda48d8b7f3" \
	"4fc323b1a3edd99c48"

static int dg15_parse(const uint8_t *d, size_t n)
{
	struct eid_lds_dg15 k;
	int r = eid_lds_dg15_parse(d, n, &k);

	eid_lds_dg15_clear(&k);
	return r;
}

static void dg15_bsi_specimen_is_rsa_1024(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg15 k;

	(void)state;
	tu_read_vector("zi_Datagroup15.bin", &f);
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), 0);
	assert_int_equal(k.key_type, EID_LDS_KEY_RSA);
	assert_int_equal(k.bits, 1024);
	assert_hex(k.spki.data, k.spki.len,
		   "30819F300D06092A864886F70D010101050003818D0030818902818100"
		   "8130E120BB785A45D8D87E6F1A89EF4C6B655A555F58887DC6F78C293E71B028"
		   "621B464C7B3123DF8896449ACB2A6E0219B7A43141BA617AE0E94CB5372EB6D9"
		   "64A1DBF2A43BD0CE659E962AC2CE9CEDF681CA1E3C74EA23C62D9ABFB81371D2"
		   "602E39162EB578F9DED459C758EFD6A27A755B8C0E0E31E040D4D37A27693909"
		   "0203010001");
	eid_lds_dg15_clear(&k);
	assert_int_equal(k.spki.len, 0);
	assert_null(k.spki.data);
	eid_lds_dg15_clear(NULL);
	assert_every_prefix_fails(&f, dg15_parse);
	eid_buf_free(&f);
}

static void dg15_ec_key_and_rejected_keys(void **state)
{
	eid_buf f = EID_BUF_INIT;
	struct eid_lds_dg15 k;

	(void)state;
	tu_unhex(&f, "6F5B" EC_P256_SPKI);
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), 0);
	assert_int_equal(k.key_type, EID_LDS_KEY_EC);
	assert_int_equal(k.bits, 256);
	assert_hex(k.spki.data, k.spki.len, EC_P256_SPKI);
	eid_lds_dg15_clear(&k);
	assert_every_prefix_fails(&f, dg15_parse);

	/* point not on the curve (last byte changed) */
	f.data[f.len - 1] ^= 0x01;
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_EPARSE);
	assert_int_equal(k.spki.len, 0);
	/* Ed25519 is no Active Authentication key here */
	tu_unhex(&f, "6F2C302a300506032b6570032100f3a9e8573aea7211415f260d6ffd65c8e6942e4d11ae"
		     "e98313d32168f8e5b9d4");
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_ENOTSUP);
	/* SPKI followed by another element inside 6F */
	tu_unhex(&f, "6F5D" EC_P256_SPKI "0500");
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_EPARSE);
	/* trailing garbage after 6F */
	tu_unhex(&f, "6F5B" EC_P256_SPKI "00");
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_EPARSE);
	/* wrong outer tag */
	tu_unhex(&f, "6E5B" EC_P256_SPKI);
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_EPARSE);
	/* RSA OID on an EC key */
	tu_unhex(&f, "6F5D305B301506092A864886F70D01010106082a8648ce3d0301070342000443cee95f"
		     "109b2b5736c35c12a36b3d772025a147970a89825a2198cf9ca896c4dad418cb71cf3bd3"
		     "b26124c5e881521d1e4dda48d8b7f34fc323b1a3edd99c48");
	assert_int_equal(eid_lds_dg15_parse(f.data, f.len, &k), -EID_EPARSE);
	eid_buf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ef_table_gives_fid_and_sfi_of_every_file),
		cmocka_unit_test(ef_from_tag_maps_each_data_group_tag),
		cmocka_unit_test(com_bsi_specimen_lists_dg1_2_3_4_14),
		cmocka_unit_test(com_icao_d4_example_lists_dg1_and_dg2),
		cmocka_unit_test(com_counts_unknown_tags_and_skips_unknown_elements),
		cmocka_unit_test(com_rejects_malformed_files),
		cmocka_unit_test(dg1_bsi_specimen_gives_td3_mrz_in_two_lines),
		cmocka_unit_test(dg1_bsi_specimen_feeds_the_mrz_parser),
		cmocka_unit_test(dg1_td1_and_td2_are_split_into_their_lines),
		cmocka_unit_test(dg1_rejects_wrong_lengths_characters_and_tags),
		cmocka_unit_test(dg2_iso19794_jpeg_face_gives_every_field),
		cmocka_unit_test(dg2_iso19794_jpeg2000_record_with_two_faces),
		cmocka_unit_test(dg2_iso39794_jpeg2000_face_gives_every_field),
		cmocka_unit_test(dg2_iso39794_variants_jpeg_bare_block_and_no_size),
		cmocka_unit_test(dg2_two_templates_one_of_each_encoding),
		cmocka_unit_test(dg2_image_must_match_its_declared_type),
		cmocka_unit_test(dg2_rejects_absurd_image_sizes),
		cmocka_unit_test(dg2_rejects_lengths_beyond_their_container),
		cmocka_unit_test(dg2_rejects_wrong_tags_and_structure),
		cmocka_unit_test(dg2_unsupported_records_are_enotsup),
		cmocka_unit_test(image_detect_recognises_the_three_magics),
		cmocka_unit_test(dg11_every_field_is_parsed),
		cmocka_unit_test(dg11_bcd_date_and_minimal_file),
		cmocka_unit_test(dg11_rejects_invalid_utf8_and_control_characters),
		cmocka_unit_test(dg11_rejects_malformed_files),
		cmocka_unit_test(dg11_bounds_text_and_name_counts),
		cmocka_unit_test(dg12_every_field_is_parsed),
		cmocka_unit_test(dg12_rejects_bad_text_dates_and_structure),
		cmocka_unit_test(dg14_bsi_specimen_unwraps_to_its_security_infos),
		cmocka_unit_test(dg15_bsi_specimen_is_rsa_1024),
		cmocka_unit_test(dg15_ec_key_and_rejected_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
