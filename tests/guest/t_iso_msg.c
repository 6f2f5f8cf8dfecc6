/*
 * Issue 10, isolation of messages (docs/spec10 items 1, 7, 8 and 10):
 * MSGF_LIVE only where it means something, REARM and ABORT of live
 * messages (an aborted held message is finished in place, never pushed
 * on its port twice), the end of user memory, waitsys's ENOMSG,
 * TASKINFO's in-flight count, and the system port a refused send leaves
 * alone.
 */
#include "../check.h"
#include "iso.h"

static struct drake_port port;

/* A message header filled in by hand, with sentinels in every field the
 * kernel could write. */
static void fill(void *msg, uint16_t cmd, uint32_t size, uint16_t flags,
		 struct drake_port *reply)
{
	struct drake_msg *h = msg;
	h->cmd = cmd;
	h->flags = flags;
	h->error = 0x5a5a5a5a;
	h->result = 0x1122334455667788ull;
	h->reply = (drake_uaddr)reply;
	h->size = size;
	h->count = 0x77777777;
	h->link = 0x66666666;
}

/* Send a hand-made message; expect EINVAL and not one byte written. If
 * it went in flight instead, abort it so the next test starts clean. */
static bool refused_untouched(void *msg, uint32_t size)
{
	static uint8_t before[MSG_MAX_SIZE];
	memcpy(before, msg, size);
	int err = sendsys(&sys_port, msg, size);
	if (err == EASYNC) {
		sys_abort(msg);
		port_take(&port);
	}
	CHECK_EQ(err, EINVAL);
	CHECK_EQ(memcmp(before, msg, size), 0);
	return true;
}

/* 1: MSGF_LIVE on a command other than SIGNAL and TIMER, or without
 * MSGF_ASYNC, is refused with EINVAL and the message is not written. */
static bool live_flag_refused_elsewhere(void)
{
	const uint16_t live = MSGF_ASYNC | MSGF_LIVE | MSGF_DONE;
	port_init(&port, PORT_QUEUE, NULL, 0);
	struct drake_msg nop;
	fill(&nop, CMD_NOP, sizeof(nop), live, &port);
	CHECK(refused_untouched(&nop, sizeof(nop)));
	fill(&nop, CMD_GETTID, sizeof(nop), live, &port);
	CHECK(refused_untouched(&nop, sizeof(nop)));
	struct msg_sleep s;
	fill(&s, CMD_SLEEP, sizeof(s), live, &port);
	s.ms = 20;
	CHECK(refused_untouched(&s, sizeof(s)));
	struct msg_ticks t;
	fill(&t, CMD_TICKS, sizeof(t), live, &port);
	t.ticks = 2;
	CHECK(refused_untouched(&t, sizeof(t)));
	fill(&t, CMD_TICKS, sizeof(t), live, &port);
	t.ticks = 0;
	CHECK(refused_untouched(&t, sizeof(t)));
	struct msg_write w;
	fill(&w, CMD_WRITE, sizeof(w), live, &port);
	w.buf = (drake_uaddr) "";
	w.len = 0;
	CHECK(refused_untouched(&w, sizeof(w)));
	/* MSGF_LIVE without MSGF_ASYNC, on the live commands themselves */
	struct msg_signal sg;
	fill(&sg, CMD_SIGNAL, sizeof(sg), MSGF_LIVE | MSGF_DONE, NULL);
	sg.mask = SIGBIT(SIGUSR1);
	sg.sender = 0x12345678;
	CHECK(refused_untouched(&sg, sizeof(sg)));
	struct msg_timer tm;
	fill(&tm, CMD_TIMER, sizeof(tm), MSGF_LIVE | MSGF_DONE, NULL);
	tm.delay_ms = 10;
	tm.period_ms = 10;
	CHECK(refused_untouched(&tm, sizeof(tm)));
	CHECK(port.head == 0);
	/* and the two that may be live still can be */
	fill(&sg, CMD_SIGNAL, sizeof(sg), MSGF_ASYNC | MSGF_LIVE, &port);
	CHECK_EQ(sendsys(&sys_port, &sg, sizeof(sg)), EASYNC);
	CHECK_EQ(sys_abort(&sg), 0);
	fill(&tm, CMD_TIMER, sizeof(tm), MSGF_ASYNC | MSGF_LIVE, &port);
	CHECK_EQ(sendsys(&sys_port, &tm, sizeof(tm)), EASYNC);
	CHECK_EQ(sys_abort(&tm), 0);
	port_take(&port);
	return true;
}

