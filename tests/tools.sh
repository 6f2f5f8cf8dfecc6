#!/usr/bin/env bash
# Tool tests: Bochs' debugger and GDB (on QEMU) stop a program at its
# int 0x81, at the kernel's entry, and back in user mode, then the same
# for its call through the entry page's sysenter stub (stops 4-6; Bochs
# steps the sysenter instruction itself), and the values they show are
# checked against what the program printed and against each other; the
# terminal session of make bochs-nox is driven through
# tmux (tests/bochsnox.sh); and GDB on QEMU -smp 2 (a thread per CPU).
# `tests/tools.sh [bochs|gdb|gdb-smp|nox|docs]`; prints
# PASS/FAIL lines. A missing tool is a failure, never a silent pass.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
out=build/tools
mkdir -p "$out"
PROGRAM=build/bin/t_debug
# The landing pad of the entry page's sysenter stub, from drake/entry.h.
DRAKE_ENTRY_SYSENTER_RET=$(($(printf '#include <drake/entry.h>\nDRAKE_ENTRY_SYSENTER_RET\n' |
	cpp -P -Ilibsys/include | tail -1)))

check() { # name condition-result(0/1) detail
	if [ "$2" -eq 0 ]; then echo "PASS: $1"; else echo "FAIL: $1 ($3)"; fi
}

sym() { # the address of a symbol, as 0x...
	local file=$1 name=$2
	echo "0x$(i686-linux-gnu-nm "$file" | awk -v n="$name" '$3 == n {print $1}')"
}

# The values the program printed before its trap: port msg size.
printed() {
	sed -n 's/^debug: port=\([0-9a-f]*\) msg=\([0-9a-f]*\) size=\([0-9a-f]*\).*/0x\1 0x\2 0x\3/p' "$1" | head -1
}

# A number as decimal; nothing for nothing, so a value a debugger did
# not show can never match.
num() {
	[ -n "$1" ] && printf '%d' "$1"
}

