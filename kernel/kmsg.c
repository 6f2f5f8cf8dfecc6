#include "kmsg.h"

#include <drake/errno.h>

#include "arch.h"
#include "kernel.h"
#include "port.h"
#include "sched.h"
#include "task.h"
#include "trace.h"

/*
 * A task's messages in flight by user address, so that finding one (is
 * it in flight already? which one does ABORT name?) does not grow with
 * their number: KMSG_BY_ADDR chains, and a task has at most
 * MSG_INFLIGHT_MAX + MSG_LIVE_MAX + 1 in flight.
 */
#define KMSG_BY_ADDR 128u

struct kmsg **kmsg_table_alloc(void)
{
	return kzalloc(KMSG_BY_ADDR * sizeof(struct kmsg *));
}

static struct kmsg **kmsg_chain(struct task *t, uint32_t umsg)
{
	return &t->msg_by_addr[(umsg * 2654435761u) >> 25];
}
_Static_assert(KMSG_BY_ADDR == 1u << (32 - 25), "the hash's bits");

struct kmsg *kmsg_find(struct task *t, uint32_t umsg)
{
	struct kmsg *k = *kmsg_chain(t, umsg);
	while (k && k->umsg != umsg)
		k = k->addr_next;
	return k;
}

/* A task's limits cover only asynchronous messages (a synchronous one
 * is its sender's single blocked call). */
void kmsg_park(struct kmsg *k, void (*cancel)(struct kmsg *k))
{
	struct task *t = current;
	k->owner = t;
	k->cancel = cancel;
	list_push_back(&t->inflight, &k->task_link);
	struct kmsg **chain = kmsg_chain(t, k->umsg);
	k->addr_next = *chain;
	*chain = k;
	if (k->live)
		t->nlive++;
	else if (k->async)
		t->ninflight++;
}

/* Off its owner's in-flight list, for good. */
static void kmsg_unlink(struct kmsg *k)
{
	struct kmsg **p = kmsg_chain(k->owner, k->umsg);
	while (*p != k)
		p = &(*p)->addr_next;
	*p = k->addr_next;
	list_remove(&k->task_link);
	if (k->live)
		k->owner->nlive--;
	else if (k->async)
		k->owner->ninflight--;
}

/*
 * The kernel copies of asynchronous messages come first from a pool of
 * whole-size objects in the kernel image, so the common case allocates
 * and frees no page per message; past the pool, from kmalloc. Live
 * messages, which stay in flight, always take kmalloc: they would hold
 * the pool for good. The pool is everyone's: a task that empties it
 * only makes messages take kmalloc's path, never fail.
 */
#define KMSG_POOL 64
static struct kmsg kmsg_pool[KMSG_POOL];
static struct kmsg *kmsg_pool_free;
static uint32_t kmsg_pool_carved; /* objects ever handed out */

struct kmsg *kmsg_alloc(uint32_t size, bool live)
{
	if (live)
		return kmalloc(offsetof(struct kmsg, m) + size);
	struct kmsg *k = kmsg_pool_free;
	if (k) {
		kmsg_pool_free = k->addr_next;
		return k;
	}
	if (kmsg_pool_carved < KMSG_POOL)
		return &kmsg_pool[kmsg_pool_carved++];
	return kmalloc(offsetof(struct kmsg, m) + size);
}

static void kmsg_release(struct kmsg *k)
{
	if (k >= kmsg_pool && k < kmsg_pool + KMSG_POOL) {
		k->addr_next = kmsg_pool_free;
		kmsg_pool_free = k;
	} else {
		kfree(k);
	}
}

void kmsg_free(struct kmsg *k)
{
	if (k->port)
		port_msg_done(k->port);
	kmsg_release(k);
}

/*
 * Write the results into the owner's copy: error, result and count
 * first, then the queue link, and MSGF_DONE last, so that userland
 * polling the flag sees everything else already in place. The memory
 * was proven writable when the message was accepted and user pages are
 * never unmapped while a task lives, so the writes only fail if the task
 * broke its own message; then there is nothing left to tell it.
 */
static void kmsg_write_back(struct kmsg *k, bool with_link)
{
	struct task *t = k->owner;
	struct drake_msg *h = &k->m.hdr;
	uint16_t flags = h->flags | MSGF_DONE;
	task_copyout(t, k->umsg + offsetof(struct drake_msg, error), &h->error,
		     sizeof(h->error) + sizeof(h->result));
	task_copyout(t, k->umsg + offsetof(struct drake_msg, count), &h->count,
		     sizeof(h->count) + (with_link ? sizeof(h->link) : 0));
	task_copyout(t, k->umsg + offsetof(struct drake_msg, flags), &flags,
		     sizeof(flags));
}

