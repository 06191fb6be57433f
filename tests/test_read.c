/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The e-passport read flow (proto/read.c) against the chip simulator in
 * process: the same code path as a read through a reader, without one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "../tools/sim/sim.h"
#include "read.h"
#include "trust.h"

struct fixture {
	struct sim_options opt;
	struct sim_chip *chip;
	struct eid_card card;
	struct eid_trust *trust;
	char pki[64];
	const char *cancel_at;     /* cancel when this step starts */
	const char *steps[EID_READ_MAX_STEPS];
	size_t n_steps;
	bool wrong_key;
};

static const char *data_dir(void)
{
	static char dir[4096];
	const char *src = getenv("EID_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/data", src ? src : "..");
	return dir;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	sim_options_init(&f->opt);
	f->opt.data_dir = data_dir();
	strcpy(f->pki, "/tmp/eid-test-read-XXXXXX");
	assert_non_null(mkdtemp(f->pki));
	assert_int_equal(sim_export_pki(f->opt.data_dir, f->pki), 0);
	f->trust = eid_trust_new();
	assert_int_equal(eid_trust_load(f->trust, f->pki), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	sim_chip_free(f->chip);
	eid_trust_free(f->trust);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->pki);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void insert(struct fixture *f)
{
	sim_chip_free(f->chip);
	f->chip = NULL;
	assert_int_equal(sim_chip_new(&f->opt, &f->chip), 0);
	eid_card_init(&f->card, sim_chip_transmit, f->chip);
	f->card.extended_probe = true;
	f->n_steps = 0;
}

static int secret(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	struct fixture *f = ctx;
	const struct sim_holder *h = &f->opt.holder;
	uint8_t k[20];
	int r;

	if (kind != EID_PW_MRZ)
		return -EID_ENOTFOUND;
	r = eid_mrz_key_hash(h->doc_number, h->date_of_birth,
			     f->wrong_key ? "991231" : h->date_of_expiry, k);
	if (r == 0)
		r = eid_buf_set(out, k, sizeof(k));
	eid_wipe(k, sizeof(k));
	return r;
}

static void progress(void *ctx, const char *step, double fraction)
{
	struct fixture *f = ctx;

	assert_true(fraction >= 0.0 && fraction <= 1.0);
	if (f->n_steps < EID_READ_MAX_STEPS)
		f->steps[f->n_steps++] = step;
}

static bool cancelled(void *ctx)
{
	struct fixture *f = ctx;

	return f->cancel_at && f->n_steps && !strcmp(f->steps[f->n_steps - 1], f->cancel_at);
}

static struct eid_read_opts opts(struct fixture *f, uint32_t dgs)
{
	struct eid_read_opts o = {
		.dgs = dgs, .allow_bac = true, .trust = f->trust, .secret = secret,
		.progress = progress, .cancelled = cancelled, .cb_ctx = f,
	};
	return o;
}

static void bac_passport_reads_and_verifies(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 1u << 1 | 1u << 2 | 1u << 11 | 1u << 12);
	struct eid_read_result *res = NULL;
	unsigned long sum = 0;

	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
	assert_string_equal(res->v.access, "bac");
	assert_string_equal(res->v.password, "mrz");
	assert_null(res->v.pace_mapping);
	assert_int_equal(res->v.pa.status, EID_PA_VALID);
	assert_int_equal(res->v.pa.revocation, EID_PA_REV_NOT_REVOKED);
	assert_int_equal(res->v.pa.n_dgs, 4);
	for (size_t i = 0; i < res->v.pa.n_dgs; i++)
		assert_int_equal(res->v.pa.dgs[i].state, EID_PA_DG_MATCH);
	assert_string_equal(res->v.verdict, "verified");
	assert_true(res->have_mrz);
	assert_string_equal(res->mrz.document_number, f->opt.holder.doc_number);
	assert_string_equal(res->mrz.family_name, "MUSTERMANN");
	assert_non_null(res->dg2);
	assert_int_equal(res->dg2->n, 1);
	assert_string_equal(res->dg2->faces[0].mime, "image/jpeg");
	assert_non_null(res->dg11);
	assert_non_null(res->dg12);
	/* every step accounted for; no file read twice */
	for (size_t i = 0; i < res->n_steps; i++) {
		sum += res->steps[i].apdus;
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(res->steps[i].name, res->steps[j].name);
	}
	assert_int_equal(sum, res->stats.apdus);
	assert_int_equal(res->stats.apdus, f->card.stats.apdus);
	/* the chip has no EF.CardAccess: BAC, and no extended length learned */
	assert_false(f->card.extended_length);
	assert_string_equal(f->steps[0], "detect");
	assert_string_equal(f->steps[1], "bac");
	assert_string_equal(f->steps[f->n_steps - 1], "pa");
	/* the secure channel is gone after the read */
	assert_null(f->card.sm);
	eid_read_result_free(res);
}

