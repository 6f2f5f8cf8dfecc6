#include "port.h"

#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "kernel.h"
#include "task.h"
#include "trace.h"
#include "upcall.h"

static struct kport *port_find(struct task *t, uint32_t uaddr)
{
	list_for_each(pos, &t->ports)
	{
		struct kport *p = list_entry(pos, struct kport, link);
		if (p->uaddr == uaddr)
			return p;
	}
	return NULL;
}

static void port_timeout_fire(struct ktimer *timer);

/* A kport nothing refers to any more, to be used for another port. */
static struct kport *port_idle(struct task *t)
{
	list_for_each(pos, &t->ports)
	{
		struct kport *p = list_entry(pos, struct kport, link);
		if (!p->refs)
			return p;
	}
	return NULL;
}

static struct kport *port_create(struct task *t, uint32_t uaddr)
{
	struct kport *p;
	if (t->nports < PORT_MAX && (p = kzalloc(sizeof(*p)))) {
		p->owner = t;
		timer_init(&p->timeout, port_timeout_fire);
		list_push_back(&t->ports, &p->link);
		t->nports++;
	} else if (!(p = port_idle(t))) {
		return NULL;
	}
	p->uaddr = uaddr;
	return p;
}

/*
 * Take a message's reference on the kport for the reply port at uaddr, reading
 * its settings afresh; runs in t's context when a message is sent. The
 * head word is rewritten with its own value to prove the kernel will be
 * able to push returned messages on it later.
 */
int port_get(struct task *t, uint32_t uaddr, struct kport **out,
	     struct drake_port *settings)
{
	int err = copyin(settings, uaddr, sizeof(*settings));
	if (!err)
		err = copyout(uaddr + offsetof(struct drake_port, head),
			      &settings->head, sizeof(settings->head));
	if (err)
		return err;
	if (settings->mode > PORT_TIMEOUT)
		return EINVAL;
	struct kport *p = port_find(t, uaddr);
	if (!p && !(p = port_create(t, uaddr)))
		return EAGAIN;
	p->refs++;
	p->msgs++;
	*out = p;
	return 0;
}

/* A message that named p is finished: freed, not just returned. */
void port_msg_done(struct kport *p)
{
	p->msgs--;
	port_put(p);
}

/* An unreferenced kport stays on its task's list for reuse. */
void port_put(struct kport *p)
{
	p->refs--;
}

/* Could a message still arrive on the reply port at uaddr? Only if one
 * in flight names it (live ones included, held or not). */
bool port_expects(struct task *t, uint32_t uaddr)
{
	struct kport *p = port_find(t, uaddr);
	return p && p->msgs;
}

uint32_t port_head(struct kport *p)
{
	uint32_t head = 0;
	task_copyin(p->owner, &head,
		    p->uaddr + offsetof(struct drake_port, head), sizeof(head));
	return head;
}

void port_push(struct kport *p, uint32_t umsg)
{
	task_copyout(p->owner, p->uaddr + offsetof(struct drake_port, head),
		     &umsg, sizeof(umsg));
}

static void port_want_upcall(struct kport *p)
{
	if (p->want_upcall)
		return;
	p->want_upcall = true;
	p->refs++;
	p->owner->upcall_ready++;
	task_notify(p->owner);
}

/* Still uncollected when the timeout expired: revert to an upcall. */
static void port_timeout_fire(struct ktimer *timer)
{
	struct kport *p = container_of(timer, struct kport, timeout);
	if (port_head(p)) {
		if (trace_active)
			trace_timeout(p);
		port_want_upcall(p);
	}
	port_put(p);
}

/* A message was just pushed on p: take the port's action. */
void port_notify(struct kport *p)
{
	switch (p->mode) {
	case PORT_UPCALL:
	case PORT_CRIT:
		port_want_upcall(p);
		break;
	case PORT_TIMEOUT:
		if (timer_armed(&p->timeout))
			break;
		/* +1: the current tick is partly gone; wait the whole time */
		timer_arm(&p->timeout,
			  clock_ticks() + 1 + clock_ms_to_ticks(p->timeout_ms));
		p->refs++; /* the armed timer's */
		break;
	}
}

/* flushsys(): userland is attending to its ports, so pending timeouts
 * are called off. */
void port_flush(struct task *t)
{
	struct list_node *pos = t->ports.next;
	while (pos != &t->ports) {
		struct kport *p = list_entry(pos, struct kport, link);
		pos = pos->next;
		if (timer_armed(&p->timeout)) {
			timer_cancel(&p->timeout);
			port_put(p);
		}
	}
}

/* Task exit, after its messages are gone: drop timers and owed upcalls. */
void port_rundown(struct task *t)
{
	struct list_node *n;
	while ((n = list_pop_front(&t->ports))) {
		struct kport *p = list_entry(n, struct kport, link);
		timer_cancel(&p->timeout);
		kfree(p);
	}
	t->nports = 0;
	t->upcall_ready = 0;
}
