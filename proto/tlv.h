/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * BER-TLV (ISO 7816-4 / X.690) reading and DER writing.
 *
 * Tags are held as their encoded bytes packed big-endian into a uint32_t:
 * 0x30, 0x06, 0x5F1F, 0x7F49, 0xBF8101.  At most 4 tag bytes.
 * Lengths: short form or long form with 1..4 length bytes (0x81..0x84).
 * The indefinite form (0x80) is rejected.  Lengths that do not fit in the
 * remaining input are rejected (truncation).
 *
 * The "_der" readers also reject non-minimal tags and lengths.
 */
#ifndef EID_TLV_H
#define EID_TLV_H

#include "buf.h"

/* True for a constructed tag (bit 6 of the first tag byte). */
bool eid_tlv_constructed(uint32_t tag);

/* Read one TLV: *tag, *value (contents) and optionally *hdr_len. */
bool eid_tlv_get_any(eid_cbs *in, uint32_t *tag, eid_cbs *value, size_t *hdr_len);
/* Read one TLV whose tag must be `tag`; false (cursor unchanged) otherwise. */
bool eid_tlv_get(eid_cbs *in, uint32_t tag, eid_cbs *value);
/* Like eid_tlv_get_any but the returned element includes tag and length. */
bool eid_tlv_get_element(eid_cbs *in, uint32_t *tag, eid_cbs *element);
/* One TLV whose tag must be `tag`, returned with its header (tag + length). */
bool eid_tlv_get_element_tag(eid_cbs *in, uint32_t tag, eid_cbs *element);
/* Strict DER variants: minimal tag and length encodings only. */
bool eid_der_get_any(eid_cbs *in, uint32_t *tag, eid_cbs *value);
bool eid_der_get(eid_cbs *in, uint32_t tag, eid_cbs *value);
bool eid_der_get_element(eid_cbs *in, uint32_t *tag, eid_cbs *element);
/* Tag of the next TLV without consuming it. */
bool eid_tlv_peek_tag(const eid_cbs *in, uint32_t *tag);
/* If the next TLV has `tag`, read it into *value and set *present. */
bool eid_tlv_get_optional(eid_cbs *in, uint32_t tag, eid_cbs *value, bool *present);

/*
 * Decode only the header at the start of a (possibly partial) file, to learn
 * the file size from its first bytes: the whole element is hdr_len + len.
 * Returns 0 when decoded, 1 when more bytes are needed to see the whole
 * header, -EID_EPARSE when malformed.
 */
int eid_tlv_header(const uint8_t *data, size_t n, uint32_t *tag, size_t *hdr_len,
		   size_t *len);

/* DER INTEGER as unsigned big-endian bytes (leading zero stripped). */
bool eid_der_get_uint_bytes(eid_cbs *in, eid_cbs *out);
/* DER INTEGER that fits in a uint32_t (non-negative). */
bool eid_der_get_u32(eid_cbs *in, uint32_t *out);
/* DER OBJECT IDENTIFIER contents (the bytes after 06 len). */
bool eid_der_get_oid(eid_cbs *in, eid_cbs *oid);
/* Dotted text form of OID contents; -EID_EPARSE on a malformed OID. */
int eid_oid_to_text(const uint8_t *oid, size_t n, char *out, size_t outsz);

/* Writing (always DER: minimal lengths). */
int eid_tlv_add_tag(eid_buf *b, uint32_t tag);
int eid_tlv_add_len(eid_buf *b, size_t len);
int eid_tlv_add(eid_buf *b, uint32_t tag, const void *value, size_t n);
/* Nested: mark = eid_tlv_begin(b, tag); ...append contents...; eid_tlv_end(b, mark). */
size_t eid_tlv_begin(eid_buf *b, uint32_t tag);
int eid_tlv_end(eid_buf *b, size_t mark);
/* INTEGER from unsigned big-endian bytes (adds a 00 when the top bit is set). */
int eid_der_add_uint_bytes(eid_buf *b, const uint8_t *v, size_t n);
int eid_der_add_u32(eid_buf *b, uint32_t v);

#endif
