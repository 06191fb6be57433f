#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Regenerates the small test PKI used by tests/test_pa.c, tests/test_trust.c,
# tests/tools/diag-verify.test and the fuzz seeds (run once; the outputs are
# committed, the private keys are not needed afterwards and are deleted).
#
#   csca.pem          Test CSCA "C=XX, O=eidd test, CN=Test CSCA" (P-256,
#                     self-signed, 2020-01-01 .. 2045-01-01)
#   ds_good.pem       DS serial 0x1001 (2024-01-01 .. 2034-01-01), not revoked
#   ds_revoked.pem    DS serial 0x1002 (same validity), revoked by crl.pem
#   crl.pem           CRL of the Test CSCA listing serial 0x1002
#   dg1.bin           DG1 of the BSI specimen passport (= zi_Datagroup1.bin)
#   sod_good.bin      EF.SOD (77 ...) over DG1 and a DG2 hash, signed by ds_good
#   sod_revoked.bin   the same LDSSecurityObject signed by ds_revoked
#   ml.ml             a master list {Test CSCA} signed by a master list
#                     signer (serial 0x2001) issued by the Test CSCA
#   ml_orphan.ml      an empty master list signed by the same signer: it
#                     loads only when the Test CSCA is already trusted
#   csca_rogue.pem    a forged CSCA: the Test CSCA's subject and subject key
#                     identifier, another key (must not verify the DSs)
# Requires openssl (3.x) and python3.
set -eu
cd "$(dirname "$0")"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cat >"$T/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
dir = $T
database = $T/index.txt
new_certs_dir = $T
serial = $T/serial
crlnumber = $T/crlnumber
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
default_crl_days = 36500
[ any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ v3_csca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ds ]
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_mls ]
keyUsage = critical, digitalSignature
extendedKeyUsage = 2.23.136.1.1.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ crl_ext ]
authorityKeyIdentifier = keyid
CNF
: >"$T/index.txt"
echo 01 >"$T/crlnumber"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
csr() { openssl req -new -key "$1" -subj "$2" -out "$3"; }
sign() { # serial csr out ext [ca flags...]
	echo "$1" >"$T/serial"
	openssl ca -batch -config "$T/ca.cnf" -notext -in "$2" -out "$3" -extensions "$4" \
		-startdate "$5" -enddate "$6" -cert "$T/csca.pem" -keyfile "$T/csca.key" \
		2>/dev/null
}

key "$T/csca.key"
csr "$T/csca.key" "/C=XX/O=eidd test/CN=Test CSCA" "$T/csca.csr"
echo 0100 >"$T/serial"
openssl ca -batch -config "$T/ca.cnf" -notext -selfsign -in "$T/csca.csr" \
	-keyfile "$T/csca.key" -out "$T/csca.pem" -extensions v3_csca \
	-startdate 20200101000000Z -enddate 20450101000000Z 2>/dev/null
cp "$T/csca.pem" csca.pem

for d in good:1001 revoked:1002; do
	n=${d%%:*}
	key "$T/ds_$n.key"
	csr "$T/ds_$n.key" "/C=XX/O=eidd test/OU=Document Signer/CN=Test DS $n" "$T/ds_$n.csr"
	sign "$(echo ${d##*:})" "$T/ds_$n.csr" ds_$n.pem v3_ds 20240101000000Z 20340101000000Z
done
key "$T/mls.key"
csr "$T/mls.key" "/C=XX/O=eidd test/CN=Test Master List Signer" "$T/mls.csr"
sign 2001 "$T/mls.csr" "$T/mls.pem" v3_mls 20240101000000Z 20340101000000Z

openssl ca -batch -config "$T/ca.cnf" -revoke ds_revoked.pem -cert "$T/csca.pem" \
	-keyfile "$T/csca.key" 2>/dev/null
openssl ca -batch -config "$T/ca.cnf" -gencrl -crlexts crl_ext -cert "$T/csca.pem" \
	-keyfile "$T/csca.key" -out crl.pem 2>/dev/null

# the forged CSCA: same name, same key identifier, another key
ski=$(openssl x509 -in csca.pem -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')
sed "s/^subjectKeyIdentifier = hash\$/subjectKeyIdentifier = $ski/" "$T/ca.cnf" >"$T/rogue.cnf"
sed -i "s/^authorityKeyIdentifier = keyid\$/authorityKeyIdentifier = keyid:always/" "$T/rogue.cnf"
key "$T/rogue.key"
csr "$T/rogue.key" "/C=XX/O=eidd test/CN=Test CSCA" "$T/rogue.csr"
echo 0666 >"$T/serial"
openssl ca -batch -config "$T/rogue.cnf" -notext -selfsign -in "$T/rogue.csr" \
	-keyfile "$T/rogue.key" -out csca_rogue.pem -extensions v3_csca \
	-startdate 20200101000000Z -enddate 20450101000000Z 2>/dev/null

python3 - "$T" <<'PY'
import hashlib, sys
T = sys.argv[1]
def tlv(tag, body):
    n = len(body)
    if n < 0x80: l = bytes([n])
    elif n < 0x100: l = bytes([0x81, n])
    else: l = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + l + body
dg1 = bytes.fromhex(
    "615B5F1F58503C443C3C4D55535445524D414E4E3C3C4552494B413C3C3C3C3C3C3C3C3C3C3C3C3C"
    "3C3C3C3C3C3C3C3C3C3C433131543030324A4D34443C3C3936303831323246323331303331343C3C"
    "3C3C3C3C3C3C3C3C3C3C3C3C3C34")
open("dg1.bin", "wb").write(dg1)
alg = tlv(0x30, tlv(0x06, bytes.fromhex("608648016503040201")))
def dgh(n, h): return tlv(0x30, tlv(0x02, bytes([n])) + tlv(0x04, h))
lds = tlv(0x30, tlv(0x02, b"\x00") + alg + tlv(0x30,
          dgh(1, hashlib.sha256(dg1).digest()) + dgh(2, hashlib.sha256(b"DG2").digest())))
open(T + "/lds.der", "wb").write(lds)
csca = open(T + "/csca.pem").read()
import base64, re
der = base64.b64decode("".join(re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END", csca, re.S).group(1).split()))
open(T + "/mlc.der", "wb").write(tlv(0x30, tlv(0x02, b"\x00") + tlv(0x31, der)))
open(T + "/mlc_empty.der", "wb").write(tlv(0x30, tlv(0x02, b"\x00") + tlv(0x31, b"")))
PY

for n in good revoked; do
	openssl cms -sign -binary -nodetach -nosmimecap -md sha256 \
		-econtent_type 2.23.136.1.1.1 -signer ds_$n.pem -inkey "$T/ds_$n.key" \
		-in "$T/lds.der" -outform DER -out "$T/sod_$n.cms"
	python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
n = len(b)
l = bytes([0x82, n >> 8, n & 0xFF]) if n >= 0x100 else bytes([0x81, n])
open(sys.argv[2], "wb").write(b"\x77" + l + b)' "$T/sod_$n.cms" sod_$n.bin
done
openssl cms -sign -binary -nodetach -nosmimecap -md sha256 \
	-econtent_type 2.23.136.1.1.2 -signer "$T/mls.pem" -inkey "$T/mls.key" \
	-in "$T/mlc.der" -outform DER -out ml.ml
openssl cms -sign -binary -nodetach -nosmimecap -md sha256 \
	-econtent_type 2.23.136.1.1.2 -signer "$T/mls.pem" -inkey "$T/mls.key" \
	-in "$T/mlc_empty.der" -outform DER -out ml_orphan.ml
echo "test PKI written to $(pwd)"
