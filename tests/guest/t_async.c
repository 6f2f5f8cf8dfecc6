/*
 * Asynchronous messages: the four reply-port modes (order and count of
 * returns), the three waitsys forms including a return that races with
 * the call, the userland critical section, the timeout reversion, abort
 * and the in-flight cap.
 */
#include "../check.h"

#define N 5

static struct msg_ticks msgs[N];
static volatile int handled, depth, max_depth;
static volatile uint32_t seen[16];

/* An upcall handler: takes every returned message, in order. */
static void collect(struct drake_port *port)
{
	if (++depth > max_depth)
		max_depth = depth;
	for (struct drake_msg *m = port_take(port); m; m = port_next(m))
		seen[handled++ % 16] = (uint32_t)m;
	depth--;
}

static void reset(void)
{
	handled = depth = max_depth = 0;
}

/* Send msgs[i] with ticks[i] to port; all must go in flight. */
static bool send_ticks(struct drake_port *port, const uint32_t *ticks, int n)
{
	for (int i = 0; i < n; i++) {
		msgs[i].ticks = ticks[i];
		CHECK_EQ(
		    sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]), port),
		    EASYNC);
	}
	return true;
}

static const uint32_t staggered[N] = {4, 1, 3, 2, 5};
/* msgs[] indices in order of return for `staggered` */
static const int return_order[N] = {1, 3, 2, 0, 4};

static bool queue_mode_order_and_count(void)
{
	struct drake_port port;
	port_init(&port, PORT_QUEUE, collect, 0);
	reset();
	CHECK(send_ticks(&port, staggered, N));
	int got = 0;
	while (got < N) {
		CHECK_EQ(waitsys(&port, NULL), 0);
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m)) {
			CHECK(got < N);
			CHECK_EQ((uint32_t)m,
				 (uint32_t)&msgs[return_order[got]]);
			CHECK(m->flags & MSGF_DONE);
			CHECK_EQ(m->error, 0);
			got++;
		}
	}
	CHECK_EQ(handled, 0);	    /* a queue port never upcalls */
	for (int i = 1; i < N; i++) /* results: the tick each came back */
		CHECK(msgs[return_order[i]].hdr.result >=
		      msgs[return_order[i - 1]].hdr.result);
	CHECK_EQ(waitsys(&port, NULL), ENOMSG); /* nothing left in flight */
	return true;
}

static bool upcall_mode_order_and_count(void)
{
	struct drake_port port;
	port_init(&port, PORT_UPCALL, collect, 0);
	reset();
	CHECK(send_ticks(&port, staggered, N));
	while (handled < N)
		sys_sleep(10);
	CHECK_EQ(handled, N);
	for (int i = 0; i < N; i++)
		CHECK_EQ(seen[i], (uint32_t)&msgs[return_order[i]]);
	CHECK_EQ(max_depth, 1);
	CHECK_EQ(port.head, 0);
	return true;
}

static bool crit_mode_defers_until_flushsys(void)
{
	struct drake_port port;
	static const uint32_t one[3] = {1, 1, 2};
	port_init(&port, PORT_CRIT, collect, 0);
	reset();
	crit_enter();
	CHECK(send_ticks(&port, one, 3));
	sys_sleep(60); /* all three come back while we are critical */
	CHECK_EQ(handled, 0);
	CHECK_EQ(sys_port.pending, 1);
	CHECK(port.head != 0);
	crit_exit(); /* sees pending, calls flushsys() */
	CHECK_EQ(handled, 3);
	CHECK_EQ(sys_port.pending, 0);
	CHECK_EQ(sys_port.crit, 0);
	CHECK_EQ(seen[0], (uint32_t)&msgs[0]);
	CHECK_EQ(seen[1], (uint32_t)&msgs[1]);
	CHECK_EQ(seen[2], (uint32_t)&msgs[2]);
	sys_sleep(30);
	CHECK_EQ(handled, 3); /* none doubled */
	return true;
}

