/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read flow for the German eID application (nPA, eAT), after detect:
 *
 *   PACE with the CAN, or the PIN (with the CAN first when the chip says
 *   the PIN is suspended, with the PUK and RESET RETRY COUNTER when it is
 *   blocked), carrying the CHAT the read needs
 *   -> Terminal Authentication (the chip checks our certificates and our
 *      signature over its PACE key and our ephemeral CA key)
 *   -> EF.CardSecurity -> Chip Authentication v2 with its key
 *   -> SELECT the eID application -> the data groups within the CHAT
 *   -> passive authentication of EF.CardSecurity.
 *
 * A password is only ever used when the caller's secret callback gave it
 * for this read; a refused one ends the read (no retries).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ca.h"
#include "cvc.h"
#include "eidata.h"
#include "file.h"
#include "pa.h"
#include "read_priv.h"
#include "ri.h"
#include "ta.h"

/* The minimum that identifies the holder: DG1-DG5 and DG8. */
#define EID_DEFAULT_DGS ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 8))

struct eid_flow {
	struct flow *f;
	const struct eid_secinfo *pace_info;
	struct eid_pace_algo algo;
	eid_buf chat;          /* the CHAT for the PACE that precedes TA */
	eid_buf pin;           /* the PIN, asked for once */
	uint64_t rights;       /* what this read asks for, within our certificates */
};

static void fail(struct flow *f, const char *detail)
{
	if (!f->detail)
		f->detail = detail;
}

/* One PACE with password pw.  The secret comes from the caller (the PIN
 * once per read); the chip's channel replaces the current one. */
static int pace_once(struct eid_flow *e, enum eid_password pw, bool with_chat, bool resumed)
{
	struct flow *f = e->f;
	struct eid_pace_opts po = { .rng = f->o->rng, .pin_resumed = resumed };
	eid_buf secret;
	const eid_buf *pwd = &secret;
	int r;

	eid_buf_init_secret(&secret);
	if (pw == EID_PW_PIN && e->pin.len) {
		pwd = &e->pin;
	} else {
		/* the counter the chip last told (1: suspended, 0: blocked) */
		if ((r = flow_get_secret(f, pw, f->pace.retry_counter, &secret)) < 0)
			goto out;
		if (pw == EID_PW_PIN && (r = eid_buf_set(&e->pin, secret.data, secret.len)) < 0)
			goto out;
	}
	if (with_chat) {
		po.chat = e->chat.data;
		po.chat_len = e->chat.len;
	}
	f->pw_last = pw;
	eid_pace_result_clear(&f->pace);
	r = eid_pace_run(f->card, &e->algo, e->pace_info->parameter_id, pw, pwd->data, pwd->len,
			 &po, &f->pace);
	if (r == 0)
		flow_use_channel(f, &f->pace.sm);
out:
	eid_buf_free(&secret);
	return r;
}

/* PACE with the PUK, then RESET RETRY COUNTER for the PIN (00 2C 03 03:
 * unblock, keep the PIN). */
static int unblock_pin(struct eid_flow *e)
{
	struct flow *f = e->f;
	struct eid_apdu a = { .cla = 0x00, .ins = 0x2C, .p1 = 0x03, .p2 = 0x03 };
	eid_buf resp = EID_BUF_INIT;
	uint16_t sw = 0;
	int r;

	if ((r = flow_step_begin(f, "puk", 0.1)) < 0)
		return r;
	r = pace_once(e, EID_PW_PUK, false, false);
	if (r == -EID_ENOTFOUND) {
		fail(f, "the PIN is blocked: the PUK is needed");
		return -EID_EBLOCKED;
	}
	if (r < 0)
		return r;
	r = eid_card_transmit(f->card, &a, &resp, &sw);
	eid_buf_free(&resp);
	if (r < 0)
		return r;
	if (sw != EID_SW_OK) {
		fail(f, "the chip refused to reset the PIN retry counter");
		return -EID_ESW;
	}
	f->pace.retry_counter = 3;
	return 0;
}

