/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LDS data groups of an eMRTD (ICAO 9303-10): EF.COM, DG1 (MRZ), DG2 (face,
 * ISO/IEC 19794-5:2005 or ISO/IEC 39794-5), DG11 (additional personal
 * details), DG12 (additional document details), DG14 (unwrapped only; the
 * SecurityInfos inside belong to secinfo.h) and DG15 (Active Authentication
 * public key); plus the table of file identifiers the read flow selects.
 *
 * Every parser takes the whole file as read from the chip, outer tag
 * included.  The outer TLV must fill the input exactly (trailing bytes are an
 * error), the file is at most EID_LDS_MAX_FILE bytes, and every length inside
 * is checked against what contains it.  Unknown tags inside a data group are
 * skipped; a known tag that appears twice is an error.  Text is UTF-8: invalid
 * UTF-8, NUL and control characters other than TAB, CR and LF are rejected
 * (-EID_EPARSE), never passed on.
 *
 * DG1, DG2, DG11 and DG12 hold personal data: every structure is wiped by its
 * *_clear() / *_free() (which accept NULL).  Nothing here logs.
 */
#ifndef EID_LDS_H
#define EID_LDS_H

#include "buf.h"
#include "mrz.h"

#define EID_LDS_MAX_FILE      (1u << 22) /* largest data group accepted (4 MiB) */
#define EID_LDS_MAX_FACES     16         /* face images in one DG2 */
#define EID_LDS_MAX_IMAGE_DIM 16384      /* width or height of a face image */
#define EID_LDS_MAX_TEXT      4096       /* bytes of one DG11/DG12 text field */
#define EID_LDS_MAX_NAMES     32         /* other names (DG11), other persons (DG12) */
#define EID_LDS_TAG_LIST_MAX  32         /* entries of a 5C tag list */
#define EID_LDS_MRZ_TEXT_MAX  96         /* DG1 MRZ text with newlines + NUL */

/* ---- files: identifiers for the read flow ---- */

/*
 * A file is named by its data group number 1..16, or by one of these.  The
 * value is also the file's short file identifier (SFI).
 */
enum eid_lds_ef {
	EID_LDS_EF_CARDACCESS = 0x1C, /* in the master file, not the eMRTD application */
	EID_LDS_EF_SOD = 0x1D,
	EID_LDS_EF_COM = 0x1E,
};

struct eid_lds_ef_info {
	int ef;            /* 1..16 for DG1..DG16, or an enum eid_lds_ef value */
	const char *name;  /* "DG1", "EF.COM", "EF.SOD", "EF.CardAccess" */
	uint16_t fid;      /* 0x0101..0x0110, 0x011E, 0x011D, 0x011C */
	uint8_t sfi;       /* 1..16, 0x1E, 0x1D, 0x1C */
	uint8_t tag;       /* first byte of the file: 0x61.., 0x60, 0x77; 0x31 for
			      EF.CardAccess (a bare SET) */
	bool in_mf;        /* selected in the master file (EF.CardAccess) */
};

/* Identifiers of a file; NULL for an unknown ef. */
const struct eid_lds_ef_info *eid_lds_ef_info(int ef);
/* The data group (1..16) whose file starts with tag (0x61 -> 1, 0x75 -> 2,
 * ... 0x70 -> 16), EID_LDS_EF_COM for 0x60, EID_LDS_EF_SOD for 0x77;
 * -EID_ENOTFOUND otherwise. */
int eid_lds_ef_from_tag(uint8_t tag);

/* ---- EF.COM (tag 60) ---- */

struct eid_lds_com {
	char lds_version[5];      /* 5F01 "aabb", e.g. "0107" */
	char unicode_version[7];  /* 5F36 "aabbcc", e.g. "040000" */
	uint32_t dgs;             /* bit n set: DGn is in the tag list (n = 1..16) */
	size_t n_unknown_tags;    /* tag list bytes that name no data group */
};

