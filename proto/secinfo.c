/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecurityInfos: EF.CardAccess, EF.CardSecurity (CMS eContent), DG14.
 *
 * In reading order: the table of known protocols, small DER readers
 * (INTEGER, BOOLEAN, FileID, AlgorithmIdentifier, SubjectPublicKeyInfo), one
 * parser per SecurityInfo type, the SET walker (with PrivilegedTerminalInfo
 * recursion), then the entry points that unwrap DG14 and CMS.
 */
#include <stdlib.h>
#include <string.h>

#include "secinfo.h"
#include "tlv.h"

/* ---- known OIDs -------------------------------------------------------------- */

/* bsi-de protocols(2) smartcard(2): 0.4.0.127.0.7.2.2 */
#define BSI_SC "\x04\x00\x7F\x00\x07\x02\x02"
#define BSI_DP "\x04\x00\x7F\x00\x07\x01\x02"     /* standardizedDomainParameters */
#define BSI_ECC "\x04\x00\x7F\x00\x07\x01\x01"    /* id-ecc */
#define BSI_SECOBJ "\x04\x00\x7F\x00\x07\x03\x02\x01" /* id-SecurityObject */
#define PKCS7_SIGNED "\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02"
#define OID(s) (const uint8_t *)(s), sizeof(s) - 1

struct known_oid {
	enum eid_secinfo_type type;   /* EID_SI_UNKNOWN for algorithm OIDs */
	const char *name;
	const uint8_t *oid;
	size_t len;
};

