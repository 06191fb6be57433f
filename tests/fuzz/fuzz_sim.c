/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz the simulated chip (tools/sim): input = mode byte, then commands, each 2-byte length + bytes.
 * mode bit 0: do BAC first (deterministic), then wrap each fuzzed command with proto SM
 * so the chip processes fuzzed plain commands inside a session; else raw APDUs. */
#include <stdlib.h>
#include <string.h>
#include "../../tools/sim/sim.h"
#include "bac.h"
#include "mrz.h"
#include "sm.h"

static struct sim_chip *chip;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t resp[70000];
	eid_cbs c, cmd;
	uint8_t mode;
	uint16_t len;
	struct eid_card card;
	struct eid_sm sm;

	if (!chip) {
		struct sim_options o;
		sim_options_init(&o);
#ifdef FUZZ_CORPUS_ROOT
		o.data_dir = FUZZ_CORPUS_ROOT "/../../data";
#endif
		if (sim_chip_new(&o, &chip) < 0)
			abort();
	}
	sim_chip_insert(chip);
	eid_cbs_init(&c, data, size);
	if (!eid_cbs_get_u8(&c, &mode))
		return 0;
	chip->opt.max_le = (mode & 2) ? 223 : 0;
	if (mode & 1) {
		uint8_t k[20];
		static const uint8_t aid[] = { 0xA0, 0, 0, 2, 0x47, 0x10, 1 };
		struct eid_apdu a = { .ins = 0xA4, .p1 = 4, .p2 = 0x0C, .data = aid, .lc = 7 };
		uint16_t sw;
		eid_card_init(&card, sim_chip_transmit, chip);
		eid_card_transmit(&card, &a, NULL, &sw);
		eid_mrz_key_hash("C11T002JM", "960812", "231031", k);
		if (eid_bac_authenticate(&card, k, NULL, &sm) < 0)
			abort();
	}
	while (eid_cbs_get_u16(&c, &len) && eid_cbs_get_bytes(&c, &cmd, len)) {
		if (mode & 1) {
			/* command = header 4 + le(2) + data */
			eid_cbs h = cmd;
			uint8_t hdr[4]; uint16_t le;
			eid_buf out = EID_BUF_INIT;
			struct eid_apdu a;
			if (!eid_cbs_copy(&h, hdr, 4) || !eid_cbs_get_u16(&h, &le))
				break;
			memset(&a, 0, sizeof(a));
			a.cla = hdr[0] & 0xF3; a.ins = hdr[1]; a.p1 = hdr[2]; a.p2 = hdr[3];
			a.le = le; a.data = eid_cbs_data(&h); a.lc = eid_cbs_len(&h);
			if (!sm.failed && eid_sm_wrap(&sm, &a, &out) == 0) {
				size_t n = sim_chip_apdu(chip, out.data, out.len, resp, sizeof(resp));
				uint16_t sw;
				eid_sm_unwrap(&sm, resp, n, NULL, &sw);
			}
			eid_buf_free(&out);
		} else {
			sim_chip_apdu(chip, eid_cbs_data(&cmd), eid_cbs_len(&cmd), resp, sizeof(resp));
		}
	}
	return 0;
}
