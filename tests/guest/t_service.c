/*
 * Issue 11, services: the functional rules (what RECEIVE copies, COPY
 * through the grant, REPLY with a body, synchronous and asynchronous
 * clients) and every failure rule in kernel/service.h, each with its
 * documented error, the message returned to its client exactly once,
 * the kernel and other tasks carrying on (a round trip to the echo
 * server, svcd echo) and the free page count back where it was.
 *
 * This test is init, so every helper is its child and may be killed.
 * It owns two services itself (the most a task may): S, which it
 * serves, often to itself as its own asynchronous client, and T.
 */
#include "../check.h"
#include "iso.h"
#include "svct.h"

#define ECHO_NO 5 /* the echo server's server number */
#define SELF_NO 7 /* ours, when we serve S */

static uint32_t S, T, echo_svc;
static int echo_tid;
static uint32_t base_free;
static struct drake_port port; /* our one reply port: one kport, kept */
static struct drake_svcport sp_s, sp_echo;
static char args[64];

/* Answer request r, open as handle h, as server `no` would. */
static int serve(uint32_t h, const struct svct_req *r, uint32_t no)
{
	if (r->req.grant_len >= 16) {
		uint32_t ab[2];
		long n = svc_copy(h, COPY_FROM_CLIENT, 0, ab, sizeof(ab));
		if (n < 0)
			return (int)-n;
		ab[0] = svct_grant0(ab[0], no);
		ab[1] = svct_grant1(ab[1]);
		n = svc_copy(h, COPY_TO_CLIENT, 8, ab, sizeof(ab));
		if (n < 0)
			return (int)-n;
	}
	struct svct_body b = {r->value, r->index, no, svct_check(r->value, no)};
	return -svc_reply(h, 0, svct_result(r->value, no), &b, sizeof(b));
}

/* A request with a 16-byte grant, as svcc makes them. */
static void fill(struct svct_req *r, uint32_t *grant, uint32_t value,
		 uint32_t index, uint32_t access)
{
	r->value = value;
	r->index = index;
	r->client = (uint32_t)sys_gettid();
	r->check = 0x5a5a5a5a;
	grant[0] = value;
	grant[1] = ~value;
	grant[2] = grant[3] = 0xdeadbeef;
	svc_grant(r, grant, 16, access);
}

static bool answered(const struct svct_req *r, const uint32_t *grant,
		     uint32_t value, uint32_t index, uint32_t no)
{
	const struct svct_body *b = (const struct svct_body *)&r->value;
	CHECK(r->req.hdr.flags & MSGF_DONE);
	CHECK_EQ(r->req.hdr.error, 0);
	CHECK(r->req.hdr.result == svct_result(value, no));
	CHECK_EQ(b->value, value);
	CHECK_EQ(b->index, index);
	CHECK_EQ(b->server, no);
	CHECK_EQ(b->check, svct_check(value, no));
	CHECK_EQ(grant[0], value);
	CHECK_EQ(grant[1], ~value);
	CHECK_EQ(grant[2], svct_grant0(value, no));
	CHECK_EQ(grant[3], svct_grant1(~value));
	return true;
}

/* Returned with `err`, and nothing else of it written: not its body,
 * not its grant. */
static bool untouched(const struct svct_req *r, const uint32_t *grant,
		      uint32_t value, uint32_t index, int err)
{
	CHECK(r->req.hdr.flags & MSGF_DONE);
	CHECK_EQ(r->req.hdr.error, err);
	CHECK_EQ(r->value, value);
	CHECK_EQ(r->index, index);
	CHECK_EQ(r->client, (uint32_t)sys_gettid());
	CHECK_EQ(r->check, 0x5a5a5a5a);
	CHECK_EQ(grant[0], value);
	CHECK_EQ(grant[1], ~value);
	CHECK_EQ(grant[2], 0xdeadbeef);
	CHECK_EQ(grant[3], 0xdeadbeef);
	return true;
}

/* Send r to S asynchronously, to our port. */
static bool self_send(struct svct_req *r, uint32_t *grant, uint32_t value,
		      uint32_t index)
{
	fill(r, grant, value, index, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(svc_call_async(&sp_s, r, SVCT_WORK, sizeof(*r), &port),
		 EASYNC);
	CHECK(!(r->req.hdr.flags & MSGF_DONE));
	return true;
}

/*
 * Exactly the n messages in want[] come back on our port, each once,
 * and then nothing more for 20 ms; if `last`, waitsys then knows of
 * nothing else in flight to the port.
 */
static bool returns_of(void *const *want, int n, bool last)
{
	static uint8_t seen[64];
	int got = 0;
	memset(seen, 0, sizeof(seen));
	uint64_t end = sys_uptime() + 2000;
	while (got < n && sys_uptime() < end) {
		if (!port.head)
			CHECK_EQ(waitsys(&port, NULL), 0);
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m)) {
			int i = 0;
			while (i < n && want[i] != (void *)m)
				i++;
			CHECK(i < n); /* one we expected */
			CHECK_EQ(seen[i]++, 0);
			got++;
		}
	}
	CHECK_EQ(got, n);
	sys_sleep(20);
	CHECK_EQ(port.head, 0);
	if (last)
		CHECK_EQ(waitsys(&port, NULL), ENOMSG);
	return true;
}

static bool returns_exactly(void *const *want, int n)
{
	return returns_of(want, n, true);
}

/* RECEIVE on S, with a request waiting (synchronous). */
static bool receive(struct svct_req *buf, uint32_t *h, uint32_t *client)
{
	uint32_t c;
	CHECK_EQ(svc_receive(S, buf, sizeof(*buf), h, client ? client : &c), 0);
	return true;
}

