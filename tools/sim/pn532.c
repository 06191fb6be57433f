/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An emulated PN532 for libnfc's pn532_uart driver (see pn532.h).  The
 * frame decoder and the command handlers read the host's bytes through the
 * eid_cbs cursor only; pn532_run() is the pseudo-terminal around them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pn532.h"

#define TFI_HOST 0xD4
#define TFI_PN532 0xD5

/* PN532 commands */
#define CMD_DIAGNOSE 0x00
#define CMD_FIRMWARE 0x02
#define CMD_STATUS 0x04
#define CMD_READ_REG 0x06
#define CMD_WRITE_REG 0x08
#define CMD_SET_PARAMS 0x12
#define CMD_SAM_CONFIG 0x14
#define CMD_POWER_DOWN 0x16
#define CMD_RF_CONFIG 0x32
#define CMD_DATA_EXCHANGE 0x40
#define CMD_COMM_THRU 0x42
#define CMD_DESELECT 0x44
#define CMD_LIST_TARGETS 0x4A
#define CMD_SELECT 0x50
#define CMD_RELEASE 0x52
#define CMD_AUTO_POLL 0x60

/* status byte of exchanges */
#define ST_OK 0x00
#define ST_TIMEOUT 0x01
#define ST_MI 0x40
#define ST_CONTEXT 0x27       /* not acceptable in the current context */
#define ST_TOO_LONG 0x0B      /* (used for a command beyond any APDU) */

/* data bytes of one InDataExchange answer: D5 41 status + 252 = 255 */
#define DEP_CHUNK 252
/* information field of one ISO-DEP block we send (FSD 256 - PCB - CRC) */
#define ISODEP_INF 250
/* the longest command APDU (extended Lc 65535 and Le) */
#define MAX_APDU (7 + 65535 + 3)
#define MAX_RESP (65536 + 2)
/* the longest host frame: extended LEN 65535 + header */
#define MAX_HOST_INPUT (65535 + 16)

struct pn532_emu {
	enum pn532_target type;
	const struct vpcd_card_ops *ops;
	void *card;

	bool active;         /* a target was activated and not released */
	bool gone;           /* the card was found pulled */
	bool pulled_event;

	eid_buf in;          /* host bytes not yet decoded */
	eid_buf last_frame;  /* last answer frame (for a NACK) */

	/* InDataExchange: command collected over MI, response fetched over MI */
	eid_buf dep_cmd;
	eid_buf dep_resp;
	size_t dep_off;

	/* ISO/IEC 14443-4, card side */
	uint8_t bn;
	bool cid_used;
	uint8_t cid;
	eid_buf blk_cmd;
	eid_buf blk_resp;
	size_t blk_off;
	eid_buf last_block;

	uint8_t *apdu_resp;  /* MAX_RESP bytes */
};

/* ---- frames ---- */

enum pn532_frame_kind pn532_frame_next(const eid_cbs *in, eid_cbs *payload, size_t *consumed)
{
	eid_cbs c = *in, body, t;
	size_t start = 0, hdr, n;
	uint8_t b0, b1, len, lcs, dcs;
	unsigned sum;

