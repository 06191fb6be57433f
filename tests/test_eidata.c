/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eID data groups (eid-datagroups.md section 4): the AusweisApp simulator
 * card's DG1..DG22, the PersoSim encoding variants (partial dates, places
 * without street, "no place" residence, foreign addresses), compressed Text
 * made here with zlib, and malformed files that must be refused without
 * touching the holder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zlib.h>

#include "eidata.h"
#include "tlv.h"
#include "crypto.h"
#include "testutil.h"

/* ---- helpers ---- */

static int decode_vector(const char *file, int dg, struct eid_holder *h)
{
	eid_buf b = EID_BUF_INIT;
	int r;

	tu_read_vector(file, &b);
	r = eid_eidata_decode(dg, b.data, b.len, h);
	eid_buf_free(&b);
	return r;
}

static int decode_hex(int dg, const char *hex, struct eid_holder *h)
{
	eid_buf b = EID_BUF_INIT;
	int r;

	tu_unhex(&b, hex);
	r = eid_eidata_decode(dg, b.data, b.len, h);
	eid_buf_free(&b);
	return r;
}

#define assert_str_or_null(got, want)                                                        \
	do {                                                                                 \
		if ((want) == NULL)                                                          \
			assert_null(got);                                                    \
		else {                                                                       \
			assert_non_null(got);                                                \
			assert_string_equal((got), (want));                                  \
		}                                                                            \
	} while (0)

/* The string fields of a holder, in a fixed order. */
#define N_FIELDS 25
static void fields_of(struct eid_holder *h, char **f[N_FIELDS])
{
	char **all[N_FIELDS] = {
		&h->document_type, &h->issuing_state, &h->document_number, &h->date_of_expiry,
		&h->date_of_issuance, &h->given_names, &h->family_name, &h->date_of_birth,
		&h->nationality, &h->sex, &h->place_of_birth, &h->birth_name,
		&h->academic_title, &h->artistic_name, &h->community_id,
		&h->residence_permit_1, &h->residence_permit_2, &h->phone_number,
		&h->email_address, &h->mrz, &h->address.street, &h->address.city,
		&h->address.state, &h->address.zip, &h->address.country,
	};

	memcpy(f, all, sizeof(all));
}

static void holder_copy(struct eid_holder *dst, struct eid_holder *src)
{
	char **d[N_FIELDS], **s[N_FIELDS];

	memset(dst, 0, sizeof(*dst));
	fields_of(dst, d);
	fields_of(src, s);
	for (size_t i = 0; i < N_FIELDS; i++)
		if (*s[i])
			assert_int_equal(eid_holder_set(d[i], *s[i], strlen(*s[i])), 0);
	if (src->address.free_text)
		assert_int_equal(eid_holder_set(&dst->address.free_text, src->address.free_text,
						strlen(src->address.free_text)), 0);
	dst->have_address = src->have_address;
}

static void assert_holder_equal(struct eid_holder *a, struct eid_holder *b)
{
	char **fa[N_FIELDS], **fb[N_FIELDS];

	fields_of(a, fa);
	fields_of(b, fb);
	for (size_t i = 0; i < N_FIELDS; i++)
		assert_str_or_null(*fa[i], *fb[i]);
	assert_str_or_null(a->address.free_text, b->address.free_text);
	assert_int_equal(a->have_address, b->have_address);
}

/* ---- the AusweisApp simulator card (section 4.1) ---- */

