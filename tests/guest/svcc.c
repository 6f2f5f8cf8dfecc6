/*
 * Test client for the service tests: one program, several roles, chosen
 * by the first argument. SVC is a service id. Results come back as the
 * exit status: an error code, or 0 for "every check held" (otherwise
 * which check failed, and a line on the console).
 *
 *   call SVC         one synchronous SVCT_WORK request with a 16-byte
 *                    grant: exit with its error code (EPIPE, ...); for
 *                    an error, 1000 + n if the message was not returned
 *                    as the code says (error field, MSGF_DONE, its body
 *                    and grant untouched); for 0, 2000 + n if the answer
 *                    was wrong
 *   intr SVC         catch SIGUSR1 and SIGUSR2; one synchronous request
 *                    its parent interrupts with SIGUSR1: it must return
 *                    EINTR, the handler having run. Then it puts a long
 *                    SLEEP in flight (TASKINFO inflight 1: "interrupted")
 *                    and waits for SIGUSR2, meanwhile the parent
 *                    replies; the message must still be untouched
 *   flood SVC        asynchronous requests until one is refused: 0 if
 *                    MSG_INFLIGHT_MAX went in flight and the next got
 *                    EAGAIN, then every one came back once, answered
 *   asyncexit SVC MS one asynchronous request, then exit after MS ms
 *   bigexit SVC KB MS
 *                    one asynchronous request granting KB KiB (write),
 *                    then exit after MS ms
 *   steal SVC HANDLE RECEIVE on SVC, REPLY and COPY with HANDLE, none of
 *                    them ours: 0 if they get EPERM, ENOMSG, ENOMSG
 *   storm NO SVC0 SVC1 N
 *                    the stress client: N SVCT_WORK requests, alternating
 *                    between the two services, in phases of 125 that
 *                    cycle through synchronous calls and asynchronous
 *                    ones (8 in flight) returned to a PORT_QUEUE,
 *                    PORT_UPCALL, PORT_CRIT and PORT_TIMEOUT port; every
 *                    answer is checked and every message must come back
 *                    exactly once
 */
#include "svct.h"

static struct drake_svcport sp;

static void fill_req(struct svct_req *r, uint32_t value, uint32_t index,
		     uint32_t *grant)
{
	r->value = value;
	r->index = index;
	r->client = (uint32_t)sys_gettid();
	r->check = 0x5a5a5a5a;
	grant[0] = value;
	grant[1] = ~value;
	grant[2] = grant[3] = 0xdeadbeef;
	svc_grant(r, grant, 16, GRANT_READ | GRANT_WRITE);
}

/* Is r, sent with value/index and grant, answered by `server`? */
static bool answered(const struct svct_req *r, uint32_t value, uint32_t index,
		     const uint32_t *grant, uint32_t server)
{
	const struct svct_body *b = (const struct svct_body *)&r->value;
	return (r->req.hdr.flags & MSGF_DONE) && r->req.hdr.error == 0 &&
	       r->req.hdr.result == svct_result(value, server) &&
	       b->value == value && b->index == index && b->server == server &&
	       b->check == svct_check(value, server) && grant[0] == value &&
	       grant[1] == ~value && grant[2] == svct_grant0(value, server) &&
	       grant[3] == svct_grant1(~value);
}

/* Was r, sent with value/index and grant, returned with `err` and
 * nothing else written? */
static bool untouched(const struct svct_req *r, uint32_t value, uint32_t index,
		      const uint32_t *grant, int err)
{
	return (r->req.hdr.flags & MSGF_DONE) && r->req.hdr.error == err &&
	       r->value == value && r->index == index &&
	       r->check == 0x5a5a5a5a && grant[0] == value &&
	       grant[1] == ~value && grant[2] == 0xdeadbeef &&
	       grant[3] == 0xdeadbeef;
}

static int call(void)
{
	struct svct_req r;
	uint32_t grant[4];
	fill_req(&r, 41, 0, grant);
	int err = svc_call(&sp, &r, SVCT_WORK, sizeof(r));
	if (err && !untouched(&r, 41, 0, grant, err)) {
		printf("svcc call: returned %d, not as it says\n", err);
		return 1000 + err;
	}
	if (!err && !answered(&r, 41, 0, grant, 0)) {
		printf("svcc call: wrong answer\n");
		return 2000;
	}
	return err;
}

