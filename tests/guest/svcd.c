/*
 * Test server for the service tests: one program, several roles, chosen
 * by the first argument. Each creates a service and publishes it with
 * the name server under NAME.
 *
 *   echo NAME NO     answer every SVCT_WORK request (grant copies,
 *                    svct_result(value, NO), a struct svct_body), one at
 *                    a time with synchronous RECEIVEs; SVCT_QUIT: reply
 *                    with the error count as result and exit
 *   hold NAME K      RECEIVE K requests and never answer them; then put
 *                    one long asynchronous SLEEP in flight (so TASKINFO
 *                    shows inflight 1: "holding") and block for good
 *   bigcopy NAME     RECEIVE one request and COPY its whole grant to
 *                    the client again and again until a COPY fails: 0
 *                    if that was ECANCELED (the client gave the request
 *                    up, say by exiting, before or during a COPY) and
 *                    the REPLY then got ECANCELED too
 *   storm NAME NO PHASE
 *                    the stress server: receives in five modes in turn,
 *                    PHASE requests each (synchronous RECEIVE, then
 *                    asynchronous RECEIVEs returned to a PORT_QUEUE,
 *                    PORT_UPCALL, PORT_CRIT and PORT_TIMEOUT port); in
 *                    the asynchronous modes it holds up to 12 requests
 *                    open and answers them in a shuffled order.
 *                    SVCT_QUIT: reply with struct svct_quit's statistics
 *                    and exit 0
 */
#include "svct.h"

static uint32_t svc, no;
static uint32_t stats[ST_COUNT];

static void hold_forever(void)
{
	for (;;)
		sys_sleep(1000000);
}

static int setup(const char *name)
{
	int id = svc_create(0);
	if (id < 0)
		return id;
	svc = (uint32_t)id;
	/* the name server may not have created its service yet */
	uint64_t end = sys_uptime() + 3000;
	int err;
	while ((err = svc_publish(name, svc)) == -EPIPE && sys_uptime() < end)
		sys_sleep(5);
	return err;
}

/* Answer one SVCT_WORK request: through its grant (if it has a 16-byte
 * one), then the reply. */
static void serve_work(uint32_t handle, const struct svct_req *r)
{
	if (r->req.hdr.cmd != SVCT_WORK || r->req.hdr.size != sizeof(*r)) {
		stats[ST_ERRORS]++;
		svc_reply(handle, ENOSYS, 0, NULL, 0);
		return;
	}
	if (r->req.grant_len >= 16) {
		uint32_t ab[2] = {0, 0};
		long n = svc_copy(handle, COPY_FROM_CLIENT, 0, ab, sizeof(ab));
		if (n != 8 || ab[0] != r->value || ab[1] != ~r->value)
			stats[ST_ERRORS]++;
		ab[0] = svct_grant0(ab[0], no);
		ab[1] = svct_grant1(ab[1]);
		if (svc_copy(handle, COPY_TO_CLIENT, 8, ab, sizeof(ab)) != 8)
			stats[ST_ERRORS]++;
	}
	struct svct_body b = {r->value, r->index, no, svct_check(r->value, no)};
	if (svc_reply(handle, 0, svct_result(r->value, no), &b, sizeof(b)))
		stats[ST_ERRORS]++;
	else
		stats[ST_HANDLED]++;
}

static int echo(void)
{
	for (;;) {
		struct svct_req r;
		uint32_t handle;
		if (svc_receive(svc, &r, sizeof(r), &handle, NULL)) {
			stats[ST_ERRORS]++;
			continue;
		}
		if (r.req.hdr.cmd == SVCT_QUIT) {
			svc_reply(handle, 0, stats[ST_ERRORS], NULL, 0);
			return 0;
		}
		serve_work(handle, &r);
	}
}

