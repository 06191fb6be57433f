/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-sim: a simulated ICAO eMRTD chip.
 *
 * The chip core (chip.c) parses ISO 7816-4 command APDUs, keeps the file
 * system (MF with EF.CardAccess, the eMRTD application A0000002471001 with
 * EF.COM, the data groups and EF.SOD), checks access conditions and
 * dispatches each command by INS to a small handler table.  Protocols plug
 * in as separate files, each one `struct sim_protocol` with its commands:
 * chip_bac.c (GET CHALLENGE is core, MUTUAL AUTHENTICATE is BAC's);
 * chip_pace.c (PACE GM through OpenPACE's chip side, and PACE-CAM),
 * chip_ca.c (Chip Authentication v1) and chip_aa.c (Active
 * Authentication) the same way; chip_crypto.c holds the chip's own group
 * arithmetic (key checks, ECDH, PACE tokens, the CAM data).  chip_sm.c is
 * the chip side of secure messaging (3DES after BAC, AES after PACE/CA).
 * profile.c builds the document: profiles, holder data, EF.COM, DG1, DG2,
 * DG11, DG12 and EF.SOD signed with the test PKI in tests/data/pki;
 * secinfos.c the chip keys (tests/data/chip) and what they publish:
 * EF.CardAccess, DG14, DG15.
 *
 * The German eID card (profiles eid and eat, BSI TR-03110) adds: the eID
 * application E80704007F00070302 with DG1..DG22 (eid_files.c), EF.CardSecurity
 * in the MF, the passwords CAN, PIN (retry counter), PUK (chip_pace.c,
 * chip_eid.c: RESET RETRY COUNTER), Terminal Authentication v2 against the
 * chip's CVCA (chip_ta.c, OpenPACE) and Chip Authentication v2 (chip_ca.c);
 * a data group is readable only after TA and CA, within the effective CHAT.
 *
 * Transports: sim_chip_apdu() in process (drivers/sim.c, tests) and the
 * vpcd card ops (sim_vpcd_ops) for pcscd's vpcd driver.
 *
 * This is test equipment: the chip's keys and the holder data are test
 * values; still, nothing here prints any of them.
 */
#ifndef EID_SIM_H
#define EID_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/types.h>

#include "vpcd.h"
#include "buf.h"
#include "crypto.h"
#include "pace.h"
#include "sm.h"

/* ---- options: profile, holder data, realism knobs, faults ---- */

enum sim_face_format { SIM_FACE_JPEG = 0, SIM_FACE_JP2 };
enum sim_face_encoding { SIM_FACE_ISO19794 = 0, SIM_FACE_ISO39794 };

/* Which Document Signer signs EF.SOD. */
enum sim_ds {
	SIM_DS_OK = 0,        /* valid, chains to an exported CSCA */
	SIM_DS_EXPIRED,       /* valid 2020..2021 only */
	SIM_DS_REVOKED,       /* listed in the CSCA's CRL */
	SIM_DS_UNKNOWN_CSCA,  /* issued by a CSCA that is exported nowhere */
	SIM_DS_LINK,          /* issued by the new CSCA, reached via the link cert */
};

enum sim_ds_alg { SIM_DS_ECDSA = 0, SIM_DS_RSA_PSS };

/* Active Authentication key (DG15). */
enum sim_aa {
	SIM_AA_PROFILE = 0,   /* the profile's choice */
	SIM_AA_NONE,          /* no DG15, no INTERNAL AUTHENTICATE */
	SIM_AA_RSA,           /* RSA-1024, ISO/IEC 9796-2 scheme 1, SHA-1 (trailer BC) */
	SIM_AA_RSA_SHA256,    /* the same with SHA-256 (trailer 34CC) */
	SIM_AA_ECDSA,         /* ECDSA brainpoolP256r1, plain r||s, SHA-256 */
};

/* Holder data; strings are MRZ-style upper case (spaces allowed in names). */
struct sim_holder {
	char doc_number[10];     /* up to 9 characters [0-9A-Z] */
	char date_of_birth[7];   /* YYMMDD */
	char date_of_expiry[7];  /* YYMMDD */
	char surname[40];
	char given_names[40];
	char nationality[4];     /* "D", "UTO", ... */
	char issuing_state[4];   /* "" = same as nationality */
	char sex[2];             /* "F", "M" or "<" */
	char place_of_birth[40]; /* DG11 */
	char issuing_authority[40]; /* DG12 */
};

#define SIM_MAX_FACE_FILE (1u << 20)

struct sim_options {
	const char *profile;           /* "passport-bac", ... */
	struct sim_holder holder;
	const char *face_file;         /* NULL: tests/data/face.jpg or face.jp2 */
	enum sim_face_format face_format;
	enum sim_face_encoding face_encoding;
	enum sim_ds ds;
	enum sim_ds_alg ds_alg;
	const char *data_dir;          /* NULL: sim_default_data_dir() */
	char can[11];                  /* PACE CAN, 4..10 digits; default "123456" */
	enum sim_aa aa;

	/* realism knobs */
	size_t max_le;                 /* cap on response data (0: none) */
	bool no_extended;              /* extended-length APDUs get 6700 */
	unsigned long bitrate;         /* bits/s of the air interface (0: instant) */
	unsigned long turnaround_us;   /* added per APDU */

	/* faults (APDU numbers count from 1 since the card was inserted) */
	unsigned long remove_after;    /* card pulled after this many APDUs (0: never) */
	unsigned long corrupt_mac;     /* flip a MAC byte in the response to APDU N */
	int wrong_dg_hash;             /* EF.SOD holds a wrong hash of this DG (0: none) */
	int oversized_tlv;             /* this DG's outer length claims more than the file */

	/* randomness of the chip (RND.IC, K.IC, ...); NULL: system CSPRNG */
	const struct eid_rng *rng;

	/* eID profiles (eid, eat) */
	char pin[7];                   /* eID PIN, 5..6 digits; "" = 123456 */
	char puk[11];                  /* PUK, 10 digits; "" = 9876543210 */
	bool eid_deactivated;          /* eID function off: PIN refused (6283) */
	int pin_tries_used;            /* initial PIN retry counter: 3 - this (0..3) */
	const char *cvca_file;         /* trusted CVCA; NULL: <data_dir>/ta/cvca.cvcert */
	time_t date;                   /* the chip's date for TA; 0: time(NULL) */
	/* holder data of the eID data groups (NULL: the specimen's bytes) */
	const char *eid_given_names;   /* DG4, UTF-8 */
	const char *eid_family_names;  /* DG5, UTF-8 */
	const char *eid_birth_date;    /* DG8, YYYYMMDD, unknown parts as spaces */
	const char *eid_expiry_date;   /* DG3, YYYYMMDD */
	const char *eid_place_of_birth;/* DG9, free text, UTF-8 */
};

/* Specimen defaults: the BSI TR-03105-5 passport "MUSTERMANN ERIKA"
 * C11T002JM (its DG1 is byte for byte the published one), CAN 123456.
 * The eID profiles use AusweisApp's specimen card instead: its data groups
 * (tests/data/eid), CAN 500540 (unless --can), PIN 123456, PUK 9876543210. */
void sim_options_init(struct sim_options *o);

/* tests/data of the source tree: $EID_SIM_DATA, else EID_SIM_DATADIR when
 * compiled in, else found relative to the executable (../tests/data,
 * ../../tests/data); NULL when none exists. */
const char *sim_default_data_dir(char *buf, size_t size);

/* ---- the file system ---- */

enum sim_access {
	SIM_ACCESS_ALWAYS = 0,   /* readable in plain (EF.CardAccess) */
	SIM_ACCESS_SM,           /* needs an authenticated SM session (BAC/PACE) */
	SIM_ACCESS_EID,          /* eID data group: TA and CA done, and the read
				    right for its DG in the effective CHAT */
};

struct sim_file {
	uint16_t fid;
	uint8_t sfi;             /* 0: none */
	bool in_mf;              /* in the MF, else in the eMRTD application */
	int dg;                  /* 1..16 for data groups (1..22 in the eID
				    application), else 0 */
	enum sim_access access;
	eid_buf data;
};

#define SIM_MAX_FILES 32

/* ---- commands and protocols ---- */

/* A command as the handlers see it: plain, after secure messaging. */
struct sim_cmd {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;     /* lc bytes */
	size_t lc;
	size_t le;               /* 0: no Le field; 256 / 65536 for 00 / 0000 */
	bool extended;
	bool sm;                 /* arrived protected by secure messaging */
	size_t max_data;         /* most response data that fits the response APDU
				    once protected (short APDU under SM); 0: any */
};

struct sim_chip;

/* A command handler appends the response data to out and returns SW1SW2. */
typedef uint16_t (*sim_cmd_fn)(struct sim_chip *chip, const struct sim_cmd *cmd,
			       eid_buf *out);

/* A protocol's command: INS, and P1P2 when the INS is shared (MSE). */
struct sim_command {
	uint8_t ins;
	int p1p2;                /* -1: any P1P2 */
	bool after_mse;          /* only after this protocol's MSE:Set AT
				    (GENERAL AUTHENTICATE of PACE and CA) */
	bool chaining;           /* accepts CLA bit 10 (command chaining) */
	sim_cmd_fn fn;
};

struct sim_protocol {
	const char *name;
	const struct sim_command *cmds;
	size_t n_cmds;
	/* Power on/off, reset: forget session state (may be NULL). */
	void (*reset)(struct sim_chip *chip);
};

#define SIM_MAX_PROTOCOLS 8

/* SW of the chip. */
#define SIM_SW_OK             0x9000
#define SIM_SW_EOF            0x6282
#define SIM_SW_DEACTIVATED    0x6283
#define SIM_SW_AUTH_FAILED    0x6300
#define SIM_SW_WRONG_LENGTH   0x6700
#define SIM_SW_LAST_OF_CHAIN  0x6883
#define SIM_SW_NO_CHAINING    0x6884
#define SIM_SW_SECURITY       0x6982
#define SIM_SW_CONDITIONS     0x6985
#define SIM_SW_NO_CURRENT_EF  0x6986
#define SIM_SW_SM_MISSING     0x6987
#define SIM_SW_SM_INCORRECT   0x6988
#define SIM_SW_WRONG_DATA     0x6A80
#define SIM_SW_NOT_FOUND      0x6A82
#define SIM_SW_WRONG_P1P2_86  0x6A86
#define SIM_SW_REF_NOT_FOUND  0x6A88
#define SIM_SW_WRONG_P1P2     0x6B00
#define SIM_SW_INS            0x6D00
#define SIM_SW_CLA            0x6E00

/* ---- what the chip offers (set by the profile) ---- */

/* One PACEInfo of EF.CardAccess. */
struct sim_pace_info {
	enum eid_pace_mapping mapping;   /* GM or CAM (IM: not offered) */
	enum eid_key_agreement ka;
	enum eid_cipher cipher;
	int param_id;                    /* standardized domain parameters */
};

#define SIM_MAX_PACE_INFOS 4

struct sim_pace_session;                 /* chip_pace.c */
struct sim_ta_session;                   /* chip_ta.c */

/* Most CVCA references a chip keeps (CHR, 16 characters at most). */
#define SIM_CHR_MAX 17

/* Passwords of the eID card. */
#define SIM_PIN_RETRIES 3

/* ---- the chip ---- */

struct sim_chip {
	struct sim_options opt;
	char data_dir[512];

	struct sim_file files[SIM_MAX_FILES];
	size_t n_files;
	const struct sim_protocol *protocols[SIM_MAX_PROTOCOLS];
	size_t n_protocols;

	/* document keys */
	uint8_t mrz_kseed[16];       /* BAC key seed (SHA-1 of MRZ_information) */
	uint8_t mrz_k[20];           /* PACE MRZ password K */

	/* protocols offered: PACEInfos, Chip and Active Authentication keys */
	struct sim_pace_info pace[SIM_MAX_PACE_INFOS];
	size_t n_pace;
	EVP_PKEY *ca_key;            /* chip static key pair (DG14), NULL: none */
	enum eid_cipher ca_cipher;   /* ChipAuthenticationInfo: id-CA-ECDH-<cipher> */
	int ca_key_id;               /* its keyId, -1: none */
	EVP_PKEY *aa_key;            /* DG15's private half, NULL: none */
	enum sim_aa aa;              /* kind of aa_key (the resolved option) */

	/* the application: eMRTD (A0000002471001) or eID (E80704007F00070302) */
	uint8_t app_aid[16];
	size_t app_aid_len;

	/* the eID card (eid_card true): passwords, CVCA, CA v2 */
	bool eid_card;
	int ca_version;              /* 1 (DG14, ICAO) or 2 (EF.CardSecurity, eID) */
	int pin_retries;             /* survives power cycles and reinsertion */
	eid_buf cvca;                /* the trusted CVCA certificate (7F21) */
	char cvca_chr[SIM_CHR_MAX];  /* its CHR: CAR1 of PACE */
	char cvca_prev_chr[SIM_CHR_MAX]; /* the previous CVCA after a link
					    certificate: CAR2 ("" none) */

	/* Restricted Identification (chip_ri.c; eID profiles): SK_ID as a
	 * big-endian scalar of the standardized domain parameters ri_param_id */
	uint8_t ri_priv[66];
	size_t ri_priv_len;          /* 0: no RI key */
	int ri_param_id;
	int ri_key_id;

	/* session state (cleared by sim_chip_reset) */
	bool app_selected;           /* eMRTD application is the current DF */
	int current_ef;              /* index into files, -1 none */
	bool authenticated;          /* BAC/PACE done: LDS files readable */
	bool sm_active;
	struct eid_sm sm;            /* chip side keys and SSC */
	uint8_t challenge[8];
	bool challenge_valid;
	const struct sim_protocol *mse;  /* owner of the security environment set
					    by the last MSE:Set AT, NULL none */
	struct sim_pace_session *pace_session;
	enum eid_cipher ca_selected; /* CA: cipher chosen by MSE:Set AT */
	struct eid_sm sm_next;       /* keys to switch to after this response */
	bool sm_next_pending;

	/* eID session state (cleared by sim_chip_reset) */
	int pace_pw;                 /* password of the last successful PACE, 0 none */
	bool pace_can_done;          /* PACE with the CAN succeeded in this session */
	bool pace_chat_set;          /* the PACE MSE:Set AT carried a CHAT */
	uint64_t pace_chat;          /* its relative authorization (40 bits) */
	bool pace_chat_at;           /* its role OID is id-AT */
	uint8_t id_picc[256];        /* Comp(chip's PACE ephemeral key): TA's ID_PICC */
	size_t id_picc_len;
	struct sim_ta_session *ta_session;
	bool ta_done;                /* TA succeeded: rights below, PK_PCD committed */
	uint64_t ta_rights;          /* effective authorization (AT rights bits) */
	uint8_t ta_comp_pk[128];     /* Comp(PK_PCD) that TA signed */
	size_t ta_comp_pk_len;
	bool eid_access;             /* TA and then CA v2 done: eID data groups */

	/* counters */
	unsigned long apdus;         /* since insertion */
	bool removed;
};

/* Build a chip from options (data, EF.SOD signed now).  -EID_ENOTSUP for a
 * profile whose protocols are not built in; -EID_EINVAL for bad holder
 * data; -EID_ENOTFOUND when tests/data is missing. */
int sim_chip_new(const struct sim_options *opt, struct sim_chip **out);
void sim_chip_free(struct sim_chip *chip);

/* Power cycle: back to the MF, secure messaging ended, session state gone. */
void sim_chip_reset(struct sim_chip *chip);
/* A new card insertion: reset and zero the APDU counter. */
void sim_chip_insert(struct sim_chip *chip);

/* Process one command APDU; writes the response (data + SW) to resp and
 * returns its length (at most max, which must be >= 2).  Sleeps for the
 * simulated air interface when bitrate/turnaround are set. */
size_t sim_chip_apdu(struct sim_chip *chip, const uint8_t *cmd, size_t n, uint8_t *resp,
		     size_t max);

/* The same as an eid_transmit_fn (ctx = the chip): -EID_ENOCARD once the
 * card was pulled (--remove-after). */
int sim_chip_transmit(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp,
		      size_t *resp_len);

/* ATR of the simulated card (ISO 14443-4 contactless via PC/SC part 3). */
size_t sim_chip_atr(const struct sim_chip *chip, uint8_t *atr, size_t max);

/* Card ops for vpcd_serve (ctx = the chip). */
extern const struct vpcd_card_ops sim_vpcd_ops;

/* For protocol files and profiles. */
int sim_chip_add_protocol(struct sim_chip *chip, const struct sim_protocol *p);
/* Add or replace a file (data copied). */
int sim_chip_set_file(struct sim_chip *chip, uint16_t fid, uint8_t sfi, bool in_mf, int dg,
		      enum sim_access access, const uint8_t *data, size_t n);
/* The file with this FID in the MF or the application; NULL if none. */
const struct sim_file *sim_chip_file(const struct sim_chip *chip, uint16_t fid);
/* Random bytes from opt.rng (or the system CSPRNG). */
int sim_chip_random(struct sim_chip *chip, uint8_t *out, size_t n);

/* ---- secure messaging, chip side (chip_sm.c) ---- */

/* Start a session; ssc NULL = zeros.  Access to the LDS is granted by the
 * caller (chip->authenticated). */
int sim_sm_start(struct sim_chip *chip, enum eid_cipher cipher, const uint8_t *kenc,
		 const uint8_t *kmac, const uint8_t *ssc);
/* End the session: keys wiped, access lost. */
void sim_sm_end(struct sim_chip *chip);
/* New session keys (PACE, CA) that take effect once the response to the
 * current command has been sent (protected with the old keys, if any);
 * the session is then authenticated.  ssc NULL = zeros.  Dropped when the
 * command's status word is not 9000. */
int sim_sm_next(struct sim_chip *chip, enum eid_cipher cipher, const uint8_t *kenc,
		const uint8_t *kmac, const uint8_t *ssc);
/* Called by the core after each response: switch to the pending keys
 * (ok) or forget them. */
void sim_sm_commit(struct sim_chip *chip, bool ok);
/*
 * Check and decrypt a protected command (SSC incremented first).  On
 * success *plain holds the command (data in plain_data) and 0 is returned;
 * otherwise the SW to answer in plain: 6987 (an object missing) or 6988
 * (wrong MAC, malformed, bad padding).
 */
uint16_t sim_sm_unwrap(struct sim_chip *chip, const struct sim_cmd *prot,
		       struct sim_cmd *plain, eid_buf *plain_data);
/* Protect a response: DO'87' (even INS) or DO'85' (odd INS), DO'99', DO'8E';
 * appends the body (without SW) to out. */
int sim_sm_wrap(struct sim_chip *chip, uint8_t ins, const uint8_t *data, size_t n,
		uint16_t sw, eid_buf *out);

/* ---- protocols ---- */

extern const struct sim_protocol sim_protocol_bac;   /* chip_bac.c */
extern const struct sim_protocol sim_protocol_pace;  /* chip_pace.c */
extern const struct sim_protocol sim_protocol_ca;    /* chip_ca.c */
extern const struct sim_protocol sim_protocol_aa;    /* chip_aa.c */
extern const struct sim_protocol sim_protocol_ta;    /* chip_ta.c */
extern const struct sim_protocol sim_protocol_eid;   /* chip_eid.c */
extern const struct sim_protocol sim_protocol_ri;    /* chip_ri.c; register it before
							CA: it hands CA's MSE:Set AT on */

/* RI: load <data_dir>/chip/ri-ec.key (brainpoolP256r1) as the RI key key_id. */
int sim_ri_load(struct sim_chip *chip, int key_id);

/* Authentication terminal rights (the 40-bit CHAT bitmap, TR-03110-4
 * 2.2.3.2): bit 4 CAN allowed, bit 7 + n read DGn. */
#define SIM_AT_RESTRICTED_ID (1ull << 2)
#define SIM_AT_CAN_ALLOWED  (1ull << 4)
#define SIM_AT_READ_DG(n)   (1ull << (7 + (n)))

/* TA: forget the running Terminal Authentication (new PACE, reset). */
void sim_ta_end(struct sim_chip *chip);
/* TA: load the chip's CVCA (opt.cvca_file or <data_dir>/ta/cvca.cvcert). */
int sim_ta_load_cvca(struct sim_chip *chip);
/* The chip's date (opt.date or now). */
time_t sim_chip_date(const struct sim_chip *chip);

/* ---- the chip's group arithmetic (chip_crypto.c) ---- */

/* A group of standardized domain parameters or of a key. */
struct sim_group {
	int param_id;            /* standardized ID (0..2 DH, 8..18 EC), -1 from a key */
	bool dh;
	EC_GROUP *ec;            /* ECDH */
	BIGNUM *p, *q;           /* field prime / modulus; order of the generator */
	size_t plen, qlen;       /* bytes of a field element (DH value), of the order */
	BN_CTX *bn;
};

int sim_group_new(int param_id, struct sim_group **out);
/* The group of an EC key pair (named curve). */
int sim_group_from_key(EVP_PKEY *key, struct sim_group **out);
void sim_group_free(struct sim_group *g);
/* Length of an encoded element: 04||x||y or a DH value of plen bytes. */
size_t sim_group_elem_len(const struct sim_group *g);
/* A public key from the terminal: the right length and encoding, on the
 * curve and not the point at infinity (EC); 1 < y < p-1 and y^q = 1 (DH). */
bool sim_group_pub_ok(const struct sim_group *g, const uint8_t *pub, size_t n);
/* EC: x-coordinate (plen bytes) of priv * peer, peer checked first. */
int sim_ecdh_x(const struct sim_group *g, const BIGNUM *priv, const uint8_t *peer, size_t n,
	       eid_buf *x);
/* The private scalar of an EC key pair. */
int sim_key_priv(EVP_PKEY *key, BIGNUM **priv);

/* PACE protocol OID contents for an offered PACEInfo (10 bytes). */
int sim_pace_oid(const struct sim_pace_info *info, uint8_t oid[10]);
/* Authentication token: MAC(KSmac, 7F49 { 06 oid, 86 point | 84 DH value })
 * truncated to 8 bytes (CMAC for AES, retail MAC over the padded input for
 * 3DES). */
int sim_pace_token(enum eid_cipher c, const uint8_t *kmac, const uint8_t *oid, size_t oid_len,
		   bool dh, const uint8_t *pub, size_t n, uint8_t out[8]);
/* PACE-CAM (ICAO 9303-11 4.4.3.5): CA_IC = sk_map * sk_ic^-1 mod q, as
 * qlen bytes; so that CA_IC * PK_IC = PK_Map,IC. */
int sim_cam_ca_ic(const struct sim_group *g, const BIGNUM *sk_map, const BIGNUM *sk_ic,
		  eid_buf *ca_ic);
/* A_IC = E(KSenc, pad(CA_IC)), AES-CBC with IV = E(KSenc, FF..FF). */
int sim_cam_encrypt(enum eid_cipher c, const uint8_t *kenc, const uint8_t *ca_ic, size_t n,
		    eid_buf *a_ic);

/* ---- profiles and the document (profile.c) ---- */

struct sim_profile {
	const char *name;
	const char *summary;
	/* Add the profile's protocols and files; NULL: not built in yet. */
	int (*setup)(struct sim_chip *chip);
	bool eid;                /* a German eID card: no ICAO LDS (EF.COM, EF.SOD) */
};

extern const struct sim_profile sim_profiles[];
extern const size_t sim_n_profiles;
const struct sim_profile *sim_profile_find(const char *name);

/* Check the holder data (lengths, characters, dates). */
int sim_holder_check(const struct sim_holder *h, const char **why);
/* The two TD3 MRZ lines (44 characters each) with check digits. */
int sim_mrz_td3(const struct sim_holder *h, char line1[45], char line2[45]);

/* ---- chip keys and SecurityInfos (secinfos.c) ---- */

/* Load the chip's static keys from <data_dir>/chip: the Chip
 * Authentication key (brainpoolP256r1) when ca, the AA key of the kind
 * chip->aa. */
int sim_keys_load(struct sim_chip *chip, bool ca);
/* EF.CardAccess (MF, FID 011C, SFI 1C): a PACEInfo for each of chip->pace. */
int sim_card_access_build(struct sim_chip *chip);
/* DG14: ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo (when
 * there is a CA key), ActiveAuthenticationInfo (ECDSA AA). */
int sim_dg14_build(struct sim_chip *chip);
/* DG15: the AA public key (SubjectPublicKeyInfo). */
int sim_dg15_build(struct sim_chip *chip);
/* Add or replace a data group (FID 01xx, SFI = number). */
int sim_lds_add_dg(struct sim_chip *chip, int dg, const eid_buf *b);

/* Build the LDS files (EF.COM, DG1, DG2, DG11, DG12) into the chip. */
int sim_lds_build(struct sim_chip *chip);
/* After the profile's setup: faults on data groups, then EF.COM listing
 * every data group present, then EF.SOD over them, signed. */
int sim_lds_finish(struct sim_chip *chip);

/* ---- the eID card's files (eid_files.c) ---- */

/* The eID application, its data groups DG1..DG22 (tests/data/eid, holder
 * overrides, the eAT's differences when eat), EF.CardAccess and the signed
 * EF.CardSecurity. */
int sim_eid_build(struct sim_chip *chip, bool eat);
/* CMS SignedData over content with this eContentType (dotted OID), signed by
 * the Document Signer of the options (profile.c). */
int sim_cms_sign(const struct sim_chip *chip, const char *oid, const eid_buf *content,
		 eid_buf *der);

/* Copy the CSCA certificates, link certificate, CRLs and master list to
 * dir (created if missing).  Returns 0 or -EID_ENOTFOUND / -EID_ETRANSPORT. */
int sim_export_pki(const char *data_dir, const char *dir);

#endif
