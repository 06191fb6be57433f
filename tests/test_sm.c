/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of proto/sm.c: the ICAO 9303-11 App. D.4 3DES exchange, the
 * BSI EAC worked example's AES values, a real Chip Authentication session
 * with a key change (vectors.md 1.4, 3.1, 3.2, 3.3), encoding rules, and
 * every way a response can be refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "sm.h"

/* vectors.md 1.4 */
#define BAC_KSENC "979EC13B1CBFE9DCD01AB0FED307EAE5"
#define BAC_KSMAC "F1CB1F1FB5ADF208806B89DC579DC1F8"
#define BAC_SSC   "887022120C06C226"
/* vectors.md 3.3 */
#define CA_OLD_KSENC "524170DE3419B7AF2F23E45AD6EF9595"
#define CA_OLD_KSMAC "97893F5FDC29A5C13A924FE7D8ED44FD"
#define CA_NEW_KSENC "C8E27260EFD3F318D18C080CBF11C7E6"
#define CA_NEW_KSMAC "A942190365204A21409EB28B52BF9160"

/* ---- helpers ---- */

static void sm_setup(struct eid_sm *sm, enum eid_cipher c, const char *kenc,
		     const char *kmac, const char *ssc)
{
	eid_buf e = EID_BUF_INIT, m = EID_BUF_INIT, s = EID_BUF_INIT;

	tu_unhex(&e, kenc);
	tu_unhex(&m, kmac);
	if (ssc)
		tu_unhex(&s, ssc);
	assert_int_equal(eid_sm_init(sm, c, e.data, m.data, ssc ? s.data : NULL), 0);
	eid_buf_free(&e);
	eid_buf_free(&m);
	eid_buf_free(&s);
}