static void simulator_card_data_groups_decode(void **state)
{
	struct eid_holder h = { 0 };
	char name[32];

	(void)state;
	for (int dg = 1; dg <= 22; dg++) {
		if (dg == 16)
			continue;
		snprintf(name, sizeof(name), "aa_eid_dg%02d.bin", dg);
		print_message("# %s\n", name);
		assert_int_equal(decode_vector(name, dg, &h), 0);
	}
	assert_string_equal(h.document_type, "ID");
	assert_string_equal(h.issuing_state, "D");
	assert_string_equal(h.date_of_expiry, "2034-06-30");
	assert_string_equal(h.given_names, "ERIKA");
	assert_string_equal(h.family_name, "MUSTERMANN");
	assert_null(h.artistic_name);  /* DG6 66 02 0C 00 */
	assert_null(h.academic_title); /* DG7 67 02 0C 00 */
	assert_string_equal(h.date_of_birth, "1984-08-12");
	assert_string_equal(h.place_of_birth, "BERLIN");
	assert_string_equal(h.nationality, "D");
	assert_string_equal(h.sex, "F");
	assert_string_equal(h.birth_name, "GABLER");
	assert_string_equal(h.date_of_issuance, "2019-11-01");
	assert_true(h.have_address);
	assert_string_equal(h.address.street, "HEIDESTRA\xE1\xBA\x9E" "E 17");
	assert_string_equal(h.address.city, "K\xC3\x96LN");
	assert_null(h.address.state);
	assert_string_equal(h.address.country, "D");
	assert_string_equal(h.address.zip, "51147");
	assert_null(h.address.free_text);
	assert_string_equal(h.community_id, "02760503150000");
	assert_string_equal(h.residence_permit_1, "RESIDENCE PERMIT 1");
	assert_string_equal(h.residence_permit_2, "RESIDENCE PERMIT 2");
	assert_string_equal(h.phone_number, "tel:+49-030-1234567");
	assert_string_equal(h.email_address, "erika@mustermann.de");
	assert_null(h.document_number); /* not in the eID application */
	assert_null(h.mrz);
	eid_holder_clear(&h);
}

/* The DG3/DG8 that EF.CardSecurity's hashes were made over (section 4.1). */
static void signed_variants_decode(void **state)
{
	struct eid_holder h = { 0 };

	(void)state;
	assert_int_equal(decode_vector("aa_eid_dg03_signed.bin", 3, &h), 0);
	assert_int_equal(decode_vector("aa_eid_dg08_signed.bin", 8, &h), 0);
	assert_string_equal(h.date_of_expiry, "2029-10-31");
	assert_string_equal(h.date_of_birth, "1964-08-12");
	eid_holder_clear(&h);
}

/* An empty string replaces an earlier value with NULL. */
static void empty_string_clears_the_field(void **state)
{
	struct eid_holder h = { 0 };

	(void)state;
	assert_int_equal(decode_vector("aa_ps_p06_dg06.bin", 6, &h), 0);
	assert_string_equal(h.artistic_name, "FREIHERR ZU M\xC3\x96" "CKERN-WINDENSBERG");
	assert_int_equal(decode_vector("aa_eid_dg06.bin", 6, &h), 0);
	assert_null(h.artistic_name);
	assert_int_equal(decode_vector("aa_eid_dg18.bin", 18, &h), 0);
	assert_string_equal(h.community_id, "02760503150000");
	assert_int_equal(decode_vector("aa_ps_p08_dg18.bin", 18, &h), 0); /* 72 02 04 00 */
	assert_null(h.community_id);
	eid_holder_clear(&h);
}

