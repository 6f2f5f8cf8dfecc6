#!/usr/bin/env bash
# make exercise EX=NAME: build the test of exercise NAME
# (tests/exercises/NAME.c, docs/exercises.md) and boot it as its line in
# tests/exercises/list says. Prints PASS or FAIL with the reason; the
# exit status is non-zero unless it passed.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
name=${1:-}
line=$(grep -E "^$name +\|" tests/exercises/list 2>/dev/null)
if [ -z "$name" ] || [ -z "$line" ]; then
	echo "usage: make exercise EX=NAME, NAME one of:" \
		$(sed -n 's/^\([a-z][a-z0-9_]*\) .*/\1/p' tests/exercises/list)
	exit 2
fi
IFS='|' read -r _ cmdline modules expect <<<"$line"
out=build/exercises
mkdir -p $out
if ! make -s all "$BUILD/bin/$name" >$out/$name.build 2>&1; then
	echo "FAIL: exercise $name (its test does not build: not solved yet?)"
	tail -n 15 $out/$name.build | sed 's/^/    /'
	exit 1
fi
log=$out/$name.log
guest_boot "$log" "$(trim "$cmdline")" "$(trim "$modules")" 30 /dev/null
status=$?
clean_log "$log" >"$log.tmp" && mv "$log.tmp" "$log"
verdict=$(guest_verdict "$log" "$status" "$(trim "$expect")")
grep -a '^\(PASS\|FAIL\): ' "$log" | sed "s#^\(PASS\|FAIL\): #\1: $name/#"
if [ "$verdict" = ok ]; then
	echo "PASS: exercise $name"
else
	echo "FAIL: exercise $name ($verdict)"
	echo "---- last lines of $log ----"
	tail -n 15 "$log" | sed 's/^/    /'
	exit 1
fi
