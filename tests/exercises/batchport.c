/*
 * Exercise batchport (docs/exercises.md): a reply-port mode PORT_BATCH
 * (4) that upcalls its handler only once `timeout_ms` messages (the
 * batch size, for this mode) have been returned to it since its last
 * upcall; fewer just wait on the port, as with PORT_QUEUE.
 */
#include "../check.h"

static struct msg_ticks msgs[3];
static struct drake_port first, port; /* each counts on its own */
static volatile int upcalls, taken;

static void handler(struct drake_port *p)
{
	upcalls++;
	for (struct drake_msg *m = port_take(p); m; m = port_next(m))
		taken++;
}

/* Send n TICKS(ticks) to the port; true if all are in flight. */
static bool send_ticks(int first, int n, uint32_t ticks)
{
	for (int i = first; i < first + n; i++) {
		msgs[i].ticks = ticks;
		if (sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]),
				   &port) != EASYNC)
			return false;
	}
	return true;
}

static bool accepted(void)
{
	port_init(&first, PORT_BATCH, handler, 3);
	msgs[0].ticks = 1;
	CHECK_EQ(sys_send_async(&msgs[0], CMD_TICKS, sizeof(msgs[0]), &first),
		 EASYNC);
	CHECK_EQ(waitsys(&first, NULL), 0);
	CHECK_EQ(upcalls, 0); /* one of three: no upcall */
	CHECK(port_take(&first) == &msgs[0].hdr);
	return true;
}

static bool upcalls_once_per_batch(void)
{
	port_init(&port, PORT_BATCH, handler, 3);
	CHECK(send_ticks(0, 2, 1));
	sys_sleep(50); /* both returned: two of three */
	CHECK_EQ(upcalls, 0);
	CHECK(send_ticks(2, 1, 1));
	sys_sleep(50); /* the third: one upcall takes all three */
	CHECK_EQ(upcalls, 1);
	CHECK_EQ(taken, 3);
	return true;
}

static bool counts_again_after_an_upcall(void)
{
	CHECK(send_ticks(0, 2, 1));
	sys_sleep(50);
	CHECK_EQ(upcalls, 1);
	CHECK(send_ticks(2, 1, 1));
	sys_sleep(50);
	CHECK_EQ(upcalls, 2);
	CHECK_EQ(taken, 6);
	return true;
}

int main(void)
{
	RUN(accepted);
	RUN(upcalls_once_per_batch);
	RUN(counts_again_after_an_upcall);
	return check_summary();
}
