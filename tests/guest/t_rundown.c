/*
 * Nothing lost, nothing leaked: tasks that exit or are killed with
 * messages in flight give every page back, and many tasks with many
 * messages in flight at once all complete correctly.
 */
#include "../check.h"

static bool leaves_nothing(const char *args, int want_status)
{
	uint32_t before, after;
	int status = 0;
	CHECK_EQ(sys_wait(sys_spawn("inflight", args), NULL), 0);
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	CHECK_EQ(sys_wait(sys_spawn("inflight", args), &status), 0);
	CHECK_EQ(status, want_status);
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

static bool killed_with_50_in_flight(void)
{
	return leaves_nothing("50 crash", TASK_KILLED_STATUS(14));
}

static bool exit_with_64_in_flight(void)
{
	return leaves_nothing("64 exit", 0);
}

static bool ten_tasks_twenty_messages(void)
{
	enum { TASKS = 10 };
	int tids[TASKS];
	uint32_t before, after;
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	for (int i = 0; i < TASKS; i++)
		CHECK((tids[i] = sys_spawn("asyncwork", "20")) > 0);
	for (int i = 0; i < TASKS; i++) {
		int status = -1;
		CHECK_EQ(sys_wait(tids[i], &status), 0);
		CHECK_EQ(status, 0);
	}
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

int main(void)
{
	RUN(killed_with_50_in_flight);
	RUN(exit_with_64_in_flight);
	RUN(ten_tasks_twenty_messages);
	return check_summary();
}
