/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aa.h"
#include "bac.h"
#include "ca.h"
#include "file.h"
#include "holder.h"
#include "read.h"
#include "read_priv.h"
#include "secinfo.h"
#include "sm.h"
#include "tlv.h"

static const uint8_t aid_mrtd[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };


double flow_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

void flow_step_end(struct flow *f)
{
	struct eid_read_result *res = f->res;

	if (!f->step || res->n_steps >= EID_READ_MAX_STEPS)
		return;
	res->steps[res->n_steps].name = f->step;
	res->steps[res->n_steps].seconds = flow_since(&f->step_t0);
	res->steps[res->n_steps].apdus = f->card->stats.apdus - f->step_apdus;
	res->n_steps++;
	f->step = NULL;
}

/* Start a named step: report progress, and stop here when cancelled. */
int flow_step_begin(struct flow *f, const char *name, double fraction)
{
	flow_step_end(f);
	if (f->o->cancelled && f->o->cancelled(f->o->cb_ctx))
		return -EID_ECANCELLED;
	if (f->o->progress)
		f->o->progress(f->o->cb_ctx, name, fraction);
	f->step = name;
	f->step_apdus = f->card->stats.apdus;
	clock_gettime(CLOCK_MONOTONIC, &f->step_t0);
	return 0;
}

void flow_use_channel(struct flow *f, struct eid_sm *sm)
{
	if (&f->sm != sm) {
		eid_sm_clear(&f->sm);
		f->sm = *sm;
		eid_sm_clear(sm);
	}
	f->card->sm = &f->sm;
}

#define DG_NAMES(p) \
	NULL, p "DG1", p "DG2", p "DG3", p "DG4", p "DG5", p "DG6", p "DG7", p "DG8", p "DG9", \
	p "DG10", p "DG11", p "DG12", p "DG13", p "DG14", p "DG15", p "DG16", p "DG17", \
	p "DG18", p "DG19", p "DG20", p "DG21", p "DG22"

static const char *const dg_names[EID_FILE_COUNT] = {
	DG_NAMES(""), "EF.COM", "EF.SOD", "EF.CardAccess", "EF.CardSecurity",
};

static const char *const dg_short_names[EID_FILE_COUNT] = {
	DG_NAMES(""), "COM", "SOD", "CardAccess", "CardSecurity",
};

const char *const flow_read_step_names[EID_FILE_COUNT] = {
	DG_NAMES("read:"), "read:COM", "read:SOD", "read:CardAccess", "read:CardSecurity",
};

const char *eid_read_file_name(int file)
{
	return file >= 1 && file < EID_FILE_COUNT ? dg_names[file] : NULL;
}

const char *eid_read_file_short_name(int file)
{
	return file >= 1 && file < EID_FILE_COUNT ? dg_short_names[file] : NULL;
}

int eid_read_parse_dg(const char *name, int *dg)
{
	int n = 0;

	if (!name || strncasecmp(name, "DG", 2) != 0)
		return -EID_EINVAL;
	name += 2;
	if (name[0] < '1' || name[0] > '9')
		return -EID_EINVAL;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || n > 2)
			return -EID_EINVAL;
		n = n * 10 + (*name - '0');
	}
	if (n < 1 || n > 22)
		return -EID_EINVAL;
	*dg = n;
	return 0;
}

const char *eid_doc_kind_name(enum eid_doc_kind k)
{
	switch (k) {
	case EID_DOC_MRTD:
		return "icao-mrtd";
	case EID_DOC_EID:
		return "de-eid";
	default:
		return "unknown";
	}
}

uint8_t flow_file_sfi(int file)
{
	switch (file) {
	case EID_FILE_COM:
		return 0x1E;
	case EID_FILE_SOD:
		return 0x1D;
	case EID_FILE_CARDACCESS:
		return 0x1C;
	case EID_FILE_CARDSECURITY:
		return 0x1D;
	default:
		return (uint8_t)file;
	}
}

/* Read a file once; later calls return what was read. */
int flow_read_file(struct flow *f, int file)
{
	struct eid_read_result *res = f->res;
	int r;

	if (res->have[file])
		return 0;
	if (f->o->cancelled && f->o->cancelled(f->o->cb_ctx))
		return -EID_ECANCELLED;
	if (f->secured && !f->card->sm)
		return -EID_ESMCLOSED; /* never read in plain after access control */
	/* EF.CardAccess is read by SFI only: a chip that has one must allow
	 * that, and a passport without one should not cost an extra SELECT */
	if (file == EID_FILE_CARDACCESS)
		r = eid_file_read_sfi(f->card, flow_file_sfi(file), &res->files[file]);
	else
		r = eid_file_read(f->card, flow_file_sfi(file), &res->files[file]);
	if (r == 0)
		res->have[file] = true;
	return r;
}

