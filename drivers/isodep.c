/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "isodep.h"

#define PCB_I 0x02
#define PCB_CHAIN 0x10
#define PCB_CID 0x08
#define PCB_NAD 0x04
#define PCB_R_ACK 0xA2
#define PCB_R_NAK 0xB2
#define PCB_S_WTX 0xF2

#define MAX_TRIES 3          /* a block and two recovery attempts */
#define MAX_WAIT_MS 60000

void eid_isodep_init(struct eid_isodep *d, eid_isodep_xfer_fn xfer, void *ctx, size_t fsc,
		     int fwt_ms)
{
	memset(d, 0, sizeof(*d));
	d->xfer = xfer;
	d->ctx = ctx;
	d->fsc = fsc < 16 ? 16 : fsc > 256 ? 256 : fsc;
	d->fwt_ms = fwt_ms < 5 ? 5 : fwt_ms;
}

size_t eid_isodep_fsc(uint8_t fsci)
{
	static const size_t t[] = { 16, 24, 32, 40, 48, 64, 96, 128, 256 };

	return fsci < 9 ? t[fsci] : 256;
}

int eid_isodep_fwt_ms(uint8_t fwi)
{
	/* FWT = 256 * 16 / fc * 2^FWI = 302 us * 2^FWI; FWI 15 means 4 */
	if (fwi > 14)
		fwi = 4;
	return (int)((302L * (1L << fwi) + 999) / 1000);
}

int eid_isodep_parse_ats(const uint8_t *ats, size_t n, size_t *fsc, int *fwt_ms, eid_cbs *hist)
{
	eid_cbs c;
	uint8_t t0, ta, tb = 0x40, tc;

	eid_cbs_init(&c, ats, n);
	if (!eid_cbs_get_u8(&c, &t0))
		return -EID_EPARSE;
	if ((t0 & 0x10) && !eid_cbs_get_u8(&c, &ta))
		return -EID_EPARSE;
	if ((t0 & 0x20) && !eid_cbs_get_u8(&c, &tb))
		return -EID_EPARSE;
	if ((t0 & 0x40) && !eid_cbs_get_u8(&c, &tc))
		return -EID_EPARSE;
	if (t0 & 0x80)
		return -EID_EPARSE;   /* RFU */
	*fsc = eid_isodep_fsc(t0 & 0x0F);
	*fwt_ms = eid_isodep_fwt_ms(tb >> 4);
	*hist = c;
	return 0;
}

int eid_isodep_parse_protinfo(const uint8_t *pi, size_t n, size_t *fsc, int *fwt_ms)
{
	eid_cbs c;
	uint8_t rate, size_type, fwi;

	eid_cbs_init(&c, pi, n);
	if (!eid_cbs_get_u8(&c, &rate) || !eid_cbs_get_u8(&c, &size_type) ||
	    !eid_cbs_get_u8(&c, &fwi))
		return -EID_EPARSE;
	if ((size_type & 0x0F) != 0x01)
		return -EID_EPARSE;   /* not ISO/IEC 14443-4 */
	*fsc = eid_isodep_fsc(size_type >> 4);
	*fwt_ms = eid_isodep_fwt_ms(fwi >> 4);
	return 0;
}

size_t eid_isodep_atr(const uint8_t *hist, size_t n, uint8_t *atr, size_t max)
{
	uint8_t tck = 0;

	if (n > 15 || max < n + 5)
		return 0;
	atr[0] = 0x3B;
	atr[1] = (uint8_t)(0x80 | n);
	atr[2] = 0x80;
	atr[3] = 0x01;
	if (n)
		memcpy(atr + 4, hist, n);
	for (size_t i = 1; i < n + 4; i++)
		tck ^= atr[i];
	atr[n + 4] = tck;
	return n + 5;
}

/* The PCB of a block and its information field (CID, NAD skipped). */
static bool split_block(const uint8_t *blk, size_t n, uint8_t *pcb, eid_cbs *inf)
{
	uint8_t skip;

	eid_cbs_init(inf, blk, n);
	if (!eid_cbs_get_u8(inf, pcb))
		return false;
	if ((*pcb & PCB_CID) && !eid_cbs_get_u8(inf, &skip))
		return false;
	/* NAD only in I-blocks */
	if ((*pcb & 0xC0) == 0x00 && (*pcb & PCB_NAD) && !eid_cbs_get_u8(inf, &skip))
		return false;
	return true;
}

static bool is_i_block(uint8_t pcb) { return (pcb & 0xE2) == 0x02; }
static bool is_r_ack(uint8_t pcb) { return (pcb & 0xF6) == 0xA2; }

/*
 * Send blk and return the card's next I- or R-block in rx.  Answers waiting
 * time extensions; recovers a lost or garbled block: after an I-block with
 * an R(NAK) (the card then repeats its last block, or says R(ACK) when it
 * never saw ours, which is then sent again), after an R(ACK) by repeating it.
 */
