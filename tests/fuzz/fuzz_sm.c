/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for secure messaging (proto/sm.c).
 *
 * Input: mode byte, SSC byte, then the rest.
 *   mode & 3: channel: 0 3DES (ICAO App. D.4 keys), 1 AES-128 (keys of the
 *             Chip Authentication capture, vectors.md 3.3), 2 AES-256,
 *             3 AES-192 (fixed test keys).
 *   mode & 4: "re-MAC": the rest is the response body; the harness appends a
 *             valid DO'8E' and 9000, so decryption and unpadding are reached.
 *   mode & 8: wrap: the rest is CLA INS P1 P2, Le (2 bytes), flags (bit 0
 *             extended, bit 1 Le + 1), command data; the command is
 *             protected.
 *   otherwise: the rest is a response (data + SW) to unwrap.
 * The SSC byte is added to the channel's base SSC, so the real responses
 * from the vectors verify when it is chosen right.
 */
#include <stdlib.h>
#include <string.h>

#include "sm.h"

static const uint8_t key_3des_enc[16] = {
	0x97, 0x9E, 0xC1, 0x3B, 0x1C, 0xBF, 0xE9, 0xDC,
	0xD0, 0x1A, 0xB0, 0xFE, 0xD3, 0x07, 0xEA, 0xE5 };
static const uint8_t key_3des_mac[16] = {
	0xF1, 0xCB, 0x1F, 0x1F, 0xB5, 0xAD, 0xF2, 0x08,
	0x80, 0x6B, 0x89, 0xDC, 0x57, 0x9D, 0xC1, 0xF8 };
static const uint8_t ssc_3des[8] = { 0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x00 };
static const uint8_t key_aes_enc[32] = {
	0x52, 0x41, 0x70, 0xDE, 0x34, 0x19, 0xB7, 0xAF,
	0x2F, 0x23, 0xE4, 0x5A, 0xD6, 0xEF, 0x95, 0x95,
	0x60, 0x3D, 0xEB, 0x10, 0x15, 0xCA, 0x71, 0xBE,
	0x2B, 0x73, 0xAE, 0xF0, 0x85, 0x7D, 0x77, 0x81 };
static const uint8_t key_aes_mac[32] = {
	0x97, 0x89, 0x3F, 0x5F, 0xDC, 0x29, 0xA5, 0xC1,
	0x3A, 0x92, 0x4F, 0xE7, 0xD8, 0xED, 0x44, 0xFD,
	0x1F, 0x35, 0x2C, 0x07, 0x3B, 0x61, 0x08, 0xD7,
	0x2D, 0x98, 0x10, 0xA3, 0x09, 0x14, 0xDF, 0xF4 };

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void setup(struct eid_sm *sm, uint8_t mode, uint8_t ssc_add)
{
	static const enum eid_cipher ciphers[4] = {
		EID_CIPHER_3DES, EID_CIPHER_AES128, EID_CIPHER_AES256, EID_CIPHER_AES192 };
	enum eid_cipher c = ciphers[mode & 3];

	if (c == EID_CIPHER_3DES)
		check(eid_sm_init(sm, c, key_3des_enc, key_3des_mac, ssc_3des) == 0);
	else
		check(eid_sm_init(sm, c, key_aes_enc, key_aes_mac, NULL) == 0);
	for (unsigned i = 0; i < ssc_add; i++)
		eid_sm_ssc_inc(sm);
}

static void fuzz_unwrap(struct eid_sm *sm, const uint8_t *resp, size_t n)
{
	eid_buf data = EID_BUF_INIT;
	uint16_t sw = 0;
	int r = eid_sm_unwrap(sm, resp, n, &data, &sw);

	if (r < 0) {
		check(sm->failed && data.len == 0);
		check(eid_sm_unwrap(sm, resp, n, NULL, &sw) == -EID_ESMCLOSED);
	} else {
		check(data.len <= n);
	}
	eid_buf_free(&data);
}

/* Append a valid DO'8E' (for the next SSC) and 9000 to the body. */
static void fuzz_remac(struct eid_sm *sm, const uint8_t *body, size_t n)
{
	struct eid_sm chip = *sm;
	eid_buf mac_in = EID_BUF_INIT, resp = EID_BUF_INIT;
	uint8_t mac[8];

	eid_sm_ssc_inc(&chip);
	eid_buf_add(&mac_in, chip.ssc, chip.blocklen);
	eid_buf_add(&mac_in, body, n);
	eid_pad(&mac_in, chip.blocklen);
	check(eid_buf_ok(&mac_in));
	check(eid_cipher_mac8(chip.cipher, chip.kmac, mac_in.data, mac_in.len, mac) == 0);
	eid_buf_add(&resp, body, n);
	eid_buf_add(&resp, "\x8E\x08", 2);
	eid_buf_add(&resp, mac, 8);
	eid_buf_add(&resp, "\x90\x00", 2);
	check(eid_buf_ok(&resp));
	fuzz_unwrap(sm, resp.data, resp.len);
	eid_sm_clear(&chip);
	eid_buf_free(&mac_in);
	eid_buf_free(&resp);
}

static void fuzz_wrap(struct eid_sm *sm, eid_cbs *in)
{
	struct eid_apdu a;
	uint8_t hdr[4], flags;
	uint16_t le;
	eid_buf out = EID_BUF_INIT;
	int r;

	memset(&a, 0, sizeof(a));
	if (!eid_cbs_copy(in, hdr, 4) || !eid_cbs_get_u16(in, &le) || !eid_cbs_get_u8(in, &flags))
		return;
	a.cla = hdr[0];
	a.ins = hdr[1];
	a.p1 = hdr[2];
	a.p2 = hdr[3];
	a.le = (size_t)le + ((flags & 2) ? 1 : 0);
	a.extended = flags & 1;
	a.lc = eid_cbs_len(in);
	a.data = eid_cbs_data(in);
	r = eid_sm_wrap(sm, &a, &out);
	/* every command that fits in one protected APDU is wrapped */
	if (a.lc <= 65000 && a.le <= 65536)
		check(r == 0);
	if (r == 0) {
		/* header, Lc, at least DO'8E', Le */
		check(out.len >= 4 + 1 + 10 + 1);
		check((out.data[0] & 0x0C) == 0x0C && out.data[1] == a.ins);
	} else {
		check(out.len == 0 || sm->failed);
	}
	eid_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_sm sm;
	eid_cbs in;
	uint8_t mode, ssc_add;

	eid_cbs_init(&in, data, size);
	if (!eid_cbs_get_u8(&in, &mode) || !eid_cbs_get_u8(&in, &ssc_add))
		return 0;
	setup(&sm, mode, ssc_add);
	if (mode & 8)
		fuzz_wrap(&sm, &in);
	else if (mode & 4)
		fuzz_remac(&sm, eid_cbs_data(&in), eid_cbs_len(&in));
	else
		fuzz_unwrap(&sm, eid_cbs_data(&in), eid_cbs_len(&in));
	eid_sm_clear(&sm);
	return 0;
}
