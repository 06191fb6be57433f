/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PACE domain parameters and the arithmetic on them: the standardized groups
 * (BSI TR-03110-3 A.2.1.1, ICAO 9303-11 9.5.1), key pairs, validation of the
 * chip's public keys, key agreement, and the generic and integrated mappings
 * (ICAO 9303-11 4.4.3.3 and Appendix B).
 *
 * Only non-deprecated OpenSSL 3 interfaces: EC_GROUP, EC_POINT, BIGNUM.
 * Secret scalars live in BIGNUMs flagged constant-time and are cleared on
 * free; single-term EC multiplications use OpenSSL's Montgomery ladder.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include "crypto.h"
#include "pace_priv.h"

/* ---- standardized domain parameters ---- */

/* DH groups 0..2: RFC 5114 2.1 (1024-bit MODP, 160-bit subgroup), 2.2
 * (2048/224) and 2.3 (2048/256). */
static const uint8_t dh1024_160_p[128] = {
	0xb1, 0x0b, 0x8f, 0x96, 0xa0, 0x80, 0xe0, 0x1d, 0xde, 0x92, 0xde, 0x5e,
	0xae, 0x5d, 0x54, 0xec, 0x52, 0xc9, 0x9f, 0xbc, 0xfb, 0x06, 0xa3, 0xc6,
	0x9a, 0x6a, 0x9d, 0xca, 0x52, 0xd2, 0x3b, 0x61, 0x60, 0x73, 0xe2, 0x86,
	0x75, 0xa2, 0x3d, 0x18, 0x98, 0x38, 0xef, 0x1e, 0x2e, 0xe6, 0x52, 0xc0,
	0x13, 0xec, 0xb4, 0xae, 0xa9, 0x06, 0x11, 0x23, 0x24, 0x97, 0x5c, 0x3c,
	0xd4, 0x9b, 0x83, 0xbf, 0xac, 0xcb, 0xdd, 0x7d, 0x90, 0xc4, 0xbd, 0x70,
	0x98, 0x48, 0x8e, 0x9c, 0x21, 0x9a, 0x73, 0x72, 0x4e, 0xff, 0xd6, 0xfa,
	0xe5, 0x64, 0x47, 0x38, 0xfa, 0xa3, 0x1a, 0x4f, 0xf5, 0x5b, 0xcc, 0xc0,
	0xa1, 0x51, 0xaf, 0x5f, 0x0d, 0xc8, 0xb4, 0xbd, 0x45, 0xbf, 0x37, 0xdf,
	0x36, 0x5c, 0x1a, 0x65, 0xe6, 0x8c, 0xfd, 0xa7, 0x6d, 0x4d, 0xa7, 0x08,
	0xdf, 0x1f, 0xb2, 0xbc, 0x2e, 0x4a, 0x43, 0x71,
};
static const uint8_t dh1024_160_g[128] = {
	0xa4, 0xd1, 0xcb, 0xd5, 0xc3, 0xfd, 0x34, 0x12, 0x67, 0x65, 0xa4, 0x42,
	0xef, 0xb9, 0x99, 0x05, 0xf8, 0x10, 0x4d, 0xd2, 0x58, 0xac, 0x50, 0x7f,
	0xd6, 0x40, 0x6c, 0xff, 0x14, 0x26, 0x6d, 0x31, 0x26, 0x6f, 0xea, 0x1e,
	0x5c, 0x41, 0x56, 0x4b, 0x77, 0x7e, 0x69, 0x0f, 0x55, 0x04, 0xf2, 0x13,
	0x16, 0x02, 0x17, 0xb4, 0xb0, 0x1b, 0x88, 0x6a, 0x5e, 0x91, 0x54, 0x7f,
	0x9e, 0x27, 0x49, 0xf4, 0xd7, 0xfb, 0xd7, 0xd3, 0xb9, 0xa9, 0x2e, 0xe1,
	0x90, 0x9d, 0x0d, 0x22, 0x63, 0xf8, 0x0a, 0x76, 0xa6, 0xa2, 0x4c, 0x08,
	0x7a, 0x09, 0x1f, 0x53, 0x1d, 0xbf, 0x0a, 0x01, 0x69, 0xb6, 0xa2, 0x8a,
	0xd6, 0x62, 0xa4, 0xd1, 0x8e, 0x73, 0xaf, 0xa3, 0x2d, 0x77, 0x9d, 0x59,
	0x18, 0xd0, 0x8b, 0xc8, 0x85, 0x8f, 0x4d, 0xce, 0xf9, 0x7c, 0x2a, 0x24,
	0x85, 0x5e, 0x6e, 0xeb, 0x22, 0xb3, 0xb2, 0xe5,
};
static const uint8_t dh1024_160_q[20] = {
	0xf5, 0x18, 0xaa, 0x87, 0x81, 0xa8, 0xdf, 0x27, 0x8a, 0xba, 0x4e, 0x7d,
	0x64, 0xb7, 0xcb, 0x9d, 0x49, 0x46, 0x23, 0x53,
};
static const uint8_t dh2048_224_p[256] = {
	0xad, 0x10, 0x7e, 0x1e, 0x91, 0x23, 0xa9, 0xd0, 0xd6, 0x60, 0xfa, 0xa7,
	0x95, 0x59, 0xc5, 0x1f, 0xa2, 0x0d, 0x64, 0xe5, 0x68, 0x3b, 0x9f, 0xd1,
	0xb5, 0x4b, 0x15, 0x97, 0xb6, 0x1d, 0x0a, 0x75, 0xe6, 0xfa, 0x14, 0x1d,
	0xf9, 0x5a, 0x56, 0xdb, 0xaf, 0x9a, 0x3c, 0x40, 0x7b, 0xa1, 0xdf, 0x15,
	0xeb, 0x3d, 0x68, 0x8a, 0x30, 0x9c, 0x18, 0x0e, 0x1d, 0xe6, 0xb8, 0x5a,
	0x12, 0x74, 0xa0, 0xa6, 0x6d, 0x3f, 0x81, 0x52, 0xad, 0x6a, 0xc2, 0x12,
	0x90, 0x37, 0xc9, 0xed, 0xef, 0xda, 0x4d, 0xf8, 0xd9, 0x1e, 0x8f, 0xef,
	0x55, 0xb7, 0x39, 0x4b, 0x7a, 0xd5, 0xb7, 0xd0, 0xb6, 0xc1, 0x22, 0x07,
	0xc9, 0xf9, 0x8d, 0x11, 0xed, 0x34, 0xdb, 0xf6, 0xc6, 0xba, 0x0b, 0x2c,
	0x8b, 0xbc, 0x27, 0xbe, 0x6a, 0x00, 0xe0, 0xa0, 0xb9, 0xc4, 0x97, 0x08,
	0xb3, 0xbf, 0x8a, 0x31, 0x70, 0x91, 0x88, 0x36, 0x81, 0x28, 0x61, 0x30,
	0xbc, 0x89, 0x85, 0xdb, 0x16, 0x02, 0xe7, 0x14, 0x41, 0x5d, 0x93, 0x30,
	0x27, 0x82, 0x73, 0xc7, 0xde, 0x31, 0xef, 0xdc, 0x73, 0x10, 0xf7, 0x12,
	0x1f, 0xd5, 0xa0, 0x74, 0x15, 0x98, 0x7d, 0x9a, 0xdc, 0x0a, 0x48, 0x6d,
	0xcd, 0xf9, 0x3a, 0xcc, 0x44, 0x32, 0x83, 0x87, 0x31, 0x5d, 0x75, 0xe1,
	0x98, 0xc6, 0x41, 0xa4, 0x80, 0xcd, 0x86, 0xa1, 0xb9, 0xe5, 0x87, 0xe8,
	0xbe, 0x60, 0xe6, 0x9c, 0xc9, 0x28, 0xb2, 0xb9, 0xc5, 0x21, 0x72, 0xe4,
	0x13, 0x04, 0x2e, 0x9b, 0x23, 0xf1, 0x0b, 0x0e, 0x16, 0xe7, 0x97, 0x63,
	0xc9, 0xb5, 0x3d, 0xcf, 0x4b, 0xa8, 0x0a, 0x29, 0xe3, 0xfb, 0x73, 0xc1,
	0x6b, 0x8e, 0x75, 0xb9, 0x7e, 0xf3, 0x63, 0xe2, 0xff, 0xa3, 0x1f, 0x71,
	0xcf, 0x9d, 0xe5, 0x38, 0x4e, 0x71, 0xb8, 0x1c, 0x0a, 0xc4, 0xdf, 0xfe,
	0x0c, 0x10, 0xe6, 0x4f,
};
static const uint8_t dh2048_224_g[256] = {
	0xac, 0x40, 0x32, 0xef, 0x4f, 0x2d, 0x9a, 0xe3, 0x9d, 0xf3, 0x0b, 0x5c,
	0x8f, 0xfd, 0xac, 0x50, 0x6c, 0xde, 0xbe, 0x7b, 0x89, 0x99, 0x8c, 0xaf,
	0x74, 0x86, 0x6a, 0x08, 0xcf, 0xe4, 0xff, 0xe3, 0xa6, 0x82, 0x4a, 0x4e,
	0x10, 0xb9, 0xa6, 0xf0, 0xdd, 0x92, 0x1f, 0x01, 0xa7, 0x0c, 0x4a, 0xfa,
	0xab, 0x73, 0x9d, 0x77, 0x00, 0xc2, 0x9f, 0x52, 0xc5, 0x7d, 0xb1, 0x7c,
	0x62, 0x0a, 0x86, 0x52, 0xbe, 0x5e, 0x90, 0x01, 0xa8, 0xd6, 0x6a, 0xd7,
	0xc1, 0x76, 0x69, 0x10, 0x19, 0x99, 0x02, 0x4a, 0xf4, 0xd0, 0x27, 0x27,
	0x5a, 0xc1, 0x34, 0x8b, 0xb8, 0xa7, 0x62, 0xd0, 0x52, 0x1b, 0xc9, 0x8a,
	0xe2, 0x47, 0x15, 0x04, 0x22, 0xea, 0x1e, 0xd4, 0x09, 0x93, 0x9d, 0x54,
	0xda, 0x74, 0x60, 0xcd, 0xb5, 0xf6, 0xc6, 0xb2, 0x50, 0x71, 0x7c, 0xbe,
	0xf1, 0x80, 0xeb, 0x34, 0x11, 0x8e, 0x98, 0xd1, 0x19, 0x52, 0x9a, 0x45,
	0xd6, 0xf8, 0x34, 0x56, 0x6e, 0x30, 0x25, 0xe3, 0x16, 0xa3, 0x30, 0xef,
	0xbb, 0x77, 0xa8, 0x6f, 0x0c, 0x1a, 0xb1, 0x5b, 0x05, 0x1a, 0xe3, 0xd4,
	0x28, 0xc8, 0xf8, 0xac, 0xb7, 0x0a, 0x81, 0x37, 0x15, 0x0b, 0x8e, 0xeb,
	0x10, 0xe1, 0x83, 0xed, 0xd1, 0x99, 0x63, 0xdd, 0xd9, 0xe2, 0x63, 0xe4,
	0x77, 0x05, 0x89, 0xef, 0x6a, 0xa2, 0x1e, 0x7f, 0x5f, 0x2f, 0xf3, 0x81,
	0xb5, 0x39, 0xcc, 0xe3, 0x40, 0x9d, 0x13, 0xcd, 0x56, 0x6a, 0xfb, 0xb4,
	0x8d, 0x6c, 0x01, 0x91, 0x81, 0xe1, 0xbc, 0xfe, 0x94, 0xb3, 0x02, 0x69,
	0xed, 0xfe, 0x72, 0xfe, 0x9b, 0x6a, 0xa4, 0xbd, 0x7b, 0x5a, 0x0f, 0x1c,
	0x71, 0xcf, 0xff, 0x4c, 0x19, 0xc4, 0x18, 0xe1, 0xf6, 0xec, 0x01, 0x79,
	0x81, 0xbc, 0x08, 0x7f, 0x2a, 0x70, 0x65, 0xb3, 0x84, 0xb8, 0x90, 0xd3,
	0x19, 0x1f, 0x2b, 0xfa,
};
static const uint8_t dh2048_224_q[28] = {
	0x80, 0x1c, 0x0d, 0x34, 0xc5, 0x8d, 0x93, 0xfe, 0x99, 0x71, 0x77, 0x10,
	0x1f, 0x80, 0x53, 0x5a, 0x47, 0x38, 0xce, 0xbc, 0xbf, 0x38, 0x9a, 0x99,
	0xb3, 0x63, 0x71, 0xeb,
};
static const uint8_t dh2048_256_p[256] = {
	0x87, 0xa8, 0xe6, 0x1d, 0xb4, 0xb6, 0x66, 0x3c, 0xff, 0xbb, 0xd1, 0x9c,
	0x65, 0x19, 0x59, 0x99, 0x8c, 0xee, 0xf6, 0x08, 0x66, 0x0d, 0xd0, 0xf2,
	0x5d, 0x2c, 0xee, 0xd4, 0x43, 0x5e, 0x3b, 0x00, 0xe0, 0x0d, 0xf8, 0xf1,
	0xd6, 0x19, 0x57, 0xd4, 0xfa, 0xf7, 0xdf, 0x45, 0x61, 0xb2, 0xaa, 0x30,
	0x16, 0xc3, 0xd9, 0x11, 0x34, 0x09, 0x6f, 0xaa, 0x3b, 0xf4, 0x29, 0x6d,
	0x83, 0x0e, 0x9a, 0x7c, 0x20, 0x9e, 0x0c, 0x64, 0x97, 0x51, 0x7a, 0xbd,
	0x5a, 0x8a, 0x9d, 0x30, 0x6b, 0xcf, 0x67, 0xed, 0x91, 0xf9, 0xe6, 0x72,
	0x5b, 0x47, 0x58, 0xc0, 0x22, 0xe0, 0xb1, 0xef, 0x42, 0x75, 0xbf, 0x7b,
	0x6c, 0x5b, 0xfc, 0x11, 0xd4, 0x5f, 0x90, 0x88, 0xb9, 0x41, 0xf5, 0x4e,
	0xb1, 0xe5, 0x9b, 0xb8, 0xbc, 0x39, 0xa0, 0xbf, 0x12, 0x30, 0x7f, 0x5c,
	0x4f, 0xdb, 0x70, 0xc5, 0x81, 0xb2, 0x3f, 0x76, 0xb6, 0x3a, 0xca, 0xe1,
	0xca, 0xa6, 0xb7, 0x90, 0x2d, 0x52, 0x52, 0x67, 0x35, 0x48, 0x8a, 0x0e,
	0xf1, 0x3c, 0x6d, 0x9a, 0x51, 0xbf, 0xa4, 0xab, 0x3a, 0xd8, 0x34, 0x77,
	0x96, 0x52, 0x4d, 0x8e, 0xf6, 0xa1, 0x67, 0xb5, 0xa4, 0x18, 0x25, 0xd9,
	0x67, 0xe1, 0x44, 0xe5, 0x14, 0x05, 0x64, 0x25, 0x1c, 0xca, 0xcb, 0x83,
	0xe6, 0xb4, 0x86, 0xf6, 0xb3, 0xca, 0x3f, 0x79, 0x71, 0x50, 0x60, 0x26,
	0xc0, 0xb8, 0x57, 0xf6, 0x89, 0x96, 0x28, 0x56, 0xde, 0xd4, 0x01, 0x0a,
	0xbd, 0x0b, 0xe6, 0x21, 0xc3, 0xa3, 0x96, 0x0a, 0x54, 0xe7, 0x10, 0xc3,
	0x75, 0xf2, 0x63, 0x75, 0xd7, 0x01, 0x41, 0x03, 0xa4, 0xb5, 0x43, 0x30,
	0xc1, 0x98, 0xaf, 0x12, 0x61, 0x16, 0xd2, 0x27, 0x6e, 0x11, 0x71, 0x5f,
	0x69, 0x38, 0x77, 0xfa, 0xd7, 0xef, 0x09, 0xca, 0xdb, 0x09, 0x4a, 0xe9,
	0x1e, 0x1a, 0x15, 0x97,
};
static const uint8_t dh2048_256_g[256] = {
	0x3f, 0xb3, 0x2c, 0x9b, 0x73, 0x13, 0x4d, 0x0b, 0x2e, 0x77, 0x50, 0x66,
	0x60, 0xed, 0xbd, 0x48, 0x4c, 0xa7, 0xb1, 0x8f, 0x21, 0xef, 0x20, 0x54,
	0x07, 0xf4, 0x79, 0x3a, 0x1a, 0x0b, 0xa1, 0x25, 0x10, 0xdb, 0xc1, 0x50,
	0x77, 0xbe, 0x46, 0x3f, 0xff, 0x4f, 0xed, 0x4a, 0xac, 0x0b, 0xb5, 0x55,
	0xbe, 0x3a, 0x6c, 0x1b, 0x0c, 0x6b, 0x47, 0xb1, 0xbc, 0x37, 0x73, 0xbf,
	0x7e, 0x8c, 0x6f, 0x62, 0x90, 0x12, 0x28, 0xf8, 0xc2, 0x8c, 0xbb, 0x18,
	0xa5, 0x5a, 0xe3, 0x13, 0x41, 0x00, 0x0a, 0x65, 0x01, 0x96, 0xf9, 0x31,
	0xc7, 0x7a, 0x57, 0xf2, 0xdd, 0xf4, 0x63, 0xe5, 0xe9, 0xec, 0x14, 0x4b,
	0x77, 0x7d, 0xe6, 0x2a, 0xaa, 0xb8, 0xa8, 0x62, 0x8a, 0xc3, 0x76, 0xd2,
	0x82, 0xd6, 0xed, 0x38, 0x64, 0xe6, 0x79, 0x82, 0x42, 0x8e, 0xbc, 0x83,
	0x1d, 0x14, 0x34, 0x8f, 0x6f, 0x2f, 0x91, 0x93, 0xb5, 0x04, 0x5a, 0xf2,
	0x76, 0x71, 0x64, 0xe1, 0xdf, 0xc9, 0x67, 0xc1, 0xfb, 0x3f, 0x2e, 0x55,
	0xa4, 0xbd, 0x1b, 0xff, 0xe8, 0x3b, 0x9c, 0x80, 0xd0, 0x52, 0xb9, 0x85,
	0xd1, 0x82, 0xea, 0x0a, 0xdb, 0x2a, 0x3b, 0x73, 0x13, 0xd3, 0xfe, 0x14,
	0xc8, 0x48, 0x4b, 0x1e, 0x05, 0x25, 0x88, 0xb9, 0xb7, 0xd2, 0xbb, 0xd2,
	0xdf, 0x01, 0x61, 0x99, 0xec, 0xd0, 0x6e, 0x15, 0x57, 0xcd, 0x09, 0x15,
	0xb3, 0x35, 0x3b, 0xbb, 0x64, 0xe0, 0xec, 0x37, 0x7f, 0xd0, 0x28, 0x37,
	0x0d, 0xf9, 0x2b, 0x52, 0xc7, 0x89, 0x14, 0x28, 0xcd, 0xc6, 0x7e, 0xb6,
	0x18, 0x4b, 0x52, 0x3d, 0x1d, 0xb2, 0x46, 0xc3, 0x2f, 0x63, 0x07, 0x84,
	0x90, 0xf0, 0x0e, 0xf8, 0xd6, 0x47, 0xd1, 0x48, 0xd4, 0x79, 0x54, 0x51,
	0x5e, 0x23, 0x27, 0xcf, 0xef, 0x98, 0xc5, 0x82, 0x66, 0x4b, 0x4c, 0x0f,
	0x6c, 0xc4, 0x16, 0x59,
};
static const uint8_t dh2048_256_q[32] = {
	0x8c, 0xf8, 0x36, 0x42, 0xa7, 0x09, 0xa0, 0x97, 0xb4, 0x47, 0x99, 0x76,
	0x40, 0x12, 0x9d, 0xa2, 0x99, 0xb1, 0xa4, 0x7d, 0x1e, 0xb3, 0x75, 0x0b,
	0xa3, 0x08, 0xb0, 0xfe, 0x64, 0xf5, 0xfb, 0xd3,
};

