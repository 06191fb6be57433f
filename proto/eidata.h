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
 * The file must be exactly the one [APPLICATION dg] element.
 * An empty string value (e.g. DG6 "66020C00") leaves the field NULL (an
 * earlier value is wiped).  In detail:
 *  - ICAO codes (DG1, DG2, DG10, Place.country) lose trailing blanks;
 *    DG2 as an issuingPlace gives that Place's country;
 *  - DG11 "M", "F", "X"; a blank (unspecified) becomes "X";
 *  - dates as eid_eidata_date() (a date with no known part: NULL);
 *  - DG9: free text or no-place text as is, a structured place as one line
 *    "street, zip city, state, country" (absent parts left out);
 *  - DG17: the place (multResidence: the first of the SET; an empty SET
 *    gives no address): structured into street/city/state/zip/country, free
 *    text and no-place text ("keine Wohnung in Deutschland") into free_text;
 *    have_address is set;
 *  - DG18 as upper-case hex digits ("02760503150000");
 *  - DG19/DG20 Text: plain, or compressed (DEFLATE with or without the zlib
 *    wrapper, holding the DER UTF8String or the bare UTF-8 text), inflated
 *    to at most 64 KiB; Text may contain tab, CR and LF, other strings no
 *    control characters at all.
 * Errors: -EID_EPARSE (malformed, wrong tag for dg, bad characters or date),
 * -EID_ETOOBIG (compressed Text inflating beyond 64 KiB), -EID_ENOMEM,
 * -EID_EINVAL (dg out of range, NULL arguments).  On error *h is unchanged.
 */
int eid_eidata_decode(int dg, const uint8_t *data, size_t n, struct eid_holder *h);

/*
 * A Date (NumericString "YYYYMMDD") as ISO 8601: "1964-08-12", or with
 * unknown parts (blanks, as in PersoSim's "199409  ", or zeros) "1964-08" /
 * "1964"; a date with nothing known gives "".  Month and day are checked
 * against the calendar.  -EID_EPARSE otherwise (wrong size, other
 * characters, a known day with an unknown month).  out has 11 bytes.
 */
int eid_eidata_date(const uint8_t *d, size_t n, char out[11]);

/* DG14 (written signature): the JPEG 2000 image bytes inside, as a view
 * into data.  -EID_EPARSE when malformed, -EID_ENOTFOUND when empty. */
int eid_eidata_signature_image(const uint8_t *data, size_t n, eid_cbs *image);

#endif
