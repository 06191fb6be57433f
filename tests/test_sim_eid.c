/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the simulated German eID card (tools/sim, profiles eid and
 * eat), driven in process through sim_chip_transmit by our terminal code:
 * PACE with proto/pace.c (CAN, PIN, PUK, CHAT), Terminal Authentication by
 * raw APDUs with the test terminals of tests/data/ta (signed here with
 * OpenSSL), Chip Authentication v2 with proto/ca.c; the data groups byte for
 * byte against the AusweisApp specimen vectors (eid-datagroups.md);
 * EF.CardSecurity's signature checked with OpenSSL against the test CSCA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "testutil.h"
#include "../tools/sim/sim.h"
#include "ca.h"
#include "pace.h"
#include "secinfo.h"
#include "tlv.h"

static const uint8_t oid_pace[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02 };
static const uint8_t oid_ca[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02 };
static const uint8_t oid_ta_ecdsa_sha256[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02,
					       0x02, 0x03 };

/* ---- helpers ---- */

static const char *data_dir(void)
{
	static char dir[4096];
	const char *src = getenv("EID_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/data", src ? src : "..");
	return dir;
}

static const char *data_path(const char *rel)
{
	static char path[4400];
	int n = snprintf(path, sizeof(path), "%s/%s", data_dir(), rel);

	assert_true(n > 0 && (size_t)n < sizeof(path));
	return path;
}

static void opts(struct sim_options *o, const char *profile)
{
	sim_options_init(o);
	o->data_dir = data_dir();
	o->profile = profile;
}

static struct sim_chip *chip_new(const struct sim_options *o)
{
	struct sim_chip *chip = NULL;

	assert_int_equal(sim_chip_new(o, &chip), 0);
	assert_non_null(chip);
	return chip;
}

static struct sim_chip *eid_chip(void)
{
	struct sim_options o;

	opts(&o, "eid");
	return chip_new(&o);
}

static void card_init(struct eid_card *card, struct sim_chip *chip)
{
	eid_card_init(card, sim_chip_transmit, chip);
	card->extended_length = true;
}

static void read_file(const char *path, eid_buf *b)
{
	uint8_t tmp[4096];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		fprintf(stderr, "# cannot open %s\n", path);
	assert_non_null(fp);
	eid_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		assert_int_equal(eid_buf_add(b, tmp, n), 0);
	fclose(fp);
}

/* One command under the card's channel; the SW returned, data into resp. */
static uint16_t xmit(struct eid_card *card, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
		     const uint8_t *data, size_t lc, size_t le, eid_buf *resp)
{
	struct eid_apdu a = { .cla = cla, .ins = ins, .p1 = p1, .p2 = p2, .data = data,
			      .lc = lc, .le = le };
	uint16_t sw = 0;

	if (resp)
		eid_buf_reset(resp);
	assert_int_equal(eid_card_transmit(card, &a, resp, &sw), 0);
	return sw;
}

/* The CHAT element 7F4C { 06 id-AT, 53 rights (5 bytes) }. */
static void chat_make(uint64_t rights, eid_buf *out)
{
	static const uint8_t id_at[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02, 0x02 };
	uint8_t bits[5];
	size_t mark;

	for (int i = 0; i < 5; i++)
		bits[i] = (uint8_t)(rights >> (8 * (4 - i)));
	eid_buf_reset(out);
	mark = eid_tlv_begin(out, 0x7F4C);
	eid_tlv_add(out, 0x06, id_at, sizeof(id_at));
	eid_tlv_add(out, 0x53, bits, sizeof(bits));
	assert_int_equal(eid_tlv_end(out, mark), 0);
}

#define ALL_DGS (((1ull << 22) - 1) << 8)
#define AT_RIGHTS (ALL_DGS | 0x17)

/* PACE with proto/pace.c; chat_rights 0: no CHAT. */
static int pace(struct eid_card *card, enum eid_password pw, const char *secret,
		uint64_t chat_rights, bool resumed, struct eid_pace_result *res)
{
	struct eid_pace_algo algo;
	struct eid_pace_opts po;
	eid_buf chat = EID_BUF_INIT;
	int r;

	memset(&po, 0, sizeof(po));
	assert_int_equal(eid_pace_algo_from_oid(oid_pace, sizeof(oid_pace), &algo), 0);
	if (chat_rights) {
		chat_make(chat_rights, &chat);
		po.chat = chat.data;
		po.chat_len = chat.len;
	}
	po.pin_resumed = resumed;
	r = eid_pace_run(card, &algo, 13, pw, (const uint8_t *)secret, strlen(secret), &po, res);
	eid_buf_free(&chat);
	return r;
}

/* PACE that must work; the card then uses its channel. */
static void pace_ok(struct eid_card *card, enum eid_password pw, const char *secret,
		    uint64_t chat_rights, struct eid_pace_result *res)
{
	assert_int_equal(pace(card, pw, secret, chat_rights, false, res), 0);
	card->sm = &res->sm;
}

/* ---- terminal credentials ---- */

struct term {
	eid_buf certs[4];
	size_t n;
	EVP_PKEY *key;
};

/* names: certificates in chain order (tests/data/ta/NAME.cvcert); key:
 * tests/data/ta/KEY.key. */