/* DG12 and DG14 are checked and set nothing; DG14's image is the JP2 of section 4.3. */
static void optional_data_and_signature_set_nothing(void **state)
{
	struct eid_holder h = { 0 }, zero = { 0 };
	eid_buf b = EID_BUF_INIT;
	eid_cbs img;
	uint8_t md[32];

	(void)state;
	assert_int_equal(decode_vector("aa_eid_dg12.bin", 12, &h), 0);
	assert_int_equal(decode_vector("aa_eid_dg14.bin", 14, &h), 0);
	assert_memory_equal(&h, &zero, sizeof(h));

	tu_read_vector("aa_eid_dg14.bin", &b);
	assert_int_equal(eid_eidata_signature_image(b.data, b.len, &img), 0);
	assert_int_equal(eid_cbs_len(&img), 30386);
	assert_hex(eid_cbs_data(&img), 12, "0000000C6A5020200D0A870A");
	assert_int_equal(eid_sha256(eid_cbs_data(&img), eid_cbs_len(&img), md), 0);
	assert_hex(md, 32, "46e4a1df04049afa57117b7d75e1e1b491ff19648be6bf4abec2ddf1aa845146");
	/* one byte short: the OCTET STRING no longer fits */
	assert_int_equal(eid_eidata_signature_image(b.data, b.len - 1, &img), -EID_EPARSE);
	assert_int_equal(eid_eidata_decode(14, b.data, b.len - 1, &h), -EID_EPARSE);
	eid_buf_free(&b);

	tu_unhex(&b, "6E020400");
	assert_int_equal(eid_eidata_signature_image(b.data, b.len, &img), -EID_ENOTFOUND);
	tu_unhex(&b, "6D020400");
	assert_int_equal(eid_eidata_signature_image(b.data, b.len, &img), -EID_EPARSE);
	eid_buf_free(&b);

	/* DG12: an OptionalData without data, and an empty set, are well-formed */
	assert_int_equal(decode_hex(12, "6C0B3109300706052B24030302", &h), 0);
	assert_int_equal(decode_hex(12, "6C023100", &h), 0);
	assert_int_equal(decode_hex(12, "6C0A3108300606022A030500", &h), 0);
	assert_memory_equal(&h, &zero, sizeof(h));
	/* ... but not one without a type, or with two values */
	assert_int_equal(decode_hex(12, "6C06310430020500", &h), -EID_EPARSE);
	assert_int_equal(decode_hex(12, "6C0C310A300806022A0305000500", &h), -EID_EPARSE);
	assert_int_equal(decode_hex(12, "6C06300406022A03", &h), -EID_EPARSE);
	/* DG16 (RFU): any series of TLVs */
	assert_int_equal(decode_hex(16, "70030401AA", &h), 0);
	assert_int_equal(decode_hex(16, "7003040201", &h), -EID_EPARSE);
	assert_memory_equal(&h, &zero, sizeof(h));
}

/* ---- PersoSim variants (section 9) ---- */

static void partial_dates_of_birth(void **state)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{ "aa_ps_p04_dg08.bin", "1994-09" },   /* "199409  " */
		{ "aa_ps_pub04_dg08.bin", "1953-09" }, /* "195309  " */
		{ "aa_ps_p05_dg08.bin", "1989" },      /* "1989    " */
		{ "aa_ps_p09_dg08.bin", "2015-03-30" },
	};
	struct eid_holder h = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(decode_vector(cases[i].file, 8, &h), 0);
		assert_string_equal(h.date_of_birth, cases[i].want);
	}
	eid_holder_clear(&h);
}

static void date_reader(void **state)
{
	static const struct {
		const char *in, *want; /* want NULL: -EID_EPARSE */
	} cases[] = {
		{ "19640812", "1964-08-12" }, { "196408  ", "1964-08" }, { "1964    ", "1964" },
		{ "19640800", "1964-08" },    { "19640000", "1964" },    { "        ", "" },
		{ "00000000", "" },           { "20240229", "2024-02-29" },
		{ "20000229", "2000-02-29" }, { "19001231", "1900-12-31" },
		{ "20230229", NULL },         { "19000229", NULL },      { "20241340", NULL },
		{ "20241300", NULL },         { "20240132", NULL },      { "20240431", NULL },
		{ "1964  12", NULL },         { "196408 1", NULL },      { "1964 8  ", NULL },
		{ "    0812", NULL },         { "00000812", NULL },      { "1964-8-1", NULL },
		{ "1964081", NULL },          { "196408120", NULL },     { "", NULL },
	};
	char out[11];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = eid_eidata_date((const uint8_t *)cases[i].in, strlen(cases[i].in), out);

		print_message("# \"%s\"\n", cases[i].in);
		if (cases[i].want) {
			assert_int_equal(r, 0);
			assert_string_equal(out, cases[i].want);
		} else {
			assert_int_equal(r, -EID_EPARSE);
		}
	}
	/* a DG with no known part gives no date */
	{
		struct eid_holder h = { 0 };

		assert_int_equal(decode_hex(8, "680A12083139383430383132", &h), 0);
		assert_int_equal(decode_hex(8, "680A12082020202020202020", &h), 0);
		assert_null(h.date_of_birth);
		eid_holder_clear(&h);
	}
}

