/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the chip simulator (tools/sim): the chip side of BAC and
 * 3DES secure messaging byte for byte against ICAO 9303-11 App. D
 * (vectors.md 1.3, 1.4); DG1 byte for byte against the BSI TR-03105-5
 * specimen (vectors.md 4.2); then the chip driven in process by our own
 * terminal code (proto/bac, proto/sm, eid_card_transmit) the way
 * drivers/sim.c will: reading every file, the access conditions, the knobs
 * and faults; the data groups through proto/lds; EF.SOD and the test PKI
 * checked with OpenSSL; the vpcd transport over a real TCP socket.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "testutil.h"
#include "../tools/sim/sim.h"
#include "aa.h"
#include "bac.h"
#include "ca.h"
#include "lds.h"
#include "mrz.h"
#include "pace.h"
#include "secinfo.h"
#include "tlv.h"

/* ---- helpers ---- */

static const char *data_dir(void)
{
	static char dir[4096];
	const char *src = getenv("EID_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/data", src ? src : "..");
	return dir;
}

static void opts(struct sim_options *o)
{
	sim_options_init(o);
	o->data_dir = data_dir();
}

static struct sim_chip *chip_new(const struct sim_options *o)
{
	struct sim_chip *chip = NULL;

	assert_int_equal(sim_chip_new(o, &chip), 0);
	assert_non_null(chip);
	return chip;
}

/* Send a raw command (hex) to the chip; the response data into resp (may be
 * NULL), the SW returned. */
static uint16_t raw(struct sim_chip *chip, const char *cmd_hex, eid_buf *resp)
{
	static uint8_t out[70000];
	eid_buf cmd = EID_BUF_INIT;
	size_t n;

	tu_unhex(&cmd, cmd_hex);
	n = sim_chip_apdu(chip, cmd.data, cmd.len, out, sizeof(out));
	eid_buf_free(&cmd);
	assert_true(n >= 2);
	if (resp) {
		eid_buf_reset(resp);
		assert_int_equal(eid_buf_add(resp, out, n - 2), 0);
	}
	return (uint16_t)(out[n - 2] << 8 | out[n - 1]);
}

/* The whole response (data + SW) must equal hex. */
static void raw_exact(struct sim_chip *chip, const char *cmd_hex, const char *resp_hex)
{
	static uint8_t out[70000];
	eid_buf cmd = EID_BUF_INIT;
	size_t n;

	tu_unhex(&cmd, cmd_hex);
	n = sim_chip_apdu(chip, cmd.data, cmd.len, out, sizeof(out));
	eid_buf_free(&cmd);
	tu_assert_hex(out, n, resp_hex, cmd_hex);
}

static void card_init(struct eid_card *card, struct sim_chip *chip)
{
	eid_card_init(card, sim_chip_transmit, chip);
	card->extended_length = !chip->opt.no_extended;
}

static uint16_t transmit(struct eid_card *card, uint8_t ins, uint8_t p1, uint8_t p2,
			 const uint8_t *data, size_t lc, size_t le, eid_buf *resp)
{
	struct eid_apdu a = { .cla = 0x00, .ins = ins, .p1 = p1, .p2 = p2, .data = data,
			      .lc = lc, .le = le };
	uint16_t sw = 0;

	if (resp)
		eid_buf_reset(resp);
	assert_int_equal(eid_card_transmit(card, &a, resp, &sw), 0);
	return sw;
}

