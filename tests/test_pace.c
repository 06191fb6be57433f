/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PACE, terminal side: complete runs through eid_pace_run() against the
 * published worked examples (vectors.md sections 2.1-2.5, 3.1, 3.2, 3.4)
 * with a scripted card and a replaying random source, every APDU compared
 * byte for byte, and the step functions of pace_priv.h checked against each
 * intermediate value.  Then the refusals: wrong tokens, invalid chip keys,
 * status words, malformed responses, unknown algorithms.
 */
#include <string.h>

#include <openssl/bn.h>

#include "testutil.h"
#include "pace.h"
#include "pace_priv.h"
#include "tlv.h"

/* ---- helpers ---- */

static void algo_from_hex(const char *hex, struct eid_pace_algo *algo)
{
	eid_buf b = EID_BUF_INIT;

	tu_unhex(&b, hex);
	assert_int_equal(eid_pace_algo_from_oid(b.data, b.len, algo), 0);
	eid_buf_free(&b);
}

struct pace_case {
	const char *oid;
	int param_id;
	enum eid_password pw_type;
	const char *pw_hex;     /* MRZ: SHA-1 of MRZ_information */
	const char *pw_ascii;   /* CAN / PIN */
	const struct tu_exchange *ex;
	size_t nex;
	const char *const *rng;
	size_t nrng;
	struct eid_pace_opts opts;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Run PACE on a scripted card; the script and the rng must be used up. */
static int run_case(const struct pace_case *pc, struct eid_pace_result *res, bool expect_done)
{
	struct eid_pace_algo algo;
	struct tu_script s;
	struct tu_rng r;
	struct eid_pace_opts opts = pc->opts;
	eid_buf pw = EID_BUF_INIT;
	int ret;

	algo_from_hex(pc->oid, &algo);
	tu_script_init(&s, pc->ex, pc->nex);
	tu_rng_init(&r, pc->rng, pc->nrng);
	opts.rng = &r.rng;
	if (pc->pw_hex)
		tu_unhex(&pw, pc->pw_hex);
	else
		assert_int_equal(eid_buf_set(&pw, pc->pw_ascii, strlen(pc->pw_ascii)), 0);
	ret = eid_pace_run(&s.card, &algo, pc->param_id, pc->pw_type, pw.data, pw.len, &opts, res);
	if (expect_done) {
		tu_script_assert_done(&s);
		tu_rng_assert_done(&r);
	} else {
		assert_false(s.mismatch);
		assert_false(r.mismatch);
	}
	eid_buf_free(&pw);
	return ret;
}

static void assert_ssc_zero(const struct eid_sm *sm)
{
	static const uint8_t zero[16];

	assert_int_equal(sm->blocklen == 8 || sm->blocklen == 16, 1);
	assert_memory_equal(sm->ssc, zero, sm->blocklen);
}

static struct eid_pace_dp *dp_new(int id)
{
	struct eid_pace_dp *dp = NULL;

	assert_int_equal(eid_pace_dp_new(id, &dp), 0);
	assert_non_null(dp);
	return dp;
}

#define assert_buf_hex(b, hex) tu_assert_hex((b)->data, (b)->len, (hex), #b)

/* ---- 2.1 ICAO G.1: ECDH generic mapping, brainpoolP256r1, AES-128, MRZ ---- */

#define G1_OID          "04007F00070202040202"
#define G1_K            "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
#define G1_KPI          "89DED1B26624EC1E634C1989302849DD"
#define G1_Z            "95A3A016522EE98D01E76CB6B98B42C3"
#define G1_S            "3F00C4D39D153F2B2A214A078D899B22"
#define G1_TERM_MAP_PRIV "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
#define G1_TERM_MAP_PUB "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E" \
			"544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
#define G1_CHIP_MAP_PUB "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57" \
			"30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
#define G1_H            "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5" \
			"0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181"
#define G1_GEN          "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2" \
			"8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522"
#define G1_TERM_EPH_PRIV "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
#define G1_TERM_EPH_PUB "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C" \
			"3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
#define G1_CHIP_EPH_PUB "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB" \
			"7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
#define G1_SHARED_K     "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
#define G1_KSENC        "F5F0E35C0D7161EE6724EE513A0D9A7F"
#define G1_KSMAC        "FE251C7858B356B24514B3BD5F4297D1"
#define G1_T_IFD        "C2B0BD78D94BA866"
#define G1_T_IC         "3ABB9674BCE93C08"

#define G1_MSE          "0022C1A40F800A04007F00070202040202830101"
#define G1_GA1          "10860000027C0000"
#define G1_GA1_R        "7C128010" G1_Z "9000"
#define G1_GA2          "10860000457C438141" G1_TERM_MAP_PUB "00"
#define G1_GA2_R        "7C438241" G1_CHIP_MAP_PUB "9000"
#define G1_GA3          "10860000457C438341" G1_TERM_EPH_PUB "00"
#define G1_GA3_R        "7C438441" G1_CHIP_EPH_PUB "9000"
#define G1_GA4          "008600000C7C0A8508" G1_T_IFD "00"
#define G1_GA4_R        "7C0A8608" G1_T_IC "9000"

static const char *const g1_rng[] = { G1_TERM_MAP_PRIV, G1_TERM_EPH_PRIV };

static void g1_case(struct pace_case *pc, const struct tu_exchange *ex, size_t n)
{
	memset(pc, 0, sizeof(*pc));
	pc->oid = G1_OID;
	pc->param_id = 13;
	pc->pw_type = EID_PW_MRZ;
	pc->pw_hex = G1_K;
	pc->ex = ex;
	pc->nex = n;
	pc->rng = g1_rng;
	pc->nrng = N(g1_rng);
}

static void assert_g1_result(const struct eid_pace_result *res)
{
	assert_int_equal(res->sm.cipher, EID_CIPHER_AES128);
	assert_hex(res->sm.kenc, 16, G1_KSENC);
	assert_hex(res->sm.kmac, 16, G1_KSMAC);
	assert_ssc_zero(&res->sm);
	assert_false(res->sm.failed);
	assert_hex(res->chip_map_pub, res->chip_map_pub_len, G1_CHIP_MAP_PUB);
	assert_hex(res->chip_eph_pub, res->chip_eph_pub_len, G1_CHIP_EPH_PUB);
	/* ID_PICC = x-coordinate of the chip's ephemeral key */
	assert_hex(res->id_icc, res->id_icc_len,
		   "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB");
	assert_int_equal(res->param_id, 13);
	assert_int_equal(res->algo.mapping, EID_PACE_GM);
	assert_string_equal(res->algo.name, "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
	assert_int_equal(res->ca_ic_len, 0);
}

static void g1_ecdh_gm_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, G1_GA3_R }, { G1_GA4, G1_GA4_R },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_g1_result(&res);
	assert_int_equal(res.retry_counter, -1);
	assert_string_equal(res.car1, "");
	assert_string_equal(res.car2, "");
	eid_pace_result_clear(&res);
}

static void g1_mse_carries_parameter_id_when_asked(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A412800A04007F0007020204020283010184010D", "9000" },
		{ G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R }, { G1_GA3, G1_GA3_R },
		{ G1_GA4, G1_GA4_R },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	pc.opts.send_param_id = true;
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_g1_result(&res);
	eid_pace_result_clear(&res);
}

static void g1_steps_reproduce_every_intermediate_value(void **state)
{
	struct eid_pace_dp *dp = dp_new(13);
	struct eid_pace_algo algo;
	eid_buf k = EID_BUF_INIT, s = EID_BUF_INIT, z = EID_BUF_INIT, priv = EID_BUF_INIT,
		pub = EID_BUF_INIT, h = EID_BUF_INIT, gen = EID_BUF_INIT, kk = EID_BUF_INIT,
		in = EID_BUF_INIT, peer = EID_BUF_INIT;
	uint8_t kpi[16], kenc[16], kmac[16], t[8];
	const char *const chunks[] = { G1_TERM_MAP_PRIV, G1_TERM_EPH_PRIV };
	struct tu_rng r;

	algo_from_hex(G1_OID, &algo);
	tu_rng_init(&r, chunks, N(chunks));
	tu_unhex(&k, G1_K);
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_AES128, k.data, k.len, kpi), 0);
	assert_hex(kpi, 16, G1_KPI);
	tu_unhex(&z, G1_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, G1_S);

	/* mapping key pair, H, mapped generator */
	assert_int_equal(eid_pace_keygen(dp, NULL, 0, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&priv, G1_TERM_MAP_PRIV);
	assert_buf_hex(&pub, G1_TERM_MAP_PUB);
	tu_unhex(&peer, G1_CHIP_MAP_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, false, &h), 0);
	assert_buf_hex(&h, G1_H);
	assert_int_equal(eid_pace_map_gm(dp, s.data, s.len, h.data, h.len, &gen), 0);
	assert_buf_hex(&gen, G1_GEN);

	/* ephemeral key pair on G~, shared secret K, session keys */
	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, G1_TERM_EPH_PUB);
	tu_unhex(&peer, G1_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, G1_SHARED_K);
	assert_int_equal(eid_pace_session_keys(EID_CIPHER_AES128, kk.data, kk.len, kenc, kmac), 0);
	assert_hex(kenc, 16, G1_KSENC);
	assert_hex(kmac, 16, G1_KSMAC);

	/* tokens: T_IFD over the chip's key, T_IC over the terminal's */
	assert_int_equal(eid_pace_token_input(&algo, peer.data, peer.len, &in), 0);
	assert_buf_hex(&in, "7F494F060A04007F00070202040202864104" "9E880F842905B8B3181F7AF7CAA9F0EF"
		       "B743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B7"
		       "68B326904B59A0193776F094");
	assert_int_equal(eid_pace_token(&algo, kmac, peer.data, peer.len, t), 0);
	assert_hex(t, 8, G1_T_IFD);
	assert_int_equal(eid_pace_token_input(&algo, pub.data, pub.len, &in), 0);
	assert_buf_hex(&in, "7F494F060A04007F00070202040202864104" "2DB7A64C0355044EC9DF190514C625CB"
		       "A2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7"
		       "BE1D43D9BF850149FBB36462");
	assert_int_equal(eid_pace_token(&algo, kmac, pub.data, pub.len, t), 0);
	assert_hex(t, 8, G1_T_IC);
	tu_rng_assert_done(&r);

	eid_buf_free(&k); eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&priv);
	eid_buf_free(&pub); eid_buf_free(&h); eid_buf_free(&gen); eid_buf_free(&kk);
	eid_buf_free(&in); eid_buf_free(&peer);
	eid_pace_dp_free(dp);
}

