/*
 * BATCH: many messages in one trap, each accepted or refused on its own
 * exactly as its own sendsys would be. Refused entries untouched with
 * their error in the entry; asynchronous ones returned through all four
 * port modes; synchronous ones in order, interruptible; a bad list, a
 * list too long, nesting; the in-flight cap reached mid-batch; a task
 * killed while its batch is blocked gives every page back.
 * `t_batch kid` is the helper that gets killed.
 */
#include <drake/string.h>

#include "../check.h"

/* A header as sys_send and sys_send_async would fill it in. */
static void *msg(void *m, uint16_t cmd, uint32_t size, uint16_t flags,
		 struct drake_port *reply)
{
	struct drake_msg *h = m;
	*h = (struct drake_msg){.cmd = cmd,
				.flags = flags,
				.reply = (drake_uaddr)reply,
				.size = size};
	return m;
}

static struct drake_batch_entry entry(void *m, uint32_t size)
{
	return (struct drake_batch_entry){.msg = (drake_uaddr)m, .size = size};
}

static struct drake_port qport;

static bool mixed_accepted_and_refused(void)
{
	static struct drake_msg nop, tid, big, unknown, upret;
	static struct msg_ticks tick, tick2;
	static struct msg_wait w = {.tid = 1};
	static struct drake_batch_entry e[10];
	struct drake_msg big_before, unknown_before;
	port_init(&qport, PORT_QUEUE, NULL, 0);
	e[0] = entry(msg(&nop, CMD_NOP, 32, 0, NULL), 32);
	e[1] = entry(msg(&tid, CMD_GETTID, 32, 0, NULL), 32);
	e[2] = entry(msg(&big, CMD_NOP, 32, 0, NULL), 36); /* EMSGSIZE */
	big.result = 77;
	big_before = big;
	e[3] = entry(msg(&unknown, 999, 32, 0, NULL), 32); /* ENOSYS */
	unknown_before = unknown;
	e[4] = entry((void *)0x100000, 32); /* the kernel: EFAULT */
	e[5] = entry(msg(&tick, CMD_TICKS, sizeof(tick), MSGF_ASYNC, &qport),
		     sizeof(tick));
	e[6] = e[5]; /* the same message again: in flight, EBUSY */
	e[7] = entry(msg(&w, CMD_WAIT, sizeof(w), 0, NULL), sizeof(w));
	e[8] = entry(msg(&upret, CMD_UPCALL_RETURN, 32, 0, NULL), 32);
	e[9] = entry(msg(&tick2, CMD_TICKS, sizeof(tick2), MSGF_ASYNC, &qport),
		     sizeof(tick2));
	e[9].port = (drake_uaddr)&big; /* no ABI version there: EVERSION */
	CHECK_EQ(sys_batch(e, 10), 4);
	static const struct {
		uint32_t state;
		int32_t error;
	} want[10] = {
	    {BATCH_ACCEPTED, 0},       {BATCH_ACCEPTED, 0},
	    {BATCH_REFUSED, EMSGSIZE}, {BATCH_REFUSED, ENOSYS},
	    {BATCH_REFUSED, EFAULT},   {BATCH_ACCEPTED, EASYNC},
	    {BATCH_REFUSED, EBUSY},    {BATCH_ACCEPTED, ECHILD},
	    {BATCH_REFUSED, EINVAL},   {BATCH_REFUSED, EVERSION},
	};
	for (int i = 0; i < 10; i++) {
		CHECK_EQ(e[i].state, want[i].state);
		CHECK_EQ(e[i].error, want[i].error);
	}
	CHECK(nop.flags & MSGF_DONE);
	CHECK_EQ(tid.result, (uint64_t)sys_gettid());
	CHECK(w.hdr.flags & MSGF_DONE);
	CHECK_EQ(w.hdr.error, ECHILD);
	/* refused: not a byte written */
	CHECK(!memcmp(&big, &big_before, sizeof(big)));
	CHECK(!memcmp(&unknown, &unknown_before, sizeof(unknown)));
	CHECK_EQ(upret.flags, 0);
	CHECK_EQ(tick2.hdr.flags, MSGF_ASYNC);
	/* TICKS 0 came back on the way out of the BATCH, once */
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&tick);
	CHECK_EQ(tick.hdr.error, 0);
	CHECK_EQ(waitsys(&qport, NULL), ENOMSG);
	return true;
}