static const struct known_oid known_oids[] = {
	/* PACE (TR-03110-3 A.1.1.1, ICAO 9303-11 9.2.1) */
	{ EID_SI_PACE, "id-PACE-DH-GM-3DES-CBC-CBC", OID(BSI_SC "\x04\x01\x01") },
	{ EID_SI_PACE, "id-PACE-DH-GM-AES-CBC-CMAC-128", OID(BSI_SC "\x04\x01\x02") },
	{ EID_SI_PACE, "id-PACE-DH-GM-AES-CBC-CMAC-192", OID(BSI_SC "\x04\x01\x03") },
	{ EID_SI_PACE, "id-PACE-DH-GM-AES-CBC-CMAC-256", OID(BSI_SC "\x04\x01\x04") },
	{ EID_SI_PACE, "id-PACE-ECDH-GM-3DES-CBC-CBC", OID(BSI_SC "\x04\x02\x01") },
	{ EID_SI_PACE, "id-PACE-ECDH-GM-AES-CBC-CMAC-128", OID(BSI_SC "\x04\x02\x02") },
	{ EID_SI_PACE, "id-PACE-ECDH-GM-AES-CBC-CMAC-192", OID(BSI_SC "\x04\x02\x03") },
	{ EID_SI_PACE, "id-PACE-ECDH-GM-AES-CBC-CMAC-256", OID(BSI_SC "\x04\x02\x04") },
	{ EID_SI_PACE, "id-PACE-DH-IM-3DES-CBC-CBC", OID(BSI_SC "\x04\x03\x01") },
	{ EID_SI_PACE, "id-PACE-DH-IM-AES-CBC-CMAC-128", OID(BSI_SC "\x04\x03\x02") },
	{ EID_SI_PACE, "id-PACE-DH-IM-AES-CBC-CMAC-192", OID(BSI_SC "\x04\x03\x03") },
	{ EID_SI_PACE, "id-PACE-DH-IM-AES-CBC-CMAC-256", OID(BSI_SC "\x04\x03\x04") },
	{ EID_SI_PACE, "id-PACE-ECDH-IM-3DES-CBC-CBC", OID(BSI_SC "\x04\x04\x01") },
	{ EID_SI_PACE, "id-PACE-ECDH-IM-AES-CBC-CMAC-128", OID(BSI_SC "\x04\x04\x02") },
	{ EID_SI_PACE, "id-PACE-ECDH-IM-AES-CBC-CMAC-192", OID(BSI_SC "\x04\x04\x03") },
	{ EID_SI_PACE, "id-PACE-ECDH-IM-AES-CBC-CMAC-256", OID(BSI_SC "\x04\x04\x04") },
	{ EID_SI_PACE, "id-PACE-ECDH-CAM-AES-CBC-CMAC-128", OID(BSI_SC "\x04\x06\x02") },
	{ EID_SI_PACE, "id-PACE-ECDH-CAM-AES-CBC-CMAC-192", OID(BSI_SC "\x04\x06\x03") },
	{ EID_SI_PACE, "id-PACE-ECDH-CAM-AES-CBC-CMAC-256", OID(BSI_SC "\x04\x06\x04") },
	{ EID_SI_PACE_DP, "id-PACE-DH-GM", OID(BSI_SC "\x04\x01") },
	{ EID_SI_PACE_DP, "id-PACE-ECDH-GM", OID(BSI_SC "\x04\x02") },
	{ EID_SI_PACE_DP, "id-PACE-DH-IM", OID(BSI_SC "\x04\x03") },
	{ EID_SI_PACE_DP, "id-PACE-ECDH-IM", OID(BSI_SC "\x04\x04") },
	{ EID_SI_PACE_DP, "id-PACE-ECDH-CAM", OID(BSI_SC "\x04\x06") },
	/* Chip Authentication (A.1.1.2) */
	{ EID_SI_CA, "id-CA-DH-3DES-CBC-CBC", OID(BSI_SC "\x03\x01\x01") },
	{ EID_SI_CA, "id-CA-DH-AES-CBC-CMAC-128", OID(BSI_SC "\x03\x01\x02") },
	{ EID_SI_CA, "id-CA-DH-AES-CBC-CMAC-192", OID(BSI_SC "\x03\x01\x03") },
	{ EID_SI_CA, "id-CA-DH-AES-CBC-CMAC-256", OID(BSI_SC "\x03\x01\x04") },
	{ EID_SI_CA, "id-CA-ECDH-3DES-CBC-CBC", OID(BSI_SC "\x03\x02\x01") },
	{ EID_SI_CA, "id-CA-ECDH-AES-CBC-CMAC-128", OID(BSI_SC "\x03\x02\x02") },
	{ EID_SI_CA, "id-CA-ECDH-AES-CBC-CMAC-192", OID(BSI_SC "\x03\x02\x03") },
	{ EID_SI_CA, "id-CA-ECDH-AES-CBC-CMAC-256", OID(BSI_SC "\x03\x02\x04") },
	{ EID_SI_CA_DP, "id-CA-DH", OID(BSI_SC "\x03\x01") },
	{ EID_SI_CA_DP, "id-CA-ECDH", OID(BSI_SC "\x03\x02") },
	{ EID_SI_CA_PK, "id-PK-DH", OID(BSI_SC "\x01\x01") },
	{ EID_SI_CA_PK, "id-PK-ECDH", OID(BSI_SC "\x01\x02") },
	{ EID_SI_PS_PK, "id-PS-PK-ECDH-ECSchnorr", OID(BSI_SC "\x01\x03\x02") },
	{ EID_SI_PSA, "id-PSA-ECDH-ECSchnorr-SHA-256", OID(BSI_SC "\x0B\x01\x02\x03") },
	{ EID_SI_PSA, "id-PSA-ECDH-ECSchnorr-SHA-384", OID(BSI_SC "\x0B\x01\x02\x04") },
	{ EID_SI_PSA, "id-PSA-ECDH-ECSchnorr-SHA-512", OID(BSI_SC "\x0B\x01\x02\x05") },
	/* Terminal Authentication (A.1.1.3) */
	{ EID_SI_TA, "id-TA", OID(BSI_SC "\x02") },
	/* Restricted Identification (A.1.1.4) */
	{ EID_SI_RI, "id-RI-DH-SHA-1", OID(BSI_SC "\x05\x01\x01") },
	{ EID_SI_RI, "id-RI-DH-SHA-224", OID(BSI_SC "\x05\x01\x02") },
	{ EID_SI_RI, "id-RI-DH-SHA-256", OID(BSI_SC "\x05\x01\x03") },
	{ EID_SI_RI, "id-RI-DH-SHA-384", OID(BSI_SC "\x05\x01\x04") },
	{ EID_SI_RI, "id-RI-DH-SHA-512", OID(BSI_SC "\x05\x01\x05") },
	{ EID_SI_RI, "id-RI-ECDH-SHA-1", OID(BSI_SC "\x05\x02\x01") },
	{ EID_SI_RI, "id-RI-ECDH-SHA-224", OID(BSI_SC "\x05\x02\x02") },
	{ EID_SI_RI, "id-RI-ECDH-SHA-256", OID(BSI_SC "\x05\x02\x03") },
	{ EID_SI_RI, "id-RI-ECDH-SHA-384", OID(BSI_SC "\x05\x02\x04") },
	{ EID_SI_RI, "id-RI-ECDH-SHA-512", OID(BSI_SC "\x05\x02\x05") },
	{ EID_SI_RI_DP, "id-RI-DH", OID(BSI_SC "\x05\x01") },
	{ EID_SI_RI_DP, "id-RI-ECDH", OID(BSI_SC "\x05\x02") },
	/* Pseudonymous signatures (A.1.1.5, A.1.1.6) */
	{ EID_SI_PSM, "id-PSM-ECDH-ECSchnorr-SHA-256", OID(BSI_SC "\x0B\x02\x02\x03") },
	{ EID_SI_PSM, "id-PSM-ECDH-ECSchnorr-SHA-384", OID(BSI_SC "\x0B\x02\x02\x04") },
	{ EID_SI_PSM, "id-PSM-ECDH-ECSchnorr-SHA-512", OID(BSI_SC "\x0B\x02\x02\x05") },
	{ EID_SI_PSC, "id-PSC-ECDH-ECSchnorr-SHA-256", OID(BSI_SC "\x0B\x03\x02\x03") },
	{ EID_SI_PSC, "id-PSC-ECDH-ECSchnorr-SHA-384", OID(BSI_SC "\x0B\x03\x02\x04") },
	{ EID_SI_PSC, "id-PSC-ECDH-ECSchnorr-SHA-512", OID(BSI_SC "\x0B\x03\x02\x05") },
	/* CardInfo, eID security, privileged terminals (A.1.1.7 - A.1.1.9) */
	{ EID_SI_CARD_INFO, "id-CI", OID(BSI_SC "\x06") },
	{ EID_SI_EID_SECURITY, "id-eIDSecurity", OID(BSI_SC "\x07") },
	{ EID_SI_PRIVILEGED, "id-PT", OID(BSI_SC "\x08") },
	/* Passwords (A.1.1.1) */
	{ EID_SI_PASSWORD, "id-MRZ", OID(BSI_SC "\x0C\x01") },
	{ EID_SI_PASSWORD, "id-CAN", OID(BSI_SC "\x0C\x02") },
	{ EID_SI_PASSWORD, "id-PIN", OID(BSI_SC "\x0C\x03") },
	{ EID_SI_PASSWORD, "id-PUK", OID(BSI_SC "\x0C\x04") },
	/* Active Authentication (ICAO 9303-11 9.2.8): 2.23.136.1.1.5 */
	{ EID_SI_AA, "id-icao-mrtd-security-aaProtocolObject", OID("\x67\x81\x08\x01\x01\x05") },

	/* algorithms and curves seen inside SecurityInfos (names only) */
	{ EID_SI_UNKNOWN, "standardizedDomainParameters", OID(BSI_DP) },
	{ EID_SI_UNKNOWN, "id-ecPublicKey", OID("\x2A\x86\x48\xCE\x3D\x02\x01") },
	{ EID_SI_UNKNOWN, "dhpublicnumber", OID("\x2A\x86\x48\xCE\x3E\x02\x01") },
	{ EID_SI_UNKNOWN, "ecdsa-with-SHA1", OID("\x2A\x86\x48\xCE\x3D\x04\x01") },
	{ EID_SI_UNKNOWN, "ecdsa-with-SHA224", OID("\x2A\x86\x48\xCE\x3D\x04\x03\x01") },
	{ EID_SI_UNKNOWN, "ecdsa-with-SHA256", OID("\x2A\x86\x48\xCE\x3D\x04\x03\x02") },
	{ EID_SI_UNKNOWN, "ecdsa-with-SHA384", OID("\x2A\x86\x48\xCE\x3D\x04\x03\x03") },
	{ EID_SI_UNKNOWN, "ecdsa-with-SHA512", OID("\x2A\x86\x48\xCE\x3D\x04\x03\x04") },
	{ EID_SI_UNKNOWN, "ecdsa-plain-SHA1", OID(BSI_ECC "\x04\x01\x01") },
	{ EID_SI_UNKNOWN, "ecdsa-plain-SHA224", OID(BSI_ECC "\x04\x01\x02") },
	{ EID_SI_UNKNOWN, "ecdsa-plain-SHA256", OID(BSI_ECC "\x04\x01\x03") },
	{ EID_SI_UNKNOWN, "ecdsa-plain-SHA384", OID(BSI_ECC "\x04\x01\x04") },
	{ EID_SI_UNKNOWN, "ecdsa-plain-SHA512", OID(BSI_ECC "\x04\x01\x05") },
	{ EID_SI_UNKNOWN, "sha1", OID("\x2B\x0E\x03\x02\x1A") },
	{ EID_SI_UNKNOWN, "sha224", OID("\x60\x86\x48\x01\x65\x03\x04\x02\x04") },
	{ EID_SI_UNKNOWN, "sha256", OID("\x60\x86\x48\x01\x65\x03\x04\x02\x01") },
	{ EID_SI_UNKNOWN, "sha384", OID("\x60\x86\x48\x01\x65\x03\x04\x02\x02") },
	{ EID_SI_UNKNOWN, "sha512", OID("\x60\x86\x48\x01\x65\x03\x04\x02\x03") },
	{ EID_SI_UNKNOWN, "secp192r1", OID("\x2A\x86\x48\xCE\x3D\x03\x01\x01") },
	{ EID_SI_UNKNOWN, "secp224r1", OID("\x2B\x81\x04\x00\x21") },
	{ EID_SI_UNKNOWN, "secp256r1", OID("\x2A\x86\x48\xCE\x3D\x03\x01\x07") },
	{ EID_SI_UNKNOWN, "secp384r1", OID("\x2B\x81\x04\x00\x22") },
	{ EID_SI_UNKNOWN, "secp521r1", OID("\x2B\x81\x04\x00\x23") },
	{ EID_SI_UNKNOWN, "brainpoolP192r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x03") },
	{ EID_SI_UNKNOWN, "brainpoolP224r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x05") },
	{ EID_SI_UNKNOWN, "brainpoolP256r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x07") },
	{ EID_SI_UNKNOWN, "brainpoolP320r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x09") },
	{ EID_SI_UNKNOWN, "brainpoolP384r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x0B") },
	{ EID_SI_UNKNOWN, "brainpoolP512r1", OID("\x2B\x24\x03\x03\x02\x08\x01\x01\x0D") },
};

