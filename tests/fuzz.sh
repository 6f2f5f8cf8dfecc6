#!/usr/bin/env bash
# The system-call fuzzer, booted with its driver (tests/guest/fuzz.c) as
# init, its children (fuzzer.c) and the bystander (fuzzby.c):
#   tests/fuzz.sh qemu CALLS SEED [EXTRA_ARGS] [TIMEOUT_S]   (make fuzz)
#   tests/fuzz.sh bochs CALLS SEED [EXTRA_ARGS] [TIMEOUT_S]  (make test)
# EXTRA_ARGS are more key=value driver options (budget=, par=, stall=,
# gap=, frac=, skip=). SMP=N boots QEMU with N CPUs (multi-threaded
# TCG; make fuzz SMP=2); GUEST_QEMU_ARGS (tests/lib.sh) are honoured
# too. Prints PASS/FAIL lines; the serial log is kept in build/fuzz/.
# Like every boot, it is judged from the log: a panic, a hang, a HALT, a
# missing SUMMARY or any FAIL line is a failure.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
emu=${1:-qemu} calls=${2:-1000000} seed=${3:-1} extra=${4:-}
out=build/fuzz
mkdir -p "$out"
cpus=""
if [ -n "${SMP:-}" ]; then
	[ "$emu" = qemu ] || { echo "FAIL: fuzz-$emu: SMP= is for QEMU (Bochs boots one CPU)"; exit 1; }
	GUEST_QEMU_ARGS=$(smp_args "$SMP")
	cpus=", -smp $SMP"
fi
log=$out/$emu${SMP:+-smp$SMP}-seed$seed.log
args="fuzz seed=$seed calls=$calls $extra"

report() { # status
	local why start=$SECONDS
	clean_log "$log" >"$log.tmp" && mv "$log.tmp" "$log"
	why=$(boot_failure "$log" "$1" suite)
	grep -a '^fuzz: [0-9]* calls in\|^fuzz: free pages before [0-9]*, after\|^fuzz: bystander status' "$log"
	grep -a '^\(PASS\|FAIL\): ' "$log" | sed "s#^\(PASS\|FAIL\): #\1: fuzz-$emu/#"
	if [ -z "$why" ]; then
		echo "PASS: fuzz-$emu ($calls calls, seed $seed$cpus, ${elapsed}s)"
	else
		echo "FAIL: fuzz-$emu seed $seed$cpus ($why)"
		echo "---- last lines of $log ----"
		tail -n 20 "$log" | sed 's/^/    /'
	fi
	: "$start"
}

start=$SECONDS
case $emu in
qemu)
	make -s "$BUILD/kernel.elf" "$BUILD/bin/fuzz" "$BUILD/bin/fuzzer" "$BUILD/bin/fuzzby" || exit 1
	guest_boot "$log" "test init=fuzz" "$args, fuzzer, fuzzby" "${5:-3600}" /dev/null
	status=$?
	;;
bochs)
	if ! command -v bochs >/dev/null; then
		echo "FAIL: fuzz-bochs: bochs not installed (run tools/deps.sh)"
		exit 1
	fi
	make -s "$BUILD/kernel.elf" "$BUILD/bin/fuzz" "$BUILD/bin/fuzzer" "$BUILD/bin/fuzzby" || exit 1
	iso=$out/fuzz.iso
	tools/mkiso.sh "$iso" "$BUILD/kernel.elf" "test init=fuzz" \
		"$BUILD/bin/${args}" "$BUILD/bin/fuzzer" "$BUILD/bin/fuzzby" >/dev/null || exit 1
	echo c >"$out/bochs.rc"
	rm -f "$log"
	DRAKE_ISO=$iso DRAKE_SERIAL=$log DRAKE_DISPLAY=term TERM=dumb \
		BXSHARE=${BXSHARE:-/usr/share/bochs} \
		VGABIOS=${VGABIOS:-/usr/share/vgabios/vgabios.bin} \
		timeout -s KILL "${5:-120}" bochs -q -f tools/bochsrc \
		-rc "$out/bochs.rc" </dev/null >"$out/bochs.out" 2>&1
	status=$?
	touch "$log"
	# Bochs' exit status carries no verdict: a clean shutdown (init
	# exited 0) looks like QEMU's debug-exit success, anything else
	# like a failure, and the log decides.
	if [ "$status" -eq 137 ]; then
		status=124
	elif clean_log "$log" | grep -aq '^init exited with status 0$'; then
		status=1
	else
		status=3
	fi
	;;
*)
	echo "usage: tests/fuzz.sh qemu|bochs CALLS SEED [ARGS] [TIMEOUT]" >&2
	exit 2
	;;
esac
elapsed=$((SECONDS - start))
report "$status"