/* Access control with the password the caller chose (default: the CAN). */
static int access_eid(struct eid_flow *e)
{
	struct flow *f = e->f;
	enum eid_password pw = f->o->password ? f->o->password : EID_PW_CAN;
	int r;

	if ((r = flow_step_begin(f, "pace", 0.05)) < 0)
		return r;
	switch (pw) {
	case EID_PW_CAN:
	case EID_PW_MRZ:
		return pace_once(e, pw, true, false);
	case EID_PW_PUK:
		if ((r = unblock_pin(e)) < 0)
			return r;
		if ((r = flow_step_begin(f, "pace", 0.12)) < 0)
			return r;
		return pace_once(e, EID_PW_PIN, true, false);
	case EID_PW_PIN:
		break;
	default:
		return -EID_EINVAL;
	}
	r = pace_once(e, EID_PW_PIN, true, false);
	if (r == -EID_ESUSPENDED) {
		/* one try left: the chip wants PACE with the CAN first */
		r = pace_once(e, EID_PW_CAN, false, false);
		if (r == -EID_ENOTFOUND) {
			f->pw_last = EID_PW_PIN;
			f->pace.retry_counter = 1;
			fail(f, "the PIN is suspended: the CAN is needed first");
			return -EID_ESUSPENDED;
		}
		if (r < 0)
			return r;
		return pace_once(e, EID_PW_PIN, true, true);
	}
	if (r == -EID_EBLOCKED) {
		if ((r = unblock_pin(e)) < 0) {
			if (r == -EID_EBLOCKED) {
				f->pw_last = EID_PW_PIN;
				f->pace.retry_counter = 0;
			}
			return r;
		}
		if ((r = flow_step_begin(f, "pace", 0.12)) < 0)
			return r;
		return pace_once(e, EID_PW_PIN, true, false);
	}
	if (r == -EID_EDEACTIVATED)
		fail(f, "the eID function of this card is deactivated (the CAN still works for on-site reading)");
	return r;
}

/* The read rights this read needs, within what our certificates grant. */
static uint64_t wanted_rights(const struct flow *f, uint32_t dgs)
{
	const struct eid_ta_creds *c = f->o->terminal;
	uint64_t want = 0, have = ~0ull;
	enum eid_password pw = f->o->password ? f->o->password : EID_PW_CAN;

	for (int dg = 1; dg <= EID_EIDATA_MAX_DG; dg++)
		if (dgs & (1u << dg))
			want |= EID_CVC_AT_READ_DG(dg);
	if (pw == EID_PW_CAN)
		want |= EID_CVC_AT_CAN_ALLOWED;
	if (f->o->ri_sector_pub)
		want |= EID_CVC_AT_RESTRICTED_ID;
	for (size_t i = 0; i < c->n_certs; i++)
		if (c->certs[i]->type == EID_CVC_TYPE_AT)
			have &= c->certs[i]->rights;
	return want & have;
}

/* ChipAuthenticationInfo v2 for every terminal (not a privileged one), and
 * the standardized domain parameters of its key. */
static int ca_setup(struct flow *f, struct eid_ca_ctx *ca)
{
	const struct eid_secinfo *info = NULL, *si, *dp = NULL;
	int r;

	for (size_t i = 0; (si = eid_secinfos_find(f->cardaccess, EID_SI_CA, i)); i++)
		if (si->version == 2 && (!info || (info->privileged && !si->privileged)))
			info = si;
	if (!info)
		return -EID_ENOTSUP;
	for (size_t i = 0; (si = eid_secinfos_find(f->cardaccess, EID_SI_CA_DP, i)); i++)
		if (!dp || (info->key_id >= 0 && si->key_id == info->key_id))
			dp = si;
	if (!dp || dp->std_param_id < 0)
		return -EID_ENOTSUP;
	if ((r = eid_ca_init_raw(ca, info->oid, info->oid_len, 2, info->key_id, dp->std_param_id,
				 NULL, 0)) < 0)
		return r;
	return eid_ca_keygen(ca, f->o->rng);
}

static int terminal_auth(struct flow *f, const struct eid_ca_ctx *ca)
{
	struct eid_ta_opts to = { .rng = f->o->rng };
	eid_buf comp = EID_BUF_INIT;
	int r;

	if ((r = flow_step_begin(f, "ta", 0.2)) < 0)
		return r;
	if ((r = eid_ca_compressed_pub(ca, &comp)) < 0)
		goto out;
	f->res->v.terminal_auth = "failed";
	r = eid_ta_run(f->card, f->o->terminal, f->pace.car1, f->pace.car2, f->pace.id_icc,
		       f->pace.id_icc_len, comp.data, comp.len, &to);
	if (r == 0)
		f->res->v.terminal_auth = "valid";
	else if (r == -EID_ECERT)
		fail(f, "no terminal certificate is valid today and accepted by this chip's CVCA");
	else if (r == -EID_EAUTH)
		fail(f, "the chip refused the terminal's certificates or signature");
out:
	eid_buf_free(&comp);
	return r;
}

