#!/usr/bin/env bash
# make bench: build the bench kernel (-DBENCH adds the floor gate),
# boot it twice under QEMU -icount shift=0 (rdtsc = instructions
# retired), print the table, and check both runs agree.
# `tests/bench.sh --check` prints only the verdict, for the test runner.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
BUILD=build-bench
make -s BUILD=$BUILD DEFS=-DBENCH all >/dev/null || exit 1
mkdir -p $BUILD/results
for run in 1 2; do
	log=$BUILD/results/bench-$run.log
	guest_boot "$log" "test init=bench" "bench floor" 60 /dev/null \
		-icount shift=0,align=off
	status=$?
	clean_log "$log" | grep '^BENCH | ' | sed 's/^BENCH //' >$BUILD/results/table-$run
	why=$(boot_failure "$log" "$status" exit0)
	if [ -n "$why" ] || [ ! -s $BUILD/results/table-$run ]; then
		echo "FAIL: bench run $run: ${why:-no table}"
		tail -n 15 "$log"
		exit 1
	fi
done
[ "${1:-}" = --check ] || cat $BUILD/results/table-1
if cmp -s $BUILD/results/table-1 $BUILD/results/table-2; then
	echo "PASS: bench table identical on two runs"
else
	echo "FAIL: bench table differs between runs"
	diff $BUILD/results/table-1 $BUILD/results/table-2
	exit 1
fi
