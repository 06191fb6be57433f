/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NFC readers through libnfc 1.8 (PN53x family): ISO/IEC 14443-A and -B
 * cards with ISO-DEP.
 *
 * Devices are libnfc's: connstrings from LIBNFC_DEVICE / libnfc.conf and its
 * auto-scan.  A reader's name is the device name with its connstring.  A
 * device is opened on first use and kept open by the context; one mutex per
 * device serialises libnfc calls on it.
 *
 * APDUs: libnfc's InDataExchange path copies a command into a 264-byte
 * frame buffer unchecked and collects a chained (MI) response into another
 * 264-byte buffer, so nothing longer than one PN53x frame passes it.  This
 * driver therefore turns libnfc's easy framing off once the card is
 * activated and runs the ISO/IEC 14443-4 block protocol itself
 * (isodep.c): commands and responses of any length by chaining, waiting
 * time extensions, recovery of lost blocks.
 *
 * Card removal: a card that stops answering and is not found by a new poll
 * is gone (-EID_ENOCARD).  Cancellation: cancel() aborts a running libnfc
 * command (nfc_abort_command) and wakes wait_change().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <nfc/nfc.h>

#include "driver.h"
#include "isodep.h"

#define MAX_DEVICES 8
#define POLL_MS 250

struct nfc_dev {
	bool used;                  /* slot in use (slots never move) */
	nfc_connstring connstring;
	char name[256];
	nfc_device *pnd;            /* open device or NULL */
	pthread_mutex_t lock;       /* libnfc calls on pnd */
	struct eid_drv_conn *conn;  /* the connection, if any */
	atomic_bool busy;           /* a transmit runs (cancel aborts it) */
	int present;                /* card seen at the last look: 1, 0, -1 unknown */
	uint8_t atr[33];
	size_t atr_len;
};

struct eid_drv_ctx {
	nfc_context *nfc;
	pthread_mutex_t lock;       /* the device table */
	struct nfc_dev devs[MAX_DEVICES];
	int wake[2];                /* cancel() wakes wait_change() */
	atomic_bool cancelled;
	bool listed;                /* the device table was filled once */
};

struct eid_drv_conn {
	struct eid_drv_ctx *ctx;
	struct nfc_dev *dev;
	struct eid_isodep dep;
	int timeout_com;            /* NP_TIMEOUT_COM last set */
	bool lost;                  /* card gone or exchange state unknown */
	uint8_t atr[33];
	size_t atr_len;
};

static int map_nfc(int r)
{
	switch (r) {
	case NFC_SUCCESS:
		return 0;
	case NFC_EOPABORTED:
		return -EID_ECANCELLED;
	case NFC_ETGRELEASED:
		return -EID_ENOCARD;
	case NFC_ENOTSUCHDEV:
		return -EID_ENOTFOUND;
	case NFC_EOVFLOW:
		return -EID_ETOOBIG;
	case NFC_EDEVNOTSUPP:
	case NFC_ENOTIMPL:
		return -EID_ENOTSUP;
	case NFC_ESOFT:
		return -EID_ENOMEM;
	default:
		/* NFC_ETIMEOUT, NFC_ERFTRANS, NFC_EIO, NFC_ECHIP, ... */
		return -EID_ETRANSPORT;
	}
}

/* ---- devices ---- */

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void dev_close(struct nfc_dev *dev)
{
	if (dev->pnd) {
		nfc_idle(dev->pnd);
		nfc_close(dev->pnd);
		dev->pnd = NULL;
	}
	dev->present = -1;
}

/* Field off and on: the card is powered anew (its state is gone). */
static void field_cycle(struct nfc_dev *dev)
{
	nfc_device_set_property_bool(dev->pnd, NP_ACTIVATE_FIELD, false);
	nfc_device_set_property_bool(dev->pnd, NP_ACTIVATE_FIELD, true);
}

