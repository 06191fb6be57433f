#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The simulated chip's static keys (eid-sim, tools/sim/secinfos.c), made
# with the openssl CLI.  The outputs in chip/ are committed: they are TEST
# keys, worthless outside the tests.
#
#   ca-ec.key   Chip Authentication and PACE-CAM key, brainpoolP256r1.  Its
#               private scalar is the chip static key of the ICAO 9303-11
#               PACE-CAM worked example (App. I, as derived by Lumoin; see
#               vectors.md 2.5), so DG14 carries the example's PK_IC.
#   aa-rsa.key  Active Authentication, RSA-1024 (fits a short SM response)
#   aa-ec.key   Active Authentication, ECDSA brainpoolP256r1
#   ri-ec.key   Restricted Identification (SK_ID), brainpoolP256r1
#
# Usage: tests/data/make-chip-keys.sh [OUTDIR]   (default: tests/data/chip)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/chip}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$out"

s_ic=86C88A4579CE48135878E6348A734B5D47CE5BC1E54C0E8978687B49FDE2E2C2

# ECPrivateKey { version 1, privateKey, [0] brainpoolP256r1 }; OpenSSL
# computes the public key when it reads it.
cat > "$work/ca.cnf" <<CNF
asn1 = SEQUENCE:ec_key
[ec_key]
version = INTEGER:1
priv = FORMAT:HEX,OCTETSTRING:$s_ic
params = EXPLICIT:0,OID:brainpoolP256r1
CNF
openssl asn1parse -genconf "$work/ca.cnf" -out "$work/ca.der" >/dev/null
openssl pkey -inform DER -in "$work/ca.der" -out "$out/ca-ec.key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$out/aa-rsa.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 \
	-pkeyopt ec_param_enc:named_curve -out "$out/aa-ec.key" 2>/dev/null
# ri-ec.key  Restricted Identification key (SK_ID), brainpoolP256r1
#            (RestrictedIdentificationInfo keyId 1 in EF.CardSecurity)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 \
	-pkeyopt ec_param_enc:named_curve -out "$out/ri-ec.key" 2>/dev/null
