#include "signal.h"

#include <drake/errno.h>
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
	list_for_each(pos, &t->signals)
	{
		struct kmsg *k = list_entry(pos, struct kmsg, wait_link);
		struct msg_signal *m = (struct msg_signal *)&k->m;
		if (m->mask & SIGBIT(signo))
			return k;
	}
	return NULL;
}

void signal_send(struct task *t, int signo, uint32_t sender)
{
	struct kmsg *k = signo == SIGKILL ? NULL : signal_catcher(t, signo);
	if (k)
		live_signal(k, SIGBIT(signo), 0, sender);
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
	live_signal(k, SIGBIT(signo), addr, 0);
	return true;
}

/* Ctrl-C on the console. */
void signal_interrupt(void)
{
	struct task *t = task_find(signal_fg);
	if (t && t->state != TASK_ZOMBIE)
		signal_send(t, SIGINT, 0);
}

void signal_set_foreground(uint32_t tid)
{
	signal_fg = tid;
}

/*
 * FOREGROUND: who gets Ctrl-C. Only init, its holder or an ancestor of
 * its holder (the shell that handed it to a program) may pass it on,
 * and only to itself or a descendant: no task can take the terminal
 * from a task that is not its own. Answers the previous holder.
 */
int signal_pass_foreground(struct task *from, struct task *to, uint32_t *prev)
{
	struct task *holder = task_find(signal_fg);
	if (!task_is_init(from) &&
	    !(holder && task_is_descendant(holder, from)))
		return EPERM;
	if (!task_is_descendant(to, from))
		return EPERM;
	*prev = signal_fg;
	signal_fg = to->id;
	return 0;
}

/* Its holder is exiting: the terminal goes back to the parent, as to a
 * shell when its program ends (to init for an orphan). */
void signal_task_exiting(struct task *t)
{
	if (signal_fg == t->id)
		signal_fg = t->parent ? t->parent->id : TASK_INIT_ID;
}