static uint16_t select_app(struct eid_card *card)
{
	static const uint8_t aid[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

	return transmit(card, 0xA4, 0x04, 0x0C, aid, sizeof(aid), 0, NULL);
}

static uint16_t select_ef(struct eid_card *card, uint16_t fid)
{
	const uint8_t f[2] = { (uint8_t)(fid >> 8), (uint8_t)fid };

	return transmit(card, 0xA4, 0x02, 0x0C, f, 2, 0, NULL);
}

/* BAC with proto/bac.c using the MRZ key of the chip's holder. */
static void bac(struct eid_card *card, struct sim_chip *chip, struct eid_sm *sm)
{
	const struct sim_holder *h = &chip->opt.holder;
	uint8_t k[20];

	assert_int_equal(eid_mrz_key_hash(h->doc_number, h->date_of_birth, h->date_of_expiry,
					  k), 0);
	assert_int_equal(eid_bac_authenticate(card, k, NULL, sm), 0);
	card->sm = sm;
}

/* Read the current EF whole with READ BINARY B0 in chunks of le. */
static void read_current(struct eid_card *card, size_t le, eid_buf *out)
{
	eid_buf part = EID_BUF_INIT;
	uint16_t sw;

	eid_buf_reset(out);
	for (;;) {
		size_t off = out->len;

		sw = transmit(card, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, NULL, 0, le, &part);
		if (sw == EID_SW_WRONG_P1P2)
			break;                     /* at the end */
		assert_true(sw == EID_SW_OK || sw == EID_SW_EOF_WARNING);
		assert_true(part.len > 0 && part.len <= le);
		assert_int_equal(eid_buf_add(out, part.data, part.len), 0);
		if (sw == EID_SW_EOF_WARNING)
			break;
	}
	eid_buf_free(&part);
}

static void assert_file(const struct sim_chip *chip, uint16_t fid, const eid_buf *got)
{
	const struct sim_file *f = sim_chip_file(chip, fid);

	assert_non_null(f);
	assert_int_equal(got->len, f->data.len);
	assert_memory_equal(got->data, f->data.data, got->len);
}

static void file_bytes(const char *name, eid_buf *b)
{
	char path[4200];
	uint8_t tmp[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	assert_non_null(f = fopen(path, "rb"));
	eid_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		assert_int_equal(eid_buf_add(b, tmp, n), 0);
	fclose(f);
}

static X509 *pki_cert(const char *name)
{
	char path[4200];
	X509 *x;
	BIO *b;

	snprintf(path, sizeof(path), "%s/pki/%s.pem", data_dir(), name);
	assert_non_null(b = BIO_new_file(path, "r"));
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	return x;
}

/* ---- the document data ---- */

static void test_dg1_equals_bsi_specimen_dg1(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	eid_buf want = EID_BUF_INIT;
	const struct sim_file *f;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	tu_read_vector("zi_Datagroup1.bin", &want);
	assert_non_null(f = sim_chip_file(chip, 0x0101));
	assert_int_equal(f->data.len, want.len);
	assert_memory_equal(f->data.data, want.data, want.len);
	assert_int_equal(f->sfi, 1);
	eid_buf_free(&want);
	sim_chip_free(chip);
}

static void test_mrz_of_custom_holder_has_icao_check_digits(void **state)
{
	struct sim_holder h;
	struct sim_options o;
	struct eid_mrz m;
	char l1[45], l2[45], text[100];

	(void)state;
	opts(&o);
	h = o.holder;
	strcpy(h.doc_number, "L898902C");
	strcpy(h.date_of_birth, "690806");
	strcpy(h.date_of_expiry, "940623");
	strcpy(h.nationality, "UTO");
	strcpy(h.surname, "ERIKSSON");
	strcpy(h.given_names, "ANNA MARIA");
	assert_int_equal(sim_mrz_td3(&h, l1, l2), 0);
	/* 9303-4 specimen line 1; vectors.md 1.1 line 2 up to the optional data */
	assert_string_equal(l1, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
	assert_memory_equal(l2, "L898902C<3UTO6908061F9406236", 28);
	snprintf(text, sizeof(text), "%s\n%s", l1, l2);
	assert_int_equal(eid_mrz_parse(text, &m), 0);
	assert_true(m.valid);
	eid_mrz_clear(&m);

	strcpy(h.doc_number, "L898902c");
	assert_int_equal(sim_holder_check(&h, NULL), -EID_EINVAL);
	strcpy(h.doc_number, "L898902C");
	strcpy(h.date_of_birth, "691306");
	assert_int_equal(sim_holder_check(&h, NULL), -EID_EINVAL);
}

static void test_ef_com_lists_the_data_groups(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	const struct sim_file *f;
	struct eid_lds_com com;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	assert_non_null(f = sim_chip_file(chip, 0x011E));
	assert_hex(f->data.data, f->data.len,
		   "60165F0104303130375F36063034303030305C04" "61756B6C");
	assert_int_equal(eid_lds_com_parse(f->data.data, f->data.len, &com), 0);
	assert_true(eid_lds_com_has_dg(&com, 1) && eid_lds_com_has_dg(&com, 2) &&
		    eid_lds_com_has_dg(&com, 11) && eid_lds_com_has_dg(&com, 12));
	sim_chip_free(chip);
}

static void test_dg11_dg12_parse_with_proto_lds(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	const struct sim_file *f;
	struct eid_lds_dg11 *dg11 = NULL;
	struct eid_lds_dg12 *dg12 = NULL;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	f = sim_chip_file(chip, 0x010B);
	assert_int_equal(eid_lds_dg11_parse(f->data.data, f->data.len, &dg11), 0);
	assert_string_equal(dg11->full_name_primary, "MUSTERMANN");
	assert_string_equal(dg11->full_name_secondary, "ERIKA");
	assert_string_equal(dg11->date_of_birth, "19960812");
	assert_string_equal(dg11->place_of_birth, "BERLIN");
	f = sim_chip_file(chip, 0x010C);
	assert_int_equal(eid_lds_dg12_parse(f->data.data, f->data.len, &dg12), 0);
	assert_string_equal(dg12->issuing_authority, "STADT KOELN");
	assert_string_equal(dg12->date_of_issue, "20131031");
	eid_lds_dg11_free(dg11);
	eid_lds_dg12_free(dg12);
	sim_chip_free(chip);
}

/* DG2 in all four forms: the face parses with proto/lds, 120x160, with
 * the image bytes of tests/data/face.jpg / face.jp2. */
static void test_dg2_jpeg_and_jp2_in_19794_and_39794(void **state)
{
	static const struct {
		enum sim_face_format fmt;
		enum sim_face_encoding enc;
		const char *file;
		enum eid_lds_image_type type;
		enum eid_lds_bdb_encoding lds_enc;
	} cases[] = {
		{ SIM_FACE_JPEG, SIM_FACE_ISO19794, "face.jpg", EID_LDS_IMAGE_JPEG, EID_LDS_ISO19794 },
		{ SIM_FACE_JP2, SIM_FACE_ISO19794, "face.jp2", EID_LDS_IMAGE_JP2, EID_LDS_ISO19794 },
		{ SIM_FACE_JPEG, SIM_FACE_ISO39794, "face.jpg", EID_LDS_IMAGE_JPEG, EID_LDS_ISO39794 },
		{ SIM_FACE_JP2, SIM_FACE_ISO39794, "face.jp2", EID_LDS_IMAGE_JP2, EID_LDS_ISO39794 },
	};
	eid_buf img = EID_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_options o;
		struct sim_chip *chip;
		struct eid_lds_dg2 *dg2 = NULL;
		const struct sim_file *f;

		opts(&o);
		o.face_format = cases[i].fmt;
		o.face_encoding = cases[i].enc;
		chip = chip_new(&o);
		file_bytes(cases[i].file, &img);
		f = sim_chip_file(chip, 0x0102);
		assert_int_equal(eid_lds_dg2_parse(f->data.data, f->data.len, &dg2), 0);
		assert_int_equal(dg2->n, 1);
		assert_int_equal(dg2->faces[0].encoding, cases[i].lds_enc);
		assert_int_equal(dg2->faces[0].image_type, cases[i].type);
		assert_int_equal(dg2->faces[0].width, 120);
		assert_int_equal(dg2->faces[0].height, 160);
		assert_int_equal(dg2->faces[0].format_owner, 0x0101);
		assert_int_equal(dg2->faces[0].image.len, img.len);
		assert_memory_equal(dg2->faces[0].image.data, img.data, img.len);
		if (cases[i].enc == SIM_FACE_ISO19794) {
			assert_int_equal(dg2->faces[0].format_type, 0x0008);
			assert_int_equal(dg2->faces[0].gender, 2);
		} else {
			assert_int_equal(dg2->faces[0].version_generation, 3);
			assert_int_equal(dg2->faces[0].version_year, 2019);
		}
		eid_lds_dg2_free(dg2);
		sim_chip_free(chip);
	}
	eid_buf_free(&img);
}

/* ---- BAC and 3DES SM, chip side, against ICAO 9303-11 App. D ---- */

static void test_chip_bac_and_sm_match_icao_app_d(void **state)
{
	static const char *const chip_rng[] = { "4608F91988702212",
						 "0B4F80323EB3191CB04970CB4052790B" };
	struct tu_rng rng;
	struct sim_options o;
	struct sim_chip *chip;
	eid_buf com = EID_BUF_INIT;

	(void)state;
	opts(&o);
	strcpy(o.holder.doc_number, "L898902C");
	strcpy(o.holder.date_of_birth, "690806");
	strcpy(o.holder.date_of_expiry, "940623");
	tu_rng_init(&rng, chip_rng, 2);
	o.rng = &rng.rng;
	chip = chip_new(&o);
	/* the worked example's EF.COM */
	tu_unhex(&com, "60145F0104303130365F36063034303030305C026175");
	assert_int_equal(sim_chip_set_file(chip, 0x011E, 0x1E, false, 0, SIM_ACCESS_SM,
					   com.data, com.len), 0);

	raw_exact(chip, "00A4040C07A0000002471001", "9000");
	raw_exact(chip, "0084000008", "4608F919887022129000");
	raw_exact(chip,
		  "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
		  "5F1448EEA8AD90A728",
		  "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
		  "2F2D235D074D74499000");
	assert_true(chip->sm_active && chip->authenticated);
	assert_hex(chip->sm.kenc, 16, "979EC13B1CBFE9DCD01AB0FED307EAE5");
	assert_hex(chip->sm.kmac, 16, "F1CB1F1FB5ADF208806B89DC579DC1F8");
	assert_hex(chip->sm.ssc, 8, "887022120C06C226");
	/* D.4: SELECT EF.COM, READ BINARY 4, READ BINARY 18 from 4 */
	raw_exact(chip, "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
		  "990290008E08FA855A5D4C50A8ED9000");
	raw_exact(chip, "0CB000000D9701048E08ED6705417E96BA5500",
		  "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000");
	raw_exact(chip, "0CB000040D9701128E082EA28A70F3C7B53500",
		  "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08"
		  "C8B2787EAEA07D749000");
	assert_hex(chip->sm.ssc, 8, "887022120C06C22C");
	tu_rng_assert_done(&rng);
	eid_buf_free(&com);
	sim_chip_free(chip);
}

static void test_wrong_bac_key_gives_6300(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	uint8_t wrong[16];

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	/* a cryptogram made with another key: 6300, no session */
	assert_int_equal(raw(chip, "0084000008", NULL), 0x9000);
	assert_int_equal(raw(chip,
			     "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F49"
			     "8F76ED92F25F1448EEA8AD90A728", NULL), 0x6300);
	assert_false(chip->sm_active || chip->authenticated);
	/* the challenge is spent: MUTUAL AUTHENTICATE again without GET CHALLENGE */
	assert_int_equal(raw(chip,
			     "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F49"
			     "8F76ED92F25F1448EEA8AD90A728", NULL), 0x6985);
	/* and proto/bac reports it as an authentication failure */
	card_init(&card, chip);
	memset(wrong, 0x42, sizeof(wrong));
	assert_int_equal(eid_bac_authenticate(&card, wrong, NULL, &sm), -EID_EAUTH);
	sim_chip_free(chip);
}

/* ---- reading with our terminal code ---- */

static void test_bac_then_read_every_file_under_sm(void **state)
{
	static const uint16_t fids[] = { 0x011E, 0x0101, 0x0102, 0x010B, 0x010C, 0x011D };
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(select_app(&card), 0x9000);
	bac(&card, chip, &sm);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		assert_int_equal(select_ef(&card, fids[i]), 0x9000);
		read_current(&card, 0xDF, &got);
		assert_file(chip, fids[i], &got);
	}
	/* the whole of DG2 in one extended READ BINARY */
	assert_int_equal(select_ef(&card, 0x0102), 0x9000);
	assert_int_equal(transmit(&card, 0xB0, 0, 0, NULL, 0, 65536, &got), 0x6282);
	assert_file(chip, 0x0102, &got);
	assert_non_null(card.sm);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_read_by_sfi_and_by_odd_ins(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	const struct sim_file *dg2;
	eid_buf got = EID_BUF_INIT, all = EID_BUF_INIT;
	uint8_t do54[4];
	eid_cbs c, v;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &sm);
	/* B0 with SFI 1 in P1: DG1 from offset 0, and it becomes current */
	assert_int_equal(transmit(&card, 0xB0, 0x81, 0x00, NULL, 0, 256, &got), 0x6282);
	assert_file(chip, 0x0101, &got);
	assert_int_equal(transmit(&card, 0xB0, 0x00, 0x05, NULL, 0, 4, &got), 0x9000);
	assert_memory_equal(got.data, sim_chip_file(chip, 0x0101)->data.data + 5, 4);
	/* B1 on DG2 by SFI, offsets from DO'54' beyond 32767-style ranges */
	dg2 = sim_chip_file(chip, 0x0102);
	while (all.len < dg2->data.len) {
		uint16_t sw;

		do54[0] = 0x54;
		do54[1] = 0x02;
		do54[2] = (uint8_t)(all.len >> 8);
		do54[3] = (uint8_t)all.len;
		sw = transmit(&card, 0xB1, 0x00, 0x02, do54, 4, 200, &got);
		assert_true(sw == 0x9000 || sw == 0x6282);
		eid_buf_cbs(&got, &c);
		assert_true(eid_tlv_get(&c, 0x53, &v));
		assert_int_equal(eid_cbs_len(&c), 0);
		assert_true(got.len <= 200);
		assert_int_equal(eid_buf_add_cbs(&all, &v), 0);
	}
	assert_file(chip, 0x0102, &all);
	eid_buf_free(&got);
	eid_buf_free(&all);
	sim_chip_free(chip);
}

static void test_end_of_file_6282_and_beyond_6b00(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	const struct sim_file *f;
	eid_buf got = EID_BUF_INIT;
	size_t size;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &sm);
	select_ef(&card, 0x0101);
	f = sim_chip_file(chip, 0x0101);
	size = f->data.len;   /* 93 */
	assert_int_equal(transmit(&card, 0xB0, 0, 90, NULL, 0, 16, &got), 0x6282);
	assert_int_equal(got.len, size - 90);
	assert_memory_equal(got.data, f->data.data + 90, size - 90);
	assert_int_equal(transmit(&card, 0xB0, 0, (uint8_t)size, NULL, 0, 1, &got), 0x6B00);
	assert_int_equal(got.len, 0);
	assert_int_equal(transmit(&card, 0xB0, 0, 200, NULL, 0, 1, &got), 0x6B00);
	/* errors come protected: the channel is still up */
	assert_non_null(card.sm);
	assert_int_equal(transmit(&card, 0xB0, 0, 0, NULL, 0, 4, &got), 0x9000);
	assert_hex(got.data, got.len, "615B5F1F");
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_max_le_caps_every_response(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	eid_buf got = EID_BUF_INIT, all = EID_BUF_INIT;
	uint16_t sw;

	(void)state;
	opts(&o);
	o.max_le = 223;
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &sm);
	select_ef(&card, 0x0102);
	do {
		sw = transmit(&card, 0xB0, (uint8_t)(all.len >> 8), (uint8_t)all.len, NULL, 0,
			      65536, &got);
		assert_true(got.len <= 223);
		assert_true(sw == 0x9000 || sw == 0x6282);
		assert_int_equal(eid_buf_add(&all, got.data, got.len), 0);
	} while (sw == 0x9000);
	assert_file(chip, 0x0102, &all);
	assert_true(all.len > 223);
	eid_buf_free(&got);
	eid_buf_free(&all);
	sim_chip_free(chip);
}

/* A short response APDU holds 256 bytes: under SM the chip returns as much
 * plain data as fits once protected, 231 bytes with 3DES, 223 with AES. */