static volatile int upcalled[4];
static struct drake_port mode_port[4];

static void count_up(struct drake_port *p)
{
	for (struct drake_msg *m = port_take(p); m; m = port_next(m))
		upcalled[p - mode_port]++;
}

static bool async_in_all_four_modes(void)
{
	static struct msg_ticks t[4];
	struct drake_batch_entry e[4];
	for (uint32_t i = 0; i < 4; i++) {
		port_init(&mode_port[i], i, count_up, 100);
		t[i].ticks = 1;
		e[i] = entry(msg(&t[i], CMD_TICKS, sizeof(t[i]), MSGF_ASYNC,
				 &mode_port[i]),
			     sizeof(t[i]));
	}
	CHECK_EQ(sys_batch(e, 4), 4);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(e[i].state, BATCH_ACCEPTED);
		CHECK_EQ(e[i].error, EASYNC);
	}
	sys_sleep(30); /* all returned; the timeout (100 ms) not yet due */
	CHECK_EQ(upcalled[PORT_UPCALL], 1);
	CHECK_EQ(upcalled[PORT_CRIT], 1); /* not critical: at once */
	CHECK_EQ(upcalled[PORT_TIMEOUT], 0);
	CHECK(mode_port[PORT_TIMEOUT].head != 0);
	sys_sleep(150); /* still uncollected: the timeout upcalls */
	CHECK_EQ(upcalled[PORT_TIMEOUT], 1);
	CHECK_EQ(upcalled[PORT_QUEUE], 0);
	CHECK_EQ((uint32_t)port_take(&mode_port[PORT_QUEUE]), (uint32_t)&t[0]);
	for (int i = 0; i < 4; i++) {
		CHECK(t[i].hdr.flags & MSGF_DONE);
		CHECK_EQ(t[i].hdr.error, 0);
	}
	/* a critical section holds the crit port's upcall back */
	crit_enter();
	CHECK_EQ(sys_batch(&e[PORT_CRIT], 1), 1);
	sys_sleep(30);
	CHECK_EQ(upcalled[PORT_CRIT], 1);
	CHECK_EQ(sys_port.pending, 1);
	crit_exit();
	CHECK_EQ(upcalled[PORT_CRIT], 2);
	sys_sleep(30);
	/* each returned exactly once */
	CHECK_EQ(upcalled[PORT_UPCALL] + upcalled[PORT_CRIT] +
		     upcalled[PORT_TIMEOUT],
		 4);
	return true;
}

static bool sync_in_order(void)
{
	static struct drake_msg up[3];
	static struct msg_sleep s[2];
	static struct drake_msg tid;
	struct drake_batch_entry e[6];
	e[0] = entry(msg(&up[0], CMD_UPTIME, 32, 0, NULL), 32);
	s[0].ms = 30;
	e[1] =
	    entry(msg(&s[0], CMD_SLEEP, sizeof(s[0]), 0, NULL), sizeof(s[0]));
	e[2] = entry(msg(&up[1], CMD_UPTIME, 32, 0, NULL), 32);
	s[1].ms = 30;
	e[3] =
	    entry(msg(&s[1], CMD_SLEEP, sizeof(s[1]), 0, NULL), sizeof(s[1]));
	e[4] = entry(msg(&up[2], CMD_UPTIME, 32, 0, NULL), 32);
	e[5] = entry(msg(&tid, CMD_GETTID, 32, 0, NULL), 32);
	CHECK_EQ(sys_batch(e, 6), 6);
	for (int i = 0; i < 6; i++) {
		CHECK_EQ(e[i].state, BATCH_ACCEPTED);
		CHECK_EQ(e[i].error, 0);
	}
	CHECK(up[1].result >= up[0].result + 30);
	CHECK(up[2].result >= up[1].result + 30);
	CHECK(s[0].hdr.result < s[1].hdr.result); /* the ticks they ended */
	CHECK_EQ(tid.result, (uint64_t)sys_gettid());
	return true;
}

