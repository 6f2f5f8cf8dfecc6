#!/usr/bin/env bash
# The PS/2 keyboard driver, end to end: boot t_keys, type on the emulated
# keyboard through QEMU's monitor (on a loopback port), and check what
# the program read. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
log=build/keyboard.log port=$((20000 + RANDOM % 20000))
: >"$log"

check() {
	if [ "$2" -eq 0 ]; then echo "PASS: $1"; else echo "FAIL: $1 ($3)"; fi
}

wait_for() {
	for _ in $(seq 200); do
		grep -aqF -- "$1" "$log" && return 0
		sleep 0.1
	done
	return 1
}

timeout 30 "${QEMU_BASE[@]}" -serial "file:$log" -kernel build/kernel.elf \
	-append "test init=t_keys" -initrd build/bin/t_keys \
	-monitor "tcp:127.0.0.1:$port,server,nowait" </dev/null >/dev/null 2>&1 &
qemu=$!
if wait_for "keys: ready" && exec 3<>"/dev/tcp/127.0.0.1/$port"; then
	for key in h i spc shift-d r a k e ret ctrl-c; do
		echo "sendkey $key" >&3
		sleep 0.05
	done
	exec 3>&-
fi
wait "$qemu"
status=$?
grep -aq "^keys: read 9 bytes: hi Drake" "$log"
check "keyboard: typed keys read as a line (shift, space, Enter)" $? "$(tail -3 "$log")"
grep -aq "^keys: Ctrl-C from the keyboard" "$log"
check "keyboard: Ctrl-C from the keyboard is SIGINT" $? "$(tail -3 "$log")"
why=$(boot_failure "$(clean_log "$log" >"$log.clean" && echo "$log.clean")" "$status" exit0)
check "keyboard: the boot ends cleanly" "$([ -z "$why" ]; echo $?)" "$why"