/* Nothing queued on S: an asynchronous RECEIVE parks; taken back. */
static bool s_queue_empty(void)
{
	static struct msg_receive rm;
	static struct svct_req buf;
	CHECK_EQ(svc_receive_async(&rm, S, &buf, sizeof(buf), &port), EASYNC);
	CHECK_EQ(sys_abort(&rm), 0);
	void *want[1] = {&rm};
	CHECK(returns_exactly(want, 1));
	CHECK_EQ(rm.hdr.error, ECANCELED);
	return true;
}

/* The kernel and other tasks carry on, and no page is lost: a round
 * trip to the echo server, S empty, the free page count as at start. */
static bool carry_on(void)
{
	struct svct_req r;
	uint32_t grant[4], free_now;
	fill(&r, grant, 0x1234, 9, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(svc_call(&sp_echo, &r, SVCT_WORK, sizeof(r)), 0);
	CHECK(answered(&r, grant, 0x1234, 9, ECHO_NO));
	CHECK(s_queue_empty());
	CHECK_EQ(sys_meminfo(&free_now, NULL), 0);
	CHECK_EQ(free_now, base_free);
	return true;
}

/* The name server, the echo server, our services, the limits on
 * creating them, and the free page count everything else goes back
 * to. */
static bool setup_and_service_limits(void)
{
	CHECK(sys_spawn("ns", NULL) > 0);
	fmt_snprintf(args, sizeof(args), "echo echo %d", ECHO_NO);
	CHECK((echo_tid = sys_spawn("svcd", args)) > 0);
	int id = svct_lookup("echo");
	CHECK(id > 0);
	echo_svc = (uint32_t)id;
	CHECK_EQ(svc_owner(echo_svc), echo_tid);
	svc_port_init(&sp_echo, echo_svc);

	CHECK_EQ(svc_create(0x80), -EINVAL);
	CHECK((id = svc_create(0)) > 0);
	S = (uint32_t)id;
	CHECK_EQ(svc_create(SVC_NAMES), -EBUSY); /* ns has it */
	CHECK((id = svc_create(0)) > 0);
	T = (uint32_t)id;
	CHECK(T != S && S != echo_svc && T != echo_svc);
	CHECK(S != SERVICE_NAMES && T != SERVICE_NAMES);
	/* SERVICE_PER_TASK (2): a third is refused */
	CHECK_EQ(SERVICE_PER_TASK, 2);
	CHECK_EQ(svc_create(0), -EAGAIN);
	CHECK_EQ(svc_owner(S), sys_gettid());
	CHECK_EQ(svc_owner(T), sys_gettid());
	CHECK_EQ(svc_owner(SERVICE_NAMES) > 1, 1);
	svc_port_init(&sp_s, S);
	port_init(&port, PORT_QUEUE, NULL, 0);

	/* warm up (our kport, the echo server's first request), then the
	 * baseline every test goes back to */
	struct svct_req r;
	uint32_t grant[4];
	fill(&r, grant, 1, 1, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(svc_call(&sp_echo, &r, SVCT_WORK, sizeof(r)), 0);
	CHECK(s_queue_empty());
	CHECK_EQ(sys_meminfo(&base_free, NULL), 0);
	CHECK(carry_on());
	return true;
}

/* A request to ourselves: what RECEIVE copies (the header with only
 * cmd and size, then the rest), COPY both ways through the grant, and a
 * REPLY whose result and body land in our message. */
static bool round_trip_to_ourselves(void)
{
	static struct svct_req r;
	static uint32_t grant[4];
	static uint8_t buf[128];
	const struct svct_req *q = (const struct svct_req *)buf;
	uint32_t h, client;
	CHECK(self_send(&r, grant, 0xabc, 3));
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(svc_receive(S, buf, sizeof(buf), &h, &client), 0);
	CHECK_EQ(client, sys_gettid());
	CHECK(h != 0);
	CHECK_EQ(q->req.hdr.cmd, SVCT_WORK);
	CHECK_EQ(q->req.hdr.size, sizeof(r));
	CHECK_EQ(q->req.hdr.flags, 0); /* the client's own business */
	CHECK_EQ(q->req.hdr.error, 0);
	CHECK(q->req.hdr.result == 0);
	CHECK_EQ(q->req.hdr.reply, 0);
	CHECK_EQ(q->req.hdr.count, 0);
	CHECK_EQ(q->req.hdr.link, 0);
	CHECK_EQ(q->req.grant, (uint32_t)grant);
	CHECK_EQ(q->req.grant_len, 16);
	CHECK_EQ(q->req.grant_access, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(q->value, 0xabc);
	CHECK_EQ(q->index, 3);
	CHECK_EQ(q->client, (uint32_t)sys_gettid());
	CHECK_EQ(q->check, 0x5a5a5a5a);
	for (uint32_t i = sizeof(r); i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0xee); /* nothing past the request */
	CHECK(!(r.req.hdr.flags & MSGF_DONE));
	CHECK_EQ(serve(h, q, SELF_NO), 0);
	void *want[1] = {&r};
	CHECK(returns_exactly(want, 1));
	CHECK(answered(&r, grant, 0xabc, 3, SELF_NO));

	/* a buffer RECEIVE cannot write: EFAULT, the request stays queued
	 * (and gets no handle: the next RECEIVE takes it) */
	CHECK(self_send(&r, grant, 0xdef, 4));
	CHECK_EQ(svc_receive(S, (void *)0x80000000, 64, &h, &client), -EFAULT);
	CHECK_EQ(svc_receive(S, (void *)0xbfffffc0, 0x80, &h, &client),
		 -EFAULT);
	CHECK(!(r.req.hdr.flags & MSGF_DONE));
	/* a short buffer: only its length is written */
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(svc_receive(S, buf, 20, &h, &client), 0);
	CHECK_EQ(q->req.hdr.cmd, SVCT_WORK);
	for (uint32_t i = 20; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0xee);
	/* REPLY's error and result, no body: the body stays the client's */
	CHECK_EQ(svc_reply(h, -1, 1, NULL, 0), -EINVAL);
	CHECK_EQ(svc_reply(h, EASYNC, 1, NULL, 0), -EINVAL);
	CHECK(!(r.req.hdr.flags & MSGF_DONE)); /* still open */
	CHECK_EQ(svc_reply(h, ENOENT, 77, NULL, 0), 0);
	CHECK(returns_exactly(want, 1));
	CHECK(untouched(&r, grant, 0xdef, 4, ENOENT));
	CHECK(r.req.hdr.result == 77);

	/* a body larger than the client's message: EMSGSIZE, still open */
	static uint8_t big[MSG_MAX_SIZE];
	CHECK(self_send(&r, grant, 5, 5));
	CHECK(receive((struct svct_req *)buf, &h, NULL));
	CHECK_EQ(svc_reply(h, 0, 1, big, sizeof(r) - sizeof(r.req) + 1),
		 -EMSGSIZE);
	CHECK(!(r.req.hdr.flags & MSGF_DONE));
	CHECK_EQ(svc_reply(h, 0, 2, NULL, 0), 0);
	CHECK(returns_exactly(want, 1));
	CHECK(untouched(&r, grant, 5, 5, 0));
	CHECK(r.req.hdr.result == 2);
	CHECK(carry_on());
	return true;
}

/* A synchronous client in another task: woken by our REPLY, with the
 * result, the body and the grant copies. */
static bool synchronous_client_served(void)
{
	struct svct_req buf;
	uint32_t h, client;
	fmt_snprintf(args, sizeof(args), "call %u", S);
	int c = sys_spawn("svcc", args);
	CHECK(c > 0);
	CHECK(receive(&buf, &h, &client));
	CHECK_EQ(client, c);
	CHECK_EQ(buf.value, 41);
	CHECK_EQ(serve(h, &buf, 0), 0);
	int status = -1;
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0); /* svcc checked the answer */
	CHECK(carry_on());
	return true;
}

/* A header filled in by hand, sentinels in every field the kernel
 * could write. */
static void hand_header(struct svct_req *r, uint16_t flags, uint32_t size)
{
	r->req.hdr.cmd = SVCT_WORK;
	r->req.hdr.flags = flags;
	r->req.hdr.error = 0x5a5a5a5a;
	r->req.hdr.result = 0x1122334455667788ull;
	r->req.hdr.reply = (drake_uaddr)&port;
	r->req.hdr.size = size;
	r->req.hdr.count = 0x77777777;
	r->req.hdr.link = 0x66666666;
}

/* sendsys through port p refuses r with `want`, writing nothing. */
static bool refused(const void *p, struct svct_req *r, uint32_t size, int want)
{
	static struct svct_req before;
	memcpy(&before, r, sizeof(before));
	int err = sendsys((struct drake_sysport *)p, r, size);
	if (err == EASYNC)
		sys_abort(r);
	CHECK_EQ(err, want);
	CHECK_EQ(memcmp(&before, r, sizeof(before)), 0);
	return true;
}

/* The service port's own errors: each refused, the message untouched,
 * nothing queued. */
static bool bad_service_port(void)
{
	static struct svct_req r;
	static uint32_t grant[4];
	static struct drake_sysport badsys = {.version = 1};
	struct drake_svcport p;
	const uint16_t flag[2] = {0, MSGF_ASYNC};
	for (int a = 0; a < 2; a++) {
		fill(&r, grant, 0x77, 7, GRANT_READ | GRANT_WRITE);
		hand_header(&r, flag[a], sizeof(r));
		/* wrong magic: EVERSION */
		svc_port_init(&p, S);
		p.magic = 0x12345678;
		CHECK(refused(&p, &r, sizeof(r), EVERSION));
		/* no such service: EPIPE (another generation of S's slot,
		 * and a slot never used) */
		svc_port_init(&p, S + (1u << 8));
		CHECK(refused(&p, &r, sizeof(r), EPIPE));
		svc_port_init(&p, 0x00ffff00u | 250);
		CHECK(refused(&p, &r, sizeof(r), EPIPE));
		svc_port_init(&p, 0);
		CHECK(refused(&p, &r, sizeof(r), EPIPE));
		/* the service port unreadable */
		CHECK(refused((void *)0x100000, &r, sizeof(r), EFAULT));
		/* a grant outside user memory: EFAULT */
		svc_port_init(&p, S);
		svc_grant(&r, (void *)0xc0000000, 16, GRANT_READ);
		CHECK(refused(&p, &r, sizeof(r), EFAULT));
		svc_grant(&r, (void *)0x100000, 16, GRANT_READ);
		CHECK(refused(&p, &r, sizeof(r), EFAULT));
		svc_grant(&r, (void *)0xfffffff0, 0x20, GRANT_WRITE);
		CHECK(refused(&p, &r, sizeof(r), EFAULT));
		svc_grant(&r, grant, 0x80000000u, GRANT_WRITE);
		CHECK(refused(&p, &r, sizeof(r), EFAULT));
		/* grant access bits that mean nothing: EINVAL */
		svc_grant(&r, grant, 16, GRANT_READ | 0x4);
		CHECK(refused(&p, &r, sizeof(r), EINVAL));
		svc_grant(&r, grant, 16, GRANT_READ | GRANT_WRITE);
		/* MSGF_LIVE on a request: EINVAL */
		hand_header(&r, flag[a] | MSGF_LIVE, sizeof(r));
		CHECK(refused(&p, &r, sizeof(r), EINVAL));
		/* sizes: below a drake_request, header disagreeing, too big */
		hand_header(&r, flag[a], sizeof(r.req) - 4);
		CHECK(refused(&p, &r, sizeof(r.req) - 4, EMSGSIZE));
		hand_header(&r, flag[a], sizeof(r) - 4);
		CHECK(refused(&p, &r, sizeof(r), EMSGSIZE));
		hand_header(&r, flag[a], MSG_MAX_SIZE + 4);
		CHECK(refused(&p, &r, MSG_MAX_SIZE + 4, EMSGSIZE));
	}
	/* asynchronous: the system port named for upcalls is checked */
	fill(&r, grant, 0x77, 7, GRANT_READ | GRANT_WRITE);
	hand_header(&r, MSGF_ASYNC, sizeof(r));
	svc_port_init(&p, S);
	p.sysport = (drake_uaddr)&badsys;
	CHECK(refused(&p, &r, sizeof(r), EVERSION));
	p.sysport = 0x100000;
	CHECK(refused(&p, &r, sizeof(r), EFAULT));
	CHECK_EQ(port.head, 0);
	CHECK(s_queue_empty());
	/* and the same message, put right, goes through */
	struct svct_req buf;
	uint32_t h;
	CHECK(self_send(&r, grant, 0x77, 7));
	CHECK(receive(&buf, &h, NULL));
	CHECK_EQ(serve(h, &buf, SELF_NO), 0);
	void *want[1] = {&r};
	CHECK(returns_exactly(want, 1));
	CHECK(answered(&r, grant, 0x77, 7, SELF_NO));
	CHECK(carry_on());
	return true;
}

/* A server killed with requests open and queued, from synchronous
 * clients (other tasks) and asynchronous ones (us): every one fails
 * with EPIPE, returned once; the dead service refuses new requests. */
static bool server_killed_with_requests(void)
{
	static struct svct_req a[3];
	static uint32_t grant[3][4];
	struct drake_svcport sp;
	int status = -1, c1, c2;
	CHECK((status = sys_spawn("svcd", "hold hold1 3")) > 0);
	int srv = status;
	int id = svct_lookup("hold1");
	CHECK(id > 0);
	svc_port_init(&sp, (uint32_t)id);
	fmt_snprintf(args, sizeof(args), "call %d", id);
	/* open: a[0], a[1] and c1's; queued: a[2] and c2's */
	for (int i = 0; i < 2; i++) {
		fill(&a[i], grant[i], 500 + i, i, GRANT_READ | GRANT_WRITE);
		CHECK_EQ(
		    svc_call_async(&sp, &a[i], SVCT_WORK, sizeof(a[i]), &port),
		    EASYNC);
	}
	CHECK((c1 = sys_spawn("svcc", args)) > 0);
	CHECK(iso_wait_settled((uint32_t)srv, 0, 1, 3000)); /* holds 3 */
	fill(&a[2], grant[2], 502, 2, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(svc_call_async(&sp, &a[2], SVCT_WORK, sizeof(a[2]), &port),
		 EASYNC);
	CHECK((c2 = sys_spawn("svcc", args)) > 0);
	CHECK(iso_wait_settled((uint32_t)c2, 0, 0, 3000));
	CHECK_EQ(port.head, 0);
	CHECK_EQ(sys_kill(srv, SIGKILL), 0);
	CHECK_EQ(sys_wait(srv, &status), 0);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGKILL));
	void *want[3] = {&a[0], &a[1], &a[2]};
	CHECK(returns_exactly(want, 3));
	for (int i = 0; i < 3; i++)
		CHECK(untouched(&a[i], grant[i], 500 + i, i, EPIPE));
	CHECK_EQ(sys_wait(c1, &status), 0);
	CHECK_EQ(status, EPIPE); /* and svcc saw it written as EPIPE */
	CHECK_EQ(sys_wait(c2, &status), 0);
	CHECK_EQ(status, EPIPE);
	/* the service is gone: refused at once, message untouched */
	fill(&a[0], grant[0], 600, 0, GRANT_READ | GRANT_WRITE);
	hand_header(&a[0], MSGF_ASYNC, sizeof(a[0]));
	CHECK(refused(&sp, &a[0], sizeof(a[0]), EPIPE));
	hand_header(&a[0], 0, sizeof(a[0]));
	CHECK(refused(&sp, &a[0], sizeof(a[0]), EPIPE));
	CHECK_EQ(svc_owner((uint32_t)id), -EPIPE);
	CHECK_EQ(svc_lookup("hold1"), -ENOENT); /* ns dropped the name */
	CHECK(carry_on());
	return true;
}

/* A synchronous client killed while its request is open: COPY and
 * REPLY get ECANCELED, then the handle is gone (ENOMSG). An
 * asynchronous client killed with one request open and 63 queued: the
 * queued ones leave the service's queue. */
static bool client_killed_mid_request(void)
{
	struct svct_req buf;
	uint32_t h, client, word = 0x11111111;
	struct svct_body b = {0};
	fmt_snprintf(args, sizeof(args), "call %u", S);
	int c = sys_spawn("svcc", args);
	CHECK(c > 0);
	CHECK(receive(&buf, &h, &client));
	CHECK_EQ(client, c);
	iso_kill_wait(c);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, &word, 4), -ECANCELED);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, &word, 4), -ECANCELED);
	CHECK_EQ(word, 0x11111111);
	CHECK_EQ(svc_reply(h, 0, 1, &b, sizeof(b)), -ECANCELED);
	CHECK_EQ(svc_reply(h, 0, 1, &b, sizeof(b)), -ENOMSG);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, &word, 4), -ENOMSG);

	fmt_snprintf(args, sizeof(args), "flood %u", S);
	CHECK((c = sys_spawn("svcc", args)) > 0);
	CHECK(iso_wait_settled((uint32_t)c, 0, MSG_INFLIGHT_MAX, 3000));
	CHECK(receive(&buf, &h, &client));
	CHECK_EQ(client, c);
	CHECK_EQ(buf.index, 0);
	iso_kill_wait(c);
	CHECK_EQ(svc_reply(h, 0, 1, &b, sizeof(b)), -ECANCELED);
	CHECK(s_queue_empty()); /* the 63 queued went with it */
	CHECK(carry_on());
	return true;
}

