/*
 * bench: what one message costs, in rdtsc counts. Under `make bench`
 * QEMU runs with -icount shift=0, so rdtsc advances by exactly one per
 * guest instruction and every figure is exact and repeatable; at the
 * shell of a plain QEMU they are host CPU cycles, and vary. Each row
 * is the cheapest of several batches (so a clock tick landing inside a
 * batch does not count), minus the cost of the empty loop around it.
 *
 * With the argument "floor" (only the bench kernel has the gate) it
 * also measures a bare int/iret to an empty ring-0 handler: the floor
 * the message path is built on.
 *
 * The null sendsys and 1-byte write rows are measured twice: with an
 * inline int 0x81, and through the entry page's sysenter stub (a call,
 * the stub's pushes and pops, sysenter and sysexit) when the kernel
 * uses sysenter. Under `make bench` that path counts more instructions
 * than int 0x81 (the stub's, and the frame sysenter does not push);
 * what it saves is the cost of int and iret themselves, which only
 * cycles on real hardware show.
 */
#include <drake/entry.h>
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>
#include <stdbool.h>

#define BATCH	256
#define BATCHES 8

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static struct drake_msg nop, gettid, uptime;
static struct msg_write dot;

typedef void (*bench_fn)(void);

static int bench_errors;

static void loop_empty(void)
{
	for (int i = 0; i < BATCH; i++)
		__asm__ volatile("" ::: "memory");
}

static void loop_floor(void)
{
	for (int i = 0; i < BATCH; i++)
		__asm__ volatile("int $0x82" ::: "memory");
}

/* The trap exactly as libsys' sendsys makes it, minus the call;
 * anything but the expected answer marks the run failed. */
static inline void trap(void *msg, uint32_t size, int expect)
{
	int err;
	__asm__ volatile("int $0x81"
			 : "=a"(err)
			 : "a"(&sys_port), "c"(msg), "d"(size)
			 : "memory");
	bench_errors |= err != expect;
}

static void loop_nop(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&nop, sizeof(nop), 0);
}

static void loop_gettid(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&gettid, sizeof(gettid), 0);
}

static void loop_uptime(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&uptime, sizeof(uptime), 0);
}

static void loop_write(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&dot, sizeof(dot), 0);
}

/* The same call through the entry page's sysenter stub, as libsys'
 * sendsys makes it when the kernel chose sysenter, minus the jmp. */
static inline void fast(void *msg, uint32_t size, int expect)
{
	int err;
	__asm__ volatile("call %P4"
			 : "=a"(err)
			 : "a"(&sys_port), "c"(msg), "d"(size),
			   "i"(DRAKE_ENTRY_SYSENTER)
			 : "memory");
	bench_errors |= err != expect;
}

static void loop_nop_sysenter(void)
{
	for (int i = 0; i < BATCH; i++)
		fast(&nop, sizeof(nop), 0);
}

static void loop_write_sysenter(void)
{
	for (int i = 0; i < BATCH; i++)
		fast(&dot, sizeof(dot), 0);
}

/*
 * An asynchronous TICKS(0) is queued, then returned on the way out of
 * the same trap: the whole asynchronous path (allocate, queue, write
 * the results into the message, push it on the reply port) with no time
 * passing. Userland then takes it off the port.
 */
static struct msg_ticks tick;
static struct drake_port queue_port, upcall_port;
static volatile uint32_t upcalls;

static void loop_async(void)
{
	for (int i = 0; i < BATCH; i++) {
		trap(&tick, sizeof(tick), EASYNC);
		bench_errors |= port_take(&queue_port) != &tick.hdr;
	}
}

/*
 * The same 256 messages sent 32 to a BATCH: one trap each 32, every
 * message still checked, queued, returned and taken off the port on its
 * own. The row is the cost per message.
 */
#define BATCHED 32

static struct msg_ticks batched[BATCHED];
static struct drake_batch_entry batch_list[BATCHED];
static struct msg_batch batch_msg;

static void loop_batch(void)
{
	for (int i = 0; i < BATCH / BATCHED; i++) {
		trap(&batch_msg, sizeof(batch_msg), 0);
		int n = 0;
		for (struct drake_msg *m = port_take(&queue_port); m;
		     m = port_next(m))
			n++;
		bench_errors |= n != BATCHED;
	}
}

static void batch_init(void)
{
	for (int i = 0; i < BATCHED; i++) {
		batched[i] = tick;
		batch_list[i] =
		    (struct drake_batch_entry){.port = (drake_uaddr)&sys_port,
					       .msg = (drake_uaddr)&batched[i],
					       .size = sizeof(batched[i])};
	}
	batch_msg = (struct msg_batch){
	    .hdr = {.cmd = CMD_BATCH, .size = sizeof(batch_msg)},
	    .list = (drake_uaddr)batch_list,
	    .count = BATCHED};
}

