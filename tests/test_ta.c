/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "testutil.h"
#include "crypto.h"
#include "cvc.h"
#include "ta.h"
#include "tlv.h"
#include "cvc_vectors.h"

/* BSI EAC worked example, ECDH variant (vectors.md 3.1). */
static const char *ecdh_id_picc = /* x of the chip's PACE ephemeral key */
	"282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680";
static const char *ecdh_comp_pk_pcd = /* x of the CA ephemeral PK_PCD */
	"5A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799";
static const char *ecdh_r_picc = "547E4EAB03B235D2";
static const char *ecdh_signature =
	"81A2D9E5891B86A0F01ADD0341C89D6E9EF3E20C223884F27B2F2040E9721C46C9C3CF7C0EE0A422263BA6F1"
	"EAFC693BD8738F34760B5998584F58DD25B8D60D99D7C45957C2E2F10C0E5F91A8DC88BD7CFA33CBF784A9DA"
	"83C800324165179DBE71C69B2C0FD811270E436C43278184DDB542142342DBF156E82D2A1BC19085";

/* DH variant (vectors.md 3.2): the chip's PACE ephemeral key (ICAO G.2), the
 * CA ephemeral PK_PCD, r_PICC and the RSA v1.5 / SHA-1 signature. */
static const char *dh_picc_eph_pub =
	"075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB"
	"5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250"
	"767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1";
static const char *dh_ca_pk_pcd =
	"A2830947A6FCAACDE2FCB88B29AB38E07C3453ABC4BCB466087E11C79F32A19E6EF22BE108F8DD18FE8249C9"
	"60951511200DC985AA3EC0CCAD59A5F9BBCC33EE5F1577E20330B4DD10EB06B740277C97A189180EDE52BEE9"
	"D429F10FB77F180F05D6A99C499CB5E1ECEEB8E92284F66EA98479674CE73F53C567A03B0D297833";
static const char *dh_r_picc = "FC210C174A801D46";
static const char *dh_signature =
	"37C7360C55579DE28A41DF8A1D17032C4B9F90DF7F646DF33F77EF976AE4C45CDBA3776399648C755043790F"
	"0F19BFC146D053B77036CA9B24BFB4B7934FAC042671E23BE6E3CA2B246CE2066C1F0550383418192F06D6AD"
	"6C0ACB1E70BDEAD60EA10B31E074F49E5E8AEB54E6F4F83CE998957953F97F870058013D0E745D0A";

static time_t day(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };

	return timegm(&tm);
}

static struct eid_cvc *load(const char *name)
{
	eid_buf b = EID_BUF_INIT;
	struct eid_cvc *c = NULL;

	tu_read_vector(name, &b);
	assert_int_equal(eid_cvc_parse(b.data, b.len, &c), 0);
	eid_buf_free(&b);
	return c;
}

/* Verify a TA signature (plain r||s for ECDSA) with the terminal certificate. */
static int verify_ta_signature(const struct eid_cvc *term, const struct eid_cvc *domain,
			       const uint8_t *in, size_t n, const uint8_t *sig, size_t siglen)
{
	enum eid_cvc_sig_scheme scheme;
	const char *md;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	eid_buf der = EID_BUF_INIT;
	int ok;

	assert_int_equal(eid_cvc_ta_algorithm(term->pk_oid, term->pk_oid_len, &scheme, &md), 0);
	assert_int_equal(eid_cvc_pubkey(term, domain, &key), 0);
	if (scheme == EID_CVC_SIG_ECDSA) {
		assert_int_equal(eid_cvc_ecdsa_plain_to_der(sig, siglen, &der), 0);
		sig = der.data;
		siglen = der.len;
	}
	assert_int_equal(EVP_DigestVerifyInit_ex(mctx, NULL, md, NULL, NULL, key, NULL), 1);
	ok = EVP_DigestVerify(mctx, sig, siglen, in, n);
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(key);
	eid_buf_free(&der);
	return ok;
}

