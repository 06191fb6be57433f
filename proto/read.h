/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read flow.  ICAO eMRTDs: detect -> access control (PACE, else BAC
 * when allowed) -> chip authentication (CA from DG14, PACE-CAM, else AA
 * from DG15) -> read the requested data groups -> passive authentication.
 * German eID (nPA, eAT): detect -> PACE with CAN/PIN/PUK (with the CHAT)
 * -> Terminal Authentication -> EF.CardSecurity -> Chip Authentication v2
 * -> select the eID application -> the data groups within the CHAT ->
 * passive authentication of EF.CardSecurity.
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
#include "holder.h"
#include "lds.h"
#include "mrz.h"
#include "pa.h"
#include "pace.h"

struct eid_trust;
struct eid_ta_creds;

/* Files of the result, indexed: data groups 1..22 (eMRTD DG1..DG16, eID
 * DG1..DG22), and these. */
enum eid_read_file {
	EID_FILE_COM = 23,
	EID_FILE_SOD = 24,
	EID_FILE_CARDACCESS = 25,
	EID_FILE_CARDSECURITY = 26,
	EID_FILE_COUNT = 27,
};

enum eid_doc_kind {
	EID_DOC_AUTO = 0,     /* opts: decide from EF.CardAccess */
	EID_DOC_MRTD,         /* "icao-mrtd" */
	EID_DOC_EID,          /* "de-eid": the German eID application */
};
const char *eid_doc_kind_name(enum eid_doc_kind k);

/*
 * Secret request: write the secret for `kind` into out (a secret buffer):
 * for EID_PW_MRZ the 20-byte SHA-1 of MRZ_information (eid_mrz_key_hash),
 * for CAN/PIN/PUK the digits.  Return 0, or a negative code to give up
 * (-EID_ENOTFOUND: "not available").  retry_counter is -1 when unknown.
 * The flow asks only for what it is about to use, once per attempt: the
 * PIN (and the CAN when the chip says the PIN is suspended, the PUK when it
 * is blocked).  A secret the callback does not give is never tried.
 */
typedef int (*eid_secret_fn)(void *ctx, enum eid_password kind, int retry_counter, eid_buf *out);
/* Progress: a stable step name ("detect", "pace", "bac", "ca", "aa",
 * "read:DG2", "pa") and the fraction done (0..1). */
typedef void (*eid_progress_fn)(void *ctx, const char *step, double fraction);
/* Return true to stop the read at the next APDU boundary. */
typedef bool (*eid_cancel_fn)(void *ctx);

struct eid_read_opts {
	uint32_t dgs;                  /* bit n: read DGn; 0: the minimum that identifies
					  the holder (eMRTD DG1; eID DG1-DG5, DG8) */
	bool allow_bac;                /* BAC when PACE is not offered or failed */
	enum eid_password password;    /* PACE password (0: MRZ for eMRTDs, CAN for the eID);
					  EID_PW_PIN may lead to CAN/PUK requests */
	enum eid_doc_kind kind;        /* which application (AUTO: the eID application
					  when EF.CardAccess offers TA and CA v2) */
	const struct eid_ta_creds *terminal; /* eID: TA credentials (NULL: -EID_ENOCREDS) */
	const struct eid_trust *trust; /* CSCAs; NULL: passive auth has no anchor */
	const uint8_t *ri_sector_pub;  /* eID: Restricted Identification with this sector
					  public key (DER SubjectPublicKeyInfo, EC), after
					  the data groups; NULL: none */
	size_t ri_sector_pub_len;
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
	const char *password;          /* "mrz", "can", "pin", "puk" (the last PACE) */
	const char *terminal_auth;     /* "valid", "not-performed", "failed" */
	char terminal_chr[17];         /* eID: the terminal certificate's CHR */
	uint64_t effective_rights;     /* eID: the CHAT the chip granted (cvc.h bits) */
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
					   refused it, or the CHAT does not grant it */
	enum eid_doc_kind kind;        /* EID_DOC_MRTD or EID_DOC_EID */
	struct eid_holder holder;      /* the decoded holder data, D-Bus names */
	struct eid_mrz mrz;            /* from DG1 */
	bool have_mrz;
	struct eid_lds_dg2 *dg2;       /* when DG2 was read */
	struct eid_lds_dg11 *dg11;
	struct eid_lds_dg12 *dg12;
	struct eid_read_verification v;
	eid_buf restricted_id;         /* eID: the sector ID of Restricted Identification
					  (secret buffer); empty when not asked for, not
					  granted or refused */
	struct eid_card_stats stats;   /* whole read */
	struct eid_read_step steps[EID_READ_MAX_STEPS];
	size_t n_steps;
	double seconds;                /* wall time of the whole read */
};

/* Why a read failed, for the caller's error message. */
struct eid_read_status {
	int retry_counter;             /* of the password last tried (-1 unknown) */
	enum eid_password password;    /* the password concerned (0: none) */
	const char *step;              /* the step that failed ("pace", "ta", ...) */
	const char *detail;            /* a static human sentence, or NULL */
	/* how far a failed read got, for the audit (never holder data): */
	enum eid_doc_kind kind;        /* the document detected (AUTO: not known) */
	const char *access;            /* "pace"/"bac" once established, or NULL */
	enum eid_password tried;       /* the password of the last PACE/BAC tried */
	char terminal_chr[17];         /* eID: the terminal certificate's CHR */
};

/*
 * Read a document.  *out is set (and must be freed) whenever the return
 * value is 0; errors before any verification return a negative code and no
 * result: -EID_EPASSWORD (wrong secret; status->retry_counter),
 * -EID_ESUSPENDED (PIN suspended and no CAN given), -EID_EBLOCKED (PIN
 * blocked and no PUK given), -EID_EDEACTIVATED, -EID_ENOCREDS (an eID and no
 * terminal credentials), -EID_ECERT (terminal certificate expired or not
 * accepted by the chip), -EID_ENOTSUP (no usable application or access
 * protocol), -EID_ECANCELLED, -EID_ENOCARD, transport and SM errors.
 * status may be NULL.
 */
int eid_read(struct eid_card *card, const struct eid_read_opts *opts,
	     struct eid_read_result **out, struct eid_read_status *status);
/* eid_read with kind EID_DOC_MRTD, no status. */
int eid_read_mrtd(struct eid_card *card, const struct eid_read_opts *opts,
		  struct eid_read_result **out);
void eid_read_result_free(struct eid_read_result *res);

/* "DG1".."DG22", "EF.COM", "EF.SOD", "EF.CardAccess", "EF.CardSecurity". */
const char *eid_read_file_name(int file);
/* The D-Bus data group name of a file: "DG1".."DG22", "COM", "SOD",
 * "CardAccess", "CardSecurity". */
const char *eid_read_file_short_name(int file);
/* Parse "DG1".."DG22" (case-insensitive); -EID_EINVAL otherwise. */
int eid_read_parse_dg(const char *name, int *dg);

#endif
