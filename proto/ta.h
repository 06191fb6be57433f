/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Terminal Authentication v2, terminal side (BSI TR-03110-2 3.3, -3 B.3):
 *
 *   for each certificate from the one the chip's CVCA issued down to the
 *   terminal's:  MSE:Set DST { 83 CAR }; PSO:Verify Certificate { 7F4E, 5F37 }
 *   MSE:Set AT { 80 TA OID, 83 terminal CHR, 91 Comp(ephemeral PK_PCD), [67 aux] }
 *   GET CHALLENGE (8 bytes r_PICC)
 *   EXTERNAL AUTHENTICATE { signature over ID_PICC || r_PICC || Comp(PK_PCD) || [aux] }
 *
 * ID_PICC is from PACE (x-coordinate of the chip's ephemeral key); the
 * ephemeral PK_PCD is the one the terminal then uses for Chip Authentication
 * v2.  ECDSA signatures are plain r||s; RSA v1.5 and PSS are supported.
 */
#ifndef EID_TA_H
#define EID_TA_H

#include <time.h>

#include "apdu.h"
#include "cvc.h"

#define EID_TA_MAX_CERTS 8

/* Terminal credentials: certificates (optionally CVCA link certificates,
 * then the DV certificate, then the terminal certificate) and the
 * terminal's private key. */
struct eid_ta_creds {
	struct eid_cvc *certs[EID_TA_MAX_CERTS];
	size_t n_certs;            /* the last one is the terminal certificate */
	EVP_PKEY *key;
};

/*
 * Load credentials from files: certificates in chain order (DER CVCs; the
 * last is the terminal's), and the private key (PEM or DER, PKCS#8 or
 * traditional).  Checks that each certificate's CAR is the previous one's
 * CHR and that the key matches the terminal certificate's public key where
 * that can be checked without the domain parameters.  Errors: -EID_ENOTFOUND
 * (a file missing), -EID_EPARSE, -EID_ECERT (chain linkage).
 */
int eid_ta_creds_load(const char *const *cert_files, size_t n_certs, const char *key_file,
		      struct eid_ta_creds **out);
/* The same from memory (key as PEM or DER). */
int eid_ta_creds_from_mem(const uint8_t *const *certs, const size_t *cert_lens, size_t n_certs,
			  const uint8_t *key, size_t key_len, struct eid_ta_creds **out);
void eid_ta_creds_free(struct eid_ta_creds *c);
static inline const struct eid_cvc *eid_ta_creds_terminal(const struct eid_ta_creds *c)
{
	return c && c->n_certs ? c->certs[c->n_certs - 1] : NULL;
}

/*
 * The CHAT to send in PACE's MSE:Set AT: the terminal certificate's role
 * OID with its rights ANDed with `wanted` (data minimisation: ask only for
 * what this read needs).  out gets the encoded 7F4C element.
 */
int eid_ta_chat(const struct eid_ta_creds *c, uint64_t wanted, eid_buf *out);

/* Auxiliary data (67 { 73 { 06 OID, 53 value } ... }) for age verification,
 * document validity and community ID checks; any may be absent. */
struct eid_ta_aux {
	const char *age_ref_date;      /* "YYYYMMDD" or NULL */
	const char *validity_ref_date; /* "YYYYMMDD" or NULL */
	const uint8_t *community_id;   /* or NULL */
	size_t community_id_len;
};

struct eid_ta_opts {
	time_t now;                    /* 0: time(NULL); the terminal refuses its own
					  expired or not-yet-valid certificates */
	const struct eid_ta_aux *aux;  /* NULL: none */
	const struct eid_rng *rng;     /* reserved: ECDSA nonces and PSS salts come from
					  OpenSSL's generator (NULL is fine) */
};

/*
 * Run TA.  car1/car2: the chip's trusted CVCA references from PACE (GA 4;
 * "" if none).  id_picc: from PACE.  comp_pk_pcd: eid_ca_compressed_pub()
 * of the ephemeral CA key.  Errors: -EID_ECERT (no certificate chains to the
 * chip's CVCA, or a certificate of ours is expired: refused before anything
 * is sent), -EID_EAUTH (the chip refused a certificate or the signature),
 * -EID_ESW, transport errors.
 */
int eid_ta_run(struct eid_card *card, const struct eid_ta_creds *creds, const char *car1,
	       const char *car2, const uint8_t *id_picc, size_t id_picc_len,
	       const uint8_t *comp_pk_pcd, size_t comp_len, const struct eid_ta_opts *opts);

/* The signature input ID_PICC || r_PICC || Comp(PK_PCD) || [aux]
 * (exposed for the worked-example test). */
int eid_ta_signature_input(const uint8_t *id_picc, size_t id_picc_len, const uint8_t r_picc[8],
			   const uint8_t *comp_pk_pcd, size_t comp_len, const uint8_t *aux,
			   size_t aux_len, eid_buf *out);
/* Sign with the terminal key as the certificate's pk_oid says (plain r||s
 * for ECDSA, of the curve's size). */
int eid_ta_sign(const struct eid_ta_creds *c, const uint8_t *in, size_t n, eid_buf *sig);

#endif
