# Shell helpers shared by tests/run.sh and the other test scripts.

trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	echo "${s%"${s##*[![:space:]]}"}"
}

BUILD=${BUILD:-build}

QEMU_BASE=(qemu-system-i386 -m 128M -no-reboot -boot d -display none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)

# The -initrd argument for "prog args, prog2 args": QEMU separates
# modules with commas and passes each module's text after the path.
initrd_arg() {
	local list=$1 item result=""
	local IFS=','
	for item in $list; do
		item=$(trim "$item")
		[ -n "$item" ] || continue
		result+="${result:+,}$BUILD/bin/$item"
	done
	echo "$result"
}

# smp_args N: the QEMU arguments for N CPUs, on one line: -smp N, and
# for more than one the multi-threaded TCG, so that the CPUs run in
# parallel on the host's cores (it excludes -icount, which runs them in
# turn).
smp_args() {
	if [ "$1" -gt 1 ]; then
		echo "-smp $1 -accel tcg,thread=multi"
	else
		echo "-smp $1"
	fi
}

# The QEMU arguments for every boot, from GUEST_QEMU_ARGS (split on
# spaces: say "-smp 2 -accel tcg,thread=multi" to run a whole suite on
# two CPUs), one a line; none when the boot's own arguments (given here)
# name -smp, for a boot that says its CPUs tests them (and QEMU would
# take the last -smp of two).
global_qemu_args() {
	local a words=()
	for a in "$@"; do
		[ "$a" = -smp ] && return
	done
	read -ra words <<<"${GUEST_QEMU_ARGS:-}"
	[ "${#words[@]}" -eq 0 ] || printf '%s\n' "${words[@]}"
}

# guest_boot LOG CMDLINE MODULES TIMEOUT INPUT [extra qemu args...]
# Boots build/kernel.elf directly (QEMU's multiboot loader), the serial
# port reading INPUT (a file, or /dev/null) and writing LOG, with the
# arguments of GUEST_QEMU_ARGS (see global_qemu_args), then the extra
# ones. Returns QEMU's exit status: (code << 1) | 1 for a debug-exit
# write of code.
guest_boot() {
	local log=$1 cmdline=$2 modules=$3 limit=$4 input=$5
	shift 5
	local initrd global
	initrd=$(initrd_arg "$modules")
	mapfile -t global < <(global_qemu_args "$@")
	timeout "$limit" "${QEMU_BASE[@]}" -serial stdio \
		-kernel "$BUILD/kernel.elf" -append "$cmdline" \
		${initrd:+-initrd "$initrd"} "${global[@]}" "$@" \
		<"$input" >"$log" 2>/dev/null
}

# guest_boot_iso LOG PATTERN: boot the real ISO (GRUB and all), with
# GUEST_QEMU_ARGS, and pass as soon as PATTERN ('~' for a space) shows
# on serial, within 5 seconds.
guest_boot_iso() {
	local log=$1 pattern pid i global
	pattern=$(echo "$2" | tr '~' ' ')
	mapfile -t global < <(global_qemu_args)
	: >"$log"
	"${QEMU_BASE[@]}" -serial "file:$log" -cdrom "$BUILD/drake.iso" \
		"${global[@]}" </dev/null >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do
		if clean_log "$log" | grep -qE "$pattern"; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 0
		fi
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 124
}

