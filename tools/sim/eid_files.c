/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files of the German eID card and the eAT (BSI TR-03110-4 2.2.3,
 * TR-03110-3 A.1):
 *   1. DG1..DG22 (no DG16) of the eID application E80704007F00070302, FID
 *      0101..0116, SFI 01..16 (hex): by default the bytes of AusweisApp's
 *      specimen card ERIKA MUSTERMANN (tests/data/eid/dgNN.bin, copies of
 *      the vectors aa_eid_dgNN.bin); holder options replace DG3 (expiry),
 *      DG4 (given names), DG5 (family names), DG8 (date of birth, partial
 *      dates with spaces), DG9 (place of birth, free text); the eAT has
 *      document type "AR", nationality "UTO" and its own DG19/DG20 texts;
 *   2. EF.CardAccess (MF, 011C, SFI 1C, plain): PACEInfo
 *      (id-PACE-ECDH-GM-AES-CBC-CMAC-128, v2, parameter 13),
 *      TerminalAuthenticationInfo (v2), ChipAuthenticationInfo
 *      (id-CA-ECDH-AES-CBC-CMAC-128, v2, keyId) and
 *      ChipAuthenticationDomainParameterInfo (id-CA-ECDH, standardized
 *      parameters 13, keyId), in this order (issuer order, as on the
 *      specimen card);
 *   3. EF.CardSecurity (MF, 011D, SFI 1D, after PACE): CMS SignedData with
 *      eContentType id-SecurityObject (0.4.0.127.0.7.3.2.1) over the same
 *      SecurityInfos plus ChipAuthenticationPublicKeyInfo (id-PK-ECDH, the
 *      key with standardized parameters 13, keyId),
 *      RestrictedIdentificationInfo (id-RI-ECDH-SHA-256, v1, keyId 1, not
 *      authorizedOnly) and RestrictedIdentificationDomainParameterInfo
 *      (id-RI-ECDH, parameters 13), signed by the test
 *      Document Signer (tests/data/pki, chains to the exported CSCA).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "sim.h"
#include "tlv.h"

static const uint8_t oid_ta[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02 };
static const uint8_t oid_ca_ecdh_aes128[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03,
					      0x02, 0x02 };
static const uint8_t oid_ca_ecdh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02 };
static const uint8_t oid_pk_ecdh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02 };
static const uint8_t oid_ri_ecdh_sha256[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x05,
					      0x02, 0x03 };
static const uint8_t oid_std_dp[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x02 };

#define MAX_DG_FILE 65536

/* ---- step 1: data groups ---- */

static int dg_load(const struct sim_chip *chip, int dg, eid_buf *out)
{
	char path[600];
	uint8_t tmp[4096];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/eid/dg%02d.bin", chip->data_dir, dg);
	if (!(fp = fopen(path, "rb")))
		return -EID_ENOTFOUND;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0 && out->len <= MAX_DG_FILE)
		eid_buf_add(out, tmp, n);
	fclose(fp);
	if (out->len > MAX_DG_FILE)
		return -EID_ETOOBIG;
	return eid_buf_status(out);
}

/* [APPLICATION dg] { inner tag, value } */
static int dg_simple(eid_buf *out, int dg, uint32_t tag, const void *v, size_t n)
{
	size_t mark;

	eid_buf_reset(out);
	mark = eid_tlv_begin(out, (uint32_t)(0x60 + dg));
	eid_tlv_add(out, tag, v, n);
	return eid_tlv_end(out, mark);
}

/* [APPLICATION dg] { [1] { UTF8String } }: free-text place, Text */
static int dg_text(eid_buf *out, int dg, const char *s)
{
	size_t mark, inner;

	eid_buf_reset(out);
	mark = eid_tlv_begin(out, (uint32_t)(0x60 + dg));
	inner = eid_tlv_begin(out, 0xA1);
	eid_tlv_add(out, 0x0C, s, strlen(s));
	eid_tlv_end(out, inner);
	return eid_tlv_end(out, mark);
}

/* Date ::= NumericString (SIZE (8)): YYYYMMDD, unknown parts as spaces. */
static bool date_ok(const char *d)
{
	return strlen(d) == 8 && strspn(d, "0123456789 ") == 8 && strspn(d, "0123456789") >= 4;
}