static void term_load(struct term *t, const char *const *names, size_t n, const char *key)
{
	char rel[256];
	BIO *bio;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		eid_buf_init(&t->certs[i]);
		snprintf(rel, sizeof(rel), "ta/%s.cvcert", names[i]);
		read_file(data_path(rel), &t->certs[i]);
	}
	t->n = n;
	snprintf(rel, sizeof(rel), "ta/%s.key", key);
	assert_non_null(bio = BIO_new_file(data_path(rel), "r"));
	assert_non_null(t->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL));
	BIO_free(bio);
}

static void term_free(struct term *t)
{
	for (size_t i = 0; i < t->n; i++)
		eid_buf_free(&t->certs[i]);
	EVP_PKEY_free(t->key);
}

/* Body (7F4E element), signature (5F37 element), CAR and CHR of a CVC. */
static void cvc_split(const eid_buf *cert, eid_cbs *body_sig, eid_cbs *car, eid_cbs *chr)
{
	eid_cbs c, inner, body, v;

	eid_buf_cbs(cert, &c);
	assert_true(eid_tlv_get(&c, 0x7F21, &inner));
	*body_sig = inner;
	assert_true(eid_tlv_get(&inner, 0x7F4E, &body));
	assert_true(eid_tlv_get(&body, 0x5F29, &v));
	assert_true(eid_tlv_get(&body, 0x42, car));
	assert_true(eid_tlv_get(&body, 0x7F49, &v));
	assert_true(eid_tlv_get(&body, 0x5F20, chr));
}

/* ECDSA-SHA-256 as plain r || s (32 bytes each). */
static void sign_plain(EVP_PKEY *key, const eid_buf *in, eid_buf *sig)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[128];
	const unsigned char *p = der;
	size_t n = sizeof(der);
	ECDSA_SIG *s;
	uint8_t rs[64];

	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(md, der, &n, in->data, in->len), 1);
	EVP_MD_CTX_free(md);
	assert_non_null(s = d2i_ECDSA_SIG(NULL, &p, (long)n));
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(s), rs, 32), 32);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(s), rs + 32, 32), 32);
	ECDSA_SIG_free(s);
	assert_int_equal(eid_buf_set(sig, rs, sizeof(rs)), 0);
}

/* How TA goes wrong on purpose. */
enum ta_fault { TA_OK = 0, TA_BAD_CERT_SIG, TA_BAD_SIGNATURE };

/*
 * Terminal Authentication by raw APDUs under the card's channel:
 * certificates (DST, PSO), MSE:Set AT, GET CHALLENGE, EXTERNAL
 * AUTHENTICATE.  Returns the first SW that is not 9000 (9000 on success).
 */
static uint16_t ta_run(struct eid_card *card, const struct term *t, const uint8_t *id_picc,
		       size_t id_len, const eid_buf *comp, enum ta_fault fault)
{
	eid_buf d = EID_BUF_INIT, resp = EID_BUF_INIT, sig = EID_BUF_INIT, in = EID_BUF_INIT;
	eid_cbs body_sig, car, chr;
	uint16_t sw = 0x9000;

	for (size_t i = 0; i < t->n && sw == 0x9000; i++) {
		cvc_split(&t->certs[i], &body_sig, &car, &chr);
		eid_buf_reset(&d);
		eid_tlv_add(&d, 0x83, eid_cbs_data(&car), eid_cbs_len(&car));
		if ((sw = xmit(card, 0, 0x22, 0x81, 0xB6, d.data, d.len, 0, NULL)) != 0x9000)
			break;
		assert_int_equal(eid_buf_set(&d, eid_cbs_data(&body_sig), eid_cbs_len(&body_sig)),
				 0);
		if (fault == TA_BAD_CERT_SIG && i == t->n - 1)
			d.data[d.len - 5] ^= 0x01;
		sw = xmit(card, 0, 0x2A, 0x00, 0xBE, d.data, d.len, 0, NULL);
	}
	if (sw != 0x9000)
		goto out;
	eid_buf_reset(&d);
	eid_tlv_add(&d, 0x80, oid_ta_ecdsa_sha256, sizeof(oid_ta_ecdsa_sha256));
	eid_tlv_add(&d, 0x83, eid_cbs_data(&chr), eid_cbs_len(&chr));
	eid_tlv_add(&d, 0x91, comp->data, comp->len);
	if ((sw = xmit(card, 0, 0x22, 0x81, 0xA4, d.data, d.len, 0, NULL)) != 0x9000)
		goto out;
	if ((sw = xmit(card, 0, 0x84, 0, 0, NULL, 0, 8, &resp)) != 0x9000)
		goto out;
	assert_int_equal(resp.len, 8);
	eid_buf_add(&in, id_picc, id_len);
	eid_buf_add(&in, resp.data, resp.len);
	eid_buf_add(&in, comp->data, comp->len);
	if (fault == TA_BAD_SIGNATURE)
		in.data[0] ^= 0x01;
	sign_plain(t->key, &in, &sig);
	sw = xmit(card, 0, 0x82, 0, 0, sig.data, sig.len, 0, NULL);
out:
	eid_buf_free(&d);
	eid_buf_free(&resp);
	eid_buf_free(&sig);
	eid_buf_free(&in);
	return sw;
}

