/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Symmetric crypto helpers on OpenSSL 3 (EVP / EVP_MAC, no deprecated API,
 * no legacy provider), and the injectable randomness source.
 */
#ifndef EID_CRYPTO_H
#define EID_CRYPTO_H

#include "buf.h"

enum eid_cipher {
	EID_CIPHER_3DES = 1,   /* two-key 3DES-CBC, retail MAC (ISO 9797-1 alg. 3) */
	EID_CIPHER_AES128,     /* AES-CBC, AES-CMAC */
	EID_CIPHER_AES192,
	EID_CIPHER_AES256,
};

size_t eid_cipher_keylen(enum eid_cipher c);    /* 16, 16, 24, 32; 0 if unknown */
size_t eid_cipher_blocklen(enum eid_cipher c);  /* 8 or 16; 0 if unknown */
const char *eid_cipher_name(enum eid_cipher c); /* "3DES", "AES-128", ... */

/* KDF counters (ICAO 9303-11 9.7.1, BSI TR-03110-3 A.2.3). */
#define EID_KDF_ENC 1u
#define EID_KDF_MAC 2u
#define EID_KDF_PI  3u

/*
 * KDF(K, [nonce,] c): hash(K || nonce || c as 4 bytes big endian);
 * SHA-1 for 3DES (then odd parity) and AES-128, SHA-256 for AES-192/256;
 * writes eid_cipher_keylen(cipher) bytes to out.  nonce may be NULL
 * (used by Chip Authentication v2/3 only).
 */
int eid_kdf(enum eid_cipher cipher, const uint8_t *k, size_t klen,
	    const uint8_t *nonce, size_t nlen, uint32_t counter, uint8_t *out);

/* Hashes: name is "SHA1", "SHA224", "SHA256", "SHA384", "SHA512". */
int eid_digest(const char *name, const uint8_t *in, size_t n, uint8_t *out, size_t *outlen);
int eid_sha1(const uint8_t *in, size_t n, uint8_t out[20]);
int eid_sha256(const uint8_t *in, size_t n, uint8_t out[32]);

/* Set the DES odd-parity bit of every byte. */
void eid_des_set_parity(uint8_t *key, size_t n);

/* Two-key 3DES in CBC mode, no padding; n must be a multiple of 8.
 * iv may be NULL (zero IV).  in and out may alias. */
int eid_des3_cbc(const uint8_t key[16], const uint8_t *iv, bool encrypt,
		 const uint8_t *in, size_t n, uint8_t *out);
/* ISO 9797-1 MAC algorithm 3 with DES (retail MAC), zero IV; the input must
 * already be padded to a multiple of 8. */
int eid_retail_mac(const uint8_t key[16], const uint8_t *in, size_t n, uint8_t out[8]);
/* The same over ISO 7816-4 padded input (BAC's cryptogram MAC). */
int eid_retail_mac_padded(const uint8_t key[16], const uint8_t *in, size_t n, uint8_t out[8]);

/* AES-CBC, no padding; n a multiple of 16; iv NULL = zero IV. */
int eid_aes_cbc(const uint8_t *key, size_t keylen, const uint8_t *iv, bool encrypt,
		const uint8_t *in, size_t n, uint8_t *out);
/* One AES block, ECB encrypt. */
int eid_aes_encrypt_block(const uint8_t *key, size_t keylen, const uint8_t in[16],
			  uint8_t out[16]);
/* AES-CMAC (full 16 bytes). */
int eid_aes_cmac(const uint8_t *key, size_t keylen, const uint8_t *in, size_t n,
		 uint8_t out[16]);

/* Generic block cipher by suite: CBC with the given IV (NULL = zero). */
int eid_cipher_cbc(enum eid_cipher c, const uint8_t *key, const uint8_t *iv, bool encrypt,
		   const uint8_t *in, size_t n, uint8_t *out);
/* MAC by suite over already padded data for 3DES (retail MAC) or any data
 * for AES (CMAC); writes 8 bytes (the truncated MAC used by SM and PACE). */
int eid_cipher_mac8(enum eid_cipher c, const uint8_t *key, const uint8_t *in, size_t n,
		    uint8_t out[8]);

/* ISO/IEC 7816-4 padding (80 00..) to a multiple of block; appends to b. */
int eid_pad(eid_buf *b, size_t block);
/* Length of data without ISO 7816-4 padding; -EID_ESM when malformed. */
int eid_unpad_len(const uint8_t *data, size_t n, size_t *unpadded);

/*
 * Randomness.  Protocols take an eid_rng so tests can replay worked
 * examples; NULL means the system CSPRNG (RAND_bytes).
 */
struct eid_rng {
	int (*bytes)(void *ctx, uint8_t *out, size_t n);
	void *ctx;
};
int eid_random(const struct eid_rng *rng, uint8_t *out, size_t n);

#endif
