/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of proto/bac.c: the ICAO 9303-11 App. D worked example
 * (vectors.md 1.2, 1.3) through a scripted card and a replaying RNG, then
 * the App. D.4 secure messaging exchange (1.4) on the resulting channel,
 * and the ways a chip can refuse or cheat.
 */
#include <string.h>

#include "testutil.h"
#include "bac.h"

#define KSEED    "239AB9CB282DAF66231DC5A4DF6BFBAE"
#define RND_IFD  "781723860C06C226"
#define K_IFD    "0B795240CB7049B01C19B33E32804F0B"
#define GET_CHALLENGE "0084000008"
#define CHALLENGE_RESP "4608F919887022129000"
#define MUTUAL_AUTH \
	"008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" \
	"5F1448EEA8AD90A728"
#define MUTUAL_AUTH_RESP \
	"46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F" \
	"2F2D235D074D74499000"

static const char *const rng_chunks[] = { RND_IFD, K_IFD };

static void kseed(uint8_t out[16])
{
	eid_buf b = EID_BUF_INIT;

	tu_unhex(&b, KSEED);
	memcpy(out, b.data, 16);
	eid_buf_free(&b);
}

/* Run BAC against a script and expect err; the SM context stays untouched. */
static void bac_fails(const struct tu_exchange *ex, size_t n, const char *const *chunks,
		      size_t nchunks, int err)
{
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm sm, before;
	uint8_t seed[16];

	kseed(seed);
	tu_script_init(&s, ex, n);
	tu_rng_init(&rng, chunks, nchunks);
	memset(&sm, 0xA5, sizeof(sm));
	before = sm;
	assert_int_equal(eid_bac_authenticate(&s.card, seed, &rng.rng, &sm), err);
	assert_memory_equal(&sm, &before, sizeof(sm));
	tu_script_assert_done(&s);
}

static void test_derive_keys_icao_d1(void **state)
{
	uint8_t seed[16], kenc[16], kmac[16];

	(void)state;
	kseed(seed);
	assert_int_equal(eid_bac_derive_keys(seed, kenc, kmac), 0);
	assert_hex(kenc, 16, "AB94FDECF2674FDFB9B391F85D7F76F2");
	assert_hex(kmac, 16, "7962D9ECE03D1ACD4C76089DCE131543");
}

static void test_authenticate_icao_d3_exchange(void **state)
{
	static const struct tu_exchange ex[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, MUTUAL_AUTH_RESP },
	};
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm sm;
	uint8_t seed[16];

	(void)state;
	kseed(seed);
	tu_script_init(&s, ex, 2);
	tu_rng_init(&rng, rng_chunks, 2);
	assert_int_equal(eid_bac_authenticate(&s.card, seed, &rng.rng, &sm), 0);
	tu_script_assert_done(&s);
	tu_rng_assert_done(&rng);
	assert_int_equal(sm.cipher, EID_CIPHER_3DES);
	assert_int_equal(sm.blocklen, 8);
	assert_hex(sm.kenc, sm.keylen, "979EC13B1CBFE9DCD01AB0FED307EAE5");
	assert_hex(sm.kmac, sm.keylen, "F1CB1F1FB5ADF208806B89DC579DC1F8");
	assert_hex(sm.ssc, sm.blocklen, "887022120C06C226");
	assert_false(sm.failed);
	eid_sm_clear(&sm);
}