/* The client exits while the server COPYs into its 4 MiB grant, a
 * COPY the kernel does in steps with preemption points between them:
 * the COPY stops with ECANCELED (svcd bigcopy checks), the REPLY too,
 * and nothing of the dead client's is touched (no crash, no page lost).
 */
static bool client_exits_during_long_copy(void)
{
	int status = -1, srv, c;
	CHECK((srv = sys_spawn("svcd", "bigcopy big1")) > 0);
	int id = svct_lookup("big1");
	CHECK(id > 0);
	fmt_snprintf(args, sizeof(args), "bigexit %d 4096 30", id);
	CHECK((c = sys_spawn("svcc", args)) > 0);
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0);
	CHECK_EQ(sys_wait(srv, &status), 0);
	CHECK_EQ(status, 0);
	CHECK(carry_on());
	return true;
}

/* The client exited (normally) after we received its request: COPY and
 * REPLY get ECANCELED, a second REPLY ENOMSG. */
static bool reply_to_dead_client(void)
{
	struct svct_req buf;
	uint32_t h, client, word = 0x22222222;
	struct svct_body b = {0};
	int status = -1;
	fmt_snprintf(args, sizeof(args), "asyncexit %u 30", S);
	int c = sys_spawn("svcc", args);
	CHECK(c > 0);
	CHECK(receive(&buf, &h, &client));
	CHECK_EQ(client, c);
	CHECK_EQ(buf.value, 44);
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, &word, 4), -ECANCELED);
	CHECK_EQ(word, 0x22222222);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, &word, 4), -ECANCELED);
	CHECK_EQ(svc_reply(h, 0, 1, &b, sizeof(b)), -ECANCELED);
	CHECK_EQ(svc_reply(h, 0, 1, &b, sizeof(b)), -ENOMSG);
	/* and the same once it exited with its request still queued */
	CHECK((c = sys_spawn("svcc", args)) > 0);
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0);
	CHECK(carry_on()); /* S's queue is empty */
	return true;
}