/* ---- 2.2 ICAO G.2: DH generic mapping, param ID 0, AES-128, MRZ ---- */

#define G2_OID          "04007F00070202040102"
#define G2_Z            "854D8DF5827FA6852D1A4FA701CDDDCA"
#define G2_S            "FA5B7E3E49753A0DB9178B7B9BD898C8"
#define G2_TERM_MAP_PRIV "5265030F751F4AD18B08AC565FC7AC952E41618D"
#define G2_TERM_MAP_PUB \
	"23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920" \
	"B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022D" \
	"CB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C"
#define G2_CHIP_MAP_PUB \
	"78879F57225AA8080D52ED0FC890A4B25336F699AA89A2D3A189654AF70729E623EA5738B26381E4DA19E004706FACE7" \
	"B235C2DBF2F38748312F3C98C2DD4882A41947B324AA1259AC22579DB93F7085655AF30889DBB845D9E6783FE42C9F24" \
	"49400306254C8AE8EE9DD812A804C0B66E8CAFC14F84D8258950A91B44126EE6"
#define G2_H \
	"5BABEBEF5B74E5BA94B5C063FDA15F1F1CDE94873EE0A5D3A2FCAB49F258D07F544F13CB66658C3AFEE9E727389BE3F6" \
	"CBBBD32128A8C21DD6EEA3CF7091CDDFB08B8D007D40318DCCA4FFBF51208790FB4BD111E5A968ED6B6F08B26CA87C41" \
	"0B3CE0C310CE104EABD16629AA48620C1279270CB0750C0D37C57FFFE302AE7F"
#define G2_GEN \
	"7C9CBFE98F9FBDDA8D143506FA7D9306F4CB17E3C71707AFF5E1C1A12370249684D64EE37AF44B8DBD9D45BF6023919C" \
	"BAA027AB97ACC771666C8E98FF483301BFA4872DEDE9034EDFACB70814166B7F360676829B826BEA57291B5AD69FBC84" \
	"EF1E779032A305803F74341793E869742D401325B37EE8565FFCDEE618342DC5"
#define G2_TERM_EPH_PRIV "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA"
#define G2_TERM_EPH_PUB \
	"907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747C" \
	"C7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236" \
	"B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4"
#define G2_CHIP_EPH_PUB \
	"075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB5D0AEEC3" \
	"AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250767A6D46DB974064" \
	"386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1"
#define G2_SHARED_K \
	"6BABC7B3A72BCD7EA385E4C62DB2625BD8613B24149E146A629311C4CA6698E38B834B6A9E9CD7184BA8834AFF5043D4" \
	"36950C4C1E7832367C10CB8C314D40E5990B0DF7013E64B4549E2270923D06F08CFF6BD3E977DDE6ABE4C31D55C0FA2E" \
	"465E553E77BDF75E3193D3834FC26E8EB1EE2FA1E4FC97C18C3F6CFFFE2607FD"
#define G2_KSENC        "2F7F46ADCC9E7E521B45D192FAFA9126"
#define G2_KSMAC        "805A1D27D45A5116F73C54469462B7D8"
#define G2_T_IFD        "B46DD9BD4D98381F"
#define G2_T_IC         "917F37B5C0E6D8D1"

#define G2_GA2          "10860000867C8183818180" G2_TERM_MAP_PUB "00"
#define G2_GA2_R        "7C8183828180" G2_CHIP_MAP_PUB "9000"
#define G2_GA3          "10860000867C8183838180" G2_TERM_EPH_PUB "00"
#define G2_GA3_R        "7C8183848180" G2_CHIP_EPH_PUB "9000"
#define G2_GA4          "008600000C7C0A8508" G2_T_IFD "00"

static const char *const g2_rng[] = { G2_TERM_MAP_PRIV, G2_TERM_EPH_PRIV };

static void assert_g2_keys(const struct eid_pace_result *res)
{
	assert_int_equal(res->sm.cipher, EID_CIPHER_AES128);
	assert_hex(res->sm.kenc, 16, G2_KSENC);
	assert_hex(res->sm.kmac, 16, G2_KSMAC);
	assert_ssc_zero(&res->sm);
	assert_hex(res->chip_map_pub, res->chip_map_pub_len, G2_CHIP_MAP_PUB);
	assert_hex(res->chip_eph_pub, res->chip_eph_pub_len, G2_CHIP_EPH_PUB);
	/* ID_PICC for DH: the chip's ephemeral value itself */
	assert_hex(res->id_icc, res->id_icc_len, G2_CHIP_EPH_PUB);
}

static void g2_dh_gm_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040102830101", "9000" },
		{ G1_GA1, "7C128010" G2_Z "9000" },
		{ G2_GA2, G2_GA2_R }, { G2_GA3, G2_GA3_R },
		{ G2_GA4, "7C0A8608" G2_T_IC "9000" },   /* Kotlin form */
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = G2_OID, .param_id = 0, .pw_type = EID_PW_MRZ, .pw_hex = G1_K,
		.ex = ex, .nex = N(ex), .rng = g2_rng, .nrng = N(g2_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_g2_keys(&res);
	assert_string_equal(res.algo.name, "id-PACE-DH-GM-AES-CBC-CMAC-128");
	assert_string_equal(res.car1, "");
	eid_pace_result_clear(&res);
}

static void g2_steps_reproduce_every_intermediate_value(void **state)
{
	struct eid_pace_dp *dp = dp_new(0);
	struct eid_pace_algo algo;
	eid_buf s = EID_BUF_INIT, z = EID_BUF_INIT, priv = EID_BUF_INIT, pub = EID_BUF_INIT,
		h = EID_BUF_INIT, gen = EID_BUF_INIT, kk = EID_BUF_INIT, in = EID_BUF_INIT,
		peer = EID_BUF_INIT;
	uint8_t kpi[16], kenc[16], kmac[16], t[8];
	struct tu_rng r;

	algo_from_hex(G2_OID, &algo);
	tu_rng_init(&r, g2_rng, N(g2_rng));
	tu_unhex(&z, G2_Z);
	tu_unhex(&s, G1_KPI);
	memcpy(kpi, s.data, 16);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, G2_S);

	assert_int_equal(eid_pace_keygen(dp, NULL, 0, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, G2_TERM_MAP_PUB);
	tu_unhex(&peer, G2_CHIP_MAP_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, false, &h), 0);
	assert_buf_hex(&h, G2_H);
	assert_int_equal(eid_pace_map_gm(dp, s.data, s.len, h.data, h.len, &gen), 0);
	assert_buf_hex(&gen, G2_GEN);

	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, G2_TERM_EPH_PUB);
	tu_unhex(&peer, G2_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, G2_SHARED_K);
	assert_int_equal(eid_pace_session_keys(EID_CIPHER_AES128, kk.data, kk.len, kenc, kmac), 0);
	assert_hex(kenc, 16, G2_KSENC);
	assert_hex(kmac, 16, G2_KSMAC);

	assert_int_equal(eid_pace_token_input(&algo, peer.data, peer.len, &in), 0);
	assert_buf_hex(&in, "7F49818F060A04007F00070202040102848180" G2_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_token(&algo, kmac, peer.data, peer.len, t), 0);
	assert_hex(t, 8, G2_T_IFD);
	assert_int_equal(eid_pace_token(&algo, kmac, pub.data, pub.len, t), 0);
	assert_hex(t, 8, G2_T_IC);
	tu_rng_assert_done(&r);

	eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&priv); eid_buf_free(&pub);
	eid_buf_free(&h); eid_buf_free(&gen); eid_buf_free(&kk); eid_buf_free(&in);
	eid_buf_free(&peer);
	eid_pace_dp_free(dp);
}

/* ---- 2.3 ICAO H.1: ECDH integrated mapping, brainpoolP256r1, CAN 123456 ---- */

#define H1_OID          "04007F00070202040402"
#define CAN_KPI         "591468CDA83D65219CCCB8560233600F"
#define H1_Z            "143DC40C08C8E891FBED7DEDB92B64AD"
#define H1_S            "2923BE84E16CD6AE529049F1F1BBE9EB"
#define H1_T            "5DD4CBFC96F5453B130D890A1CDBAE32"
#define H1_R            "E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA" \
			"8DA0FF397ED8C445D3E421E4FEB57322"
#define H1_RP           "A2F8FF2DF50E52C6599F386ADCB595D229F6A167ADE2BE5F2C3296ADD5B7430E"
#define H1_GEN          "048E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D427" \
			"4C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD"
#define H1_TERM_EPH_PUB "0489CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D4" \
			"6755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37"
#define H1_CHIP_EPH_PUB "0467F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8" \
			"932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753"
#define H1_SHARED_K     "4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713"
#define H1_KSENC        "0D3FEB33251A6370893D62AE8DAAF51B"
#define H1_KSMAC        "B01E89E3D9E8719E586B50B4A7506E0B"
#define H1_T_IFD        "450F02B86F6A0909"
#define H1_T_IC         "75D4D96E8D5B0308"

static const char *const h1_rng[] = { H1_T, G1_TERM_EPH_PRIV };