struct dh_group {
	const uint8_t *p, *g, *q;
	size_t plen, glen, qlen;
};

#define DH_GROUP(name) { name##_p, name##_g, name##_q, \
	sizeof(name##_p), sizeof(name##_g), sizeof(name##_q) }

static const struct dh_group dh_groups[] = {
	DH_GROUP(dh1024_160),   /* ID 0 */
	DH_GROUP(dh2048_224),   /* ID 1 */
	DH_GROUP(dh2048_256),   /* ID 2 */
};

/* EC groups 8..18 by their OpenSSL names. */
static int ec_curve_nid(int id)
{
	switch (id) {
	case 8:  return NID_X9_62_prime192v1;   /* secp192r1 */
	case 9:  return NID_brainpoolP192r1;
	case 10: return NID_secp224r1;
	case 11: return NID_brainpoolP224r1;
	case 12: return NID_X9_62_prime256v1;   /* secp256r1 */
	case 13: return NID_brainpoolP256r1;
	case 14: return NID_brainpoolP320r1;
	case 15: return NID_secp384r1;
	case 16: return NID_brainpoolP384r1;
	case 17: return NID_brainpoolP512r1;
	case 18: return NID_secp521r1;
	default: return NID_undef;
	}
}

bool eid_pace_param_id_supported(int param_id)
{
	return (param_id >= 0 && param_id <= 2) || ec_curve_nid(param_id) != NID_undef;
}

static int dp_init_dh(struct eid_pace_dp *dp, const struct dh_group *grp)
{
	dp->ka = EID_KA_DH;
	dp->p = BN_bin2bn(grp->p, (int)grp->plen, NULL);
	dp->g = BN_bin2bn(grp->g, (int)grp->glen, NULL);
	dp->q = BN_bin2bn(grp->q, (int)grp->qlen, NULL);
	if (!dp->p || !dp->g || !dp->q)
		return -EID_ENOMEM;
	dp->plen = (size_t)BN_num_bytes(dp->p);
	dp->qlen = (size_t)BN_num_bytes(dp->q);
	return 0;
}

/* Takes ownership of group. */
static int dp_init_ec_group(struct eid_pace_dp *dp, EC_GROUP *group)
{
	dp->ka = EID_KA_ECDH;
	dp->group = group;
	if (!dp->group)
		return -EID_ENOTSUP;
	dp->p = BN_new();
	dp->a = BN_new();
	dp->b = BN_new();
	dp->q = BN_dup(EC_GROUP_get0_order(dp->group));
	if (!dp->p || !dp->a || !dp->b || !dp->q)
		return -EID_ENOMEM;
	if (!EC_GROUP_get_curve(dp->group, dp->p, dp->a, dp->b, dp->bn))
		return -EID_ECRYPTO;
	dp->plen = (size_t)BN_num_bytes(dp->p);
	dp->qlen = (size_t)BN_num_bytes(dp->q);
	return 0;
}

int eid_pace_dp_new(int param_id, struct eid_pace_dp **out)
{
	struct eid_pace_dp *dp;
	int ret;

	if (!out)
		return -EID_EINVAL;
	*out = NULL;
	if (!eid_pace_param_id_supported(param_id))
		return -EID_ENOTSUP;
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -EID_ENOMEM;
	dp->id = param_id;
	dp->bn = BN_CTX_secure_new();
	if (!dp->bn) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (param_id <= 2)
		ret = dp_init_dh(dp, &dh_groups[param_id]);
	else
		ret = dp_init_ec_group(dp, EC_GROUP_new_by_curve_name(ec_curve_nid(param_id)));
out:
	if (ret < 0)
		eid_pace_dp_free(dp);
	else
		*out = dp;
	return ret;
}

/* The EC group of a key: by name, or rebuilt from explicit parameters. */
static EC_GROUP *ec_group_of(EVP_PKEY *key)
{
	char name[80];
	OSSL_PARAM *params = NULL;
	EC_GROUP *g = NULL;
	int nid;

	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
					   NULL) &&
	    (nid = OBJ_txt2nid(name)) != NID_undef)
		return EC_GROUP_new_by_curve_name(nid);
	if (EVP_PKEY_todata(key, EVP_PKEY_KEY_PARAMETERS, &params) == 1)
		g = EC_GROUP_new_from_params(params, NULL, NULL);
	OSSL_PARAM_free(params);
	return g;
}

