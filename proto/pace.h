/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PACE v2, terminal side (ICAO 9303-11 4.4, BSI TR-03110-2 3.2).
 * Generic mapping (DH, ECDH), integrated mapping (DH, ECDH) and chip
 * authentication mapping (PACE-CAM); 3DES and AES-128/192/256; passwords
 * MRZ, CAN, PIN, PUK.  Steps in protocol order:
 *   MSE:Set AT -> GA 1 (encrypted nonce) -> GA 2 (mapping) -> GA 3 (key
 *   agreement) -> GA 4 (mutual authentication tokens).
 */
#ifndef EID_PACE_H
#define EID_PACE_H

#include "apdu.h"
#include "crypto.h"
#include "sm.h"

enum eid_pace_mapping { EID_PACE_GM = 1, EID_PACE_IM, EID_PACE_CAM };
enum eid_key_agreement { EID_KA_DH = 1, EID_KA_ECDH };

struct eid_pace_algo {
	enum eid_pace_mapping mapping;
	enum eid_key_agreement ka;
	enum eid_cipher cipher;
	uint8_t oid[16];       /* OID contents, e.g. 04 00 7F 00 07 02 02 04 02 02 */
	size_t oid_len;
	const char *name;      /* "id-PACE-ECDH-GM-AES-CBC-CMAC-128" */
};

/* Decode a PACE protocol OID (contents bytes); -EID_ENOTSUP if unknown. */
int eid_pace_algo_from_oid(const uint8_t *oid, size_t n, struct eid_pace_algo *out);

/* Password references (MSE:Set AT tag 83). */
enum eid_password { EID_PW_MRZ = 1, EID_PW_CAN = 2, EID_PW_PIN = 3, EID_PW_PUK = 4 };
const char *eid_password_name(enum eid_password p);  /* "mrz", "can", "pin", "puk" */

/* Is this standardized domain parameter ID supported (0..2 DH, 8..18 EC)? */
bool eid_pace_param_id_supported(int param_id);

struct eid_pace_opts {
	const struct eid_rng *rng;   /* NULL: system CSPRNG */
	bool send_param_id;          /* add tag 84 (parameter ID) to MSE:Set AT */
	const uint8_t *chat;         /* optional 7F4C CHAT element for eID TA */
	size_t chat_len;
	bool pin_resumed;            /* PACE with the CAN already succeeded in this session:
				      * a suspended PIN (63C1) may be tried (ICAO/BSI resume) */
};

struct eid_pace_result {
	struct eid_sm sm;             /* the new channel (SSC zero) */
	int retry_counter;            /* from MSE:Set AT 63Cx, else -1 */
	char car1[32], car2[32];      /* CARs returned in GA 4 ("" if none) */
	uint8_t chip_eph_pub[1024];   /* chip's ephemeral public key (point or DH value) */
	size_t chip_eph_pub_len;
	uint8_t id_icc[512];          /* ID_PICC for TA: x-coord (ECDH) or chip eph. DH value */
	size_t id_icc_len;
	uint8_t chip_map_pub[1024];   /* chip's mapping public key (CAM check) */
	size_t chip_map_pub_len;
	uint8_t ca_ic[128];           /* PACE-CAM: decrypted chip authentication data */
	size_t ca_ic_len;
	int param_id;
	struct eid_pace_algo algo;
};

/*
 * Run PACE.  pw: for EID_PW_MRZ the 20-byte SHA-1 of MRZ_information
 * (eid_mrz_key_hash), for CAN/PIN/PUK the ASCII digits.
 * Errors: -EID_EPASSWORD when the chip rejects the password (63Cx / 6300
 * after GA 4; res->retry_counter set), -EID_EBLOCKED (63C0 / 6983: retry
 * counter 0, the PUK is needed), -EID_ESUSPENDED (63C1 for a PIN without
 * pin_resumed: PACE with the CAN first), -EID_EDEACTIVATED (6283 / 6984 /
 * 6985: the password is deactivated), -EID_EAUTH when
 * the chip's token is wrong, -EID_ESW for other status words,
 * -EID_ENOTSUP for unknown parameters.  On success the caller installs
 * res->sm as the card's channel.
 */
int eid_pace_run(struct eid_card *card, const struct eid_pace_algo *algo, int param_id,
		 enum eid_password pw_type, const uint8_t *pw, size_t pw_len,
		 const struct eid_pace_opts *opts, struct eid_pace_result *res);

/*
 * PACE-CAM: check the chip's authentication data against its static public
 * key PK_IC (encoded point from ChipAuthenticationPublicKeyInfo):
 * CA_IC * PK_IC must equal the chip's mapping public key.  -EID_EAUTH if not.
 */
int eid_pace_cam_verify(const struct eid_pace_result *res, const uint8_t *pk_ic, size_t n);

void eid_pace_result_clear(struct eid_pace_result *res);

#endif
