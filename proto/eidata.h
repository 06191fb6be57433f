/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The German eID application's data groups (BSI TR-03110-4 2.2.3, ASN.1 in
 * ../shared/vectors/eid-datagroups.md section 4): DG1..DG22, each
 * [APPLICATION n] EXPLICIT around its value.  Decoded into the holder
 * fields of the D-Bus result.  Every byte goes through the cursor; text is
 * checked to be valid UTF-8 (PrintableString/NumericString/IA5String to be
 * their character sets) and never contains NUL.
 */
#ifndef EID_EIDATA_H
#define EID_EIDATA_H

#include "buf.h"
#include "holder.h"

/* Short file identifiers of the eID application: DGn has SFI n, FID 01nn. */
#define EID_EIDATA_MAX_DG 22

/* The eID application (TR-03110-4 2.2), selected after CA. */
extern const uint8_t eid_eidata_aid[9]; /* E8 07 04 00 7F 00 07 03 02 */

/*
 * Decode data group dg (1..22) and set the matching fields of *h:
 *  DG1 document_type, DG2 issuing_state, DG3 date_of_expiry, DG4 given_names,
 *  DG5 family_name, DG6 artistic_name, DG7 academic_title, DG8 date_of_birth,
 *  DG9 place_of_birth, DG10 nationality, DG11 sex, DG13 birth_name,
 *  DG15 date_of_issuance, DG17 address, DG18 community_id,
 *  DG19 residence_permit_1, DG20 residence_permit_2, DG21 phone_number,
 *  DG22 email_address.  DG12 (optional data), DG14 (written signature) and
 *  DG16 are checked for well-formedness and set nothing.
 * An empty string value (e.g. DG6 "66020C00") leaves the field NULL.
 * Errors: -EID_EPARSE (malformed, wrong tag for dg, bad characters or date),
 * -EID_ENOTSUP (a valid encoding this decoder does not handle), -EID_EINVAL
 * (dg out of range).  On error *h is unchanged for this data group.
 */
int eid_eidata_decode(int dg, const uint8_t *data, size_t n, struct eid_holder *h);

/* A Date (8 digits "YYYYMMDD", unknown parts as spaces or zeros per
 * TR-03110-4) as ISO 8601: "1964-08-12", "1964-08", "1964".  out >= 11. */
int eid_eidata_date(const uint8_t *d, size_t n, char out[11]);

/* DG14 (written signature): the JPEG 2000 image bytes inside, as a view. */
int eid_eidata_signature_image(const uint8_t *data, size_t n, eid_cbs *image);

#endif