static void places_of_residence(void **state)
{
	struct eid_holder h = { 0 };

	(void)state;
	/* a leading blank is kept verbatim */
	assert_int_equal(decode_vector("aa_ps_p03_dg17.bin", 17, &h), 0);
	assert_true(h.have_address);
	assert_string_equal(h.address.street, " BOUCH\xC3\x89STR. 68 A");
	assert_string_equal(h.address.city, "BERLIN");
	assert_string_equal(h.address.country, "D");
	assert_string_equal(h.address.zip, "12059");

	/* no street: the earlier street does not survive */
	assert_int_equal(decode_vector("aa_ps_p07_dg17.bin", 17, &h), 0);
	assert_null(h.address.street);
	assert_string_equal(h.address.city, "HALLE (SAALE)");
	assert_string_equal(h.address.country, "D");
	assert_string_equal(h.address.zip, "06108");
	assert_null(h.address.free_text);

	assert_int_equal(decode_vector("aa_ps_pub02_dg17.bin", 17, &h), 0);
	assert_string_equal(h.address.street, "56 CROWN STREET");
	assert_string_equal(h.address.city, "LONDON");
	assert_string_equal(h.address.country, "GBR");
	assert_string_equal(h.address.zip, "W1H 8BR");

	assert_int_equal(decode_vector("aa_ps_pub05_dg17.bin", 17, &h), 0);
	assert_string_equal(h.address.street, "AHLSTR\xC3\x96MINKATU 2");
	assert_string_equal(h.address.city, "KONTIOLAHTI");
	assert_string_equal(h.address.country, "FIN");
	assert_string_equal(h.address.zip, "81100");

	/* no place information: its text, and nothing structured */
	assert_int_equal(decode_vector("aa_ps_p08_dg17.bin", 17, &h), 0);
	assert_true(h.have_address);
	assert_string_equal(h.address.free_text, "keine Wohnung in Deutschland");
	assert_null(h.address.street);
	assert_null(h.address.city);
	assert_null(h.address.country);
	assert_null(h.address.zip);
	eid_holder_clear(&h);
}

static void other_persosim_variants(void **state)
{
	struct eid_holder h = { 0 };

	(void)state;
	assert_int_equal(decode_vector("aa_ps_pub05_dg01.bin", 1, &h), 0);
	assert_string_equal(h.document_type, "UB");
	assert_int_equal(decode_vector("aa_ps_pub05_dg10.bin", 10, &h), 0);
	assert_string_equal(h.nationality, "DNK");
	assert_int_equal(decode_vector("aa_ps_p06_dg13.bin", 13, &h), 0);
	assert_string_equal(h.birth_name, "WEI\xE1\xBA\x9E");
	assert_int_equal(decode_hex(13, "6D020C00", &h), 0);
	assert_null(h.birth_name);
	eid_holder_clear(&h);
}

/* ---- encodings the published cards do not have ---- */

static void build_place(eid_buf *b, const char *street, const char *city, const char *state,
			const char *country, const char *zip)
{
	size_t seq = eid_tlv_begin(b, 0x30), m;
	const struct {
		uint32_t tag, inner;
		const char *s;
	} f[] = { { 0xAA, 0x0C, street }, { 0xAB, 0x0C, city }, { 0xAC, 0x0C, state },
		  { 0xAD, 0x13, country }, { 0xAE, 0x13, zip } };

	for (size_t i = 0; i < 5; i++) {
		if (!f[i].s)
			continue;
		m = eid_tlv_begin(b, f[i].tag);
		eid_tlv_add(b, f[i].inner, f[i].s, strlen(f[i].s));
		eid_tlv_end(b, m);
	}
	eid_tlv_end(b, seq);
}

