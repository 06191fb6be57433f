/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag readers [--json]: the readers each driver sees, with card
 * presence, ATR and reader features.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "buf.h"
#include "driver.h"
#include "diag.h"

static void features_of(const struct eid_driver *d, struct eid_drv_ctx *ctx,
			struct eid_reader_info *ri)
{
	struct eid_drv_conn *conn = NULL;
	uint32_t f = 0;

	/* features need a connection; readers without a card report none */
	if (!ri->card_present || !d->connect || d->connect(ctx, ri->name, &conn) < 0)
		return;
	if (d->features && d->features(conn, &f) == 0)
		ri->features = f;
	d->disconnect(conn, false);
}

static const char *tristate(uint32_t f, uint32_t known, uint32_t bit)
{
	if (!(f & known))
		return "unknown";
	return (f & bit) ? "yes" : "no";
}

int diag_readers_main(int argc, char **argv)
{
	bool json = false;
	const struct eid_driver *d = &eid_driver_pcsc;
	struct eid_drv_ctx *ctx = NULL;
	struct eid_reader_info *ri = NULL;
	size_t n = 0;
	json_object *root = NULL, *arr = NULL;
	int r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help")) {
			printf("Usage: eid-diag readers [--json]\n");
			return DIAG_EXIT_OK;
		} else {
			diag_err("readers: unknown option '%s'", argv[i]);
			return DIAG_EXIT_UNUSABLE;
		}
	}
	r = d->open(NULL, &ctx);
	if (r < 0) {
		diag_err("readers: cannot reach pcscd (%s); is it running? (PCSCLITE_CSOCK_NAME=%s)",
			 eid_strerror(r), getenv("PCSCLITE_CSOCK_NAME") ? getenv("PCSCLITE_CSOCK_NAME")
									 : "default");
		return DIAG_EXIT_UNUSABLE;
	}
	r = d->list(ctx, &ri, &n);
	if (r < 0) {
		diag_err("readers: listing failed: %s", eid_strerror(r));
		d->close(ctx);
		return DIAG_EXIT_UNUSABLE;
	}
	if (json) {
		root = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(root, "readers", arr);
	} else if (n == 0) {
		printf("no readers\n");
	}
	for (size_t i = 0; i < n; i++) {
		char atr[2 * sizeof(ri[i].atr) + 1];

		features_of(d, ctx, &ri[i]);
		eid_hex(ri[i].atr, ri[i].atr_len, atr);
		if (json) {
			json_object *o = json_object_new_object();
			uint32_t f = ri[i].features;

			json_object_object_add(o, "index", json_object_new_int((int)i));
			json_object_object_add(o, "name", json_object_new_string(ri[i].name));
			json_object_object_add(o, "driver", json_object_new_string(ri[i].driver));
			json_object_object_add(o, "card_present", json_object_new_boolean(ri[i].card_present));
			if (ri[i].atr_len)
				json_object_object_add(o, "atr", json_object_new_string(atr));
			json_object_object_add(o, "extended_length",
					       json_object_new_string(tristate(f, EID_FEAT_EXTENDED_KNOWN,
									       EID_FEAT_EXTENDED_LENGTH)));
			json_object_object_add(o, "pinpad", json_object_new_boolean(f & EID_FEAT_PINPAD_VERIFY));
			json_object_object_add(o, "reader_pace", json_object_new_boolean(f & EID_FEAT_READER_PACE));
			json_object_array_add(arr, o);
		} else {
			printf("%zu: %s [%s]\n", i, ri[i].name, ri[i].driver);
			printf("   card: %s%s%s\n", ri[i].card_present ? "present" : "none",
			       ri[i].atr_len ? ", ATR " : "", ri[i].atr_len ? atr : "");
			printf("   extended length: %s, pin pad: %s, reader PACE: %s\n",
			       tristate(ri[i].features, EID_FEAT_EXTENDED_KNOWN, EID_FEAT_EXTENDED_LENGTH),
			       (ri[i].features & EID_FEAT_PINPAD_VERIFY) ? "yes" : "no",
			       (ri[i].features & EID_FEAT_READER_PACE) ? "yes" : "no");
		}
	}
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	}
	free(ri);
	d->close(ctx);
	return DIAG_EXIT_OK;
}
