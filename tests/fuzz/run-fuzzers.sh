#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build the libFuzzer targets with clang (ASan + UBSan) in ./build-fuzz and
# run each for SECONDS (default 60) on a scratch copy of its seed corpus.
#   tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
[ $# -gt 0 ] && shift
mkdir -p build-fuzz
cd build-fuzz
if [ ! -f Makefile ]; then
	CC=clang CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined" \
		../configure -q --enable-fuzzing
fi
targets=${*:-$(cd ../tests/fuzz && ls fuzz_*.c | sed 's/\.c$//; s/^fuzz_//')}
status=0
for t in $targets; do
	make -s -j2 "tests/fuzz/fuzz_$t"
	work=$(mktemp -d)
	echo "== fuzz_$t for ${secs}s"
	if ! "./tests/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$work/" "$work" "../tests/fuzz/corpus/$t" 2>"$work.log"; then
		echo "fuzz_$t FAILED; crash inputs in $work, log in $work.log"
		tail -40 "$work.log"
		status=1
	else
		grep -E "stat::number_of_executed_units|cov:" "$work.log" | tail -2
		rm -rf "$work" "$work.log"
	fi
done
exit $status