static struct eid_ta_creds *ecdh_creds(void)
{
	eid_buf dv = EID_BUF_INIT, ta = EID_BUF_INIT, key = EID_BUF_INIT;
	const uint8_t *certs[2];
	size_t lens[2];
	struct eid_ta_creds *c = NULL;

	tu_read_vector("op_tc_ecdh_dv_cert.bin", &dv);
	tu_read_vector("op_tc_ecdh_ta_cert.bin", &ta);
	tu_read_vector("op_tc_ecdh_ta_pcd_key.bin", &key);
	certs[0] = dv.data;
	lens[0] = dv.len;
	certs[1] = ta.data;
	lens[1] = ta.len;
	assert_int_equal(eid_ta_creds_from_mem(certs, lens, 2, key.data, key.len, &c), 0);
	eid_buf_free(&dv);
	eid_buf_free(&ta);
	eid_buf_free(&key);
	return c;
}

static void ecdh_worked_example_signature(void **state)
{
	eid_buf id = EID_BUF_INIT, r = EID_BUF_INIT, comp = EID_BUF_INIT, in = EID_BUF_INIT;
	eid_buf sig = EID_BUF_INIT, mine = EID_BUF_INIT;
	struct eid_cvc *cvca = load("op_tc_ecdh_cvca_cert.bin");
	struct eid_ta_creds *creds = ecdh_creds();
	const struct eid_cvc *term = eid_ta_creds_terminal(creds);

	(void)state;
	tu_unhex(&id, ecdh_id_picc);
	tu_unhex(&r, ecdh_r_picc);
	tu_unhex(&comp, ecdh_comp_pk_pcd);
	assert_int_equal(eid_ta_signature_input(id.data, id.len, r.data, comp.data, comp.len, NULL,
						0, &in), 0);
	assert_hex(in.data, in.len,
		   "282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680547E4EAB03B235D2"
		   "5A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799");

	/* the published signature verifies with the terminal's key (CVCA domain) */
	tu_unhex(&sig, ecdh_signature);
	assert_int_equal(verify_ta_signature(term, cvca, in.data, in.len, sig.data, sig.len), 1);
	sig.data[5] ^= 1;
	assert_int_equal(verify_ta_signature(term, cvca, in.data, in.len, sig.data, sig.len), 0);

	/* ours (random ECDSA) too: 2 x 64 bytes for brainpoolP512r1 */
	assert_int_equal(eid_ta_sign(creds, in.data, in.len, &mine), 0);
	assert_int_equal(mine.len, 128);
	assert_int_equal(verify_ta_signature(term, cvca, in.data, in.len, mine.data, mine.len), 1);
	in.data[0] ^= 1;
	assert_int_equal(verify_ta_signature(term, cvca, in.data, in.len, mine.data, mine.len), 0);

	eid_buf_free(&id);
	eid_buf_free(&r);
	eid_buf_free(&comp);
	eid_buf_free(&in);
	eid_buf_free(&sig);
	eid_buf_free(&mine);
	eid_cvc_free(cvca);
	eid_ta_creds_free(creds);
}

static struct eid_ta_creds *dh_creds(void)
{
	eid_buf dv = EID_BUF_INIT, ta = EID_BUF_INIT, key = EID_BUF_INIT;
	const uint8_t *certs[2];
	size_t lens[2];
	struct eid_ta_creds *c = NULL;

	tu_unhex(&dv, tv_dh_dv_cert);
	tu_unhex(&ta, tv_dh_ta_cert);
	tu_read_vector("op_tc_dh_ta_pcd_key.bin", &key);
	certs[0] = dv.data;
	lens[0] = dv.len;
	certs[1] = ta.data;
	lens[1] = ta.len;
	assert_int_equal(eid_ta_creds_from_mem(certs, lens, 2, key.data, key.len, &c), 0);
	eid_buf_free(&dv);
	eid_buf_free(&ta);
	eid_buf_free(&key);
	return c;
}

