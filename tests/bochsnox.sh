#!/usr/bin/env bash
# The terminal Bochs session (make bochs-nox), driven like a person would:
# type a command to the shell on COM1, break into the debugger with
# Ctrl-C, stop in the INIT program (sh) on one of its own symbols, step
# through the entry page's sysenter into the kernel, and quit. tmux plays the
# terminal: send-keys types, capture-pane reads the screen. Runs with no
# display and no stdin; every wait is bounded. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/.."
out=build/tools
mkdir -p "$out"
socket=drake-test-$$
T() { tmux -L "$socket" "$@"; }
COM1=drake:0.0 DBG=drake:0.1

check() { # name status detail
	if [ "$2" -eq 0 ]; then echo "PASS: nox: $1"; else echo "FAIL: nox: $1 ($3)"; fi
}

# wait_for PANE REGEX [SECONDS]: until the pane's screen (and history)
# shows REGEX.
wait_for() {
	local i
	for i in $(seq $((${3:-20} * 10))); do
		T capture-pane -p -J -S -500 -t "$1" 2>/dev/null | grep -qE -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# The last lines of a pane, for a failure's detail.
screen() {
	T capture-pane -p -J -S -500 -t "$1" 2>/dev/null | grep -v '^$' | tail -n "${2:-4}" | tr '\n' '|'
}

# Type one debugger command and wait for the prompt after it.
dbg() {
	local n=$((prompt + 1))
	T send-keys -t "$DBG" -l "$1"
	T send-keys -t "$DBG" Enter
	prompt=$n
	wait_for "$DBG" "<bochs:$((n + 1))>" "${2:-10}"
}

cleanup() {
	T kill-server 2>/dev/null
}
trap cleanup EXIT

for tool in tmux bochs; do
	command -v $tool >/dev/null || { echo "FAIL: nox: $tool not installed (run tools/deps.sh)"; exit 0; }
done
# Both logs are rewritten by the session; the ISO is the normal one.
unset DISPLAY TMUX
if ! make -s all build/sym/sh.sym >"$out/nox-build.log" 2>&1 ||
	! DRAKE_NOX_SOCKET=$socket DRAKE_NOX_DETACH=1 timeout 60 make -s bochs-nox \
		</dev/null >"$out/nox-start.log" 2>&1; then
	echo "FAIL: nox: make bochs-nox does not start ($(tail -3 "$out"/nox-*.log | tr '\n' '|'))"
	exit 0
fi

wait_for "$COM1" 'drake\$' 60
check "the shell's prompt appears on the COM1 pane" $? "$(screen $COM1)"

T send-keys -t "$COM1" -l hello
T send-keys -t "$COM1" Enter
wait_for "$COM1" 'Hello from Drake! I am task [0-9]+'
check "a command typed on COM1 runs and prints there" $? "$(screen $COM1)"

T send-keys -t "$DBG" C-c
prompt=0
wait_for "$DBG" '<bochs:1>'
check "Ctrl-C in the debugger pane breaks into Bochs' debugger" $? "$(screen $DBG)"

# sh waits for one key at a time and echoes it with a WRITE message:
# typing a key stops it in its own sendsys (libsys, linked into sh).
dbg 'lb "sendsys"'
T send-keys -t "$DBG" -l c
T send-keys -t "$DBG" Enter
prompt=$((prompt + 1))
sleep 0.5
T send-keys -t "$COM1" -l p
wait_for "$DBG" "<bochs:$((prompt + 1))>"
T capture-pane -p -J -S -500 -t "$DBG" | grep -qE '001b:0*4[0-9a-f]{7} \(sendsys\+0\)'
check "a breakpoint on the INIT program's sendsys stops in ring 3, by name" $? "$(screen $DBG 3)"

dbg 'u /4'
T capture-pane -p -J -S -500 -t "$DBG" | grep -qE '\( *sendsys\+c\): jmp .*\(0xbffee000\)'
check "the user code disassembles with user symbols (sendsys+c: jmp to the entry page)" $? "$(screen $DBG 5)"

# Three movs, sendsys' jmp into the entry page, the page's jmp to its
# sysenter stub, the stub's three pushes and mov, and sysenter (Bochs'
# CPU has it, so the kernel chose it).
dbg 's 10'
T capture-pane -p -J -S -500 -t "$DBG" | grep -qE '0008:0*[0-9a-f]+ \(trap_sysenter_entry\+0\)'
check "stepping through the entry page's sysenter reaches trap_sysenter_entry in ring 0" $? "$(screen $DBG 3)"

dbg 'info symbols "main"'
T capture-pane -p -J -S -500 -t "$DBG" | grep -qE '^ *0*4[0-9a-f]{7}: main *$'
check "info symbols finds the INIT program's main at its user address" $? "$(screen $DBG 3)"

# Bochs takes symbols in quotes only (lb trap_msg_entry is its syntax
# error); quoted, the name resolves to the kernel's address.
entry=$(awk '$2 == "trap_msg_entry" {print $1}' build/kernel.sym)
dbg 'lb "trap_msg_entry"' && dbg 'blist'
T capture-pane -p -J -S -500 -t "$DBG" | grep -qE "lbreakpoint +keep y +0x0*$entry *\$"
check "lb \"trap_msg_entry\" sets a breakpoint at 0x$entry" $? "$(screen $DBG 4)"

# Both screens, for docs/debugging.md (tools/transcripts.sh).
T capture-pane -p -J -S -500 -t "$DBG" >"$out/nox-debugger.txt"
T capture-pane -p -J -S -500 -t "$COM1" >"$out/nox-com1.txt"

T send-keys -t "$DBG" -l q
T send-keys -t "$DBG" Enter
for _ in $(seq 50); do
	T has-session -t drake 2>/dev/null || break
	sleep 0.1
done
! T has-session -t drake 2>/dev/null
check "q quits Bochs and closes the session" $? "session still there"

grep -q 'Hello from Drake!' build/bochs-serial.log
check "COM1 is also logged to build/bochs-serial.log" $? "$(tail -c 200 build/bochs-serial.log)"
