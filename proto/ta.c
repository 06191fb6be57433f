/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Terminal Authentication v2, terminal side: credentials, the CHAT for
 * PACE, the certificate chain and the challenge-response with the chip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto.h"
#include "ta.h"
#include "tlv.h"

#define TA_MAX_FILE (1u << 20)

/* id-roles: 0.4.0.127.0.7.3.1.2 (terminal types IS 1, AT 2, ST 3) */
static const uint8_t id_roles[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02 };
/* id-aux: 0.4.0.127.0.7.3.1.4: DateOfBirth 1, DateOfExpiry 2, CommunityID 3 */
static const uint8_t id_aux[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x04 };

/* ---- credentials --------------------------------------------------------------- */

void eid_ta_creds_free(struct eid_ta_creds *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_certs; i++)
		eid_cvc_free(c->certs[i]);
	EVP_PKEY_free(c->key);
	free(c);
}

static int decode_key(const uint8_t *key, size_t key_len, EVP_PKEY **out)
{
	OSSL_DECODER_CTX *dctx;
	const unsigned char *p = key;
	size_t left = key_len;
	EVP_PKEY *pkey = NULL;
	int ret = -EID_EPARSE;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL,
					     OSSL_KEYMGMT_SELECT_PRIVATE_KEY, NULL, NULL);
	if (!dctx)
		return -EID_ECRYPTO;
	if (OSSL_DECODER_from_data(dctx, &p, &left) == 1 && pkey) {
		*out = pkey;
		pkey = NULL;
		ret = 0;
	}
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(dctx);
	return ret;
}

static bool bn_param_equals(EVP_PKEY *key, const char *name, const eid_buf *want)
{
	BIGNUM *bn = NULL;
	uint8_t buf[1024];
	int len;
	eid_cbs w;
	uint8_t lead;
	bool ok = false;

	if (!EVP_PKEY_get_bn_param(key, name, &bn))
		return false;
	len = BN_bn2bin(bn, buf);
	eid_buf_cbs(want, &w);
	while (eid_cbs_peek_u8(&w, &lead) && lead == 0) /* ignore leading zeros */
		eid_cbs_skip(&w, 1);
	if (len >= 0 && (size_t)len <= sizeof(buf))
		ok = eid_cbs_len(&w) == (size_t)len && memcmp(eid_cbs_data(&w), buf, (size_t)len) == 0;
	BN_free(bn);
	return ok;
}

/* Does the private key belong to the terminal certificate? */
static int key_matches(EVP_PKEY *key, const struct eid_cvc *term)
{
	uint8_t pub[2 * 66 + 1];
	size_t publen = 0;

	if (term->pk_is_ec) {
		if (!EVP_PKEY_is_a(key, "EC"))
			return -EID_ECERT;
		if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub,
						     sizeof(pub), &publen))
			return -EID_ECERT;
		if (publen != term->pk_y.len || memcmp(pub, term->pk_y.data, publen) != 0)
			return -EID_ECERT;
		return 0;
	}
	if (!EVP_PKEY_is_a(key, "RSA") || !bn_param_equals(key, OSSL_PKEY_PARAM_RSA_N, &term->pk_n) ||
	    !bn_param_equals(key, OSSL_PKEY_PARAM_RSA_E, &term->pk_e))
		return -EID_ECERT;
	return 0;
}

int eid_ta_creds_from_mem(const uint8_t *const *certs, const size_t *cert_lens, size_t n_certs,
			  const uint8_t *key, size_t key_len, struct eid_ta_creds **out)
{
	struct eid_ta_creds *c;
	int ret;

	if (!out || !certs || !cert_lens || n_certs == 0 || !key)
		return -EID_EINVAL;
	*out = NULL;
	if (n_certs > EID_TA_MAX_CERTS)
		return -EID_ETOOBIG;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -EID_ENOMEM;
	for (size_t i = 0; i < n_certs; i++) {
		if ((ret = eid_cvc_parse(certs[i], cert_lens[i], &c->certs[i])) < 0)
			goto out;
		c->n_certs++;
		if (i > 0 && !eid_cvc_ref_equal(c->certs[i]->car, c->certs[i - 1]->chr)) {
			ret = -EID_ECERT;
			goto out;
		}
	}
	if (c->certs[n_certs - 1]->role != EID_CVC_ROLE_TERMINAL) {
		ret = -EID_ECERT;
		goto out;
	}
	if ((ret = decode_key(key, key_len, &c->key)) < 0)
		goto out;
	ret = key_matches(c->key, c->certs[n_certs - 1]);
out:
	if (ret < 0)
		eid_ta_creds_free(c);
	else
		*out = c;
	return ret;
}

