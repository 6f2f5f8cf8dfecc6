#!/usr/bin/env bash
# make scale: boot user/scale as init under QEMU -smp 1, then under
# -smp 2 with the multi-threaded TCG (a host thread per CPU), one after
# the other, and compare them: the time of two cpu-bound tasks (issue
# 14's goal: -smp 2 takes at most 0.6 of -smp 1's) and the ping-pong
# rate, with the CPUs each task ran on. The goal is reported, not
# enforced: until the kernel runs tasks on every CPU the ratio is about
# 1, and a busy host skews it (two CPUs need two idle host cores: the
# host's load is printed first). Fails if a boot fails or its lines are
# not there. SCALE_ARGS="N K" sets scale's spins and round trips.
# Logs: build/scale/smp1.log, smp2.log.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
unset GUEST_QEMU_ARGS # each boot says its own CPUs
out=$BUILD/scale
make -s all >/dev/null || exit 1
mkdir -p "$out"

# field LOG SED-REGEX: the \1 of the last line of LOG matching it.
field() {
	sed -n "s/$2/\1/p" "$1" | tail -1
}

# ratio A B: A / B to two places ("-" when B is 0).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

echo "host: $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)" \
	"(-smp 2 runs in parallel only on 2 idle cores)"
declare -A one two rate cpus1 cpus2 pp ncpus
for smp in 1 2; do
	log=$out/smp$smp.log
	read -ra args <<<"$(smp_args $smp)"
	# shellcheck disable=SC2086
	guest_boot "$log" "test init=scale" "scale${SCALE_ARGS:+ $SCALE_ARGS}" 120 \
		/dev/null "${args[@]}"
	status=$?
	clean_log "$log" >"$log.tmp" && mv "$log.tmp" "$log"
	why=$(boot_failure "$log" "$status" exit0)
	ncpus[$smp]=$(field "$log" '^scale: \([0-9]*\) cpus run tasks;.*')
	one[$smp]=$(field "$log" '^scale: 1 cpu-bound task: \([0-9]*\) ms .*')
	cpus1[$smp]=$(field "$log" '^scale: 1 cpu-bound task: .*(cpus \(.*\))$')
	two[$smp]=$(field "$log" '^scale: 2 cpu-bound tasks: \([0-9]*\) ms .*')
	cpus2[$smp]=$(field "$log" '^scale: 2 cpu-bound tasks: .*(cpus \(.*\))$')
	rate[$smp]=$(field "$log" '^scale: ping-pong: .*: \([0-9]*\) per s .*')
	pp[$smp]=$(field "$log" '^scale: ping-pong: .*(\(server cpus .*\))$')
	for v in "${ncpus[$smp]}" "${one[$smp]}" "${two[$smp]}" "${rate[$smp]}"; do
		[ -n "$v" ] || why=${why:-"scale's lines are missing"}
	done
	if [ -n "$why" ]; then
		echo "FAIL: scale -smp $smp: $why"
		tail -n 15 "$log" | sed 's/^/    /'
		exit 1
	fi
	echo "-smp $smp: ${ncpus[$smp]} cpus run tasks ($log)"
	printf '  %-19s %6s ms   cpus %s\n' "1 cpu-bound task" "${one[$smp]}" "${cpus1[$smp]}"
	printf '  %-19s %6s ms   cpus %s (%s x 1 task)\n' "2 cpu-bound tasks" \
		"${two[$smp]}" "${cpus2[$smp]}" "$(ratio "${two[$smp]}" "${one[$smp]}")"
	printf '  %-19s %6s /s   %s\n' "ping-pong" "${rate[$smp]}" "${pp[$smp]}"
done

cpu=$(ratio "${two[2]}" "${two[1]}")
goal=$(awk -v r="$cpu" 'BEGIN { print (r != "-" && r <= 0.6) ? "met" : "not met" }')
echo "1 cpu-bound task, time -smp 2 / -smp 1: $(ratio "${one[2]}" "${one[1]}")"
echo "2 cpu-bound tasks, time -smp 2 / -smp 1: $cpu (goal <= 0.60: $goal)"
echo "ping-pong rate, -smp 2 / -smp 1: $(ratio "${rate[2]}" "${rate[1]}")"
if [ "${ncpus[2]}" -lt 2 ]; then
	echo "note: under -smp 2 the kernel ran tasks on ${ncpus[2]} CPU: no speed-up is possible yet"
fi
