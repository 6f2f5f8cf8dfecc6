#include "signal.h"

#include <drake/msg.h>

#include "kernel.h"
#include "kmsg.h"
#include "live.h"
#include "port.h"
#include "task.h"
#include "upcall.h"

static uint32_t signal_fg; /* the task Ctrl-C goes to */

/* t's live SIGNAL message that asked for signo, if any. */
static struct kmsg *signal_catcher(struct task *t, int signo)
{
	list_for_each(pos, &t->inflight)
	{
		struct kmsg *k = list_entry(pos, struct kmsg, task_link);
		struct msg_signal *m = (struct msg_signal *)&k->m;
		if (k->m.hdr.cmd == CMD_SIGNAL && (m->mask & SIGBIT(signo)))
			return k;
	}
	return NULL;
}

void signal_send(struct task *t, int signo)
{
	struct kmsg *k = signo == SIGKILL ? NULL : signal_catcher(t, signo);
	if (k)
		live_event(k, SIGBIT(signo), 0);
	else
		task_terminate(t, TASK_SIGNALED_STATUS(signo), signo);
}

/*
 * A CPU fault of the running task t. It becomes a message only if that
 * can be handled before the faulting instruction runs again: the signal
 * message is not held and its port upcalls right now. Otherwise the
 * caller kills the task, as for a task that never asked.
 */
bool signal_fault(struct task *t, int signo, uint32_t addr)
{
	struct kmsg *k = signal_catcher(t, signo);
	if (!k || k->state.held || !upcall_possible(t, k->port))
		return false;
	live_event(k, SIGBIT(signo), addr);
	return true;
}

/* Ctrl-C on the console. */
void signal_interrupt(void)
{
	struct task *t = task_find(signal_fg);
	if (t && t->state != TASK_ZOMBIE)
		signal_send(t, SIGINT);
}

void signal_set_foreground(uint32_t tid)
{
	signal_fg = tid;
}

uint32_t signal_foreground(void)
{
	return signal_fg;
}
