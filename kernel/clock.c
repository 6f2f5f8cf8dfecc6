/* Time: the tick count the PIT drives at TIMER_HZ, on the boot CPU. */
#include "arch.h"
#include "kernel.h"
#include "sched.h"
#include "timer.h"

static volatile uint64_t ticks;
static volatile uint32_t ticks_seq; /* odd while ticks changes */

#define MS_PER_TICK (1000 / TIMER_HZ)
_Static_assert(1000 % TIMER_HZ == 0, "a tick is a whole number of ms");

/* The message fast path reads the count without the kernel lock, while
 * the boot CPU may be adding one: two 32-bit halves could straddle a
 * carry. A sequence count (Linux's seqcount) says when to read again;
 * the CPU keeps stores, and loads, in order, so volatile suffices. */
uint64_t clock_ticks(void)
{
	uint32_t seq;
	uint64_t t;
	do {
		seq = ticks_seq;
		t = ticks;
	} while ((seq & 1) || seq != ticks_seq);
	return t;
}

uint64_t clock_uptime_ms(void)
{
	return clock_ticks() * MS_PER_TICK;
}

/* Round up: a sleep never ends early. 32-bit division when it fits:
 * the 64-bit one is a slow library call on i386. */
uint64_t clock_ms_to_ticks(uint64_t ms)
{
	if (ms < UINT32_MAX - MS_PER_TICK)
		return ((uint32_t)ms + MS_PER_TICK - 1) / MS_PER_TICK;
	return (ms + MS_PER_TICK - 1) / MS_PER_TICK;
}

void clock_tick(void)
{
	ticks_seq++;
	ticks++;
	ticks_seq++;
	timer_run(ticks);
	sched_tick();
}
