/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libeid: common definitions.
 *
 * Every function that can fail returns 0 on success or a negative EID_E*
 * code (e.g. -EID_EPARSE).  Cursor primitives in buf.h return bool instead
 * (true = the whole read succeeded), like BoringSSL's CBS.
 */
#ifndef EID_EID_H
#define EID_EID_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum eid_error {
	EID_OK = 0,
	EID_EINVAL,      /* invalid argument from the caller */
	EID_ENOMEM,      /* out of memory */
	EID_EPARSE,      /* malformed input (chip, reader or file data) */
	EID_ETOOBIG,     /* input exceeds a limit */
	EID_ECRYPTO,     /* the crypto library failed */
	EID_ESW,         /* the card answered with an unexpected status word */
	EID_EMAC,        /* secure messaging: MAC missing or wrong */
	EID_ESM,         /* secure messaging: malformed response, padding error */
	EID_ESMCLOSED,   /* secure messaging channel was ended by an earlier error */
	EID_EAUTH,       /* authentication failed (wrong key, token mismatch) */
	EID_ENOTSUP,     /* operation, algorithm or parameter not supported */
	EID_ECHECKDIGIT, /* an MRZ check digit is wrong */
	EID_ETRANSPORT,  /* the reader or transport failed */
	EID_ENOCARD,     /* no card, or the card was removed */
	EID_ECANCELLED,  /* cancelled by the caller */
	EID_ENOTFOUND,   /* file, object or key not found */
	EID_EPASSWORD,   /* the chip refused the password (retry counter in the result) */
	EID_EBLOCKED,    /* password blocked (retry counter 0): PUK needed */
	EID_ESTATE,      /* call made in the wrong state */
	EID_EACCESS,     /* the chip refused access (security status not satisfied) */
	EID_ESUSPENDED,  /* PIN suspended: PACE with the CAN is needed first */
	EID_EDEACTIVATED,/* the password (eID PIN) is deactivated */
	EID_ENOCREDS,    /* Terminal Authentication needed, no terminal credentials given */
	EID_ECERT,       /* a certificate was refused: expired, not yet valid, chain broken */
	EID_ETIMEOUT,    /* waited as long as the caller allowed (e.g. for a card) */
	EID_ERROR_MAX
};

/* Stable name (e.g. "Parse") for an error code, positive or negative. */
const char *eid_errname(int err);
/* One-line English description for an error code, positive or negative. */
const char *eid_strerror(int err);

#endif