static void test_short_apdus_under_sm_fit_256_bytes(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	eid_buf got = EID_BUF_INIT;
	uint8_t key[16];
	unsigned long before;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &sm);
	select_ef(&card, 0x0102);
	before = card.stats.bytes_in;
	assert_int_equal(transmit(&card, 0xB0, 0, 0, NULL, 0, 256, &got), 0x9000);
	assert_int_equal(got.len, 231);
	assert_true(card.stats.bytes_in - before <= 258);
	assert_memory_equal(got.data, sim_chip_file(chip, 0x0102)->data.data, 231);
	/* extended: the whole Le */
	assert_int_equal(transmit(&card, 0xB0, 0, 0, NULL, 0, 1000, &got), 0x9000);
	assert_int_equal(got.len, 1000);

	memset(key, 0x5A, sizeof(key));
	assert_int_equal(sim_sm_start(chip, EID_CIPHER_AES128, key, key, NULL), 0);
	chip->authenticated = true;
	assert_int_equal(eid_sm_init(&sm, EID_CIPHER_AES128, key, key, NULL), 0);
	card.sm = &sm;
	before = card.stats.bytes_in;
	assert_int_equal(transmit(&card, 0xB0, 0, 0, NULL, 0, 256, &got), 0x9000);
	assert_int_equal(got.len, 223);
	assert_true(card.stats.bytes_in - before <= 258);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_no_extended_rejects_extended_apdus(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	uint8_t atr[40];
	size_t n;

	(void)state;
	opts(&o);
	o.no_extended = true;
	chip = chip_new(&o);
	assert_int_equal(raw(chip, "00A4040C07A0000002471001", NULL), 0x9000);
	assert_int_equal(raw(chip, "00840000000008", NULL), 0x6700);
	assert_int_equal(raw(chip, "0084000008", NULL), 0x9000);
	/* no EF.ATR/INFO and the ATR says so */
	assert_null(sim_chip_file(chip, 0x2F01));
	n = sim_chip_atr(chip, atr, sizeof(atr));
	assert_hex(atr, n, "3B8580018073000000" "F7");
	sim_chip_free(chip);

	opts(&o);
	chip = chip_new(&o);
	assert_int_equal(raw(chip, "00840000000008", NULL), 0x9000);
	n = sim_chip_atr(chip, atr, sizeof(atr));
	assert_hex(atr, n, "3B8580018073000040" "B7");
	assert_hex(sim_chip_file(chip, 0x2F01)->data.data, sim_chip_file(chip, 0x2F01)->data.len,
		   "7F660A020300FFFF0203010000");
	sim_chip_free(chip);
}

/* ---- access conditions and SM errors ---- */

static void test_unprotected_read_gives_6982(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	assert_int_equal(raw(chip, "00A4040C07A0000002471001", NULL), 0x9000);
	assert_int_equal(raw(chip, "00A4020C02011E", NULL), 0x9000);
	assert_int_equal(raw(chip, "00B0000004", &got), 0x6982);
	assert_int_equal(got.len, 0);
	assert_int_equal(raw(chip, "00B0810004", NULL), 0x6982);
	/* after BAC, a plain READ BINARY ends the session and is refused */
	card_init(&card, chip);
	bac(&card, chip, &sm);
	assert_true(chip->sm_active);
	assert_int_equal(raw(chip, "00B0000004", &got), 0x6982);
	assert_false(chip->sm_active || chip->authenticated);
	/* the terminal's next protected command finds the session gone */
	{
		struct eid_apdu a = { .ins = 0xB0, .le = 4 };
		uint16_t sw = 0;

		assert_int_equal(eid_card_transmit(&card, &a, &got, &sw), 0);
		assert_int_equal(sw, 0x6988);
		assert_null(card.sm);
	}
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_sm_errors_6987_6988_end_the_session(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	uint8_t resp[300];
	eid_buf cmd = EID_BUF_INIT;
	size_t n;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);

	/* a wrong MAC: 6988 in plain, session over */
	bac(&card, chip, &sm);
	{
		struct eid_apdu a = { .ins = 0xB0, .p1 = 0x81, .le = 4 };

		assert_int_equal(eid_sm_wrap(&sm, &a, &cmd), 0);
		cmd.data[cmd.len - 2] ^= 0x01;     /* last byte of DO'8E' */
		n = sim_chip_apdu(chip, cmd.data, cmd.len, resp, sizeof(resp));
		assert_hex(resp, n, "6988");
		assert_false(chip->sm_active || chip->authenticated);
	}
	/* DO'8E' missing: 6987 */
	eid_card_end_sm(&card);
	bac(&card, chip, &sm);
	raw_exact(chip, "0CB081000397010400", "6987");
	assert_false(chip->sm_active);
	/* a protected command without a session: 6988 */
	raw_exact(chip, "0CB081000397010400", "6988");
	/* malformed objects after a valid session start: 6988 */
	eid_card_end_sm(&card);
	bac(&card, chip, &sm);
	raw_exact(chip, "0CB0810005990290008E", "6988");
	eid_buf_free(&cmd);
	sim_chip_free(chip);
}