static void test_authenticate_then_read_ef_com_icao_d4(void **state)
{
	static const struct tu_exchange ex[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, MUTUAL_AUTH_RESP },
		{ "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
		  "990290008E08FA855A5D4C50A8ED9000" },
		{ "0CB000000D9701048E08ED6705417E96BA5500",
		  "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000" },
		{ "0CB000040D9701128E082EA28A70F3C7B53500",
		  "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787E"
		  "AEA07D749000" },
	};
	static const uint8_t fid[] = { 0x01, 0x1E };
	const struct eid_apdu select = { .cla = 0x00, .ins = 0xA4, .p1 = 0x02, .p2 = 0x0C,
					 .data = fid, .lc = 2 };
	const struct eid_apdu rb1 = { .cla = 0x00, .ins = 0xB0, .p1 = 0x00, .p2 = 0x00, .le = 4 };
	const struct eid_apdu rb2 = { .cla = 0x00, .ins = 0xB0, .p1 = 0x00, .p2 = 0x04,
				      .le = 0x12 };
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm sm;
	eid_buf file = EID_BUF_INIT;
	uint8_t seed[16];
	uint16_t sw = 0;

	(void)state;
	kseed(seed);
	tu_script_init(&s, ex, 5);
	tu_rng_init(&rng, rng_chunks, 2);
	assert_int_equal(eid_bac_authenticate(&s.card, seed, &rng.rng, &sm), 0);
	s.card.sm = &sm;
	assert_int_equal(eid_card_transmit(&s.card, &select, NULL, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eid_card_transmit(&s.card, &rb1, &file, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_hex(file.data, file.len, "60145F01");
	assert_int_equal(eid_card_transmit(&s.card, &rb2, &file, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_hex(file.data, file.len, "60145F0104303130365F36063034303030305C026175");
	assert_hex(sm.ssc, 8, "887022120C06C22C");
	assert_ptr_equal(s.card.sm, &sm);
	tu_script_assert_done(&s);
	eid_card_end_sm(&s.card);
	eid_buf_free(&file);
}

static void test_chip_refuses_key_6300_or_6988(void **state)
{
	const struct tu_exchange ex6300[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "6300" },
	};
	const struct tu_exchange ex6988[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "6988" },
	};

	(void)state;
	bac_fails(ex6300, 2, rng_chunks, 2, -EID_EAUTH);
	bac_fails(ex6988, 2, rng_chunks, 2, -EID_EAUTH);
}

static void test_other_status_words_are_esw(void **state)
{
	const struct tu_exchange ex_ma[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "6A80" },
	};
	const struct tu_exchange ex_gc[] = {
		{ GET_CHALLENGE, "6D00" },
	};

	(void)state;
	bac_fails(ex_ma, 2, rng_chunks, 2, -EID_ESW);
	bac_fails(ex_gc, 1, rng_chunks, 0, -EID_ESW);
}

static void test_flipped_mic_is_rejected(void **state)
{
	const struct tu_exchange ex[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
			       "2F2D235D074D74489000" },
	};
	const struct tu_exchange ex_eic[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534E"
			       "2F2D235D074D74499000" },
	};

	(void)state;
	bac_fails(ex, 2, rng_chunks, 2, -EID_EAUTH);
	bac_fails(ex_eic, 2, rng_chunks, 2, -EID_EAUTH);
}

static void test_nonce_mismatch_is_rejected(void **state)
{
	/* the chip's (correctly MACed) cryptogram echoes another RND.IFD */
	static const char *const other_ifd[] = { "781723860C06C227", K_IFD };
	const struct tu_exchange ex_ifd[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ NULL, MUTUAL_AUTH_RESP },
	};
	/* the cryptogram holds another RND.IC than the challenge it sent */
	const struct tu_exchange ex_ic[] = {
		{ GET_CHALLENGE, "4608F919887022139000" },
		{ NULL, MUTUAL_AUTH_RESP },
	};

	(void)state;
	bac_fails(ex_ifd, 2, other_ifd, 2, -EID_EAUTH);
	bac_fails(ex_ic, 2, rng_chunks, 2, -EID_EAUTH);
}

static void test_short_responses_are_parse_errors(void **state)
{
	const struct tu_exchange ex_ma[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
			       "2F2D235D074D749000" },
	};
	const struct tu_exchange ex_empty[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
		{ MUTUAL_AUTH, "9000" },
	};
	const struct tu_exchange ex_gc[] = {
		{ GET_CHALLENGE, "4608F9198870229000" },
	};

	(void)state;
	bac_fails(ex_ma, 2, rng_chunks, 2, -EID_EPARSE);
	bac_fails(ex_empty, 2, rng_chunks, 2, -EID_EPARSE);
	bac_fails(ex_gc, 1, rng_chunks, 0, -EID_EPARSE);
}

static void test_rng_failure_is_passed_on(void **state)
{
	static const char *const short_chunks[] = { RND_IFD };
	const struct tu_exchange ex[] = {
		{ GET_CHALLENGE, CHALLENGE_RESP },
	};
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm sm;
	uint8_t seed[16];

	(void)state;
	kseed(seed);
	tu_script_init(&s, ex, 1);
	tu_rng_init(&rng, short_chunks, 1);
	assert_int_equal(eid_bac_authenticate(&s.card, seed, &rng.rng, &sm), -EID_EINVAL);
	tu_script_assert_done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_keys_icao_d1),
		cmocka_unit_test(test_authenticate_icao_d3_exchange),
		cmocka_unit_test(test_chip_refuses_key_6300_or_6988),
		cmocka_unit_test(test_other_status_words_are_esw),
		cmocka_unit_test(test_flipped_mic_is_rejected),
		cmocka_unit_test(test_nonce_mismatch_is_rejected),
		cmocka_unit_test(test_short_responses_are_parse_errors),
		cmocka_unit_test(test_rng_failure_is_passed_on),
		cmocka_unit_test(test_authenticate_then_read_ef_com_icao_d4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
