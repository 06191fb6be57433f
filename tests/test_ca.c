/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>

#include "testutil.h"
#include "ca.h"
#include "file.h"
#include "secinfo.h"
#include "pace_priv.h"

/* vectors.md 3.3: ICAO Chip Authentication (v1, AES) in a real Austrian
 * passport session, under the PACE channel's keys. */
static void icao_ca_v1_session_under_secure_messaging(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0C2241A41D8711015D8F69B1EA365CCE4304970DB12421F38E085340D338128085E700",
		  "990290008E083F5136E82A6C34779000" },
		{ "0C860000608751019E18F1BA79D805379752BB560EB70AAC3CE3BC5AFE2FDD4AEB325CA8B578B4A93B9F"
		  "66A5DF40005F8E878535251D33DD974AAF77FB858773E5799FA9DC1034E89B1150EC7F0BB3DB4BF37A1B"
		  "9EA4458A9701008E089D204D950C0B95DB00",
		  "8711010B0A5DFFC7432DE4DEB604291377A05B990290008E08B3384A1F5D1579739000" },
		/* the first command under the new keys: SELECT DG14 */
		{ "0CA4020C1D8711011B2EE500E84960DF7F37AFE7ADFF53838E084500F3B43E192A5700",
		  "990290008E0803C4B125B4218CEF9000" },
	};
	const char *keys[] = { "80EBAFC8A51BECD4D90BB640EE38C9FD5C12748D28AAA37096B98C4533C4F5F5" };
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm old, fresh;
	struct eid_ca_ctx ca;
	eid_buf k = EID_BUF_INIT, oid = EID_BUF_INIT, pub = EID_BUF_INIT;

	tu_script_init(&s, ex, 3);
	tu_rng_init(&rng, keys, 1);
	tu_unhex(&k, "524170DE3419B7AF2F23E45AD6EF9595" "97893F5FDC29A5C13A924FE7D8ED44FD"
		     "000000000000000000000000000000F0");
	assert_int_equal(eid_sm_init(&old, EID_CIPHER_AES128, k.data, k.data + 16, k.data + 32), 0);
	s.card.sm = &old;
	tu_unhex(&oid, "04007F00070202030202");
	tu_unhex(&pub, "041983917269AC877C0B61544C2C022000D2A5ABA723E2D80141E648B40911DC3459761F27480E4B"
		       "57181A53D8FE1190EA86C939AC14363178CAFFC621F0F905C3");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 1, -1, 13, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, &rng.rng), 0);
	assert_hex(ca.pub.data, ca.pub.len,
		   "044827C781BE1AC7A00B351214FD783AC76D99E831A6316C8FD6DE7BD96CFA31DA06B6B57BA38078"
		   "9729F4A028212A768C49BF5F97D98B1DB12BEEC1A1CD324FB2");
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), 0);
	assert_hex(fresh.kenc, 16, "C8E27260EFD3F318D18C080CBF11C7E6");
	assert_hex(fresh.kmac, 16, "A942190365204A21409EB28B52BF9160");
	assert_hex(fresh.ssc, 16, "00000000000000000000000000000000");
	s.card.sm = &fresh;
	assert_int_equal(eid_file_select(&s.card, 0x010E), 0);
	tu_script_assert_done(&s);
	tu_rng_assert_done(&rng);
	eid_ca_clear(&ca);
	eid_sm_clear(&old);
	eid_sm_clear(&fresh);
	eid_buf_free(&k);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
}

/* vectors.md 3.1: BSI EAC worked example, Chip Authentication v2 (ECDH). */
static void bsi_ca_v2_ecdh(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "002241A40F800A04007F00070202030202840101", "9000" },
		{ "00860000457C438041045A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF37"
		  "99A34EE57EC55268CF8B1C3EC489F8BF4CF4C68D3FD9670E89C0D5D3FFF1AAF89F00",
		  "7C1481084287B3072A3EDC608208FF0117D68DEE8E729000" },
	};
	const char *keys[] = { "A6A4D255C5BF7A77EC3D0553DB74F693CF044E18C98364D4977A296108AF19BD" };
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm fresh;
	struct eid_ca_ctx ca;
	eid_buf oid = EID_BUF_INIT, pub = EID_BUF_INIT, comp = EID_BUF_INIT;

	tu_script_init(&s, ex, 2);
	tu_rng_init(&rng, keys, 1);
	tu_unhex(&oid, "04007F00070202030202");
	tu_unhex(&pub, "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1"
		       "389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 13, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, &rng.rng), 0);
	/* Comp(PK_PCD), what Terminal Authentication signs */
	assert_int_equal(eid_ca_compressed_pub(&ca, &comp), 0);
	assert_hex(comp.data, comp.len, "5A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799");
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), 0);
	assert_hex(fresh.kenc, 16, "94ABCD271AB7D9A5590BA52CB518B831");
	assert_hex(fresh.kmac, 16, "78B5709E7ABEDB185B424D0EE3A82499");
	tu_script_assert_done(&s);
	eid_ca_clear(&ca);
	eid_sm_clear(&fresh);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
	eid_buf_free(&comp);
}