static void test_corrupt_mac_fault_gives_emac(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_sm sm;
	struct eid_apdu a = { .ins = 0xB0, .p1 = 0x81, .le = 16 };
	eid_buf got = EID_BUF_INIT;
	uint16_t sw;

	(void)state;
	opts(&o);
	o.corrupt_mac = 5;   /* SELECT, GET CHALLENGE, MUTUAL AUTH, READ, READ */
	chip = chip_new(&o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &sm);
	assert_int_equal(eid_card_transmit(&card, &a, &got, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eid_card_transmit(&card, &a, &got, &sw), -EID_EMAC);
	assert_null(card.sm);
	sim_chip_free(chip);

	/* a plain response has no MAC to corrupt: GET CHALLENGE stays intact */
	opts(&o);
	o.corrupt_mac = 1;
	chip = chip_new(&o);
	assert_int_equal(raw(chip, "0084000008", &got), 0x9000);
	assert_memory_equal(got.data, chip->challenge, 8);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_remove_after_pulls_the_card(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_apdu a = { .ins = 0x84, .le = 8 };
	uint16_t sw;

	(void)state;
	opts(&o);
	o.remove_after = 3;
	chip = chip_new(&o);
	card_init(&card, chip);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(eid_card_transmit(&card, &a, NULL, &sw), 0);
		assert_int_equal(sw, 0x9000);
	}
	assert_true(sim_vpcd_ops.removed(chip));
	assert_int_equal(eid_card_transmit(&card, &a, NULL, &sw), -EID_ENOCARD);
	sim_chip_insert(chip);
	assert_int_equal(eid_card_transmit(&card, &a, NULL, &sw), 0);
	assert_int_equal(chip->apdus, 1);
	sim_chip_free(chip);
}

/* ---- the chip core ---- */

static void test_select_variants_and_errors(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	/* EF.COM is in the application, not the MF */
	assert_int_equal(raw(chip, "00A4020C02011E", NULL), 0x6A82);
	assert_int_equal(raw(chip, "00B0000004", NULL), 0x6986);
	/* by AID with FCI */
	assert_int_equal(raw(chip, "00A4040007A000000247100100", &got), 0x9000);
	assert_hex(got.data, got.len, "6F098407A0000002471001");
	assert_int_equal(raw(chip, "00A4040C07A0000002471002", NULL), 0x6A82);
	/* EF with FCP: size 93 = 5D */
	assert_int_equal(raw(chip, "00A4020402010100", &got), 0x9000);
	assert_hex(got.data, got.len, "620B8002005D8201018302 0101");
	assert_int_equal(raw(chip, "00A4020C02010F", NULL), 0x6A82);
	/* P1 00 by FID, then back to the MF */
	assert_int_equal(raw(chip, "00A4000C020101", NULL), 0x9000);
	assert_int_equal(raw(chip, "00A4000C023F00", NULL), 0x9000);
	assert_false(chip->app_selected);
	/* EF.ATR/INFO in the MF, readable in plain, by SFI */
	assert_int_equal(raw(chip, "00B0810000", &got), 0x6282);
	assert_hex(got.data, got.len, "7F660A020300FFFF0203010000");
	/* malformed, unknown */
	assert_int_equal(raw(chip, "00A4", NULL), 0x6700);
	assert_int_equal(raw(chip, "00A4020C0501", NULL), 0x6700);
	assert_int_equal(raw(chip, "00A4080C020101", NULL), 0x6A86);
	assert_int_equal(raw(chip, "00CA010000", NULL), 0x6D00);
	assert_int_equal(raw(chip, "80A4000C023F00", NULL), 0x6E00);
	assert_int_equal(raw(chip, "0084000004", NULL), 0x6700);
	/* stage 2 commands are not there in passport-bac */
	assert_int_equal(raw(chip, "0022C1A400", NULL), 0x6D00);
	assert_int_equal(raw(chip, "00880000080102030405060708", NULL), 0x6D00);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- AES secure messaging (used after PACE in stage 2) ---- */

static void test_aes_sm_reads_files_with_proto_sm(void **state)
{
	static const enum eid_cipher ciphers[] = { EID_CIPHER_AES128, EID_CIPHER_AES192,
						   EID_CIPHER_AES256 };
	uint8_t kenc[32], kmac[32];

	(void)state;
	for (size_t i = 0; i < 32; i++) {
		kenc[i] = (uint8_t)(0x10 + i);
		kmac[i] = (uint8_t)(0xA0 ^ i);
	}
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		struct sim_options o;
		struct sim_chip *chip;
		struct eid_card card;
		struct eid_sm sm;
		eid_buf got = EID_BUF_INIT;

		opts(&o);
		chip = chip_new(&o);
		card_init(&card, chip);
		select_app(&card);
		assert_int_equal(sim_sm_start(chip, ciphers[i], kenc, kmac, NULL), 0);
		chip->authenticated = true;
		assert_int_equal(eid_sm_init(&sm, ciphers[i], kenc, kmac, NULL), 0);
		card.sm = &sm;
		assert_int_equal(select_ef(&card, 0x0101), 0x9000);
		read_current(&card, 0x40, &got);
		assert_file(chip, 0x0101, &got);
		assert_int_equal(select_ef(&card, 0x0102), 0x9000);
		read_current(&card, 1000, &got);
		assert_file(chip, 0x0102, &got);
		assert_true(chip->sm_active);
		eid_buf_free(&got);
		sim_chip_free(chip);
	}
}

/* ---- EF.SOD and the test PKI ---- */

struct sod {
	CMS_ContentInfo *cms;
	eid_buf content;
};

/* 77 { ContentInfo }: eContentType 2.23.136.1.1.1, signature checked with
 * the embedded DS certificate (chain checks below). */
static void sod_open(const struct sim_chip *chip, struct sod *s)
{
	const struct sim_file *f = sim_chip_file(chip, 0x011D);
	const unsigned char *p;
	char oid[64];
	eid_cbs c, v;
	BIO *out;
	BUF_MEM *mem;

	assert_non_null(f);
	eid_buf_cbs(&f->data, &c);
	assert_true(eid_tlv_get(&c, 0x77, &v));
	assert_int_equal(eid_cbs_len(&c), 0);
	p = eid_cbs_data(&v);
	assert_non_null(s->cms = d2i_CMS_ContentInfo(NULL, &p, (long)eid_cbs_len(&v)));
	OBJ_obj2txt(oid, sizeof(oid), CMS_get0_eContentType(s->cms), 1);
	assert_string_equal(oid, "2.23.136.1.1.1");
	out = BIO_new(BIO_s_mem());
	assert_int_equal(CMS_verify(s->cms, NULL, NULL, NULL, out,
				    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
	BIO_get_mem_ptr(out, &mem);
	eid_buf_init(&s->content);
	assert_int_equal(eid_buf_add(&s->content, mem->data, mem->length), 0);
	BIO_free(out);
}

static void sod_close(struct sod *s)
{
	CMS_ContentInfo_free(s->cms);
	eid_buf_free(&s->content);
}

static X509 *sod_signer(struct sod *s)
{
	STACK_OF(X509) *certs = CMS_get1_certs(s->cms);
	X509 *x;

	assert_int_equal(sk_X509_num(certs), 1);
	x = sk_X509_value(certs, 0);
	X509_up_ref(x);
	sk_X509_pop_free(certs, X509_free);
	return x;
}

static int count_dgs(const struct sim_chip *chip)
{
	int n = 0;

	for (size_t i = 0; i < chip->n_files; i++)
		n += chip->files[i].dg != 0;
	return n;
}

/* Each dataGroupHashValue equals SHA-256 of the file, except DG `wrong`;
 * every data group of the chip is listed. */
static void sod_check_hashes(const struct sim_chip *chip, const struct sod *s, int wrong)
{
	static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
					      0x01 };
	eid_cbs c, lso, alg, oid, hashes, dgh, hv;
	uint32_t version, dg;
	uint8_t h[32];
	int n = 0;

	eid_buf_cbs(&s->content, &c);
	assert_true(eid_der_get(&c, 0x30, &lso));
	assert_true(eid_der_get_u32(&lso, &version));
	assert_int_equal(version, 0);
	assert_true(eid_der_get(&lso, 0x30, &alg));
	assert_true(eid_der_get_oid(&alg, &oid));
	assert_true(eid_cbs_equal(&oid, oid_sha256, sizeof(oid_sha256)));
	assert_true(eid_der_get(&lso, 0x30, &hashes));
	while (eid_cbs_len(&hashes)) {
		const struct sim_file *f;

		assert_true(eid_der_get(&hashes, 0x30, &dgh));
		assert_true(eid_der_get_u32(&dgh, &dg));
		assert_true(eid_der_get(&dgh, 0x04, &hv));
		assert_non_null(f = sim_chip_file(chip, (uint16_t)(0x0100 + dg)));
		assert_int_equal(eid_sha256(f->data.data, f->data.len, h), 0);
		assert_int_equal(eid_cbs_len(&hv), 32);
		assert_true(eid_cbs_equal(&hv, h, 32) == ((int)dg != wrong));
		n++;
	}
	assert_int_equal(n, count_dgs(chip));
}

static void test_sod_ecdsa_signed_by_ds_under_csca_ec(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct sod s;
	X509 *ds, *csca;

	(void)state;
	opts(&o);
	chip = chip_new(&o);
	sod_open(chip, &s);
	sod_check_hashes(chip, &s, 0);
	ds = sod_signer(&s);
	csca = pki_cert("csca-ec-1");
	/* the CSCA has explicit curve parameters: check the signature step */
	assert_int_equal(X509_verify(ds, X509_get0_pubkey(csca)), 1);
	assert_int_equal(X509_check_issued(csca, ds), X509_V_OK);
	X509_free(ds);
	X509_free(csca);
	sod_close(&s);
	sim_chip_free(chip);
}

static void test_sod_rsa_pss_variant(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct sod s;
	X509 *ds, *csca;
	X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *aoid;
	CMS_SignerInfo *si;

	(void)state;
	opts(&o);
	o.ds_alg = SIM_DS_RSA_PSS;
	chip = chip_new(&o);
	sod_open(chip, &s);
	sod_check_hashes(chip, &s, 0);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(s.cms), 0);
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &alg);
	X509_ALGOR_get0(&aoid, NULL, NULL, alg);
	assert_int_equal(OBJ_obj2nid(aoid), NID_rsassaPss);
	ds = sod_signer(&s);
	csca = pki_cert("csca-rsa");
	assert_int_equal(X509_verify(ds, X509_get0_pubkey(csca)), 1);
	X509_free(ds);
	X509_free(csca);
	sod_close(&s);
	sim_chip_free(chip);

	/* RSA-PSS comes only with the valid DS */
	opts(&o);
	o.ds_alg = SIM_DS_RSA_PSS;
	o.ds = SIM_DS_EXPIRED;
	assert_int_equal(sim_chip_new(&o, &chip), -EID_ENOTSUP);
}

static void test_ds_fault_variants(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct sod s;
	X509 *ds, *ca;
	X509_CRL *crl;
	char path[4200];
	BIO *b;
	X509_REVOKED *rev = NULL;

	(void)state;
	/* expired: not after 2021-01-01 */
	opts(&o);
	o.ds = SIM_DS_EXPIRED;
	chip = chip_new(&o);
	sod_open(chip, &s);
	ds = sod_signer(&s);
	assert_true(X509_cmp_time(X509_get0_notAfter(ds), NULL) < 0);
	ca = pki_cert("csca-ec-1");
	assert_int_equal(X509_verify(ds, X509_get0_pubkey(ca)), 1);
	X509_free(ds);
	sod_close(&s);
	sim_chip_free(chip);

	/* revoked: on csca-ec-1's CRL, whose signature verifies */
	opts(&o);
	o.ds = SIM_DS_REVOKED;
	chip = chip_new(&o);
	sod_open(chip, &s);
	ds = sod_signer(&s);
	snprintf(path, sizeof(path), "%s/pki/crl-ec-1.crl", data_dir());
	assert_non_null(b = BIO_new_file(path, "rb"));
	assert_non_null(crl = d2i_X509_CRL_bio(b, NULL));
	BIO_free(b);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(ca)), 1);
	assert_int_equal(X509_CRL_get0_by_cert(crl, &rev, ds), 1);
	X509_CRL_free(crl);
	X509_free(ds);
	sod_close(&s);
	sim_chip_free(chip);

	/* unknown CSCA: not issued by any exported CSCA */
	opts(&o);
	o.ds = SIM_DS_UNKNOWN_CSCA;
	chip = chip_new(&o);
	sod_open(chip, &s);
	ds = sod_signer(&s);
	assert_int_not_equal(X509_verify(ds, X509_get0_pubkey(ca)), 1);
	assert_int_not_equal(X509_check_issued(ca, ds), X509_V_OK);
	X509_free(ds);
	sod_close(&s);
	sim_chip_free(chip);
	X509_free(ca);

	/* link: DS under the new CSCA, whose key the link certificate carries */
	opts(&o);
	o.ds = SIM_DS_LINK;
	chip = chip_new(&o);
	sod_open(chip, &s);
	ds = sod_signer(&s);
	ca = pki_cert("link-ec-2");
	assert_int_equal(X509_verify(ds, X509_get0_pubkey(ca)), 1);
	X509_free(ds);
	ds = pki_cert("csca-ec-1");
	assert_int_equal(X509_verify(ca, X509_get0_pubkey(ds)), 1);
	X509_free(ds);
	X509_free(ca);
	sod_close(&s);
	sim_chip_free(chip);
}

static void test_wrong_dg_hash_and_oversized_tlv_faults(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct sod s;
	const struct sim_file *f;
	uint32_t tag;
	size_t hdr, len;

	(void)state;
	opts(&o);
	o.wrong_dg_hash = 2;
	chip = chip_new(&o);
	sod_open(chip, &s);
	sod_check_hashes(chip, &s, 2);
	sod_close(&s);
	sim_chip_free(chip);

	opts(&o);
	o.oversized_tlv = 11;
	chip = chip_new(&o);
	f = sim_chip_file(chip, 0x010B);
	assert_int_equal(eid_tlv_header(f->data.data, f->data.len, &tag, &hdr, &len), 0);
	assert_int_equal(tag, 0x6B);
	assert_int_equal(hdr, 6);
	assert_int_equal(len, 0x7FFFFFF0);
	assert_true(f->data.len < 100);
	sod_open(chip, &s);     /* the hash is over the file as it is */
	sod_check_hashes(chip, &s, 0);
	sod_close(&s);
	sim_chip_free(chip);

	opts(&o);
	o.wrong_dg_hash = 5;    /* no DG5 */
	assert_int_equal(sim_chip_new(&o, &chip), -EID_ENOTFOUND);
}

