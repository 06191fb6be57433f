/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Basic Access Control (ICAO 9303-11 4.3, worked example in App. D):
 *   1. KEnc / KMAC from the MRZ key seed;
 *   2. GET CHALLENGE: RND.IC from the chip;
 *   3. EIFD = E(KEnc, RND.IFD || RND.IC || K.IFD), MIFD = MAC(KMAC, EIFD);
 *   4. MUTUAL AUTHENTICATE with EIFD || MIFD; the chip answers EIC || MIC;
 *   5. check MIC, then decrypt R = RND.IC || RND.IFD || K.IC and check both
 *      nonces;
 *   6. session keys from KSseed = K.IFD xor K.IC, SSC = RND.IC[4..7] ||
 *      RND.IFD[4..7].
 */
#include <string.h>

#include "bac.h"

#define BAC_RND_LEN   8
#define BAC_K_LEN     16
#define BAC_S_LEN     (2 * BAC_RND_LEN + BAC_K_LEN)   /* 32 */
#define BAC_MAC_LEN   8
#define BAC_AUTH_LEN  (BAC_S_LEN + BAC_MAC_LEN)        /* 40 = 0x28 */

struct bac_ctx {
	uint8_t kenc[16], kmac[16];
	uint8_t rnd_ic[BAC_RND_LEN], rnd_ifd[BAC_RND_LEN], k_ifd[BAC_K_LEN];
	uint8_t k_ic[BAC_K_LEN];
};

int eid_bac_derive_keys(const uint8_t kseed[16], uint8_t kenc[16], uint8_t kmac[16])
{
	int r;

	if (!kseed || !kenc || !kmac)
		return -EID_EINVAL;
	if ((r = eid_kdf(EID_CIPHER_3DES, kseed, 16, NULL, 0, EID_KDF_ENC, kenc)) < 0)
		return r;
	if ((r = eid_kdf(EID_CIPHER_3DES, kseed, 16, NULL, 0, EID_KDF_MAC, kmac)) < 0)
		eid_wipe(kenc, 16);
	return r;
}

/* Step 2: RND.IC from GET CHALLENGE. */
static int bac_get_challenge(struct eid_card *card, struct bac_ctx *b)
{
	const struct eid_apdu a = { .cla = 0x00, .ins = 0x84, .p1 = 0x00, .p2 = 0x00,
				    .le = BAC_RND_LEN };
	eid_buf resp = EID_BUF_INIT;
	eid_cbs c;
	uint16_t sw = 0;
	int r;

	if ((r = eid_card_transmit_plain(card, &a, &resp, &sw)) < 0)
		goto out;
	if (sw != EID_SW_OK) {
		r = -EID_ESW;
		goto out;
	}
	eid_buf_cbs(&resp, &c);
	if (eid_cbs_len(&c) != BAC_RND_LEN || !eid_cbs_copy(&c, b->rnd_ic, BAC_RND_LEN))
		r = -EID_EPARSE;
out:
	eid_buf_free(&resp);
	return r;
}

/* Step 3: EIFD || MIFD from RND.IFD, RND.IC and K.IFD. */
static int bac_make_cryptogram(struct bac_ctx *b, const struct eid_rng *rng,
			       uint8_t out[BAC_AUTH_LEN])
{
	uint8_t s[BAC_S_LEN];
	int r;

	if ((r = eid_random(rng, b->rnd_ifd, BAC_RND_LEN)) < 0 ||
	    (r = eid_random(rng, b->k_ifd, BAC_K_LEN)) < 0)
		goto out;
	memcpy(s, b->rnd_ifd, BAC_RND_LEN);
	memcpy(s + BAC_RND_LEN, b->rnd_ic, BAC_RND_LEN);
	memcpy(s + 2 * BAC_RND_LEN, b->k_ifd, BAC_K_LEN);
	if ((r = eid_des3_cbc(b->kenc, NULL, true, s, BAC_S_LEN, out)) < 0)
		goto out;
	r = eid_retail_mac_padded(b->kmac, out, BAC_S_LEN, out + BAC_S_LEN);
out:
	eid_wipe(s, sizeof(s));
	return r;
}

/* Step 4: MUTUAL AUTHENTICATE; the chip's EIC || MIC into resp. */
static int bac_mutual_authenticate(struct eid_card *card, const uint8_t cmd[BAC_AUTH_LEN],
				   eid_buf *resp)
{
	const struct eid_apdu a = { .cla = 0x00, .ins = 0x82, .p1 = 0x00, .p2 = 0x00,
				    .data = cmd, .lc = BAC_AUTH_LEN, .le = BAC_AUTH_LEN };
	uint16_t sw = 0;
	int r;

	if ((r = eid_card_transmit_plain(card, &a, resp, &sw)) < 0)
		return r;
	if (sw == 0x6300 || sw == EID_SW_SM_INCORRECT)
		return -EID_EAUTH;
	if (sw != EID_SW_OK)
		return -EID_ESW;
	return resp->len == BAC_AUTH_LEN ? 0 : -EID_EPARSE;
}

