#include "upcall.h"

#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "cpu.h"
#include "kernel.h"
#include "port.h"
#include "task.h"
#include "trace.h"

static uint32_t upcall_crit(struct task *t)
{
	uint32_t crit = 0;
	fetch_user32(t->sysport + offsetof(struct drake_sysport, crit), &crit);
	return crit;
}

static void upcall_set_word(struct task *t, size_t offset, uint32_t v)
{
	copyout(t->sysport + offset, &v, sizeof(v));
}

/* The first port owed an upcall that may have it now. */
static struct kport *upcall_pick(struct task *t, uint32_t crit)
{
	list_for_each(pos, &t->ports)
	{
		struct kport *p = list_entry(pos, struct kport, link);
		if (p->want_upcall && (p->mode != PORT_CRIT || crit == 0))
			return p;
	}
	return NULL;
}

/* Would a message returned to p now be handled by an upcall at once? */
bool upcall_possible(struct task *t, struct kport *p)
{
	return p && p->handler && !t->in_upcall &&
	       (p->mode == PORT_UPCALL ||
		(p->mode == PORT_CRIT && upcall_crit(t) == 0));
}

/* Could an upcall be pushed right now, with a handler to run? (A wait
 * it interrupts returns EINTR only once the handler has run.) */
bool upcall_deliverable(struct task *t)
{
	uint32_t entry = 0;
	if (!t->upcall_ready || t->in_upcall)
		return false;
	struct kport *p = upcall_pick(t, upcall_crit(t));
	fetch_user32(t->sysport + offsetof(struct drake_sysport, upcall_entry),
		     &entry);
	return p && p->handler && entry;
}

static void upcall_done_with(struct task *t, struct kport *p)
{
	p->want_upcall = false;
	t->upcall_ready--;
	port_put(p);
}

/* Runs in t's context on its way back to user mode. */
void upcall_deliver(struct task *t)
{
	if (!t->upcall_ready || t->in_upcall)
		return;
	uint32_t crit = upcall_crit(t), entry = 0, frame;
	struct kport *p = upcall_pick(t, crit);
	if (!p) {
		/* Only critical-section ports are owed: held back. */
		upcall_set_word(t, offsetof(struct drake_sysport, pending), 1);
		if (trace_active)
			trace_upcall_held(t);
		return;
	}
	fetch_user32(t->sysport + offsetof(struct drake_sysport, upcall_entry),
		     &entry);
	uint32_t port = p->uaddr, handler = p->handler;
	upcall_done_with(t, p);
	if (!entry || !handler)
		return; /* nowhere to go: the messages stay on the port */
	if (arch_upcall_push(t, entry, port, handler, &frame))
		task_kill(t, "no room on the user stack for an upcall");
	t->in_upcall = true;
	t->upcall_frame = frame;
	upcall_set_word(t, offsetof(struct drake_sysport, crit), crit + 1);
	if (trace_active)
		trace_upcall(t, p); /* last: nothing is live across the call */
}

/* UPCALL_RETURN: resume the interrupted context; *eax is its eax. */
int upcall_return(struct task *t, uint32_t *eax)
{
	if (!t->in_upcall)
		return EINVAL;
	if (arch_upcall_return(t, t->upcall_frame, eax))
		task_kill(t, "upcall frame unreadable on return");
	t->in_upcall = false;
	uint32_t crit = upcall_crit(t);
	upcall_set_word(t, offsetof(struct drake_sysport, crit),
			crit ? crit - 1 : 0);
	if (t->upcall_ready)
		this_cpu()->user_return_work =
		    1; /* chain the next one, same depth */
	return 0;
}

/* flushsys(): deliver what was held back, on the way out. */
int upcall_flush(struct task *t)
{
	upcall_set_word(t, offsetof(struct drake_sysport, pending), 0);
	port_flush(t);
	if (t->upcall_ready)
		this_cpu()->user_return_work = 1;
	return 0;
}