# bochs_boot_cmdline LOG CMDLINE MODULES [TIMEOUT]
# Boots KERNEL (default $BUILD/kernel.elf) under Bochs, headless, from an
# ISO holding CMDLINE and MODULES ("prog args, prog2 args", as in
# guest.list), with COM1 going to LOG. Bochs' exit status says nothing
# about the guest, so the status returned is the one QEMU's debug-exit
# device would have given, read back from the log (see bochs_status):
# guest_verdict and boot_failure judge a Bochs boot like a QEMU one.
# The ISO and Bochs' own output are kept next to LOG (LOG.iso, LOG.out).
bochs_boot_cmdline() {
	local log=$1 cmdline=$2 modules=$3 limit=${4:-${BOCHS_TIMEOUT:-120}}
	local kernel=${KERNEL:-$BUILD/kernel.elf} progs=() item rc status
	local IFS=','
	for item in $modules; do
		item=$(trim "$item")
		[ -n "$item" ] && progs+=("$BUILD/bin/$item")
	done
	unset IFS
	command -v bochs >/dev/null || {
		echo "bochs: not installed (run tools/deps.sh)" >"$log"
		return 127
	}
	tools/mkiso.sh "$log.iso" "$kernel" "$cmdline" "${progs[@]}" \
		>/dev/null 2>&1 || {
		echo "bochs: cannot build $log.iso" >"$log"
		return 126
	}
	# The debugger build stops before the BIOS: "c" starts it, and when
	# the script runs out it reads stdin, /dev/null, and quits.
	echo c >"$log.rc"
	rm -f "$log"
	DRAKE_ISO=$log.iso DRAKE_SERIAL=$log DRAKE_DISPLAY=term TERM=dumb \
		BXSHARE=${BXSHARE:-/usr/share/bochs} \
		VGABIOS=${VGABIOS:-/usr/share/vgabios/vgabios.bin} \
		timeout -s KILL "$limit" bochs -q -f tools/bochsrc -rc "$log.rc" \
		</dev/null >"$log.out" 2>&1
	rc=$?
	touch "$log"
	status=$(bochs_status "$log")
	[ "$rc" -eq 137 ] && [ "$status" -eq 0 ] && status=124
	return "$status"
}

# bochs_boot INIT ARGS LOG [TIMEOUT]: a test boot ("test init=INIT") of
# build/bin/INIT, with ARGS as its arguments, under Bochs; as above.
bochs_boot() {
	bochs_boot_cmdline "$3" "test init=$1" "$1${2:+ $2}" "${4:-}"
}

# The status QEMU's isa-debug-exit would have reported for the boot in
# LOG: the kernel's last words before it wrote its exit code there.
bochs_status() {
	local log=$1 code
	code=$(clean_log "$log" | sed -n 's/^init exited with status \(-\{0,1\}[0-9]*\)$/\1/p' | tail -1)
	if [ -n "$code" ]; then
		[ "$code" -eq 0 ] && echo 1 || echo 3 # EXIT_PASS, EXIT_FAIL
	elif clean_log "$log" | grep -q '^SUMMARY: '; then
		# ktest suites exit without an init
		clean_log "$log" | grep -q '^SUMMARY: .* 0 failed$' && echo 1 || echo 3
	elif clean_log "$log" | grep -q '^kernel halted$'; then
		echo 5 # EXIT_PANIC
	else
		echo 0 # no verdict: a hang cut short, or a triple fault
	fi
}

# The bytes an expectation's input=TEXT asks to type, on stdout.
guest_input() {
	local c
	for c in $1; do
		[ "${c%%=*}" = input ] && echo "${c#input=}" | tr '~' ' '
	done
}

# The extra QEMU arguments an expectation's qemu=ARGS asks for ('~' a
# space), one a line; guest_boot passes them after its own.
guest_qemu_args() {
	local c
	for c in $1; do
		[ "${c%%=*}" = qemu ] && echo "${c#qemu=}" | tr '~' '\n'
	done
}