static void multiple_residences_take_the_first(void **state)
{
	struct eid_holder h = { 0 };
	eid_buf b = EID_BUF_INIT;
	size_t outer, set, m;

	(void)state;
	outer = eid_tlv_begin(&b, 0x71);
	set = eid_tlv_begin(&b, 0x31);
	build_place(&b, "HAUPTSTR. 1", "M\xC3\x9CNCHEN", "BAYERN", "D", "80331");
	m = eid_tlv_begin(&b, 0xA1);
	eid_tlv_add(&b, 0x0C, "PARIS", 5);
	eid_tlv_end(&b, m);
	eid_tlv_end(&b, set);
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_buf_status(&b), 0);
	assert_int_equal(eid_eidata_decode(17, b.data, b.len, &h), 0);
	assert_true(h.have_address);
	assert_string_equal(h.address.street, "HAUPTSTR. 1");
	assert_string_equal(h.address.city, "M\xC3\x9CNCHEN");
	assert_string_equal(h.address.state, "BAYERN");
	assert_string_equal(h.address.country, "D");
	assert_string_equal(h.address.zip, "80331");
	assert_null(h.address.free_text);

	/* a malformed second place spoils the data group */
	b.data[b.len - 1] = 0x01; /* "PARI\x01" */
	assert_int_equal(eid_eidata_decode(17, b.data, b.len, &h), -EID_EPARSE);
	assert_string_equal(h.address.city, "M\xC3\x9CNCHEN");

	/* an empty SET: no address */
	assert_int_equal(decode_hex(17, "71023100", &h), 0);
	assert_false(h.have_address);
	assert_null(h.address.city);
	eid_holder_clear(&h);
	eid_buf_free(&b);
}

/* DG9 as a structured place is one line; DG2 as issuingPlace gives its country. */
static void structured_birth_place_and_issuing_place(void **state)
{
	struct eid_holder h = { 0 };
	eid_buf b = EID_BUF_INIT;
	size_t outer;

	(void)state;
	outer = eid_tlv_begin(&b, 0x69);
	build_place(&b, NULL, "WIEN", NULL, "A", NULL);
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_eidata_decode(9, b.data, b.len, &h), 0);
	assert_string_equal(h.place_of_birth, "WIEN, A");

	eid_buf_reset(&b);
	outer = eid_tlv_begin(&b, 0x69);
	build_place(&b, "RING 1", "WIEN", "WIEN", "AUT", "1010");
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_eidata_decode(9, b.data, b.len, &h), 0);
	assert_string_equal(h.place_of_birth, "RING 1, 1010 WIEN, WIEN, AUT");

	/* noPlaceInfo as place of birth */
	assert_int_equal(decode_hex(9, "6907A2050C03414243", &h), 0);
	assert_string_equal(h.place_of_birth, "ABC");

	eid_buf_reset(&b);
	outer = eid_tlv_begin(&b, 0x62);
	build_place(&b, NULL, "BERLIN", NULL, "D", NULL);
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_eidata_decode(2, b.data, b.len, &h), 0);
	assert_string_equal(h.issuing_state, "D");

	/* a Place without its city, or without its country, is malformed */
	eid_buf_reset(&b);
	outer = eid_tlv_begin(&b, 0x69);
	build_place(&b, "RING 1", NULL, NULL, "AUT", NULL);
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_eidata_decode(9, b.data, b.len, &h), -EID_EPARSE);
	eid_buf_reset(&b);
	outer = eid_tlv_begin(&b, 0x71);
	build_place(&b, NULL, "WIEN", NULL, NULL, "1010");
	eid_tlv_end(&b, outer);
	assert_int_equal(eid_eidata_decode(17, b.data, b.len, &h), -EID_EPARSE);
	/* fields out of order */
	assert_int_equal(decode_hex(17, "710E300CAD03130144AB050C03414243", &h), -EID_EPARSE);
	assert_string_equal(h.place_of_birth, "ABC");
	assert_false(h.have_address);
	eid_holder_clear(&h);
	eid_buf_free(&b);
}

