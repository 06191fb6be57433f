/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target for CV certificates: parse, then use the certificate as its
 * own issuer and trust anchor (signature check and chain verification with
 * whatever key and domain parameters it carries), and print its rights.
 * A parsed certificate must be self-consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "cvc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_terminated(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_cvc *c = NULL;
	const struct eid_cvc *one[1];
	const struct eid_cvc *chain[2];
	EVP_PKEY *key = NULL;
	const char *why = NULL;
	uint64_t rights;
	char text[512];
	int r;

	r = eid_cvc_parse(data, size, &c);
	if (r != 0 && r != -EID_EPARSE)
		abort();
	if (r != 0) {
		if (c)
			abort();
		return 0;
	}
	check_terminated(c->car, sizeof(c->car));
	check_terminated(c->chr, sizeof(c->chr));
	check_terminated(c->effective, sizeof(c->effective));
	check_terminated(c->expiration, sizeof(c->expiration));
	if (!c->car[0] || !c->chr[0] || c->effective_t > c->expiration_t ||
	    c->chat_len > sizeof(c->chat) || c->der.len != size || c->signature.len == 0 ||
	    (unsigned)c->role > EID_CVC_ROLE_CVCA)
		abort();

	r = eid_cvc_pubkey(c, c, &key);
	if (r == 0 && !key)
		abort();
	EVP_PKEY_free(key);

	r = eid_cvc_verify_signature(c, c, c);
	if (r != 0 && r != -EID_EAUTH && r != -EID_EPARSE && r != -EID_EINVAL &&
	    r != -EID_ENOTSUP && r != -EID_ECRYPTO)
		abort();

	one[0] = c;
	chain[0] = c;
	chain[1] = c;
	r = eid_cvc_chain_verify(one, 1, chain, 2, c->effective_t, &rights, &why);
	if ((r == 0) != (why == NULL) || (r != 0 && r != -EID_ECERT))
		abort();

	r = eid_cvc_rights_string(c->rights, text, sizeof(text));
	if (r != 0)
		abort();
	check_terminated(text, sizeof(text));
	(void)eid_cvc_valid_at(c, c->expiration_t);
	eid_cvc_free(c);
	return 0;
}
