/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read flow for ICAO eMRTDs: detect -> access control (PACE, else BAC
 * when allowed) -> chip authentication (CA from DG14, PACE-CAM, else AA
 * from DG15) -> read the requested data groups -> passive authentication.
 *
 * The caller gives a card handle, options and callbacks (secrets, progress,
 * cancellation) and gets a result with the files read, the decoded MRZ and
 * face, and the verification outcome named as in the D-Bus API.
 */
#ifndef EID_READ_H
#define EID_READ_H

#include <time.h>

#include "apdu.h"
#include "crypto.h"
#include "lds.h"
#include "mrz.h"
#include "pa.h"
#include "pace.h"

struct eid_trust;

/* Files of the result, indexed: 1..16 data groups, and these. */
enum eid_read_file {
	EID_FILE_COM = 17,
	EID_FILE_SOD = 18,
	EID_FILE_CARDACCESS = 19,
	EID_FILE_COUNT = 20,
};

/*
 * Secret request: write the secret for `kind` into out (a secret buffer):
 * for EID_PW_MRZ the 20-byte SHA-1 of MRZ_information (eid_mrz_key_hash),
 * for CAN/PIN/PUK the digits.  Return 0, or a negative code to give up
 * (-EID_ENOTFOUND: "not available").  retry_counter is -1 when unknown.
 */
typedef int (*eid_secret_fn)(void *ctx, enum eid_password kind, int retry_counter, eid_buf *out);
/* Progress: a stable step name ("detect", "pace", "bac", "ca", "aa",
 * "read:DG2", "pa") and the fraction done (0..1). */
typedef void (*eid_progress_fn)(void *ctx, const char *step, double fraction);
/* Return true to stop the read at the next APDU boundary. */
typedef bool (*eid_cancel_fn)(void *ctx);

struct eid_read_opts {
	uint32_t dgs;                  /* bit n: read DGn; 0 means DG1 only */
	bool allow_bac;                /* BAC when PACE is not offered or failed */
	enum eid_password password;    /* PACE password: EID_PW_MRZ or EID_PW_CAN (0: MRZ) */
	const struct eid_trust *trust; /* CSCAs; NULL: passive auth has no anchor */
	time_t verify_time;            /* 0: now */
	const struct eid_rng *rng;     /* NULL: system CSPRNG */
	eid_secret_fn secret;
	eid_progress_fn progress;
	eid_cancel_fn cancelled;
	void *cb_ctx;
};

/* The verification outcome, with the D-Bus API's value names. */
struct eid_read_verification {
	const char *access;            /* "pace", "bac" */
	const char *password;          /* "mrz", "can" */
	const char *pace_mapping;      /* "gm", "im", "cam"; NULL without PACE */
	const char *chip_auth;         /* "valid", "failed", "not-supported", "not-performed" */
	const char *active_auth;       /* same values */
	int pace_error;                /* PACE failed with this code before BAC (0: no) */
	struct eid_pa_result pa;       /* passive_auth, detail, signer, csca, dg_hashes... */
	bool document_expired;
	bool clone_resistant;
	const char *verdict;           /* "verified" or "not-verified"; also
					  not-verified when a requested data group
					  that the SOD lists could not be read */
};

struct eid_read_step {
	const char *name;
	double seconds;
	unsigned long apdus;
};

#define EID_READ_MAX_STEPS 32

struct eid_read_result {
	eid_buf files[EID_FILE_COUNT];   /* file bytes (secret buffers); empty if not read */
	bool have[EID_FILE_COUNT];
	int read_error[EID_FILE_COUNT]; /* why a requested file was not read (0: read
					   or not requested); -EID_EACCESS: the chip
					   refused it */
	struct eid_mrz mrz;            /* from DG1 */
	bool have_mrz;
	struct eid_lds_dg2 *dg2;       /* when DG2 was read */
	struct eid_lds_dg11 *dg11;
	struct eid_lds_dg12 *dg12;
	struct eid_read_verification v;
	struct eid_card_stats stats;   /* whole read */
	struct eid_read_step steps[EID_READ_MAX_STEPS];
	size_t n_steps;
	double seconds;                /* wall time of the whole read */
};

/* Read an eMRTD.  *out is set (and must be freed) whenever the return value
 * is 0; errors before any verification return a negative code and no
 * result: -EID_EPASSWORD (wrong secret), -EID_ENOTSUP (not an eMRTD or no
 * usable access protocol), -EID_ECANCELLED, -EID_ENOCARD, transport and SM
 * errors. */
int eid_read_mrtd(struct eid_card *card, const struct eid_read_opts *opts,
		  struct eid_read_result **out);
void eid_read_result_free(struct eid_read_result *res);

/* "DG1".."DG16", "EF.COM", "EF.SOD", "EF.CardAccess". */
const char *eid_read_file_name(int file);

#endif
