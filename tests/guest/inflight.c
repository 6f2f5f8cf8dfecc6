/*
 * Test helper: put N (first argument) long asynchronous sleeps in
 * flight to a reply port, then leave: "exit" (default) or "crash".
 */
#include <drake/string.h>
#include <drake/sys.h>

static struct msg_sleep msgs[MSG_INFLIGHT_MAX];
static struct drake_port port;

int main(int argc, char **argv)
{
	int n = atoi(argc > 1 ? argv[1] : "50");
	port_init(&port, PORT_UPCALL, NULL, 0);
	for (int i = 0; i < n; i++) {
		msgs[i].ms = 100000;
		if (sys_send_async(&msgs[i], CMD_SLEEP, sizeof(msgs[i]),
				   &port) != EASYNC)
			return 1;
	}
	if (argc > 2 && !strcmp(argv[2], "crash"))
		*(volatile int *)0 = 0;
	return 0;
}
