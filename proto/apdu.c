/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "apdu.h"
#include "sm.h"

/* Bounds for the transport loops: a chip that keeps answering 61xx or 6Cxx
 * must not keep us busy forever. */
#define MAX_GET_RESPONSE 256
#define MAX_RESPONSE_TOTAL (1u << 20)

bool eid_apdu_is_extended(const struct eid_apdu *a)
{
	return a->extended || a->lc > 255 || a->le > EID_LE_MAX_SHORT;
}

int eid_apdu_encode(const struct eid_apdu *a, eid_buf *out)
{
	bool ext = eid_apdu_is_extended(a);
	uint8_t hdr[4] = { a->cla, a->ins, a->p1, a->p2 };

	if (a->lc > 65535 || a->le > EID_LE_MAX_EXTENDED || (a->lc && !a->data))
		return -EID_EINVAL;
	eid_buf_add(out, hdr, 4);
	if (a->lc) {
		if (ext) {
			eid_buf_add_u8(out, 0);
			eid_buf_add_u16(out, (uint16_t)a->lc);
		} else {
			eid_buf_add_u8(out, (uint8_t)a->lc);
		}
		eid_buf_add(out, a->data, a->lc);
	}
	if (a->le) {
		if (ext) {
			/* case 2E has a leading 00; case 4E shares Lc's */
			if (!a->lc)
				eid_buf_add_u8(out, 0);
			eid_buf_add_u16(out, (uint16_t)(a->le == EID_LE_MAX_EXTENDED ? 0 : a->le));
		} else {
			eid_buf_add_u8(out, (uint8_t)(a->le == EID_LE_MAX_SHORT ? 0 : a->le));
		}
	}
	return eid_buf_status(out);
}

int eid_rapdu_parse(const uint8_t *resp, size_t n, eid_cbs *data, uint16_t *sw)
{
	eid_cbs c, swb;

	eid_cbs_init(&c, resp, n);
	if (!eid_cbs_get_last(&c, &swb, 2) || !eid_cbs_get_u16(&swb, sw))
		return -EID_EPARSE;
	if (data)
		*data = c;
	return 0;
}