int eid_pace_dp_from_pkey(EVP_PKEY *key, struct eid_pace_dp **out)
{
	struct eid_pace_dp *dp;
	int ret;

	if (!key || !out)
		return -EID_EINVAL;
	*out = NULL;
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -EID_ENOMEM;
	dp->id = -1;
	dp->bn = BN_CTX_secure_new();
	if (!dp->bn) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		ret = dp_init_ec_group(dp, ec_group_of(key));
	} else if (EVP_PKEY_is_a(key, "DH") || EVP_PKEY_is_a(key, "DHX")) {
		dp->ka = EID_KA_DH;
		if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_P, &dp->p) ||
		    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_G, &dp->g) ||
		    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_Q, &dp->q)) {
			ret = -EID_ENOTSUP; /* no subgroup order: cannot validate keys */
			goto out;
		}
		dp->plen = (size_t)BN_num_bytes(dp->p);
		dp->qlen = (size_t)BN_num_bytes(dp->q);
		ret = 0;
	} else {
		ret = -EID_ENOTSUP;
	}
out:
	if (ret < 0)
		eid_pace_dp_free(dp);
	else
		*out = dp;
	return ret;
}

void eid_pace_dp_free(struct eid_pace_dp *dp)
{
	if (!dp)
		return;
	EC_GROUP_free(dp->group);
	BN_free(dp->p);
	BN_free(dp->a);
	BN_free(dp->b);
	BN_free(dp->q);
	BN_free(dp->g);
	BN_CTX_free(dp->bn);
	free(dp);
}

