/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Restricted Identification, chip side (BSI TR-03110-2 3.6), eID profiles:
 *   MSE:Set AT 00 22 41 A4 { 80 id-RI-ECDH-SHA-256, 84 keyId }
 *   GENERAL AUTHENTICATE 00 86 00 00 { 7C { A0 { [06 OID], 86 PK_sector } } }
 *     -> 7C { 81 SHA-256(x(SK_ID * PK_sector)) }
 * Only protected, after TA and CA v2, with "restricted identification" in
 * the effective CHAT (else 6982).  A wrong key reference: 6A88; a sector
 * key not on the RI key's curve, a second sector key (A2) or another
 * protocol in the public key: 6A80.  The RI key (keyId 1, not
 * authorizedOnly) is tests/data/chip/ri-ec.key, announced in
 * EF.CardSecurity (eid_files.c).
 *
 * MSE:Set AT 41 A4 is shared with Chip Authentication: this protocol is
 * registered first and hands every other protocol OID on to CA's handler.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/pem.h>

#include "sim.h"
#include "tlv.h"

/* id-RI-ECDH-SHA-256 = 0.4.0.127.0.7.2.2.5.2.3 */
static const uint8_t id_ri_ecdh_sha256[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x05,
					     0x02, 0x03 };

int sim_ri_load(struct sim_chip *chip, int key_id)
{
	char path[600];
	EVP_PKEY *key = NULL;
	struct sim_group *g = NULL;
	BIGNUM *sk = NULL;
	BIO *bio;
	int r;

	snprintf(path, sizeof(path), "%s/chip/ri-ec.key", chip->data_dir);
	if (!(bio = BIO_new_file(path, "r")))
		return -EID_ENOTFOUND;
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!key)
		return -EID_EPARSE;
	if ((r = sim_group_from_key(key, &g)) < 0 || (r = sim_key_priv(key, &sk)) < 0)
		goto out;
	r = -EID_ENOTSUP;
	if (g->dh || g->qlen > sizeof(chip->ri_priv) ||
	    BN_bn2binpad(sk, chip->ri_priv, (int)g->qlen) != (int)g->qlen)
		goto out;
	chip->ri_priv_len = g->qlen;
	chip->ri_param_id = 13;          /* brainpoolP256r1, as the key file */
	chip->ri_key_id = key_id;
	r = 0;
out:
	BN_clear_free(sk);
	sim_group_free(g);
	EVP_PKEY_free(key);
	return r;
}

/* Protected, after TA and CA v2, with RI in the effective CHAT. */
static bool ri_allowed(const struct sim_chip *chip, const struct sim_cmd *cmd)
{
	return cmd->sm && chip->authenticated && chip->eid_access && chip->ta_done &&
	       (chip->ta_rights & SIM_AT_RESTRICTED_ID) && chip->ri_priv_len;
}

static const struct sim_command *ca_mse_entry(void)
{
	for (size_t i = 0; i < sim_protocol_ca.n_cmds; i++)
		if (sim_protocol_ca.cmds[i].ins == 0x22 && sim_protocol_ca.cmds[i].p1p2 == 0x41A4)
			return &sim_protocol_ca.cmds[i];
	return NULL;
}

static uint16_t cmd_mse_set_at(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	const struct sim_command *ca;
	eid_cbs c, oid, ref;
	uint32_t id;
	bool have_ref;

	if (chip->mse == &sim_protocol_ri)
		chip->mse = NULL;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x80, &oid) ||
	    !eid_cbs_equal(&oid, id_ri_ecdh_sha256, sizeof(id_ri_ecdh_sha256))) {
		/* not RI: Chip Authentication's */
		if (!(ca = ca_mse_entry()))
			return SIM_SW_WRONG_DATA;
		return ca->fn(chip, cmd, out);
	}
	if (!ri_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	if (!eid_tlv_get_optional(&c, 0x84, &ref, &have_ref) || eid_cbs_len(&c) != 0)
		return SIM_SW_WRONG_DATA;
	if (!have_ref || eid_cbs_len(&ref) < 1 || eid_cbs_len(&ref) > 4 ||
	    !eid_cbs_get_uint(&ref, eid_cbs_len(&ref), &id) || id != (uint32_t)chip->ri_key_id)
		return SIM_SW_REF_NOT_FOUND;
	chip->mse = &sim_protocol_ri;
	return SIM_SW_OK;
}

/* 7C { A0 { [06 OID], 86 PK_sector } } -> 7C { 81 sector ID } */
static uint16_t cmd_general_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					 eid_buf *out)
{
	struct sim_group *g = NULL;
	BIGNUM *sk = NULL;
	eid_cbs c, dyn, pk, oid, point;
	bool have_oid;
	uint8_t h[32];
	eid_buf x;
	uint16_t sw = 0x6F00;
	size_t mark;

	chip->mse = NULL;                  /* one GENERAL AUTHENTICATE per MSE */
	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (!ri_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c) != 0 || !eid_tlv_get(&dyn, 0xA0, &pk) ||
	    eid_cbs_len(&dyn) != 0 || !eid_tlv_get_optional(&pk, 0x06, &oid, &have_oid) ||
	    !eid_tlv_get(&pk, 0x86, &point) || eid_cbs_len(&pk) != 0)
		return SIM_SW_WRONG_DATA;
	if (have_oid && !eid_cbs_equal(&oid, id_ri_ecdh_sha256, sizeof(id_ri_ecdh_sha256)))
		return SIM_SW_WRONG_DATA;
	eid_buf_init_secret(&x);
	if (sim_group_new(chip->ri_param_id, &g) < 0 ||
	    !(sk = BN_bin2bn(chip->ri_priv, (int)chip->ri_priv_len, NULL)))
		goto out;
	if (!sim_group_pub_ok(g, eid_cbs_data(&point), eid_cbs_len(&point))) {
		sw = SIM_SW_WRONG_DATA;
		goto out;
	}
	if (sim_ecdh_x(g, sk, eid_cbs_data(&point), eid_cbs_len(&point), &x) < 0 ||
	    eid_sha256(x.data, x.len, h) < 0)
		goto out;
	mark = eid_tlv_begin(out, 0x7C);
	eid_tlv_add(out, 0x81, h, sizeof(h));
	if (eid_tlv_end(out, mark) < 0)
		goto out;
	sw = SIM_SW_OK;
out:
	eid_buf_free(&x);
	BN_clear_free(sk);
	sim_group_free(g);
	return sw;
}

static const struct sim_command ri_cmds[] = {
	{ .ins = 0x22, .p1p2 = 0x41A4, .fn = cmd_mse_set_at },
	{ .ins = 0x86, .p1p2 = -1, .after_mse = true, .fn = cmd_general_authenticate },
};

const struct sim_protocol sim_protocol_ri = {
	.name = "RI",
	.cmds = ri_cmds,
	.n_cmds = sizeof(ri_cmds) / sizeof(ri_cmds[0]),
	.reset = NULL,
};