	eid_cbs_init(payload, NULL, 0);
	/* the start code 00 FF */
	for (;;) {
		t = c;
		if (!eid_cbs_get_u8(&t, &b0) || (b0 == 0x00 && !eid_cbs_get_u8(&t, &b1))) {
			*consumed = start;
			return PN532_FRAME_MORE;
		}
		if (b0 == 0x00 && b1 == 0xFF)
			break;
		eid_cbs_skip(&c, 1);
		start++;
	}
	eid_cbs_skip(&c, 2);
	hdr = start + 2;
	if (!eid_cbs_get_u8(&c, &len) || !eid_cbs_get_u8(&c, &lcs)) {
		*consumed = start;
		return PN532_FRAME_MORE;
	}
	if (len == 0x00 && lcs == 0xFF) {
		*consumed = hdr + 2;
		return PN532_FRAME_ACK;
	}
	if (len == 0xFF && lcs == 0x00) {
		*consumed = hdr + 2;
		return PN532_FRAME_NACK;
	}
	if (len == 0xFF && lcs == 0xFF) {
		uint8_t m, l, cs;

		if (!eid_cbs_get_u8(&c, &m) || !eid_cbs_get_u8(&c, &l) || !eid_cbs_get_u8(&c, &cs)) {
			*consumed = start;
			return PN532_FRAME_MORE;
		}
		if (((unsigned)m + l + cs) & 0xFF) {
			*consumed = hdr;
			return PN532_FRAME_BAD;
		}
		n = (size_t)m << 8 | l;
	} else {
		if (((unsigned)len + lcs) & 0xFF) {
			*consumed = hdr;
			return PN532_FRAME_BAD;
		}
		n = len;
	}
	if (n == 0) {
		*consumed = hdr;
		return PN532_FRAME_BAD;
	}
	if (!eid_cbs_get_bytes(&c, &body, n) || !eid_cbs_get_u8(&c, &dcs)) {
		*consumed = start;
		return PN532_FRAME_MORE;
	}
	sum = dcs;
	t = body;
	while (eid_cbs_get_u8(&t, &b0))
		sum += b0;
	if (sum & 0xFF) {
		*consumed = hdr;
		return PN532_FRAME_BAD;
	}
	/* the postamble 00 when it is there already (else the next search for
	 * a start code skips it) */
	if (eid_cbs_peek_u8(&c, &b0) && b0 == 0x00)
		eid_cbs_skip(&c, 1);
	*consumed = eid_cbs_len(in) - eid_cbs_len(&c);
	*payload = body;
	return PN532_FRAME_INFO;
}

int pn532_frame_put(eid_buf *out, const uint8_t *payload, size_t n)
{
	static const uint8_t start[] = { 0x00, 0x00, 0xFF };
	unsigned sum = 0;

	if (n == 0 || n > 0xFFFF)
		return -EID_EINVAL;
	eid_buf_add(out, start, sizeof(start));
	if (n <= 0xFF) {
		eid_buf_add_u8(out, (uint8_t)n);
		eid_buf_add_u8(out, (uint8_t)(0x100 - n));
	} else {
		eid_buf_add_u8(out, 0xFF);
		eid_buf_add_u8(out, 0xFF);
		eid_buf_add_u16(out, (uint16_t)n);
		eid_buf_add_u8(out, (uint8_t)(0x100 - (((n >> 8) + (n & 0xFF)) & 0xFF)));
	}
	eid_buf_add(out, payload, n);
	for (size_t i = 0; i < n; i++)
		sum += payload[i];
	eid_buf_add_u8(out, (uint8_t)(0x100 - (sum & 0xFF)));
	eid_buf_add_u8(out, 0x00);
	return eid_buf_status(out);
}

/* ---- the emulator ---- */

int pn532_emu_new(enum pn532_target type, const struct vpcd_card_ops *ops, void *card,
		  struct pn532_emu **out)
{
	struct pn532_emu *e = calloc(1, sizeof(*e));

	if (!e)
		return -EID_ENOMEM;
	e->apdu_resp = malloc(MAX_RESP);
	if (!e->apdu_resp) {
		free(e);
		return -EID_ENOMEM;
	}
	e->type = type;
	e->ops = ops;
	e->card = card;
	/* what passes through may be secure messaging plaintext: wipe it */
	eid_buf_init_secret(&e->in);
	eid_buf_init_secret(&e->last_frame);
	eid_buf_init_secret(&e->dep_cmd);
	eid_buf_init_secret(&e->dep_resp);
	eid_buf_init_secret(&e->blk_cmd);
	eid_buf_init_secret(&e->blk_resp);
	eid_buf_init_secret(&e->last_block);
	*out = e;
	return 0;
}

void pn532_emu_free(struct pn532_emu *e)
{
	if (!e)
		return;
	eid_buf_free(&e->in);
	eid_buf_free(&e->last_frame);
	eid_buf_free(&e->dep_cmd);
	eid_buf_free(&e->dep_resp);
	eid_buf_free(&e->blk_cmd);
	eid_buf_free(&e->blk_resp);
	eid_buf_free(&e->last_block);
	eid_wipe(e->apdu_resp, MAX_RESP);
	free(e->apdu_resp);
	free(e);
}

