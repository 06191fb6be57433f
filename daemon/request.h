/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A read request as the caller's options describe it (dbus-api.md,
 * StartRead), and the secrets of a session.  The secrets live in one
 * allocation that is locked in memory where permitted and wiped on free;
 * a secret is copied in at once and the caller's copy is not kept.
 */
#ifndef EIDD_REQUEST_H
#define EIDD_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "pace.h"

#define EIDD_OPT_MAX_STRING 256   /* longest string option accepted */
#define EIDD_SECRET_MAX_DIGITS 16 /* CAN 6, PIN 6 (transport PIN 5), PUK 10 */

struct eidd_secrets {
	char can[EIDD_SECRET_MAX_DIGITS + 1];
	char pin[EIDD_SECRET_MAX_DIGITS + 1];
	char puk[EIDD_SECRET_MAX_DIGITS + 1];
	uint8_t mrz_key[20];           /* SHA-1 of MRZ_information */
	bool have_can, have_pin, have_puk, have_mrz;
	/* MRZ fields given one by one in options, until the key is made */
	char mrz_doc[EIDD_OPT_MAX_STRING + 1], mrz_dob[8], mrz_doe[8];
	bool have_doc, have_dob, have_doe;
};

struct eidd_secrets *eidd_secrets_new(void);
void eidd_secrets_free(struct eidd_secrets *s);
/*
 * Store a CAN, PIN or PUK (digits only, 1..16).  kind names as in the API
 * ("can", "pin", "puk").  -EID_EINVAL with a static reason in *why.
 */
int eidd_secrets_set(struct eidd_secrets *s, enum eid_password kind, const char *value,
		     const char **why);
/* The MRZ key from its three fields (YYMMDD dates). */
int eidd_secrets_set_mrz(struct eidd_secrets *s, const char *doc, const char *dob,
			 const char *doe, const char **why);
/* The MRZ key from the whole MRZ text. */
int eidd_secrets_set_mrz_text(struct eidd_secrets *s, const char *text, const char **why);
bool eidd_secrets_have(const struct eidd_secrets *s, enum eid_password kind);
/* Parse "can", "pin", "puk", "mrz" (0 otherwise). */
enum eid_password eidd_password_parse(const char *s);
/* A plausible YYMMDD date. */
bool eidd_yymmdd_valid(const char *s);

struct eidd_request {
	uint32_t dgs;                  /* bit n: DGn; 0: default */
	bool face;                     /* also DG2 */
	enum eid_password access;      /* 0: auto */
	bool allow_bac;
	bool allow_bac_given;
	uint32_t wait_for_card_ms;
	bool raw;
	struct eidd_secrets *secrets;
};

int eidd_request_init(struct eidd_request *r);
void eidd_request_clear(struct eidd_request *r);
/* After every option: MRZ fields complete, access method has a secret
 * kind that makes sense.  -EID_EINVAL with *why. */
int eidd_request_finish(struct eidd_request *r, const char **why);
/* The data groups the read asks for, defaults applied (0: proto's default). */
uint32_t eidd_request_dgs(const struct eidd_request *r, uint32_t config_default);

#endif
