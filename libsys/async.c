/*
 * Asynchronous messages from userland: reply ports, taking returned
 * messages off them, the critical section that holds upcalls back, and
 * the end of an upcall.
 */
#include <drake/string.h>
#include <drake/sys.h>

void port_init(struct drake_port *port, uint32_t mode,
	       void (*handler)(struct drake_port *), uint32_t timeout_ms)
{
	port->mode = mode;
	port->handler = (drake_uaddr)handler;
	port->timeout_ms = timeout_ms;
	port->head = 0;
}

/*
 * The kernel pushes returned messages on the head, newest first. One
 * xchg (a single instruction, so no upcall or preemption can split it)
 * takes the whole chain; reversing it gives the order of return.
 */
struct drake_msg *port_take(struct drake_port *port)
{
	drake_uaddr chain = 0;
	__asm__ volatile("xchgl %0, %1"
			 : "+r"(chain), "+m"(port->head)
			 :
			 : "memory");
	struct drake_msg *fifo = NULL;
	while (chain) {
		struct drake_msg *m = (struct drake_msg *)chain;
		chain = m->link;
		m->link = (drake_uaddr)fifo;
		fifo = m;
	}
	return fifo;
}

struct drake_msg *port_next(struct drake_msg *m)
{
	return (struct drake_msg *)m->link;
}

int sys_send_async(void *msg, uint16_t cmd, uint32_t size,
		   struct drake_port *reply)
{
	struct drake_msg *m = msg;
	msg_init(m, cmd, size, MSGF_ASYNC | (m->flags & MSGF_LIVE), reply);
	return sendsys(&sys_port, m, size);
}

int sys_abort(void *msg)
{
	struct msg_abort m = {.target = (drake_uaddr)msg};
	return -sys_send(&m, CMD_ABORT, sizeof(m));
}

void crit_enter(void)
{
	__asm__ volatile("incl %0" : "+m"(sys_port.crit) : : "memory");
}

/* Leaving the outermost critical section: if the kernel held an upcall
 * back meanwhile, ask for it now. */
void crit_exit(void)
{
	__asm__ volatile("decl %0" : "+m"(sys_port.crit) : : "memory");
	if (sys_port.crit == 0 && sys_port.pending)
		flushsys();
}

/* Set by the trampoline: the frame of the upcall now running. */
struct drake_upcall_frame *upcall_current;

struct drake_upcall_frame *upcall_frame(void)
{
	return upcall_current;
}

/* Called by the trampoline once the handler is done. */
__attribute__((noreturn)) void upcall_finish(void)
{
	struct drake_msg m;
	for (;;)
		sys_send(&m, CMD_UPCALL_RETURN, sizeof(m));
}
