/*
 * Helpers shared by the issue-10 isolation tests (t_iso_*.c) and their
 * helper program (isokid.c): clock ticks, the TSC as a clock the kernel
 * cannot stop, and looking at other tasks through TASKINFO.
 */
#ifndef DRAKE_ISO_H
#define DRAKE_ISO_H

#include <drake/string.h>
#include <drake/sys.h>

/* The clock tick now (a synchronous TICKS 0 completes at once). */
static inline uint64_t iso_tick(void)
{
	struct msg_ticks t = {.ticks = 0};
	sys_send(&t, CMD_TICKS, sizeof(t));
	return t.hdr.result;
}

/* The CPU's time-stamp counter: it keeps counting while the kernel
 * holds interrupts off, so it can tell whether UPTIME kept pace. */
static inline uint64_t iso_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* TSC counts per millisecond of uptime, measured over an idle sleep. */
static inline uint64_t iso_tsc_per_ms(void)
{
	uint64_t u0 = sys_uptime(), c0 = iso_rdtsc();
	sys_sleep(200);
	uint64_t u1 = sys_uptime(), c1 = iso_rdtsc();
	return (c1 - c0) / (u1 > u0 ? u1 - u0 : 1);
}

/* TASKINFO for task `tid`: true if it exists. */
static inline bool iso_taskinfo(uint32_t tid, struct drake_taskinfo *out)
{
	uint32_t i = 0;
	for (;;) {
		int next = sys_taskinfo(i, out);
		if (next < 0)
			return false;
		if (out->tid == tid)
			return true;
		if (next == 0)
			return false;
		i = (uint32_t)next;
	}
}

/* How many tasks TASKINFO lists. */
static inline uint32_t iso_task_count(void)
{
	struct drake_taskinfo t;
	uint32_t i = 0, n = 0;
	for (;;) {
		int next = sys_taskinfo(i, &t);
		if (next < 0)
			return n;
		n++;
		if (next == 0)
			return n;
		i = (uint32_t)next;
	}
}

/* Wait (up to `ms`) until task tid is blocked with at least `live` live
 * and `inflight` ordinary messages: it has done its setup. */
static inline bool iso_wait_settled(uint32_t tid, uint32_t live,
				    uint32_t inflight, uint32_t ms)
{
	struct drake_taskinfo t;
	uint64_t end = sys_uptime() + ms;
	while (sys_uptime() < end) {
		if (!iso_taskinfo(tid, &t))
			return false;
		if (t.state == TASK_STATE_BLOCKED && t.live >= live &&
		    t.inflight >= inflight)
			return true;
		sys_sleep(10);
	}
	return false;
}

/*
 * SIGKILL a child and collect it, once it is blocked (or gone): today's
 * kernel loses a KILL sent to a task that is ready but has not yet
 * blocked in the synchronous call it is about to make.
 */
static inline void iso_kill_wait(int tid)
{
	struct drake_taskinfo t;
	uint64_t end = sys_uptime() + 2000;
	while (sys_uptime() < end && iso_taskinfo((uint32_t)tid, &t) &&
	       t.state != TASK_STATE_BLOCKED && t.state != TASK_STATE_ZOMBIE)
		sys_sleep(10);
	sys_kill(tid, SIGKILL);
	sys_wait(tid, NULL);
}

/* The first task whose parent is `parent`, or 0. */
static inline uint32_t iso_child_of(uint32_t parent)
{
	struct drake_taskinfo t;
	uint32_t i = 0;
	for (;;) {
		int next = sys_taskinfo(i, &t);
		if (next < 0)
			return 0;
		if (t.parent == parent && t.state != TASK_STATE_ZOMBIE)
			return t.tid;
		if (next == 0)
			return 0;
		i = (uint32_t)next;
	}
}

#endif