/* READ BINARY by SFI, Le 0000: the whole file (6282, end of file before
 * Le, counts as success). */
static uint16_t read_sfi(struct eid_card *card, int sfi, eid_buf *out)
{
	uint16_t sw = xmit(card, 0, 0xB0, (uint8_t)(0x80 | sfi), 0, NULL, 0, 65536, out);

	return sw == 0x6282 ? 0x9000 : sw;
}

static uint16_t read_dg(struct eid_card *card, int dg, eid_buf *out)
{
	return read_sfi(card, dg, out);
}

/* The chip's CA public key (encoded point) from EF.CardSecurity's bytes. */
static void ca_pub_from_cardsecurity(const uint8_t *der, size_t n, eid_buf *pub)
{
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *si;

	assert_int_equal(eid_secinfos_parse_cardsecurity(der, n, &set), 0);
	assert_non_null(si = eid_secinfos_find_key(set, EID_SI_CA_PK, 41));
	assert_int_equal(si->std_param_id, 13);
	assert_int_equal(eid_buf_set(pub, eid_cbs_data(&si->public_key),
				     eid_cbs_len(&si->public_key)), 0);
	eid_secinfos_free(set);
}

/* A whole session up to the data groups: PACE (pw), TA with t, CA v2.
 * Returns the TA SW; on 9000 the card runs on CA's channel in *sm. */
struct session {
	struct eid_pace_result pace;
	struct eid_ca_ctx ca;
	struct eid_sm sm;
	eid_buf comp, pub;
};

static void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	eid_buf_init(&s->comp);
	eid_buf_init(&s->pub);
}

static void session_free(struct session *s)
{
	eid_ca_clear(&s->ca);
	eid_pace_result_clear(&s->pace);
	eid_buf_free(&s->comp);
	eid_buf_free(&s->pub);
}

/* TA (after PACE, whose result is s->pace) then CA v2; the TA SW. */
static uint16_t ta_ca(struct eid_card *card, struct sim_chip *chip, struct session *s,
		      const struct term *t, enum ta_fault fault)
{
	eid_buf cs = EID_BUF_INIT;
	uint16_t sw;

	/* EF.CardSecurity (SFI 1D) for the chip's CA key */
	assert_int_equal(read_sfi(card, 0x1D, &cs), 0x9000);
	ca_pub_from_cardsecurity(cs.data, cs.len, &s->pub);
	eid_buf_free(&cs);
	(void)chip;
	assert_int_equal(eid_ca_init_raw(&s->ca, oid_ca, sizeof(oid_ca), 2, 41, 13, s->pub.data,
					 s->pub.len), 0);
	assert_int_equal(eid_ca_keygen(&s->ca, NULL), 0);
	assert_int_equal(eid_ca_compressed_pub(&s->ca, &s->comp), 0);
	sw = ta_run(card, t, s->pace.id_icc, s->pace.id_icc_len, &s->comp, fault);
	if (sw != 0x9000)
		return sw;
	assert_int_equal(eid_ca_run(card, &s->ca, &s->sm), 0);
	card->sm = &s->sm;
	return sw;
}

static const char *const chain_at[] = { "dv", "at" };
static const char *const chain_limited[] = { "dv", "limited" };
static const char *const chain_expired[] = { "dv", "expired" };
static const char *const chain_link[] = { "cvca2", "dv2", "at2" };
static const char *const chain_at2[] = { "dv2", "at2" };

static uint16_t select_eid(struct eid_card *card)
{
	static const uint8_t aid[] = { 0xE8, 0x07, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x02 };

	return xmit(card, 0, 0xA4, 0x04, 0x0C, aid, sizeof(aid), 0, NULL);
}


static void assert_vector_dg(int dg, const eid_buf *got)
{
	char name[64];
	eid_buf want = EID_BUF_INIT;

	snprintf(name, sizeof(name), "aa_eid_dg%02d.bin", dg);
	tu_read_vector(name, &want);
	assert_int_equal(got->len, want.len);
	assert_memory_equal(got->data, want.data, want.len);
	eid_buf_free(&want);
}

