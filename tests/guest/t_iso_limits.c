/*
 * Issue 10, limits (spec "Limits" and item 9): every per-task and
 * system-wide cap is hit and answers its documented error, with a
 * refused message left untouched: MSG_INFLIGHT_MAX asynchronous
 * messages, MSG_LIVE_MAX live ones, PORT_MAX reply ports,
 * TASK_CHILDREN_MAX children (zombies count), TASK_MAX tasks with the
 * last TASK_RESERVED_INIT for init; and a BRK that runs out of memory
 * gives back every page it mapped.
 */
#include <drake/fmt.h>

#include "../check.h"
#include "iso.h"

static struct drake_port port;

/* Send hand-made asynchronous `msg`, expecting `want` and, when that is
 * a refusal, not one byte of the message written. */
static bool send_refused(void *msg, uint16_t cmd, uint32_t size, uint16_t flags,
			 struct drake_port *reply, int want)
{
	static uint8_t before[MSG_MAX_SIZE];
	struct drake_msg *h = msg;
	h->cmd = cmd;
	h->flags = flags | MSGF_ASYNC | MSGF_DONE;
	h->error = 0x5a5a5a5a;
	h->result = 0x1122334455667788ull;
	h->reply = (drake_uaddr)reply;
	h->size = size;
	h->count = 0x77777777;
	h->link = 0x66666666;
	memcpy(before, msg, size);
	int err = sendsys(&sys_port, msg, size);
	if (err == EASYNC)
		sys_abort(msg);
	CHECK_EQ(err, want);
	CHECK_EQ(memcmp(before, msg, size), 0);
	return true;
}

static struct msg_sleep sleeps[MSG_INFLIGHT_MAX + 1];

/* 64 asynchronous messages in flight; the 65th is EAGAIN, untouched; a
 * synchronous call still works (it is not counted). */
static bool inflight_max(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++) {
		sleeps[i].ms = 3600000;
		CHECK_EQ(sys_send_async(&sleeps[i], CMD_SLEEP,
					sizeof(sleeps[i]), &port),
			 EASYNC);
	}
	sleeps[MSG_INFLIGHT_MAX].ms = 10;
	bool ok = send_refused(&sleeps[MSG_INFLIGHT_MAX], CMD_SLEEP,
			       sizeof(sleeps[0]), 0, &port, EAGAIN);
	int slept = sys_sleep(10);
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++)
		sys_abort(&sleeps[i]);
	port_take(&port);
	CHECK(ok);
	CHECK_EQ(slept, 0);
	return true;
}

static struct msg_timer timers[MSG_LIVE_MAX + 1];

/* 1,024 live messages; the 1,025th is EAGAIN, untouched; ordinary
 * messages have their own cap. */
static bool live_max(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	unsigned sent = 0;
	for (; sent < MSG_LIVE_MAX; sent++) {
		timers[sent].period_ms = 3600000;
		timers[sent].hdr.flags = MSGF_LIVE;
		if (sys_send_async(&timers[sent], CMD_TIMER,
				   sizeof(timers[sent]), &port) != EASYNC)
			break;
	}
	timers[MSG_LIVE_MAX].period_ms = 10;
	bool ok = send_refused(&timers[MSG_LIVE_MAX], CMD_TIMER,
			       sizeof(timers[0]), MSGF_LIVE, &port, EAGAIN);
	sleeps[0].ms = 3600000;
	int ordinary =
	    sys_send_async(&sleeps[0], CMD_SLEEP, sizeof(sleeps[0]), &port);
	sys_abort(&sleeps[0]);
	for (unsigned i = 0; i < sent; i++)
		sys_abort(&timers[i]);
	port_take(&port);
	CHECK_EQ(sent, MSG_LIVE_MAX);
	CHECK(ok);
	CHECK_EQ(ordinary, EASYNC);
	return true;
}

static struct drake_port ports[PORT_MAX + 1];

/* Messages in flight to 16 distinct reply ports; a 17th port is
 * EAGAIN, untouched; once one port has nothing in flight, another may
 * take its place. */
