/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "eid.h"
#include "errmap.h"

static const char *const names[] = {
	EIDD_ERROR_PREFIX EIDD_ERR_NOT_AUTHORIZED, EIDD_ERROR_PREFIX EIDD_ERR_INVALID_ARGUMENTS,
	EIDD_ERROR_PREFIX EIDD_ERR_NO_CARD,        EIDD_ERROR_PREFIX EIDD_ERR_CARD_REMOVED,
	EIDD_ERROR_PREFIX EIDD_ERR_BUSY,           EIDD_ERROR_PREFIX EIDD_ERR_UNSUPPORTED,
	EIDD_ERROR_PREFIX EIDD_ERR_NEED_SECRET,    EIDD_ERROR_PREFIX EIDD_ERR_WRONG_SECRET,
	EIDD_ERROR_PREFIX EIDD_ERR_PIN_SUSPENDED,  EIDD_ERROR_PREFIX EIDD_ERR_PIN_BLOCKED,
	EIDD_ERROR_PREFIX EIDD_ERR_PIN_DEACTIVATED, EIDD_ERROR_PREFIX EIDD_ERR_NO_CREDS,
	EIDD_ERROR_PREFIX EIDD_ERR_CERT_REFUSED,   EIDD_ERROR_PREFIX EIDD_ERR_ACCESS_DENIED,
	EIDD_ERROR_PREFIX EIDD_ERR_TIMEOUT,        EIDD_ERROR_PREFIX EIDD_ERR_CANCELLED,
	EIDD_ERROR_PREFIX EIDD_ERR_READER,         EIDD_ERROR_PREFIX EIDD_ERR_PROTOCOL,
	EIDD_ERROR_PREFIX EIDD_ERR_INTERNAL,
};

const char *eidd_error_full_name(const char *short_name)
{
	size_t plen = strlen(EIDD_ERROR_PREFIX);

	for (size_t i = 0; short_name && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i] + plen, short_name))
			return names[i];
	return NULL;
}

static const char *pw_name(enum eid_password p)
{
	return p ? eid_password_name(p) : "password";
}

const char *eidd_error_from_read(int err, const struct eid_read_status *st,
				 bool card_was_present, char *msg, size_t msg_size)
{
	int retries = st ? st->retry_counter : -1;
	enum eid_password pw = st ? st->password : 0;
	const char *name;

	if (err > 0)
		err = -err;
	switch (-err) {
	case EID_EPASSWORD:
		name = EIDD_ERR_WRONG_SECRET;
		if (retries >= 0)
			snprintf(msg, msg_size, "wrong %s, %d tries left", pw_name(pw), retries);
		else
			snprintf(msg, msg_size, "wrong %s", pw_name(pw));
		return name;
	case EID_ESUSPENDED:
		snprintf(msg, msg_size, "the PIN is suspended: give the CAN first");
		return EIDD_ERR_PIN_SUSPENDED;
	case EID_EBLOCKED:
		snprintf(msg, msg_size, "the %s is blocked: the PUK is needed",
			 pw == EID_PW_PUK ? "PUK" : "PIN");
		return EIDD_ERR_PIN_BLOCKED;
	case EID_EDEACTIVATED:
		snprintf(msg, msg_size, "the online identification function is deactivated");
		return EIDD_ERR_PIN_DEACTIVATED;
	case EID_ENOCREDS:
		snprintf(msg, msg_size, "this document needs Terminal Authentication and no "
					"terminal certificate is configured");
		return EIDD_ERR_NO_CREDS;
	case EID_ECERT:
		snprintf(msg, msg_size, "terminal certificate expired or not accepted");
		return EIDD_ERR_CERT_REFUSED;
	case EID_EACCESS:
		snprintf(msg, msg_size, "the chip refused access");
		return EIDD_ERR_ACCESS_DENIED;
	case EID_ENOCARD:
		if (card_was_present) {
			snprintf(msg, msg_size, "the card was removed during the read");
			return EIDD_ERR_CARD_REMOVED;
		}
		snprintf(msg, msg_size, "no card in the reader");
		return EIDD_ERR_NO_CARD;
	case EID_ETIMEOUT:
		snprintf(msg, msg_size, "no card came within the time the caller allowed");
		return EIDD_ERR_TIMEOUT;
	case EID_ECANCELLED:
		snprintf(msg, msg_size, "the read was cancelled");
		return EIDD_ERR_CANCELLED;
	case EID_ETRANSPORT:
		snprintf(msg, msg_size, "the reader failed");
		return EIDD_ERR_READER;
	case EID_ENOTSUP:
		snprintf(msg, msg_size, "unsupported document or access protocol");
		return EIDD_ERR_UNSUPPORTED;
	case EID_ENOMEM:
	case EID_EINVAL:
	case EID_ESTATE:
		snprintf(msg, msg_size, "internal error (%s)", eid_errname(err));
		return EIDD_ERR_INTERNAL;
	default:
		if (st && st->detail)
			snprintf(msg, msg_size, "%s failed: %s", st->step ? st->step : "read",
				 st->detail);
		else
			snprintf(msg, msg_size, "%s failed: %s", st && st->step ? st->step : "read",
				 eid_strerror(err));
		return EIDD_ERR_PROTOCOL;
	}
}