static volatile int fired;

static void on_timer(uint32_t expiry, uint32_t due, uint32_t count)
{
	(void)expiry, (void)due, (void)count;
	fired++;
}

/* An upcall interrupts the blocked entry: the batch ends there, the
 * upcall runs, the rest are left for the caller to send again. */
static bool blocked_batch_interrupted(void)
{
	static struct drake_msg a, c;
	static struct msg_sleep s = {.ms = 100000};
	struct drake_batch_entry e[3];
	e[0] = entry(msg(&a, CMD_NOP, 32, 0, NULL), 32);
	e[1] = entry(msg(&s, CMD_SLEEP, sizeof(s), 0, NULL), sizeof(s));
	e[2] = entry(msg(&c, CMD_NOP, 32, 0, NULL), 32);
	int h = timer_start(20, 1000, on_timer);
	CHECK(h >= 0);
	uint64_t t0 = sys_uptime();
	CHECK_EQ(sys_batch(e, 3), 2);
	CHECK(sys_uptime() - t0 < 1000);
	CHECK_EQ(fired, 1);
	CHECK_EQ(e[0].state, BATCH_ACCEPTED);
	CHECK_EQ(e[1].state, BATCH_ACCEPTED);
	CHECK_EQ(e[1].error, EINTR);
	CHECK_EQ(s.hdr.error, EINTR);
	CHECK_EQ(e[2].state, BATCH_UNSENT);
	CHECK_EQ(c.flags, 0);
	CHECK_EQ(live_stop(h), 0);
	return true;
}

/* Send a BATCH message by hand: sys_batch would read the list. */
static int batch_raw(struct msg_batch *b, uint32_t list, uint32_t count)
{
	b->list = list;
	b->count = count;
	return sys_send(b, CMD_BATCH, sizeof(*b));
}

static struct drake_msg ro_nop;
static const struct drake_batch_entry ro_list[1] = {
    {.port = (drake_uaddr)&sys_port, .msg = (drake_uaddr)&ro_nop, .size = 32}};

static bool bad_list_does_nothing(void)
{
	struct msg_batch b;
	msg(&ro_nop, CMD_NOP, 32, 0, NULL);
	CHECK_EQ(batch_raw(&b, 0x100000, 1), EFAULT);	     /* the kernel */
	CHECK_EQ(batch_raw(&b, 0x60000000, 1), EFAULT);	     /* not mapped */
	CHECK_EQ(batch_raw(&b, 0xc0000000 - 20, 2), EFAULT); /* wraps out */
	CHECK_EQ(b.hdr.result, 0);
	/* read-only: the entries could not be written */
	CHECK_EQ(batch_raw(&b, (uint32_t)ro_list, 1), EFAULT);
	CHECK_EQ(ro_nop.flags, 0);
	/* the first entry fine, the second past the heap's last page */
	uint32_t brk;
	CHECK_EQ(sys_brk(0, &brk), 0);
	uint32_t end = ((brk + 4095) & ~4095u) + 4096;
	CHECK_EQ(sys_brk(end, NULL), 0); /* one page of heap, none after */
	struct drake_batch_entry *last = (void *)(end - sizeof(*last));
	*last = ro_list[0];
	CHECK_EQ(batch_raw(&b, (uint32_t)last, 2), EFAULT);
	CHECK_EQ(ro_nop.flags, 0); /* not sent */
	CHECK_EQ(batch_raw(&b, (uint32_t)last, 1), 0);
	CHECK_EQ(b.hdr.result, 1);
	CHECK(ro_nop.flags & MSGF_DONE);
	return true;
}