/* PACE (CAN, AT CHAT), TA with the at terminal, CA, SELECT the eID app. */
static void full_session(struct eid_card *card, struct sim_chip *chip, struct session *s,
			 const char *const *chain, size_t n, const char *key)
{
	struct term t;

	term_load(&t, chain, n, key);
	pace_ok(card, EID_PW_CAN, chip->opt.can, AT_RIGHTS, &s->pace);
	assert_int_equal(ta_ca(card, chip, s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(card), 0x9000);
	term_free(&t);
}

/* ---- the files ---- */

static void test_dgs_equal_the_specimen_vectors(void **state)
{
	struct sim_chip *chip = eid_chip();

	(void)state;
	for (int dg = 1; dg <= 22; dg++) {
		const struct sim_file *f = sim_chip_file(chip, (uint16_t)(0x0100 + dg));

		if (dg == 16) {
			assert_null(f);
			continue;
		}
		assert_non_null(f);
		assert_false(f->in_mf);
		assert_int_equal(f->sfi, dg);
		assert_int_equal(f->access, SIM_ACCESS_EID);
		assert_vector_dg(dg, &f->data);
	}
	assert_string_equal(chip->opt.can, "500540");
	assert_string_equal(chip->opt.pin, "123456");
	assert_string_equal(chip->opt.puk, "9876543210");
	assert_string_equal(chip->cvca_chr, "DETESTeIDEI001");
	sim_chip_free(chip);
}

static void test_card_access_and_card_security(void **state)
{
	struct sim_chip *chip = eid_chip();
	const struct sim_file *ca = sim_chip_file(chip, 0x011C), *cs = sim_chip_file(chip, 0x011D);
	struct eid_secinfos *set = NULL;
	const struct eid_secinfo *si;
	const unsigned char *p;
	CMS_ContentInfo *cms;
	STACK_OF(X509) *signers;
	X509 *csca, *ds;
	BIO *bio;
	uint8_t point[133];
	size_t n = 0;

	(void)state;
	assert_non_null(ca);
	assert_non_null(cs);
	assert_true(ca->in_mf && cs->in_mf);
	assert_int_equal(ca->access, SIM_ACCESS_ALWAYS);
	assert_int_equal(cs->access, SIM_ACCESS_SM);
	assert_int_equal(eid_secinfos_parse(ca->data.data, ca->data.len, &set), 0);
	assert_int_equal(set->n, 4);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_PACE, 0));
	assert_memory_equal(si->oid, oid_pace, sizeof(oid_pace));
	assert_int_equal(si->version, 2);
	assert_int_equal(si->parameter_id, 13);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_TA, 0));
	assert_int_equal(si->version, 2);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_CA, 0));
	assert_memory_equal(si->oid, oid_ca, sizeof(oid_ca));
	assert_int_equal(si->version, 2);
	assert_int_equal(si->key_id, 41);
	assert_non_null(si = eid_secinfos_find(set, EID_SI_CA_DP, 0));
	assert_int_equal(si->std_param_id, 13);
	assert_int_equal(si->key_id, 41);
	assert_null(eid_secinfos_find(set, EID_SI_CA_PK, 0));
	eid_secinfos_free(set);

	/* EF.CardSecurity: the same plus the CA key, signed by the test DS */
	assert_int_equal(eid_secinfos_parse_cardsecurity(cs->data.data, cs->data.len, &set), 0);
	assert_int_equal(set->n, 7); /* and RestrictedIdentificationInfo + its domain parameters */
	assert_non_null(si = eid_secinfos_find_key(set, EID_SI_CA_PK, 41));
	assert_true(EVP_PKEY_get_octet_string_param(chip->ca_key,
						    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
						    sizeof(point), &n));
	assert_int_equal(eid_cbs_len(&si->public_key), n);
	assert_memory_equal(eid_cbs_data(&si->public_key), point, n);
	eid_secinfos_free(set);

	p = cs->data.data;
	assert_non_null(cms = d2i_CMS_ContentInfo(NULL, &p, (long)cs->data.len));
	{
		char txt[64];

		OBJ_obj2txt(txt, sizeof(txt), CMS_get0_eContentType(cms), 1);
		assert_string_equal(txt, "0.4.0.127.0.7.3.2.1");
	}
	assert_non_null(bio = BIO_new_file(data_path("pki/csca-ec-1.pem"), "r"));
	assert_non_null(csca = PEM_read_bio_X509(bio, NULL, NULL, NULL));
	BIO_free(bio);
	/* the signature, then the DS under the CSCA (explicit curve parameters:
	 * the signature step by itself) */
	assert_int_equal(CMS_verify(cms, NULL, NULL, NULL, NULL,
				    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
	assert_non_null(signers = CMS_get0_signers(cms));
	assert_int_equal(sk_X509_num(signers), 1);
	ds = sk_X509_value(signers, 0);
	assert_int_equal(X509_verify(ds, X509_get0_pubkey(csca)), 1);
	assert_int_equal(X509_check_issued(csca, ds), X509_V_OK);
	sk_X509_free(signers);
	X509_free(csca);
	CMS_ContentInfo_free(cms);
	sim_chip_free(chip);
}

static void test_holder_overrides_and_partial_dates(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	const struct sim_file *f;
	eid_buf want = EID_BUF_INIT;

	(void)state;
	opts(&o, "eid");
	o.eid_given_names = "JÜRGEN";
	o.eid_birth_date = "199409  ";
	o.eid_place_of_birth = "KÖLN";
	chip = chip_new(&o);
	f = sim_chip_file(chip, 0x0104);
	tu_unhex(&want, "64090C074AC39C5247454E");
	assert_int_equal(f->data.len, want.len);
	assert_memory_equal(f->data.data, want.data, want.len);
	/* the vector of a partial date: September 1994, day unknown */
	tu_read_vector("aa_ps_p04_dg08.bin", &want);
	f = sim_chip_file(chip, 0x0108);
	assert_int_equal(f->data.len, want.len);
	assert_memory_equal(f->data.data, want.data, want.len);
	tu_unhex(&want, "6909A1070C054BC3964C4E");
	f = sim_chip_file(chip, 0x0109);
	assert_memory_equal(f->data.data, want.data, want.len);
	/* DG5 untouched */
	assert_vector_dg(5, &sim_chip_file(chip, 0x0105)->data);
	sim_chip_free(chip);

	opts(&o, "eid");
	o.eid_birth_date = "19A40812";
	assert_int_equal(sim_chip_new(&o, &chip), -EID_EINVAL);
	assert_null(chip);
	opts(&o, "eid");
	strcpy(o.pin, "12a45");
	assert_int_equal(sim_chip_new(&o, &chip), -EID_EINVAL);
	opts(&o, "eid");
	o.pin_tries_used = 4;
	assert_int_equal(sim_chip_new(&o, &chip), -EID_EINVAL);
	opts(&o, "eid");
	o.cvca_file = data_path("ta/missing.cvcert");
	assert_int_equal(sim_chip_new(&o, &chip), -EID_ENOTFOUND);
	opts(&o, "eid");
	o.cvca_file = data_path("ta/at.key");
	assert_int_equal(sim_chip_new(&o, &chip), -EID_EPARSE);
	eid_buf_free(&want);
}

/* ---- the whole flow ---- */

static void test_pace_ta_ca_reads_every_dg(void **state)
{
	struct sim_chip *chip = eid_chip();
	struct eid_card card;
	struct session s;
	eid_buf got = EID_BUF_INIT;
	static const uint8_t emrtd[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

	(void)state;
	card_init(&card, chip);
	session_init(&s);
	/* EF.CardAccess in plain, EF.CardSecurity not */
	assert_int_equal(read_dg(&card, 0x1C, &got), 0x9000);
	assert_int_equal(got.len, sim_chip_file(chip, 0x011C)->data.len);
	assert_int_equal(xmit(&card, 0, 0xB0, 0x9D, 0, NULL, 0, 256, NULL), 0x6982);
	/* no ePassport application */
	assert_int_equal(xmit(&card, 0, 0xA4, 0x04, 0x0C, emrtd, sizeof(emrtd), 0, NULL), 0x6A82);
	full_session(&card, chip, &s, chain_at, 2, "at");
	assert_string_equal(s.pace.car1, "DETESTeIDEI001");
	assert_string_equal(s.pace.car2, "");
	for (int dg = 1; dg <= 22; dg++) {
		uint16_t sw = read_dg(&card, dg, &got);

		if (dg == 16) {
			assert_int_equal(sw, 0x6A82);
			continue;
		}
		assert_int_equal(sw, 0x9000);
		assert_vector_dg(dg, &got);
	}
	/* by FID too */
	assert_int_equal(xmit(&card, 0, 0xA4, 0x02, 0x0C, (const uint8_t[]){ 0x01, 0x11 }, 2, 0,
			      NULL), 0x9000);
	assert_int_equal(xmit(&card, 0, 0xB0, 0, 0, NULL, 0, 65536, &got), 0x6282);
	assert_vector_dg(17, &got);
	assert_int_equal(xmit(&card, 0, 0xA4, 0x02, 0x0C, (const uint8_t[]){ 0x01, 0x10 }, 2, 0,
			      NULL), 0x6A82);
	/* the chip's keys are CA's now */
	assert_memory_equal(chip->sm.kenc, s.sm.kenc, 16);
	session_free(&s);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

static void test_dgs_need_ta_and_ca(void **state)
{
	struct sim_chip *chip = eid_chip();
	struct eid_card card;
	struct session s;
	struct term t;
	struct eid_ca_ctx other;
	eid_buf got = EID_BUF_INIT, comp = EID_BUF_INIT;

	(void)state;
	card_init(&card, chip);
	session_init(&s);
	/* after PACE only */
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 1, &got), 0x6982);
	/* CA before TA */
	assert_int_equal(xmit(&card, 0, 0x22, 0x41, 0xA4, (const uint8_t[]){ 0x80, 0x0A, 0x04,
			      0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02 }, 12, 0, NULL),
			 0x6982);
	/* select the MF again for EF.CardSecurity */
	assert_int_equal(xmit(&card, 0, 0xA4, 0x00, 0x0C, NULL, 0, 0, NULL), 0x9000);
	term_load(&t, chain_at, 2, "at");
	{
		/* TA done, then CA with another key than TA signed: 6A80 */
		eid_buf cs = EID_BUF_INIT;

		assert_int_equal(read_sfi(&card, 0x1D, &cs), 0x9000);
		ca_pub_from_cardsecurity(cs.data, cs.len, &s.pub);
		eid_buf_free(&cs);
		assert_int_equal(eid_ca_init_raw(&s.ca, oid_ca, sizeof(oid_ca), 2, 41, 13,
						 s.pub.data, s.pub.len), 0);
		assert_int_equal(eid_ca_keygen(&s.ca, NULL), 0);
		assert_int_equal(eid_ca_compressed_pub(&s.ca, &s.comp), 0);
		assert_int_equal(ta_run(&card, &t, s.pace.id_icc, s.pace.id_icc_len, &s.comp,
					TA_OK), 0x9000);
		/* TA alone gives no data group */
		assert_int_equal(select_eid(&card), 0x9000);
		assert_int_equal(read_dg(&card, 1, &got), 0x6982);
		assert_int_equal(eid_ca_init_raw(&other, oid_ca, sizeof(oid_ca), 2, 41, 13,
						 s.pub.data, s.pub.len), 0);
		assert_int_equal(eid_ca_keygen(&other, NULL), 0);
		assert_int_equal(eid_ca_run(&card, &other, &s.sm), -EID_ESW);
		eid_ca_clear(&other);
		/* the signed key works */
		assert_int_equal(eid_ca_run(&card, &s.ca, &s.sm), 0);
		card.sm = &s.sm;
		assert_int_equal(read_dg(&card, 1, &got), 0x9000);
		assert_vector_dg(1, &got);
	}
	term_free(&t);
	/* a new PACE (CAN again, in the channel) forgets TA and CA */
	{
		struct eid_pace_result again;

		assert_int_equal(pace(&card, EID_PW_CAN, "500540", AT_RIGHTS, false, &again), 0);
		card.sm = &again.sm;
		assert_int_equal(select_eid(&card), 0x9000);
		assert_int_equal(read_dg(&card, 1, &got), 0x6982);
		eid_pace_result_clear(&again);
	}
	eid_buf_free(&comp);
	eid_buf_free(&got);
	session_free(&s);
	sim_chip_free(chip);
}

/* ---- the effective CHAT ---- */

static void test_limited_terminal_and_pace_chat(void **state)
{
	struct sim_chip *chip = eid_chip();
	struct eid_card card;
	struct session s;
	eid_buf got = EID_BUF_INIT;
	struct term t;

	(void)state;
	/* the limited terminal lacks DG9, DG17, DG18 */
	card_init(&card, chip);
	session_init(&s);
	full_session(&card, chip, &s, chain_limited, 2, "limited");
	assert_int_equal(read_dg(&card, 1, &got), 0x9000);
	assert_vector_dg(1, &got);
	assert_int_equal(read_dg(&card, 17, &got), 0x6982);
	assert_int_equal(read_dg(&card, 18, &got), 0x6982);
	assert_int_equal(read_dg(&card, 9, &got), 0x6982);
	assert_int_equal(read_dg(&card, 10, &got), 0x9000);
	assert_int_equal(chip->ta_rights & SIM_AT_READ_DG(17), 0);
	session_free(&s);

	/* the CHAT of PACE narrows the terminal's: DG1..DG4 only */
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	term_load(&t, chain_at, 2, "at");
	pace_ok(&card, EID_PW_CAN, "500540", SIM_AT_CAN_ALLOWED | (0xFull << 8), &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 4, &got), 0x9000);
	assert_int_equal(read_dg(&card, 5, &got), 0x6982);
	session_free(&s);

	/* PACE with the CAN and a CHAT without "CAN allowed": no data group */
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", ALL_DGS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 1, &got), 0x6982);
	session_free(&s);

	/* ... while with the PIN the same CHAT reads */
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_PIN, "123456", ALL_DGS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 1, &got), 0x9000);
	session_free(&s);
	term_free(&t);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- certificates: validity, signatures, link certificates, --cvca ---- */

