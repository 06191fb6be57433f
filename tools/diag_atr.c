/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ATR, ATS, historical bytes and PC/SC part 10 reader blobs, decoded for
 * eid-diag check (see diag_atr.h).
 */
#include <string.h>

#include "buf.h"
#include "eid.h"
#include "diag_atr.h"

unsigned diag_fsc(uint8_t code)
{
	static const unsigned fsc[] = { 16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096 };

	return code < sizeof(fsc) / sizeof(fsc[0]) ? fsc[code] : 0;
}

const char *diag_hist_tag_name(uint8_t tag)
{
	switch (tag) {
	case 0x1: return "country code";
	case 0x2: return "issuer identification number";
	case 0x3: return "card service data";
	case 0x4: return "initial access data";
	case 0x5: return "card issuer's data";
	case 0x6: return "pre-issuing data";
	case 0x7: return "card capabilities";
	case 0x8: return "status indicator";
	case 0xF: return "application identifier";
	default: return "unknown";
	}
}

const char *diag_cl_kind_name(enum diag_cl_kind k)
{
	switch (k) {
	case DIAG_CL_ISO14443_4: return "ISO 14443-4";
	case DIAG_CL_ISO14443_B: return "ISO 14443-4 type B";
	case DIAG_CL_STORAGE: return "storage card";
	default: return "contact";
	}
}

/* A status word that a card could put in its status indicator. */
static bool plausible_sw(uint16_t sw)
{
	uint8_t sw1 = (uint8_t)(sw >> 8);

	return (sw1 >= 0x61 && sw1 <= 0x6F) || (sw1 >= 0x90 && sw1 <= 0x9F);
}

static int status_indicator(struct diag_hist *h, const eid_cbs *v)
{
	eid_cbs c = *v;
	uint16_t sw = 0;

	switch (eid_cbs_len(&c)) {
	case 1:
		if (!eid_cbs_get_u8(&c, &h->lcs))
			return -EID_EPARSE;
		h->has_status = true;
		return 0;
	case 2:
		if (!eid_cbs_get_u16(&c, &sw))
			return -EID_EPARSE;
		break;
	case 3:
		if (!eid_cbs_get_u8(&c, &h->lcs) || !eid_cbs_get_u16(&c, &sw))
			return -EID_EPARSE;
		break;
	default:
		return -EID_EPARSE;
	}
	if (!plausible_sw(sw))
		return -EID_EPARSE;
	h->sw = sw;
	h->has_status = true;
	return 0;
}

/* Compact-TLV objects filling c. */
static int compact_tlv(struct diag_hist *h, eid_cbs *c)
{
	while (eid_cbs_len(c)) {
		struct diag_hist_item *it;
		uint8_t b;
		eid_cbs v;

		if (!eid_cbs_get_u8(c, &b) || (b >> 4) == 0 || h->n_items >= DIAG_HIST_MAX)
			return -EID_EPARSE;
		if (!eid_cbs_get_bytes(c, &v, b & 0x0F))
			return -EID_EPARSE;
		it = &h->items[h->n_items++];
		it->tag = b >> 4;
		it->len = b & 0x0F;
		if (it->len)
			memcpy(it->value, eid_cbs_data(&v), it->len);
		if (it->tag == 0x7) {
			if (it->len < 1 || it->len > 3)
				return -EID_EPARSE;
			h->has_caps = true;
			if (it->len == 3) {
				h->ext_lc_le = (it->value[2] & 0x40) != 0;
				h->chaining = (it->value[2] & 0x80) != 0;
			}
		} else if (it->tag == 0x8 && status_indicator(h, &v) < 0) {
			return -EID_EPARSE;
		}
	}
	return 0;
}

