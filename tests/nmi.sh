#!/usr/bin/env bash
# NMIs are the machine's: boot t_nmi, inject an NMI through QEMU's
# monitor (on a loopback port) while it spins in user mode and again
# while it is blocked in the kernel, and check that the kernel reported
# each one and the program lived on. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
trap '' PIPE # QEMU may be gone (the task killed, the kernel halted)
log=build/nmi.log port=$((20000 + RANDOM % 20000))
: >"$log"

check() {
	if [ "$2" -eq 0 ]; then echo "PASS: $1"; else echo "FAIL: $1 ($3)"; fi
}

# Wait (up to 20 s) for a line matching $1; give up once the boot ended.
wait_for() {
	for _ in $(seq 200); do
		grep -aqE -- "$1" "$log" && return 0
		grep -aqE '^(init exited|kernel halted)' "$log" && return 1
		sleep 0.1
	done
	return 1
}

# nmi_then_line READY SEEN: once READY is on the log, inject an NMI,
# wait for the kernel's line SEEN, then type a line for the program.
nmi_then_line() {
	wait_for "$1" || return 1
	sleep 0.2 # let the program reach its spin, or block
	echo nmi >&3 || return 1
	wait_for "$2" || return 1
	for key in g o ret; do
		echo "sendkey $key" >&3 || return 1
		sleep 0.05
	done
}

timeout 30 "${QEMU_BASE[@]}" -serial "file:$log" -kernel build/kernel.elf \
	-append "test init=t_nmi" -initrd build/bin/t_nmi \
	-monitor "tcp:127.0.0.1:$port,server,nowait" </dev/null >/dev/null 2>&1 &
qemu=$!
if wait_for "^nmi: spinning" && exec 3<>"/dev/tcp/127.0.0.1/$port"; then
	nmi_then_line "^nmi: spinning" "^NMI received in user mode" &&
		nmi_then_line "^nmi: blocked" "^NMI received in kernel mode"
	exec 3>&- 2>/dev/null
fi
wait "$qemu"
status=$?
grep -aq "^NMI received in user mode at eip [0-9a-f]\{8\}" "$log"
check "nmi: an NMI in user mode is reported" $? "$(tail -3 "$log")"
grep -aq "^nmi: alive after spinning (3 bytes)" "$log"
check "nmi: the task it interrupted lives on" $? "$(tail -3 "$log")"
grep -aq "^NMI received in kernel mode at eip [0-9a-f]\{8\}" "$log"
check "nmi: an NMI in kernel mode is reported" $? "$(tail -3 "$log")"
grep -aq "^nmi: alive after blocking (3 bytes)" "$log"
check "nmi: the kernel carries on after it" $? "$(tail -3 "$log")"
why=$(boot_failure "$(clean_log "$log" >"$log.clean" && echo "$log.clean")" "$status" exit0)
check "nmi: the boot ends cleanly" "$([ -z "$why" ]; echo $?)" "$why"
