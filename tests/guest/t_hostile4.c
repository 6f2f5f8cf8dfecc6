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

/* Wait until task tid has `live` live messages in flight (it is ready
 * for what the test sends it). */
static bool wait_live(int tid, uint32_t live)
{
	struct drake_taskinfo info;
	uint64_t t0 = sys_uptime();
	do {
		CHECK_EQ(task_info(tid, &info), 0);
		CHECK(sys_uptime() - t0 < 5000);
	} while (info.live < live);
	return true;
}

/*
 * Many signals to a task that spins in user mode on another CPU and
 * catches them by upcall: each return of its live SIGNAL message is
 * handed to its CPU (kmsg_hand_over), which pushes it and runs the
 * handler there; the events counted while the message is held come
 * back in the next return. Every signal is counted once: none lost in
 * a hand-over, none returned twice.
 */
static bool signals_to_a_spinning_task_counted_once(void)
{
	enum { N = 300 };
	int tid = kid("catch", N);
	CHECK(tid > 0);
	CHECK(wait_live(tid, 1));
	for (int i = 0; i < N; i++)
		CHECK_EQ(sys_kill(tid, SIGUSR1), 0);
	CHECK_EQ(reap(tid), N);
	return true;
}

/*
 * Replies to a client that polls its reply port in user mode on another
 * CPU are handed to that CPU; the same batch then kills the client, so
 * some returns are still on its `returns` list when it dies, and its
 * exit frees them (kmsg_rundown) while the server answers the rest:
 * each reply answers 0 (returned or handed over) or ECANCELED (the
 * client gone), the client dies of the kill, and the kernel lives.
 */
static bool kill_with_returns_handed_over(void)
{
	enum { N = 32, ROUNDS = 15 };
	static struct msg_reply replies[N];
	static struct msg_kill kill;
	static struct drake_batch_entry e[N + 1];
	int svc = svc_create(0);
	CHECK(svc > 0);
	uint32_t answered = 0, cancelled = 0;
	for (int round = 0; round < ROUNDS; round++) {
		int tid = kid("pollspin", (uint32_t)svc);
		CHECK(tid > 0);
		for (int i = 0; i < N; i++) {
			uint8_t buf[64];
			uint32_t handle, from;
			CHECK_EQ(svc_receive((uint32_t)svc, buf, sizeof(buf),
					     &handle, &from),
				 0);
			CHECK_EQ(from, (uint32_t)tid);
			msg_init(&replies[i], CMD_REPLY, sizeof(replies[i]), 0,
				 NULL);
			replies[i].handle = handle;
			replies[i].result = 7;
			e[i] = (struct drake_batch_entry){
			    (drake_uaddr)&sys_port, (drake_uaddr)&replies[i],
			    sizeof(replies[i]), 0, 0};
		}
		msg_init(&kill, CMD_KILL, sizeof(kill), 0, NULL);
		kill.tid = (uint32_t)tid;
		kill.signo = SIGKILL;
		/* the kill goes in the middle: returns before and after it */
		struct drake_batch_entry k = {(drake_uaddr)&sys_port,
					      (drake_uaddr)&kill, sizeof(kill),
					      0, 0};
		e[N] = e[N / 2];
		e[N / 2] = k;
		CHECK_EQ(sys_batch(e, N + 1), N + 1);
		for (int i = 0; i <= N; i++) {
			if (i == N / 2) {
				CHECK_EQ(e[i].error, 0);
				continue;
			}
			CHECK(e[i].error == 0 || e[i].error == ECANCELED);
			if (e[i].error)
				cancelled++;
			else
				answered++;
		}
		CHECK_EQ(reap(tid), TASK_SIGNALED_STATUS(SIGKILL));
	}
	printf("  %u replies returned or handed over, %u to a client gone\n",
	       answered, cancelled);
	return true;
}