int flow_get_secret(struct flow *f, enum eid_password kind, int retries, eid_buf *out)
{
	if (!f->o->secret)
		return -EID_ENOTFOUND;
	return f->o->secret(f->o->cb_ctx, kind, retries, out);
}

/* ---- detect ---- */

/* The best PACEInfo we support: CAM, then GM, then IM. */
const struct eid_secinfo *flow_choose_pace(const struct eid_secinfos *set,
					     struct eid_pace_algo *algo)
{
	static const enum eid_pace_mapping order[] = { EID_PACE_CAM, EID_PACE_GM, EID_PACE_IM };
	const struct eid_secinfo *si;

	for (size_t m = 0; m < sizeof(order) / sizeof(order[0]); m++)
		for (size_t i = 0; (si = eid_secinfos_find(set, EID_SI_PACE, i)); i++) {
			if (si->version != 2 || !eid_pace_param_id_supported(si->parameter_id) ||
			    eid_pace_algo_from_oid(si->oid, si->oid_len, algo) < 0)
				continue;
			if (algo->mapping == order[m])
				return si;
		}
	return NULL;
}

static int detect(struct flow *f)
{
	eid_buf *ca = &f->res->files[EID_FILE_CARDACCESS];
	int r;

	if ((r = flow_step_begin(f, "detect", 0.0)) < 0)
		return r;
	if (f->card->extended_probe) {
		/* EF.CardAccess is read in plain: a refused extended APDU costs
		 * nothing here, so it tells whether reader and chip take them */
		f->card->extended_probe = false;
		f->card->extended_length = true;
		f->card->last_read_le = 0;
		r = flow_read_file(f, EID_FILE_CARDACCESS);
		if (r == -EID_ETRANSPORT || f->card->last_read_le <= EID_LE_MAX_SHORT) {
			f->card->extended_length = false;
			f->card->read_le = 0;
			if (r == -EID_ETRANSPORT)
				r = flow_read_file(f, EID_FILE_CARDACCESS);
		}
	} else {
		r = flow_read_file(f, EID_FILE_CARDACCESS);
	}
	if (r == -EID_ENOTFOUND || r == -EID_EACCESS || r == -EID_ESW || r == -EID_EPARSE)
		return 0; /* no EF.CardAccess: no PACE */
	if (r < 0)
		return r;
	if (eid_secinfos_parse(ca->data, ca->len, &f->cardaccess) < 0)
		f->cardaccess = NULL; /* unusable: as if PACE were not offered */
	return 0;
}

/* ---- access control ---- */

static int do_pace(struct flow *f, const struct eid_secinfo *info, const struct eid_pace_algo *algo)
{
	enum eid_password pw = f->o->password ? f->o->password : EID_PW_MRZ;
	struct eid_pace_opts po = { .rng = f->o->rng };
	eid_buf secret;
	int r;

	f->pw_last = pw;
	if ((r = flow_step_begin(f, "pace", 0.05)) < 0)
		return r;
	eid_buf_init_secret(&secret);
	if ((r = flow_get_secret(f, pw, -1, &secret)) < 0)
		goto out;
	r = eid_pace_run(f->card, algo, info->parameter_id, pw, secret.data, secret.len, &po, &f->pace);
	if (r < 0)
		goto out;
	flow_use_channel(f, &f->pace.sm);
	f->res->v.access = "pace";
	f->res->v.password = eid_password_name(pw);
	f->res->v.pace_mapping = algo->mapping == EID_PACE_CAM ? "cam"
				: algo->mapping == EID_PACE_IM ? "im" : "gm";
	f->cam = algo->mapping == EID_PACE_CAM;
out:
	eid_buf_free(&secret);
	return r;
}

static int do_bac(struct flow *f)
{
	struct eid_sm sm;
	eid_buf secret;
	int r;

	f->pw_last = EID_PW_MRZ;
	if ((r = flow_step_begin(f, "bac", 0.05)) < 0)
		return r;
	eid_buf_init_secret(&secret);
	if ((r = flow_get_secret(f, EID_PW_MRZ, -1, &secret)) < 0)
		goto out;
	if (secret.len != 20) {
		r = -EID_EINVAL;
		goto out;
	}
	r = eid_bac_authenticate(f->card, secret.data, f->o->rng, &sm);
	if (r == -EID_EAUTH)
		r = -EID_EPASSWORD;
	if (r < 0)
		goto out;
	flow_use_channel(f, &sm);
	f->res->v.access = "bac";
	f->res->v.password = "mrz";
out:
	eid_buf_free(&secret);
	return r;
}