size_t eid_pace_dp_elem_len(const struct eid_pace_dp *dp)
{
	return dp->ka == EID_KA_ECDH ? 1 + 2 * dp->plen : dp->plen;
}

/* ---- encoding and validation of elements ---- */

/* A BIGNUM for secret bytes: constant-time flag, cleared by BN_clear_free. */
static BIGNUM *bn_secret(const uint8_t *data, size_t n)
{
	BIGNUM *k = BN_secure_new();

	if (!k)
		return NULL;
	BN_set_flags(k, BN_FLG_CONSTTIME);
	if (!BN_bin2bn(data, (int)n, k)) {
		BN_clear_free(k);
		return NULL;
	}
	return k;
}

/* A scalar 0 < k < q from exactly qlen bytes; -EID_EINVAL otherwise. */
static int scalar_decode(const struct eid_pace_dp *dp, const uint8_t *data, size_t n,
			 BIGNUM **out)
{
	BIGNUM *k;

	*out = NULL;
	if (!data || n == 0 || n > dp->qlen)
		return -EID_EINVAL;
	k = bn_secret(data, n);
	if (!k)
		return -EID_ENOMEM;
	if (BN_is_zero(k) || BN_cmp(k, dp->q) >= 0) {
		BN_clear_free(k);
		return -EID_EINVAL;
	}
	*out = k;
	return 0;
}

