#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The simulator's test PKI (ICAO 9303-12), made with the openssl CLI.  The
# outputs in pki/ are committed: the keys are TEST keys, worthless outside
# the tests.  Run again only to replace the whole PKI (eid-sim signs its
# EF.SOD at startup, so nothing else needs regenerating).
#
#   csca-ec-1      CSCA, EC brainpoolP256r1 with EXPLICIT curve parameters
#                  (as German CSCAs have), self-signed, 2020..2045
#   csca-ec-2      its successor (explicit parameters too), self-signed
#   link-ec-2      the link certificate: csca-ec-2's key and name, issued
#                  by csca-ec-1
#   csca-rsa       CSCA, RSA 3072, self-signed
#   ds-ec          Document Signer under csca-ec-1 (brainpoolP256r1, named)
#   ds-ec-2        Document Signer under csca-ec-2 (reached via the link)
#   ds-ec-expired  Document Signer under csca-ec-1, valid 2020..2021 only
#   ds-ec-revoked  Document Signer under csca-ec-1, listed in crl-ec-1
#   ds-rsa         Document Signer under csca-rsa (RSA 2048, signs with PSS)
#   ds-unknown     Document Signer under csca-unknown, which is exported
#                  nowhere (a document from an unknown issuer)
#   mls            master-list signer under csca-ec-1 (EKU 2.23.136.1.1.3)
#   crl-ec-1.crl   CRL of csca-ec-1 revoking ds-ec-revoked
#   crl-ec-2.crl, crl-rsa.crl   empty CRLs of the other CSCAs
#   masterlist.ml  CSCA master list: CMS SignedData, eContentType
#                  2.23.136.1.1.2 over CscaMasterList ::= SEQUENCE {
#                  version INTEGER 0, certList SET OF Certificate } with
#                  csca-ec-1, csca-ec-2, link-ec-2 and csca-rsa, signed by mls
#
# Usage: tests/data/make-pki.sh [OUTDIR]   (default: tests/data/pki)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/pki}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$out"

ossl() { openssl "$@" 2>>"$work/openssl.log" || { cat "$work/openssl.log" >&2; exit 1; }; }

# EC key on brainpoolP256r1; "explicit" writes the curve parameters out.
ec_key() { # name param_enc
	ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 \
		-pkeyopt "ec_param_enc:$2" -out "$out/$1.key"
}
rsa_key() { # name bits
	ossl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$out/$1.key"
}

# One openssl-ca database per issuing CSCA.
ca_init() { # ca
	mkdir -p "$work/$1/certs"
	: >"$work/$1/index.txt"
	echo 1000 >"$work/$1/serial"
	echo 1000 >"$work/$1/crlnumber"
	cat >"$work/$1/ca.cnf" <<CNF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir = $work/$1
database = \$dir/index.txt
new_certs_dir = \$dir/certs
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
preserve = yes
default_crl_days = 7300
[ policy_any ]
countryName = supplied
organizationName = supplied
organizationalUnitName = optional
commonName = supplied
serialNumber = optional
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ csca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ link ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ds ]
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ mls ]
keyUsage = critical, digitalSignature
extendedKeyUsage = 2.23.136.1.1.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ crl_ext ]
authorityKeyIdentifier = keyid
CNF
}

csr() { # name subject
	ossl req -new -config "$work/csca-ec-1/ca.cnf" -key "$out/$1.key" -subj "$2" \
		-out "$work/$1.csr"
}

# Issue with openssl ca: explicit validity dates (YYYYMMDDhhmmssZ).
issue() { # ca name ext start end [selfsign]
	if [ "${6:-}" = selfsign ]; then
		set -- "$1" "$2" "$3" "$4" "$5" -selfsign -keyfile "$out/$2.key"
	else
		set -- "$1" "$2" "$3" "$4" "$5" -cert "$out/$1.pem" -keyfile "$out/$1.key"
	fi
	ca=$1 name=$2 ext=$3 start=$4 end=$5
	shift 5
	ossl ca -batch -notext -config "$work/$ca/ca.cnf" -extensions "$ext" \
		-startdate "$start" -enddate "$end" "$@" \
		-in "$work/$name.csr" -out "$out/$name.pem"
}

DN="/C=DE/O=eidd test PKI (not a real authority)"

# --- the CSCAs -----------------------------------------------------------------
for ca in csca-ec-1 csca-ec-2 csca-rsa csca-unknown; do ca_init "$ca"; done
ec_key csca-ec-1 explicit
ec_key csca-ec-2 explicit
rsa_key csca-rsa 3072
ec_key csca-unknown named_curve