static int hold(int k)
{
	static struct svct_req r[SERVICE_OPEN_MAX];
	static struct msg_sleep marker = {.ms = 100000000};
	uint32_t handle;
	for (int i = 0; i < k && i < (int)SERVICE_OPEN_MAX; i++)
		if (svc_receive(svc, &r[i], sizeof(r[i]), &handle, NULL))
			return 1;
	sys_send_async(&marker, CMD_SLEEP, sizeof(marker), NULL);
	hold_forever();
	return 0;
}

static int bigcopy(void)
{
	struct svct_req r;
	uint32_t handle;
	if (svc_receive(svc, &r, sizeof(r), &handle, NULL))
		return 10;
	uint32_t len = r.req.grant_len;
	uint8_t *buf = malloc(len);
	if (!buf)
		return 11;
	memset(buf, 0x3c, len);
	struct msg_copy m;
	int err = 0, copies = 0;
	while (!err && copies < 1000) {
		m.handle = handle;
		m.direction = COPY_TO_CLIENT;
		m.offset = 0;
		m.buf = (drake_uaddr)buf;
		m.len = len;
		err = sys_send(&m, CMD_COPY, sizeof(m));
		copies += !err;
	}
	printf("svcd bigcopy: %d copies of %u bytes, then %s with %u bytes "
	       "copied\n",
	       copies, len, strerror(err), (uint32_t)m.hdr.result);
	if (err != ECANCELED)
		return 1;
	if (m.hdr.result > len)
		return 2;
	if (svc_reply(handle, 0, 1, NULL, 0) != -ECANCELED)
		return 3;
	return 0;
}

/* The stress server. */

#define MODE_SYNC 0
#define MODES	  5 /* sync, then 1 + PORT_QUEUE .. 1 + PORT_TIMEOUT */
#define HOLD_MAX  12

struct held {
	uint32_t handle;
	uint32_t order; /* the order it was received in */
	struct svct_req r;
};

static struct held held[SERVICE_OPEN_MAX];
static int nheld;
static struct svct_req rbuf;
static struct msg_receive rmsg;
static struct drake_port ports[4]; /* one per port mode */
static int mode;
static bool parked;		 /* rmsg is in flight */
static volatile uint32_t up_got; /* returns taken by the handler */
static uint32_t main_got;	 /* returns taken by main */
static uint32_t consumed;	 /* returns main has dealt with */
static uint32_t quit_handle;
static bool quit;
static uint32_t seed;

/* The receive port's upcall handler: it only counts (so main and the
 * handler never write the same variable); main reads rbuf. */
static void on_receive(struct drake_port *p)
{
	if (sys_port.crit != 1)
		stats[ST_CRIT_BAD]++; /* ran inside a critical section */
	stats[ST_UPCALLS]++;
	for (struct drake_msg *m = port_take(p); m; m = port_next(m)) {
		if (m != &rmsg.hdr)
			stats[ST_ERRORS]++;
		if (p->mode == PORT_TIMEOUT)
			stats[ST_TIMEOUTS]++;
		up_got++;
	}
}

/* rbuf holds a request received with result `result`: hold it open. */
static void take(int err, uint64_t result)
{
	if (err) {
		stats[ST_ERRORS]++;
		return;
	}
	stats[ST_MODE0 + mode]++;
	if (rbuf.req.hdr.cmd == SVCT_QUIT) {
		quit = true;
		quit_handle = (uint32_t)result;
		return;
	}
	held[nheld].handle = (uint32_t)result;
	held[nheld].order = (uint32_t)nheld;
	held[nheld].r = rbuf;
	if (++nheld > (int)stats[ST_MAX_HELD])
		stats[ST_MAX_HELD] = (uint32_t)nheld;
}

/* One more request without blocking: 1 if one came, 0 if none is
 * queued (the RECEIVE stays in flight on the mode's port). */
