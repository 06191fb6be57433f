/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Byte cursor, growable byte buffer and secret buffer.
 *
 * eid_cbs is a read-only, bounds-checked view of bytes.  Every eid_cbs_get_*
 * either consumes exactly what it promised and returns true, or returns false
 * and leaves the cursor unchanged.  All parsing of chip, reader or file data
 * goes through it; no pointer arithmetic elsewhere.
 *
 * eid_buf is a growable output buffer.  A failed append marks it failed
 * ("sticky"), so a builder may append many items and check once with
 * eid_buf_ok() / eid_buf_status().  A buffer initialised with
 * eid_buf_init_secret() wipes every memory block it releases.
 *
 * eid_secret holds key material or passwords: fixed size, locked in memory
 * where the system permits, wiped on free.
 */
#ifndef EID_BUF_H
#define EID_BUF_H

#include "eid.h"

typedef struct {
	const uint8_t *data;
	size_t len;
} eid_cbs;

void eid_cbs_init(eid_cbs *c, const uint8_t *data, size_t len);
static inline size_t eid_cbs_len(const eid_cbs *c) { return c->len; }
static inline const uint8_t *eid_cbs_data(const eid_cbs *c) { return c->data; }

bool eid_cbs_skip(eid_cbs *c, size_t n);
bool eid_cbs_get_u8(eid_cbs *c, uint8_t *out);
bool eid_cbs_peek_u8(const eid_cbs *c, uint8_t *out);
bool eid_cbs_get_u16(eid_cbs *c, uint16_t *out);   /* big endian */
bool eid_cbs_get_u32(eid_cbs *c, uint32_t *out);   /* big endian */
/* Big-endian unsigned integer of n (1..4) bytes. */
bool eid_cbs_get_uint(eid_cbs *c, size_t n, uint32_t *out);
/* Split off the next n bytes as *out. */
bool eid_cbs_get_bytes(eid_cbs *c, eid_cbs *out, size_t n);
/* Copy the next n bytes to out. */
bool eid_cbs_copy(eid_cbs *c, uint8_t *out, size_t n);
/* Split off the last n bytes as *out (the cursor keeps the front). */
bool eid_cbs_get_last(eid_cbs *c, eid_cbs *out, size_t n);
/* True when the remaining bytes equal data[0..n). Constant time in n. */
bool eid_cbs_equal(const eid_cbs *c, const void *data, size_t n);

typedef struct {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool secret;   /* wipe released memory */
	bool failed;   /* an append failed; contents are incomplete */
} eid_buf;

#define EID_BUF_INIT { NULL, 0, 0, false, false }
/* Largest buffer (256 MiB): far above any file of a chip or trust store. */
#define EID_BUF_MAX ((size_t)1 << 28)

void eid_buf_init(eid_buf *b);
void eid_buf_init_secret(eid_buf *b);
/* Release memory (wiped if secret); b is empty and reusable afterwards. */
void eid_buf_free(eid_buf *b);
/* Drop the contents (wiped if secret) but keep the allocation. Clears failed. */
void eid_buf_reset(eid_buf *b);
int eid_buf_reserve(eid_buf *b, size_t extra);
int eid_buf_add(eid_buf *b, const void *data, size_t n);
int eid_buf_add_u8(eid_buf *b, uint8_t v);
int eid_buf_add_u16(eid_buf *b, uint16_t v);
int eid_buf_add_zeros(eid_buf *b, size_t n);
int eid_buf_add_cbs(eid_buf *b, const eid_cbs *c);
/* Grow by n bytes and return a pointer to them (NULL on failure). */
uint8_t *eid_buf_add_space(eid_buf *b, size_t n);
/* Shrink to n bytes (n <= len); bytes cut off are wiped if secret. */
void eid_buf_truncate(eid_buf *b, size_t n);
static inline bool eid_buf_ok(const eid_buf *b) { return !b->failed; }
static inline int eid_buf_status(const eid_buf *b) { return b->failed ? -EID_ENOMEM : 0; }
/* A cursor over the buffer's current contents. */
static inline void eid_buf_cbs(const eid_buf *b, eid_cbs *c) { eid_cbs_init(c, b->data, b->len); }
/* Replace contents with a copy of data (preserves the secret flag). */
int eid_buf_set(eid_buf *b, const void *data, size_t n);

typedef struct eid_secret {
	size_t len;
	uint8_t *data;
} eid_secret;

/* A secret of len bytes, copied from data (or zeros when data is NULL). */
eid_secret *eid_secret_new(const void *data, size_t len);
void eid_secret_free(eid_secret *s);

/* Wipe memory (never optimised away). */
void eid_wipe(void *p, size_t n);
/* Constant-time equality of two byte strings of the same length. */
bool eid_ct_equal(const void *a, const void *b, size_t n);

/* Lower-case hex of data into out (2n+1 bytes).  For tests and tools only. */
void eid_hex(const uint8_t *data, size_t n, char *out);
/* Parse hex (whitespace ignored) into b; -EID_EPARSE on a bad digit. */
int eid_unhex(const char *hex, eid_buf *b);

#endif
