/*
 * The system-call fuzzer's driver (make fuzz), run as init:
 *   fuzz seed=S calls=N [budget=B par=P stall=MS gap=MS frac=PCT skip=MASK]
 * records the free pages, starts the bystander (fuzzby) and keeps P fuzz
 * children (fuzzer) running, child k with seed S + k and a budget of B
 * calls, until N calls are accounted for. Then it stops the bystander,
 * waits until no other task is left, and checks: no child stalled (blocked
 * in the kernel past stall=MS; one still running then is only killed), the
 * bystander beat throughout and was never killed, every page came back.
 * SUMMARY comes only at the very end: a HALT, a panic or a dead init
 * leaves a log without one, and that is a failure.
 *
 * A child may be killed (a KILL of itself, an upcall into a bogus
 * handler, ...): it cannot report its calls then, so the driver counts
 * none of them (the total is a lower bound) and prints the child's seed
 * and status. Replay one child alone with `make fuzz FUZZ_SEED=<its seed>
 * FUZZ_CALLS=<budget> FUZZ_ARGS=par=1`. A child's calls depend only on
 * the PRNG, except which in-flight messages ABORT, REARM and waitsys pick
 * (those follow what the kernel answered), so a replay is exact up to
 * timing.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/sys.h>

#include "fuzzargs.h"

#include "../check.h"

/* --- the driver ------------------------------------------------------- */

#define PAR_MAX 8

static struct {
	uint32_t seed, calls, budget, par, stall_ms, gap_ms, frac, skip;
} opt = {1, 1000000, 2000, 2, 10000, 1000, 25, 0};

static struct {
	uint64_t counted; /* calls of children that exited cleanly */
	uint32_t children, clean, killed, stalled, bad_status;
	uint32_t bystander_early, bystander_status;
	uint64_t elapsed_ms;
	uint32_t free_before, free_after, leftover_tasks;
} res;

struct running {
	int tid;
	uint32_t seed, budget;
	uint64_t start;
};

/* The state of task tid, or -1 if there is none. */
static int task_state(uint32_t tid)
{
	struct drake_taskinfo info;
	uint32_t i = 0;
	int next;
	do {
		next = sys_taskinfo(i, &info);
		if (next < 0)
			return -1;
		if (info.tid == tid)
			return (int)info.state;
		i = (uint32_t)next;
	} while (next);
	return -1;
}

/* How many tasks other than the caller exist. */
static uint32_t other_tasks(int show)
{
	struct drake_taskinfo info;
	uint32_t i = 0, n = 0;
	int next;
	do {
		next = sys_taskinfo(i, &info);
		if (next < 0)
			break;
		if (info.tid != 1) {
			n++;
			if (show)
				printf("fuzz: task %u (%s) parent %u state %u "
				       "still there\n",
				       info.tid, info.name, info.parent,
				       info.state);
		}
		i = (uint32_t)next;
	} while (next);
	return n;
}

/* How a child that ran past the stall limit is judged: blocked in the
 * kernel all that time is a stall (a lost wake-up, say); running is its
 * own business (it can upcall into random bytes that loop). */
enum { REAP_DONE, REAP_STALLED, REAP_SPINNING };

static void reap(struct running *c, int how)
{
	int status = 0;
	sys_wait(c->tid, &status);
	res.children++;
	if (how == REAP_STALLED) {
		res.stalled++;
		printf("fuzz: child seed %u (task %d) STALLED: blocked for "
		       "%u ms\n",
		       c->seed, c->tid, opt.stall_ms);
	} else if (how == REAP_SPINNING) {
		res.killed++;
		printf("fuzz: child seed %u (task %d) still running after %u "
		       "ms: killed\n",
		       c->seed, c->tid, opt.stall_ms);
	} else if (status >= 0 && (uint32_t)status <= c->budget + 8) {
		res.clean++;
		res.counted += (uint32_t)status;
	} else if (status >= 0) {
		res.bad_status++;
		printf("fuzz: child seed %u exited with %d, budget %u\n",
		       c->seed, status, c->budget);
	} else {
		res.killed++;
		printf("fuzz: child seed %u (task %d) died, status %d\n",
		       c->seed, c->tid, status);
	}
	c->tid = 0;
}

