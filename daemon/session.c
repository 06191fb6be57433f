/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sessions: one read on one reader for one caller.  The card I/O runs on a
 * worker thread; it talks to the main loop only through the fields under
 * the session's lock and the notify eventfd.  A secret the read needs and
 * the caller has not given makes the worker wait (state need-secret) until
 * SupplySecret/SupplyMrz, Cancel, Close, the owner leaving or expiry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "audit.h"
#include "errmap.h"
#include "log.h"

#define CARD_POLL_MS 100

static const char *const state_names[] = {
	"waiting-card", "need-secret", "authenticating", "reading",
	"verifying",    "done",        "failed",         "cancelled",
};

const char *eidd_state_name(enum eidd_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "";
}

int eidd_session_new(struct eidd *d, struct eidd_reader *r, const char *owner,
		     struct eidd_request *req, bool oneshot, struct eidd_session **out)
{
	struct eidd_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -EID_ENOMEM;
	s->d = d;
	s->id = d->next_session_id++;
	snprintf(s->path, sizeof(s->path), EIDD_SESSION_PATH "/%u", s->id);
	snprintf(s->owner, sizeof(s->owner), "%s", owner);
	s->reader = r;
	snprintf(s->reader_name, sizeof(s->reader_name), "%s", r->name);
	s->driver = r->driver;
	s->req = *req;
	memset(req, 0, sizeof(*req));
	s->dgs = eidd_request_dgs(&s->req, d->cfg.data_groups);
	if (!s->req.allow_bac_given)
		s->req.allow_bac = d->cfg.allow_bac;
	s->trust = eidd_trust_ref(d->trust);
	s->creds = d->creds;
	s->oneshot = oneshot;
	s->expires_ms = eidd_now_ms() + (uint64_t)d->cfg.expiry_seconds * 1000u;
	s->uid = s->pid = -1;
	s->state = EIDD_ST_WAITING_CARD;
	s->step = "";
	s->retry_counter = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->next = d->sessions;
	d->sessions = s;
	*out = s;
	return 0;
}