static void test_expired_and_forged_terminals_are_refused(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = eid_chip();
	struct eid_card card;
	struct session s;
	struct term t;
	struct tm tm;

	(void)state;
	term_load(&t, chain_expired, 2, "expired");
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x6A80);
	assert_false(chip->ta_done);
	session_free(&s);
	sim_chip_free(chip);

	/* on the chip's date 2024-06-01 it was valid */
	opts(&o, "eid");
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 124;
	tm.tm_mon = 5;
	tm.tm_mday = 1;
	o.date = timegm(&tm);
	chip = chip_new(&o);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 2, NULL), 0x9000);
	session_free(&s);
	term_free(&t);

	/* a certificate with a wrong signature; a wrong TA signature: 6300 */
	term_load(&t, chain_at, 2, "at");
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_BAD_CERT_SIG), 0x6300);
	assert_int_equal(ta_run(&card, &t, s.pace.id_icc, s.pace.id_icc_len, &s.comp,
				TA_BAD_SIGNATURE), 0x6300);
	assert_false(chip->ta_done);
	/* and TA in the right way still works in the same session */
	assert_int_equal(ta_run(&card, &t, s.pace.id_icc, s.pace.id_icc_len, &s.comp, TA_OK),
			 0x9000);
	assert_true(chip->ta_done);
	session_free(&s);
	term_free(&t);

	/* the DV of another CVCA: its CAR is unknown (6A88) */
	term_load(&t, chain_at2, 2, "at2");
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x6A88);
	/* TA without PACE: 6982 */
	session_free(&s);
	term_free(&t);
	sim_chip_insert(chip);
	card_init(&card, chip);
	assert_int_equal(xmit(&card, 0, 0x22, 0x81, 0xB6, (const uint8_t[]){ 0x83, 0x01, 0x41 }, 3,
			      0, NULL), 0x6982);
	sim_chip_free(chip);
}