/*
 * A synchronous request's kmsg lives on its client's kernel stack. The
 * server copies an 8 MiB grant from it in 128-byte chunks, letting the
 * other CPUs in between; meanwhile the client is killed (by a task of
 * its own, K, as only ancestors may kill) on another CPU and exits, its
 * stack freed. COPY notices at its next chunk (the open request is gone)
 * and answers ECANCELED without touching the client again, and a REPLY
 * to the handle answers ECANCELED too.
 */
static bool copy_from_a_client_killed_meanwhile(void)
{
	enum { LEN = 8u << 20 };
	uint8_t *buf = malloc(LEN);
	CHECK(buf);
	int svc = svc_create(0);
	CHECK(svc > 0);
	int k = kid("killer", (uint32_t)svc);
	CHECK(k > 0);
	uint8_t req[64];
	uint32_t handle, from;
	CHECK_EQ(svc_receive((uint32_t)svc, req, sizeof(req), &handle, &from),
		 0);
	CHECK_EQ(from, (uint32_t)k + 1); /* K's child */
	uint64_t t0 = sys_uptime();
	long got = svc_copy(handle, COPY_FROM_CLIENT, 0, buf, LEN);
	printf("  COPY of 8 MiB: %ld after %u ms\n", got,
	       (uint32_t)(sys_uptime() - t0));
	CHECK_EQ(got, -ECANCELED);
	CHECK_EQ(svc_reply(handle, 0, 0, NULL, 0), -ECANCELED);
	CHECK_EQ(reap(k), 0);
	free(buf);
	return true;
}

/* ---- children ---------------------------------------------------- */

static volatile uint32_t caught;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)bits;
	(void)addr;
	(void)sender;
	caught += count;
}

/* Send 32 async requests to svc on a queue port, then poll it in user
 * mode forever: it never leaves user mode on its own. */
static int pollspin(uint32_t svc)
{
	enum { N = 32 };
	static struct drake_request reqs[N];
	struct drake_svcport sp;
	struct drake_port port;
	svc_port_init(&sp, svc);
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (int i = 0; i < N; i++)
		if (svc_call_async(&sp, &reqs[i], 1, sizeof(reqs[i]), &port) !=
		    EASYNC)
			return 1;
	for (volatile uint32_t got = 0;;)
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m))
			got++;
}

/* A client blocked in an 8 MiB granted request, killed a moment later. */
static int killer(uint32_t svc)
{
	char args[32];
	fmt_snprintf(args, sizeof(args), "bigclient %u", svc);
	int c = sys_spawn("t_hostile4", args);
	if (c < 0)
		return 1;
	struct drake_taskinfo info;
	do /* until it waits in its request */
		if (task_info(c, &info))
			return 4;
	while (info.state != TASK_STATE_BLOCKED);
	if (sys_kill(c, SIGKILL))
		return 2;
	return reap(c) == TASK_SIGNALED_STATUS(SIGKILL) ? 0 : 3;
}

static int bigclient(uint32_t svc)
{
	enum { LEN = 8u << 20 };
	uint8_t *grant = malloc(LEN);
	if (!grant)
		return 1;
	struct drake_svcport sp;
	struct drake_request r;
	svc_port_init(&sp, svc);
	memset(&r, 0, sizeof(r));
	svc_grant(&r, grant, LEN, GRANT_READ);
	svc_call(&sp, &r, 1, sizeof(r));
	return 4; /* answered: the kill came too late */
}

static int child(const char *mode, uint32_t a, uint32_t b)
{
	if (!strcmp(mode, "exitat")) {
		spin_until(a, b);
		sys_exit(42);
	}
	if (!strcmp(mode, "catch")) {
		if (signal_catch(SIGBIT(SIGUSR1), on_usr1) < 0)
			return -1;
		while (caught < a)
			;
		return (int)caught;
	}
	if (!strcmp(mode, "pollspin"))
		return pollspin(a);
	if (!strcmp(mode, "killer"))
		return killer(a);
	if (!strcmp(mode, "bigclient"))
		return bigclient(a);
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
	RUN(signals_to_a_spinning_task_counted_once);
	RUN(kill_with_returns_handed_over);
	RUN(copy_from_a_client_killed_meanwhile);
	return check_summary();
}
