/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PC/SC back end on pcsc-lite.  The pcscd socket is taken from
 * PCSCLITE_CSOCK_NAME by libpcsclite itself, so a private pcscd instance
 * is used by setting that variable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <PCSC/winscard.h>
#include <PCSC/reader.h>

#include "driver.h"

#define PNP_NOTIFICATION "\\\\?PnP?\\Notification"
#define MAX_READERS 32

struct eid_drv_ctx {
	SCARDCONTEXT hctx;
	/* last seen states, for wait_change */
	SCARD_READERSTATE states[MAX_READERS + 1];
	char *names[MAX_READERS];
	size_t nstates;
};

struct eid_drv_conn {
	struct eid_drv_ctx *ctx;
	SCARDHANDLE hcard;
	DWORD protocol;
};

static int map_err(LONG rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return 0;
	case SCARD_E_NO_SMARTCARD:
	case SCARD_W_REMOVED_CARD:
	case SCARD_W_RESET_CARD:
	case SCARD_W_UNPOWERED_CARD:
	case SCARD_W_UNRESPONSIVE_CARD:
		return -EID_ENOCARD;
	case SCARD_E_CANCELLED:
		return -EID_ECANCELLED;
	case SCARD_E_NO_MEMORY:
		return -EID_ENOMEM;
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return -EID_ENOTFOUND;
	case SCARD_E_INSUFFICIENT_BUFFER:
		return -EID_ETOOBIG;
	case SCARD_E_UNSUPPORTED_FEATURE:
		return -EID_ENOTSUP;
	case SCARD_E_SHARING_VIOLATION:
		return -EID_ESTATE;
	default:
		return -EID_ETRANSPORT;
	}
}

static void free_states(struct eid_drv_ctx *ctx)
{
	for (size_t i = 0; i < MAX_READERS; i++) {
		free(ctx->names[i]);
		ctx->names[i] = NULL;
	}
	ctx->nstates = 0;
}

static int pcsc_open(const char *config, struct eid_drv_ctx **out)
{
	struct eid_drv_ctx *ctx = calloc(1, sizeof(*ctx));
	LONG rv;

	(void)config;
	if (!ctx)
		return -EID_ENOMEM;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx->hctx);
	if (rv != SCARD_S_SUCCESS) {
		free(ctx);
		/* pcscd not running or not reachable */
		return -EID_ETRANSPORT;
	}
	*out = ctx;
	return 0;
}

static void pcsc_close(struct eid_drv_ctx *ctx)
{
	if (!ctx)
		return;
	SCardReleaseContext(ctx->hctx);
	free_states(ctx);
	free(ctx);
}

/* The multi-string reader list; *buf is malloc'ed. */
static int reader_names(struct eid_drv_ctx *ctx, char **buf, DWORD *len)
{
	LONG rv;

	*buf = NULL;
	*len = 0;
	rv = SCardListReaders(ctx->hctx, NULL, NULL, len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		*len = 0;
		return 0;
	}
	if (rv != SCARD_S_SUCCESS)
		return map_err(rv);
	*buf = calloc(1, *len + 2);
	if (!*buf)
		return -EID_ENOMEM;
	rv = SCardListReaders(ctx->hctx, NULL, *buf, len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		*len = 0;
		return 0;
	}
	if (rv != SCARD_S_SUCCESS) {
		free(*buf);
		*buf = NULL;
		return map_err(rv);
	}
	return 0;
}