# Do two shown values agree? Both must exist.
agree() {
	local a b
	a=$(num "$1") b=$(num "$2")
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# Compare one register between two stops; args: name value1 value2.
# The caller's $way names the entry.
same() {
	check "$TOOL: $1 survives $way" "$(agree "$2" "$3"; echo $?)" "$2 -> $3"
}

# --- Bochs -------------------------------------------------------------

# bochs_reg DBGLOG STOP NAME: a register's value at the STOP-th "r" dump
# (this Bochs shows 64-bit names: rax: 00000000_40003000).
bochs_reg() {
	awk -v stop="$2" -v name="$3" '
		/^CPU0:/ { n++ }
		n != stop { next }
		name == "eflags" && $1 == "eflags" { sub(/:$/, "", $2); print $2; exit }
		$1 == "r" substr(name, 2) ":" { v = $2; sub(/^[0-9a-f]*_/, "", v); print "0x" v; exit }' "$1"
}

# bochs_seg DBGLOG STOP NAME: a segment selector at the STOP-th sreg dump.
bochs_seg() {
	awk -v stop="$2" -v name="$3" '
		/^sreg/ { n++ }
		n == stop && index($0, name ":0x") == 1 { split($1, a, ":"); sub(/,$/, "", a[2]); print a[2]; exit }' "$1"
}

test_bochs() {
	TOOL=bochs
	if ! command -v bochs >/dev/null; then
		echo "FAIL: bochs: not installed (run tools/deps.sh)"
		return
	fi
	local iso=$out/debug.iso serial=$out/bochs-serial.log dbg=$out/bochs.dbg
	tools/mkiso.sh "$iso" build/kernel.elf "test init=t_debug" "$PROGRAM" >/dev/null
	local site after entry site2 after2 sysentry
	site=$(sym "$PROGRAM" debug_trap_site)
	after=$(sym "$PROGRAM" debug_after_trap)
	site2=$(sym "$PROGRAM" debug_sysenter_site)
	after2=$(sym "$PROGRAM" debug_after_sysenter)
	entry=0x$(awk '$2 == "trap_msg_entry" {print $1}' build/kernel.sym)
	sysentry=0x$(awk '$2 == "trap_sysenter_entry" {print $1}' build/kernel.sym)
	cat >"$out/bochs.rc" <<-RC
		ldsym global "build/kernel.sym"
		lb $site
		c
		r
		sreg
		s
		r
		sreg
		info idt 0x81
		lb $after
		c
		r
		sreg
		lb $site2
		c
		r
		sreg
		lb $(printf '0x%x' $((DRAKE_ENTRY_SYSENTER_RET - 2)))
		c
		s
		d 4
		r
		sreg
		lb $after2
		c
		r
		sreg
		c
	RC
	rm -f "$serial" "$dbg"
	DRAKE_ISO=$iso DRAKE_SERIAL=$serial DRAKE_DISPLAY=term TERM=dumb \
		BXSHARE=${BXSHARE:-/usr/share/bochs} \
		VGABIOS=${VGABIOS:-/usr/share/vgabios/vgabios.bin} \
		timeout -s KILL 60 bochs -q -f tools/bochsrc -rc "$out/bochs.rc" \
		-dbglog "$dbg" </dev/null >"$out/bochs.out" 2>&1
	tool_checks "$serial" "$dbg" "$entry" bochs_reg bochs_seg 0 "int 0x81"
	tool_checks "$serial" "$dbg" "$sysentry" bochs_reg bochs_seg 3 sysenter
	grep -q "IDT\[0x81\]=32-Bit Trap Gate target=0x0008:$(printf '0x%08x' "$entry"), DPL=3" "$dbg"
	check "bochs: vector 0x81 is a 32-bit trap gate, DPL 3, at trap_msg_entry" $? \
		"$(grep 'IDT\[0x81\]' "$dbg")"
	grep -q "(trap_msg_entry+0): cli" "$dbg"
	check "bochs: kernel symbols loaded (entry shown by name)" $? "no symbol"
}

# --- GDB on QEMU ---------------------------------------------------------

# gdb_reg LOG STOP NAME: a register at the STOP-th "info registers".
gdb_reg() {
	awk -v stop="$2" -v name="$3" '
		/^=== stop/ { n++ }
		n == stop && $1 == name { print $2; exit }' "$1"
}

test_gdb() {
	TOOL=gdb
	if ! command -v gdb >/dev/null; then
		echo "FAIL: gdb: not installed (run tools/deps.sh)"
		return
	fi
	local serial=$out/gdb-serial.log log=$out/gdb.log port=$((20000 + RANDOM % 20000))
	local entry sysentry
	entry=0x$(awk '$2 == "trap_msg_entry" {print $1}' build/kernel.sym)
	sysentry=0x$(awk '$2 == "trap_sysenter_entry" {print $1}' build/kernel.sym)
	timeout -s KILL 60 "${QEMU_BASE[@]}" -serial "file:$serial" \
		-kernel build/kernel.elf -append "test init=t_debug" \
		-initrd "$PROGRAM" -gdb "tcp:127.0.0.1:$port" -S \
		</dev/null >/dev/null 2>&1 &
	local qemu=$!
	sleep 0.3
	timeout -s KILL 60 gdb -q -batch -nx -x .gdbinit \
		-ex "drake-user t_debug" \
		-ex "target remote 127.0.0.1:$port" \
		-ex "hbreak debug_trap_site" -ex "continue" \
		-ex "echo === stop 1\n" -ex "info registers" -ex "drake-trap" \
		-ex "stepi" \
		-ex "echo === stop 2\n" -ex "info registers" -ex "x/i \$pc" \
		-ex "drake-trap" -ex "break msg_sendsys" -ex "continue" \
		-ex "echo === in msg_sendsys\n" -ex "drake-trap" \
		-ex "delete" \
		-ex "hbreak debug_after_trap" -ex "continue" \
		-ex "echo === stop 3\n" -ex "info registers" \
		-ex "echo gate:" -ex "output/x idt[0x81]" -ex "echo \n" \
		-ex "delete" \
		-ex "hbreak debug_sysenter_site" -ex "continue" \
		-ex "echo === stop 4\n" -ex "info registers" \
		-ex "hbreak trap_sysenter_entry" -ex "continue" \
		-ex "echo === stop 5\n" -ex "info registers" -ex "x/i \$pc" \
		-ex "drake-trap" -ex "delete" \
		-ex "hbreak debug_after_sysenter" -ex "continue" \
		-ex "echo === stop 6\n" -ex "info registers" \
		-ex "continue" </dev/null >"$log" 2>&1
	wait "$qemu"
	tool_checks "$serial" "$log" "$entry" gdb_reg gdb_reg 0 "int 0x81"
	tool_checks "$serial" "$log" "$sysentry" gdb_reg gdb_reg 3 sysenter
	grep -q "<trap_msg_entry>" "$log"
	check "gdb: the kernel entry shown by name" $? "no symbol"
	local call port msg size
	read -r port msg size <<<"$(printed "$serial")"
	call="sendsys(port=$(printf '%#x' "$port"), msg=$(printf '%#x' "$msg"), size=$((size)))"
	[ "$(grep -c "^$call" "$log")" = 3 ] &&
		grep -q "^command: CMD_WRITE" "$log" && grep -q "size = $((size))," "$log"
	check "gdb: drake-trap decodes the call at both entries and in msg_sendsys" $? \
		"$(grep -A1 '^sendsys\|^waitsys' "$log" | head -4)"
	grep -q "^drake-trap: not in the kernel: the CPU is in user mode (cs=0x1b)" "$log"
	check "gdb: drake-trap in user mode says the CPU is not in the kernel" $? \
		"$(grep '^drake-trap' "$log" | head -2)"
	local lo hi gate
	gate=$(grep '^gate:' "$log")
	lo=$(printf '0x%04x' $((entry & 0xffff)))
	hi=$(printf '0x%x' $((entry >> 16)))
	[[ $gate == *"off_lo = $lo, sel = 0x8, zero = 0x0, type = 0xef, off_hi = $hi"* ]]
	check "gdb: IDT[0x81] is a present 32-bit trap gate, DPL 3 (type 0xef)" $? "$gate"
}

# GDB on QEMU with two CPUs (-smp 2, multi-threaded TCG): the gdbstub
# shows one thread per CPU. Stopped at t_debug's trap site, whichever
# CPU hit it holds the program's trap arguments; the other one has been
# started and runs the kernel (ring 0, paging on), not the reset vector
# (cs 0xf000, eip 0xfff0) where a CPU nobody started stays.
test_gdb_smp() {
	TOOL=gdb-smp
	if ! command -v gdb >/dev/null; then
		echo "FAIL: gdb-smp: gdb not installed (run tools/deps.sh)"
		return
	fi
	local serial=$out/gdb-smp-serial.log log=$out/gdb-smp.log port=$((20000 + RANDOM % 20000))
	timeout -s KILL 60 "${QEMU_BASE[@]}" -serial "file:$serial" \
		-kernel build/kernel.elf -append "test init=t_debug" \
		-initrd "$PROGRAM" -gdb "tcp:127.0.0.1:$port" -S \
		-smp 2 -accel tcg,thread=multi </dev/null >/dev/null 2>&1 &
	local qemu=$!
	sleep 0.3
	timeout -s KILL 60 gdb -q -batch -nx -x .gdbinit \
		-ex "drake-user t_debug" \
		-ex "target remote 127.0.0.1:$port" \
		-ex "hbreak debug_trap_site" -ex "continue" \
		-ex "echo === threads\n" -ex "info threads" \
		-ex "thread 1" -ex "echo === stop 1\n" -ex "info registers" \
		-ex "thread 2" -ex "echo === stop 2\n" -ex "info registers" \
		-ex "echo === end\n" -ex "delete" -ex "continue" \
		</dev/null >"$log" 2>&1
	wait "$qemu"
	local threads hit other port_ msg size
	threads=$(sed -n '/^=== threads/,/^=== stop/p' "$log" | grep -cE '^[* ] +[0-9]+ +Thread .*\(CPU#[01] ')
	check "gdb-smp: info threads lists 2 threads, CPU#0 and CPU#1" \
		"$([ "$threads" = 2 ]; echo $?)" "$(sed -n '/^=== threads/,/^=== stop/p' "$log")"
	hit=$(sed -n 's/^Thread \([12]\) hit .*Breakpoint 1.*/\1/p' "$log" | head -1)
	check "gdb-smp: a thread stopped at the trap site" \
		"$([ -n "$hit" ]; echo $?)" "$(grep -m2 'hit\|Breakpoint' "$log")"
	[ -n "$hit" ] || return
	other=$((3 - hit))
	read -r port_ msg size <<<"$(printed "$serial")"
	check "gdb-smp: thread $hit (it hit) eax/ecx/edx = port/msg/size" \
		"$(agree "$(gdb_reg "$log" "$hit" eax)" "$port_" &&
		   agree "$(gdb_reg "$log" "$hit" ecx)" "$msg" &&
		   agree "$(gdb_reg "$log" "$hit" edx)" "$size" &&
		   agree "$(gdb_reg "$log" "$hit" cs)" 0x1b; echo $?)" \
		"$(gdb_reg "$log" "$hit" eax) $(gdb_reg "$log" "$hit" ecx) $(gdb_reg "$log" "$hit" edx) cs $(gdb_reg "$log" "$hit" cs) vs $port_ $msg $size"
	# the kernel is linked at 1 MiB; kernel_end is its last symbol
	local eip cr0 end
	eip=$(gdb_reg "$log" "$other" eip) cr0=$(gdb_reg "$log" "$other" cr0)
	end=0x$(awk '$2 == "kernel_end" {print $1}' build/kernel.sym)
	check "gdb-smp: thread $other's registers read: ring 0, paging on, eip in the kernel" \
		"$(agree "$(gdb_reg "$log" "$other" cs)" 8 &&
		   agree "$(gdb_reg "$log" "$other" ss)" 0x10 &&
		   [ $((${cr0:-0} >> 31)) = 1 ] &&
		   [ $((${eip:-0})) -ge $((0x100000)) ] && [ $((${eip:-0})) -lt $((end)) ]; echo $?)" \
		"cs $(gdb_reg "$log" "$other" cs) ss $(gdb_reg "$log" "$other" ss) cr0 $cr0 eip $eip"
	check "gdb-smp: the two threads have their own stacks" \
		"$(! agree "$(gdb_reg "$log" 1 esp)" "$(gdb_reg "$log" 2 esp)"; echo $?)" \
		"esp $(gdb_reg "$log" 1 esp) and $(gdb_reg "$log" 2 esp)"
	grep -aq "^debug: sysenter result=0" "$serial"
	check "gdb-smp: the program ran to completion" $? "$(tail -2 "$serial")"
}

