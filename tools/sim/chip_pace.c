/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip side of PACE (ICAO 9303-11 4.4) played by OpenPACE's chip side
 * (libeac), so that our terminal (proto/pace.c) meets an implementation we
 * did not write: generic mapping with ECDH and with DH.  PACE-CAM (4.4.3.5),
 * which OpenPACE lacks, runs on OpenPACE's ECDH generic mapping and adds
 * the chip authentication data from chip_crypto.c.
 *
 *   MSE:Set AT 00 22 C1 A4 { 80 OID, 83 password, [84 parameter ID] }
 *   GA 1  10 86 { 7C 00 }          -> 7C { 80 z }          encrypted nonce
 *   GA 2  10 86 { 7C { 81 PK } }   -> 7C { 82 PK_Map,IC }  mapping
 *   GA 3  10 86 { 7C { 83 PK } }   -> 7C { 84 PK_IC~ }     key agreement
 *   GA 4  00 86 { 7C { 85 T_PCD } } -> 7C { 86 T_IC, [8A A_IC] }
 * then AES (or 3DES) secure messaging with the new keys, SSC zero.  A wrong
 * token (the terminal used another password) is answered 6300; any error
 * ends the run, which starts again with MSE:Set AT.
 *
 * OpenPACE quirks handled here:
 *   - the MRZ password is passed as PACE_RAW: K = SHA-1(MRZ_information)
 *     (its PACE_MRZ parses a TD1 MRZ);
 *   - every key of the terminal is checked before OpenPACE sees it (it
 *     prints its failures to stderr);
 *   - DH values: OpenPACE drops leading zero bytes of public keys and of
 *     the shared secret K; the chip sends |p| bytes, pads K to |p| bytes
 *     before the key derivation, and computes the DH tokens itself;
 *   - the PACE-CAM tokens name the CAM OID, which OpenPACE does not know:
 *     computed here too.  The tokens of ECDH generic mapping are OpenPACE's.
 * The eID card (TR-03110-2 3.2, 3.5) adds the passwords PIN and PUK and a
 * CHAT in MSE:Set AT { 80 OID, 83 password, [7F4C CHAT] }:
 *   MSE:Set AT with the PIN: 9000 (3 tries left), 63C2, 63C1 (suspended:
 *   refused unless PACE with the CAN succeeded in this session, then the
 *   resume case), 63C0 (blocked), 6283 (eID function deactivated); when
 *   refused there is no PACE run and GENERAL AUTHENTICATE answers 6985;
 *   a wrong PIN: GA 4 answers 63Cx with the decremented counter (63C0 at
 *   the last try); a right PIN resets it to 3.  Wrong CAN or PUK: 6300.
 *   GA 4 answers 7C { 86 T_IC, 87 CAR1, [88 CAR2] }: the CHRs of the
 *   chip's CVCA (and of the previous one after a link certificate).
 * PACE may run again inside the secure channel of an earlier one (PIN after
 * CAN); the new keys replace the old ones after its GA 4.
 * OpenPACE's headers are included by chip_ta.c too; both files (they need
 * OpenSSL's deprecated types): it is built without OPENSSL_NO_DEPRECATED,
 * and uses no deprecated function itself.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/buffer.h>
#include <openssl/err.h>

#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>

#include "sim.h"
#include "tlv.h"

enum pace_step { STEP_NONCE = 1, STEP_MAP, STEP_AGREE, STEP_AUTH, STEP_DONE };

struct sim_pace_session {
	const struct sim_pace_info *info;
	enum eid_password pw_type;
	bool chat_set, chat_at;     /* the CHAT of MSE:Set AT, id-AT role */
	uint64_t chat;
	uint8_t oid[10];
	EAC_CTX *eac;
	PACE_SEC *pw;
	struct sim_group *group;
	enum pace_step step;        /* the GENERAL AUTHENTICATE expected next */
	BIGNUM *sk_map;             /* PACE-CAM: the chip's mapping private key */
	eid_buf map_pub;            /* the chip's mapping public key as sent */
	eid_buf chip_eph;           /* the chip's ephemeral public key as sent */
	eid_buf term_eph;           /* the terminal's ephemeral public key */
	uint8_t kenc[32], kmac[32];
	size_t keylen;
};

