/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidd's core state, shared by its modules.  Everything here belongs to
 * the main thread (the event loop) except what a struct marks as guarded
 * by its lock: reader monitors and session workers run on their own
 * threads, touch only those fields, and wake the main loop through the
 * notify eventfd.  Only daemon/bus*.c talk to libdbus.
 */
#ifndef EIDD_DAEMON_H
#define EIDD_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "driver.h"
#include "read.h"
#include "args.h"
#include "conf.h"
#include "request.h"
#include "truststore.h"

#define EIDD_BUS_NAME "org.eidd.Eidd1"
#define EIDD_PATH "/org/eidd/Eidd1"
#define EIDD_READER_PATH EIDD_PATH "/Reader"
#define EIDD_SESSION_PATH EIDD_PATH "/Session"
#define EIDD_IFACE_MANAGER "org.eidd.Eidd1.Manager"
#define EIDD_IFACE_READER "org.eidd.Eidd1.Reader"
#define EIDD_IFACE_SESSION "org.eidd.Eidd1.Session"

struct eidd;
struct eidd_session;

/* ---- readers (readers.c) ---- */

struct eidd_reader {
	struct eidd_reader *next;
	unsigned id;                  /* never reused during a run */
	char path[64];
	char name[256];               /* as the driver names it */
	char label[256];              /* the same in printable ASCII (for the bus) */
	const struct eid_driver *driver;
	bool card_present;
	const char *card_type;        /* "none", "unknown", "icao-mrtd", "de-eid" */
	uint32_t features;            /* EID_FEAT_* (known after a connection) */
	struct eidd_session *busy;    /* the session using it, or NULL */
	bool seen;                    /* diffing */
};

/* One monitor thread per driver: lists readers on every change. */
struct eidd_monitor {
	const struct eid_driver *driver;
	struct eidd *d;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;         /* guards the fields below */
	bool stop;
	struct eid_drv_ctx *ctx;
	bool reachable;               /* the driver's service answered */
	struct eid_reader_info *snap; /* latest list */
	size_t n_snap;
	bool fresh;                   /* snap not yet taken by the main loop */
};

int eidd_monitors_start(struct eidd *d);
void eidd_monitors_stop(struct eidd *d);
/* Main loop: apply the monitors' latest lists (adds/removes/changes). */
void eidd_readers_update(struct eidd *d);
struct eidd_reader *eidd_reader_by_path(struct eidd *d, const char *path);
size_t eidd_reader_count(const struct eidd *d);

/* ---- sessions (session.c) ---- */

enum eidd_state {
	EIDD_ST_WAITING_CARD = 0,
	EIDD_ST_NEED_SECRET,
	EIDD_ST_AUTHENTICATING,
	EIDD_ST_READING,
	EIDD_ST_VERIFYING,
	EIDD_ST_DONE,
	EIDD_ST_FAILED,
	EIDD_ST_CANCELLED,
};
const char *eidd_state_name(enum eidd_state s);

/* Properties changed (dirty bits). */
#define EIDD_P_STATE     0x01u
#define EIDD_P_STEP      0x02u
#define EIDD_P_PROGRESS  0x04u
#define EIDD_P_SECRET    0x08u
#define EIDD_P_RETRY     0x10u
#define EIDD_P_PINPAD    0x20u
#define EIDD_P_ERROR     0x40u

struct eidd_session {
	struct eidd_session *next;
	struct eidd *d;
	unsigned id;
	char path[64];
	char owner[256];              /* unique bus name */
	struct eidd_reader *reader;   /* NULL once the reader is gone */
	char reader_name[256];
	const struct eid_driver *driver;
	struct eidd_request req;      /* options; secrets (guarded by lock) */
	uint32_t dgs;                 /* asked for (0: default) */
	struct eidd_trust *trust;     /* the store this read uses (a reference) */
	const struct eid_ta_creds *creds;
	bool oneshot;                 /* Read(): every secret in the options */
	void *reply_to;               /* Read(): the method call (DBusMessage) */
	uint64_t expires_ms;          /* monotonic */
	long uid, pid;                /* caller */
	char exe[256];

	pthread_t thread;
	bool thread_started;
	bool closed;                  /* off the bus; freed when the worker ends */
	bool completed;               /* Completed sent / handled */
	const char *end_reason;       /* audit outcome when closed early */

	pthread_mutex_t lock;         /* guards everything below */
	pthread_cond_t cond;
	enum eidd_state state;
	const char *step;             /* static string */
	/* steps passed before the main loop announced them (oldest first),
	 * so a client sees every step even when the worker is quick */
	const char *steps_unseen[16];
	unsigned n_steps_unseen;
	const char *step_shown;       /* main loop: Step while announcing those */
	double progress;
	enum eid_password secret_requested;
	int retry_counter;
	bool secret_on_pinpad;
	bool cancel;
	unsigned dirty;               /* EIDD_P_* to announce */
	bool finished;                /* the worker is done */
	bool card_was_present;
	uint32_t features;            /* of the connected reader */
	bool features_known;
	enum eid_password missing;    /* oneshot: the secret that was asked for */
	struct eid_read_result *res;  /* state done */
	struct eid_read_status fail;  /* state failed: how far the read got */
	char error_name[48];          /* short name; "" */
	char error_msg[256];
};

/* Create a session (not yet started); takes over req. */
int eidd_session_new(struct eidd *d, struct eidd_reader *r, const char *owner,
		     struct eidd_request *req, bool oneshot, struct eidd_session **out);
/* Start its worker thread. */
int eidd_session_start(struct eidd_session *s);
/* Ask the worker to stop (cancel, close, owner gone, expiry). */
void eidd_session_cancel(struct eidd_session *s);
/* Supply a secret (SupplySecret/SupplyMrz); wakes a waiting worker. */
int eidd_session_supply(struct eidd_session *s, enum eid_password kind, const char *value,
			const char **why);
int eidd_session_supply_mrz(struct eidd_session *s, const char *doc, const char *dob,
			    const char *doe, const char **why);
/* Free (the worker must have ended); wipes results and secrets. */
void eidd_session_free(struct eidd_session *s);
struct eidd_session *eidd_session_by_path(struct eidd *d, const char *path);
/* Audit record for a session that ends (outcome as in audit.h). */
void eidd_session_audit(struct eidd_session *s, const char *outcome);

/* ---- the daemon ---- */

struct eidd_watch;
struct eidd_timeout;

struct eidd {
	struct eidd_args args;
	struct eidd_config cfg;
	bool use_polkit;
	void *conn;                   /* DBusConnection */
	struct eidd_trust *trust;     /* current store (swapped on reload) */
	struct eid_ta_creds *creds;   /* terminal credentials, or NULL */
	struct eidd_reader *readers;
	unsigned next_reader_id;
	struct eidd_session *sessions;
	unsigned next_session_id;
	struct eidd_monitor monitors[EIDD_MAX_DRIVERS];
	size_t n_monitors;
	int notify_fd;                /* eventfd: workers and monitors wake the loop */
	int signal_fd;
	struct eidd_watch *watches;
	struct eidd_timeout *timeouts;
	bool quit;
	bool reload;                  /* SIGHUP seen */
};

/* Wake the main loop (any thread). */
void eidd_notify(struct eidd *d);
uint64_t eidd_now_ms(void);
/* Swap in a freshly loaded trust store. */
int eidd_reload_trust(struct eidd *d);

#endif