static int access_control(struct flow *f)
{
	struct eid_pace_algo algo;
	const struct eid_secinfo *info = f->cardaccess ? flow_choose_pace(f->cardaccess, &algo) : NULL;
	int r;

	if (info) {
		r = do_pace(f, info, &algo);
		if (r == 0)
			return eid_file_select_aid(f->card, aid_mrtd, sizeof(aid_mrtd));
		/* a refused password, a cancel or a lost card end the read; other
		 * PACE failures fall back to BAC only when the caller allows */
		if (r == -EID_EPASSWORD || r == -EID_EBLOCKED || r == -EID_ESUSPENDED ||
		    r == -EID_EDEACTIVATED || r == -EID_ECANCELLED ||
		    r == -EID_ENOCARD || r == -EID_ENOTFOUND || !f->o->allow_bac)
			return r;
		f->res->v.pace_error = r;
		eid_card_end_sm(f->card);
	} else if (!f->o->allow_bac) {
		return -EID_ENOTSUP; /* PACE not offered and BAC not allowed */
	}
	if ((r = eid_file_select_aid(f->card, aid_mrtd, sizeof(aid_mrtd))) < 0)
		return r == -EID_ENOTFOUND ? -EID_ENOTSUP : r;
	return do_bac(f);
}

/* ---- chip authentication ---- */

static bool sod_lists(const struct flow *f, unsigned dg)
{
	unsigned n;
	eid_cbs h;

	if (!f->sod)
		return true; /* without a security object, try */
	for (size_t i = 0; eid_pa_sod_dg(f->sod, i, &n, &h); i++)
		if (n == dg)
			return true;
	return false;
}

static int read_dg14(struct flow *f)
{
	eid_buf *dg14 = &f->res->files[14];
	int r;

	if (!sod_lists(f, 14))
		return -EID_ENOTFOUND;
	if ((r = flow_step_begin(f, "read:DG14", 0.3)) < 0)
		return r;
	if ((r = flow_read_file(f, 14)) < 0)
		return r;
	return eid_secinfos_parse_dg14(dg14->data, dg14->len, &f->dg14);
}

static int check_cam(struct flow *f)
{
	const struct eid_secinfo *pk = f->dg14 ? eid_secinfos_find(f->dg14, EID_SI_CA_PK, 0) : NULL;

	if (!pk)
		return -EID_ENOTFOUND;
	return eid_pace_cam_verify(&f->pace, eid_cbs_data(&pk->public_key),
				   eid_cbs_len(&pk->public_key));
}

static int do_ca(struct flow *f)
{
	const struct eid_secinfo *pk = eid_secinfos_find(f->dg14, EID_SI_CA_PK, 0);
	const struct eid_secinfo *info = eid_secinfos_find(f->dg14, EID_SI_CA, 0);
	struct eid_ca_ctx ca;
	struct eid_sm sm;
	int r;

	if ((r = flow_step_begin(f, "ca", 0.35)) < 0)
		return r;
	if (info && pk && info->key_id >= 0)
		pk = eid_secinfos_find_key(f->dg14, EID_SI_CA_PK, info->key_id);
	if (!pk)
		return -EID_ENOTFOUND;
	if ((r = eid_ca_init(&ca, info, pk)) < 0)
		return r;
	if ((r = eid_ca_keygen(&ca, f->o->rng)) == 0 && (r = eid_ca_run(f->card, &ca, &sm)) == 0)
		flow_use_channel(f, &sm);
	eid_ca_clear(&ca);
	return r;
}

static int do_aa(struct flow *f)
{
	struct eid_lds_dg15 dg15;
	const struct eid_secinfo *aa = f->dg14 ? eid_secinfos_find(f->dg14, EID_SI_AA, 0) : NULL;
	int r;

	if ((r = flow_step_begin(f, "read:DG15", 0.4)) < 0)
		return r;
	if ((r = flow_read_file(f, 15)) < 0)
		return r;
	if ((r = flow_step_begin(f, "aa", 0.45)) < 0)
		return r;
	memset(&dg15, 0, sizeof(dg15));
	if ((r = eid_lds_dg15_parse(f->res->files[15].data, f->res->files[15].len, &dg15)) < 0)
		return r;
	r = eid_aa_authenticate(f->card, dg15.spki.data, dg15.spki.len,
				aa ? eid_cbs_data(&aa->sig_alg) : NULL, aa ? eid_cbs_len(&aa->sig_alg) : 0,
				f->o->rng);
	eid_lds_dg15_clear(&dg15);
	return r;
}

