/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Restricted Identification (proto/ri.c, tools/sim/chip_ri.c): the
 * exchange against a scripted card whose answer is the sector ID computed
 * here with OpenSSL from the test keys (tests/data/chip/ri-ec.key,
 * tests/data/ri/sector.*); the sector key and response parsers; the
 * simulated eID card in a whole read, which must answer that same ID, a
 * different one for another sector, and 6982 when the CHAT lacks RI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "testutil.h"
#include "../tools/sim/sim.h"
#include "read.h"
#include "ri.h"
#include "secinfo.h"
#include "ta.h"
#include "trust.h"

static const char *data_dir(void)
{
	static char dir[4096];
	const char *src = getenv("EID_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/data", src ? src : "..");
	return dir;
}

static const char *data_path(const char *rel)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", data_dir(), rel);
	return path;
}

static void read_file(const char *rel, eid_buf *b)
{
	FILE *f = fopen(data_path(rel), "rb");
	uint8_t chunk[4096];
	size_t n;

	assert_non_null(f);
	eid_buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(eid_buf_add(b, chunk, n), 0);
	fclose(f);
}

static EVP_PKEY *load_priv(const char *rel)
{
	FILE *f = fopen(data_path(rel), "r");
	EVP_PKEY *k;

	assert_non_null(f);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	return k;
}

/* By hand: SHA-256 of the x-coordinate of SK_ID * PK_sector (OpenSSL's
 * ECDH derives exactly that x-coordinate). */
static void expected_id(EVP_PKEY *sk_id, const eid_buf *sector_spki, uint8_t id[32])
{
	const unsigned char *p = sector_spki->data;
	EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)sector_spki->len);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(sk_id, NULL);
	uint8_t x[66];
	size_t xlen = sizeof(x);
	unsigned int hlen = 32;

	assert_non_null(pk);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
	assert_int_equal(EVP_PKEY_derive_set_peer(ctx, pk), 1);
	assert_int_equal(EVP_PKEY_derive(ctx, x, &xlen), 1);
	assert_int_equal(xlen, 32);
	assert_int_equal(EVP_Digest(x, xlen, id, &hlen, EVP_sha256(), NULL), 1);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	eid_hex(p, n, out);
}

static EVP_PKEY *gen_key(const char *curve)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

static void spki_of(EVP_PKEY *k, eid_buf *out)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);

	assert_true(n > 0);
	eid_buf_reset(out);
	assert_int_equal(eid_buf_add(out, der, (size_t)n), 0);
	OPENSSL_free(der);
}

/* ---- the exchange against a scripted card ---- */

