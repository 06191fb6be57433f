#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo: eid-diag decodes specimen data (an ICAO specimen MRZ, the BSI
# specimen passport's MRZ, and a real German ID card's EF.CardAccess).
#   tools/demo.sh BUILDDIR VECTORSDIR
set -eu
build=${1:-build}
vec=${2:-../shared/vectors}
diag="$build/tools/eid-diag"

echo "== ICAO 9303 specimen passport MRZ"
"$diag" mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \
	'L898902C36UTO7408122F1204159ZE184226B<<<<<10'
echo
echo "== BSI specimen passport MRZ, as JSON"
"$diag" mrz --json 'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<' \
	'C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<04'
echo
echo "== a MRZ with a wrong composite check digit (exit code 1 expected)"
set +e
"$diag" mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \
	'L898902C<3UTO6908061F9406236ZE184226B<<<<<10'
echo "exit code $?"
set -e
echo
echo "== EF.CardAccess of a German ID card (2010)"
"$diag" secinfo "$vec/bin/op_ef_cardaccess_dan.bin"