static pthread_once_t eac_once = PTHREAD_ONCE_INIT;

static void eac_init_once(void)
{
	EAC_init();
}

/* ---- buffers between eid_buf and OpenPACE's BUF_MEM ---- */

static BUF_MEM *bm_new(const uint8_t *p, size_t n)
{
	BUF_MEM *b = BUF_MEM_new();

	if (!b || (n && !BUF_MEM_grow(b, n))) {
		BUF_MEM_free(b);
		return NULL;
	}
	if (n)
		memcpy(b->data, p, n);
	b->length = n;
	return b;
}

/* An element from OpenPACE, left-padded to the group's length (DH). */
static int elem_take(const struct sim_group *g, BUF_MEM *b, eid_buf *out)
{
	size_t want = sim_group_elem_len(g);

	eid_buf_reset(out);
	if (!b || b->length > want || (!g->dh && b->length != want))
		return -EID_ECRYPTO;
	eid_buf_add_zeros(out, want - b->length);
	eid_buf_add(out, b->data, b->length);
	return eid_buf_status(out);
}

/* K as |p| bytes: OpenPACE's DH_compute_key drops leading zeros. */
static int pad_shared_secret(const struct sim_group *g, KA_CTX *ka)
{
	BUF_MEM *k = ka->shared_secret;
	size_t n;

	if (!k || k->length > g->plen)
		return -EID_ECRYPTO;
	if (k->length == g->plen)
		return 0;
	n = k->length;
	if (!BUF_MEM_grow_clean(k, g->plen))
		return -EID_ENOMEM;
	memmove(k->data + (g->plen - n), k->data, n);
	memset(k->data, 0, g->plen - n);
	k->length = g->plen;
	return 0;
}

/* ---- the session ---- */

static void session_free(struct sim_pace_session *ps)
{
	if (!ps)
		return;
	EAC_CTX_clear_free(ps->eac);
	PACE_SEC_clear_free(ps->pw);
	sim_group_free(ps->group);
	BN_clear_free(ps->sk_map);
	eid_buf_free(&ps->map_pub);
	eid_buf_free(&ps->chip_eph);
	eid_buf_free(&ps->term_eph);
	eid_wipe(ps, sizeof(*ps));
	OPENSSL_free(ps);
	ERR_clear_error();
}

/* End the run (done, failed or abandoned). */
static void pace_end(struct sim_chip *chip)
{
	session_free(chip->pace_session);
	chip->pace_session = NULL;
	if (chip->mse == &sim_protocol_pace)
		chip->mse = NULL;
}

static int eac_nid(const struct sim_pace_info *info)
{
	bool dh = info->ka == EID_KA_DH;

	/* PACE-CAM is generic mapping with ECDH underneath */
	switch (info->cipher) {
	case EID_CIPHER_3DES:
		return dh ? NID_id_PACE_DH_GM_3DES_CBC_CBC
			  : NID_id_PACE_ECDH_GM_3DES_CBC_CBC;
	case EID_CIPHER_AES128:
		return dh ? NID_id_PACE_DH_GM_AES_CBC_CMAC_128
			  : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_128;
	case EID_CIPHER_AES192:
		return dh ? NID_id_PACE_DH_GM_AES_CBC_CMAC_192
			  : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_192;
	case EID_CIPHER_AES256:
		return dh ? NID_id_PACE_DH_GM_AES_CBC_CMAC_256
			  : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_256;
	}
	return NID_undef;
}

static int session_new(struct sim_chip *chip, const struct sim_pace_info *info,
		       enum eid_password pw, struct sim_pace_session **out)
{
	struct sim_pace_session *ps = OPENSSL_zalloc(sizeof(*ps));
	int r;