static void forget_exchange(struct pn532_emu *e)
{
	eid_buf_reset(&e->dep_cmd);
	eid_buf_reset(&e->dep_resp);
	e->dep_off = 0;
	eid_buf_reset(&e->blk_cmd);
	eid_buf_reset(&e->blk_resp);
	e->blk_off = 0;
	eid_buf_reset(&e->last_block);
}

/* Is the card in the field?  Notes a pull (and a reinsertion). */
static bool card_here(struct pn532_emu *e)
{
	bool removed = e->ops->removed && e->ops->removed(e->card);

	if (removed && !e->gone) {
		e->gone = true;
		e->pulled_event = true;
		e->active = false;
		forget_exchange(e);
	} else if (!removed && e->gone) {
		e->gone = false;
	}
	return !removed;
}

bool pn532_emu_pulled(struct pn532_emu *e)
{
	bool p;

	card_here(e);
	p = e->pulled_event;
	e->pulled_event = false;
	return p;
}

/* Power cycle of the card (field off, new activation, DESELECT). */
static void card_reset(struct pn532_emu *e)
{
	forget_exchange(e);
	e->active = false;
	if (e->ops->reset)
		e->ops->reset(e->card);
}

/* Historical bytes of the card's contactless ATR 3B 8n 80 01 T1..Tn TCK. */
static void historical_bytes(struct pn532_emu *e, uint8_t *hist, size_t *n)
{
	uint8_t atr[33];
	size_t len = e->ops->atr ? e->ops->atr(e->card, atr, sizeof(atr)) : 0;
	eid_cbs c, h;
	uint8_t ts, t0, td1, td2;

	*n = 0;
	eid_cbs_init(&c, atr, len < sizeof(atr) ? len : sizeof(atr));
	if (!eid_cbs_get_u8(&c, &ts) || !eid_cbs_get_u8(&c, &t0) || !eid_cbs_get_u8(&c, &td1) ||
	    !eid_cbs_get_u8(&c, &td2) || ts != 0x3B || (t0 & 0xF0) != 0x80 || td1 != 0x80 ||
	    td2 != 0x01 || !eid_cbs_get_bytes(&c, &h, t0 & 0x0F))
		return;
	*n = eid_cbs_len(&h);
	eid_cbs_copy(&h, hist, *n);
}

/* Target data as InListPassiveTarget gives it, from Tg on. */
static void target_data(struct pn532_emu *e, eid_buf *out)
{
	if (e->type == PN532_TARGET_A) {
		/* ATQA, SAK 20 (ISO/IEC 14443-4), a random-style 4-byte UID, and the
		 * ATS: FSCI 8 (256 bytes), TA1 106 kbit/s only, FWI 8, no CID/NAD */
		static const uint8_t head[] = { 0x01, 0x00, 0x04, 0x20, 0x04, 0x08, 0x45, 0x49, 0x44 };
		uint8_t hist[16];
		size_t n;

		historical_bytes(e, hist, &n);
		eid_buf_add(out, head, sizeof(head));
		eid_buf_add_u8(out, (uint8_t)(5 + n));
		eid_buf_add_u8(out, 0x78);
		eid_buf_add_u8(out, 0x00);
		eid_buf_add_u8(out, 0x80);
		eid_buf_add_u8(out, 0x00);
		eid_buf_add(out, hist, n);
	} else {
		/* ATQB 50 PUPI AppData ProtInfo (256-byte frames, ISO/IEC 14443-4,
		 * FWI 8), ATTRIB response 00 */
		static const uint8_t b[] = { 0x01, 0x50, 0x45, 0x49, 0x44, 0x42, 0x00, 0x00, 0x00,
					     0x00, 0x00, 0x81, 0x80, 0x01, 0x00 };

		eid_buf_add(out, b, sizeof(b));
	}
}

