/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "file.h"
#include "tlv.h"

/* Under secure messaging a short response (256 bytes) must also carry the
 * padding and DO'87'/'99'/'8E': 223 data bytes is the largest that fits. */
#define LE_SHORT_PLAIN  256u
#define LE_SHORT_SECURE 223u
/* Extended: leave room for the SM overhead within 65536 bytes. */
#define LE_EXT_PLAIN    65536u
#define LE_EXT_SECURE   65280u
/* Offsets above this need the odd-INS READ BINARY. */
#define MAX_EVEN_OFFSET 0x7FFFu
/* A chip that answers fewer bytes than asked caps its responses; caps below
 * this are taken as the end of the data instead. */
#define MIN_CAP 16u
#define MAX_ROUNDS 4096
/* Bytes read first when the file size must not be overshot: enough for a
 * two-byte tag and a three-byte length. */
#define HEADER_PROBE 5u

size_t eid_file_next_le(size_t le, bool secure)
{
	static const size_t ladder_plain[] = { LE_EXT_PLAIN, 4096, 1024, LE_SHORT_PLAIN, 128, 64, 32, 16 };
	static const size_t ladder_secure[] = { LE_EXT_SECURE, 4096, 1024, LE_SHORT_SECURE, 128, 64, 32, 16 };
	const size_t *l = secure ? ladder_secure : ladder_plain;

	for (size_t i = 0; i < sizeof(ladder_plain) / sizeof(ladder_plain[0]); i++)
		if (l[i] < le)
			return l[i];
	return 0;
}

static size_t max_le(const struct eid_card *card)
{
	bool secure = card->sm != NULL;

	if (card->extended_length)
		return secure ? LE_EXT_SECURE : LE_EXT_PLAIN;
	return secure ? LE_SHORT_SECURE : LE_SHORT_PLAIN;
}

static int sw_error(uint16_t sw)
{
	switch (sw) {
	case EID_SW_FILE_NOT_FOUND:
		return -EID_ENOTFOUND;
	case EID_SW_SECURITY_STATUS:
	case EID_SW_CONDITIONS:
		return -EID_EACCESS;
	case EID_SW_WRONG_P1P2:
	case 0x6A86:
		return -EID_EPARSE; /* offset beyond the end of the file */
	default:
		return -EID_ESW;
	}
}

int eid_file_select(struct eid_card *card, uint16_t fid)
{
	uint8_t f[2] = { (uint8_t)(fid >> 8), (uint8_t)fid };
	struct eid_apdu a = { .ins = 0xA4, .p1 = 0x02, .p2 = 0x0C, .data = f, .lc = 2 };
	uint16_t sw;
	int r = eid_card_transmit(card, &a, NULL, &sw);

	if (r < 0)
		return r;
	return sw == EID_SW_OK ? 0 : sw_error(sw);
}

int eid_file_select_aid(struct eid_card *card, const uint8_t *aid, size_t n)
{
	struct eid_apdu a = { .ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .data = aid, .lc = n };
	uint16_t sw;
	int r = eid_card_transmit(card, &a, NULL, &sw);

	if (r < 0)
		return r;
	return sw == EID_SW_OK ? 0 : sw_error(sw);
}

/*
 * One READ BINARY of up to n bytes at offset: by SFI for the first read,
 * B0 with the offset in P1P2, or B1 with DO'54' above 32767.  Appends the
 * bytes to out and sets *sw.
 */
static int read_binary(struct eid_card *card, uint8_t sfi, size_t offset, size_t n,
		       eid_buf *out, uint16_t *sw)
{
	struct eid_apdu a = { .ins = 0xB0 };
	uint8_t do54[5];
	eid_buf resp;
	eid_cbs c, v;
	int r;

	if (offset == 0 && sfi) {
		a.p1 = (uint8_t)(0x80 | sfi);
		a.p2 = 0;
		a.le = n;
		return eid_card_transmit(card, &a, out, sw);
	}
	if (offset <= MAX_EVEN_OFFSET) {
		a.p1 = (uint8_t)(offset >> 8);
		a.p2 = (uint8_t)offset;
		a.le = n;
		return eid_card_transmit(card, &a, out, sw);
	}
	/* odd INS: offset in DO'54', data comes back in DO'53' */
	if (offset > 0xFFFFFF)
		return -EID_ETOOBIG;
	do54[0] = 0x54;
	do54[1] = 3;
	do54[2] = (uint8_t)(offset >> 16);
	do54[3] = (uint8_t)(offset >> 8);
	do54[4] = (uint8_t)offset;
	a.ins = 0xB1;
	a.data = do54;
	a.lc = sizeof(do54);
	a.le = n + 4 > max_le(card) ? max_le(card) : n + 4;
	eid_buf_init(&resp);
	r = eid_card_transmit(card, &a, &resp, sw);
	if (r < 0 || resp.len == 0)
		goto out;
	eid_buf_cbs(&resp, &c);
	if (!eid_tlv_get(&c, 0x53, &v) || eid_cbs_len(&c) != 0) {
		r = -EID_EPARSE;
		goto out;
	}
	r = eid_buf_add_cbs(out, &v);
out:
	eid_buf_free(&resp);
	return r;
}