int diag_hist_parse(const uint8_t *hb, size_t n, struct diag_hist *h)
{
	eid_cbs c, status;

	memset(h, 0, sizeof(*h));
	if (!hb || n == 0 || n > DIAG_HIST_MAX)
		return -EID_EPARSE;
	eid_cbs_init(&c, hb, n);
	if (!eid_cbs_get_u8(&c, &h->category))
		return -EID_EPARSE;
	switch (h->category) {
	case 0x00:
		/* compact-TLV objects, then LCS SW1 SW2 as the last three bytes */
		if (!eid_cbs_get_last(&c, &status, 3))
			return -EID_EPARSE;
		if (compact_tlv(h, &c) < 0)
			return -EID_EPARSE;
		return status_indicator(h, &status);
	case 0x10:
		return eid_cbs_get_u8(&c, &h->dir_ref) && !eid_cbs_len(&c) ? 0 : -EID_EPARSE;
	case 0x80:
		return compact_tlv(h, &c);
	default:
		/* 81..8F: proprietary, not decoded */
		return (h->category & 0xF0) == 0x80 ? 0 : -EID_EPARSE;
	}
}

static void contactless(struct diag_atr *a)
{
	static const uint8_t storage[] = { 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06 };

	if (a->ts != 0x3B || (a->t0 & 0xF0) != 0x80 || a->n_levels != 2 ||
	    a->level[0].present != 0x08 || a->level[0].td != 0x80 ||
	    a->level[1].present != 0x08 || a->level[1].td != 0x01)
		return;
	if (a->hist_len == 15 && !memcmp(a->hist, storage, sizeof(storage))) {
		a->contactless = DIAG_CL_STORAGE;
		a->storage_standard = a->hist[8];
		a->storage_name = (uint16_t)(a->hist[9] << 8 | a->hist[10]);
		return;
	}
	if (!a->hist_ok && a->hist_len == 8) {
		/* ATQB application data, protocol info, MBLI (PC/SC part 3 3.1.3.2.3.2) */
		a->contactless = DIAG_CL_ISO14443_B;
		memcpy(a->atqb_app, a->hist, 4);
		memcpy(a->atqb_proto, a->hist + 4, 3);
		a->mbli = a->hist[7] >> 4;
		a->max_frame = diag_fsc(a->atqb_proto[1] >> 4);
		return;
	}
	a->contactless = DIAG_CL_ISO14443_4;
}

int diag_atr_parse(const uint8_t *atr, size_t n, struct diag_atr *a)
{
	uint8_t y, x = 0;
	size_t level = 0;
	eid_cbs c;

	memset(a, 0, sizeof(*a));
	if (!atr || n < 2 || n > DIAG_ATR_MAX)
		return -EID_EPARSE;
	eid_cbs_init(&c, atr, n);
	if (!eid_cbs_get_u8(&c, &a->ts) || (a->ts != 0x3B && a->ts != 0x3F) ||
	    !eid_cbs_get_u8(&c, &a->t0))
		return -EID_EPARSE;
	y = a->t0 >> 4;
	for (;;) {
		struct diag_atr_level *l = &a->level[level];

		if ((y & 1) && !eid_cbs_get_u8(&c, &l->ta))
			return -EID_EPARSE;
		if ((y & 2) && !eid_cbs_get_u8(&c, &l->tb))
			return -EID_EPARSE;
		if ((y & 4) && !eid_cbs_get_u8(&c, &l->tc))
			return -EID_EPARSE;
		l->present = y & 7;
		if (!(y & 8))
			break;
		if (!eid_cbs_get_u8(&c, &l->td))
			return -EID_EPARSE;
		l->present |= 8;
		a->protocols |= (uint16_t)(1u << (l->td & 0x0F));
		y = l->td >> 4;
		if (++level >= DIAG_ATR_MAX_LEVELS)
			return -EID_EPARSE;
	}
	a->n_levels = level + (a->level[level].present ? 1 : 0);
	if (!(a->level[0].present & 8))
		a->protocols = 1; /* T=0 */
	a->hist_len = a->t0 & 0x0F;
	if (!eid_cbs_copy(&c, a->hist, a->hist_len))
		return -EID_EPARSE;
	/* TCK is there unless T=0 is the only protocol indicated */
	if (a->protocols & ~1u) {
		if (!eid_cbs_get_u8(&c, &a->tck))
			return -EID_EPARSE;
		a->has_tck = true;
		for (size_t i = 1; i < n; i++)
			x ^= atr[i];
		a->tck_ok = x == 0;
	}
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	a->hist_ok = a->hist_len && diag_hist_parse(a->hist, a->hist_len, &a->hb) == 0;
	if (!a->hist_ok)
		memset(&a->hb, 0, sizeof(a->hb));
	contactless(a);
	return 0;
}

