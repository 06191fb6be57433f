#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Read benchmark: every simulator profile through a private pcscd + vpcd at
# a given air-interface bit rate and chip turnaround, N reads each.  Prints
# APDUs, bytes each way, wall time, the physical bound for those bytes and
# APDUs (bytes * 10 bits / rate + APDUs * turnaround), and host CPU time of
# the reading process (eid-diag, not pcscd or the simulated chip).
#   bench-read.sh [BITRATE] [TURNAROUND_US] [READS]
BITRATE=${1:-424000}
TURN=${2:-3000}
READS=${3:-5}
tap_tmp=$(mktemp -d)
. "$EID_SRCDIR/tests/integration/lib.sh"
DIAG="$EID_BUILDDIR/tools/eid-diag"

pcscd_start || exit 2
mkdir -p "$tap_tmp/pki"
"$SIM" --export-pki "$tap_tmp/pki" --data-dir "$EID_SRCDIR/tests/data" >/dev/null

printf 'read benchmark: %d bit/s, %d us turnaround per APDU, median of %d reads\n' "$BITRATE" "$TURN" "$READS"
printf '%-18s %-38s %6s %9s %9s %9s %9s %9s\n' profile dgs apdus bytes_out bytes_in wall_ms bound_ms cpu_ms
for profile in $("$SIM" --list-profiles | awk '{print $1}'); do
	case $profile in
	eid | eat)
		# the German eID: PACE with the CAN, TA with the test terminal, CA v2
		ta="$EID_SRCDIR/tests/data/ta"
		sets="DG1,DG2,DG3,DG4,DG5,DG8 DG1,DG2,DG3,DG4,DG5,DG8,DG9,DG17,DG18"
		secret=(--can 500540 --terminal-cert "$ta/dv.cvcert" --terminal-cert "$ta/at.cvcert"
			--terminal-key "$ta/at.key") ;;
	*)
		sets="DG1 DG1,DG2,DG11,DG12"
		secret=(--doc-number C11T002JM --dob 960812 --doe 231031 --allow-bac) ;;
	esac
	for dgs in $sets; do
		args=("${secret[@]}" --dg "$dgs" --trust "$tap_tmp/pki" --json)
		rows=()
		for i in $(seq "$READS"); do
			sim_restart --profile "$profile" --bitrate "$BITRATE" --turnaround-us "$TURN" >/dev/null || continue
			out=$("$DIAG" read "${args[@]}" 2>/dev/null) || true
			row=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1]); s = d["stats"]
rate, turn = int(sys.argv[2]), int(sys.argv[3])
bound = (s["bytes_out"] + s["bytes_in"]) * 10 / rate + s["apdus"] * turn / 1e6
print(s["apdus"], s["bytes_out"], s["bytes_in"], "%.1f" % (s["seconds"] * 1e3),
      "%.1f" % (bound * 1e3), "%.2f" % (s["cpu_seconds"] * 1e3), d["verification"]["verdict"])
' "$out" "$BITRATE" "$TURN" 2>/dev/null) || continue
			rows+=("$row")
		done
		if [ ${#rows[@]} -eq 0 ]; then
			printf '%-18s %-38s (read failed)\n' "$profile" "$dgs"
			continue
		fi
		# the median by wall time
		med=$(printf '%s\n' "${rows[@]}" | sort -n -k4 | sed -n "$(( (${#rows[@]} + 1) / 2 ))p")
		set -- $med
		printf '%-18s %-38s %6s %9s %9s %9s %9s %9s %s\n' "$profile" "$dgs" "$1" "$2" "$3" "$4" "$5" "$6" "$7"
	done
done
sim_stop
pcscd_stop
rm -rf "$tap_tmp"