/* 1: REARM of anything but a live message in flight is ENOMSG. */
static bool rearm_needs_live_in_flight(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	struct msg_sleep never = {.ms = 1};
	CHECK_EQ(sys_rearm(&never), -ENOMSG);
	struct msg_sleep s = {.ms = 100000};
	CHECK_EQ(sys_send_async(&s, CMD_SLEEP, sizeof(s), &port), EASYNC);
	CHECK_EQ(sys_rearm(&s), -ENOMSG); /* in flight, but not live */
	CHECK_EQ(sys_abort(&s), 0);
	struct msg_timer t = {.delay_ms = 10};
	t.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&t, CMD_TIMER, sizeof(t), &port), EASYNC);
	sys_sleep(50); /* a one-shot timer: returned once, then done */
	CHECK_EQ(sys_rearm(&t), -ENOMSG);
	port_take(&port);
	return true;
}

/* How many times m occurs on a taken chain (at most 10 links walked:
 * a message linked to itself must not hang the test). */
static int chain_count(struct drake_msg *chain, struct drake_msg *m, int *len)
{
	int n = 0, i = 0;
	for (struct drake_msg *p = chain; p && i < 10; p = port_next(p), i++)
		n += p == m;
	*len = i;
	return n;
}

static struct msg_signal sig;

static bool send_sig(void)
{
	sys_abort(&sig); /* left in flight by a test that failed */
	port_take(&port);
	memset(&sig, 0, sizeof(sig));
	sig.mask = SIGBIT(SIGUSR1);
	sig.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&sig, CMD_SIGNAL, sizeof(sig), &port), EASYNC);
	return true;
}

/* ABORT with its own result read back. */
static int abort_count(void *msg, uint32_t *count)
{
	struct msg_abort a = {.target = (drake_uaddr)msg};
	int err = sys_send(&a, CMD_ABORT, sizeof(a));
	*count = (uint32_t)a.hdr.result;
	return err;
}

/* 1: a REARM then an ABORT: the message comes back exactly once. */
static bool abort_after_rearm_returns_once(void)
{
	int len;
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_sig());
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	CHECK_EQ(sys_rearm(&sig), 0); /* nothing pending: armed again */
	CHECK(port.head == 0);
	CHECK_EQ(sys_abort(&sig), 0);
	struct drake_msg *chain = port_take(&port);
	CHECK_EQ(chain_count(chain, &sig.hdr, &len), 1);
	CHECK_EQ(len, 1);
	CHECK_EQ(sig.hdr.error, ECANCELED);
	sys_sleep(30);
	CHECK(port.head == 0);
	CHECK_EQ(sys_abort(&sig), -ENOMSG);
	/* the same with events pending at the REARM: REARM returns it at
	 * once (held, on the port), and the ABORT that follows finishes it
	 * in place instead of pushing it a second time */
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_sig());
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(sys_rearm(&sig), 0);
	CHECK_EQ(port.head, (uint32_t)&sig);
	CHECK_EQ(sig.hdr.count, 2);
	CHECK_EQ(sys_abort(&sig), 0);
	CHECK(sig.hdr.link != (uint32_t)&sig); /* never linked to itself */
	chain = port_take(&port);
	CHECK_EQ(chain_count(chain, &sig.hdr, &len), 1);
	CHECK_EQ(len, 1);
	CHECK_EQ(sig.hdr.error, ECANCELED);
	CHECK_EQ(sys_abort(&sig), -ENOMSG);
	return true;
}

/* 7: ABORT of a held live message still on its port: finished in
 * place, count = the events since its last return, = ABORT's result. */
static bool abort_held_on_port_finishes_in_place(void)
{
	uint32_t n = 99;
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_sig());
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(port.head, (uint32_t)&sig);
	CHECK_EQ(sig.hdr.link, 0);
	for (int i = 0; i < 3; i++) /* counted while held */
		CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(abort_count(&sig, &n), 0);
	CHECK_EQ(port.head, (uint32_t)&sig); /* not pushed again */
	CHECK_EQ(sig.hdr.link, 0);	     /* so not linked to itself */
	CHECK_EQ(sig.hdr.error, ECANCELED);
	CHECK((sig.hdr.flags & (MSGF_DONE | MSGF_HELD)) == MSGF_DONE);
	CHECK_EQ(sig.hdr.count, 3);
	CHECK_EQ(n, 3);
	int len;
	CHECK_EQ(chain_count(port_take(&port), &sig.hdr, &len), 1);
	CHECK_EQ(len, 1);
	return true;
}