static void h1_ecdh_im_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040402830102", "9000" },
		{ G1_GA1, "7C128010" H1_Z "9000" },
		{ "10860000147C128110" H1_T "00", "7C009000" },
		{ "10860000457C438341" H1_TERM_EPH_PUB "00", "7C438441" H1_CHIP_EPH_PUB "9000" },
		{ "008600000C7C0A8508" H1_T_IFD "00", "7C0A8608" H1_T_IC "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = H1_OID, .param_id = 13, .pw_type = EID_PW_CAN, .pw_ascii = "123456",
		.ex = ex, .nex = N(ex), .rng = h1_rng, .nrng = N(h1_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_hex(res.sm.kenc, 16, H1_KSENC);
	assert_hex(res.sm.kmac, 16, H1_KSMAC);
	assert_ssc_zero(&res.sm);
	assert_hex(res.chip_eph_pub, res.chip_eph_pub_len, H1_CHIP_EPH_PUB);
	assert_int_equal(res.chip_map_pub_len, 0);
	assert_int_equal(res.algo.mapping, EID_PACE_IM);
	eid_pace_result_clear(&res);
}

/* R mod p, computed here with OpenSSL directly */
static void assert_r_mod_p(const struct eid_pace_dp *dp, const eid_buf *r, const char *hex)
{
	BIGNUM *bn = BN_bin2bn(r->data, (int)r->len, NULL);
	BN_CTX *ctx = BN_CTX_new();
	uint8_t out[256];

	assert_non_null(bn);
	assert_true(BN_nnmod(bn, bn, dp->p, ctx));
	assert_int_equal(BN_bn2binpad(bn, out, (int)dp->plen), (int)dp->plen);
	assert_hex(out, dp->plen, hex);
	BN_free(bn);
	BN_CTX_free(ctx);
}

static void h1_steps_reproduce_prf_and_point_encoding(void **state)
{
	struct eid_pace_dp *dp = dp_new(13);
	struct eid_pace_algo algo;
	eid_buf s = EID_BUF_INIT, z = EID_BUF_INIT, t = EID_BUF_INIT, r = EID_BUF_INIT,
		gen = EID_BUF_INIT, priv = EID_BUF_INIT, pub = EID_BUF_INIT, kk = EID_BUF_INIT,
		peer = EID_BUF_INIT;
	uint8_t kpi[16], kenc[16], kmac[16], tok[8];
	const char *const chunks[] = { G1_TERM_EPH_PRIV };
	struct tu_rng rng;

	algo_from_hex(H1_OID, &algo);
	tu_rng_init(&rng, chunks, N(chunks));
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_AES128, (const uint8_t *)"123456", 6, kpi), 0);
	assert_hex(kpi, 16, CAN_KPI);
	tu_unhex(&z, H1_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, H1_S);
	tu_unhex(&t, H1_T);
	assert_int_equal(eid_pace_im_prf(EID_CIPHER_AES128, s.data, s.len, t.data, t.len, 256, &r), 0);
	assert_buf_hex(&r, H1_R);
	assert_r_mod_p(dp, &r, H1_RP);
	assert_int_equal(eid_pace_map_im(dp, EID_CIPHER_AES128, s.data, s.len, t.data, t.len, &gen), 0);
	assert_buf_hex(&gen, H1_GEN);

	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &rng.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, H1_TERM_EPH_PUB);
	tu_unhex(&peer, H1_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, H1_SHARED_K);
	assert_int_equal(eid_pace_session_keys(EID_CIPHER_AES128, kk.data, kk.len, kenc, kmac), 0);
	assert_hex(kenc, 16, H1_KSENC);
	assert_hex(kmac, 16, H1_KSMAC);
	assert_int_equal(eid_pace_token(&algo, kmac, peer.data, peer.len, tok), 0);
	assert_hex(tok, 8, H1_T_IFD);
	assert_int_equal(eid_pace_token(&algo, kmac, pub.data, pub.len, tok), 0);
	assert_hex(tok, 8, H1_T_IC);
	tu_rng_assert_done(&rng);

	eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&t); eid_buf_free(&r);
	eid_buf_free(&gen); eid_buf_free(&priv); eid_buf_free(&pub); eid_buf_free(&kk);
	eid_buf_free(&peer);
	eid_pace_dp_free(dp);
}

/* ---- 2.4 ICAO H.2: DH integrated mapping, param ID 0, CAN 123456 ---- */

#define H2_OID          "04007F00070202040302"
#define H2_Z            "9ABB8864CA0FF1551E620D1EF4E13510"
#define H2_S            "FA5B7E3E49753A0DB9178B7B9BD898C8"
#define H2_T            "B3A6DB3C870C3E99245E0D1C06B747DE"
#define H2_R \
	"EAB98D13E09052952AA729907C3C946184DEA0FE74AD2B3AF506F0A83018459C38099CD1F7FF4EA0A078DB1FAC136550" \
	"5E3DC85500EF95E20B4EEF2E88489233BEE0546B472F994B618D168702406791DEEF3CB4810932EC278F3533FDB860EB" \
	"4835C36FA4F1BF3FA0B828A718C96BDE88FBA38A3E6C35AAA10959251EB5FC710FC187258995944C0F926E249373F485"
#define H2_RP \
	"A0C7C50C002061A51CC87D254EF38068607417B6EE1B36473CFB800D2D2E5FA2B6980F01105D24FAB22ACD1BFA5C8A4C" \
	"093ECDFAFE6D7125D42A843E338603835CF19AFAFF75EFE21DC5F6AA1F9AE46C25087E7368166FB08C1E4627AFED7D93" \
	"570417B790FF7F747E57F432B04E1236819E0DFEF5B6E77CA4999925328182D2"
#define H2_GEN \
	"1D7D767F11E333BCD6DBAEF40E799E7A926B96973550656FF3C830726D118D61C276CDCC61D475CF03A98E0C0E79CAEB" \
	"A5BE25578BD4551D0B10903236F0B0F976852FA78EEA14EA0ACA87D1E91F688FE0DFF897BBE35A472621D343564B262F" \
	"34223AE8FC59B664BFEDFA2BFE7516CA5510A6BBB633D517EC25D4E0BBAA16C2"
/* The example's 1024-bit terminal exponent 4BD0E547...2EFB28161 reduced mod q
 * (g~ has order q, so the public key is the same); it equals G.2's key. */
#define H2_TERM_EPH_PRIV "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA"
#define H2_TERM_EPH_PUB \
	"0F0CC62945A8029251FB7EF3C094E12EC68E4EF07F27CB9D9CD04C5C4250FAE0E4F8A951557E929AEB48E5C6DD47F2F5" \
	"CD7C351A9BD2CD722C07EDE166770F08FFCB370262CF308DD7B07F2E0DA9CAAA1492344C852906919538C98A4BA4187E" \
	"76CE9D87832386D319CE2E043C3343AEAE6EDBA1A9894DC5094D22F7FE1351D5"
#define H2_CHIP_EPH_PUB \
	"928D9A0F9DBA450F13FC859C6F290D1D36E42431138A4378500BEB4E0401854CFF111F71CB6DC1D0335807A11388CC8E" \
	"AA87B07907AAD9FBA6B169AF6D8C26AF8DDDC39ADC3AD2E3FF882B84D23E9768E95A80E4746FB07A9767679FE92133B4" \
	"D379935C771BD7FBED6C7BB4B1708B275EA75679524CDC9C6A91370CC662A2F3"
#define H2_SHARED_K \
	"419410D6C0A17A4C07C54872CE1CBCEB0A2705C1A434C8A89A4CFE41F1D78124CA7EC52BDE7615E5345E48AB1ABB6E7D" \
	"1D59A57F3174084D3CA4570397C1F62228BDFDB2DA191EA2239E2C060DBE3BBC23C2FCD0AF12E0F9E0B99FCF91FF1959" \
	"011D5798B2FCBC1F14FCC24E441F4C8F9B08D977E9498560E63E7FFAB3134EA7"
#define H2_KSENC        "01AFC10CF87BE36D8179E87370171F07"
#define H2_KSMAC        "23F0FBD05FD6C7B8B88F4C8309669061"
#define H2_T_IFD        "55D61977CBF5307E"
#define H2_T_IC         "C2F04230187E1525"

static const char *const h2_rng[] = { H2_T, H2_TERM_EPH_PRIV };

static void h2_dh_im_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040302830102", "9000" },
		{ G1_GA1, "7C128010" H2_Z "9000" },
		{ "10860000147C128110" H2_T "00", "7C009000" },
		{ "10860000867C8183838180" H2_TERM_EPH_PUB "00", "7C8183848180" H2_CHIP_EPH_PUB "9000" },
		{ "008600000C7C0A8508" H2_T_IFD "00", "7C0A8608" H2_T_IC "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = H2_OID, .param_id = 0, .pw_type = EID_PW_CAN, .pw_ascii = "123456",
		.ex = ex, .nex = N(ex), .rng = h2_rng, .nrng = N(h2_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_hex(res.sm.kenc, 16, H2_KSENC);
	assert_hex(res.sm.kmac, 16, H2_KSMAC);
	assert_ssc_zero(&res.sm);
	assert_hex(res.chip_eph_pub, res.chip_eph_pub_len, H2_CHIP_EPH_PUB);
	eid_pace_result_clear(&res);
}

static void h2_steps_reproduce_prf_and_dh_mapping(void **state)
{
	struct eid_pace_dp *dp = dp_new(0);
	eid_buf s = EID_BUF_INIT, z = EID_BUF_INIT, t = EID_BUF_INIT, r = EID_BUF_INIT,
		gen = EID_BUF_INIT, priv = EID_BUF_INIT, pub = EID_BUF_INIT, kk = EID_BUF_INIT,
		peer = EID_BUF_INIT;
	uint8_t kpi[16];
	const char *const chunks[] = { H2_TERM_EPH_PRIV };
	struct tu_rng rng;

	tu_rng_init(&rng, chunks, N(chunks));
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_AES128, (const uint8_t *)"123456", 6, kpi), 0);
	tu_unhex(&z, H2_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, H2_S);
	tu_unhex(&t, H2_T);
	assert_int_equal(eid_pace_im_prf(EID_CIPHER_AES128, s.data, s.len, t.data, t.len, 1024, &r), 0);
	assert_buf_hex(&r, H2_R);
	assert_r_mod_p(dp, &r, H2_RP);
	assert_int_equal(eid_pace_map_im(dp, EID_CIPHER_AES128, s.data, s.len, t.data, t.len, &gen), 0);
	assert_buf_hex(&gen, H2_GEN);
	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &rng.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, H2_TERM_EPH_PUB);
	tu_unhex(&peer, H2_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, H2_SHARED_K);
	tu_rng_assert_done(&rng);

	eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&t); eid_buf_free(&r);
	eid_buf_free(&gen); eid_buf_free(&priv); eid_buf_free(&pub); eid_buf_free(&kk);
	eid_buf_free(&peer);
	eid_pace_dp_free(dp);
}

