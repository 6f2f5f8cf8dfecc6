/* Each synchronous service returns its documented result. */
#include "../check.h"

static bool write_returns_bytes(void)
{
	CHECK_EQ(sys_write("written\n", 8), 8);
	CHECK_EQ(sys_write("", 0), 0);
	return true;
}

static bool task_ids(void)
{
	CHECK_EQ(sys_gettid(), 1); /* init is the first task */
	int a = sys_spawn("exitcode", "0"), b = sys_spawn("exitcode", "0");
	CHECK(a > 1 && b > a);
	CHECK_EQ(sys_wait(a, NULL), 0);
	CHECK_EQ(sys_wait(b, NULL), 0);
	return true;
}

static bool exit_status_through_wait(void)
{
	int status = 0;
	CHECK_EQ(sys_wait(sys_spawn("exitcode", "37"), &status), 0);
	CHECK_EQ(status, 37);
	CHECK_EQ(sys_wait(sys_spawn("exitcode", "-5"), &status), 0);
	CHECK_EQ(status, -5);
	return true;
}

static bool wait_errors(void)
{
	CHECK_EQ(sys_wait(999, NULL), -ESRCH);
	CHECK_EQ(sys_wait(sys_gettid(), NULL), -ECHILD);
	int tid = sys_spawn("exitcode", "1");
	CHECK_EQ(sys_wait(tid, NULL), 0);
	CHECK_EQ(sys_wait(tid, NULL), -ESRCH); /* already collected */
	return true;
}

static bool uptime_and_sleep(void)
{
	uint64_t t0 = sys_uptime();
	CHECK_EQ(sys_sleep(50), 0);
	uint64_t t1 = sys_uptime();
	CHECK(t1 >= t0 + 50); /* a sleep never ends early */
	CHECK_EQ(t1 % 10, 0); /* 100 Hz clock */
	return true;
}

/* A child that spins for 30 ms without yielding finishes while its
 * parent sleeps for 100: the sleep blocked only the parent. */
static bool sleep_blocks_only_caller(void)
{
	int end = 0;
	int tid = sys_spawn("busy", "30 end");
	CHECK(tid > 0);
	uint64_t t0 = sys_uptime();
	CHECK_EQ(sys_sleep(100), 0);
	uint64_t t1 = sys_uptime();
	CHECK_EQ(sys_wait(tid, &end), 0);
	CHECK(t1 >= t0 + 100);
	CHECK(end > 0 && (uint64_t)end <= t1);
	return true;
}

/* The services that can be queued block a synchronous sender. */
static bool sync_ticks_blocks(void)
{
	struct msg_ticks now = {.ticks = 0}, later = {.ticks = 3};
	CHECK_EQ(sys_send(&now, CMD_TICKS, sizeof(now)), 0);
	CHECK_EQ(sys_send(&later, CMD_TICKS, sizeof(later)), 0);
	CHECK(later.hdr.flags & MSGF_DONE);
	CHECK(later.hdr.result >= now.hdr.result + 3);
	CHECK(sys_uptime() >= (now.hdr.result + 3) * 10);
	return true;
}

static bool yield_returns(void)
{
	struct drake_msg m;
	CHECK_EQ(sys_send(&m, CMD_YIELD, sizeof(m)), 0);
	CHECK(m.flags & MSGF_DONE);
	CHECK_EQ(m.error, 0);
	return true;
}

static bool meminfo_counts(void)
{
	uint32_t free = 0, total = 0;
	CHECK_EQ(sys_meminfo(&free, &total), 0);
	CHECK(free > 1000 && total > free);
	int tid = sys_spawn("busy", "20");
	uint32_t during;
	CHECK_EQ(sys_meminfo(&during, NULL), 0);
	CHECK(during < free); /* the child's pages are in use */
	CHECK_EQ(sys_wait(tid, NULL), 0);
	return true;
}

int main(void)
{
	RUN(write_returns_bytes);
	RUN(task_ids);
	RUN(exit_status_through_wait);
	RUN(wait_errors);
	RUN(uptime_and_sleep);
	RUN(sleep_blocks_only_caller);
	RUN(sync_ticks_blocks);
	RUN(yield_returns);
	RUN(meminfo_counts);
	return check_summary();
}