static bool crit_mode_upcalls_when_not_critical(void)
{
	struct drake_port port;
	static const uint32_t one[1] = {1};
	port_init(&port, PORT_CRIT, collect, 0);
	reset();
	CHECK(send_ticks(&port, one, 1));
	sys_sleep(30);
	CHECK_EQ(handled, 1);
	CHECK_EQ(sys_port.pending, 0);
	return true;
}

static bool timeout_mode_reverts_when_silent(void)
{
	struct drake_port port;
	static const uint32_t one[1] = {1};
	port_init(&port, PORT_TIMEOUT, collect, 50);
	reset();
	CHECK(send_ticks(&port, one, 1));
	sys_sleep(30); /* returned (tick 1), timeout not yet due */
	CHECK_EQ(handled, 0);
	CHECK(port.head != 0);
	sys_sleep(60); /* past 50 ms uncollected: the upcall fires */
	CHECK_EQ(handled, 1);
	CHECK_EQ(seen[0], (uint32_t)&msgs[0]);
	return true;
}

static bool timeout_mode_quiet_when_collected(void)
{
	struct drake_port port;
	static const uint32_t one[1] = {1};
	port_init(&port, PORT_TIMEOUT, collect, 50);
	reset();
	CHECK(send_ticks(&port, one, 1));
	CHECK_EQ(waitsys(&port, NULL), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&msgs[0]);
	sys_sleep(100);
	CHECK_EQ(handled, 0);
	/* and flushsys() calls a pending timeout off */
	CHECK(send_ticks(&port, one, 1));
	sys_sleep(20);
	CHECK_EQ(flushsys(), 0);
	sys_sleep(100);
	CHECK_EQ(handled, 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&msgs[0]);
	return true;
}

static bool waitsys_on_message(void)
{
	struct msg_ticks m = {.ticks = 2};
	CHECK_EQ(sys_send_async(&m, CMD_TICKS, sizeof(m), NULL), EASYNC);
	CHECK(!(m.hdr.flags & MSGF_DONE));
	CHECK_EQ(waitsys(NULL, &m), 0);
	CHECK(m.hdr.flags & MSGF_DONE);
	CHECK_EQ(m.hdr.error, 0);
	CHECK_EQ(waitsys(NULL, &m), 0); /* done: at once */
	struct drake_msg never = {0};
	CHECK_EQ(waitsys(NULL, &never), ENOMSG);
	CHECK_EQ(waitsys(NULL, (void *)0x100000), EFAULT);
	return true;
}

static bool waitsys_on_port_or_message(void)
{
	struct drake_port port;
	struct msg_ticks slow = {.ticks = 50}, fast = {.ticks = 1};
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&slow, CMD_TICKS, sizeof(slow), NULL), EASYNC);
	CHECK_EQ(sys_send_async(&fast, CMD_TICKS, sizeof(fast), &port), EASYNC);
	CHECK_EQ(waitsys(&port, &slow), 0); /* the port's message wins */
	CHECK(!(slow.hdr.flags & MSGF_DONE));
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&fast);
	CHECK_EQ(waitsys(&port, &slow), 0); /* now the message */
	CHECK(slow.hdr.flags & MSGF_DONE);
	CHECK_EQ(waitsys(&port, NULL), ENOMSG);
	CHECK_EQ(waitsys((void *)0x100000, NULL), EFAULT);
	return true;
}

/* TICKS 0 is returned on the way out of the very sendsys that sent it,
 * so by the time waitsys is called the return has already happened. */
static bool waitsys_return_races_call(void)
{
	struct drake_port port;
	struct msg_ticks m = {.ticks = 0};
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (int i = 0; i < 20; i++) {
		CHECK_EQ(sys_send_async(&m, CMD_TICKS, sizeof(m), &port),
			 EASYNC);
		CHECK(m.hdr.flags & MSGF_DONE);
		CHECK_EQ(waitsys(&port, &m), 0);
		CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&m);
	}
	/* and a return that lands while the caller spins before waiting */
	m.ticks = 1;
	CHECK_EQ(sys_send_async(&m, CMD_TICKS, sizeof(m), NULL), EASYNC);
	while (!(*(volatile uint16_t *)&m.hdr.flags & MSGF_DONE))
		;
	CHECK_EQ(waitsys(NULL, &m), 0);
	return true;
}

