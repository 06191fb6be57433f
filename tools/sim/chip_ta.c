/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Terminal Authentication v2, chip side (BSI TR-03110-2 3.3, -3 B.11),
 * played by OpenPACE's TA (TA_STEP2_import_certificate, TA_STEP4_set_nonce,
 * TA_STEP6_verify) with the chip's CVCA as trust anchor.  Only in a secure
 * messaging session after PACE (eID card).
 *
 *   MSE:Set DST  00 22 81 B6 { 83 CAR }      the key that verifies the next
 *                certificate: the chip's CVCA (starts the chain over) or
 *                the certificate imported last; 6A88 for any other
 *   PSO:Verify Certificate 00 2A 00 BE { 7F4E body, 5F37 signature }
 *                (extended, or command chaining with CLA bit 10): 9000;
 *                6A80 malformed, CAR not the selected key, outside its
 *                validity at the chip's date (expired or not yet valid);
 *                6300 wrong signature
 *   MSE:Set AT   00 22 81 A4 { 80 id-TA-*, 83 terminal CHR,
 *                91 Comp(ephemeral PK_PCD), [67 auxiliary data] }: 9000;
 *                6A88 when the CHR is not the verified terminal's
 *   GET CHALLENGE (the core's): r_PICC
 *   EXTERNAL AUTHENTICATE 00 82 00 00 { signature over ID_PICC || r_PICC ||
 *                Comp(PK_PCD) || [aux] }: 9000, 6300 wrong signature,
 *                6985 out of sequence
 * The effective authorization is the AND of the CHATs of the chain (CVCA,
 * link certificates, DV, terminal) and of PACE's CHAT.  After PACE with the
 * CAN, a terminal without "CAN allowed" gets no data group.  The chip's date
 * is --date or today (OpenPACE's own clock check is off: ours uses it).  A
 * link certificate that verifies makes its CVCA the chip's trust anchor
 * once TA succeeds (the old one's CHR becomes CAR2).
 *
 * This file includes OpenPACE's headers: it is in libsimeac.a (built
 * without OPENSSL_NO_DEPRECATED) and uses no deprecated function itself.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <eac/cv_cert.h>
#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/ta.h>

#include "sim.h"
#include "tlv.h"

#define MAX_CERT 4096

struct sim_ta_session {
	EAC_CTX *eac;
	char key_chr[SIM_CHR_MAX];   /* the key selected by MSE:Set DST */
	eid_buf chain;               /* PSO data of a command chain so far */
	bool chaining;
	uint64_t rights;             /* AND of the CHATs so far */
	bool at;                     /* the last certificate is of an id-AT terminal */
	bool terminal;               /* the last certificate is a terminal's */
	char terminal_chr[SIM_CHR_MAX];
	bool new_anchor;             /* a CVCA link certificate was imported */
	eid_buf new_cvca;            /* its encoding */
	char new_cvca_chr[SIM_CHR_MAX];
	bool mse;                    /* MSE:Set AT done */
	uint8_t comp[128];
	size_t comp_len;
	eid_buf aux;
};

static pthread_once_t eac_once = PTHREAD_ONCE_INIT;

static void eac_init_once(void)
{
	EAC_init();
}

/* ---- certificates ---- */

/* A reference (CAR, CHR) as a C string: 1..16 printable characters. */
static bool ref_copy(const ASN1_UTF8STRING *s, char out[SIM_CHR_MAX])
{
	if (!s || s->length < 1 || s->length >= SIM_CHR_MAX)
		return false;
	for (int i = 0; i < s->length; i++)
		if (s->data[i] < 0x20 || s->data[i] > 0x7E)
			return false;
	memcpy(out, s->data, (size_t)s->length);
	out[s->length] = '\0';
	return true;
}

/* A CVC date (six digits 0..9, YYMMDD, 20YY) as the first second of that
 * day (UTC); (time_t)-1 when malformed. */
static time_t cvc_date(const ASN1_OCTET_STRING *d)
{
	struct tm tm;
	int v[6];

	if (!d || d->length != 6)
		return (time_t)-1;
	for (int i = 0; i < 6; i++) {
		if (d->data[i] > 9)
			return (time_t)-1;
		v[i] = d->data[i];
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 100 + v[0] * 10 + v[1];
	tm.tm_mon = v[2] * 10 + v[3] - 1;
	tm.tm_mday = v[4] * 10 + v[5];
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return (time_t)-1;
	return timegm(&tm);
}

/* Valid at the chip's date: effective <= date <= end of expiration day. */
static bool cvc_valid_at(const CVC_CERT *cert, time_t at)
{
	time_t from = cvc_date(cert->body->certificate_effective_date);
	time_t to = cvc_date(cert->body->certificate_expiration_date);

	if (from == (time_t)-1 || to == (time_t)-1)
		return false;
	return from <= at && at <= to + 86399;
}

/* The CHAT: role (2 bits), id-AT or not, rights (38 bits). */
static bool cvc_chat(const CVC_CERT *cert, int *role, bool *at, uint64_t *rights)
{
	const CVC_CHAT *chat = cert->body->chat;
	const ASN1_OCTET_STRING *ra;
	uint64_t v = 0;

	if (!chat || !chat->terminal_type || !(ra = chat->relative_authorization) ||
	    ra->length < 1 || ra->length > 5)
		return false;
	for (int i = 0; i < ra->length; i++)
		v = v << 8 | ra->data[i];
	v <<= 8 * (5 - ra->length);
	*role = (int)(v >> 38) & 3;
	*rights = v & ((1ull << 38) - 1);
	*at = OBJ_obj2nid(chat->terminal_type) == NID_id_AT;
	return true;
}

static CVC_CERT *cvc_parse(const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	CVC_CERT *cert;

	if (n > MAX_CERT)
		return NULL;
	cert = CVC_d2i_CVC_CERT(NULL, &p, (long)n);
	if (cert && (p != der + n || !cert->body || !cert->body->chat)) {
		CVC_CERT_free(cert);
		cert = NULL;
	}
	ERR_clear_error();
	return cert;
}

int sim_ta_load_cvca(struct sim_chip *chip)
{
	char path[600];
	uint8_t tmp[MAX_CERT + 1];
	CVC_CERT *cert = NULL;
	const char *file = chip->opt.cvca_file;
	FILE *fp;
	size_t n;
	int r;

	if (!file) {
		snprintf(path, sizeof(path), "%s/ta/cvca.cvcert", chip->data_dir);
		file = path;
	}
	if (!(fp = fopen(file, "rb")))
		return -EID_ENOTFOUND;
	n = fread(tmp, 1, sizeof(tmp), fp);
	fclose(fp);
	pthread_once(&eac_once, eac_init_once);
	if (n == 0 || n > MAX_CERT || !(cert = cvc_parse(tmp, n)) ||
	    !ref_copy(cert->body->certificate_holder_reference, chip->cvca_chr)) {
		r = -EID_EPARSE;
		goto out;
	}
	chip->cvca_prev_chr[0] = '\0';
	r = eid_buf_set(&chip->cvca, tmp, n);
out:
	CVC_CERT_free(cert);
	return r;
}

/* ---- the session ---- */

static void session_free(struct sim_ta_session *ts)
{
	if (!ts)
		return;
	EAC_CTX_clear_free(ts->eac);
	eid_buf_free(&ts->chain);
	eid_buf_free(&ts->new_cvca);
	eid_buf_free(&ts->aux);
	eid_wipe(ts, sizeof(*ts));
	free(ts);
	ERR_clear_error();
}

void sim_ta_end(struct sim_chip *chip)
{
	session_free(chip->ta_session);
	chip->ta_session = NULL;
}

/* A new chain, starting at the chip's CVCA. */
static int session_new(struct sim_chip *chip)
{
	struct sim_ta_session *ts = calloc(1, sizeof(*ts));
	CVC_CERT *anchor = NULL;
	int role, r = -EID_ECRYPTO;
	bool at;

	sim_ta_end(chip);
	if (!ts)
		return -EID_ENOMEM;
	eid_buf_init(&ts->chain);
	eid_buf_init(&ts->new_cvca);
	eid_buf_init(&ts->aux);
	pthread_once(&eac_once, eac_init_once);
	if (!(anchor = cvc_parse(chip->cvca.data, chip->cvca.len)) ||
	    !cvc_chat(anchor, &role, &at, &ts->rights))
		goto out;
	if (!(ts->eac = EAC_CTX_new()) ||
	    !EAC_CTX_init_ta(ts->eac, NULL, 0, chip->cvca.data, chip->cvca.len))
		goto out;
	TA_disable_checks(ts->eac);
	strcpy(ts->key_chr, chip->cvca_chr);
	chip->ta_session = ts;
	ts = NULL;
	r = 0;
out:
	CVC_CERT_free(anchor);
	session_free(ts);
	return r;
}

/* TA needs PACE on the eID card: protected, in an authenticated session. */
static bool ta_allowed(const struct sim_chip *chip, const struct sim_cmd *cmd)
{
	return chip->eid_card && cmd->sm && chip->authenticated && chip->pace_pw &&
	       chip->id_picc_len;
}

/* ---- MSE:Set DST ---- */

static uint16_t cmd_set_dst(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	struct sim_ta_session *ts;
	eid_cbs c, car;

	(void)out;
	if (!ta_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x83, &car) || eid_cbs_len(&c) != 0)
		return SIM_SW_WRONG_DATA;
	if (eid_cbs_equal(&car, chip->cvca_chr, strlen(chip->cvca_chr)))
		return session_new(chip) < 0 ? 0x6F00 : SIM_SW_OK;
	ts = chip->ta_session;
	if (ts && !ts->terminal && eid_cbs_equal(&car, ts->key_chr, strlen(ts->key_chr)))
		return SIM_SW_OK;
	return SIM_SW_REF_NOT_FOUND;
}

/* ---- PSO:Verify Certificate ---- */

/* Import one certificate: checks, then OpenPACE verifies the signature. */
static uint16_t import_cert(struct sim_chip *chip, struct sim_ta_session *ts, eid_cbs data)
{
	eid_buf der = EID_BUF_INIT;
	eid_cbs body, sig;
	CVC_CERT *cert = NULL;
	char car[SIM_CHR_MAX], chr[SIM_CHR_MAX];
	uint64_t rights;
	uint16_t sw = SIM_SW_WRONG_DATA;
	size_t mark;
	int role;
	bool at;

	if (!eid_tlv_get(&data, 0x7F4E, &body) || !eid_tlv_get(&data, 0x5F37, &sig) ||
	    eid_cbs_len(&data) != 0)
		goto out;
	mark = eid_tlv_begin(&der, 0x7F21);
	eid_tlv_add(&der, 0x7F4E, eid_cbs_data(&body), eid_cbs_len(&body));
	eid_tlv_add(&der, 0x5F37, eid_cbs_data(&sig), eid_cbs_len(&sig));
	if (eid_tlv_end(&der, mark) < 0) {
		sw = 0x6F00;
		goto out;
	}
	if (!(cert = cvc_parse(der.data, der.len)) ||
	    !ref_copy(cert->body->certificate_authority_reference, car) ||
	    !ref_copy(cert->body->certificate_holder_reference, chr) ||
	    !cvc_chat(cert, &role, &at, &rights) || strcmp(car, ts->key_chr) != 0)
		goto out;
	if (!cvc_valid_at(cert, sim_chip_date(chip)))
		goto out;                          /* expired or not yet valid: 6A80 */
	/* the signature with the key of the certificate imported last (or the
	 * CVCA's) first, quietly: OpenPACE reports its failure on stderr */
	if (ts->eac->ta_ctx && ts->eac->ta_ctx->pub_key &&
	    CVC_verify_signature(cert, ts->eac->ta_ctx->protocol, ts->eac->ta_ctx->pub_key) != 1) {
		sw = SIM_SW_AUTH_FAILED;
		goto out;
	}
	if (!TA_STEP2_import_certificate(ts->eac, der.data, der.len)) {
		sw = SIM_SW_AUTH_FAILED;           /* the signature */
		goto out;
	}
	ts->rights &= rights;
	ts->terminal = role == 0;
	ts->at = at;
	strcpy(ts->key_chr, chr);
	if (role == 3) {                           /* a link certificate */
		ts->new_anchor = true;
		strcpy(ts->new_cvca_chr, chr);
		if (eid_buf_set(&ts->new_cvca, der.data, der.len) < 0) {
			sw = 0x6F00;
			goto out;
		}
	}
	if (ts->terminal)
		strcpy(ts->terminal_chr, chr);
	ts->mse = false;
	sw = SIM_SW_OK;
out:
	CVC_CERT_free(cert);
	eid_buf_free(&der);
	ERR_clear_error();
	return sw;
}

static uint16_t cmd_verify_certificate(struct sim_chip *chip, const struct sim_cmd *cmd,
				       eid_buf *out)
{
	struct sim_ta_session *ts = chip->ta_session;
	bool more = cmd->cla & 0x10;
	eid_cbs data;
	uint16_t sw;

	(void)out;
	if (!ta_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	if (!ts || ts->terminal)
		return SIM_SW_CONDITIONS;          /* no MSE:Set DST before */
	if (!ts->chaining)
		eid_buf_reset(&ts->chain);
	if (ts->chain.len + cmd->lc > MAX_CERT) {
		ts->chaining = false;
		return SIM_SW_WRONG_LENGTH;
	}
	if (eid_buf_add(&ts->chain, cmd->data, cmd->lc) < 0)
		return 0x6F00;
	ts->chaining = more;
	if (more)
		return SIM_SW_OK;
	eid_buf_cbs(&ts->chain, &data);
	sw = import_cert(chip, ts, data);
	eid_buf_reset(&ts->chain);
	return sw;
}

/* ---- MSE:Set AT ---- */

static uint16_t cmd_set_at(struct sim_chip *chip, const struct sim_cmd *cmd, eid_buf *out)
{
	static const uint8_t id_ta[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02 };
	struct sim_ta_session *ts = chip->ta_session;
	eid_cbs c, oid, chr, comp, aux;
	bool have_aux;

	(void)out;
	if (!ta_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	if (!ts || !ts->terminal)
		return SIM_SW_CONDITIONS;
	ts->mse = false;
	eid_cbs_init(&c, cmd->data, cmd->lc);
	if (!eid_tlv_get(&c, 0x80, &oid) || !eid_tlv_get(&c, 0x83, &chr) ||
	    !eid_tlv_get(&c, 0x91, &comp) || !eid_tlv_get_optional(&c, 0x67, &aux, &have_aux) ||
	    eid_cbs_len(&c) != 0)
		return SIM_SW_WRONG_DATA;
	if (eid_cbs_len(&oid) != sizeof(id_ta) + 2 ||
	    memcmp(eid_cbs_data(&oid), id_ta, sizeof(id_ta)) != 0 ||
	    eid_cbs_len(&comp) == 0 || eid_cbs_len(&comp) > sizeof(ts->comp))
		return SIM_SW_WRONG_DATA;
	if (!eid_cbs_equal(&chr, ts->terminal_chr, strlen(ts->terminal_chr)))
		return SIM_SW_REF_NOT_FOUND;
	memcpy(ts->comp, eid_cbs_data(&comp), eid_cbs_len(&comp));
	ts->comp_len = eid_cbs_len(&comp);
	eid_buf_reset(&ts->aux);
	if (have_aux) {
		/* the signature covers the whole 67 object */
		if (eid_tlv_add(&ts->aux, 0x67, eid_cbs_data(&aux), eid_cbs_len(&aux)) < 0)
			return 0x6F00;
	}
	ts->mse = true;
	chip->challenge_valid = false;
	return SIM_SW_OK;
}

/* ---- EXTERNAL AUTHENTICATE ---- */

static BUF_MEM *bm_new(const uint8_t *p, size_t n)
{
	BUF_MEM *b = BUF_MEM_new();

	if (!b || (n && !BUF_MEM_grow(b, n))) {
		BUF_MEM_free(b);
		return NULL;
	}
	if (n)
		memcpy(b->data, p, n);
	b->length = n;
	return b;
}

/* TA succeeded: the rights, the key CA must use, a new trust anchor. */
static void ta_commit(struct sim_chip *chip, struct sim_ta_session *ts)
{
	uint64_t rights = ts->at ? ts->rights : 0;

	if (chip->pace_chat_set)
		rights = chip->pace_chat_at ? rights & chip->pace_chat : 0;
	/* after PACE with the CAN only a terminal allowed to use it reads */
	if (chip->pace_pw == EID_PW_CAN && !(rights & SIM_AT_CAN_ALLOWED))
		rights = 0;
	chip->ta_rights = rights;
	memcpy(chip->ta_comp_pk, ts->comp, ts->comp_len);
	chip->ta_comp_pk_len = ts->comp_len;
	chip->ta_done = true;
	chip->eid_access = false;
	if (ts->new_anchor && eid_buf_set(&chip->cvca, ts->new_cvca.data, ts->new_cvca.len) == 0) {
		strcpy(chip->cvca_prev_chr, chip->cvca_chr);
		strcpy(chip->cvca_chr, ts->new_cvca_chr);
	}
}

static uint16_t cmd_external_authenticate(struct sim_chip *chip, const struct sim_cmd *cmd,
					  eid_buf *out)
{
	struct sim_ta_session *ts = chip->ta_session;
	BUF_MEM *nonce = NULL, *comp = NULL, *id = NULL, *aux = NULL, *sig = NULL;
	uint16_t sw = 0x6F00;

	(void)out;
	if (!ta_allowed(chip, cmd))
		return SIM_SW_SECURITY;
	if (cmd->p1 || cmd->p2)
		return SIM_SW_WRONG_P1P2_86;
	if (!ts || !ts->mse || !chip->challenge_valid)
		return SIM_SW_CONDITIONS;
	chip->challenge_valid = false;             /* one try per challenge */
	if (cmd->lc == 0 || cmd->lc > 1024)
		return SIM_SW_WRONG_DATA;
	if (!(nonce = bm_new(chip->challenge, sizeof(chip->challenge))) ||
	    !(comp = bm_new(ts->comp, ts->comp_len)) ||
	    !(id = bm_new(chip->id_picc, chip->id_picc_len)) ||
	    !(sig = bm_new(cmd->data, cmd->lc)) ||
	    (ts->aux.len && !(aux = bm_new(ts->aux.data, ts->aux.len))))
		goto out;
	if (!TA_STEP4_set_nonce(ts->eac, nonce))
		goto out;
	if (TA_STEP6_verify(ts->eac, comp, id, aux, sig) != 1) {
		sw = SIM_SW_AUTH_FAILED;
		goto out;
	}
	ta_commit(chip, ts);
	sw = SIM_SW_OK;
out:
	BUF_MEM_free(nonce);
	BUF_MEM_free(comp);
	BUF_MEM_free(id);
	BUF_MEM_free(aux);
	BUF_MEM_free(sig);
	/* done or failed: a new TA starts with MSE:Set DST */
	sim_ta_end(chip);
	return sw;
}

static void ta_reset(struct sim_chip *chip)
{
	sim_ta_end(chip);
}

static const struct sim_command ta_cmds[] = {
	{ .ins = 0x22, .p1p2 = 0x81B6, .fn = cmd_set_dst },
	{ .ins = 0x2A, .p1p2 = 0x00BE, .chaining = true, .fn = cmd_verify_certificate },
	{ .ins = 0x22, .p1p2 = 0x81A4, .fn = cmd_set_at },
	{ .ins = 0x82, .p1p2 = -1, .fn = cmd_external_authenticate },
};

const struct sim_protocol sim_protocol_ta = {
	.name = "TA",
	.cmds = ta_cmds,
	.n_cmds = sizeof(ta_cmds) / sizeof(ta_cmds[0]),
	.reset = ta_reset,
};
