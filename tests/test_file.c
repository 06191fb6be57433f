/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "file.h"
#include "tlv.h"

/*
 * A fake chip holding one TLV file under SFI 2, answering READ BINARY the
 * way real chips do, with knobs for the behaviours the reader must handle.
 */
struct fake_ef {
	eid_buf file;
	size_t cap;          /* answer at most this many bytes (0: no cap) */
	size_t refuse_above; /* 6700 when Le exceeds this (0: never) */
	bool eof_warning;    /* 6282 instead of 9000 for short reads at the end */
	uint16_t force_sw;   /* answer this SW to everything (0: off) */
	bool no_sfi;         /* 6A82 to reads by SFI; files must be SELECTed */
	bool exact;          /* a read past the end is a reader bug */
	bool selected;
	unsigned apdus;
	bool bad;            /* the reader sent something a chip would reject */
};

static size_t le_of(eid_cbs *c, bool *ext)
{
	uint8_t b;
	uint16_t v;

	*ext = false;
	if (eid_cbs_len(c) == 1) {
		eid_cbs_get_u8(c, &b);
		return b ? b : 256;
	}
	if (eid_cbs_len(c) == 3 && eid_cbs_get_u8(c, &b) && b == 0 && eid_cbs_get_u16(c, &v)) {
		*ext = true;
		return v ? v : 65536;
	}
	if (eid_cbs_len(c) == 2 && eid_cbs_get_u16(c, &v)) { /* case 4E Le */
		*ext = true;
		return v ? v : 65536;
	}
	return 0;
}

static int fake_transmit(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *rlen)
{
	struct fake_ef *f = ctx;
	eid_cbs c;
	uint8_t cla, ins, p1, p2;
	size_t offset, le, avail, out;
	bool ext, odd;
	eid_buf body = EID_BUF_INIT;

	f->apdus++;
	eid_cbs_init(&c, cmd, n);
	if (!eid_cbs_get_u8(&c, &cla) || !eid_cbs_get_u8(&c, &ins) || !eid_cbs_get_u8(&c, &p1) ||
	    !eid_cbs_get_u8(&c, &p2))
		return -EID_ETRANSPORT;
	if (f->force_sw) {
		resp[0] = (uint8_t)(f->force_sw >> 8);
		resp[1] = (uint8_t)f->force_sw;
		*rlen = 2;
		return 0;
	}
	odd = ins == 0xB1;
	if (ins == 0xA4) {
		uint8_t lc;
		uint16_t fid = 0;

		if (p1 != 0x02 || p2 != 0x0C || !eid_cbs_get_u8(&c, &lc) || lc != 2 ||
		    !eid_cbs_get_u16(&c, &fid))
			f->bad = true;
		f->selected = fid == 0x0102;
		resp[0] = f->selected ? 0x90 : 0x6A;
		resp[1] = f->selected ? 0x00 : 0x82;
		*rlen = 2;
		return 0;
	}
	if (ins == 0xB0 && (p1 & 0x80)) {
		if ((p1 & 0x1F) != 2 || f->no_sfi) {
			resp[0] = 0x6A;
			resp[1] = 0x82;
			*rlen = 2;
			return 0;
		}
		f->selected = true;
		offset = p2;
	} else if (ins == 0xB0) {
		if (!f->selected)
			f->bad = true;
		offset = (size_t)p1 << 8 | p2;
	} else if (odd) {
		uint8_t lc, t, l;
		uint32_t off = 0;

		if (!f->selected || p1 || p2 || !eid_cbs_get_u8(&c, &lc) || lc != 5 ||
		    !eid_cbs_get_u8(&c, &t) || t != 0x54 || !eid_cbs_get_u8(&c, &l) || l != 3 ||
		    !eid_cbs_get_uint(&c, 3, &off))
			f->bad = true;
		offset = off;
	} else {
		f->bad = true;
		return -EID_ETRANSPORT;
	}
	le = le_of(&c, &ext);
	if (f->refuse_above && le > f->refuse_above) {
		resp[0] = 0x67;
		resp[1] = 0x00;
		*rlen = 2;
		return 0;
	}
	if (offset > f->file.len) {
		resp[0] = 0x6B;
		resp[1] = 0x00;
		*rlen = 2;
		return 0;
	}
	avail = f->file.len - offset;
	if (f->exact && le > f->file.len - 5 - offset)
		f->bad = true; /* asked past the TLV (the 5 padding bytes excluded) */
	out = le;
	if (odd)
		out = le > 4 ? le - 4 : 0;
	if (f->cap && out > f->cap)
		out = f->cap;
	if (out > avail)
		out = avail;
	if (odd) {
		size_t m = eid_tlv_begin(&body, 0x53);
		eid_buf_add(&body, f->file.data + offset, out);
		eid_tlv_end(&body, m);
	} else {
		eid_buf_add(&body, f->file.data + offset, out);
	}
	memcpy(resp, body.data, body.len);
	*rlen = body.len;
	if (out < le && f->eof_warning && offset + out == f->file.len) {
		resp[(*rlen)++] = 0x62;
		resp[(*rlen)++] = 0x82;
	} else {
		resp[(*rlen)++] = 0x90;
		resp[(*rlen)++] = 0x00;
	}
	eid_buf_free(&body);
	return 0;
}