static void dh_worked_example_signature_reproduced(void **state)
{
	eid_buf pk = EID_BUF_INIT, r = EID_BUF_INIT, in = EID_BUF_INIT, sig = EID_BUF_INIT;
	uint8_t id[20], comp[20];
	struct eid_ta_creds *creds = dh_creds();

	(void)state;
	/* ID_PICC = SHA-1 of the chip's ephemeral key, Comp = SHA-1 of PK_PCD */
	tu_unhex(&pk, dh_picc_eph_pub);
	assert_int_equal(eid_sha1(pk.data, pk.len, id), 0);
	tu_unhex(&pk, dh_ca_pk_pcd);
	assert_int_equal(eid_sha1(pk.data, pk.len, comp), 0);
	tu_unhex(&r, dh_r_picc);
	assert_int_equal(eid_ta_signature_input(id, sizeof(id), r.data, comp, sizeof(comp), NULL, 0,
						&in), 0);
	assert_hex(in.data, in.len,
		   "F4874C8A068E57E7320B4BB7136859CBE3AC42C9FC210C174A801D46"
		   "7DF391B178B9F8F32BE6C65A3DBD92F1992B9A91");
	/* RSA v1.5 is deterministic: the published signature byte for byte */
	assert_int_equal(eid_ta_sign(creds, in.data, in.len, &sig), 0);
	assert_hex(sig.data, sig.len, dh_signature);
	assert_int_equal(verify_ta_signature(eid_ta_creds_terminal(creds), NULL, in.data, in.len,
					     sig.data, sig.len), 1);

	eid_buf_free(&pk);
	eid_buf_free(&r);
	eid_buf_free(&in);
	eid_buf_free(&sig);
	eid_ta_creds_free(creds);
}

static void chat_is_minimised(void **state)
{
	struct eid_ta_creds *creds = ecdh_creds();
	eid_buf chat = EID_BUF_INIT;

	(void)state;
	assert_int_equal(eid_ta_chat(creds, UINT64_MAX, &chat), 0);
	assert_hex(chat.data, chat.len, "7F4C12060904007F000703010202" "53050000000110");
	assert_int_equal(eid_ta_chat(creds, EID_CVC_AT_READ_DG(1) | EID_CVC_AT_READ_DG(2), &chat),
			 0);
	assert_hex(chat.data, chat.len, "7F4C12060904007F000703010202" "53050000000100");
	assert_int_equal(eid_ta_chat(creds, EID_CVC_AT_AGE_VERIFICATION, &chat), 0);
	assert_hex(chat.data, chat.len, "7F4C12060904007F000703010202" "53050000000000");
	/* the role bits of a wish never leak into the CHAT */
	assert_int_equal(eid_ta_chat(creds, 3ull << 38 | EID_CVC_AT_CAN_ALLOWED, &chat), 0);
	assert_hex(chat.data, chat.len, "7F4C12060904007F000703010202" "53050000000010");
	assert_int_equal(eid_ta_chat(NULL, 0, &chat), -EID_EINVAL);
	eid_buf_free(&chat);
	eid_ta_creds_free(creds);
}

/* ---- eid_ta_run against a scripted card ------------------------------------------- */

struct capture {
	eid_buf last; /* the last command sent */
};

static void capture_trace(void *ctx, bool is_command, const uint8_t *bytes, size_t n)
{
	struct capture *cap = ctx;

	if (is_command)
		eid_buf_set(&cap->last, bytes, n);
}

static char *hex_of(const char *prefix, const uint8_t *p, size_t n)
{
	size_t plen = strlen(prefix);
	char *s = malloc(plen + 2 * n + 1);

	assert_non_null(s);
	memcpy(s, prefix, plen);
	eid_hex(p, n, s + plen);
	return s;
}