static void activate(struct pn532_emu *e)
{
	card_reset(e);
	e->active = true;
	e->bn = 1;
	e->cid_used = false;
}

/* InListPassiveTarget: MaxTg BrTy [InitiatorData]. */
static void list_targets(struct pn532_emu *e, eid_cbs *c, eid_buf *ans)
{
	uint8_t max_tg, brty;
	bool match;

	/* a new poll ends the selection of the last target */
	if (e->active)
		card_reset(e);
	if (!eid_cbs_get_u8(c, &max_tg) || !eid_cbs_get_u8(c, &brty) || max_tg == 0) {
		eid_buf_add_u8(ans, 0);
		return;
	}
	match = (brty == 0x00 && e->type == PN532_TARGET_A) ||
		(brty == 0x03 && e->type == PN532_TARGET_B);
	if (!match || !card_here(e)) {
		eid_buf_add_u8(ans, 0);
		return;
	}
	activate(e);
	eid_buf_add_u8(ans, 1);
	target_data(e, ans);
}

/* InAutoPoll: PollNr Period Type... -> NbTg [Type Len TargetData]. */
static void auto_poll(struct pn532_emu *e, eid_cbs *c, eid_buf *ans)
{
	uint8_t nr, period, type;

	if (e->active)
		card_reset(e);
	if (!eid_cbs_get_u8(c, &nr) || !eid_cbs_get_u8(c, &period) || !card_here(e)) {
		eid_buf_add_u8(ans, 0);
		return;
	}
	while (eid_cbs_get_u8(c, &type)) {
		bool a = type == 0x00 || type == 0x10 || type == 0x20;
		bool b = type == 0x03 || type == 0x23;
		eid_buf td = EID_BUF_INIT;

		if (!(a && e->type == PN532_TARGET_A) && !(b && e->type == PN532_TARGET_B))
			continue;
		activate(e);
		target_data(e, &td);
		eid_buf_add_u8(ans, 1);
		eid_buf_add_u8(ans, type);
		eid_buf_add_u8(ans, (uint8_t)td.len);
		eid_buf_add(ans, td.data, td.len);
		eid_buf_free(&td);
		return;
	}
	eid_buf_add_u8(ans, 0);
}

/* One APDU through the card; the response (with SW) replaces *resp. */
static void run_apdu(struct pn532_emu *e, const eid_buf *cmd, eid_buf *resp)
{
	size_t n = e->ops->apdu(e->card, cmd->data, cmd->len, e->apdu_resp, MAX_RESP);

	eid_buf_reset(resp);
	eid_buf_add(resp, e->apdu_resp, n < MAX_RESP ? n : MAX_RESP);
	eid_wipe(e->apdu_resp, n < MAX_RESP ? n : MAX_RESP);
}

static void dep_next_chunk(struct pn532_emu *e, eid_buf *ans)
{
	size_t left = e->dep_resp.len - e->dep_off;
	size_t k = left < DEP_CHUNK ? left : DEP_CHUNK;

	eid_buf_add_u8(ans, left > k ? ST_MI : ST_OK);
	eid_buf_add(ans, e->dep_resp.data + e->dep_off, k);
	e->dep_off += k;
	if (e->dep_off == e->dep_resp.len) {
		eid_buf_reset(&e->dep_resp);
		e->dep_off = 0;
	}
}

/* InDataExchange: Tg [data]. */
static void data_exchange(struct pn532_emu *e, eid_cbs *c, eid_buf *ans)
{
	uint8_t tg;

	if (!eid_cbs_get_u8(c, &tg) || (tg & 0x3F) != 1 || !card_here(e) || !e->active) {
		eid_buf_add_u8(ans, e->gone ? ST_TIMEOUT : ST_CONTEXT);
		return;
	}
	if (!eid_cbs_len(c) && !(tg & ST_MI) && e->dep_resp.len) {
		dep_next_chunk(e, ans);     /* the host fetches more (MI) */
		return;
	}
	eid_buf_reset(&e->dep_resp);
	e->dep_off = 0;
	if (e->dep_cmd.len + eid_cbs_len(c) > MAX_APDU) {
		eid_buf_reset(&e->dep_cmd);
		eid_buf_add_u8(ans, ST_TOO_LONG);
		return;
	}
	eid_buf_add_cbs(&e->dep_cmd, c);
	if (tg & ST_MI) {                   /* more command data follows */
		eid_buf_add_u8(ans, ST_OK);
		return;
	}
	run_apdu(e, &e->dep_cmd, &e->dep_resp);
	eid_buf_reset(&e->dep_cmd);
	dep_next_chunk(e, ans);
}