/* A second REPLY, a COPY after the REPLY, handles never given out:
 * ENOMSG, and the message, returned once, keeps the first answer. */
static bool second_reply_and_stale_handles(void)
{
	static struct svct_req r;
	static uint32_t grant[4];
	struct svct_req buf;
	struct svct_body b = {1, 2, 3, 4};
	uint32_t h, word = 0x33333333;
	CHECK(self_send(&r, grant, 0x99, 9));
	CHECK(receive(&buf, &h, NULL));
	CHECK_EQ(serve(h, &buf, SELF_NO), 0);
	void *want[1] = {&r};
	CHECK(returns_exactly(want, 1));
	CHECK(answered(&r, grant, 0x99, 9, SELF_NO));
	CHECK_EQ(svc_reply(h, 0, 12345, &b, sizeof(b)), -ENOMSG);
	CHECK_EQ(svc_reply(h, ENOENT, 0, NULL, 0), -ENOMSG);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, &word, 4), -ENOMSG);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, &word, 4), -ENOMSG);
	CHECK_EQ(word, 0x33333333);
	CHECK(returns_exactly(NULL, 0));
	CHECK(answered(&r, grant, 0x99, 9, SELF_NO)); /* unchanged */
	/* handles nobody was given */
	const uint32_t bogus[] = {
	    0, 1, 0xffffffffu, h ^ 1, h ^ 0x20, h ^ (1u << 13), h + (1u << 13)};
	for (unsigned i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
		CHECK_EQ(svc_reply(bogus[i], 0, 1, NULL, 0), -ENOMSG);
		CHECK_EQ(svc_copy(bogus[i], COPY_TO_CLIENT, 0, &word, 4),
			 -ENOMSG);
	}
	CHECK(carry_on());
	return true;
}

