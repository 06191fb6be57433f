/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * From a libeid error code (and the read's status) to the D-Bus error
 * name and message of dbus-api.md.  Messages never contain personal data
 * or secrets: only the retry counter and static sentences.
 */
#ifndef EIDD_ERRMAP_H
#define EIDD_ERRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "read.h"

#define EIDD_ERROR_PREFIX "org.eidd.Eidd1.Error."

/* Short names (without the prefix). */
#define EIDD_ERR_NOT_AUTHORIZED "NotAuthorized"
#define EIDD_ERR_INVALID_ARGUMENTS "InvalidArguments"
#define EIDD_ERR_NO_CARD "NoCard"
#define EIDD_ERR_CARD_REMOVED "CardRemoved"
#define EIDD_ERR_BUSY "Busy"
#define EIDD_ERR_UNSUPPORTED "UnsupportedDocument"
#define EIDD_ERR_NEED_SECRET "NeedSecret"
#define EIDD_ERR_WRONG_SECRET "WrongSecret"
#define EIDD_ERR_PIN_SUSPENDED "PinSuspended"
#define EIDD_ERR_PIN_BLOCKED "PinBlocked"
#define EIDD_ERR_PIN_DEACTIVATED "PinDeactivated"
#define EIDD_ERR_NO_CREDS "NoTerminalCredentials"
#define EIDD_ERR_CERT_REFUSED "TerminalCertificateRefused"
#define EIDD_ERR_ACCESS_DENIED "AccessDenied"
#define EIDD_ERR_TIMEOUT "Timeout"
#define EIDD_ERR_CANCELLED "Cancelled"
#define EIDD_ERR_READER "ReaderError"
#define EIDD_ERR_PROTOCOL "ProtocolError"
#define EIDD_ERR_INTERNAL "Internal"

/*
 * Map a failed read.  card_was_present: the card was there when the read
 * started (ENOCARD then means CardRemoved).  msg gets one sentence.
 * Returns the short error name (static).
 */
const char *eidd_error_from_read(int err, const struct eid_read_status *st,
				 bool card_was_present, char *msg, size_t msg_size);
/* Full name "org.eidd.Eidd1.Error.X" of a short name, in a static table
 * (NULL when unknown). */
const char *eidd_error_full_name(const char *short_name);

#endif
