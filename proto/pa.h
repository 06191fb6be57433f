/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Passive authentication (ICAO 9303-11 5.1, BSI TR-03110-3 / TR-03105):
 * is the chip's security object signed by a document signer (DS) whose
 * certificate was issued by a CSCA we trust, and do the data groups read
 * from the chip hash to the values it lists?
 *
 *   EF.SOD          = 77 { ContentInfo SignedData, eContentType
 *                     2.23.136.1.1.1 LDSSecurityObject } (the bare
 *                     ContentInfo is accepted too)
 *   EF.CardSecurity = ContentInfo SignedData, eContentType
 *                     0.4.0.127.0.7.3.2.1 SecurityInfos (an eID card's
 *                     eIDSecurityInfo, when present, lists its DG hashes)
 *
 * The steps, in the order eid_pa_verify() performs them:
 *   1. find the DS certificate in the CMS certificates (sid: issuer and
 *      serial, or subject key identifier);
 *   2. check the signed attributes (contentType = eContentType,
 *      messageDigest = hash of the eContent) and the signature over their
 *      DER (re-tagged SET) with the DS key: RSA PKCS#1 v1.5, RSASSA-PSS,
 *      ECDSA (X9.62 or BSI plain);
 *   3. find the CSCA: store entries named like the DS issuer (filtered by
 *      the DS authority key identifier) or with that key identifier, and
 *      verify the DS certificate's signature with each candidate's key;
 *   4. both certificates valid at the verification time;
 *   5. the DS serial against CRLs issued (and signed) by that CSCA;
 *   6. the caller's data groups against the listed hashes.
 * Signatures are checked here, step by step, with EVP_DigestVerify over
 * the original DER, so that explicit EC parameters, NULL algorithm
 * parameters and RSASSA-PSS signer infos of real documents verify (OpenSSL's
 * CMS_verify and chain building refuse them).
 *
 * The CMS SignedData reader and the signature helper below are shared with
 * the trust store, which verifies CSCA master lists with them.
 */
#ifndef EID_PA_H
#define EID_PA_H

#include <time.h>

#include "buf.h"
#include "trust.h"

struct x509_st;     /* OpenSSL X509 */
struct evp_pkey_st; /* OpenSSL EVP_PKEY */

/* ---- CMS SignedData (RFC 5652), as used by SODs and master lists ---- */

/*
 * Views into the parsed bytes (which must outlive the struct).  Absent
 * optional parts have length 0.  Only the first SignerInfo is used (ICAO
 * documents and master lists have exactly one).
 */
struct eid_pa_cms {
	eid_cbs econtent_type;    /* OID contents */
	eid_cbs econtent;         /* eContent OCTET STRING contents */
	eid_cbs certs;            /* contents of certificates [0] */
	eid_cbs sid_issuer;       /* issuerAndSerialNumber: Name element */
	eid_cbs sid_serial;       /* issuerAndSerialNumber: INTEGER element */
	eid_cbs sid_ski;          /* subjectKeyIdentifier [0] contents */
	eid_cbs digest_alg;       /* AlgorithmIdentifier element */
	eid_cbs signed_attrs;     /* signedAttrs [0] element (tag A0) */
	eid_cbs sig_alg;          /* signatureAlgorithm element */
	eid_cbs signature;        /* signature OCTET STRING contents */
	eid_cbs attr_content_type;   /* contentType attribute: OID contents */
	eid_cbs attr_message_digest; /* messageDigest attribute: octets */
	eid_cbs attr_signing_time;   /* signingTime attribute: Time element */
};

/*
 * BER with indefinite lengths (some SODs and master lists) made parseable:
 * appends to out the first element of data with each indefinite length made
 * definite and constructed OCTET STRINGs joined; parts that need no change
 * keep their exact bytes.  At most 32 levels deep.
 */
int eid_pa_ber_definite(const uint8_t *data, size_t n, eid_buf *out);

/* Parse a ContentInfo with SignedData (definite lengths); -EID_EPARSE when malformed. */
int eid_pa_cms_parse(const uint8_t *data, size_t n, struct eid_pa_cms *cms);

/*
 * The signer's certificate among the CMS certificates, matched by the sid
 * (issuer and serial, or subject key identifier).  When nothing matches
 * exactly, a certificate with the sid's serial number is taken if it is
 * the only one (real SODs encode the issuer name differently in the sid
 * and in the certificate); the signature check then decides.  *cert is a
 * new reference, *der its encoding (a view into the CMS bytes).
 * -EID_ENOTFOUND when there is none.
 */
int eid_pa_cms_signer(const struct eid_pa_cms *cms, struct x509_st **cert, eid_cbs *der);

/*
 * Check the signed attributes and the signature with the signer's key.
 * 0 when valid; -EID_EAUTH when a check fails, -EID_ENOTSUP for an unknown
 * algorithm, -EID_EPARSE for malformed parts.  *why (optional) receives a
 * short static phrase naming the failed check.
 */
int eid_pa_cms_verify(const struct eid_pa_cms *cms, struct x509_st *signer,
		      const char **why);

/*
 * Verify a signed X.509 object (certificate or CRL:
 * SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }) with key.
 * 0 valid, -EID_EAUTH wrong signature, -EID_ENOTSUP, -EID_EPARSE.
 */
int eid_pa_verify_signed_der(const uint8_t *der, size_t n, struct evp_pkey_st *key);