/* All three elements are mandatory; the versions must be digits. */
int eid_lds_com_parse(const uint8_t *data, size_t n, struct eid_lds_com *out);
bool eid_lds_com_has_dg(const struct eid_lds_com *com, int dg);

/* ---- DG1 (tag 61 { 5F1F MRZ }) ---- */

struct eid_lds_dg1 {
	enum eid_mrz_format format;     /* from the length: 90 TD1, 72 TD2, 88 TD3 */
	char mrz[EID_LDS_MRZ_TEXT_MAX]; /* lines joined by '\n', NUL-terminated */
	size_t mrz_len;                 /* strlen(mrz) */
};

/* The MRZ must be 90, 72 or 88 characters of [0-9A-Z<]. */
int eid_lds_dg1_parse(const uint8_t *data, size_t n, struct eid_lds_dg1 *out);
/* DG1 straight into eid_mrz_parse() (check digits in out->check/valid). */
int eid_lds_dg1_parse_mrz(const uint8_t *data, size_t n, struct eid_mrz *out);
void eid_lds_dg1_clear(struct eid_lds_dg1 *dg1);

/* ---- DG2 (tag 75): face images ---- */

enum eid_lds_image_type {
	EID_LDS_IMAGE_JPEG = 1,  /* starts FF D8 FF */
	EID_LDS_IMAGE_JP2,       /* JPEG 2000 file format: 0000000C 6A502020 0D0A870A */
	EID_LDS_IMAGE_J2K,       /* JPEG 2000 codestream: FF4F FF51 */
};

/* Type of an image by its magic bytes; 0 when none is recognised. */
enum eid_lds_image_type eid_lds_image_detect(const uint8_t *img, size_t n);
/* "image/jpeg" for JPEG, "image/jp2" for both JPEG 2000 forms; NULL otherwise. */
const char *eid_lds_image_mime(enum eid_lds_image_type t);

enum eid_lds_bdb_encoding {
	EID_LDS_ISO19794 = 1,    /* 5F2E: ISO/IEC 19794-5:2005 "FAC\0" "010\0" */
	EID_LDS_ISO39794,        /* 7F2E: ISO/IEC 39794-5 (ICAO application profile) */
};

struct eid_lds_face {
	enum eid_lds_bdb_encoding encoding;
	uint16_t format_owner;   /* BHT 87 (0x0101 = ISO/IEC JTC 1/SC 37) */
	uint16_t format_type;    /* BHT 88 (0x0008 = 19794-5 face image) */
	enum eid_lds_image_type image_type; /* from the magic; agrees with the
					       declared data type */
	const char *mime;        /* eid_lds_image_mime(image_type) */
	unsigned width, height;  /* pixels; 0 when the record does not say (39794) */
	eid_buf image;           /* copy of the image bytes (wiped on free) */

	/* ISO/IEC 19794-5 facial information; -1 when not given (39794) */
	int face_image_type;     /* 0 basic, 1 full frontal, 2 token frontal */
	int gender;              /* 0 unspecified, 1 male, 2 female, 3 unknown */
	int eye_colour;
	int hair_colour;
	int colour_space;
	int source_type;
	int n_feature_points;

	/* ISO/IEC 39794-5 version block; 0 when not given (19794) */
	unsigned version_generation;
	unsigned version_year;
};

struct eid_lds_dg2 {
	struct eid_lds_face *faces; /* in file order: BIT by BIT, face by face */
	size_t n;
};

/*
 * 75 { 7F61 { 02 count, 7F60 { A1 BHT, 5F2E or 7F2E BDB } ... } }.
 * Each face's image must start with the magic of its declared type (JPEG or
 * JPEG 2000), else -EID_EPARSE; width and height, where given, must be
 * 1..EID_LDS_MAX_IMAGE_DIM.  A protected template (7D) or another record
 * version or image format is -EID_ENOTSUP.
 */
int eid_lds_dg2_parse(const uint8_t *data, size_t n, struct eid_lds_dg2 **out);
void eid_lds_dg2_free(struct eid_lds_dg2 *dg2);