/* The PSO:Verify Certificate APDUs for a certificate: extended or chained. */
static size_t pso_commands(const struct eid_cvc *c, bool extended, char **out)
{
	eid_cbs in, contents, piece;
	eid_buf apdu = EID_BUF_INIT;
	size_t k = 0;

	eid_buf_cbs(&c->der, &in);
	assert_true(eid_tlv_get(&in, 0x7F21, &contents));
	if (extended) {
		struct eid_apdu a = { .cla = 0, .ins = 0x2A, .p1 = 0, .p2 = 0xBE,
				      .data = eid_cbs_data(&contents), .lc = eid_cbs_len(&contents) };

		assert_int_equal(eid_apdu_encode(&a, &apdu), 0);
		assert_hex(apdu.data, 7, "002A00BE000166"); /* extended Lc 358 */
		out[k++] = hex_of("", apdu.data, apdu.len);
	} else {
		while (eid_cbs_len(&contents)) {
			size_t n = eid_cbs_len(&contents) > 255 ? 255 : eid_cbs_len(&contents);
			bool last = n == eid_cbs_len(&contents);
			struct eid_apdu a = { .cla = last ? 0x00 : 0x10, .ins = 0x2A, .p1 = 0,
					      .p2 = 0xBE };

			assert_true(eid_cbs_get_bytes(&contents, &piece, n));
			a.data = eid_cbs_data(&piece);
			a.lc = n;
			eid_buf_reset(&apdu);
			assert_int_equal(eid_apdu_encode(&a, &apdu), 0);
			out[k++] = hex_of("", apdu.data, apdu.len);
		}
	}
	eid_buf_free(&apdu);
	return k;
}

static void run_worked_example(bool extended, const struct eid_ta_aux *aux, const char *aux_hex)
{
	struct eid_ta_creds *creds = ecdh_creds();
	struct eid_cvc *cvca = load("op_tc_ecdh_cvca_cert.bin");
	struct tu_exchange ex[16];
	char *owned[16];
	size_t n = 0, n_owned = 0;
	struct tu_script s;
	struct capture cap = { EID_BUF_INIT };
	eid_buf id = EID_BUF_INIT, comp = EID_BUF_INIT, in = EID_BUF_INIT, r = EID_BUF_INIT;
	eid_buf mse = EID_BUF_INIT;
	struct eid_ta_opts opts = { .now = day(2010, 10, 15), .aux = aux };
	eid_cbs sig;
	char mse_hex[512];

	for (size_t i = 0; i < creds->n_certs; i++) {
		const struct eid_cvc *c = creds->certs[i];
		char *cmds[4];
		size_t k;

		/* MSE:Set DST { 83 CAR } */
		eid_buf_reset(&mse);
		eid_tlv_add(&mse, 0x83, c->car, strlen(c->car));
		owned[n_owned] = hex_of("002281B6", (const uint8_t[]){ (uint8_t)mse.len }, 1);
		ex[n].cmd = owned[n_owned];
		owned[++n_owned] = hex_of(ex[n].cmd, mse.data, mse.len);
		ex[n].cmd = owned[n_owned++];
		ex[n++].resp = "9000";
		k = pso_commands(c, extended, cmds);
		if (!extended)
			assert_int_equal(k, 2); /* 358 bytes: 255 + 103 */
		for (size_t j = 0; j < k; j++) {
			owned[n_owned++] = cmds[j];
			ex[n].cmd = cmds[j];
			ex[n++].resp = "9000";
		}
	}
	/* MSE:Set AT { 80 id-TA-ECDSA-SHA-512, 83 CHR, 91 x(PK_PCD), [67 aux] } */
	snprintf(mse_hex, sizeof(mse_hex), "002281A4%02zX" "800A04007F00070202020205"
		 "830D444554455354415444453031399120%s%s",
		 (size_t)(12 + 15 + 34 + strlen(aux_hex) / 2), ecdh_comp_pk_pcd, aux_hex);
	ex[n].cmd = mse_hex;
	ex[n++].resp = "9000";
	ex[n].cmd = "0084000008";
	ex[n++].resp = "547E4EAB03B235D29000";
	ex[n].cmd = NULL; /* EXTERNAL AUTHENTICATE: random ECDSA, checked below */
	ex[n++].resp = "9000";

	tu_script_init(&s, ex, n);
	s.card.extended_length = extended;
	s.card.trace = capture_trace;
	s.card.trace_ctx = &cap;
	tu_unhex(&id, ecdh_id_picc);
	tu_unhex(&comp, ecdh_comp_pk_pcd);
	assert_int_equal(eid_ta_run(&s.card, creds, "DECVCAAT00001", "", id.data, id.len,
				    comp.data, comp.len, &opts), 0);
	tu_script_assert_done(&s);

	/* the signature sent verifies over ID_PICC || r_PICC || Comp(PK_PCD) || aux */
	assert_true(cap.last.len == 5 + 128);
	assert_hex(cap.last.data, 5, "0082000080");
	eid_cbs_init(&sig, cap.last.data + 5, 128);
	tu_unhex(&r, ecdh_r_picc);
	if (aux_hex[0])
		tu_unhex(&mse, aux_hex);
	else
		eid_buf_reset(&mse);
	assert_int_equal(eid_ta_signature_input(id.data, id.len, r.data, comp.data, comp.len,
						mse.data, mse.len, &in), 0);
	assert_int_equal(verify_ta_signature(eid_ta_creds_terminal(creds), cvca, in.data, in.len,
					     eid_cbs_data(&sig), eid_cbs_len(&sig)), 1);

	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);
	eid_buf_free(&cap.last);
	eid_buf_free(&id);
	eid_buf_free(&comp);
	eid_buf_free(&in);
	eid_buf_free(&r);
	eid_buf_free(&mse);
	eid_cvc_free(cvca);
	eid_ta_creds_free(creds);
}

