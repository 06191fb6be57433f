/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Chip Authentication v1, chip side (ICAO 9303-11 6.2): the chip proves it
 * holds the private key of DG14's ChipAuthenticationPublicKeyInfo by an
 * ECDH key agreement with an ephemeral key of the terminal.
 *   AES:  MSE:Set AT 00 22 41 A4 { 80 id-CA-ECDH-AES-CBC-CMAC-n, [84 keyID] }
 *         GENERAL AUTHENTICATE 00 86 00 00 { 7C { 80 PK_PCD } } -> 7C 00
 *   3DES: MSE:Set KAT 00 22 41 A6 { 91 PK_PCD, [84 keyID] }
 * Steps: check the terminal's key (on the curve), K = x(SK_IC * PK_PCD),
 * KSenc = KDF(K, 1), KSmac = KDF(K, 2); the answer is protected with the old
 * keys, then the new ones take over with SSC 0.  Only inside an
 * authenticated secure messaging session (after BAC or PACE).
 *
 * Chip Authentication v2 on the eID card (BSI TR-03110-2 3.4), key from
 * EF.CardSecurity, only after Terminal Authentication:
 *   MSE:Set AT 00 22 41 A4 { 80 id-CA-ECDH-AES-CBC-CMAC-128, [84 keyID] }
 *   GENERAL AUTHENTICATE 00 86 00 00 { 7C { 80 PK_PCD } }
 *     -> 7C { 81 r_PICC (8 bytes), 82 T_PICC (8 bytes) }
 * PK_PCD must be the key whose Comp() (x-coordinate) TA signed (else
 * 6A80); KSenc/KSmac = KDF(K || r_PICC); T_PICC = MAC(KSmac, 7F49 { 06 CA
 * OID, 86 PK_PCD }).  Then the data groups of the effective CHAT are
 * readable.  Before TA: 6982.
 */
#include <string.h>

#include "sim.h"
#include "tlv.h"

/* id-CA-ECDH = 0.4.0.127.0.7.2.2.3.2, then the cipher arc */
static const uint8_t id_ca_ecdh[9] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02 };

static uint8_t cipher_arc(enum eid_cipher c)
{
	switch (c) {
	case EID_CIPHER_3DES: return 1;
	case EID_CIPHER_AES128: return 2;
	case EID_CIPHER_AES192: return 3;
	case EID_CIPHER_AES256: return 4;
	}
	return 0;
}

/* Only in a session authenticated by BAC or PACE, protected. */
static bool ca_allowed(const struct sim_chip *chip, const struct sim_cmd *cmd)
{
	return cmd->sm && chip->authenticated && chip->ca_key &&
	       (chip->ca_version != 2 || chip->ta_done);
}

/* [84 keyID]: must name the chip's key (which has an ID). */
static bool key_ref_ok(const struct sim_chip *chip, const eid_cbs *ref)
{
	eid_cbs r = *ref;
	uint32_t id;

	return chip->ca_key_id >= 0 && eid_cbs_len(&r) >= 1 && eid_cbs_len(&r) <= 4 &&
	       eid_cbs_get_uint(&r, eid_cbs_len(ref), &id) && id == (uint32_t)chip->ca_key_id;
}

/* CA v2: PK_PCD is the key TA signed: its x-coordinate is Comp(PK_PCD). */
static bool ta_key_ok(const struct sim_chip *chip, const struct sim_group *g, const eid_cbs *pk)
{
	size_t n = chip->ta_comp_pk_len;

	return n == g->plen && eid_cbs_len(pk) == 1 + 2 * n &&
	       memcmp(eid_cbs_data(pk) + 1, chip->ta_comp_pk, n) == 0;
}

/* The key agreement and the new keys, switched to after this response;
 * CA v2 (out not NULL): with the nonce r_PICC, and 7C { 81 r, 82 T } in out. */