static bool abort_returns_once(void)
{
	struct drake_port port;
	struct msg_sleep s = {.ms = 100000};
	struct msg_read r = {.buf = (drake_uaddr)seen, .len = 4};
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&s, CMD_SLEEP, sizeof(s), &port), EASYNC);
	CHECK_EQ(sys_send_async(&r, CMD_READ, sizeof(r), &port), EASYNC);
	CHECK_EQ(sys_abort(&s), 0);
	CHECK_EQ(sys_abort(&r), 0);
	struct drake_msg *m = port_take(&port);
	CHECK_EQ((uint32_t)m, (uint32_t)&s);
	CHECK_EQ((uint32_t)port_next(m), (uint32_t)&r);
	CHECK(port_next(port_next(m)) == NULL);
	CHECK_EQ(s.hdr.error, ECANCELED);
	CHECK_EQ(r.hdr.error, ECANCELED);
	CHECK(s.hdr.flags & MSGF_DONE);
	CHECK_EQ(sys_abort(&s), -ENOMSG); /* no longer in flight */
	struct drake_msg never = {0};
	CHECK_EQ(sys_abort(&never), -ENOMSG);
	sys_sleep(20);
	CHECK(port.head == 0); /* never returned again */
	return true;
}

static bool inflight_cap_and_busy(void)
{
	static struct msg_sleep s[MSG_INFLIGHT_MAX + 1];
	struct drake_port port;
	uint32_t before, after;
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++) {
		s[i].ms = 100000;
		CHECK_EQ(sys_send_async(&s[i], CMD_SLEEP, sizeof(s[i]), &port),
			 EASYNC);
	}
	s[MSG_INFLIGHT_MAX].ms = 1;
	CHECK_EQ(sys_send_async(&s[MSG_INFLIGHT_MAX], CMD_SLEEP, sizeof(s[0]),
				&port),
		 EAGAIN);
	CHECK_EQ(sys_send_async(&s[0], CMD_SLEEP, sizeof(s[0]), &port),
		 EBUSY); /* already in flight */
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++)
		CHECK_EQ(sys_abort(&s[i]), 0);
	int n = 0;
	for (struct drake_msg *m = port_take(&port); m; m = port_next(m))
		n++;
	CHECK_EQ(n, MSG_INFLIGHT_MAX);
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before); /* kernel memory back to its baseline */
	return true;
}

static bool immediate_completion_is_synchronous(void)
{
	struct drake_port port;
	struct drake_msg nop;
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&nop, CMD_NOP, sizeof(nop), &port), 0);
	CHECK(nop.flags & MSGF_DONE);
	CHECK(port.head == 0); /* not queued */
	struct drake_port bad = {.mode = 9};
	struct msg_ticks t = {.ticks = 1};
	t.hdr.flags = MSGF_ASYNC | MSGF_DONE;
	t.hdr.cmd = CMD_TICKS;
	t.hdr.size = sizeof(t);
	t.hdr.reply = (drake_uaddr)&bad;
	CHECK_EQ(sendsys(&sys_port, &t, sizeof(t)), EINVAL);
	CHECK_EQ(t.hdr.flags, MSGF_ASYNC | MSGF_DONE); /* refused: untouched */
	CHECK_EQ(sys_send_async(&t, CMD_TICKS, sizeof(t), &bad), EINVAL);
	CHECK_EQ(sys_send_async(&t, CMD_TICKS, sizeof(t),
				(struct drake_port *)0x100000),
		 EFAULT);
	return true;
}

int main(void)
{
	RUN(queue_mode_order_and_count);
	RUN(upcall_mode_order_and_count);
	RUN(crit_mode_defers_until_flushsys);
	RUN(crit_mode_upcalls_when_not_critical);
	RUN(timeout_mode_reverts_when_silent);
	RUN(timeout_mode_quiet_when_collected);
	RUN(waitsys_on_message);
	RUN(waitsys_on_port_or_message);
	RUN(waitsys_return_races_call);
	RUN(abort_returns_once);
	RUN(inflight_cap_and_busy);
	RUN(immediate_completion_is_synchronous);
	return check_summary();
}
