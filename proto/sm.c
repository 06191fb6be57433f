/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Secure messaging (ICAO 9303-11 9.8, ISO 7816-4 10): one engine, two
 * cipher suites behind a small ops table.
 *
 * Protecting a command:
 *   1. increment the SSC;
 *   2. encrypt the padded command data into DO'87' (01 || cryptogram, even
 *      INS) or DO'85' (cryptogram, odd INS);
 *   3. encode Le as DO'97';
 *   4. MAC pad(SSC || pad(CLA' INS P1 P2) || DOs) into DO'8E';
 *   5. encode the protected APDU with Le = 00 (0000 when extended).
 * Checking a response:
 *   1. increment the SSC;
 *   2. split DO'87'/'85', DO'99' and DO'8E' (in this order);
 *   3. verify the MAC over pad(SSC || DOs before 8E), before anything else;
 *   4. decrypt DO'87'/'85' and strip the padding;
 *   5. the status word is DO'99' (or the outer one when DO'99' is absent).
 */
#include <string.h>

#include "sm.h"
#include "tlv.h"

#define SM_MAC_LEN   8
#define TAG_DATA_87  0x87   /* padding-content indicator || cryptogram */
#define TAG_DATA_85  0x85   /* cryptogram (odd INS) */
#define TAG_LE       0x97
#define TAG_STATUS   0x99
#define TAG_MAC      0x8E
#define PAD_INDICATOR 0x01  /* ISO 7816-4 padding */

/* What differs between the cipher suites. */
struct sm_ops {
	/* IV for encrypting / decrypting with the current SSC */
	int (*iv)(const struct eid_sm *sm, uint8_t iv[16]);
};

/* 3DES: zero IV (ICAO 9303-11 9.8.6.1). */
static int sm_iv_zero(const struct eid_sm *sm, uint8_t iv[16])
{
	(void)sm;
	memset(iv, 0, 16);
	return 0;
}

/* AES: IV = E(KSenc, SSC) (ICAO 9303-11 9.8.6.2). */
static int sm_iv_encrypted_ssc(const struct eid_sm *sm, uint8_t iv[16])
{
	return eid_aes_encrypt_block(sm->kenc, sm->keylen, sm->ssc, iv);
}

static const struct sm_ops sm_ops_3des = { .iv = sm_iv_zero };
static const struct sm_ops sm_ops_aes = { .iv = sm_iv_encrypted_ssc };

static const struct sm_ops *sm_ops(const struct eid_sm *sm)
{
	return sm->cipher == EID_CIPHER_3DES ? &sm_ops_3des : &sm_ops_aes;
}

/* ---- channel state ---- */

int eid_sm_init(struct eid_sm *sm, enum eid_cipher cipher, const uint8_t *kenc,
		const uint8_t *kmac, const uint8_t *ssc)
{
	size_t keylen = eid_cipher_keylen(cipher), blocklen = eid_cipher_blocklen(cipher);

	if (!sm || !kenc || !kmac || !keylen || !blocklen)
		return -EID_EINVAL;
	eid_wipe(sm, sizeof(*sm));
	sm->cipher = cipher;
	sm->keylen = keylen;
	sm->blocklen = blocklen;
	memcpy(sm->kenc, kenc, keylen);
	memcpy(sm->kmac, kmac, keylen);
	if (ssc)
		memcpy(sm->ssc, ssc, blocklen);
	sm->failed = false;
	return 0;
}

void eid_sm_clear(struct eid_sm *sm)
{
	if (!sm)
		return;
	eid_wipe(sm, sizeof(*sm));
	/* a cleared channel refuses to work */
	sm->failed = true;
}

void eid_sm_ssc_inc(struct eid_sm *sm)
{
	size_t n = sm->blocklen <= sizeof(sm->ssc) ? sm->blocklen : sizeof(sm->ssc);

	while (n--) {
		if (++sm->ssc[n] != 0)
			break;
	}
}

static bool sm_usable(const struct eid_sm *sm)
{
	return sm && !sm->failed && eid_cipher_keylen(sm->cipher) == sm->keylen &&
	       eid_cipher_blocklen(sm->cipher) == sm->blocklen && sm->keylen;
}

/* ---- shared steps ---- */

/* MAC = mac8(KSmac, pad(SSC || data)). */
static int sm_mac(const struct eid_sm *sm, const eid_buf *data, uint8_t mac[SM_MAC_LEN])
{
	eid_buf n;
	int r;

	eid_buf_init_secret(&n);
	eid_buf_add(&n, sm->ssc, sm->blocklen);
	eid_buf_add(&n, data->data, data->len);
	if ((r = eid_pad(&n, sm->blocklen)) < 0)
		goto out;
	r = eid_cipher_mac8(sm->cipher, sm->kmac, n.data, n.len, mac);
out:
	eid_buf_free(&n);
	return r;
}

/* Encrypt pad(plain) with the current IV; appends the cryptogram to out. */
static int sm_encrypt(const struct eid_sm *sm, const uint8_t *plain, size_t n, eid_buf *out)
{
	uint8_t iv[16];
	eid_buf p;
	uint8_t *dst;
	int r;

	eid_buf_init_secret(&p);
	eid_buf_add(&p, plain, n);
	if ((r = eid_pad(&p, sm->blocklen)) < 0)
		goto out;
	if ((r = sm_ops(sm)->iv(sm, iv)) < 0)
		goto out;
	if (!(dst = eid_buf_add_space(out, p.len))) {
		r = -EID_ENOMEM;
		goto out;
	}
	r = eid_cipher_cbc(sm->cipher, sm->kenc, iv, true, p.data, p.len, dst);
out:
	eid_wipe(iv, sizeof(iv));
	eid_buf_free(&p);
	return r;
}

/* Decrypt a cryptogram with the current IV, strip padding, append to out. */
static int sm_decrypt(const struct eid_sm *sm, const eid_cbs *crypt, eid_buf *out)
{
	uint8_t iv[16];
	eid_buf p;
	uint8_t *dst;
	size_t n;
	int r;

	eid_buf_init_secret(&p);
	if (eid_cbs_len(crypt) == 0 || eid_cbs_len(crypt) % sm->blocklen) {
		r = -EID_ESM;
		goto out;
	}
	if ((r = sm_ops(sm)->iv(sm, iv)) < 0)
		goto out;
	if (!(dst = eid_buf_add_space(&p, eid_cbs_len(crypt)))) {
		r = -EID_ENOMEM;
		goto out;
	}
	r = eid_cipher_cbc(sm->cipher, sm->kenc, iv, false, eid_cbs_data(crypt),
			   eid_cbs_len(crypt), dst);
	if (r < 0)
		goto out;
	if ((r = eid_unpad_len(p.data, p.len, &n)) < 0)
		goto out;
	if (out)
		r = eid_buf_add(out, p.data, n);
out:
	eid_wipe(iv, sizeof(iv));
	eid_buf_free(&p);
	return r;
}

/* ---- protecting a command ---- */

/* Length of the protected data objects: [87|85] [97] 8E. */
static size_t wrap_body_len(const struct eid_apdu *cmd, size_t block)
{
	size_t body = 2 + SM_MAC_LEN;

	if (cmd->lc) {
		size_t crypt = (cmd->lc / block + 1) * block;
		size_t v = crypt + ((cmd->ins & 1) ? 0 : 1);

		body += 1 + (v < 0x80 ? 1 : v < 0x100 ? 2 : v < 0x10000 ? 3 : 4) + v;
	}
	if (cmd->le)
		body += 2 + (eid_apdu_is_extended(cmd) ? 2 : 1);
	return body;
}

/* DO'87' / DO'85' with the encrypted command data. */
static int wrap_data_do(const struct eid_sm *sm, const struct eid_apdu *cmd, eid_buf *dos)
{
	eid_buf v = EID_BUF_INIT;
	int r;

	if (!(cmd->ins & 1))
		eid_buf_add_u8(&v, PAD_INDICATOR);
	if ((r = sm_encrypt(sm, cmd->data, cmd->lc, &v)) < 0)
		goto out;
	if ((r = eid_buf_status(&v)) < 0)
		goto out;
	r = eid_tlv_add(dos, (cmd->ins & 1) ? TAG_DATA_85 : TAG_DATA_87, v.data, v.len);
out:
	eid_buf_free(&v);
	return r;
}

/*
 * DO'97' holds the Le field of the plain command: one byte (256 -> 00) when
 * that command is short, two bytes (65536 -> 0000) when it is extended.
 */
static int wrap_le_do(const struct eid_apdu *cmd, eid_buf *dos)
{
	uint8_t le[2];

	if (eid_apdu_is_extended(cmd)) {
		size_t v = cmd->le == EID_LE_MAX_EXTENDED ? 0 : cmd->le;

		le[0] = (uint8_t)(v >> 8);
		le[1] = (uint8_t)v;
		return eid_tlv_add(dos, TAG_LE, le, 2);
	}
	le[0] = (uint8_t)(cmd->le == EID_LE_MAX_SHORT ? 0 : cmd->le);
	return eid_tlv_add(dos, TAG_LE, le, 1);
}

/* DO'8E' over pad(SSC || pad(header) || DOs). */
static int wrap_mac_do(const struct eid_sm *sm, const uint8_t hdr[4], eid_buf *dos)
{
	uint8_t mac[SM_MAC_LEN];
	eid_buf m = EID_BUF_INIT;
	int r;

	eid_buf_add(&m, hdr, 4);
	eid_pad(&m, sm->blocklen);
	eid_buf_add(&m, dos->data, dos->len);
	if ((r = eid_buf_status(&m)) < 0)
		goto out;
	if ((r = sm_mac(sm, &m, mac)) < 0)
		goto out;
	r = eid_tlv_add(dos, TAG_MAC, mac, sizeof(mac));
out:
	eid_buf_free(&m);
	return r;
}

int eid_sm_wrap(struct eid_sm *sm, const struct eid_apdu *cmd, eid_buf *out)
{
	struct eid_apdu prot;
	uint8_t hdr[4];
	eid_buf dos;
	size_t body;
	bool ext;
	int r;

	if (!sm || !cmd || !out)
		return -EID_EINVAL;
	if (!sm_usable(sm))
		return -EID_ESMCLOSED;
	if (cmd->lc > 65535 || cmd->le > EID_LE_MAX_EXTENDED || (cmd->lc && !cmd->data))
		return -EID_EINVAL;
	/* extended when the plain APDU is, or when the protected data need it */
	body = wrap_body_len(cmd, sm->blocklen);
	if (body > 65535)
		return -EID_ETOOBIG;
	ext = eid_apdu_is_extended(cmd) || body > 255;
	eid_buf_init_secret(&dos);
	hdr[0] = (uint8_t)(cmd->cla | 0x0C);
	hdr[1] = cmd->ins;
	hdr[2] = cmd->p1;
	hdr[3] = cmd->p2;

	eid_sm_ssc_inc(sm);
	if (cmd->lc && (r = wrap_data_do(sm, cmd, &dos)) < 0)
		goto out;
	if (cmd->le && (r = wrap_le_do(cmd, &dos)) < 0)
		goto out;
	if ((r = wrap_mac_do(sm, hdr, &dos)) < 0)
		goto out;
	if (dos.len != body) {
		r = -EID_EINVAL;   /* cannot happen: the size was computed above */
		goto out;
	}

	memset(&prot, 0, sizeof(prot));
	prot.cla = hdr[0];
	prot.ins = hdr[1];
	prot.p1 = hdr[2];
	prot.p2 = hdr[3];
	prot.data = dos.data;
	prot.lc = dos.len;
	prot.extended = ext;
	prot.le = ext ? EID_LE_MAX_EXTENDED : EID_LE_MAX_SHORT;
	r = eid_apdu_encode(&prot, out);
out:
	if (r < 0)
		sm->failed = true;
	eid_buf_free(&dos);
	return r;
}

/* ---- checking a response ---- */

struct sm_resp {
	eid_cbs maced;     /* the DOs covered by the MAC */
	eid_cbs data;      /* contents of DO'87' or DO'85' */
	eid_cbs status;    /* contents of DO'99' */
	eid_cbs mac;       /* contents of DO'8E' */
	bool has_data, has_status, data_87;
};

/* Split the response body into its DOs: [87|85] [99] 8E, nothing else. */
static int unwrap_parse(const eid_cbs *body, struct sm_resp *sr)
{
	eid_cbs c = *body, all = *body;
	uint32_t tag;

	memset(sr, 0, sizeof(*sr));
	if (eid_cbs_len(body) == 0)
		return -EID_EMAC;   /* no DO'8E' */
	if (eid_tlv_peek_tag(&c, &tag) && (tag == TAG_DATA_87 || tag == TAG_DATA_85)) {
		if (!eid_tlv_get(&c, tag, &sr->data))
			return -EID_ESM;
		sr->has_data = true;
		sr->data_87 = tag == TAG_DATA_87;
	}
	if (!eid_tlv_get_optional(&c, TAG_STATUS, &sr->status, &sr->has_status))
		return -EID_ESM;
	if (!eid_cbs_get_bytes(&all, &sr->maced, eid_cbs_len(body) - eid_cbs_len(&c)))
		return -EID_ESM;
	if (eid_cbs_len(&c) == 0)
		return -EID_EMAC;   /* no DO'8E' */
	if (!eid_tlv_peek_tag(&c, &tag) || tag != TAG_MAC)
		return -EID_ESM;    /* an unexpected object */
	if (!eid_tlv_get(&c, TAG_MAC, &sr->mac))
		return -EID_ESM;    /* truncated */
	if (eid_cbs_len(&c) != 0)
		return -EID_ESM;    /* trailing bytes after DO'8E' */
	return 0;
}

/* The MAC over pad(SSC || DOs), compared in constant time. */
static int unwrap_verify_mac(const struct eid_sm *sm, const struct sm_resp *sr)
{
	uint8_t mac[SM_MAC_LEN];
	eid_buf k;
	int r;

	if (eid_cbs_len(&sr->mac) != SM_MAC_LEN)
		return -EID_EMAC;
	eid_buf_init_secret(&k);
	if ((r = eid_buf_add_cbs(&k, &sr->maced)) < 0)
		goto out;
	if ((r = sm_mac(sm, &k, mac)) < 0)
		goto out;
	if (!eid_ct_equal(mac, eid_cbs_data(&sr->mac), SM_MAC_LEN))
		r = -EID_EMAC;
out:
	eid_wipe(mac, sizeof(mac));
	eid_buf_free(&k);
	return r;
}

/* Decrypt DO'87' (01 || cryptogram) or DO'85' (cryptogram). */
static int unwrap_data(const struct eid_sm *sm, const struct sm_resp *sr, eid_buf *data)
{
	eid_cbs crypt = sr->data;
	uint8_t ind;

	if (sr->data_87 && (!eid_cbs_get_u8(&crypt, &ind) || ind != PAD_INDICATOR))
		return -EID_ESM;
	return sm_decrypt(sm, &crypt, data);
}

/* Plain status words that are no error in the sense of ISO 7816-4. */
static bool sw_is_normal(uint16_t sw)
{
	return sw == EID_SW_OK || (sw & 0xFF00) == 0x6200 || (sw & 0xFF00) == 0x6300;
}

int eid_sm_unwrap(struct eid_sm *sm, const uint8_t *resp, size_t n, eid_buf *data,
		  uint16_t *sw)
{
	struct sm_resp sr;
	eid_cbs c, body, swc;
	uint16_t outer = 0, inner = 0;
	size_t mark = data ? data->len : 0;
	int r;

	if (!sm || !sw || (n && !resp))
		return -EID_EINVAL;
	if (!sm_usable(sm))
		return -EID_ESMCLOSED;
	eid_cbs_init(&c, resp, n);
	if (!eid_cbs_get_last(&c, &swc, 2) || !eid_cbs_get_u16(&swc, &outer)) {
		eid_sm_ssc_inc(sm);
		r = -EID_ESM;
		goto out;
	}
	body = c;
	if (eid_cbs_len(&body) == 0 && !sw_is_normal(outer)) {
		/*
		 * The chip answered an error in plain.  An SM error (6987/6988)
		 * means it ended the session.  Other errors (6A82 for a file it
		 * lacks, seen on real chips and vicc) leave the session: the chip
		 * sent no protected response, so the SSC does not advance.  The
		 * status is unauthenticated: it can only ever mean failure.
		 */
		*sw = outer;
		if (outer == EID_SW_SM_MISSING || outer == EID_SW_SM_INCORRECT)
			sm->failed = true;
		return 0;
	}
	eid_sm_ssc_inc(sm);
	if ((r = unwrap_parse(&body, &sr)) < 0)
		goto out;
	if ((r = unwrap_verify_mac(sm, &sr)) < 0)
		goto out;
	if (sr.has_status && (eid_cbs_len(&sr.status) != 2 || !eid_cbs_get_u16(&sr.status, &inner))) {
		r = -EID_ESM;
		goto out;
	}
	if (sr.has_data && (r = unwrap_data(sm, &sr, data)) < 0)
		goto out;
	*sw = sr.has_status ? inner : outer;
	r = 0;
out:
	if (r < 0) {
		sm->failed = true;
		if (data && data->len > mark)
			eid_buf_truncate(data, mark);
	}
	return r;
}