static void bac_channel(struct eid_sm *sm)
{
	sm_setup(sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
}

/* Wrap the plain command (given as hex APDU fields) and compare the result. */
static void wrap_check(struct eid_sm *sm, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
		       const char *data_hex, size_t le, const char *want)
{
	eid_buf d = EID_BUF_INIT, out = EID_BUF_INIT;
	struct eid_apdu a = { .cla = cla, .ins = ins, .p1 = p1, .p2 = p2, .le = le };

	if (data_hex) {
		tu_unhex(&d, data_hex);
		a.data = d.data;
		a.lc = d.len;
	}
	assert_int_equal(eid_sm_wrap(sm, &a, &out), 0);
	assert_hex(out.data, out.len, want);
	eid_buf_free(&d);
	eid_buf_free(&out);
}

/* Unwrap a response given in hex; expect success, the SW and the plain data. */
static void unwrap_check(struct eid_sm *sm, const char *resp_hex, uint16_t want_sw,
			 const char *want_data)
{
	eid_buf r = EID_BUF_INIT, data = EID_BUF_INIT;
	uint16_t sw = 0;

	tu_unhex(&r, resp_hex);
	assert_int_equal(eid_sm_unwrap(sm, r.data, r.len, &data, &sw), 0);
	assert_int_equal(sw, want_sw);
	assert_hex(data.data, data.len, want_data);
	assert_false(sm->failed);
	eid_buf_free(&r);
	eid_buf_free(&data);
}

/* Unwrap a response in hex and expect the error err; the channel is ended. */
static void unwrap_fails(struct eid_sm *sm, const char *resp_hex, int err)
{
	eid_buf r = EID_BUF_INIT, data = EID_BUF_INIT;
	uint16_t sw = 0x1234;

	tu_unhex(&r, resp_hex);
	eid_buf_add(&data, "x", 1);
	assert_int_equal(eid_sm_unwrap(sm, r.data, r.len, &data, &sw), err);
	assert_true(sm->failed);
	/* nothing was appended to the caller's buffer */
	assert_int_equal(data.len, 1);
	eid_buf_free(&r);
	eid_buf_free(&data);
}

/*
 * Chip side for negative tests: a response with the given DOs, a correct
 * DO'8E' for the SSC the terminal will use (its current SSC + 1) and SW.
 */
static void chip_response(const struct eid_sm *sm, const char *dos_hex, const char *sw_hex,
			  eid_buf *out)
{
	struct eid_sm chip = *sm;
	eid_buf n = EID_BUF_INIT, sw = EID_BUF_INIT;
	uint8_t mac[8];

	eid_sm_ssc_inc(&chip);
	tu_unhex(out, dos_hex);
	eid_buf_add(&n, chip.ssc, chip.blocklen);
	eid_buf_add(&n, out->data, out->len);
	assert_int_equal(eid_pad(&n, chip.blocklen), 0);
	assert_int_equal(eid_cipher_mac8(chip.cipher, chip.kmac, n.data, n.len, mac), 0);
	eid_buf_add(out, "\x8E\x08", 2);
	eid_buf_add(out, mac, 8);
	tu_unhex(&sw, sw_hex);
	eid_buf_add(out, sw.data, sw.len);
	assert_true(eid_buf_ok(out));
	eid_sm_clear(&chip);
	eid_buf_free(&n);
	eid_buf_free(&sw);
}

/* Encrypt raw (already padded or deliberately unpadded) data like the chip. */
static void chip_encrypt(const struct eid_sm *sm, const char *plain_hex, char *hex_out)
{
	struct eid_sm chip = *sm;
	eid_buf p = EID_BUF_INIT;
	uint8_t iv[16] = { 0 }, c[64];

	eid_sm_ssc_inc(&chip);
	tu_unhex(&p, plain_hex);
	assert_true(p.len <= sizeof(c));
	if (chip.cipher != EID_CIPHER_3DES)
		assert_int_equal(eid_aes_encrypt_block(chip.kenc, chip.keylen, chip.ssc, iv), 0);
	assert_int_equal(eid_cipher_cbc(chip.cipher, chip.kenc, iv, true, p.data, p.len, c), 0);
	eid_hex(c, p.len, hex_out);
	eid_sm_clear(&chip);
	eid_buf_free(&p);
}

static void assert_closed(struct eid_sm *sm)
{
	struct eid_apdu a = { .cla = 0x00, .ins = 0xB0, .le = 4 };
	eid_buf out = EID_BUF_INIT;
	uint8_t resp[] = { 0x90, 0x00 };
	uint16_t sw;

	assert_true(sm->failed);
	assert_int_equal(eid_sm_wrap(sm, &a, &out), -EID_ESMCLOSED);
	assert_int_equal(out.len, 0);
	assert_int_equal(eid_sm_unwrap(sm, resp, sizeof(resp), NULL, &sw), -EID_ESMCLOSED);
	eid_buf_free(&out);
}

/* ---- channel state ---- */

static void test_init_sets_sizes_and_zero_ssc(void **state)
{
	struct eid_sm sm;
	static const uint8_t zero[16];

	(void)state;
	sm_setup(&sm, EID_CIPHER_AES128, CA_NEW_KSENC, CA_NEW_KSMAC, NULL);
	assert_int_equal(sm.keylen, 16);
	assert_int_equal(sm.blocklen, 16);
	assert_memory_equal(sm.ssc, zero, 16);
	assert_hex(sm.kenc, 16, CA_NEW_KSENC);
	assert_hex(sm.kmac, 16, CA_NEW_KSMAC);
	assert_false(sm.failed);
	bac_channel(&sm);
	assert_int_equal(sm.blocklen, 8);
	assert_hex(sm.ssc, 8, BAC_SSC);
	assert_int_equal(eid_sm_init(&sm, (enum eid_cipher)0, zero, zero, NULL), -EID_EINVAL);
	eid_sm_clear(&sm);
}

static void test_clear_wipes_keys_and_closes(void **state)
{
	struct eid_sm sm;
	static const uint8_t zero[32];

	(void)state;
	bac_channel(&sm);
	eid_sm_clear(&sm);
	assert_memory_equal(sm.kenc, zero, 32);
	assert_memory_equal(sm.kmac, zero, 32);
	assert_memory_equal(sm.ssc, zero, 16);
	assert_closed(&sm);
	eid_sm_clear(NULL);
}

static void test_ssc_increment_carries_big_endian(void **state)
{
	struct eid_sm sm;

	(void)state;
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "00000000000000FF");
	eid_sm_ssc_inc(&sm);
	assert_hex(sm.ssc, 8, "0000000000000100");
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "FFFFFFFFFFFFFFFF");
	eid_sm_ssc_inc(&sm);
	assert_hex(sm.ssc, 8, "0000000000000000");
	/* the 8-byte SSC does not spill into the rest of the array */
	assert_int_equal(sm.ssc[8], 0);
	sm_setup(&sm, EID_CIPHER_AES256,
		 "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
		 "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
		 "000000000000000000000000000000F0");
	eid_sm_ssc_inc(&sm);
	assert_hex(sm.ssc, 16, "000000000000000000000000000000F1");
	eid_sm_clear(&sm);
}