/* ---- ISO/IEC 14443-4 blocks (InCommunicateThru) ---- */

static void put_block(struct pn532_emu *e, uint8_t pcb, const uint8_t *inf, size_t n,
		      eid_buf *ans)
{
	eid_buf_reset(&e->last_block);
	eid_buf_add_u8(&e->last_block, (uint8_t)(pcb | (e->cid_used ? 0x08 : 0)));
	if (e->cid_used)
		eid_buf_add_u8(&e->last_block, e->cid);
	eid_buf_add(&e->last_block, inf, n);
	eid_buf_add_u8(ans, ST_OK);
	eid_buf_add(ans, e->last_block.data, e->last_block.len);
}

static void blk_next(struct pn532_emu *e, eid_buf *ans)
{
	size_t left = e->blk_resp.len - e->blk_off;
	size_t k = left < ISODEP_INF ? left : ISODEP_INF;
	uint8_t pcb = (uint8_t)(0x02 | e->bn | (left > k ? 0x10 : 0));

	put_block(e, pcb, e->blk_resp.data + e->blk_off, k, ans);
	e->blk_off += k;
}

static void comm_thru(struct pn532_emu *e, eid_cbs *c, eid_buf *ans)
{
	uint8_t pcb, cid = 0, bn;

	if (!card_here(e) || !e->active || !eid_cbs_get_u8(c, &pcb)) {
		eid_buf_add_u8(ans, ST_TIMEOUT);   /* nobody answers on the air */
		return;
	}
	if ((pcb & 0x08) && !eid_cbs_get_u8(c, &cid)) {
		eid_buf_add_u8(ans, ST_TIMEOUT);
		return;
	}
	e->cid_used = (pcb & 0x08) != 0;
	e->cid = cid;
	bn = pcb & 0x01;
	switch (pcb & 0xC0) {
	case 0x00: /* I-block */
		/* no NAD: the card does not offer it (and other cards' probes,
		 * e.g. SRx "06 00", look like I-blocks with one) */
		if ((pcb & 0x22) != 0x02 || (pcb & 0x04)) {
			eid_buf_add_u8(ans, ST_TIMEOUT);
			return;
		}
		e->bn = bn;
		eid_buf_reset(&e->blk_resp);
		e->blk_off = 0;
		if (e->blk_cmd.len + eid_cbs_len(c) > MAX_APDU) {
			eid_buf_reset(&e->blk_cmd);
			eid_buf_add_u8(ans, ST_TIMEOUT);
			return;
		}
		eid_buf_add_cbs(&e->blk_cmd, c);
		if (pcb & 0x10) {           /* chaining: acknowledge */
			put_block(e, (uint8_t)(0xA2 | bn), NULL, 0, ans);
			return;
		}
		run_apdu(e, &e->blk_cmd, &e->blk_resp);
		eid_buf_reset(&e->blk_cmd);
		blk_next(e, ans);
		return;
	case 0x80: /* R-block */
		if ((pcb & 0x26) != 0x22) {
			eid_buf_add_u8(ans, ST_TIMEOUT);
			return;
		}
		if (!(pcb & 0x10) && bn != e->bn && e->blk_off < e->blk_resp.len) {
			e->bn = bn;         /* the reader wants the next block */
			blk_next(e, ans);
		} else if (bn == e->bn && e->last_block.len) {
			eid_buf_add_u8(ans, ST_OK);   /* send the last block again */
			eid_buf_add(ans, e->last_block.data, e->last_block.len);
		} else {
			put_block(e, (uint8_t)(0xA2 | e->bn), NULL, 0, ans);
		}
		return;
	default: /* S-block */
		if ((pcb & 0xF7) == 0xC2) { /* DESELECT */
			put_block(e, 0xC2, NULL, 0, ans);
			card_reset(e);
			return;
		}
		eid_buf_add_u8(ans, ST_TIMEOUT);
		return;
	}
}