static int try_receive(void)
{
	struct drake_port *p = &ports[mode - 1];
	if (parked) {
		if (p->mode == PORT_QUEUE || p->mode == PORT_TIMEOUT)
			for (struct drake_msg *m = port_take(p); m;
			     m = port_next(m))
				main_got++;
		if (main_got + up_got == consumed)
			return 0;
		consumed++;
		parked = false;
		take(rmsg.hdr.error, rmsg.hdr.result);
		return 1;
	}
	int err = svc_receive_async(&rmsg, svc, &rbuf, sizeof(rbuf), p);
	if (err == EASYNC) {
		parked = true;
		return 0;
	}
	take(err, rmsg.hdr.result);
	return 1;
}

/* Nothing held and the RECEIVE in flight: block until it returns. */
static void wait_parked(void)
{
	static uint32_t waits;
	struct drake_port *p = &ports[mode - 1];
	if (main_got + up_got != consumed)
		return;
	if (p->mode == PORT_TIMEOUT && waits++ % 4 == 0) {
		/* leave it uncollected: the timeout's upcall interrupts */
		struct msg_sleep s = {.ms = 50};
		sys_send(&s, CMD_SLEEP, sizeof(s));
		return;
	}
	waitsys(p, NULL); /* EINTR once an upcall handler took it */
}

static void reply_batch(void)
{
	/* Fisher-Yates */
	for (int i = nheld - 1; i > 0; i--) {
		int j = (int)(svct_rand(&seed) % (uint32_t)(i + 1));
		struct held t = held[i];
		held[i] = held[j];
		held[j] = t;
	}
	bool reordered = false;
	for (int i = 0; i < nheld; i++) {
		reordered = reordered || held[i].order != (uint32_t)i;
		serve_work(held[i].handle, &held[i].r);
	}
	if (nheld >= 2)
		stats[ST_MULTI]++;
	if (reordered)
		stats[ST_REORDERED]++;
	nheld = 0;
}

static int storm(uint32_t phase)
{
	seed = 12345 + no;
	port_init(&ports[PORT_QUEUE], PORT_QUEUE, NULL, 0);
	port_init(&ports[PORT_UPCALL], PORT_UPCALL, on_receive, 0);
	port_init(&ports[PORT_CRIT], PORT_CRIT, on_receive, 0);
	port_init(&ports[PORT_TIMEOUT], PORT_TIMEOUT, on_receive, 1);
	for (;;) {
		if (!parked)
			mode = (int)(stats[ST_HANDLED] / phase % MODES);
		if (mode == MODE_SYNC) {
			uint32_t handle;
			int err = svc_receive(svc, &rbuf, sizeof(rbuf), &handle,
					      NULL);
			take(err ? -err : 0, handle);
			reply_batch();
		} else {
			bool crit = ports[mode - 1].mode == PORT_CRIT;
			int target = 1 + (int)(svct_rand(&seed) % HOLD_MAX);
			if (crit)
				crit_enter();
			while (nheld < target && !quit && try_receive())
				;
			reply_batch();
			if (crit)
				crit_exit();
			if (!quit && parked)
				wait_parked();
		}
		if (quit) {
			stats[ST_MODE0 + mode]--; /* count work only */
			svc_reply(quit_handle, 0, stats[ST_HANDLED], stats,
				  sizeof(stats));
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	const char *name = argc > 2 ? argv[2] : "";
	int a = argc > 3 ? atoi(argv[3]) : 0;
	int b = argc > 4 ? atoi(argv[4]) : 0;
	int err = setup(name);
	if (err < 0) {
		printf("svcd %s %s: %s\n", role, name, strerror(-err));
		return 2;
	}
	no = (uint32_t)a;
	if (!strcmp(role, "echo"))
		return echo();
	if (!strcmp(role, "hold"))
		return hold(a);
	if (!strcmp(role, "bigcopy"))
		return bigcopy();
	if (!strcmp(role, "storm"))
		return storm(b > 0 ? (uint32_t)b : 100);
	printf("svcd: unknown role '%s'\n", role);
	return 3;
}
