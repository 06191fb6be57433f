/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip side of secure messaging (ICAO 9303-11 9.8), 3DES and AES.
 * Written apart from proto/sm.c (the terminal side) so that each checks the
 * other.  The SSC is incremented before checking each command and before
 * protecting each response.
 *
 * A protected command:
 *   1. increment the SSC;
 *   2. split [DO'87' (even INS) | DO'85' (odd INS)] [DO'97'] DO'8E';
 *      DO'8E' missing: 6987; anything else out of place: 6988;
 *   3. verify the MAC over pad(SSC || pad(CLA INS P1 P2) || DOs) first
 *      (6988 when wrong);
 *   4. decrypt the data object and strip the padding (6988 when bad);
 *   5. Le from DO'97'.
 * A protected response: DO'87'/'85' with the encrypted data (when there
 * is data), DO'99' with the status word, DO'8E' over pad(SSC || DOs).
 */
#include <string.h>

#include "sim.h"
#include "tlv.h"

#define MAC_LEN 8
#define PAD_INDICATOR 0x01

/* ---- session ---- */

int sim_sm_start(struct sim_chip *chip, enum eid_cipher cipher, const uint8_t *kenc,
		 const uint8_t *kmac, const uint8_t *ssc)
{
	int r = eid_sm_init(&chip->sm, cipher, kenc, kmac, ssc);

	chip->sm_active = r == 0;
	return r;
}

void sim_sm_end(struct sim_chip *chip)
{
	eid_wipe(&chip->sm, sizeof(chip->sm));
	chip->sm_active = false;
	chip->authenticated = false;
}

int sim_sm_next(struct sim_chip *chip, enum eid_cipher cipher, const uint8_t *kenc,
		const uint8_t *kmac, const uint8_t *ssc)
{
	int r = eid_sm_init(&chip->sm_next, cipher, kenc, kmac, ssc);

	chip->sm_next_pending = r == 0;
	return r;
}

void sim_sm_commit(struct sim_chip *chip, bool ok)
{
	if (!chip->sm_next_pending)
		return;
	if (ok) {
		chip->sm = chip->sm_next;
		chip->sm_active = true;
		chip->authenticated = true;
	}
	eid_wipe(&chip->sm_next, sizeof(chip->sm_next));
	chip->sm_next_pending = false;
}

/* ---- cipher suite ---- */

/* 3DES: zero IV; AES: IV = E(KSenc, SSC). */
static int sm_iv(const struct eid_sm *sm, uint8_t iv[16])
{
	memset(iv, 0, 16);
	if (sm->cipher == EID_CIPHER_3DES)
		return 0;
	return eid_aes_encrypt_block(sm->kenc, sm->keylen, sm->ssc, iv);
}

/* mac8(KSmac, pad(SSC || data)). */
static int sm_mac(const struct eid_sm *sm, const uint8_t *data, size_t n, uint8_t mac[MAC_LEN])
{
	eid_buf m;
	int r;

	eid_buf_init_secret(&m);
	eid_buf_add(&m, sm->ssc, sm->blocklen);
	eid_buf_add(&m, data, n);
	if ((r = eid_pad(&m, sm->blocklen)) == 0)
		r = eid_cipher_mac8(sm->cipher, sm->kmac, m.data, m.len, mac);
	eid_buf_free(&m);
	return r;
}

/* ---- commands ---- */

struct prot_cmd {
	eid_cbs data;        /* value of DO'87' / DO'85' */
	eid_cbs le;          /* value of DO'97' */
	eid_cbs mac;         /* value of DO'8E' */
	size_t maced_len;    /* bytes of the body before DO'8E' */
	bool has_data, has_le;
};

/* Step 2: [87|85] [97] 8E and nothing else, in this order. */
static uint16_t cmd_split(const struct sim_cmd *prot, struct prot_cmd *pc)
{
	uint32_t data_tag = (prot->ins & 1) ? 0x85 : 0x87, tag;
	eid_cbs c;

	memset(pc, 0, sizeof(*pc));
	eid_cbs_init(&c, prot->data, prot->lc);
	if (!eid_tlv_get_optional(&c, data_tag, &pc->data, &pc->has_data) ||
	    !eid_tlv_get_optional(&c, 0x97, &pc->le, &pc->has_le))
		return SIM_SW_SM_INCORRECT;
	pc->maced_len = prot->lc - eid_cbs_len(&c);
	if (eid_cbs_len(&c) == 0)
		return SIM_SW_SM_MISSING;
	if (!eid_tlv_peek_tag(&c, &tag) || tag != 0x8E || !eid_tlv_get(&c, 0x8E, &pc->mac) ||
	    eid_cbs_len(&c) != 0 || eid_cbs_len(&pc->mac) != MAC_LEN)
		return SIM_SW_SM_INCORRECT;
	return 0;
}

/* Step 3: MAC over pad(SSC || pad(header) || DOs before 8E). */
static uint16_t cmd_verify_mac(const struct eid_sm *sm, const struct sim_cmd *prot,
			       const struct prot_cmd *pc)
{
	const uint8_t hdr[4] = { prot->cla, prot->ins, prot->p1, prot->p2 };
	uint8_t mac[MAC_LEN];
	eid_buf m;
	uint16_t sw = SIM_SW_SM_INCORRECT;

	eid_buf_init_secret(&m);
	eid_buf_add(&m, hdr, sizeof(hdr));
	eid_pad(&m, sm->blocklen);
	eid_buf_add(&m, prot->data, pc->maced_len);
	if (eid_buf_ok(&m) && sm_mac(sm, m.data, m.len, mac) == 0 &&
	    eid_cbs_equal(&pc->mac, mac, MAC_LEN))
		sw = 0;
	eid_wipe(mac, sizeof(mac));
	eid_buf_free(&m);
	return sw;
}

