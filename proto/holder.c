/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "holder.h"

static void wipe_str(char **s)
{
	if (*s) {
		eid_wipe(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

int eid_holder_set(char **field, const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (!c)
		return -EID_ENOMEM;
	memcpy(c, s, n);
	c[n] = '\0';
	wipe_str(field);
	*field = c;
	return 0;
}

static void place_clear(struct eid_holder_place *p)
{
	wipe_str(&p->street);
	wipe_str(&p->city);
	wipe_str(&p->state);
	wipe_str(&p->zip);
	wipe_str(&p->country);
	wipe_str(&p->free_text);
}

void eid_holder_clear(struct eid_holder *h)
{
	char **fields[] = {
		&h->document_type, &h->issuing_state, &h->document_number, &h->date_of_expiry,
		&h->date_of_issuance, &h->given_names, &h->family_name, &h->date_of_birth,
		&h->nationality, &h->sex, &h->place_of_birth, &h->birth_name, &h->academic_title,
		&h->artistic_name, &h->community_id, &h->residence_permit_1,
		&h->residence_permit_2, &h->phone_number, &h->email_address, &h->mrz,
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		wipe_str(fields[i]);
	place_clear(&h->address);
	memset(h, 0, sizeof(*h));
}
