/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip side of Basic Access Control (ICAO 9303-11 4.3).  GET CHALLENGE
 * (the chip core) gave the terminal RND.IC; MUTUAL AUTHENTICATE then:
 *   1. KEnc / KMAC from the document's MRZ key seed;
 *   2. check MIFD over EIFD (6300 when wrong: a wrong MRZ);
 *   3. decrypt S = RND.IFD || RND.IC || K.IFD and check RND.IC (6300);
 *   4. answer EIC || MIC with R = RND.IC || RND.IFD || K.IC;
 *   5. session keys from K.IFD xor K.IC, SSC = RND.IC[4..7] || RND.IFD[4..7];
 *      the LDS files become readable under secure messaging.
 * The challenge is used once, whatever the outcome.
 */
#include <string.h>

#include "sim.h"

#define RND_LEN  8
#define K_LEN    16
#define S_LEN    (2 * RND_LEN + K_LEN)   /* 32 */
#define MAC_LEN  8
#define AUTH_LEN (S_LEN + MAC_LEN)       /* 40 */

struct bac_chip {
	uint8_t kenc[16], kmac[16];
	uint8_t s[S_LEN];                    /* RND.IFD || RND.IC || K.IFD */
	uint8_t r[S_LEN];                    /* RND.IC || RND.IFD || K.IC */
};

/* Steps 2 and 3: the terminal's cryptogram. */
static uint16_t bac_check_terminal(struct sim_chip *chip, struct bac_chip *b,
				   const struct sim_cmd *cmd)
{
	uint8_t mac[MAC_LEN];
	eid_cbs c, eifd, mifd, rnd_ic;
	uint16_t sw = SIM_SW_AUTH_FAILED;

	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_cbs_get_bytes(&c, &eifd, S_LEN) || !eid_cbs_get_bytes(&c, &mifd, MAC_LEN))
		return SIM_SW_WRONG_LENGTH;
	if (eid_retail_mac_padded(b->kmac, eid_cbs_data(&eifd), S_LEN, mac) < 0)
		return 0x6F00;
	if (!eid_cbs_equal(&mifd, mac, MAC_LEN))
		goto out;
	if (eid_des3_cbc(b->kenc, NULL, false, eid_cbs_data(&eifd), S_LEN, b->s) < 0) {
		sw = 0x6F00;
		goto out;
	}
	eid_cbs_init(&c, b->s, S_LEN);
	if (eid_cbs_skip(&c, RND_LEN) && eid_cbs_get_bytes(&c, &rnd_ic, RND_LEN) &&
	    eid_cbs_equal(&rnd_ic, chip->challenge, RND_LEN))
		sw = 0;
out:
	eid_wipe(mac, sizeof(mac));
	return sw;
}

/* Step 4: EIC || MIC. */
static int bac_answer(struct sim_chip *chip, struct bac_chip *b, eid_buf *out)
{
	uint8_t *dst;
	int r;

	memcpy(b->r, chip->challenge, RND_LEN);
	memcpy(b->r + RND_LEN, b->s, RND_LEN);
	if ((r = sim_chip_random(chip, b->r + 2 * RND_LEN, K_LEN)) < 0)
		return r;
	if (!(dst = eid_buf_add_space(out, AUTH_LEN)))
		return -EID_ENOMEM;
	if ((r = eid_des3_cbc(b->kenc, NULL, true, b->r, S_LEN, dst)) < 0)
		return r;
	return eid_retail_mac_padded(b->kmac, dst, S_LEN, dst + S_LEN);
}

/* Step 5: KSseed = K.IFD xor K.IC; SSC from the nonces. */
static int bac_session(struct sim_chip *chip, const struct bac_chip *b)
{
	uint8_t seed[K_LEN], ksenc[16], ksmac[16], ssc[8];
	int r;

	for (size_t i = 0; i < K_LEN; i++)
		seed[i] = b->s[2 * RND_LEN + i] ^ b->r[2 * RND_LEN + i];
	if ((r = eid_kdf(EID_CIPHER_3DES, seed, K_LEN, NULL, 0, EID_KDF_ENC, ksenc)) < 0 ||
	    (r = eid_kdf(EID_CIPHER_3DES, seed, K_LEN, NULL, 0, EID_KDF_MAC, ksmac)) < 0)
		goto out;
	memcpy(ssc, b->r + 4, 4);         /* RND.IC[4..7] */
	memcpy(ssc + 4, b->s + 4, 4);     /* RND.IFD[4..7] */
	if ((r = sim_sm_start(chip, EID_CIPHER_3DES, ksenc, ksmac, ssc)) == 0)
		chip->authenticated = true;
out:
	eid_wipe(seed, sizeof(seed));
	eid_wipe(ksenc, sizeof(ksenc));
	eid_wipe(ksmac, sizeof(ksmac));
	eid_wipe(ssc, sizeof(ssc));
	return r;
}

/* MUTUAL AUTHENTICATE (82), in plain after GET CHALLENGE. */
static uint16_t cmd_mutual_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					eid_buf *out)
{
	struct bac_chip b;
	bool had_challenge = chip->challenge_valid;
	uint16_t sw;

	chip->challenge_valid = false;
	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (cmd->sm || !had_challenge)
		return SIM_SW_CONDITIONS;
	if (cmd->lc != AUTH_LEN || (cmd->le && cmd->le < AUTH_LEN))
		return SIM_SW_WRONG_LENGTH;
	memset(&b, 0, sizeof(b));
	if (eid_kdf(EID_CIPHER_3DES, chip->mrz_kseed, 16, NULL, 0, EID_KDF_ENC, b.kenc) < 0 ||
	    eid_kdf(EID_CIPHER_3DES, chip->mrz_kseed, 16, NULL, 0, EID_KDF_MAC, b.kmac) < 0) {
		sw = 0x6F00;
		goto out;
	}
	if ((sw = bac_check_terminal(chip, &b, cmd)) != 0)
		goto out;
	sw = SIM_SW_OK;
	if (bac_answer(chip, &b, out) < 0 || bac_session(chip, &b) < 0) {
		sim_sm_end(chip);
		sw = 0x6F00;
	}
out:
	eid_wipe(&b, sizeof(b));
	eid_wipe(chip->challenge, sizeof(chip->challenge));
	return sw;
}

static const struct sim_command bac_cmds[] = {
	{ .ins = 0x82, .p1p2 = -1, .fn = cmd_mutual_authenticate },
};

const struct sim_protocol sim_protocol_bac = {
	.name = "BAC",
	.cmds = bac_cmds,
	.n_cmds = sizeof(bac_cmds) / sizeof(bac_cmds[0]),
	.reset = NULL,
};