static const uint8_t error_frame[] = { 0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00 };
static const uint8_t ack_frame[] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };

/* Answer one information frame. */
static int command(struct pn532_emu *e, eid_cbs *p, eid_buf *out)
{
	eid_buf ans;
	uint8_t tfi, cmd, v;
	int r;

	eid_buf_init_secret(&ans);
	eid_buf_add(out, ack_frame, sizeof(ack_frame));
	if (!eid_cbs_get_u8(p, &tfi) || !eid_cbs_get_u8(p, &cmd) || tfi != TFI_HOST)
		goto syntax;
	eid_buf_add_u8(&ans, TFI_PN532);
	eid_buf_add_u8(&ans, (uint8_t)(cmd + 1));
	switch (cmd) {
	case CMD_DIAGNOSE: /* communication line test: echo */
		eid_buf_add_cbs(&ans, p);
		break;
	case CMD_FIRMWARE: {
		static const uint8_t fw[] = { 0x32, 0x01, 0x06, 0x07 };

		eid_buf_add(&ans, fw, sizeof(fw));
		break;
	}
	case CMD_STATUS: /* no error, no field, targets, SAM status */
		eid_buf_add_u8(&ans, 0);
		eid_buf_add_u8(&ans, 0);
		eid_buf_add_u8(&ans, 0);
		eid_buf_add_u8(&ans, 0);
		break;
	case CMD_READ_REG: {
		uint16_t addr;

		if (eid_cbs_len(p) % 2)
			goto syntax;
		while (eid_cbs_get_u16(p, &addr))
			eid_buf_add_u8(&ans, 0);
		break;
	}
	case CMD_WRITE_REG:
	case CMD_SET_PARAMS:
	case CMD_SAM_CONFIG:
		break;
	case CMD_POWER_DOWN:
	case CMD_SELECT:
		eid_buf_add_u8(&ans, ST_OK);
		break;
	case CMD_RF_CONFIG: /* item 01: RF field on/off */
		if (eid_cbs_get_u8(p, &v) && v == 0x01 && eid_cbs_get_u8(p, &v) && !(v & 0x01))
			card_reset(e);
		break;
	case CMD_LIST_TARGETS:
		list_targets(e, p, &ans);
		break;
	case CMD_AUTO_POLL:
		auto_poll(e, p, &ans);
		break;
	case CMD_DATA_EXCHANGE:
		data_exchange(e, p, &ans);
		break;
	case CMD_COMM_THRU:
		comm_thru(e, p, &ans);
		break;
	case CMD_DESELECT:
	case CMD_RELEASE:
		if (e->active)
			card_reset(e);
		eid_buf_add_u8(&ans, ST_OK);
		break;
	default:
		goto syntax;
	}
	if ((r = eid_buf_status(&ans)) < 0)
		goto out;
	eid_buf_reset(&e->last_frame);
	r = pn532_frame_put(&e->last_frame, ans.data, ans.len);
	if (r == 0)
		r = eid_buf_add(out, e->last_frame.data, e->last_frame.len);
	goto out;
syntax:
	eid_buf_set(&e->last_frame, error_frame, sizeof(error_frame));
	r = eid_buf_add(out, error_frame, sizeof(error_frame));
out:
	eid_buf_free(&ans);
	return r;
}

