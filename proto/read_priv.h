/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read flow's shared state and steps, for read.c (detect, eMRTD) and
 * read_eid.c (the German eID).  Not a public API.
 */
#ifndef EID_READ_PRIV_H
#define EID_READ_PRIV_H

#include <time.h>

#include "ca.h"
#include "read.h"
#include "secinfo.h"

struct flow {
	struct eid_card *card;
	const struct eid_read_opts *o;
	struct eid_read_result *res;
	struct eid_read_status *st;
	struct eid_sm sm;                 /* the current channel (card->sm points here) */
	struct eid_secinfos *cardaccess;
	struct eid_secinfos *dg14;
	struct eid_secinfos *cardsecurity;
	struct eid_pa_sod *sod;           /* EF.SOD, or EF.CardSecurity for the eID */
	bool cam;                         /* PACE-CAM done: CA_IC to check */
	struct eid_pace_result pace;
	enum eid_password pw_last;        /* the password of the last PACE tried */
	bool secured;                     /* access control done: nothing goes in plain */
	struct timespec t0, step_t0;
	unsigned long step_apdus;
	const char *step;
	const char *detail;               /* a static sentence on why it failed */
};

extern const char *const flow_read_step_names[EID_FILE_COUNT];

double flow_since(const struct timespec *t);
void flow_step_end(struct flow *f);
/* Start a named step: report progress, and stop here when cancelled. */
int flow_step_begin(struct flow *f, const char *name, double fraction);
/* Make sm the card's channel (f->sm takes the keys; sm is cleared). */
void flow_use_channel(struct flow *f, struct eid_sm *sm);
uint8_t flow_file_sfi(int file);
/* Read a file once (by SFI, FID fallback); later calls return what was read. */
int flow_read_file(struct flow *f, int file);
int flow_get_secret(struct flow *f, enum eid_password kind, int retries, eid_buf *out);
/* The best PACEInfo we support: CAM, then GM, then IM. */
const struct eid_secinfo *flow_choose_pace(const struct eid_secinfos *set,
					   struct eid_pace_algo *algo);
/* Read data group dg as step "read:DGn"; a refusal or a malformed file is
 * recorded in read_error and is not an error of the read. */
int flow_read_dg(struct flow *f, int dg, double fraction);
/* Fatal for the read: the card or the channel is gone. */
bool flow_fatal(int r);
/* Does EF.CardAccess announce the German eID application (TA and CA v2)? */
bool flow_is_eid(const struct flow *f);
/* The eID flow after detect (read_eid.c). */
int flow_eid(struct flow *f);

#endif
