#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install every Debian package that eidd's build, tests and demo need, then
# configure a build tree in ./build.  Idempotent; run as root on Debian 12.
#   tools/setup-debian.sh            install + configure build/
#   tools/setup-debian.sh --deps     install only
set -eu
cd "$(dirname "$0")/.."

PACKAGES="
  build-essential autoconf automake libtool pkg-config
  libssl-dev openssl
  libcmocka-dev
  libjson-c-dev
  libopenjp2-7-dev libpng-dev
  clang libclang-rt-14-dev
  python3
  pcscd libpcsclite-dev vsmartcard-vpcd
  python3-virtualsmartcard python3-pycryptodome
  libeac-dev openpace
  zlib1g-dev
  libdbus-1-dev dbus-daemon python3-dbus python3-dbusmock libinih-dev
  libnfc-dev libnfc-bin
  gdb
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ "${1:-}" = "--deps" ] && exit 0

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ] ||
   [ -n "$(find . -name "*.mk" -newer Makefile.in 2>/dev/null | head -1)" ]; then
	mkdir -p m4
	autoreconf -fi >/dev/null
fi
mkdir -p build
if [ ! -f build/Makefile ] || [ configure -nt build/config.status ]; then
	(cd build && ../configure -q)
fi
echo "setup: ready; build tree in ./build"