static void test_pki_master_list_and_export(void **state)
{
	static const char *const files[] = {
		"csca-ec-1.pem", "csca-ec-2.pem", "link-ec-2.pem", "csca-rsa.pem",
		"crl-ec-1.crl", "crl-ec-2.crl", "crl-rsa.crl", "masterlist.ml",
	};
	char path[4200], dir[] = "/tmp/test_sim_pki_XXXXXX";
	eid_buf ml = EID_BUF_INIT, a = EID_BUF_INIT;
	CMS_ContentInfo *cms;
	const unsigned char *p;
	BIO *out;
	BUF_MEM *mem;
	char oid[64];
	eid_cbs c, seq, set, cert;
	uint32_t version;
	int n = 0;
	X509 *mls, *csca;
	STACK_OF(X509) *signers;

	(void)state;
	file_bytes("pki/masterlist.ml", &ml);
	p = ml.data;
	assert_non_null(cms = d2i_CMS_ContentInfo(NULL, &p, (long)ml.len));
	OBJ_obj2txt(oid, sizeof(oid), CMS_get0_eContentType(cms), 1);
	assert_string_equal(oid, "2.23.136.1.1.2");
	out = BIO_new(BIO_s_mem());
	assert_int_equal(CMS_verify(cms, NULL, NULL, NULL, out,
				    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
	BIO_get_mem_ptr(out, &mem);
	eid_cbs_init(&c, (const uint8_t *)mem->data, mem->length);
	assert_true(eid_der_get(&c, 0x30, &seq));
	assert_true(eid_der_get_u32(&seq, &version));
	assert_int_equal(version, 0);
	assert_true(eid_der_get(&seq, 0x31, &set));
	while (eid_cbs_len(&set)) {
		assert_true(eid_der_get(&set, 0x30, &cert));
		n++;
	}
	assert_int_equal(n, 4);
	BIO_free(out);
	/* the master-list signer is issued by csca-ec-1 */
	signers = CMS_get0_signers(cms);
	assert_int_equal(sk_X509_num(signers), 1);
	mls = sk_X509_value(signers, 0);
	csca = pki_cert("csca-ec-1");
	assert_int_equal(X509_verify(mls, X509_get0_pubkey(csca)), 1);
	sk_X509_free(signers);
	X509_free(csca);
	CMS_ContentInfo_free(cms);

	/* --export-pki copies exactly these files */
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sim_export_pki(data_dir(), dir), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;
		uint8_t tmp[4096];
		size_t k;

		snprintf(path, sizeof(path), "pki/%s", files[i]);
		file_bytes(path, &ml);
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		assert_non_null(f = fopen(path, "rb"));
		eid_buf_reset(&a);
		while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
			eid_buf_add(&a, tmp, k);
		fclose(f);
		assert_int_equal(a.len, ml.len);
		assert_memory_equal(a.data, ml.data, a.len);
		unlink(path);
	}
	rmdir(dir);
	eid_buf_free(&ml);
	eid_buf_free(&a);
}

/* ---- knobs: timing ---- */

static void test_bitrate_and_turnaround_delay_each_apdu(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct timespec t0, t1;
	long us;

	(void)state;
	opts(&o);
	o.bitrate = 10000;          /* 1 ms a byte */
	o.turnaround_us = 5000;
	chip = chip_new(&o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* 5 bytes out, 10 back: 15 ms + 5 ms */
	assert_int_equal(raw(chip, "0084000008", NULL), 0x9000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	assert_true(us >= 20000);
	assert_true(us < 2000000);
	sim_chip_free(chip);
}

/* ---- the vpcd transport over TCP ---- */

static void vpcd_send(int fd, const char *hex)
{
	eid_buf b = EID_BUF_INIT, m = EID_BUF_INIT;

	tu_unhex(&b, hex);
	eid_buf_add_u16(&m, (uint16_t)b.len);
	eid_buf_add(&m, b.data, b.len);
	assert_int_equal(write(fd, m.data, m.len), (ssize_t)m.len);
	eid_buf_free(&b);
	eid_buf_free(&m);
}

/* Read one message; -1 when the card closed the connection. */
static ssize_t vpcd_recv(int fd, uint8_t *buf, size_t max)
{
	uint8_t hdr[2];
	size_t n, got = 0;

	if (recv(fd, hdr, 2, MSG_WAITALL) != 2)
		return -1;
	n = (size_t)hdr[0] << 8 | hdr[1];
	assert_true(n <= max);
	while (got < n) {
		ssize_t r = recv(fd, buf + got, n - got, 0);

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return (ssize_t)n;
}

static void test_vpcd_transport_atr_apdus_and_removal(void **state)
{
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);
	struct sim_options o;
	struct sim_chip *chip;
	uint8_t buf[300];
	ssize_t n;
	int ls, fd, status;
	pid_t pid;

	(void)state;
	opts(&o);
	o.remove_after = 2;
	chip = chip_new(&o);
	assert_true((ls = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &slen), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ls);
		_exit(vpcd_serve("127.0.0.1", ntohs(sa.sin_port), 5000, &sim_vpcd_ops, chip,
				 NULL) == 0 && chip->removed ? 0 : 1);
	}
	assert_true((fd = accept(ls, NULL, NULL)) >= 0);
	vpcd_send(fd, "01");                       /* power on: no answer */
	vpcd_send(fd, "04");                       /* ATR */
	n = vpcd_recv(fd, buf, sizeof(buf));
	assert_hex(buf, (size_t)n, "3B8580018073000040" "B7");
	vpcd_send(fd, "00A4040C07A0000002471001");
	n = vpcd_recv(fd, buf, sizeof(buf));
	assert_hex(buf, (size_t)n, "9000");
	vpcd_send(fd, "0084000008");
	n = vpcd_recv(fd, buf, sizeof(buf));
	assert_int_equal(n, 10);
	assert_hex(buf + 8, 2, "9000");
	/* the card is pulled after the second APDU: the connection closes */
	assert_int_equal(vpcd_recv(fd, buf, sizeof(buf)), -1);
	close(fd);
	close(ls);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sim_chip_free(chip);
}

static void test_profiles_table(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = NULL;

	(void)state;
	assert_non_null(sim_profile_find("passport-bac"));
	assert_non_null(sim_profile_find("passport-pace"));
	assert_non_null(sim_profile_find("passport-pace-dh"));
	assert_non_null(sim_profile_find("passport-cam"));
	assert_null(sim_profile_find("nope"));
	opts(&o);
	o.profile = "nope";
	assert_int_equal(sim_chip_new(&o, &chip), -EID_ENOTFOUND);
	assert_null(chip);
	sim_chip_free(NULL);
}

/* ---- stage 2: the chip's own group arithmetic against the worked examples ---- */

static void unhex_bn(const char *hex, BIGNUM **bn)
{
	*bn = NULL;
	assert_true(BN_hex2bn(bn, hex) > 0);
}

/* PACE tokens (vectors.md 2.1 ECDH GM, 2.2 DH GM, 2.5 PACE-CAM): T_IFD over
 * the chip's ephemeral key, T_IC over the terminal's. */
static void test_chip_pace_tokens_match_icao_g1_g2_i1(void **state)
{
	static const struct {
		const char *oid, *kmac, *chip_pub, *term_pub, *t_ifd, *t_ic;
		bool dh;
	} v[] = {
		{ "04007F00070202040202", "FE251C7858B356B24514B3BD5F4297D1",
		  "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094",
		  "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462",
		  "C2B0BD78D94BA866", "3ABB9674BCE93C08", false },
		{ "04007F00070202040102", "805A1D27D45A5116F73C54469462B7D8",
		  "075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1",
		  "907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747CC7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4",
		  "B46DD9BD4D98381F", "917F37B5C0E6D8D1", true },
		{ "04007F00070202040602", "4B1C06491ED5140CA2B537D344C6C0B1",
		  "0402AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA993333111C3B9B4C2287789BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E1",
		  "04446C934084D9DAB863944F219520076C29EE3F7AE6722B11FF319EC1C7728F955483400BFF60BF0C5929270009277DC2A515E12575010AD9BA916CF1BF86FEFC",
		  "E86BD06018A1CD3B", "8596CF055C67C1A3", false },
	};
	eid_buf oid = EID_BUF_INIT, kmac = EID_BUF_INIT, chip = EID_BUF_INIT, term = EID_BUF_INIT;
	uint8_t t[8];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tu_unhex(&oid, v[i].oid);
		tu_unhex(&kmac, v[i].kmac);
		tu_unhex(&chip, v[i].chip_pub);
		tu_unhex(&term, v[i].term_pub);
		assert_int_equal(sim_pace_token(EID_CIPHER_AES128, kmac.data, oid.data, oid.len,
						v[i].dh, chip.data, chip.len, t), 0);
		assert_hex(t, 8, v[i].t_ifd);
		assert_int_equal(sim_pace_token(EID_CIPHER_AES128, kmac.data, oid.data, oid.len,
						v[i].dh, term.data, term.len, t), 0);
		assert_hex(t, 8, v[i].t_ic);
	}
	eid_buf_free(&oid);
	eid_buf_free(&kmac);
	eid_buf_free(&chip);
	eid_buf_free(&term);
}

/* PACE-CAM chip side (vectors.md 2.5): CA_IC from s_Map,IC and s_IC, A_IC
 * under KSenc; and the chip's PACE OIDs. */
static void test_chip_cam_data_matches_icao_i1(void **state)
{
	static const struct sim_pace_info gm = { EID_PACE_GM, EID_KA_ECDH, EID_CIPHER_AES128, 13 },
		cam = { EID_PACE_CAM, EID_KA_ECDH, EID_CIPHER_AES128, 13 },
		dh = { EID_PACE_GM, EID_KA_DH, EID_CIPHER_AES128, 0 },
		cam3des = { EID_PACE_CAM, EID_KA_ECDH, EID_CIPHER_3DES, 13 };
	struct sim_group *g = NULL;
	BIGNUM *sk_map, *sk_ic;
	eid_buf ca = EID_BUF_INIT, a = EID_BUF_INIT, kenc = EID_BUF_INIT;
	uint8_t oid[10];

	(void)state;
	assert_int_equal(sim_group_new(13, &g), 0);
	assert_int_equal(g->plen, 32);
	assert_int_equal(g->qlen, 32);
	unhex_bn("9E56A6B59C95D06ECE5CD10F983BB2F4F1943528E577F23881D89D8C3BBEE0AA", &sk_map);
	unhex_bn("86C88A4579CE48135878E6348A734B5D47CE5BC1E54C0E8978687B49FDE2E2C2", &sk_ic);
	assert_int_equal(sim_cam_ca_ic(g, sk_map, sk_ic, &ca), 0);
	assert_hex(ca.data, ca.len, "85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3");
	tu_unhex(&kenc, "0A9DA4DB03BDDE39FC5202BC44B2E89E");
	assert_int_equal(sim_cam_encrypt(EID_CIPHER_AES128, kenc.data, ca.data, ca.len, &a), 0);
	assert_hex(a.data, a.len, "1EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD"
				  "10CBA372B42BE0B9B5F28AA8DE2F4F92");
	eid_buf_reset(&a);
	assert_int_equal(sim_cam_encrypt(EID_CIPHER_3DES, kenc.data, ca.data, ca.len, &a),
			 -EID_ENOTSUP);
	assert_int_equal(sim_pace_oid(&gm, oid), 0);
	assert_hex(oid, 10, "04007F00070202040202");
	assert_int_equal(sim_pace_oid(&cam, oid), 0);
	assert_hex(oid, 10, "04007F00070202040602");
	assert_int_equal(sim_pace_oid(&dh, oid), 0);
	assert_hex(oid, 10, "04007F00070202040102");
	assert_int_equal(sim_pace_oid(&cam3des, oid), -EID_ENOTSUP);
	BN_free(sk_map);
	BN_free(sk_ic);
	sim_group_free(g);
	eid_buf_free(&ca);
	eid_buf_free(&a);
	eid_buf_free(&kenc);
}

/* Key checks: points off the curve, the identity, wrong lengths, DH values
 * outside 1 < y < p-1 or outside the subgroup are refused. */
static void test_chip_refuses_invalid_public_keys(void **state)
{
	static const char pk_ic[] =
		"041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8"
		"84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F";
	static const char dh_pub[] =
		"907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747CC7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4";
	struct sim_group *ec = NULL, *dh = NULL;
	eid_buf k = EID_BUF_INIT;

	(void)state;
	assert_int_equal(sim_group_new(13, &ec), 0);
	assert_int_equal(sim_group_new(7, &dh), -EID_ENOTSUP);
	assert_null(dh);
	assert_int_equal(sim_group_new(0, &dh), 0);
	assert_true(dh->dh);
	assert_int_equal(dh->plen, 128);
	assert_int_equal(dh->qlen, 20);
	tu_unhex(&k, pk_ic);
	assert_true(sim_group_pub_ok(ec, k.data, k.len));
	k.data[k.len - 1] ^= 1;                 /* off the curve */
	assert_false(sim_group_pub_ok(ec, k.data, k.len));
	k.data[k.len - 1] ^= 1;
	k.data[0] = 0x02;                       /* compressed: not what PACE sends */
	assert_false(sim_group_pub_ok(ec, k.data, k.len));
	assert_false(sim_group_pub_ok(ec, k.data, k.len - 1));
	tu_unhex(&k, "00");
	assert_false(sim_group_pub_ok(ec, k.data, k.len));
	tu_unhex(&k, dh_pub);
	assert_true(sim_group_pub_ok(dh, k.data, k.len));
	k.data[5] ^= 1;                         /* not in the subgroup of order q */
	assert_false(sim_group_pub_ok(dh, k.data, k.len));
	memset(k.data, 0, k.len);
	k.data[k.len - 1] = 1;                  /* y = 1 */
	assert_false(sim_group_pub_ok(dh, k.data, k.len));
	assert_false(sim_group_pub_ok(dh, k.data, 64));
	eid_buf_free(&k);
	sim_group_free(ec);
	sim_group_free(dh);
}

/* ---- stage 2: the profiles' files ---- */

static struct sim_chip *profile_chip(const char *profile, struct sim_options *o)
{
	opts(o);
	o->profile = profile;
	return chip_new(o);
}

static const struct sim_file *dg_file_of(const struct sim_chip *chip, int dg)
{
	return sim_chip_file(chip, (uint16_t)(0x0100 + dg));
}

/* EF.CardAccess byte for byte; DG14 and DG15 through proto/secinfo and
 * proto/lds; the CA key is the ICAO App. I chip key (vectors.md 2.5);
 * EF.COM lists them and EF.SOD hashes them. */
static void test_cam_profile_publishes_cardaccess_dg14_dg15(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = profile_chip("passport-cam", &o);
	const struct sim_file *f;
	const struct eid_secinfo *si;
	struct eid_secinfos *set = NULL;
	struct eid_lds_dg15 dg15;
	struct sod s;

	(void)state;
	assert_non_null(f = sim_chip_file(chip, 0x011C));
	assert_true(f->in_mf);
	assert_int_equal(f->sfi, 0x1C);
	assert_int_equal(f->access, SIM_ACCESS_ALWAYS);
	assert_hex(f->data.data, f->data.len,
		   "31283012060A04007F0007020204020202010202010D"
		   "3012060A04007F0007020204060202010202010D");

	assert_non_null(f = dg_file_of(chip, 14));
	assert_int_equal(eid_secinfos_parse_dg14(f->data.data, f->data.len, &set), 0);
	assert_int_equal(set->n, 3);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_CA, 0));
	assert_string_equal(si->oid_text, "0.4.0.127.0.7.2.2.3.2.2");
	assert_int_equal(si->version, 1);
	assert_int_equal(si->key_id, -1);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_CA_PK, 0));
	assert_string_equal(si->oid_text, "0.4.0.127.0.7.2.2.1.2");
	assert_hex(eid_cbs_data(&si->public_key), eid_cbs_len(&si->public_key),
		   "041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8"
		   "84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F");
	assert_non_null(si = eid_secinfos_find(set, EID_SI_AA, 0));
	assert_int_equal(si->version, 1);
	assert_hex(eid_cbs_data(&si->sig_alg), eid_cbs_len(&si->sig_alg), "04007F00070101040103");
	eid_secinfos_free(set);

	assert_non_null(f = dg_file_of(chip, 15));
	memset(&dg15, 0, sizeof(dg15));
	assert_int_equal(eid_lds_dg15_parse(f->data.data, f->data.len, &dg15), 0);
	assert_true(dg15.spki.len > 0);
	eid_lds_dg15_clear(&dg15);

	/* EF.COM: 5C { 61 75 6B 6C 6E 6F } */
	assert_non_null(f = sim_chip_file(chip, 0x011E));
	assert_hex(f->data.data + f->data.len - 8, 8, "5C0661756B6C6E6F");
	sod_open(chip, &s);
	sod_check_hashes(chip, &s, 0);
	sod_close(&s);
	sim_chip_free(chip);
}