#define N_KNOWN (sizeof(known_oids) / sizeof(known_oids[0]))

static const struct known_oid *lookup_oid(const uint8_t *oid, size_t n)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (known_oids[i].len == n && memcmp(known_oids[i].oid, oid, n) == 0)
			return &known_oids[i];
	return NULL;
}

static bool cbs_is(const eid_cbs *c, const uint8_t *oid, size_t n)
{
	return eid_cbs_len(c) == n && memcmp(eid_cbs_data(c), oid, n) == 0;
}

/* Which version numbers each type allows (types without a version: any). */
static bool version_allowed(enum eid_secinfo_type type, int v)
{
	switch (type) {
	case EID_SI_PACE:
		return v == 1 || v == 2;        /* 1 deprecated, 2 current */
	case EID_SI_CA:
		return v >= 1 && v <= 3;
	case EID_SI_TA:
		return v == 1 || v == 2;
	case EID_SI_AA:
	case EID_SI_RI:
	case EID_SI_PSA:
	case EID_SI_PSM:
	case EID_SI_PSC:
		return v == 1;
	default:
		return true;
	}
}

/* ---- small DER readers ------------------------------------------------------------ */

/* INTEGER contents: non-negative, minimal, at most 31 bits. */
static int int_contents(eid_cbs v, int *out)
{
	uint8_t b, next;
	uint32_t x = 0;

	if (!eid_cbs_peek_u8(&v, &b))
		return -EID_EPARSE;
	if (b & 0x80)
		return -EID_EPARSE;              /* negative */
	if (b == 0 && eid_cbs_len(&v) > 1) {
		eid_cbs_skip(&v, 1);
		if (!eid_cbs_peek_u8(&v, &next) || !(next & 0x80))
			return -EID_EPARSE;      /* non-minimal */
	}
	if (eid_cbs_len(&v) > 4)
		return -EID_EPARSE;              /* too big */
	if (!eid_cbs_get_uint(&v, eid_cbs_len(&v), &x) || x > 0x7FFFFFFFu)
		return -EID_EPARSE;
	*out = (int)x;
	return 0;
}

