/*
 * pingpong: two tasks bat signals back and forth.
 *
 * "pingpong [N]" starts a second copy of itself ("pingpong pong PID N"),
 * then sends it SIGUSR1 N times; each time the pong side answers with
 * SIGUSR2. Both sides catch their signal with a live message, so every
 * round trip is: KILL message -> live message returned -> upcall ->
 * KILL message back -> live message returned -> upcall.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t got;

static void on_signal(uint32_t bits, uint32_t count, uint32_t addr,
		      uint32_t sender)
{
	(void)sender;
	(void)bits;
	(void)addr;
	got += count;
}

/* The pong side: answer every SIGUSR1 with a SIGUSR2. */
static int pong(int ping, uint32_t rounds)
{
	uint32_t answered = 0;
	signal_catch(SIGBIT(SIGUSR1), on_signal);
	sys_kill(ping, SIGUSR2); /* ready */
	while (answered < rounds) {
		if (got > answered) {
			answered++;
			sys_kill(ping, SIGUSR2);
		} else {
			sys_yield();
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 3 && !strcmp(argv[1], "pong"))
		return pong(atoi(argv[2]), (uint32_t)atoi(argv[3]));
	uint32_t rounds = argc > 1 ? (uint32_t)atoi(argv[1]) : 100;
	char args[32];
	signal_catch(SIGBIT(SIGUSR2), on_signal);
	fmt_snprintf(args, sizeof(args), "pong %d %u", sys_gettid(), rounds);
	int tid = sys_spawn("pingpong", args);
	while (got == 0)
		sys_yield(); /* wait for "ready" */
	uint64_t start = sys_uptime();
	for (uint32_t i = 1; i <= rounds; i++) {
		sys_kill(tid, SIGUSR1);
		while (got < i + 1)
			sys_yield();
	}
	uint64_t ms = sys_uptime() - start;
	sys_wait(tid, NULL);
	printf("pingpong: %u round trips in %llu ms\n", rounds, ms);
	return 0;
}