static uint32_t area[12]; /* the grant is area[4..7] */
static uint32_t sbuf[8];  /* the server's side */

static void patterns(void)
{
	for (int i = 0; i < 12; i++)
		area[i] = 0xc0de0000u + (uint32_t)i;
	for (int i = 0; i < 8; i++)
		sbuf[i] = 0x5e5e0000u + (uint32_t)i;
}

static bool patterns_intact(void)
{
	for (int i = 0; i < 12; i++)
		CHECK_EQ(area[i], 0xc0de0000u + (uint32_t)i);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(sbuf[i], 0x5e5e0000u + (uint32_t)i);
	return true;
}

/* Our own request with the grant area[4..7] and `access`, open. */
static bool open_with_grant(struct svct_req *r, uint32_t access, uint32_t *h)
{
	struct svct_req buf;
	r->value = r->index = r->client = 0;
	r->check = 0x5a5a5a5a;
	svc_grant(r, &area[4], 16, access);
	CHECK_EQ(svc_call_async(&sp_s, r, SVCT_WORK, sizeof(*r), &port),
		 EASYNC);
	CHECK(receive(&buf, h, NULL));
	CHECK_EQ(buf.req.grant_access, access);
	return true;
}

/* COPY outside the grant or against its access: EFAULT, and not one
 * byte moved, on either side. */