	*out = NULL;
	if (!ps)
		return -EID_ENOMEM;
	eid_buf_init(&ps->map_pub);
	eid_buf_init(&ps->chip_eph);
	eid_buf_init(&ps->term_eph);
	ps->info = info;
	ps->step = STEP_NONCE;
	ps->keylen = eid_cipher_keylen(info->cipher);
	if ((r = sim_pace_oid(info, ps->oid)) < 0 ||
	    (r = sim_group_new(info->param_id, &ps->group)) < 0)
		goto out;
	r = -EID_ECRYPTO;
	pthread_once(&eac_once, eac_init_once);
	if (!(ps->eac = EAC_CTX_new()) ||
	    !EAC_CTX_init_pace(ps->eac, eac_nid(info), info->param_id) || !ps->eac->pace_ctx)
		goto out;
	ps->pw_type = pw;
	if (pw == EID_PW_MRZ)
		ps->pw = PACE_SEC_new((const char *)chip->mrz_k, sizeof(chip->mrz_k), PACE_RAW);
	else if (pw == EID_PW_PIN)
		ps->pw = PACE_SEC_new(chip->opt.pin, strlen(chip->opt.pin), PACE_PIN);
	else if (pw == EID_PW_PUK)
		ps->pw = PACE_SEC_new(chip->opt.puk, strlen(chip->opt.puk), PACE_PUK);
	else
		ps->pw = PACE_SEC_new(chip->opt.can, strlen(chip->opt.can), PACE_CAN);
	if (!ps->pw)
		goto out;
	*out = ps;
	ps = NULL;
	r = 0;
out:
	session_free(ps);
	return r;
}

/* ---- MSE:Set AT ---- */

static const struct sim_pace_info *find_info(const struct sim_chip *chip, const eid_cbs *oid,
					     const eid_cbs *param, bool have_param)
{
	uint8_t want[10], id;
	eid_cbs p = *param;

	for (size_t i = 0; i < chip->n_pace; i++) {
		if (sim_pace_oid(&chip->pace[i], want) < 0 ||
		    !eid_cbs_equal(oid, want, sizeof(want)))
			continue;
		if (have_param && (eid_cbs_len(&p) != 1 || !eid_cbs_peek_u8(&p, &id) ||
				   id != chip->pace[i].param_id))
			continue;
		return &chip->pace[i];
	}
	return NULL;
}

/* id-AT = 0.4.0.127.0.7.3.1.2.2 */
static const uint8_t id_at[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02, 0x02 };

/* CHAT contents: 06 role OID, 53 relative authorization (1..5 bytes). */
static bool chat_parse(eid_cbs chat, bool *at, uint64_t *rights)
{
	eid_cbs oid, bits;
	uint8_t b;

	if (!eid_tlv_get(&chat, 0x06, &oid) || !eid_tlv_get(&chat, 0x53, &bits) ||
	    eid_cbs_len(&chat) != 0 || eid_cbs_len(&bits) < 1 || eid_cbs_len(&bits) > 5)
		return false;
	*at = eid_cbs_equal(&oid, id_at, sizeof(id_at));
	*rights = 0;
	while (eid_cbs_get_u8(&bits, &b))
		*rights = *rights << 8 | b;
	*rights &= (1ull << 38) - 1;     /* the role bits are no right */
	return true;
}

/* May PACE run with this password?  SIM_SW_OK or a warning (63Cx) to run
 * it; another SW (and *refused) when it may not. */
static uint16_t password_state(const struct sim_chip *chip, uint8_t pw, bool *refused)
{
	*refused = true;
	if (!chip->eid_card) {
		if (pw != EID_PW_MRZ && pw != EID_PW_CAN)
			return SIM_SW_REF_NOT_FOUND;       /* a passport has no PIN or PUK */
		*refused = false;
		return SIM_SW_OK;
	}
	switch (pw) {
	case EID_PW_CAN:
	case EID_PW_PUK:
		*refused = false;
		return SIM_SW_OK;
	case EID_PW_PIN:
		if (chip->opt.eid_deactivated)
			return SIM_SW_DEACTIVATED;
		if (chip->pin_retries <= 0)
			return 0x63C0;                     /* blocked: the PUK is needed */
		if (chip->pin_retries == 1 && !chip->pace_can_done)
			return 0x63C1;                     /* suspended: the CAN first */
		*refused = false;
		return chip->pin_retries >= SIM_PIN_RETRIES
			       ? SIM_SW_OK : (uint16_t)(0x63C0 | chip->pin_retries);
	default:
		return SIM_SW_REF_NOT_FOUND;       /* no MRZ password on the eID card */
	}
}