/* 7: ABORT of a held live message already taken off its port, with no
 * event since: finished in place with count 0, the port left empty. */
static bool abort_held_taken_stays_off_port(void)
{
	uint32_t n = 99;
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_sig());
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	CHECK_EQ(abort_count(&sig, &n), 0);
	CHECK(port.head == 0);
	CHECK_EQ(sig.hdr.error, ECANCELED);
	CHECK((sig.hdr.flags & (MSGF_DONE | MSGF_HELD)) == MSGF_DONE);
	CHECK_EQ(sig.hdr.count, 0);
	CHECK_EQ(n, 0);
	/* a held periodic timer: the expiries missed while held */
	struct msg_timer t = {.period_ms = 10};
	t.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&t, CMD_TIMER, sizeof(t), &port), EASYNC);
	CHECK_EQ(waitsys(&port, NULL), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&t);
	sys_sleep(60);
	CHECK_EQ(abort_count(&t, &n), 0);
	CHECK(port.head == 0);
	CHECK_EQ(t.hdr.error, ECANCELED);
	CHECK((t.hdr.flags & (MSGF_DONE | MSGF_HELD)) == MSGF_DONE);
	CHECK(n >= 3 && n <= 8);
	CHECK_EQ(t.hdr.count, n);
	return true;
}

/* Send an asynchronous READ of (buf, len): the answer, with anything
 * that went in flight aborted. */
static int read_async(uint32_t buf, uint32_t len)
{
	static struct msg_read r;
	r.buf = buf;
	r.len = len;
	int err = sys_send_async(&r, CMD_READ, sizeof(r), &port);
	if (err == EASYNC) {
		sys_abort(&r);
		port_take(&port);
	}
	return err;
}

/* 8: user memory ends at 0xC0000000; a range reaching it, or wrapping,
 * is EFAULT at once (a READ never parks on it). */
static bool user_memory_ends_at_c0000000(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(read_async(0xC0000001u, 1), EFAULT);
	CHECK_EQ(read_async(0xC0000000u, 1), EFAULT);
	CHECK_EQ(read_async(0xBFFFFFFFu, 2), EFAULT);
	CHECK_EQ(read_async(0xFFFFFFFFu, 2), EFAULT);
	CHECK_EQ(read_async(0xFFFFF000u, 0x2000), EFAULT);
	CHECK_EQ(sys_write((void *)0xC0000001u, 1), -EFAULT);
	CHECK_EQ(sys_write((void *)0xFFFFFFF0u, 0x20), -EFAULT);
	CHECK_EQ(sys_taskinfo(0, (void *)0xC0000001u), -EFAULT);
	CHECK(port.head == 0);
	return true;
}

/* 8: sys_spawn(name, NULL): no arguments, no address needed. */
static bool spawn_with_null_args(void)
{
	int status = -1;
	int tid = sys_spawn("exitcode", NULL);
	CHECK(tid > 0);
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(status, 0);
	struct msg_spawn m = {.name = (drake_uaddr) "exitcode",
			      .namelen = 8,
			      .args = 0,
			      .argslen = 0};
	CHECK_EQ(sys_send(&m, CMD_SPAWN, sizeof(m)), 0);
	CHECK_EQ(sys_wait((int)m.hdr.result, &status), 0);
	CHECK_EQ(status, 0);
	return true;
}

static volatile int upcalls;
static struct drake_port other;

static void kill_and_rearm(struct drake_port *p)
{
	port_take(p);
	upcalls++;
	sys_kill(sys_gettid(), SIGUSR1); /* counted: sig is held */
	sys_rearm(&sig);		 /* so it goes back on `port` */
}

/* 10: waitsys(P, 0) is ENOMSG at once when nothing in flight names P,
 * even while other messages are in flight; a held live message naming
 * P keeps it waiting. */
static bool waitsys_enomsg_per_port(void)
{
	struct drake_port empty;
	struct msg_sleep s = {.ms = 1000};
	port_init(&port, PORT_QUEUE, NULL, 0);
	port_init(&empty, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&s, CMD_SLEEP, sizeof(s), &port), EASYNC);
	uint64_t t0 = sys_uptime();
	int err = waitsys(&empty, NULL);
	uint64_t waited = sys_uptime() - t0;
	sys_abort(&s);
	port_take(&port);
	CHECK_EQ(err, ENOMSG);
	CHECK(waited < 500); /* not after the 1 s sleep came back */
	/* a held live message still names `port` */
	CHECK(send_sig());
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	struct msg_ticks t = {.ticks = 5};
	upcalls = 0;
	port_init(&other, PORT_UPCALL, kill_and_rearm, 0);
	CHECK_EQ(sys_send_async(&t, CMD_TICKS, sizeof(t), &other), EASYNC);
	err = waitsys(&port, NULL);
	CHECK(err != ENOMSG);
	CHECK_EQ(upcalls, 1);
	CHECK_EQ(port.head, (uint32_t)&sig);
	CHECK_EQ(sys_abort(&sig), 0);
	port_take(&port);
	return true;
}