int pn532_emu_input(struct pn532_emu *e, const uint8_t *data, size_t n, eid_buf *out)
{
	eid_cbs c, payload;
	size_t used, total = 0;
	int r = 0;

	if (eid_buf_add(&e->in, data, n) < 0)
		return -EID_ENOMEM;
	eid_buf_cbs(&e->in, &c);
	for (;;) {
		enum pn532_frame_kind k = pn532_frame_next(&c, &payload, &used);

		eid_cbs_skip(&c, used);
		total += used;
		if (k == PN532_FRAME_MORE)
			break;
		if (k == PN532_FRAME_INFO)
			r = command(e, &payload, out);
		else if (k == PN532_FRAME_NACK && e->last_frame.len)
			r = eid_buf_add(out, e->last_frame.data, e->last_frame.len);
		if (r < 0)
			break;
	}
	/* keep the undecoded rest (bounded: a longer frame cannot exist) */
	if (eid_cbs_len(&c) > MAX_HOST_INPUT)
		total = e->in.len;
	if (total) {
		size_t rest = e->in.len - total;

		memmove(e->in.data, e->in.data + total, rest);
		eid_buf_truncate(&e->in, rest);
	}
	return r;
}

/* ---- the pseudo-terminal ---- */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { .fd = fd, .events = POLLOUT };

				poll(&pf, 1, 100);
				continue;
			}
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* Remove the link only when it still points to our pty. */
static void unlink_ours(const char *link, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);

	if (n < 0)
		return;
	buf[n] = '\0';
	if (!strcmp(buf, target))
		unlink(link);
}

int pn532_run(const struct pn532_run *opt, const struct vpcd_card_ops *ops, void *card,
	      volatile bool *stop)
{
	struct pn532_emu *e = NULL;
	char path[128];
	struct termios tio;
	struct stat st;
	uint8_t buf[4096];
	eid_buf out;
	long pulled_at = -1;
	int master, slave = -1, ret = 1;

	eid_buf_init_secret(&out);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, path, sizeof(path)) != 0) {
		fprintf(stderr, "eid-sim: cannot create a pseudo-terminal: %s\n", strerror(errno));
		goto out;
	}
	/* our own slave descriptor keeps the pty usable between libnfc's opens */
	slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || tcgetattr(slave, &tio) < 0) {
		fprintf(stderr, "eid-sim: cannot open %s: %s\n", path, strerror(errno));
		goto out;
	}
	cfmakeraw(&tio);
	tcsetattr(slave, TCSANOW, &tio);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (lstat(opt->link, &st) == 0 && S_ISLNK(st.st_mode))
		unlink(opt->link);
	if (symlink(path, opt->link) < 0) {
		fprintf(stderr, "eid-sim: --pn532 %s: %s\n", opt->link, strerror(errno));
		goto out;
	}
	if (pn532_emu_new(opt->type, ops, card, &e) < 0) {
		fprintf(stderr, "eid-sim: out of memory\n");
		unlink_ours(opt->link, path);
		goto out;
	}
	if (opt->verbose)
		fprintf(stderr, "eid-sim: PN532 at %s (%s), ISO 14443-%c target\n", opt->link, path,
			opt->type == PN532_TARGET_A ? 'A' : 'B');
	ret = 0;
	while (!*stop) {
		struct pollfd pf = { .fd = master, .events = POLLIN };
		ssize_t n;
		int pr = poll(&pf, 1, 50);

		if (pulled_at >= 0 && now_ms() - pulled_at >= opt->reinsert_ms) {
			if (opt->insert)
				opt->insert(card);
			pulled_at = -1;
			if (opt->verbose)
				fprintf(stderr, "eid-sim: card inserted again\n");
		}
		if (pr <= 0)
			continue;
		n = read(master, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EIO)
				break;
			if (n < 0 && errno == EIO)
				usleep(20 * 1000);
			continue;
		}
		eid_buf_reset(&out);
		if (pn532_emu_input(e, buf, (size_t)n, &out) < 0)
			break;
		eid_wipe(buf, (size_t)n);
		if (out.len && write_all(master, out.data, out.len) < 0)
			break;
		if (pn532_emu_pulled(e)) {
			if (opt->verbose)
				fprintf(stderr, "eid-sim: card pulled\n");
			if (opt->reinsert_ms >= 0)
				pulled_at = now_ms();
		}
	}
	unlink_ours(opt->link, path);
out:
	pn532_emu_free(e);
	eid_buf_free(&out);
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	return ret;
}
