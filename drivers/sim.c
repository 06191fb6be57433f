/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated chip (tools/sim) in process, behind the driver table: one
 * reader, "eid-sim", holding the chip given to eid_drv_sim_new().  For
 * fast unit and fault tests of everything above the driver table.  Not
 * linked into the daemon: the simulator's PACE chip side uses OpenPACE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "drv_sim.h"
#include "../tools/sim/sim.h"

#define SIM_READER "eid-sim (in process)"

struct eid_drv_ctx {
	struct sim_chip *chip;
	bool own_chip;           /* made by open() from a profile name */
	bool cancelled;
	bool last_present;
};

struct eid_drv_conn {
	struct eid_drv_ctx *ctx;
};

static int ctx_new(struct sim_chip *chip, bool own, struct eid_drv_ctx **out)
{
	struct eid_drv_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return -EID_ENOMEM;
	ctx->chip = chip;
	ctx->own_chip = own;
	ctx->last_present = !chip->removed;
	*out = ctx;
	return 0;
}

/* config: a simulator profile name ("passport-bac"); NULL: the default. */
static int sim_open(const char *config, struct eid_drv_ctx **out)
{
	struct sim_options o;
	struct sim_chip *chip = NULL;
	int r;

	sim_options_init(&o);
	if (config)
		o.profile = config;
	if ((r = sim_chip_new(&o, &chip)) < 0)
		return r;
	if ((r = ctx_new(chip, true, out)) < 0)
		sim_chip_free(chip);
	return r;
}

static void sim_close(struct eid_drv_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->own_chip)
		sim_chip_free(ctx->chip);
	free(ctx);
}

static int sim_list(struct eid_drv_ctx *ctx, struct eid_reader_info **out, size_t *n)
{
	struct eid_reader_info *ri = calloc(1, sizeof(*ri));

	if (!ri)
		return -EID_ENOMEM;
	snprintf(ri->name, sizeof(ri->name), "%s", SIM_READER);
	ri->driver = "sim";
	ri->card_present = !ctx->chip->removed;
	if (ri->card_present)
		ri->atr_len = sim_chip_atr(ctx->chip, ri->atr, sizeof(ri->atr));
	ri->features = EID_FEAT_EXTENDED_KNOWN |
		       (ctx->chip->opt.no_extended ? 0 : EID_FEAT_EXTENDED_LENGTH);
	*out = ri;
	*n = 1;
	return 0;
}

static int sim_wait_change(struct eid_drv_ctx *ctx, int timeout_ms)
{
	bool present = !ctx->chip->removed;

	(void)timeout_ms;
	if (ctx->cancelled) {
		ctx->cancelled = false;
		return -EID_ECANCELLED;
	}
	if (present != ctx->last_present) {
		ctx->last_present = present;
		return 1;
	}
	return 0;
}

static int sim_cancel(struct eid_drv_ctx *ctx)
{
	ctx->cancelled = true;
	return 0;
}

static int sim_connect(struct eid_drv_ctx *ctx, const char *reader, struct eid_drv_conn **out)
{
	struct eid_drv_conn *c;

	if (!reader || strcmp(reader, SIM_READER) != 0)
		return -EID_ENOTFOUND;
	if (ctx->chip->removed)
		return -EID_ENOCARD;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -EID_ENOMEM;
	c->ctx = ctx;
	sim_chip_reset(ctx->chip);
	*out = c;
	return 0;
}

static int sim_transmit(void *conn, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *resp_len)
{
	struct eid_drv_conn *c = conn;

	return sim_chip_transmit(c->ctx->chip, cmd, n, resp, resp_len);
}

static int sim_atr(struct eid_drv_conn *c, uint8_t *atr, size_t *len)
{
	if (c->ctx->chip->removed)
		return -EID_ENOCARD;
	*len = sim_chip_atr(c->ctx->chip, atr, *len);
	return 0;
}

static int sim_features(struct eid_drv_conn *c, uint32_t *features)
{
	*features = EID_FEAT_EXTENDED_KNOWN |
		    (c->ctx->chip->opt.no_extended ? 0 : EID_FEAT_EXTENDED_LENGTH);
	return 0;
}

static int sim_card_present(struct eid_drv_conn *c)
{
	return c->ctx->chip->removed ? 0 : 1;
}

static void sim_disconnect(struct eid_drv_conn *c, bool reset)
{
	if (!c)
		return;
	if (reset && !c->ctx->chip->removed)
		sim_chip_reset(c->ctx->chip);
	free(c);
}

const struct eid_driver eid_driver_sim = {
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
	.list = sim_list,
	.wait_change = sim_wait_change,
	.cancel = sim_cancel,
	.connect = sim_connect,
	.transmit = sim_transmit,
	.atr = sim_atr,
	.features = sim_features,
	.card_present = sim_card_present,
	.disconnect = sim_disconnect,
};

int eid_drv_sim_open(struct sim_chip *chip, struct eid_drv_ctx **out)
{
	if (!chip)
		return -EID_EINVAL;
	return ctx_new(chip, false, out);
}