/* Step 4: decrypt DO'87' (01 || cryptogram) or DO'85' and unpad. */
static uint16_t cmd_decrypt(const struct eid_sm *sm, const struct prot_cmd *pc, bool is87,
			    eid_buf *plain)
{
	eid_cbs crypt = pc->data;
	uint8_t iv[16], ind, *dst;
	size_t n;
	uint16_t sw = SIM_SW_SM_INCORRECT;

	if (is87 && (!eid_cbs_get_u8(&crypt, &ind) || ind != PAD_INDICATOR))
		return sw;
	if (eid_cbs_len(&crypt) == 0 || eid_cbs_len(&crypt) % sm->blocklen)
		return sw;
	if (sm_iv(sm, iv) < 0 || !(dst = eid_buf_add_space(plain, eid_cbs_len(&crypt))))
		goto out;
	if (eid_cipher_cbc(sm->cipher, sm->kenc, iv, false, eid_cbs_data(&crypt),
			   eid_cbs_len(&crypt), dst) < 0 ||
	    eid_unpad_len(plain->data, plain->len, &n) < 0)
		goto out;
	eid_buf_truncate(plain, n);
	sw = 0;
out:
	eid_wipe(iv, sizeof(iv));
	return sw;
}

/* Step 5: DO'97' holds Le in one byte (00 = 256) or two (0000 = 65536). */
static uint16_t cmd_le(const struct prot_cmd *pc, struct sim_cmd *plain)
{
	eid_cbs le = pc->le;
	uint32_t v;

	if (!pc->has_le)
		return 0;
	if (eid_cbs_len(&le) == 1 && eid_cbs_get_uint(&le, 1, &v)) {
		plain->le = v ? v : 256;
		return 0;
	}
	if (eid_cbs_len(&le) == 2 && eid_cbs_get_uint(&le, 2, &v)) {
		plain->le = v ? v : 65536;
		plain->extended = true;
		return 0;
	}
	return SIM_SW_SM_INCORRECT;
}

uint16_t sim_sm_unwrap(struct sim_chip *chip, const struct sim_cmd *prot,
		       struct sim_cmd *plain, eid_buf *plain_data)
{
	struct prot_cmd pc;
	uint16_t sw;

	if (!chip->sm_active)
		return SIM_SW_SM_INCORRECT;
	eid_sm_ssc_inc(&chip->sm);
	if ((sw = cmd_split(prot, &pc)) != 0 ||
	    (sw = cmd_verify_mac(&chip->sm, prot, &pc)) != 0)
		return sw;
	eid_buf_reset(plain_data);
	if (pc.has_data && (sw = cmd_decrypt(&chip->sm, &pc, !(prot->ins & 1), plain_data)) != 0)
		return sw;
	memset(plain, 0, sizeof(*plain));
	plain->cla = prot->cla & (uint8_t)~0x0C;
	plain->ins = prot->ins;
	plain->p1 = prot->p1;
	plain->p2 = prot->p2;
	plain->data = plain_data->data;
	plain->lc = plain_data->len;
	plain->extended = plain->lc > 255;
	plain->sm = true;
	return cmd_le(&pc, plain);
}

/* ---- responses ---- */

/* DO'87' (01 || E(pad(data))) for an even INS, DO'85' (E(pad(data))) for odd. */
static int resp_data_do(const struct eid_sm *sm, uint8_t ins, const uint8_t *data, size_t n,
			eid_buf *out)
{
	uint8_t iv[16], *dst;
	eid_buf p, v;
	int r;

	eid_buf_init_secret(&p);
	eid_buf_init(&v);
	eid_buf_add(&p, data, n);
	if ((r = eid_pad(&p, sm->blocklen)) < 0 || (r = sm_iv(sm, iv)) < 0)
		goto out;
	if (!(ins & 1))
		eid_buf_add_u8(&v, PAD_INDICATOR);
	if (!(dst = eid_buf_add_space(&v, p.len))) {
		r = -EID_ENOMEM;
		goto out;
	}
	if ((r = eid_cipher_cbc(sm->cipher, sm->kenc, iv, true, p.data, p.len, dst)) < 0)
		goto out;
	r = eid_tlv_add(out, (ins & 1) ? 0x85 : 0x87, v.data, v.len);
out:
	eid_wipe(iv, sizeof(iv));
	eid_buf_free(&p);
	eid_buf_free(&v);
	return r;
}

int sim_sm_wrap(struct sim_chip *chip, uint8_t ins, const uint8_t *data, size_t n,
		uint16_t sw, eid_buf *out)
{
	const uint8_t swb[2] = { (uint8_t)(sw >> 8), (uint8_t)sw };
	uint8_t mac[MAC_LEN];
	size_t start = out->len;
	int r;

	if (!chip->sm_active)
		return -EID_ESMCLOSED;
	eid_sm_ssc_inc(&chip->sm);
	if (n && (r = resp_data_do(&chip->sm, ins, data, n, out)) < 0)
		return r;
	if ((r = eid_tlv_add(out, 0x99, swb, 2)) < 0)
		return r;
	if ((r = sm_mac(&chip->sm, out->data + start, out->len - start, mac)) < 0)
		return r;
	r = eid_tlv_add(out, 0x8E, mac, MAC_LEN);
	eid_wipe(mac, sizeof(mac));
	return r;
}