/* Step 5: MIC first, then decrypt and check RND.IC and RND.IFD; keep K.IC. */
static int bac_check_response(struct bac_ctx *b, const eid_buf *resp)
{
	uint8_t mac[BAC_MAC_LEN], rr[BAC_S_LEN];
	eid_cbs c, eic, mic, rc;
	eid_cbs rnd_ic, rnd_ifd;
	int r;

	eid_buf_cbs(resp, &c);
	if (!eid_cbs_get_bytes(&c, &eic, BAC_S_LEN) || !eid_cbs_get_bytes(&c, &mic, BAC_MAC_LEN))
		return -EID_EPARSE;
	if ((r = eid_retail_mac_padded(b->kmac, eid_cbs_data(&eic), BAC_S_LEN, mac)) < 0)
		goto out;
	if (!eid_cbs_equal(&mic, mac, BAC_MAC_LEN)) {
		r = -EID_EAUTH;
		goto out;
	}
	if ((r = eid_des3_cbc(b->kenc, NULL, false, eid_cbs_data(&eic), BAC_S_LEN, rr)) < 0)
		goto out;
	eid_cbs_init(&rc, rr, sizeof(rr));
	if (!eid_cbs_get_bytes(&rc, &rnd_ic, BAC_RND_LEN) ||
	    !eid_cbs_get_bytes(&rc, &rnd_ifd, BAC_RND_LEN) ||
	    !eid_cbs_copy(&rc, b->k_ic, BAC_K_LEN)) {
		r = -EID_EPARSE;
		goto out;
	}
	/* evaluate both comparisons: no early exit on the first mismatch */
	{
		bool ok_ic = eid_cbs_equal(&rnd_ic, b->rnd_ic, BAC_RND_LEN);
		bool ok_ifd = eid_cbs_equal(&rnd_ifd, b->rnd_ifd, BAC_RND_LEN);

		r = (ok_ic & ok_ifd) ? 0 : -EID_EAUTH;
	}
out:
	eid_wipe(mac, sizeof(mac));
	eid_wipe(rr, sizeof(rr));
	return r;
}

/* Step 6: session keys and SSC into the secure messaging context. */
static int bac_session(const struct bac_ctx *b, struct eid_sm *sm)
{
	uint8_t seed[BAC_K_LEN], ksenc[16], ksmac[16], ssc[8];
	int r;

	for (size_t i = 0; i < BAC_K_LEN; i++)
		seed[i] = b->k_ifd[i] ^ b->k_ic[i];
	if ((r = eid_bac_derive_keys(seed, ksenc, ksmac)) < 0)
		goto out;
	memcpy(ssc, b->rnd_ic + 4, 4);
	memcpy(ssc + 4, b->rnd_ifd + 4, 4);
	r = eid_sm_init(sm, EID_CIPHER_3DES, ksenc, ksmac, ssc);
out:
	eid_wipe(seed, sizeof(seed));
	eid_wipe(ksenc, sizeof(ksenc));
	eid_wipe(ksmac, sizeof(ksmac));
	eid_wipe(ssc, sizeof(ssc));
	return r;
}

int eid_bac_authenticate(struct eid_card *card, const uint8_t kseed[16],
			 const struct eid_rng *rng, struct eid_sm *sm)
{
	struct bac_ctx b;
	uint8_t cmd[BAC_AUTH_LEN];
	eid_buf resp;
	int r;

	if (!card || !kseed || !sm)
		return -EID_EINVAL;
	memset(&b, 0, sizeof(b));
	eid_buf_init_secret(&resp);
	if ((r = eid_bac_derive_keys(kseed, b.kenc, b.kmac)) < 0)
		goto out;
	if ((r = bac_get_challenge(card, &b)) < 0)
		goto out;
	if ((r = bac_make_cryptogram(&b, rng, cmd)) < 0)
		goto out;
	if ((r = bac_mutual_authenticate(card, cmd, &resp)) < 0)
		goto out;
	if ((r = bac_check_response(&b, &resp)) < 0)
		goto out;
	r = bac_session(&b, sm);
out:
	eid_wipe(&b, sizeof(b));
	eid_wipe(cmd, sizeof(cmd));
	eid_buf_free(&resp);
	return r;
}
