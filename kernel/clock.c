/* Time: the tick count the PIT drives at TIMER_HZ. */
#include "arch.h"
#include "kernel.h"
#include "sched.h"
#include "timer.h"

static volatile uint64_t ticks;

uint64_t clock_ticks(void)
{
	return ticks;
}

uint64_t clock_uptime_ms(void)
{
	return ticks * (1000 / TIMER_HZ);
}

/* Round up: a sleep never ends early. */
uint64_t clock_ms_to_ticks(uint64_t ms)
{
	return (ms * TIMER_HZ + 999) / 1000;
}

void clock_tick(void)
{
	ticks++;
	timer_run(ticks);
	sched_tick();
}
