/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecurityInfos (BSI TR-03110-3 A.1, ICAO 9303-11 9.2): what a chip says it
 * supports, read from EF.CardAccess (a bare SET), EF.CardSecurity /
 * EF.ChipSecurity (CMS SignedData whose eContent is the SET) or the eMRTD's
 * DG14 (tag 6E around the SET).
 *
 *   SecurityInfos ::= SET OF SecurityInfo
 *   SecurityInfo  ::= SEQUENCE { protocol OBJECT IDENTIFIER,
 *                                requiredData ANY, optionalData ANY OPTIONAL }
 *
 * Parsing is strict DER with bounded sizes: the SET must fill its input
 * exactly (and, inside 6E or the eContent OCTET STRING, its wrapper), every
 * INTEGER must fit in 31 bits, OIDs are at most EID_SECINFO_OID_MAX bytes,
 * and nested PrivilegedTerminalInfos are limited to EID_SECINFOS_MAX_DEPTH.
 * The SET is accepted in any order (real chips do not sort it).  An empty
 * SET is valid: it parses to zero items (the caller decides that "no
 * protocol offered" is a problem).  An unknown protocol OID is kept as an
 * EID_SI_UNKNOWN item and is never an error; a known protocol whose data do
 * not have the specified shape is -EID_EPARSE.  A version number outside what
 * the type allows is parsed and reported (version_ok = false), not rejected.
 *
 * Bytes after the outer element (padding in a file dumped with a fixed read
 * size) are an error too: a card reader takes the size from the first TLV
 * header (eid_tlv_header) and passes exactly that element.
 *
 * The parsed set owns a copy of the SecurityInfos bytes; every eid_cbs in an
 * item points into that copy and lives as long as the set.  The copy is wiped
 * on free (chip-individual keys are linkable).
 *
 * Errors: -EID_EPARSE malformed input, -EID_ETOOBIG a limit above exceeded
 * (input size, item count, OID length, nesting depth), -EID_ENOMEM,
 * -EID_EINVAL bad arguments.  On error *out is NULL.
 */
#ifndef EID_SECINFO_H
#define EID_SECINFO_H

#include "buf.h"

#define EID_SECINFO_OID_MAX      32        /* bytes of OID contents */
#define EID_SECINFO_OID_TEXT_MAX 160       /* dotted text incl. NUL */
#define EID_SECINFOS_MAX_SIZE    (1u << 20) /* whole input (CMS included) */
#define EID_SECINFOS_MAX_ITEMS   1024      /* SecurityInfos, nested included */
#define EID_SECINFOS_MAX_DEPTH   2         /* PrivilegedTerminalInfo nesting */

enum eid_secinfo_type {
	EID_SI_UNKNOWN = 0,      /* protocol OID not known: kept, not interpreted */
	EID_SI_PACE,             /* PACEInfo: version, parameter_id */
	EID_SI_PACE_DP,          /* PACEDomainParameterInfo: algorithm, parameter_id */
	EID_SI_CA,               /* ChipAuthenticationInfo: version, key_id */
	EID_SI_CA_DP,            /* ChipAuthenticationDomainParameterInfo: algorithm, key_id */
	EID_SI_CA_PK,            /* ChipAuthenticationPublicKeyInfo: spki, public_key, key_id */
	EID_SI_TA,               /* TerminalAuthenticationInfo: version, fid/sfid (efCVCA) */
	EID_SI_AA,               /* ActiveAuthenticationInfo: version, sig_alg */
	EID_SI_CARD_INFO,        /* CardInfoLocator / CardInfo: url, fid/sfid (efCardInfo) */
	EID_SI_PRIVILEGED,       /* PrivilegedTerminalInfo: its SecurityInfos follow it */
	EID_SI_RI,               /* RestrictedIdentificationInfo: version, key_id, authorized_only */
	EID_SI_RI_DP,            /* RestrictedIdentificationDomainParameterInfo: algorithm */
	EID_SI_EID_SECURITY,     /* EIDSecurityInfo: algorithm = hash algorithm */
	EID_SI_PASSWORD,         /* PasswordInfo: password_id */
	EID_SI_PSA,              /* PSAInfo: version, key_id */
	EID_SI_PSM,              /* PSMInfo: version, key_id */
	EID_SI_PSC,              /* PSCInfo: version, key_id */
	EID_SI_PS_PK,            /* PSPublicKeyInfo: spki, public_key, parameter_id, key_id */
	EID_SI_TYPE_MAX
};

/* Where the SecurityInfos came from (eid_secinfos_parse_auto). */
enum eid_secinfo_source {
	EID_SI_SRC_SET = 0,      /* bare SET, as in EF.CardAccess */
	EID_SI_SRC_CMS,          /* eContent of a CMS SignedData: EF.CardSecurity */
	EID_SI_SRC_DG14,         /* ICAO LDS DG14 (tag 6E) */
};

struct eid_secinfo {
	enum eid_secinfo_type type;
	uint8_t oid[EID_SECINFO_OID_MAX];      /* protocol OID contents */
	size_t oid_len;
	char oid_text[EID_SECINFO_OID_TEXT_MAX]; /* "0.4.0.127.0.7.2.2.4.2.2" */
	const char *name;        /* "id-PACE-ECDH-GM-AES-CBC-CMAC-128"; NULL if unknown */

	int version;             /* -1 absent */
	bool version_ok;         /* false when the version is outside what the type
				    allows (types without a version: true) */
	int parameter_id;        /* PACEInfo/PACEDomainParameterInfo parameterId,
				    PSPublicKeyInfo pSParameterID; -1 absent */
	int std_param_id;        /* standardized domain parameter ID from an
				    AlgorithmIdentifier {0.4.0.127.0.7.1.2, id}; -1 otherwise */
	int key_id;              /* -1 absent */
	int password_id;         /* PasswordInfo pwdId; -1 absent */
	int fid, sfid;           /* FileID (efCVCA, efCardInfo); -1 absent */
	bool authorized_only;    /* RestrictedIdentificationInfo */

	bool privileged;         /* inside a PrivilegedTerminalInfo */
	int parent;              /* index of that PrivilegedTerminalInfo, -1 top level */

	eid_cbs element;         /* the whole SecurityInfo (30 L ...) */
	eid_cbs required;        /* requiredData element, tag and length included */
	eid_cbs optional;        /* optionalData element; empty if absent */
	eid_cbs algorithm;       /* AlgorithmIdentifier element: domainParameter of a
				    *DomainParameterInfo, the key's algorithm of a
				    *PublicKeyInfo, hashAlgorithm of EIDSecurityInfo */
	eid_cbs algorithm_oid;   /* contents of that AlgorithmIdentifier's OID */
	eid_cbs algorithm_params; /* its parameters element (explicit SEQUENCE, named
				     curve OID, INTEGER ID); empty if absent */
	bool explicit_params;    /* its parameters are an explicit SEQUENCE */
	eid_cbs spki;            /* *PublicKeyInfo: SubjectPublicKeyInfo element */
	eid_cbs public_key;      /* *PublicKeyInfo: BIT STRING bits (EC point or DH INTEGER) */
	eid_cbs sig_alg;         /* ActiveAuthenticationInfo: signature algorithm OID contents */
	eid_cbs url;             /* CardInfoLocator: IA5String contents (not NUL-terminated) */
};

struct eid_secinfos {
	enum eid_secinfo_source source;
	uint8_t *der;            /* owned copy of the SecurityInfos SET (31 L ...) */
	size_t der_len;
	struct eid_secinfo *items; /* in file order; a PrivilegedTerminalInfo is
				      followed by the items it contains */
	size_t n;
};

/* A bare SecurityInfos SET (EF.CardAccess, or an extracted eContent). */
int eid_secinfos_parse(const uint8_t *der, size_t n, struct eid_secinfos **out);
/* DG14: 6E L { SecurityInfos }. */
int eid_secinfos_parse_dg14(const uint8_t *der, size_t n, struct eid_secinfos **out);
/* EF.CardSecurity / EF.ChipSecurity: ContentInfo { signedData } whose
 * eContentType is id-SecurityObject (0.4.0.127.0.7.3.2.1).  The signature is
 * not checked here (that is passive authentication's job). */
int eid_secinfos_parse_cardsecurity(const uint8_t *der, size_t n, struct eid_secinfos **out);
/* Detect the form by the first byte (31 SET, 6E DG14, 30 CMS) and parse it;
 * (*out)->source tells which it was. */
int eid_secinfos_parse_auto(const uint8_t *der, size_t n, struct eid_secinfos **out);

/*
 * The encapsulated content of a CMS ContentInfo of type signedData:
 * *type = eContentType OID contents, *content = the eContent OCTET STRING's
 * contents.  Both point into der.  The whole ContentInfo must fill der.
 * -EID_ENOTFOUND when the SignedData has no eContent (detached).
 */
int eid_secinfos_cms_econtent(const uint8_t *der, size_t n, eid_cbs *type, eid_cbs *content);

void eid_secinfos_free(struct eid_secinfos *set);

/* The index-th item of a type (0 = first, file order, privileged included), or NULL. */
const struct eid_secinfo *eid_secinfos_find(const struct eid_secinfos *set,
					    enum eid_secinfo_type type, size_t index);
/* The first item of a type with this key_id (-1: without a key_id), or NULL. */
const struct eid_secinfo *eid_secinfos_find_key(const struct eid_secinfos *set,
						enum eid_secinfo_type type, int key_id);

/* "PACEInfo", "ChipAuthenticationPublicKeyInfo", ... ("SecurityInfo" for unknown). */
const char *eid_secinfo_type_name(enum eid_secinfo_type type);
/* "EF.CardAccess", "EF.CardSecurity", "DG14". */
const char *eid_secinfo_source_name(enum eid_secinfo_source src);
/* Standardized domain parameters (TR-03110-3 table 4): "modp1024_160",
 * "modp2048_224", "modp2048_256" (RFC 5114 groups, IDs 0..2), "secp192r1",
 * "brainpoolP192r1", ... "secp521r1" (IDs 8..18); NULL for other IDs. */
const char *eid_secinfo_param_name(int id);
/* Well-known name of an OID given as contents bytes (protocols, algorithms,
 * named curves), or NULL. */
const char *eid_secinfo_oid_name(const uint8_t *oid, size_t n);

#endif
