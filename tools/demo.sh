#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo: a private pcscd with vsmartcard's vpcd reader, the chip
# simulator playing the BSI specimen passport, and eid-diag reading it
# through pcsc-lite exactly as it would read a real one, then verifying it
# against the simulator's test CSCA.  Everything it starts is stopped.
#   tools/demo.sh BUILDDIR [PROFILE]
set -u
build=$(cd "${1:-build}" && pwd)
profile=${2:-passport-pace}
src=$(cd "$(dirname "$0")/.." && pwd)
export EID_SRCDIR="$src" EID_BUILDDIR="$build"
tap_tmp=$(mktemp -d)
. "$src/tests/integration/lib.sh"
DIAG="$build/tools/eid-diag"

echo "== starting a private pcscd with a vpcd reader"
pcscd_start || exit 1
mkdir -p "$tap_tmp/pki"
"$SIM" --export-pki "$tap_tmp/pki" --data-dir "$src/tests/data" >/dev/null || exit 1
echo "== inserting the simulated passport ($profile)"
if ! sim_restart --profile "$profile"; then
	echo "demo: profile $profile not available, using passport-bac"
	profile=passport-bac
	sim_restart --profile "$profile" || exit 1
fi
"$DIAG" readers
echo
echo "== eid-diag read: PACE (or BAC), chip authentication, passive authentication"
"$DIAG" read --doc-number C11T002JM --dob 960812 --doe 231031 --allow-bac \
	--dg DG1,DG2,DG11,DG12 --trust "$tap_tmp/pki" --face "$tap_tmp/face"
rc=$?
echo
echo "face image written by --face: $(wc -c <"$tap_tmp/face" 2>/dev/null || echo 0) bytes (then deleted)"
echo "demo finished (eid-diag exit code $rc: 0 means verified)"
exit $rc
