/*
 * Hostile review, part 2: live messages and timers, the console's
 * readers, reply ports, refusals. Each test checks a promise of
 * docs/abi.md from the outside. This test is init; the READ test needs
 * the harness to type "x" when it asks (guest.list: input=).
 */
#include "../check.h"
#include "iso.h"

static struct drake_port qport;

/* Wait (up to ms) until m has MSGF_DONE. */
static bool done_within(volatile struct drake_msg *m, uint32_t ms)
{
	uint64_t end = sys_uptime() + ms;
	while (!(m->flags & MSGF_DONE) && sys_uptime() < end)
		sys_sleep(5);
	return m->flags & MSGF_DONE;
}

/*
 * READ: "It completes when the input buffer holds a whole line ... or
 * len bytes, whichever is less ... readers are served in order." Reader
 * A wants 10 bytes, reader B behind it wants 1. One byte, "x", arrives:
 * A cannot complete, so B waits its turn. Then A is aborted: B is first
 * in line and the buffer holds the 1 byte it asked for, so it must
 * complete. kernel/conin.c serves readers only when input arrives
 * (console_input -> conin_serve); conin_cancel (ABORT, and the same for
 * an interrupted synchronous READ or a reader killed) takes A off the
 * list without serving the readers behind it, so B waits for more
 * input that may never come.
 */
static bool read_behind_aborted_reader(void)
{
	static char abuf[10], bbuf[1];
	static struct msg_read a, b;
	port_init(&qport, PORT_QUEUE, NULL, 0);
	a.buf = (uint32_t)abuf;
	a.len = sizeof(abuf);
	b.buf = (uint32_t)bbuf;
	b.len = sizeof(bbuf);
	CHECK_EQ(sys_send_async(&a, CMD_READ, sizeof(a), &qport), EASYNC);
	CHECK_EQ(sys_send_async(&b, CMD_READ, sizeof(b), &qport), EASYNC);
	printf("hostile2: type x\n");
	sys_sleep(500); /* the harness types "x" (no newline) */
	CHECK(!(a.hdr.flags & MSGF_DONE));
	CHECK(!(b.hdr.flags & MSGF_DONE)); /* in order: behind A */
	CHECK_EQ(sys_abort(&a), 0);
	CHECK_EQ(a.hdr.error, ECANCELED);
	bool b_done = done_within(&b.hdr, 300);
	if (!b_done) {
		/* the byte was there all along: a new reader, with nobody
		 * ahead of it, gets it at once */
		static struct msg_read c;
		static char cbuf[1];
		sys_abort(&b);
		c.buf = (uint32_t)cbuf;
		c.len = 1;
		int err = sys_send_async(&c, CMD_READ, sizeof(c), &qport);
		printf("  B stuck; a new READ: %d, '%c'\n", err, cbuf[0]);
	}
	port_take(&qport);
	CHECK(b_done);
	CHECK_EQ(b.hdr.error, 0);
	CHECK_EQ(b.hdr.result, 1);
	CHECK_EQ(bbuf[0], 'x');
	return true;
}

/*
 * A periodic timer held for a while, then re-armed: the expiries that
 * fell due meanwhile come back at once in one return, counted by
 * arithmetic; result = the latest expiry's number and its due tick,
 * which is first_due + (n - 1) * period (abi.md, Timers).
 */
