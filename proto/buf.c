/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <openssl/crypto.h>

#include "buf.h"

void eid_cbs_init(eid_cbs *c, const uint8_t *data, size_t len)
{
	c->data = len ? data : NULL;
	c->len = data ? len : 0;
}

bool eid_cbs_skip(eid_cbs *c, size_t n)
{
	if (n > c->len)
		return false;
	if (n) { /* an empty cursor has a NULL pointer: no NULL + 0 */
		c->data += n;
		c->len -= n;
	}
	return true;
}

bool eid_cbs_peek_u8(const eid_cbs *c, uint8_t *out)
{
	if (c->len < 1)
		return false;
	*out = c->data[0];
	return true;
}

bool eid_cbs_get_u8(eid_cbs *c, uint8_t *out)
{
	if (!eid_cbs_peek_u8(c, out))
		return false;
	return eid_cbs_skip(c, 1);
}

bool eid_cbs_get_uint(eid_cbs *c, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	if (n < 1 || n > 4 || c->len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | c->data[i];
	*out = v;
	return eid_cbs_skip(c, n);
}

bool eid_cbs_get_u16(eid_cbs *c, uint16_t *out)
{
	uint32_t v;

	if (!eid_cbs_get_uint(c, 2, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

bool eid_cbs_get_u32(eid_cbs *c, uint32_t *out)
{
	return eid_cbs_get_uint(c, 4, out);
}

bool eid_cbs_get_bytes(eid_cbs *c, eid_cbs *out, size_t n)
{
	if (n > c->len)
		return false;
	eid_cbs_init(out, c->data, n);
	return eid_cbs_skip(c, n);
}

bool eid_cbs_copy(eid_cbs *c, uint8_t *out, size_t n)
{
	if (n > c->len)
		return false;
	if (n)
		memcpy(out, c->data, n);
	return eid_cbs_skip(c, n);
}

bool eid_cbs_get_last(eid_cbs *c, eid_cbs *out, size_t n)
{
	if (n > c->len)
		return false;
	eid_cbs_init(out, c->data + (c->len - n), n);
	c->len -= n;
	if (!c->len)
		c->data = NULL;
	return true;
}

bool eid_cbs_equal(const eid_cbs *c, const void *data, size_t n)
{
	if (c->len != n)
		return false;
	return n == 0 || CRYPTO_memcmp(c->data, data, n) == 0;
}

/* ---- eid_buf ---- */

void eid_buf_init(eid_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void eid_buf_init_secret(eid_buf *b)
{
	eid_buf_init(b);
	b->secret = true;
}

void eid_buf_free(eid_buf *b)
{
	bool secret = b->secret;

	if (b->data) {
		if (secret)
			OPENSSL_cleanse(b->data, b->cap);
		free(b->data);
	}
	eid_buf_init(b);
	b->secret = secret;
}

void eid_buf_reset(eid_buf *b)
{
	if (b->data && b->secret)
		OPENSSL_cleanse(b->data, b->len);
	b->len = 0;
	b->failed = false;
}

int eid_buf_reserve(eid_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (b->failed)
		return -EID_ENOMEM;
	/* no buffer of this library needs more: refuse before asking malloc */
	if (extra > EID_BUF_MAX || b->len + extra > EID_BUF_MAX)
		goto fail;
	need = b->len + extra;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (cap > EID_BUF_MAX)
		cap = EID_BUF_MAX;
	if (b->secret) {
		/* never leave a copy behind in freed memory */
		p = malloc(cap);
		if (!p)
			goto fail;
		if (b->data) {
			memcpy(p, b->data, b->len);
			OPENSSL_cleanse(b->data, b->cap);
			free(b->data);
		}
	} else {
		p = realloc(b->data, cap);
		if (!p)
			goto fail;
	}
	b->data = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = true;
	return -EID_ENOMEM;
}

uint8_t *eid_buf_add_space(eid_buf *b, size_t n)
{
	uint8_t *p;

	if (eid_buf_reserve(b, n ? n : 1) < 0)
		return NULL;
	p = b->data + b->len;
	b->len += n;
	return p;
}

int eid_buf_add(eid_buf *b, const void *data, size_t n)
{
	uint8_t *p = eid_buf_add_space(b, n);

	if (!p)
		return -EID_ENOMEM;
	if (n)
		memmove(p, data, n);
	return 0;
}

int eid_buf_add_u8(eid_buf *b, uint8_t v)
{
	return eid_buf_add(b, &v, 1);
}

int eid_buf_add_u16(eid_buf *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return eid_buf_add(b, t, 2);
}

int eid_buf_add_zeros(eid_buf *b, size_t n)
{
	uint8_t *p = eid_buf_add_space(b, n);

	if (!p)
		return -EID_ENOMEM;
	memset(p, 0, n);
	return 0;
}

int eid_buf_add_cbs(eid_buf *b, const eid_cbs *c)
{
	return eid_buf_add(b, c->data, c->len);
}

void eid_buf_truncate(eid_buf *b, size_t n)
{
	if (n >= b->len)
		return;
	if (b->secret)
		OPENSSL_cleanse(b->data + n, b->len - n);
	b->len = n;
}

int eid_buf_set(eid_buf *b, const void *data, size_t n)
{
	eid_buf_reset(b);
	return eid_buf_add(b, data, n);
}

/* ---- secrets ---- */

eid_secret *eid_secret_new(const void *data, size_t len)
{
	eid_secret *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->data = malloc(len ? len : 1);
	if (!s->data) {
		free(s);
		return NULL;
	}
	s->len = len;
	memset(s->data, 0, len ? len : 1);
	/* best effort: keep secrets out of swap */
	(void)mlock(s->data, len ? len : 1);
	if (data && len)
		memcpy(s->data, data, len);
	return s;
}

void eid_secret_free(eid_secret *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s->data, s->len ? s->len : 1);
	(void)munlock(s->data, s->len ? s->len : 1);
	free(s->data);
	free(s);
}

void eid_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}

bool eid_ct_equal(const void *a, const void *b, size_t n)
{
	return n == 0 || CRYPTO_memcmp(a, b, n) == 0;
}

void eid_hex(const uint8_t *data, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int eid_unhex(const char *hex, eid_buf *b)
{
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (*hex == ' ' || *hex == '\n' || *hex == '\t' || *hex == '\r' || *hex == ':')
			continue;
		v = hexval(*hex);
		if (v < 0)
			return -EID_EPARSE;
		if (hi < 0) {
			hi = v;
		} else {
			if (eid_buf_add_u8(b, (uint8_t)(hi << 4 | v)) < 0)
				return -EID_ENOMEM;
			hi = -1;
		}
	}
	return hi < 0 ? 0 : -EID_EPARSE;
}
