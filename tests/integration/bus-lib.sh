# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared setup of the daemon's integration tests (sourced after
# tests/tools/tap.sh): a private pcscd with vpcd (tests/integration/lib.sh),
# a private dbus-daemon, eid-sim and eidd on that bus.
#
#   bus_start                 -> $BUS_ADDRESS (private bus, own minimal config)
#   eidd_start [ARGS...]      -> eidd on it ($EIDD_PID), log in $EIDD_LOG
#   sim2_start ARGS...        -> a second eid-sim on vpcd slot 1 ($SIM2_PID)
#   py_tap <<'PY' ... PY      -> run a Python test continuing the TAP count
#   check_log_clean           -> TAP: eidd's log holds no personal data
#   bus_cleanup               (on exit: eidd, sims, polkit mock, bus, pcscd)

. "$EID_SRCDIR/tests/integration/lib.sh"

# python3-dbus and python3-gi are Debian packages of the system's python.
PY=/usr/bin/python3
EIDD="${EID_BUILDDIR:-.}/daemon/eidd"
EIDCTL="${EID_BUILDDIR:-.}/tools/eidctl"
PKI="$tap_tmp/pki"
EIDD_LOG="$tap_tmp/eidd.log"
BUS_PID=
EIDD_PID=
SIM2_PID=
POLKIT_PID=
export INTEG_DIR
export PYTHONPATH="$INTEG_DIR${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1

bus_start() {
	local tries=0
	mkdir -p "$tap_tmp/bus-services"
	cat >"$tap_tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$tap_tmp/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tap_tmp/bus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
	BUS_ADDRESS="unix:path=$tap_tmp/bus.sock"
	export BUS_ADDRESS
	dbus-daemon --config-file="$tap_tmp/bus.conf" --nofork --nopidfile \
		>"$tap_tmp/bus.log" 2>&1 &
	BUS_PID=$!
	while [ ! -S "$tap_tmp/bus.sock" ]; do
		tries=$((tries + 1))
		if [ $tries -gt 100 ] || ! kill -0 "$BUS_PID" 2>/dev/null; then
			echo "# dbus-daemon did not start:"; sed 's/^/# /' "$tap_tmp/bus.log"
			return 1
		fi
		sleep 0.05
	done
}

# The simulator's CSCAs, CRLs and master list, for eidd --trust.
pki_export() {
	mkdir -p "$PKI"
	"$SIM" --export-pki "$PKI" --data-dir "$EID_SRCDIR/tests/data" >/dev/null
}

eidd_start() {
	: >"$tap_tmp/eidd.conf"
	"$EIDD" --address "$BUS_ADDRESS" --config "$tap_tmp/eidd.conf" --log-level debug \
		--log-target stderr --trust "$PKI" "$@" >>"$EIDD_LOG" 2>&1 &
	EIDD_PID=$!
	if ! "$PY" "$INTEG_DIR/dbus_client.py" wait-name "$BUS_ADDRESS" 10; then
		echo "# eidd did not take its name:"; sed 's/^/# /' "$EIDD_LOG" | tail -20
		return 1
	fi
}

eidd_stop() {
	if [ -n "$EIDD_PID" ]; then
		kill "$EIDD_PID" 2>/dev/null
		wait "$EIDD_PID" 2>/dev/null
		EIDD_PID=
	fi
}

# Reader INDEX (in GetReaders order of object number) has a card (yes) or not (no).
eidd_wait_card() {
	"$PY" "$INTEG_DIR/dbus_client.py" wait-card "$BUS_ADDRESS" "$1" "${2:-yes}" "${3:-10}"
}

# The passport simulator on slot 0 for eidd (no eid-diag involved).
sim_insert() {
	sim_stop_quiet
	sim_start --data-dir "$EID_SRCDIR/tests/data" "$@"
	eidd_wait_card 0 yes
}

sim_stop_quiet() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
		[ -n "$EIDD_PID" ] && eidd_wait_card 0 no
	fi
	return 0
}

sim2_start() {
	"$SIM" --vpcd $((VPCD_PORT + 1)) --data-dir "$EID_SRCDIR/tests/data" "$@" \
		>"$tap_tmp/sim2.log" 2>&1 &
	SIM2_PID=$!
}

# python3-dbusmock's polkitd on the private bus (as its system bus).
polkit_start() {
	DBUS_SYSTEM_BUS_ADDRESS="$BUS_ADDRESS" "$PY" -m dbusmock --system --template polkitd \
		>"$tap_tmp/polkit.log" 2>&1 &
	POLKIT_PID=$!
	local tries=0
	while ! "$PY" - "$BUS_ADDRESS" <<'PY'
import sys, dbus
sys.exit(0 if dbus.bus.BusConnection(sys.argv[1]).name_has_owner(
    'org.freedesktop.PolicyKit1') else 1)
PY
	do
		tries=$((tries + 1))
		if [ $tries -gt 100 ] || ! kill -0 "$POLKIT_PID" 2>/dev/null; then
			echo "# polkitd mock did not start:"; sed 's/^/# /' "$tap_tmp/polkit.log"
			return 1
		fi
		sleep 0.1
	done
}

# Allow exactly these polkit actions.
polkit_allow() {
	"$PY" - "$BUS_ADDRESS" "$@" <<'PY'
import sys, dbus
bus = dbus.bus.BusConnection(sys.argv[1])
mock = dbus.Interface(bus.get_object('org.freedesktop.PolicyKit1',
                                     '/org/freedesktop/PolicyKit1/Authority'),
                      'org.freedesktop.DBus.Mock')
mock.SetAllowed(dbus.Array(sys.argv[2:], signature='s'))
PY
}

# Run a Python test (stdin) that continues the TAP numbering.
py_tap() {
	local state="$tap_tmp/tap-state"
	rm -f "$state"
	TAP_N=$tap_n TAP_STATE="$state" "$PY" - "$@"
	if [ -s "$state" ]; then
		read -r n f <"$state"
		tap_failed=$((tap_failed + f))
		tap_n=$n
	else
		tap_n=$((tap_n + 1))
		echo "not ok $tap_n - python test ran to its end"
		tap_failed=$((tap_failed + 1))
	fi
}

# eidd's log (debug level) names none of the specimen's personal data.
check_log_clean() {
	local bad=
	for w in MUSTERMANN ERIKA C11T002JM 960812 1996-08-12 231031 2023-10-31 'P<D<<' \
		BERLIN "$@"; do
		grep -q -F -- "$w" "$EIDD_LOG" && bad="$bad $w"
	done
	ok "eidd's debug log has no personal data${bad:+ (found:$bad)}" test -z "$bad"
	ok "eidd logged at debug level" test -s "$EIDD_LOG"
}

bus_cleanup() {
	eidd_stop
	if [ -n "$SIM2_PID" ]; then
		kill "$SIM2_PID" 2>/dev/null
		wait "$SIM2_PID" 2>/dev/null
	fi
	if [ -n "$POLKIT_PID" ]; then
		kill "$POLKIT_PID" 2>/dev/null
		wait "$POLKIT_PID" 2>/dev/null
	fi
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
	fi
	if [ -n "$BUS_PID" ]; then
		kill "$BUS_PID" 2>/dev/null
		wait "$BUS_PID" 2>/dev/null
	fi
	integ_cleanup
}
trap bus_cleanup EXIT

# The usual start: pcscd, the PKI, the bus and eidd (extra args to eidd).
bus_setup() {
	pcscd_start || return 1
	pki_export || return 1
	bus_start || return 1
	eidd_start "$@"
}