static bool copy_outside_grant(void)
{
	static struct svct_req r;
	void *want[1] = {&r};
	uint32_t h;
	patterns();
	/* a read-only grant */
	CHECK(open_with_grant(&r, GRANT_READ, &h));
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, sbuf, 4), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 8, sbuf, 16), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 16, sbuf, 1), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 17, sbuf, 0), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 8, sbuf, 0xfffffffcu), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0xfffffff8u, sbuf, 16), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, (void *)0xc0000000, 4),
		 -EFAULT); /* our side outside user memory */
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, (void *)0x100000, 4),
		 -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, (void *)0x80000000, 4),
		 -EFAULT); /* user memory, but not mapped */
	CHECK_EQ(svc_copy(h, 2, 0, sbuf, 4), -EINVAL);
	CHECK(patterns_intact());
	CHECK(!(r.req.hdr.flags & MSGF_DONE));
	/* inside: exactly the bytes asked for */
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 4, sbuf, 8), 8);
	CHECK_EQ(sbuf[0], area[5]);
	CHECK_EQ(sbuf[1], area[6]);
	sbuf[0] = 0x5e5e0000u;
	sbuf[1] = 0x5e5e0001u;
	CHECK(patterns_intact());
	CHECK_EQ(svc_reply(h, 0, 1, NULL, 0), 0);
	CHECK(returns_exactly(want, 1));
	CHECK(patterns_intact());

	/* a write-only grant */
	CHECK(open_with_grant(&r, GRANT_WRITE, &h));
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, sbuf, 4), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 12, sbuf, 8), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, sbuf, 17), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 4, sbuf, 0xfffffffcu), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, (void *)0x80000000, 4),
		 -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, (void *)0xbffffffe, 4),
		 -EFAULT);
	CHECK(patterns_intact());
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 4, sbuf, 8), 8);
	CHECK_EQ(area[5], sbuf[0]);
	CHECK_EQ(area[6], sbuf[1]);
	area[5] = 0xc0de0005u;
	area[6] = 0xc0de0006u;
	CHECK(patterns_intact());
	CHECK_EQ(svc_reply(h, 0, 1, NULL, 0), 0);
	CHECK(returns_exactly(want, 1));

	/* no grant at all */
	r.value = r.index = 0;
	svc_grant(&r, NULL, 0, 0);
	CHECK_EQ(svc_call_async(&sp_s, &r, SVCT_WORK, sizeof(r), &port),
		 EASYNC);
	struct svct_req buf;
	CHECK(receive(&buf, &h, NULL));
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 0, sbuf, 4), -EFAULT);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, sbuf, 4), -EFAULT);
	CHECK(patterns_intact());
	CHECK_EQ(svc_reply(h, 0, 1, NULL, 0), 0);
	CHECK(returns_exactly(want, 1));
	CHECK(carry_on());
	return true;
}

/* One client floods S: MSG_INFLIGHT_MAX go in flight, the next is
 * EAGAIN (svcc checks). Our memory is not touched by them, other
 * clients are not refused, other servers answer; then every request is
 * answered, each once. */
static bool flood_of_async_requests(void)
{
	static struct svct_req own;
	static uint32_t grant[4];
	static struct svct_req buf;
	struct drake_taskinfo ti;
	uint32_t h, client, brk0, brk1;
	int status = -1;
	CHECK_EQ(sys_brk(0, &brk0), 0);
	memset(&buf, 0xee, sizeof(buf));
	fmt_snprintf(args, sizeof(args), "flood %u", S);
	int c = sys_spawn("svcc", args);
	CHECK(c > 0);
	CHECK(iso_wait_settled((uint32_t)c, 0, MSG_INFLIGHT_MAX, 3000));
	CHECK(iso_taskinfo((uint32_t)c, &ti));
	CHECK_EQ(ti.inflight, MSG_INFLIGHT_MAX);
	CHECK_EQ(sys_brk(0, &brk1), 0);
	CHECK_EQ(brk1, brk0);
	for (unsigned i = 0; i < sizeof(buf); i++)
		CHECK_EQ(((uint8_t *)&buf)[i], 0xee);
	CHECK(self_send(&own, grant, 0x4242, 64)); /* not refused */
	struct svct_req r;
	uint32_t g[4];
	fill(&r, g, 0x4343, 1, GRANT_READ | GRANT_WRITE);
	CHECK_EQ(svc_call(&sp_echo, &r, SVCT_WORK, sizeof(r)), 0);
	CHECK(answered(&r, g, 0x4343, 1, ECHO_NO));
	for (uint32_t i = 0; i <= MSG_INFLIGHT_MAX; i++) {
		CHECK(receive(&buf, &h, &client));
		CHECK_EQ(buf.index, i); /* in the order sent */
		if (i < MSG_INFLIGHT_MAX) {
			CHECK_EQ(client, c);
			CHECK_EQ(serve(h, &buf, 0), 0);
		} else {
			CHECK_EQ(client, sys_gettid());
			CHECK_EQ(serve(h, &buf, SELF_NO), 0);
		}
	}
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0); /* 64, EAGAIN, all answered once */
	void *want[1] = {&own};
	CHECK(returns_exactly(want, 1));
	CHECK(answered(&own, grant, 0x4242, 64, SELF_NO));
	CHECK(carry_on());
	return true;
}