/* ---- ICAO 9303-11 App. D.4, 3DES ---- */

static void test_3des_select_ef_com_icao_d4(void **state)
{
	struct eid_sm sm;

	(void)state;
	bac_channel(&sm);
	wrap_check(&sm, 0x00, 0xA4, 0x02, 0x0C, "011E", 0,
		   "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
	assert_hex(sm.ssc, 8, "887022120C06C227");
	unwrap_check(&sm, "990290008E08FA855A5D4C50A8ED9000", 0x9000, "");
	assert_hex(sm.ssc, 8, "887022120C06C228");
	eid_sm_clear(&sm);
}

static void test_3des_read_binary_ef_com_icao_d4(void **state)
{
	struct eid_sm sm;

	(void)state;
	bac_channel(&sm);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C228");
	wrap_check(&sm, 0x00, 0xB0, 0x00, 0x00, NULL, 4,
		   "0CB000000D9701048E08ED6705417E96BA5500");
	assert_hex(sm.ssc, 8, "887022120C06C229");
	unwrap_check(&sm, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", 0x9000,
		     "60145F01");
	assert_hex(sm.ssc, 8, "887022120C06C22A");
	wrap_check(&sm, 0x00, 0xB0, 0x00, 0x04, NULL, 0x12,
		   "0CB000040D9701128E082EA28A70F3C7B53500");
	assert_hex(sm.ssc, 8, "887022120C06C22B");
	unwrap_check(&sm, "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A99029000"
			  "8E08C8B2787EAEA07D749000",
		     0x9000, "04303130365F36063034303030305C026175");
	assert_hex(sm.ssc, 8, "887022120C06C22C");
	eid_sm_clear(&sm);
}

/* ---- BSI EAC worked example, AES ---- */

static void test_aes_worked_example_ecdh_bsi(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0x22, .p1 = 0x81, .p2 = 0xB6 };
	eid_buf d = EID_BUF_INIT, out = EID_BUF_INIT, n = EID_BUF_INIT;
	uint8_t mac[8];

	(void)state;
	/* vectors.md 3.1: MSE:Set DST with 830D 'DECVCAAT00001' at SSC 1 */
	sm_setup(&sm, EID_CIPHER_AES128, "68406B4162100563D9C901A6154D2901",
		 "73FF268784F72AF833FDC9464049AFC9", NULL);
	tu_unhex(&d, "830D44454356434141543030303031");
	a.data = d.data;
	a.lc = d.len;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_int_equal(out.len, 5 + 19 + 10 + 1);
	assert_hex(out.data, 24, "0C2281B61D871101BE90237EEB4BA0FF253EA246AE31C8B8");
	assert_hex(out.data + 24, 2, "8E08");
	assert_int_equal(out.data[34], 0x00);
	/* DO'8E' = CMAC(KSmac, pad(SSC || pad(header) || DO'87'))[0..7] */
	tu_unhex(&n, "00000000000000000000000000000001" "0C2281B6800000000000000000000000"
		     "871101BE90237EEB4BA0FF253EA246AE31C8B8");
	assert_int_equal(eid_pad(&n, 16), 0);
	assert_int_equal(eid_cipher_mac8(EID_CIPHER_AES128, sm.kmac, n.data, n.len, mac), 0);
	assert_memory_equal(out.data + 26, mac, 8);
	/* the response MAC at SSC 2 over 99029000 */
	unwrap_check(&sm, "990290008E08A89570A68664A7D69000", 0x9000, "");
	assert_hex(sm.ssc, 16, "00000000000000000000000000000002");
	eid_sm_clear(&sm);
	eid_buf_free(&d);
	eid_buf_free(&out);
	eid_buf_free(&n);
}

