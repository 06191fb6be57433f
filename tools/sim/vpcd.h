/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The card side of vsmartcard's vpcd protocol: the simulated card connects
 * to the vpcd reader driver inside pcscd over TCP.  Every message in both
 * directions is a 2-byte big-endian length and the payload; a 1-byte
 * message from vpcd is a control byte (00 power off, 01 power on, 02 reset,
 * 04 get ATR), longer ones are command APDUs answered with the response.
 */
#ifndef EID_SIM_VPCD_H
#define EID_SIM_VPCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vpcd_card_ops {
	/* ATR of the card. */
	size_t (*atr)(void *ctx, uint8_t *atr, size_t max);
	/* Power on / off / reset: the card forgets its session state. */
	void (*reset)(void *ctx);
	/* Process one command APDU; return the response length (with SW). */
	size_t (*apdu)(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t max);
	/* Called after every command; return true to pull the card (close). */
	bool (*removed)(void *ctx);
};

/*
 * Connect to vpcd on host:port (retrying for up to connect_timeout_ms) and
 * serve until vpcd closes the connection, the card is pulled, or *stop
 * becomes true.  Returns 0 on a clean end, -1 on errors.
 */
int vpcd_serve(const char *host, int port, int connect_timeout_ms,
	       const struct vpcd_card_ops *ops, void *ctx, volatile bool *stop);

#endif
