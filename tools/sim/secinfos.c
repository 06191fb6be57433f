/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip's static keys and what it publishes about them (ICAO 9303-10,
 * 9303-11 9.2):
 *   1. keys from tests/data/chip (TEST keys, see make-chip-keys.sh):
 *      ca-ec.key   Chip Authentication / PACE-CAM, brainpoolP256r1
 *      aa-rsa.key  Active Authentication, RSA-1024
 *      aa-ec.key   Active Authentication, ECDSA brainpoolP256r1;
 *   2. EF.CardAccess: SecurityInfos with one PACEInfo per offered PACE
 *      protocol (version 2, standardized domain parameters);
 *   3. DG14: 6E { SecurityInfos }: ChipAuthenticationInfo (v1) and
 *      ChipAuthenticationPublicKeyInfo (id-PK-ECDH, X.509 SubjectPublicKeyInfo
 *      with the named curve), plus ActiveAuthenticationInfo for ECDSA AA;
 *   4. DG15: 6F { SubjectPublicKeyInfo } of the AA key.
 * SETs are written in DER order (elements sorted by their encoding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sim.h"
#include "tlv.h"

static const uint8_t oid_pk_ecdh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02 };
static const uint8_t oid_ca_ecdh[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02 };
static const uint8_t oid_aa[] = { 0x67, 0x81, 0x08, 0x01, 0x01, 0x05 };     /* 2.23.136.1.1.5 */
static const uint8_t oid_ecdsa_plain_sha256[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01,
						  0x04, 0x01, 0x03 };

/* ---- step 1: keys ---- */

static int load_key(const struct sim_chip *chip, const char *name, EVP_PKEY **key)
{
	char path[600];
	BIO *bio;

	snprintf(path, sizeof(path), "%s/chip/%s", chip->data_dir, name);
	if (!(bio = BIO_new_file(path, "r")))
		return -EID_ENOTFOUND;
	*key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *key ? 0 : -EID_EPARSE;
}

int sim_keys_load(struct sim_chip *chip, bool ca)
{
	int r;

	if (ca && !chip->ca_key && (r = load_key(chip, "ca-ec.key", &chip->ca_key)) < 0)
		return r;
	if (chip->aa_key)
		return 0;
	switch (chip->aa) {
	case SIM_AA_RSA:
	case SIM_AA_RSA_SHA256:
		return load_key(chip, "aa-rsa.key", &chip->aa_key);
	case SIM_AA_ECDSA:
		return load_key(chip, "aa-ec.key", &chip->aa_key);
	default:
		return 0;
	}
}

/* ---- DER helpers ---- */

static int add_oid(eid_buf *b, const uint8_t *oid, size_t n)
{
	return eid_tlv_add(b, 0x06, oid, n);
}

/* The SubjectPublicKeyInfo of a key pair. */
static int add_spki(eid_buf *b, EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(key, &der);
	int r;

	if (len <= 0)
		return -EID_ECRYPTO;
	r = eid_buf_add(b, der, (size_t)len);
	OPENSSL_free(der);
	return r;
}

static int cmp_der(const void *a, const void *b)
{
	const eid_buf *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* SET OF the items, sorted (DER); frees the items. */
static int add_set(eid_buf *out, eid_buf *items, size_t n)
{
	size_t mark;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		if (!eid_buf_ok(&items[i]))
			r = -EID_ENOMEM;
	qsort(items, n, sizeof(items[0]), cmp_der);
	mark = eid_tlv_begin(out, 0x31);
	for (size_t i = 0; i < n; i++) {
		eid_buf_add(out, items[i].data, items[i].len);
		eid_buf_free(&items[i]);
	}
	if (r == 0)
		r = eid_tlv_end(out, mark);
	return r;
}

/* ---- step 2: EF.CardAccess ---- */

/* PACEInfo ::= SEQUENCE { protocol, version 2, parameterId } */
static int pace_info(const struct sim_pace_info *info, eid_buf *b)
{
	uint8_t oid[10];
	size_t mark;
	int r;

	if ((r = sim_pace_oid(info, oid)) < 0)
		return r;
	mark = eid_tlv_begin(b, 0x30);
	add_oid(b, oid, sizeof(oid));
	eid_der_add_u32(b, 2);
	eid_der_add_u32(b, (uint32_t)info->param_id);
	return eid_tlv_end(b, mark);
}

int sim_card_access_build(struct sim_chip *chip)
{
	eid_buf items[SIM_MAX_PACE_INFOS], out = EID_BUF_INIT;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < chip->n_pace; i++) {
		eid_buf_init(&items[n]);
		if ((r = pace_info(&chip->pace[i], &items[n++])) < 0)
			break;
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			eid_buf_free(&items[i]);
		return r;
	}
	if ((r = add_set(&out, items, n)) == 0)
		r = sim_chip_set_file(chip, 0x011C, 0x1C, true, 0, SIM_ACCESS_ALWAYS, out.data,
				      out.len);
	eid_buf_free(&out);
	return r;
}