static void test_aes_worked_example_dh_bsi(void **state)
{
	struct eid_sm sm;

	(void)state;
	/* vectors.md 3.2: 830F 'DETESTCVCA00003' at SSC 1 (two blocks), MAC at SSC 2 */
	sm_setup(&sm, EID_CIPHER_AES128, "2F7F46ADCC9E7E521B45D192FAFA9126",
		 "805A1D27D45A5116F73C54469462B7D8", NULL);
	{
		struct eid_apdu a = { .cla = 0x00, .ins = 0x22, .p1 = 0x81, .p2 = 0xB6 };
		eid_buf d = EID_BUF_INIT, out = EID_BUF_INIT;

		tu_unhex(&d, "830F444554455354435643413030303033");
		a.data = d.data;
		a.lc = d.len;
		assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
		assert_hex(out.data, 40, "0C2281B62D872101B37BB57DA1DB37D1C49604917BD699E6"
					 "1D6A3074E69E4067A1B3990388233633");
		assert_int_equal(out.len, 5 + 35 + 10 + 1);
		eid_buf_free(&d);
		eid_buf_free(&out);
	}
	unwrap_check(&sm, "990290008E08EBFF08D3B20A04149000", 0x9000, "");
	eid_sm_clear(&sm);
}

/* ---- Chip Authentication session with key change (real capture) ---- */

static void test_aes_chip_authentication_session_and_key_change(void **state)
{
	struct eid_sm sm;

	(void)state;
	/* vectors.md 3.3; the plain command data are given there, the plain
	 * response data (7C00) and the plain SELECT data (010E, EF.DG14) were
	 * recovered by decrypting the capture (python cryptography) */
	sm_setup(&sm, EID_CIPHER_AES128, CA_OLD_KSENC, CA_OLD_KSMAC,
		 "000000000000000000000000000000F0");
	wrap_check(&sm, 0x00, 0x22, 0x41, 0xA4, "800A04007F00070202030202", 0,
		   "0C2241A41D8711015D8F69B1EA365CCE4304970DB12421F38E085340D338128085E700");
	unwrap_check(&sm, "990290008E083F5136E82A6C34779000", 0x9000, "");
	wrap_check(&sm, 0x00, 0x86, 0x00, 0x00,
		   "7C438041044827C781BE1AC7A00B351214FD783AC76D99E831A6316C8FD6DE7BD96CFA31"
		   "DA06B6B57BA380789729F4A028212A768C49BF5F97D98B1DB12BEEC1A1CD324FB2", 256,
		   "0C860000608751019E18F1BA79D805379752BB560EB70AAC3CE3BC5AFE2FDD4AEB325CA8"
		   "B578B4A93B9F66A5DF40005F8E878535251D33DD974AAF77FB858773E5799FA9DC1034E8"
		   "9B1150EC7F0BB3DB4BF37A1B9EA4458A9701008E089D204D950C0B95DB00");
	unwrap_check(&sm, "8711010B0A5DFFC7432DE4DEB604291377A05B990290008E08B3384A1F5D157973"
			  "9000", 0x9000, "7C00");
	assert_hex(sm.ssc, 16, "000000000000000000000000000000F4");

	/* new keys from CA, SSC restarts at 0 */
	sm_setup(&sm, EID_CIPHER_AES128, CA_NEW_KSENC, CA_NEW_KSMAC, NULL);
	wrap_check(&sm, 0x00, 0xA4, 0x02, 0x0C, "010E", 0,
		   "0CA4020C1D8711011B2EE500E84960DF7F37AFE7ADFF53838E084500F3B43E192A5700");
	unwrap_check(&sm, "990290008E0803C4B125B4218CEF9000", 0x9000, "");
	assert_hex(sm.ssc, 16, "00000000000000000000000000000002");
	eid_sm_clear(&sm);
}