static void test_link_certificate_and_cvca_option(void **state)
{
	struct sim_options o;
	struct sim_chip *chip = eid_chip();
	struct eid_card card;
	struct session s;
	struct term t;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	/* CVCA 001 -> link 002 -> DV2 -> at2 */
	term_load(&t, chain_link, 3, "at2");
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 4, &got), 0x9000);
	assert_vector_dg(4, &got);
	session_free(&s);
	term_free(&t);
	/* the chip now trusts 002, and names 001 as CAR2 */
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_string_equal(s.pace.car1, "DETESTeIDEI002");
	assert_string_equal(s.pace.car2, "DETESTeIDEI001");
	session_free(&s);
	sim_chip_free(chip);

	/* --cvca: a chip that trusts 002 from the start */
	opts(&o, "eid");
	o.cvca_file = data_path("ta/cvca2-self.cvcert");
	chip = chip_new(&o);
	card_init(&card, chip);
	session_init(&s);
	term_load(&t, chain_at2, 2, "at2");
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_string_equal(s.pace.car1, "DETESTeIDEI002");
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x9000);
	assert_int_equal(select_eid(&card), 0x9000);
	assert_int_equal(read_dg(&card, 22, &got), 0x9000);
	assert_vector_dg(22, &got);
	session_free(&s);
	term_free(&t);
	/* and not the terminals under 001 */
	term_load(&t, chain_at, 2, "at");
	sim_chip_insert(chip);
	card_init(&card, chip);
	session_init(&s);
	pace_ok(&card, EID_PW_CAN, "500540", AT_RIGHTS, &s.pace);
	assert_int_equal(ta_ca(&card, chip, &s, &t, TA_OK), 0x6A88);
	session_free(&s);
	term_free(&t);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- passwords ---- */

