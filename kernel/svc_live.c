/* Message handlers for live messages: signals, timers, kill, re-arm. */
#include <drake/errno.h>
#include <drake/msg.h>
#include <drake/string.h>

#include "kmsg.h"
#include "live.h"
#include "msg.h"
#include "signal.h"
#include "task.h"

/* A signal message waits on its task's list of them, where
 * signal_send() finds it without a walk of everything in flight. */
static void svc_signal_cancel(struct kmsg *k)
{
	list_remove(&k->wait_link);
}

int svc_signal(struct kmsg *k)
{
	struct msg_signal *m = (struct msg_signal *)&k->m;
	uint32_t catchable = ~(SIGBIT(0) | SIGBIT(SIGKILL));
	if (!k->async || !k->live || !m->mask || (m->mask & ~catchable))
		return EINVAL;
	memset(&k->state, 0, sizeof(k->state));
	kmsg_park(k, svc_signal_cancel);
	list_push_back(&current->signals, &k->wait_link);
	return EASYNC;
}

/* Periodic timers must be live; a one-shot one may be either. */
int svc_timer(struct kmsg *k)
{
	struct msg_timer *m = (struct msg_timer *)&k->m;
	if (!k->async || (m->period_ms && !k->live) ||
	    (!m->period_ms && !m->delay_ms))
		return EINVAL;
	memset(&k->state, 0, sizeof(k->state));
	return live_timer_start(k, m->delay_ms, m->period_ms);
}

/* A task may signal itself and its descendants, nobody else. */
int svc_kill(struct kmsg *k)
{
	struct msg_kill *m = (struct msg_kill *)&k->m;
	struct task *t = task_find(m->tid);
	if (!t || t->state == TASK_ZOMBIE)
		return ESRCH;
	if (!task_is_descendant(t, current))
		return EPERM;
	if (m->signo == 0 || m->signo >= SIG_MAX)
		return EINVAL;
	signal_send(t, (int)m->signo, current->id);
	return 0;
}

int svc_rearm(struct kmsg *k)
{
	struct msg_rearm *m = (struct msg_rearm *)&k->m;
	return live_rearm(current, m->target);
}

int svc_foreground(struct kmsg *k)
{
	struct msg_foreground *m = (struct msg_foreground *)&k->m;
	struct task *t = m->tid ? task_find(m->tid) : current;
	uint32_t prev;
	if (!t || t->state == TASK_ZOMBIE)
		return ESRCH;
	int err = signal_pass_foreground(current, t, &prev);
	if (!err)
		k->m.hdr.result = prev;
	return err;
}