/* ---- command encoding rules ---- */

static void test_wrap_case1_has_only_mac_and_le00(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0x44, .p1 = 0x00, .p2 = 0x00 };
	eid_buf out = EID_BUF_INIT;

	(void)state;
	bac_channel(&sm);
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_int_equal(out.len, 4 + 1 + 10 + 1);
	assert_hex(out.data, 7, "0C4400000A8E08");
	assert_int_equal(out.data[15], 0x00);
	eid_sm_clear(&sm);
	eid_buf_free(&out);
}

static void test_wrap_keeps_chaining_bit_and_odd_ins_uses_do85(void **state)
{
	struct eid_sm sm, chip;
	struct eid_apdu a = { .cla = 0x10, .ins = 0xB1, .p1 = 0x01, .p2 = 0x1E, .le = 256 };
	eid_buf d = EID_BUF_INIT, out = EID_BUF_INIT;
	uint8_t plain[8];

	(void)state;
	bac_channel(&sm);
	chip = sm;
	tu_unhex(&d, "5402 0100");   /* offset DO of READ BINARY with odd INS */
	a.data = d.data;
	a.lc = d.len;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	/* 1C B1 011E Lc=15: 85 08 <8>, 97 01 00, 8E 08 <8>, Le 00 */
	assert_int_equal(out.len, 5 + 10 + 3 + 10 + 1);
	assert_hex(out.data, 7, "1CB1011E178508");
	assert_hex(out.data + 15, 5, "9701008E08");
	assert_int_equal(out.data[out.len - 1], 0x00);
	/* the cryptogram is pad(data) without the 01 indicator */
	assert_int_equal(eid_des3_cbc(chip.kenc, NULL, false, out.data + 7, 8, plain), 0);
	assert_hex(plain, 8, "5402010080000000");
	eid_sm_clear(&sm);
	eid_sm_clear(&chip);
	eid_buf_free(&d);
	eid_buf_free(&out);
}

static void test_wrap_short_le_256_and_extended_le_65536(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0xB0, .p1 = 0x00, .p2 = 0x00, .le = 256 };
	eid_buf out = EID_BUF_INIT;

	(void)state;
	bac_channel(&sm);
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_hex(out.data, 8, "0CB000000D970100");
	assert_int_equal(out.len, 19);
	assert_int_equal(out.data[18], 0x00);

	eid_buf_reset(&out);
	a.le = 65536;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	/* extended: Lc = 00 000E, DO'97' = 0000, Le = 0000 */
	assert_hex(out.data, 11, "0CB0000000000E97020000");
	assert_int_equal(out.len, 7 + 14 + 2);
	assert_hex(out.data + out.len - 2, 2, "0000");

	eid_buf_reset(&out);
	a.le = 1000;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_hex(out.data, 11, "0CB0000000000E970203E8");
	eid_sm_clear(&sm);
	eid_buf_free(&out);
}

static void test_wrap_large_data_uses_extended_form(void **state)
{
	struct eid_sm sm, chip;
	struct eid_apdu a = { .cla = 0x00, .ins = 0x2A, .p1 = 0x00, .p2 = 0xBE };
	uint8_t data[300], plain[304];
	eid_buf out = EID_BUF_INIT;

	(void)state;
	memset(data, 0x5A, sizeof(data));
	a.data = data;
	a.lc = sizeof(data);
	bac_channel(&sm);
	chip = sm;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	/* 87 82 0131 01 <304>  8E 08 <8>: Lc = 0x013F, extended Le 0000 */
	assert_hex(out.data, 12, "0C2A00BE00013F8782013101");
	assert_int_equal(out.len, 7 + 0x13F + 2);
	assert_hex(out.data + out.len - 2, 2, "0000");
	assert_int_equal(eid_des3_cbc(chip.kenc, NULL, false, out.data + 12, 304, plain), 0);
	assert_memory_equal(plain, data, 300);
	assert_hex(plain + 300, 4, "80000000");
	eid_sm_clear(&sm);
	eid_sm_clear(&chip);
	eid_buf_free(&out);
}