/* ABORT of a queued request and of an open one: ECANCELED, returned
 * once; the server's COPY and REPLY then get ECANCELED and write
 * nothing. */
static bool abort_queued_and_open(void)
{
	static struct svct_req r1, r2;
	static uint32_t g1[4], g2[4];
	struct svct_req buf;
	struct svct_body b = {1, 2, 3, 4};
	uint32_t h, word[2] = {0x44444444, 0x55555555};
	CHECK(self_send(&r1, g1, 0x111, 1));
	CHECK_EQ(sys_abort(&r1), 0);
	void *want1[1] = {&r1};
	CHECK(returns_exactly(want1, 1));
	CHECK(untouched(&r1, g1, 0x111, 1, ECANCELED));
	CHECK_EQ(sys_abort(&r1), -ENOMSG);
	CHECK(s_queue_empty());

	CHECK(self_send(&r2, g2, 0x222, 2));
	CHECK(receive(&buf, &h, NULL));
	CHECK_EQ(buf.value, 0x222);
	CHECK_EQ(sys_abort(&r2), 0);
	void *want2[1] = {&r2};
	CHECK(returns_exactly(want2, 1));
	CHECK(untouched(&r2, g2, 0x222, 2, ECANCELED));
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 8, word, 8), -ECANCELED);
	CHECK_EQ(svc_copy(h, COPY_FROM_CLIENT, 0, word, 8), -ECANCELED);
	CHECK_EQ(word[0], 0x44444444);
	CHECK_EQ(word[1], 0x55555555);
	CHECK_EQ(svc_reply(h, 0, 5, &b, sizeof(b)), -ECANCELED);
	CHECK_EQ(svc_reply(h, 0, 5, &b, sizeof(b)), -ENOMSG);
	CHECK(returns_exactly(NULL, 0));
	CHECK(untouched(&r2, g2, 0x222, 2, ECANCELED));
	CHECK(r2.req.hdr.result != 5);
	CHECK_EQ(sys_abort(&r2), -ENOMSG);
	CHECK(carry_on());
	return true;
}

/* Synchronous requests interrupted by an upcall (a caught SIGUSR1):
 * EINTR, the request given up whether open or queued (svcc checks its
 * side: EINTR, the handler first, nothing written, before and after our
 * REPLY). */
static bool sync_request_interrupted(void)
{
	struct svct_req buf;
	struct svct_body b = {1, 2, 3, 4};
	uint32_t h, client, word = 0x66666666;
	int status = -1;
	fmt_snprintf(args, sizeof(args), "intr %u", S);
	int c1 = sys_spawn("svcc", args);
	CHECK(c1 > 0);
	CHECK(receive(&buf, &h, &client)); /* c1's: open */
	CHECK_EQ(client, c1);
	int c2 = sys_spawn("svcc", args); /* c2's: queued */
	CHECK(c2 > 0);
	CHECK(iso_wait_settled((uint32_t)c1, 1, 0, 3000));
	CHECK(iso_wait_settled((uint32_t)c2, 1, 0, 3000));
	CHECK_EQ(sys_kill(c1, SIGUSR1), 0);
	CHECK_EQ(sys_kill(c2, SIGUSR1), 0);
	/* each is back from its call: a long SLEEP in flight */
	CHECK(iso_wait_settled((uint32_t)c1, 1, 1, 3000));
	CHECK(iso_wait_settled((uint32_t)c2, 1, 1, 3000));
	CHECK_EQ(svc_copy(h, COPY_TO_CLIENT, 8, &word, 4), -ECANCELED);
	CHECK_EQ(svc_reply(h, 0, 5, &b, sizeof(b)), -ECANCELED);
	CHECK(s_queue_empty()); /* c2's left the queue */
	CHECK_EQ(sys_kill(c1, SIGUSR2), 0);
	CHECK_EQ(sys_kill(c2, SIGUSR2), 0);
	CHECK_EQ(sys_wait(c1, &status), 0);
	CHECK_EQ(status, 0);
	CHECK_EQ(sys_wait(c2, &status), 0);
	CHECK_EQ(status, 0);
	CHECK(carry_on());
	return true;
}

/* Someone else's service: RECEIVE is EPERM; a handle of ours used by
 * another task is ENOMSG (svcc steal) and stays ours. */
static bool receive_on_someone_elses_service(void)
{
	static struct svct_req r, buf;
	static struct msg_receive rm;
	static uint32_t grant[4];
	uint32_t h, client;
	int status = -1;
	CHECK_EQ(svc_receive(echo_svc, &buf, sizeof(buf), &h, &client), -EPERM);
	CHECK_EQ(svc_receive(SERVICE_NAMES, &buf, sizeof(buf), &h, &client),
		 -EPERM);
	CHECK_EQ(svc_receive_async(&rm, echo_svc, &buf, sizeof(buf), &port),
		 EPERM);
	CHECK_EQ(svc_receive(S + (1u << 8), &buf, sizeof(buf), &h, &client),
		 -EPIPE); /* no such service */
	CHECK(self_send(&r, grant, 0x5151, 51));
	CHECK(receive(&buf, &h, NULL));
	fmt_snprintf(args, sizeof(args), "steal %u %u", S, h);
	int c = sys_spawn("svcc", args);
	CHECK(c > 0);
	CHECK_EQ(sys_wait(c, &status), 0);
	CHECK_EQ(status, 0);
	CHECK(!(r.req.hdr.flags & MSGF_DONE));
	CHECK_EQ(serve(h, &buf, SELF_NO), 0);
	void *want[1] = {&r};
	CHECK(returns_exactly(want, 1));
	CHECK(answered(&r, grant, 0x5151, 51, SELF_NO));
	CHECK(carry_on());
	return true;
}