/* EF.CardSecurity, then CA v2 with the key it lists. */
static int chip_auth(struct flow *f, struct eid_ca_ctx *ca)
{
	const eid_buf *cs = &f->res->files[EID_FILE_CARDSECURITY];
	const struct eid_secinfo *pk;
	struct eid_sm sm;
	int r;

	if ((r = flow_step_begin(f, "read:CardSecurity", 0.3)) < 0)
		return r;
	f->res->v.chip_auth = "failed";
	r = flow_read_file(f, EID_FILE_CARDSECURITY);
	if (r < 0)
		return flow_fatal(r) ? r : 0;
	if (eid_secinfos_parse_cardsecurity(cs->data, cs->len, &f->cardsecurity) < 0)
		return 0;
	(void)eid_pa_sod_parse(cs->data, cs->len, &f->sod);
	pk = ca->key_id >= 0 ? eid_secinfos_find_key(f->cardsecurity, EID_SI_CA_PK, ca->key_id)
			     : eid_secinfos_find(f->cardsecurity, EID_SI_CA_PK, 0);
	if (!pk || eid_ca_set_chip_key(ca, pk) < 0)
		return 0;
	if ((r = flow_step_begin(f, "ca", 0.35)) < 0)
		return r;
	r = eid_ca_run(f->card, ca, &sm);
	if (r < 0)
		return flow_fatal(r) ? r : 0;
	flow_use_channel(f, &sm);
	f->res->v.chip_auth = "valid";
	return 0;
}

static int read_eid_dgs(struct flow *f, uint32_t dgs, uint64_t rights)
{
	int r;

	if ((r = flow_step_begin(f, "select:eID", 0.4)) < 0)
		return r;
	if ((r = eid_file_select_aid(f->card, eid_eidata_aid, sizeof(eid_eidata_aid))) < 0)
		return r;
	for (int dg = 1; dg <= EID_EIDATA_MAX_DG; dg++) {
		if (!(dgs & (1u << dg)))
			continue;
		if (!(rights & EID_CVC_AT_READ_DG(dg))) {
			/* not in the CHAT: the chip would refuse it, so do not ask */
			f->res->read_error[dg] = -EID_EACCESS;
			continue;
		}
		if ((r = flow_read_dg(f, dg, 0.45 + 0.02 * dg)) < 0)
			return r;
	}
	return 0;
}

/* Restricted Identification with the caller's sector key, when the CHAT
 * grants it; a refusal or an unusable key leaves the ID empty. */
static int restricted_id(struct flow *f, uint64_t rights)
{
	eid_buf point = EID_BUF_INIT, id;
	int key_id, param_id, r;

	if (!f->o->ri_sector_pub || !(rights & EID_CVC_AT_RESTRICTED_ID))
		return 0;
	eid_buf_init_secret(&id);
	if (eid_ri_select(f->cardsecurity, &key_id, &param_id) < 0 ||
	    eid_ri_sector_point(f->o->ri_sector_pub, f->o->ri_sector_pub_len, param_id, &point) < 0) {
		r = 0;
		goto out;
	}
	if ((r = flow_step_begin(f, "ri", 0.9)) < 0)
		goto out;
	r = eid_ri_run(f->card, key_id, point.data, point.len, &id);
	if (r < 0) {
		r = flow_fatal(r) ? r : 0;
		goto out;
	}
	eid_buf_init_secret(&f->res->restricted_id);
	r = eid_buf_set(&f->res->restricted_id, id.data, id.len);
out:
	eid_buf_free(&id);
	eid_buf_free(&point);
	return r;
}

static bool iso_date_past(const char *iso, time_t at)
{
	struct tm tm;

	/* only full dates: a partial expiry date is not judged */
	if (!iso || strlen(iso) != 10)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(iso) - 1900;
	tm.tm_mon = atoi(iso + 5) - 1;
	tm.tm_mday = atoi(iso + 8);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	return timegm(&tm) < at;
}

