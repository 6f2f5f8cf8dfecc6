/*
 * The kernel lock, Drake's "big kernel lock" (DragonFly's MP lock, Linux
 * 2.0's kernel_flag). The kernel was written for one CPU: it runs with
 * interrupts masked and is never preempted, so nothing else changed
 * kernel state while it ran. On several CPUs this lock keeps that true:
 * a CPU takes it on every way into the kernel but two (the message fast
 * path, which answers from the caller's own state, and an NMI), and
 * gives it up on the way back to user mode and while its idle task
 * halts. Tasks in user mode run in parallel; the kernel runs on one CPU
 * at a time. Scheduling does not depend on the lock's reach: run queues
 * belong to their CPUs (sched.c), so the lock can later shrink.
 *
 * A ticket lock: CPUs get it in the order they asked, so none starves
 * while the others take turns. It is taken with interrupts masked and
 * held for at most one step of any kernel operation (kernel_lock_window
 * lets others in between steps), so a CPU spins no longer than a lone
 * CPU would keep interrupts masked. A CPU may take it again while it
 * holds it: an interrupt taken in a window (arch_irq_window, the idle
 * halt during the boot self-tests) nests. Task switches happen at depth
 * one and pass the lock from one task to the next on the same CPU.
 */
#include "klock.h"

#include <stdatomic.h>

#include "arch.h"
#include "cpu.h"
#include "kernel.h"

static struct {
	atomic_uint next;    /* the next ticket handed out */
	atomic_uint serving; /* the ticket that holds the lock */
} klock;

void kernel_lock(void)
{
	struct cpu *c = this_cpu();
	if (c->lock_depth++)
		return;
	unsigned ticket =
	    atomic_fetch_add_explicit(&klock.next, 1, memory_order_relaxed);
	while (atomic_load_explicit(&klock.serving, memory_order_acquire) !=
	       ticket)
		arch_cpu_relax();
}

void kernel_unlock(void)
{
	struct cpu *c = this_cpu();
	if (--c->lock_depth)
		return;
	unsigned next =
	    atomic_load_explicit(&klock.serving, memory_order_relaxed) + 1;
	atomic_store_explicit(&klock.serving, next, memory_order_release);
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