static bool count_limited(void)
{
	static struct drake_msg nops[BATCH_MAX + 1];
	static struct drake_batch_entry e[BATCH_MAX + 1];
	struct msg_batch b;
	for (uint32_t i = 0; i <= BATCH_MAX; i++) {
		e[i] = entry(msg(&nops[i], CMD_NOP, 32, 0, NULL), 32);
		e[i].port = (drake_uaddr)&sys_port;
	}
	CHECK_EQ(batch_raw(&b, (uint32_t)e, BATCH_MAX + 1), E2BIG);
	CHECK_EQ(batch_raw(&b, (uint32_t)e, 0xffffffffu), E2BIG);
	for (uint32_t i = 0; i <= BATCH_MAX; i++) {
		CHECK_EQ(nops[i].flags, 0);
		CHECK_EQ(e[i].state, 0);
	}
	CHECK_EQ(sys_batch(e, BATCH_MAX), (int)BATCH_MAX);
	for (uint32_t i = 0; i < BATCH_MAX; i++)
		CHECK(nops[i].flags & MSGF_DONE);
	CHECK_EQ(nops[BATCH_MAX].flags, 0);
	CHECK_EQ(batch_raw(&b, (uint32_t)e, 0), 0);
	CHECK_EQ(b.hdr.result, 0);
	return true;
}

static bool nested_refused(void)
{
	static struct drake_msg inner_nop;
	static struct drake_batch_entry inner[1], outer[1];
	static struct msg_batch nested;
	inner[0] = entry(msg(&inner_nop, CMD_NOP, 32, 0, NULL), 32);
	inner[0].port = (drake_uaddr)&sys_port;
	inner[0].state = 99;
	msg(&nested, CMD_BATCH, sizeof(nested), 0, NULL);
	nested.list = (drake_uaddr)inner;
	nested.count = 1;
	outer[0] = entry(&nested, sizeof(nested));
	CHECK_EQ(sys_batch(outer, 1), 0);
	CHECK_EQ(outer[0].state, BATCH_REFUSED);
	CHECK_EQ(outer[0].error, EINVAL);
	CHECK_EQ(nested.hdr.flags, 0);
	CHECK_EQ(inner[0].state, 99); /* never looked at */
	CHECK_EQ(inner_nop.flags, 0);
	/* and a BATCH is synchronous only */
	CHECK_EQ(sys_send_async(&nested, CMD_BATCH, sizeof(nested), NULL),
		 EINVAL);
	CHECK_EQ(inner_nop.flags, 0);
	return true;
}

/* Requests go through a service port named in their entry. */
static bool service_requests(void)
{
	static struct drake_request req, none;
	static struct drake_svcport sp, nosvc;
	struct drake_batch_entry e[2];
	int id = svc_create(0);
	CHECK(id > 0);
	svc_port_init(&sp, (uint32_t)id);
	svc_port_init(&nosvc, 0x7fffffff);
	port_init(&qport, PORT_QUEUE, NULL, 0);
	e[0] =
	    entry(msg(&req, 5, sizeof(req), MSGF_ASYNC, &qport), sizeof(req));
	e[0].port = (drake_uaddr)&sp;
	e[1] = entry(msg(&none, 5, sizeof(none), 0, NULL), sizeof(none));
	e[1].port = (drake_uaddr)&nosvc;
	CHECK_EQ(sys_batch(e, 2), 1);
	CHECK_EQ(e[0].error, EASYNC);
	CHECK_EQ(e[1].state, BATCH_REFUSED);
	CHECK_EQ(e[1].error, EPIPE);
	struct drake_request got;
	uint32_t handle;
	CHECK_EQ(svc_receive((uint32_t)id, &got, sizeof(got), &handle, NULL),
		 0);
	CHECK_EQ(got.hdr.cmd, 5);
	CHECK_EQ(svc_reply(handle, 0, 42, NULL, 0), 0);
	CHECK_EQ(waitsys(&qport, NULL), 0);
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&req);
	CHECK_EQ(req.hdr.result, 42);
	return true;
}

static struct msg_sleep longs[MSG_INFLIGHT_MAX];

