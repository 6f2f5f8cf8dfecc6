#!/usr/bin/env bash
# make stress: the guest suite again and again on several CPUs, to shake
# out the races a single run misses (issue 14). First every boot of
# tests/guest.list, STRESS_RUNS (20) times, under -smp 2 with the
# multi-threaded TCG; then the message- and scheduler-heavy boots
# (STRESS_SUBSET, names from guest.list) STRESS_RUNS times under -smp 4.
# Runs alternate tests/run.sh's guest layer (entry=int) and sysenter
# layer (entry=sysenter, no ISO boots); a line whose qemu= names its own
# -smp keeps it. Stops at the first failure and names the run, the
# failing boots and their serial logs. One boot at a time (STRESS_JOBS,
# run.sh's TEST_JOBS): a guest's CPUs need host cores, and a starved
# guest fails the tests that keep time (a fuzz child stalled, a late
# timer) for no fault of its own; the host's load is shown with a
# failure. Results: build/stress/smpN-RUN/ (run.sh's result files),
# smpN-RUN.txt (its output). Not in make test.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
runs=${STRESS_RUNS:-20}
subset=${STRESS_SUBSET:-"t_sched t_svc t_async t_upcall t_rundown t_live
	t_service t_service_storm t_hostile t_hostile-uaf t_hostile2
	t_hostile3 t_hostile4 t_smp t_batch t_iso_msg pingpong fuzz-short
	scale"}
out=build/stress
rm -rf "$out"
mkdir -p "$out"

# The guest.list lines named in STRESS_SUBSET, in the list's order; a
# name not in the list is an error (a typo would shrink the stress).
# shellcheck disable=SC2086,SC2116 # echo: the names on one line
awk -F'|' -v names=" $(echo $subset) " '
	{ n = $1; gsub(/[ \t]/, "", n) }
	n != "" && substr(n, 1, 1) != "#" && index(names, " " n " ") { print; seen[n] = 1 }
	END { split(names, a, " "); for (i in a) if (!(a[i] in seen)) { print "stress: no boot " a[i] " in tests/guest.list" > "/dev/stderr"; bad = 1 }
	      exit bad }' tests/guest.list >"$out/subset.list" || exit 2

# stress SMP LIST WHAT: STRESS_RUNS runs of LIST's boots on SMP CPUs,
# entry=int and entry=sysenter in turn; exits at the first failure.
stress() {
	local smp=$1 list=$2 what=$3 i layer res start
	for i in $(seq "$runs"); do
		layer=guest
		[ $((i % 2)) -eq 0 ] && layer=sysenter
		res=$out/smp$smp-$i
		start=$SECONDS
		if ! GUEST_QEMU_ARGS=$(smp_args "$smp") GUEST_LIST=$list TEST_RESULTS=$res \
			TEST_JOBS=${STRESS_JOBS:-1} tests/run.sh "$layer" >"$res.txt" 2>&1; then
			echo "stress: FAIL in run $i of $runs ($what, -smp $smp, $layer layer;" \
				"host load average $(cut -d' ' -f1-3 /proc/loadavg))"
			report "$res"
			exit 1
		fi
		echo "stress: run $i/$runs ($what, -smp $smp, $layer layer):" \
			"$(tail -1 "$res.txt") ($((SECONDS - start)) s)"
	done
}

# report RES: each failed boot of a run, with its serial log; the run's
# whole output when no boot failed (the build did).
report() {
	local res=$1 line name found=""
	while read -r line; do
		name=${line#*] }
		name=${name%% ...*}
		echo "  $name: FAIL${line#* ... FAIL}"
		echo "    log: $res/$name.log"
		found=1
	done < <(grep '^\[ *[0-9]*/[0-9]*\] .* \.\.\. FAIL' "$res.txt")
	[ -n "$found" ] || tail -n 20 "$res.txt" | sed 's/^/    /'
	echo "  the run's output: $res.txt"
}

stress 2 tests/guest.list "the guest suite"
stress 4 "$out/subset.list" "the stress subset"
echo "stress: $runs runs of the guest suite under -smp 2 and $runs of" \
	"$(wc -l <"$out/subset.list") stress boots under -smp 4: all passed"
