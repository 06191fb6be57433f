/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pace_priv.h"
#include "ri.h"
#include "secinfo.h"
#include "tlv.h"

/* id-RI-ECDH-SHA-256: 0.4.0.127.0.7.2.2.5.2.3 */
const uint8_t eid_ri_oid_ecdh_sha256[10] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x05,
					     0x02, 0x03 };
/* id-RI-ECDH: the domain parameter info's protocol */
static const uint8_t oid_ri_ecdh[9] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x05, 0x02 };

/* Longest encoded point we accept (P-521 uncompressed: 133 bytes). */
#define RI_MAX_POINT 133

int eid_ri_select(const struct eid_secinfos *cs, int *key_id, int *std_param_id)
{
	const struct eid_secinfo *si, *info = NULL;

	*key_id = -1;
	*std_param_id = -1;
	if (!cs)
		return -EID_EINVAL;
	for (size_t i = 0; (si = eid_secinfos_find(cs, EID_SI_RI, i)); i++)
		if (si->oid_len == sizeof(eid_ri_oid_ecdh_sha256) &&
		    memcmp(si->oid, eid_ri_oid_ecdh_sha256, si->oid_len) == 0 &&
		    !si->authorized_only && si->key_id >= 0 && !si->privileged) {
			info = si;
			break;
		}
	if (!info)
		return -EID_ENOTFOUND;
	*key_id = info->key_id;
	for (size_t i = 0; (si = eid_secinfos_find(cs, EID_SI_RI_DP, i)); i++)
		if (si->oid_len == sizeof(oid_ri_ecdh) &&
		    memcmp(si->oid, oid_ri_ecdh, si->oid_len) == 0 && si->std_param_id >= 0) {
			*std_param_id = si->std_param_id;
			break;
		}
	return 0;
}

int eid_ri_sector_point(const uint8_t *spki, size_t n, int std_param_id, eid_buf *point)
{
	const unsigned char *p = spki;
	struct eid_pace_dp *kdp = NULL, *sdp = NULL;
	EVP_PKEY *key = NULL;
	uint8_t pt[RI_MAX_POINT];
	size_t len = 0;
	int r = -EID_EPARSE;

	if (!spki || n == 0 || n > 4096)
		return -EID_EPARSE;
	key = d2i_PUBKEY(NULL, &p, (long)n);
	if (!key || p != spki + n || !EVP_PKEY_is_a(key, "EC"))
		goto out;
	/* always the uncompressed form, whatever the SPKI carried */
	if (EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
					   "uncompressed") != 1 ||
	    !EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
					     sizeof(pt), &len) || len == 0)
		goto out;
	if ((r = eid_pace_dp_from_pkey(key, &kdp)) < 0)
		goto out;
	if ((r = eid_pace_check_pub(kdp, pt, len)) < 0)
		goto out;
	if (std_param_id >= 0) {
		if ((r = eid_pace_dp_new(std_param_id, &sdp)) < 0)
			goto out;
		if (sdp->ka != EID_KA_ECDH || !sdp->group ||
		    EC_GROUP_cmp(sdp->group, kdp->group, sdp->bn) != 0) {
			r = -EID_EAUTH;
			goto out;
		}
	}
	r = eid_buf_add(point, pt, len);
out:
	eid_pace_dp_free(kdp);
	eid_pace_dp_free(sdp);
	EVP_PKEY_free(key);
	return r;
}

int eid_ri_parse_response(const uint8_t *resp, size_t n, eid_buf *id)
{
	eid_cbs c, dyn, v;

	eid_cbs_init(&c, resp, n);
	if (!eid_tlv_get(&c, 0x7C, &dyn) || eid_cbs_len(&c) || !eid_tlv_get(&dyn, 0x81, &v) ||
	    eid_cbs_len(&dyn) || eid_cbs_len(&v) != EID_RI_ID_LEN)
		return -EID_EPARSE;
	return eid_buf_add_cbs(id, &v);
}

static int sw_error(uint16_t sw)
{
	return sw == EID_SW_SECURITY_STATUS ? -EID_EACCESS : -EID_ESW;
}

/* MSE:Set AT { 80 id-RI-ECDH-SHA-256, 84 keyId } */
static int ri_mse(struct eid_card *card, int key_id)
{
	struct eid_apdu a = { .ins = 0x22, .p1 = 0x41, .p2 = 0xA4 };
	eid_buf data = EID_BUF_INIT;
	uint8_t ref[4];
	size_t nref = 0;
	uint16_t sw;
	int r;

	/* minimal big-endian bytes */
	for (int shift = 24; shift >= 0; shift -= 8)
		if (nref || (key_id >> shift) & 0xFF || shift == 0)
			ref[nref++] = (uint8_t)(key_id >> shift);
	eid_tlv_add(&data, 0x80, eid_ri_oid_ecdh_sha256, sizeof(eid_ri_oid_ecdh_sha256));
	eid_tlv_add(&data, 0x84, ref, nref);
	if ((r = eid_buf_status(&data)) < 0)
		goto out;
	a.data = data.data;
	a.lc = data.len;
	if ((r = eid_card_transmit(card, &a, NULL, &sw)) < 0)
		goto out;
	r = sw == EID_SW_OK ? 0 : sw_error(sw);
out:
	eid_buf_free(&data);
	return r;
}

/* GENERAL AUTHENTICATE { 7C { A0 { 06 OID, 86 PK_sector } } } -> 7C { 81 ID } */
static int ri_general_authenticate(struct eid_card *card, const uint8_t *point, size_t n,
				   eid_buf *id)
{
	struct eid_apdu a = { .ins = 0x86, .le = EID_LE_MAX_SHORT };
	eid_buf data = EID_BUF_INIT, resp = EID_BUF_INIT;
	size_t outer, inner;
	uint16_t sw;
	int r;

	outer = eid_tlv_begin(&data, 0x7C);
	inner = eid_tlv_begin(&data, 0xA0);
	eid_tlv_add(&data, 0x06, eid_ri_oid_ecdh_sha256, sizeof(eid_ri_oid_ecdh_sha256));
	eid_tlv_add(&data, 0x86, point, n);
	eid_tlv_end(&data, inner);
	if ((r = eid_tlv_end(&data, outer)) < 0)
		goto out;
	a.data = data.data;
	a.lc = data.len;
	if ((r = eid_card_transmit(card, &a, &resp, &sw)) < 0)
		goto out;
	if (sw != EID_SW_OK) {
		r = sw_error(sw);
		goto out;
	}
	r = eid_ri_parse_response(resp.data, resp.len, id);
out:
	eid_buf_free(&data);
	eid_buf_free(&resp);
	return r;
}

int eid_ri_run(struct eid_card *card, int key_id, const uint8_t *point, size_t n, eid_buf *id)
{
	int r;

	if (!card || key_id < 0 || !point || n == 0 || n > RI_MAX_POINT || !id)
		return -EID_EINVAL;
	if ((r = ri_mse(card, key_id)) < 0)
		return r;
	return ri_general_authenticate(card, point, n, id);
}
