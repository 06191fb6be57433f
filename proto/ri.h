/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Restricted Identification, terminal side (BSI TR-03110-2 3.6): the chip
 * derives a sector-specific pseudonym from its static RI key SK_ID and the
 * sector's public key PK_sector, the same for every read by one sector and
 * unlinkable across sectors.  Only after TA and CA v2, with the right
 * "restricted identification" in the effective CHAT (else 6982).
 *
 *   MSE:Set AT 00 22 41 A4 { 80 id-RI-ECDH-SHA-256, 84 keyId }
 *   GENERAL AUTHENTICATE 00 86 00 00 { 7C { A0 { 06 OID, 86 PK_sector } } }
 *     -> 7C { 81 sector ID }
 *   sector ID = SHA-256(x-coordinate of SK_ID * PK_sector)
 *
 * The chip's key is announced by RestrictedIdentificationInfo in
 * EF.CardSecurity, its domain parameters by
 * RestrictedIdentificationDomainParameterInfo.
 */
#ifndef EID_RI_H
#define EID_RI_H

#include "apdu.h"
#include "buf.h"

struct eid_secinfos;

/* Length of a sector ID of id-RI-ECDH-SHA-256. */
#define EID_RI_ID_LEN 32

/* id-RI-ECDH-SHA-256 (0.4.0.127.0.7.2.2.5.2.3), OID contents. */
extern const uint8_t eid_ri_oid_ecdh_sha256[10];

/*
 * Choose the RI key from EF.CardSecurity's SecurityInfos: the first
 * RestrictedIdentificationInfo for id-RI-ECDH-SHA-256 that is not
 * authorizedOnly.  *std_param_id gets the standardized domain parameters of
 * the RestrictedIdentificationDomainParameterInfo, -1 when none is listed.
 * -EID_ENOTFOUND when the chip offers no usable RI key.
 */
int eid_ri_select(const struct eid_secinfos *cs, int *key_id, int *std_param_id);

/*
 * The sector public key from a DER SubjectPublicKeyInfo (EC) as an
 * uncompressed point into *point.  With std_param_id >= 0 its curve must be
 * those domain parameters (-EID_EAUTH otherwise).  -EID_EPARSE for anything
 * that is not a valid EC public key.
 */
int eid_ri_sector_point(const uint8_t *spki, size_t n, int std_param_id, eid_buf *point);

/* The GENERAL AUTHENTICATE response 7C { 81 ID }: the ID (EID_RI_ID_LEN
 * bytes) appended to *id; -EID_EPARSE for anything else. */
int eid_ri_parse_response(const uint8_t *resp, size_t n, eid_buf *id);

/*
 * Run RI under the current secure channel with the chip key key_id and the
 * sector's point; the sector ID is appended to *id.  -EID_EACCESS when the
 * chip refuses (6982: the CHAT lacks RI, or no TA/CA), -EID_ESW for other
 * status words, transport and SM errors as they come.
 */
int eid_ri_run(struct eid_card *card, int key_id, const uint8_t *point, size_t n, eid_buf *id);

#endif