/* ---- step 3: DG14 ---- */

static uint8_t ca_cipher_arc(enum eid_cipher c)
{
	switch (c) {
	case EID_CIPHER_3DES: return 1;
	case EID_CIPHER_AES128: return 2;
	case EID_CIPHER_AES192: return 3;
	case EID_CIPHER_AES256: return 4;
	}
	return 0;
}

/* ChipAuthenticationInfo ::= SEQUENCE { protocol, version 1, [keyId] } */
static int ca_info(const struct sim_chip *chip, eid_buf *b)
{
	uint8_t oid[sizeof(oid_ca_ecdh) + 1];
	size_t mark = eid_tlv_begin(b, 0x30);

	memcpy(oid, oid_ca_ecdh, sizeof(oid_ca_ecdh));
	oid[sizeof(oid_ca_ecdh)] = ca_cipher_arc(chip->ca_cipher);
	add_oid(b, oid, sizeof(oid));
	eid_der_add_u32(b, 1);
	if (chip->ca_key_id >= 0)
		eid_der_add_u32(b, (uint32_t)chip->ca_key_id);
	return eid_tlv_end(b, mark);
}

/* ChipAuthenticationPublicKeyInfo ::= SEQUENCE { id-PK-ECDH,
 * SubjectPublicKeyInfo, [keyId] } */
static int ca_pk_info(const struct sim_chip *chip, eid_buf *b)
{
	size_t mark = eid_tlv_begin(b, 0x30);
	int r;

	add_oid(b, oid_pk_ecdh, sizeof(oid_pk_ecdh));
	if ((r = add_spki(b, chip->ca_key)) < 0)
		return r;
	if (chip->ca_key_id >= 0)
		eid_der_add_u32(b, (uint32_t)chip->ca_key_id);
	return eid_tlv_end(b, mark);
}

/* ActiveAuthenticationInfo ::= SEQUENCE { id-AA, version 1, signatureAlgorithm } */
static int aa_info(eid_buf *b)
{
	size_t mark = eid_tlv_begin(b, 0x30);

	add_oid(b, oid_aa, sizeof(oid_aa));
	eid_der_add_u32(b, 1);
	add_oid(b, oid_ecdsa_plain_sha256, sizeof(oid_ecdsa_plain_sha256));
	return eid_tlv_end(b, mark);
}

int sim_dg14_build(struct sim_chip *chip)
{
	eid_buf items[3], dg14 = EID_BUF_INIT;
	size_t n = 0, mark;
	int r = 0;

	for (size_t i = 0; i < 3; i++)
		eid_buf_init(&items[i]);
	if (chip->ca_key) {
		if ((r = ca_info(chip, &items[n++])) < 0 || (r = ca_pk_info(chip, &items[n++])) < 0)
			goto fail;
	}
	if (chip->aa == SIM_AA_ECDSA && (r = aa_info(&items[n++])) < 0)
		goto fail;
	if (n == 0)
		return 0;
	mark = eid_tlv_begin(&dg14, 0x6E);
	if ((r = add_set(&dg14, items, n)) == 0 && (r = eid_tlv_end(&dg14, mark)) == 0)
		r = sim_lds_add_dg(chip, 14, &dg14);
	eid_buf_free(&dg14);
	return r;
fail:
	for (size_t i = 0; i < 3; i++)
		eid_buf_free(&items[i]);
	return r;
}

/* ---- step 4: DG15 ---- */

int sim_dg15_build(struct sim_chip *chip)
{
	eid_buf dg15 = EID_BUF_INIT;
	size_t mark;
	int r;

	if (!chip->aa_key)
		return 0;
	mark = eid_tlv_begin(&dg15, 0x6F);
	if ((r = add_spki(&dg15, chip->aa_key)) == 0 && (r = eid_tlv_end(&dg15, mark)) == 0)
		r = sim_lds_add_dg(chip, 15, &dg15);
	eid_buf_free(&dg15);
	return r;
}
