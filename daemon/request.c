/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "mrz.h"
#include "request.h"

struct eidd_secrets *eidd_secrets_new(void)
{
	struct eidd_secrets *s = calloc(1, sizeof(*s));

	if (s)
		(void)mlock(s, sizeof(*s));
	return s;
}

void eidd_secrets_free(struct eidd_secrets *s)
{
	if (!s)
		return;
	eid_wipe(s, sizeof(*s));
	(void)munlock(s, sizeof(*s));
	free(s);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int eidd_secrets_set(struct eidd_secrets *s, enum eid_password kind, const char *value,
		     const char **why)
{
	size_t n = strnlen(value, EIDD_OPT_MAX_STRING + 1);
	char *dst;
	bool *have;

	switch (kind) {
	case EID_PW_CAN:
		dst = s->can;
		have = &s->have_can;
		break;
	case EID_PW_PIN:
		dst = s->pin;
		have = &s->have_pin;
		break;
	case EID_PW_PUK:
		dst = s->puk;
		have = &s->have_puk;
		break;
	default:
		*why = "this secret kind takes no digits";
		return -EID_EINVAL;
	}
	if (n == 0 || n > EIDD_SECRET_MAX_DIGITS || !all_digits(value, n)) {
		*why = n > EIDD_SECRET_MAX_DIGITS ? "secret too long" : "a secret must be digits";
		return -EID_EINVAL;
	}
	eid_wipe(dst, EIDD_SECRET_MAX_DIGITS + 1);
	memcpy(dst, value, n);
	*have = true;
	return 0;
}

bool eidd_yymmdd_valid(const char *s)
{
	int mm, dd;

	if (!s || strlen(s) != 6 || !all_digits(s, 6))
		return false;
	mm = (s[2] - '0') * 10 + (s[3] - '0');
	dd = (s[4] - '0') * 10 + (s[5] - '0');
	return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

int eidd_secrets_set_mrz(struct eidd_secrets *s, const char *doc, const char *dob,
			 const char *doe, const char **why)
{
	uint8_t key[20];

	if (strnlen(doc, EIDD_OPT_MAX_STRING + 1) > 40) {
		*why = "document number too long";
		return -EID_EINVAL;
	}
	if (!eidd_yymmdd_valid(dob) || !eidd_yymmdd_valid(doe)) {
		*why = "dates must be YYMMDD";
		return -EID_EINVAL;
	}
	if (eid_mrz_key_hash(doc, dob, doe, key) < 0) {
		*why = "document number must be 1..40 characters of 0-9, A-Z, <";
		return -EID_EINVAL;
	}
	memcpy(s->mrz_key, key, sizeof(key));
	eid_wipe(key, sizeof(key));
	s->have_mrz = true;
	return 0;
}

int eidd_secrets_set_mrz_text(struct eidd_secrets *s, const char *text, const char **why)
{
	struct eid_mrz m;
	uint8_t key[20];
	int r;

	if (strnlen(text, EIDD_OPT_MAX_STRING + 1) > EIDD_OPT_MAX_STRING) {
		*why = "MRZ too long";
		return -EID_EINVAL;
	}
	memset(&m, 0, sizeof(m));
	r = eid_mrz_parse(text, &m);
	if (r == 0)
		r = eid_mrz_key_hash_from(&m, key);
	eid_mrz_clear(&m);
	if (r < 0) {
		*why = r == -EID_ECHECKDIGIT ? "an MRZ check digit is wrong" : "malformed MRZ";
		eid_wipe(key, sizeof(key));
		return -EID_EINVAL;
	}
	memcpy(s->mrz_key, key, sizeof(key));
	eid_wipe(key, sizeof(key));
	s->have_mrz = true;
	return 0;
}

bool eidd_secrets_have(const struct eidd_secrets *s, enum eid_password kind)
{
	switch (kind) {
	case EID_PW_MRZ:
		return s->have_mrz;
	case EID_PW_CAN:
		return s->have_can;
	case EID_PW_PIN:
		return s->have_pin;
	case EID_PW_PUK:
		return s->have_puk;
	}
	return false;
}

enum eid_password eidd_password_parse(const char *s)
{
	if (!strcmp(s, "mrz"))
		return EID_PW_MRZ;
	if (!strcmp(s, "can"))
		return EID_PW_CAN;
	if (!strcmp(s, "pin"))
		return EID_PW_PIN;
	if (!strcmp(s, "puk"))
		return EID_PW_PUK;
	return 0;
}

int eidd_request_init(struct eidd_request *r)
{
	memset(r, 0, sizeof(*r));
	r->allow_bac = true;
	r->secrets = eidd_secrets_new();
	return r->secrets ? 0 : -EID_ENOMEM;
}

void eidd_request_clear(struct eidd_request *r)
{
	eidd_secrets_free(r->secrets);
	memset(r, 0, sizeof(*r));
}

int eidd_request_finish(struct eidd_request *r, const char **why)
{
	struct eidd_secrets *s = r->secrets;
	int n = s->have_doc + s->have_dob + s->have_doe;
	int ret = 0;

	if (n && n < 3) {
		*why = "give mrz_document_number, mrz_date_of_birth and mrz_date_of_expiry together";
		ret = -EID_EINVAL;
	} else if (n == 3) {
		ret = eidd_secrets_set_mrz(s, s->mrz_doc, s->mrz_dob, s->mrz_doe, why);
	}
	eid_wipe(s->mrz_doc, sizeof(s->mrz_doc));
	eid_wipe(s->mrz_dob, sizeof(s->mrz_dob));
	eid_wipe(s->mrz_doe, sizeof(s->mrz_doe));
	s->have_doc = s->have_dob = s->have_doe = false;
	if (ret == 0 && r->access == EID_PW_PUK) {
		*why = "access must be auto, can, pin or mrz";
		ret = -EID_EINVAL;
	}
	return ret;
}

uint32_t eidd_request_dgs(const struct eidd_request *r, uint32_t config_default)
{
	uint32_t dgs = r->dgs ? r->dgs : config_default;

	if (r->face) {
		/* DG2 on top of the default minimum (eMRTD: DG1) */
		if (!dgs)
			dgs = 1u << 1;
		dgs |= 1u << 2;
	}
	return dgs;
}