static void test_wrap_near_limit_switches_to_extended(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0x2A, .p1 = 0x00, .p2 = 0xBE, .le = 256 };
	uint8_t data[240];
	eid_buf out = EID_BUF_INIT;

	(void)state;
	/* plain command is short, the protected one needs 87 81 F9 01 <248>
	 * 97 01 00 8E 08 <8> = 265 bytes: extended, DO'97' keeps the short Le */
	memset(data, 0x11, sizeof(data));
	a.data = data;
	a.lc = sizeof(data);
	bac_channel(&sm);
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_hex(out.data, 11, "0C2A00BE0001098781F901");
	assert_hex(out.data + 11 + 248, 5, "9701008E08");
	assert_int_equal(out.len, 7 + 265 + 2);
	eid_sm_clear(&sm);
	eid_buf_free(&out);
}

static void test_wrap_rejects_bad_arguments(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0xB0, .lc = 3, .data = NULL };
	eid_buf out = EID_BUF_INIT;

	(void)state;
	bac_channel(&sm);
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), -EID_EINVAL);
	a.lc = 0;
	a.le = 65537;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), -EID_EINVAL);
	/* refused arguments do not consume an SSC value */
	assert_hex(sm.ssc, 8, BAC_SSC);
	assert_false(sm.failed);
	eid_sm_clear(&sm);
	eid_buf_free(&out);
}

static void test_wrap_refuses_data_too_big_for_one_apdu(void **state)
{
	struct eid_sm sm;
	struct eid_apdu a = { .cla = 0x00, .ins = 0xD6 };
	uint8_t *data = calloc(1, 65535);
	eid_buf out = EID_BUF_INIT;

	(void)state;
	assert_non_null(data);
	a.data = data;
	/* 65535 bytes encrypt to 65536 + indicator + DO headers: over 65535 */
	a.lc = 65535;
	bac_channel(&sm);
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), -EID_ETOOBIG);
	assert_int_equal(out.len, 0);
	assert_hex(sm.ssc, 8, BAC_SSC);
	assert_false(sm.failed);
	/* 65500 bytes still fit: 87 82 FFE1 01 <65504> 8E 08 <8> */
	a.lc = 65500;
	assert_int_equal(eid_sm_wrap(&sm, &a, &out), 0);
	assert_hex(out.data, 12, "0CD6000000FFEF8782FFE101");
	assert_int_equal(out.len, 7 + 0xFFEF + 2);
	eid_sm_clear(&sm);
	eid_buf_free(&out);
	free(data);
}

/* ---- response checks ---- */

static void test_unwrap_flipped_mac_byte_fails_and_closes(void **state)
{
	struct eid_sm sm;

	(void)state;
	bac_channel(&sm);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "990290008E08FA855A5D4C50A8EC9000", -EID_EMAC);
	assert_closed(&sm);
	/* a tampered data object is caught by the MAC as well */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C229");
	unwrap_fails(&sm, "8709019FF0EC34F9922652990290008E08AD55CC17140B2DED9000", -EID_EMAC);
	/* and the wrong SSC (a replayed response) */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C228");
	unwrap_fails(&sm, "990290008E08FA855A5D4C50A8ED9000", -EID_EMAC);
	eid_sm_clear(&sm);
}

static void test_unwrap_missing_or_short_mac_fails(void **state)
{
	struct eid_sm sm;

	(void)state;
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "990290009000", -EID_EMAC);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "9000", -EID_EMAC);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "990290008E04FA855A5D9000", -EID_EMAC);
	/* 62xx / 63xx without SM objects are not plain errors: the MAC is missing */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "6282", -EID_EMAC);
	eid_sm_clear(&sm);
}