static uint16_t cmd_mse_set_at(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	const struct sim_pace_info *info;
	eid_cbs c, v, oid, pwref, param, chat;
	bool have_oid = false, have_pw = false, have_param = false, have_chat = false;
	bool chat_at = false, refused;
	uint64_t rights = 0;
	uint32_t tag;
	uint16_t sw;
	uint8_t pw;

	(void)out;
	pace_end(chip);
	eid_cbs_init(&c, cmd->data, cmd->lc);
	eid_cbs_init(&param, NULL, 0);
	while (eid_cbs_len(&c)) {
		if (!eid_tlv_get_any(&c, &tag, &v, NULL))
			return SIM_SW_WRONG_DATA;
		if (tag == 0x80 && !have_oid) {
			oid = v;
			have_oid = true;
		} else if (tag == 0x83 && !have_pw) {
			pwref = v;
			have_pw = true;
		} else if (tag == 0x84 && !have_param) {
			param = v;
			have_param = true;
		} else if (tag == 0x7F4C && !have_chat && chip->eid_card) {
			chat = v;
			have_chat = true;
		} else {
			return SIM_SW_WRONG_DATA;
		}
	}
	if (!have_oid || !have_pw || eid_cbs_len(&pwref) != 1 || !eid_cbs_peek_u8(&pwref, &pw))
		return SIM_SW_WRONG_DATA;
	if (!(info = find_info(chip, &oid, &param, have_param)))
		return SIM_SW_WRONG_DATA;
	if (have_chat && !chat_parse(chat, &chat_at, &rights))
		return SIM_SW_WRONG_DATA;
	sw = password_state(chip, pw, &refused);
	if (refused)
		return sw;
	if (session_new(chip, info, (enum eid_password)pw, &chip->pace_session) < 0)
		return 0x6F00;
	chip->pace_session->chat_set = have_chat;
	chip->pace_session->chat_at = chat_at;
	chip->pace_session->chat = rights;
	chip->mse = &sim_protocol_pace;
	return sw;
}

/* ---- GENERAL AUTHENTICATE, steps 1..4 ---- */

/* 7C { tag value } */
static int answer(eid_buf *out, uint32_t tag, const uint8_t *v, size_t n)
{
	size_t mark = eid_tlv_begin(out, 0x7C);

	eid_tlv_add(out, tag, v, n);
	return eid_tlv_end(out, mark);
}

/* The dynamic authentication data must hold exactly one object, tag. */
static bool take_only(eid_cbs *dyn, uint32_t tag, eid_cbs *v)
{
	return eid_tlv_get(dyn, tag, v) && eid_cbs_len(dyn) == 0;
}

/* Step 1: a random nonce s, sent encrypted with K_pi. */
static uint16_t ga1_nonce(struct sim_pace_session *ps, eid_cbs *dyn, eid_buf *out)
{
	BUF_MEM *z;
	int r;

	if (eid_cbs_len(dyn) != 0)
		return SIM_SW_WRONG_DATA;
	if (!(z = PACE_STEP1_enc_nonce(ps->eac, ps->pw)))
		return 0x6F00;
	r = answer(out, 0x80, (const uint8_t *)z->data, z->length);
	BUF_MEM_free(z);
	ps->step = STEP_MAP;
	return r < 0 ? 0x6F00 : SIM_SW_OK;
}

/* PACE-CAM: the mapping private key OpenPACE just drew. */
static int keep_map_key(struct sim_pace_session *ps)
{
	if (ps->info->mapping != EID_PACE_CAM)
		return 0;
	return sim_key_priv(ps->eac->pace_ctx->static_key, &ps->sk_map);
}