static void sex_and_country_codes(void **state)
{
	struct eid_holder h = { 0 };

	(void)state;
	assert_int_equal(decode_hex(11, "6B0313014D", &h), 0);
	assert_string_equal(h.sex, "M");
	assert_int_equal(decode_hex(11, "6B03130120", &h), 0); /* blank: unspecified */
	assert_string_equal(h.sex, "X");
	assert_int_equal(decode_hex(11, "6B03130151", &h), -EID_EPARSE); /* "Q" */
	assert_int_equal(decode_hex(11, "6B0413024D46", &h), -EID_EPARSE);
	assert_int_equal(decode_hex(11, "6B0313016D", &h), -EID_EPARSE); /* "m" */
	assert_string_equal(h.sex, "X");
	assert_int_equal(decode_hex(10, "6A0413024445", &h), -EID_EPARSE);  /* "DE": 2 letters */
	assert_int_equal(decode_hex(10, "6A05130344206E", &h), -EID_EPARSE); /* lower case */
	assert_int_equal(decode_hex(10, "6A05130344413C", &h), -EID_EPARSE); /* "<" filler */
	assert_int_equal(decode_hex(10, "6A051303442020", &h), 0);           /* "D  " */
	assert_string_equal(h.nationality, "D");
	assert_int_equal(decode_hex(1, "610513034944", &h), -EID_EPARSE); /* truncated */
	assert_int_equal(decode_hex(1, "61051303494450", &h), -EID_EPARSE); /* "IDP" */
	assert_int_equal(decode_hex(1, "610C04024944", &h), -EID_EPARSE);
	assert_int_equal(decode_hex(2, "6203120144", &h), -EID_EPARSE); /* NumericString */
	assert_null(h.document_type);
	assert_null(h.issuing_state);
	eid_holder_clear(&h);
}

/* ---- compressed Text (DG19/DG20), made with zlib ---- */

static void make_text_dg(eid_buf *out, uint32_t outer_tag, const uint8_t *z, size_t zn)
{
	size_t o, c;

	eid_buf_reset(out);
	o = eid_tlv_begin(out, outer_tag);
	c = eid_tlv_begin(out, 0xA2);
	eid_tlv_add(out, 0x04, z, zn);
	eid_tlv_end(out, c);
	eid_tlv_end(out, o);
	assert_int_equal(eid_buf_status(out), 0);
}