static int exchange(struct eid_isodep *d, const uint8_t *blk, size_t n, uint8_t *rx,
		    size_t *rxn)
{
	uint8_t nak = (uint8_t)(PCB_R_NAK | d->bn), wtx[2];
	const uint8_t *tx = blk;
	size_t txn = n;
	int errors = 0, timeout = d->fwt_ms;

	for (;;) {
		size_t len = EID_ISODEP_MAX_BLOCK;
		uint8_t pcb;
		eid_cbs inf;
		int r = d->xfer(d->ctx, tx, txn, rx, &len, timeout);

		timeout = d->fwt_ms;
		if (r == 0 && (len > EID_ISODEP_MAX_BLOCK || !split_block(rx, len, &pcb, &inf)))
			r = -EID_ETRANSPORT;
		if (r == -EID_ETRANSPORT) {
			if (++errors >= MAX_TRIES)
				return r;
			if (is_r_ack(blk[0])) {
				tx = blk;
				txn = n;
			} else {
				tx = &nak;
				txn = 1;
			}
			continue;
		}
		if (r < 0)
			return r;
		if ((pcb & 0xF7) == PCB_S_WTX) {
			uint8_t wtxm;

			if (!eid_cbs_get_u8(&inf, &wtxm) || !(wtxm & 0x3F))
				return -EID_ETRANSPORT;
			wtxm &= 0x3F;
			wtx[0] = PCB_S_WTX;
			wtx[1] = wtxm;
			tx = wtx;
			txn = 2;
			timeout = d->fwt_ms * wtxm > MAX_WAIT_MS ? MAX_WAIT_MS : d->fwt_ms * wtxm;
			continue;
		}
		if (tx == &nak && is_r_ack(pcb) && (pcb & 1) != d->bn) {
			tx = blk;     /* the card never got our block */
			txn = n;
			continue;
		}
		if (!is_i_block(pcb) && !is_r_ack(pcb))
			return -EID_ETRANSPORT;
		*rxn = len;
		return 0;
	}
}

int eid_isodep_transceive(struct eid_isodep *d, const uint8_t *cmd, size_t n, uint8_t *resp,
			  size_t *resp_len)
{
	uint8_t blk[EID_ISODEP_MAX_BLOCK], rx[EID_ISODEP_MAX_BLOCK];
	size_t max_inf = d->fsc - 3, off = 0, got = 0, rxn = 0;
	int r;

	if (!n || !resp || !resp_len)
		return -EID_EINVAL;
	/* the command, chained in blocks of at most FSC */
	for (;;) {
		size_t k = n - off < max_inf ? n - off : max_inf;
		bool more = off + k < n;
		uint8_t pcb;
		eid_cbs inf;

		blk[0] = (uint8_t)(PCB_I | d->bn | (more ? PCB_CHAIN : 0));
		memcpy(blk + 1, cmd + off, k);
		if ((r = exchange(d, blk, k + 1, rx, &rxn)) < 0)
			return r;
		off += k;
		if (!more)
			break;
		if (!split_block(rx, rxn, &pcb, &inf) || !is_r_ack(pcb) || (pcb & 1) != d->bn)
			return -EID_ETRANSPORT;
		d->bn ^= 1;
	}
	/* the response, maybe chained by the card */
	for (;;) {
		uint8_t pcb;
		eid_cbs inf;
		size_t k;

		if (!split_block(rx, rxn, &pcb, &inf) || !is_i_block(pcb) || (pcb & 1) != d->bn)
			return -EID_ETRANSPORT;
		k = eid_cbs_len(&inf);
		if (k > *resp_len - got)
			return -EID_ETOOBIG;
		eid_cbs_copy(&inf, resp + got, k);
		got += k;
		d->bn ^= 1;
		if (!(pcb & PCB_CHAIN))
			break;
		blk[0] = (uint8_t)(PCB_R_ACK | d->bn);
		if ((r = exchange(d, blk, 1, rx, &rxn)) < 0)
			return r;
	}
	if (got < 2)
		return -EID_ETRANSPORT;
	*resp_len = got;
	return 0;
}

int eid_isodep_ping(struct eid_isodep *d)
{
	uint8_t nak = (uint8_t)(PCB_R_NAK | d->bn), rx[EID_ISODEP_MAX_BLOCK];

	for (int i = 0; i < 2; i++) {
		size_t len = sizeof(rx);
		int r = d->xfer(d->ctx, &nak, 1, rx, &len, d->fwt_ms);

		if (r == 0 && len >= 1)
			return 1;
		if (r < 0 && r != -EID_ETRANSPORT)
			return r;
	}
	return 0;
}
