/* Time: the tick count the PIT drives at TIMER_HZ. */
#include "arch.h"
#include "kernel.h"
#include "sched.h"
#include "timer.h"

static volatile uint64_t ticks;

#define MS_PER_TICK (1000 / TIMER_HZ)
_Static_assert(1000 % TIMER_HZ == 0, "a tick is a whole number of ms");

uint64_t clock_ticks(void)
{
	return ticks;
}

uint64_t clock_uptime_ms(void)
{
	return ticks * MS_PER_TICK;
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
	ticks++;
	timer_run(ticks);
	sched_tick();
}