static int read_file(const char *path, eid_buf *b)
{
	FILE *f;
	uint8_t chunk[4096];
	size_t n;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT || errno == ENOTDIR ? -EID_ENOTFOUND : -EID_EINVAL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > TA_MAX_FILE) {
			ret = -EID_ETOOBIG;
			break;
		}
		if ((ret = eid_buf_add(b, chunk, n)) < 0)
			break;
	}
	if (ret == 0 && ferror(f))
		ret = -EID_EINVAL;
	fclose(f);
	return ret;
}

int eid_ta_creds_load(const char *const *cert_files, size_t n_certs, const char *key_file,
		      struct eid_ta_creds **out)
{
	eid_buf bufs[EID_TA_MAX_CERTS];
	const uint8_t *ptrs[EID_TA_MAX_CERTS];
	size_t lens[EID_TA_MAX_CERTS];
	eid_buf key;
	int ret = 0;

	if (!out || !cert_files || !key_file || n_certs == 0)
		return -EID_EINVAL;
	*out = NULL;
	if (n_certs > EID_TA_MAX_CERTS)
		return -EID_ETOOBIG;
	eid_buf_init_secret(&key);
	for (size_t i = 0; i < n_certs; i++)
		eid_buf_init(&bufs[i]);
	for (size_t i = 0; i < n_certs && ret == 0; i++) {
		if (!cert_files[i]) {
			ret = -EID_EINVAL;
			break;
		}
		ret = read_file(cert_files[i], &bufs[i]);
		ptrs[i] = bufs[i].data;
		lens[i] = bufs[i].len;
	}
	if (ret == 0)
		ret = read_file(key_file, &key);
	if (ret == 0)
		ret = eid_ta_creds_from_mem(ptrs, lens, n_certs, key.data, key.len, out);
	for (size_t i = 0; i < n_certs; i++)
		eid_buf_free(&bufs[i]);
	eid_buf_free(&key);
	return ret;
}

/* ---- CHAT ------------------------------------------------------------------------- */

int eid_ta_chat(const struct eid_ta_creds *c, uint64_t wanted, eid_buf *out)
{
	const struct eid_cvc *t = eid_ta_creds_terminal(c);
	uint8_t oid[sizeof(id_roles) + 1], bits[8];
	uint64_t r;
	size_t mark, n;

	if (!t || !out || t->type == EID_CVC_TYPE_UNKNOWN)
		return -EID_EINVAL;
	memcpy(oid, id_roles, sizeof(id_roles));
	oid[sizeof(id_roles)] = (uint8_t)t->type;
	n = t->bitmap_len;
	if (n == 0 || n > sizeof(bits))
		return -EID_EINVAL;
	/* role bits 00 (terminal); rights limited to what is wanted */
	r = t->rights & wanted & ((1ull << (8 * n - 2)) - 1);
	for (size_t i = 0; i < n; i++)
		bits[i] = (uint8_t)(r >> (8 * (n - 1 - i)));
	eid_buf_reset(out);
	mark = eid_tlv_begin(out, 0x7F4C);
	eid_tlv_add(out, 0x06, oid, sizeof(oid));
	eid_tlv_add(out, 0x53, bits, n);
	eid_tlv_end(out, mark);
	return eid_buf_status(out);
}

/* ---- signing ------------------------------------------------------------------------ */

int eid_ta_signature_input(const uint8_t *id_picc, size_t id_picc_len, const uint8_t r_picc[8],
			   const uint8_t *comp_pk_pcd, size_t comp_len, const uint8_t *aux,
			   size_t aux_len, eid_buf *out)
{
	if (!id_picc || !id_picc_len || !r_picc || !comp_pk_pcd || !comp_len || !out ||
	    (!aux && aux_len))
		return -EID_EINVAL;
	eid_buf_add(out, id_picc, id_picc_len);
	eid_buf_add(out, r_picc, 8);
	eid_buf_add(out, comp_pk_pcd, comp_len);
	if (aux_len)
		eid_buf_add(out, aux, aux_len);
	return eid_buf_status(out);
}

