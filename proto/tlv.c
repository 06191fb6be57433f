/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "tlv.h"

bool eid_tlv_constructed(uint32_t tag)
{
	while (tag > 0xFF)
		tag >>= 8;
	return (tag & 0x20) != 0;
}

/* Parse the tag at the front of c.  strict: minimal encoding only. */
static bool get_tag(eid_cbs *c, uint32_t *tag, bool strict)
{
	eid_cbs tmp = *c;
	uint8_t b;
	uint32_t t;
	int n = 1;

	if (!eid_cbs_get_u8(&tmp, &b))
		return false;
	t = b;
	if ((b & 0x1F) == 0x1F) {
		bool first = true;

		do {
			if (!eid_cbs_get_u8(&tmp, &b) || ++n > 4)
				return false;
			/* 0x80 as first subsequent byte: leading zero bits */
			if (first && strict && b == 0x80)
				return false;
			/* a two-byte tag for a number below 31 is not minimal */
			if (first && strict && !(b & 0x80) && b < 0x1F)
				return false;
			first = false;
			t = (t << 8) | b;
		} while (b & 0x80);
	}
	*tag = t;
	*c = tmp;
	return true;
}

static bool get_len(eid_cbs *c, size_t *len, bool strict)
{
	eid_cbs tmp = *c;
	uint8_t b;
	uint32_t v;
	size_t n;

	if (!eid_cbs_get_u8(&tmp, &b))
		return false;
	if (b < 0x80) {
		*len = b;
		*c = tmp;
		return true;
	}
	n = b & 0x7F;
	/* 0x80 = indefinite form: not allowed; at most 4 length bytes */
	if (n == 0 || n > 4)
		return false;
	if (!eid_cbs_get_uint(&tmp, n, &v))
		return false;
	if (strict) {
		if (v < 0x80)
			return false;
		if (n > 1 && (v >> (8 * (n - 1))) == 0)
			return false;
	}
	*len = v;
	*c = tmp;
	return true;
}

static bool get_tlv(eid_cbs *in, uint32_t *tag, eid_cbs *value, eid_cbs *element,
		    size_t *hdr_len, bool strict)
{
	eid_cbs tmp = *in;
	uint32_t t;
	size_t len, hdr;
	eid_cbs v;

	if (!get_tag(&tmp, &t, strict) || !get_len(&tmp, &len, strict))
		return false;
	hdr = in->len - tmp.len;
	if (!eid_cbs_get_bytes(&tmp, &v, len))
		return false;
	if (tag)
		*tag = t;
	if (value)
		*value = v;
	if (element)
		eid_cbs_init(element, in->data, hdr + len);
	if (hdr_len)
		*hdr_len = hdr;
	*in = tmp;
	return true;
}

bool eid_tlv_get_any(eid_cbs *in, uint32_t *tag, eid_cbs *value, size_t *hdr_len)
{
	return get_tlv(in, tag, value, NULL, hdr_len, false);
}

static bool get_expected(eid_cbs *in, uint32_t tag, eid_cbs *value, bool strict)
{
	eid_cbs tmp = *in;
	uint32_t t;

	if (!get_tlv(&tmp, &t, value, NULL, NULL, strict) || t != tag)
		return false;
	*in = tmp;
	return true;
}

bool eid_tlv_get(eid_cbs *in, uint32_t tag, eid_cbs *value)
{
	return get_expected(in, tag, value, false);
}

bool eid_tlv_get_element(eid_cbs *in, uint32_t *tag, eid_cbs *element)
{
	return get_tlv(in, tag, NULL, element, NULL, false);
}

bool eid_tlv_get_element_tag(eid_cbs *in, uint32_t tag, eid_cbs *element)
{
	eid_cbs tmp = *in;
	uint32_t t;

	if (!get_tlv(&tmp, &t, NULL, element, NULL, false) || t != tag)
		return false;
	*in = tmp;
	return true;
}

bool eid_der_get_any(eid_cbs *in, uint32_t *tag, eid_cbs *value)
{
	return get_tlv(in, tag, value, NULL, NULL, true);
}

