/*
 * Test helper: N live timers and a live signal message in flight, then
 * exit ("livemany N"), or wait to be killed ("livemany N wait").
 */
#include <drake/string.h>
#include <drake/sys.h>

static struct msg_timer timers[MSG_LIVE_MAX];
static struct msg_signal sig = {.hdr.flags = MSGF_LIVE,
				.mask = SIGBIT(SIGUSR1)};
static struct drake_port port;

int main(int argc, char **argv)
{
	int n = atoi(argc > 1 ? argv[1] : "10");
	port_init(&port, PORT_QUEUE, NULL, 0);
	if (sys_send_async(&sig, CMD_SIGNAL, sizeof(sig), &port) != EASYNC)
		return 1;
	for (int i = 0; i < n; i++) {
		timers[i].hdr.flags = MSGF_LIVE;
		timers[i].period_ms = 10 + (uint32_t)i;
		if (sys_send_async(&timers[i], CMD_TIMER, sizeof(timers[i]),
				   &port) != EASYNC)
			return 2;
	}
	if (argc > 2 && !strcmp(argv[2], "wait"))
		for (;;)
			sys_sleep(1000);
	sys_sleep(50);
	return 0;
}
