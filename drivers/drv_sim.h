/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-process simulator driver (drivers/sim.c).  eid_driver_sim.open()
 * takes a profile name and makes its own chip; tests that set up a chip
 * with particular options hand it over with eid_drv_sim_open().
 */
#ifndef EID_DRV_SIM_H
#define EID_DRV_SIM_H

#include "driver.h"

struct sim_chip;

extern const struct eid_driver eid_driver_sim;

/* A driver context around chip (not owned: free it after closing). */
int eid_drv_sim_open(struct sim_chip *chip, struct eid_drv_ctx **out);

#endif