/* SERVICE_OPEN_MAX (32) open at once: the 33rd RECEIVE is EAGAIN (and
 * an asynchronous one refused), until a REPLY makes room. */
static bool open_max(void)
{
	enum { N = SERVICE_OPEN_MAX + 1 };
	static struct svct_req r[N], buf;
	static uint32_t grant[N][4], h[N];
	static struct msg_receive rm;
	static void *want[N];
	CHECK_EQ(SERVICE_OPEN_MAX, 32);
	for (int i = 0; i < N; i++) {
		CHECK(self_send(&r[i], grant[i], 1000 + i, i));
		want[i] = &r[i];
	}
	for (int i = 0; i < N - 1; i++) {
		CHECK(receive(&buf, &h[i], NULL));
		CHECK_EQ(buf.index, i);
	}
	uint32_t x, y;
	CHECK_EQ(svc_receive(S, &buf, sizeof(buf), &x, &y), -EAGAIN);
	CHECK_EQ(svc_receive_async(&rm, S, &buf, sizeof(buf), &port), EAGAIN);
	/* completed at once with the error, never queued on the port */
	CHECK(rm.hdr.flags & MSGF_DONE);
	CHECK_EQ(rm.hdr.error, EAGAIN);
	CHECK_EQ(port.head, 0);
	CHECK_EQ(svc_reply(h[0], 0, 0, NULL, 0), 0);
	CHECK(receive(&buf, &h[N - 1], NULL));
	CHECK_EQ(buf.index, N - 1);
	CHECK_EQ(svc_receive(S, &buf, sizeof(buf), &x, &y), -EAGAIN);
	/* two asynchronous RECEIVEs parked with 31 open: the first takes
	 * the next request, the second waits for room, not just for a
	 * request */
	static struct msg_receive ra, rb;
	static struct svct_req bufa, bufb, extra[2];
	static uint32_t gx[2][4];
	CHECK_EQ(svc_reply(h[1], 0, 0, NULL, 0), 0);
	CHECK(returns_of(want, 2, false)); /* r[0] and r[1] */
	CHECK_EQ(svc_receive_async(&ra, S, &bufa, sizeof(bufa), &port), EASYNC);
	CHECK_EQ(svc_receive_async(&rb, S, &bufb, sizeof(bufb), &port), EASYNC);
	CHECK(self_send(&extra[0], gx[0], 2000, 100));
	void *wa[1] = {&ra};
	CHECK(returns_of(wa, 1, false));
	CHECK_EQ(ra.hdr.error, 0);
	CHECK_EQ(bufa.index, 100);
	CHECK_EQ((uint32_t)(ra.hdr.result >> 32), (uint32_t)sys_gettid());
	CHECK(self_send(&extra[1], gx[1], 2001, 101)); /* 32 open: waits */
	sys_sleep(20);
	CHECK_EQ(port.head, 0);
	CHECK(!(rb.hdr.flags & MSGF_DONE));
	CHECK_EQ(svc_reply((uint32_t)ra.hdr.result, 0, 0, NULL, 0), 0);
	void *wb[2] = {&extra[0], &rb};
	CHECK(returns_of(wb, 2, false));
	CHECK_EQ(rb.hdr.error, 0);
	CHECK_EQ(bufb.index, 101);
	CHECK_EQ(svc_reply((uint32_t)rb.hdr.result, 0, 0, NULL, 0), 0);
	void *wc[1] = {&extra[1]};
	CHECK(returns_of(wc, 1, false));
	for (int i = N - 1; i > 1; i--) { /* last received, first answered */
		struct svct_req q = {.value = 1000u + (uint32_t)i,
				     .index = (uint32_t)i};
		q.req.grant_len = 16;
		CHECK_EQ(serve(h[i], &q, SELF_NO), 0);
	}
	CHECK(returns_exactly(want + 2, N - 2));
	CHECK(untouched(&r[0], grant[0], 1000, 0, 0));
	CHECK(untouched(&r[1], grant[1], 1001, 1, 0));
	for (int i = 2; i < N; i++)
		CHECK(answered(&r[i], grant[i], 1000 + i, i, SELF_NO));
	CHECK(carry_on());
	return true;
}

int main(void)
{
	RUN(setup_and_service_limits);
	RUN(round_trip_to_ourselves);
	RUN(synchronous_client_served);
	RUN(bad_service_port);
	RUN(server_killed_with_requests);
	RUN(client_killed_mid_request);
	RUN(client_exits_during_long_copy);
	RUN(reply_to_dead_client);
	RUN(second_reply_and_stale_handles);
	RUN(copy_outside_grant);
	RUN(flood_of_async_requests);
	RUN(abort_queued_and_open);
	RUN(sync_request_interrupted);
	RUN(receive_on_someone_elses_service);
	RUN(open_max);
	/* the echo server stops cleanly, having seen no errors */
	struct svct_req q;
	memset(&q, 0, sizeof(q));
	int status = -1;
	if (svc_call(&sp_echo, &q, SVCT_QUIT, sizeof(q)) || q.req.hdr.result ||
	    sys_wait(echo_tid, &status) || status)
		printf("FAIL: echo server quit (result %u, status %d)\n",
		       (uint32_t)q.req.hdr.result, status);
	return check_summary();
}
