/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Drives drivers/pcsc.c's waiting for reader and card changes, for the
 * integration tests:
 *   pcsc_probe wait MS      prints "change" or "timeout"
 *   pcsc_probe cancel MS    waits forever, cancelled from another thread
 *                           after MS: prints "cancelled"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

static const struct eid_driver *d = &eid_driver_pcsc;

struct canceller {
	struct eid_drv_ctx *ctx;
	int ms;
};

static void *cancel_later(void *arg)
{
	struct canceller *c = arg;

	usleep((useconds_t)c->ms * 1000);
	d->cancel(c->ctx);
	return NULL;
}

int main(int argc, char **argv)
{
	struct eid_drv_ctx *ctx;
	int r, ms;

	if (argc != 3 || (strcmp(argv[1], "wait") && strcmp(argv[1], "cancel")))
		return 2;
	ms = atoi(argv[2]);
	if (d->open(NULL, &ctx) < 0) {
		printf("no pcscd\n");
		return 2;
	}
	/* the first call learns the current state */
	d->wait_change(ctx, 0);
	if (!strcmp(argv[1], "cancel")) {
		struct canceller c = { ctx, ms };
		pthread_t t;

		pthread_create(&t, NULL, cancel_later, &c);
		r = d->wait_change(ctx, -1);
		pthread_join(t, NULL);
	} else {
		r = d->wait_change(ctx, ms);
	}
	printf("%s\n", r == 1 ? "change" : r == 0 ? "timeout" : r == -EID_ECANCELLED ? "cancelled" : "error");
	d->close(ctx);
	return 0;
}