/* Fatal for the read: the card or the channel is gone. */
bool flow_fatal(int r)
{
	return r == -EID_ENOCARD || r == -EID_ECANCELLED || r == -EID_ETRANSPORT ||
	       r == -EID_ESMCLOSED || r == -EID_EMAC || r == -EID_ESM;
}

static int chip_authentication(struct flow *f)
{
	struct eid_read_verification *v = &f->res->v;
	int r;

	v->chip_auth = "not-supported";
	v->active_auth = "not-performed";
	r = read_dg14(f);
	if (r == -EID_ECANCELLED || r == -EID_ENOCARD || r == -EID_ETRANSPORT)
		return r;
	/* the signed EF.SOD says there is a DG14, yet it cannot be read: never
	 * "not supported", which would let a downgrade pass */
	if (r < 0 && f->sod && sod_lists(f, 14))
		v->chip_auth = "failed";
	if (f->cam) {
		/* PACE-CAM was run: its check needs DG14's key, missing or not */
		r = check_cam(f);
		v->chip_auth = r == 0 ? "valid" : "failed";
	} else if (f->dg14 && eid_secinfos_find(f->dg14, EID_SI_CA_PK, 0)) {
		r = do_ca(f);
		if (r == -EID_ECANCELLED || r == -EID_ENOCARD || r == -EID_ETRANSPORT)
			return r;
		v->chip_auth = r == 0 ? "valid" : "failed";
		/* a failed CA leaves no usable channel: stop reading, keep the verdict */
		if (r < 0 && !f->card->sm)
			return 0;
	}
	if (strcmp(v->chip_auth, "valid") != 0 && sod_lists(f, 15) && f->card->sm) {
		r = do_aa(f);
		if (r == -EID_ECANCELLED || r == -EID_ENOCARD || r == -EID_ETRANSPORT)
			return r;
		/* a DG15 the EF.SOD lists must be there */
		v->active_auth = r == 0 ? "valid"
				: r == -EID_ENOTFOUND && !f->sod ? "not-supported" : "failed";
	} else if (strcmp(v->chip_auth, "valid") != 0) {
		v->active_auth = f->sod && sod_lists(f, 15) ? "failed" : "not-supported";
	}
	return 0;
}

/* ---- data groups and verification ---- */

int flow_read_dg(struct flow *f, int dg, double fraction)
{
	int r;

	if ((r = flow_step_begin(f, flow_read_step_names[dg], fraction)) < 0)
		return r;
	r = flow_read_file(f, dg);
	if (r < 0 && flow_fatal(r))
		return r;
	/* a file the chip refuses or sends malformed is not read; the
	 * result says why */
	if (r < 0)
		f->res->read_error[dg] = r;
	return 0;
}

static int read_data_groups(struct flow *f)
{
	uint32_t dgs = f->o->dgs ? f->o->dgs : 1u << 1;
	int r;

	for (int dg = 1; dg <= 16; dg++) {
		if (!(dgs & (1u << dg)) || !sod_lists(f, (unsigned)dg))
			continue;
		if (!f->card->sm) {
			f->res->read_error[dg] = -EID_ESMCLOSED;
			continue;
		}
		if ((r = flow_read_dg(f, dg, 0.5 + 0.03 * dg)) < 0)
			return r;
	}
	return 0;
}

/* Past the end of the expiry day (UTC)? */
static bool expired(const char *yymmdd, time_t at)
{
	struct tm now, tm;
	int year;

	if (!gmtime_r(&at, &now))
		return false;
	year = eid_mrz_year(yymmdd, false, now.tm_year + 1900);
	if (year < 0)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0') - 1;
	tm.tm_mday = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	return timegm(&tm) < at;
}

static int verify(struct flow *f)
{
	struct eid_read_result *res = f->res;
	struct eid_pa_dg dgs[16];
	size_t n = 0;
	int r;

	if ((r = flow_step_begin(f, "pa", 0.95)) < 0)
		return r;
	for (int dg = 1; dg <= 16; dg++)
		if (res->have[dg]) {
			dgs[n].number = (unsigned)dg;
			dgs[n].data = res->files[dg].data;
			dgs[n].len = res->files[dg].len;
			n++;
		}
	if (f->sod)
		return eid_pa_verify(f->sod, f->o->trust, f->o->verify_time, dgs, n, &res->v.pa);
	res->v.pa.status = EID_PA_NOT_PERFORMED;
	return 0;
}