static void exchange_with_scripted_card(void **state)
{
	eid_buf spki = EID_BUF_INIT, point = EID_BUF_INIT, id = EID_BUF_INIT;
	EVP_PKEY *sk_id = load_priv("chip/ri-ec.key");
	char cmd_ga[600], resp_ga[200], pt_hex[140], id_hex[65];
	uint8_t want[32];
	struct tu_script s;

	(void)state;
	read_file("ri/sector.pub.der", &spki);
	expected_id(sk_id, &spki, want);
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len, 13, &point), 0);
	assert_int_equal(point.len, 65);
	assert_int_equal(point.data[0], 0x04);
	hex(point.data, point.len, pt_hex);
	hex(want, sizeof(want), id_hex);
	/* Lc 53: 7C 51 { A0 4F { 06 0A OID, 86 41 point } } */
	snprintf(cmd_ga, sizeof(cmd_ga), "00860000537C51A04F060A04007F00070202050203" "8641%s00",
		 pt_hex);
	snprintf(resp_ga, sizeof(resp_ga), "7C228120%s9000", id_hex);
	{
		const struct tu_exchange ex[] = {
			{ "002241A40F800A04007F000702020502038401" "01", "9000" },
			{ cmd_ga, resp_ga },
		};

		tu_script_init(&s, ex, 2);
		assert_int_equal(eid_ri_run(&s.card, 1, point.data, point.len, &id), 0);
		tu_script_assert_done(&s);
		assert_int_equal(id.len, 32);
		assert_memory_equal(id.data, want, 32);
	}
	{
		/* the chip refuses: the CHAT lacks RI */
		const struct tu_exchange ex[] = {
			{ "002241A40F800A04007F00070202050203840101", "6982" },
		};

		eid_buf_reset(&id);
		tu_script_init(&s, ex, 1);
		assert_int_equal(eid_ri_run(&s.card, 1, point.data, point.len, &id), -EID_EACCESS);
		tu_script_assert_done(&s);
		assert_int_equal(id.len, 0);
	}
	{
		/* key reference 0x0129 in two bytes; an unexpected SW at GA */
		const struct tu_exchange ex[] = {
			{ "002241A410800A04007F0007020205020384020129", "9000" },
			{ NULL, "6A80" },
		};

		tu_script_init(&s, ex, 2);
		assert_int_equal(eid_ri_run(&s.card, 0x129, point.data, point.len, &id), -EID_ESW);
		tu_script_assert_done(&s);
	}
	{
		/* a short ID is malformed */
		const struct tu_exchange ex[] = {
			{ NULL, "9000" },
			{ NULL, "7C0381010F9000" },
		};

		tu_script_init(&s, ex, 2);
		assert_int_equal(eid_ri_run(&s.card, 1, point.data, point.len, &id), -EID_EPARSE);
		tu_script_assert_done(&s);
		assert_int_equal(id.len, 0);
	}
	assert_int_equal(eid_ri_run(&s.card, -1, point.data, point.len, &id), -EID_EINVAL);
	eid_buf_free(&spki);
	eid_buf_free(&point);
	eid_buf_free(&id);
	EVP_PKEY_free(sk_id);
}

static void response_parser(void **state)
{
	eid_buf b = EID_BUF_INIT, id = EID_BUF_INIT;
	static const char *const bad[] = {
		"", "7C00", "7C2281200000", ("7C238121" "00000000000000000000000000000000000000000000000000000000000000000000"),
		"7C22822000000000000000000000000000000000000000000000000000000000000000",
		"7C2481200000000000000000000000000000000000000000000000000000000000000000000000",
		"7D22812000000000000000000000000000000000000000000000000000000000000000",
	};

	(void)state;
	tu_unhex(&b, "7C2281200102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20");
	assert_int_equal(eid_ri_parse_response(b.data, b.len, &id), 0);
	assert_hex(id.data, id.len, "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		eid_buf_reset(&id);
		tu_unhex(&b, bad[i]);
		assert_int_equal(eid_ri_parse_response(b.data, b.len, &id), -EID_EPARSE);
		assert_int_equal(id.len, 0);
	}
	eid_buf_free(&b);
	eid_buf_free(&id);
}

static void sector_key_parser(void **state)
{
	eid_buf spki = EID_BUF_INIT, pt = EID_BUF_INIT;
	EVP_PKEY *p256 = gen_key("P-256");

	(void)state;
	read_file("ri/sector.pub.der", &spki);
	/* no domain parameters announced: any valid EC key */
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len, -1, &pt), 0);
	assert_int_equal(pt.len, 65);
	/* trailing garbage, truncation, nothing */
	assert_int_equal(eid_buf_add_u8(&spki, 0), 0);
	eid_buf_reset(&pt);
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len, 13, &pt), -EID_EPARSE);
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len - 10, 13, &pt), -EID_EPARSE);
	assert_int_equal(eid_ri_sector_point(spki.data, 0, 13, &pt), -EID_EPARSE);
	assert_int_equal(pt.len, 0);
	/* a P-256 key is not on brainpoolP256r1 */
	assert_non_null(p256);
	spki_of(p256, &spki);
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len, 13, &pt), -EID_EAUTH);
	assert_int_equal(eid_ri_sector_point(spki.data, spki.len, 12, &pt), 0);
	assert_int_equal(pt.len, 65);
	EVP_PKEY_free(p256);
	eid_buf_free(&spki);
	eid_buf_free(&pt);
}

/* ---- the simulated eID card ---- */