static volatile uint32_t usr1, usr2;

static void on_signal(uint32_t bits, uint32_t count, uint32_t addr,
		      uint32_t sender)
{
	(void)count;
	(void)addr;
	(void)sender;
	if (bits & SIGBIT(SIGUSR1))
		usr1++;
	if (bits & SIGBIT(SIGUSR2))
		usr2++;
}

static int intr(void)
{
	static struct msg_sleep marker = {.ms = 100000000};
	struct svct_req r;
	uint32_t grant[4];
	if (signal_catch(SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2), on_signal) < 0)
		return 1;
	fill_req(&r, 43, 1, grant);
	int err = svc_call(&sp, &r, SVCT_WORK, sizeof(r));
	if (err != EINTR) {
		printf("svcc intr: the call returned %d\n", err);
		return 2;
	}
	if (usr1 != 1)
		return 3; /* the handler did not run first */
	if (!untouched(&r, 43, 1, grant, EINTR))
		return 4;
	sys_send_async(&marker, CMD_SLEEP, sizeof(marker), NULL);
	while (!usr2) { /* a long SLEEP the SIGUSR2 upcall interrupts */
		struct msg_sleep s = {.ms = 100000};
		sys_send(&s, CMD_SLEEP, sizeof(s));
	}
	sys_abort(&marker);
	if (!untouched(&r, 43, 1, grant, EINTR))
		return 5; /* the parent's reply got through */
	return 0;
}

static int flood(void)
{
	static struct svct_req r[MSG_INFLIGHT_MAX + 1];
	static uint32_t grant[MSG_INFLIGHT_MAX + 1][4];
	static uint8_t returns[MSG_INFLIGHT_MAX + 1];
	struct drake_port port;
	port_init(&port, PORT_QUEUE, NULL, 0);
	uint32_t n = 0;
	int err = 0;
	while (n <= MSG_INFLIGHT_MAX) {
		fill_req(&r[n], 100 + n, n, grant[n]);
		err =
		    svc_call_async(&sp, &r[n], SVCT_WORK, sizeof(r[n]), &port);
		if (err != EASYNC)
			break;
		n++;
	}
	if (n != MSG_INFLIGHT_MAX || err != EAGAIN) {
		printf("svcc flood: %u in flight, then %d\n", n, err);
		return 1;
	}
	/* refused: not written at all (still as fill_req left it) */
	if ((r[n].req.hdr.flags & MSGF_DONE) || r[n].req.hdr.error ||
	    r[n].check != 0x5a5a5a5a)
		return 2;
	uint32_t got = 0;
	while (got < n) {
		if (waitsys(&port, NULL) == ENOMSG)
			return 3;
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m)) {
			uint32_t i = (uint32_t)((struct svct_req *)m - r);
			if (i >= n || returns[i]++)
				return 4; /* a stranger, or twice */
			if (!answered(&r[i], 100 + i, i, grant[i], 0))
				return 5;
			got++;
		}
	}
	sys_sleep(30);
	if (port.head || waitsys(&port, NULL) != ENOMSG)
		return 6;
	return 0;
}

static int asyncexit(uint32_t ms)
{
	static struct svct_req r;
	static uint32_t grant[4];
	static struct drake_port port;
	port_init(&port, PORT_QUEUE, NULL, 0);
	fill_req(&r, 44, 2, grant);
	if (svc_call_async(&sp, &r, SVCT_WORK, sizeof(r), &port) != EASYNC)
		return 1;
	sys_sleep(ms);
	return 0;
}

static int bigexit(uint32_t kb, uint32_t ms)
{
	static struct svct_req r;
	static struct drake_port port;
	uint8_t *big = malloc(kb * 1024);
	if (!big)
		return 1;
	port_init(&port, PORT_QUEUE, NULL, 0);
	r.value = 45;
	svc_grant(&r, big, kb * 1024, GRANT_WRITE);
	if (svc_call_async(&sp, &r, SVCT_WORK, sizeof(r), &port) != EASYNC)
		return 2;
	sys_sleep(ms);
	return 0;
}