# feed_input SPEC LOG FIFO: type SPEC into the guest through FIFO. A
# "{wait:WORD}" in SPEC waits (up to 20 s) until WORD (a fixed string)
# is on the serial log; the rest is printf %b text.
feed_input() {
	local rest=$1 log=$2 fifo=$3 chunk word i
	exec 3>"$fifo"
	while [ -n "$rest" ]; do
		if [[ $rest == "{wait:"* ]]; then
			word=${rest#\{wait:}
			word=${word%%\}*}
			rest=${rest#*\}}
			for i in $(seq 200); do
				grep -aqF -- "$word" "$log" 2>/dev/null && break
				sleep 0.1
			done
		else
			chunk=${rest%%\{wait:*}
			rest=${rest#"$chunk"}
			printf '%b' "$chunk" >&3
		fi
	done
	exec 3>&-
}

# GRUB's serial output carries ANSI escapes and carriage returns.
clean_log() {
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$1"
}

# guest_verdict LOG STATUS EXPECT: "ok", or why the boot failed. LOG has
# been through clean_log.
# EXPECT is one of
#   suite          the log's PASS/FAIL lines and SUMMARY decide
#   exit0          init must exit with status 0
#   panic:MNEMONIC the boot must be judged a failure, by the same rules
#                  as any other, for a panic naming #MNEMONIC at the
#                  EIP the kernel announced
#   panic:kstack   likewise, for a kernel stack overflow caught (as a
#                  #DF) at the guard page the kernel announced
#   iso PATTERN    PATTERN appeared within 5 s of booting the ISO
# followed by any number of  log=REGEX  that must match a log line and
# nolog=REGEX  that must match none, at
# most one  input=TEXT  typed on the serial console ('~' a space,
# '\n' a newline, '\x03' Ctrl-C, '{wait:WORD}' wait for WORD on the log
# before typing the rest), and at most one  qemu=ARGS  of extra QEMU
# arguments ('~' a space; not for iso boots, nor under Bochs).
guest_verdict() {
	local log=$1 status=$2 expect=$3 kind checks
	kind=${expect%% *}
	checks=""
	[ "$kind" != "$expect" ] && checks=${expect#* }
	case $kind in
	panic:*)
		guest_panic_verdict "$log" "$status" "${kind#panic:}"
		return
		;;
	iso)
		[ "$status" -eq 0 ] && echo ok || echo "pattern not seen within 5 s"
		return
		;;
	esac
	local why
	why=$(boot_failure "$log" "$status" "$kind")
	if [ -n "$why" ]; then
		echo "$why"
		return
	fi
	local c
	for c in $checks; do
		case ${c%%=*} in
		log)
			grep -aqE -- "$(echo "${c#log=}" | tr '~' ' ')" "$log" ||
				{ echo "log lacks /${c#log=}/"; return; }
			;;
		nolog)
			! grep -aqE -- "$(echo "${c#nolog=}" | tr '~' ' ')" "$log" ||
				{ echo "log has /${c#nolog=}/"; return; }
			;;
		esac
	done
	echo ok
}

# Why a boot failed, or nothing if it did not. This is the one judge
# every boot goes through.
boot_failure() {
	local log=$1 status=$2 kind=$3
	if grep -aq '^PANIC: ' "$log"; then
		echo "kernel panic: $(grep -a '^PANIC: ' "$log" | head -1)"
	elif [ "$status" -eq 124 ]; then
		echo "timeout: the guest hung"
	elif [ "$status" -eq 0 ]; then
		echo "QEMU exited without a verdict (triple fault?)"
	elif [ "$status" -eq 1 ] && [ ! -s "$log" ]; then
		# QEMU also exits 1 when it refuses its arguments
		echo "QEMU exited 1 with an empty log (did it start?)"
	elif [ "$status" -ne 1 ]; then
		echo "guest reported failure (QEMU status $status)"
	elif [ "$kind" = suite ]; then
		local s
		s=$(grep -a '^SUMMARY: ' "$log" | tail -1)
		if [ -z "$s" ]; then
			echo "missing summary"
		elif ! echo "$s" | grep -q ' 0 failed$'; then
			echo "$s"
		elif grep -aq '^FAIL: ' "$log"; then
			echo "FAIL lines despite a clean summary"
		fi
	fi
}

# A provoked kernel fault must be judged a failure, for the right reason.
guest_panic_verdict() {
	local log=$1 status=$2 mnemonic=$3 why want got where=eip what=EIP
	local title=""
	if [ "$mnemonic" = kstack ]; then
		mnemonic=DF where=guard what="guard page"
		title="PANIC: kernel stack overflow "
	fi
	why=$(boot_failure "$log" "$status" suite)
	want=$(grep -a "^provoke: expect $where=" "$log" | sed "s/.*$where=//")
	got=$(grep -a '^PANIC: ' "$log" | head -1)
	if [ -z "$why" ]; then
		echo "harness judged a panicking boot a pass"
	elif [[ $why != "kernel panic:"* ]]; then
		echo "failed, but not as a panic: $why"
	elif [[ $got != "$title"*"(#$mnemonic,"* ]]; then
		echo "panic does not name ${title:+a kernel stack overflow, }#$mnemonic: $got"
	elif [ -z "$want" ] || [[ $got != *"$where=$want"* ]]; then
		echo "panic $what is not the faulting one ($want): $got"
	elif ! grep -aq '^  eax=' "$log"; then
		echo "panic has no register dump"
	else
		echo ok
	fi
}