/* passport-pace: one PACEInfo (ECDH GM, param 13), DG14 without
 * ActiveAuthenticationInfo, DG15 an RSA-1024 key; passport-pace-dh: DH GM
 * param 0; passport-bac has none of these files; --aa adds DG15 to it. */
static void test_profiles_offer_their_protocols(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	const struct sim_file *f;
	struct eid_secinfos *set = NULL;
	struct eid_lds_dg15 dg15;
	const unsigned char *p;
	EVP_PKEY *key;

	(void)state;
	chip = profile_chip("passport-pace", &o);
	assert_non_null(f = sim_chip_file(chip, 0x011C));
	assert_hex(f->data.data, f->data.len, "31143012060A04007F0007020204020202010202010D");
	assert_non_null(f = dg_file_of(chip, 14));
	assert_int_equal(eid_secinfos_parse_dg14(f->data.data, f->data.len, &set), 0);
	assert_int_equal(set->n, 2);
	assert_null(eid_secinfos_find(set, EID_SI_AA, 0));
	eid_secinfos_free(set);
	assert_non_null(f = dg_file_of(chip, 15));
	memset(&dg15, 0, sizeof(dg15));
	assert_int_equal(eid_lds_dg15_parse(f->data.data, f->data.len, &dg15), 0);
	p = dg15.spki.data;
	assert_non_null(key = d2i_PUBKEY(NULL, &p, (long)dg15.spki.len));
	assert_true(EVP_PKEY_is_a(key, "RSA"));
	assert_int_equal(EVP_PKEY_get_bits(key), 1024);
	EVP_PKEY_free(key);
	eid_lds_dg15_clear(&dg15);
	sim_chip_free(chip);

	chip = profile_chip("passport-pace-dh", &o);
	assert_non_null(f = sim_chip_file(chip, 0x011C));
	assert_hex(f->data.data, f->data.len, "31143012060A04007F00070202040102020102020100");
	assert_non_null(dg_file_of(chip, 14));
	assert_non_null(dg_file_of(chip, 15));
	sim_chip_free(chip);

	chip = profile_chip("passport-bac", &o);
	assert_null(sim_chip_file(chip, 0x011C));
	assert_null(dg_file_of(chip, 14));
	assert_null(dg_file_of(chip, 15));
	sim_chip_free(chip);
	opts(&o);
	o.aa = SIM_AA_RSA;
	chip = chip_new(&o);
	assert_null(dg_file_of(chip, 14));
	assert_non_null(dg_file_of(chip, 15));
	sim_chip_free(chip);
	/* a CAN must be digits */
	opts(&o);
	strcpy(o.can, "12a456");
	assert_int_equal(sim_chip_new(&o, &chip), -EID_EINVAL);
}

/* ---- stage 2: PACE through proto/pace.c ---- */

/* The PACEInfo of EF.CardAccess with this mapping, as proto/secinfo reads it. */
static void pace_algo(const struct sim_chip *chip, enum eid_pace_mapping mapping,
		      struct eid_pace_algo *algo, int *param_id)
{
	const struct sim_file *f = sim_chip_file(chip, 0x011C);
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *si;
	bool found = false;

	assert_non_null(f);
	assert_int_equal(eid_secinfos_parse(f->data.data, f->data.len, &set), 0);
	for (size_t i = 0; (si = eid_secinfos_find(set, EID_SI_PACE, i)); i++) {
		assert_int_equal(eid_pace_algo_from_oid(si->oid, si->oid_len, algo), 0);
		if (algo->mapping == mapping) {
			*param_id = si->parameter_id;
			found = true;
			break;
		}
	}
	eid_secinfos_free(set);
	assert_true(found);
}

/* PACE with proto/pace.c; pw NULL: the holder's MRZ key. */
static int pace_run(struct eid_card *card, struct sim_chip *chip, enum eid_pace_mapping mapping,
		    enum eid_password pw, const char *can, struct eid_pace_result *res)
{
	const struct sim_holder *h = &chip->opt.holder;
	struct eid_pace_algo algo;
	int param_id = -1;
	uint8_t k[20];