static void default_read_is_dg1_only(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 0);
	struct eid_read_result *res = NULL;

	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
	assert_true(res->have[1]);
	for (int dg = 2; dg <= 16; dg++)
		assert_false(res->have[dg]);
	assert_null(res->dg2);
	assert_string_equal(res->v.verdict, "verified");
	eid_read_result_free(res);
}

static void wrong_mrz_key_is_a_password_error(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 0);
	struct eid_read_result *res = NULL;

	insert(f);
	f->wrong_key = true;
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_EPASSWORD);
	assert_null(res);
	f->wrong_key = false;
}

static void bac_only_when_allowed(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 0);
	struct eid_read_result *res = NULL;

	insert(f);
	o.allow_bac = false;
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_ENOTSUP);
	assert_null(res);
}

static void missing_secret_ends_the_read(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 0);
	struct eid_read_result *res = NULL;

	insert(f);
	o.secret = NULL;
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_ENOTFOUND);
	assert_null(res);
}

static void cancel_between_steps(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 1u << 1 | 1u << 2);
	struct eid_read_result *res = NULL;

	insert(f);
	f->cancel_at = "read:DG1";
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_ECANCELLED);
	assert_null(res);
	assert_null(f->card.sm);
	f->cancel_at = NULL;
}

static void pulled_card_and_bad_mac_are_clean_errors(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 1u << 1 | 1u << 2);
	struct eid_read_result *res = NULL;

	f->opt.remove_after = 7;
	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_ENOCARD);
	assert_null(res);
	f->opt.remove_after = 0;
	f->opt.corrupt_mac = 6;
	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_EMAC);
	assert_null(res);
	f->opt.corrupt_mac = 0;
}

static void wrong_hash_and_capped_chip(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 1u << 1 | 1u << 2);
	struct eid_read_result *res = NULL;

	f->opt.wrong_dg_hash = 2;
	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
	assert_int_equal(res->v.pa.status, EID_PA_VALID);
	assert_string_equal(res->v.verdict, "not-verified");
	eid_read_result_free(res);
	f->opt.wrong_dg_hash = 0;

	f->opt.max_le = 64;
	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
	assert_string_equal(res->v.verdict, "verified");
	/* the cap was learned, not hit on every read */
	assert_int_equal(f->card.read_le, 64);
	eid_read_result_free(res);
	f->opt.max_le = 0;
}

/* ---- PACE profiles of the simulator (eid-sim stage 2) ---- */

/* The secret for MRZ (the holder's key) and CAN (f->can or "123456"). */
static const char *read_can;

static int secret_mrz_or_can(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	if (kind == EID_PW_CAN)
		return eid_buf_set(out, read_can ? read_can : "123456",
				   strlen(read_can ? read_can : "123456"));
	return secret(ctx, kind, retries, out);
}

/* Read a PACE profile with each password: PACE with the expected mapping,
 * chip authentication valid (CA, or the PACE-CAM check), every data group
 * hash matching, the verdict "verified". */