static void bsi_ca_v2_wrong_token_is_refused(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "002241A40F800A04007F00070202030202840101", "9000" },
		{ NULL, "7C1481084287B3072A3EDC608208FF0117D68DEE8E739000" },
	};
	const char *keys[] = { "A6A4D255C5BF7A77EC3D0553DB74F693CF044E18C98364D4977A296108AF19BD" };
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm fresh;
	struct eid_ca_ctx ca;
	eid_buf oid = EID_BUF_INIT, pub = EID_BUF_INIT;

	tu_script_init(&s, ex, 2);
	tu_rng_init(&rng, keys, 1);
	tu_unhex(&oid, "04007F00070202030202");
	tu_unhex(&pub, "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1"
		       "389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 13, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, &rng.rng), 0);
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), -EID_EAUTH);
	eid_ca_clear(&ca);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
}

/* vectors.md 3.2: the DH variant.  Its 1024-bit ephemeral exponent acts as
 * the exponent mod q on the order-q generator, so that is what we draw. */
static void bsi_ca_v2_dh(void **state)
{
	static const char *eph_1024 =
		"A2CFFD06C34AFD622EEE0FC31F093FDFDA609C67121CACF0A8F52291DE6853BB5C93CF76705775ECF408A7"
		"4302613BEECB381447D36494C9E18951EC17252DD2A807AAE09FA4DC30183339013D9C9191303CACEE3C91"
		"E926A36D014A5CFA94950CADB37B534F32A9BF76B37980979304C5663871BD746EB9E95A47CA471B4EDE";
	static const char *eph_pub =
		"A2830947A6FCAACDE2FCB88B29AB38E07C3453ABC4BCB466087E11C79F32A19E6EF22BE108F8DD18FE8249"
		"C960951511200DC985AA3EC0CCAD59A5F9BBCC33EE5F1577E20330B4DD10EB06B740277C97A189180EDE52"
		"BEE9D429F10FB77F180F05D6A99C499CB5E1ECEEB8E92284F66EA98479674CE73F53C567A03B0D297833";
	struct tu_exchange ex[2];
	char gacmd[600], key20[64];
	const char *keys[1];
	struct tu_script s;
	struct tu_rng rng;
	struct eid_sm fresh;
	struct eid_ca_ctx ca;
	eid_buf oid = EID_BUF_INIT, pub = EID_BUF_INIT, x = EID_BUF_INIT;
	BIGNUM *bx = NULL, *q = NULL;
	BN_CTX *bn = BN_CTX_new();
	uint8_t xq[20];

	/* x mod q, as 20 bytes */
	tu_unhex(&x, eph_1024);
	bx = BN_bin2bn(x.data, (int)x.len, NULL);
	tu_unhex(&x, "F518AA8781A8DF278ABA4E7D64B7CB9D49462353");
	q = BN_bin2bn(x.data, (int)x.len, NULL);
	assert_true(BN_mod(bx, bx, q, bn));
	assert_true(BN_bn2binpad(bx, xq, 20) == 20);
	eid_hex(xq, 20, key20);
	keys[0] = key20;

	snprintf(gacmd, sizeof(gacmd), "00860000867C81838081 80%s00", eph_pub);
	ex[0].cmd = "002241A40F800A04007F00070202030102840101";
	ex[0].resp = "9000";
	ex[1].cmd = gacmd;
	ex[1].resp = "7C14 8108 1A1AC1AB04D96965 8208 756891580F70164D 9000";
	tu_script_init(&s, ex, 2);
	tu_rng_init(&rng, keys, 1);
	tu_unhex(&oid, "04007F00070202030102");
	tu_unhex(&pub, "1B3345F8DC04341BF8B2C97F652FA680E5D4FA4C146AE4B839431A644A79BC368C4822C89CD018A5"
		       "7F953644BEDA679C5B532902320E83E13B80DEEF8C18AF3E7D493AE3F88196101B9F78EAFE4B3025"
		       "EF8BFF916B2FC02D762D0838DEA29C09B485591C2F47F87C71F530BB358F56AF6459D86DBF85EAF9"
		       "EDBD962CD364F7B8");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 0, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, &rng.rng), 0);
	assert_hex(ca.pub.data, ca.pub.len, eph_pub);
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), 0);
	assert_hex(fresh.kenc, 16, "E813D09DF69FFCC63763C537F828985C");
	assert_hex(fresh.kmac, 16, "066721F3EBEA787B4F1C6DCA431EC229");
	tu_script_assert_done(&s);
	eid_ca_clear(&ca);
	eid_sm_clear(&fresh);
	BN_free(bx);
	BN_free(q);
	BN_CTX_free(bn);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
	eid_buf_free(&x);
}

