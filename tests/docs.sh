#!/usr/bin/env bash
# The docs' promises, checked: the libsys.md tutorial's program is
# tests/guest/countdown.c, which a guest boot runs; and every exercise
# test (tests/exercises/, docs/exercises.md) still builds, as it is or,
# until its exercise is solved, against tests/exercises/stub/. Prints
# PASS/FAIL lines.
set -u
cd "$(dirname "$0")/.."

check() {
	if [ "$2" -eq 0 ]; then echo "PASS: $1"; else echo "FAIL: $1 ($3)"; fi
}

# The first C block after "Create `user/countdown.c`".
sed -n '/^Create `user\/countdown.c`/,$p' docs/libsys.md |
	sed -n '/^```c$/,/^```$/p' | sed '1d;/^```$/,$d' >build/docs-countdown.c
cmp -s build/docs-countdown.c tests/guest/countdown.c
check "docs: the libsys.md tutorial is tests/guest/countdown.c" $? \
	"$(diff build/docs-countdown.c tests/guest/countdown.c | head -5)"

make -s all >build/docs-build.log 2>&1
for src in tests/exercises/*.c; do
	name=$(basename "$src" .c)
	log=build/docs-exercise-$name.log
	if make -s "build/bin/$name" >"$log" 2>&1; then
		check "docs: exercise $name's test builds" 0
	else
		make -s EXERCISE_STUB=1 "build-exstub/bin/$name" >"$log" 2>&1
		check "docs: exercise $name's test builds against the stub" $? \
			"$(tail -5 "$log")"
	fi
done