/* The same, returned to an upcall port: the kernel pushes an upcall on
 * the way out, the handler takes the message, and UPCALL_RETURN resumes
 * the loop. */
static void take_one(struct drake_port *port)
{
	upcalls += port_take(port) != NULL;
}

static void loop_upcall(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&tick, sizeof(tick), EASYNC);
}

static void tick_to(struct drake_port *port)
{
	tick = (struct msg_ticks){.hdr = {.cmd = CMD_TICKS,
					  .flags = MSGF_ASYNC,
					  .reply = (drake_uaddr)port,
					  .size = sizeof(tick)},
				  .ticks = 0};
}

static uint64_t bench_batch(bench_fn fn)
{
	uint64_t best = ~0ull;
	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();
		fn();
		uint64_t t = rdtsc() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

/* One row: the count in tenths, and the target it is held to (0: none),
 * marked met or not. */
static void bench_print(const char *name, uint64_t tenths, uint64_t target)
{
	printf("BENCH | %-40s | %6llu.%llu |", name, tenths / 10, tenths % 10);
	if (target)
		printf(" %6llu | %-3s |\n", target,
		       tenths <= target * 10 ? "yes" : "no");
	else
		printf(" %6s | %-3s |\n", "-", "-");
}

/* A loop's cost per operation, in tenths of an instruction. */
static uint64_t bench_measure(bench_fn fn, uint64_t empty)
{
	return (bench_batch(fn) - empty) * 10 / BATCH;
}

static uint64_t bench_row(const char *name, bench_fn fn, uint64_t empty,
			  uint64_t target)
{
	uint64_t tenths = bench_measure(fn, empty);
	bench_print(name, tenths, target);
	return tenths;
}

/* Within 5% of a base row: the O(1) rows' target. */
static uint64_t within_5pct(uint64_t base_tenths)
{
	return (base_tenths * 105 / 100 + 9) / 10;
}

/*
 * Clock ticks, as the running task sees them: it spins reading rdtsc,
 * and a gap between two readings far larger than one trip round the
 * loop is an interrupt; the gap less the trip is what it cost. (One
 * read per trip: under icount the interrupt is taken right after a
 * read, so it always falls inside a measured gap.) With `timer` set,
 * each tick's returned timer message is taken off the port and re-armed,
 * and the gap holding that REARM is not counted.
 */
#define TICKS_WATCHED 12
#define GAP_MIN	      100

static struct msg_timer live_timers[MSG_LIVE_MAX];
static uint64_t async_one; /* the 1-in-flight async row, in tenths */
static struct drake_port timer_port;

static uint64_t tick_cost(struct msg_timer *timer)
{
	uint64_t trip = ~0ull, best = ~0ull, prev = rdtsc();
	bool rearmed = false;
	for (int seen = 0; seen < TICKS_WATCHED;) {
		uint64_t now = rdtsc(), d = now - prev;
		prev = now;
		if (d < trip)
			trip = d;
		if (d > GAP_MIN && !rearmed) {
			best = d < best ? d : best;
			seen++;
		}
		rearmed = timer && port_take(&timer_port);
		if (rearmed)
			bench_errors |= sys_rearm(timer) != 0;
	}
	return best - trip;
}

/* Arm timers up to n in all, far in the future, then measure a tick. */
static void tick_row(const char *name, unsigned n, unsigned *armed)
{
	for (; *armed < n; (*armed)++) {
		struct msg_timer *t = &live_timers[*armed];
		*t = (struct msg_timer){.hdr.flags = MSGF_LIVE,
					.period_ms = 1000000};
		bench_errors |= sys_send_async(t, CMD_TIMER, sizeof(*t),
					       &timer_port) != EASYNC;
	}
	bench_print(name, tick_cost(NULL) * 10, 0);
}

/* A tick on which a live timer (the only one) expires and is returned
 * to its port, less a tick on which nothing happens. */
static void timer_return_row(void)
{
	uint64_t quiet = tick_cost(NULL);
	struct msg_timer every = {.hdr.flags = MSGF_LIVE, .period_ms = 10};
	bench_errors |= sys_send_async(&every, CMD_TIMER, sizeof(every),
				       &timer_port) != EASYNC;
	/* the first expiry is two ticks away: measure from the first one */
	bench_errors |= waitsys(&timer_port, NULL) != 0;
	bench_errors |= port_take(&timer_port) != &every.hdr;
	bench_errors |= sys_rearm(&every) != 0;
	bench_print("live timer expiry + return to port",
		    (tick_cost(&every) - quiet) * 10, 200);
	bench_errors |= sys_abort(&every) != 0;
	port_take(&timer_port);
}

/* "bench hold": a child that starts its whole share of 1 ms periodic
 * timers, lets each be returned once and never re-arms it. */
static int hold_timers(void)
{
	port_init(&timer_port, PORT_QUEUE, NULL, 0);
	for (unsigned i = 0; i < MSG_LIVE_MAX; i++) {
		live_timers[i] =
		    (struct msg_timer){.hdr.flags = MSGF_LIVE, .period_ms = 1};
		if (sys_send_async(&live_timers[i], CMD_TIMER,
				   sizeof(live_timers[i]),
				   &timer_port) != EASYNC)
			return 1;
	}
	for (;;)
		sys_sleep(1000000);
}

/* Held timers cost nothing per tick: two tasks holding 1,024 each. */
static void held_timers_row(void)
{
	int tids[2];
	struct drake_taskinfo info;
	for (int i = 0; i < 2; i++) {
		tids[i] = sys_spawn("bench", "hold");
		do
			sys_sleep(10);
		while (task_info(tids[i], &info) == 0 &&
		       info.live < MSG_LIVE_MAX);
	}
	sys_sleep(50); /* every timer returned once: all held now */
	bench_print("kernel per tick, 2048 held 1 ms timers",
		    tick_cost(NULL) * 10, 0);
	for (int i = 0; i < 2; i++) {
		bench_errors |= sys_kill(tids[i], SIGKILL) != 0;
		bench_errors |= sys_wait(tids[i], NULL) != 0;
	}
}

static void tick_rows(uint64_t empty)
{
	unsigned armed = 0;
	port_init(&timer_port, PORT_QUEUE, NULL, 0);
	timer_return_row();
	tick_row("kernel per tick, 1 live timer", 1, &armed);
	tick_row("kernel per tick, 100 live timers", 100, &armed);
	tick_row("kernel per tick, 1000 live timers", 1000, &armed);
	tick_to(&queue_port);
	bench_row("async send + return, 1000 in flight", loop_async, empty,
		  within_5pct(async_one));
	for (unsigned i = 0; i < armed; i++)
		bench_errors |= sys_abort(&live_timers[i]) != 0;
	held_timers_row();
}

/*
 * Requests between two tasks. The bench is the server; a child ("bench
 * client ID") is the client and prints the rows, counting both tasks'
 * instructions: the request, the switch to the server, its RECEIVE
 * returning, its REPLY, the switch back. A request with cmd 0 ends it.
 */
static struct drake_svcport service_port;
static struct ping_request request;
static struct drake_port reply_port;

static void loop_request(void)
{
	for (int i = 0; i < BATCH; i++)
		bench_errors |= svc_call(&service_port, &request, PING,
					 sizeof(request)) != 0;
}

static void loop_request_async(void)
{
	for (int i = 0; i < BATCH; i++) {
		bench_errors |=
		    svc_call_async(&service_port, &request, PING,
				   sizeof(request), &reply_port) != EASYNC;
		bench_errors |= waitsys(&reply_port, NULL) != 0;
		bench_errors |= port_take(&reply_port) != &request.req.hdr;
	}
}

static int request_client(uint32_t id)
{
	uint64_t empty = bench_batch(loop_empty);
	svc_port_init(&service_port, id);
	port_init(&reply_port, PORT_QUEUE, NULL, 0);
	bench_row("request/reply round trip (2 tasks)", loop_request, empty,
		  800);
	bench_row("async request + reply, queue port (2 tasks)",
		  loop_request_async, empty, 0);
	bench_errors |= svc_call(&service_port, &request, 0, sizeof(request));
	return bench_errors != 0;
}

static void request_rows(void)
{
	char args[24];
	int id = svc_create(0), status = -1;
	fmt_snprintf(args, sizeof(args), "client %d", id);
	int tid = sys_spawn("bench", args);
	for (bool done = id < 0 || tid < 0; !done;) {
		struct ping_request r;
		uint32_t handle;
		if (svc_receive((uint32_t)id, &r, sizeof(r), &handle, NULL))
			break;
		done = r.req.hdr.cmd == 0;
		svc_reply(handle, 0, r.value + 1ull, NULL, 0);
	}
	bench_errors |= sys_wait(tid, &status) != 0 || status != 0;
}

/*
 * KILL, with 1 and with 50 tasks alive: its target ("bench catch")
 * catches SIGUSR1 with a live message it never re-arms, so every signal
 * after the first is only counted. The other tasks ("bench tree": 12
 * children each, "bench nap") sleep until the row is measured.
 */
static struct msg_kill kill_msg;

static void loop_kill(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&kill_msg, sizeof(kill_msg), 0);
}