csr csca-ec-1 "$DN/CN=eidd test CSCA EC 1"
issue csca-ec-1 csca-ec-1 csca 20200101000000Z 20450101000000Z selfsign
csr csca-ec-2 "$DN/CN=eidd test CSCA EC 2"
issue csca-ec-2 csca-ec-2 csca 20240101000000Z 20490101000000Z selfsign
# link certificate: the new CSCA's key and name under the old one
cp "$work/csca-ec-2.csr" "$work/link-ec-2.csr"
issue csca-ec-1 link-ec-2 link 20240101000000Z 20450101000000Z
csr csca-rsa "$DN/CN=eidd test CSCA RSA"
issue csca-rsa csca-rsa csca 20200101000000Z 20450101000000Z selfsign
csr csca-unknown "/C=DE/O=eidd unknown issuer/CN=eidd test CSCA UNKNOWN"
issue csca-unknown csca-unknown csca 20200101000000Z 20450101000000Z selfsign

# --- Document Signers and the master-list signer -------------------------------------
ec_key ds-ec named_curve
csr ds-ec "$DN/OU=Document Signer/CN=eidd test DS EC"
issue csca-ec-1 ds-ec ds 20240101000000Z 20400101000000Z

ec_key ds-ec-2 named_curve
csr ds-ec-2 "$DN/OU=Document Signer/CN=eidd test DS EC 2"
issue csca-ec-2 ds-ec-2 ds 20240101000000Z 20400101000000Z

ec_key ds-ec-expired named_curve
csr ds-ec-expired "$DN/OU=Document Signer/CN=eidd test DS EC expired"
issue csca-ec-1 ds-ec-expired ds 20200101000000Z 20210101000000Z

ec_key ds-ec-revoked named_curve
csr ds-ec-revoked "$DN/OU=Document Signer/CN=eidd test DS EC revoked"
issue csca-ec-1 ds-ec-revoked ds 20240101000000Z 20400101000000Z

rsa_key ds-rsa 2048
csr ds-rsa "$DN/OU=Document Signer/CN=eidd test DS RSA"
issue csca-rsa ds-rsa ds 20240101000000Z 20400101000000Z

ec_key ds-unknown named_curve
csr ds-unknown "/C=DE/O=eidd unknown issuer/OU=Document Signer/CN=eidd test DS unknown"
issue csca-unknown ds-unknown ds 20240101000000Z 20400101000000Z

ec_key mls named_curve
csr mls "$DN/OU=Master List Signer/CN=eidd test master list signer"
issue csca-ec-1 mls mls 20240101000000Z 20400101000000Z

# --- CRLs ------------------------------------------------------------------------
ossl ca -config "$work/csca-ec-1/ca.cnf" -cert "$out/csca-ec-1.pem" \
	-keyfile "$out/csca-ec-1.key" -revoke "$out/ds-ec-revoked.pem" -crl_reason keyCompromise
for ca in csca-ec-1 csca-ec-2 csca-rsa; do
	ossl ca -gencrl -config "$work/$ca/ca.cnf" -cert "$out/$ca.pem" -keyfile "$out/$ca.key" \
		-crlexts crl_ext -out "$work/$ca.crl.pem"
	ossl crl -in "$work/$ca.crl.pem" -outform DER -out "$out/crl-${ca#csca-}.crl"
done

# --- the CSCA master list --------------------------------------------------------
for c in csca-ec-1 csca-ec-2 link-ec-2 csca-rsa; do
	ossl x509 -in "$out/$c.pem" -outform DER -out "$work/$c.der"
done
python3 - "$work/ml-content.der" "$work/csca-ec-1.der" "$work/csca-ec-2.der" \
	"$work/link-ec-2.der" "$work/csca-rsa.der" <<'PY'
import sys

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        hdr = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        hdr = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + hdr + body

certs = [open(p, "rb").read() for p in sys.argv[2:]]
certs.sort()  # DER: the elements of a SET OF in ascending order
ml = tlv(0x30, tlv(0x02, b"\x00") + tlv(0x31, b"".join(certs)))
open(sys.argv[1], "wb").write(ml)
PY
ossl cms -sign -binary -nodetach -nosmimecap -md sha256 \
	-econtent_type 2.23.136.1.1.2 -in "$work/ml-content.der" \
	-signer "$out/mls.pem" -inkey "$out/mls.key" -certfile "$out/csca-ec-1.pem" \
	-outform DER -out "$out/masterlist.ml"

rm -f "$out/csca-unknown.key"   # nothing is ever issued by it again
echo "make-pki: wrote $(ls "$out" | wc -l) files to $out"