int eid_ta_sign(const struct eid_ta_creds *c, const uint8_t *in, size_t n, eid_buf *sig)
{
	const struct eid_cvc *t = eid_ta_creds_terminal(c);
	enum eid_cvc_sig_scheme scheme;
	const char *md;
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;
	int ret;

	if (!t || !c->key || (!in && n) || !sig)
		return -EID_EINVAL;
	if ((ret = eid_cvc_ta_algorithm(t->pk_oid, t->pk_oid_len, &scheme, &md)) < 0)
		return ret;
	ret = -EID_ECRYPTO;
	mctx = EVP_MD_CTX_new();
	if (!mctx || EVP_DigestSignInit_ex(mctx, &pctx, md, NULL, NULL, c->key, NULL) != 1)
		goto out;
	if (scheme == EID_CVC_SIG_RSA_PSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out;
	if (EVP_DigestSign(mctx, NULL, &derlen, in, n) != 1)
		goto out;
	der = OPENSSL_malloc(derlen);
	if (!der) {
		ret = -EID_ENOMEM;
		goto out;
	}
	if (EVP_DigestSign(mctx, der, &derlen, in, n) != 1)
		goto out;
	if (scheme == EID_CVC_SIG_ECDSA) {
		size_t half = ((size_t)EVP_PKEY_get_bits(c->key) + 7) / 8;

		ret = eid_cvc_ecdsa_der_to_plain(der, derlen, half, sig);
		if (ret == -EID_EPARSE)
			ret = -EID_ECRYPTO;
	} else {
		ret = eid_buf_add(sig, der, derlen);
	}
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	return ret;
}

/* ---- the protocol ------------------------------------------------------------------- */

static int map_sw(uint16_t sw, bool auth_step)
{
	if (sw == EID_SW_OK)
		return 0;
	if (auth_step && (sw == 0x6300 || sw == EID_SW_SECURITY_STATUS || sw == 0x6A80 ||
			  sw == EID_SW_REF_DATA_UNUSABLE || sw == EID_SW_CONDITIONS))
		return -EID_EAUTH;
	return -EID_ESW;
}

static int send_cmd(struct eid_card *card, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
		    const uint8_t *data, size_t lc, size_t le, eid_buf *resp, uint16_t *sw)
{
	struct eid_apdu a = {
		.cla = cla, .ins = ins, .p1 = p1, .p2 = p2, .data = data, .lc = lc, .le = le,
	};

	return eid_card_transmit(card, &a, resp, sw);
}

/* MSE:Set DST { 83 CAR } then PSO:Verify Certificate { 7F4E, 5F37 }. */
static int send_certificate(struct eid_card *card, const struct eid_cvc *c)
{
	eid_buf data = EID_BUF_INIT;
	eid_cbs in, contents, piece;
	uint16_t sw;
	int ret;

	eid_tlv_add(&data, 0x83, c->car, strlen(c->car));
	if ((ret = eid_buf_status(&data)) < 0)
		goto out;
	if ((ret = send_cmd(card, 0x00, 0x22, 0x81, 0xB6, data.data, data.len, 0, NULL, &sw)) < 0)
		goto out;
	if ((ret = map_sw(sw, false)) < 0)
		goto out;

	eid_buf_cbs(&c->der, &in);
	if (!eid_der_get(&in, 0x7F21, &contents)) {
		ret = -EID_EINVAL;
		goto out;
	}
	if (card->extended_length || eid_cbs_len(&contents) <= 255) {
		ret = send_cmd(card, 0x00, 0x2A, 0x00, 0xBE, eid_cbs_data(&contents),
			       eid_cbs_len(&contents), 0, NULL, &sw);
		if (ret == 0)
			ret = map_sw(sw, true);
		goto out;
	}
	/* command chaining in pieces of at most 255 bytes */
	while (eid_cbs_len(&contents) > 0) {
		size_t k = eid_cbs_len(&contents) > 255 ? 255 : eid_cbs_len(&contents);
		bool last = k == eid_cbs_len(&contents);

		eid_cbs_get_bytes(&contents, &piece, k);
		ret = send_cmd(card, last ? 0x00 : 0x10, 0x2A, 0x00, 0xBE, eid_cbs_data(&piece), k,
			       0, NULL, &sw);
		if (ret < 0)
			goto out;
		if ((ret = map_sw(sw, true)) < 0)
			goto out;
	}
out:
	eid_buf_free(&data);
	return ret;
}

static int add_aux_date(eid_buf *b, uint8_t which, const char *date)
{
	uint8_t oid[sizeof(id_aux) + 1];
	size_t mark;

	if (strlen(date) != 8 || strspn(date, "0123456789") != 8)
		return -EID_EINVAL;
	memcpy(oid, id_aux, sizeof(id_aux));
	oid[sizeof(id_aux)] = which;
	mark = eid_tlv_begin(b, 0x73);
	eid_tlv_add(b, 0x06, oid, sizeof(oid));
	eid_tlv_add(b, 0x53, date, 8);
	eid_tlv_end(b, mark);
	return eid_buf_status(b);
}

/* 67 { 73 { 06 OID, 53 value } ... } or nothing when no aux data is asked. */
static int build_aux(const struct eid_ta_aux *aux, eid_buf *b)
{
	uint8_t oid[sizeof(id_aux) + 1];
	size_t mark, m2;
	int ret;

	if (!aux || (!aux->age_ref_date && !aux->validity_ref_date && !aux->community_id))
		return 0;
	mark = eid_tlv_begin(b, 0x67);
	if (aux->age_ref_date && (ret = add_aux_date(b, 1, aux->age_ref_date)) < 0)
		return ret;
	if (aux->validity_ref_date && (ret = add_aux_date(b, 2, aux->validity_ref_date)) < 0)
		return ret;
	if (aux->community_id) {
		if (!aux->community_id_len)
			return -EID_EINVAL;
		memcpy(oid, id_aux, sizeof(id_aux));
		oid[sizeof(id_aux)] = 3;
		m2 = eid_tlv_begin(b, 0x73);
		eid_tlv_add(b, 0x06, oid, sizeof(oid));
		eid_tlv_add(b, 0x53, aux->community_id, aux->community_id_len);
		eid_tlv_end(b, m2);
	}
	eid_tlv_end(b, mark);
	return eid_buf_status(b);
}

/* The first certificate to send: the one the chip's CVCA issued. */
static int chain_start(const struct eid_ta_creds *creds, const char *car1, const char *car2,
		       size_t *start)
{
	bool known1 = car1 && car1[0], known2 = car2 && car2[0];

	if (!known1 && !known2) {
		*start = 0;
		return 0;
	}
	for (size_t i = 0; i < creds->n_certs; i++) {
		if ((known1 && eid_cvc_ref_equal(creds->certs[i]->car, car1)) ||
		    (known2 && eid_cvc_ref_equal(creds->certs[i]->car, car2))) {
			*start = i;
			return 0;
		}
	}
	return -EID_ECERT;
}

int eid_ta_run(struct eid_card *card, const struct eid_ta_creds *creds, const char *car1,
	       const char *car2, const uint8_t *id_picc, size_t id_picc_len,
	       const uint8_t *comp_pk_pcd, size_t comp_len, const struct eid_ta_opts *opts)
{
	const struct eid_cvc *term = eid_ta_creds_terminal(creds);
	eid_buf aux = EID_BUF_INIT, mse = EID_BUF_INIT, chal = EID_BUF_INIT;
	eid_buf input = EID_BUF_INIT, sig = EID_BUF_INIT;
	time_t now;
	size_t start;
	uint16_t sw;
	int ret;

	if (!card || !term || !creds->key || !id_picc || !id_picc_len || !comp_pk_pcd ||
	    !comp_len)
		return -EID_EINVAL;
	now = opts && opts->now ? opts->now : time(NULL);
	if ((ret = chain_start(creds, car1, car2, &start)) < 0)
		return ret;
	for (size_t i = start; i < creds->n_certs; i++)
		if (!eid_cvc_valid_at(creds->certs[i], now))
			return -EID_ECERT;
	if ((ret = build_aux(opts ? opts->aux : NULL, &aux)) < 0)
		goto out;

	for (size_t i = start; i < creds->n_certs; i++)
		if ((ret = send_certificate(card, creds->certs[i])) < 0)
			goto out;

	/* MSE:Set AT { 80 TA OID, 83 CHR, 91 Comp(PK_PCD), [67 aux] } */
	eid_tlv_add(&mse, 0x80, term->pk_oid, term->pk_oid_len);
	eid_tlv_add(&mse, 0x83, term->chr, strlen(term->chr));
	eid_tlv_add(&mse, 0x91, comp_pk_pcd, comp_len);
	eid_buf_add(&mse, aux.data, aux.len);
	if ((ret = eid_buf_status(&mse)) < 0)
		goto out;
	if ((ret = send_cmd(card, 0x00, 0x22, 0x81, 0xA4, mse.data, mse.len, 0, NULL, &sw)) < 0 ||
	    (ret = map_sw(sw, false)) < 0)
		goto out;

	if ((ret = send_cmd(card, 0x00, 0x84, 0x00, 0x00, NULL, 0, 8, &chal, &sw)) < 0 ||
	    (ret = map_sw(sw, false)) < 0)
		goto out;
	if (chal.len != 8) {
		ret = -EID_EPARSE;
		goto out;
	}

	if ((ret = eid_ta_signature_input(id_picc, id_picc_len, chal.data, comp_pk_pcd, comp_len,
					  aux.data, aux.len, &input)) < 0 ||
	    (ret = eid_ta_sign(creds, input.data, input.len, &sig)) < 0)
		goto out;
	if ((ret = send_cmd(card, 0x00, 0x82, 0x00, 0x00, sig.data, sig.len, 0, NULL, &sw)) < 0)
		goto out;
	ret = map_sw(sw, true);
out:
	eid_buf_free(&aux);
	eid_buf_free(&mse);
	eid_buf_free(&chal);
	eid_buf_free(&input);
	eid_buf_free(&sig);
	return ret;
}