static void test_pin_retry_counter_suspend_and_resume(void **state)
{
	struct sim_chip *chip = eid_chip();
	struct eid_pace_result res, res2;
	struct eid_card card;

	(void)state;
	card_init(&card, chip);
	/* 3 -> 2 -> 1: GA 4 answers 63C2, 63C1 */
	assert_int_equal(pace(&card, EID_PW_PIN, "111111", 0, false, &res), -EID_EPASSWORD);
	assert_int_equal(res.retry_counter, 2);
	eid_pace_result_clear(&res);
	/* the counter survives reinsertion */
	sim_chip_insert(chip);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_PIN, "111111", 0, false, &res), -EID_EPASSWORD);
	assert_int_equal(res.retry_counter, 1);
	eid_pace_result_clear(&res);
	sim_chip_reset(chip);
	/* suspended: MSE:Set AT answers 63C1, GA 6985 */
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, false, &res), -EID_ESUSPENDED);
	assert_int_equal(res.retry_counter, 1);
	eid_pace_result_clear(&res);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, true, &res), -EID_ESW);
	eid_pace_result_clear(&res);
	assert_int_equal(chip->pin_retries, 1);
	/* CAN, then the PIN inside the CAN's channel: the counter back to 3 */
	pace_ok(&card, EID_PW_CAN, "500540", 0, &res);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, true, &res2), 0);
	assert_int_equal(res2.retry_counter, 1);
	card.sm = &res2.sm;
	assert_int_equal(chip->pin_retries, 3);
	assert_int_equal(xmit(&card, 0, 0xB0, 0x9D, 0, NULL, 0, 16, NULL), 0x9000);
	eid_pace_result_clear(&res);
	eid_pace_result_clear(&res2);
	sim_chip_insert(chip);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, false, &res), 0);
	assert_int_equal(res.retry_counter, -1);
	eid_pace_result_clear(&res);

	/* the last try of a resumed PIN blocks it: 63C0 */
	sim_chip_insert(chip);
	card_init(&card, chip);
	chip->pin_retries = 1;
	pace_ok(&card, EID_PW_CAN, "500540", 0, &res);
	assert_int_equal(pace(&card, EID_PW_PIN, "999999", 0, true, &res2), -EID_EPASSWORD);
	assert_int_equal(res2.retry_counter, 0);
	assert_int_equal(chip->pin_retries, 0);
	eid_pace_result_clear(&res2);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, true, &res2), -EID_EBLOCKED);
	eid_pace_result_clear(&res2);
	eid_pace_result_clear(&res);
	/* a wrong CAN: 6300 and no counter */
	sim_chip_insert(chip);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_CAN, "000000", 0, false, &res), -EID_EPASSWORD);
	assert_int_equal(res.retry_counter, -1);
	eid_pace_result_clear(&res);
	sim_chip_free(chip);
}