static int pcsc_list(struct eid_drv_ctx *ctx, struct eid_reader_info **out, size_t *n)
{
	char *names = NULL;
	DWORD len;
	size_t count = 0, i = 0;
	struct eid_reader_info *info = NULL;
	SCARD_READERSTATE *st = NULL;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = reader_names(ctx, &names, &len)) < 0)
		return r;
	for (char *p = names; p && *p && count < MAX_READERS; p += strlen(p) + 1)
		count++;
	if (count == 0)
		goto out;
	info = calloc(count, sizeof(*info));
	st = calloc(count, sizeof(*st));
	if (!info || !st) {
		r = -EID_ENOMEM;
		goto out;
	}
	for (char *p = names; *p && i < count; p += strlen(p) + 1, i++) {
		snprintf(info[i].name, sizeof(info[i].name), "%s", p);
		info[i].driver = "pcsc";
		st[i].szReader = p;
		st[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	if (SCardGetStatusChange(ctx->hctx, 0, st, (DWORD)count) == SCARD_S_SUCCESS) {
		for (i = 0; i < count; i++) {
			info[i].card_present = (st[i].dwEventState & SCARD_STATE_PRESENT) &&
					       !(st[i].dwEventState & SCARD_STATE_MUTE);
			if (st[i].cbAtr <= sizeof(info[i].atr)) {
				memcpy(info[i].atr, st[i].rgbAtr, st[i].cbAtr);
				info[i].atr_len = st[i].cbAtr;
			}
		}
	}
	*out = info;
	*n = count;
	info = NULL;
	r = 0;
out:
	free(info);
	free(st);
	free(names);
	return r;
}

/* Rebuild the watched state list: the PnP pseudo reader + every reader. */
static int refresh_states(struct eid_drv_ctx *ctx)
{
	char *names = NULL;
	DWORD len;
	size_t i = 0;
	int r;

	if ((r = reader_names(ctx, &names, &len)) < 0)
		return r;
	free_states(ctx);
	memset(ctx->states, 0, sizeof(ctx->states));
	ctx->states[0].szReader = PNP_NOTIFICATION;
	ctx->states[0].dwCurrentState = SCARD_STATE_UNAWARE;
	for (char *p = names; p && *p && i < MAX_READERS; p += strlen(p) + 1, i++) {
		ctx->names[i] = strdup(p);
		if (!ctx->names[i]) {
			free(names);
			return -EID_ENOMEM;
		}
		ctx->states[i + 1].szReader = ctx->names[i];
		ctx->states[i + 1].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	ctx->nstates = i + 1;
	free(names);
	/* learn the current states without waiting */
	SCardGetStatusChange(ctx->hctx, 0, ctx->states, (DWORD)ctx->nstates);
	for (i = 0; i < ctx->nstates; i++)
		ctx->states[i].dwCurrentState = ctx->states[i].dwEventState & ~SCARD_STATE_CHANGED;
	return 0;
}

static int pcsc_wait_change(struct eid_drv_ctx *ctx, int timeout_ms)
{
	LONG rv;
	int r;

	if (ctx->nstates == 0 && (r = refresh_states(ctx)) < 0)
		return r;
	rv = SCardGetStatusChange(ctx->hctx, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms,
				  ctx->states, (DWORD)ctx->nstates);
	if (rv == SCARD_E_TIMEOUT)
		return 0;
	if (rv == SCARD_E_CANCELLED)
		return -EID_ECANCELLED;
	if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE ||
	    rv == SCARD_E_NO_READERS_AVAILABLE) {
		ctx->nstates = 0;
		return 1;
	}
	if (rv != SCARD_S_SUCCESS)
		return map_err(rv);
	/* a reader came or went: watch the new list next time */
	if (ctx->states[0].dwEventState & SCARD_STATE_CHANGED) {
		ctx->nstates = 0;
		return 1;
	}
	for (size_t i = 0; i < ctx->nstates; i++)
		ctx->states[i].dwCurrentState = ctx->states[i].dwEventState & ~SCARD_STATE_CHANGED;
	return 1;
}

static int pcsc_cancel(struct eid_drv_ctx *ctx)
{
	return map_err(SCardCancel(ctx->hctx));
}

static int pcsc_connect(struct eid_drv_ctx *ctx, const char *reader, struct eid_drv_conn **out)
{
	struct eid_drv_conn *c = calloc(1, sizeof(*c));
	LONG rv;

	if (!c)
		return -EID_ENOMEM;
	c->ctx = ctx;
	rv = SCardConnect(ctx->hctx, reader, SCARD_SHARE_EXCLUSIVE,
			  SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &c->hcard, &c->protocol);
	if (rv != SCARD_S_SUCCESS) {
		free(c);
		return map_err(rv);
	}
	*out = c;
	return 0;
}

static int pcsc_card_present(struct eid_drv_conn *c)
{
	DWORD state, proto, nlen = 0, alen = 0;
	LONG rv = SCardStatus(c->hcard, NULL, &nlen, &state, &proto, NULL, &alen);

	if (rv == SCARD_S_SUCCESS)
		return (state & SCARD_PRESENT) ? 1 : 0;
	return map_err(rv) == -EID_ENOCARD ? 0 : map_err(rv);
}

/*
 * After a failed exchange: did the card go away?  pcscd notices a removal
 * only at its next presence poll (every 400 ms); on a loaded machine that
 * takes longer, so wait up to 2.4 s.  Only the failure path pays for it.
 */
static bool card_gone(struct eid_drv_conn *c)
{
	char name[MAX_READERNAME + 1];
	DWORD nlen = sizeof(name), state, proto, alen = 0;
	SCARD_READERSTATE st;

	if (SCardStatus(c->hcard, name, &nlen, &state, &proto, NULL, &alen) != SCARD_S_SUCCESS)
		return pcsc_card_present(c) == 0;
	memset(&st, 0, sizeof(st));
	st.szReader = name;
	st.dwCurrentState = SCARD_STATE_PRESENT;
	for (int i = 0; i < 8; i++) {
		LONG rv = SCardGetStatusChange(c->ctx->hctx, 300, &st, 1);

		if (rv == SCARD_S_SUCCESS && (st.dwEventState & SCARD_STATE_EMPTY))
			return true;
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
			return false;
		st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
	}
	return false;
}

static int pcsc_transmit(void *conn, const uint8_t *cmd, size_t n, uint8_t *resp,
			 size_t *resp_len)
{
	struct eid_drv_conn *c = conn;
	const SCARD_IO_REQUEST *pci = c->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0
								      : SCARD_PCI_T1;
	DWORD len = (DWORD)*resp_len;
	LONG rv;

	rv = SCardTransmit(c->hcard, pci, cmd, (DWORD)n, NULL, resp, &len);
	/*
	 * A card pulled mid-exchange shows as a transaction error, or (vpcd,
	 * some readers) as success with no status word at all.
	 */
	if (rv != SCARD_S_SUCCESS || len < 2) {
		int r = rv != SCARD_S_SUCCESS ? map_err(rv) : -EID_ETRANSPORT;

		if (r == -EID_ETRANSPORT && card_gone(c))
			r = -EID_ENOCARD;
		return r;
	}
	*resp_len = len;
	return 0;
}

static int pcsc_atr(struct eid_drv_conn *c, uint8_t *atr, size_t *len)
{
	BYTE buf[MAX_ATR_SIZE];
	DWORD blen = sizeof(buf), state, proto, nlen = 0;
	LONG rv;

	rv = SCardStatus(c->hcard, NULL, &nlen, &state, &proto, buf, &blen);
	if (rv != SCARD_S_SUCCESS)
		return map_err(rv);
	if (blen > *len)
		return -EID_ETOOBIG;
	memcpy(atr, buf, blen);
	*len = blen;
	return 0;
}

/* PC/SC part 10: the reader's feature list (tag, length 4, control code). */
static int pcsc_features(struct eid_drv_conn *c, uint32_t *features)
{
	BYTE buf[256];
	DWORD len = 0;
	BYTE attr[4];
	DWORD alen = sizeof(attr);
	LONG rv;

	*features = 0;
	rv = SCardControl(c->hcard, CM_IOCTL_GET_FEATURE_REQUEST, NULL, 0, buf, sizeof(buf), &len);
	if (rv == SCARD_S_SUCCESS && len <= sizeof(buf)) {
		for (DWORD i = 0; i + 6 <= len; i += 6) {
			if (buf[i + 1] != 4)
				break;
			switch (buf[i]) {
			case FEATURE_VERIFY_PIN_DIRECT:
				*features |= EID_FEAT_PINPAD_VERIFY;
				break;
			case FEATURE_MODIFY_PIN_DIRECT:
				*features |= EID_FEAT_PINPAD_MODIFY;
				break;
			case FEATURE_EXECUTE_PACE:
				*features |= EID_FEAT_READER_PACE;
				break;
			default:
				break;
			}
		}
	}
	/* the reader's own limit, where the driver tells it (CCID does) */
	rv = SCardGetAttrib(c->hcard, SCARD_ATTR_MAXINPUT, attr, &alen);
	if (rv == SCARD_S_SUCCESS && alen == 4) {
		uint32_t max = (uint32_t)attr[0] | (uint32_t)attr[1] << 8 |
			       (uint32_t)attr[2] << 16 | (uint32_t)attr[3] << 24;

		*features |= EID_FEAT_EXTENDED_KNOWN;
		if (max > 261)
			*features |= EID_FEAT_EXTENDED_LENGTH;
	}
	return 0;
}

static void pcsc_disconnect(struct eid_drv_conn *c, bool reset)
{
	if (!c)
		return;
	SCardDisconnect(c->hcard, reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD);
	free(c);
}

const struct eid_driver eid_driver_pcsc = {
	.name = "pcsc",
	.open = pcsc_open,
	.close = pcsc_close,
	.list = pcsc_list,
	.wait_change = pcsc_wait_change,
	.cancel = pcsc_cancel,
	.connect = pcsc_connect,
	.transmit = pcsc_transmit,
	.atr = pcsc_atr,
	.features = pcsc_features,
	.card_present = pcsc_card_present,
	.disconnect = pcsc_disconnect,
};
