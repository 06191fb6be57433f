/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card-verifiable certificates (BSI TR-03110-3 App. C, ISO 7816-8):
 *
 *   7F21 { 7F4E body { 5F29 profile, 42 CAR, 7F49 public key { 06 OID,
 *          81.. components }, 5F20 CHR, 7F4C CHAT { 06 role OID, 53 rights },
 *          5F25 effective date, 5F24 expiration date, [65 extensions] },
 *          5F37 signature }
 *
 * Dates are six BCD-like digits YYMMDD (one digit per byte, 20YY).
 * EC public keys of DV and terminal certificates carry only the point
 * (86); the domain parameters come from the CVCA's key, so a key is only
 * usable after its chain is known.  Every byte is parsed through the cursor.
 */
#ifndef EID_CVC_H
#define EID_CVC_H

#include <time.h>

#include "buf.h"

#ifndef EID_EVP_PKEY_DECLARED
#define EID_EVP_PKEY_DECLARED
typedef struct evp_pkey_st EVP_PKEY;
#endif

enum eid_cvc_role {
	EID_CVC_ROLE_TERMINAL = 0,  /* CHAT role bits 00 */
	EID_CVC_ROLE_DV_NONOFFICIAL = 1, /* 01: DV (non-official / foreign) */
	EID_CVC_ROLE_DV_OFFICIAL = 2,    /* 10: DV (official domestic) */
	EID_CVC_ROLE_CVCA = 3,      /* 11 */
};

enum eid_cvc_terminal_type {
	EID_CVC_TYPE_UNKNOWN = 0,
	EID_CVC_TYPE_IS,            /* inspection system 0.4.0.127.0.7.3.1.2.1 */
	EID_CVC_TYPE_AT,            /* authentication terminal ...2.2 */
	EID_CVC_TYPE_ST,            /* signature terminal ...2.3 */
};

/*
 * Authentication terminal (AT) rights: the 5-byte CHAT bitmap of TR-03110-4
 * 2.2.3.2 read as a 40-bit big-endian number; bits 39-38 are the role and
 * are not part of `rights`.  Bit 0 age verification, 1 community ID
 * verification, 2 restricted identification, 3 privileged terminal, 4 CAN
 * allowed, 5 PIN management, 6 install certificate, 7 install qualified
 * certificate, 8..29 read DG1..DG22, 32..37 write DG22..DG17.
 */
#define EID_CVC_AT_AGE_VERIFICATION   (1ull << 0)
#define EID_CVC_AT_COMMUNITY_ID       (1ull << 1)
#define EID_CVC_AT_RESTRICTED_ID      (1ull << 2)
#define EID_CVC_AT_PRIVILEGED         (1ull << 3)
#define EID_CVC_AT_CAN_ALLOWED        (1ull << 4)
#define EID_CVC_AT_PIN_MANAGEMENT     (1ull << 5)
#define EID_CVC_AT_INSTALL_CERT       (1ull << 6)
#define EID_CVC_AT_INSTALL_QCERT      (1ull << 7)
/* read DGn (n = 1..22): bit 7 + n */
#define EID_CVC_AT_READ_DG(n)         (1ull << (7 + (n)))

struct eid_cvc {
	char car[17];               /* certification authority reference */
	char chr[17];               /* certificate holder reference */
	uint8_t pk_oid[16];         /* id-TA-ECDSA-SHA-256, id-TA-RSA-v1-5-SHA-1, ... (contents) */
	size_t pk_oid_len;
	bool pk_is_ec;
	bool pk_has_domain;         /* EC domain parameters present (CVCA certificates) */
	eid_buf pk_p, pk_a, pk_b, pk_g, pk_r, pk_f; /* EC domain (if present) */
	eid_buf pk_y;               /* EC public point (86) */
	eid_buf pk_n, pk_e;         /* RSA modulus (81), exponent (82) */
	enum eid_cvc_terminal_type type;
	enum eid_cvc_role role;
	uint64_t rights;            /* AT rights as above (type AT); raw bits for others */
	uint8_t chat[32];           /* the 7F4C element as encoded (for PACE MSE:Set AT) */
	size_t chat_len;
	char effective[11];         /* "2026-11-23" */
	char expiration[11];
	time_t effective_t;         /* 00:00:00 UTC of the effective date */
	time_t expiration_t;        /* 23:59:59 UTC of the expiration date */
	eid_buf body;               /* the 7F4E element as encoded (PSO:Verify Certificate) */
	eid_buf signature;          /* 5F37 contents */
	eid_buf der;                /* the whole 7F21 certificate */
	eid_buf ext;                /* 65 certificate extensions (contents; empty if none) */
	uint8_t bitmap[8];          /* the CHAT's 53 bitmap as encoded (role bits included) */
	size_t bitmap_len;          /* 5 for AT, 1 for IS and ST */
};