static void test_unwrap_truncated_or_extra_objects_fail(void **state)
{
	struct eid_sm sm;

	(void)state;
	/* DO'87' longer than the response */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C229");
	unwrap_fails(&sm, "870A019FF0EC34F99226519000", -EID_ESM);
	/* DO'8E' cut short */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "990290008E08FA855A5D4C9000", -EID_ESM);
	/* bytes after DO'8E' */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "990290008E08FA855A5D4C50A8ED00009000", -EID_ESM);
	/* an unexpected object before DO'8E' */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "99029000810100" "8E08FA855A5D4C50A8ED9000", -EID_ESM);
	/* objects out of order (DO'99' before DO'87') */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C229");
	unwrap_fails(&sm, "99029000" "8709019FF0EC34F9922651" "8E08AD55CC17140B2DED9000",
		     -EID_ESM);
	/* no status word at all */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "90", -EID_ESM);
	eid_sm_clear(&sm);
}

static void test_unwrap_rejects_bad_content_behind_a_valid_mac(void **state)
{
	struct eid_sm sm;
	eid_buf r = EID_BUF_INIT;
	char crypt[129], dos[300];
	uint16_t sw;

	(void)state;
	/* wrong padding: a decrypted block of zeros has no 80 marker */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_encrypt(&sm, "0000000000000000", crypt);
	snprintf(dos, sizeof(dos), "870901%s99029000", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);
	assert_true(sm.failed);

	/* 80 followed by a non-zero byte */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_encrypt(&sm, "6014800000000001", crypt);
	snprintf(dos, sizeof(dos), "870901%s99029000", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);

	/* DO'87' without the 01 padding indicator */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_encrypt(&sm, "60145F0180000000", crypt);
	snprintf(dos, sizeof(dos), "870902%s99029000", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_response(&sm, "870099029000", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);

	/* cryptogram not a multiple of the block size */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_response(&sm, "8706019FF0EC34F99099029000", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);
	sm_setup(&sm, EID_CIPHER_AES128, CA_NEW_KSENC, CA_NEW_KSMAC, NULL);
	chip_response(&sm, "870901000102030405060799029000", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);
	/* empty cryptogram */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_response(&sm, "87010199029000", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);

	/* DO'99' of the wrong length */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_response(&sm, "9903900000", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), -EID_ESM);
	assert_closed(&sm);
	eid_sm_clear(&sm);
	eid_buf_free(&r);
}

static void test_unwrap_accepts_valid_chip_side_responses(void **state)
{
	struct eid_sm sm;
	eid_buf r = EID_BUF_INIT, data = EID_BUF_INIT;
	char crypt[129], dos[300];
	uint16_t sw = 0;

	(void)state;
	/* the chip-side helper is right: a good response passes */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_encrypt(&sm, "60145F0180000000", crypt);
	snprintf(dos, sizeof(dos), "870901%s99026282", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, &data, &sw), 0);
	assert_int_equal(sw, 0x6282);   /* DO'99' wins over the outer SW */
	assert_hex(data.data, data.len, "60145F01");

	/* DO'99' absent is tolerated: the outer SW is used */
	eid_buf_reset(&data);
	sm_setup(&sm, EID_CIPHER_AES128, CA_NEW_KSENC, CA_NEW_KSMAC, NULL);
	chip_encrypt(&sm, "7C008000000000000000000000000000", crypt);
	snprintf(dos, sizeof(dos), "871101%s", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, &data, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_hex(data.data, data.len, "7C00");

	/* DO'85' (odd INS) carries the cryptogram without indicator */
	eid_buf_reset(&data);
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_encrypt(&sm, "5303AABBCC800000", crypt);
	snprintf(dos, sizeof(dos), "8508%s99029000", crypt);
	chip_response(&sm, dos, "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, &data, &sw), 0);
	assert_hex(data.data, data.len, "5303AABBCC");

	/* a MAC-only response (no data, no DO'99') */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, BAC_SSC);
	chip_response(&sm, "", "9000", &r);
	assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, NULL, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_false(sm.failed);
	eid_sm_clear(&sm);
	eid_buf_free(&r);
	eid_buf_free(&data);
}

