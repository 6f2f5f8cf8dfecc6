/*
 * Upcalls: the kernel making a task's port handler run, on the task's own
 * stack, the next time the task returns to user mode.
 *
 * The interlock: at most one upcall is active per task. Delivering one
 * raises the userland critical count (sysport.crit) while its handler
 * runs, and the libsys trampoline ends it with an UPCALL_RETURN message,
 * in which the kernel restores the interrupted context itself. So no
 * upcall is ever pushed on top of one that is running or returning; one
 * owed meanwhile is delivered straight after, from the same stack depth.
 * A PORT_CRIT port's upcall also waits while userland's own critical
 * count is non-zero: the kernel sets sysport.pending and userland calls
 * flushsys() when it leaves its last critical section.
 */
#ifndef DRAKE_UPCALL_H
#define DRAKE_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

struct task;

struct kport;

bool upcall_deliverable(struct task *t);
bool upcall_possible(struct task *t, struct kport *p);
void upcall_deliver(struct task *t);
int upcall_return(struct task *t, uint32_t *eax);
int upcall_flush(struct task *t);

#endif
