#!/usr/bin/env bash
# A new user/*.c is a program, with no Makefile edit: copy the tree, add
# tests/fixtures/greet.c as user/greet.c, build the ISO there, check GRUB
# loads it, boot it and run it from the shell. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
tree=build/fixture-tree
rm -rf "$tree" && mkdir -p "$tree"
tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$tree"
cp tests/fixtures/greet.c "$tree/user/greet.c"

check() {
	if [ "$2" -eq 0 ]; then echo "PASS: $1"; else echo "FAIL: $1 ($3)"; fi
}

make -s -C "$tree" INIT="sh test" all >build/fixture-build.log 2>&1
check "fixture: tree with user/greet.c builds" $? "$(tail -5 build/fixture-build.log)"
xorriso -indev "$tree/build/drake.iso" -find /boot -name greet 2>/dev/null |
	grep -qx "'/boot/greet'"
check "fixture: greet is in the ISO" $? "not in $tree/build/drake.iso"

log=build/fixture-boot.log fifo=build/fixture-boot.in
rm -f "$fifo" && mkfifo "$fifo" && : >"$log"
feed_input '{wait:Type help.}greet world\n{wait:greetings}halt\n' "$log" "$fifo" &
timeout 30 "${QEMU_BASE[@]}" -serial stdio -cdrom "$tree/build/drake.iso" \
	<"$fifo" >"$log" 2>/dev/null
status=$?
wait
clean_log "$log" >"$log.tmp" && mv "$log.tmp" "$log"
grep -q "^greet: greetings from a new program, world$" "$log"
check "fixture: the shell runs greet from the ISO" $? "$(tail -5 "$log")"
why=$(boot_failure "$log" "$status" exit0)
check "fixture: the boot ends cleanly (halt)" "$([ -z "$why" ]; echo $?)" "$why"