/* Step 2: the chip's mapping key pair, then the mapped generator. */
static uint16_t ga2_map(struct sim_pace_session *ps, eid_cbs *dyn, eid_buf *out)
{
	BUF_MEM *mine = NULL, *theirs = NULL;
	eid_cbs pk;
	uint16_t sw = 0x6F00;

	if (!take_only(dyn, 0x81, &pk) ||
	    !sim_group_pub_ok(ps->group, eid_cbs_data(&pk), eid_cbs_len(&pk)))
		return SIM_SW_WRONG_DATA;
	mine = PACE_STEP3A_generate_mapping_data(ps->eac);
	if (elem_take(ps->group, mine, &ps->map_pub) < 0 || keep_map_key(ps) < 0)
		goto out;
	if (eid_cbs_equal(&pk, ps->map_pub.data, ps->map_pub.len)) {
		sw = SIM_SW_WRONG_DATA;            /* our own key reflected */
		goto out;
	}
	if (!(theirs = bm_new(eid_cbs_data(&pk), eid_cbs_len(&pk))) ||
	    !PACE_STEP3A_map_generator(ps->eac, theirs) ||
	    answer(out, 0x82, ps->map_pub.data, ps->map_pub.len) < 0)
		goto out;
	ps->step = STEP_AGREE;
	sw = SIM_SW_OK;
out:
	BUF_MEM_free(mine);
	BUF_MEM_free(theirs);
	return sw;
}

/* Step 3: ephemeral keys on the mapped generator; K; KSenc, KSmac. */
static uint16_t ga3_agree(struct sim_pace_session *ps, eid_cbs *dyn, eid_buf *out)
{
	KA_CTX *ka = ps->eac->pace_ctx->ka_ctx;
	BUF_MEM *mine = NULL, *theirs = NULL;
	eid_cbs pk;
	uint16_t sw = 0x6F00;

	if (!take_only(dyn, 0x83, &pk) ||
	    !sim_group_pub_ok(ps->group, eid_cbs_data(&pk), eid_cbs_len(&pk)))
		return SIM_SW_WRONG_DATA;
	mine = PACE_STEP3B_generate_ephemeral_key(ps->eac);
	if (elem_take(ps->group, mine, &ps->chip_eph) < 0)
		goto out;
	if (eid_cbs_equal(&pk, ps->chip_eph.data, ps->chip_eph.len)) {
		sw = SIM_SW_WRONG_DATA;
		goto out;
	}
	if (eid_buf_add_cbs(&ps->term_eph, &pk) < 0 ||
	    !(theirs = bm_new(eid_cbs_data(&pk), eid_cbs_len(&pk))) ||
	    !PACE_STEP3B_compute_shared_secret(ps->eac, theirs) ||
	    pad_shared_secret(ps->group, ka) < 0 || !PACE_STEP3C_derive_keys(ps->eac))
		goto out;
	if (!ka->k_enc || !ka->k_mac || ka->k_enc->length != ps->keylen ||
	    ka->k_mac->length != ps->keylen)
		goto out;
	memcpy(ps->kenc, ka->k_enc->data, ps->keylen);
	memcpy(ps->kmac, ka->k_mac->data, ps->keylen);
	if (answer(out, 0x84, ps->chip_eph.data, ps->chip_eph.len) < 0)
		goto out;
	ps->step = STEP_AUTH;
	sw = SIM_SW_OK;
out:
	BUF_MEM_free(mine);
	BUF_MEM_free(theirs);
	return sw;
}

/* Tokens by OpenPACE for ECDH generic mapping, by chip_crypto.c otherwise. */
static bool own_tokens(const struct sim_pace_session *ps)
{
	return ps->info->mapping == EID_PACE_CAM || ps->info->ka == EID_KA_DH;
}

/* T_PCD must be the MAC over our ephemeral key. */
static bool terminal_token_ok(struct sim_pace_session *ps, const eid_cbs *t_pcd)
{
	uint8_t want[8];
	BUF_MEM *tok;
	bool ok;

	if (eid_cbs_len(t_pcd) != sizeof(want))
		return false;
	if (!own_tokens(ps)) {
		if (!(tok = bm_new(eid_cbs_data(t_pcd), eid_cbs_len(t_pcd))))
			return false;
		ok = PACE_STEP3D_verify_authentication_token(ps->eac, tok) == 1;
		BUF_MEM_free(tok);
		return ok;
	}
	ok = sim_pace_token(ps->info->cipher, ps->kmac, ps->oid, sizeof(ps->oid),
			    ps->info->ka == EID_KA_DH, ps->chip_eph.data, ps->chip_eph.len,
			    want) == 0 &&
	     eid_ct_equal(want, eid_cbs_data(t_pcd), sizeof(want));
	eid_wipe(want, sizeof(want));
	return ok;
}

