/*
 * crit: the userland critical section holding upcalls back.
 *
 * Messages returned to a PORT_CRIT port upcall their handler, unless
 * userland is inside crit_enter()/crit_exit(). Then the kernel only sets
 * sys_port.pending; crit_exit() sees it and calls flushsys(), and the
 * held-back upcall runs right there, with every message it missed.
 */
#include <drake/sys.h>

static volatile int upcalls, returned;
static struct msg_ticks msgs[3];
static struct drake_port port;

static void handler(struct drake_port *p)
{
	upcalls++;
	for (struct drake_msg *m = port_take(p); m; m = port_next(m))
		returned++;
	printf("crit: upcall %d took %d messages so far\n", upcalls, returned);
}

int main(void)
{
	printf("crit: upcalls wait while userland is in a critical section "
	       "(crit_enter .. crit_exit)\n");
	port_init(&port, PORT_CRIT, handler, 0);
	crit_enter();
	for (int i = 0; i < 3; i++) {
		msgs[i].ticks = 1 + (uint32_t)i;
		sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]), &port);
	}
	sys_sleep(100); /* all three come back meanwhile */
	printf("crit: inside the critical section: %d upcalls, pending=%u\n"
	       "crit: (pending=1: the kernel held an upcall back and says so "
	       "in sys_port.pending)\n",
	       upcalls, sys_port.pending);
	crit_exit(); /* pending was set: flushsys() delivers */
	printf("crit: after crit_exit: %d upcall(s), %d messages\n", upcalls,
	       returned);
	return returned == 3 ? 0 : 1;
}