static int dev_open(struct eid_drv_ctx *ctx, struct nfc_dev *dev)
{
	const char *name;

	if (dev->pnd)
		return 0;
	dev->pnd = nfc_open(ctx->nfc, dev->connstring);
	if (!dev->pnd)
		return -EID_ETRANSPORT;
	if (nfc_initiator_init(dev->pnd) < 0 ||
	    nfc_device_set_property_bool(dev->pnd, NP_INFINITE_SELECT, false) < 0 ||
	    nfc_device_set_property_bool(dev->pnd, NP_AUTO_ISO14443_4, true) < 0) {
		dev_close(dev);
		return -EID_ETRANSPORT;
	}
	name = nfc_device_get_name(dev->pnd);
	if (snprintf(dev->name, sizeof(dev->name), "%s (%s)", name ? name : "libnfc device",
		     dev->connstring) >= (int)sizeof(dev->name))
		dev->name[sizeof(dev->name) - 1] = '\0';  /* cut (still unique enough) */
	return 0;
}

/* The card parameters and ATR of a selected ISO-DEP target. */
static int target_params(const nfc_target *nt, size_t *fsc, int *fwt_ms, uint8_t *atr,
			 size_t *atr_len)
{
	uint8_t hist[16];
	size_t hn;
	eid_cbs h;
	int r;

	if (nt->nm.nmt == NMT_ISO14443A) {
		const nfc_iso14443a_info *a = &nt->nti.nai;

		if (!(a->btSak & 0x20) || a->szAtsLen > sizeof(a->abtAts))
			return -EID_ENOTSUP;
		if ((r = eid_isodep_parse_ats(a->abtAts, a->szAtsLen, fsc, fwt_ms, &h)) < 0)
			return r;
		hn = eid_cbs_len(&h) < sizeof(hist) ? eid_cbs_len(&h) : 15;
		eid_cbs_copy(&h, hist, hn);
	} else if (nt->nm.nmt == NMT_ISO14443B) {
		const nfc_iso14443b_info *b = &nt->nti.nbi;

		if ((r = eid_isodep_parse_protinfo(b->abtProtocolInfo, sizeof(b->abtProtocolInfo),
						   fsc, fwt_ms)) < 0)
			return r;
		/* PC/SC part 3: application data, protocol info, MBLI (unknown: 0) */
		memcpy(hist, b->abtApplicationData, 4);
		memcpy(hist + 4, b->abtProtocolInfo, 3);
		hist[7] = 0x00;
		hn = 8;
	} else {
		return -EID_ENOTSUP;
	}
	*atr_len = eid_isodep_atr(hist, hn, atr, 33);
	return 0;
}

/* Look for an ISO-DEP card (type A, then B) and activate it.  1 found,
 * 0 none, or a negative code. */
static int select_target(struct nfc_dev *dev, nfc_target *nt)
{
	static const nfc_modulation mods[] = {
		{ .nmt = NMT_ISO14443A, .nbr = NBR_106 },
		{ .nmt = NMT_ISO14443B, .nbr = NBR_106 },
	};

	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		int r = nfc_initiator_select_passive_target(dev->pnd, mods[i], NULL, 0, nt);
		size_t fsc, atr_len;
		int fwt;
		uint8_t atr[33];

		if (r < 0 && r != NFC_ETIMEOUT && r != NFC_ERFTRANS)
			return map_nfc(r);
		if (r > 0 && target_params(nt, &fsc, &fwt, atr, &atr_len) == 0)
			return 1;
	}
	return 0;
}

/* Is there a card on this (unconnected) device?  Leaves it unpowered. */
static int probe(struct nfc_dev *dev)
{
	nfc_target nt;
	size_t fsc;
	int fwt, r;

	r = select_target(dev, &nt);
	if (r > 0 && target_params(&nt, &fsc, &fwt, dev->atr, &dev->atr_len) < 0)
		dev->atr_len = 0;
	if (r == 0)
		dev->atr_len = 0;
	field_cycle(dev);
	return r;
}

