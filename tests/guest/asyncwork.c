/*
 * Test helper: N (first argument) asynchronous TICKS messages of
 * different lengths in flight at once to a queue port; collect them all
 * and check each came back once, done, with its own result. Exit 0 if
 * all is well.
 */
#include <drake/string.h>
#include <drake/sys.h>

static struct msg_ticks msgs[MSG_INFLIGHT_MAX];
static struct drake_port port;

int main(int argc, char **argv)
{
	int n = 0, back = 0, tid = sys_gettid();
	n = atoi(argc > 1 ? argv[1] : "20");
	struct msg_ticks now = {.ticks = 0}; /* result: the tick it is now */
	if (sys_send(&now, CMD_TICKS, sizeof(now)))
		return 1;
	uint64_t start = now.hdr.result;
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (int i = 0; i < n; i++) {
		msgs[i].ticks = 1 + (uint32_t)((i * 7 + tid) % 9);
		if (sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]),
				   &port) != EASYNC)
			return 2;
	}
	while (back < n) {
		if (waitsys(&port, NULL))
			return 3;
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m)) {
			struct msg_ticks *t = (struct msg_ticks *)m;
			if (!(m->flags & MSGF_DONE) || m->error ||
			    m->result < start + t->ticks)
				return 4;
			back++;
		}
	}
	return back == n && waitsys(&port, NULL) == ENOMSG ? 0 : 5;
}
