/*
 * What the portable kernel needs from the machine. Everything behind
 * these declarations lives in arch/<machine>/; nothing in kernel/ touches
 * a register, a port or a page-table entry directly.
 */
#ifndef DRAKE_ARCH_H
#define DRAKE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch_cpu.h"
#include "arch_task.h"
#include "machine.h"
#include "usercopy.h"

struct task;

/* Boot-time bring-up: descriptor tables, interrupt controller, timer. */
void arch_init_cpu(void);
void arch_init_devices(void);
/* Start the other CPUs the firmware lists, at most max CPUs in all;
 * answers how many run. Each calls sched_init_cpu(its number) and
 * enters sched_idle_loop, with its clock ticking (sched_tick). */
unsigned arch_start_cpus(unsigned max);
/* Interrupt CPU cpu (an IPI): it calls sched_ipi. */
void arch_cpu_kick(unsigned cpu);
/* End CPU cpu's halt, and nothing more (klock.c). */
void arch_cpu_wake(unsigned cpu);
/* Stop (false) or restart this CPU's clock tick around an idle halt;
 * a tick that is also the machine's clock never stops. */
void arch_cpu_tick(bool on);

/* Consoles (serial and VGA): both show every byte the kernel prints. */
void arch_console_init(void);
void arch_console_write(const char *buf, size_t n);

/* Stop the machine; under an emulator the harness can read `code`. */
__attribute__((noreturn)) void arch_exit_emulator(int code);
__attribute__((noreturn)) void arch_poweroff(void);
__attribute__((noreturn)) void arch_halt(void);

/* Harness only: fault in kernel mode on purpose ("de", "ud", "bp", "gp",
 * "pf"), or overflow a kernel stack ("kstack"), to prove panics are
 * reported; returns false for an unknown kind. */
bool arch_provoke_fault(const char *kind);

/* Interrupts. The kernel runs with them masked except while idle and
 * in a window a long operation opens between two steps of its work. */
void arch_idle_wait(void);
void arch_irq_window(void);

/* Address spaces. A space is named by its page-directory address. */
typedef uint32_t vm_space;
void arch_vm_init(void);
vm_space arch_vm_create(void);
int arch_vm_map(vm_space vm, uint32_t va, uint32_t pa, bool writable);
/* Remove the mapping at va; answers the page it mapped, 0 if none.
 * trim: free the page tables left empty in [start, end). */
uint32_t arch_vm_unmap(vm_space vm, uint32_t va);
void arch_vm_trim(vm_space vm, uint32_t start, uint32_t end);
void arch_vm_release_user(vm_space vm);
void arch_vm_free(vm_space vm);
void arch_vm_activate(vm_space vm);
/* Map the system-call entry page (drake/entry.h) read-only at
 * USER_ENTRY_PAGE; release_user takes it out again, never freeing it. */
int arch_vm_map_entry(vm_space vm);
/* The instruction the entry page's DRAKE_ENTRY_CALL uses, for people. */
const char *arch_entry_name(void);

/* User memory of any task, from any context (through its page tables,
 * since all RAM is mapped 1:1 in the kernel). 0 or EFAULT. */
int arch_vm_copyin(vm_space vm, void *dst, uint32_t usrc, size_t n);
int arch_vm_copyout(vm_space vm, uint32_t udst, const void *src, size_t n);

/* Upcalls for the current task (its user trap frame is the one at the
 * top of its kernel stack). push: save the interrupted user context in
 * a struct drake_upcall_frame on the user stack and enter `entry` with
 * esp at it; return: restore that context from the frame. */
int arch_upcall_push(struct task *t, uint32_t entry, uint32_t port,
		     uint32_t handler, uint32_t *frame);
int arch_upcall_return(struct task *t, uint32_t frame, uint32_t *eax);

/* Kernel stacks: KSTACK_SIZE bytes from the returned base up, or 0 when
 * all KSTACK_TASKS + CPU_MAX are taken. init maps them all, once. */
void arch_kstack_init(void);
uint32_t arch_kstack_alloc(void);
void arch_kstack_free(uint32_t base);

/* Tasks: per-task machine state and switching between kernel stacks. */
void arch_task_init_user(struct task *t, uint32_t entry, uint32_t esp);
void arch_task_switch(struct task *from, struct task *to);

#endif
