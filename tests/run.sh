#!/usr/bin/env bash
# Drake's test runner: `tests/run.sh [host|guest|bochs|tools|keyboard|nmi|fixture|clang|docs|bench|fuzz|all]`.
#
# Host tests: every tests/host/test_*.c, built natively under ASan and
# UBSan, prints PASS/FAIL lines. Guest tests: every line of
# tests/guest.list is one QEMU boot, run two at a time, each under a
# timeout; its serial log decides the verdict (never QEMU's status alone:
# a triple fault under -no-reboot exits 0). Bochs tests: every line of
# tests/bochs.list, in the same format, is one Bochs boot of an ISO,
# judged the same way (Bochs models what QEMU's TCG does not, such as
# #MF raised in ring 0). The last line is always
# "N passed, M failed" and the exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

what=${1:-all}
out=build/test-results
rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0

# Count the PASS/FAIL lines of a result file and print it.
tally() {
	cat "$1"
	passed=$((passed + $(grep -c '^PASS: ' "$1")))
	failed=$((failed + $(grep -c '^FAIL: ' "$1")))
}

run_host() {
	local cflags="-std=c11 -g -O1 -fsanitize=address,undefined
		-fno-sanitize-recover=all -Wall -Wextra -Werror
		-Ilibsys/include -Ikernel -Iarch/i386"
	mkdir -p build/host
	for src in tests/host/test_*.c; do
		local name res
		name=$(basename "$src" .c)
		res=$out/host-$name.txt
		# shellcheck disable=SC2086
		if ! ${HOSTCC:-gcc} $cflags -o "build/host/$name" "$src" \
			>"$res.build" 2>&1; then
			{ echo "FAIL: host/$name (does not build)"; cat "$res.build"; } >"$res"
		else
			"build/host/$name" 2>&1 | sed "s#^\(PASS\|FAIL\): #\1: host/$name/#" >"$res"
			local rc=${PIPESTATUS[0]}
			if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$res"; then
				echo "FAIL: host/$name (exit status $rc)" >>"$res"
			fi
		fi
		tally "$res"
	done
}

# One guest boot, described by a guest.list line; writes $out/NAME.txt.
run_guest_line() {
	local name=$1 cmdline=$2 modules=$3 expect=$4
	local log=$out/$name.log res=$out/$name.txt status verdict
	case $expect in
	iso*)
		guest_boot_iso "$log" "${expect#iso }"
		status=$?
		;;
	*)
		local input
		input=$(guest_input "$expect")
		if [ -n "$input" ]; then
			rm -f "$out/$name.in" && mkfifo "$out/$name.in"
			: >"$log"
			feed_input "$input" "$log" "$out/$name.in" &
		else
			ln -sf /dev/null "$out/$name.in"
		fi
		guest_boot "$log" "$cmdline" "$modules" "${GUEST_TIMEOUT:-30}" \
			"$out/$name.in"
		status=$?
		wait
		;;
	esac
	clean_log "$log" >"$log.tmp" && mv "$log.tmp" "$log"
	verdict=$(guest_verdict "$log" "$status" "$expect")
	{
		case $expect in
		suite*) grep -a '^\(PASS\|FAIL\): ' "$log" | sed "s#^\(PASS\|FAIL\): #\1: $name/#" ;;
		esac
		if [ "$verdict" = ok ]; then
			echo "PASS: $name"
		else
			echo "FAIL: $name ($verdict)"
			echo "---- last lines of $log ----"
			tail -n 15 "$log" | sed 's/^/    /'
		fi
	} >"$res"
}

run_guest() {
	make -s all >"$out/build.log" 2>&1 || {
		cat "$out/build.log"
		echo "FAIL: build" >"$out/build.txt"
		tally "$out/build.txt"
		return
	}
	local names=() jobs=0
	while IFS='|' read -r name cmdline modules expect; do
		name=$(trim "$name")
		[ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
		names+=("$name")
		run_guest_line "$name" "$(trim "$cmdline")" "$(trim "$modules")" \
			"$(trim "$expect")" &
		jobs=$((jobs + 1))
		if [ "$jobs" -ge "${TEST_JOBS:-2}" ]; then
			wait -n
			jobs=$((jobs - 1))
		fi
	done <tests/guest.list
	wait
	for name in "${names[@]}"; do
		tally "$out/$name.txt"
	done
}

# One Bochs boot, described by a bochs.list line; writes $out/NAME.txt.
run_bochs_line() {
	local name=$1 cmdline=$2 modules=$3 expect=$4
	local log=$out/bochs-$name.log res=$out/bochs-$name.txt status verdict
	if [ -n "$(guest_input "$expect")" ]; then
		echo "FAIL: bochs-$name (input= is not supported under Bochs)" >"$res"
		return
	fi
	bochs_boot_cmdline "$log" "$cmdline" "$modules"
	status=$?
	# Bochs may stop before the last line's newline reaches the file.
	clean_log "$log" | sed '$a\' >"$log.tmp" && mv "$log.tmp" "$log"
	verdict=$(guest_verdict "$log" "$status" "$expect")
	{
		case $expect in
		suite*) grep -a '^\(PASS\|FAIL\): ' "$log" | sed "s#^\(PASS\|FAIL\): #\1: bochs-$name/#" ;;
		esac
		if [ "$verdict" = ok ]; then
			echo "PASS: bochs-$name"
		else
			echo "FAIL: bochs-$name ($verdict)"
			echo "---- last lines of $log ----"
			tail -n 15 "$log" | sed 's/^/    /'
		fi
	} >"$res"
}

