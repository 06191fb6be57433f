#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Terminal Authentication test credentials for the simulated eID card
# (eid-sim profiles eid and eat), made with cvc-create (Debian: openpace) and
# the openssl CLI.  The outputs in ta/ are committed: they are TEST
# credentials, worthless outside the tests.  All keys are brainpoolP256r1,
# all signatures ECDSA-SHA-256 (id-TA-ECDSA-SHA-256).
#
#   cvca.cvcert      CVCA DETESTeIDEI001, 2024-01-01..2037-12-31, all rights;
#                    the simulator's default trust anchor
#   cvca.pkcs8       its private key (PKCS#8 DER, as cvc-create takes it)
#   cvca2.cvcert     link certificate: CVCA DETESTeIDEI002 signed by
#                    DETESTeIDEI001 (for chips that trust the old CVCA)
#   cvca2-self.cvcert  DETESTeIDEI002 self-signed (for --cvca)
#   dv.cvcert        DV DETESTDVEI00001 (official domestic), 2024..2037
#   dv2.cvcert       DV DETESTDVEI00002 under DETESTeIDEI002
#   at.cvcert        authentication terminal DETESTATEI00001, 2024..2036:
#                    read DG1..DG22, CAN allowed, restricted identification,
#                    age and community ID verification (nothing to install)
#   at.key           its private key (PKCS#8 PEM)
#   limited.cvcert   DETESTATEL00001: as at, without read DG9, DG17, DG18
#   limited.key
#   expired.cvcert   DETESTATEX00001: as at, valid 2024-01-01..2024-12-31 only
#   expired.key
#   at2.cvcert       DETESTATEI00002 under dv2 (chain via the link certificate)
#   at2.key
#
# CHAT relative authorizations (TR-03110-4 2.2.3.2, 40 bits, big-endian):
#   CVCA FF FF FF FF FF, DV (role 10) BF FF FF FF FF,
#   at 00 3F FF FF 17, limited 00 3C FE FF 17.
#
# Usage: tests/data/make-terminals.sh [OUTDIR]   (default: tests/data/ta)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/ta}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$out"
cd "$work"

ec_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 \
		-pkeyopt ec_param_enc:explicit -outform DER -out "$1" 2>/dev/null
}

# cvc-create derives a new key pair for every non-self-signed certificate
# and writes it as CHR.pkcs8 (DER); the terminals' keys are kept as PEM.
to_pem() {
	openssl pkey -inform DER -in "$1" -out "$2"
}

ec_key cvca.pkcs8
cvc-create --role=cvca --type=at --chr=DETESTeIDEI001 --issued=240101 --expires=371231 \
	--sign-with=cvca.pkcs8 --scheme=ECDSA_SHA_256 --chat=FFFFFFFFFF \
	--out-cert=cvca.cvcert >/dev/null

ec_key cvca2.pkcs8
cvc-create --role=cvca --type=at --chr=DETESTeIDEI002 --issued=240101 --expires=381231 \
	--sign-with=cvca2.pkcs8 --scheme=ECDSA_SHA_256 --chat=FFFFFFFFFF \
	--out-cert=cvca2-self.cvcert >/dev/null
cvc-create --role=cvca --type=at --chr=DETESTeIDEI002 --issued=240101 --expires=381231 \
	--sign-with=cvca.pkcs8 --sign-as=cvca.cvcert --key=cvca2.pkcs8 \
	--scheme=ECDSA_SHA_256 --chat=FFFFFFFFFF --out-cert=cvca2.cvcert >/dev/null

cvc-create --role=dv_domestic --chr=DETESTDVEI00001 --issued=240101 --expires=371231 \
	--sign-with=cvca.pkcs8 --sign-as=cvca.cvcert --scheme=ECDSA_SHA_256 \
	--chat=BFFFFFFFFF --out-cert=dv.cvcert --out-key=dv.pkcs8 >/dev/null
cvc-create --role=dv_domestic --chr=DETESTDVEI00002 --issued=240101 --expires=381231 \
	--sign-with=cvca2.pkcs8 --sign-as=cvca2-self.cvcert --scheme=ECDSA_SHA_256 \
	--chat=BFFFFFFFFF --out-cert=dv2.cvcert --out-key=dv2.pkcs8 >/dev/null

terminal() { # name chr issued expires chat dv
	cvc-create --role=terminal --chr="$2" --issued="$3" --expires="$4" \
		--sign-with="$6.pkcs8" --sign-as="$6.cvcert" --scheme=ECDSA_SHA_256 \
		--chat="$5" --out-cert="$1.cvcert" --out-key="$1.pkcs8" \
		--out-desc="$1.desc" >/dev/null
	to_pem "$1.pkcs8" "$1.key"
	cp "$1.cvcert" "$1.key" "$out/"
}

terminal at DETESTATEI00001 240101 361231 003FFFFF17 dv
terminal limited DETESTATEL00001 240101 361231 003CFEFF17 dv
terminal expired DETESTATEX00001 240101 241231 003FFFFF17 dv
terminal at2 DETESTATEI00002 240101 361231 003FFFFF17 dv2

cp cvca.cvcert cvca.pkcs8 cvca2.cvcert cvca2-self.cvcert dv.cvcert dv2.cvcert "$out/"
