/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The chip core: one command APDU in, one response out.
 *   1. count the APDU (faults count from the card's insertion);
 *   2. parse the command (cases 1..4, short and extended);
 *   3. secure messaging: a protected command is checked and decrypted (an
 *      SM error is answered in plain and ends the session); a plain command
 *      during a session ends the session, then runs in plain;
 *   4. dispatch by INS: the core commands (SELECT, READ BINARY B0/B1, GET
 *      CHALLENGE), then each protocol's table (BAC's MUTUAL AUTHENTICATE,
 *      MSE:Set AT of PACE (P1P2 C1A4) and CA (41A4, 41A6), GENERAL
 *      AUTHENTICATE of whichever protocol the last MSE set up, INTERNAL
 *      AUTHENTICATE); command chaining (CLA bit 10) only where the
 *      protocol takes it;
 *   5. protect the response when the command was protected, then switch
 *      to new session keys when PACE or CA just made them;
 *   6. faults (corrupted MAC, card pulled) and the simulated air interface.
 * The file system: the MF holds EF.CardAccess and EF.ATR/INFO; the eMRTD
 * application (A0000002471001) holds EF.COM, the data groups and EF.SOD,
 * each readable only in an authenticated secure messaging session.  On the
 * eID card the MF also holds EF.CardSecurity (after PACE) and the eID
 * application (E80704007F00070302) holds DG1..DG22, each readable after
 * Terminal and Chip Authentication when the effective CHAT allows it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "sim.h"
#include "mrz.h"
#include "tlv.h"

