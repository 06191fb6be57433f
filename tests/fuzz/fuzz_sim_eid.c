/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the simulated eID card (tools/sim, profile eid): its PACE
 * MSE:Set AT with CHAT, Terminal Authentication (MSE:Set DST, PSO:Verify
 * Certificate with command chaining, MSE:Set AT, EXTERNAL AUTHENTICATE),
 * Chip Authentication v2, RESET RETRY COUNTER and the eID files.
 * Input: a mode byte, then commands, each a 2-byte length + bytes.
 *   mode bit 0: PACE with the CAN first (proto/pace.c), then each command
 *               (header 4 bytes, Le 2 bytes, data) is wrapped with secure
 *               messaging so the chip parses it inside the session; else
 *               the commands are raw APDUs;
 *   mode bit 1: with bit 0, the chip also counts TA as done with every
 *               right (the key for CA v2: the CA key's own x-coordinate),
 *               so CA v2 and the data groups are reached.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "../../tools/sim/sim.h"
#include "pace.h"
#include "sm.h"

static struct sim_chip *chip;

static void chip_make(void)
{
	struct sim_options o;

	sim_chip_free(chip);
	chip = NULL;
	sim_options_init(&o);
	o.profile = "eid";
#ifdef FUZZ_CORPUS_ROOT
	o.data_dir = FUZZ_CORPUS_ROOT "/../../data";
#endif
	if (sim_chip_new(&o, &chip) < 0)
		abort();
}

static void pace_can(struct eid_card *card, struct eid_sm *sm)
{
	static const uint8_t oid[] = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02,
				       0x02 };
	struct eid_pace_result *res = calloc(1, sizeof(*res));
	struct eid_pace_algo algo;

	if (!res || eid_pace_algo_from_oid(oid, sizeof(oid), &algo) < 0 ||
	    eid_pace_run(card, &algo, 13, EID_PW_CAN, (const uint8_t *)"500540", 6, NULL,
			 res) < 0)
		abort();
	*sm = res->sm;
	eid_pace_result_clear(res);
	free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t resp[70000];
	struct eid_card card;
	struct eid_sm sm;
	eid_cbs c, cmd;
	uint8_t mode;
	uint16_t len;

	/* a link certificate may have changed the trust anchor */
	if (!chip || chip->cvca_prev_chr[0])
		chip_make();
	sim_chip_insert(chip);
	chip->pin_retries = SIM_PIN_RETRIES;
	eid_cbs_init(&c, data, size);
	if (!eid_cbs_get_u8(&c, &mode))
		return 0;
	memset(&sm, 0, sizeof(sm));
	if (mode & 1) {
		eid_card_init(&card, sim_chip_transmit, chip);
		card.extended_length = true;
		pace_can(&card, &sm);
		if (mode & 2) {
			uint8_t pub[133];
			size_t n = 0;

			if (!EVP_PKEY_get_octet_string_param(chip->ca_key,
							     OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
							     pub, sizeof(pub), &n) || n != 65)
				abort();
			chip->ta_done = true;
			chip->ta_rights = ~0ull;
			memcpy(chip->ta_comp_pk, pub + 1, 32);
			chip->ta_comp_pk_len = 32;
		}
	}
	while (eid_cbs_get_u16(&c, &len) && eid_cbs_get_bytes(&c, &cmd, len)) {
		if (mode & 1) {
			eid_cbs h = cmd;
			uint8_t hdr[4];
			uint16_t le, sw;
			eid_buf out = EID_BUF_INIT;
			struct eid_apdu a;

			if (!eid_cbs_copy(&h, hdr, 4) || !eid_cbs_get_u16(&h, &le))
				break;
			memset(&a, 0, sizeof(a));
			a.cla = hdr[0] & 0xF3;
			a.ins = hdr[1];
			a.p1 = hdr[2];
			a.p2 = hdr[3];
			a.le = le;
			a.data = eid_cbs_data(&h);
			a.lc = eid_cbs_len(&h);
			if (!sm.failed && eid_sm_wrap(&sm, &a, &out) == 0) {
				size_t n = sim_chip_apdu(chip, out.data, out.len, resp, sizeof(resp));

				eid_sm_unwrap(&sm, resp, n, NULL, &sw);
			}
			eid_buf_free(&out);
		} else {
			sim_chip_apdu(chip, eid_cbs_data(&cmd), eid_cbs_len(&cmd), resp, sizeof(resp));
		}
	}
	eid_sm_clear(&sm);
	return 0;
}
