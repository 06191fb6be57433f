/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/bn.h>

#include "testutil.h"
#include "aa.h"
#include "tlv.h"

/* ICAO 9303-11 AA worked example (vectors.md 3.5): no key pair, but the
 * message representative F and the challenge. */
static const char *icao_f =
	"6A9D2784A67F8E7C659973EA1AEA25D95B6C8F91E5002F369F0FBDCE8A3CEC1991B543F1696546C5524CF23A"
	"5303CD6C98599F40B79F377B5F3A1406B3B4D8F96784D23AA88DB7E1032A405E69325FA91A6E86F5C71AEA97"
	"8264C4A207446DAD4E7292E2DCDA3024B47DA8C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127BC";
static const uint8_t icao_rnd[8] = { 0xF1, 0x73, 0x58, 0x99, 0x74, 0xBF, 0x40, 0xC6 };

static void icao_worked_example_representative_checks(void **state)
{
	eid_buf f = EID_BUF_INIT;

	tu_unhex(&f, icao_f);
	assert_int_equal(f.len, 128);
	assert_int_equal(eid_aa_check_iso9796(f.data, f.len, icao_rnd, 8), 0);
	/* another challenge, a changed hash byte, a changed header or trailer */
	assert_int_equal(eid_aa_check_iso9796(f.data, f.len, (const uint8_t *)"\0\0\0\0\0\0\0\0", 8),
			 -EID_EAUTH);
	f.data[f.len - 2] ^= 1;
	assert_int_equal(eid_aa_check_iso9796(f.data, f.len, icao_rnd, 8), -EID_EAUTH);
	f.data[f.len - 2] ^= 1;
	f.data[0] = 0x4A;
	assert_int_equal(eid_aa_check_iso9796(f.data, f.len, icao_rnd, 8), -EID_EAUTH);
	f.data[0] = 0x6A;
	f.data[f.len - 1] = 0xBD;
	assert_int_equal(eid_aa_check_iso9796(f.data, f.len, icao_rnd, 8), -EID_EAUTH);
	assert_int_equal(eid_aa_check_iso9796(f.data, 2, icao_rnd, 8), -EID_EAUTH);
	eid_buf_free(&f);
}

static EVP_PKEY *rsa_key(int bits)
{
	EVP_PKEY *k = EVP_RSA_gen((unsigned)bits);

	assert_non_null(k);
	return k;
}

static void spki_of(EVP_PKEY *k, eid_buf *spki)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);

	assert_true(n > 0);
	eid_buf_set(spki, der, (size_t)n);
	OPENSSL_free(der);
}

/* Chip side of ISO 9796-2 scheme 1, for the tests: F = 6A M1 H trailer. */
static void rsa_sign_9796(EVP_PKEY *k, const char *hash, uint8_t hash_id, const uint8_t *rnd,
			  eid_buf *sig)
{
	size_t n = (size_t)EVP_PKEY_get_size(k), hlen = 0, tlen = hash_id ? 2 : 1, m1len;
	uint8_t f[512], h[64];
	eid_buf m = EID_BUF_INIT;
	EVP_PKEY_CTX *ctx;
	size_t slen = n;

	m1len = n - 1 - tlen - (strcmp(hash, "SHA1") ? 32 : 20);
	f[0] = 0x6A;
	for (size_t i = 0; i < m1len; i++)
		f[1 + i] = (uint8_t)(0x11 * i + 5);
	eid_buf_add(&m, f + 1, m1len);
	eid_buf_add(&m, rnd, 8);
	hlen = sizeof(h);
	assert_int_equal(eid_digest(hash, m.data, m.len, h, &hlen), 0);
	memcpy(f + 1 + m1len, h, hlen);
	if (hash_id) {
		f[n - 2] = hash_id;
		f[n - 1] = 0xCC;
	} else {
		f[n - 1] = 0xBC;
	}
	ctx = EVP_PKEY_CTX_new(k, NULL);
	assert_true(EVP_PKEY_sign_init(ctx) > 0);
	assert_true(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0);
	eid_buf_reset(sig);
	assert_non_null(eid_buf_add_space(sig, n));
	assert_true(EVP_PKEY_sign(ctx, sig->data, &slen, f, n) > 0);
	assert_int_equal(slen, n);
	EVP_PKEY_CTX_free(ctx);
	eid_buf_free(&m);
}

