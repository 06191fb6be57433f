/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Machine readable zone (ICAO 9303-3/4/5/6): TD1 (3x30), TD2 (2x36),
 * TD3 (2x44).  Check digits are verified per field and reported, never
 * silently accepted.  The structure holds personal data: clear it with
 * eid_mrz_clear() when done.
 */
#ifndef EID_MRZ_H
#define EID_MRZ_H

#include "eid.h"

enum eid_mrz_format { EID_MRZ_TD1 = 1, EID_MRZ_TD2, EID_MRZ_TD3 };

enum eid_mrz_check {
	EID_MRZ_CHECK_DOCNUM = 0,
	EID_MRZ_CHECK_DOB,
	EID_MRZ_CHECK_DOE,
	EID_MRZ_CHECK_OPTIONAL,   /* TD3 personal number check digit ('<' allowed when empty) */
	EID_MRZ_CHECK_COMPOSITE,
	EID_MRZ_CHECK_COUNT
};

enum eid_mrz_result { EID_MRZ_NA = 0, EID_MRZ_OK, EID_MRZ_BAD };

struct eid_mrz {
	enum eid_mrz_format format;
	char document_code[3];
	char issuing_state[4];
	char document_number[32];     /* filler removed; long numbers joined */
	char date_of_birth[7];        /* YYMMDD as printed */
	char date_of_expiry[7];
	char sex[2];
	char nationality[4];
	char family_name[64];         /* '<' turned into spaces, trimmed */
	char given_names[64];
	char optional_data[32];       /* filler removed */
	char optional_data2[32];      /* TD1 line 2 optional data */
	enum eid_mrz_result check[EID_MRZ_CHECK_COUNT];
	bool valid;                   /* every applicable check digit is right */
};

/*
 * Conventions: an unspecified sex ('<') is reported as "X"; trailing
 * fillers are removed from codes, states, numbers and optional data; a
 * visa (document code "V...", ICAO 9303-7 MRV-A 2x44 / MRV-B 2x36) has no
 * optional-data or composite check digit (both EID_MRZ_NA).
 * eid_mrz_key_hash_from() returns -EID_ECHECKDIGIT when the document
 * number, date of birth or date of expiry failed its check digit.
 */

/*
 * Parse MRZ text: lines separated by newlines (CR ignored) or given
 * concatenated without separators (90, 72 or 88 characters).  Surrounding
 * whitespace is ignored.  Returns 0 when the text has the shape of an MRZ
 * (check digits are then in out->check / out->valid), -EID_EPARSE when it
 * is not an MRZ.
 */
int eid_mrz_parse(const char *text, struct eid_mrz *out);
/* Parse from separate lines. */
int eid_mrz_parse_lines(const char *const *lines, size_t nlines, struct eid_mrz *out);
void eid_mrz_clear(struct eid_mrz *m);

/*
 * The four-digit year of a YYMMDD MRZ date, seen from the year `now`: a birth
 * date is never in the future; an expiry date is at most 20 years ahead
 * (documents are valid for 10 years at most).  -1 when not a date.
 */
int eid_mrz_year(const char *yymmdd, bool birth, int now);
/* YYMMDD as ISO 8601 ("1996-08-12") in out[11]; "" when not a date. */
void eid_mrz_iso_date(const char *yymmdd, bool birth, int now, char out[11]);

/*
 * Parse MRZ bytes of a given length (e.g. the value of DG1's tag 5F1F), by
 * the same rules as eid_mrz_parse(); a NUL byte is an invalid character.
 * When the input is not an MRZ and why is not NULL, *why is set to a short
 * static English reason that quotes none of the input (for diagnostics).
 */
int eid_mrz_parse_bytes(const uint8_t *data, size_t len, struct eid_mrz *out,
			const char **why);

/* Check digit (0..9) over n characters of [0-9A-Z<]; -EID_EPARSE otherwise. */
int eid_mrz_check_digit(const char *s, size_t n);

/*
 * MRZ_information: document number (padded with '<' to at least 9) + its
 * check digit + date of birth + check digit + date of expiry + check digit.
 * out must hold 64 bytes.  -EID_EINVAL on a malformed field.
 */
int eid_mrz_information(const char *document_number, const char *date_of_birth,
			const char *date_of_expiry, char out[64]);
/* SHA-1 of MRZ_information: the PACE MRZ password K (20 bytes) whose first
 * 16 bytes are the BAC key seed. */
int eid_mrz_key_hash(const char *document_number, const char *date_of_birth,
		     const char *date_of_expiry, uint8_t out[20]);
/* The same from a parsed MRZ. */
int eid_mrz_key_hash_from(const struct eid_mrz *m, uint8_t out[20]);

#endif
