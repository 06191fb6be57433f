/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: EF.SOD / EF.CardSecurity parsing and passive authentication.
 * The input is verified against a small store holding the test CSCA and
 * CRL (built once from constants), so the DS -> CSCA and CRL steps run too
 * when a seed's DS is issued by it; a data group made from the input's
 * tail is compared with the hashes.
 */
#include <stdint.h>
#include <stddef.h>

#include "pa.h"
#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/data/pa/csca.pem and crl.pem */
static const char test_pki[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBoDCCAUWgAwIBAgICAQAwCgYIKoZIzj0EAwIwNTELMAkGA1UEBhMCWFgxEjAQ\n"
	"BgNVBAoMCWVpZGQgdGVzdDESMBAGA1UEAwwJVGVzdCBDU0NBMB4XDTIwMDEwMTAw\n"
	"MDAwMFoXDTQ1MDEwMTAwMDAwMFowNTELMAkGA1UEBhMCWFgxEjAQBgNVBAoMCWVp\n"
	"ZGQgdGVzdDESMBAGA1UEAwwJVGVzdCBDU0NBMFkwEwYHKoZIzj0CAQYIKoZIzj0D\n"
	"AQcDQgAEpK1JZiO859Hck/DnC18/nwBd3ufV0C3HrOmVdcg91RdSSONVzJtJueZ4\n"
	"2uR+HIJvT7ELpQC2wahJkMaRSBBiwKNFMEMwEgYDVR0TAQH/BAgwBgEB/wIBADAO\n"
	"BgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFE/JjmiepMS5ZsEXdpu+xd7OLrqtMAoG\n"
	"CCqGSM49BAMCA0kAMEYCIQDsfKYgaHkQLnW70rKuj5+N3Spe6CPrcMhEOXepj4R4\n"
	"sAIhAI1/jA6pscHXJPr/fuolCBCUfr18aIpro16lgbqxAXNZ\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN X509 CRL-----\n"
	"MIIBBjCBrgIBATAKBggqhkjOPQQDAjA1MQswCQYDVQQGEwJYWDESMBAGA1UECgwJ\n"
	"ZWlkZCB0ZXN0MRIwEAYDVQQDDAlUZXN0IENTQ0EXDTI2MTEyMzA3MjI0NFoYDzIx\n"
	"MjYxMDMwMDcyMjQ0WjAVMBMCAhACFw0yNjExMjMwNzIyNDRaoC8wLTAfBgNVHSME\n"
	"GDAWgBRPyY5onqTEuWbBF3abvsXezi66rTAKBgNVHRQEAwIBATAKBggqhkjOPQQD\n"
	"AgNHADBEAiAkyT1VLCYyA35LbBOq9Swp+hioTguY28Z+EjNqGQkYJwIgQT5OBESS\n"
	"sHmixqKw4tmPtxeVZz/cjb0XePosJgAy2Jk=\n"
	"-----END X509 CRL-----\n";

static struct eid_trust *store(void)
{
	static struct eid_trust *t;

	if (!t) {
		t = eid_trust_new();
		if (t)
			(void)eid_trust_add_bytes(t, (const uint8_t *)test_pki, sizeof(test_pki) - 1,
						  "test pki");
	}
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eid_pa_result res;
	struct eid_pa_dg dgs[2] = {
		{ 1, data, size > 64 ? 64 : size },
		{ 14, data, size },
	};
	struct eid_pa_sod *sod = NULL;
	eid_buf out = EID_BUF_INIT;

	(void)eid_pa_verify_bytes(data, size, store(), 1735689600 /* 2025-01-01 */, dgs, 2, &res);
	if (eid_pa_sod_parse(data, size, &sod) == 0) {
		unsigned num;
		eid_cbs hash, content;

		for (size_t i = 0; eid_pa_sod_dg(sod, i, &num, &hash); i++)
			;
		eid_pa_sod_content(sod, &content);
		(void)eid_pa_sod_hash_name(sod);
		eid_pa_sod_free(sod);
	}
	(void)eid_pa_ber_definite(data, size, &out);
	eid_buf_free(&out);
	return 0;
}
