# Shell helpers shared by tests/run.sh and tests/bench.sh.

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

# guest_boot LOG CMDLINE MODULES TIMEOUT INPUT [extra qemu args...]
# Boots build/kernel.elf directly (QEMU's multiboot loader), the serial
# port reading INPUT (a file, or /dev/null) and writing LOG. Returns
# QEMU's exit status: (code << 1) | 1 for a debug-exit write of code.
guest_boot() {
	local log=$1 cmdline=$2 modules=$3 limit=$4 input=$5
	shift 5
	local initrd
	initrd=$(initrd_arg "$modules")
	timeout "$limit" "${QEMU_BASE[@]}" -serial stdio \
		-kernel "$BUILD/kernel.elf" -append "$cmdline" \
		${initrd:+-initrd "$initrd"} "$@" <"$input" >"$log" 2>/dev/null
}

# guest_boot_iso LOG PATTERN: boot the real ISO (GRUB and all) and pass
# as soon as PATTERN ('~' for a space) shows on serial, within 5 seconds.
guest_boot_iso() {
	local log=$1 pattern pid i
	pattern=$(echo "$2" | tr '~' ' ')
	: >"$log"
	"${QEMU_BASE[@]}" -serial "file:$log" -cdrom "$BUILD/drake.iso" \
		</dev/null >/dev/null 2>&1 &
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

# The bytes an expectation's input=TEXT asks to type, on stdout.
guest_input() {
	local c
	for c in $1; do
		[ "${c%%=*}" = input ] && echo "${c#input=}" | tr '~' ' '
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
#   iso PATTERN    PATTERN appeared within 5 s of booting the ISO
# followed by any number of  log=REGEX  that must match a log line, and
# at most one  input=TEXT  typed on the serial console ('~' a space,
# '\n' a newline, '\x03' Ctrl-C, '{wait:WORD}' wait for WORD on the log
# before typing the rest).
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
		[ "${c%%=*}" = log ] || continue
		grep -aqE -- "$(echo "${c#log=}" | tr '~' ' ')" "$log" ||
			{ echo "log lacks /${c#log=}/"; return; }
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
	local log=$1 status=$2 mnemonic=$3 why want got
	why=$(boot_failure "$log" "$status" suite)
	want=$(grep -a '^provoke: expect eip=' "$log" | sed 's/.*eip=//')
	got=$(grep -a '^PANIC: ' "$log" | head -1)
	if [ -z "$why" ]; then
		echo "harness judged a panicking boot a pass"
	elif [[ $why != "kernel panic:"* ]]; then
		echo "failed, but not as a panic: $why"
	elif [[ $got != *"(#$mnemonic,"* ]]; then
		echo "panic does not name #$mnemonic: $got"
	elif [ -z "$want" ] || [[ $got != *"eip=$want"* ]]; then
		echo "panic EIP is not the faulting one ($want): $got"
	elif ! grep -aq '^  eax=' "$log"; then
		echo "panic has no register dump"
	else
		echo ok
	fi
}
