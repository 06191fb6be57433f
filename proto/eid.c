/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "eid.h"

static const struct {
	const char *name;
	const char *text;
} errors[EID_ERROR_MAX] = {
	[EID_OK] = { "Ok", "success" },
	[EID_EINVAL] = { "InvalidArgument", "invalid argument" },
	[EID_ENOMEM] = { "NoMemory", "out of memory" },
	[EID_EPARSE] = { "Parse", "malformed data" },
	[EID_ETOOBIG] = { "TooBig", "data exceeds a limit" },
	[EID_ECRYPTO] = { "Crypto", "cryptographic operation failed" },
	[EID_ESW] = { "StatusWord", "unexpected status word from the card" },
	[EID_EMAC] = { "SecureMessagingMac", "secure messaging MAC missing or wrong" },
	[EID_ESM] = { "SecureMessaging", "malformed secure messaging response" },
	[EID_ESMCLOSED] = { "SecureMessagingClosed", "secure channel was ended by an earlier error" },
	[EID_EAUTH] = { "AuthenticationFailed", "authentication failed" },
	[EID_ENOTSUP] = { "NotSupported", "not supported" },
	[EID_ECHECKDIGIT] = { "CheckDigit", "MRZ check digit wrong" },
	[EID_ETRANSPORT] = { "Transport", "reader or transport error" },
	[EID_ENOCARD] = { "NoCard", "no card, or the card was removed" },
	[EID_ECANCELLED] = { "Cancelled", "cancelled" },
	[EID_ENOTFOUND] = { "NotFound", "not found" },
	[EID_EPASSWORD] = { "WrongPassword", "the chip refused the password" },
	[EID_EBLOCKED] = { "PasswordBlocked", "password blocked: the PUK is needed" },
	[EID_ESTATE] = { "BadState", "operation not allowed in this state" },
	[EID_EACCESS] = { "AccessDenied", "the chip refused access" },
	[EID_ESUSPENDED] = { "PasswordSuspended", "PIN suspended: the CAN is needed first" },
	[EID_EDEACTIVATED] = { "PasswordDeactivated", "the password is deactivated" },
	[EID_ENOCREDS] = { "NoTerminalCredentials", "terminal authentication needs credentials, none given" },
	[EID_ECERT] = { "Certificate", "certificate refused (expired, not yet valid or chain broken)" },
	[EID_ETIMEOUT] = { "Timeout", "timed out" },
};

static int norm(int err)
{
	if (err < 0)
		err = -err;
	return err < EID_ERROR_MAX ? err : -1;
}

const char *eid_errname(int err)
{
	int e = norm(err);
	return e < 0 ? "Unknown" : errors[e].name;
}

const char *eid_strerror(int err)
{
	int e = norm(err);
	return e < 0 ? "unknown error" : errors[e].text;
}