/* ---- 2.5 ICAO I.1: PACE-CAM, brainpoolP256r1, AES-128, MRZ ---- */

#define I1_OID          "04007F00070202040602"
#define I1_K            "894D03F148C6265E89845B218856EA34D00EF8E8"   /* SHA-1 of C11T002JM496081222310314 */
#define I1_Z            "CB60E8E0D85B76A9BD304747C2AD42E2"
#define I1_S            "658B860BC94DF6F044FCE6D5C82CF8E5"
#define I1_TERM_MAP_PRIV "5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC"
#define I1_TERM_MAP_PUB "047F1D410ADB7DDB3B84BF1030800981A9105D7457B4A3ADE002384F3086C67EDE" \
			"1AB889104A27DB6D842B019020FBF3CEACB0DC627F7BDCAC29969E19D0E553C1"
#define I1_CHIP_MAP_PUB "04A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B3" \
			"04F365713A356E65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E23"
#define I1_GEN          "0489F0B5EABF3BE293C75903A3986131925C9F5B515CA95AF485DC7E886F03245D" \
			"44BEFB2DD3A0DBD71CB5E618971CF4747F12B79E548379A40E45963BAAF3E829"
#define I1_TERM_EPH_PRIV "76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120"
#define I1_TERM_EPH_PUB "04446C934084D9DAB863944F219520076C29EE3F7AE6722B11FF319EC1C7728F95" \
			"5483400BFF60BF0C5929270009277DC2A515E12575010AD9BA916CF1BF86FEFC"
#define I1_CHIP_EPH_PUB "0402AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA9933331" \
			"11C3B9B4C2287789BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E1"
#define I1_SHARED_K     "67950559D0C06B4D4B86972D14460837461087F8419FDBC36AAF6CEAAC462832"
#define I1_KSENC        "0A9DA4DB03BDDE39FC5202BC44B2E89E"
#define I1_KSMAC        "4B1C06491ED5140CA2B537D344C6C0B1"
#define I1_T_IFD        "E86BD06018A1CD3B"
#define I1_T_IC         "8596CF055C67C1A3"
#define I1_A_IC         "1EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD" \
			"10CBA372B42BE0B9B5F28AA8DE2F4F92"
#define I1_CA_IC        "85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3"
/* ChipAuthenticationPublicKeyInfo (Kotlin ChipAuthenticationTest.kt) */
#define I1_CA_PKINFO    "3062060904007F0007020201023052300C060704007F0007010202010D03420004" \
			"1872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8" \
			"84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F02010D"
#define I1_PK_IC        "041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8" \
			"84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F"

static const char *const i1_rng[] = { I1_TERM_MAP_PRIV, I1_TERM_EPH_PRIV };

static const struct tu_exchange i1_ex[] = {
	{ "0022C1A40F800A04007F00070202040602830101", "9000" },
	{ G1_GA1, "7C128010" I1_Z "9000" },
	{ "10860000457C438141" I1_TERM_MAP_PUB "00", "7C438241" I1_CHIP_MAP_PUB "9000" },
	{ "10860000457C438341" I1_TERM_EPH_PUB "00", "7C438441" I1_CHIP_EPH_PUB "9000" },
	{ "008600000C7C0A8508" I1_T_IFD "00", "7C3C8608" I1_T_IC "8A30" I1_A_IC "9000" },
};

/* PK_IC from the subjectPublicKey of ChipAuthenticationPublicKeyInfo. */
static void i1_pk_ic(eid_buf *info, eid_cbs *pk)
{
	eid_cbs c, seq, spki, bits;
	uint8_t unused;

	tu_unhex(info, I1_CA_PKINFO);
	eid_buf_cbs(info, &c);
	assert_true(eid_der_get(&c, 0x30, &seq));
	assert_true(eid_der_get(&seq, 0x06, &spki));        /* id-PK-ECDH */
	assert_true(eid_der_get(&seq, 0x30, &spki));        /* SubjectPublicKeyInfo */
	assert_true(eid_der_get(&spki, 0x30, &bits));       /* algorithm */
	assert_true(eid_der_get(&spki, 0x03, &bits));       /* subjectPublicKey */
	assert_true(eid_cbs_get_u8(&bits, &unused));
	assert_int_equal(unused, 0);
	*pk = bits;
	assert_hex(eid_cbs_data(pk), eid_cbs_len(pk), I1_PK_IC);
}

static void i1_cam_run_decrypts_ca_ic_and_verifies_the_chip_key(void **state)
{
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = I1_OID, .param_id = 13, .pw_type = EID_PW_MRZ, .pw_hex = I1_K,
		.ex = i1_ex, .nex = N(i1_ex), .rng = i1_rng, .nrng = N(i1_rng),
	};
	eid_buf info = EID_BUF_INIT, other = EID_BUF_INIT;
	eid_cbs pk;

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_int_equal(res.algo.mapping, EID_PACE_CAM);
	assert_hex(res.sm.kenc, 16, I1_KSENC);
	assert_hex(res.sm.kmac, 16, I1_KSMAC);
	assert_ssc_zero(&res.sm);
	assert_hex(res.chip_map_pub, res.chip_map_pub_len, I1_CHIP_MAP_PUB);
	assert_hex(res.chip_eph_pub, res.chip_eph_pub_len, I1_CHIP_EPH_PUB);
	assert_hex(res.ca_ic, res.ca_ic_len, I1_CA_IC);

	i1_pk_ic(&info, &pk);
	assert_int_equal(eid_pace_cam_verify(&res, eid_cbs_data(&pk), eid_cbs_len(&pk)), 0);
	/* the same CA_IC with a leading zero byte */
	memmove(res.ca_ic + 1, res.ca_ic, res.ca_ic_len);
	res.ca_ic[0] = 0;
	res.ca_ic_len++;
	assert_int_equal(eid_pace_cam_verify(&res, eid_cbs_data(&pk), eid_cbs_len(&pk)), 0);
	memmove(res.ca_ic, res.ca_ic + 1, --res.ca_ic_len);
	/* another valid point (the BSI example's CA key) is not this chip's key */
	tu_unhex(&other, "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A"
			 "46FF4A1CC7E4D1389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94");
	assert_int_equal(eid_pace_cam_verify(&res, other.data, other.len), -EID_EAUTH);
	/* nor is a point off the curve */
	other.data[other.len - 1] ^= 1;
	assert_int_equal(eid_pace_cam_verify(&res, other.data, other.len), -EID_EPARSE);
	/* a changed CA_IC does not verify */
	res.ca_ic[0] ^= 0x01;
	assert_int_equal(eid_pace_cam_verify(&res, eid_cbs_data(&pk), eid_cbs_len(&pk)),
			 -EID_EAUTH);
	eid_buf_free(&info);
	eid_buf_free(&other);
	eid_pace_result_clear(&res);
	/* after clearing, there is nothing to verify */
	assert_int_equal(eid_pace_cam_verify(&res, eid_cbs_data(&pk), eid_cbs_len(&pk)), -EID_ESTATE);
}

static void i1_steps_reproduce_mapping_and_ca_ic(void **state)
{
	struct eid_pace_dp *dp = dp_new(13);
	eid_buf s = EID_BUF_INIT, z = EID_BUF_INIT, priv = EID_BUF_INIT, pub = EID_BUF_INIT,
		h = EID_BUF_INIT, gen = EID_BUF_INIT, peer = EID_BUF_INIT, kk = EID_BUF_INIT,
		a = EID_BUF_INIT;
	uint8_t kpi[16], kenc[16], kmac[16], iv[16], ff[16], ca[48];
	size_t ca_len = 0;
	struct tu_rng r;

	tu_rng_init(&r, i1_rng, N(i1_rng));
	tu_unhex(&s, I1_K);
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_AES128, s.data, s.len, kpi), 0);
	tu_unhex(&z, I1_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, I1_S);
	assert_int_equal(eid_pace_keygen(dp, NULL, 0, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, I1_TERM_MAP_PUB);
	tu_unhex(&peer, I1_CHIP_MAP_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, false, &h), 0);
	assert_int_equal(eid_pace_map_gm(dp, s.data, s.len, h.data, h.len, &gen), 0);
	assert_buf_hex(&gen, I1_GEN);
	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, I1_TERM_EPH_PUB);
	tu_unhex(&peer, I1_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, I1_SHARED_K);
	assert_int_equal(eid_pace_session_keys(EID_CIPHER_AES128, kk.data, kk.len, kenc, kmac), 0);
	assert_hex(kenc, 16, I1_KSENC);
	assert_hex(kmac, 16, I1_KSMAC);

	/* IV = E(KSenc, FF..FF), then CA_IC */
	memset(ff, 0xFF, sizeof(ff));
	assert_int_equal(eid_aes_encrypt_block(kenc, 16, ff, iv), 0);
	assert_hex(iv, 16, "F6A3B75A1E933941DD7A13E2520779DF");
	tu_unhex(&a, I1_A_IC);
	assert_int_equal(eid_pace_cam_decrypt(EID_CIPHER_AES128, kenc, a.data, a.len, ca, &ca_len), 0);
	assert_hex(ca, ca_len, I1_CA_IC);
	/* ciphertext that is not whole blocks, and 3DES, are refused */
	assert_int_equal(eid_pace_cam_decrypt(EID_CIPHER_AES128, kenc, a.data, 40, ca, &ca_len),
			 -EID_EPARSE);
	assert_int_equal(eid_pace_cam_decrypt(EID_CIPHER_3DES, kenc, a.data, a.len, ca, &ca_len),
			 -EID_ENOTSUP);
	tu_rng_assert_done(&r);

	eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&priv); eid_buf_free(&pub);
	eid_buf_free(&h); eid_buf_free(&gen); eid_buf_free(&peer); eid_buf_free(&kk);
	eid_buf_free(&a);
	eid_pace_dp_free(dp);
}

/* ---- 3.1 BSI EAC worked example, ECDH, PIN 123456 ---- */