static int set_str(char **field, const char *s)
{
	return s && *s ? eid_holder_set(field, s, strlen(s)) : 0;
}

static int set_date(char **field, const char *yymmdd, bool birth, int year)
{
	char iso[11];

	eid_mrz_iso_date(yymmdd, birth, year, iso);
	return set_str(field, iso);
}

/* The passport holder as the D-Bus result names it: MRZ fields, and the
 * place of birth from DG11 ('<' separates its parts). */
static int holder_from_mrtd(struct eid_read_result *res, time_t at)
{
	struct eid_holder *h = &res->holder;
	const struct eid_mrz *m = &res->mrz;
	struct tm tm;
	int year, r = 0;

	if (!gmtime_r(&at, &tm))
		return -EID_EINVAL;
	year = tm.tm_year + 1900;
	if (res->have_mrz) {
		r |= set_str(&h->document_type, m->document_code);
		r |= set_str(&h->issuing_state, m->issuing_state);
		r |= set_str(&h->document_number, m->document_number);
		r |= set_date(&h->date_of_expiry, m->date_of_expiry, false, year);
		r |= set_date(&h->date_of_birth, m->date_of_birth, true, year);
		r |= set_str(&h->given_names, m->given_names);
		r |= set_str(&h->family_name, m->family_name);
		r |= set_str(&h->nationality, m->nationality);
		r |= set_str(&h->sex, m->sex);
	}
	if (res->have[1]) {
		struct eid_lds_dg1 dg1;

		if (eid_lds_dg1_parse(res->files[1].data, res->files[1].len, &dg1) == 0)
			r |= eid_holder_set(&h->mrz, dg1.mrz, dg1.mrz_len);
		eid_lds_dg1_clear(&dg1);
	}
	if (res->dg11 && res->dg11->place_of_birth) {
		char *p;

		r |= set_str(&h->place_of_birth, res->dg11->place_of_birth);
		for (p = h->place_of_birth; p && *p; p++)
			if (*p == '<')
				*p = ' ';
	}
	return r ? -EID_ENOMEM : 0;
}

static void decode(struct flow *f)
{
	struct eid_read_result *res = f->res;

	if (res->have[1] && eid_lds_dg1_parse_mrz(res->files[1].data, res->files[1].len, &res->mrz) == 0)
		res->have_mrz = true;
	if (res->have[2])
		(void)eid_lds_dg2_parse(res->files[2].data, res->files[2].len, &res->dg2);
	if (res->have[11])
		(void)eid_lds_dg11_parse(res->files[11].data, res->files[11].len, &res->dg11);
	if (res->have[12])
		(void)eid_lds_dg12_parse(res->files[12].data, res->files[12].len, &res->dg12);
	(void)holder_from_mrtd(res, f->o->verify_time ? f->o->verify_time : time(NULL));
}

static void verdict(struct flow *f)
{
	struct eid_read_verification *v = &f->res->v;
	bool ok = v->pa.status == EID_PA_VALID && v->pa.revocation != EID_PA_REV_REVOKED;
	bool offered = strcmp(v->chip_auth, "not-supported") != 0 ||
		       strcmp(v->active_auth, "not-supported") != 0;
	time_t at = f->o->verify_time ? f->o->verify_time : time(NULL);

	for (size_t i = 0; i < v->pa.n_dgs; i++)
		if (v->pa.dgs[i].state != EID_PA_DG_MATCH)
			ok = false;
	for (int dg = 1; dg <= 16; dg++)
		if (f->res->read_error[dg] && f->res->read_error[dg] != -EID_EACCESS)
			ok = false;
	v->clone_resistant = !strcmp(v->chip_auth, "valid") || !strcmp(v->active_auth, "valid");
	if (offered && !v->clone_resistant)
		ok = false;
	v->document_expired = f->res->have_mrz && expired(f->res->mrz.date_of_expiry, at);
	v->verdict = ok ? "verified" : "not-verified";
}