/*
 * Read the current file (sfi 0, selected by FID) or a file by SFI.  With
 * `exact`, never ask for more than the file holds: the first read takes
 * just the TLV header's first bytes (some chips answer a read past the end
 * with an unprotected 6282).
 */
static int read_tlv_file(struct eid_card *card, uint8_t sfi, bool exact, eid_buf *out)
{
	size_t base = out->len, got = 0, total = 0;
	size_t le = card->read_le ? card->read_le : max_le(card);
	bool eof = false;
	int r = 0, rounds = 0;

	if (le > max_le(card))
		le = max_le(card);
	while (total == 0 || got < total) {
		size_t want = total ? total - got : exact ? HEADER_PROBE : le;
		size_t n = want < le ? want : le, before;
		uint16_t sw = 0;

		if (++rounds > MAX_ROUNDS) {
			r = -EID_ETOOBIG;
			goto fail;
		}
		before = out->len;
		r = read_binary(card, sfi, got, n, out, &sw);
		if (r < 0)
			goto fail;
		if (sw == EID_SW_WRONG_LENGTH) {
			/* the chip or reader refuses this size: step down */
			eid_buf_truncate(out, before);
			le = eid_file_next_le(le, card->sm != NULL);
			if (le == 0) {
				r = -EID_ESW;
				goto fail;
			}
			continue;
		}
		if ((sw & 0xFF00) == 0x6C00 && (sw & 0xFF) && (sw & 0xFF) < n) {
			/* wrong Le under secure messaging: the chip names the size */
			eid_buf_truncate(out, before);
			le = sw & 0xFF;
			continue;
		}
		if (sw != EID_SW_OK && sw != EID_SW_EOF_WARNING) {
			r = sw_error(sw);
			goto fail;
		}
		card->last_read_le = n;
		if (sw == EID_SW_EOF_WARNING)
			eof = true;
		if (out->len - before > n) {
			/* more than asked for: a broken chip */
			r = -EID_EPARSE;
			goto fail;
		}
		if (out->len == before) {
			r = -EID_EPARSE; /* file ended before its TLV did */
			goto fail;
		}
		got = out->len - base;
		if (total == 0) {
			uint32_t tag;
			size_t hdr, len;
			int h = eid_tlv_header(out->data + base, got, &tag, &hdr, &len);

			if (h < 0) {
				r = -EID_EPARSE;
				goto fail;
			}
			if (h == 0) {
				if (len > EID_FILE_SIZE_MAX - hdr) {
					r = -EID_ETOOBIG;
					goto fail;
				}
				total = hdr + len;
			}
		}
		if (n == le && out->len - before == n && card->read_le < le)
			card->read_le = le;
		if (out->len - before < n && !eof && total && got < total &&
		    out->len - before >= MIN_CAP) {
			/* more data exists but the chip sent less: it caps its
			 * responses, so ask for that much from now on */
			le = out->len - before;
			card->read_le = le;
		}
		if (eof && (total == 0 || got < total)) {
			r = -EID_EPARSE;
			goto fail;
		}
	}
	/* bytes after the TLV (padding some chips add) are not part of it */
	eid_buf_truncate(out, base + total);
	return 0;
fail:
	eid_buf_truncate(out, base);
	return r;
}

int eid_file_read_sfi(struct eid_card *card, uint8_t sfi, eid_buf *out)
{
	if (sfi < 1 || sfi > 30)
		return -EID_EINVAL;
	return read_tlv_file(card, sfi, false, out);
}

int eid_file_read(struct eid_card *card, uint8_t sfi, eid_buf *out)
{
	int r;

	if (sfi < 1 || sfi > 30)
		return -EID_EINVAL;
	if (!card->no_sfi) {
		r = read_tlv_file(card, sfi, false, out);
		if (r != -EID_ENOTFOUND)
			return r;
	}
	/* no such file, or a chip without short file identifiers: SELECT the
	 * file by its FID (01 SFI for every eMRTD and eID file) and read it */
	if ((r = eid_file_select(card, (uint16_t)(0x0100 | sfi))) < 0)
		return r;
	if (!card->no_sfi)
		card->no_sfi = true; /* found by FID though not by SFI */
	return read_tlv_file(card, 0, true, out);
}