static void test_puk_and_reset_retry_counter(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_pace_result res, res2;
	struct eid_card card;

	(void)state;
	opts(&o, "eid");
	o.pin_tries_used = 3;                  /* blocked */
	strcpy(o.puk, "1122334455");
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, false, &res), -EID_EBLOCKED);
	assert_int_equal(res.retry_counter, 0);
	eid_pace_result_clear(&res);
	/* after the CAN, RESET RETRY COUNTER is refused */
	pace_ok(&card, EID_PW_CAN, "500540", 0, &res);
	assert_int_equal(xmit(&card, 0, 0x2C, 0x03, 0x03, NULL, 0, 0, NULL), 0x6982);
	eid_pace_result_clear(&res);
	/* a wrong PUK */
	sim_chip_insert(chip);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_PUK, "9876543210", 0, false, &res), -EID_EPASSWORD);
	eid_pace_result_clear(&res);
	/* the PUK, then RESET RETRY COUNTER in plain: refused */
	pace_ok(&card, EID_PW_PUK, "1122334455", 0, &res);
	{
		static const uint8_t rrc[] = { 0x00, 0x2C, 0x03, 0x03 };
		uint8_t out[16];

		assert_int_equal(sim_chip_apdu(chip, rrc, sizeof(rrc), out, sizeof(out)), 2);
		assert_int_equal(out[0] << 8 | out[1], 0x6982);
		assert_false(chip->sm_active);   /* a plain command ended the session */
	}
	card.sm = NULL;
	eid_pace_result_clear(&res);
	pace_ok(&card, EID_PW_PUK, "1122334455", 0, &res);
	assert_int_equal(xmit(&card, 0, 0x2C, 0x03, 0x02, NULL, 0, 0, NULL), 0x6A86);
	assert_int_equal(xmit(&card, 0, 0x2C, 0x03, 0x03, NULL, 0, 0, NULL), 0x9000);
	assert_int_equal(chip->pin_retries, 3);
	/* the PIN inside the PUK's channel */
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, false, &res2), 0);
	card.sm = &res2.sm;
	assert_int_equal(xmit(&card, 0, 0xB0, 0x9D, 0, NULL, 0, 16, NULL), 0x9000);
	eid_pace_result_clear(&res);
	eid_pace_result_clear(&res2);
	sim_chip_free(chip);
}

static void test_deactivated_eid_refuses_the_pin_not_the_can(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_pace_result res;
	struct eid_card card;
	struct session s;
	eid_buf got = EID_BUF_INIT;

	(void)state;
	opts(&o, "eid");
	o.eid_deactivated = true;
	strcpy(o.can, "123123");
	chip = chip_new(&o);
	card_init(&card, chip);
	assert_int_equal(pace(&card, EID_PW_PIN, "123456", 0, false, &res), -EID_EDEACTIVATED);
	eid_pace_result_clear(&res);
	/* the CAN for on-site reading */
	session_init(&s);
	full_session(&card, chip, &s, chain_at, 2, "at");
	assert_int_equal(read_dg(&card, 5, &got), 0x9000);
	assert_vector_dg(5, &got);
	session_free(&s);
	eid_buf_free(&got);
	sim_chip_free(chip);
}

/* ---- the eAT ---- */

static void test_eat_profile(void **state)
{
	struct sim_options o;
	struct sim_chip *chip;
	struct eid_card card;
	struct session s;
	eid_buf got = EID_BUF_INIT, want = EID_BUF_INIT;
	eid_cbs c, v, text;

	(void)state;
	opts(&o, "eat");
	chip = chip_new(&o);
	card_init(&card, chip);
	session_init(&s);
	full_session(&card, chip, &s, chain_at, 2, "at");
	assert_int_equal(read_dg(&card, 1, &got), 0x9000);
	tu_unhex(&want, "610413024152");     /* "AR" */
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	assert_int_equal(read_dg(&card, 10, &got), 0x9000);
	tu_unhex(&want, "6A05130355544F");   /* "UTO" */
	assert_memory_equal(got.data, want.data, want.len);
	for (int dg = 19; dg <= 20; dg++) {
		assert_int_equal(read_dg(&card, dg, &got), 0x9000);
		eid_buf_cbs(&got, &c);
		assert_true(eid_tlv_get(&c, (uint32_t)(0x60 + dg), &v));
		assert_true(eid_tlv_get(&v, 0xA1, &text));
		assert_true(eid_tlv_get(&text, 0x0C, &v));
		assert_true(eid_cbs_len(&v) > 10);
		tu_read_vector(dg == 19 ? "aa_eid_dg19.bin" : "aa_eid_dg20.bin", &want);
		assert_false(got.len == want.len && memcmp(got.data, want.data, want.len) == 0);
	}
	/* the rest is the specimen's */
	assert_int_equal(read_dg(&card, 4, &got), 0x9000);
	assert_vector_dg(4, &got);
	session_free(&s);
	eid_buf_free(&got);
	eid_buf_free(&want);
	sim_chip_free(chip);
}

static void test_profiles_listed(void **state)
{
	const struct sim_profile *p;

	(void)state;
	assert_non_null(p = sim_profile_find("eid"));
	assert_true(p->eid);
	assert_non_null(p = sim_profile_find("eat"));
	assert_true(p->eid);
	assert_non_null(p = sim_profile_find("passport-pace"));
	assert_false(p->eid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dgs_equal_the_specimen_vectors),
		cmocka_unit_test(test_card_access_and_card_security),
		cmocka_unit_test(test_holder_overrides_and_partial_dates),
		cmocka_unit_test(test_pace_ta_ca_reads_every_dg),
		cmocka_unit_test(test_dgs_need_ta_and_ca),
		cmocka_unit_test(test_limited_terminal_and_pace_chat),
		cmocka_unit_test(test_expired_and_forged_terminals_are_refused),
		cmocka_unit_test(test_link_certificate_and_cvca_option),
		cmocka_unit_test(test_pin_retry_counter_suspend_and_resume),
		cmocka_unit_test(test_puk_and_reset_retry_counter),
		cmocka_unit_test(test_deactivated_eid_refuses_the_pin_not_the_can),
		cmocka_unit_test(test_eat_profile),
		cmocka_unit_test(test_profiles_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
