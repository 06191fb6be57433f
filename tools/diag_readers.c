/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag readers [--driver NAME] [--json]: the readers each driver sees
 * (pcsc, nfc), with card presence, ATR and reader features.
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

/* Why a driver cannot be used, in the words a technician needs. */
static void open_failed(const struct eid_driver *d, int r)
{
	if (!strcmp(d->name, "pcsc"))
		diag_err("readers: cannot reach pcscd (%s); is it running? (PCSCLITE_CSOCK_NAME=%s)",
			 eid_strerror(r), getenv("PCSCLITE_CSOCK_NAME") ? getenv("PCSCLITE_CSOCK_NAME")
									 : "default");
	else
		diag_err("readers: cannot use the %s driver (%s)", d->name, eid_strerror(r));
}

static void print_reader(json_object *arr, size_t index, struct eid_reader_info *ri)
{
	char atr[2 * sizeof(ri->atr) + 1];
	uint32_t f = ri->features;

	eid_hex(ri->atr, ri->atr_len, atr);
	if (arr) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "index", json_object_new_int((int)index));
		json_object_object_add(o, "name", json_object_new_string(ri->name));
		json_object_object_add(o, "driver", json_object_new_string(ri->driver));
		json_object_object_add(o, "card_present", json_object_new_boolean(ri->card_present));
		if (ri->atr_len)
			json_object_object_add(o, "atr", json_object_new_string(atr));
		json_object_object_add(o, "extended_length",
				       json_object_new_string(tristate(f, EID_FEAT_EXTENDED_KNOWN,
								       EID_FEAT_EXTENDED_LENGTH)));
		json_object_object_add(o, "pinpad", json_object_new_boolean(f & EID_FEAT_PINPAD_VERIFY));
		json_object_object_add(o, "reader_pace", json_object_new_boolean(f & EID_FEAT_READER_PACE));
		json_object_array_add(arr, o);
	} else {
		printf("%zu: %s [%s]\n", index, ri->name, ri->driver);
		printf("   card: %s%s%s\n", ri->card_present ? "present" : "none",
		       ri->atr_len ? ", ATR " : "", ri->atr_len ? atr : "");
		printf("   extended length: %s, pin pad: %s, reader PACE: %s\n",
		       tristate(f, EID_FEAT_EXTENDED_KNOWN, EID_FEAT_EXTENDED_LENGTH),
		       (f & EID_FEAT_PINPAD_VERIFY) ? "yes" : "no",
		       (f & EID_FEAT_READER_PACE) ? "yes" : "no");
	}
}

/*
 * Every compiled-in driver's readers (pcsc first), numbered across drivers.
 * A driver that cannot be used is reported on stderr; the exit code says
 * "unusable" only when some driver failed and no reader was found at all.
 */
int diag_readers_main(int argc, char **argv)
{
	bool json = false;
	const char *only = NULL;
	json_object *root = NULL, *arr = NULL;
	size_t total = 0;
	bool failed = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--driver") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--help")) {
			printf("Usage: eid-diag readers [--driver pcsc|nfc] [--json]\n");
			return DIAG_EXIT_OK;
		} else {
			diag_err("readers: unknown option '%s'", argv[i]);
			return DIAG_EXIT_UNUSABLE;
		}
	}
	if (only && !eid_driver_find(only)) {
		diag_err("readers: unknown driver '%s' (pcsc or nfc)", only);
		return DIAG_EXIT_UNUSABLE;
	}
	if (json) {
		root = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(root, "readers", arr);
	}
	for (size_t k = 0; eid_driver_get(k); k++) {
		const struct eid_driver *d = eid_driver_get(k);
		struct eid_drv_ctx *ctx = NULL;
		struct eid_reader_info *ri = NULL;
		size_t n = 0;
		int r;

		if (only && strcmp(only, d->name))
			continue;
		if ((r = d->open(NULL, &ctx)) < 0) {
			open_failed(d, r);
			failed = true;
			continue;
		}
		if ((r = d->list(ctx, &ri, &n)) < 0) {
			diag_err("readers: listing the %s readers failed: %s", d->name, eid_strerror(r));
			failed = true;
			d->close(ctx);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			features_of(d, ctx, &ri[i]);
			print_reader(arr, total++, &ri[i]);
		}
		free(ri);
		d->close(ctx);
	}
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else if (total == 0 && !failed) {
		printf("no readers\n");
	}
	return failed && total == 0 ? DIAG_EXIT_UNUSABLE : DIAG_EXIT_OK;
}
