# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared helpers for integration tests (sourced after tests/tools/tap.sh).
# Each test gets its own private pcscd with a vpcd reader on a free port pair.
#
#   pcscd_start            -> PCSCLITE_CSOCK_NAME exported, $VPCD_PORT set
#   sim_start ARGS...      -> eid-sim connected to vpcd slot 0 ($SIM_PID)
#   sim_stop; pcscd_stop   (also done on exit)

SIM="${EID_BUILDDIR:-.}/tools/eid-sim"
INTEG_DIR="${EID_SRCDIR:-.}/tests/integration"
PCSCD_PID=
SIM_PID=

# A free TCP port pair on the loopback (vpcd uses PORT and PORT+1).
free_port_pair() {
	python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 60000, 2)
    ok = True
    for q in (p, p + 1):
        s = socket.socket()
        try:
            s.bind(('0.0.0.0', q))
        except OSError:
            ok = False
        finally:
            s.close()
    if ok:
        print(p)
        break
PY
}

port_listening() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

pcscd_start() {
	local conf="$tap_tmp/reader.conf.d" tries=0
	VPCD_PORT=$(free_port_pair)
	mkdir -p "$conf"
	chmod 755 "$tap_tmp"
	cat >"$conf/vpcd" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$VPCD_PORT
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    $VPCD_PORT
CONF
	chmod 644 "$conf/vpcd"
	export PCSCLITE_CSOCK_NAME="$tap_tmp/pcscd.comm"
	python3 "$INTEG_DIR/pcscd-launch.py" "$PCSCLITE_CSOCK_NAME" "$conf" \
		>"$tap_tmp/pcscd.log" 2>&1 &
	PCSCD_PID=$!
	# ready once vpcd listens on its port (looked up, not connected to:
	# vpcd would take a connection for a card)
	while ! port_listening "$VPCD_PORT"; do
		tries=$((tries + 1))
		if [ $tries -gt 100 ] || ! kill -0 "$PCSCD_PID" 2>/dev/null; then
			echo "# pcscd did not start:"; sed 's/^/# /' "$tap_tmp/pcscd.log"
			return 1
		fi
		sleep 0.05
	done
}

pcscd_stop() {
	if [ -n "$PCSCD_PID" ]; then
		kill "$PCSCD_PID" 2>/dev/null
		wait "$PCSCD_PID" 2>/dev/null
		PCSCD_PID=
	fi
}

sim_start() {
	"$SIM" --vpcd "$VPCD_PORT" "$@" >"$tap_tmp/sim.log" 2>&1 &
	SIM_PID=$!
}

# Wait until slot 0 of the vpcd reader has a card (up to 5 s).
wait_card() {
	local tries=0
	while [ $tries -lt 100 ]; do
		if "$DIAG" readers --json 2>/dev/null | python3 -c \
			'import json,sys; sys.exit(0 if json.load(sys.stdin)["readers"][0]["card_present"] else 1)' \
			2>/dev/null; then
			return 0
		fi
		if [ -n "$SIM_PID" ] && ! kill -0 "$SIM_PID" 2>/dev/null; then
			echo "# eid-sim exited:"; sed 's/^/# /' "$tap_tmp/sim.log"
			return 1
		fi
		tries=$((tries + 1))
		sleep 0.05
	done
	return 1
}

# Start eid-sim with these options and wait for the card.
sim_restart() {
	sim_stop
	sim_start --data-dir "$EID_SRCDIR/tests/data" "$@"
	wait_card
}

# pcscd notices a removal only at its next presence poll (every 400 ms):
# wait until slot 0 is empty, so the next wait_card sees the new card.
wait_no_card() {
	local tries=0
	while [ $tries -lt 60 ]; do
		if "$DIAG" readers --json 2>/dev/null | python3 -c \
			'import json,sys; sys.exit(1 if json.load(sys.stdin)["readers"][0]["card_present"] else 0)' \
			2>/dev/null; then
			return 0
		fi
		tries=$((tries + 1))
		sleep 0.05
	done
	return 1
}

sim_stop() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
		[ -n "$PCSCD_PID" ] && wait_no_card
	fi
}

integ_cleanup() {
	sim_stop
	pcscd_stop
	rm -rf "$tap_tmp"
}
trap integ_cleanup EXIT