#define B1_Z            "CE834CDE69FFBB1D1EB21585CD709F18"
#define B1_S            "7D98C00FC6C9E9543BBF94A87073A123"
#define B1_MAP_PRIV     "752287F5B02DE3C4BC3E17945118C51B23C97278E4CD748048AC56BA5BDC3D46"
#define B1_MAP_PUB      "043DD29BBE5907FD21A152ADA4895FAAE7ACC55F5E50EFBFDE5AB0C6EB54F198D6" \
			"15913635F0FDF5BEB383E00355F82D3C41ED0DF2E28363433DFB73856A15DC9F"
#define B1_CHIP_MAP_PUB "049CFCF7582AC986D0DD52FA53123414C3E1B96B4D00ABA8E574679B70EFB5BC3B" \
			"45D2F13729CC2AE178E7E241B443213533B77DBB44649A815DDC4A2384BA422A"
#define B1_H            "0471850CFD80FB475947E5B1AF10FE8E6663967C2D264935B31951F763A4B03A57" \
			"49167388F88F52A109167E3E6592CA0820468D1157A8E781D2F7049179B1D114"
#define B1_GEN          "043929D28BA1E5339D6C5DADE5E33BD3C2F0BD14DD77C7521532261659C918FA60" \
			"14DD48FA84E62BDE438EDB4C9771D042CDB24B7788BDBAB2031C45751E777F66"
/* printed as 33 bytes with a stray leading 00 */
#define B1_EPH_PRIV     "9D9A32DF93A57CCE33CA3CDD3457E33A976F293546C73550F397259C93BE0120"
#define B1_EPH_PUB      "04518BC4E532AD2A9BD6527804D5D665ABD51041037A0CC8AA922804EB501C222B" \
			"3427388599AFAAE9FBACE2DF93E13C3C4979CD12F0AE3E3C0126028391554582"
#define B1_CHIP_EPH_PUB "04282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680" \
			"4DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B"
#define B1_SHARED_K     "6E7D077CCD367C2EAA683F1E8EC534302E2D00B6ADAF8A87A6EDA78740F17606"
#define B1_KSENC        "68406B4162100563D9C901A6154D2901"
#define B1_KSMAC        "73FF268784F72AF833FDC9464049AFC9"
#define B1_T_IFD        "A27AE7B36573C1D9"
#define B1_T_IC         "A2658C2F38600B0F"

static const char *const b1_rng[] = { B1_MAP_PRIV, B1_EPH_PRIV };

#define B1_EXCHANGES(mse_sw) \
	{ "0022C1A40F800A04007F00070202040202830103", mse_sw }, \
	{ G1_GA1, "7C128010" B1_Z "9000" }, \
	{ "10860000457C438141" B1_MAP_PUB "00", "7C438241" B1_CHIP_MAP_PUB "9000" }, \
	{ "10860000457C438341" B1_EPH_PUB "00", "7C438441" B1_CHIP_EPH_PUB "9000" }, \
	{ "008600000C7C0A8508" B1_T_IFD "00", "7C0A8608" B1_T_IC "9000" }

static void b1_case(struct pace_case *pc, const struct tu_exchange *ex, size_t n)
{
	memset(pc, 0, sizeof(*pc));
	pc->oid = G1_OID;
	pc->param_id = 13;
	pc->pw_type = EID_PW_PIN;
	pc->pw_ascii = "123456";
	pc->ex = ex;
	pc->nex = n;
	pc->rng = b1_rng;
	pc->nrng = N(b1_rng);
}

static void bsi_ecdh_pin_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = { B1_EXCHANGES("9000") };
	struct eid_pace_result res;
	struct pace_case pc;

	b1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_hex(res.sm.kenc, 16, B1_KSENC);
	assert_hex(res.sm.kmac, 16, B1_KSMAC);
	assert_ssc_zero(&res.sm);
	assert_hex(res.chip_eph_pub, res.chip_eph_pub_len, B1_CHIP_EPH_PUB);
	/* ID_PICC of the TA signature input (vectors.md 3.1) */
	assert_hex(res.id_icc, res.id_icc_len,
		   "282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680");
	assert_int_equal(res.retry_counter, -1);
	eid_pace_result_clear(&res);
}

static void bsi_ecdh_steps_reproduce_h_generator_and_k(void **state)
{
	struct eid_pace_dp *dp = dp_new(13);
	eid_buf s = EID_BUF_INIT, z = EID_BUF_INIT, priv = EID_BUF_INIT, pub = EID_BUF_INIT,
		h = EID_BUF_INIT, gen = EID_BUF_INIT, peer = EID_BUF_INIT, kk = EID_BUF_INIT;
	uint8_t kpi[16];
	struct tu_rng r;

	tu_rng_init(&r, b1_rng, N(b1_rng));
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_AES128, (const uint8_t *)"123456", 6, kpi), 0);
	tu_unhex(&z, B1_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_AES128, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, B1_S);
	assert_int_equal(eid_pace_keygen(dp, NULL, 0, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, B1_MAP_PUB);
	tu_unhex(&peer, B1_CHIP_MAP_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, false, &h), 0);
	assert_buf_hex(&h, B1_H);
	assert_int_equal(eid_pace_map_gm(dp, s.data, s.len, h.data, h.len, &gen), 0);
	assert_buf_hex(&gen, B1_GEN);
	assert_int_equal(eid_pace_keygen(dp, gen.data, gen.len, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&pub, B1_EPH_PUB);
	tu_unhex(&peer, B1_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_agree(dp, priv.data, priv.len, peer.data, peer.len, true, &kk), 0);
	assert_buf_hex(&kk, B1_SHARED_K);
	tu_rng_assert_done(&r);

	eid_buf_free(&s); eid_buf_free(&z); eid_buf_free(&priv); eid_buf_free(&pub);
	eid_buf_free(&h); eid_buf_free(&gen); eid_buf_free(&peer); eid_buf_free(&kk);
	eid_pace_dp_free(dp);
}

/* ---- 3.2 BSI EAC worked example, DH, PIN 123456, CAR in GA 4 ---- */

static void bsi_dh_pin_run_returns_the_car(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040102830103", "9000" },
		{ G1_GA1, "7C128010" "9ABB8864CA0FF1551E620D1EF4E13510" "9000" },
		{ G2_GA2, G2_GA2_R }, { G2_GA3, G2_GA3_R },
		/* dmrtd's form: 87 0F "DETESTCVCA00003" after T_IC */
		{ G2_GA4, "7C1B8608" G2_T_IC "870F444554455354435643413030303033" "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = G2_OID, .param_id = 0, .pw_type = EID_PW_PIN, .pw_ascii = "123456",
		.ex = ex, .nex = N(ex), .rng = g2_rng, .nrng = N(g2_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_g2_keys(&res);
	assert_string_equal(res.car1, "DETESTCVCA00003");
	assert_string_equal(res.car2, "");
	eid_pace_result_clear(&res);
}

/* ---- 3.4 3DES PACE, real NZ passport (gmrtd pace_test.go) ---- */

#define NZ_OID          "04007F00070202040201"
#define NZ_K            "90D5559ACF679510DAFDA01C8ED1928EBC507272"   /* SHA-1 of LM277954<178121452711151 */
#define NZ_KPI          "E0B07AA4B5979D4F32C2685825D04561"
#define NZ_Z            "B88382812290017AF1CC906FF00E7F4D"
#define NZ_S            "860E0FC6E8F46089663E923427A89585"
#define NZ_MAP_PRIV     "2808272C0EC20E01A3450030EF32855E9FEB5CB17719E985389B1CF47609E69F"
#define NZ_MAP_PUB      "047706B2B6246AB4612229B8A11212DDBA7FEA0568C9C0975DEE22C0E3DD3A3F03" \
			"21E8AFEE836E373B570D24000D56FB195104D486E63321FF8C819DD5EE018DCB"
#define NZ_CHIP_MAP_PUB "04780B4EDEC9B926F9F964FAD826D9990A667608D96BA7B397AE8609B6533E0D03" \
			"6D148365DDF4E5FF6611C2B62AA17FC9899F327BC929DB543E7ABD0EE724E4BE"
#define NZ_EPH_PRIV     "8F89449052DF6C7983750C7B042C3CEA12B36819174424C7CD28153F7B70B402"
#define NZ_EPH_PUB      "04507A0156EFAE8FB8ACC519036C0B2FE0393C878744C7F91878EE4E07A41412BA" \
			"5C0753D68A44A91E9F57F3F992AB689E6C2065D3B2A27C3658A4FD632931EE38"
#define NZ_CHIP_EPH_PUB "042DBAF62E6FDFB31EB66F206493B9E7721586F0E5C93754D7BD5A884CA251EE4D" \
			"720AB539A60561BC46812FA289B58AC69F0C6E32ADBAF7241049A31211F80F5B"
#define NZ_KSENC        "430E4C8C38DFEFAED92067B919A897F8"
#define NZ_KSMAC        "C1BC1F075797B970B5A45E64A764B0CB"
#define NZ_T_IFD        "8D7C617D43EFE09E"
#define NZ_T_IC         "CB57047C809079F6"

static const char *const nz_rng[] = { NZ_MAP_PRIV, NZ_EPH_PRIV };

static void nz_3des_run_matches_every_apdu_and_key(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040201830101", "9000" },
		{ G1_GA1, "7C128010" NZ_Z "9000" },
		{ "10860000457C438141" NZ_MAP_PUB "00", "7C438241" NZ_CHIP_MAP_PUB "9000" },
		{ "10860000457C438341" NZ_EPH_PUB "00", "7C438441" NZ_CHIP_EPH_PUB "9000" },
		{ "008600000C7C0A8508" NZ_T_IFD "00", "7C0A8608" NZ_T_IC "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = NZ_OID, .param_id = 13, .pw_type = EID_PW_MRZ, .pw_hex = NZ_K,
		.ex = ex, .nex = N(ex), .rng = nz_rng, .nrng = N(nz_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_int_equal(res.sm.cipher, EID_CIPHER_3DES);
	assert_string_equal(res.algo.name, "id-PACE-ECDH-GM-3DES-CBC-CBC");
	assert_hex(res.sm.kenc, 16, NZ_KSENC);
	assert_hex(res.sm.kmac, 16, NZ_KSMAC);
	assert_int_equal(res.sm.blocklen, 8);
	assert_ssc_zero(&res.sm);
	eid_pace_result_clear(&res);
}

static void nz_3des_steps_reproduce_kpi_nonce_and_retail_mac_tokens(void **state)
{
	struct eid_pace_algo algo;
	eid_buf k = EID_BUF_INIT, z = EID_BUF_INIT, s = EID_BUF_INIT, pub = EID_BUF_INIT;
	uint8_t kpi[16], kmac[16], t[8];

	algo_from_hex(NZ_OID, &algo);
	assert_int_equal(algo.cipher, EID_CIPHER_3DES);
	tu_unhex(&k, NZ_K);
	assert_int_equal(eid_pace_derive_kpi(EID_CIPHER_3DES, k.data, k.len, kpi), 0);
	assert_hex(kpi, 16, NZ_KPI);
	tu_unhex(&z, NZ_Z);
	assert_int_equal(eid_pace_decrypt_nonce(EID_CIPHER_3DES, kpi, z.data, z.len, &s), 0);
	assert_buf_hex(&s, NZ_S);
	tu_unhex(&k, NZ_KSMAC);
	memcpy(kmac, k.data, 16);
	tu_unhex(&pub, NZ_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_token(&algo, kmac, pub.data, pub.len, t), 0);
	assert_hex(t, 8, NZ_T_IFD);
	tu_unhex(&pub, NZ_EPH_PUB);
	assert_int_equal(eid_pace_token(&algo, kmac, pub.data, pub.len, t), 0);
	assert_hex(t, 8, NZ_T_IC);
	eid_buf_free(&k); eid_buf_free(&z); eid_buf_free(&s); eid_buf_free(&pub);
}

/* ---- refusals: tokens, keys ---- */

static void wrong_chip_token_is_an_auth_error_and_no_channel(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, G1_GA3_R }, { G1_GA4, "7C0A8608" "3ABB9674BCE93C09" "9000" },
	};
	static const uint8_t zero[32];
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), -EID_EAUTH);
	assert_memory_equal(res.sm.kenc, zero, sizeof(zero));
	assert_memory_equal(res.sm.kmac, zero, sizeof(zero));
}