/* DEFLATE with the zlib wrapper (windowBits 15) or raw (-15). */
static size_t deflate_bytes(const void *in, size_t n, int window_bits, uint8_t *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

static void compressed_residence_permit_text(void **state)
{
	static const char text[] = "AUFENTHALTSERLAUBNIS \xC2\xA7" "16b AufenthG\n"
				   "Erwerbst\xC3\xA4tigkeit gestattet.";
	struct eid_holder h = { 0 };
	eid_buf der = EID_BUF_INIT, dg = EID_BUF_INIT;
	uint8_t z[4096];
	uint8_t *big;
	size_t zn;
	const size_t bomb = 64 * 1024 + 1;

	(void)state;
	/* the DER UTF8String, zlib-wrapped */
	eid_tlv_add(&der, 0x0C, text, strlen(text));
	zn = deflate_bytes(der.data, der.len, 15, z, sizeof(z));
	make_text_dg(&dg, 0x73, z, zn);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), 0);
	assert_string_equal(h.residence_permit_1, text);

	/* the bare text, raw DEFLATE */
	zn = deflate_bytes(text, strlen(text), -15, z, sizeof(z));
	make_text_dg(&dg, 0x74, z, zn);
	assert_int_equal(eid_eidata_decode(20, dg.data, dg.len, &h), 0);
	assert_string_equal(h.residence_permit_2, text);
	/* the wrong outer tag for the number */
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_EPARSE);

	/* cut short, or followed by a byte */
	zn = deflate_bytes(der.data, der.len, 15, z, sizeof(z));
	make_text_dg(&dg, 0x73, z, zn - 3);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_EPARSE);
	z[zn] = 0x00;
	make_text_dg(&dg, 0x73, z, zn + 1);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_EPARSE);
	/* not DEFLATE at all */
	make_text_dg(&dg, 0x73, (const uint8_t *)"\xFF\xFF\xFF\xFF", 4);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_EPARSE);
	/* invalid UTF-8 inside */
	zn = deflate_bytes("AB\xC3", 3, 15, z, sizeof(z));
	make_text_dg(&dg, 0x73, z, zn);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_EPARSE);

	/* more than 64 KiB inflated: refused (a few hundred bytes compressed) */
	big = malloc(bomb);
	assert_non_null(big);
	memset(big, 'A', bomb);
	zn = deflate_bytes(big, bomb, 15, z, sizeof(z));
	assert_true(zn < 1024);
	make_text_dg(&dg, 0x73, z, zn);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), -EID_ETOOBIG);
	/* exactly 64 KiB is fine */
	zn = deflate_bytes(big, bomb - 1, 15, z, sizeof(z));
	make_text_dg(&dg, 0x73, z, zn);
	assert_int_equal(eid_eidata_decode(19, dg.data, dg.len, &h), 0);
	assert_int_equal(strlen(h.residence_permit_1), bomb - 1);
	free(big);

	/* plain Text may span lines too */
	assert_int_equal(decode_hex(20, "7407A1050C03410A42", &h), 0);
	assert_string_equal(h.residence_permit_2, "A\nB");
	eid_holder_clear(&h);
	eid_buf_free(&der);
	eid_buf_free(&dg);
}

/* ---- malformed files ---- */