/* 10: TASKINFO.inflight never exceeds MSG_INFLIGHT_MAX; a synchronous
 * call blocked with 64 asynchronous ones in flight is not counted and
 * is not refused. */
static bool taskinfo_inflight_capped(void)
{
	struct drake_taskinfo ti;
	int tid = sys_spawn("isokid", "inflight64 400");
	CHECK(tid > 0);
	CHECK(iso_wait_settled((uint32_t)tid, 0, MSG_INFLIGHT_MAX, 2000));
	CHECK(iso_taskinfo((uint32_t)tid, &ti));
	int status = -1;
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(ti.inflight, MSG_INFLIGHT_MAX);
	CHECK_EQ(status, 0);
	return true;
}

/* TASKINFO writes a 52-byte struct drake_taskinfo, no more. */
static bool taskinfo_is_52_bytes(void)
{
	static uint8_t buf[64];
	memset(buf, 0xa5, sizeof(buf));
	CHECK(sys_taskinfo(0, (struct drake_taskinfo *)buf) >= 0);
	CHECK_EQ(((struct drake_taskinfo *)buf)->tid, 1);
	for (int i = 52; i < 64; i++)
		CHECK_EQ(buf[i], 0xa5);
	return true;
}

extern void upcall_entry(void);
static struct drake_sysport alt = {
    .version = DRAKE_ABI_VERSION,
    .crit = 1, /* if the kernel looked here, PORT_CRIT would wait */
};
static struct drake_port critport;
static volatile int crit_upcalls;

static void on_crit(struct drake_port *p)
{
	port_for_each(m, port_take(p))
	{
		crit_upcalls++;
		sys_rearm(m);
	}
}

/* After a refused send through `alt`, a signal to a PORT_CRIT port
 * must still upcall at once: the kernel kept using sys_port. */
static bool upcall_after_refusal(void *msg, uint32_t size, int want)
{
	crit_upcalls = 0;
	CHECK_EQ(sendsys(&alt, msg, size), want);
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	int seen = crit_upcalls;
	alt.pending = 0;
	/* put things right: an accepted send names sys_port again, and
	 * flushsys() delivers anything held back */
	struct drake_msg nop;
	sys_send_async(&nop, CMD_NOP, sizeof(nop), NULL);
	flushsys();
	CHECK_EQ(seen, 1);
	return true;
}

/* 10: a refused asynchronous send does not change which system port
 * the kernel uses for the task's upcalls. */
static bool refused_send_keeps_sysport(void)
{
	alt.upcall_entry = (drake_uaddr)upcall_entry;
	port_init(&critport, PORT_CRIT, on_crit, 0);
	struct msg_signal s = {.mask = SIGBIT(SIGUSR1)};
	s.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&s, CMD_SIGNAL, sizeof(s), &critport), EASYNC);
	/* refused: a reply port with a bad mode */
	struct drake_port bad = {.mode = 9};
	struct msg_ticks t = {.ticks = 1};
	fill(&t, CMD_TICKS, sizeof(t), MSGF_ASYNC, &bad);
	t.ticks = 1;
	bool ok = upcall_after_refusal(&t, sizeof(t), EINVAL);
	/* refused: already in flight (s itself, sent again) */
	ok = ok && upcall_after_refusal(&s, sizeof(s), EBUSY);
	CHECK_EQ(sys_abort(&s), 0);
	port_take(&critport);
	CHECK(ok);
	return true;
}

int main(void)
{
	RUN(live_flag_refused_elsewhere);
	RUN(rearm_needs_live_in_flight);
	RUN(abort_after_rearm_returns_once);
	RUN(abort_held_on_port_finishes_in_place);
	RUN(abort_held_taken_stays_off_port);
	RUN(user_memory_ends_at_c0000000);
	RUN(spawn_with_null_args);
	RUN(waitsys_enomsg_per_port);
	RUN(taskinfo_inflight_capped);
	RUN(taskinfo_is_52_bytes);
	RUN(refused_send_keeps_sysport);
	return check_summary();
}
