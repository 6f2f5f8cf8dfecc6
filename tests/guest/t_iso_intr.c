/*
 * Issue 10, upcalls interrupt synchronous calls (spec item 10): a task
 * blocked in a synchronous SLEEP, TICKS, WAIT or READ that is owed an
 * upcall runs it at once; the call then returns EINTR having consumed
 * nothing (a READ takes no input, a WAIT leaves the child), an
 * interrupted SLEEP answers the milliseconds it had left, and libsys
 * sys_sleep() sleeps on for them, keeping its deadline.
 */
#include "../check.h"
#include "iso.h"

static struct drake_port tport;
static struct msg_timer alarm;
static volatile uint64_t handled_at;

static void on_alarm(struct drake_port *p)
{
	port_take(p);
	handled_at = sys_uptime();
}

/* An upcall `ms` from now: a one-shot timer returned to an upcall port. */
static bool arm_alarm(uint32_t ms)
{
	handled_at = 0;
	port_init(&tport, PORT_UPCALL, on_alarm, 0);
	memset(&alarm, 0, sizeof(alarm));
	alarm.delay_ms = ms;
	CHECK_EQ(sys_send_async(&alarm, CMD_TIMER, sizeof(alarm), &tport),
		 EASYNC);
	return true;
}

static bool ticks_interrupted(void)
{
	struct msg_ticks t = {.ticks = 30};
	CHECK(arm_alarm(50));
	uint64_t t0 = sys_uptime();
	int err = sys_send(&t, CMD_TICKS, sizeof(t));
	uint64_t t1 = sys_uptime();
	CHECK(handled_at != 0);
	CHECK(handled_at - t0 < 200); /* not after the 300 ms were up */
	CHECK_EQ(err, EINTR);
	CHECK_EQ(t.hdr.error, EINTR);
	CHECK(t.hdr.flags & MSGF_DONE);
	CHECK(t1 - t0 < 200);
	return true;
}

static bool sleep_interrupted(void)
{
	struct msg_sleep s = {.ms = 300};
	CHECK(arm_alarm(50));
	uint64_t t0 = sys_uptime();
	int err = sys_send(&s, CMD_SLEEP, sizeof(s));
	uint64_t t1 = sys_uptime();
	CHECK(handled_at != 0);
	CHECK(handled_at - t0 < 200);
	CHECK_EQ(err, EINTR);
	CHECK_EQ(s.hdr.error, EINTR);
	CHECK(s.hdr.result >= 150 && s.hdr.result <= 300); /* ms left */
	CHECK(t1 - t0 < 200);
	return true;
}

static bool sys_sleep_keeps_deadline(void)
{
	CHECK(arm_alarm(50));
	uint64_t t0 = sys_uptime();
	CHECK_EQ(sys_sleep(300), 0);
	uint64_t t1 = sys_uptime();
	CHECK(handled_at != 0);
	CHECK(handled_at - t0 < 200); /* ran during the sleep */
	CHECK(t1 - t0 >= 300);	      /* which still lasted 300 ms */
	CHECK(t1 - t0 <= 340);
	return true;
}

/* WAIT for a child that spins for 300 ms: interrupted at ~50 ms, EINTR,
 * and the child is still there to be collected afterwards. */
static bool wait_interrupted(void)
{
	int child = sys_spawn("busy", "300");
	CHECK(child > 0);
	struct msg_wait w = {.tid = (uint32_t)child};
	CHECK(arm_alarm(50));
	uint64_t t0 = sys_uptime();
	int err = sys_send(&w, CMD_WAIT, sizeof(w));
	uint64_t t1 = sys_uptime();
	int status = -1, again = sys_wait(child, &status);
	CHECK(handled_at != 0);
	CHECK(handled_at - t0 < 200);
	CHECK_EQ(err, EINTR);
	CHECK(t1 - t0 < 200);
	CHECK_EQ(again, 0); /* the interrupted WAIT left the child */
	CHECK(status >= 0);
	return true;
}

/* A caught signal (from the parent) interrupts a child's synchronous
 * sleep the same way; the child checks itself (isokid intrsleep). */
static bool signal_interrupts_sleep(void)
{
	int status = -1;
	int child = sys_spawn("isokid", "intrsleep");
	CHECK(child > 0);
	sys_sleep(50);
	CHECK_EQ(sys_kill(child, SIGUSR1), 0);
	CHECK_EQ(sys_wait(child, &status), 0);
	CHECK_EQ(status, 0);
	child = sys_spawn("isokid", "intrsyssleep");
	CHECK(child > 0);
	sys_sleep(50);
	CHECK_EQ(sys_kill(child, SIGUSR1), 0);
	CHECK_EQ(sys_wait(child, &status), 0);
	CHECK_EQ(status, 0);
	return true;
}

/* A READ waiting for the rest of a line ("ab" typed, no newline) is
 * interrupted: EINTR, nothing taken; the next READ gets "abc\n". The
 * harness types "ab" and then "c\n" when told (guest.list). */
static bool read_interrupted(void)
{
	static char buf[16];
	memset(buf, '#', sizeof(buf));
	printf("intr: type ab\n");
	sys_sleep(700); /* the harness types "ab" meanwhile */
	struct msg_read r = {.buf = (drake_uaddr)buf, .len = 10};
	CHECK(arm_alarm(50));
	uint64_t t0 = sys_uptime();
	int err = sys_send(&r, CMD_READ, sizeof(r));
	uint64_t t1 = sys_uptime();
	CHECK(handled_at != 0);
	CHECK(handled_at - t0 < 200);
	CHECK_EQ(err, EINTR);
	CHECK(t1 - t0 < 200);
	CHECK_EQ(buf[0], '#'); /* nothing read */
	printf("intr: type c\n");
	long n = sys_read(buf, 10);
	CHECK_EQ(n, 4);
	CHECK_EQ(memcmp(buf, "abc\n", 4), 0);
	return true;
}

int main(void)
{
	RUN(ticks_interrupted);
	RUN(sleep_interrupted);
	RUN(sys_sleep_keeps_deadline);
	RUN(wait_interrupted);
	RUN(signal_interrupts_sleep);
	RUN(read_interrupted);
	return check_summary();
}
