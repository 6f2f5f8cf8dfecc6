/*
 * More than one CPU (issue 14): tasks spread over every CPU, each CPU
 * preempts its own tasks, and a kill, an upcall, a request and a
 * returned message reach a task running in user mode on another CPU.
 * Every test also passes on one CPU, where it checks the same things
 * with nobody elsewhere; the guest suite runs it both ways.
 */
#include <drake/fmt.h>

#include "../check.h"

static uint32_t ncpus;

static int kid(const char *args)
{
	return sys_spawn("smpkid", args);
}

static int reap(int tid)
{
	int status = -99999;
	if (sys_wait(tid, &status))
		return -99999;
	return status;
}

static bool cpuinfo_is_sane(void)
{
	int cpu = sys_cpuinfo(&ncpus);
	CHECK(ncpus >= 1 && ncpus <= 8);
	CHECK(cpu >= 0 && (uint32_t)cpu < ncpus);
	printf("  %u CPUs, this task on CPU %d\n", ncpus, cpu);
	return true;
}

/* As many spinners as CPUs: between them they run on every CPU. */
static bool spinners_cover_every_cpu(void)
{
	int tids[8];
	uint32_t seen = 0;
	for (uint32_t i = 0; i < ncpus; i++)
		CHECK((tids[i] = kid("spin 200")) > 0);
	for (uint32_t i = 0; i < ncpus; i++)
		seen |= (uint32_t)reap(tids[i]) & 0xff;
	CHECK_EQ(seen, (1u << ncpus) - 1);
	return true;
}

/* More spinners than CPUs: each CPU's clock tick takes turns among its
 * own, so none waits long for its turn (a CPU that never preempted
 * would keep one waiting for a whole spin). */
static bool every_cpu_preempts(void)
{
	int tids[17];
	uint32_t n = 2 * ncpus + 1, worst = 0;
	for (uint32_t i = 0; i < n; i++)
		CHECK((tids[i] = kid("spin 600")) > 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t gap = (uint32_t)reap(tids[i]) >> 8;
		if (gap > worst)
			worst = gap;
	}
	printf("  %u spinners: the longest wait for a turn %u ms\n", n, worst);
	CHECK(worst < 300);
	return true;
}

/* After the spinners, every CPU shows work in CPUSTAT: ticks that found
 * a task running, and switches; the chain of indexes ends at the last. */
static bool cpustat_shows_every_cpu_working(void)
{
	struct drake_cpustat c;
	uint32_t seen = 0;
	int next = 0;
	do {
		next = sys_cpustat((uint32_t)next, &c);
		CHECK(next >= 0);
		CHECK(c.cpu < ncpus && !(seen & 1u << c.cpu));
		seen |= 1u << c.cpu;
		CHECK(c.ticks > 0 && c.switches > 0);
		CHECK(c.load >= 1 || c.running == 0);
	} while (next);
	CHECK_EQ(seen, (1u << ncpus) - 1);
	CHECK_EQ(sys_cpustat(ncpus, &c), -ESRCH);
	CHECK_EQ(sys_cpustat(0, (struct drake_cpustat *)8), -EFAULT);
	return true;
}

/* A task spinning in user mode on another CPU never enters the kernel
 * on its own: the kill reaches it by an IPI. */
static bool kill_reaches_another_cpu(void)
{
	int tid = kid("loop");
	CHECK(tid > 0);
	sys_sleep(30);
	CHECK_EQ(sys_kill(tid, SIGKILL), 0);
	CHECK_EQ(reap(tid), TASK_SIGNALED_STATUS(SIGKILL));
	return true;
}

/* Likewise an upcall: the signal's return is handed to the spinner's
 * CPU, which runs the handler on the task's way back to user mode. */
static bool upcall_reaches_another_cpu(void)
{
	int tid = kid("upcall");
	CHECK(tid > 0);
	sys_sleep(30);
	CHECK_EQ(sys_kill(tid, SIGUSR1), 0);
	CHECK_EQ(reap(tid), 1);
	return true;
}

/* Two writers on two CPUs: every WRITE is written whole (the log's
 * check in guest.list: no line mixes the two). */
static bool writes_stay_whole(void)
{
	int a = kid("write A 20"), b = kid("write B 20");
	CHECK(a > 0 && b > 0);
	CHECK_EQ(reap(a), 0);
	CHECK_EQ(reap(b), 0);
	return true;
}

/* Serve n requests of SMP_REQ from `client`: answer 3 * value + 1.
 * *cpus collects the CPUs this task served on. */
static bool serve(int svc, int client, int n, uint32_t *cpus)
{
	for (int i = 0; i < n; i++) {
		struct {
			struct drake_request req;
			uint32_t value;
		} r;
		uint32_t handle, from;
		CHECK_EQ(
		    svc_receive((uint32_t)svc, &r, sizeof(r), &handle, &from),
		    0);
		CHECK_EQ(from, (uint32_t)client);
		CHECK_EQ(svc_reply(handle, 0, 3 * r.value + 1, NULL, 0), 0);
		*cpus |= 1u << sys_cpuinfo(NULL);
	}
	return true;
}

/* A client and this task as its server: every request answered once,
 * rightly; with more than one CPU they do not share one CPU throughout
 * (a new task goes to the least loaded CPU), so requests and replies
 * are messages between CPUs. */
static bool requests_between_cpus(void)
{
	enum { N = 300 };
	char args[32];
	uint32_t mine = 0;
	int svc = svc_create(0);
	CHECK(svc > 0);
	fmt_snprintf(args, sizeof(args), "client %d %d", svc, N);
	int tid = kid(args);
	CHECK(tid > 0);
	CHECK(serve(svc, tid, N, &mine));
	uint32_t status = (uint32_t)reap(tid), theirs = status & 0xff;
	CHECK_EQ(status >> 8, 0);
	if (ncpus > 1)
		CHECK(__builtin_popcount(mine | theirs) >= 2);
	return true;
}

/* Replies from this CPU while their owner polls its port in user mode
 * on another: each returned once, the queue intact (the return is
 * handed to the owner's CPU; written from here, it would race the
 * owner's taking messages off the port). */
static bool returns_to_a_polling_task(void)
{
	enum { N = 48 };
	char args[32];
	int svc = svc_create(0);
	CHECK(svc > 0);
	fmt_snprintf(args, sizeof(args), "poll %d %d", svc, N);
	for (int round = 0; round < 20; round++) {
		int tid = kid(args);
		CHECK(tid > 0);
		uint32_t mine = 0;
		CHECK(serve(svc, tid, N, &mine));
		CHECK_EQ(reap(tid), 0);
	}
	return true;
}

int main(void)
{
	RUN(cpuinfo_is_sane);
	RUN(spinners_cover_every_cpu);
	RUN(every_cpu_preempts);
	RUN(cpustat_shows_every_cpu_working);
	RUN(kill_reaches_another_cpu);
	RUN(upcall_reaches_another_cpu);
	RUN(writes_stay_whole);
	RUN(requests_between_cpus);
	RUN(returns_to_a_polling_task);
	return check_summary();
}