static int ec_encode(const struct eid_pace_dp *dp, const EC_POINT *pt, eid_buf *out)
{
	size_t n = eid_pace_dp_elem_len(dp);
	uint8_t *dst;

	if (EC_POINT_is_at_infinity(dp->group, pt))
		return -EID_ECRYPTO;
	eid_buf_reset(out);
	dst = eid_buf_add_space(out, n);
	if (!dst)
		return -EID_ENOMEM;
	if (EC_POINT_point2oct(dp->group, pt, POINT_CONVERSION_UNCOMPRESSED, dst, n, dp->bn) != n)
		return -EID_ECRYPTO;
	return 0;
}

static int bn_encode(const BIGNUM *v, size_t len, eid_buf *out)
{
	uint8_t *dst;

	eid_buf_reset(out);
	dst = eid_buf_add_space(out, len);
	if (!dst)
		return -EID_ENOMEM;
	return BN_bn2binpad(v, dst, (int)len) == (int)len ? 0 : -EID_ECRYPTO;
}

/* An uncompressed point on the curve, not at infinity, in the prime-order
 * subgroup. */
static int ec_decode(const struct eid_pace_dp *dp, const uint8_t *in, size_t n, EC_POINT **out)
{
	const BIGNUM *cofactor = EC_GROUP_get0_cofactor(dp->group);
	EC_POINT *pt = NULL, *chk = NULL;
	eid_cbs c;
	uint8_t form;
	int ret = -EID_EPARSE;

	*out = NULL;
	eid_cbs_init(&c, in, n);
	if (n != eid_pace_dp_elem_len(dp) || !eid_cbs_get_u8(&c, &form) || form != 0x04)
		return -EID_EPARSE;
	pt = EC_POINT_new(dp->group);
	if (!pt)
		return -EID_ENOMEM;
	if (!EC_POINT_oct2point(dp->group, pt, in, n, dp->bn) ||
	    EC_POINT_is_at_infinity(dp->group, pt) ||
	    EC_POINT_is_on_curve(dp->group, pt, dp->bn) != 1)
		goto out;
	if (cofactor && !BN_is_one(cofactor)) {
		chk = EC_POINT_new(dp->group);
		if (!chk || !EC_POINT_mul(dp->group, chk, NULL, pt, dp->q, dp->bn) ||
		    !EC_POINT_is_at_infinity(dp->group, chk))
			goto out;
	}
	*out = pt;
	pt = NULL;
	ret = 0;
out:
	EC_POINT_free(chk);
	EC_POINT_free(pt);
	return ret;
}