run_bochs() {
	make -s all >"$out/bochs-build.log" 2>&1 || {
		cat "$out/bochs-build.log"
		echo "FAIL: bochs-build" >"$out/bochs-build.txt"
		tally "$out/bochs-build.txt"
		return
	}
	local names=() jobs=0
	while IFS='|' read -r name cmdline modules expect; do
		name=$(trim "$name")
		[ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
		names+=("$name")
		run_bochs_line "$name" "$(trim "$cmdline")" "$(trim "$modules")" \
			"$(trim "$expect")" &
		jobs=$((jobs + 1))
		if [ "$jobs" -ge "${TEST_JOBS:-2}" ]; then
			wait -n
			jobs=$((jobs - 1))
		fi
	done <tests/bochs.list
	wait
	for name in "${names[@]}"; do
		tally "$out/bochs-$name.txt"
	done
}

# The kernel must also build warning-free (-Werror) with clang + ld.lld,
# and that kernel must pass its self-tests.
run_clang() {
	local res=$out/clang.txt
	if ! make -s CC=clang BUILD=build-clang all >"$out/clang-build.log" 2>&1; then
		{ echo "FAIL: clang-build"; tail -n 20 "$out/clang-build.log"; } >"$res"
	else
		echo "PASS: clang-build" >"$res"
		BUILD=build-clang run_guest_line clang-ktest-self "test ktest=self" \
			"hello arg1" suite
		cat "$out/clang-ktest-self.txt" >>"$res"
	fi
	tally "$res"
}

# Bochs and GDB, scripted (tests/tools.sh).
run_tools() {
	tests/tools.sh >"$out/tools.txt" 2>&1
	tally "$out/tools.txt"
}

# The PS/2 keyboard, typed on through QEMU's monitor.
run_keyboard() {
	tests/keyboard.sh >"$out/keyboard.txt" 2>&1
	tally "$out/keyboard.txt"
}

# NMIs injected through QEMU's monitor, in user and kernel mode.
run_nmi() {
	tests/nmi.sh >"$out/nmi.txt" 2>&1
	tally "$out/nmi.txt"
}

# A new user/*.c becomes a program without a Makefile edit.
run_fixture() {
	tests/fixture.sh >"$out/fixture.txt" 2>&1
	tally "$out/fixture.txt"
}

# A short system-call fuzz under Bochs (the QEMU one is a guest.list
# line): a few thousand calls, from the ISO, headless.
run_fuzz() {
	tests/fuzz.sh bochs "${FUZZ_BOCHS_CALLS:-5000}" "${FUZZ_SEED:-1}" \
		"budget=500" 120 >"$out/fuzz-bochs.txt" 2>&1
	tally "$out/fuzz-bochs.txt"
}

# The docs' tutorial program and exercise tests (tests/docs.sh).
run_docs() {
	tests/docs.sh >"$out/docs.txt" 2>&1
	tally "$out/docs.txt"
}

# make bench's table must print and be identical on two runs.
run_bench() {
	tests/bench.sh --check >"$out/bench.txt" 2>&1
	tally "$out/bench.txt"
}

case $what in
host) run_host ;;
tools) run_tools ;;
fixture) run_fixture ;;
keyboard) run_keyboard ;;
nmi) run_nmi ;;
bench) run_bench ;;
fuzz) run_fuzz ;;
guest) run_guest ;;
bochs) run_bochs ;;
clang) run_clang ;;
docs) run_docs ;;
all)
	run_host
	run_guest
	run_bochs
	run_tools
	run_keyboard
	run_nmi
	run_fixture
	run_clang
	run_docs
	run_bench
	run_fuzz
	;;
*)
	echo "usage: tests/run.sh [host|guest|bochs|tools|keyboard|nmi|fixture|clang|docs|bench|fuzz|all]" >&2
	exit 2
	;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
