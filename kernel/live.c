#include "live.h"

#include <drake/errno.h>
#include <drake/msg.h>

#include "kernel.h"
#include "kmsg.h"
#include "task.h"

static uint64_t live_timer_due(const struct kmsg *k, uint32_t n);

static uint64_t live_result(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	if (k->m.hdr.cmd == CMD_TIMER)
		return live_timer_due(k, s->expiry) << 32 | s->expiry;
	return (uint64_t)s->fault_addr << 32 | s->pending_bits;
}

/* The signal message's body field `sender`, written before the header
 * so that MSGF_DONE, written last, still covers everything. */
static void live_write_sender(struct kmsg *k)
{
	task_copyout(k->owner, k->umsg + offsetof(struct msg_signal, sender),
		     &k->state.sender, sizeof(k->state.sender));
}

/* Put everything counted since the last return into the message. */
static void live_collect(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	k->m.hdr.result = live_result(k);
	k->m.hdr.count = s->pending;
	if (k->m.hdr.cmd == CMD_SIGNAL)
		live_write_sender(k);
	s->pending = 0;
	s->pending_bits = 0;
	s->fault_addr = 0;
}

/* Return everything counted so far and hold the message. */
static void live_return(struct kmsg *k)
{
	live_collect(k);
	k->m.hdr.error = 0;
	k->m.hdr.flags |= MSGF_HELD;
	k->state.held = true;
	kmsg_return_live(k);
}

/* n more events for k: returned now unless userland holds it. */
static void live_events(struct kmsg *k, uint32_t n)
{
	k->state.pending += n;
	if (!k->state.held)
		live_return(k);
}

void live_signal(struct kmsg *k, uint32_t bits, uint32_t fault_addr,
		 uint32_t sender)
{
	struct kmsg_live *s = &k->state;
	s->pending_bits |= bits;
	if (fault_addr)
		s->fault_addr = fault_addr;
	s->sender = sender;
	live_events(k, 1);
}

/*
 * Timers. Everything is in whole ticks: the n-th expiry is due at
 * first_due + (n - 1) * period, so however late a return is, later
 * deadlines never drift. The kernel timer is armed only while the
 * message is not held: a held timer costs nothing per tick, and the
 * expiries that fell due meanwhile are counted by arithmetic when it is
 * re-armed.
 */
static uint64_t live_timer_due(const struct kmsg *k, uint32_t n)
{
	return k->state.first_due + (uint64_t)(n - 1) * k->state.period;
}

/* Expiries due by now and not yet counted. */
static uint32_t live_timer_due_now(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	uint64_t next = live_timer_due(k, s->expiry + 1), now = clock_ticks();
	if (next > now)
		return 0;
	return s->period ? (uint32_t)(now - next) / s->period + 1 : 1;
}

/* Return what fell due, or sleep until the next expiry. */
static void live_timer_check(struct kmsg *k)
{
	uint32_t n = live_timer_due_now(k);
	if (!n) {
		timer_arm(&k->timer, live_timer_due(k, k->state.expiry + 1));
		return;
	}
	k->state.expiry += n;
	if (!k->state.period) {
		live_collect(k);
		k->m.hdr.count = 1;
		kmsg_complete(k, 0); /* one-shot: returned once, then done */
		return;
	}
	live_events(k, n);
}

static void live_timer_fire(struct ktimer *timer)
{
	live_timer_check(container_of(timer, struct kmsg, timer));
}

static void live_timer_cancel(struct kmsg *k)
{
	timer_cancel(&k->timer);
}

/* Sent during tick s, the first expiry is due at s + 1 + delay: the
 * current tick is partly gone, and a timer never fires early. */
int live_timer_start(struct kmsg *k, uint32_t delay_ms, uint32_t period_ms)
{
	struct kmsg_live *s = &k->state;
	s->period = (uint32_t)clock_ms_to_ticks(period_ms);
	s->first_due = clock_ticks() + 1 +
		       clock_ms_to_ticks(delay_ms ? delay_ms : period_ms);
	timer_init(&k->timer, live_timer_fire);
	kmsg_park(k, live_timer_cancel);
	live_timer_check(k);
	return EASYNC;
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
	if (k->m.hdr.cmd == CMD_TIMER)
		live_timer_check(k);
	else if (k->state.pending)
		live_return(k);
	return 0;
}

/*
 * ABORT. A live message that is not held is returned a last time, like
 * any aborted message. A held one is userland's already, perhaps still
 * on its reply port, so it is finished where it is and never pushed
 * again; the events counted since its last return are reported in it.
 * Answers that count.
 */
uint32_t live_abort(struct kmsg *k)
{
	struct kmsg_live *s = &k->state;
	k->cancel(k);
	if (k->m.hdr.cmd == CMD_TIMER && s->held) {
		s->pending = live_timer_due_now(k);
		s->expiry += s->pending;
	}
	uint32_t n = s->pending;
	if (n)
		live_collect(k);
	k->m.hdr.count = n;
	if (s->held)
		kmsg_finish_in_place(k, ECANCELED);
	else
		kmsg_complete(k, ECANCELED);
	return n;
}