# The checks both debuggers share, for the three stops after BASE: at
# the call site, at the kernel's entry ENTRY, and back in user mode; WAY
# names the entry. REG and SEG read values from LOG.
tool_checks() {
	local serial=$1 log=$2 entry=$3 reg=$4 seg=$5 base=$6 way=$7
	local port msg size r s1=$(($6 + 1)) s2=$(($6 + 2)) s3=$(($6 + 3)) stop
	read -r port msg size <<<"$(printed "$serial")"
	[ "$base" -eq 0 ] &&
		check "$TOOL: program printed its trap arguments" "$([ -n "$size" ]; echo $?)" \
			"$(tail -3 "$serial")"
	for stop in $s1 $s2; do
		check "$TOOL: stop $stop eax/ecx/edx = port/msg/size" \
			"$(agree "$($reg "$log" $stop eax)" "$port" &&
			   agree "$($reg "$log" $stop ecx)" "$msg" &&
			   agree "$($reg "$log" $stop edx)" "$size"; echo $?)" \
			"$($reg "$log" $stop eax) $($reg "$log" $stop ecx) $($reg "$log" $stop edx) vs $port $msg $size"
	done
	check "$TOOL: stop $s1 ebx/esi/edi hold the program's patterns" \
		"$(agree "$($reg "$log" $s1 ebx)" 0xb0b0b0b0 &&
		   agree "$($reg "$log" $s1 esi)" 0x51515151 &&
		   agree "$($reg "$log" $s1 edi)" 0xd1d1d1d1; echo $?)" \
		"$($reg "$log" $s1 ebx) $($reg "$log" $s1 esi) $($reg "$log" $s1 edi)"
	check "$TOOL: stop $s2 is the $way entry in ring 0" \
		"$(agree "$($reg "$log" $s2 eip)" "$entry" &&
		   agree "$($seg "$log" $s2 cs)" 8; echo $?)" \
		"eip $($reg "$log" $s2 eip) cs $($seg "$log" $s2 cs)"
	if [ "$way" = sysenter ]; then
		# the stub pushed ebp, edx, ecx under the call's return address
		local sp=$($reg "$log" $s1 esp)
		check "$TOOL: stop $s2 ebp = the stub's user esp" \
			"$(agree "$($reg "$log" $s2 ebp)" "$([ -n "$sp" ] && echo $((sp - 16)))"; echo $?)" \
			"ebp $($reg "$log" $s2 ebp), esp at the call $sp"
	fi
	check "$TOOL: eax = 0 (no error) back in user mode after $way" \
		"$(agree "$($reg "$log" $s3 eax)" 0; echo $?)" "$($reg "$log" $s3 eax)"
	for r in ebx ecx edx esi edi ebp esp eflags; do
		same "$r" "$($reg "$log" $s1 $r)" "$($reg "$log" $s3 $r)"
	done
	for r in cs ss ds es fs gs; do
		same "$r" "$($seg "$log" $s1 $r)" "$($seg "$log" $s3 $r)"
	done
	grep -aq "^debug: $([ "$way" = sysenter ] && echo "sysenter ")result=0" "$serial"
	check "$TOOL: the program ran to completion ($way)" $? "$(tail -2 "$serial")"
}