int diag_ats_parse(const uint8_t *ats, size_t n, struct diag_ats *s)
{
	eid_cbs c;

	memset(s, 0, sizeof(*s));
	if (!ats || n == 0)
		return -EID_EPARSE;
	eid_cbs_init(&c, ats, n);
	if (!eid_cbs_get_u8(&c, &s->tl) || s->tl != n)
		return -EID_EPARSE;
	s->fsc = diag_fsc(2); /* default FSCI when T0 is absent */
	if (!eid_cbs_len(&c))
		return 0;
	if (!eid_cbs_get_u8(&c, &s->t0) || (s->t0 & 0x80))
		return -EID_EPARSE;
	s->fsc = diag_fsc(s->t0 & 0x0F);
	if (s->fsc == 0)
		s->fsc = 256; /* RFU codes: treat as the largest of ISO/IEC 14443-4:2008 */
	if (s->t0 & 0x10) {
		if (!eid_cbs_get_u8(&c, &s->ta))
			return -EID_EPARSE;
		s->has_ta = true;
	}
	if (s->t0 & 0x20) {
		if (!eid_cbs_get_u8(&c, &s->tb))
			return -EID_EPARSE;
		s->has_tb = true;
		s->fwi = s->tb >> 4;
		s->sfgi = s->tb & 0x0F;
	}
	if (s->t0 & 0x40) {
		if (!eid_cbs_get_u8(&c, &s->tc))
			return -EID_EPARSE;
		s->has_tc = true;
		s->nad = (s->tc & 0x01) != 0;
		s->cid = (s->tc & 0x02) != 0;
	}
	s->hist_len = eid_cbs_len(&c);
	if (!eid_cbs_copy(&c, s->hist, s->hist_len))
		return -EID_EPARSE;
	s->hist_ok = s->hist_len && s->hist_len <= DIAG_HIST_MAX &&
		     diag_hist_parse(s->hist, s->hist_len, &s->hb) == 0;
	if (!s->hist_ok)
		memset(&s->hb, 0, sizeof(s->hb));
	return 0;
}

const char *diag_part10_feature_name(uint8_t tag)
{
	static const char *const names[] = {
		[0x01] = "VERIFY_PIN_START", [0x02] = "VERIFY_PIN_FINISH",
		[0x03] = "MODIFY_PIN_START", [0x04] = "MODIFY_PIN_FINISH",
		[0x05] = "GET_KEY_PRESSED", [0x06] = "VERIFY_PIN_DIRECT",
		[0x07] = "MODIFY_PIN_DIRECT", [0x08] = "MCT_READER_DIRECT",
		[0x09] = "MCT_UNIVERSAL", [0x0A] = "IFD_PIN_PROPERTIES",
		[0x0B] = "ABORT", [0x0C] = "SET_SPE_MESSAGE",
		[0x0D] = "VERIFY_PIN_DIRECT_APP_ID", [0x0E] = "MODIFY_PIN_DIRECT_APP_ID",
		[0x0F] = "WRITE_DISPLAY", [0x10] = "GET_KEY",
		[0x11] = "IFD_DISPLAY_PROPERTIES", [0x12] = "GET_TLV_PROPERTIES",
		[0x13] = "CCID_ESC_COMMAND", [0x20] = "EXECUTE_PACE",
	};

	return tag < sizeof(names) / sizeof(names[0]) ? names[tag] : NULL;
}