/* An INTEGER (or an implicitly tagged one) at the front of c. */
static int get_int(eid_cbs *c, uint32_t tag, int *out)
{
	eid_cbs v;

	if (!eid_der_get(c, tag, &v))
		return -EID_EPARSE;
	return int_contents(v, out);
}

/* Contents of an element with the given tag (the element must be exactly that TLV). */
static bool elem_contents(const eid_cbs *elem, uint32_t tag, eid_cbs *out)
{
	eid_cbs c = *elem;

	return eid_der_get(&c, tag, out) && !eid_cbs_len(&c);
}

/* An element that must be exactly one INTEGER. */
static int elem_int(const eid_cbs *elem, int *out)
{
	eid_cbs c = *elem;
	int r = get_int(&c, 0x02, out);

	if (r == 0 && eid_cbs_len(&c))
		r = -EID_EPARSE;
	return r;
}

/* DER BOOLEAN: 00 or FF. */
static int get_bool(eid_cbs *c, bool *out)
{
	eid_cbs v;
	uint8_t b;

	if (!eid_der_get(c, 0x01, &v) || !eid_cbs_get_u8(&v, &b) || eid_cbs_len(&v) ||
	    (b != 0x00 && b != 0xFF))
		return -EID_EPARSE;
	*out = b != 0;
	return 0;
}

/* FileID ::= SEQUENCE { fid OCTET STRING (SIZE(2)), sfid OCTET STRING (SIZE(1)) OPTIONAL },
 * given its contents. */
static int file_id(eid_cbs c, struct eid_secinfo *si)
{
	eid_cbs v;
	uint16_t fid;
	uint8_t sfid;

	if (!eid_der_get(&c, 0x04, &v) || !eid_cbs_get_u16(&v, &fid) || eid_cbs_len(&v))
		return -EID_EPARSE;
	si->fid = fid;
	if (eid_cbs_len(&c)) {
		if (!eid_der_get(&c, 0x04, &v) || !eid_cbs_get_u8(&v, &sfid) || eid_cbs_len(&v))
			return -EID_EPARSE;
		si->sfid = sfid;
	}
	return eid_cbs_len(&c) ? -EID_EPARSE : 0;
}

/*
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 * at the front of c.  {standardizedDomainParameters, INTEGER id} sets
 * std_param_id; a SEQUENCE as parameters marks explicit parameters.
 */
static int algorithm_id(eid_cbs *c, struct eid_secinfo *si)
{
	eid_cbs elem, seq, oid, params;
	uint32_t tag;
	int r;

	if (!eid_der_get_element(c, &tag, &elem) || tag != 0x30)
		return -EID_EPARSE;
	if (!elem_contents(&elem, 0x30, &seq) || !eid_der_get_oid(&seq, &oid))
		return -EID_EPARSE;
	si->algorithm = elem;
	si->algorithm_oid = oid;
	if (!eid_cbs_len(&seq))
		return 0;
	if (!eid_der_get_element(&seq, &tag, &params) || eid_cbs_len(&seq))
		return -EID_EPARSE;
	si->algorithm_params = params;
	if (cbs_is(&oid, OID(BSI_DP))) {
		if ((r = elem_int(&params, &si->std_param_id)) < 0)
			return r;
	} else if (tag == 0x30) {
		si->explicit_params = true;
	}
	return 0;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } */
static int spki(eid_cbs *c, struct eid_secinfo *si)
{
	eid_cbs elem, seq, bits;
	uint32_t tag;
	uint8_t unused;
	int r;

	if (!eid_der_get_element(c, &tag, &elem) || tag != 0x30)
		return -EID_EPARSE;
	if (!elem_contents(&elem, 0x30, &seq))
		return -EID_EPARSE;
	if ((r = algorithm_id(&seq, si)) < 0)
		return r;
	if (!eid_der_get(&seq, 0x03, &bits) || eid_cbs_len(&seq))
		return -EID_EPARSE;
	/* a key is whole bytes: no unused bits, and not empty */
	if (!eid_cbs_get_u8(&bits, &unused) || unused != 0 || !eid_cbs_len(&bits))
		return -EID_EPARSE;
	si->spki = elem;
	si->public_key = bits;
	return 0;
}

static bool has_optional(const struct eid_secinfo *si)
{
	return eid_cbs_len(&si->optional) != 0;
}

/* ---- one parser per SecurityInfo type --------------------------------------------- */

/* requiredData = version INTEGER, optionalData = an INTEGER stored in *opt. */
static int version_and_int(struct eid_secinfo *si, int *opt)
{
	int r;

	if ((r = elem_int(&si->required, &si->version)) < 0)
		return r;
	if (has_optional(si) && (r = elem_int(&si->optional, opt)) < 0)
		return r;
	return 0;
}

