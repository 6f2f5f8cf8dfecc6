/*
 * Hostile review 4: the SMP kernel (issue 14). Every test here makes
 * two CPUs act on the same task at once: a kill or a return from one
 * CPU against a task that runs, or waits for the kernel lock, on the
 * other. `t_hostile4 MODE ARG` is a child with one part in a test; its
 * exit status says what it saw. Each test also runs on one CPU, where
 * it checks the same promise with nobody elsewhere.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/svc.h>

#include "../check.h"

static uint32_t ncpus;

static int kid(const char *mode, uint32_t arg)
{
	char args[48];
	fmt_snprintf(args, sizeof(args), "%s %u", mode, arg);
	return sys_spawn("t_hostile4", args);
}

static int reap(int tid)
{
	int status = -99999;
	if (sys_wait(tid, &status))
		return -99999;
	return status;
}

/* Spin in user mode, no system call, until the clock reaches `tick_ms`
 * (a multiple of 10: the moment the tick changes, which every CPU sees
 * at once), then `extra` more iterations. */
static void spin_until(uint64_t tick_ms, uint32_t extra)
{
	while (sys_uptime() < tick_ms)
		;
	for (volatile uint32_t i = 0; i < extra; i++)
		;
}

/*
 * abi.md, KILL: 0 means the task was alive and is now terminated with
 * TASK_SIGNALED_STATUS(signo); SIGKILL "always terminates". A child
 * that calls EXIT(42) while its parent kills it ends one way or the
 * other: either EXIT came first and KILL answers ESRCH (a zombie), or
 * KILL came first and the child dies of SIGKILL. A kill that reached
 * the child only as an IPI while the child waited for the kernel lock
 * with its EXIT in hand let the EXIT run after KILL had answered 0: the
 * child exited 42 although KILL said it was terminated. Any system call
 * could run there (a SPAWN, a WRITE), one more after the kill.
 */
static bool kill_beats_a_call_waiting_for_the_lock(void)
{
	enum { ROUNDS = 120 };
	uint32_t killed = 0, exited = 0, late = 0;
	for (uint32_t r = 0; r < ROUNDS; r++) {
		uint64_t at = (sys_uptime() / 10 + 3) * 10;
		/* the child's EXIT comes a little after the tick, by an
		 * amount that sweeps the kill's time in the kernel */
		char args[48];
		fmt_snprintf(args, sizeof(args), "exitat %u %u", (uint32_t)at,
			     (r * 37) % 4000);
		int tid = sys_spawn("t_hostile4", args);
		CHECK(tid > 0);
		spin_until(at, 0);
		int k = sys_kill(tid, SIGKILL);
		int status = reap(tid);
		if (k == 0 && status == TASK_SIGNALED_STATUS(SIGKILL))
			killed++;
		else if (k == -ESRCH && status == 42)
			exited++;
		else {
			if (!late)
				printf("  round %u: KILL answered %d, then the "
				       "child exited with %d\n",
				       r, k, status);
			late++;
		}
	}
	printf("  %u rounds: %u killed, %u exited first, %u ran a call "
	       "after KILL answered 0\n",
	       ROUNDS, killed, exited, late);
	CHECK_EQ(late, 0);
	return true;
}

/*
 * BRK zeroes the pages it maps one at a time, with a preemption point
 * between pages (task.c task_brk) where other CPUs get the kernel lock
 * and where the task learns that it was killed. It ignored that: a
 * task killed 1 MiB into a 32 MiB BRK mapped and zeroed all 32 MiB,
 * holding 8192 pages and its CPU, before it died. The parent watches
 * the free page count from the kill until the child is a zombie: it
 * must not fall by more than a few pages after the kill.
 */
static bool kill_stops_a_long_brk(void)
{
	uint32_t start, now, at_kill, lowest;
	CHECK_EQ(sys_meminfo(&start, NULL), 0);
	int tid = kid("brk", 32u << 20);
	CHECK(tid > 0);
	uint64_t t0 = sys_uptime();
	do {
		CHECK_EQ(sys_meminfo(&now, NULL), 0);
		CHECK(sys_uptime() - t0 < 5000);
	} while (start - now < 256); /* 1 MiB in: the BRK is under way */
	CHECK_EQ(sys_kill(tid, SIGKILL), 0);
	CHECK_EQ(sys_meminfo(&at_kill, NULL), 0);
	lowest = at_kill;
	struct drake_taskinfo info;
	do {
		CHECK_EQ(sys_meminfo(&now, NULL), 0);
		if (now < lowest)
			lowest = now;
		CHECK_EQ(task_info(tid, &info), 0);
	} while (info.state != TASK_STATE_ZOMBIE);
	CHECK_EQ(reap(tid), TASK_SIGNALED_STATUS(SIGKILL));
	printf("  %u pages mapped when killed, %u more after the kill\n",
	       start - at_kill, at_kill - lowest);
	CHECK(at_kill - lowest < 64);
	CHECK_EQ(sys_meminfo(&now, NULL), 0);
	CHECK(now + 16 >= start); /* all given back */
	return true;
}

/* ---- children ---------------------------------------------------- */

static int child(const char *mode, uint32_t a, uint32_t b)
{
	if (!strcmp(mode, "exitat")) {
		spin_until(a, b);
		sys_exit(42);
	}
	if (!strcmp(mode, "brk")) {
		uint32_t now;
		sys_brk(0, &now);
		sys_brk(now + a, &now);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc > 2)
		return child(argv[1], (uint32_t)atoi(argv[2]),
			     argc > 3 ? (uint32_t)atoi(argv[3]) : 0);
	sys_cpuinfo(&ncpus);
	printf("hostile4: %u CPUs\n", ncpus);
	RUN(kill_beats_a_call_waiting_for_the_lock);
	RUN(kill_stops_a_long_brk);
	return check_summary();
}