static bool port_max(void)
{
	for (unsigned i = 0; i < PORT_MAX; i++) {
		port_init(&ports[i], PORT_QUEUE, NULL, 0);
		sleeps[i].ms = 3600000;
		CHECK_EQ(sys_send_async(&sleeps[i], CMD_SLEEP,
					sizeof(sleeps[i]), &ports[i]),
			 EASYNC);
	}
	port_init(&ports[PORT_MAX], PORT_QUEUE, NULL, 0);
	sleeps[PORT_MAX].ms = 3600000;
	bool ok = send_refused(&sleeps[PORT_MAX], CMD_SLEEP, sizeof(sleeps[0]),
			       0, &ports[PORT_MAX], EAGAIN);
	sys_abort(&sleeps[0]);
	port_take(&ports[0]);
	int again = sys_send_async(&sleeps[PORT_MAX], CMD_SLEEP,
				   sizeof(sleeps[0]), &ports[PORT_MAX]);
	for (unsigned i = 0; i <= PORT_MAX; i++)
		sys_abort(&sleeps[i]);
	CHECK(ok);
	CHECK_EQ(again, EASYNC);
	return true;
}

static int kids[TASK_CHILDREN_MAX + 2];

static void reap(int *tids, int n)
{
	for (int i = 0; i < n; i++) {
		if (tids[i] > 0)
			iso_kill_wait(tids[i]);
		tids[i] = 0;
	}
}

/* 16 children; the 17th SPAWN is EAGAIN; a zombie still counts until
 * it is collected. */
static bool children_max(void)
{
	bool ok = true;
	int n = 0;
	for (; n < (int)TASK_CHILDREN_MAX; n++)
		if ((kids[n] = sys_spawn("isokid", "hold")) <= 0)
			break;
	int extra = sys_spawn("isokid", "hold");
	if (extra > 0)
		kids[n + 1] = extra; /* reaped below */
	int zombie_blocks = 0, after_reap = 0;
	if (n == (int)TASK_CHILDREN_MAX) {
		iso_wait_settled((uint32_t)kids[0], 0, 0, 2000);
		sys_kill(kids[0], SIGKILL);
		sys_sleep(30); /* it exits: a zombie until collected */
		int z = sys_spawn("isokid", "hold");
		zombie_blocks = z;
		if (z > 0)
			kids[TASK_CHILDREN_MAX] = z;
		sys_wait(kids[0], NULL);
		kids[0] = 0;
		after_reap = sys_spawn("isokid", "hold");
		if (after_reap > 0)
			kids[0] = after_reap;
	}
	reap(kids, TASK_CHILDREN_MAX + 2);
	CHECK_EQ(n, TASK_CHILDREN_MAX);
	CHECK_EQ(extra, -EAGAIN);
	CHECK_EQ(zombie_blocks, -EAGAIN);
	CHECK(after_reap > 0);
	return ok;
}

enum { FORKERS = 11, FORKER_TRY = 20 };
static int forkers[FORKERS];

/* Until the number of tasks has not changed for 300 ms (5 s at most). */
static uint32_t settled_task_count(void)
{
	uint32_t last = 0, n;
	uint64_t same_since = sys_uptime(), end = sys_uptime() + 5000;
	while (sys_uptime() < end) {
		n = iso_task_count();
		if (n != last) {
			last = n;
			same_since = sys_uptime();
		} else if (sys_uptime() >= same_since + 300) {
			break;
		}
		sys_sleep(20);
	}
	return last;
}

/* 64 tasks system-wide, zombies included; other tasks stop at 60, the
 * last 4 are init's alone. */
