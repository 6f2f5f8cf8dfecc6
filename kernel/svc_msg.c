/* Message handlers about messages themselves: abort, upcall return and
 * batches of messages. */
#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "kmsg.h"
#include "live.h"
#include "msg.h"
#include "sched.h"
#include "task.h"
#include "upcall.h"

/* result: for a held live message, the events it had counted since its
 * last return (they come back in it, not again on its port); else 0. */
int svc_abort(struct kmsg *k)
{
	struct msg_abort *m = (struct msg_abort *)&k->m;
	struct kmsg *target = kmsg_find(current, m->target);
	if (!target || !target->async)
		return ENOMSG;
	k->m.hdr.result = 0;
	if (target->live)
		k->m.hdr.result = live_abort(target);
	else
		kmsg_abort(target);
	return 0;
}

/*
 * The end of every upcall (the libsys trampoline sends it). It never
 * returns to its sender: the interrupted context is restored instead,
 * eax included (the trap exit puts it where the error code would go).
 */
int svc_upcall_return(struct kmsg *k)
{
	uint32_t eax;
	if (k->async)
		return EINVAL; /* it replaces the context: nothing to queue */
	int err = upcall_return(current, &eax);
	if (err)
		return err;
	k->m.hdr.result = eax;
	return MSG_RESUMED;
}

/*
 * BATCH: send each entry of the list as its own sendsys would, in order.
 * Every entry is first marked BATCH_UNSENT, which also proves the whole
 * list readable and writable before any message is sent. A synchronous
 * entry may block; one interrupted (EINTR) ends the batch so the upcall
 * runs now, and the rest stay unsent. Between entries the clock and
 * other tasks get their turn, and a killed task stops there.
 */
int svc_batch(struct kmsg *k)
{
	struct msg_batch *m = (struct msg_batch *)&k->m;
	const uint32_t size = sizeof(struct drake_batch_entry);
	const uint32_t out = offsetof(struct drake_batch_entry, error);
	struct drake_batch_entry e = {.state = BATCH_UNSENT};
	if (k->async)
		return EINVAL; /* it may block: there is nothing to queue */
	if (m->count > BATCH_MAX)
		return E2BIG;
	if (!user_range_ok(m->list, m->count * size))
		return EFAULT;
	for (uint32_t i = 0; i < m->count; i++)
		if (copyout_checked(m->list + i * size + out, &e.error,
				    size - out))
			return EFAULT;
	uint32_t accepted = 0;
	for (uint32_t i = 0; i < m->count; i++) {
		uint32_t u = m->list + i * size;
		bool refused;
		if (copyin_checked(&e, u, out))
			return EFAULT; /* the list was proven readable: never */
		e.error = msg_send_batched(e.port, e.msg, e.size, &refused);
		e.state = refused ? BATCH_REFUSED : BATCH_ACCEPTED;
		accepted += !refused;
		if (copyout_checked(u + out, &e.error, size - out))
			return EFAULT;
		/* interrupted: an upcall is owed now (a server may answer
		 * EINTR too, and that is just that entry's result) */
		if ((!refused && e.error == EINTR &&
		     upcall_deliverable(current)) ||
		    (i + 1 < m->count && sched_preempt_point()))
			break;
	}
	m->hdr.result = accepted;
	return 0;
}
