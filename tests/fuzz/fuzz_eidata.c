/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for the eID data group decoder: the first byte selects the
 * data group (taken modulo 23, so 0 exercises the range check), the rest is
 * the file.  A decoded holder must hold only NUL-free, valid strings; a
 * failed decode must leave the holder untouched.  DG14 also goes through
 * the signature image reader, and the file through the date reader.
 */
#include <stdlib.h>
#include <string.h>

#include "eidata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s)
{
	if (s && s[0] == '\0')
		abort(); /* empty values are NULL */
}

static void check_holder(const struct eid_holder *h)
{
	const char *fields[] = {
		h->document_type, h->issuing_state, h->date_of_expiry, h->date_of_issuance,
		h->given_names, h->family_name, h->date_of_birth, h->nationality, h->sex,
		h->place_of_birth, h->birth_name, h->academic_title, h->artistic_name,
		h->community_id, h->residence_permit_1, h->residence_permit_2,
		h->phone_number, h->email_address, h->address.street, h->address.city,
		h->address.state, h->address.zip, h->address.country, h->address.free_text,
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		check_str(fields[i]);
	if (!h->have_address && (h->address.city || h->address.free_text))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_holder h;
	eid_cbs in, rest, image;
	uint8_t sel;
	char iso[11];
	int dg, r;

	eid_cbs_init(&in, data, size);
	if (!eid_cbs_get_u8(&in, &sel))
		return 0;
	dg = sel % (EID_EIDATA_MAX_DG + 1);
	rest = in;

	memset(&h, 0, sizeof(h));
	r = eid_eidata_decode(dg, eid_cbs_data(&rest), eid_cbs_len(&rest), &h);
	if (r != 0 && r != -EID_EPARSE && r != -EID_ETOOBIG && r != -EID_EINVAL &&
	    r != -EID_ENOMEM)
		abort();
	if ((r == -EID_EINVAL) != (dg == 0))
		abort();
	if (r != 0) {
		struct eid_holder zero;

		memset(&zero, 0, sizeof(zero));
		if (memcmp(&h, &zero, sizeof(h)) != 0)
			abort();
	}
	check_holder(&h);
	/* a second data group decoded into the same holder */
	r = eid_eidata_decode(dg == 17 ? 9 : 17, eid_cbs_data(&rest), eid_cbs_len(&rest), &h);
	if (r != 0 && r != -EID_EPARSE && r != -EID_ETOOBIG && r != -EID_ENOMEM)
		abort();
	check_holder(&h);
	eid_holder_clear(&h);

	if (dg == 14) {
		r = eid_eidata_signature_image(eid_cbs_data(&rest), eid_cbs_len(&rest), &image);
		if (r == 0 && (eid_cbs_len(&image) == 0 || eid_cbs_len(&image) > size))
			abort();
	}
	r = eid_eidata_date(eid_cbs_data(&rest), eid_cbs_len(&rest), iso);
	if (r != 0 && r != -EID_EPARSE)
		abort();
	if (!memchr(iso, '\0', sizeof(iso)))
		abort();
	return 0;
}
