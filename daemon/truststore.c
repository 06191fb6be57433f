/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eid.h"
#include "trust.h"
#include "ta.h"
#include "cvc.h"
#include "truststore.h"
#include "log.h"

int eidd_trust_load(const struct eidd_config *c, struct eidd_trust **out)
{
	struct eidd_trust *t = calloc(1, sizeof(*t));
	struct eid_trust_summary s;
	char clean[256];

	*out = NULL;
	if (!t || !(t->store = eid_trust_new())) {
		free(t);
		return -EID_ENOMEM;
	}
	t->refs = 1;
	for (size_t i = 0; i < c->n_trust; i++) {
		if (eid_trust_load(t->store, c->trust[i]) < 0) {
			log_warning("trust store: %s",
				    eidd_log_clean(eid_trust_last_error(t->store), clean,
						   sizeof(clean)));
			t->n_errors++;
		}
	}
	t->loaded = time(NULL);
	eid_trust_get_summary(t->store, &s);
	log_info("trust store: %zu CSCAs, %zu master lists, %zu CRLs", s.n_cscas,
		 s.n_master_lists, s.n_crls);
	*out = t;
	return 0;
}

struct eidd_trust *eidd_trust_ref(struct eidd_trust *t)
{
	if (t)
		__atomic_add_fetch(&t->refs, 1, __ATOMIC_SEQ_CST);
	return t;
}

void eidd_trust_unref(struct eidd_trust *t)
{
	if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	eid_trust_free(t->store);
	free(t);
}

int eidd_creds_load(const struct eidd_config *c, struct eid_ta_creds **out)
{
	char clean[256];
	int r;

	*out = NULL;
	if (!c->n_terminal_certs)
		return 0;
	if (!c->terminal_key) {
		log_err("terminal credentials: no key file configured");
		return -EID_EINVAL;
	}
	r = eid_ta_creds_load((const char *const *)c->terminal_certs, c->n_terminal_certs,
			      c->terminal_key, out);
	if (r < 0) {
		log_err("terminal credentials (%s): %s",
			eidd_log_clean(c->terminal_certs[c->n_terminal_certs - 1], clean,
				       sizeof(clean)),
			eid_strerror(r));
		return r;
	}
	return 0;
}

void eidd_creds_free(struct eid_ta_creds *creds)
{
	if (creds)
		eid_ta_creds_free(creds);
}

bool eidd_creds_describe(const struct eid_ta_creds *creds, char *chr, size_t chr_size,
			 char *rights, size_t rights_size, char *expiry, size_t expiry_size)
{
	const struct eid_cvc *t = eid_ta_creds_terminal(creds);

	if (!t)
		return false;
	snprintf(chr, chr_size, "%s", t->chr);
	snprintf(expiry, expiry_size, "%s", t->expiration);
	if (eid_cvc_rights_string(t->rights, rights, rights_size) < 0)
		snprintf(rights, rights_size, "%016llx", (unsigned long long)t->rights);
	return true;
}