	pace_algo(chip, mapping, &algo, &param_id);
	if (pw == EID_PW_CAN)
		return eid_pace_run(card, &algo, param_id, pw, (const uint8_t *)can, strlen(can),
				    NULL, res);
	assert_int_equal(eid_mrz_key_hash(h->doc_number, h->date_of_birth, h->date_of_expiry,
					  k), 0);
	return eid_pace_run(card, &algo, param_id, pw, k, sizeof(k), NULL, res);
}

/* Select the application and read a file whole under the card's channel. */
static void read_app_file(struct eid_card *card, uint16_t fid, eid_buf *out)
{
	assert_int_equal(select_app(card), 0x9000);
	assert_int_equal(select_ef(card, fid), 0x9000);
	read_current(card, 0xDF, out);
}

static void dg14_ca_pk(const struct sim_chip *chip, eid_buf *pk)
{
	const struct sim_file *f = dg_file_of(chip, 14);
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *si;

	assert_non_null(f);
	assert_int_equal(eid_secinfos_parse_dg14(f->data.data, f->data.len, &set), 0);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_CA_PK, 0));
	assert_int_equal(eid_buf_set(pk, eid_cbs_data(&si->public_key),
				     eid_cbs_len(&si->public_key)), 0);
	eid_secinfos_free(set);
}

/* Each profile with each password: OpenPACE's chip side (PACE-CAM ours)
 * against proto/pace.c, then DG1 read under the new AES channel; PACE-CAM's
 * data checked against DG14's key with eid_pace_cam_verify. */
static void test_pace_each_profile_and_password(void **state)
{
	static const struct {
		const char *profile;
		enum eid_pace_mapping mapping;
	} runs[] = {
		{ "passport-pace", EID_PACE_GM },
		{ "passport-pace-dh", EID_PACE_GM },
		{ "passport-cam", EID_PACE_CAM },
		{ "passport-cam", EID_PACE_GM },
	};
	static const enum eid_password pws[] = { EID_PW_MRZ, EID_PW_CAN };

	(void)state;
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		for (size_t j = 0; j < 2; j++) {
			struct sim_options o;
			struct sim_chip *chip = profile_chip(runs[i].profile, &o);
			struct eid_pace_result res;
			struct eid_card card;
			eid_buf got = EID_BUF_INIT, pk = EID_BUF_INIT;

			card_init(&card, chip);
			assert_int_equal(pace_run(&card, chip, runs[i].mapping, pws[j], "123456",
						  &res), 0);
			assert_int_equal(res.sm.cipher, EID_CIPHER_AES128);
			assert_true(chip->sm_active);
			assert_true(chip->authenticated);
			assert_null(chip->pace_session);
			card.sm = &res.sm;
			read_app_file(&card, 0x0101, &got);
			assert_file(chip, 0x0101, &got);
			if (runs[i].mapping == EID_PACE_CAM) {
				assert_int_equal(res.ca_ic_len, 32);
				dg14_ca_pk(chip, &pk);
				assert_int_equal(eid_pace_cam_verify(&res, pk.data, pk.len), 0);
				pk.data[pk.len - 1] ^= 1;
				assert_int_not_equal(eid_pace_cam_verify(&res, pk.data, pk.len), 0);
			} else {
				assert_int_equal(res.ca_ic_len, 0);
			}
			eid_pace_result_clear(&res);
			eid_buf_free(&got);
			eid_buf_free(&pk);
			sim_chip_free(chip);
		}
	}
}

/* A wrong CAN or MRZ: the chip refuses the terminal's token (6300), proto
 * says -EID_EPASSWORD, nothing is readable; the right one works next. */
static void test_pace_wrong_password_is_refused(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_pace_result res;
	struct eid_pace_algo algo;
	struct eid_card card;
	eid_buf got = EID_BUF_INIT;
	uint8_t k[20];
	int param_id = -1;

	(void)state;
	chip = profile_chip("passport-pace", &o);
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_GM, EID_PW_CAN, "654321", &res),
			 -EID_EPASSWORD);
	assert_false(chip->sm_active);
	assert_false(chip->authenticated);
	assert_int_equal(raw(chip, "00A4040C07A0000002471001", NULL), 0x9000);
	assert_int_equal(raw(chip, "00B0810004", &got), 0x6982);
	pace_algo(chip, EID_PACE_GM, &algo, &param_id);
	assert_int_equal(eid_mrz_key_hash("C11T002JM", "960812", "991231", k), 0);
	assert_int_equal(eid_pace_run(&card, &algo, param_id, EID_PW_MRZ, k, sizeof(k), NULL, &res),
			 -EID_EPASSWORD);
	assert_false(chip->sm_active);
	/* the chip has another CAN */
	sim_chip_free(chip);
	opts(&o);
	o.profile = "passport-cam";
	strcpy(o.can, "987654");
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_CAM, EID_PW_CAN, "123456", &res),
			 -EID_EPASSWORD);
	assert_int_equal(pace_run(&card, chip, EID_PACE_CAM, EID_PW_CAN, "987654", &res), 0);
	card.sm = &res.sm;
	read_app_file(&card, 0x0101, &got);
	assert_file(chip, 0x0101, &got);
	eid_pace_result_clear(&res);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* MSE:Set AT and GENERAL AUTHENTICATE out of order or with wrong data. */
static void test_pace_commands_refuse_bad_input(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = profile_chip("passport-pace", &o);
	eid_buf got = EID_BUF_INIT;

	(void)state;
	/* not offered: IM OID, another parameter ID, PIN, unknown tag */
	assert_int_equal(raw(chip, "0022C1A40F800A04007F00070202040402830101", NULL), 0x6A80);
	assert_int_equal(raw(chip, "0022C1A412800A04007F0007020204020283010184010C", NULL), 0x6A80);
	assert_int_equal(raw(chip, "0022C1A40F800A04007F00070202040202830103", NULL), 0x6A88);
	assert_int_equal(raw(chip, "0022C1A412800A04007F00070202040202830101850100", NULL), 0x6A80);
	assert_int_equal(raw(chip, "0022C1A40C800A04007F00070202040202", NULL), 0x6A80);
	/* GENERAL AUTHENTICATE without MSE:Set AT */
	assert_int_equal(raw(chip, "10860000027C0000", NULL), 0x6985);
	/* chaining where there is none */
	assert_int_equal(raw(chip, "10B0810004", NULL), 0x6884);
	/* with the parameter ID (vectors.md 2.1 gmrtd variant) */
	assert_int_equal(raw(chip, "0022C1A412800A04007F0007020204020283010184010D", NULL), 0x9000);
	/* step 1 must be chained, and hold 7C 00 */
	assert_int_equal(raw(chip, "00860000027C0000", NULL), 0x6985);
	assert_int_equal(raw(chip, "10860000027C0000", NULL), 0x6985);  /* the run ended */
	assert_int_equal(raw(chip, "0022C1A40F800A04007F00070202040202830102", NULL), 0x9000);
	assert_int_equal(raw(chip, "10860000047C02800000", NULL), 0x6A80);
	assert_int_equal(raw(chip, "0022C1A40F800A04007F00070202040202830102", NULL), 0x9000);
	assert_int_equal(raw(chip, "10860000027C0000", &got), 0x9000);
	assert_int_equal(got.len, 20);                   /* 7C 12 80 10 z */
	assert_hex(got.data, 4, "7C128010");
	/* step 2: a point off the curve */
	assert_int_equal(raw(chip, "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D"
				   "896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70"
				   "C25AF71777A9C4922E00", NULL), 0x6A80);
	assert_null(chip->pace_session);
	/* step 2 with the worked example's terminal key (on the curve) */
	assert_int_equal(raw(chip, "0022C1A40F800A04007F00070202040202830102", NULL), 0x9000);
	assert_int_equal(raw(chip, "10860000027C0000", NULL), 0x9000);
	assert_int_equal(raw(chip, "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D"
				   "896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70"
				   "C25AF71777A9C4922D00", &got), 0x9000);
	assert_int_equal(got.len, 69);
	assert_hex(got.data, 5, "7C43824104");
	/* step 4 before step 3 */
	assert_int_equal(raw(chip, "008600000C7C0A8508C2B0BD78D94BA86600", NULL), 0x6985);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- stage 2: Chip Authentication through proto/ca.c ---- */

static void dg14_ca_init(const struct sim_chip *chip, struct eid_ca_ctx *ca)
{
	const struct sim_file *f = dg_file_of(chip, 14);
	struct eid_secinfos *set = NULL;

	assert_non_null(f);
	assert_int_equal(eid_secinfos_parse_dg14(f->data.data, f->data.len, &set), 0);
	assert_int_equal(eid_ca_init(ca, eid_secinfos_find(set, EID_SI_CA, 0),
				     eid_secinfos_find(set, EID_SI_CA_PK, 0)), 0);
	eid_secinfos_free(set);
}

/* CA v1 after PACE and after BAC: the answer under the old keys, then DG1
 * read under the new ones (SSC 0); the old keys are refused. */
static void test_ca_after_pace_and_bac_switches_keys(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = profile_chip("passport-pace", &o);
	struct eid_pace_result res;
	struct eid_ca_ctx ca;
	struct eid_card card;
	struct eid_sm sm, old;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_GM, EID_PW_MRZ, NULL, &res), 0);
	card.sm = &res.sm;
	assert_int_equal(select_app(&card), 0x9000);
	dg14_ca_init(chip, &ca);
	assert_int_equal(ca.version, 1);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&card, &ca, &sm), 0);
	eid_ca_clear(&ca);
	assert_int_equal(sm.cipher, EID_CIPHER_AES128);
	assert_true(chip->sm_active);
	assert_memory_equal(chip->sm.kenc, sm.kenc, 16);
	assert_memory_equal(chip->sm.kmac, sm.kmac, 16);
	old = res.sm;
	card.sm = &sm;
	read_app_file(&card, 0x0101, &got);
	assert_file(chip, 0x0101, &got);
	/* the PACE keys no longer work: 6988 in plain, the session ends */
	card.sm = &old;
	{
		struct eid_apdu a = { .ins = 0xB0, .p1 = 0x81, .le = 4 };
		uint16_t sw = 0;

		assert_int_equal(eid_card_transmit(&card, &a, &got, &sw), 0);
		assert_int_equal(sw, 0x6988);
	}
	assert_false(chip->sm_active);
	eid_pace_result_clear(&res);
	sim_chip_free(chip);

	/* after BAC (3DES), CA gives AES keys */
	chip = profile_chip("passport-pace", &o);
	card_init(&card, chip);
	select_app(&card);
	bac(&card, chip, &old);
	dg14_ca_init(chip, &ca);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&card, &ca, &sm), 0);
	eid_ca_clear(&ca);
	card.sm = &sm;
	read_app_file(&card, 0x010F, &got);
	assert_file(chip, 0x010F, &got);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* The 3DES variant (MSE:Set KAT), and what CA refuses: a key off the
 * curve, another OID, a key ID the chip has not, no session. */