static void pace_profile_reads(struct fixture *f, const char *profile, const char *mapping,
			       const char *aa)
{
	static const enum eid_password pws[] = { EID_PW_MRZ, EID_PW_CAN };
	const char *keep = f->opt.profile;

	f->opt.profile = profile;
	for (size_t i = 0; i < 2; i++) {
		struct eid_read_opts o = opts(f, 1u << 1 | 1u << 2 | 1u << 11 | 1u << 12);
		struct eid_read_result *res = NULL;

		o.secret = secret_mrz_or_can;
		o.password = pws[i];
		o.allow_bac = false;
		insert(f);
		assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
		assert_string_equal(res->v.access, "pace");
		assert_string_equal(res->v.password, pws[i] == EID_PW_MRZ ? "mrz" : "can");
		assert_string_equal(res->v.pace_mapping, mapping);
		assert_int_equal(res->v.pace_error, 0);
		assert_string_equal(res->v.chip_auth, "valid");
		assert_string_equal(res->v.active_auth, aa);
		assert_true(res->v.clone_resistant);
		assert_int_equal(res->v.pa.status, EID_PA_VALID);
		assert_true(res->have[14]);
		for (size_t j = 0; j < res->v.pa.n_dgs; j++)
			assert_int_equal(res->v.pa.dgs[j].state, EID_PA_DG_MATCH);
		assert_string_equal(res->v.verdict, "verified");
		assert_true(res->have_mrz);
		assert_string_equal(res->mrz.document_number, f->opt.holder.doc_number);
		assert_non_null(res->dg2);
		assert_string_equal(f->steps[1], "pace");
		assert_null(f->card.sm);
		eid_read_result_free(res);
	}
	f->opt.profile = keep;
}

static void passport_pace_reads_with_pace_gm_and_ca(void **state)
{
	pace_profile_reads(*state, "passport-pace", "gm", "not-performed");
}

static void passport_pace_dh_reads_with_pace_gm_and_ca(void **state)
{
	pace_profile_reads(*state, "passport-pace-dh", "gm", "not-performed");
}

static void passport_cam_reads_with_pace_cam(void **state)
{
	struct fixture *f = *state;
	size_t i;

	pace_profile_reads(f, "passport-cam", "cam", "not-performed");
	/* PACE-CAM proves the chip: no CA run after it */
	for (i = 0; i < f->n_steps; i++)
		assert_string_not_equal(f->steps[i], "ca");
}

/* PACE without DG15 still verifies through CA; a wrong CAN ends the read
 * as a password error even when BAC is allowed (no silent fallback). */
static void pace_without_aa_and_wrong_can(void **state)
{
	struct fixture *f = *state;
	struct eid_read_opts o = opts(f, 0);
	struct eid_read_result *res = NULL;
	const char *keep = f->opt.profile;

	f->opt.profile = "passport-pace";
	f->opt.aa = SIM_AA_NONE;
	o.secret = secret_mrz_or_can;
	o.password = EID_PW_CAN;
	insert(f);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), 0);
	assert_false(res->have[15]);
	assert_string_equal(res->v.chip_auth, "valid");
	assert_string_equal(res->v.verdict, "verified");
	eid_read_result_free(res);

	insert(f);
	read_can = "000000";
	assert_true(o.allow_bac);
	assert_int_equal(eid_read_mrtd(&f->card, &o, &res), -EID_EPASSWORD);
	assert_null(res);
	read_can = NULL;
	f->opt.profile = keep;
	f->opt.aa = SIM_AA_PROFILE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bac_passport_reads_and_verifies),
		cmocka_unit_test(default_read_is_dg1_only),
		cmocka_unit_test(wrong_mrz_key_is_a_password_error),
		cmocka_unit_test(bac_only_when_allowed),
		cmocka_unit_test(missing_secret_ends_the_read),
		cmocka_unit_test(cancel_between_steps),
		cmocka_unit_test(pulled_card_and_bad_mac_are_clean_errors),
		cmocka_unit_test(wrong_hash_and_capped_chip),
		cmocka_unit_test(passport_pace_reads_with_pace_gm_and_ca),
		cmocka_unit_test(passport_pace_dh_reads_with_pace_gm_and_ca),
		cmocka_unit_test(passport_cam_reads_with_pace_cam),
		cmocka_unit_test(pace_without_aa_and_wrong_can),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
