# SPDX-License-Identifier: LGPL-2.1-or-later
# Tiny TAP helpers for the command-line tests (sourced).
#   . "$EID_SRCDIR/tests/tools/tap.sh"
#   run_cmd eid-diag mrz --json LINE     -> sets $out, $err, $rc
#   ok "name" test EXPR ...; is "name" "$got" "$want"; done_testing
tap_n=0
tap_failed=0
DIAG="${EID_BUILDDIR:-.}/tools/eid-diag"
VEC="${EID_VECTORS:-../shared/vectors}"
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

run_cmd() {
	"$@" >"$tap_tmp/out" 2>"$tap_tmp/err"
	rc=$?
	out=$(cat "$tap_tmp/out")
	err=$(cat "$tap_tmp/err")
}

ok() {
	local name=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		tap_failed=$((tap_failed + 1))
		return 1
	fi
}

is() {
	local name=$1 got=$2 want=$3
	tap_n=$((tap_n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		echo "# got:  $got"
		echo "# want: $want"
		tap_failed=$((tap_failed + 1))
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# like "name" "$got" REGEX: got matches the extended regular expression.
like() {
	local name=$1 got=$2 re=$3
	tap_n=$((tap_n + 1))
	if printf "%s\n" "$got" | grep -Eq -- "$re"; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		echo "# got:  $got"
		echo "# want: /$re/"
		tap_failed=$((tap_failed + 1))
	fi
}