static void rsa_sha1_trailer_bc_verifies(void **state)
{
	EVP_PKEY *k = rsa_key(1024);
	eid_buf spki = EID_BUF_INIT, sig = EID_BUF_INIT;
	uint8_t rnd[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	spki_of(k, &spki);
	rsa_sign_9796(k, "SHA1", 0, rnd, &sig);
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, sig.data, sig.len), 0);
	rnd[0] ^= 1;
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, sig.data, sig.len), -EID_EAUTH);
	rnd[0] ^= 1;
	sig.data[10] ^= 0x40;
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, sig.data, sig.len), -EID_EAUTH);
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, sig.data, sig.len - 1), -EID_EAUTH);
	EVP_PKEY_free(k);
	eid_buf_free(&spki);
	eid_buf_free(&sig);
}

static void rsa_complement_representative_verifies(void **state)
{
	EVP_PKEY *k = rsa_key(1024);
	eid_buf spki = EID_BUF_INIT, sig = EID_BUF_INIT;
	uint8_t rnd[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	BIGNUM *n = NULL, *s, *d = BN_new();

	spki_of(k, &spki);
	rsa_sign_9796(k, "SHA1", 0, rnd, &sig);
	/* (n - s)^e = n - F: chips may return either */
	assert_true(EVP_PKEY_get_bn_param(k, "n", &n));
	s = BN_bin2bn(sig.data, (int)sig.len, NULL);
	assert_true(BN_sub(d, n, s));
	assert_true(BN_bn2binpad(d, sig.data, (int)sig.len) > 0);
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, sig.data, sig.len), 0);
	BN_free(n);
	BN_free(s);
	BN_free(d);
	EVP_PKEY_free(k);
	eid_buf_free(&spki);
	eid_buf_free(&sig);
}

static char *hex_alloc(const uint8_t *d, size_t n, const char *suffix)
{
	char *s = malloc(2 * n + strlen(suffix) + 1);

	eid_hex(d, n, s);
	strcat(s, suffix);
	return s;
}

static void internal_authenticate_with_sha256_trailer(void **state)
{
	EVP_PKEY *k = rsa_key(2048);
	eid_buf spki = EID_BUF_INIT, sig = EID_BUF_INIT;
	static const uint8_t rnd[8] = { 0x96, 0x30, 0x2b, 0x0f, 0x3d, 0x7e, 0x78, 0x64 };
	const char *chunks[] = { "96302b0f3d7e7864" };
	struct tu_rng rng;
	struct tu_script s;
	struct tu_exchange ex[1];

	spki_of(k, &spki);
	rsa_sign_9796(k, "SHA256", 0x34, rnd, &sig);
	/* an RSA-2048 signature needs an extended response */
	ex[0].cmd = "0088000000000896302B0F3D7E78640000";
	ex[0].resp = hex_alloc(sig.data, sig.len, "9000");
	tu_script_init(&s, ex, 1);
	s.card.extended_length = true;
	tu_rng_init(&rng, chunks, 1);
	assert_int_equal(eid_aa_authenticate(&s.card, spki.data, spki.len, NULL, 0, &rng.rng), 0);
	tu_script_assert_done(&s);
	tu_rng_assert_done(&rng);
	free((char *)ex[0].resp);
	EVP_PKEY_free(k);
	eid_buf_free(&spki);
	eid_buf_free(&sig);
}