void kmsg_return(struct kmsg *k)
{
	struct kport *p = k->port;
	k->m.hdr.link = p ? port_head(p) : 0;
	kmsg_write_back(k, true);
	if (p) {
		port_push(p, k->umsg);
		port_notify(p);
	}
	task_wake_waiter(k->owner);
	if (trace_active)
		trace_returned(k);
}

enum { KMSG_HANDED_LIVE = 1, KMSG_HANDED_COMPLETE };

static void kmsg_cancel_nothing(struct kmsg *k)
{
	(void)k;
}

/* Leave k's return to its owner if it runs in user mode elsewhere; k
 * stays in flight (and counted) until the owner returns it. */
static bool kmsg_hand_over(struct kmsg *k, uint8_t how)
{
	struct task *t = k->owner;
	if (!sched_running_elsewhere(t))
		return false;
	k->handed_over = how;
	if (how == KMSG_HANDED_COMPLETE)
		k->cancel = kmsg_cancel_nothing; /* nothing waits any more */
	list_push_back(&t->returns, &k->return_link);
	sched_kick(t);
	return true;
}

static void kmsg_finish(struct kmsg *k)
{
	kmsg_unlink(k);
	kmsg_return(k);
	kmsg_free(k);
}

void kmsg_complete(struct kmsg *k, int error)
{
	k->m.hdr.error = error;
	if (!k->async) {
		kmsg_unlink(k);
		k->done = true;
		sched_wake(k->owner);
		return;
	}
	k->m.hdr.flags &= ~MSGF_HELD;
	if (!kmsg_hand_over(k, KMSG_HANDED_COMPLETE))
		kmsg_finish(k);
}

void kmsg_return_live(struct kmsg *k)
{
	if (!kmsg_hand_over(k, KMSG_HANDED_LIVE))
		kmsg_return(k);
}

void kmsg_catch_up(struct task *t)
{
	struct list_node *n;
	while ((n = list_pop_front(&t->returns))) {
		struct kmsg *k = list_entry(n, struct kmsg, return_link);
		uint8_t how = k->handed_over;
		k->handed_over = 0;
		if (how == KMSG_HANDED_LIVE)
			kmsg_return(k);
		else
			kmsg_finish(k);
	}
}

/* Its link is left alone: the message may still be on its reply port,
 * and rewriting the link would cut the queue behind it. */
void kmsg_finish_in_place(struct kmsg *k, int error)
{
	k->m.hdr.error = error;
	k->m.hdr.flags &= ~MSGF_HELD;
	kmsg_unlink(k);
	kmsg_write_back(k, false);
	if (trace_active)
		trace_finished_in_place(k);
	kmsg_free(k);
}

/* A synchronous sender killed while it waits: its kmsg is on its own
 * stack, so it is only taken off everything, never freed. */
void kmsg_forget(struct kmsg *k)
{
	k->cancel(k);
	kmsg_unlink(k);
}

/* Abort returns the message once, with ECANCELED, like any completion. */
void kmsg_abort(struct kmsg *k)
{
	k->cancel(k);
	kmsg_complete(k, ECANCELED);
}

/* Task exit: everything in flight is cancelled and freed, and nothing
 * is written into the memory of a task that is going away. A message
 * handed over to it is still in flight, so freed here too. */
void kmsg_rundown(struct task *t)
{
	struct list_node *n;
	list_init(&t->returns);
	while ((n = list_pop_front(&t->inflight))) {
		struct kmsg *k = list_entry(n, struct kmsg, task_link);
		k->cancel(k);
		kmsg_free(k);
	}
	t->ninflight = 0;
	t->nlive = 0;
}

/* Messages that asked to complete "on the way back to user mode"
 * (TICKS with 0 ticks) are finished here, in their owner's context. */
void kmsg_run_deferred(struct task *t)
{
	struct list_node *n;
	while ((n = list_pop_front(&t->deferred))) {
		struct kmsg *k = list_entry(n, struct kmsg, wait_link);
		k->m.hdr.result = clock_ticks();
		kmsg_complete(k, 0);
	}
}