static bool held_timer_rearm_counts(void)
{
	static struct msg_timer t;
	memset(&t, 0, sizeof(t));
	port_init(&qport, PORT_QUEUE, NULL, 0);
	t.hdr.flags = MSGF_LIVE;
	t.period_ms = 20; /* 2 ticks */
	CHECK_EQ(sys_send_async(&t, CMD_TIMER, sizeof(t), &qport), EASYNC);
	CHECK_EQ(waitsys(&qport, NULL), 0);
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&t);
	CHECK(t.hdr.flags & MSGF_HELD);
	CHECK_EQ(t.hdr.count, 1);
	CHECK_EQ((uint32_t)t.hdr.result, 1);
	uint64_t first_due = t.hdr.result >> 32;
	sys_sleep(200); /* about 10 expiries fall due while held */
	CHECK_EQ(t.hdr.flags & MSGF_DONE, MSGF_DONE); /* not re-returned */
	CHECK_EQ(sys_rearm(&t), 0);
	/* returned again at once, before REARM's sendsys came back */
	CHECK(t.hdr.flags & MSGF_DONE);
	CHECK(t.hdr.flags & MSGF_HELD);
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&t);
	uint32_t n = (uint32_t)t.hdr.result;
	CHECK(t.hdr.count >= 8 && t.hdr.count <= 12);
	CHECK_EQ(n, 1 + t.hdr.count);
	CHECK_EQ(t.hdr.result >> 32, first_due + (uint64_t)(n - 1) * 2);
	CHECK(t.hdr.result >> 32 <= iso_tick());
	CHECK(iso_tick() < (t.hdr.result >> 32) + 2);
	/* ABORT while held: finished in place with the expiries since */
	sys_sleep(100);
	struct msg_abort ab = {.target = (uint32_t)&t};
	uint32_t link = t.hdr.link = 0x12345678;
	CHECK_EQ(sys_send(&ab, CMD_ABORT, sizeof(ab)), 0);
	CHECK(ab.hdr.result >= 4 && ab.hdr.result <= 6);
	CHECK_EQ(t.hdr.error, ECANCELED);
	CHECK_EQ(t.hdr.count, (uint32_t)ab.hdr.result);
	CHECK_EQ((uint32_t)t.hdr.result, n + t.hdr.count);
	CHECK_EQ(t.hdr.result >> 32,
		 first_due + (uint64_t)((uint32_t)t.hdr.result - 1) * 2);
	CHECK(t.hdr.flags & MSGF_DONE);
	CHECK(!(t.hdr.flags & MSGF_HELD));
	CHECK_EQ(t.hdr.link, link);
	CHECK_EQ(qport.head, 0); /* never pushed again */
	sys_sleep(50);
	CHECK_EQ(qport.head, 0);
	CHECK_EQ(sys_rearm(&t), -ENOMSG);
	CHECK_EQ(waitsys(&qport, NULL), ENOMSG);
	return true;
}

/*
 * A held signal message: KILLs meanwhile are counted; ABORT finishes it
 * in place with the count, the signal bits, the latest sender and no
 * fault address; ABORT answers the count.
 */
static bool held_signal_abort(void)
{
	static struct msg_signal s;
	memset(&s, 0, sizeof(s));
	port_init(&qport, PORT_QUEUE, NULL, 0);
	s.hdr.flags = MSGF_LIVE;
	s.mask = SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2);
	CHECK_EQ(sys_send_async(&s, CMD_SIGNAL, sizeof(s), &qport), EASYNC);
	int me = sys_gettid();
	CHECK_EQ(sys_kill(me, SIGUSR1), 0);
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&s);
	CHECK_EQ(s.hdr.count, 1);
	CHECK_EQ(s.hdr.result, SIGBIT(SIGUSR1));
	CHECK_EQ(s.sender, (uint32_t)me);
	CHECK_EQ(sys_kill(me, SIGUSR2), 0);
	CHECK_EQ(sys_kill(me, SIGUSR2), 0);
	s.sender = 777;
	struct msg_abort ab = {.target = (uint32_t)&s};
	CHECK_EQ(sys_send(&ab, CMD_ABORT, sizeof(ab)), 0);
	CHECK_EQ(ab.hdr.result, 2);
	CHECK_EQ(s.hdr.error, ECANCELED);
	CHECK_EQ(s.hdr.count, 2);
	CHECK_EQ(s.hdr.result, SIGBIT(SIGUSR2));
	CHECK_EQ(s.sender, (uint32_t)me);
	CHECK(!(s.hdr.flags & MSGF_HELD));
	CHECK_EQ(qport.head, 0);
	return true;
}

/*
 * Reply ports beyond PORT_MAX reuse an idle kernel port: after 16 ports
 * had messages that all came back, a 17th port works, waitsys on one of
 * the old ports is ENOMSG (nothing names it), and on the new one waits
 * for its message.
 */
