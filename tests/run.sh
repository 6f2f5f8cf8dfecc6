#!/usr/bin/env bash
# Drake's test runner: `tests/run.sh [host|guest|sysenter|bochs|tools|keyboard|nmi|fixture|clang|docs|bench|fuzz|all]`.
#
# Host tests: every tests/host/test_*.c, built natively under ASan and
# UBSan, prints PASS/FAIL lines. Guest tests: every line of
# tests/guest.list is one QEMU boot, run two at a time, each under a
# timeout; its serial log decides the verdict (never QEMU's status alone:
# a triple fault under -no-reboot exits 0). The guest layer boots every
# line with `entry=int` added to its kernel command line (libsys enters
# by int 0x81), on one CPU; the sysenter layer boots them all again with
# `entry=sysenter` (result files sysenter-NAME), except the lines that
# boot the ISO, whose command line is GRUB's, and on two CPUs (-smp 2,
# multi-threaded TCG), so that every test runs under -smp 1 and -smp 2.
# A line's own qemu= -smp wins in both. GUEST_QEMU_ARGS (lib.sh) sets
# both layers' QEMU arguments instead, GUEST_LIST another list of boots
# (tests/stress.sh uses both), and TEST_RESULTS another directory for
# the results than build/test-results. Bochs tests: every line of
# tests/bochs.list, in the same format, is one Bochs boot of an ISO,
# judged the same way (Bochs models what QEMU's TCG does not, such as
# #MF raised in ring 0). The last line is always
# "N passed, M failed" and the exit status is non-zero on any failure.
#
# Output: each layer is a group, opened by "== NAME (what)" and closed
# by "== NAME (what): P passed, F failed"; a run of several layers ends
# with those closing lines again, then the total. Host tests show one
# PASS/FAIL line per test; guest and Bochs boots one progress line each
# ("[12/40] t_live ... ok (9 checks)") as they finish, then the details
# of any failure (its FAIL lines and the tail of its serial log). Every
# result file is kept in build/test-results/.
#
# Adding a layer: write run_NAME, which calls begin_layer NAME WHAT
# first and tallies its result files with tally (or runs a script with
# run_script); add NAME to `layers` near the end. end_layer is called
# for it.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

what=${1:-all}
out=${TEST_RESULTS:-build/test-results}
rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0

layer="" layer_what="" layer_p0=0 layer_f0=0
summary=()

# begin_layer NAME WHAT: open a layer's group, counting from here.
begin_layer() {
	layer=$1 layer_what=$2 layer_p0=$passed layer_f0=$failed
	echo "== $layer ($layer_what)"
}

# end_layer: close the group with its counts, kept for the final summary.
end_layer() {
	local line
	line="== $layer ($layer_what): $((passed - layer_p0)) passed, $((failed - layer_f0)) failed"
	echo "$line"
	echo
	summary+=("$line")
}

# tally FILE [failures]: count the PASS/FAIL lines of a result file, and
# print it without the noise of check.h (TEST: before each test, SUMMARY:
# after a suite), so a test is one line, plus its details if it failed.
# With "failures", print only the FAIL lines and their indented details
# (when a progress line has already said the rest).
tally() {
	passed=$((passed + $(grep -c '^PASS: ' "$1")))
	failed=$((failed + $(grep -c '^FAIL: ' "$1")))
	if [ "${2:-}" = failures ]; then
		awk '/^FAIL: / { show = 1; print; next }
			/^(PASS|TEST|SUMMARY): / { show = 0; next }
			show' "$1"
	else
		grep -v '^\(TEST\|SUMMARY\): ' "$1"
	fi
}

