/*
 * signals: catch Ctrl-C with a live signal message.
 *
 * In a Unix kernel a signal handler is a function the kernel jumps to.
 * In Drake a task asks for signals by sending the kernel one message,
 * and the kernel *returns* that same message each time a signal occurs.
 * libsys's signal_catch() sends it to a reply port whose handler calls
 * on_signal() below as an upcall, and re-arms the message afterwards.
 *
 * Press Ctrl-C three times (or run with a count: "signals 5").
 */
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t caught, wanted = 3;

/* Runs as an upcall: the main loop below is suspended meanwhile. If
 * several Ctrl-Cs arrive before we finish, `count` says how many. */
static void on_signal(uint32_t sigbits, uint32_t count, uint32_t addr,
		      uint32_t sender)
{
	(void)sender;
	(void)addr;
	if (sigbits & SIGBIT(SIGINT))
		caught += count;
	printf("signals: caught SIGINT (%u so far)\n", caught);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		wanted = (uint32_t)atoi(argv[1]);
	/* Ctrl-C goes to the console's foreground task: make that us. */
	int previous = sys_foreground(0);
	int h = signal_catch(SIGBIT(SIGINT), on_signal);
	if (h < 0) {
		printf("signals: %s\n", strerror(h));
		return 1;
	}
	printf("signals: each Ctrl-C is one return of a live SIGNAL message, "
	       "handled in an upcall\n");
	printf("signals: ready, press Ctrl-C %u times\n", wanted);
	while (caught < wanted)
		sys_sleep(50); /* an upcall can arrive at any moment */
	live_stop(h);
	if (previous > 0)
		sys_foreground(previous);
	printf("signals: done after %u\n", caught);
	return 0;
}
