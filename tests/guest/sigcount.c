/*
 * Test helper. "sigcount N": catch SIGUSR1, tell the parent we are ready
 * (SIGUSR2), and exit with the count once N have arrived.
 * "sigcount abort": catch SIGUSR1, stop catching, then send ourselves
 * one: the default action must terminate us.
 */
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t got;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)sender;
	(void)bits;
	(void)addr;
	got += count;
}

int main(int argc, char **argv)
{
	int h = signal_catch(SIGBIT(SIGUSR1), on_usr1);
	if (h < 0)
		return -1;
	if (argc > 1 && !strcmp(argv[1], "abort")) {
		live_stop(h);
		sys_kill(sys_gettid(), SIGUSR1);
		return 99; /* not reached */
	}
	uint32_t want = (uint32_t)atoi(argc > 1 ? argv[1] : "1");
	sys_kill(1, SIGUSR2); /* init (our parent in the test) */
	while (got < want)
		sys_sleep(10);
	return (int)got;
}