/* PACEInfo ::= { protocol, version INTEGER, parameterId INTEGER OPTIONAL } */
static int parse_pace(struct eid_secinfo *si)
{
	return version_and_int(si, &si->parameter_id);
}

/* ChipAuthenticationInfo ::= { protocol, version INTEGER, keyId INTEGER OPTIONAL } */
static int parse_ca(struct eid_secinfo *si)
{
	return version_and_int(si, &si->key_id);
}

/* *DomainParameterInfo ::= { protocol, domainParameter AlgorithmIdentifier,
 *                            parameterId / keyId INTEGER OPTIONAL } */
static int parse_domain_params(struct eid_secinfo *si)
{
	eid_cbs c = si->required;
	int r;

	if ((r = algorithm_id(&c, si)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (!has_optional(si))
		return 0;
	switch (si->type) {
	case EID_SI_PACE_DP:
		return elem_int(&si->optional, &si->parameter_id);
	case EID_SI_CA_DP:
		return elem_int(&si->optional, &si->key_id);
	default:
		return -EID_EPARSE;    /* RestrictedIdentificationDomainParameterInfo has none */
	}
}

/* ChipAuthenticationPublicKeyInfo ::= { protocol, SubjectPublicKeyInfo, keyId INTEGER OPTIONAL } */
static int parse_ca_pk(struct eid_secinfo *si)
{
	eid_cbs c = si->required;
	int r;

	if ((r = spki(&c, si)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (has_optional(si))
		return elem_int(&si->optional, &si->key_id);
	return 0;
}

/* TerminalAuthenticationInfo ::= { protocol, version INTEGER, efCVCA FileID OPTIONAL } */
static int parse_ta(struct eid_secinfo *si)
{
	eid_cbs v;
	int r;

	if ((r = elem_int(&si->required, &si->version)) < 0)
		return r;
	if (!has_optional(si))
		return 0;
	if (!elem_contents(&si->optional, 0x30, &v))
		return -EID_EPARSE;
	return file_id(v, si);
}

/* ActiveAuthenticationInfo ::= { protocol, version INTEGER, signatureAlgorithm OID } */
static int parse_aa(struct eid_secinfo *si)
{
	eid_cbs c = si->optional;
	int r;

	if ((r = elem_int(&si->required, &si->version)) < 0)
		return r;
	if (!eid_der_get_oid(&c, &si->sig_alg) || eid_cbs_len(&c))
		return -EID_EPARSE;
	return 0;
}

/*
 * CardInfoLocator / CardInfo ::= { protocol, url IA5String,
 *     CHOICE { efCardInfo FileID, extCardInfoData [0] IMPLICIT SEQUENCE {
 *              efCardInfo [0] IMPLICIT FileID OPTIONAL, ... } } OPTIONAL }
 */
static int parse_card_info(struct eid_secinfo *si)
{
	eid_cbs url, v, fid;
	uint32_t tag;

	if (!elem_contents(&si->required, 0x16, &url))
		return -EID_EPARSE;
	for (eid_cbs c = url; eid_cbs_len(&c);) {
		uint8_t ch;

		if (!eid_cbs_get_u8(&c, &ch) || ch > 0x7F)
			return -EID_EPARSE;      /* not IA5 */
	}
	si->url = url;
	if (!has_optional(si))
		return 0;
	if (elem_contents(&si->optional, 0x30, &v))
		return file_id(v, si);
	if (!elem_contents(&si->optional, 0xA0, &v))
		return -EID_EPARSE;
	if (eid_tlv_peek_tag(&v, &tag) && tag == 0xA0) {
		int r;

		if (!eid_der_get(&v, 0xA0, &fid))
			return -EID_EPARSE;
		if ((r = file_id(fid, si)) < 0)
			return r;
	}
	/* the remaining extension fields are kept raw, but must be well-formed */
	while (eid_cbs_len(&v))
		if (!eid_der_get_any(&v, &tag, &fid))
			return -EID_EPARSE;
	return 0;
}

/* RestrictedIdentificationInfo ::= { protocol, ProtocolParams { version, keyId,
 *     authorizedOnly BOOLEAN }, maxKeyLen INTEGER OPTIONAL } */
static int parse_ri(struct eid_secinfo *si)
{
	eid_cbs c;
	int r, max_key_len;

	if (!elem_contents(&si->required, 0x30, &c))
		return -EID_EPARSE;
	if ((r = get_int(&c, 0x02, &si->version)) < 0 || (r = get_int(&c, 0x02, &si->key_id)) < 0 ||
	    (r = get_bool(&c, &si->authorized_only)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (has_optional(si))
		return elem_int(&si->optional, &max_key_len);
	return 0;
}

/* EIDSecurityInfo ::= { protocol, EIDSecurityObject { hashAlgorithm AlgorithmIdentifier,
 *     dataGroupHashValues SEQUENCE OF DataGroupHash }, eIDVersionInfo SEQUENCE OPTIONAL } */
static int parse_eid_security(struct eid_secinfo *si)
{
	eid_cbs c, hashes;
	int r;

	if (!elem_contents(&si->required, 0x30, &c))
		return -EID_EPARSE;
	if ((r = algorithm_id(&c, si)) < 0)
		return r;
	if (!eid_der_get(&c, 0x30, &hashes) || eid_cbs_len(&c))
		return -EID_EPARSE;
	if (has_optional(si) && !elem_contents(&si->optional, 0x30, &c))
		return -EID_EPARSE;
	return 0;
}

/* PasswordInfo ::= { protocol, RequiredPwdData { pwdId INTEGER }, OptionalPwdData OPTIONAL } */
static int parse_password(struct eid_secinfo *si)
{
	eid_cbs c;
	int r;

	if (!elem_contents(&si->required, 0x30, &c))
		return -EID_EPARSE;
	if ((r = get_int(&c, 0x02, &si->password_id)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (has_optional(si) && !elem_contents(&si->optional, 0x30, &c))
		return -EID_EPARSE;
	return 0;
}

/* PSAInfo / PSMInfo / PSCInfo ::= { protocol, { version, ps1-authInfo, ps2-authInfo },
 *     keyId INTEGER OPTIONAL } */
static int parse_ps(struct eid_secinfo *si)
{
	eid_cbs c;
	int r, ps1, ps2;

	if (!elem_contents(&si->required, 0x30, &c))
		return -EID_EPARSE;
	if ((r = get_int(&c, 0x02, &si->version)) < 0 || (r = get_int(&c, 0x02, &ps1)) < 0 ||
	    (r = get_int(&c, 0x02, &ps2)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (has_optional(si))
		return elem_int(&si->optional, &si->key_id);
	return 0;
}

/* PSPublicKeyInfo ::= { protocol, { pSPublicKey SubjectPublicKeyInfo },
 *     { pSParameterID [1] IMPLICIT INTEGER OPTIONAL, keyId [2] IMPLICIT INTEGER OPTIONAL } OPTIONAL } */
static int parse_ps_pk(struct eid_secinfo *si)
{
	eid_cbs c;
	uint32_t tag;
	int r;

	if (!elem_contents(&si->required, 0x30, &c))
		return -EID_EPARSE;
	if ((r = spki(&c, si)) < 0)
		return r;
	if (eid_cbs_len(&c))
		return -EID_EPARSE;
	if (!has_optional(si))
		return 0;
	if (!elem_contents(&si->optional, 0x30, &c))
		return -EID_EPARSE;
	if (eid_tlv_peek_tag(&c, &tag) && tag == 0x81 && (r = get_int(&c, 0x81, &si->parameter_id)) < 0)
		return r;
	if (eid_tlv_peek_tag(&c, &tag) && tag == 0x82 && (r = get_int(&c, 0x82, &si->key_id)) < 0)
		return r;
	return eid_cbs_len(&c) ? -EID_EPARSE : 0;
}

/* ---- the SET ------------------------------------------------------------------ */

struct parser {
	struct eid_secinfos *set;
	size_t cap;
};

static int parse_set(struct parser *p, eid_cbs c, int depth, int parent);

/* PrivilegedTerminalInfo ::= { protocol, privilegedTerminalInfos SecurityInfos } */
static int parse_privileged(struct parser *p, size_t index, int depth)
{
	eid_cbs inner;
	struct eid_secinfo *si = &p->set->items[index];

	if (has_optional(si) || !elem_contents(&si->required, 0x31, &inner))
		return -EID_EPARSE;
	if (depth + 1 > EID_SECINFOS_MAX_DEPTH)
		return -EID_ETOOBIG;
	/* items may move while the nested ones are added: pass the index */
	return parse_set(p, inner, depth + 1, (int)index);
}

static int parse_typed(struct eid_secinfo *si)
{
	switch (si->type) {
	case EID_SI_PACE:
		return parse_pace(si);
	case EID_SI_PACE_DP:
	case EID_SI_CA_DP:
	case EID_SI_RI_DP:
		return parse_domain_params(si);
	case EID_SI_CA:
		return parse_ca(si);
	case EID_SI_CA_PK:
		return parse_ca_pk(si);
	case EID_SI_TA:
		return parse_ta(si);
	case EID_SI_AA:
		return parse_aa(si);
	case EID_SI_CARD_INFO:
		return parse_card_info(si);
	case EID_SI_RI:
		return parse_ri(si);
	case EID_SI_EID_SECURITY:
		return parse_eid_security(si);
	case EID_SI_PASSWORD:
		return parse_password(si);
	case EID_SI_PSA:
	case EID_SI_PSM:
	case EID_SI_PSC:
		return parse_ps(si);
	case EID_SI_PS_PK:
		return parse_ps_pk(si);
	default:
		return 0;    /* unknown (and PrivilegedTerminalInfo, done by the caller) */
	}
}

static struct eid_secinfo *new_item(struct parser *p)
{
	struct eid_secinfos *set = p->set;
	struct eid_secinfo *si;

	if (set->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct eid_secinfo *items = realloc(set->items, cap * sizeof(*items));

		if (!items)
			return NULL;
		set->items = items;
		p->cap = cap;
	}
	si = &set->items[set->n++];
	memset(si, 0, sizeof(*si));
	si->version = si->parameter_id = si->std_param_id = si->key_id = -1;
	si->password_id = si->fid = si->sfid = -1;
	si->version_ok = true;
	si->parent = -1;
	return si;
}

/* SecurityInfo ::= SEQUENCE { protocol OID, requiredData ANY, optionalData ANY OPTIONAL } */
static int parse_security_info(struct parser *p, eid_cbs element, int depth, int parent)
{
	struct eid_secinfo *si;
	const struct known_oid *k;
	eid_cbs seq, oid;
	uint32_t tag;
	size_t index;
	int r;

	if (p->set->n >= EID_SECINFOS_MAX_ITEMS)
		return -EID_ETOOBIG;
	if (!(si = new_item(p)))
		return -EID_ENOMEM;
	index = p->set->n - 1;
	si->element = element;
	si->parent = parent;
	si->privileged = parent >= 0;
	if (!elem_contents(&element, 0x30, &seq) || !eid_der_get_oid(&seq, &oid))
		return -EID_EPARSE;
	if (eid_cbs_len(&oid) > EID_SECINFO_OID_MAX)
		return -EID_ETOOBIG;
	memcpy(si->oid, eid_cbs_data(&oid), eid_cbs_len(&oid));
	si->oid_len = eid_cbs_len(&oid);
	if ((r = eid_oid_to_text(si->oid, si->oid_len, si->oid_text, sizeof(si->oid_text))) < 0)
		return r;
	if (!eid_der_get_element(&seq, &tag, &si->required))
		return -EID_EPARSE;
	if (eid_cbs_len(&seq) && !eid_der_get_element(&seq, &tag, &si->optional))
		return -EID_EPARSE;
	if (eid_cbs_len(&seq))
		return -EID_EPARSE;
	k = lookup_oid(si->oid, si->oid_len);
	if (k && k->type != EID_SI_UNKNOWN) {
		si->type = k->type;
		si->name = k->name;
	}
	if ((r = parse_typed(si)) < 0)
		return r;
	if (si->version >= 0)
		si->version_ok = version_allowed(si->type, si->version);
	if (si->type == EID_SI_PRIVILEGED)
		return parse_privileged(p, index, depth);
	return 0;
}

/* The contents of a SecurityInfos SET: SecurityInfo elements in any order. */
static int parse_set(struct parser *p, eid_cbs c, int depth, int parent)
{
	eid_cbs element;
	uint32_t tag;
	int r;

	while (eid_cbs_len(&c)) {
		if (!eid_der_get_element(&c, &tag, &element) || tag != 0x30)
			return -EID_EPARSE;
		if ((r = parse_security_info(p, element, depth, parent)) < 0)
			return r;
	}
	return 0;
}

/* Parse exactly one SET element `set_der` (borrowed) into a new owned set. */
static int parse_owned(const uint8_t *set_der, size_t n, enum eid_secinfo_source src,
		       struct eid_secinfos **out)
{
	struct eid_secinfos *set = NULL;
	struct parser p = { 0 };
	eid_cbs c, contents;
	int r = -EID_ENOMEM;

	*out = NULL;
	if (!(set = calloc(1, sizeof(*set))))
		goto out;
	set->source = src;
	if (!(set->der = malloc(n ? n : 1)))
		goto out;
	if (n)
		memcpy(set->der, set_der, n);
	set->der_len = n;
	p.set = set;
	eid_cbs_init(&c, set->der, n);
	r = -EID_EPARSE;
	if (!eid_der_get(&c, 0x31, &contents) || eid_cbs_len(&c))
		goto out;
	if ((r = parse_set(&p, contents, 0, -1)) < 0)
		goto out;
	*out = set;
	set = NULL;
	r = 0;
out:
	eid_secinfos_free(set);
	return r;
}

/* ---- entry points ---------------------------------------------------------------- */

int eid_secinfos_parse(const uint8_t *der, size_t n, struct eid_secinfos **out)
{
	if (!out || (!der && n))
		return -EID_EINVAL;
	*out = NULL;
	if (n > EID_SECINFOS_MAX_SIZE)
		return -EID_ETOOBIG;
	return parse_owned(der, n, EID_SI_SRC_SET, out);
}

int eid_secinfos_parse_dg14(const uint8_t *der, size_t n, struct eid_secinfos **out)
{
	eid_cbs c, v;

	if (!out || (!der && n))
		return -EID_EINVAL;
	*out = NULL;
	if (n > EID_SECINFOS_MAX_SIZE)
		return -EID_ETOOBIG;
	eid_cbs_init(&c, der, n);
	if (!eid_der_get(&c, 0x6E, &v) || eid_cbs_len(&c))
		return -EID_EPARSE;
	return parse_owned(eid_cbs_data(&v), eid_cbs_len(&v), EID_SI_SRC_DG14, out);
}

/*
 * ContentInfo ::= SEQUENCE { contentType id-signedData, content [0] EXPLICIT SignedData }
 * SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET,
 *     encapContentInfo SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
 *     certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
 */
int eid_secinfos_cms_econtent(const uint8_t *der, size_t n, eid_cbs *type, eid_cbs *content)
{
	eid_cbs c, ci, oid, sd, encap, ex, v;
	uint32_t tag;
	int version;

	if (!type || !content || (!der && n))
		return -EID_EINVAL;
	if (n > EID_SECINFOS_MAX_SIZE)
		return -EID_ETOOBIG;
	eid_cbs_init(&c, der, n);
	/* ContentInfo */
	if (!eid_der_get(&c, 0x30, &ci) || eid_cbs_len(&c) || !eid_der_get_oid(&ci, &oid) ||
	    !cbs_is(&oid, OID(PKCS7_SIGNED)))
		return -EID_EPARSE;
	if (!eid_der_get(&ci, 0xA0, &ex) || eid_cbs_len(&ci) || !eid_der_get(&ex, 0x30, &sd) ||
	    eid_cbs_len(&ex))
		return -EID_EPARSE;
	/* SignedData: version, digestAlgorithms, encapContentInfo */
	if (get_int(&sd, 0x02, &version) < 0 || !eid_der_get(&sd, 0x31, &v) ||
	    !eid_der_get(&sd, 0x30, &encap) || !eid_der_get_oid(&encap, type))
		return -EID_EPARSE;
	if (!eid_cbs_len(&encap)) {
		eid_cbs_init(content, NULL, 0);
		return -EID_ENOTFOUND;
	}
	if (!eid_der_get(&encap, 0xA0, &ex) || eid_cbs_len(&encap) || !eid_der_get(&ex, 0x04, content) ||
	    eid_cbs_len(&ex))
		return -EID_EPARSE;
	/* the rest must be well-formed: [0] certificates, [1] crls, then signerInfos */
	if (eid_tlv_peek_tag(&sd, &tag) && tag == 0xA0 && !eid_der_get(&sd, 0xA0, &v))
		return -EID_EPARSE;
	if (eid_tlv_peek_tag(&sd, &tag) && tag == 0xA1 && !eid_der_get(&sd, 0xA1, &v))
		return -EID_EPARSE;
	if (!eid_der_get(&sd, 0x31, &v) || eid_cbs_len(&sd))
		return -EID_EPARSE;
	return 0;
}

int eid_secinfos_parse_cardsecurity(const uint8_t *der, size_t n, struct eid_secinfos **out)
{
	eid_cbs type, content;
	int r;

	if (!out || (!der && n))
		return -EID_EINVAL;
	*out = NULL;
	if ((r = eid_secinfos_cms_econtent(der, n, &type, &content)) < 0)
		return r == -EID_ENOTFOUND ? -EID_EPARSE : r;
	if (!cbs_is(&type, OID(BSI_SECOBJ)))
		return -EID_EPARSE;
	return parse_owned(eid_cbs_data(&content), eid_cbs_len(&content), EID_SI_SRC_CMS, out);
}

int eid_secinfos_parse_auto(const uint8_t *der, size_t n, struct eid_secinfos **out)
{
	if (!out || (!der && n))
		return -EID_EINVAL;
	*out = NULL;
	if (n == 0)
		return -EID_EPARSE;
	switch (der[0]) {
	case 0x31:
		return eid_secinfos_parse(der, n, out);
	case 0x6E:
		return eid_secinfos_parse_dg14(der, n, out);
	case 0x30:
		return eid_secinfos_parse_cardsecurity(der, n, out);
	default:
		return -EID_EPARSE;
	}
}

void eid_secinfos_free(struct eid_secinfos *set)
{
	if (!set)
		return;
	/* chip-individual keys are linkable: do not leave them in freed memory */
	eid_wipe(set->der, set->der_len);
	free(set->der);
	free(set->items);
	free(set);
}

/* ---- lookups and names -------------------------------------------------------------- */

const struct eid_secinfo *eid_secinfos_find(const struct eid_secinfos *set,
					    enum eid_secinfo_type type, size_t index)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].type == type && index-- == 0)
			return &set->items[i];
	return NULL;
}

const struct eid_secinfo *eid_secinfos_find_key(const struct eid_secinfos *set,
						enum eid_secinfo_type type, int key_id)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].type == type && set->items[i].key_id == key_id)
			return &set->items[i];
	return NULL;
}

const char *eid_secinfo_type_name(enum eid_secinfo_type type)
{
	static const char *const names[EID_SI_TYPE_MAX] = {
		[EID_SI_UNKNOWN] = "UnknownSecurityInfo",
		[EID_SI_PACE] = "PACEInfo",
		[EID_SI_PACE_DP] = "PACEDomainParameterInfo",
		[EID_SI_CA] = "ChipAuthenticationInfo",
		[EID_SI_CA_DP] = "ChipAuthenticationDomainParameterInfo",
		[EID_SI_CA_PK] = "ChipAuthenticationPublicKeyInfo",
		[EID_SI_TA] = "TerminalAuthenticationInfo",
		[EID_SI_AA] = "ActiveAuthenticationInfo",
		[EID_SI_CARD_INFO] = "CardInfoLocator",
		[EID_SI_PRIVILEGED] = "PrivilegedTerminalInfo",
		[EID_SI_RI] = "RestrictedIdentificationInfo",
		[EID_SI_RI_DP] = "RestrictedIdentificationDomainParameterInfo",
		[EID_SI_EID_SECURITY] = "EIDSecurityInfo",
		[EID_SI_PASSWORD] = "PasswordInfo",
		[EID_SI_PSA] = "PSAInfo",
		[EID_SI_PSM] = "PSMInfo",
		[EID_SI_PSC] = "PSCInfo",
		[EID_SI_PS_PK] = "PSPublicKeyInfo",
	};

	if ((unsigned)type >= EID_SI_TYPE_MAX)
		return names[EID_SI_UNKNOWN];
	return names[type];
}

const char *eid_secinfo_source_name(enum eid_secinfo_source src)
{
	switch (src) {
	case EID_SI_SRC_CMS:
		return "EF.CardSecurity";
	case EID_SI_SRC_DG14:
		return "DG14";
	default:
		return "EF.CardAccess";
	}
}

const char *eid_secinfo_param_name(int id)
{
	static const char *const names[] = {
		[0] = "modp1024_160", [1] = "modp2048_224", [2] = "modp2048_256",
		[8] = "secp192r1", [9] = "brainpoolP192r1", [10] = "secp224r1",
		[11] = "brainpoolP224r1", [12] = "secp256r1", [13] = "brainpoolP256r1",
		[14] = "brainpoolP320r1", [15] = "secp384r1", [16] = "brainpoolP384r1",
		[17] = "brainpoolP512r1", [18] = "secp521r1",
	};

	if (id < 0 || (size_t)id >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[id];
}

const char *eid_secinfo_oid_name(const uint8_t *oid, size_t n)
{
	const struct known_oid *k;

	if (!oid)
		return NULL;
	k = lookup_oid(oid, n);
	return k ? k->name : NULL;
}
