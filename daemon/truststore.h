/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CSCA trust store as the daemon holds it: loaded from the configured
 * paths, shared by reference count.  A reload builds a new store and swaps
 * it whole; a read that is running keeps the store it started with.
 * Also the terminal credentials for the eID (loaded once at start).
 */
#ifndef EIDD_TRUSTSTORE_H
#define EIDD_TRUSTSTORE_H

#include <time.h>

#include "conf.h"

struct eid_trust;
struct eid_ta_creds;

struct eidd_trust {
	int refs;                   /* atomic */
	struct eid_trust *store;
	time_t loaded;
	size_t n_errors;            /* paths that failed */
};

/* Load every configured path; a path that fails is logged and skipped. */
int eidd_trust_load(const struct eidd_config *c, struct eidd_trust **out);
struct eidd_trust *eidd_trust_ref(struct eidd_trust *t);
void eidd_trust_unref(struct eidd_trust *t);

/*
 * Terminal credentials from the configuration; *out NULL when none
 * are configured.
 */
int eidd_creds_load(const struct eidd_config *c, struct eid_ta_creds **out);
void eidd_creds_free(struct eid_ta_creds *creds);
/* For diagnostics: CHR, rights text and expiry of the terminal certificate;
 * false when there is none. */
bool eidd_creds_describe(const struct eid_ta_creds *creds, char *chr, size_t chr_size,
			 char *rights, size_t rights_size, char *expiry, size_t expiry_size);

#endif