static void run_with_extended_length(void **state)
{
	(void)state;
	run_worked_example(true, NULL, "");
}

static void run_with_command_chaining(void **state)
{
	(void)state;
	run_worked_example(false, NULL, "");
}

static void run_with_auxiliary_data(void **state)
{
	static const uint8_t community[] = { 0x02, 0x76, 0x03, 0x01 };
	struct eid_ta_aux aux = { .age_ref_date = "19920101", .community_id = community,
				  .community_id_len = sizeof(community) };

	(void)state;
	run_worked_example(true, &aux,
			   "672A"
			   "7315060904007F000703010401" "53083139393230313031"
			   "7311060904007F000703010403" "530402760301");
}

static void run_errors(void **state)
{
	struct eid_ta_creds *creds = ecdh_creds();
	eid_buf id = EID_BUF_INIT, comp = EID_BUF_INIT;
	struct eid_ta_opts opts = { .now = day(2010, 10, 15) };
	struct tu_script s;
	const struct tu_exchange *none = NULL;
	char *cmds[4];
	struct tu_exchange ex[3];

	(void)state;
	tu_unhex(&id, ecdh_id_picc);
	tu_unhex(&comp, ecdh_comp_pk_pcd);

	/* the chip refuses the DV certificate (6300) */
	assert_int_equal(pso_commands(creds->certs[0], true, cmds), 1);
	ex[0].cmd = "002281B60F830D44454356434141543030303031";
	ex[0].resp = "9000";
	ex[1].cmd = cmds[0];
	ex[1].resp = "6300";
	tu_script_init(&s, ex, 2);
	s.card.extended_length = true;
	assert_int_equal(eid_ta_run(&s.card, creds, "DECVCAAT00001", "", id.data, id.len, comp.data,
				    comp.len, &opts), -EID_EAUTH);
	tu_script_assert_done(&s);
	/* an unknown CAR at MSE:Set DST (6A88) is an unexpected status */
	ex[0].resp = "6A88";
	tu_script_init(&s, ex, 1);
	assert_int_equal(eid_ta_run(&s.card, creds, "DECVCAAT00001", "", id.data, id.len, comp.data,
				    comp.len, &opts), -EID_ESW);
	tu_script_assert_done(&s);
	free(cmds[0]);

	/* expired (and not yet valid) own certificates: nothing is sent */
	tu_script_init(&s, none, 0);
	opts.now = day(2010, 10, 31);
	assert_int_equal(eid_ta_run(&s.card, creds, "DECVCAAT00001", "", id.data, id.len, comp.data,
				    comp.len, &opts), -EID_ECERT);
	opts.now = day(2010, 9, 29);
	assert_int_equal(eid_ta_run(&s.card, creds, "", "", id.data, id.len, comp.data, comp.len,
				    &opts), -EID_ECERT);
	assert_int_equal(s.card.stats.apdus, 0);
	tu_script_assert_done(&s);

	/* no certificate chains to the chip's CVCAs */
	opts.now = day(2010, 10, 15);
	assert_int_equal(eid_ta_run(&s.card, creds, "DECVCAAT00002", "DECVCAAT00003", id.data,
				    id.len, comp.data, comp.len, &opts), -EID_ECERT);
	assert_int_equal(s.card.stats.apdus, 0);

	/* car2 matches the terminal's DV: only the terminal certificate is sent;
	 * the chip refuses the signature (6982) */
	{
		char *ta_cmds[4];
		char mse[256];

		assert_int_equal(pso_commands(creds->certs[1], true, ta_cmds), 1);
		snprintf(mse, sizeof(mse), "002281A43D800A04007F00070202020205"
			 "830D444554455354415444453031399120%s", ecdh_comp_pk_pcd);
		const struct tu_exchange ex2[] = {
			{ "002281B60F830D44455445535444564445303139", "9000" },
			{ ta_cmds[0], "9000" },
			{ mse, "9000" },
			{ "0084000008", "547E4EAB03B235D29000" },
			{ NULL, "6982" },
		};
		tu_script_init(&s, ex2, 5);
		s.card.extended_length = true;
		assert_int_equal(eid_ta_run(&s.card, creds, "DEXXX", "DETESTDVDE019", id.data, id.len,
					    comp.data, comp.len, &opts), -EID_EAUTH);
		tu_script_assert_done(&s);
		free(ta_cmds[0]);
	}

	assert_int_equal(eid_ta_run(&s.card, NULL, "", "", id.data, id.len, comp.data, comp.len,
				    &opts), -EID_EINVAL);
	eid_buf_free(&id);
	eid_buf_free(&comp);
	eid_ta_creds_free(creds);
}