/*
 * Verify sig over data with key under the AlgorithmIdentifier alg (element
 * bytes).  default_md ("SHA256", ...) is used when the algorithm names no
 * hash (rsaEncryption, id-ecPublicKey as signature algorithm).
 */
int eid_pa_verify_signature(struct evp_pkey_st *key, const eid_cbs *alg,
			    const char *default_md, const uint8_t *data, size_t n,
			    const uint8_t *sig, size_t siglen);

/* ---- the security object ---- */

enum eid_pa_kind {
	EID_PA_KIND_SOD = 1,         /* LDSSecurityObject */
	EID_PA_KIND_CARDSECURITY,    /* SecurityInfos (EF.CardSecurity / ChipSecurity) */
};

#define EID_PA_MAX_DGS 32            /* data group hashes kept per object */
#define EID_PA_MAX_SIZE (1u << 20)   /* largest security object accepted */

struct eid_pa_sod;

/* Parse an EF.SOD (77 or bare) or EF.CardSecurity; the object keeps a copy. */
int eid_pa_sod_parse(const uint8_t *data, size_t n, struct eid_pa_sod **out);
void eid_pa_sod_free(struct eid_pa_sod *sod);
enum eid_pa_kind eid_pa_sod_kind(const struct eid_pa_sod *sod);
/* The signed content (LDSSecurityObject or SecurityInfos DER). */
void eid_pa_sod_content(const struct eid_pa_sod *sod, eid_cbs *out);
/* Hash algorithm of the DG hashes ("SHA-256"); "" when there are none. */
const char *eid_pa_sod_hash_name(const struct eid_pa_sod *sod);
/* Number of DG hashes listed, and the i-th one (in the object's order). */
size_t eid_pa_sod_dg_count(const struct eid_pa_sod *sod);
bool eid_pa_sod_dg(const struct eid_pa_sod *sod, size_t i, unsigned *number, eid_cbs *hash);

/* ---- verification ---- */

enum eid_pa_status {
	EID_PA_NOT_PERFORMED = 0,
	EID_PA_VALID,
	EID_PA_INVALID,
	EID_PA_NO_TRUST_ANCHOR,      /* signature valid, no CSCA to chain to */
};

enum eid_pa_revocation {
	EID_PA_REV_UNKNOWN = 0,      /* no CRL of the CSCA */
	EID_PA_REV_NOT_REVOKED,
	EID_PA_REV_REVOKED,
};

enum eid_pa_dg_state {
	EID_PA_DG_ABSENT = 0,        /* the object lists no hash for this DG */
	EID_PA_DG_MATCH,
	EID_PA_DG_MISMATCH,
};

/* D-Bus / JSON names: "valid", "not-revoked", "match", ... */
const char *eid_pa_status_name(enum eid_pa_status s);
const char *eid_pa_revocation_name(enum eid_pa_revocation r);
const char *eid_pa_dg_state_name(enum eid_pa_dg_state s);

/* A data group read from the chip: its number and complete file bytes. */
struct eid_pa_dg {
	unsigned number;
	const uint8_t *data;
	size_t len;
};

struct eid_pa_dg_result {
	unsigned number;
	enum eid_pa_dg_state state;
};

#define EID_PA_TEXT_MAX 512

struct eid_pa_result {
	enum eid_pa_kind kind;
	enum eid_pa_status status;           /* passive_auth */
	enum eid_pa_revocation revocation;   /* revocation */
	bool signature_valid;                /* step 2 passed */
	char detail[EID_PA_TEXT_MAX];        /* passive_auth_detail: one sentence */
	char signer[EID_PA_TEXT_MAX];        /* DS subject ("" when not found) */
	char csca[EID_PA_TEXT_MAX];          /* CSCA subject ("" when none) */
	char csca_serial[80];                /* its serial number, hex */
	char csca_source[2 * EID_PA_TEXT_MAX]; /* file or master list */
	time_t signer_not_before, signer_not_after; /* DS validity (0 unknown) */
	char hash_name[16];                  /* DG hash algorithm, "" if none */
	unsigned sod_dgs[EID_PA_MAX_DGS];    /* DG numbers with a hash */
	size_t n_sod_dgs;
	struct eid_pa_dg_result dgs[EID_PA_MAX_DGS]; /* dg_hashes, caller's order */
	size_t n_dgs;
};

/*
 * Compare one data group with the object's hash for its number
 * (constant-time compare).  EID_PA_DG_ABSENT when none is listed.
 */
int eid_pa_check_dg(const struct eid_pa_sod *sod, const struct eid_pa_dg *dg,
		    enum eid_pa_dg_state *state);

/*
 * Passive authentication of sod against trust (NULL = empty store) at time
 * at (0 = now), comparing the ndgs data groups dgs (at most EID_PA_MAX_DGS).
 * Returns 0 when the verdict is in *res (valid or not), a negative code
 * only for bad arguments or resource failures.
 */
int eid_pa_verify(const struct eid_pa_sod *sod, const struct eid_trust *trust, time_t at,
		  const struct eid_pa_dg *dgs, size_t ndgs, struct eid_pa_result *res);

/* eid_pa_sod_parse + eid_pa_verify; -EID_EPARSE when the object is malformed. */
int eid_pa_verify_bytes(const uint8_t *data, size_t n, const struct eid_trust *trust,
			time_t at, const struct eid_pa_dg *dgs, size_t ndgs,
			struct eid_pa_result *res);

#endif