struct fixture {
	struct sim_options opt;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_ta_creds *term;
	bool ri_at_pa;            /* run RI by hand when the read reaches "pa" */
	int ri_at_pa_result;
	eid_buf ri_point;
	eid_buf ri_id;
};

static int secret_can(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	(void)ctx;
	(void)retries;
	if (kind != EID_PW_CAN)
		return -EID_ENOTFOUND;
	return eid_buf_set(out, "500540", 6);
}

static void progress(void *ctx, const char *step, double fraction)
{
	struct fixture *f = ctx;

	(void)fraction;
	if (f->ri_at_pa && !strcmp(step, "pa"))
		f->ri_at_pa_result = eid_ri_run(&f->card, 1, f->ri_point.data, f->ri_point.len,
						&f->ri_id);
}

static void fixture_init(struct fixture *f, const char *terminal)
{
	char cert[64], key[64];
	const char *certs[2];

	memset(f, 0, sizeof(*f));
	sim_options_init(&f->opt);
	f->opt.profile = "eid";
	f->opt.data_dir = data_dir();
	assert_int_equal(sim_chip_new(&f->opt, &f->chip), 0);
	eid_card_init(&f->card, sim_chip_transmit, f->chip);
	snprintf(cert, sizeof(cert), "ta/%s.cvcert", terminal);
	snprintf(key, sizeof(key), "ta/%s.key", terminal);
	certs[0] = strdup(data_path("ta/dv.cvcert"));
	certs[1] = strdup(data_path(cert));
	assert_int_equal(eid_ta_creds_load(certs, 2, data_path(key), &f->term), 0);
	free((void *)certs[0]);
	free((void *)certs[1]);
	eid_buf_init_secret(&f->ri_id);
}

static void fixture_free(struct fixture *f)
{
	eid_ta_creds_free(f->term);
	sim_chip_free(f->chip);
	eid_buf_free(&f->ri_point);
	eid_buf_free(&f->ri_id);
}

static int read_with(struct fixture *f, const eid_buf *sector, struct eid_read_result **res)
{
	struct eid_read_opts o = {
		.kind = EID_DOC_EID, .terminal = f->term, .secret = secret_can,
		.progress = progress, .cb_ctx = f,
		.dgs = 1u << 4,
	};

	if (sector) {
		o.ri_sector_pub = sector->data;
		o.ri_sector_pub_len = sector->len;
	}
	sim_chip_insert(f->chip);
	return eid_read(&f->card, &o, res, NULL);
}

static void result_free(struct eid_read_result *res)
{
	eid_read_result_free(res);
}

static void card_security_announces_ri(void **state)
{
	struct fixture f;
	const struct sim_file *cs;
	struct eid_secinfos *si = NULL;
	int key_id, param_id;

	(void)state;
	fixture_init(&f, "at");
	assert_non_null(cs = sim_chip_file(f.chip, 0x011D));
	assert_int_equal(eid_secinfos_parse_cardsecurity(cs->data.data, cs->data.len, &si), 0);
	assert_int_equal(eid_ri_select(si, &key_id, &param_id), 0);
	assert_int_equal(key_id, 1);
	assert_int_equal(param_id, 13);
	eid_secinfos_free(si);
	/* EF.CardAccess does not list RI */
	assert_non_null(cs = sim_chip_file(f.chip, 0x011C));
	assert_int_equal(eid_secinfos_parse(cs->data.data, cs->data.len, &si), 0);
	assert_int_equal(eid_ri_select(si, &key_id, &param_id), -EID_ENOTFOUND);
	eid_secinfos_free(si);
	fixture_free(&f);
}