/* The specimen passport's DG14: explicit brainpoolP224r1 parameters. */
static void dg14_key_with_explicit_parameters(void **state)
{
	eid_buf dg14 = EID_BUF_INIT;
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *pk, *info;
	struct eid_ca_ctx ca;
	eid_buf comp = EID_BUF_INIT;

	tu_read_vector("zi_Datagroup14.bin", &dg14);
	assert_int_equal(eid_secinfos_parse_dg14(dg14.data, dg14.len, &set), 0);
	pk = eid_secinfos_find(set, EID_SI_CA_PK, 0);
	info = eid_secinfos_find(set, EID_SI_CA, 0);
	assert_non_null(pk);
	assert_non_null(info);
	assert_int_equal(eid_ca_init(&ca, info, pk), 0);
	assert_int_equal(ca.version, 1);
	assert_int_equal(ca.cipher, EID_CIPHER_3DES);
	assert_int_equal(ca.ka, EID_KA_ECDH);
	assert_int_equal(ca.chip_pub.len, 1 + 2 * 28);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(ca.pub.len, 57);
	assert_int_equal(eid_ca_compressed_pub(&ca, &comp), 0);
	assert_int_equal(comp.len, 28);
	eid_ca_clear(&ca);
	eid_secinfos_free(set);
	eid_buf_free(&dg14);
	eid_buf_free(&comp);
}

static void ca_v1_3des_uses_mse_set_kat(void **state)
{
	/* MSE:Set KAT carries our key (91) and the key reference; no GA */
	static const struct tu_exchange ex[] = { { NULL, "9000" } };
	struct tu_script s;
	struct eid_ca_ctx ca;
	struct eid_sm fresh;
	eid_buf oid = EID_BUF_INIT, pub = EID_BUF_INIT;

	tu_script_init(&s, ex, 1);
	tu_unhex(&oid, "04007F00070202030201");
	tu_unhex(&pub, "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1"
		       "389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 1, -1, 13, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), 0);
	assert_int_equal(fresh.cipher, EID_CIPHER_3DES);
	tu_script_assert_done(&s);
	eid_ca_clear(&ca);
	eid_sm_clear(&fresh);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
}

static void bad_keys_and_answers(void **state)
{
	static const struct tu_exchange ex[] = {
		{ NULL, "6A80" },
		{ NULL, "9000" }, { NULL, "7C0281009000" },
		{ NULL, "9000" }, { NULL, "7C1481084287B3072A3EDC608208FF0117D68DEE8E72AA9000" },
	};
	struct tu_script s;
	struct eid_ca_ctx ca;
	struct eid_sm fresh;
	eid_buf oid = EID_BUF_INIT, pub = EID_BUF_INIT;

	tu_unhex(&oid, "04007F00070202030202");
	/* a point off the curve */
	tu_unhex(&pub, "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1"
		       "389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E95");
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 13, pub.data, pub.len), -EID_EPARSE);
	pub.data[pub.len - 1] = 0x94;
	/* unknown protocol OID, DH parameters for an ECDH protocol */
	oid.data[oid.len - 1] = 9;
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 13, pub.data, pub.len), -EID_ENOTSUP);
	oid.data[oid.len - 1] = 2;
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 0, pub.data, pub.len), -EID_EPARSE);
	assert_int_equal(eid_ca_init_raw(&ca, oid.data, oid.len, 2, 1, 13, pub.data, pub.len), 0);
	assert_int_equal(eid_ca_run(NULL, &ca, &fresh), -EID_ESTATE); /* no key yet */
	assert_int_equal(eid_ca_keygen(&ca, NULL), 0);
	tu_script_init(&s, ex, 5);
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), -EID_ESW);
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), -EID_EPARSE);  /* no nonce */
	assert_int_equal(eid_ca_run(&s.card, &ca, &fresh), -EID_EPARSE);  /* trailing byte */
	tu_script_assert_done(&s);
	eid_ca_clear(&ca);
	eid_buf_free(&oid);
	eid_buf_free(&pub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(icao_ca_v1_session_under_secure_messaging),
		cmocka_unit_test(bsi_ca_v2_ecdh),
		cmocka_unit_test(bsi_ca_v2_wrong_token_is_refused),
		cmocka_unit_test(bsi_ca_v2_dh),
		cmocka_unit_test(dg14_key_with_explicit_parameters),
		cmocka_unit_test(ca_v1_3des_uses_mse_set_kat),
		cmocka_unit_test(bad_keys_and_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