static bool inflight_cap_mid_batch(void)
{
	enum { HELD = MSG_INFLIGHT_MAX - 4, N = 10 };
	static struct msg_ticks t[N];
	struct drake_batch_entry e[N];
	struct drake_port hold;
	port_init(&hold, PORT_QUEUE, NULL, 0);
	port_init(&qport, PORT_QUEUE, NULL, 0);
	for (int i = 0; i < HELD; i++) {
		longs[i].ms = 100000;
		CHECK_EQ(sys_send_async(&longs[i], CMD_SLEEP, sizeof(longs[i]),
					&hold),
			 EASYNC);
	}
	for (int i = 0; i < N; i++) {
		t[i].ticks = 1;
		e[i] = entry(
		    msg(&t[i], CMD_TICKS, sizeof(t[i]), MSGF_ASYNC, &qport),
		    sizeof(t[i]));
	}
	CHECK_EQ(sys_batch(e, N), 4);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(e[i].state, i < 4 ? BATCH_ACCEPTED : BATCH_REFUSED);
		CHECK_EQ(e[i].error, i < 4 ? EASYNC : EAGAIN);
		if (i >= 4)
			CHECK_EQ(t[i].hdr.flags, MSGF_ASYNC); /* untouched */
	}
	uint32_t got = 0; /* a bit per message returned */
	while (got != 0xf) {
		CHECK_EQ(waitsys(&qport, NULL), 0);
		for (struct drake_msg *m = port_take(&qport); m;
		     m = port_next(m)) {
			uint32_t i = (struct msg_ticks *)m - t;
			CHECK(i < 4 && !(got & 1u << i));
			got |= 1u << i;
		}
	}
	sys_sleep(30);
	CHECK_EQ(qport.head, 0); /* none came back twice */
	CHECK_EQ(waitsys(&qport, NULL), ENOMSG);
	for (int i = 0; i < HELD; i++)
		CHECK_EQ(sys_abort(&longs[i]), 0);
	return true;
}

/* The helper: every port mode with messages in flight, then a batch
 * that blocks for good on a synchronous SLEEP after more async ones. */
static int kid(void)
{
	static struct msg_sleep s[8], forever = {.ms = 1000000};
	static struct drake_port p[4];
	struct drake_batch_entry e[9];
	for (uint32_t i = 0; i < 8; i++) {
		port_init(&p[i % 4], i % 4, NULL, 5); /* never returned */
		s[i].ms = 100000;
		e[i] = entry(
		    msg(&s[i], CMD_SLEEP, sizeof(s[i]), MSGF_ASYNC, &p[i % 4]),
		    sizeof(s[i]));
	}
	e[8] = entry(msg(&forever, CMD_SLEEP, sizeof(forever), 0, NULL),
		     sizeof(forever));
	sys_batch(e, 9);
	return 1; /* never: it is killed while blocked */
}

static bool killed_with_batch_blocked(void)
{
	uint32_t before = 0, after = 0;
	for (int run = 0; run < 2; run++) {
		CHECK_EQ(sys_meminfo(&before, NULL), 0);
		int tid = sys_spawn("t_batch", "kid");
		CHECK(tid > 0);
		struct drake_taskinfo info;
		do {
			sys_sleep(10);
			CHECK_EQ(task_info(tid, &info), 0);
		} while (info.inflight < 8 || info.state != TASK_STATE_BLOCKED);
		CHECK_EQ(sys_kill(tid, SIGKILL), 0);
		int status = 0;
		CHECK_EQ(sys_wait(tid, &status), 0);
		CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGKILL));
		CHECK_EQ(sys_meminfo(&after, NULL), 0);
	}
	CHECK_EQ(after, before); /* the second run: caches warm */
	return true;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "kid"))
		return kid();
	RUN(mixed_accepted_and_refused);
	RUN(async_in_all_four_modes);
	RUN(sync_in_order);
	RUN(blocked_batch_interrupted);
	RUN(bad_list_does_nothing);
	RUN(count_limited);
	RUN(nested_refused);
	RUN(service_requests);
	RUN(inflight_cap_mid_batch);
	RUN(killed_with_batch_blocked);
	return check_summary();
}