static void malformed_files_leave_the_holder_unchanged(void **state)
{
	static const struct {
		int dg;
		const char *hex, *what;
	} bad[] = {
		{ 4, "65070C054552494B41", "DG5 tag for DG4" },
		{ 5, "64070C054552494B41", "DG4 tag for DG5" },
		{ 4, "", "empty file" },
		{ 4, "64", "tag only" },
		{ 5, "650C0C0A4D55535445524D41", "truncated" },
		{ 5, "650C0C0A4D55535445524D414E4E00", "trailing byte" },
		{ 5, "650E0C0A4D55535445524D414E4E0500", "second element" },
		{ 4, "64070C064552494B41", "inner length too long" },
		{ 4, "64080C054552494B4100", "inner shorter than outer" },
		{ 4, "6484FFFFFFF00C054552494B41", "oversized outer length" },
		{ 4, "64800C054552494B410000", "indefinite length" },
		{ 4, "64072C054552494B41", "constructed UTF8String" },
		{ 4, "6407130545524" "94B41", "PrintableString for UTF8String" },
		{ 3, "630A12083230333430364F30", "letter in NumericString" },
		{ 3, "630A1208323033343036332D", "'-' in NumericString" },
		{ 8, "680A12083230323431333430", "date 20241340" },
		{ 8, "680A12083139383430323330", "date 19840230" },
		{ 8, "6809120731393834303831", "date of 7 digits" },
		{ 15, "6F0A120832303139313130", "truncated date" },
		{ 4, "64070C0545C3284B41", "invalid UTF-8" },
		{ 4, "64070C0545C0AF4B41", "overlong UTF-8" },
		{ 4, "64080C0645EDA0804B41", "UTF-16 surrogate in UTF-8" },
		{ 4, "64060C04455249C3", "UTF-8 cut short" },
		{ 13, "6D080C06474142004C45", "embedded NUL" },
		{ 13, "6D080C0647414210454C", "control character" },
		{ 13, "6D080C064741C285454C", "C1 control character" },
		{ 21, "75051303746C7B", "'{' in PrintableString" },
		{ 22, "7605160361C3A4", "non-ASCII IA5String" },
		{ 22, "76051603610061", "NUL in IA5String" },
		{ 9, "690AA3080C064245524C494E", "unknown GeneralPlace choice" },
		{ 9, "690AA1080C064245524C49", "free text truncated" },
		{ 9, "690AA10813064245524C494E", "free text as PrintableString" },
		{ 17, "7105AD03130144", "Place outside a SEQUENCE" },
		{ 17, "710730051203414243", "unknown Place field" },
		{ 18, "72090C0702760503150000", "community ID not an OCTET STRING" },
		{ 19, "7306A3040C024142", "unknown Text choice" },
		{ 19, "7306A2040C024142", "compressed Text not an OCTET STRING" },
		{ 14, "6E040C024142", "signature not an OCTET STRING" },
		{ 12, "6C0430020500", "OptionalData outside a SET" },
		{ 1, "6104130249", "DG1 truncated" },
		{ 2, "6203130164", "lower-case issuing state" },
		{ 11, "6B0313014D46", "length mismatch" },
	};
	struct eid_holder full = { 0 }, before;
	char name[32];

	(void)state;
	for (int dg = 1; dg <= 22; dg++) {
		if (dg == 16)
			continue;
		snprintf(name, sizeof(name), "aa_eid_dg%02d.bin", dg);
		assert_int_equal(decode_vector(name, dg, &full), 0);
	}
	assert_int_equal(eid_holder_set(&full.artistic_name, "ART", 3), 0);
	assert_int_equal(eid_holder_set(&full.academic_title, "DR.", 3), 0);
	holder_copy(&before, &full);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# DG%d %s\n", bad[i].dg, bad[i].what);
		assert_int_equal(decode_hex(bad[i].dg, bad[i].hex, &full), -EID_EPARSE);
		assert_holder_equal(&full, &before);
	}
	/* numbers out of range */
	assert_int_equal(decode_hex(0, "610413024944", &full), -EID_EINVAL);
	assert_int_equal(decode_hex(23, "770413024944", &full), -EID_EINVAL);
	assert_int_equal(decode_hex(-1, "610413024944", &full), -EID_EINVAL);
	assert_int_equal(eid_eidata_decode(4, NULL, 0, &full), -EID_EPARSE);
	assert_int_equal(eid_eidata_decode(4, NULL, 3, &full), -EID_EINVAL);
	assert_holder_equal(&full, &before);
	eid_holder_clear(&full);
	eid_holder_clear(&before);
}

static void eid_application_identifier(void **state)
{
	(void)state;
	assert_hex(eid_eidata_aid, sizeof(eid_eidata_aid), "E80704007F00070302");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simulator_card_data_groups_decode),
		cmocka_unit_test(signed_variants_decode),
		cmocka_unit_test(empty_string_clears_the_field),
		cmocka_unit_test(optional_data_and_signature_set_nothing),
		cmocka_unit_test(partial_dates_of_birth),
		cmocka_unit_test(date_reader),
		cmocka_unit_test(places_of_residence),
		cmocka_unit_test(other_persosim_variants),
		cmocka_unit_test(multiple_residences_take_the_first),
		cmocka_unit_test(structured_birth_place_and_issuing_place),
		cmocka_unit_test(sex_and_country_codes),
		cmocka_unit_test(compressed_residence_permit_text),
		cmocka_unit_test(malformed_files_leave_the_holder_unchanged),
		cmocka_unit_test(eid_application_identifier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