/* A TLV file of `total` bytes with tag 75 and a recognisable pattern. */
static void make_file(struct fake_ef *f, size_t total)
{
	size_t hdr = total - 2 < 0x80 ? 2 : total - 3 <= 0xFF ? 3 : total - 4 <= 0xFFFF ? 4 : 5;
	size_t len = total - hdr;

	memset(f, 0, sizeof(*f));
	eid_buf_add_u8(&f->file, 0x75);
	eid_tlv_add_len(&f->file, len);
	assert_int_equal(f->file.len, hdr);
	for (size_t i = 0; i < len; i++)
		eid_buf_add_u8(&f->file, (uint8_t)(i * 7 + 3));
	/* some chips pad files: bytes after the TLV must not be returned */
	eid_buf_add_zeros(&f->file, 5);
}

static void read_and_check(struct fake_ef *f, struct eid_card *card, size_t total)
{
	eid_buf out = EID_BUF_INIT;

	assert_int_equal(eid_file_read_sfi(card, 2, &out), 0);
	assert_int_equal(out.len, total);
	assert_memory_equal(out.data, f->file.data, total);
	assert_false(f->bad);
	eid_buf_free(&out);
}

static void small_file_takes_one_apdu(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 25);
	eid_card_init(&card, fake_transmit, &f);
	read_and_check(&f, &card, 25);
	assert_int_equal(f.apdus, 1);
	/* a short file is not mistaken for a response cap */
	assert_int_equal(card.read_le, 0);
	eid_buf_free(&f.file);
}

static void small_file_with_end_of_file_warning(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 93);
	f.eof_warning = true;
	eid_card_init(&card, fake_transmit, &f);
	read_and_check(&f, &card, 93);
	assert_int_equal(f.apdus, 1);
	eid_buf_free(&f.file);
}

static void size_comes_from_the_first_header(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 600);
	eid_card_init(&card, fake_transmit, &f);
	read_and_check(&f, &card, 600);
	/* 256 + 256 + 88: the fewest short APDUs */
	assert_int_equal(f.apdus, 3);
	assert_int_equal(card.read_le, 256);
	eid_buf_free(&f.file);
}

static void extended_length_reads_in_one_go(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 20000);
	eid_card_init(&card, fake_transmit, &f);
	card.extended_length = true;
	read_and_check(&f, &card, 20000);
	assert_int_equal(f.apdus, 1);
	eid_buf_free(&f.file);
}

static void a_capping_chip_is_learned_once(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 1000);
	f.cap = 200;
	eid_card_init(&card, fake_transmit, &f);
	read_and_check(&f, &card, 1000);
	assert_int_equal(f.apdus, 5);
	assert_int_equal(card.read_le, 200);
	/* the next file starts at the learned size: no wasted request */
	f.apdus = 0;
	read_and_check(&f, &card, 1000);
	assert_int_equal(f.apdus, 5);
	eid_buf_free(&f.file);
}

static void wrong_length_steps_down_the_ladder(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 3000);
	f.refuse_above = 1024;
	eid_card_init(&card, fake_transmit, &f);
	card.extended_length = true;
	read_and_check(&f, &card, 3000);
	/* 65536 -> 4096 refused, then 1024 x 3 */
	assert_int_equal(f.apdus, 5);
	assert_int_equal(card.read_le, 1024);
	eid_buf_free(&f.file);
}

static void offsets_above_32767_use_odd_ins(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 40000);
	eid_card_init(&card, fake_transmit, &f);
	read_and_check(&f, &card, 40000);
	assert_false(f.bad);
	eid_buf_free(&f.file);
}

