#!/usr/bin/env bash
# Recapture the Bochs and GDB sessions in docs/debugging.md from the
# current build and put them in place of the old ones. Run it when the
# kernel's layout changes (tests/tools.sh notices when it has).
set -eu
cd "$(dirname "$0")/.."
unset DISPLAY
out=build/transcripts
mkdir -p "$out"

make -s DEBUG_TRAPS=1 INIT=hello all
sym=build-debugtraps/kernel.sym
entry=$(awk '$2 == "trap_msg_entry" {print $1}' "$sym")
stub=$(i686-linux-gnu-objdump -d build-debugtraps/kernel.elf |
	awk '/<trap_msg_entry>:/,/<task_first_entry>:/')
call=$(echo "$stub" | awk '/call.*<msg_sendsys>/ {sub(":", "", $1); print $1; exit}')
iret=$(echo "$stub" | awk '/iret/ {sub(":", "", $1); print $1; exit}')
printf '%s\n' r "x /8wx 0xbfffff80" "u /18 0x$entry" "lb 0x$call" c s \
	"lb 0x$iret" c r s r sreg q >"$out/bochs.cmds"
timeout -s KILL 60 make -s DEBUG_TRAPS=1 INIT=hello bochs \
	<"$out/bochs.cmds" >"$out/bochs.raw" 2>&1 || true
grep -av '^\[\|^  \|^r[89] \|^r1[0-5]:' "$out/bochs.raw" |
	sed -n '/^Next at t=0/,$p' |
	grep -v '^\s*Data segment\|^\s*Code segment' >"$out/bochs.txt"

make -s INIT=hello all
exit_at=$(awk '$2 == "msg_exit" {print $1}' build/kernel.sym)
iret=$(i686-linux-gnu-objdump -d build/kernel.elf |
	awk '/<msg_exit>:/,/<task_first_entry>:/' |
	awk '/iret/ {sub(":", "", $1); print $1; exit}')
printf '%s\n' "drake-user hello" "break main" continue \
	"break trap_msg_entry" continue "info registers eax ecx edx eip cs" \
	drake-trap "break msg_sendsys" continue "bt 2" delete \
	"x/12i msg_exit" "break *msg_exit+$((0x$iret - 0x$exit_at))" continue \
	"info registers eax eip cs esp" stepi "info registers eax eip cs esp" \
	"x/8wx 0xbfffff80" kill quit >"$out/gdb.cmds"
timeout -s KILL 60 make -s debug INIT=hello GDB_PORT=4321 \
	<"$out/gdb.cmds" >"$out/gdb.raw" 2>&1 || true
grep -av '^\[\|^Reading\|^warning\|^make:\|QEMU: serial output' "$out/gdb.raw" |
	sed 's/(gdb) /\n(gdb) /g' | grep -v '^\s*$' >"$out/gdb.txt"
make -s all

# Replace the first fenced block after each session's heading.
awk -v bochs="$out/bochs.txt" -v gdb="$out/gdb.txt" '
	function emit(f,   l) { while ((getline l < f) > 0) print l; close(f) }
	/^The session \(commands after/ { want = bochs }
	/^The session \(GDB/ { want = gdb }
	/^```$/ && want != "" && !inside { print; emit(want); inside = 1; next }
	/^```$/ && inside { inside = 0; want = ""; print; next }
	!inside { print }' docs/debugging.md >"$out/debugging.md"
mv "$out/debugging.md" docs/debugging.md
echo "docs/debugging.md: transcripts recaptured (entry at 0x$entry)"
