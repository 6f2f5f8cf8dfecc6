#include "live.h"

#include <drake/errno.h>
#include <drake/msg.h>

#include "kernel.h"
#include "kmsg.h"
#include "task.h"

static uint64_t live_result(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	if (k->m.hdr.cmd == CMD_TIMER)
		return (uint64_t)s->expiry_due << 32 | s->expiry;
	return (uint64_t)s->fault_addr << 32 | s->pending_bits;
}

/* Return everything counted so far and hold the message. */
static void live_return(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	k->m.hdr.result = live_result(k);
	k->m.hdr.count = s->pending;
	k->m.hdr.error = 0;
	k->m.hdr.flags |= MSGF_HELD;
	s->pending = 0;
	s->pending_bits = 0;
	s->held = true;
	kmsg_return(k);
}

/* One more event for k: returned now unless userland holds it. */
void live_event(struct kmsg *k, uint32_t bits, uint32_t fault_addr)
{
	struct kmsg_live *s = &k->state;
	s->pending++;
	s->pending_bits |= bits;
	if (fault_addr)
		s->fault_addr = fault_addr;
	if (!s->held)
		live_return(k);
}

/* REARM: userland is done with the last return. Writing the flags back
 * without DONE and HELD shows userland the message is live again. */
int live_rearm(struct task *t, uint32_t umsg)
{
	struct kmsg *k = kmsg_find(t, umsg);
	if (!k || !k->live)
		return ENOMSG;
	if (!k->state.held)
		return 0;
	k->state.held = false;
	k->m.hdr.flags &= ~(MSGF_HELD | MSGF_DONE);
	task_copyout(t, umsg + offsetof(struct drake_msg, flags),
		     &k->m.hdr.flags, sizeof(k->m.hdr.flags));
	if (k->state.pending)
		live_return(k);
	return 0;
}

/*
 * Timers. The n-th expiry is due at start + delay + (n - 1) * period in
 * milliseconds, rounded up to a tick, so however late any one return is,
 * later deadlines never drift.
 */
static uint64_t live_timer_due(struct kmsg *k, uint32_t n)
{
	struct msg_timer *m = (struct msg_timer *)&k->m;
	uint64_t ms =
	    k->state.start_ms + m->delay_ms + (uint64_t)(n - 1) * m->period_ms;
	return clock_ms_to_ticks(ms);
}

static void live_timer_fire(struct ktimer *timer)
{
	struct kmsg *k = container_of(timer, struct kmsg, timer);
	struct msg_timer *m = (struct msg_timer *)&k->m;
	uint32_t n = ++k->state.expiry;
	k->state.expiry_due = (uint32_t)timer->due;
	if (!m->period_ms) {
		k->m.hdr.result = (uint64_t)timer->due << 32 | n;
		k->m.hdr.count = 1;
		kmsg_complete(k, 0); /* one-shot: returned once, then done */
		return;
	}
	live_event(k, 0, 0);
	/* A full timer heap cannot happen: this one just left it. */
	timer_arm(&k->timer, live_timer_due(k, n + 1));
}

static void live_timer_cancel(struct kmsg *k)
{
	timer_cancel(&k->timer);
}

int live_timer_start(struct kmsg *k, uint32_t delay_ms, uint32_t period_ms)
{
	k->state.start_ms = clock_uptime_ms();
	if (!delay_ms)
		((struct msg_timer *)&k->m)->delay_ms = period_ms;
	timer_init(&k->timer, live_timer_fire);
	if (!timer_arm(&k->timer, live_timer_due(k, 1)))
		return EAGAIN;
	kmsg_park(k, live_timer_cancel);
	return EASYNC;
}
