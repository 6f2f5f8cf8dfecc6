/*
 * The i386 address-space layout, seen by the portable kernel through
 * arch.h. Every address space maps the first 1 GiB of physical memory 1:1,
 * supervisor-only, with 4 MiB pages: that is the kernel's view of all RAM.
 * User space is the 2 GiB above it. The top 1 GiB is left unmapped so a
 * wrap-around or sign error faults instead of landing somewhere real,
 * except for one 4 MiB window at KSTACK_REGION: the kernel stacks, each
 * with an unmapped guard page below it, in a page table every address
 * space shares, and the 4 MiB holding the local APIC's registers when
 * there is more than one CPU (vm_map_device).
 */
#ifndef DRAKE_MACHINE_H
#define DRAKE_MACHINE_H

#define PAGE_SIZE	  4096u
#define PAGE_SHIFT	  12
#define KERNEL_PHYS_LIMIT 0x40000000u /* RAM the kernel can address */
#define USER_BASE	  0x40000000u
#define USER_END	  0xC0000000u
#define USER_STACK_PAGES  16u
#define USER_STACK_TOP	  USER_END
/* One unmapped guard page lies below the stack. */
#define USER_STACK_BOTTOM (USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE)
/* Below the guard page, the kernel's read-only entry page (entry.c);
 * the program and its heap end below it. */
#define USER_ENTRY_PAGE (USER_STACK_BOTTOM - 2 * PAGE_SIZE)

/* A task's kernel stack: its trap frame at the top, the kernel below. */
#define KSTACK_PAGES	   1u
#define KSTACK_SIZE	   (KSTACK_PAGES * PAGE_SIZE)
#define KSTACK_REGION	   0xF0000000u /* far from USER_END and from ~0 */
#define KSTACK_REGION_SIZE 0x00400000u /* one page table's worth */

/* Most CPUs the kernel starts (smp.c); any more stay in reset. */
#define CPU_MAX 8
/* Kernel stacks for tasks (kstack.c): one per task of the task table,
 * TASK_MAX in the ABI (drake/msg.h). */
#define KSTACK_TASKS 64

#define TIMER_HZ 100u /* PIT rate: one tick every 10 ms */

/* How the trap entry calls into C: arguments in eax, edx, ecx. */
#define ARCH_TRAP_ENTRY __attribute__((regparm(3)))

#endif