static bool task_max(void)
{
	char args[16];
	int extra[TASK_RESERVED_INIT + 1] = {0};
	fmt_snprintf(args, sizeof(args), "forker %d", FORKER_TRY);
	for (int i = 0; i < FORKERS; i++)
		forkers[i] = sys_spawn("isokid", args);
	/* all of them exist before any spawns: init's own spawns may use
	 * the reserve, theirs may not */
	for (int i = 0; i < FORKERS; i++) {
		iso_wait_settled((uint32_t)forkers[i], 1, 0, 2000);
		sys_kill(forkers[i], SIGUSR2);
	}
	uint32_t others = settled_task_count();
	int got = 0;
	for (; got <= (int)TASK_RESERVED_INIT; got++)
		if ((extra[got] = sys_spawn("isokid", "hold")) <= 0)
			break;
	uint32_t full = iso_task_count();
	/* a zombie still takes its slot */
	int zombie_blocks = 1, after_reap = 0;
	if (got == (int)TASK_RESERVED_INIT) {
		iso_wait_settled((uint32_t)extra[0], 0, 0, 2000);
		sys_kill(extra[0], SIGKILL);
		sys_sleep(30);
		zombie_blocks = sys_spawn("isokid", "hold");
		if (zombie_blocks > 0)
			extra[TASK_RESERVED_INIT] = zombie_blocks;
		sys_wait(extra[0], NULL);
		extra[0] = after_reap = sys_spawn("isokid", "hold");
	}
	reap(extra, TASK_RESERVED_INIT + 1);
	int errs_ok = 1, total = 0;
	for (int i = 0; i < FORKERS; i++) {
		int status = -1;
		if (forkers[i] <= 0) {
			errs_ok = 0;
			continue;
		}
		sys_kill(forkers[i], SIGUSR1); /* let it reap its children */
		sys_wait(forkers[i], &status);
		if (status / 1000 != EAGAIN)
			errs_ok = 0; /* it never hit the limit */
		total += status % 1000;
	}
	printf("  tasks: %u without init's reserve, %u with it; forkers "
	       "spawned %d; init's extra spawns %d\n",
	       others, full, total, got);
	CHECK_EQ(others, TASK_MAX - TASK_RESERVED_INIT);
	CHECK_EQ(total, TASK_MAX - TASK_RESERVED_INIT - 1 - FORKERS);
	CHECK_EQ(got, TASK_RESERVED_INIT);
	CHECK_EQ(full, TASK_MAX);
	CHECK_EQ(zombie_blocks, -EAGAIN);
	CHECK(after_reap > 0);
	CHECK(errs_ok);
	return true;
}

enum { EATERS = 6 };
static int eaters[EATERS];

/* A BRK that runs out of memory part-way maps nothing in the end: the
 * free page count and the break are as before the call. */
static bool brk_enomem_rolls_back(void)
{
	uint32_t free0, free1, free2, brk0, brk1;
	char args[16];
	int n = 0;
	/* children take all but ~4,000 pages: less than one whole heap */
	while (n < EATERS) {
		CHECK_EQ(sys_meminfo(&free0, NULL), 0);
		if (free0 <= 6000)
			break;
		uint32_t mb = (free0 - 4000) / 256;
		fmt_snprintf(args, sizeof(args), "eat %u", mb > 32 ? 32 : mb);
		eaters[n] = sys_spawn("isokid", args);
		if (eaters[n] <= 0 ||
		    !iso_wait_settled((uint32_t)eaters[n], 0, 0, 5000))
			break;
		n++;
	}
	sys_brk(0, &brk0);
	sys_meminfo(&free1, NULL);
	int err = sys_brk(brk0 + USER_HEAP_MAX, NULL);
	sys_meminfo(&free2, NULL);
	sys_brk(0, &brk1);
	reap(eaters, EATERS);
	printf("  %d eaters; %u pages free before the BRK, %u after it\n", n,
	       free1, free2);
	CHECK(free1 < USER_HEAP_MAX / 4096);
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(brk1, brk0);
	CHECK_EQ(free2, free1);
	return true;
}

int main(void)
{
	RUN(inflight_max);
	RUN(live_max);
	RUN(port_max);
	RUN(children_max);
	RUN(task_max);
	RUN(brk_enomem_rolls_back);
	return check_summary();
}