/* Signature schemes of the TA OIDs (id-TA 0.4.0.127.0.7.2.2.2). */
enum eid_cvc_sig_scheme {
	EID_CVC_SIG_NONE = 0,
	EID_CVC_SIG_ECDSA,          /* id-TA-ECDSA-SHA-1/224/256/384/512 (2.x) */
	EID_CVC_SIG_RSA_V15,        /* id-TA-RSA-v1-5-SHA-1/256/512 (1.1, 1.2, 1.5) */
	EID_CVC_SIG_RSA_PSS,        /* id-TA-RSA-PSS-SHA-1/256/512 (1.3, 1.4, 1.6) */
};

/* The scheme and hash name ("SHA256") of a TA OID (contents, as pk_oid).
 * -EID_ENOTSUP for anything else. */
int eid_cvc_ta_algorithm(const uint8_t *oid, size_t n, enum eid_cvc_sig_scheme *scheme,
			 const char **md);

/* ECDSA signature formats: plain r||s (TR-03111, both halves of the same
 * size) <-> DER Ecdsa-Sig-Value.  to_plain pads each half to `half` bytes.
 * Both append to out; -EID_EPARSE on malformed input. */
int eid_cvc_ecdsa_plain_to_der(const uint8_t *sig, size_t n, eid_buf *out);
int eid_cvc_ecdsa_der_to_plain(const uint8_t *der, size_t n, size_t half, eid_buf *out);

/* Parse one certificate (7F21 ...; trailing bytes are an error). */
int eid_cvc_parse(const uint8_t *der, size_t n, struct eid_cvc **out);
void eid_cvc_free(struct eid_cvc *c);

/* Is the certificate valid on this day (effective <= at <= expiration)? */
bool eid_cvc_valid_at(const struct eid_cvc *c, time_t at);

/*
 * The public key of c as an EVP_PKEY; an EC key without domain parameters
 * takes them from `domain` (the CVCA certificate of its chain; NULL when c
 * has its own).  -EID_ENOTSUP for unknown algorithms.
 */
int eid_cvc_pubkey(const struct eid_cvc *c, const struct eid_cvc *domain, EVP_PKEY **out);

/* Check c's signature with the issuer's key (algorithm from c's issuer:
 * the hash and scheme of the issuer's pk_oid).  -EID_EAUTH if wrong. */
int eid_cvc_verify_signature(const struct eid_cvc *c, const struct eid_cvc *issuer,
			     const struct eid_cvc *domain);

/*
 * Verify a chain: anchors are trusted CVCA certificates; chain[0..n) is in
 * order from the certificate issued by an anchor (a CVCA link certificate,
 * or the DV certificate) down to the terminal certificate.  Checks CAR/CHR
 * linkage, signatures, validity at `at` (link and CVCA certificates only
 * for their own update, as a chip does), roles, and gives the effective
 * rights (the AND of the chain's CHATs) in *rights.  -EID_ECERT with a
 * reason in *why (a static string) when refused.
 */
int eid_cvc_chain_verify(const struct eid_cvc *const *anchors, size_t n_anchors,
			 const struct eid_cvc *const *chain, size_t n, time_t at,
			 uint64_t *rights, const char **why);

/* "DETESTeID00005" style holder/authority reference check. */
bool eid_cvc_ref_equal(const char *a, const char *b);

/* Human summary of AT rights ("DG1 DG2 ... CAN-allowed RI"), for diagnostics. */
int eid_cvc_rights_string(uint64_t rights, char *out, size_t cap);

#endif
