/*
 * timers: a periodic timer as a live message.
 *
 * timer_start() sends one TIMER message; the kernel returns it at every
 * expiry, and libsys calls on_tick() as an upcall. The n-th expiry is
 * due at start + n * period whatever happens, so the timer never drifts.
 * If on_tick() is still busy when the next expiry comes, the kernel does
 * not return the message on top of it: it counts the miss, and the next
 * return reports it ("overruns").
 *
 * Usage: timers [period_ms [count]]  (default 100 ms, 10 ticks)
 */
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t ticks, overruns, limit = 10;

static void on_tick(uint32_t expiry, uint32_t due_tick, uint32_t count)
{
	ticks++;
	overruns += count - 1;
	printf("timers: expiry %u due at tick %u, overruns %u\n", expiry,
	       due_tick, count - 1);
	if (ticks == 3) {
		/* dawdle once: the next return shows overruns */
		printf("timers: the handler now sleeps 250 ms\n");
		sys_sleep(250);
	}
}

int main(int argc, char **argv)
{
	uint32_t period = argc > 1 ? (uint32_t)atoi(argv[1]) : 100;
	if (argc > 2)
		limit = (uint32_t)atoi(argv[2]);
	printf("timers: one live TIMER message, returned every %u ms (a tick "
	       "is 10 ms); an overrun is an expiry that fell due while the "
	       "handler still ran: counted, never lost\n",
	       period);
	int h = timer_start(0, period, on_tick);
	if (h < 0) {
		printf("timers: %s\n", strerror(h));
		return 1;
	}
	while (ticks < limit)
		sys_sleep(period);
	live_stop(h);
	printf("timers: %u returns, %u overruns (%u expiries in all)\n", ticks,
	       overruns, ticks + overruns);
	return 0;
}