/* A DH value of exactly |p| bytes with 1 < y < p-1 and y^q = 1 mod p. */
static int dh_decode(const struct eid_pace_dp *dp, const uint8_t *in, size_t n, BIGNUM **out)
{
	BIGNUM *y = NULL, *t;
	int ret = -EID_EPARSE;

	*out = NULL;
	if (n != dp->plen)
		return -EID_EPARSE;
	BN_CTX_start(dp->bn);
	t = BN_CTX_get(dp->bn);
	y = BN_bin2bn(in, (int)n, NULL);
	if (!t || !y || !BN_sub(t, dp->p, BN_value_one())) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, t) >= 0)
		goto out;
	if (!BN_mod_exp(t, y, dp->q, dp->p, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	if (!BN_is_one(t))
		goto out;
	*out = y;
	y = NULL;
	ret = 0;
out:
	BN_free(y);
	BN_CTX_end(dp->bn);
	return ret;
}

int eid_pace_check_pub(const struct eid_pace_dp *dp, const uint8_t *pub, size_t n)
{
	EC_POINT *pt = NULL;
	BIGNUM *y = NULL;
	int ret;

	if (!dp || (!pub && n))
		return -EID_EINVAL;
	if (dp->ka == EID_KA_ECDH)
		ret = ec_decode(dp, pub, n, &pt);
	else
		ret = dh_decode(dp, pub, n, &y);
	EC_POINT_free(pt);
	BN_free(y);
	return ret;
}

/* ---- key pairs and key agreement ---- */

/* Draw qlen bytes until they form a scalar 0 < k < q.  Bits above the bit
 * length of q are cleared first, so a draw fails rarely on every curve. */
static int draw_scalar(const struct eid_pace_dp *dp, const struct eid_rng *rng, eid_buf *priv,
		       BIGNUM **out)
{
	unsigned int topbits = (unsigned int)BN_num_bits(dp->q) % 8;
	uint8_t *k;
	int ret;

	for (int tries = 0; tries < 64; tries++) {
		eid_buf_reset(priv);
		k = eid_buf_add_space(priv, dp->qlen);
		if (!k)
			return -EID_ENOMEM;
		ret = eid_random(rng, k, dp->qlen);
		if (ret < 0)
			return ret;
		if (topbits)
			k[0] &= (uint8_t)((1u << topbits) - 1);
		ret = scalar_decode(dp, k, dp->qlen, out);
		if (ret != -EID_EINVAL)
			return ret;
	}
	return -EID_ECRYPTO;
}

static int ec_keygen(const struct eid_pace_dp *dp, const uint8_t *gen, size_t gen_len,
		     const BIGNUM *k, eid_buf *pub)
{
	EC_POINT *g = NULL, *pt = NULL;
	int ret;

	if (gen) {
		ret = ec_decode(dp, gen, gen_len, &g);
		if (ret < 0)
			goto out;
	}
	pt = EC_POINT_new(dp->group);
	if (!pt) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!(g ? EC_POINT_mul(dp->group, pt, NULL, g, k, dp->bn)
		: EC_POINT_mul(dp->group, pt, k, NULL, NULL, dp->bn))) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	ret = ec_encode(dp, pt, pub);
out:
	EC_POINT_free(g);
	EC_POINT_free(pt);
	return ret;
}

