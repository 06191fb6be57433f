#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The daemon demo: a private D-Bus bus, a private pcscd with vsmartcard's
# vpcd reader, the chip simulator playing the specimen ID card (or, with
# --passport, the specimen passport), eidd on that bus with the
# simulator's test CSCAs and test terminal credentials, and eidctl reading
# the card through eidd, as a kiosk app would.  Everything it starts is
# stopped.
#   tools/demo-eidd.sh BUILDDIR [--passport]
#   EIDD_DEMO_PROFILE=NAME overrides the simulator profile.
set -u
build=$(cd "${1:-build}" && pwd)
passport=no
[ "${2:-}" = --passport ] && passport=yes
src=$(cd "$(dirname "$0")/.." && pwd)
export EID_SRCDIR="$src" EID_BUILDDIR="$build"
tap_tmp=$(mktemp -d)
. "$src/tests/integration/bus-lib.sh"

if [ $passport = yes ]; then
	profile=${EIDD_DEMO_PROFILE:-passport-pace}
	CAN=123456
else
	profile=${EIDD_DEMO_PROFILE:-eid}
	CAN=500540   # the specimen ID card's card access number
fi
# terminal credentials for Terminal Authentication (the eID needs them)
TA=()
ta="$src/tests/data/ta"
if [ -f "$ta/at.cvcert" ] && [ -f "$ta/at.key" ]; then
	TA=(--terminal-cert "$ta/dv.cvcert" --terminal-cert "$ta/at.cvcert" \
		--terminal-key "$ta/at.key")
fi

echo "== a private D-Bus bus and a private pcscd with a vpcd reader"
pcscd_start || exit 2
pki_export || exit 2
bus_start || exit 2
echo "   bus: $BUS_ADDRESS"
echo "== eidd on that bus (trust: the simulator's test CSCAs)"
eidd_start "${TA[@]}" || exit 2
echo "== inserting the simulated document ($profile)"
sim_insert --profile "$profile" --can $CAN || { echo "demo: the card did not come"; exit 2; }
"$EIDCTL" --address "$BUS_ADDRESS" readers
echo
if [ $passport = yes ]; then
	echo "== eidctl read --can $CAN --dg DG1,DG11,DG12 --face FILE"
	"$EIDCTL" --address "$BUS_ADDRESS" read --can $CAN --dg DG1,DG11,DG12 \
		--face "$tap_tmp/face"
	rc=$?
	echo
	echo "face image written by --face: $(wc -c <"$tap_tmp/face" 2>/dev/null || echo 0) bytes (then deleted)"
else
	echo "== eidctl read --can $CAN"
	"$EIDCTL" --address "$BUS_ADDRESS" read --can $CAN
	rc=$?
fi
echo
echo "demo finished (eidctl exit code $rc: 0 means verified); stopping what it started"
exit $rc