static void chip_errors_become_clear_codes(void **state)
{
	struct fake_ef f;
	struct eid_card card;
	eid_buf out = EID_BUF_INIT;

	make_file(&f, 100);
	eid_card_init(&card, fake_transmit, &f);
	assert_int_equal(eid_file_read_sfi(&card, 5, &out), -EID_ENOTFOUND);
	assert_int_equal(eid_file_read(&card, 5, &out), -EID_ENOTFOUND);
	f.force_sw = 0x6982;
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_EACCESS);
	f.force_sw = 0x6F00;
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_ESW);
	assert_int_equal(eid_file_read_sfi(&card, 0, &out), -EID_EINVAL);
	assert_int_equal(eid_file_read_sfi(&card, 31, &out), -EID_EINVAL);
	assert_int_equal(out.len, 0);
	eid_buf_free(&out);
	eid_buf_free(&f.file);
}

static void chip_without_sfi_is_read_by_fid_exactly(void **state)
{
	struct fake_ef f;
	struct eid_card card;

	make_file(&f, 600);
	f.no_sfi = true;
	f.exact = true;
	eid_card_init(&card, fake_transmit, &f);
	/* SFI read refused, SELECT 0102, the header, then exactly the rest */
	{
		eid_buf out = EID_BUF_INIT;

		assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_ENOTFOUND);
		assert_int_equal(eid_file_read(&card, 2, &out), 0);
		assert_int_equal(out.len, 600);
		assert_memory_equal(out.data, f.file.data, 600);
		eid_buf_free(&out);
		f.apdus--; /* the SFI-only attempt above */
	}
	assert_true(card.no_sfi);
	assert_int_equal(f.apdus, 2 + 1 + 3);
	/* the next file goes straight to SELECT */
	f.apdus = 0;
	{
		eid_buf out = EID_BUF_INIT;

		assert_int_equal(eid_file_read(&card, 2, &out), 0);
		assert_int_equal(out.len, 600);
		eid_buf_free(&out);
	}
	assert_int_equal(f.apdus, 1 + 1 + 3);
	assert_false(f.bad);
	eid_buf_free(&f.file);
}

static void hostile_headers_are_rejected(void **state)
{
	struct fake_ef f;
	struct eid_card card;
	eid_buf out = EID_BUF_INIT;

	memset(&f, 0, sizeof(f));
	eid_card_init(&card, fake_transmit, &f);
	/* length claims 4 GiB */
	tu_unhex(&f.file, "7584FFFFFFFF00");
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_ETOOBIG);
	/* indefinite length */
	tu_unhex(&f.file, "758000");
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_EPARSE);
	/* the file ends before its TLV does */
	tu_unhex(&f.file, "75820400AABB");
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_EPARSE);
	f.eof_warning = true;
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_EPARSE);
	/* empty file */
	eid_buf_reset(&f.file);
	assert_int_equal(eid_file_read_sfi(&card, 2, &out), -EID_EPARSE);
	assert_int_equal(out.len, 0);
	eid_buf_free(&out);
	eid_buf_free(&f.file);
}

static void ladder_steps(void **state)
{
	assert_int_equal(eid_file_next_le(65536, false), 4096);
	assert_int_equal(eid_file_next_le(4096, true), 1024);
	assert_int_equal(eid_file_next_le(1024, true), 223);
	assert_int_equal(eid_file_next_le(1024, false), 256);
	assert_int_equal(eid_file_next_le(256, false), 128);
	assert_int_equal(eid_file_next_le(16, false), 0);
}

static void select_commands(void **state)
{
	static const struct tu_exchange ex[] = {
		{ "00A4040C07A0000002471001", "9000" },
		{ "00A4020C02011E", "9000" },
		{ "00A4020C020101", "6A82" },
	};
	struct tu_script s;

	tu_script_init(&s, ex, 3);
	assert_int_equal(eid_file_select_aid(&s.card, (const uint8_t *)"\xA0\x00\x00\x02\x47\x10\x01", 7), 0);
	assert_int_equal(eid_file_select(&s.card, 0x011E), 0);
	assert_int_equal(eid_file_select(&s.card, 0x0101), -EID_ENOTFOUND);
	tu_script_assert_done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_file_takes_one_apdu),
		cmocka_unit_test(small_file_with_end_of_file_warning),
		cmocka_unit_test(size_comes_from_the_first_header),
		cmocka_unit_test(extended_length_reads_in_one_go),
		cmocka_unit_test(a_capping_chip_is_learned_once),
		cmocka_unit_test(wrong_length_steps_down_the_ladder),
		cmocka_unit_test(offsets_above_32767_use_odd_ins),
		cmocka_unit_test(chip_errors_become_clear_codes),
		cmocka_unit_test(chip_without_sfi_is_read_by_fid_exactly),
		cmocka_unit_test(hostile_headers_are_rejected),
		cmocka_unit_test(ladder_steps),
		cmocka_unit_test(select_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