static int dh_keygen(const struct eid_pace_dp *dp, const uint8_t *gen, size_t gen_len,
		     const BIGNUM *k, eid_buf *pub)
{
	BIGNUM *g = NULL, *y = NULL;
	int ret;

	if (gen) {
		ret = dh_decode(dp, gen, gen_len, &g);
		if (ret < 0)
			goto out;
	}
	y = BN_new();
	if (!y) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!BN_mod_exp(y, g ? g : dp->g, k, dp->p, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	ret = bn_encode(y, dp->plen, pub);
out:
	BN_free(g);
	BN_free(y);
	return ret;
}

int eid_pace_keygen(const struct eid_pace_dp *dp, const uint8_t *gen, size_t gen_len,
		    const struct eid_rng *rng, eid_buf *priv, eid_buf *pub)
{
	BIGNUM *k = NULL;
	int ret;

	if (!dp || !priv || !pub)
		return -EID_EINVAL;
	ret = draw_scalar(dp, rng, priv, &k);
	if (ret < 0)
		goto out;
	if (dp->ka == EID_KA_ECDH)
		ret = ec_keygen(dp, gen, gen_len, k, pub);
	else
		ret = dh_keygen(dp, gen, gen_len, k, pub);
out:
	BN_clear_free(k);
	if (ret < 0)
		eid_buf_reset(priv);
	return ret;
}

static int ec_agree(const struct eid_pace_dp *dp, const BIGNUM *k, const uint8_t *peer,
		    size_t peer_len, bool x_only, eid_buf *out)
{
	EC_POINT *pt = NULL, *r = NULL;
	BIGNUM *x = NULL;
	int ret;

	ret = ec_decode(dp, peer, peer_len, &pt);
	if (ret < 0)
		goto out;
	r = EC_POINT_new(dp->group);
	x = BN_secure_new();
	if (!r || !x) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!EC_POINT_mul(dp->group, r, NULL, pt, k, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	if (EC_POINT_is_at_infinity(dp->group, r)) {
		ret = -EID_EAUTH;
		goto out;
	}
	if (!x_only) {
		ret = ec_encode(dp, r, out);
		goto out;
	}
	if (!EC_POINT_get_affine_coordinates(dp->group, r, x, NULL, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	ret = bn_encode(x, dp->plen, out);
out:
	EC_POINT_clear_free(r);
	EC_POINT_free(pt);
	BN_clear_free(x);
	return ret;
}

static int dh_agree(const struct eid_pace_dp *dp, const BIGNUM *k, const uint8_t *peer,
		    size_t peer_len, eid_buf *out)
{
	BIGNUM *y = NULL, *z = NULL;
	int ret;

	ret = dh_decode(dp, peer, peer_len, &y);
	if (ret < 0)
		goto out;
	z = BN_secure_new();
	if (!z) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!BN_mod_exp(z, y, k, dp->p, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	if (BN_is_one(z) || BN_is_zero(z)) {
		ret = -EID_EAUTH;
		goto out;
	}
	ret = bn_encode(z, dp->plen, out);
out:
	BN_free(y);
	BN_clear_free(z);
	return ret;
}

int eid_pace_agree(const struct eid_pace_dp *dp, const uint8_t *priv, size_t priv_len,
		   const uint8_t *peer, size_t peer_len, bool x_only, eid_buf *out)
{
	BIGNUM *k = NULL;
	int ret;

	if (!dp || !out || (!peer && peer_len))
		return -EID_EINVAL;
	ret = scalar_decode(dp, priv, priv_len, &k);
	if (ret < 0)
		goto out;
	if (dp->ka == EID_KA_ECDH)
		ret = ec_agree(dp, k, peer, peer_len, x_only, out);
	else
		ret = dh_agree(dp, k, peer, peer_len, out);
out:
	BN_clear_free(k);
	if (ret < 0)
		eid_buf_reset(out);
	return ret;
}

/* ---- generic mapping ---- */

/* G~ = s*G + H.  s*G alone, so that OpenSSL uses its constant-time ladder. */
static int ec_map_gm(const struct eid_pace_dp *dp, const BIGNUM *s, const uint8_t *h,
		     size_t hlen, eid_buf *gen)
{
	EC_POINT *hp = NULL, *g = NULL;
	int ret;

	ret = ec_decode(dp, h, hlen, &hp);
	if (ret < 0)
		goto out;
	g = EC_POINT_new(dp->group);
	if (!g) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!EC_POINT_mul(dp->group, g, s, NULL, NULL, dp->bn) ||
	    !EC_POINT_add(dp->group, g, g, hp, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	if (EC_POINT_is_at_infinity(dp->group, g)) {
		ret = -EID_EAUTH;
		goto out;
	}
	ret = ec_encode(dp, g, gen);
out:
	EC_POINT_clear_free(hp);
	EC_POINT_clear_free(g);
	return ret;
}

/* g~ = g^s * h mod p. */
static int dh_map_gm(const struct eid_pace_dp *dp, const BIGNUM *s, const uint8_t *h,
		     size_t hlen, eid_buf *gen)
{
	BIGNUM *hv = NULL, *g = NULL;
	int ret;

	ret = dh_decode(dp, h, hlen, &hv);
	if (ret < 0)
		goto out;
	g = BN_secure_new();
	if (!g) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (!BN_mod_exp(g, dp->g, s, dp->p, dp->bn) || !BN_mod_mul(g, g, hv, dp->p, dp->bn)) {
		ret = -EID_ECRYPTO;
		goto out;
	}
	if (BN_is_one(g) || BN_is_zero(g)) {
		ret = -EID_EAUTH;
		goto out;
	}
	ret = bn_encode(g, dp->plen, gen);
out:
	BN_clear_free(hv);
	BN_clear_free(g);
	return ret;
}

int eid_pace_map_gm(const struct eid_pace_dp *dp, const uint8_t *s, size_t slen,
		    const uint8_t *h, size_t hlen, eid_buf *gen)
{
	BIGNUM *sn = NULL;
	int ret;

	if (!dp || !s || !slen || !gen || (!h && hlen))
		return -EID_EINVAL;
	sn = bn_secret(s, slen);
	if (!sn)
		return -EID_ENOMEM;
	if (dp->ka == EID_KA_ECDH)
		ret = ec_map_gm(dp, sn, h, hlen, gen);
	else
		ret = dh_map_gm(dp, sn, h, hlen, gen);
	BN_clear_free(sn);
	if (ret < 0)
		eid_buf_reset(gen);
	return ret;
}

/* ---- integrated mapping ---- */

/* Constants of the pseudo-random function, ICAO 9303-11 4.4.3.3.2. */
static const uint8_t prf_c0_128[16] = {
	0xa6, 0x68, 0x89, 0x2a, 0x7c, 0x41, 0xe3, 0xca,
	0x73, 0x9f, 0x40, 0xb0, 0x57, 0xd8, 0x59, 0x04,
};
static const uint8_t prf_c1_128[16] = {
	0xa4, 0xe1, 0x36, 0xac, 0x72, 0x5f, 0x73, 0x8b,
	0x01, 0xc1, 0xf6, 0x02, 0x17, 0xc1, 0x88, 0xad,
};
static const uint8_t prf_c0_256[32] = {
	0xd4, 0x63, 0xd6, 0x52, 0x34, 0x12, 0x4e, 0xf7,
	0x89, 0x70, 0x54, 0x98, 0x6d, 0xca, 0x0a, 0x17,
	0x4e, 0x28, 0xdf, 0x75, 0x8c, 0xba, 0xa0, 0x3f,
	0x24, 0x06, 0x16, 0x41, 0x4d, 0x5a, 0x16, 0x76,
};
static const uint8_t prf_c1_256[32] = {
	0x54, 0xbd, 0x72, 0x55, 0xf0, 0xaa, 0xf8, 0x31,
	0xbe, 0xc3, 0x42, 0x3f, 0xcf, 0x39, 0xd6, 0x9b,
	0x6c, 0xbf, 0x06, 0x66, 0x77, 0xd0, 0xfa, 0xae,
	0x5a, 0xad, 0xd9, 0x9d, 0xf8, 0xe5, 0x35, 0x17,
};

int eid_pace_im_prf(enum eid_cipher c, const uint8_t *s, size_t slen, const uint8_t *t,
		    size_t tlen, size_t pbits, eid_buf *out)
{
	size_t keylen = eid_cipher_keylen(c);
	const uint8_t *c0, *c1;
	uint8_t k[32], x[32];
	size_t nblocks;
	int ret = 0;

	if (!keylen || !s || !t || !out || tlen != keylen || pbits == 0)
		return -EID_EINVAL;
	if (slen == 16) {
		c0 = prf_c0_128;
		c1 = prf_c1_128;
	} else if (slen == 32) {
		c0 = prf_c0_256;
		c1 = prf_c1_256;
	} else {
		return -EID_ENOTSUP;
	}
	if (slen < keylen)   /* k_i must be at least a key long */
		return -EID_ENOTSUP;
	nblocks = (pbits + 64 + 8 * slen - 1) / (8 * slen);
	eid_buf_reset(out);
	ret = eid_cipher_cbc(c, t, NULL, true, s, slen, k);
	for (size_t i = 0; ret == 0 && i < nblocks; i++) {
		ret = eid_cipher_cbc(c, k, NULL, true, c1, slen, x);
		if (ret == 0)
			ret = eid_buf_add(out, x, slen);
		if (ret == 0)
			ret = eid_cipher_cbc(c, k, NULL, true, c0, slen, k);
	}
	eid_wipe(k, sizeof(k));
	eid_wipe(x, sizeof(x));
	if (ret < 0)
		eid_buf_reset(out);
	return ret;
}

/*
 * Point encoding f_G for curves with p = 3 mod 4 (ICAO 9303-11 Appendix B,
 * affine coordinates; a simplified Shallue-van de Woestijne-Ulas map):
 *   1. alpha = -t^2
 *   2. X2 = -b (1 + alpha + alpha^2) / (a (alpha + alpha^2))
 *   3. X3 = alpha X2
 *   4. h2 = X2^3 + a X2 + b
 *   5. U = t^3 h2
 *   6. A = h2^(p - 1 - (p+1)/4)
 *   7. (x, y) = (X2, A h2) if A^2 h2 = 1, else (X3, A U)
 *   8. the result is f * (x, y), f the cofactor
 */
static int ec_point_encode(const struct eid_pace_dp *dp, const BIGNUM *t, EC_POINT *out)
{
	const BIGNUM *p = dp->p, *cofactor = EC_GROUP_get0_cofactor(dp->group);
	BIGNUM *alpha, *u, *x2, *x3, *h2, *uu, *aa, *e, *tmp, *y;
	BN_CTX *bn = dp->bn;
	int ret = -EID_ECRYPTO;

	BN_CTX_start(bn);
	alpha = BN_CTX_get(bn);
	u = BN_CTX_get(bn);
	x2 = BN_CTX_get(bn);
	x3 = BN_CTX_get(bn);
	h2 = BN_CTX_get(bn);
	uu = BN_CTX_get(bn);
	aa = BN_CTX_get(bn);
	e = BN_CTX_get(bn);
	tmp = BN_CTX_get(bn);
	y = BN_CTX_get(bn);
	if (!y) {
		ret = -EID_ENOMEM;
		goto out;
	}
	BN_zero(tmp);
	/* 1. alpha = -t^2 mod p */
	if (!BN_mod_sqr(alpha, t, p, bn) || !BN_mod_sub(alpha, tmp, alpha, p, bn))
		goto out;
	/* 2. u = alpha + alpha^2; X2 = -b (1 + u) / (a u) */
	if (!BN_mod_sqr(u, alpha, p, bn) || !BN_mod_add(u, u, alpha, p, bn) ||
	    !BN_mod_mul(tmp, dp->a, u, p, bn))
		goto out;
	if (BN_is_zero(tmp))
		goto out;
	if (!BN_mod_inverse(tmp, tmp, p, bn) || !BN_mod_add(x2, u, BN_value_one(), p, bn) ||
	    !BN_mod_mul(x2, x2, dp->b, p, bn) || !BN_mod_mul(x2, x2, tmp, p, bn))
		goto out;
	BN_zero(tmp);
	if (!BN_mod_sub(x2, tmp, x2, p, bn))
		goto out;
	/* 3. X3 = alpha X2 */
	if (!BN_mod_mul(x3, alpha, x2, p, bn))
		goto out;
	/* 4. h2 = X2^3 + a X2 + b = (X2^2 + a) X2 + b */
	if (!BN_mod_sqr(h2, x2, p, bn) || !BN_mod_add(h2, h2, dp->a, p, bn) ||
	    !BN_mod_mul(h2, h2, x2, p, bn) || !BN_mod_add(h2, h2, dp->b, p, bn))
		goto out;
	/* 5. U = t^3 h2 */
	if (!BN_mod_sqr(uu, t, p, bn) || !BN_mod_mul(uu, uu, t, p, bn) ||
	    !BN_mod_mul(uu, uu, h2, p, bn))
		goto out;
	/* 6. A = h2^(p - 1 - (p+1)/4) */
	if (!BN_add(e, p, BN_value_one()) || !BN_rshift(e, e, 2) ||
	    !BN_sub(tmp, p, BN_value_one()) || !BN_sub(e, tmp, e) ||
	    !BN_mod_exp(aa, h2, e, p, bn))
		goto out;
	/* 7. choose the square root */
	if (!BN_mod_sqr(tmp, aa, p, bn) || !BN_mod_mul(tmp, tmp, h2, p, bn))
		goto out;
	if (BN_is_one(tmp)) {
		if (!BN_mod_mul(y, aa, h2, p, bn))
			goto out;
		if (!EC_POINT_set_affine_coordinates(dp->group, out, x2, y, bn))
			goto out;
	} else {
		if (!BN_mod_mul(y, aa, uu, p, bn))
			goto out;
		if (!EC_POINT_set_affine_coordinates(dp->group, out, x3, y, bn))
			goto out;
	}
	/* 8. cofactor */
	if (cofactor && !BN_is_one(cofactor) &&
	    !EC_POINT_mul(dp->group, out, NULL, out, cofactor, bn))
		goto out;
	ret = EC_POINT_is_at_infinity(dp->group, out) ? -EID_ECRYPTO : 0;
out:
	BN_CTX_end(bn);   /* the secure context clears its values when freed */
	return ret;
}

static int ec_map_im(const struct eid_pace_dp *dp, const BIGNUM *r, eid_buf *gen)
{
	EC_POINT *g;
	int ret;

	/* f_G needs p = 3 mod 4 (a square root by one exponentiation) and a != 0 */
	if (!BN_is_bit_set(dp->p, 0) || !BN_is_bit_set(dp->p, 1) || BN_is_zero(dp->a))
		return -EID_ENOTSUP;
	g = EC_POINT_new(dp->group);
	if (!g)
		return -EID_ENOMEM;
	ret = ec_point_encode(dp, r, g);
	if (ret == 0)
		ret = ec_encode(dp, g, gen);
	EC_POINT_clear_free(g);
	return ret;
}

static int dh_map_im(const struct eid_pace_dp *dp, const BIGNUM *r, eid_buf *gen)
{
	BIGNUM *e, *g;
	int ret = -EID_ECRYPTO;

	BN_CTX_start(dp->bn);
	e = BN_CTX_get(dp->bn);
	g = BN_CTX_get(dp->bn);
	if (!g) {
		ret = -EID_ENOMEM;
		goto out;
	}
	/* g~ = r^((p-1)/q) mod p */
	if (!BN_sub(e, dp->p, BN_value_one()) || !BN_div(e, NULL, e, dp->q, dp->bn) ||
	    !BN_mod_exp(g, r, e, dp->p, dp->bn))
		goto out;
	if (BN_is_one(g) || BN_is_zero(g))
		goto out;
	ret = bn_encode(g, dp->plen, gen);
out:
	BN_CTX_end(dp->bn);
	return ret;
}

int eid_pace_map_im(const struct eid_pace_dp *dp, enum eid_cipher c, const uint8_t *s,
		    size_t slen, const uint8_t *t, size_t tlen, eid_buf *gen)
{
	eid_buf rbytes;
	BIGNUM *r = NULL;
	int ret;

	if (!dp || !gen)
		return -EID_EINVAL;
	eid_buf_init_secret(&rbytes);
	ret = eid_pace_im_prf(c, s, slen, t, tlen, (size_t)BN_num_bits(dp->p), &rbytes);
	if (ret < 0)
		goto out;
	r = bn_secret(rbytes.data, rbytes.len);
	if (!r || !BN_nnmod(r, r, dp->p, dp->bn)) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (dp->ka == EID_KA_ECDH)
		ret = ec_map_im(dp, r, gen);
	else
		ret = dh_map_im(dp, r, gen);
out:
	BN_clear_free(r);
	eid_buf_free(&rbytes);
	if (ret < 0)
		eid_buf_reset(gen);
	return ret;
}