static void test_ca_kat_variant_and_errors(void **state)
{
	static const uint8_t oid_3des[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02,
					    0x01 };
	static const uint8_t oid_aes256[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02,
					      0x04 };
	struct sim_options o;
	struct sim_chip *chip = profile_chip("passport-pace", &o);
	struct eid_pace_result res;
	struct eid_ca_ctx ca;
	struct eid_card card;
	struct eid_sm sm;
	eid_buf pk = EID_BUF_INIT, got = EID_BUF_INIT;

	(void)state;
	/* no session: 6982 */
	assert_int_equal(raw(chip, "002241A40C800A04007F00070202030202", NULL), 0x6982);
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_GM, EID_PW_CAN, "123456", &res), 0);
	card.sm = &res.sm;
	dg14_ca_pk(chip, &pk);
	assert_int_equal(eid_ca_init_raw(&ca, oid_3des, sizeof(oid_3des), 1, -1, 13, pk.data,
					 pk.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&card, &ca, &sm), 0);
	eid_ca_clear(&ca);
	assert_int_equal(sm.cipher, EID_CIPHER_3DES);
	assert_int_equal(chip->sm.cipher, EID_CIPHER_3DES);
	card.sm = &sm;
	read_app_file(&card, 0x0101, &got);
	assert_file(chip, 0x0101, &got);
	/* another cipher than DG14 names: 6A80; a key ID: 6A88 */
	assert_int_equal(eid_ca_init_raw(&ca, oid_aes256, sizeof(oid_aes256), 1, -1, 13, pk.data,
					 pk.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&card, &ca, &res.sm), -EID_ESW);
	eid_ca_clear(&ca);
	assert_true(chip->sm_active);             /* a refused MSE keeps the session */
	dg14_ca_init(chip, &ca);
	ca.key_id = 1;
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&card, &ca, &res.sm), -EID_ESW);
	eid_ca_clear(&ca);
	/* a terminal key off the curve: the chip checks it (6A80) */
	dg14_ca_init(chip, &ca);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	ca.pub.data[ca.pub.len - 1] ^= 1;
	assert_int_equal(eid_ca_run(&card, &ca, &res.sm), -EID_ESW);
	eid_ca_clear(&ca);
	assert_true(chip->sm_active);
	eid_pace_result_clear(&res);
	eid_buf_free(&pk);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- stage 2: Active Authentication through proto/aa.c ---- */

static void aa_run(struct sim_chip *chip, enum eid_pace_mapping mapping, int expect)
{
	const struct sim_file *f;
	const struct eid_secinfo *si = NULL;
	struct eid_secinfos *set = NULL;
	struct eid_pace_result res;
	struct eid_lds_dg15 dg15;
	struct eid_card card;

	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, mapping, EID_PW_MRZ, NULL, &res), 0);
	card.sm = &res.sm;
	assert_int_equal(select_app(&card), 0x9000);
	if ((f = dg_file_of(chip, 14))) {
		assert_int_equal(eid_secinfos_parse_dg14(f->data.data, f->data.len, &set), 0);
		si = eid_secinfos_find(set, EID_SI_AA, 0);
	}
	assert_non_null(f = dg_file_of(chip, 15));
	memset(&dg15, 0, sizeof(dg15));
	assert_int_equal(eid_lds_dg15_parse(f->data.data, f->data.len, &dg15), 0);
	assert_int_equal(eid_aa_authenticate(&card, dg15.spki.data, dg15.spki.len,
					     si ? eid_cbs_data(&si->sig_alg) : NULL,
					     si ? eid_cbs_len(&si->sig_alg) : 0, NULL),
			 expect);
	eid_lds_dg15_clear(&dg15);
	eid_secinfos_free(set);
	eid_pace_result_clear(&res);
}

/* RSA ISO 9796-2 with SHA-1 (BC) and SHA-256 (34CC), ECDSA plain: each
 * verified by proto/aa.c; a signature from another key is not. */
static void test_aa_rsa_and_ecdsa_verify_with_proto_aa(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	EVP_PKEY *other = NULL;

	(void)state;
	chip = profile_chip("passport-pace", &o);
	assert_int_equal(chip->aa, SIM_AA_RSA);
	aa_run(chip, EID_PACE_GM, 0);
	sim_chip_free(chip);

	opts(&o);
	o.profile = "passport-pace";
	o.aa = SIM_AA_RSA_SHA256;
	chip = chip_new(&o);
	aa_run(chip, EID_PACE_GM, 0);
	sim_chip_free(chip);

	chip = profile_chip("passport-cam", &o);
	assert_int_equal(chip->aa, SIM_AA_ECDSA);
	aa_run(chip, EID_PACE_CAM, 0);
	/* the chip signs with a key DG15 does not hold */
	other = EVP_EC_gen("brainpoolP256r1");
	assert_non_null(other);
	EVP_PKEY_free(chip->aa_key);
	chip->aa_key = other;
	aa_run(chip, EID_PACE_CAM, -EID_EAUTH);
	sim_chip_free(chip);

	/* no session: 6982; wrong challenge length: 6700 */
	opts(&o);
	o.profile = "passport-pace-dh";
	o.aa = SIM_AA_NONE;
	chip = chip_new(&o);
	assert_null(dg_file_of(chip, 15));
	assert_int_equal(raw(chip, "00880000081122334455667788FF", NULL), 0x6D00);
	sim_chip_free(chip);
	chip = profile_chip("passport-pace-dh", &o);
	assert_int_equal(raw(chip, "00880000081122334455667788FF", NULL), 0x6982);
	sim_chip_free(chip);
}

/* ---- stage 2: faults under AES secure messaging ---- */

static void test_faults_work_under_aes_sm(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_pace_result res;
	struct eid_card card;
	struct eid_apdu a = { .ins = 0xB0, .p1 = 0x81, .le = 16 };
	eid_buf got = EID_BUF_INIT;
	uint16_t sw;

	(void)state;
	/* MSE, GA x4, then the 6th response is protected */
	opts(&o);
	o.profile = "passport-pace";
	o.corrupt_mac = 7;
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_GM, EID_PW_CAN, "123456", &res), 0);
	card.sm = &res.sm;
	assert_int_equal(select_app(&card), 0x9000);
	assert_int_equal(eid_card_transmit(&card, &a, &got, &sw), -EID_EMAC);
	assert_null(card.sm);
	eid_pace_result_clear(&res);
	sim_chip_free(chip);

	/* pulled during PACE */
	opts(&o);
	o.profile = "passport-cam";
	o.remove_after = 3;
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(pace_run(&card, chip, EID_PACE_CAM, EID_PW_MRZ, NULL, &res),
			 -EID_ENOCARD);
	sim_chip_free(chip);
	eid_buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dg1_equals_bsi_specimen_dg1),
		cmocka_unit_test(test_mrz_of_custom_holder_has_icao_check_digits),
		cmocka_unit_test(test_ef_com_lists_the_data_groups),
		cmocka_unit_test(test_dg11_dg12_parse_with_proto_lds),
		cmocka_unit_test(test_dg2_jpeg_and_jp2_in_19794_and_39794),
		cmocka_unit_test(test_chip_bac_and_sm_match_icao_app_d),
		cmocka_unit_test(test_wrong_bac_key_gives_6300),
		cmocka_unit_test(test_bac_then_read_every_file_under_sm),
		cmocka_unit_test(test_read_by_sfi_and_by_odd_ins),
		cmocka_unit_test(test_end_of_file_6282_and_beyond_6b00),
		cmocka_unit_test(test_max_le_caps_every_response),
		cmocka_unit_test(test_short_apdus_under_sm_fit_256_bytes),
		cmocka_unit_test(test_no_extended_rejects_extended_apdus),
		cmocka_unit_test(test_unprotected_read_gives_6982),
		cmocka_unit_test(test_sm_errors_6987_6988_end_the_session),
		cmocka_unit_test(test_corrupt_mac_fault_gives_emac),
		cmocka_unit_test(test_remove_after_pulls_the_card),
		cmocka_unit_test(test_select_variants_and_errors),
		cmocka_unit_test(test_aes_sm_reads_files_with_proto_sm),
		cmocka_unit_test(test_sod_ecdsa_signed_by_ds_under_csca_ec),
		cmocka_unit_test(test_sod_rsa_pss_variant),
		cmocka_unit_test(test_ds_fault_variants),
		cmocka_unit_test(test_wrong_dg_hash_and_oversized_tlv_faults),
		cmocka_unit_test(test_pki_master_list_and_export),
		cmocka_unit_test(test_bitrate_and_turnaround_delay_each_apdu),
		cmocka_unit_test(test_vpcd_transport_atr_apdus_and_removal),
		cmocka_unit_test(test_profiles_table),
		cmocka_unit_test(test_chip_pace_tokens_match_icao_g1_g2_i1),
		cmocka_unit_test(test_chip_cam_data_matches_icao_i1),
		cmocka_unit_test(test_chip_refuses_invalid_public_keys),
		cmocka_unit_test(test_cam_profile_publishes_cardaccess_dg14_dg15),
		cmocka_unit_test(test_profiles_offer_their_protocols),
		cmocka_unit_test(test_pace_each_profile_and_password),
		cmocka_unit_test(test_pace_wrong_password_is_refused),
		cmocka_unit_test(test_pace_commands_refuse_bad_input),
		cmocka_unit_test(test_ca_after_pace_and_bac_switches_keys),
		cmocka_unit_test(test_ca_kat_variant_and_errors),
		cmocka_unit_test(test_aa_rsa_and_ecdsa_verify_with_proto_aa),
		cmocka_unit_test(test_faults_work_under_aes_sm),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