static int driver(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		static const char *keys[] = {
		    "seed=",  "calls=", "budget=", "par=",
		    "stall=", "gap=",	"frac=",   "skip="};
		uint32_t *vals[] = {&opt.seed, &opt.calls,    &opt.budget,
				    &opt.par,  &opt.stall_ms, &opt.gap_ms,
				    &opt.frac, &opt.skip};
		for (int k = 0; k < 8; k++)
			if (!strncmp(a, keys[k], strlen(keys[k])))
				*vals[k] = parse_u32(a + strlen(keys[k]));
	}
	if (opt.par < 1 || opt.par > PAR_MAX)
		opt.par = 2;
	if (!opt.budget)
		opt.budget = 2000;
	printf("fuzz: seed=%u calls=%u budget=%u par=%u stall=%u gap=%u "
	       "frac=%u skip=0x%x\n",
	       opt.seed, opt.calls, opt.budget, opt.par, opt.stall_ms,
	       opt.gap_ms, opt.frac, opt.skip);
	if (opt.skip)
		printf("fuzz: WARNING: commands 0x%x skipped: exploration "
		       "only\n",
		       opt.skip);
	/* Warm up: the first task the kernel ever frees leaves kernel
	 * allocator pages behind that later ones reuse. */
	for (int i = 0; i < 2; i++) {
		int t = sys_spawn(i ? "fuzzby" : "fuzzer", "warm up");
		if (t > 0)
			sys_wait(t, NULL);
	}
	sys_meminfo(&res.free_before, NULL);
	printf("fuzz: free pages before: %u\n", res.free_before);

	char args[96];
	fmt_snprintf(args, sizeof(args), "beat %u", opt.gap_ms);
	int by = sys_spawn("fuzzby", args);
	if (by <= 0) {
		printf("fuzz: cannot start the bystander: %s\n", strerror(by));
		return 1;
	}
	uint64_t t0 = sys_uptime();
	struct running run[PAR_MAX] = {0};
	uint32_t next_seed = opt.seed, max_children = 0;
	uint64_t next_report = opt.calls / 10;
	/* Killed children count for nothing (most fuzz children die: they
	 * signal themselves and upcall into garbage): allow many more. */
	max_children = 16 * (opt.calls / opt.budget + 1) + 64;
	for (;;) {
		uint64_t outstanding = 0;
		int any = 0;
		for (uint32_t i = 0; i < opt.par; i++)
			if (run[i].tid) {
				outstanding += run[i].budget;
				any = 1;
			}
		for (uint32_t i = 0; i < opt.par; i++) {
			if (run[i].tid ||
			    res.counted + outstanding >= opt.calls ||
			    next_seed - opt.seed >= max_children)
				continue;
			uint32_t b =
			    opt.calls - (uint32_t)(res.counted + outstanding);
			if (b > opt.budget)
				b = opt.budget;
			fmt_snprintf(args, sizeof(args), "run %u %u %d %u",
				     next_seed, b, by, opt.skip);
			int tid = sys_spawn("fuzzer", args);
			if (tid <= 0) {
				printf("fuzz: cannot spawn a child: %s\n",
				       strerror(tid));
				break;
			}
			run[i] =
			    (struct running){tid, next_seed++, b, sys_uptime()};
			outstanding += b;
			any = 1;
		}
		if (!any)
			break;
		sys_sleep(10);
		uint64_t now = sys_uptime();
		for (uint32_t i = 0; i < opt.par; i++) {
			if (!run[i].tid)
				continue;
			int st = task_state((uint32_t)run[i].tid);
			if (st == TASK_STATE_ZOMBIE || st < 0)
				reap(&run[i], REAP_DONE);
			else if (now - run[i].start > opt.stall_ms) {
				sys_kill(run[i].tid, SIGKILL);
				reap(&run[i], st == TASK_STATE_BLOCKED
						  ? REAP_STALLED
						  : REAP_SPINNING);
			}
		}
		int bst = task_state((uint32_t)by);
		if (!res.bystander_early &&
		    (bst == TASK_STATE_ZOMBIE || bst < 0)) {
			res.bystander_early = 1;
			printf(
			    "fuzz: the bystander is gone after %u children\n",
			    res.children);
		}
		if (res.counted >= next_report) {
			printf(
			    "fuzz: %u calls so far, %u children (%u killed)\n",
			    (uint32_t)res.counted, res.children, res.killed);
			next_report += opt.calls / 10 ? opt.calls / 10 : 1;
		}
	}
	res.elapsed_ms = sys_uptime() - t0;

	/* Stop the bystander: it must still be there to be stopped. */
	int st = task_state((uint32_t)by);
	if (st == TASK_STATE_ZOMBIE || st < 0)
		res.bystander_early = 1;
	sys_kill(by, SIGTERM);
	int status = -1;
	sys_wait(by, &status);
	res.bystander_status = (uint32_t)status;

	/* Grandchildren orphaned by dead children finish by themselves. */
	for (int i = 0; i < 500 && other_tasks(0); i++)
		sys_sleep(10);
	res.leftover_tasks = other_tasks(1);
	sys_meminfo(&res.free_after, NULL);
	return 0;
}

static bool calls_reached(void)
{
	printf("fuzz: %u calls in %u children (%u exited, %u killed, %u "
	       "stalled), %u ms; next seed %u\n",
	       (uint32_t)res.counted, res.children, res.clean, res.killed,
	       res.stalled, (uint32_t)res.elapsed_ms, opt.seed + res.children);
	CHECK(res.counted >= opt.calls);
	return true;
}

static bool no_child_stalled(void)
{
	CHECK_EQ(res.stalled, 0);
	CHECK_EQ(res.bad_status, 0);
	return true;
}

static bool bystander_kept_beating(void)
{
	int status = (int)res.bystander_status;
	uint32_t want = (uint32_t)(res.elapsed_ms / 10 * opt.frac / 100);
	printf("fuzz: bystander status %d, want >= %u beats in %u ms\n", status,
	       want, (uint32_t)res.elapsed_ms);
	CHECK_EQ(res.bystander_early, 0);
	CHECK(status >= 0);
	CHECK((uint32_t)status >= want);
	return true;
}

static bool every_task_gone(void)
{
	CHECK_EQ(res.leftover_tasks, 0);
	return true;
}

static bool free_pages_restored(void)
{
	printf("fuzz: free pages before %u, after %u\n", res.free_before,
	       res.free_after);
	CHECK_EQ(res.free_after, res.free_before);
	return true;
}

int main(int argc, char **argv)
{
	if (sys_gettid() != 1)
		return 0; /* spawned by a fuzz child */
	if (driver(argc, argv))
		return 1;
	/* A fuzz child's WRITE may have left half a line. */
	printf("\n");
	RUN(calls_reached);
	RUN(no_child_stalled);
	RUN(bystander_kept_beating);
	RUN(every_task_gone);
	RUN(free_pages_restored);
	return check_summary();
}
