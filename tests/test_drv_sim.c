/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver table with the in-process simulator: listing, connecting,
 * the ATR, features, removal, cancellation, and a whole read through the
 * driver's transmit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../tools/sim/sim.h"
#include "drv_sim.h"
#include "mrz.h"
#include "read.h"

static const char *data_dir(void)
{
	static char dir[4096];
	const char *src = getenv("EID_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/data", src ? src : "..");
	return dir;
}

static struct sim_chip *chip_with(unsigned long remove_after)
{
	struct sim_options o;
	struct sim_chip *chip = NULL;

	sim_options_init(&o);
	o.data_dir = data_dir();
	o.remove_after = remove_after;
	assert_int_equal(sim_chip_new(&o, &chip), 0);
	return chip;
}

static int mrz_secret(void *ctx, enum eid_password kind, int retries, eid_buf *out)
{
	const struct sim_holder *h = ctx;
	uint8_t k[20];
	int r;

	if (kind != EID_PW_MRZ)
		return -EID_ENOTFOUND;
	r = eid_mrz_key_hash(h->doc_number, h->date_of_birth, h->date_of_expiry, k);
	if (r == 0)
		r = eid_buf_set(out, k, sizeof(k));
	eid_wipe(k, sizeof(k));
	return r;
}

static void lists_one_reader_with_a_card(void **state)
{
	struct sim_chip *chip = chip_with(0);
	const struct eid_driver *d = &eid_driver_sim;
	struct eid_drv_ctx *ctx;
	struct eid_reader_info *ri;
	size_t n;

	assert_int_equal(eid_drv_sim_open(chip, &ctx), 0);
	assert_int_equal(d->list(ctx, &ri, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ri[0].driver, "sim");
	assert_true(ri[0].card_present);
	assert_true(ri[0].atr_len > 0);
	assert_true(ri[0].features & EID_FEAT_EXTENDED_LENGTH);
	free(ri);
	d->close(ctx);
	sim_chip_free(chip);
}

static void reads_a_passport_through_the_driver(void **state)
{
	struct sim_chip *chip = chip_with(0);
	const struct eid_driver *d = &eid_driver_sim;
	struct eid_drv_ctx *ctx;
	struct eid_drv_conn *conn;
	struct eid_card card;
	struct eid_read_opts o = { .allow_bac = true, .secret = mrz_secret };
	struct eid_read_result *res = NULL;
	uint8_t atr[33];
	size_t alen = sizeof(atr);
	uint32_t f = 0;

	assert_int_equal(eid_drv_sim_open(chip, &ctx), 0);
	assert_int_equal(d->connect(ctx, "no such reader", &conn), -EID_ENOTFOUND);
	assert_int_equal(d->connect(ctx, "eid-sim (in process)", &conn), 0);
	assert_int_equal(d->atr(conn, atr, &alen), 0);
	assert_true(alen > 0);
	assert_int_equal(d->features(conn, &f), 0);
	eid_card_init(&card, d->transmit, conn);
	card.extended_length = (f & EID_FEAT_EXTENDED_LENGTH) != 0;
	o.cb_ctx = &chip->opt.holder;
	assert_int_equal(eid_read_mrtd(&card, &o, &res), 0);
	assert_true(res->have_mrz);
	assert_string_equal(res->mrz.document_number, chip->opt.holder.doc_number);
	assert_int_equal(d->card_present(conn), 1);
	eid_read_result_free(res);
	d->disconnect(conn, true);
	d->close(ctx);
	sim_chip_free(chip);
}

static void removal_is_seen_and_refused(void **state)
{
	struct sim_chip *chip = chip_with(2);
	const struct eid_driver *d = &eid_driver_sim;
	struct eid_drv_ctx *ctx;
	struct eid_drv_conn *conn;
	uint8_t cmd[] = { 0x00, 0x84, 0x00, 0x00, 0x08 }, resp[300];
	size_t rl;
	int r = 0;

	assert_int_equal(eid_drv_sim_open(chip, &ctx), 0);
	assert_int_equal(d->wait_change(ctx, 0), 0);
	assert_int_equal(d->connect(ctx, "eid-sim (in process)", &conn), 0);
	for (int i = 0; i < 4 && r == 0; i++) {
		rl = sizeof(resp);
		r = d->transmit(conn, cmd, sizeof(cmd), resp, &rl);
	}
	assert_int_equal(r, -EID_ENOCARD);
	assert_int_equal(d->card_present(conn), 0);
	assert_int_equal(d->wait_change(ctx, 0), 1);
	assert_int_equal(d->wait_change(ctx, 0), 0);
	d->disconnect(conn, true);
	assert_int_equal(d->connect(ctx, "eid-sim (in process)", &conn), -EID_ENOCARD);
	assert_int_equal(d->cancel(ctx), 0);
	assert_int_equal(d->wait_change(ctx, 100), -EID_ECANCELLED);
	d->close(ctx);
	sim_chip_free(chip);
}

static void open_by_profile_name(void **state)
{
	struct eid_drv_ctx *ctx = NULL;

	setenv("EID_SIM_DATA", data_dir(), 1);
	assert_int_equal(eid_driver_sim.open("passport-bac", &ctx), 0);
	eid_driver_sim.close(ctx);
	assert_true(eid_driver_sim.open("no-such-profile", &ctx) < 0);
	eid_driver_sim.close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_one_reader_with_a_card),
		cmocka_unit_test(reads_a_passport_through_the_driver),
		cmocka_unit_test(removal_is_seen_and_refused),
		cmocka_unit_test(open_by_profile_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
