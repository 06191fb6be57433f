/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CSCA trust store: country signing CA certificates that passive
 * authentication chains document signers to, and CRLs.
 *
 * Sources (the format is recognised from the bytes, not the file name):
 *   - X.509 certificates, DER or PEM (several per PEM file); only CA
 *     certificates become trust anchors, others are counted as skipped;
 *   - CSCA master lists (ICAO 9303-12 9: CMS SignedData, eContentType
 *     2.23.136.1.1.2, CscaMasterList ::= SEQUENCE { version, certList SET OF
 *     Certificate }).  The list's own signature is verified, and its signer
 *     certificate must be issued by a CSCA that is in the list itself or
 *     already in the store and be valid at the list's signingTime; a list
 *     that fails is not loaded at all; BER indefinite lengths are accepted;
 *   - ICAO PKD LDIF exports (userCertificate;binary, pkdMasterListContent,
 *     certificateRevocationList;binary; base64, folded lines, LF or CRLF);
 *     an entry that fails does not stop the others;
 *   - CRLs, DER or PEM.  A CRL counts only when its signature verifies with
 *     the CSCA it names as issuer (checked at use).
 *
 * Every entry in the store is a trust anchor: a link certificate (a new CSCA
 * signed by the old one) is accepted as itself.  Identical certificates are
 * kept once (the first source wins).
 *
 * Lookups by subject name and by subject key identifier use sorted indexes
 * (binary search).  The store is built by one thread; once loading is done
 * it is never changed, so any number of threads may read it; a reload
 * builds a new store and swaps it whole.  No global state.
 */
#ifndef EID_TRUST_H
#define EID_TRUST_H

#include <time.h>

#include "buf.h"

struct x509_st;       /* OpenSSL X509 */
struct evp_pkey_st;   /* OpenSSL EVP_PKEY */
struct X509_crl_st;   /* OpenSSL X509_CRL */
struct X509_name_st;  /* OpenSSL X509_NAME */
struct asn1_string_st; /* OpenSSL ASN1_TIME */

#define EID_TRUST_MAX_FILE (256u << 20) /* largest file loaded (PKD LDIF) */
#define EID_TRUST_KEYID_MAX 64

struct eid_trust;

/*
 * A trust anchor (read-only view, valid as long as the store).  The store
 * keeps the certificate's DER and what it indexes by; OpenSSL objects are
 * made on demand (decoding a public key costs OpenSSL 3.0 about half a
 * millisecond, too slow for the thousand entries of two master lists).
 */
struct eid_trust_csca {
	eid_buf der;                     /* the certificate */
	eid_cbs spki;                    /* its SubjectPublicKeyInfo (view into der) */
	struct X509_name_st *name;       /* subject, decoded */
	char *subject;                   /* "C=DE, O=bund, OU=bsi, CN=csca-germany" */
	char *serial;                    /* hex, upper case */
	time_t not_before, not_after;
	char *source;                    /* file path, or "master list PATH (SIGNER)" */
	uint8_t ski[EID_TRUST_KEYID_MAX];
	size_t ski_len;                  /* 0: no subject key identifier */
	uint8_t sha256[32];              /* of the DER */
	size_t seq;                      /* arrival order (internal) */
};

/* The CSCA's public key (new reference; NULL when OpenSSL cannot decode it). */
struct evp_pkey_st *eid_trust_csca_get1_key(const struct eid_trust_csca *c);
/* The CSCA certificate as an OpenSSL object (new reference). */
struct x509_st *eid_trust_csca_get1_cert(const struct eid_trust_csca *c);

/* A master list that was loaded. */
struct eid_trust_ml {
	char *source;                    /* file path (or "PATH (LDIF entry)") */
	char *signer;                    /* master list signer subject */
	time_t signing_time;             /* signingTime attribute; 0 if absent */
	size_t n_certs;                  /* certificates in the list */
	size_t n_added;                  /* new to the store (others duplicates) */
};