# docs/debugging.md quotes real sessions: they must be this kernel's.
# They are captured with Debian's i686-linux-gnu-gcc; a build with a
# true i686-elf GCC (make cross, on PATH) lays the kernel out otherwise.
test_docs() {
	if command -v i686-elf-gcc >/dev/null; then
		echo "note: docs: transcripts not compared (i686-elf-gcc build)"
		return
	fi
	local entry
	entry=$(awk '$2 == "trap_msg_entry" {print $1}' build/kernel.sym)
	grep -q "^<bochs:3> u /18 0x$entry$" docs/debugging.md &&
		grep -q "target=0x0008:0x$entry, DPL=3" docs/debugging.md
	check "docs: debugging.md transcripts match this kernel (else run tools/transcripts.sh)" \
		$? "the entry is at 0x$entry now"
	# The sysenter session's kernel is the DEBUG_TRAPS one, whose
	# trap_msg_entry starts with a 3-byte xchg %bx,%bx more.
	local sysentry
	sysentry=$(printf '%016x' $((0x$(awk '$2 == "trap_sysenter_entry" {print $1}' build/kernel.sym) + 3)))
	grep -q " 0008:$sysentry (trap_sysenter_entry+0)" docs/debugging.md
	check "docs: debugging.md's sysenter session matches this kernel (else run tools/transcripts.sh)" \
		$? "the DEBUG_TRAPS sysenter entry is at 0x$sysentry now"
}

case ${1:-all} in
bochs) test_bochs ;;
gdb) test_gdb ;;
gdb-smp) test_gdb_smp ;;
nox) tests/bochsnox.sh ;;
docs) test_docs ;;
*)
	test_bochs
	test_gdb
	test_gdb_smp
	tests/bochsnox.sh
	test_docs
	;;
esac