const char *eid_sw_str(uint16_t sw)
{
	static const struct {
		uint16_t sw, mask;
		const char *text;
	} table[] = {
		{ 0x9000, 0xFFFF, "success" },
		{ 0x6100, 0xFF00, "more data available" },
		{ 0x6281, 0xFFFF, "returned data may be corrupted" },
		{ 0x6282, 0xFFFF, "end of file reached before Le bytes" },
		{ 0x6300, 0xFFFF, "verification failed" },
		{ 0x63C0, 0xFFF0, "verification failed, retry counter in SW2" },
		{ 0x6581, 0xFFFF, "memory failure" },
		{ 0x6700, 0xFFFF, "wrong length" },
		{ 0x6882, 0xFFFF, "secure messaging not supported" },
		{ 0x6982, 0xFFFF, "security status not satisfied" },
		{ 0x6983, 0xFFFF, "authentication method blocked" },
		{ 0x6984, 0xFFFF, "reference data not usable" },
		{ 0x6985, 0xFFFF, "conditions of use not satisfied" },
		{ 0x6986, 0xFFFF, "command not allowed" },
		{ 0x6987, 0xFFFF, "expected secure messaging objects missing" },
		{ 0x6988, 0xFFFF, "incorrect secure messaging objects" },
		{ 0x6A80, 0xFFFF, "incorrect data" },
		{ 0x6A81, 0xFFFF, "function not supported" },
		{ 0x6A82, 0xFFFF, "file or application not found" },
		{ 0x6A86, 0xFFFF, "incorrect P1 P2" },
		{ 0x6A88, 0xFFFF, "referenced data not found" },
		{ 0x6B00, 0xFFFF, "wrong parameters P1 P2" },
		{ 0x6C00, 0xFF00, "wrong Le, exact length in SW2" },
		{ 0x6D00, 0xFFFF, "instruction not supported" },
		{ 0x6E00, 0xFFFF, "class not supported" },
		{ 0x6F00, 0xFFFF, "no precise diagnosis" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if ((sw & table[i].mask) == table[i].sw)
			return table[i].text;
	return "unknown status";
}

/* ---- the card handle ---- */

void eid_card_init(struct eid_card *card, eid_transmit_fn fn, void *ctx)
{
	memset(card, 0, sizeof(*card));
	card->transmit = fn;
	card->transmit_ctx = ctx;
}

void eid_card_end_sm(struct eid_card *card)
{
	if (card->sm) {
		eid_sm_clear(card->sm);
		card->sm = NULL;
	}
}

int eid_card_transmit_raw(struct eid_card *card, const uint8_t *cmd, size_t n,
			  eid_buf *resp_with_sw)
{
	size_t cap = card->max_response ? card->max_response
				       : card->extended_length ? 65538 : 258;
	uint8_t *p;
	size_t got = cap;
	int r;

	if (!card->transmit)
		return -EID_ENOTSUP;
	if (card->trace)
		card->trace(card->trace_ctx, true, cmd, n);
	eid_buf_reset(resp_with_sw);
	p = eid_buf_add_space(resp_with_sw, cap);
	if (!p)
		return -EID_ENOMEM;
	card->stats.apdus++;
	card->stats.bytes_out += n;
	r = card->transmit(card->transmit_ctx, cmd, n, p, &got);
	if (r < 0) {
		eid_buf_reset(resp_with_sw);
		return r;
	}
	if (got > cap || got < 2) {
		eid_buf_reset(resp_with_sw);
		return -EID_ETRANSPORT;
	}
	eid_buf_truncate(resp_with_sw, got);
	card->stats.bytes_in += got;
	if (card->trace)
		card->trace(card->trace_ctx, false, resp_with_sw->data, got);
	return 0;
}

/*
 * Send encoded bytes; follow 61xx with GET RESPONSE and answer 6Cxx by
 * resending with Le = xx.  Appends all data plus the final SW to *out.
 */
static int transmit_bytes(struct eid_card *card, eid_buf *cmd, eid_buf *out)
{
	eid_buf resp;
	eid_cbs data;
	uint16_t sw;
	int r, rounds = 0;
	bool resent = false;

	eid_buf_init(&resp);
	eid_buf_reset(out);
	for (;;) {
		r = eid_card_transmit_raw(card, cmd->data, cmd->len, &resp);
		if (r < 0)
			goto out;
		if ((r = eid_rapdu_parse(resp.data, resp.len, &data, &sw)) < 0)
			goto out;
		if ((sw & 0xFF00) == 0x6C00 && !resent && cmd->len >= 4) {
			/* wrong Le: resend the same command with Le = SW2 (short form) */
			struct eid_apdu a;
			eid_cbs c;
			uint8_t hdr[4];

			eid_buf_cbs(cmd, &c);
			eid_cbs_copy(&c, hdr, 4);
			if (eid_cbs_len(&c) > 1) {
				/* only case 2 short commands are resent */
				r = -EID_ESW;
				goto out;
			}
			memset(&a, 0, sizeof(a));
			a.cla = hdr[0];
			a.ins = hdr[1];
			a.p1 = hdr[2];
			a.p2 = hdr[3];
			a.le = (sw & 0xFF) ? (sw & 0xFF) : 256;
			eid_buf_reset(cmd);
			if ((r = eid_apdu_encode(&a, cmd)) < 0)
				goto out;
			resent = true;
			continue;
		}
		if (eid_buf_add_cbs(out, &data) < 0) {
			r = -EID_ENOMEM;
			goto out;
		}
		if ((sw & 0xFF00) != 0x6100)
			break;
		if (++rounds > MAX_GET_RESPONSE || out->len > MAX_RESPONSE_TOTAL) {
			r = -EID_ETOOBIG;
			goto out;
		}
		/* GET RESPONSE with Le = SW2 (00 = 256) */
		eid_buf_reset(cmd);
		{
			const uint8_t gr[5] = { 0x00, 0xC0, 0x00, 0x00, (uint8_t)(sw & 0xFF) };
			eid_buf_add(cmd, gr, sizeof(gr));
		}
	}
	eid_buf_add_u16(out, sw);
	r = eid_buf_status(out);
out:
	eid_buf_free(&resp);
	return r;
}

int eid_card_transmit_plain(struct eid_card *card, const struct eid_apdu *a, eid_buf *resp,
			    uint16_t *sw)
{
	eid_buf cmd, out;
	eid_cbs data;
	int r;

	eid_buf_init(&cmd);
	eid_buf_init(&out);
	if ((r = eid_apdu_encode(a, &cmd)) < 0)
		goto out;
	if ((r = transmit_bytes(card, &cmd, &out)) < 0)
		goto out;
	if ((r = eid_rapdu_parse(out.data, out.len, &data, sw)) < 0)
		goto out;
	if (resp && (r = eid_buf_add_cbs(resp, &data)) < 0)
		goto out;
out:
	eid_buf_free(&cmd);
	eid_buf_free(&out);
	return r;
}

int eid_card_transmit(struct eid_card *card, const struct eid_apdu *a, eid_buf *resp,
		      uint16_t *sw)
{
	eid_buf cmd, out;
	int r;

	if (!card->sm)
		return eid_card_transmit_plain(card, a, resp, sw);
	if (card->sm->failed) {
		eid_card_end_sm(card);
		return -EID_ESMCLOSED;
	}
	/* the command and response of a secure channel may carry secrets */
	eid_buf_init_secret(&cmd);
	eid_buf_init_secret(&out);
	if ((r = eid_sm_wrap(card->sm, a, &cmd)) < 0)
		goto out;
	if ((r = transmit_bytes(card, &cmd, &out)) < 0)
		goto out;
	r = eid_sm_unwrap(card->sm, out.data, out.len, resp, sw);
out:
	if (card->sm && (r < 0 || card->sm->failed))
		eid_card_end_sm(card);
	eid_buf_free(&cmd);
	eid_buf_free(&out);
	return r;
}

int eid_card_transmit_ok(struct eid_card *card, const struct eid_apdu *a, eid_buf *resp)
{
	uint16_t sw = 0;
	int r = eid_card_transmit(card, a, resp, &sw);

	if (r < 0)
		return r;
	return sw == EID_SW_OK ? 0 : -EID_ESW;
}
