/*
 * pingpong: a parent bats signals at its child.
 *
 * "pingpong [N]" starts a child ("pingpong pong N") that catches SIGUSR1
 * with a live message, then sends it N signals, one KILL message each.
 * A task may signal only itself and its descendants, so the child cannot
 * bat them back: it counts them (a return covers every signal that came
 * while its handler ran, in hdr.count) and exits with the total, which
 * the parent collects with WAIT. Each signal is: KILL message -> live
 * message returned -> upcall in the child -> REARM.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t got, returns;

static void on_signal(uint32_t bits, uint32_t count, uint32_t addr,
		      uint32_t sender)
{
	(void)bits;
	(void)addr;
	(void)sender;
	got += count;
	returns++;
}

/* The child: count N signals, then report how many returns they took. */
static int pong(uint32_t rounds)
{
	signal_catch(SIGBIT(SIGUSR1), on_signal);
	while (got < rounds)
		sys_sleep(10);
	printf("pingpong: the child got %u signals in %u returns (one return "
	       "counts every signal that came while its handler ran)\n",
	       got, returns);
	return (int)got;
}

/* Until the child's SIGUSR1 message is in flight, a signal kills it. */
static void wait_until_catching(int tid)
{
	struct drake_taskinfo info;
	while (task_info(tid, &info) == 0 && !info.live)
		sys_yield();
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "pong"))
		return pong((uint32_t)atoi(argv[2]));
	uint32_t rounds = argc > 1 ? (uint32_t)atoi(argv[1]) : 100;
	printf("pingpong: sending a child %u SIGUSR1s, one KILL message each; "
	       "it catches them with one live message\n",
	       rounds);
	char args[32];
	fmt_snprintf(args, sizeof(args), "pong %u", rounds);
	int tid = sys_spawn("pingpong", args), status = 0;
	if (tid < 0) {
		printf("pingpong: cannot start the child: %s\n", strerror(tid));
		return 1;
	}
	wait_until_catching(tid);
	uint64_t start = sys_uptime();
	for (uint32_t i = 0; i < rounds; i++)
		sys_kill(tid, SIGUSR1);
	sys_wait(tid, &status);
	uint64_t ms = sys_uptime() - start;
	printf("pingpong: %u signals sent, %d counted, in %llu ms (%llu us "
	       "per signal, the child's wake-ups and exit included)\n",
	       rounds, status, ms, rounds ? ms * 1000 / rounds : 0);
	return status == (int)rounds ? 0 : 1;
}