static void eid_verdict(struct flow *f, uint32_t dgs)
{
	struct eid_read_result *res = f->res;
	struct eid_read_verification *v = &res->v;
	time_t at = f->o->verify_time ? f->o->verify_time : time(NULL);
	bool ok = v->pa.status == EID_PA_VALID && v->pa.revocation != EID_PA_REV_REVOKED &&
		  !strcmp(v->chip_auth, "valid") && !strcmp(v->terminal_auth, "valid");

	for (int dg = 1; dg <= EID_EIDATA_MAX_DG; dg++)
		if ((dgs & (1u << dg)) && res->read_error[dg] &&
		    res->read_error[dg] != -EID_EACCESS && res->read_error[dg] != -EID_ENOTFOUND)
			ok = false;
	v->clone_resistant = !strcmp(v->chip_auth, "valid");
	v->document_expired = iso_date_past(res->holder.date_of_expiry, at);
	v->verdict = ok ? "verified" : "not-verified";
}

int flow_eid(struct flow *f)
{
	struct eid_read_result *res = f->res;
	struct eid_read_verification *v = &res->v;
	const struct eid_cvc *term = eid_ta_creds_terminal(f->o->terminal);
	uint32_t dgs = f->o->dgs ? f->o->dgs : EID_DEFAULT_DGS;
	struct eid_ca_ctx ca;
	struct eid_flow e;
	time_t now = time(NULL);
	int r;

	res->kind = EID_DOC_EID;
	v->active_auth = "not-supported";
	memset(&ca, 0, sizeof(ca));
	memset(&e, 0, sizeof(e));
	e.f = f;
	eid_buf_init_secret(&e.pin);
	if (!term) {
		fail(f, "the German eID needs terminal authentication: no terminal certificate is configured");
		return -EID_ENOCREDS;
	}
	/* our own certificates must be valid before any password is spent */
	for (size_t i = 0; i < f->o->terminal->n_certs; i++)
		if (!eid_cvc_valid_at(f->o->terminal->certs[i], now)) {
			fail(f, "a terminal certificate is expired or not yet valid");
			return -EID_ECERT;
		}
	memcpy(v->terminal_chr, term->chr, sizeof(v->terminal_chr));
	if (!f->cardaccess || !(e.pace_info = flow_choose_pace(f->cardaccess, &e.algo))) {
		fail(f, "the chip offers no PACE this reader supports");
		return -EID_ENOTSUP;
	}
	if ((r = ca_setup(f, &ca)) < 0) {
		fail(f, "the chip offers no Chip Authentication v2 this reader supports");
		goto out;
	}
	e.rights = wanted_rights(f, dgs);
	if ((r = eid_ta_chat(f->o->terminal, e.rights, &e.chat)) < 0)
		goto out;
	if ((r = access_eid(&e)) < 0)
		goto out;
	f->secured = true;
	v->access = "pace";
	v->password = eid_password_name(f->pw_last);
	v->pace_mapping = e.algo.mapping == EID_PACE_CAM ? "cam"
			  : e.algo.mapping == EID_PACE_IM ? "im" : "gm";
	v->effective_rights = e.rights;
	if ((r = terminal_auth(f, &ca)) < 0)
		goto out;
	if ((r = chip_auth(f, &ca)) < 0)
		goto out;
	if (!strcmp(v->chip_auth, "valid") && (r = read_eid_dgs(f, dgs, e.rights)) < 0)
		goto out;
	if (!strcmp(v->chip_auth, "valid") && (r = restricted_id(f, e.rights)) < 0)
		goto out;
	if ((r = flow_step_begin(f, "pa", 0.95)) < 0)
		goto out;
	if (f->sod) {
		if ((r = eid_pa_verify(f->sod, f->o->trust, f->o->verify_time, NULL, 0, &v->pa)) < 0)
			goto out;
	} else {
		v->pa.status = EID_PA_NOT_PERFORMED;
	}
	flow_step_end(f);
	for (int dg = 1; dg <= EID_EIDATA_MAX_DG; dg++)
		if (res->have[dg] && eid_eidata_decode(dg, res->files[dg].data, res->files[dg].len,
							&res->holder) < 0)
			res->read_error[dg] = -EID_EPARSE;
	eid_verdict(f, dgs);
	r = 0;
out:
	eid_ca_clear(&ca);
	eid_buf_free(&e.chat);
	eid_buf_free(&e.pin);
	return r;
}