/* A CRL that was loaded (its signature is checked when it is used). */
struct eid_trust_crl {
	struct X509_crl_st *crl;
	char *issuer;
	time_t this_update, next_update; /* next_update 0 if absent */
	size_t n_revoked;
	char *source;
	eid_buf der;
};

struct eid_trust_summary {
	size_t n_cscas;
	size_t n_master_lists;
	size_t n_crls;
	size_t n_duplicates;             /* certificates seen again */
	size_t n_skipped;                /* non-CA or unparseable certificates */
};

struct eid_trust *eid_trust_new(void);
void eid_trust_free(struct eid_trust *t);

/*
 * Load a file, or each file of a directory (not recursive, in name order)
 * whose name ends in .pem .crt .cer .der .ml .ldif .crl (any case).  In a
 * directory a file that fails does not stop the others; the first error is
 * returned and described by eid_trust_last_error().
 */
int eid_trust_load(struct eid_trust *t, const char *path);
/* "PATH: reason" of the last failed load; "" when none. */
const char *eid_trust_last_error(const struct eid_trust *t);

/* The same from memory; source names the origin in reports. */
int eid_trust_add_bytes(struct eid_trust *t, const uint8_t *data, size_t n,
			const char *source);
int eid_trust_add_cert(struct eid_trust *t, const uint8_t *der, size_t n, const char *source);
int eid_trust_add_masterlist(struct eid_trust *t, const uint8_t *data, size_t n,
			     const char *source);
int eid_trust_add_ldif(struct eid_trust *t, const uint8_t *data, size_t n, const char *source);
int eid_trust_add_crl(struct eid_trust *t, const uint8_t *der, size_t n, const char *source);

/* Reports. CSCAs are in subject order. */
void eid_trust_get_summary(const struct eid_trust *t, struct eid_trust_summary *s);
size_t eid_trust_csca_count(const struct eid_trust *t);
const struct eid_trust_csca *eid_trust_csca_get(const struct eid_trust *t, size_t i);
size_t eid_trust_ml_count(const struct eid_trust *t);
const struct eid_trust_ml *eid_trust_ml_get(const struct eid_trust *t, size_t i);
size_t eid_trust_crl_count(const struct eid_trust *t);
const struct eid_trust_crl *eid_trust_crl_get(const struct eid_trust *t, size_t i);

/*
 * CSCAs whose subject equals the DER Name: returns how many, and in *first
 * the index of the first (they are adjacent in subject order).
 */
size_t eid_trust_find_subject(const struct eid_trust *t, const uint8_t *name_der, size_t n,
			      size_t *first);
/* CSCAs with this subject key identifier: up to max into out; returns the count found. */
size_t eid_trust_find_ski(const struct eid_trust *t, const uint8_t *ski, size_t n,
			  const struct eid_trust_csca **out, size_t max);
/*
 * Candidate issuers of cert: entries named like its issuer whose key
 * identifier matches its authority key identifier (when both have one),
 * then entries with that key identifier under another name.  Up to max.
 */
size_t eid_trust_find_issuers(const struct eid_trust *t, struct x509_st *cert,
			      const struct eid_trust_csca **out, size_t max);

enum eid_trust_revocation {
	EID_TRUST_REV_UNKNOWN = 0,       /* no CRL of this CSCA verifies */
	EID_TRUST_REV_NOT_REVOKED,
	EID_TRUST_REV_REVOKED,
};

/*
 * Revocation status of cert (issued by csca) according to the CRLs named
 * after the CSCA whose signature verifies with its key.  With crl_source
 * (optional) the source of the deciding CRL.
 */
enum eid_trust_revocation eid_trust_revocation(const struct eid_trust *t,
					       const struct eid_trust_csca *csca,
					       struct x509_st *cert, const char **crl_source);

/* A Name as one line: "C=DE, O=bund, CN=csca-germany" (control characters escaped). */
void eid_trust_name_text(const struct X509_name_st *name, char *out, size_t outsz);
/* An ASN.1 Time as seconds since the epoch; 0 when malformed. */
time_t eid_trust_time(const struct asn1_string_st *t);

#endif