/* Bring the device table up to date with libnfc's device list. */
static int refresh(struct eid_drv_ctx *ctx, bool *changed)
{
	nfc_connstring found[MAX_DEVICES];
	size_t n = nfc_list_devices(ctx->nfc, found, MAX_DEVICES);

	if (changed)
		*changed = false;
	pthread_mutex_lock(&ctx->lock);
	/* devices gone (a connected one stays until disconnected) */
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		struct nfc_dev *dev = &ctx->devs[i];
		bool still = false;

		if (!dev->used)
			continue;
		for (size_t j = 0; j < n && !still; j++)
			still = !strcmp(found[j], dev->connstring);
		if (still || dev->conn)
			continue;
		pthread_mutex_lock(&dev->lock);
		dev_close(dev);
		dev->used = false;
		pthread_mutex_unlock(&dev->lock);
		if (changed)
			*changed = true;
	}
	/* new devices */
	for (size_t j = 0; j < n; j++) {
		size_t i, free_slot = MAX_DEVICES;

		for (i = 0; i < MAX_DEVICES; i++) {
			if (ctx->devs[i].used && !strcmp(found[j], ctx->devs[i].connstring))
				break;
			if (!ctx->devs[i].used && free_slot == MAX_DEVICES)
				free_slot = i;
		}
		if (i < MAX_DEVICES || free_slot == MAX_DEVICES)
			continue;
		struct nfc_dev *dev = &ctx->devs[free_slot];

		pthread_mutex_lock(&dev->lock);
		dev->used = true;
		dev->present = -1;
		dev->atr_len = 0;
		memcpy(dev->connstring, found[j], sizeof(dev->connstring));
		dev->connstring[sizeof(dev->connstring) - 1] = '\0';
		copy_str(dev->name, sizeof(dev->name), dev->connstring);
		pthread_mutex_unlock(&dev->lock);
		if (changed)
			*changed = true;
	}
	ctx->listed = true;
	pthread_mutex_unlock(&ctx->lock);
	return 0;
}

/* ---- the vtable ---- */

static int nfc_drv_open(const char *config, struct eid_drv_ctx **out)
{
	struct eid_drv_ctx *ctx = calloc(1, sizeof(*ctx));

	(void)config;
	if (!ctx)
		return -EID_ENOMEM;
	if (pipe2(ctx->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(ctx);
		return -EID_ENOMEM;
	}
	nfc_init(&ctx->nfc);
	if (!ctx->nfc) {
		close(ctx->wake[0]);
		close(ctx->wake[1]);
		free(ctx);
		return -EID_ETRANSPORT;
	}
	pthread_mutex_init(&ctx->lock, NULL);
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		pthread_mutex_init(&ctx->devs[i].lock, NULL);
		ctx->devs[i].present = -1;
	}
	*out = ctx;
	return 0;
}

static void nfc_drv_close(struct eid_drv_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		dev_close(&ctx->devs[i]);
		pthread_mutex_destroy(&ctx->devs[i].lock);
	}
	pthread_mutex_destroy(&ctx->lock);
	nfc_exit(ctx->nfc);
	close(ctx->wake[0]);
	close(ctx->wake[1]);
	free(ctx);
}

/* Look at one device: open it, and poll for a card unless connected. */
static void look(struct eid_drv_ctx *ctx, struct nfc_dev *dev)
{
	pthread_mutex_lock(&dev->lock);
	if (dev->conn) {
		dev->present = dev->conn->lost ? 0 : 1;
	} else if (dev_open(ctx, dev) == 0) {
		int r = probe(dev);

		if (r >= 0)
			dev->present = r;
	}
	pthread_mutex_unlock(&dev->lock);
}

static int nfc_drv_list(struct eid_drv_ctx *ctx, struct eid_reader_info **out, size_t *n)
{
	struct eid_reader_info *info;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	refresh(ctx, NULL);
	info = calloc(MAX_DEVICES, sizeof(*info));
	if (!info)
		return -EID_ENOMEM;
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		struct nfc_dev *dev = &ctx->devs[i];
		struct eid_reader_info *ri = &info[count];

		if (!dev->used)
			continue;
		look(ctx, dev);
		pthread_mutex_lock(&dev->lock);
		snprintf(ri->name, sizeof(ri->name), "%s", dev->name);
		ri->driver = "nfc";
		ri->card_present = dev->present == 1;
		if (ri->card_present) {
			const uint8_t *atr = dev->conn ? dev->conn->atr : dev->atr;
			size_t len = dev->conn ? dev->conn->atr_len : dev->atr_len;

			memcpy(ri->atr, atr, len);
			ri->atr_len = len;
		}
		pthread_mutex_unlock(&dev->lock);
		count++;
	}
	if (count == 0) {
		free(info);
		return 0;
	}
	*out = info;
	*n = count;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool take_cancel(struct eid_drv_ctx *ctx)
{
	char buf[16];

	while (read(ctx->wake[0], buf, sizeof(buf)) > 0)
		;
	return atomic_exchange(&ctx->cancelled, false);
}