static void ecdsa_plain_signature(void **state)
{
	EVP_PKEY *k = EVP_EC_gen("prime256v1");
	eid_buf spki = EID_BUF_INIT, der = EID_BUF_INIT, plain = EID_BUF_INIT;
	uint8_t rnd[8] = { 9, 9, 9, 9, 1, 2, 3, 4 };
	/* ecdsa-plain-SHA256 */
	static const uint8_t alg[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01, 0x03 };
	static const uint8_t alg1[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01, 0x01 };
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t dlen = 0;
	eid_cbs c, seq, r, sv;

	assert_non_null(k);
	spki_of(k, &spki);
	assert_true(EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, k, NULL) > 0);
	assert_true(EVP_DigestSign(md, NULL, &dlen, rnd, 8) > 0);
	assert_non_null(eid_buf_add_space(&der, dlen));
	assert_true(EVP_DigestSign(md, der.data, &dlen, rnd, 8) > 0);
	eid_buf_truncate(&der, dlen);
	EVP_MD_CTX_free(md);
	/* DER -> plain r || s, 32 bytes each */
	eid_buf_cbs(&der, &c);
	assert_true(eid_tlv_get(&c, 0x30, &seq));
	assert_true(eid_der_get_uint_bytes(&seq, &r));
	assert_true(eid_der_get_uint_bytes(&seq, &sv));
	eid_buf_add_zeros(&plain, 32 - eid_cbs_len(&r));
	eid_buf_add_cbs(&plain, &r);
	eid_buf_add_zeros(&plain, 32 - eid_cbs_len(&sv));
	eid_buf_add_cbs(&plain, &sv);
	assert_int_equal(eid_aa_verify(spki.data, spki.len, alg, sizeof(alg), rnd, plain.data, plain.len), 0);
	assert_int_equal(eid_aa_verify(spki.data, spki.len, NULL, 0, rnd, plain.data, plain.len), 0);
	/* the announced hash is binding */
	assert_int_equal(eid_aa_verify(spki.data, spki.len, alg1, sizeof(alg1), rnd, plain.data, plain.len),
			 -EID_EAUTH);
	rnd[7] ^= 1;
	assert_int_equal(eid_aa_verify(spki.data, spki.len, alg, sizeof(alg), rnd, plain.data, plain.len),
			 -EID_EAUTH);
	EVP_PKEY_free(k);
	eid_buf_free(&spki);
	eid_buf_free(&der);
	eid_buf_free(&plain);
}

static void bad_keys_and_status_words(void **state)
{
	static const struct tu_exchange ex[] = { { NULL, "6982" } };
	const char *chunks[] = { "0102030405060708" };
	struct tu_rng rng;
	struct tu_script s;
	eid_buf dg15 = EID_BUF_INIT;
	eid_cbs c, spki;
	uint8_t rnd[8] = { 0 };

	assert_int_equal(eid_aa_verify((const uint8_t *)"\x30\x03\x02\x01\x00", 5, NULL, 0, rnd,
				       rnd, 8), -EID_EPARSE);
	assert_int_equal(eid_aa_verify(NULL, 0, NULL, 0, rnd, rnd, 8), -EID_EPARSE);
	/* the specimen passport's DG15 key (RSA-1024) against a bogus signature */
	tu_read_vector("zi_Datagroup15.bin", &dg15);
	eid_buf_cbs(&dg15, &c);
	assert_true(eid_tlv_get(&c, 0x6F, &spki));
	assert_int_equal(eid_aa_verify(eid_cbs_data(&spki), eid_cbs_len(&spki), NULL, 0, rnd, rnd, 8),
			 -EID_EAUTH);
	tu_script_init(&s, ex, 1);
	tu_rng_init(&rng, chunks, 1);
	assert_int_equal(eid_aa_authenticate(&s.card, eid_cbs_data(&spki), eid_cbs_len(&spki), NULL, 0,
					     &rng.rng), -EID_ESW);
	eid_buf_free(&dg15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(icao_worked_example_representative_checks),
		cmocka_unit_test(rsa_sha1_trailer_bc_verifies),
		cmocka_unit_test(rsa_complement_representative_verifies),
		cmocka_unit_test(internal_authenticate_with_sha256_trailer),
		cmocka_unit_test(ecdsa_plain_signature),
		cmocka_unit_test(bad_keys_and_status_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