void eidd_session_free(struct eidd_session *s)
{
	struct eidd_session **pp;

	if (!s)
		return;
	for (pp = &s->d->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	if (s->reader && s->reader->busy == s)
		s->reader->busy = NULL;
	eid_read_result_free(s->res);
	eidd_request_clear(&s->req);
	eidd_trust_unref(s->trust);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	eid_wipe(s, sizeof(*s));
	free(s);
}

struct eidd_session *eidd_session_by_path(struct eidd *d, const char *path)
{
	for (struct eidd_session *s = d->sessions; s; s = s->next)
		if (!s->closed && !strcmp(s->path, path))
			return s;
	return NULL;
}

/* With the lock held. */
static void set_state(struct eidd_session *s, enum eidd_state st)
{
	if (s->state != st) {
		s->state = st;
		s->dirty |= EIDD_P_STATE;
	}
}

static void changed(struct eidd_session *s)
{
	eidd_notify(s->d);
}

void eidd_session_cancel(struct eidd_session *s)
{
	pthread_mutex_lock(&s->lock);
	s->cancel = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

int eidd_session_supply(struct eidd_session *s, enum eid_password kind, const char *value,
			const char **why)
{
	int r;

	pthread_mutex_lock(&s->lock);
	if (kind == EID_PW_MRZ)
		r = eidd_secrets_set_mrz_text(s->req.secrets, value, why);
	else
		r = eidd_secrets_set(s->req.secrets, kind, value, why);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return r;
}

int eidd_session_supply_mrz(struct eidd_session *s, const char *doc, const char *dob,
			    const char *doe, const char **why)
{
	int r;

	pthread_mutex_lock(&s->lock);
	r = eidd_secrets_set_mrz(s->req.secrets, doc, dob, doe, why);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return r;
}

/* ---- callbacks of eid_read, on the worker thread ---- */

static int copy_secret(const struct eidd_secrets *sec, enum eid_password kind, eid_buf *out)
{
	switch (kind) {
	case EID_PW_MRZ:
		return eid_buf_set(out, sec->mrz_key, sizeof(sec->mrz_key));
	case EID_PW_CAN:
		return eid_buf_set(out, sec->can, strlen(sec->can));
	case EID_PW_PIN:
		return eid_buf_set(out, sec->pin, strlen(sec->pin));
	case EID_PW_PUK:
		return eid_buf_set(out, sec->puk, strlen(sec->puk));
	}
	return -EID_ENOTFOUND;
}

static int secret_cb(void *ctx, enum eid_password kind, int retry_counter, eid_buf *out)
{
	struct eidd_session *s = ctx;
	enum eidd_state before;
	int r;

	pthread_mutex_lock(&s->lock);
	before = s->state;
	if (s->retry_counter != retry_counter) {
		s->retry_counter = retry_counter;
		s->dirty |= EIDD_P_RETRY;
	}
	for (;;) {
		if (s->cancel) {
			r = -EID_ECANCELLED;
			break;
		}
		if (eidd_secrets_have(s->req.secrets, kind)) {
			r = copy_secret(s->req.secrets, kind, out);
			break;
		}
		if (s->oneshot) {
			s->missing = kind;
			r = -EID_ENOTFOUND;
			break;
		}
		if (s->state != EIDD_ST_NEED_SECRET || s->secret_requested != kind) {
			set_state(s, EIDD_ST_NEED_SECRET);
			s->secret_requested = kind;
			s->dirty |= EIDD_P_SECRET;
			pthread_mutex_unlock(&s->lock);
			changed(s);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		pthread_cond_wait(&s->cond, &s->lock);
	}
	if (s->secret_requested) {
		s->secret_requested = 0;
		s->dirty |= EIDD_P_SECRET;
	}
	set_state(s, before == EIDD_ST_NEED_SECRET ? EIDD_ST_AUTHENTICATING : before);
	pthread_mutex_unlock(&s->lock);
	changed(s);
	return r;
}

static void progress_cb(void *ctx, const char *step, double fraction)
{
	struct eidd_session *s = ctx;
	enum eidd_state st = EIDD_ST_AUTHENTICATING;

	if (!strncmp(step, "read", 4))
		st = EIDD_ST_READING;
	else if (!strcmp(step, "pa"))
		st = EIDD_ST_VERIFYING;
	pthread_mutex_lock(&s->lock);
	set_state(s, st);
	if (!s->step || strcmp(s->step, step)) {
		if ((s->dirty & EIDD_P_STEP) && s->step && *s->step &&
		    s->n_steps_unseen < sizeof(s->steps_unseen) / sizeof(s->steps_unseen[0]))
			s->steps_unseen[s->n_steps_unseen++] = s->step;
		s->step = step;
		s->dirty |= EIDD_P_STEP;
	}
	if (fraction != s->progress) {
		s->progress = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
		s->dirty |= EIDD_P_PROGRESS;
	}
	pthread_mutex_unlock(&s->lock);
	changed(s);
}

static bool cancel_cb(void *ctx)
{
	struct eidd_session *s = ctx;
	bool c;

	pthread_mutex_lock(&s->lock);
	c = s->cancel;
	pthread_mutex_unlock(&s->lock);
	return c;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Connect, waiting up to wait_for_card_ms for a card. */
static int connect_card(struct eidd_session *s, struct eid_drv_ctx *ctx,
			struct eid_drv_conn **conn)
{
	uint64_t deadline = eidd_now_ms() + s->req.wait_for_card_ms;
	int r;

	for (;;) {
		r = s->driver->connect(ctx, s->reader_name, conn);
		if (r != -EID_ENOCARD || cancel_cb(s))
			return cancel_cb(s) && r < 0 ? -EID_ECANCELLED : r;
		if (eidd_now_ms() >= deadline)
			return s->req.wait_for_card_ms ? -EID_ETIMEOUT : r;
		sleep_ms(CARD_POLL_MS);
	}
}

static void *worker_main(void *arg)
{
	struct eidd_session *s = arg;
	const struct eid_driver *drv = s->driver;
	struct eid_drv_ctx *ctx = NULL;
	struct eid_drv_conn *conn = NULL;
	struct eid_read_result *res = NULL;
	struct eid_read_status st = { .retry_counter = -1 };
	struct eid_read_opts o;
	struct eid_card card;
	uint32_t features = 0;
	bool features_known = false, was_present = false;
	char msg[256];
	const char *name = NULL;
	int r;

	r = drv->open(NULL, &ctx);
	if (r < 0)
		goto out;
	r = connect_card(s, ctx, &conn);
	if (r < 0)
		goto out;
	was_present = true;
	eid_card_init(&card, drv->transmit, conn);
	if (drv->features && drv->features(conn, &features) == 0) {
		features_known = true;
		if (features & EID_FEAT_EXTENDED_KNOWN)
			card.extended_length = (features & EID_FEAT_EXTENDED_LENGTH) != 0;
		else
			card.extended_probe = true;
	} else {
		card.extended_probe = true;
	}
	pthread_mutex_lock(&s->lock);
	s->card_was_present = true;
	s->features = features;
	s->features_known = features_known;
	set_state(s, EIDD_ST_AUTHENTICATING);
	pthread_mutex_unlock(&s->lock);
	changed(s);

	memset(&o, 0, sizeof(o));
	o.dgs = s->dgs;
	o.allow_bac = s->req.allow_bac;
	o.password = s->req.access;
	if (!o.password) {
		/* auto: the PACE password the caller gave; with a PIN, the CAN
		 * and the PUK are only for a suspended or blocked PIN */
		const struct eidd_secrets *sec = s->req.secrets;

		pthread_mutex_lock(&s->lock);
		if (sec->have_mrz)
			o.password = 0;
		else if (sec->have_pin)
			o.password = EID_PW_PIN;
		else if (sec->have_can)
			o.password = EID_PW_CAN;
		else if (sec->have_puk)
			o.password = EID_PW_PUK;
		pthread_mutex_unlock(&s->lock);
	}
	o.kind = EID_DOC_AUTO;
	o.terminal = s->creds;
	o.trust = s->trust ? s->trust->store : NULL;
	o.secret = secret_cb;
	o.progress = progress_cb;
	o.cancelled = cancel_cb;
	o.cb_ctx = s;
	r = eid_read(&card, &o, &res, &st);
	eid_card_end_sm(&card);
out:
	if (conn)
		drv->disconnect(conn, true);
	if (ctx)
		drv->close(ctx);
	pthread_mutex_lock(&s->lock);
	if (r == 0) {
		s->res = res;
		res = NULL;
		set_state(s, EIDD_ST_DONE);
	} else {
		if (s->oneshot && s->missing && r == -EID_ENOTFOUND) {
			name = EIDD_ERR_NEED_SECRET;
			snprintf(msg, sizeof(msg), "the read needs the %s; give it in the options",
				 eid_password_name(s->missing));
		} else if (s->cancel && r < 0) {
			name = EIDD_ERR_CANCELLED;
			snprintf(msg, sizeof(msg), "the read was cancelled");
		} else {
			name = eidd_error_from_read(r, &st, was_present, msg, sizeof(msg));
		}
		if (st.retry_counter >= 0 && st.retry_counter != s->retry_counter) {
			s->retry_counter = st.retry_counter;
			s->dirty |= EIDD_P_RETRY;
		}
		s->fail = st;
		s->fail.step = s->fail.detail = NULL;
		snprintf(s->error_name, sizeof(s->error_name), "%s", name);
		snprintf(s->error_msg, sizeof(s->error_msg), "%s", msg);
		s->dirty |= EIDD_P_ERROR;
		set_state(s, strcmp(name, EIDD_ERR_CANCELLED) ? EIDD_ST_FAILED : EIDD_ST_CANCELLED);
	}
	if (s->secret_requested) {
		s->secret_requested = 0;
		s->dirty |= EIDD_P_SECRET;
	}
	/* the secrets are no longer needed */
	eid_wipe(s->req.secrets, sizeof(*s->req.secrets));
	s->finished = true;
	pthread_mutex_unlock(&s->lock);
	eid_read_result_free(res);
	changed(s);
	return NULL;
}

int eidd_session_start(struct eidd_session *s)
{
	int r = pthread_create(&s->thread, NULL, worker_main, s);

	if (r != 0)
		return -EID_ENOMEM;
	s->thread_started = true;
	if (s->reader)
		s->reader->busy = s;
	return 0;
}

static uint32_t read_mask(const struct eid_read_result *res, bool denied)
{
	uint32_t m = 0;

	for (int i = 1; res && i <= 22; i++)
		if (denied ? res->read_error[i] != 0 : res->have[i])
			m |= 1u << i;
	return m;
}

void eidd_session_audit(struct eidd_session *s, const char *outcome)
{
	struct eidd_audit a;
	const struct eid_read_result *res = s->res;

	memset(&a, 0, sizeof(a));
	a.when = time(NULL);
	a.session = s->path;
	a.uid = s->uid;
	a.pid = s->pid;
	snprintf(a.exe, sizeof(a.exe), "%s", s->exe);
	a.sender = s->owner;
	a.reader = s->reader_name;
	a.requested = s->dgs;
	a.read = read_mask(res, false);
	a.denied = read_mask(res, true);
	if (res) {
		a.document = eid_doc_kind_name(res->kind);
		a.access = res->v.access ? res->v.access : "";
		a.password = res->v.password ? res->v.password : "";
		a.terminal = res->v.terminal_chr;
	} else {
		/* a failed read: what it got to (the password tried, even
		 * when the chip refused it) */
		a.document = s->fail.kind ? eid_doc_kind_name(s->fail.kind) : "";
		a.access = s->fail.access ? s->fail.access : "";
		a.password = s->fail.tried ? eid_password_name(s->fail.tried) : "";
		a.terminal = s->fail.terminal_chr;
	}
	a.outcome = outcome;
	a.error = s->error_name;
	a.verdict = res && res->v.verdict ? res->v.verdict : "";
	eidd_audit_write(&a, s->d->cfg.audit_file);
}
