/* Preemption, per-task FPU state, and task churn that leaks nothing. */
#include "../check.h"

/* Two tasks that never yield both start before either could finish:
 * only preemption allows that on one CPU. */
static bool preemption_interleaves(void)
{
	int a = sys_spawn("busy", "80"), b = sys_spawn("busy", "80");
	int sa = 0, sb = 0;
	CHECK(a > 0 && b > 0);
	CHECK_EQ(sys_wait(a, &sa), 0);
	CHECK_EQ(sys_wait(b, &sb), 0);
	CHECK(sb - sa < 80 && sa - sb < 80);
	return true;
}

static bool fpu_state_is_per_task(void)
{
	int a = sys_spawn("fpu", "1500"), b = sys_spawn("fpu", "2250");
	double mine = 3.75, out;
	__asm__ volatile("fldl %0" : : "m"(mine));
	sys_sleep(80);
	__asm__ volatile("fstpl %0" : "=m"(out));
	int sa = -1, sb = -1;
	CHECK_EQ(sys_wait(a, &sa), 0);
	CHECK_EQ(sys_wait(b, &sb), 0);
	CHECK_EQ(sa, 0);
	CHECK_EQ(sb, 0);
	CHECK(out == mine);
	return true;
}

static bool hundred_tasks_leak_nothing(void)
{
	uint32_t before, after;
	CHECK_EQ(sys_wait(sys_spawn("exitcode", "0"), NULL), 0);
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	for (int i = 0; i < 100; i++) {
		int status = -1;
		int tid = sys_spawn("exitcode", "7");
		CHECK(tid > 0);
		CHECK_EQ(sys_wait(tid, &status), 0);
		CHECK_EQ(status, 7);
	}
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

static bool concurrent_tasks_leak_nothing(void)
{
	enum { N = TASK_CHILDREN_MAX };
	int tids[N];
	uint32_t before, after;
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	for (int i = 0; i < N; i++)
		CHECK((tids[i] = sys_spawn("busy", "5")) > 0);
	for (int i = N - 1; i >= 0; i--)
		CHECK_EQ(sys_wait(tids[i], NULL), 0);
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

int main(void)
{
	RUN(preemption_interleaves);
	RUN(fpu_state_is_per_task);
	RUN(hundred_tasks_leak_nothing);
	RUN(concurrent_tasks_leak_nothing);
	return check_summary();
}
