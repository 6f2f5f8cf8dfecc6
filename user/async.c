/*
 * async: several messages in flight at once.
 *
 * Four SLEEP messages of different lengths are sent with MSGF_ASYNC to
 * one reply port: sendsys returns EASYNC at once for each, and the
 * kernel returns them to the port as they complete. We print them in the
 * order they come back, which is by length, not by sending order.
 */
#include <drake/sys.h>

static const uint32_t lengths[] = {300, 100, 400, 200};
#define NAPS (sizeof(lengths) / sizeof(lengths[0]))

static struct msg_sleep naps[NAPS];
static struct drake_port port;

int main(void)
{
	printf("async: four SLEEPs in flight at once, sent without waiting; "
	       "they come back shortest first\n");
	port_init(&port, PORT_QUEUE, NULL, 0); /* queue, no upcalls */
	uint64_t start = sys_uptime();
	for (unsigned i = 0; i < NAPS; i++) {
		naps[i].ms = lengths[i];
		int err =
		    sys_send_async(&naps[i], CMD_SLEEP, sizeof(naps[i]), &port);
		printf("async: sent a %u ms sleep: %s\n", lengths[i],
		       strerror(err));
	}
	for (unsigned back = 0; back < NAPS;) {
		waitsys(&port, NULL); /* until something is on the port */
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m), back++) {
			struct msg_sleep *s = (struct msg_sleep *)m;
			printf("async: the %u ms sleep came back after %llu "
			       "ms\n",
			       s->ms, sys_uptime() - start);
		}
	}
	return 0;
}
