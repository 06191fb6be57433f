/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidd: reads ID cards and e-passports for local clients over D-Bus
 * (see data/org.eidd.Eidd1.xml and dbus-api.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

#include "config.h"

#include "bus.h"
#include "log.h"

/*
 * Every heap block is wiped before it goes back to the allocator.  libdbus
 * keeps no secret of its own, but the messages it builds and receives hold
 * the caller's CAN/PIN (StartRead options) and the holder's data (the
 * result), and it frees them without clearing; so do the PC/SC client and
 * OpenSSL with their buffers.  glibc's realloc moves a block without
 * passing through free, so it is replaced too.  Only in eidd's main
 * program: the daemon's library and its tests keep the plain allocator.
 * Under AddressSanitizer, which owns the allocator, it is left out (the
 * sanitizer tree of CI does not run the core-image test).
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EIDD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define EIDD_ASAN 1
#endif

#ifndef EIDD_ASAN
extern void __libc_free(void *p);
extern void *__libc_malloc(size_t n);
extern void *__libc_realloc(void *p, size_t n);

void free(void *p)
{
	if (p)
		explicit_bzero(p, malloc_usable_size(p));
	__libc_free(p);
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p || !n)
		return __libc_realloc(p, n);
	have = malloc_usable_size(p);
	if (n <= have) {
		/* shrinking in place hands the tail back: clear it first */
		explicit_bzero((char *)p + n, have - n);
		return __libc_realloc(p, n);
	}
	q = __libc_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}
#endif

int eidd_reload_trust(struct eidd *d)
{
	struct eidd_trust *t;
	int r;

	if ((r = eidd_trust_load(&d->cfg, &t)) < 0) {
		log_err("trust store: cannot load (%s)", eid_strerror(r));
		return r;
	}
	/* a read that is running keeps its own reference to the old store */
	eidd_trust_unref(d->trust);
	d->trust = t;
	log_info("trust store loaded");
	return 0;
}

static void harden(bool allow_core_dump)
{
	if (!allow_core_dump && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		log_warning("cannot disable core dumps: %m");
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0 && errno != EPERM && errno != ENOMEM)
		log_warning("cannot lock memory: %m");
}

static int setup_fds(struct eidd *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	/* blocked before any thread starts, so every thread has them blocked */
	if (pthread_sigmask(SIG_BLOCK, &mask, NULL) != 0)
		return -EID_EINVAL;
	signal(SIGPIPE, SIG_IGN);
	d->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->signal_fd < 0 || d->notify_fd < 0) {
		log_err("cannot create event descriptors: %m");
		return -EID_ENOMEM;
	}
	return 0;
}

static int setup_drivers(struct eidd *d)
{
	static const char *const def[] = { "pcsc" };
	const char *const *names = d->cfg.n_drivers ? (const char *const *)d->cfg.drivers : def;
	size_t n = d->cfg.n_drivers ? d->cfg.n_drivers : 1;

	for (size_t i = 0; i < n && d->n_monitors < EIDD_MAX_DRIVERS; i++) {
		const struct eid_driver *drv = eid_driver_find(names[i]);
		bool dup = false;

		for (size_t j = 0; j < d->n_monitors; j++)
			dup |= d->monitors[j].driver == drv;
		if (!drv) {
			log_warning("driver %s is not available in this build", names[i]);
			continue;
		}
		if (!dup)
			d->monitors[d->n_monitors++].driver = drv;
	}
	if (!d->n_monitors) {
		log_err("no usable reader driver");
		return -EID_ENOTSUP;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct eidd d;
	const char *cfg_path;
	int r, ret = 1;

	memset(&d, 0, sizeof(d));
	d.notify_fd = d.signal_fd = -1;
	d.next_session_id = 1;
	eidd_config_init(&d.cfg);
	eidd_log_setup(EIDD_LOG_AUTO, LOG_INFO);
	if (eidd_args_parse(&d.args, argc, argv) < 0) {
		fprintf(stderr, "eidd: %s\n", d.args.error);
		return 2;
	}
	if (d.args.help) {
		eidd_args_usage(stdout);
		return 0;
	}
	if (d.args.version) {
		printf("eidd %s\n", PACKAGE_VERSION);
		return 0;
	}
	harden(d.args.allow_core_dump);
	cfg_path = d.args.config ? d.args.config : EIDD_CONFIG_DEFAULT;
	if (eidd_config_load(&d.cfg, cfg_path, !d.args.config) < 0) {
		fprintf(stderr, "eidd: configuration: %s\n", d.cfg.error);
		ret = 2;
		goto out;
	}
	if (eidd_args_apply(&d.args, &d.cfg) < 0) {
		fprintf(stderr, "eidd: too many values on the command line\n");
		ret = 2;
		goto out;
	}
	eidd_log_setup(d.cfg.log_target, d.cfg.log_level);
	d.use_polkit = eidd_args_use_polkit(&d.args);
	if (setup_fds(&d) < 0 || setup_drivers(&d) < 0)
		goto out;
	if (eidd_creds_load(&d.cfg, &d.creds) < 0)
		goto out;
	if (eidd_reload_trust(&d) < 0)
		goto out;
	if (!dbus_threads_init_default()) {
		log_err("cannot initialise libdbus threads");
		goto out;
	}
	if ((r = eidd_bus_open(&d)) < 0)
		goto out;
	if (eidd_monitors_start(&d) < 0)
		goto out;
	log_info("eidd %s ready%s", PACKAGE_VERSION, d.use_polkit ? " (polkit)" : "");
	r = eidd_bus_run(&d);
	ret = r < 0 ? 1 : 0;
out:
	/* stop every read, wait for the workers, wipe */
	for (struct eidd_session *s = d.sessions; s; s = s->next)
		eidd_session_cancel(s);
	while (d.sessions) {
		struct eidd_session *s = d.sessions;

		if (s->thread_started)
			pthread_join(s->thread, NULL);
		if (s->reply_to)
			dbus_message_unref(s->reply_to);
		eidd_session_free(s);
	}
	eidd_monitors_stop(&d);
	while (d.readers) {
		struct eidd_reader *r2 = d.readers;

		d.readers = r2->next;
		free(r2);
	}
	eidd_bus_close(&d);
	eidd_trust_unref(d.trust);
	eidd_creds_free(d.creds);
	eidd_config_clear(&d.cfg);
	if (d.notify_fd >= 0)
		close(d.notify_fd);
	if (d.signal_fd >= 0)
		close(d.signal_fd);
	return ret;
}
