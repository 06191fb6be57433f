/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The document holder's data as the D-Bus result names it (dbus-api.md,
 * "The result"): one struct for passports (from the MRZ and DG11) and for
 * the German eID (from its data groups).  Every string is UTF-8, owned,
 * NUL-terminated and wiped when freed; NULL means "not on this document" or
 * "not read".  Dates are ISO 8601: "1964-08-12", partial "1964-08" / "1964".
 */
#ifndef EID_HOLDER_H
#define EID_HOLDER_H

#include "eid.h"

struct eid_holder_place {
	char *street, *city, *state, *zip, *country; /* structured place */
	char *free_text;                             /* free-text place (or "no place" text) */
};

struct eid_holder {
	char *document_type;      /* "P", "ID", "AR", ... */
	char *issuing_state;      /* "UTO", "D" (filler removed) */
	char *document_number;
	char *date_of_expiry;
	char *date_of_issuance;   /* eID DG15 */
	char *given_names;
	char *family_name;
	char *date_of_birth;
	char *nationality;
	char *sex;                /* "F", "M", "X" */
	char *place_of_birth;     /* one line: free text, or "city, country" */
	char *birth_name;         /* eID DG13 */
	char *academic_title;     /* eID DG7 */
	char *artistic_name;      /* eID DG6 */
	char *community_id;       /* eID DG18 as hex digits, e.g. "02760503150000" */
	char *residence_permit_1; /* eID DG19 text */
	char *residence_permit_2; /* eID DG20 text */
	char *phone_number;       /* eID DG21 */
	char *email_address;      /* eID DG22 */
	char *mrz;                /* passports: the MRZ lines joined with '\n' */
	struct eid_holder_place address; /* eID DG17 (first place of residence) */
	bool have_address;
};

/* Replace *field with a copy of s[0..n) (a NUL-terminated copy); the old
 * value is wiped.  -EID_ENOMEM on failure. */
int eid_holder_set(char **field, const char *s, size_t n);
/* Wipe and free every field; the struct is zeroed and reusable. */
void eid_holder_clear(struct eid_holder *h);

#endif