/* T_IC: the MAC over the terminal's ephemeral key. */
static int chip_token(struct sim_pace_session *ps, uint8_t t_ic[8])
{
	BUF_MEM *pub, *tok;
	int r = -EID_ECRYPTO;

	if (own_tokens(ps))
		return sim_pace_token(ps->info->cipher, ps->kmac, ps->oid, sizeof(ps->oid),
				      ps->info->ka == EID_KA_DH, ps->term_eph.data,
				      ps->term_eph.len, t_ic);
	if (!(pub = bm_new(ps->term_eph.data, ps->term_eph.len)))
		return -EID_ENOMEM;
	tok = PACE_STEP3D_compute_authentication_token(ps->eac, pub);
	if (tok && tok->length == 8) {
		memcpy(t_ic, tok->data, 8);
		r = 0;
	}
	BUF_MEM_free(tok);
	BUF_MEM_free(pub);
	return r;
}

/* PACE-CAM: A_IC = E(KSenc, CA_IC), CA_IC = sk_map / sk_IC mod n. */
static int cam_data(struct sim_chip *chip, struct sim_pace_session *ps, eid_buf *a_ic)
{
	BIGNUM *sk_ic = NULL;
	eid_buf ca_ic;
	int r;

	eid_buf_init_secret(&ca_ic);
	if (!chip->ca_key || !ps->sk_map) {
		r = -EID_ESTATE;
		goto out;
	}
	if ((r = sim_key_priv(chip->ca_key, &sk_ic)) < 0 ||
	    (r = sim_cam_ca_ic(ps->group, ps->sk_map, sk_ic, &ca_ic)) < 0)
		goto out;
	r = sim_cam_encrypt(ps->info->cipher, ps->kenc, ca_ic.data, ca_ic.len, a_ic);
out:
	BN_clear_free(sk_ic);
	eid_buf_free(&ca_ic);
	return r;
}

/* PACE succeeded: what TA and the eID card's passwords need from it. */
static int session_commit(struct sim_chip *chip, const struct sim_pace_session *ps)
{
	size_t plen = ps->group->plen;

	if (ps->pw_type == EID_PW_PIN)
		chip->pin_retries = SIM_PIN_RETRIES;
	if (ps->pw_type == EID_PW_CAN)
		chip->pace_can_done = true;
	chip->pace_pw = ps->pw_type;
	chip->pace_chat_set = ps->chat_set;
	chip->pace_chat_at = ps->chat_at;
	chip->pace_chat = ps->chat;
	/* ID_PICC = Comp(PK_PICC): the x-coordinate (ECDH), the value (DH) */
	chip->id_picc_len = 0;
	if (!ps->group->dh) {
		if (ps->chip_eph.len != 1 + 2 * plen || plen > sizeof(chip->id_picc))
			return -EID_ECRYPTO;
		memcpy(chip->id_picc, ps->chip_eph.data + 1, plen);
		chip->id_picc_len = plen;
	} else if (ps->chip_eph.len <= sizeof(chip->id_picc)) {
		memcpy(chip->id_picc, ps->chip_eph.data, ps->chip_eph.len);
		chip->id_picc_len = ps->chip_eph.len;
	}
	/* a new PACE starts over: TA and CA again */
	sim_ta_end(chip);
	chip->ta_done = false;
	chip->ta_rights = 0;
	chip->ta_comp_pk_len = 0;
	chip->eid_access = false;
	return 0;
}

/* Step 4: check the terminal's token, answer ours (and PACE-CAM's data);
 * the new keys take effect after this response. */