/* The eMRTD flow after detect. */
static int flow_mrtd(struct flow *f)
{
	int r;

	f->res->kind = EID_DOC_MRTD;
	if ((r = access_control(f)) < 0)
		return r;
	f->secured = true;
	if ((r = flow_step_begin(f, "read:SOD", 0.2)) < 0)
		return r;
	r = flow_read_file(f, EID_FILE_SOD);
	if (flow_fatal(r))
		return r;
	if (r == 0 && eid_pa_sod_parse(f->res->files[EID_FILE_SOD].data,
				       f->res->files[EID_FILE_SOD].len, &f->sod) < 0)
		f->sod = NULL;
	if ((r = chip_authentication(f)) < 0 || (r = read_data_groups(f)) < 0 ||
	    (r = verify(f)) < 0)
		return r;
	flow_step_end(f);
	decode(f);
	verdict(f);
	return 0;
}

bool flow_is_eid(const struct flow *f)
{
	const struct eid_secinfo *si;

	if (!f->cardaccess || !eid_secinfos_find(f->cardaccess, EID_SI_TA, 0))
		return false;
	for (size_t i = 0; (si = eid_secinfos_find(f->cardaccess, EID_SI_CA, i)); i++)
		if (si->version == 2)
			return true;
	return false;
}

int eid_read(struct eid_card *card, const struct eid_read_opts *opts,
	     struct eid_read_result **out, struct eid_read_status *st)
{
	struct flow f;
	struct eid_card_stats before;
	int r;

	if (st) {
		memset(st, 0, sizeof(*st));
		st->retry_counter = -1;
	}
	if (!out)
		return -EID_EINVAL;
	*out = NULL;
	if (!card || !opts)
		return -EID_EINVAL;
	before = card->stats;
	memset(&f, 0, sizeof(f));
	f.card = card;
	f.o = opts;
	f.st = st;
	f.res = calloc(1, sizeof(*f.res));
	if (!f.res)
		return -EID_ENOMEM;
	for (int i = 0; i < EID_FILE_COUNT; i++)
		eid_buf_init_secret(&f.res->files[i]);
	f.res->v.chip_auth = "not-performed";
	f.res->v.active_auth = "not-performed";
	f.res->v.terminal_auth = "not-performed";
	f.res->v.verdict = "not-verified";
	f.pace.retry_counter = -1;
	clock_gettime(CLOCK_MONOTONIC, &f.t0);

	if ((r = detect(&f)) < 0)
		goto out;
	if (opts->kind == EID_DOC_EID || (opts->kind == EID_DOC_AUTO && flow_is_eid(&f)))
		r = flow_eid(&f);
	else
		r = flow_mrtd(&f);
out:
	if (r < 0 && st) {
		st->step = f.step;
		st->detail = f.detail;
		st->retry_counter = f.pace.retry_counter;
		st->password = f.pw_last ? f.pw_last
			       : opts->password ? opts->password : EID_PW_MRZ;
		st->kind = f.res->kind;
		st->access = f.res->v.access;
		st->tried = f.pw_last;
		memcpy(st->terminal_chr, f.res->v.terminal_chr, sizeof(st->terminal_chr));
	}
	flow_step_end(&f);
	f.res->seconds = flow_since(&f.t0);
	f.res->stats.apdus = card->stats.apdus - before.apdus;
	f.res->stats.bytes_out = card->stats.bytes_out - before.bytes_out;
	f.res->stats.bytes_in = card->stats.bytes_in - before.bytes_in;
	eid_card_end_sm(card);
	eid_sm_clear(&f.sm);
	eid_pace_result_clear(&f.pace);
	eid_secinfos_free(f.cardaccess);
	eid_secinfos_free(f.dg14);
	eid_secinfos_free(f.cardsecurity);
	eid_pa_sod_free(f.sod);
	if (r < 0)
		eid_read_result_free(f.res);
	else
		*out = f.res;
	return r;
}

int eid_read_mrtd(struct eid_card *card, const struct eid_read_opts *opts,
		  struct eid_read_result **out)
{
	struct eid_read_opts o = *opts;

	o.kind = EID_DOC_MRTD;
	return eid_read(card, &o, out, NULL);
}

void eid_read_result_free(struct eid_read_result *res)
{
	if (!res)
		return;
	for (int i = 0; i < EID_FILE_COUNT; i++)
		eid_buf_free(&res->files[i]);
	eid_mrz_clear(&res->mrz);
	eid_lds_dg2_free(res->dg2);
	eid_lds_dg11_free(res->dg11);
	eid_lds_dg12_free(res->dg12);
	eid_holder_clear(&res->holder);
	eid_buf_free(&res->restricted_id);
	eid_wipe(res, sizeof(*res));
	free(res);
}