static int steal(uint32_t svc, uint32_t handle)
{
	struct svct_req buf;
	uint32_t h, c, word = 0;
	int err = svc_receive(svc, &buf, sizeof(buf), &h, &c);
	if (err != -EPERM)
		return 1;
	struct msg_receive rm;
	struct drake_port port;
	port_init(&port, PORT_QUEUE, NULL, 0);
	if (svc_receive_async(&rm, svc, &buf, sizeof(buf), &port) != EPERM)
		return 2;
	if (svc_reply(handle, 0, 1, &word, sizeof(word)) != -ENOMSG)
		return 3;
	if (svc_copy(handle, COPY_TO_CLIENT, 0, &word, 4) != -ENOMSG)
		return 4;
	if (svc_copy(handle, COPY_FROM_CLIENT, 0, &word, 4) != -ENOMSG)
		return 5;
	return 0;
}

/* The stress client. */

#define PHASE  125
#define WINDOW 8

struct slot {
	struct svct_req r;
	uint32_t grant[4];
	uint32_t index, value, server;
	volatile int busy;
};

static struct slot slots[WINDOW];
static uint8_t *returns;
static volatile uint32_t up_done; /* written by the upcall handler only */
static uint32_t main_done;	  /* written by main only */
static volatile uint32_t bad;	  /* first failure seen (handler) */
static uint32_t main_bad;	  /* first failure seen (main) */
static uint32_t client_no;
static volatile uint32_t up_calls, up_timeouts; /* handler only */

static uint32_t check_slot(struct drake_msg *m)
{
	struct slot *s = (struct slot *)m;
	uint32_t i = (uint32_t)((uint32_t)m - (uint32_t)slots) / sizeof(*s);
	if (i >= WINDOW || s != &slots[i])
		return 1; /* not one of ours */
	if (!s->busy)
		return 2; /* returned again */
	s->busy = 0;
	returns[s->index]++;
	if (!answered(&s->r, s->value, s->index, s->grant, s->server))
		return 3;
	return 0;
}

static void on_reply(struct drake_port *p)
{
	if (p->mode == PORT_CRIT && sys_port.crit != 1 && !bad)
		bad = 4; /* ran inside a critical section */
	up_calls++;
	if (p->mode == PORT_TIMEOUT)
		up_timeouts++;
	for (struct drake_msg *m = port_take(p); m; m = port_next(m)) {
		uint32_t e = check_slot(m);
		if (e && !bad)
			bad = e;
		up_done++;
	}
}

static uint32_t main_take(struct drake_port *p)
{
	uint32_t n = 0;
	for (struct drake_msg *m = port_take(p); m; m = port_next(m)) {
		uint32_t e = check_slot(m);
		if (e && !main_bad)
			main_bad = e;
		main_done++;
		n++;
	}
	return n;
}

static uint32_t value_of(uint32_t i)
{
	return i * 0x2545f491u + client_no * 0x10001u + 17;
}

static struct drake_svcport svcs[2];

static int storm_sync(uint32_t first, uint32_t n)
{
	for (uint32_t i = first; i < first + n; i++) {
		struct slot *s = &slots[0];
		s->index = i;
		s->value = value_of(i);
		s->server = (i + client_no) & 1;
		fill_req(&s->r, s->value, i, s->grant);
		int err =
		    svc_call(&svcs[s->server], &s->r, SVCT_WORK, sizeof(s->r));
		returns[i]++;
		if (err || !answered(&s->r, s->value, i, s->grant, s->server)) {
			printf("svcc storm %u: sync request %u: %d\n",
			       client_no, i, err);
			return 10;
		}
	}
	return 0;
}

