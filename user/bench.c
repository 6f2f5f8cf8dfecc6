/*
 * bench: what one message costs, in instructions. Under `make bench`
 * QEMU runs with -icount shift=0, so rdtsc advances by exactly one per
 * guest instruction and every figure is exact and repeatable. Each row
 * is the cheapest of several batches (so a clock tick landing inside a
 * batch does not count), minus the cost of the empty loop around it.
 *
 * With the argument "floor" (only the bench kernel has the gate) it
 * also measures a bare int/iret to an empty ring-0 handler: the floor
 * the message path is built on.
 */
#include <drake/string.h>
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

static struct drake_msg nop;
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

static void loop_write(void)
{
	for (int i = 0; i < BATCH; i++)
		trap(&dot, sizeof(dot), 0);
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

static void bench_row(const char *name, bench_fn fn, uint64_t empty)
{
	uint64_t total = bench_batch(fn) - empty;
	uint64_t whole = total / BATCH, frac = (total % BATCH) * 10 / BATCH;
	printf("BENCH | %-36s | %6llu.%llu |\n", name, whole, frac);
}

int main(int argc, char **argv)
{
	bool floor = argc > 1 && !strcmp(argv[1], "floor");
	nop = (struct drake_msg){.cmd = CMD_NOP, .size = sizeof(nop)};
	dot =
	    (struct msg_write){.hdr = {.cmd = CMD_WRITE, .size = sizeof(dot)},
			       .buf = (drake_uaddr) "\r", /* visible nowhere */
			       .len = 1};
	uint64_t empty = bench_batch(loop_empty);
	printf("BENCH | %-36s | %8s |\n", "operation (instructions per op)",
	       "count");
	printf("BENCH |--------------------------------------|----------|\n");
	if (floor)
		bench_row("int/iret to an empty gate (floor)", loop_floor,
			  empty);
	bench_row("null sendsys round trip", loop_nop, empty);
	bench_row("1-byte console write", loop_write, empty);
	port_init(&queue_port, PORT_QUEUE, NULL, 0);
	tick_to(&queue_port);
	bench_row("async send + return via queue port", loop_async, empty);
	port_init(&upcall_port, PORT_UPCALL, take_one, 0);
	tick_to(&upcall_port);
	bench_row("async send + upcall delivery round trip", loop_upcall,
		  empty);
	bench_errors |= upcalls != BATCH * BATCHES;
	if (bench_errors)
		printf("bench: a measured call failed\n");
	return bench_errors != 0;
}