static bool text_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 200;
}

/* The holder overrides and the eAT's differences for data group dg. */
static int dg_override(const struct sim_chip *chip, bool eat, int dg, eid_buf *b)
{
	const struct sim_options *o = &chip->opt;
	const char *v;

	switch (dg) {
	case 1:
		return eat ? dg_simple(b, 1, 0x13, "AR", 2) : 0;
	case 3:
	case 8:
		if (!(v = dg == 3 ? o->eid_expiry_date : o->eid_birth_date))
			return 0;
		if (!date_ok(v))
			return -EID_EINVAL;
		return dg_simple(b, dg, 0x12, v, 8);
	case 4:
	case 5:
		if (!(v = dg == 4 ? o->eid_given_names : o->eid_family_names))
			return 0;
		if (!text_ok(v))
			return -EID_EINVAL;
		return dg_simple(b, dg, 0x0C, v, strlen(v));
	case 9:
		if (!(v = o->eid_place_of_birth))
			return 0;
		if (!text_ok(v))
			return -EID_EINVAL;
		return dg_text(b, 9, v);
	case 10:
		return eat ? dg_simple(b, 10, 0x13, "UTO", 3) : 0;
	case 19:
		return eat ? dg_text(b, 19, "Aufenthaltserlaubnis gemäß § 18b Abs. 1 AufenthG")
			   : 0;
	case 20:
		return eat ? dg_text(b, 20, "Erwerbstätigkeit gestattet.") : 0;
	default:
		return 0;
	}
}

static int dgs_build(struct sim_chip *chip, bool eat)
{
	eid_buf b;
	int r = 0;

	eid_buf_init_secret(&b);
	for (int dg = 1; dg <= 22 && r == 0; dg++) {
		if (dg == 16)
			continue;                  /* RFU: no file (6A82) */
		eid_buf_reset(&b);
		if ((r = dg_load(chip, dg, &b)) < 0 || (r = dg_override(chip, eat, dg, &b)) < 0 ||
		    (r = eid_buf_status(&b)) < 0)
			break;
		r = sim_chip_set_file(chip, (uint16_t)(0x0100 + dg), (uint8_t)dg, false, dg,
				      SIM_ACCESS_EID, b.data, b.len);
	}
	eid_buf_free(&b);
	return r;
}

/* ---- steps 2 and 3: SecurityInfos ---- */

/* SEQUENCE { oid, INTEGER version, [INTEGER id] } (id < 0: none) */
static void info_add(eid_buf *b, const uint8_t *oid, size_t n, uint32_t version, int id)
{
	size_t mark = eid_tlv_begin(b, 0x30);

	eid_tlv_add(b, 0x06, oid, n);
	eid_der_add_u32(b, version);
	if (id >= 0)
		eid_der_add_u32(b, (uint32_t)id);
	eid_tlv_end(b, mark);
}

/* AlgorithmIdentifier { standardizedDomainParameters, INTEGER id } */
static void std_dp_add(eid_buf *b, int param_id)
{
	size_t mark = eid_tlv_begin(b, 0x30);

	eid_tlv_add(b, 0x06, oid_std_dp, sizeof(oid_std_dp));
	eid_der_add_u32(b, (uint32_t)param_id);
	eid_tlv_end(b, mark);
}

/* ChipAuthenticationPublicKeyInfo { id-PK-ECDH, SubjectPublicKeyInfo
 * { AlgorithmIdentifier (standardized 13), BIT STRING point }, keyId } */
static int ca_pk_add(const struct sim_chip *chip, eid_buf *b)
{
	uint8_t point[133];
	size_t n = 0, mark, spki, bits;

	if (!chip->ca_key ||
	    !EVP_PKEY_get_octet_string_param(chip->ca_key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					     point, sizeof(point), &n) || n == 0)
		return -EID_ECRYPTO;
	mark = eid_tlv_begin(b, 0x30);
	eid_tlv_add(b, 0x06, oid_pk_ecdh, sizeof(oid_pk_ecdh));
	spki = eid_tlv_begin(b, 0x30);
	std_dp_add(b, 13);
	bits = eid_tlv_begin(b, 0x03);
	eid_buf_add_u8(b, 0x00);
	eid_buf_add(b, point, n);
	eid_tlv_end(b, bits);
	eid_tlv_end(b, spki);
	eid_der_add_u32(b, (uint32_t)chip->ca_key_id);
	return eid_tlv_end(b, mark);
}