# progress I N NAME RESULT: one line for a finished boot.
progress() {
	local i=$1 n=$2 name=$3 res=$4 checks verdict
	checks=$(grep -c "^PASS: $name/" "$res")
	if grep -q "^PASS: $name\$" "$res"; then
		verdict="ok"
		[ "$checks" -gt 0 ] && verdict+=" ($checks check$([ "$checks" -eq 1 ] || echo s))"
	else
		verdict="FAIL$(grep -m1 "^FAIL: $name " "$res" | sed "s/^FAIL: $name//")"
	fi
	printf '[%*d/%d] %s ... %s\n' ${#n} "$i" "$n" "$name" "$verdict"
}

# The lines of a .list file that are boots, as "name|cmdline|modules|expect";
# GUEST_ONLY=REGEX keeps only the names it matches whole.
list_boots() {
	local name cmdline modules expect
	while IFS='|' read -r name cmdline modules expect; do
		name=$(trim "$name")
		[ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
		[ -n "${GUEST_ONLY:-}" ] && ! [[ $name =~ ^($GUEST_ONLY)$ ]] && continue
		echo "$name|$(trim "$cmdline")|$(trim "$modules")|$(trim "$expect")"
	done <"$1"
}

# run_boots LIST PREFIX RUNNER: every boot of LIST, TEST_JOBS (2) at a
# time, each by RUNNER NAME CMDLINE MODULES EXPECT writing
# $out/PREFIXNAME.txt and printing its progress line when done; then the
# failures' details, in list order.
run_boots() {
	local list=$1 prefix=$2 runner=$3 boots=() name cmdline modules expect
	local i=0 n jobs=0 line
	mapfile -t boots < <(list_boots "$list")
	n=${#boots[@]}
	for line in "${boots[@]}"; do
		IFS='|' read -r name cmdline modules expect <<<"$line"
		i=$((i + 1))
		{
			"$runner" "$name" "$cmdline" "$modules" "$expect"
			progress "$i" "$n" "$prefix$name" "$out/$prefix$name.txt"
		} &
		jobs=$((jobs + 1))
		if [ "$jobs" -ge "${TEST_JOBS:-2}" ]; then
			wait -n
			jobs=$((jobs - 1))
		fi
	done
	wait
	for line in "${boots[@]}"; do
		tally "$out/$prefix${line%%|*}.txt" failures
	done
}

# run_script NAME COMMAND...: a layer that is one script printing
# PASS/FAIL lines. A script that fails without a FAIL line still fails.
run_script() {
	local name=$1 res=$out/$1.txt rc
	shift
	"$@" >"$res" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$res"; then
		echo "FAIL: $name (exit status $rc)" >>"$res"
	fi
	tally "$res"
}

run_host() {
	local cflags="-std=c11 -g -O1 -fsanitize=address,undefined
		-fno-sanitize-recover=all -Wall -Wextra -Werror
		-Ilibsys/include -Ikernel -Iarch/i386"
	local srcs=(tests/host/test_*.c)
	begin_layer host "${#srcs[@]} files, ASan/UBSan"
	mkdir -p build/host
	for src in "${srcs[@]}"; do
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
		local input qemu_args
		input=$(guest_input "$expect")
		mapfile -t qemu_args < <(guest_qemu_args "$expect")
		if [ -n "$input" ]; then
			rm -f "$out/$name.in" && mkfifo "$out/$name.in"
			: >"$log"
			feed_input "$input" "$log" "$out/$name.in" &
		else
			ln -sf /dev/null "$out/$name.in"
		fi
		guest_boot "$log" "$cmdline" "$modules" "${GUEST_TIMEOUT:-30}" \
			"$out/$name.in" "${qemu_args[@]}"
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

# Build first, as a test of its own: a build failure is one FAIL line.
build_all() {
	local name=$1
	make -s all >"$out/$name.log" 2>&1 && return 0
	{ echo "FAIL: $name"; tail -n 30 "$out/$name.log" | sed 's/^/    /'; } >"$out/$name.txt"
	tally "$out/$name.txt"
	return 1
}

# A guest.list line with entry=int added: libsys enters by int 0x81.
run_guest_int_line() {
	run_guest_line "$1" "$2${2:+ entry=int}" "$3" "$4"
}

# The QEMU arguments the guest and sysenter layers add, for their headers.
guest_args_label() {
	echo "${GUEST_QEMU_ARGS:-"-smp 1"}"
}

run_guest() {
	local list=${GUEST_LIST:-tests/guest.list}
	begin_layer guest "$(list_boots "$list" | wc -l) QEMU boots, entry=int, $(guest_args_label)"
	build_all build || return
	run_boots "$list" "" run_guest_int_line
}

# A guest.list line again, through sysenter; ISO boots are skipped.
run_sysenter_line() {
	run_guest_line "sysenter-$1" "$2 entry=sysenter" "$3" "$4"
}

# On two CPUs, unless GUEST_QEMU_ARGS says otherwise.
run_sysenter() {
	local list=$out/sysenter.list
	local GUEST_QEMU_ARGS=${GUEST_QEMU_ARGS:-$(smp_args 2)}
	grep -v '| *iso ' "${GUEST_LIST:-tests/guest.list}" >"$list"
	begin_layer sysenter "$(list_boots "$list" | wc -l) QEMU boots, entry=sysenter, $(guest_args_label)"
	build_all sysenter-build || return
	run_boots "$list" sysenter- run_sysenter_line
}

# One Bochs boot, described by a bochs.list line; writes $out/NAME.txt.
run_bochs_line() {
	local name=$1 cmdline=$2 modules=$3 expect=$4
	local log=$out/bochs-$name.log res=$out/bochs-$name.txt status verdict
	if [ -n "$(guest_input "$expect")$(guest_qemu_args "$expect")" ]; then
		echo "FAIL: bochs-$name (input= and qemu= are not supported under Bochs)" >"$res"
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
	begin_layer bochs "$(list_boots tests/bochs.list | wc -l) Bochs boots"
	build_all bochs-build || return
	run_boots tests/bochs.list bochs- run_bochs_line
}

# The kernel must also build warning-free (-Werror) with clang + ld.lld,
# and that kernel must pass its self-tests.
run_clang() {
	begin_layer clang "clang + ld.lld build, ktest-self boot"
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

# Bochs and GDB, scripted, and the terminal Bochs session (tests/tools.sh).
run_tools() {
	begin_layer tools "tests/tools.sh: Bochs, GDB, GDB -smp 2, bochs-nox, docs"
	run_script tools tests/tools.sh
}

# The PS/2 keyboard, typed on through QEMU's monitor.
run_keyboard() {
	begin_layer keyboard "tests/keyboard.sh"
	run_script keyboard tests/keyboard.sh
}

# NMIs injected through QEMU's monitor, in user and kernel mode.
run_nmi() {
	begin_layer nmi "tests/nmi.sh"
	run_script nmi tests/nmi.sh
}

# A new user/*.c becomes a program without a Makefile edit.
run_fixture() {
	begin_layer fixture "tests/fixture.sh"
	run_script fixture tests/fixture.sh
}

# A short system-call fuzz under Bochs: a few thousand calls, from the
# ISO, headless. The QEMU one is guest.list's fuzz-short: 100,000 calls
# on one CPU in the guest layer, and on two in the sysenter layer. (SMP=
# is make fuzz's: Bochs boots one CPU.)
run_fuzz() {
	begin_layer fuzz "tests/fuzz.sh bochs, a short run; QEMU's is fuzz-short, -smp 1 and 2"
	SMP="" run_script fuzz tests/fuzz.sh bochs "${FUZZ_BOCHS_CALLS:-5000}" \
		"${FUZZ_SEED:-1}" "budget=500 stall=10000" 120
}

# The docs' tutorial program and exercise tests (tests/docs.sh).
run_docs() {
	begin_layer docs "tests/docs.sh"
	run_script docs tests/docs.sh
}

# make bench's tables (-smp 1 and -smp 2) must print, each the same on
# two runs, and every row be measured under both.
run_bench() {
	begin_layer bench "tests/bench.sh --check"
	run_script bench tests/bench.sh --check
}

# One layer, in its group.
run_layer() {
	"run_$1"
	end_layer
}

layers=(host guest sysenter bochs tools keyboard nmi fixture clang docs bench fuzz)
case $what in
all) ;;
*)
	if [[ " ${layers[*]} " != *" $what "* ]]; then
		echo "usage: tests/run.sh [$(echo "${layers[*]}" | tr ' ' '|')|all]" >&2
		exit 2
	fi
	layers=("$what")
	;;
esac
for l in "${layers[@]}"; do
	run_layer "$l"
done
if [ "${#layers[@]}" -gt 1 ]; then
	printf '%s\n' "${summary[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