static void sim_answers_the_computed_id(void **state)
{
	struct fixture f;
	struct eid_read_result *res = NULL;
	eid_buf sector = EID_BUF_INIT, other = EID_BUF_INIT;
	EVP_PKEY *sk_id = load_priv("chip/ri-ec.key");
	EVP_PKEY *k2 = gen_key("brainpoolP256r1");
	uint8_t want[32], want2[32];

	(void)state;
	fixture_init(&f, "at");
	read_file("ri/sector.pub.der", &sector);
	expected_id(sk_id, &sector, want);
	assert_int_equal(read_with(&f, &sector, &res), 0);
	assert_string_equal(res->v.chip_auth, "valid");
	assert_true(res->v.effective_rights & (1ull << 2));
	assert_int_equal(res->restricted_id.len, 32);
	assert_memory_equal(res->restricted_id.data, want, 32);
	assert_true(res->have[4]);
	result_free(res);

	/* the same sector again: the same pseudonym */
	assert_int_equal(read_with(&f, &sector, &res), 0);
	assert_int_equal(res->restricted_id.len, 32);
	assert_memory_equal(res->restricted_id.data, want, 32);
	result_free(res);

	/* another sector: another pseudonym */
	assert_non_null(k2);
	spki_of(k2, &other);
	expected_id(sk_id, &other, want2);
	assert_memory_not_equal(want, want2, 32);
	assert_int_equal(read_with(&f, &other, &res), 0);
	assert_int_equal(res->restricted_id.len, 32);
	assert_memory_equal(res->restricted_id.data, want2, 32);
	result_free(res);

	/* without a sector key: no RI, nothing in the result */
	assert_int_equal(read_with(&f, NULL, &res), 0);
	assert_false(res->v.effective_rights & (1ull << 2));
	assert_int_equal(res->restricted_id.len, 0);
	result_free(res);

	/* a sector key on another curve: the read goes on without an ID */
	{
		EVP_PKEY *p256 = gen_key("P-256");

		spki_of(p256, &other);
		EVP_PKEY_free(p256);
	}
	assert_int_equal(read_with(&f, &other, &res), 0);
	assert_string_equal(res->v.chip_auth, "valid");
	assert_int_equal(res->restricted_id.len, 0);
	assert_true(res->have[4]);
	result_free(res);

	EVP_PKEY_free(k2);
	EVP_PKEY_free(sk_id);
	eid_buf_free(&sector);
	eid_buf_free(&other);
	fixture_free(&f);
}

/* The chip itself refuses RI when the CHAT lacks it: RI run by hand inside a
 * read that did not ask for it (its CHAT has no RI), under the live channel. */
static void sim_refuses_without_ri_in_the_chat(void **state)
{
	struct fixture f;
	struct eid_read_result *res = NULL;
	eid_buf sector = EID_BUF_INIT;
	EVP_PKEY *sk_id = load_priv("chip/ri-ec.key");
	uint8_t want[32];

	(void)state;
	fixture_init(&f, "limited");
	read_file("ri/sector.pub.der", &sector);
	expected_id(sk_id, &sector, want);
	assert_int_equal(eid_ri_sector_point(sector.data, sector.len, 13, &f.ri_point), 0);
	f.ri_at_pa = true;
	f.ri_at_pa_result = 1;
	assert_int_equal(read_with(&f, NULL, &res), 0);
	assert_int_equal(f.ri_at_pa_result, -EID_EACCESS);
	assert_int_equal(f.ri_id.len, 0);
	assert_string_equal(res->v.chip_auth, "valid");
	result_free(res);

	/* the limited terminal has RI: asked for, it is granted */
	f.ri_at_pa_result = 1;
	assert_int_equal(read_with(&f, &sector, &res), 0);
	assert_int_equal(res->restricted_id.len, 32);
	assert_memory_equal(res->restricted_id.data, want, 32);
	/* and RI run by hand in that session gives the same ID */
	assert_int_equal(f.ri_at_pa_result, 0);
	assert_int_equal(f.ri_id.len, 32);
	assert_memory_equal(f.ri_id.data, want, 32);
	result_free(res);
	EVP_PKEY_free(sk_id);
	eid_buf_free(&sector);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exchange_with_scripted_card),
		cmocka_unit_test(response_parser),
		cmocka_unit_test(sector_key_parser),
		cmocka_unit_test(card_security_announces_ri),
		cmocka_unit_test(sim_answers_the_computed_id),
		cmocka_unit_test(sim_refuses_without_ri_in_the_chat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