static int nfc_drv_wait_change(struct eid_drv_ctx *ctx, int timeout_ms)
{
	long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	bool first = !ctx->listed;

	for (;;) {
		bool changed = false;
		struct pollfd pf = { .fd = ctx->wake[0], .events = POLLIN };
		long wait;

		if (take_cancel(ctx))
			return -EID_ECANCELLED;
		refresh(ctx, &changed);
		for (size_t i = 0; i < MAX_DEVICES; i++) {
			struct nfc_dev *dev = &ctx->devs[i];
			int before;

			if (!dev->used)
				continue;
			before = dev->present;
			if (dev->conn) {
				/* a connected card: a quick ping, unless a transmit runs */
				if (pthread_mutex_trylock(&dev->lock) != 0)
					continue;
				if (!dev->conn->lost && !atomic_load(&dev->busy) &&
				    eid_isodep_ping(&dev->conn->dep) == 0)
					dev->conn->lost = true;
				dev->present = dev->conn->lost ? 0 : 1;
				pthread_mutex_unlock(&dev->lock);
			} else {
				look(ctx, dev);
			}
			if (before != -1 && before != dev->present)
				changed = true;
		}
		if (changed && !first)
			return 1;
		first = false;
		wait = POLL_MS;
		if (deadline >= 0) {
			long left = deadline - now_ms();

			if (left <= 0)
				return 0;
			if (left < wait)
				wait = left;
		}
		if (poll(&pf, 1, (int)wait) > 0 && take_cancel(ctx))
			return -EID_ECANCELLED;
	}
}

static int nfc_drv_cancel(struct eid_drv_ctx *ctx)
{
	atomic_store(&ctx->cancelled, true);
	if (write(ctx->wake[1], "c", 1) < 0 && errno != EAGAIN)
		return -EID_ETRANSPORT;
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		struct nfc_dev *dev = &ctx->devs[i];

		if (dev->used && atomic_load(&dev->busy) && dev->pnd)
			nfc_abort_command(dev->pnd);
	}
	return 0;
}

/* One block through the PN53x (InCommunicateThru, CRC by the chip). */
static int xfer(void *p, const uint8_t *blk, size_t n, uint8_t *resp, size_t *resp_len,
		int timeout_ms)
{
	struct eid_drv_conn *c = p;
	nfc_device *pnd = c->dev->pnd;
	int r;

	if (atomic_load(&c->ctx->cancelled))
		return -EID_ECANCELLED;
	if (timeout_ms != c->timeout_com) {
		nfc_device_set_property_int(pnd, NP_TIMEOUT_COM, timeout_ms);
		c->timeout_com = timeout_ms;
	}
	/* the host waits a little longer than the chip */
	r = nfc_initiator_transceive_bytes(pnd, blk, n, resp, *resp_len, timeout_ms + 500);
	if (r < 0)
		return map_nfc(r);
	*resp_len = (size_t)r;
	return 0;
}

static struct nfc_dev *find_dev(struct eid_drv_ctx *ctx, const char *reader)
{
	for (size_t i = 0; i < MAX_DEVICES; i++) {
		struct nfc_dev *dev = &ctx->devs[i];

		if (dev->used && (!strcmp(dev->name, reader) || !strcmp(dev->connstring, reader)))
			return dev;
	}
	return NULL;
}

static int nfc_drv_connect(struct eid_drv_ctx *ctx, const char *reader, struct eid_drv_conn **out)
{
	struct eid_drv_conn *c = NULL;
	struct nfc_dev *dev;
	nfc_target nt;
	size_t fsc;
	int fwt, r;

	if (!ctx->listed)
		refresh(ctx, NULL);
	pthread_mutex_lock(&ctx->lock);
	dev = find_dev(ctx, reader);
	pthread_mutex_unlock(&ctx->lock);
	if (!dev)
		return -EID_ENOTFOUND;
	pthread_mutex_lock(&dev->lock);
	if (dev->conn) {
		r = -EID_ESTATE;
		goto out;
	}
	if ((r = dev_open(ctx, dev)) < 0)
		goto out;
	c = calloc(1, sizeof(*c));
	if (!c) {
		r = -EID_ENOMEM;
		goto out;
	}
	field_cycle(dev);
	if ((r = select_target(dev, &nt)) <= 0) {
		r = r == 0 ? -EID_ENOCARD : r;
		goto out;
	}
	if ((r = target_params(&nt, &fsc, &fwt, c->atr, &c->atr_len)) < 0)
		goto out;
	/* from here raw ISO-DEP blocks (see the top of this file) */
	if (nfc_device_set_property_bool(dev->pnd, NP_EASY_FRAMING, false) < 0) {
		r = -EID_ETRANSPORT;
		goto out;
	}
	c->ctx = ctx;
	c->dev = dev;
	c->timeout_com = -1;
	eid_isodep_init(&c->dep, xfer, c, fsc, fwt);
	dev->conn = c;
	dev->present = 1;
	*out = c;
	c = NULL;
	r = 0;
out:
	if (c)
		field_cycle(dev);
	pthread_mutex_unlock(&dev->lock);
	free(c);
	return r;
}