static int storm_async(uint32_t first, uint32_t n, struct drake_port *port)
{
	bool crit = port->mode == PORT_CRIT;
	uint32_t sent = 0, waits = 0;
	uint32_t done0 = main_done + up_done;
	while (main_done + up_done - done0 < n) {
		if (crit)
			crit_enter();
		for (int k = 0; k < WINDOW && sent < n; k++) {
			struct slot *s = &slots[k];
			if (s->busy)
				continue;
			uint32_t i = first + sent;
			s->index = i;
			s->value = value_of(i);
			s->server = (i + client_no) & 1;
			fill_req(&s->r, s->value, i, s->grant);
			s->busy = 1;
			int err = svc_call_async(&svcs[s->server], &s->r,
						 SVCT_WORK, sizeof(s->r), port);
			if (err != EASYNC) {
				printf("svcc storm %u: send %u: %d\n",
				       client_no, i, err);
				return 11;
			}
			sent++;
		}
		if (crit)
			crit_exit();
		/* every fourth wait on a PORT_TIMEOUT port leaves the
		 * returns uncollected, for the timeout's upcall */
		bool lazy = port->mode == PORT_TIMEOUT && waits++ % 4 == 3;
		if (!lazy &&
		    (port->mode == PORT_QUEUE || port->mode == PORT_TIMEOUT) &&
		    main_take(port))
			continue;
		if (main_done + up_done - done0 >= n)
			break;
		if (lazy) {
			struct msg_sleep sl = {.ms = 50};
			sys_send(&sl, CMD_SLEEP, sizeof(sl));
		} else {
			waitsys(port, NULL);
		}
	}
	if (bad || main_bad) {
		printf("svcc storm %u: check %u/%u failed\n", client_no, bad,
		       main_bad);
		return 12;
	}
	return 0;
}

static int storm(uint32_t svc0, uint32_t svc1, uint32_t n)
{
	static struct drake_port ports[4];
	returns = malloc(n);
	if (!returns)
		return 20;
	memset(returns, 0, n);
	svc_port_init(&svcs[0], svc0);
	svc_port_init(&svcs[1], svc1);
	port_init(&ports[PORT_QUEUE], PORT_QUEUE, NULL, 0);
	port_init(&ports[PORT_UPCALL], PORT_UPCALL, on_reply, 0);
	port_init(&ports[PORT_CRIT], PORT_CRIT, on_reply, 0);
	port_init(&ports[PORT_TIMEOUT], PORT_TIMEOUT, on_reply, 1);
	for (uint32_t first = 0, p = client_no; first < n;
	     first += PHASE, p++) {
		uint32_t k = n - first < PHASE ? n - first : PHASE;
		uint32_t mode = p % 5;
		int err = mode == 0 ? storm_sync(first, k)
				    : storm_async(first, k, &ports[mode - 1]);
		if (err)
			return err;
	}
	/* nothing more comes back, anywhere */
	sys_sleep(50);
	for (int i = 0; i < 4; i++)
		if (ports[i].head || waitsys(&ports[i], NULL) != ENOMSG)
			return 21;
	for (uint32_t i = 0; i < n; i++)
		if (returns[i] != 1) {
			printf("svcc storm %u: request %u returned %u times\n",
			       client_no, i, returns[i]);
			return 22;
		}
	printf("svcc storm %u: %u requests, %u upcalls, %u timeout "
	       "upcalls\n",
	       client_no, n, up_calls, up_timeouts);
	if (!up_calls || !up_timeouts)
		return 23; /* the upcall modes were never exercised */
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	int a = argc > 2 ? atoi(argv[2]) : 0;
	int b = argc > 3 ? atoi(argv[3]) : 0;
	int c = argc > 4 ? atoi(argv[4]) : 0;
	int d = argc > 5 ? atoi(argv[5]) : 0;
	svc_port_init(&sp, (uint32_t)a);
	if (!strcmp(role, "call"))
		return call();
	if (!strcmp(role, "intr"))
		return intr();
	if (!strcmp(role, "flood"))
		return flood();
	if (!strcmp(role, "asyncexit"))
		return asyncexit((uint32_t)b);
	if (!strcmp(role, "bigexit"))
		return bigexit((uint32_t)b, (uint32_t)c);
	if (!strcmp(role, "steal"))
		return steal((uint32_t)a, (uint32_t)b);
	if (!strcmp(role, "storm")) {
		client_no = (uint32_t)a;
		return storm((uint32_t)b, (uint32_t)c, (uint32_t)d);
	}
	printf("svcc: unknown role '%s'\n", role);
	return -99;
}
