/*
 * Exercise childwatch (docs/exercises.md): a live message kind, CHILD:
 * sent once, returned each time one of the sender's children exits,
 * with result = that child's task id (low 32 bits) and its exit status
 * (high 32 bits). libsys' child_watch(fn) catches them like
 * signal_catch(): fn(tid, status, count) runs as an upcall per return.
 */
#include "../check.h"

static volatile int exits, last_tid, last_status;

static void on_child(uint32_t tid, int32_t status, uint32_t count)
{
	exits += (int)count;
	last_tid = (int)tid;
	last_status = status;
}

static bool one_return_per_exit(void)
{
	int h = child_watch(on_child);
	CHECK(h >= 0);
	int a = sys_spawn("exitcode", "3");
	CHECK(a > 0);
	while (exits < 1)
		sys_sleep(10);
	CHECK_EQ(last_tid, a);
	CHECK_EQ(last_status, 3);
	int b = sys_spawn("exitcode", "5");
	while (exits < 2)
		sys_sleep(10);
	CHECK_EQ(last_tid, b);
	CHECK_EQ(last_status, 5);
	CHECK_EQ(live_stop(h), 0);
	/* the children can still be collected */
	CHECK_EQ(sys_wait(a, NULL), 0);
	CHECK_EQ(sys_wait(b, NULL), 0);
	return true;
}

static bool stopped_means_no_more(void)
{
	int before = exits;
	int tid = sys_spawn("exitcode", "0");
	CHECK_EQ(sys_wait(tid, NULL), 0);
	sys_sleep(20);
	CHECK_EQ(exits, before);
	return true;
}

int main(void)
{
	RUN(one_return_per_exit);
	RUN(stopped_means_no_more);
	return check_summary();
}
