/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decoders for what a card and a reader say about themselves, for
 * eid-diag check: the ATR (ISO/IEC 7816-3 8.2), the ATS (ISO/IEC 14443-4
 * 5.2), historical bytes (ISO/IEC 7816-4 8.1.1), PC/SC part 3 contactless
 * ATRs (3B 8n 80 01 ...) and PC/SC part 10 reader blobs (the feature list
 * of CM_IOCTL_GET_FEATURE_REQUEST and the TLV properties of
 * FEATURE_GET_TLV_PROPERTIES).  All input is hostile: parsed through the
 * cursor; malformed input gives -EID_EPARSE and never a crash.
 */
#ifndef EID_DIAG_ATR_H
#define EID_DIAG_ATR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIAG_ATR_MAX 33          /* longest ATR (ISO/IEC 7816-3) */
#define DIAG_ATR_MAX_LEVELS 8    /* interface byte groups kept */
#define DIAG_HIST_MAX 15         /* historical bytes (T0 low nibble) */
#define DIAG_ATS_MAX 254         /* longest ATS (TL is one byte, FSD 256) */

/* ISO/IEC 7816-4 8.1.1 historical bytes. */
struct diag_hist_item {
	uint8_t tag;                 /* compact-TLV tag (high nibble), 1..15 */
	uint8_t len;
	uint8_t value[DIAG_HIST_MAX];
};

struct diag_hist {
	uint8_t category;            /* category indicator: 00, 10, 80 (8x proprietary) */
	struct diag_hist_item items[DIAG_HIST_MAX];
	size_t n_items;
	bool has_status;             /* status indicator: LCS and/or SW1 SW2 */
	uint8_t lcs;                 /* life cycle status (0 when absent) */
	uint16_t sw;                 /* 0 when absent */
	uint8_t dir_ref;             /* category 10: DIR data reference */
	bool has_caps;               /* card capabilities (tag 7) present */
	bool ext_lc_le;              /* card capabilities: extended Lc and Le fields */
	bool chaining;               /* card capabilities: command chaining */
};

/* What a PC/SC part 3 ATR of a contactless card says the card is. */
enum diag_cl_kind {
	DIAG_CL_NONE = 0,            /* a contact card's ATR */
	DIAG_CL_ISO14443_4,          /* ISO 14443-4 (type A): ATS historical bytes */
	DIAG_CL_ISO14443_B,          /* ISO 14443-4 type B: ATQB data, protocol info, MBLI */
	DIAG_CL_STORAGE,             /* a memory card: RID A000000306, standard, name */
};

struct diag_atr_level {
	uint8_t present;             /* bit 0 TA, 1 TB, 2 TC, 3 TD */
	uint8_t ta, tb, tc, td;
};

struct diag_atr {
	uint8_t ts, t0;
	struct diag_atr_level level[DIAG_ATR_MAX_LEVELS]; /* level[0] holds TA1..TD1 */
	size_t n_levels;
	uint16_t protocols;          /* bit n: T=n offered (T=0 when there is no TD1) */
	uint8_t hist[DIAG_HIST_MAX];
	size_t hist_len;
	bool hist_ok;                /* hist decoded into hb (ISO/IEC 7816-4) */
	struct diag_hist hb;
	bool has_tck;
	uint8_t tck;
	bool tck_ok;                 /* exclusive-or of T0..TCK is zero */
	enum diag_cl_kind contactless;
	uint8_t storage_standard;    /* DIAG_CL_STORAGE: SS */
	uint16_t storage_name;       /* DIAG_CL_STORAGE: NN NN */
	uint8_t atqb_app[4];         /* DIAG_CL_ISO14443_B: application data */
	uint8_t atqb_proto[3];       /* its protocol info */
	uint8_t mbli;                /* its MBLI (high nibble of the last byte) */
	unsigned max_frame;          /* FSC in bytes from the protocol info; 0 unknown */
};

struct diag_ats {
	uint8_t tl, t0;
	bool has_ta, has_tb, has_tc;
	uint8_t ta, tb, tc;
	unsigned fsc;                /* from FSCI: frame size the card takes */
	uint8_t fwi, sfgi;           /* TB: frame waiting time and start-up guard time */
	bool nad, cid;               /* TC: NAD and CID supported */
	uint8_t hist[DIAG_ATS_MAX];
	size_t hist_len;
	bool hist_ok;
	struct diag_hist hb;
};

/* PC/SC part 10: a feature of the reader (CM_IOCTL_GET_FEATURE_REQUEST). */
#define DIAG_PART10_MAX 32
struct diag_part10 {
	struct {
		uint8_t tag;         /* FEATURE_* */
		uint32_t ioctl;      /* control code, big endian on the wire */
	} f[DIAG_PART10_MAX];
	size_t n;
};

/* PC/SC part 10 2.6.14 TLV properties (values little endian on the wire). */
#define DIAG_PROP_LCD_LAYOUT      0x01
#define DIAG_PROP_ENTRY_VALIDATION 0x02
#define DIAG_PROP_TIMEOUT2        0x03
#define DIAG_PROP_LCD_MAX_CHARS   0x04
#define DIAG_PROP_LCD_MAX_LINES   0x05
#define DIAG_PROP_MIN_PIN         0x06
#define DIAG_PROP_MAX_PIN         0x07
#define DIAG_PROP_FIRMWARE_ID     0x08
#define DIAG_PROP_PPDU_SUPPORT    0x09
#define DIAG_PROP_MAX_APDU        0x0A
#define DIAG_PROP_VENDOR_ID       0x0B
#define DIAG_PROP_PRODUCT_ID      0x0C
struct diag_part10_props {
	uint32_t present;            /* bit n: property tag n seen (n <= 31) */
	uint16_t lcd_layout, lcd_max_chars, lcd_max_lines;
	uint8_t entry_validation, timeout2, min_pin, max_pin, ppdu_support;
	uint32_t max_apdu;           /* dwMaxAPDUDataSize: 0 short APDUs only */
	uint16_t vendor_id, product_id;
	char firmware[65];           /* printable ASCII, others as '?' */
};

/* Parse an ATR.  -EID_EPARSE when malformed: bad TS, bytes missing,
 * bytes after the TCK, more interface levels than an ATR can hold. */
int diag_atr_parse(const uint8_t *atr, size_t n, struct diag_atr *out);
/* Parse an ATS (TL first; TL must equal n). */
int diag_ats_parse(const uint8_t *ats, size_t n, struct diag_ats *out);
/* Historical bytes as ISO/IEC 7816-4 8.1.1; -EID_EPARSE if not of that form. */
int diag_hist_parse(const uint8_t *h, size_t n, struct diag_hist *out);
/* Frame size for an FSCI / Max_Frame_Size code (ISO/IEC 14443-4); 0 RFU. */
unsigned diag_fsc(uint8_t code);

/* The feature list: (tag, 04, control code) triples filling the input. */
int diag_part10_features_parse(const uint8_t *b, size_t n, struct diag_part10 *out);
/* The TLV properties; unknown tags are skipped, known ones must have
 * their size. */
int diag_part10_props_parse(const uint8_t *b, size_t n, struct diag_part10_props *out);
/* "VERIFY_PIN_DIRECT", "EXECUTE_PACE", ...; NULL when unknown. */
const char *diag_part10_feature_name(uint8_t tag);
/* "card capabilities", "country code", ... for a compact-TLV tag. */
const char *diag_hist_tag_name(uint8_t tag);
/* "ISO 14443-4", "ISO 14443-4 type B", "storage card", "contact". */
const char *diag_cl_kind_name(enum diag_cl_kind k);

#endif