int diag_part10_features_parse(const uint8_t *b, size_t n, struct diag_part10 *out)
{
	eid_cbs c;

	memset(out, 0, sizeof(*out));
	eid_cbs_init(&c, b, b ? n : 0);
	while (eid_cbs_len(&c)) {
		uint8_t tag, len;
		uint32_t code;

		if (!eid_cbs_get_u8(&c, &tag) || !eid_cbs_get_u8(&c, &len) || len != 4 ||
		    !eid_cbs_get_u32(&c, &code))
			return -EID_EPARSE;
		if (out->n >= DIAG_PART10_MAX)
			return -EID_ETOOBIG;
		out->f[out->n].tag = tag;
		out->f[out->n].ioctl = code;
		out->n++;
	}
	return 0;
}

/* A little-endian number of exactly `size` bytes. */
static bool get_le(const eid_cbs *v, size_t size, uint32_t *out)
{
	const uint8_t *p = eid_cbs_data(v);

	if (eid_cbs_len(v) != size)
		return false;
	*out = 0;
	for (size_t i = size; i-- > 0;)
		*out = *out << 8 | p[i];
	return true;
}

int diag_part10_props_parse(const uint8_t *b, size_t n, struct diag_part10_props *p)
{
	static const uint8_t sizes[] = {
		[DIAG_PROP_LCD_LAYOUT] = 2, [DIAG_PROP_ENTRY_VALIDATION] = 1,
		[DIAG_PROP_TIMEOUT2] = 1, [DIAG_PROP_LCD_MAX_CHARS] = 2,
		[DIAG_PROP_LCD_MAX_LINES] = 2, [DIAG_PROP_MIN_PIN] = 1, [DIAG_PROP_MAX_PIN] = 1,
		[DIAG_PROP_FIRMWARE_ID] = 0, [DIAG_PROP_PPDU_SUPPORT] = 1,
		[DIAG_PROP_MAX_APDU] = 4, [DIAG_PROP_VENDOR_ID] = 2, [DIAG_PROP_PRODUCT_ID] = 2,
	};
	eid_cbs c;

	memset(p, 0, sizeof(*p));
	eid_cbs_init(&c, b, b ? n : 0);
	while (eid_cbs_len(&c)) {
		uint8_t tag, len;
		uint32_t v = 0;
		eid_cbs val;

		if (!eid_cbs_get_u8(&c, &tag) || !eid_cbs_get_u8(&c, &len) ||
		    !eid_cbs_get_bytes(&c, &val, len))
			return -EID_EPARSE;
		if (tag == 0 || tag >= sizeof(sizes) / sizeof(sizes[0]))
			continue; /* unknown: skipped */
		if (tag == DIAG_PROP_FIRMWARE_ID) {
			size_t m = len < sizeof(p->firmware) - 1 ? len : sizeof(p->firmware) - 1;

			for (size_t i = 0; i < m; i++) {
				uint8_t ch = eid_cbs_data(&val)[i];

				p->firmware[i] = ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
			}
			p->firmware[m] = '\0';
		} else if (!get_le(&val, sizes[tag], &v)) {
			return -EID_EPARSE;
		}
		p->present |= 1u << tag;
		switch (tag) {
		case DIAG_PROP_LCD_LAYOUT: p->lcd_layout = (uint16_t)v; break;
		case DIAG_PROP_ENTRY_VALIDATION: p->entry_validation = (uint8_t)v; break;
		case DIAG_PROP_TIMEOUT2: p->timeout2 = (uint8_t)v; break;
		case DIAG_PROP_LCD_MAX_CHARS: p->lcd_max_chars = (uint16_t)v; break;
		case DIAG_PROP_LCD_MAX_LINES: p->lcd_max_lines = (uint16_t)v; break;
		case DIAG_PROP_MIN_PIN: p->min_pin = (uint8_t)v; break;
		case DIAG_PROP_MAX_PIN: p->max_pin = (uint8_t)v; break;
		case DIAG_PROP_PPDU_SUPPORT: p->ppdu_support = (uint8_t)v; break;
		case DIAG_PROP_MAX_APDU: p->max_apdu = v; break;
		case DIAG_PROP_VENDOR_ID: p->vendor_id = (uint16_t)v; break;
		case DIAG_PROP_PRODUCT_ID: p->product_id = (uint16_t)v; break;
		default: break;
		}
	}
	return 0;
}
