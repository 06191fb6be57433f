/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Readers: one monitor thread per driver lists the readers whenever the
 * driver reports a change (pcsc-lite hotplug, card insertion/removal) and
 * posts the list to the main loop, which compares it with the readers it
 * knows and announces what came, went or changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "bus.h"
#include "log.h"

#define WAIT_MS 1000       /* longest wait for a change before listing again */
#define RETRY_MS 1000      /* pause before reopening a driver that failed */

static bool monitor_stopping(struct eidd_monitor *m)
{
	bool stop;

	pthread_mutex_lock(&m->lock);
	stop = m->stop;
	pthread_mutex_unlock(&m->lock);
	return stop;
}

static void post(struct eidd_monitor *m, struct eid_reader_info *list, size_t n, bool reachable)
{
	pthread_mutex_lock(&m->lock);
	free(m->snap);
	m->snap = list;
	m->n_snap = n;
	m->reachable = reachable;
	m->fresh = true;
	pthread_mutex_unlock(&m->lock);
	eidd_notify(m->d);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *monitor_main(void *arg)
{
	struct eidd_monitor *m = arg;
	const struct eid_driver *drv = m->driver;
	bool was_reachable = true;

	while (!monitor_stopping(m)) {
		struct eid_drv_ctx *ctx = NULL;
		struct eid_reader_info *list = NULL;
		size_t n = 0;
		int r;

		pthread_mutex_lock(&m->lock);
		ctx = m->ctx;
		pthread_mutex_unlock(&m->lock);
		if (!ctx) {
			r = drv->open(NULL, &ctx);
			if (r < 0) {
				if (was_reachable)
					log_warning("%s: cannot open the driver (%s); retrying",
						    drv->name, eid_strerror(r));
				was_reachable = false;
				post(m, NULL, 0, false);
				for (int i = 0; i < RETRY_MS / 100 && !monitor_stopping(m); i++)
					sleep_ms(100);
				continue;
			}
			if (!was_reachable)
				log_info("%s: driver available again", drv->name);
			was_reachable = true;
			pthread_mutex_lock(&m->lock);
			m->ctx = ctx;
			pthread_mutex_unlock(&m->lock);
		}
		r = drv->list(ctx, &list, &n);
		if (r < 0) {
			log_warning("%s: cannot list readers (%s)", drv->name, eid_strerror(r));
			goto reopen;
		}
		post(m, list, n, true);
		r = drv->wait_change ? drv->wait_change(ctx, WAIT_MS) : 0;
		if (!drv->wait_change)
			sleep_ms(WAIT_MS);
		if (r >= 0 || r == -EID_ECANCELLED)
			continue;
		log_debug("%s: waiting for changes failed (%s)", drv->name, eid_strerror(r));
reopen:
		pthread_mutex_lock(&m->lock);
		m->ctx = NULL;
		pthread_mutex_unlock(&m->lock);
		drv->close(ctx);
		sleep_ms(200);
	}
	return NULL;
}

int eidd_monitors_start(struct eidd *d)
{
	for (size_t i = 0; i < d->n_monitors; i++) {
		struct eidd_monitor *m = &d->monitors[i];
		int r;

		m->d = d;
		pthread_mutex_init(&m->lock, NULL);
		if ((r = pthread_create(&m->thread, NULL, monitor_main, m)) != 0) {
			log_err("cannot start the %s monitor: %s", m->driver->name, strerror(r));
			return -EID_ENOMEM;
		}
		m->started = true;
	}
	return 0;
}

void eidd_monitors_stop(struct eidd *d)
{
	for (size_t i = 0; i < d->n_monitors; i++) {
		struct eidd_monitor *m = &d->monitors[i];

		if (!m->started)
			continue;
		pthread_mutex_lock(&m->lock);
		m->stop = true;
		if (m->ctx && m->driver->cancel)
			m->driver->cancel(m->ctx);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
		m->started = false;
		if (m->ctx)
			m->driver->close(m->ctx);
		m->ctx = NULL;
		free(m->snap);
		m->snap = NULL;
		pthread_mutex_destroy(&m->lock);
	}
}

size_t eidd_reader_count(const struct eidd *d)
{
	size_t n = 0;

	for (const struct eidd_reader *r = d->readers; r; r = r->next)
		n++;
	return n;
}

struct eidd_reader *eidd_reader_by_path(struct eidd *d, const char *path)
{
	for (struct eidd_reader *r = d->readers; r; r = r->next)
		if (!strcmp(r->path, path))
			return r;
	return NULL;
}

static void reader_add(struct eidd *d, const struct eid_driver *drv,
		       const struct eid_reader_info *ri)
{
	struct eidd_reader *r = calloc(1, sizeof(*r)), **tail;
	char clean[256];

	if (!r)
		return;
	r->id = d->next_reader_id++;
	snprintf(r->path, sizeof(r->path), EIDD_READER_PATH "/%u", r->id);
	snprintf(r->name, sizeof(r->name), "%s", ri->name);
	for (size_t i = 0; i < sizeof(r->label) - 1 && r->name[i]; i++)
		r->label[i] = r->name[i] >= 0x20 && r->name[i] < 0x7f ? r->name[i] : '?';
	r->driver = drv;
	r->card_present = ri->card_present;
	r->card_type = ri->card_present ? "unknown" : "none";
	r->features = ri->features;
	r->seen = true;
	for (tail = &d->readers; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	log_info("reader %s added: %s (%s)", r->path, eidd_log_clean(r->label, clean, sizeof(clean)),
		 drv->name);
	eidd_bus_reader_added(d, r);
}

static void apply(struct eidd *d, const struct eid_driver *drv, const struct eid_reader_info *list,
		  size_t n)
{
	struct eidd_reader **pp;

	for (struct eidd_reader *r = d->readers; r; r = r->next)
		if (r->driver == drv)
			r->seen = false;
	for (size_t i = 0; i < n; i++) {
		struct eidd_reader *r;

		for (r = d->readers; r; r = r->next)
			if (r->driver == drv && !strcmp(r->name, list[i].name))
				break;
		if (!r) {
			reader_add(d, drv, &list[i]);
			continue;
		}
		r->seen = true;
		if (r->card_present != list[i].card_present) {
			static const char *const props[] = { "CardPresent", "CardType", NULL };

			r->card_present = list[i].card_present;
			r->card_type = r->card_present ? "unknown" : "none";
			log_debug("reader %s: card %s", r->path,
				  r->card_present ? "inserted" : "removed");
			eidd_bus_reader_changed(d, r, props);
		}
	}
	for (pp = &d->readers; *pp;) {
		struct eidd_reader *r = *pp;

		if (r->driver != drv || r->seen) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		log_info("reader %s removed", r->path);
		if (r->busy)
			r->busy->reader = NULL;
		eidd_bus_reader_removed(d, r);
		free(r);
	}
}

void eidd_readers_update(struct eidd *d)
{
	for (size_t i = 0; i < d->n_monitors; i++) {
		struct eidd_monitor *m = &d->monitors[i];
		struct eid_reader_info *list = NULL;
		size_t n = 0;
		bool fresh;

		pthread_mutex_lock(&m->lock);
		fresh = m->fresh;
		if (fresh) {
			list = m->snap;
			n = m->n_snap;
			m->snap = NULL;
			m->n_snap = 0;
			m->fresh = false;
		}
		pthread_mutex_unlock(&m->lock);
		if (fresh)
			apply(d, m->driver, list, n);
		free(list);
	}
}