static void chip_mapping_key_off_the_curve_is_refused(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R },
		/* last byte of y changed: not on brainpoolP256r1 */
		{ G1_GA2, "7C438241" "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
			  "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C55" "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	pc.nrng = 1;
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
}

static void chip_ephemeral_key_off_the_curve_is_refused(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, "7C438441" "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
			  "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F095" "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
}

static void compressed_or_short_chip_points_are_refused(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R },
		/* compressed form of a point is not accepted */
		{ G1_GA2, "7C238221" "02824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57" "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc;
	struct eid_pace_dp *dp = dp_new(13);
	eid_buf p = EID_BUF_INIT;

	g1_case(&pc, ex, N(ex));
	pc.nrng = 1;
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
	/* the point at infinity, a truncated point, an x >= p */
	assert_int_equal(eid_pace_check_pub(dp, (const uint8_t *)"\x00", 1), -EID_EPARSE);
	tu_unhex(&p, G1_CHIP_MAP_PUB);
	assert_int_equal(eid_pace_check_pub(dp, p.data, p.len), 0);
	assert_int_equal(eid_pace_check_pub(dp, p.data, p.len - 1), -EID_EPARSE);
	assert_int_equal(eid_pace_check_pub(dp, NULL, 0), -EID_EPARSE);
	memset(p.data + 1, 0xFF, 32);
	assert_int_equal(eid_pace_check_pub(dp, p.data, p.len), -EID_EPARSE);
	eid_buf_free(&p);
	eid_pace_dp_free(dp);
}

static void chip_echoing_the_terminal_key_is_refused(void **state)
{
	static const struct tu_exchange map_ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R },
		{ G1_GA2, "7C438241" G1_TERM_MAP_PUB "9000" },
	};
	static const struct tu_exchange eph_ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, "7C438441" G1_TERM_EPH_PUB "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, map_ex, N(map_ex));
	pc.nrng = 1;
	assert_int_equal(run_case(&pc, &res, true), -EID_EAUTH);
	g1_case(&pc, eph_ex, N(eph_ex));
	assert_int_equal(run_case(&pc, &res, true), -EID_EAUTH);
}

static void dh_values_out_of_range_or_subgroup_are_refused(void **state)
{
	struct eid_pace_dp *dp = dp_new(0);
	eid_buf v = EID_BUF_INIT;
	BIGNUM *bn = BN_new();

	tu_unhex(&v, G2_CHIP_EPH_PUB);
	assert_int_equal(eid_pace_check_pub(dp, v.data, v.len), 0);
	/* exactly |p| bytes */
	assert_int_equal(eid_pace_check_pub(dp, v.data + 1, v.len - 1), -EID_EPARSE);
	/* 1, p-1, p, and 2 (not in the order-q subgroup) */
	memset(v.data, 0, v.len);
	v.data[v.len - 1] = 1;
	assert_int_equal(eid_pace_check_pub(dp, v.data, v.len), -EID_EPARSE);
	v.data[v.len - 1] = 2;
	assert_int_equal(eid_pace_check_pub(dp, v.data, v.len), -EID_EPARSE);
	assert_true(BN_copy(bn, dp->p) != NULL);
	assert_int_equal(BN_bn2binpad(bn, v.data, (int)v.len), (int)v.len);
	assert_int_equal(eid_pace_check_pub(dp, v.data, v.len), -EID_EPARSE);
	assert_true(BN_sub_word(bn, 1));
	assert_int_equal(BN_bn2binpad(bn, v.data, (int)v.len), (int)v.len);
	assert_int_equal(eid_pace_check_pub(dp, v.data, v.len), -EID_EPARSE);
	BN_free(bn);
	eid_buf_free(&v);
	eid_pace_dp_free(dp);
}

/* ---- refusals: status words ---- */

static void mse_63c2_continues_and_reports_two_tries(void **state)
{
	static const struct tu_exchange ex[] = { B1_EXCHANGES("63C2") };
	struct eid_pace_result res;
	struct pace_case pc;

	b1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_int_equal(res.retry_counter, 2);
	assert_hex(res.sm.kenc, 16, B1_KSENC);
	eid_pace_result_clear(&res);
}

static void suspended_pin_is_refused_unless_resumed_with_the_can(void **state)
{
	static const struct tu_exchange mse_only[] = {
		{ "0022C1A40F800A04007F00070202040202830103", "63C1" },
	};
	static const struct tu_exchange ex[] = { B1_EXCHANGES("63C1") };
	struct eid_pace_result res;
	struct pace_case pc;

	b1_case(&pc, mse_only, N(mse_only));
	pc.nrng = 0;
	assert_int_equal(run_case(&pc, &res, true), -EID_ESUSPENDED);
	assert_int_equal(res.retry_counter, 1);

	b1_case(&pc, ex, N(ex));
	pc.opts.pin_resumed = true;
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_int_equal(res.retry_counter, 1);
	assert_hex(res.sm.kmac, 16, B1_KSMAC);
	eid_pace_result_clear(&res);
}

