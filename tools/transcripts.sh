#!/usr/bin/env bash
# Recapture the Bochs and GDB sessions in docs/debugging.md from the
# current build and put them in place of the old ones. Run it when the
# kernel's layout changes (tests/tools.sh notices when it has).
set -eu
cd "$(dirname "$0")/.."
unset DISPLAY
out=build/transcripts
mkdir -p "$out"

# The int 0x81 sessions boot with entry=int (ENTRY=int); the sysenter
# one with the kernel's own choice, which is sysenter under Bochs.
make -s DEBUG_TRAPS=1 INIT=hello ENTRY=int all
sym=build-debugtraps/kernel.sym
entry=$(awk '$2 == "trap_msg_entry" {print $1}' "$sym")
stub=$(i686-linux-gnu-objdump -d build-debugtraps/kernel.elf |
	awk '/<trap_msg_entry>:/,/<task_first_entry>:/')
call=$(echo "$stub" | awk '/call.*<msg_sendsys>/ {sub(":", "", $1); print $1; exit}')
iret=$(echo "$stub" | awk '/iret/ {sub(":", "", $1); print $1; exit}')
printf '%s\n' r "x /8wx 0xbfffff80" "u /18 0x$entry" "lb 0x$call" c s \
	"lb 0x$iret" c r s r sreg "info idt 0x81" q >"$out/bochs.cmds"
timeout -s KILL 60 make -s DEBUG_TRAPS=1 INIT=hello ENTRY=int bochs \
	<"$out/bochs.cmds" >"$out/bochs.raw" 2>&1 || true
grep -av '^\[\|^  \|^r[89] \|^r1[0-5]:' "$out/bochs.raw" |
	sed -n '/^Next at t=0/,$p' |
	grep -v '^\s*Data segment\|^\s*Code segment' >"$out/bochs.txt"

# sysenter: stopped at the entry by the magic breakpoint, out through
# sysexit to the landing pad, then the next message's sysenter stepped.
make -s DEBUG_TRAPS=1 INIT=hello all
sysentry=$(awk '$2 == "trap_sysenter_entry" {print $1}' "$sym")
sysexit=$(i686-linux-gnu-objdump -d build-debugtraps/kernel.elf |
	awk '/<trap_sysenter_entry>:/,/<trap_double_fault_entry>:/' |
	awk '/sysexit/ {sub(":", "", $1); print $1; exit}')
sysenter_insn=$(printf '0x%x' $(($(printf '#include <drake/entry.h>\nDRAKE_ENTRY_SYSENTER_RET\n' |
	cpp -P -Ilibsys/include | tail -1) - 2)))
printf '%s\n' r "u /3 $sysenter_insn" "lb 0x$sysexit" c r s r "lb $sysenter_insn" c s \
	q >"$out/sysenter.cmds"
timeout -s KILL 60 make -s DEBUG_TRAPS=1 INIT=hello bochs \
	<"$out/sysenter.cmds" >"$out/sysenter.raw" 2>&1 || true
grep -av '^\[\|^  \|^r[89] \|^r1[0-5]:\|^r[a-z][a-z]: 0x00000000_00000000\|^rip:' "$out/sysenter.raw" |
	sed -n '/^Next at t=0/,$p' >"$out/sysenter.txt"

make -s INIT=hello ENTRY=int all
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
timeout -s KILL 60 make -s debug INIT=hello ENTRY=int GDB_PORT=4321 \
	<"$out/gdb.cmds" >"$out/gdb.raw" 2>&1 || true
# GDB in batch mode prints each prompt but not the command it read:
# put the k-th command after the k-th prompt, so every command shows.
grep -av '^\[\|^Reading\|^warning\|^make:\|QEMU: serial output' "$out/gdb.raw" |
	sed 's/(gdb) /\n(gdb) /g' | grep -v '^\s*$' |
	awk -v cmds="$out/gdb.cmds" '
		BEGIN { while ((getline l < cmds) > 0) cmd[++n] = l }
		/^\(gdb\) / {
			rest = substr($0, 7)
			print "(gdb) " cmd[++k]
			if (rest !~ /^ *$/) print rest
			next
		}
		{ print }' >"$out/gdb.txt"
make -s all

# The terminal session, as its test drives it (both panes' screens).
tests/bochsnox.sh >"$out/nox.result" || true
grep -q '^FAIL' "$out/nox.result" && { cat "$out/nox.result"; exit 1; }
sed -n '/^Next at t=0/,$p' build/tools/nox-debugger.txt | grep -v '^$\|^[0-9]\{11\}[a-z]\[' >"$out/nox-debugger.txt"
grep -v '^\s*$' build/tools/nox-com1.txt >"$out/nox-com1.txt"

# The commands typed, alone, to copy and paste.
cp "$out/bochs.cmds" "$out/bochs-commands.txt"
cp "$out/gdb.cmds" "$out/gdb-commands.txt"
cp "$out/sysenter.cmds" "$out/sysenter-commands.txt"

# Replace the first fenced block after each session's heading.
awk -v bochs="$out/bochs.txt" -v gdb="$out/gdb.txt" \
	-v noxd="$out/nox-debugger.txt" -v noxc="$out/nox-com1.txt" \
	-v bochsc="$out/bochs-commands.txt" -v gdbc="$out/gdb-commands.txt" \
	-v sys="$out/sysenter.txt" -v sysc="$out/sysenter-commands.txt" '
	function emit(f,   l) { while ((getline l < f) > 0) print l; close(f) }
	/^The sysenter session/ { want = sys }
	/^The commands \(sysenter/ { want = sysc }
	/^The session \(commands after/ { want = bochs }
	/^The session \(each command after its/ { want = gdb }
	/^The commands \(Bochs/ { want = bochsc }
	/^The commands \(GDB/ { want = gdbc }
	/^The debugger pane/ { want = noxd }
	/^The COM1 pane/ { want = noxc }
	/^```$/ && want != "" && !inside { print; emit(want); inside = 1; next }
	/^```$/ && inside { inside = 0; want = ""; print; next }
	!inside { print }' docs/debugging.md >"$out/debugging.md"
mv "$out/debugging.md" docs/debugging.md
echo "docs/debugging.md: transcripts recaptured (entry at 0x$entry, sysenter entry at 0x$sysentry)"