static int catch_forever(void)
{
	static struct msg_signal sig = {.hdr.flags = MSGF_LIVE,
					.mask = SIGBIT(SIGUSR1)};
	port_init(&queue_port, PORT_QUEUE, NULL, 0);
	if (sys_send_async(&sig, CMD_SIGNAL, sizeof(sig), &queue_port) !=
	    EASYNC)
		return 1;
	for (;;)
		sys_sleep(1000000);
}

static int tree(void)
{
	int kids[12];
	for (int i = 0; i < 12; i++)
		kids[i] = sys_spawn("bench", "nap");
	for (int i = 0; i < 12; i++)
		sys_wait(kids[i], NULL);
	return 0;
}

static void kill_rows(uint64_t empty)
{
	struct drake_taskinfo info;
	int target = sys_spawn("bench", "catch"), trees[4];
	/* Sleep, not yield: under -icount QEMU runs the CPUs in turn, and
	 * one that never halts may keep the target's from running. */
	while (task_info(target, &info) == 0 && !info.live)
		sys_sleep(1);
	kill_msg = (struct msg_kill){
	    .hdr = {.cmd = CMD_KILL, .size = sizeof(kill_msg)},
	    .tid = (uint32_t)target,
	    .signo = SIGUSR1};
	uint64_t one =
	    bench_row("KILL, 1 other task alive", loop_kill, empty, 0);
	for (int i = 0; i < 4; i++)
		trees[i] = sys_spawn("bench", "tree");
	sys_sleep(100); /* every nap started */
	bench_row("KILL, 50 tasks alive", loop_kill, empty, within_5pct(one));
	for (int i = 0; i < 4; i++)
		bench_errors |= sys_wait(trees[i], NULL) != 0;
	bench_errors |= sys_kill(target, SIGKILL) != 0;
	bench_errors |= sys_wait(target, NULL) != 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold_timers();
	if (argc > 1 && !strcmp(argv[1], "catch"))
		return catch_forever();
	if (argc > 1 && !strcmp(argv[1], "tree"))
		return tree();
	if (argc > 1 && !strcmp(argv[1], "nap"))
		return sys_sleep(500);
	if (argc > 2 && !strcmp(argv[1], "client"))
		return request_client((uint32_t)atoi(argv[2]));
	bool floor = argc > 1 && !strcmp(argv[1], "floor");
	nop = (struct drake_msg){.cmd = CMD_NOP, .size = sizeof(nop)};
	gettid = (struct drake_msg){.cmd = CMD_GETTID, .size = sizeof(nop)};
	uptime = (struct drake_msg){.cmd = CMD_UPTIME, .size = sizeof(nop)};
	dot =
	    (struct msg_write){.hdr = {.cmd = CMD_WRITE, .size = sizeof(dot)},
			       .buf = (drake_uaddr) "\r", /* visible nowhere */
			       .len = 1};
	uint64_t empty = bench_batch(loop_empty);
	/* Not a "BENCH | " line: tests/bench.sh compares only those. */
	printf("bench: what a message costs, in rdtsc counts per operation\n"
	       "bench: CPU cycles under plain QEMU (they vary); exact "
	       "instruction counts under `make bench` (QEMU -icount)\n");
	printf("BENCH | %-40s | %8s | %6s | %-3s |\n",
	       "operation (rdtsc per op)", "count", "target", "met");
	printf("BENCH |------------------------------------------|----------|"
	       "--------|-----|\n");
	if (floor)
		bench_row("int/iret to an empty gate (floor)", loop_floor,
			  empty, 0);
	bench_row("null sendsys round trip", loop_nop, empty, 70);
	bench_row("GETTID round trip (fast path)", loop_gettid, empty, 70);
	bench_row("UPTIME round trip (fast path)", loop_uptime, empty, 70);
	bench_row("1-byte console write", loop_write, empty, 150);
	if (*(volatile uint32_t *)DRAKE_ENTRY_KIND ==
	    DRAKE_ENTRY_KIND_SYSENTER) {
		bench_row("null sendsys round trip, sysenter",
			  loop_nop_sysenter, empty, 0);
		bench_row("1-byte console write, sysenter", loop_write_sysenter,
			  empty, 0);
	} else {
		printf("bench: the kernel uses int 0x81: no sysenter rows\n");
	}
	port_init(&queue_port, PORT_QUEUE, NULL, 0);
	tick_to(&queue_port);
	async_one = bench_row("async send + return via queue port", loop_async,
			      empty, 300);
	batch_init();
	bench_row("batch of 32 async messages, per message", loop_batch, empty,
		  150);
	port_init(&upcall_port, PORT_UPCALL, take_one, 0);
	tick_to(&upcall_port);
	bench_row("async send + upcall delivery round trip", loop_upcall, empty,
		  500);
	bench_errors |= upcalls != BATCH * BATCHES;
	/* The clock's rows first, while no other task exists: on more than
	 * one CPU this task stays on the boot CPU, whose tick is the clock */
	tick_rows(empty);
	request_rows();
	kill_rows(empty);
	if (bench_errors)
		printf("bench: a measured call failed\n");
	return bench_errors != 0;
}