static void can_with_63c1_is_not_suspended(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040402830102", "63C1" },
		{ G1_GA1, "7C128010" H1_Z "9000" },
		{ "10860000147C128110" H1_T "00", "7C009000" },
		{ "10860000457C438341" H1_TERM_EPH_PUB "00", "7C438441" H1_CHIP_EPH_PUB "9000" },
		{ "008600000C7C0A8508" H1_T_IFD "00", "7C0A8608" H1_T_IC "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = H1_OID, .param_id = 13, .pw_type = EID_PW_CAN, .pw_ascii = "123456",
		.ex = ex, .nex = N(ex), .rng = h1_rng, .nrng = N(h1_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_int_equal(res.retry_counter, 1);
	eid_pace_result_clear(&res);
}

static void blocked_or_deactivated_passwords_stop_at_mse(void **state)
{
	static const struct {
		const char *sw;
		int err;
	} sws[] = {
		{ "63C0", -EID_EBLOCKED }, { "6983", -EID_EBLOCKED },
		{ "6283", -EID_EDEACTIVATED }, { "6984", -EID_EDEACTIVATED },
		{ "6985", -EID_EDEACTIVATED },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	for (size_t i = 0; i < N(sws); i++) {
		struct tu_exchange ex[] = { { "0022C1A40F800A04007F00070202040202830103", sws[i].sw } };

		b1_case(&pc, ex, N(ex));
		pc.nrng = 0;
		assert_int_equal(run_case(&pc, &res, true), sws[i].err);
	}
	{
		struct tu_exchange ex[] = { { "0022C1A40F800A04007F00070202040202830103", "6A80" } };

		b1_case(&pc, ex, N(ex));
		pc.nrng = 0;
		assert_int_equal(run_case(&pc, &res, true), -EID_ESW);
	}
}

static void ga4_refusal_is_a_wrong_password_with_the_counter(void **state)
{
	static const struct tu_exchange ex_6300[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, G1_GA3_R }, { G1_GA4, "6300" },
	};
	static const struct tu_exchange ex_63c2[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, G1_GA3_R }, { G1_GA4, "63C2" },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex_6300, N(ex_6300));
	assert_int_equal(run_case(&pc, &res, true), -EID_EPASSWORD);
	assert_int_equal(res.retry_counter, -1);
	g1_case(&pc, ex_63c2, N(ex_63c2));
	assert_int_equal(run_case(&pc, &res, true), -EID_EPASSWORD);
	assert_int_equal(res.retry_counter, 2);
}

static void other_status_words_in_ga_are_errors(void **state)
{
	static const struct tu_exchange ex[] = { { G1_MSE, "9000" }, { G1_GA1, "6A80" } };
	static const struct tu_exchange blocked[] = { { G1_MSE, "9000" }, { G1_GA1, "6983" } };
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	pc.nrng = 0;
	assert_int_equal(run_case(&pc, &res, true), -EID_ESW);
	g1_case(&pc, blocked, N(blocked));
	pc.nrng = 0;
	assert_int_equal(run_case(&pc, &res, true), -EID_EBLOCKED);
}

/* ---- refusals: malformed responses ---- */

static void malformed_dynamic_authentication_data_is_refused(void **state)
{
	static const char *const bad_ga1[] = {
		"7C1280" "10" "95A3A016522EE98D01E76CB6B98B42" "9000",        /* truncated */
		"7C128010" G1_Z "00" "9000",                                 /* trailing byte */
		"7C128110" G1_Z "9000",                                      /* wrong tag 81 */
		"7D128010" G1_Z "9000",                                      /* not 7C */
		"7C168010" G1_Z "8202AABB" "9000",                           /* extra object */
		"7C118010" "95A3A016522EE98D01E76CB6B98B42" "9000",          /* 15 bytes: no block */
		"7C028000" "9000",                                           /* empty nonce */
		"7C00" "9000",                                               /* no nonce */
		"9000",                                                      /* no data */
	};
	struct eid_pace_result res;
	struct pace_case pc;

	for (size_t i = 0; i < N(bad_ga1); i++) {
		struct tu_exchange ex[] = { { G1_MSE, "9000" }, { G1_GA1, bad_ga1[i] } };

		g1_case(&pc, ex, N(ex));
		pc.nrng = 0;
		assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
	}
}

static void malformed_ga4_responses_are_refused(void **state)
{
	static const char *const bad_ga4[] = {
		"7C098607" "3ABB9674BCE93C" "9000",                          /* short token */
		"7C0A8708" G1_T_IC "9000",                                   /* wrong tag */
		"7C0E8608" G1_T_IC "8702" "4100" "9000",                     /* CAR with a NUL */
		"7C0C8608" G1_T_IC "8700" "9000",                            /* empty CAR */
		"7C0E8608" G1_T_IC "8A02" "AABB" "9000",                     /* A_IC without CAM */
		"7C0E8608" G1_T_IC "8802" "4142" "8702" "4142" "9000",       /* CARs out of order */
	};
	struct eid_pace_result res;
	struct pace_case pc;

	for (size_t i = 0; i < N(bad_ga4); i++) {
		struct tu_exchange ex[] = {
			{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
			{ G1_GA3, G1_GA3_R }, { G1_GA4, bad_ga4[i] },
		};

		g1_case(&pc, ex, N(ex));
		assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
	}
}

static void two_cars_are_returned(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R }, { G1_GA3, G1_GA3_R },
		{ G1_GA4, "7C2A8608" G1_T_IC "870D" "44454356434141543030303031"
			  "880F" "444554455354435643413030303033" "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_string_equal(res.car1, "DECVCAAT00001");
	assert_string_equal(res.car2, "DETESTCVCA00003");
	eid_pace_result_clear(&res);
}

static void cam_without_chip_authentication_data_is_refused(void **state)
{
	struct tu_exchange ex[N(i1_ex)];
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = I1_OID, .param_id = 13, .pw_type = EID_PW_MRZ, .pw_hex = I1_K,
		.ex = ex, .nex = N(ex), .rng = i1_rng, .nrng = N(i1_rng),
	};

	memcpy(ex, i1_ex, sizeof(ex));
	ex[4].resp = "7C0A8608" I1_T_IC "9000";
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
	/* A_IC with broken padding */
	ex[4].resp = "7C1C8608" I1_T_IC "8A10" "1EEA964DAAE372AC990E3EFDE6333353" "9000";
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
}

static void im_chip_may_answer_an_empty_82_but_nothing_else(void **state)
{
	struct tu_exchange ex[] = {
		{ "0022C1A40F800A04007F00070202040402830102", "9000" },
		{ G1_GA1, "7C128010" H1_Z "9000" },
		{ "10860000147C128110" H1_T "00", "7C028200" "9000" },
		{ "10860000457C438341" H1_TERM_EPH_PUB "00", "7C438441" H1_CHIP_EPH_PUB "9000" },
		{ "008600000C7C0A8508" H1_T_IFD "00", "7C0A8608" H1_T_IC "9000" },
	};
	struct eid_pace_result res;
	struct pace_case pc = {
		.oid = H1_OID, .param_id = 13, .pw_type = EID_PW_CAN, .pw_ascii = "123456",
		.ex = ex, .nex = N(ex), .rng = h1_rng, .nrng = N(h1_rng),
	};

	assert_int_equal(run_case(&pc, &res, true), 0);
	assert_hex(res.sm.kenc, 16, H1_KSENC);
	eid_pace_result_clear(&res);
	ex[2].resp = "7C03820141" "9000";
	pc.nex = 3;
	pc.nrng = 1;
	assert_int_equal(run_case(&pc, &res, true), -EID_EPARSE);
}

/* ---- algorithms and parameters ---- */

static void every_pace_oid_is_known_and_others_are_not(void **state)
{
	static const struct {
		const char *oid;
		enum eid_pace_mapping m;
		enum eid_key_agreement ka;
		enum eid_cipher c;
		const char *name;
	} known[] = {
		{ "04007F00070202040101", EID_PACE_GM, EID_KA_DH, EID_CIPHER_3DES, "id-PACE-DH-GM-3DES-CBC-CBC" },
		{ "04007F00070202040104", EID_PACE_GM, EID_KA_DH, EID_CIPHER_AES256, "id-PACE-DH-GM-AES-CBC-CMAC-256" },
		{ "04007F00070202040203", EID_PACE_GM, EID_KA_ECDH, EID_CIPHER_AES192, "id-PACE-ECDH-GM-AES-CBC-CMAC-192" },
		{ "04007F00070202040301", EID_PACE_IM, EID_KA_DH, EID_CIPHER_3DES, "id-PACE-DH-IM-3DES-CBC-CBC" },
		{ "04007F00070202040404", EID_PACE_IM, EID_KA_ECDH, EID_CIPHER_AES256, "id-PACE-ECDH-IM-AES-CBC-CMAC-256" },
		{ "04007F00070202040602", EID_PACE_CAM, EID_KA_ECDH, EID_CIPHER_AES128, "id-PACE-ECDH-CAM-AES-CBC-CMAC-128" },
		{ "04007F00070202040604", EID_PACE_CAM, EID_KA_ECDH, EID_CIPHER_AES256, "id-PACE-ECDH-CAM-AES-CBC-CMAC-256" },
	};
	static const char *const unknown[] = {
		"04007F00070202040601",     /* CAM with 3DES is not defined */
		"04007F00070202040502",     /* arc 5 */
		"04007F00070202040205",     /* cipher 5 */
		"04007F00070202040200",     /* cipher 0 */
		"04007F000702020402",       /* too short */
		"04007F0007020204020201",   /* too long */
		"04007F00070202030202",     /* id-CA, not id-PACE */
		"",
	};
	struct eid_pace_algo a;
	eid_buf b = EID_BUF_INIT;
	size_t total = 0;

	for (size_t i = 0; i < N(known); i++) {
		tu_unhex(&b, known[i].oid);
		assert_int_equal(eid_pace_algo_from_oid(b.data, b.len, &a), 0);
		assert_int_equal(a.mapping, known[i].m);
		assert_int_equal(a.ka, known[i].ka);
		assert_int_equal(a.cipher, known[i].c);
		assert_string_equal(a.name, known[i].name);
		assert_hex(a.oid, a.oid_len, known[i].oid);
	}
	/* 4 + 4 + 4 + 4 + 3 defined OIDs */
	for (unsigned fam = 0; fam < 8; fam++) {
		for (unsigned c = 0; c < 8; c++) {
			uint8_t oid[10] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04,
					    (uint8_t)fam, (uint8_t)c };

			total += eid_pace_algo_from_oid(oid, sizeof(oid), &a) == 0;
		}
	}
	assert_int_equal(total, 19);
	for (size_t i = 0; i < N(unknown); i++) {
		tu_unhex(&b, unknown[i]);
		assert_int_equal(eid_pace_algo_from_oid(b.data, b.len, &a), -EID_ENOTSUP);
	}
	eid_buf_free(&b);
}

static void unknown_or_mismatched_parameters_are_not_supported(void **state)
{
	static const struct tu_exchange none[] = { { G1_MSE, "9000" } };
	struct eid_pace_result res;
	struct pace_case pc;
	struct eid_pace_algo algo;
	struct tu_script s;

	for (int id = -1; id <= 20; id++)
		assert_int_equal(eid_pace_param_id_supported(id),
				 (id >= 0 && id <= 2) || (id >= 8 && id <= 18));
	/* nothing is sent for an unknown parameter or an ECDH OID on a DH group */
	g1_case(&pc, none, 0);
	pc.nrng = 0;
	pc.param_id = 3;
	assert_int_equal(run_case(&pc, &res, true), -EID_ENOTSUP);
	pc.param_id = 19;
	assert_int_equal(run_case(&pc, &res, true), -EID_ENOTSUP);
	pc.param_id = 0;
	assert_int_equal(run_case(&pc, &res, true), -EID_ENOTSUP);
	/* an algorithm that is not a PACE algorithm */
	memset(&algo, 0, sizeof(algo));
	tu_script_init(&s, none, 0);
	assert_int_equal(eid_pace_run(&s.card, &algo, 13, EID_PW_CAN, (const uint8_t *)"1", 1,
				      NULL, &res), -EID_ENOTSUP);
	/* IM on a curve with p = 1 mod 4 (secp224r1) has no point encoding */
	{
		struct eid_pace_dp *dp = dp_new(10);
		eid_buf s16 = EID_BUF_INIT, gen = EID_BUF_INIT;

		tu_unhex(&s16, H1_S);
		assert_int_equal(eid_pace_map_im(dp, EID_CIPHER_AES128, s16.data, s16.len,
						 s16.data, s16.len, &gen), -EID_ENOTSUP);
		eid_buf_free(&s16);
		eid_buf_free(&gen);
		eid_pace_dp_free(dp);
	}
	/* bad arguments */
	assert_int_equal(eid_pace_run(&s.card, NULL, 13, EID_PW_CAN, (const uint8_t *)"1", 1,
				      NULL, &res), -EID_EINVAL);
	algo_from_hex(G1_OID, &algo);
	assert_int_equal(eid_pace_run(&s.card, &algo, 13, EID_PW_CAN, NULL, 0, NULL, &res),
			 -EID_EINVAL);
	assert_int_equal(eid_pace_run(&s.card, &algo, 13, (enum eid_password)7,
				      (const uint8_t *)"1", 1, NULL, &res), -EID_EINVAL);
	tu_script_assert_done(&s);
}