/* After a failed exchange: is the card still in the field? */
static bool card_gone(struct eid_drv_conn *c)
{
	nfc_target nt;
	int r;

	nfc_device_set_property_bool(c->dev->pnd, NP_EASY_FRAMING, true);
	r = select_target(c->dev, &nt);
	/* found or not, the card's session state is gone now */
	c->lost = true;
	return r == 0;
}

static int nfc_drv_transmit(void *conn, const uint8_t *cmd, size_t n, uint8_t *resp,
			    size_t *resp_len)
{
	struct eid_drv_conn *c = conn;
	struct nfc_dev *dev = c->dev;
	int r;

	pthread_mutex_lock(&dev->lock);
	if (c->lost) {
		r = -EID_ENOCARD;
		goto out;
	}
	atomic_store(&dev->busy, true);
	r = eid_isodep_transceive(&c->dep, cmd, n, resp, resp_len);
	atomic_store(&dev->busy, false);
	if (r == -EID_ECANCELLED || atomic_load(&c->ctx->cancelled)) {
		/* the exchange was cut: the block state is unknown */
		take_cancel(c->ctx);
		c->lost = true;
		field_cycle(dev);
		r = -EID_ECANCELLED;
	} else if (r == -EID_ETRANSPORT || r == -EID_ENOCARD) {
		r = card_gone(c) ? -EID_ENOCARD : -EID_ETRANSPORT;
	}
out:
	pthread_mutex_unlock(&dev->lock);
	return r;
}

static int nfc_drv_atr(struct eid_drv_conn *c, uint8_t *atr, size_t *len)
{
	if (c->atr_len > *len)
		return -EID_ETOOBIG;
	memcpy(atr, c->atr, c->atr_len);
	*len = c->atr_len;
	return 0;
}

/* libnfc passes any length here (the driver chains), but whether the card
 * takes extended APDUs is for the caller to probe: nothing is claimed. */
static int nfc_drv_features(struct eid_drv_conn *c, uint32_t *features)
{
	(void)c;
	*features = 0;
	return 0;
}

static int nfc_drv_card_present(struct eid_drv_conn *c)
{
	int r;

	pthread_mutex_lock(&c->dev->lock);
	if (c->lost) {
		r = 0;
	} else {
		r = eid_isodep_ping(&c->dep);
		if (r == 0)
			c->lost = true;
	}
	pthread_mutex_unlock(&c->dev->lock);
	return r;
}

static void nfc_drv_disconnect(struct eid_drv_conn *c, bool reset)
{
	struct nfc_dev *dev;

	if (!c)
		return;
	dev = c->dev;
	pthread_mutex_lock(&dev->lock);
	nfc_device_set_property_bool(dev->pnd, NP_EASY_FRAMING, true);
	if (reset || c->lost)
		field_cycle(dev);
	else
		nfc_initiator_deselect_target(dev->pnd);
	dev->conn = NULL;
	pthread_mutex_unlock(&dev->lock);
	free(c);
}

const struct eid_driver eid_driver_nfc = {
	.name = "nfc",
	.open = nfc_drv_open,
	.close = nfc_drv_close,
	.list = nfc_drv_list,
	.wait_change = nfc_drv_wait_change,
	.cancel = nfc_drv_cancel,
	.connect = nfc_drv_connect,
	.transmit = nfc_drv_transmit,
	.atr = nfc_drv_atr,
	.features = nfc_drv_features,
	.card_present = nfc_drv_card_present,
	.disconnect = nfc_drv_disconnect,
};
