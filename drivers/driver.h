/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reader back ends behind one table.  Each back end is one file exporting
 * one `const struct eid_driver`.  An operation a driver lacks is NULL; the
 * eid_drv_* wrappers turn that into -EID_ENOTSUP.  Drivers know ISO 7816-4
 * transport and nothing above it; they never log.
 */
#ifndef EID_DRIVER_H
#define EID_DRIVER_H

#include "eid.h"

struct eid_drv_ctx;   /* a driver's context (e.g. an SCARDCONTEXT) */
struct eid_drv_conn;  /* a connection to the card in one reader */

/* Reader features (bit mask). */
#define EID_FEAT_EXTENDED_LENGTH 0x01u  /* extended APDUs work end to end (probed) */
#define EID_FEAT_PINPAD_VERIFY   0x02u  /* PC/SC part 10 FEATURE_VERIFY_PIN_DIRECT */
#define EID_FEAT_PINPAD_MODIFY   0x04u  /* FEATURE_MODIFY_PIN_DIRECT */
#define EID_FEAT_READER_PACE     0x08u  /* FEATURE_EXECUTE_PACE (reader does PACE) */
#define EID_FEAT_EXTENDED_KNOWN  0x10u  /* the extended-length bit above was probed */

struct eid_reader_info {
	char name[256];
	const char *driver;       /* "pcsc", "nfc", "sim" */
	bool card_present;
	uint8_t atr[33];
	size_t atr_len;
	uint32_t features;        /* EID_FEAT_*; from the reader (part 10) */
};

struct eid_driver {
	const char *name;
	/* Open a context; config is driver specific (may be NULL). */
	int (*open)(const char *config, struct eid_drv_ctx **out);
	void (*close)(struct eid_drv_ctx *ctx);
	/* Readers present now; *out is malloc'ed (free()), *n may be 0. */
	int (*list)(struct eid_drv_ctx *ctx, struct eid_reader_info **out, size_t *n);
	/* Wait until a reader or card changes, or timeout_ms passes (-1: forever).
	 * Returns 1 on a change, 0 on timeout, -EID_ECANCELLED after cancel(). */
	int (*wait_change)(struct eid_drv_ctx *ctx, int timeout_ms);
	/* Wake a wait_change() or a blocked transmit from another thread. */
	int (*cancel)(struct eid_drv_ctx *ctx);
	/* Connect to the card in the named reader (exclusive). -EID_ENOCARD. */
	int (*connect)(struct eid_drv_ctx *ctx, const char *reader, struct eid_drv_conn **out);
	/* Same contract as eid_transmit_fn (proto/apdu.h), ctx = the connection. */
	int (*transmit)(void *conn, const uint8_t *cmd, size_t n, uint8_t *resp, size_t *resp_len);
	/* ATR of the connected card. */
	int (*atr)(struct eid_drv_conn *conn, uint8_t *atr, size_t *len);
	/* Reader features of the connected reader (EID_FEAT_*). */
	int (*features)(struct eid_drv_conn *conn, uint32_t *features);
	/* Card still there? 1 yes, 0 no. */
	int (*card_present)(struct eid_drv_conn *conn);
	/* Disconnect; reset the card when asked (ends its secure channels). */
	void (*disconnect)(struct eid_drv_conn *conn, bool reset);
};

extern const struct eid_driver eid_driver_pcsc;
extern const struct eid_driver eid_driver_nfc;

/* Look up a compiled-in driver by name ("pcsc", "nfc"); NULL when unknown. */
const struct eid_driver *eid_driver_find(const char *name);
/* The i-th compiled-in driver (pcsc first); NULL past the last. */
const struct eid_driver *eid_driver_get(size_t i);

#endif