/* RestrictedIdentificationInfo { id-RI-ECDH-SHA-256, ProtocolParams
 * { version 1, keyId, authorizedOnly FALSE } } and
 * RestrictedIdentificationDomainParameterInfo { id-RI-ECDH, standardized
 * parameters } */
static void ri_add(const struct sim_chip *chip, eid_buf *b)
{
	size_t mark = eid_tlv_begin(b, 0x30), params;
	static const uint8_t no[] = { 0x00 };

	eid_tlv_add(b, 0x06, oid_ri_ecdh_sha256, sizeof(oid_ri_ecdh_sha256));
	params = eid_tlv_begin(b, 0x30);
	eid_der_add_u32(b, 1);
	eid_der_add_u32(b, (uint32_t)chip->ri_key_id);
	eid_tlv_add(b, 0x01, no, sizeof(no));
	eid_tlv_end(b, params);
	eid_tlv_end(b, mark);
	mark = eid_tlv_begin(b, 0x30);
	eid_tlv_add(b, 0x06, oid_ri_ecdh_sha256, sizeof(oid_ri_ecdh_sha256) - 1);
	std_dp_add(b, chip->ri_param_id);
	eid_tlv_end(b, mark);
}

/* The SecurityInfos (a SET in issuer order); with_pk adds the CA key and
 * Restricted Identification. */
static int secinfos_build(const struct sim_chip *chip, bool with_pk, eid_buf *out)
{
	uint8_t pace_oid[10];
	size_t set, mark;
	int r;

	if ((r = sim_pace_oid(&chip->pace[0], pace_oid)) < 0)
		return r;
	set = eid_tlv_begin(out, 0x31);
	info_add(out, pace_oid, sizeof(pace_oid), 2, chip->pace[0].param_id);
	info_add(out, oid_ta, sizeof(oid_ta), 2, -1);
	info_add(out, oid_ca_ecdh_aes128, sizeof(oid_ca_ecdh_aes128), 2, chip->ca_key_id);
	mark = eid_tlv_begin(out, 0x30);                 /* CA domain parameters */
	eid_tlv_add(out, 0x06, oid_ca_ecdh, sizeof(oid_ca_ecdh));
	std_dp_add(out, 13);
	eid_der_add_u32(out, (uint32_t)chip->ca_key_id);
	eid_tlv_end(out, mark);
	if (with_pk && (r = ca_pk_add(chip, out)) < 0)
		return r;
	if (with_pk && chip->ri_priv_len)
		ri_add(chip, out);
	return eid_tlv_end(out, set);
}

static int card_files_build(struct sim_chip *chip)
{
	eid_buf ca = EID_BUF_INIT, cs = EID_BUF_INIT, cms = EID_BUF_INIT;
	int r;

	if ((r = secinfos_build(chip, false, &ca)) < 0 ||
	    (r = sim_chip_set_file(chip, 0x011C, 0x1C, true, 0, SIM_ACCESS_ALWAYS, ca.data,
				   ca.len)) < 0)
		goto out;
	if ((r = secinfos_build(chip, true, &cs)) < 0 || (r = eid_buf_status(&cs)) < 0 ||
	    (r = sim_cms_sign(chip, "0.4.0.127.0.7.3.2.1", &cs, &cms)) < 0)
		goto out;
	r = sim_chip_set_file(chip, 0x011D, 0x1D, true, 0, SIM_ACCESS_SM, cms.data, cms.len);
out:
	eid_buf_free(&ca);
	eid_buf_free(&cs);
	eid_buf_free(&cms);
	return r;
}

int sim_eid_build(struct sim_chip *chip, bool eat)
{
	int r;

	if (chip->n_pace < 1 || !chip->ca_key || chip->ca_key_id < 0)
		return -EID_ESTATE;
	if ((r = dgs_build(chip, eat)) < 0)
		return r;
	return card_files_build(chip);
}