static const uint8_t emrtd_aid[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

#define FID_MF 0x3F00

/* ---- files ---- */

static int file_find_fid(const struct sim_chip *chip, bool in_mf, uint16_t fid)
{
	for (size_t i = 0; i < chip->n_files; i++)
		if (chip->files[i].fid == fid && chip->files[i].in_mf == in_mf)
			return (int)i;
	return -1;
}

static int file_find_sfi(const struct sim_chip *chip, bool in_mf, uint8_t sfi)
{
	for (size_t i = 0; i < chip->n_files; i++)
		if (chip->files[i].sfi && chip->files[i].sfi == sfi &&
		    chip->files[i].in_mf == in_mf)
			return (int)i;
	return -1;
}

int sim_chip_set_file(struct sim_chip *chip, uint16_t fid, uint8_t sfi, bool in_mf, int dg,
		      enum sim_access access, const uint8_t *data, size_t n)
{
	int i = file_find_fid(chip, in_mf, fid);
	struct sim_file *f;

	if (i < 0) {
		if (chip->n_files == SIM_MAX_FILES)
			return -EID_ETOOBIG;
		i = (int)chip->n_files++;
		eid_buf_init(&chip->files[i].data);
	}
	f = &chip->files[i];
	f->fid = fid;
	f->sfi = sfi;
	f->in_mf = in_mf;
	f->dg = dg;
	f->access = access;
	return eid_buf_set(&f->data, data, n);
}

const struct sim_file *sim_chip_file(const struct sim_chip *chip, uint16_t fid)
{
	int i = file_find_fid(chip, false, fid);

	if (i < 0)
		i = file_find_fid(chip, true, fid);
	return i < 0 ? NULL : &chip->files[i];
}

int sim_chip_add_protocol(struct sim_chip *chip, const struct sim_protocol *p)
{
	if (chip->n_protocols == SIM_MAX_PROTOCOLS)
		return -EID_ETOOBIG;
	chip->protocols[chip->n_protocols++] = p;
	return 0;
}

int sim_chip_random(struct sim_chip *chip, uint8_t *out, size_t n)
{
	return eid_random(chip->opt.rng, out, n);
}

/* ---- step 2: parsing the command APDU ---- */

/* Cases 1, 2S, 3S, 4S, 2E, 3E, 4E (ISO 7816-3 12.1.3); false when malformed. */
static bool apdu_parse(const uint8_t *raw, size_t n, struct sim_cmd *cmd)
{
	eid_cbs c, body;
	uint8_t b;
	uint16_t v;

	memset(cmd, 0, sizeof(*cmd));
	eid_cbs_init(&c, raw, n);
	if (!eid_cbs_get_u8(&c, &cmd->cla) || !eid_cbs_get_u8(&c, &cmd->ins) ||
	    !eid_cbs_get_u8(&c, &cmd->p1) || !eid_cbs_get_u8(&c, &cmd->p2))
		return false;
	if (eid_cbs_len(&c) == 0)
		return true;                               /* case 1 */
	if (!eid_cbs_get_u8(&c, &b))
		return false;
	if (b != 0 || eid_cbs_len(&c) == 0) {             /* short */
		if (eid_cbs_len(&c) == 0) {
			cmd->le = b ? b : 256;              /* case 2S */
			return true;
		}
		cmd->lc = b;
		if (!eid_cbs_get_bytes(&c, &body, b))
			return false;
		cmd->data = eid_cbs_data(&body);
		if (eid_cbs_len(&c) == 0)
			return true;                       /* case 3S */
		if (!eid_cbs_get_u8(&c, &b) || eid_cbs_len(&c) != 0)
			return false;
		cmd->le = b ? b : 256;                      /* case 4S */
		return true;
	}
	cmd->extended = true;
	if (!eid_cbs_get_u16(&c, &v))
		return false;
	if (eid_cbs_len(&c) == 0) {
		cmd->le = v ? v : 65536;                    /* case 2E */
		return true;
	}
	if (v == 0 || !eid_cbs_get_bytes(&c, &body, v))
		return false;
	cmd->lc = v;
	cmd->data = eid_cbs_data(&body);
	if (eid_cbs_len(&c) == 0)
		return true;                               /* case 3E */
	if (!eid_cbs_get_u16(&c, &v) || eid_cbs_len(&c) != 0)
		return false;
	cmd->le = v ? v : 65536;                            /* case 4E */
	return true;
}

/* ---- core commands ---- */

/* FCP of an EF: 62 { 80 size, 82 01 (transparent), 83 FID }. */
static int fcp_add(const struct sim_file *f, eid_buf *out)
{
	size_t mark = eid_tlv_begin(out, 0x62);
	uint8_t size[3] = { (uint8_t)(f->data.len >> 16), (uint8_t)(f->data.len >> 8),
			    (uint8_t)f->data.len };
	const uint8_t desc = 0x01, fid[2] = { (uint8_t)(f->fid >> 8), (uint8_t)f->fid };

	if (f->data.len > 0xFFFF)
		eid_tlv_add(out, 0x80, size, 3);
	else
		eid_tlv_add(out, 0x80, size + 1, 2);
	eid_tlv_add(out, 0x82, &desc, 1);
	eid_tlv_add(out, 0x83, fid, 2);
	return eid_tlv_end(out, mark);
}

/* Answer of SELECT: nothing for P2 = 0C, else FCP/FCI limited to Le. */
static uint16_t select_answer(struct sim_chip *chip, const struct sim_cmd *cmd,
			      eid_buf *out)
{
	eid_buf info = EID_BUF_INIT;
	uint16_t sw = SIM_SW_OK;

	if ((cmd->p2 & 0x0C) == 0x0C || !cmd->le)
		return SIM_SW_OK;
	if (chip->current_ef >= 0) {
		fcp_add(&chip->files[chip->current_ef], &info);
	} else {
		size_t mark = eid_tlv_begin(&info, 0x6F);

		if (chip->app_selected)
			eid_tlv_add(&info, 0x84, chip->app_aid, chip->app_aid_len);
		eid_tlv_end(&info, mark);
	}
	if (!eid_buf_ok(&info) || eid_buf_add(out, info.data, info.len < cmd->le ?
						info.len : cmd->le) < 0)
		sw = 0x6F00;
	eid_buf_free(&info);
	return sw;
}

/* SELECT (A4): by AID (P1 04), MF or EF by FID (P1 00), EF under the
 * current DF (P1 02).  P2: 0C no answer, 00 FCI, 04 FCP. */
static uint16_t cmd_select(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	eid_cbs d;
	uint16_t fid;
	int i;

	if (cmd->p2 != 0x0C && cmd->p2 != 0x00 && cmd->p2 != 0x04)
		return SIM_SW_WRONG_P1P2_86;
	eid_cbs_init(&d, cmd->data, cmd->lc);
	switch (cmd->p1) {
	case 0x04:
		if (!eid_cbs_equal(&d, chip->app_aid, chip->app_aid_len))
			return SIM_SW_NOT_FOUND;
		chip->app_selected = true;
		chip->current_ef = -1;
		return select_answer(chip, cmd, out);
	case 0x00:
	case 0x02:
		if (cmd->p1 == 0x00 && (cmd->lc == 0 ||
		    (cmd->lc == 2 && eid_cbs_get_u16(&d, &fid) && fid == FID_MF))) {
			chip->app_selected = false;
			chip->current_ef = -1;
			return select_answer(chip, cmd, out);
		}
		eid_cbs_init(&d, cmd->data, cmd->lc);
		if (cmd->lc != 2 || !eid_cbs_get_u16(&d, &fid))
			return SIM_SW_WRONG_LENGTH;
		if ((i = file_find_fid(chip, !chip->app_selected, fid)) < 0)
			return SIM_SW_NOT_FOUND;
		chip->current_ef = i;
		return select_answer(chip, cmd, out);
	default:
		return SIM_SW_WRONG_P1P2_86;
	}
}

/* Bytes a DER length field takes for n. */
static size_t der_len_len(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

/*
 * The common part of READ BINARY: access condition, then bytes from offset,
 * as many as Le, the --max-le cap and the response APDU allow (for B1 that
 * includes the DO'53' header).  6B00 at or beyond the end of the file, 6282
 * when the end is reached before Le.
 */
static uint16_t read_file(struct sim_chip *chip, int idx, size_t offset, size_t le,
			  size_t max_data, bool odd, eid_buf *out)
{
	const struct sim_file *f = &chip->files[idx];
	size_t budget = le, avail, n, hdr;
	eid_cbs c, part;
	uint16_t sw;

	if (f->access == SIM_ACCESS_SM && !chip->authenticated)
		return SIM_SW_SECURITY;
	if (f->access == SIM_ACCESS_EID &&
	    (!chip->authenticated || !chip->eid_access || f->dg < 1 || f->dg > 22 ||
	     !(chip->ta_rights & SIM_AT_READ_DG(f->dg))))
		return SIM_SW_SECURITY;
	if (le == 0)
		return SIM_SW_WRONG_LENGTH;
	if (offset >= f->data.len)
		return SIM_SW_WRONG_P1P2;
	if (chip->opt.max_le && budget > chip->opt.max_le)
		budget = chip->opt.max_le;
	if (max_data && budget > max_data)
		budget = max_data;
	eid_buf_cbs(&f->data, &c);
	if (!eid_cbs_skip(&c, offset))
		return SIM_SW_WRONG_P1P2;
	avail = eid_cbs_len(&c);
	if (!odd) {
		n = avail < budget ? avail : budget;
		sw = (n == avail && avail < le) ? SIM_SW_EOF : SIM_SW_OK;
		if (!eid_cbs_get_bytes(&c, &part, n) || eid_buf_add_cbs(out, &part) < 0)
			return 0x6F00;
		return sw;
	}
	/* B1: 53 L data, all of it within the budget */
	if (budget < 3)
		return SIM_SW_WRONG_LENGTH;
	n = avail < budget - 2 ? avail : budget - 2;
	while (n && 1 + der_len_len(n) + n > budget)
		n--;
	hdr = 1 + der_len_len(n);
	sw = (n == avail && hdr + n < le) ? SIM_SW_EOF : SIM_SW_OK;
	if (!eid_cbs_get_bytes(&c, &part, n) ||
	    eid_tlv_add(out, 0x53, eid_cbs_data(&part), n) < 0)
		return 0x6F00;
	return sw;
}

/* READ BINARY (B0): offset in P1P2 (15 bits), or SFI in P1 (bit 8 set) and
 * offset in P2; reading by SFI makes the file current. */
static uint16_t cmd_read_binary(struct sim_chip *chip, const struct sim_cmd *cmd,
				eid_buf *out)
{
	size_t offset;
	int idx;

	if (cmd->lc)
		return SIM_SW_WRONG_LENGTH;
	if (cmd->p1 & 0x80) {
		if (cmd->p1 & 0x60)
			return SIM_SW_WRONG_P1P2_86;
		if ((idx = file_find_sfi(chip, !chip->app_selected, cmd->p1 & 0x1F)) < 0)
			return SIM_SW_NOT_FOUND;
		chip->current_ef = idx;
		offset = cmd->p2;
	} else {
		if (chip->current_ef < 0)
			return SIM_SW_NO_CURRENT_EF;
		idx = chip->current_ef;
		offset = (size_t)cmd->p1 << 8 | cmd->p2;
	}
	return read_file(chip, idx, offset, cmd->le, cmd->max_data, false, out);
}

/* READ BINARY (B1): P1P2 0000 current EF, 00xx (xx < 32) an SFI, else a
 * FID; offset in DO'54'; the answer in DO'53'. */
static uint16_t cmd_read_binary_odd(struct sim_chip *chip, const struct sim_cmd *cmd,
				    eid_buf *out)
{
	uint16_t p1p2 = (uint16_t)(cmd->p1 << 8 | cmd->p2);
	eid_cbs d, off;
	uint32_t offset;
	int idx;

	eid_cbs_init(&d, cmd->data, cmd->lc);
	if (!eid_tlv_get(&d, 0x54, &off) || eid_cbs_len(&d) != 0 || eid_cbs_len(&off) == 0 ||
	    eid_cbs_len(&off) > 4 || !eid_cbs_get_uint(&off, eid_cbs_len(&off), &offset))
		return SIM_SW_WRONG_DATA;
	if (p1p2 == 0) {
		if (chip->current_ef < 0)
			return SIM_SW_NO_CURRENT_EF;
		idx = chip->current_ef;
	} else if (p1p2 < 0x20) {
		idx = file_find_sfi(chip, !chip->app_selected, (uint8_t)p1p2);
	} else {
		idx = file_find_fid(chip, !chip->app_selected, p1p2);
	}
	if (idx < 0)
		return SIM_SW_NOT_FOUND;
	chip->current_ef = idx;
	return read_file(chip, idx, offset, cmd->le, cmd->max_data, true, out);
}

/* GET CHALLENGE (84): 8 random bytes, kept for MUTUAL AUTHENTICATE / TA. */
static uint16_t cmd_get_challenge(struct sim_chip *chip, const struct sim_cmd *cmd,
				  eid_buf *out)
{
	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (cmd->le != sizeof(chip->challenge) || cmd->lc)
		return SIM_SW_WRONG_LENGTH;
	if (sim_chip_random(chip, chip->challenge, sizeof(chip->challenge)) < 0)
		return 0x6F00;
	chip->challenge_valid = true;
	return eid_buf_add(out, chip->challenge, sizeof(chip->challenge)) < 0 ? 0x6F00
									     : SIM_SW_OK;
}

static const struct sim_command core_cmds[] = {
	{ .ins = 0xA4, .p1p2 = -1, .fn = cmd_select },
	{ .ins = 0xB0, .p1p2 = -1, .fn = cmd_read_binary },
	{ .ins = 0xB1, .p1p2 = -1, .fn = cmd_read_binary_odd },
	{ .ins = 0x84, .p1p2 = -1, .fn = cmd_get_challenge },
};

/* ---- step 4: dispatch ---- */

/* Is this entry the command's handler?  *why gets the SW when it is not
 * because of P1P2 (6A86) or a missing MSE:Set AT (6985). */
static bool entry_matches(const struct sim_chip *chip, const struct sim_protocol *owner,
			  const struct sim_command *c, const struct sim_cmd *cmd, uint16_t *why)
{
	int p1p2 = cmd->p1 << 8 | cmd->p2;

	if (c->ins != cmd->ins)
		return false;
	if (c->p1p2 >= 0 && c->p1p2 != p1p2) {
		if (*why == SIM_SW_INS)
			*why = SIM_SW_WRONG_P1P2_86;
		return false;
	}
	if (c->after_mse && chip->mse != owner) {
		*why = SIM_SW_CONDITIONS;
		return false;
	}
	return true;
}

/* The handler: the core's, else the first protocol's that matches; NULL
 * with *why = 6D00, 6A86 or 6985 when there is none. */
static const struct sim_command *dispatch(const struct sim_chip *chip, const struct sim_cmd *cmd,
					  uint16_t *why)
{
	*why = SIM_SW_INS;
	for (size_t i = 0; i < sizeof(core_cmds) / sizeof(core_cmds[0]); i++)
		if (entry_matches(chip, NULL, &core_cmds[i], cmd, why))
			return &core_cmds[i];
	for (size_t p = 0; p < chip->n_protocols; p++) {
		const struct sim_protocol *proto = chip->protocols[p];

		for (size_t i = 0; i < proto->n_cmds; i++)
			if (entry_matches(chip, proto, &proto->cmds[i], cmd, why))
				return &proto->cmds[i];
	}
	return NULL;
}

/* ---- steps 1..6 ---- */

/* Sleep for the air interface: 10 bits a byte (start, 8 data, stop). */
static void air_delay(const struct sim_chip *chip, size_t bytes)
{
	unsigned long long us = chip->opt.turnaround_us;
	struct timespec ts;

	if (chip->opt.bitrate)
		us += (unsigned long long)bytes * 10u * 1000000u / chip->opt.bitrate;
	if (!us)
		return;
	ts.tv_sec = (time_t)(us / 1000000u);
	ts.tv_nsec = (long)(us % 1000000u) * 1000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static size_t put_sw(uint8_t *resp, uint16_t sw)
{
	resp[0] = (uint8_t)(sw >> 8);
	resp[1] = (uint8_t)sw;
	return 2;
}

/* Bytes of DO'87'/'85' + DO'99' + DO'8E' protecting n bytes of data. */
static size_t protected_len(size_t n, size_t block, bool odd)
{
	size_t v = n ? (n / block + 1) * block + (odd ? 0 : 1) : 0;

	return (n ? 1 + der_len_len(v) + v : 0) + 4 + 10;
}

/* A short response APDU carries at most 256 bytes: most plain data that
 * fits once protected (231 with 3DES, 223 with AES). */
static size_t short_sm_max_data(size_t block, bool odd)
{
	size_t n = 256;

	while (n && protected_len(n, block, odd) > 256)
		n--;
	return n;
}

/* Steps 2..5; the response body (without SW) into body, *wrapped when it
 * is protected. */
static uint16_t process(struct sim_chip *chip, const uint8_t *raw, size_t n, eid_buf *body,
			bool *wrapped)
{
	const struct sim_command *entry;
	struct sim_cmd cmd, plain;
	eid_buf plain_data, data;
	uint16_t sw;

	if (!apdu_parse(raw, n, &cmd))
		return SIM_SW_WRONG_LENGTH;
	if (cmd.extended && chip->opt.no_extended)
		return SIM_SW_WRONG_LENGTH;
	if ((cmd.cla & ~0x1C) != 0x00)
		return SIM_SW_CLA;

	eid_buf_init_secret(&plain_data);
	eid_buf_init_secret(&data);
	if ((cmd.cla & 0x0C) == 0x0C) {
		if (!chip->sm_active) {
			sw = SIM_SW_SM_INCORRECT;
			goto out;
		}
		if ((sw = sim_sm_unwrap(chip, &cmd, &plain, &plain_data)) != 0) {
			sim_sm_end(chip);
			goto out;
		}
		if (!cmd.extended)
			plain.max_data = short_sm_max_data(chip->sm.blocklen, plain.ins & 1);
	} else {
		if (chip->sm_active)
			sim_sm_end(chip);      /* a plain command ends the session */
		plain = cmd;
	}

	if (!(entry = dispatch(chip, &plain, &sw)))
		;                          /* sw says why */
	else if ((plain.cla & 0x10) && !entry->chaining)
		sw = SIM_SW_NO_CHAINING;
	else
		sw = entry->fn(chip, &plain, &data);
	if (!eid_buf_ok(&data))
		sw = 0x6F00;
	if ((sw >> 8) >= 0x64 && (sw >> 8) <= 0x6F)
		eid_buf_reset(&data);      /* no data with an error (64xx..6Fxx) */

	if (plain.sm && chip->sm_active) {
		if (sim_sm_wrap(chip, plain.ins, data.data, data.len, sw, body) < 0) {
			eid_buf_reset(body);
			sim_sm_end(chip);
			sw = 0x6F00;
		} else {
			*wrapped = true;
		}
	} else if (eid_buf_add(body, data.data, data.len) < 0) {
		sw = 0x6F00;
	}
out:
	sim_sm_commit(chip, sw == SIM_SW_OK);
	eid_buf_free(&plain_data);
	eid_buf_free(&data);
	return sw;
}

size_t sim_chip_apdu(struct sim_chip *chip, const uint8_t *cmd, size_t n, uint8_t *resp,
		     size_t max)
{
	bool wrapped = false;
	eid_buf body;
	uint16_t sw;
	size_t len;

	if (max < 2)
		return 0;
	eid_buf_init_secret(&body);
	chip->apdus++;
	sw = process(chip, cmd, n, &body, &wrapped);
	if (!eid_buf_ok(&body) || body.len > max - 2) {
		eid_buf_reset(&body);
		wrapped = false;
		sw = 0x6F00;
	}
	/* fault: a wrong MAC in this response (DO'8E' ends the body) */
	if (chip->opt.corrupt_mac == chip->apdus && wrapped && body.len >= 8)
		body.data[body.len - 1] ^= 0x01;
	if (body.len)
		memcpy(resp, body.data, body.len);
	len = body.len + put_sw(resp + body.len, sw);
	eid_buf_free(&body);

	if (chip->opt.remove_after && chip->apdus >= chip->opt.remove_after)
		chip->removed = true;
	air_delay(chip, n + len);
	return len;
}

int sim_chip_transmit(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp,
		      size_t *resp_len)
{
	struct sim_chip *chip = ctx;

	if (!chip || !resp_len || *resp_len < 2)
		return -EID_EINVAL;
	if (chip->removed)
		return -EID_ENOCARD;
	*resp_len = sim_chip_apdu(chip, cmd, n, resp, *resp_len);
	return 0;
}

/* ---- power, insertion, ATR ---- */

void sim_chip_reset(struct sim_chip *chip)
{
	sim_sm_end(chip);
	sim_sm_commit(chip, false);
	chip->app_selected = false;
	chip->current_ef = -1;
	chip->authenticated = false;
	eid_wipe(chip->challenge, sizeof(chip->challenge));
	chip->challenge_valid = false;
	chip->pace_pw = 0;
	chip->pace_can_done = false;
	chip->pace_chat_set = false;
	chip->pace_chat = 0;
	chip->pace_chat_at = false;
	eid_wipe(chip->id_picc, sizeof(chip->id_picc));
	chip->id_picc_len = 0;
	chip->ta_done = false;
	chip->ta_rights = 0;
	chip->ta_comp_pk_len = 0;
	chip->eid_access = false;
	for (size_t i = 0; i < chip->n_protocols; i++)
		if (chip->protocols[i]->reset)
			chip->protocols[i]->reset(chip);
	chip->mse = NULL;
}

void sim_chip_insert(struct sim_chip *chip)
{
	sim_chip_reset(chip);
	chip->apdus = 0;
	chip->removed = false;
}

/*
 * A contactless card through PC/SC (part 3): 3B 8n 80 01, historical
 * bytes, TCK.  Historical bytes: category 80, card capabilities 73 with
 * "extended Lc and Le" (b7 of the third byte) unless --no-extended.
 */
size_t sim_chip_atr(const struct sim_chip *chip, uint8_t *atr, size_t max)
{
	uint8_t a[] = { 0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0x40, 0x00 };
	uint8_t tck = 0;

	if (chip && chip->opt.no_extended)
		a[8] = 0x00;
	for (size_t i = 1; i < sizeof(a) - 1; i++)
		tck ^= a[i];
	a[sizeof(a) - 1] = tck;
	if (max < sizeof(a))
		return 0;
	memcpy(atr, a, sizeof(a));
	return sizeof(a);
}

/* ---- vpcd ---- */

static size_t vpcd_atr(void *ctx, uint8_t *atr, size_t max)
{
	return sim_chip_atr(ctx, atr, max);
}

static void vpcd_reset(void *ctx)
{
	sim_chip_reset(ctx);
}

static size_t vpcd_apdu(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t max)
{
	return sim_chip_apdu(ctx, cmd, n, resp, max);
}

static bool vpcd_removed(void *ctx)
{
	return ((struct sim_chip *)ctx)->removed;
}

const struct vpcd_card_ops sim_vpcd_ops = {
	.atr = vpcd_atr,
	.reset = vpcd_reset,
	.apdu = vpcd_apdu,
	.removed = vpcd_removed,
};

/* ---- creation ---- */

/* EF.ATR/INFO (ICAO 9303-10 4.4.2): extended length information 7F66. */
static int add_atr_info(struct sim_chip *chip)
{
	eid_buf b = EID_BUF_INIT;
	size_t mark;
	int r;

	if (chip->opt.no_extended)
		return 0;
	mark = eid_tlv_begin(&b, 0x7F66);
	eid_der_add_u32(&b, 65535);     /* longest command */
	eid_der_add_u32(&b, chip->opt.max_le ? (uint32_t)chip->opt.max_le : 65536);
	eid_tlv_end(&b, mark);
	if ((r = eid_buf_status(&b)) == 0)
		r = sim_chip_set_file(chip, 0x2F01, 0x01, true, 0, SIM_ACCESS_ALWAYS, b.data,
				      b.len);
	eid_buf_free(&b);
	return r;
}

/* A password: min..size-1 digits (NUL-terminated within its field). */
static bool digits_ok(const char *pw, size_t min, size_t size)
{
	size_t n = strnlen(pw, size);

	return n >= min && n < size && strspn(pw, "0123456789") == n;
}

time_t sim_chip_date(const struct sim_chip *chip)
{
	return chip->opt.date ? chip->opt.date : time(NULL);
}

int sim_chip_new(const struct sim_options *opt, struct sim_chip **out)
{
	const struct sim_profile *prof;
	const struct sim_holder *h;
	struct sim_chip *chip;
	int r;

	if (!opt || !out)
		return -EID_EINVAL;
	*out = NULL;
	if (!(prof = sim_profile_find(opt->profile ? opt->profile : "passport-bac")))
		return -EID_ENOTFOUND;
	if (!prof->setup)
		return -EID_ENOTSUP;
	/* the eID card's holder data are its data groups: no MRZ rules */
	if (!prof->eid && sim_holder_check(&opt->holder, NULL) < 0)
		return -EID_EINVAL;
	if (!(chip = calloc(1, sizeof(*chip))))
		return -EID_ENOMEM;
	chip->opt = *opt;
	chip->current_ef = -1;
	chip->ca_key_id = -1;
	chip->ca_cipher = EID_CIPHER_AES128;
	chip->ca_version = 1;
	chip->eid_card = prof->eid;
	eid_buf_init(&chip->cvca);
	memcpy(chip->app_aid, emrtd_aid, sizeof(emrtd_aid));
	chip->app_aid_len = sizeof(emrtd_aid);
	if (!*chip->opt.can)
		strcpy(chip->opt.can, prof->eid ? "500540" : "123456");
	if (!*chip->opt.pin)
		strcpy(chip->opt.pin, "123456");
	if (!*chip->opt.puk)
		strcpy(chip->opt.puk, "9876543210");
	chip->pin_retries = SIM_PIN_RETRIES - opt->pin_tries_used;
	if (!digits_ok(chip->opt.can, 4, sizeof(chip->opt.can)) ||
	    !digits_ok(chip->opt.pin, 5, sizeof(chip->opt.pin)) ||
	    !digits_ok(chip->opt.puk, 10, sizeof(chip->opt.puk)) ||
	    chip->pin_retries < 0 || chip->pin_retries > SIM_PIN_RETRIES) {
		r = -EID_EINVAL;
		goto out;
	}
	if (opt->data_dir) {
		if (strlen(opt->data_dir) >= sizeof(chip->data_dir)) {
			r = -EID_EINVAL;
			goto out;
		}
		strcpy(chip->data_dir, opt->data_dir);
	} else if (!sim_default_data_dir(chip->data_dir, sizeof(chip->data_dir))) {
		r = -EID_ENOTFOUND;
		goto out;
	}
	h = &chip->opt.holder;
	if ((r = eid_mrz_key_hash(h->doc_number, h->date_of_birth, h->date_of_expiry,
				  chip->mrz_k)) < 0)
		goto out;
	memcpy(chip->mrz_kseed, chip->mrz_k, sizeof(chip->mrz_kseed));
	/* the eID card has no ICAO LDS: its profile builds its own files */
	if ((r = add_atr_info(chip)) < 0 || (!prof->eid && (r = sim_lds_build(chip)) < 0) ||
	    (r = prof->setup(chip)) < 0 || (!prof->eid && (r = sim_lds_finish(chip)) < 0))
		goto out;
	sim_chip_insert(chip);
	*out = chip;
	chip = NULL;
out:
	sim_chip_free(chip);
	return r;
}

void sim_chip_free(struct sim_chip *chip)
{
	if (!chip)
		return;
	sim_chip_reset(chip);
	for (size_t i = 0; i < chip->n_files; i++)
		eid_buf_free(&chip->files[i].data);
	EVP_PKEY_free(chip->ca_key);
	EVP_PKEY_free(chip->aa_key);
	eid_buf_free(&chip->cvca);
	eid_wipe(chip, sizeof(*chip));
	free(chip);
}