bool eid_der_get(eid_cbs *in, uint32_t tag, eid_cbs *value)
{
	return get_expected(in, tag, value, true);
}

bool eid_der_get_element(eid_cbs *in, uint32_t *tag, eid_cbs *element)
{
	return get_tlv(in, tag, NULL, element, NULL, true);
}

bool eid_tlv_peek_tag(const eid_cbs *in, uint32_t *tag)
{
	eid_cbs tmp = *in;

	return get_tag(&tmp, tag, false);
}

bool eid_tlv_get_optional(eid_cbs *in, uint32_t tag, eid_cbs *value, bool *present)
{
	uint32_t t;

	*present = false;
	if (eid_cbs_len(in) == 0 || !eid_tlv_peek_tag(in, &t) || t != tag)
		return true;
	if (!eid_tlv_get(in, tag, value))
		return false;
	*present = true;
	return true;
}

int eid_tlv_header(const uint8_t *data, size_t n, uint32_t *tag, size_t *hdr_len, size_t *len)
{
	eid_cbs c, tmp;
	uint8_t b;
	size_t i;

	eid_cbs_init(&c, data, n);
	tmp = c;
	if (!get_tag(&tmp, tag, false)) {
		/* incomplete multi-byte tag, or more than 4 tag bytes? */
		if (n == 0)
			return 1;
		if ((data[0] & 0x1F) != 0x1F)
			return -EID_EPARSE;
		for (i = 1; i < n && i < 4; i++)
			if (!(data[i] & 0x80))
				return -EID_EPARSE; /* complete tag that still failed */
		return n < 4 ? 1 : -EID_EPARSE;
	}
	if (!eid_cbs_peek_u8(&tmp, &b))
		return 1;
	if (b == 0x80 || b > 0x84)
		return -EID_EPARSE;
	if (!get_len(&tmp, len, false))
		return 1;
	*hdr_len = n - tmp.len;
	return 0;
}

bool eid_der_get_uint_bytes(eid_cbs *in, eid_cbs *out)
{
	eid_cbs tmp = *in, v;
	const uint8_t *d;

	if (!eid_der_get(&tmp, 0x02, &v) || v.len == 0)
		return false;
	d = eid_cbs_data(&v);
	if (d[0] & 0x80)
		return false; /* negative */
	if (v.len > 1 && d[0] == 0x00) {
		if (!(d[1] & 0x80))
			return false; /* non-minimal */
		eid_cbs_skip(&v, 1);
	}
	*out = v;
	*in = tmp;
	return true;
}

bool eid_der_get_u32(eid_cbs *in, uint32_t *out)
{
	eid_cbs tmp = *in, v;
	uint32_t x;

	if (!eid_der_get_uint_bytes(&tmp, &v) || v.len > 4)
		return false;
	if (!eid_cbs_get_uint(&v, eid_cbs_len(&v), &x))
		return false;
	*out = x;
	*in = tmp;
	return true;
}

bool eid_der_get_oid(eid_cbs *in, eid_cbs *oid)
{
	eid_cbs tmp = *in, v;
	const uint8_t *d;

	if (!eid_der_get(&tmp, 0x06, &v) || v.len == 0)
		return false;
	d = eid_cbs_data(&v);
	/* last byte must end a sub-identifier; no 0x80 padding at the start of one */
	if (d[v.len - 1] & 0x80)
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (d[i] == 0x80 && (i == 0 || !(d[i - 1] & 0x80)))
			return false;
	*oid = v;
	*in = tmp;
	return true;
}