static bool port_reuse_at_limit(void)
{
	static struct drake_port ports[PORT_MAX + 1];
	static struct msg_ticks m[PORT_MAX + 1];
	for (uint32_t i = 0; i < PORT_MAX; i++) {
		port_init(&ports[i], PORT_QUEUE, NULL, 0);
		m[i].ticks = 1;
		CHECK_EQ(
		    sys_send_async(&m[i], CMD_TICKS, sizeof(m[i]), &ports[i]),
		    EASYNC);
	}
	struct drake_port extra;
	static struct msg_ticks x = {.ticks = 1};
	port_init(&extra, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&x, CMD_TICKS, sizeof(x), &extra), EAGAIN);
	for (uint32_t i = 0; i < PORT_MAX; i++) {
		CHECK_EQ(waitsys(&ports[i], NULL), 0);
		port_take(&ports[i]);
	}
	port_init(&ports[PORT_MAX], PORT_QUEUE, NULL, 0);
	m[PORT_MAX].ticks = 5;
	CHECK_EQ(sys_send_async(&m[PORT_MAX], CMD_TICKS, sizeof(m[0]),
				&ports[PORT_MAX]),
		 EASYNC);
	CHECK_EQ(waitsys(&ports[0], NULL), ENOMSG);
	CHECK_EQ(waitsys(&ports[PORT_MAX - 1], NULL), ENOMSG);
	CHECK_EQ(waitsys(&ports[PORT_MAX], NULL), 0);
	CHECK_EQ((uint32_t)port_take(&ports[PORT_MAX]), (uint32_t)&m[PORT_MAX]);
	CHECK_EQ(waitsys(&ports[PORT_MAX], NULL), ENOMSG);
	return true;
}

/*
 * A refused message changes nothing (abi.md, Refused and accepted
 * messages). A message in a read-only page passes every check up to
 * the last one (clearing MSGF_DONE, the write that proves it writable)
 * and is refused with EFAULT. But msg_async_prepare() has already
 * called port_get(), which re-read the reply port's mode and handler
 * into the kernel port that another message in flight uses: a PORT_QUEUE
 * port whose user mode word was briefly PORT_UPCALL during the refused
 * send now upcalls when the accepted message comes back.
 */
static volatile int stray_upcalls;
static struct drake_port rport;
static void stray(struct drake_port *p)
{
	(void)p;
	stray_upcalls++;
}
static const struct msg_ticks ro_msg = {
    .hdr = {.cmd = CMD_TICKS,
	    .flags = MSGF_ASYNC,
	    .reply = (uint32_t)&rport,
	    .size = sizeof(struct msg_ticks)},
    .ticks = 1,
};
static bool refused_send_leaves_port(void)
{
	static struct msg_ticks m = {.ticks = 10};
	stray_upcalls = 0;
	port_init(&rport, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&m, CMD_TICKS, sizeof(m), &rport), EASYNC);
	rport.mode = PORT_UPCALL;
	rport.handler = (uint32_t)stray;
	int err = sendsys(&sys_port, (void *)&ro_msg, sizeof(ro_msg));
	rport.mode = PORT_QUEUE;
	rport.handler = 0;
	CHECK_EQ(err, EFAULT);
	CHECK_EQ(waitsys(&rport, NULL), 0);
	CHECK_EQ((uint32_t)port_take(&rport), (uint32_t)&m);
	CHECK_EQ(stray_upcalls, 0);
	return true;
}

/* TRACE (abi.md, Who may do what): ESRCH before EPERM before EINVAL;
 * the answer is the flags before. */
static bool trace_rules(void)
{
	int me = sys_gettid();
	CHECK_EQ(sys_trace(999, 0x80), -ESRCH);
	CHECK_EQ(sys_trace(me, 0x80), -EINVAL);
	int kid = sys_spawn("exitcode", "0");
	CHECK(kid > 0);
	int status = -1;
	CHECK_EQ(sys_wait(kid, &status), 0);
	CHECK_EQ(sys_trace(kid, TRACE_ON), -ESRCH);
	CHECK_EQ(sys_trace(me, 0), 0);
	return true;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	RUN(read_behind_aborted_reader);
	RUN(held_timer_rearm_counts);
	RUN(held_signal_abort);
	RUN(port_reuse_at_limit);
	RUN(refused_send_leaves_port);
	RUN(trace_rules);
	return check_summary();
}
