/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eID card's password management (BSI TR-03110-2 3.5.3, -3 B.11.8):
 *   RESET RETRY COUNTER 00 2C 03 03 (no data): after PACE with the PUK in
 *   this session, protected: the PIN's retry counter back to 3 (which also
 *   unblocks a blocked or suspended PIN): 9000.  Without PACE with the PUK:
 *   6982; other P1/P2: 6A86; data: 6700.
 * The retry counter lives in the chip and survives reset and reinsertion
 * within one eid-sim process.
 */
#include "sim.h"

static uint16_t cmd_reset_retry_counter(struct sim_chip *chip, const struct sim_cmd *cmd,
					eid_buf *out)
{
	(void)out;
	if (cmd->p1 != 0x03 || cmd->p2 != EID_PW_PIN)
		return SIM_SW_WRONG_P1P2_86;
	if (cmd->lc)
		return SIM_SW_WRONG_LENGTH;
	if (!cmd->sm || !chip->authenticated || chip->pace_pw != EID_PW_PUK)
		return SIM_SW_SECURITY;
	chip->pin_retries = SIM_PIN_RETRIES;
	return SIM_SW_OK;
}

static const struct sim_command eid_cmds[] = {
	{ .ins = 0x2C, .p1p2 = -1, .fn = cmd_reset_retry_counter },
};

const struct sim_protocol sim_protocol_eid = {
	.name = "eID",
	.cmds = eid_cmds,
	.n_cmds = sizeof(eid_cmds) / sizeof(eid_cmds[0]),
	.reset = NULL,
};
