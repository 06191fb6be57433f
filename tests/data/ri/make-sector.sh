#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A TEST sector key pair for Restricted Identification (brainpoolP256r1):
#   sector.key      private key (PEM), only for computing expected IDs
#   sector.pub.pem  its public key (eid-diag --ri-sector)
#   sector.pub.der  the same as DER SubjectPublicKeyInfo (unit tests)
# Usage: tests/data/ri/make-sector.sh [OUTDIR]   (default: tests/data/ri)
set -eu
out=${1:-$(cd "$(dirname "$0")" && pwd)}
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 \
	-pkeyopt ec_param_enc:named_curve -out "$out/sector.key" 2>/dev/null
openssl pkey -in "$out/sector.key" -pubout -out "$out/sector.pub.pem"
openssl pkey -in "$out/sector.key" -pubout -outform DER -out "$out/sector.pub.der"