static uint16_t ca_agree(struct sim_chip *chip, enum eid_cipher cipher, const eid_cbs *pk_pcd,
			 eid_buf *out)
{
	struct sim_group *g = NULL;
	BIGNUM *sk = NULL;
	uint8_t kenc[32], kmac[32], r_picc[8], t_picc[8], oid[sizeof(id_ca_ecdh) + 1];
	size_t nlen = out ? sizeof(r_picc) : 0, mark;
	eid_buf k;
	uint16_t sw = 0x6F00;

	eid_buf_init_secret(&k);
	if (sim_group_from_key(chip->ca_key, &g) < 0 || sim_key_priv(chip->ca_key, &sk) < 0)
		goto out;
	if (!sim_group_pub_ok(g, eid_cbs_data(pk_pcd), eid_cbs_len(pk_pcd)) ||
	    (out && !ta_key_ok(chip, g, pk_pcd))) {
		sw = SIM_SW_WRONG_DATA;
		goto out;
	}
	if (out && sim_chip_random(chip, r_picc, sizeof(r_picc)) < 0)
		goto out;
	if (sim_ecdh_x(g, sk, eid_cbs_data(pk_pcd), eid_cbs_len(pk_pcd), &k) < 0 ||
	    eid_kdf(cipher, k.data, k.len, nlen ? r_picc : NULL, nlen, EID_KDF_ENC, kenc) < 0 ||
	    eid_kdf(cipher, k.data, k.len, nlen ? r_picc : NULL, nlen, EID_KDF_MAC, kmac) < 0)
		goto out;
	if (out) {
		memcpy(oid, id_ca_ecdh, sizeof(id_ca_ecdh));
		oid[sizeof(id_ca_ecdh)] = cipher_arc(cipher);
		if (sim_pace_token(cipher, kmac, oid, sizeof(oid), false, eid_cbs_data(pk_pcd),
				   eid_cbs_len(pk_pcd), t_picc) < 0)
			goto out;
		mark = eid_tlv_begin(out, 0x7C);
		eid_tlv_add(out, 0x81, r_picc, sizeof(r_picc));
		eid_tlv_add(out, 0x82, t_picc, sizeof(t_picc));
		if (eid_tlv_end(out, mark) < 0)
			goto out;
	}
	if (sim_sm_next(chip, cipher, kenc, kmac, NULL) < 0)
		goto out;
	sw = SIM_SW_OK;
out:
	eid_wipe(kenc, sizeof(kenc));
	eid_wipe(kmac, sizeof(kmac));
	eid_buf_free(&k);
	BN_clear_free(sk);
	sim_group_free(g);
	return sw;
}

/* MSE:Set AT (41 A4): the protocol OID, which must be the chip's
 * ChipAuthenticationInfo, and the key reference. */
static uint16_t cmd_mse_set_at(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	eid_cbs c, oid, ref;
	bool have_ref;

	(void)out;
	if (chip->mse == &sim_protocol_ca)
		chip->mse = NULL;
	if (!ca_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x80, &oid) || !eid_tlv_get_optional(&c, 0x84, &ref, &have_ref) ||
	    eid_cbs_len(&c) != 0)
		return SIM_SW_WRONG_DATA;
	if (eid_cbs_len(&oid) != sizeof(id_ca_ecdh) + 1 ||
	    memcmp(eid_cbs_data(&oid), id_ca_ecdh, sizeof(id_ca_ecdh)) != 0 ||
	    eid_cbs_data(&oid)[sizeof(id_ca_ecdh)] != cipher_arc(chip->ca_cipher))
		return SIM_SW_WRONG_DATA;
	if (have_ref && !key_ref_ok(chip, &ref))
		return SIM_SW_REF_NOT_FOUND;
	chip->ca_selected = chip->ca_cipher;
	chip->mse = &sim_protocol_ca;
	return SIM_SW_OK;
}

/* GENERAL AUTHENTICATE after CA's MSE:Set AT: 7C { 80 PK_PCD } -> 7C 00. */
static uint16_t cmd_general_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					 eid_buf *out)
{
	eid_cbs c, dyn, pk;
	uint16_t sw;

	chip->mse = NULL;                  /* one GENERAL AUTHENTICATE per MSE */
	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (!ca_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c) != 0 || !eid_tlv_get(&dyn, 0x80, &pk) ||
	    eid_cbs_len(&dyn) != 0)
		return SIM_SW_WRONG_DATA;
	if (chip->ca_version == 2) {
		if ((sw = ca_agree(chip, chip->ca_selected, &pk, out)) == SIM_SW_OK)
			chip->eid_access = true;
		return sw;
	}
	if ((sw = ca_agree(chip, chip->ca_selected, &pk, NULL)) != SIM_SW_OK)
		return sw;
	return eid_tlv_add(out, 0x7C, NULL, 0) < 0 ? 0x6F00 : SIM_SW_OK;
}

/* MSE:Set KAT (41 A6): 91 PK_PCD, [84 keyID]; 3DES keys at once. */
static uint16_t cmd_mse_set_kat(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	eid_cbs c, pk, ref;
	bool have_ref;

	(void)out;
	if (chip->mse == &sim_protocol_ca)
		chip->mse = NULL;
	if (!ca_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x91, &pk) || !eid_tlv_get_optional(&c, 0x84, &ref, &have_ref) ||
	    eid_cbs_len(&c) != 0)
		return SIM_SW_WRONG_DATA;
	if (have_ref && !key_ref_ok(chip, &ref))
		return SIM_SW_REF_NOT_FOUND;
	if (chip->ca_version == 2)
		return SIM_SW_CONDITIONS;          /* CA v2 has no 3DES variant */
	return ca_agree(chip, EID_CIPHER_3DES, &pk, NULL);
}

static const struct sim_command ca_cmds[] = {
	{ .ins = 0x22, .p1p2 = 0x41A4, .fn = cmd_mse_set_at },
	{ .ins = 0x22, .p1p2 = 0x41A6, .fn = cmd_mse_set_kat },
	{ .ins = 0x86, .p1p2 = -1, .after_mse = true, .fn = cmd_general_authenticate },
};

const struct sim_protocol sim_protocol_ca = {
	.name = "CA",
	.cmds = ca_cmds,
	.n_cmds = sizeof(ca_cmds) / sizeof(ca_cmds[0]),
	.reset = NULL,
};
