/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: card responses replayed through eid_pace_run.  Input: one
 * byte choosing the scenario (a worked example's algorithm, password and
 * terminal keys; bit 7 adds the parameter ID to MSE:Set AT), then the
 * responses, each a 2-byte big-endian length and the bytes.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "pace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct scen { const char *oid; int id; enum eid_password pw; const char *pw_hex; const char *pwa; const char *rng[2]; };
static const struct scen scens[] = {
 { "04007F00070202040202", 13, EID_PW_MRZ, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD", NULL,
   { "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99", "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595" } },
 { "04007F00070202040102", 0, EID_PW_MRZ, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD", NULL,
   { "5265030F751F4AD18B08AC565FC7AC952E41618D", "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA" } },
 { "04007F00070202040402", 13, EID_PW_CAN, NULL, "123456",
   { "5DD4CBFC96F5453B130D890A1CDBAE32", "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595" } },
 { "04007F00070202040302", 0, EID_PW_CAN, NULL, "123456",
   { "B3A6DB3C870C3E99245E0D1C06B747DE", "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA" } },
 { "04007F00070202040602", 13, EID_PW_MRZ, "894D03F148C6265E89845B218856EA34D00EF8E8", NULL,
   { "5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC", "76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120" } },
 { "04007F00070202040201", 13, EID_PW_MRZ, "90D5559ACF679510DAFDA01C8ED1928EBC507272", NULL,
   { "2808272C0EC20E01A3450030EF32855E9FEB5CB17719E985389B1CF47609E69F", "8F89449052DF6C7983750C7B042C3CEA12B36819174424C7CD28153F7B70B402" } },
 { "04007F00070202040202", 13, EID_PW_PIN, NULL, "123456",
   { "752287F5B02DE3C4BC3E17945118C51B23C97278E4CD748048AC56BA5BDC3D46", "9D9A32DF93A57CCE33CA3CDD3457E33A976F293546C73550F397259C93BE0120" } },
 { "04007F00070202040104", 2, EID_PW_CAN, NULL, "123456", { NULL, NULL } },
};

struct feed { eid_cbs in; const struct scen *sc; int rpos; };

static int feed_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp, size_t *resp_len)
{
	struct feed *f = ctx;
	uint16_t len;
	eid_cbs r;

	(void)cmd;
	(void)cmd_len;
	if (!eid_cbs_get_u16(&f->in, &len) || !eid_cbs_get_bytes(&f->in, &r, len))
		return -EID_ETRANSPORT;
	if (len > *resp_len)
		return -EID_ETRANSPORT;
	if (len)
		memcpy(resp, eid_cbs_data(&r), len);
	*resp_len = len;
	return 0;
}

static int feed_rng(void *ctx, uint8_t *out, size_t n)
{
	struct feed *f = ctx;
	eid_buf b = EID_BUF_INIT;
	const char *h = f->rpos < 2 ? f->sc->rng[f->rpos] : NULL;
	f->rpos++;
	if (h && eid_unhex(h, &b) == 0 && b.len == n) { memcpy(out, b.data, n); eid_buf_free(&b); return 0; }
	eid_buf_free(&b);
	memset(out, 0x11, n);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f;
	struct eid_card card;
	struct eid_pace_algo algo;
	struct eid_pace_result res;
	struct eid_rng rng = { feed_rng, &f };
	struct eid_pace_opts opts = { .rng = &rng };
	eid_buf oid = EID_BUF_INIT, pw = EID_BUF_INIT;
	const struct scen *sc;

	if (size < 1) return 0;
	sc = &scens[data[0] % (sizeof(scens) / sizeof(scens[0]))];
	opts.send_param_id = data[0] & 0x80;
	eid_cbs_init(&f.in, data + 1, size - 1);
	f.sc = sc;
	f.rpos = 0;
	eid_card_init(&card, feed_transmit, &f);
	eid_unhex(sc->oid, &oid);
	if (sc->pw_hex) eid_unhex(sc->pw_hex, &pw); else eid_buf_set(&pw, sc->pwa, strlen(sc->pwa));
	if (eid_pace_algo_from_oid(oid.data, oid.len, &algo) == 0) {
		int r = eid_pace_run(&card, &algo, sc->id, sc->pw, pw.data, pw.len, &opts, &res);
		if (r == 0 && algo.mapping == EID_PACE_CAM)
			eid_pace_cam_verify(&res, res.chip_map_pub, res.chip_map_pub_len);
		eid_pace_result_clear(&res);
	}
	eid_buf_free(&oid); eid_buf_free(&pw);
	return 0;
}
