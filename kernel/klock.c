/*
 * The kernel lock, Drake's "big kernel lock" (DragonFly's MP lock, Linux
 * 2.0's kernel_flag). The kernel was written for one CPU: it runs with
 * interrupts masked and is never preempted, so nothing else changed
 * kernel state while it ran. On several CPUs this lock keeps that true:
 * a CPU takes it on every way into the kernel but three (the message
 * fast path, which answers from the caller's own state; an NMI; and the
 * tick or IPI that only ends an idle CPU's halt), and gives it up on the
 * way back to user mode and while its idle task halts. Tasks in user
 * mode run in parallel; the kernel runs on one CPU at a time. Scheduling
 * does not depend on the lock's reach: run queues belong to their CPUs
 * (sched.c), so the lock can later shrink.
 *
 * A ticket lock: CPUs get it in the order they asked, so none starves.
 * It is held for at most one step of any kernel operation (a preemption
 * point opens a window for the others between steps).
 *
 * A CPU that has waited a little halts until the holder lets go and
 * wakes it (an IPI that does nothing else), with interrupts on: a
 * waiting CPU keeps taking its interrupts, and under an emulator or a
 * hypervisor it leaves its host CPU to the holder instead of spinning
 * against it. An interrupt taken in that halt may need the lock too: it
 * waits for the same ticket, runs in that turn, and leaves the turn to
 * the code it interrupted, which goes on when the handler returns.
 *
 * A CPU may take the lock again while it holds it (an interrupt in a
 * window the holder opened nests). Task switches happen at depth one and
 * pass the lock from one task to the next on the same CPU.
 */
#include "klock.h"

#include <stdatomic.h>

#include "arch.h"
#include "cpu.h"
#include "kernel.h"

#define KLOCK_SPINS 100 /* spins before halting: a short hold is common */

static struct {
	atomic_uint next;    /* the next ticket handed out */
	atomic_uint serving; /* the ticket whose turn it is */
	atomic_uint halted;  /* CPUs halted waiting, a bit each */
} klock;

static bool klock_served(unsigned ticket)
{
	return atomic_load_explicit(&klock.serving, memory_order_acquire) ==
	       ticket;
}

/*
 * Wait for the turn of `ticket`, halted once a short spin is over.
 * Announcing the halt and then looking at `serving` once more, against
 * the holder's storing `serving` and then looking at `halted` (both
 * sequentially consistent), means one of the two sees the other: no
 * wake-up is lost. One that comes before the hlt waits for the sti,
 * whose shadow covers the hlt.
 */
static void klock_wait(struct cpu *c, unsigned ticket)
{
	for (int i = 0; i < KLOCK_SPINS; i++) {
		if (klock_served(ticket))
			return;
		arch_cpu_relax();
	}
	unsigned bit = 1u << c->id;
	while (!klock_served(ticket)) {
		atomic_fetch_or(&klock.halted, bit);
		if (atomic_load(&klock.serving) != ticket)
			arch_idle_wait();
		atomic_fetch_and(&klock.halted, ~bit);
	}
}

/* An interrupt taken while this CPU waits halted: its turn is the
 * waiting code's, and it spins for it with interrupts off, so at most
 * one handler nests on a wait. */
static void klock_spin(unsigned ticket)
{
	while (!klock_served(ticket))
		arch_cpu_relax();
}

/* Held already (an interrupt in a window), or an interrupt in this
 * CPU's halted wait: out of line, so the common case stays short. */
static __attribute__((noinline)) void klock_nested(struct cpu *c)
{
	if (c->lock_depth) {
		c->lock_depth++;
		return;
	}
	klock_spin(c->lock_ticket);
	c->lock_depth = 1;
}

static __attribute__((noinline)) void klock_wait_turn(struct cpu *c,
						      unsigned ticket)
{
	c->lock_ticket = ticket;
	c->lock_waiting = true;
	klock_wait(c, ticket);
	c->lock_waiting = false;
}

static __attribute__((noinline)) void klock_wake_halted(unsigned halted)
{
	for (unsigned cpu = 0; halted; cpu++, halted >>= 1)
		if (halted & 1)
			arch_cpu_wake(cpu);
}

void kernel_lock(void)
{
	struct cpu *c = this_cpu();
	if (c->lock_depth || c->lock_waiting) {
		klock_nested(c);
		return;
	}
	unsigned ticket =
	    atomic_fetch_add_explicit(&klock.next, 1, memory_order_relaxed);
	if (!klock_served(ticket))
		klock_wait_turn(c, ticket);
	c->lock_depth = 1;
}

void kernel_unlock(void)
{
	struct cpu *c = this_cpu();
	if (--c->lock_depth || c->lock_waiting)
		return; /* still held, or the interrupted wait's turn */
	atomic_store(
	    &klock.serving,
	    atomic_load_explicit(&klock.serving, memory_order_relaxed) + 1);
	unsigned halted = atomic_load(&klock.halted);
	if (halted)
		klock_wake_halted(halted);
}

void kernel_lock_window(void)
{
	if (this_cpu()->lock_depth != 1) {
		arch_irq_window();
		return;
	}
	kernel_unlock();
	arch_irq_window();
	kernel_lock();
}
