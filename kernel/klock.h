/*
 * The kernel lock. A CPU holds it whenever it runs kernel code, except
 * the message fast path and the idle halt (docs/smp.md).
 */
#ifndef DRAKE_KLOCK_H
#define DRAKE_KLOCK_H

void kernel_lock(void);
void kernel_unlock(void);
/* Let interrupts in, and other CPUs into the kernel, between two steps
 * of a long operation; the caller re-checks what it relies on. */
void kernel_lock_window(void);

#endif