static uint16_t ga4_authenticate(struct sim_chip *chip, struct sim_pace_session *ps,
				 eid_cbs *dyn, eid_buf *out)
{
	uint8_t t_ic[8];
	eid_buf a_ic = EID_BUF_INIT;
	eid_cbs t_pcd;
	size_t mark;
	uint16_t sw = 0x6F00;

	if (!take_only(dyn, 0x85, &t_pcd) || eid_cbs_len(&t_pcd) != 8)
		return SIM_SW_WRONG_DATA;
	if (!terminal_token_ok(ps, &t_pcd)) {
		/* another password: a wrong PIN costs a try */
		if (ps->pw_type != EID_PW_PIN || !chip->eid_card)
			return SIM_SW_AUTH_FAILED;
		if (chip->pin_retries > 0)
			chip->pin_retries--;
		return (uint16_t)(0x63C0 | chip->pin_retries);
	}
	if (chip_token(ps, t_ic) < 0)
		goto out;
	if (ps->info->mapping == EID_PACE_CAM && cam_data(chip, ps, &a_ic) < 0)
		goto out;
	mark = eid_tlv_begin(out, 0x7C);
	eid_tlv_add(out, 0x86, t_ic, sizeof(t_ic));
	if (a_ic.len)
		eid_tlv_add(out, 0x8A, a_ic.data, a_ic.len);
	if (chip->eid_card && *chip->cvca_chr)
		eid_tlv_add(out, 0x87, chip->cvca_chr, strlen(chip->cvca_chr));
	if (chip->eid_card && *chip->cvca_prev_chr)
		eid_tlv_add(out, 0x88, chip->cvca_prev_chr, strlen(chip->cvca_prev_chr));
	if (eid_tlv_end(out, mark) < 0 || session_commit(chip, ps) < 0 ||
	    sim_sm_next(chip, ps->info->cipher, ps->kenc, ps->kmac, NULL) < 0)
		goto out;
	ps->step = STEP_DONE;
	sw = SIM_SW_OK;
out:
	eid_wipe(t_ic, sizeof(t_ic));
	eid_buf_free(&a_ic);
	return sw;
}

/* GENERAL AUTHENTICATE (86) after PACE's MSE:Set AT: steps 1..3 chained
 * (CLA 10), step 4 the end of the chain. */
static uint16_t cmd_general_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					 eid_buf *out)
{
	struct sim_pace_session *ps = chip->pace_session;
	bool chained = cmd->cla & 0x10;
	eid_cbs c, dyn;
	uint16_t sw;

	if (!ps)
		return SIM_SW_CONDITIONS;
	if (cmd->p1 || cmd->p2)
		sw = SIM_SW_WRONG_P1P2_86;
	else if (ps->step == STEP_AUTH && chained)
		sw = SIM_SW_LAST_OF_CHAIN;
	else if (ps->step != STEP_AUTH && !chained)
		sw = SIM_SW_CONDITIONS;
	else
		sw = 0;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!sw && (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c) != 0))
		sw = SIM_SW_WRONG_DATA;
	if (!sw) {
		switch (ps->step) {
		case STEP_NONCE:
			sw = ga1_nonce(ps, &dyn, out);
			break;
		case STEP_MAP:
			sw = ga2_map(ps, &dyn, out);
			break;
		case STEP_AGREE:
			sw = ga3_agree(ps, &dyn, out);
			break;
		case STEP_AUTH:
			sw = ga4_authenticate(chip, ps, &dyn, out);
			break;
		case STEP_DONE:
			sw = SIM_SW_CONDITIONS;
			break;
		}
	}
	/* done or failed: a new run starts with MSE:Set AT */
	if (sw != SIM_SW_OK || ps->step == STEP_DONE)
		pace_end(chip);
	return sw;
}

static void pace_reset(struct sim_chip *chip)
{
	pace_end(chip);
}

static const struct sim_command pace_cmds[] = {
	{ .ins = 0x22, .p1p2 = 0xC1A4, .fn = cmd_mse_set_at },
	{ .ins = 0x86, .p1p2 = -1, .after_mse = true, .chaining = true,
	  .fn = cmd_general_authenticate },
};

const struct sim_protocol sim_protocol_pace = {
	.name = "PACE",
	.cmds = pace_cmds,
	.n_cmds = sizeof(pace_cmds) / sizeof(pace_cmds[0]),
	.reset = pace_reset,
};