static void test_unwrap_plain_error_sw_is_reported_and_closes(void **state)
{
	static const char *const sws[] = { "6988", "6987" };
	static const uint16_t want[] = { 0x6988, 0x6987 };
	struct eid_sm sm;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		eid_buf r = EID_BUF_INIT, data = EID_BUF_INIT;
		uint16_t sw = 0;

		bac_channel(&sm);
		tu_unhex(&r, sws[i]);
		assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, &data, &sw), 0);
		assert_int_equal(sw, want[i]);
		assert_int_equal(data.len, 0);
		assert_closed(&sm);
		eid_buf_free(&r);
		eid_buf_free(&data);
	}
	eid_sm_clear(&sm);
}

/* A plain "file not found" or "security status" keeps the session, and the
 * SSC stays where the chip's is: the next protected response still verifies
 * (vicc and some real chips answer such errors in plain). */
static void test_unwrap_plain_non_sm_error_keeps_the_channel(void **state)
{
	static const char *const sws[] = { "6A82", "6982" };
	struct eid_sm sm;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		eid_buf r = EID_BUF_INIT, data = EID_BUF_INIT;
		uint8_t ssc[8];
		uint16_t sw = 0;

		bac_channel(&sm);
		memcpy(ssc, sm.ssc, 8);
		tu_unhex(&r, sws[i]);
		assert_int_equal(eid_sm_unwrap(&sm, r.data, r.len, &data, &sw), 0);
		assert_int_equal(data.len, 0);
		assert_false(sm.failed);
		assert_memory_equal(sm.ssc, ssc, 8);
		eid_buf_free(&r);
		eid_buf_free(&data);
	}
	eid_sm_clear(&sm);
}

static void test_unwrap_error_sw_with_data_must_be_protected(void **state)
{
	struct eid_sm sm;

	(void)state;
	/* data under an error SW is parsed as SM objects and must carry a MAC */
	sm_setup(&sm, EID_CIPHER_3DES, BAC_KSENC, BAC_KSMAC, "887022120C06C227");
	unwrap_fails(&sm, "99026A826A82", -EID_EMAC);
	eid_sm_clear(&sm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_sets_sizes_and_zero_ssc),
		cmocka_unit_test(test_clear_wipes_keys_and_closes),
		cmocka_unit_test(test_ssc_increment_carries_big_endian),
		cmocka_unit_test(test_3des_select_ef_com_icao_d4),
		cmocka_unit_test(test_3des_read_binary_ef_com_icao_d4),
		cmocka_unit_test(test_aes_worked_example_ecdh_bsi),
		cmocka_unit_test(test_aes_worked_example_dh_bsi),
		cmocka_unit_test(test_aes_chip_authentication_session_and_key_change),
		cmocka_unit_test(test_wrap_case1_has_only_mac_and_le00),
		cmocka_unit_test(test_wrap_keeps_chaining_bit_and_odd_ins_uses_do85),
		cmocka_unit_test(test_wrap_short_le_256_and_extended_le_65536),
		cmocka_unit_test(test_wrap_large_data_uses_extended_form),
		cmocka_unit_test(test_wrap_near_limit_switches_to_extended),
		cmocka_unit_test(test_wrap_rejects_bad_arguments),
		cmocka_unit_test(test_wrap_refuses_data_too_big_for_one_apdu),
		cmocka_unit_test(test_unwrap_flipped_mac_byte_fails_and_closes),
		cmocka_unit_test(test_unwrap_missing_or_short_mac_fails),
		cmocka_unit_test(test_unwrap_truncated_or_extra_objects_fail),
		cmocka_unit_test(test_unwrap_rejects_bad_content_behind_a_valid_mac),
		cmocka_unit_test(test_unwrap_accepts_valid_chip_side_responses),
		cmocka_unit_test(test_unwrap_plain_error_sw_is_reported_and_closes),
		cmocka_unit_test(test_unwrap_plain_non_sm_error_keeps_the_channel),
		cmocka_unit_test(test_unwrap_error_sw_with_data_must_be_protected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