/* ---- credentials from files ------------------------------------------------------- */

static char *write_temp(const void *data, size_t n)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = malloc(strlen(dir) + 32);
	int fd;

	assert_non_null(path);
	sprintf(path, "%s/test_ta_XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static char *write_key_pem(const eid_buf *der, bool traditional)
{
	const unsigned char *p = der->data;
	EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &p, (long)der->len);
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	char *path;

	assert_non_null(key);
	if (traditional)
		assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL,
								      NULL), 1);
	else
		assert_int_equal(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	path = write_temp(data, (size_t)n);
	BIO_free(bio);
	EVP_PKEY_free(key);
	return path;
}

static void creds_from_files(void **state)
{
	eid_buf cvca = EID_BUF_INIT, dv = EID_BUF_INIT, ta = EID_BUF_INIT, key = EID_BUF_INIT;
	eid_buf rsa = EID_BUF_INIT;
	char *f_cvca, *f_dv, *f_ta, *f_key, *f_pem, *f_trad, *f_rsa, *f_junk;
	struct eid_ta_creds *c = NULL;
	static const char junk[] = "this is not a key\n";

	(void)state;
	tu_read_vector("op_tc_ecdh_cvca_cert.bin", &cvca);
	tu_read_vector("op_tc_ecdh_dv_cert.bin", &dv);
	tu_read_vector("op_tc_ecdh_ta_cert.bin", &ta);
	tu_read_vector("op_tc_ecdh_ta_pcd_key.bin", &key);
	tu_read_vector("op_tc_dh_ta_pcd_key.bin", &rsa);
	f_cvca = write_temp(cvca.data, cvca.len);
	f_dv = write_temp(dv.data, dv.len);
	f_ta = write_temp(ta.data, ta.len);
	f_key = write_temp(key.data, key.len);
	f_pem = write_key_pem(&key, false);
	f_trad = write_key_pem(&key, true);
	f_rsa = write_temp(rsa.data, rsa.len);
	f_junk = write_temp(junk, sizeof(junk) - 1);

	{
		const char *chain3[] = { f_cvca, f_dv, f_ta };
		const char *chain2[] = { f_dv, f_ta };
		const char *broken[] = { f_cvca, f_ta };
		const char *missing[] = { f_dv, "/nonexistent/ta.cvcert" };
		const char *junk_cert[] = { f_dv, f_junk };
		const char *no_terminal[] = { f_cvca, f_dv };
		const char *keys[] = { f_key, f_pem, f_trad };

		for (size_t i = 0; i < 3; i++) {
			assert_int_equal(eid_ta_creds_load(chain2, 2, keys[i], &c), 0);
			assert_int_equal(c->n_certs, 2);
			assert_string_equal(eid_ta_creds_terminal(c)->chr, "DETESTATDE019");
			eid_ta_creds_free(c);
		}
		assert_int_equal(eid_ta_creds_load(chain3, 3, f_pem, &c), 0);
		assert_int_equal(c->n_certs, 3);
		assert_string_equal(c->certs[0]->chr, "DECVCAAT00001");
		eid_ta_creds_free(c);

		assert_int_equal(eid_ta_creds_load(broken, 2, f_key, &c), -EID_ECERT);
		assert_null(c);
		assert_int_equal(eid_ta_creds_load(no_terminal, 2, f_key, &c), -EID_ECERT);
		assert_int_equal(eid_ta_creds_load(missing, 2, f_key, &c), -EID_ENOTFOUND);
		assert_int_equal(eid_ta_creds_load(chain2, 2, "/nonexistent/key.pem", &c),
				 -EID_ENOTFOUND);
		assert_int_equal(eid_ta_creds_load(junk_cert, 2, f_key, &c), -EID_EPARSE);
		assert_int_equal(eid_ta_creds_load(chain2, 2, f_junk, &c), -EID_EPARSE);
		/* a key that is not the terminal certificate's */
		assert_int_equal(eid_ta_creds_load(chain2, 2, f_rsa, &c), -EID_ECERT);
		assert_null(c);
	}

	unlink(f_cvca);
	unlink(f_dv);
	unlink(f_ta);
	unlink(f_key);
	unlink(f_pem);
	unlink(f_trad);
	unlink(f_rsa);
	unlink(f_junk);
	free(f_cvca);
	free(f_dv);
	free(f_ta);
	free(f_key);
	free(f_pem);
	free(f_trad);
	free(f_rsa);
	free(f_junk);
	eid_buf_free(&cvca);
	eid_buf_free(&dv);
	eid_buf_free(&ta);
	eid_buf_free(&key);
	eid_buf_free(&rsa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ecdh_worked_example_signature),
		cmocka_unit_test(dh_worked_example_signature_reproduced),
		cmocka_unit_test(chat_is_minimised),
		cmocka_unit_test(run_with_extended_length),
		cmocka_unit_test(run_with_command_chaining),
		cmocka_unit_test(run_with_auxiliary_data),
		cmocka_unit_test(run_errors),
		cmocka_unit_test(creds_from_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