int eid_oid_to_text(const uint8_t *oid, size_t n, char *out, size_t outsz)
{
	eid_cbs c;
	size_t pos = 0;
	bool first = true;
	int w;

	if (!out || outsz == 0)
		return -EID_EINVAL;
	out[0] = '\0';
	eid_cbs_init(&c, oid, n);
	if (n == 0)
		return -EID_EPARSE;
	while (eid_cbs_len(&c)) {
		uint64_t v = 0;
		uint8_t b;
		int bytes = 0;

		do {
			if (!eid_cbs_get_u8(&c, &b) || ++bytes > 9)
				return -EID_EPARSE;
			if (bytes == 1 && b == 0x80)
				return -EID_EPARSE;
			v = (v << 7) | (b & 0x7F);
		} while (b & 0x80);
		if (first) {
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;

			w = snprintf(out + pos, outsz - pos, "%u.%llu", a,
				     (unsigned long long)(v - 40 * a));
			first = false;
		} else {
			w = snprintf(out + pos, outsz - pos, ".%llu", (unsigned long long)v);
		}
		if (w < 0 || (size_t)w >= outsz - pos)
			return -EID_ETOOBIG;
		pos += (size_t)w;
	}
	return 0;
}

/* ---- writing ---- */

int eid_tlv_add_tag(eid_buf *b, uint32_t tag)
{
	uint8_t t[4];
	int n = 0;

	if (tag > 0xFFFFFF)
		t[n++] = (uint8_t)(tag >> 24);
	if (tag > 0xFFFF)
		t[n++] = (uint8_t)(tag >> 16);
	if (tag > 0xFF)
		t[n++] = (uint8_t)(tag >> 8);
	t[n++] = (uint8_t)tag;
	return eid_buf_add(b, t, (size_t)n);
}

static size_t len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len <= 0xFF)
		return 2;
	if (len <= 0xFFFF)
		return 3;
	if (len <= 0xFFFFFF)
		return 4;
	return 5;
}

static void put_len(uint8_t *p, size_t len)
{
	size_t n = len_size(len);

	if (n == 1) {
		p[0] = (uint8_t)len;
		return;
	}
	p[0] = (uint8_t)(0x80 | (n - 1));
	for (size_t i = 1; i < n; i++)
		p[i] = (uint8_t)(len >> (8 * (n - 1 - i)));
}

int eid_tlv_add_len(eid_buf *b, size_t len)
{
	uint8_t *p;

	if (len > 0xFFFFFFFFu) {
		b->failed = true;
		return -EID_ETOOBIG;
	}
	p = eid_buf_add_space(b, len_size(len));
	if (!p)
		return -EID_ENOMEM;
	put_len(p, len);
	return 0;
}

int eid_tlv_add(eid_buf *b, uint32_t tag, const void *value, size_t n)
{
	int r;

	if ((r = eid_tlv_add_tag(b, tag)) < 0 || (r = eid_tlv_add_len(b, n)) < 0)
		return r;
	return eid_buf_add(b, value, n);
}

size_t eid_tlv_begin(eid_buf *b, uint32_t tag)
{
	eid_tlv_add_tag(b, tag);
	/* one length byte reserved; eid_tlv_end widens it when needed */
	eid_buf_add_u8(b, 0);
	return b->len;
}

int eid_tlv_end(eid_buf *b, size_t mark)
{
	size_t len, extra;

	if (b->failed)
		return -EID_ENOMEM;
	if (mark < 1 || mark > b->len)
		return -EID_EINVAL;
	len = b->len - mark;
	if (len > 0xFFFFFFFFu) {
		b->failed = true;
		return -EID_ETOOBIG;
	}
	extra = len_size(len) - 1;
	if (extra) {
		if (!eid_buf_add_space(b, extra))
			return -EID_ENOMEM;
		memmove(b->data + mark + extra, b->data + mark, len);
	}
	put_len(b->data + mark - 1, len);
	return 0;
}

int eid_der_add_uint_bytes(eid_buf *b, const uint8_t *v, size_t n)
{
	size_t mark;

	while (n > 1 && v[0] == 0) {
		v++;
		n--;
	}
	mark = eid_tlv_begin(b, 0x02);
	if (n == 0 || (v[0] & 0x80))
		eid_buf_add_u8(b, 0);
	eid_buf_add(b, v, n);
	return eid_tlv_end(b, mark);
}

int eid_der_add_u32(eid_buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return eid_der_add_uint_bytes(b, t, 4);
}