/* ---- DG11 (tag 6B): additional personal details ---- */

struct eid_lds_dg11 {
	uint32_t tag_list[EID_LDS_TAG_LIST_MAX]; /* 5C (mandatory) */
	size_t n_tag_list;
	/* Text fields: NUL-terminated UTF-8, NULL when absent. */
	char *full_name;            /* 5F0E, '<' fillers as single spaces, trimmed */
	char *full_name_primary;    /* 5F0E before the first "<<", as above */
	char *full_name_secondary;  /* 5F0E after it ("" when there is none) */
	char **other_names;         /* A0 { 02 count, 5F0F ... }, as full_name */
	size_t n_other_names;
	char *personal_number;      /* 5F10 */
	char date_of_birth[9];      /* 5F2B "YYYYMMDD" (8 digits or 4 BCD bytes); "" absent */
	char *place_of_birth;       /* 5F11, as on the chip ('<' separates parts) */
	char *address;              /* 5F42, as on the chip ('<' separates parts) */
	char *telephone;            /* 5F12 */
	char *profession;           /* 5F13 */
	char *title;                /* 5F14 */
	char *personal_summary;     /* 5F15 */
	eid_buf proof_of_citizenship; /* 5F16: image bytes; empty when absent */
	char *other_td_numbers;     /* 5F17, as on the chip ('<' separates numbers) */
	char *custody_info;         /* 5F18 */
};

int eid_lds_dg11_parse(const uint8_t *data, size_t n, struct eid_lds_dg11 **out);
void eid_lds_dg11_free(struct eid_lds_dg11 *dg11);

/* ---- DG12 (tag 6C): additional document details ---- */

struct eid_lds_dg12 {
	uint32_t tag_list[EID_LDS_TAG_LIST_MAX]; /* 5C (mandatory) */
	size_t n_tag_list;
	char *issuing_authority;    /* 5F19 */
	char date_of_issue[9];      /* 5F26 "YYYYMMDD"; "" absent */
	char **other_persons;       /* A0 { 02 count, 5F1A ... }, '<' as spaces */
	size_t n_other_persons;
	char *endorsements;         /* 5F1B */
	char *tax_exit;             /* 5F1C tax/exit requirements */
	eid_buf image_front;        /* 5F1D; empty when absent */
	eid_buf image_rear;         /* 5F1E; empty when absent */
	char personalisation_time[15]; /* 5F55 "YYYYMMDDhhmmss" (14 digits or
					  7 BCD bytes); "" absent */
	char *personaliser_serial;  /* 5F56 */
};

int eid_lds_dg12_parse(const uint8_t *data, size_t n, struct eid_lds_dg12 **out);
void eid_lds_dg12_free(struct eid_lds_dg12 *dg12);

/* ---- DG14 (tag 6E): unwrapped for secinfo.h ---- */

/* *set = the SecurityInfos SET element inside 6E (31 L ..., tag and length
 * included), pointing into data; it must fill the 6E exactly. */
int eid_lds_dg14_unwrap(const uint8_t *data, size_t n, eid_cbs *set);

/* ---- DG15 (tag 6F): Active Authentication public key ---- */

enum eid_lds_key_type {
	EID_LDS_KEY_RSA = 1,     /* rsaEncryption */
	EID_LDS_KEY_EC,          /* id-ecPublicKey */
};

struct eid_lds_dg15 {
	enum eid_lds_key_type key_type;
	unsigned bits;           /* modulus or field size */
	eid_buf spki;            /* the SubjectPublicKeyInfo DER (30 L ...) */
};

/* The SPKI must fill the 6F exactly and be accepted by OpenSSL
 * (d2i_PUBKEY); another key algorithm is -EID_ENOTSUP. */
int eid_lds_dg15_parse(const uint8_t *data, size_t n, struct eid_lds_dg15 *out);
void eid_lds_dg15_clear(struct eid_lds_dg15 *dg15);

#endif