static void password_names_are_stable(void **state)
{
	assert_string_equal(eid_password_name(EID_PW_MRZ), "mrz");
	assert_string_equal(eid_password_name(EID_PW_CAN), "can");
	assert_string_equal(eid_password_name(EID_PW_PIN), "pin");
	assert_string_equal(eid_password_name(EID_PW_PUK), "puk");
}

/* RFC 5114 groups: p and q prime, g of order q; ID 0 as printed in G.2. */
static void dh_groups_are_the_rfc5114_groups(void **state)
{
	static const int bits[3][2] = { { 1024, 160 }, { 2048, 224 }, { 2048, 256 } };
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *t = BN_new();
	uint8_t buf[256];

	for (int id = 0; id <= 2; id++) {
		struct eid_pace_dp *dp = dp_new(id);

		assert_int_equal(dp->ka, EID_KA_DH);
		assert_int_equal(BN_num_bits(dp->p), bits[id][0]);
		assert_int_equal(BN_num_bits(dp->q), bits[id][1]);
		assert_int_equal(BN_check_prime(dp->p, ctx, NULL), 1);
		assert_int_equal(BN_check_prime(dp->q, ctx, NULL), 1);
		assert_true(BN_mod_exp(t, dp->g, dp->q, dp->p, ctx));
		assert_true(BN_is_one(t));
		assert_true(BN_sub(t, dp->p, BN_value_one()));
		assert_true(BN_mod(t, t, dp->q, ctx));
		assert_true(BN_is_zero(t));
		if (id == 0) {
			BN_bn2binpad(dp->p, buf, 128);
			assert_hex(buf, 128, "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B61"
				   "6073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BF"
				   "ACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0"
				   "A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371");
			BN_bn2binpad(dp->g, buf, 128);
			assert_hex(buf, 128, "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31"
				   "266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4"
				   "D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28A"
				   "D662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5");
			BN_bn2binpad(dp->q, buf, 20);
			assert_hex(buf, 20, "F518AA8781A8DF278ABA4E7D64B7CB9D49462353");
		}
		eid_pace_dp_free(dp);
	}
	BN_free(t);
	BN_CTX_free(ctx);
}

/* Every standardized group: field and order sizes, and two fresh key pairs
 * agree on the same secret. */
static void every_standard_group_agrees_on_a_secret(void **state)
{
	static const struct { int id, fbits; } ec[] = {
		{ 8, 192 }, { 9, 192 }, { 10, 224 }, { 11, 224 }, { 12, 256 }, { 13, 256 },
		{ 14, 320 }, { 15, 384 }, { 16, 384 }, { 17, 512 }, { 18, 521 },
	};
	int ids[14];
	size_t n = 0;

	for (int id = 0; id <= 2; id++)
		ids[n++] = id;
	for (size_t i = 0; i < N(ec); i++) {
		struct eid_pace_dp *dp = dp_new(ec[i].id);

		assert_int_equal(dp->ka, EID_KA_ECDH);
		assert_int_equal(BN_num_bits(dp->p), ec[i].fbits);
		assert_int_equal(eid_pace_dp_elem_len(dp), 1 + 2 * ((ec[i].fbits + 7) / 8));
		eid_pace_dp_free(dp);
		ids[n++] = ec[i].id;
	}
	for (size_t i = 0; i < n; i++) {
		struct eid_pace_dp *dp = dp_new(ids[i]);
		eid_buf pa = EID_BUF_INIT, qa = EID_BUF_INIT, pb = EID_BUF_INIT, qb = EID_BUF_INIT,
			ka = EID_BUF_INIT, kb = EID_BUF_INIT;

		assert_int_equal(eid_pace_keygen(dp, NULL, 0, NULL, &pa, &qa), 0);
		assert_int_equal(eid_pace_keygen(dp, NULL, 0, NULL, &pb, &qb), 0);
		assert_int_equal(pa.len, dp->qlen);
		assert_int_equal(qa.len, eid_pace_dp_elem_len(dp));
		assert_int_equal(eid_pace_check_pub(dp, qa.data, qa.len), 0);
		assert_int_equal(eid_pace_agree(dp, pa.data, pa.len, qb.data, qb.len, true, &ka), 0);
		assert_int_equal(eid_pace_agree(dp, pb.data, pb.len, qa.data, qa.len, true, &kb), 0);
		assert_int_equal(ka.len, dp->plen);
		assert_int_equal(kb.len, ka.len);
		assert_memory_equal(ka.data, kb.data, ka.len);
		eid_buf_free(&pa); eid_buf_free(&qa); eid_buf_free(&pb); eid_buf_free(&qb);
		eid_buf_free(&ka); eid_buf_free(&kb);
		eid_pace_dp_free(dp);
	}
}

static void private_keys_out_of_range_are_drawn_again(void **state)
{
	/* brainpoolP256r1 order is A9FB57DB...; first draw >= order, second is 0,
	 * the third is taken */
	static const char *const chunks[] = {
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
		"0000000000000000000000000000000000000000000000000000000000000000",
		G1_TERM_MAP_PRIV,
	};
	struct eid_pace_dp *dp = dp_new(13);
	eid_buf priv = EID_BUF_INIT, pub = EID_BUF_INIT;
	struct tu_rng r;

	tu_rng_init(&r, chunks, N(chunks));
	assert_int_equal(eid_pace_keygen(dp, NULL, 0, &r.rng, &priv, &pub), 0);
	assert_buf_hex(&priv, G1_TERM_MAP_PRIV);
	assert_buf_hex(&pub, G1_TERM_MAP_PUB);
	tu_rng_assert_done(&r);
	eid_buf_free(&priv);
	eid_buf_free(&pub);
	eid_pace_dp_free(dp);
}

static void result_clear_wipes_the_keys(void **state)
{
	static const struct tu_exchange ex[] = {
		{ G1_MSE, "9000" }, { G1_GA1, G1_GA1_R }, { G1_GA2, G1_GA2_R },
		{ G1_GA3, G1_GA3_R }, { G1_GA4, G1_GA4_R },
	};
	static const uint8_t zero[32];
	struct eid_pace_result res;
	struct pace_case pc;

	g1_case(&pc, ex, N(ex));
	assert_int_equal(run_case(&pc, &res, true), 0);
	eid_pace_result_clear(&res);
	assert_memory_equal(res.sm.kenc, zero, sizeof(zero));
	assert_memory_equal(res.sm.kmac, zero, sizeof(zero));
	assert_int_equal(res.chip_eph_pub_len, 0);
	eid_pace_result_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(g1_ecdh_gm_run_matches_every_apdu_and_key),
		cmocka_unit_test(g1_mse_carries_parameter_id_when_asked),
		cmocka_unit_test(g1_steps_reproduce_every_intermediate_value),
		cmocka_unit_test(g2_dh_gm_run_matches_every_apdu_and_key),
		cmocka_unit_test(g2_steps_reproduce_every_intermediate_value),
		cmocka_unit_test(h1_ecdh_im_run_matches_every_apdu_and_key),
		cmocka_unit_test(h1_steps_reproduce_prf_and_point_encoding),
		cmocka_unit_test(h2_dh_im_run_matches_every_apdu_and_key),
		cmocka_unit_test(h2_steps_reproduce_prf_and_dh_mapping),
		cmocka_unit_test(i1_cam_run_decrypts_ca_ic_and_verifies_the_chip_key),
		cmocka_unit_test(i1_steps_reproduce_mapping_and_ca_ic),
		cmocka_unit_test(bsi_ecdh_pin_run_matches_every_apdu_and_key),
		cmocka_unit_test(bsi_ecdh_steps_reproduce_h_generator_and_k),
		cmocka_unit_test(bsi_dh_pin_run_returns_the_car),
		cmocka_unit_test(nz_3des_run_matches_every_apdu_and_key),
		cmocka_unit_test(nz_3des_steps_reproduce_kpi_nonce_and_retail_mac_tokens),
		cmocka_unit_test(wrong_chip_token_is_an_auth_error_and_no_channel),
		cmocka_unit_test(chip_mapping_key_off_the_curve_is_refused),
		cmocka_unit_test(chip_ephemeral_key_off_the_curve_is_refused),
		cmocka_unit_test(compressed_or_short_chip_points_are_refused),
		cmocka_unit_test(chip_echoing_the_terminal_key_is_refused),
		cmocka_unit_test(dh_values_out_of_range_or_subgroup_are_refused),
		cmocka_unit_test(mse_63c2_continues_and_reports_two_tries),
		cmocka_unit_test(suspended_pin_is_refused_unless_resumed_with_the_can),
		cmocka_unit_test(can_with_63c1_is_not_suspended),
		cmocka_unit_test(blocked_or_deactivated_passwords_stop_at_mse),
		cmocka_unit_test(ga4_refusal_is_a_wrong_password_with_the_counter),
		cmocka_unit_test(other_status_words_in_ga_are_errors),
		cmocka_unit_test(malformed_dynamic_authentication_data_is_refused),
		cmocka_unit_test(malformed_ga4_responses_are_refused),
		cmocka_unit_test(two_cars_are_returned),
		cmocka_unit_test(cam_without_chip_authentication_data_is_refused),
		cmocka_unit_test(im_chip_may_answer_an_empty_82_but_nothing_else),
		cmocka_unit_test(every_pace_oid_is_known_and_others_are_not),
		cmocka_unit_test(unknown_or_mismatched_parameters_are_not_supported),
		cmocka_unit_test(password_names_are_stable),
		cmocka_unit_test(dh_groups_are_the_rfc5114_groups),
		cmocka_unit_test(every_standard_group_agrees_on_a_secret),
		cmocka_unit_test(private_keys_out_of_range_are_drawn_again),
		cmocka_unit_test(result_clear_wipes_the_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
