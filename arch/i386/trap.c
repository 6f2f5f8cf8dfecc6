/*
 * Where every trap but the message trap lands (trap.S: trap_common).
 * Device IRQs go to their drivers; an NMI is the machine's and is only
 * reported; a CPU exception from ring 3 is the task's fault and goes to
 * the kernel to kill or notify the task; one from ring 0 is either a
 * recoverable fault in a user copy (the exception table) or a kernel
 * bug, which panics with a full report.
 */
#include <drake/msg.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "i386.h"
#include "kernel.h"
#include "klock.h"
#include "sched.h"
#include "x86.h"

static const char *const trap_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection exception",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved",
};

static const char *const trap_mnemonics[32] = {
    "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS",
    "NP", "SS", "GP",  "PF", "--", "MF", "AC", "MC", "XM", "VE",  "CP",
    "--", "--", "--",  "--", "--", "--", "HV", "VC", "SX", "--",
};

/* The faults a task may ask to receive as signal messages. */
static const int trap_signals[32] = {
    [0] = SIGFPE, [6] = SIGILL, [13] = SIGSEGV, [14] = SIGSEGV};

#define VEC_DEBUG      1
#define VEC_NMI	       2
#define VEC_PAGE_FAULT 14
#define VEC_GP	       13
#define ERR_IDT	       0x2  /* #GP error code: the selector indexes the IDT */
#define PORT_SYSCTL_B  0x61 /* bits 7 and 6: memory parity, I/O check NMI */
#define EFLAGS_TF      0x100u

struct extable_entry {
	uint32_t insn, fixup;
};
extern const struct extable_entry extable_start[], extable_end[];

/* A fault inside a user copy resumes at that copy's EFAULT exit. */
static int trap_fixup(struct trapframe *tf)
{
	for (const struct extable_entry *e = extable_start; e < extable_end;
	     e++) {
		if (e->insn == tf->eip) {
			tf->eip = e->fixup;
			return 1;
		}
	}
	return 0;
}

/* A ring-0 trap pushes no esp/ss: the interrupted stack ends where the
 * CPU's part of the frame would have continued. */
static uint32_t trap_interrupted_esp(const struct trapframe *tf)
{
	return trapframe_from_user(tf) ? tf->esp : (uint32_t)&tf->esp;
}

static void trap_dump(const struct trapframe *tf)
{
	kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx,
		tf->ecx, tf->edx);
	kprintf("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi,
		tf->ebp, trap_interrupted_esp(tf));
	kprintf("  cs=%04x ds=%04x es=%04x fs=%04x gs=%04x eflags=%08x\n",
		tf->cs, tf->ds, tf->es, tf->fs, tf->gs, tf->eflags);
	kprintf("  cr0=%08x cr2=%08x cr3=%08x\n", read_cr0(), read_cr2(),
		read_cr3());
}

__attribute__((noreturn)) static void trap_panic(struct trapframe *tf)
{
	unsigned v = tf->trapno;
	kprintf("PANIC: %s (#%s, vector %u) err=0x%x eip=%08x", trap_names[v],
		trap_mnemonics[v], v, tf->err, tf->eip);
	if (v == VEC_PAGE_FAULT)
		kprintf(" cr2=%08x", read_cr2());
	kprintf("\n");
	trap_dump(tf);
	panic_stop();
}

/*
 * The double-fault task (gdt.c, trap.S) lands here. The faulting code's
 * registers are where the task switch saved them. A page fault in a
 * kernel stack's guard page (kstack.c) is that stack overflowing: its
 * own frame could not be pushed, hence the double fault.
 */
void trap_double_fault(void)
{
	const struct tss *s = gdt_faulting_state();
	uint32_t cr2 = read_cr2();
	uint32_t guard = kstack_guard_page(cr2);
	if (!guard)
		guard = kstack_guard_page(s->esp);
	if (guard)
		kprintf("PANIC: kernel stack overflow (#DF, vector 8) "
			"eip=%08x esp=%08x cr2=%08x guard=%08x\n",
			s->eip, s->esp, cr2, guard);
	else
		kprintf("PANIC: %s (#DF, vector 8) eip=%08x esp=%08x "
			"cr2=%08x\n",
			trap_names[8], s->eip, s->esp, cr2);
	kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", s->eax, s->ebx,
		s->ecx, s->edx);
	kprintf("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", s->esi, s->edi,
		s->ebp, s->esp);
	kprintf("  cs=%04x ds=%04x es=%04x fs=%04x gs=%04x eflags=%08x\n",
		s->cs & 0xffff, s->ds & 0xffff, s->es & 0xffff, s->fs & 0xffff,
		s->gs & 0xffff, s->eflags);
	/* CR3 is the double-fault task's own: a switch does not save it. */
	kprintf("  cr0=%08x cr2=%08x\n", read_cr0(), cr2);
	panic_stop();
}

static void trap_user_fault(struct trapframe *tf)
{
	struct fault_info f = {
	    .vector = tf->trapno,
	    .name = trap_names[tf->trapno],
	    .eip = tf->eip,
	    .err = tf->err,
	    .has_addr = tf->trapno == VEC_PAGE_FAULT,
	    .addr = tf->trapno == VEC_PAGE_FAULT ? read_cr2() : 0,
	    .soft_int = tf->trapno == VEC_GP && (tf->err & ERR_IDT)
			    ? (int)(tf->err >> 3)
			    : -1,
	    .signo = trap_signals[tf->trapno],
	};
	task_fault(&f);
}

/*
 * An NMI comes from the machine (a parity or I/O check error, a
 * watchdog, a debugger's button), never from the code it interrupted:
 * blaming the running task, or panicking in the kernel, would be wrong.
 * Say so once and carry on.
 */
static void trap_nmi(const struct trapframe *tf)
{
	kprintf("NMI received in %s mode at eip %08x (port 0x61: %02x), "
		"ignored\n",
		trapframe_from_user(tf) ? "user" : "kernel", tf->eip,
		inb(PORT_SYSCTL_B));
}

/* The local APIC's own interrupts, acknowledged already: this CPU's
 * clock tick (APs only; the boot CPU's comes from the PIT) and another
 * CPU's IPI. */
static void trap_apic(unsigned vector)
{
	if (vector == VEC_LAPIC_TIMER)
		sched_tick();
	else
		sched_ipi();
}

static void trap_irq(unsigned irq)
{
	pic_eoi(irq);
	if (irq == IRQ_TIMER)
		clock_tick();
	else if (irq == IRQ_COM1)
		serial_irq();
	else if (irq == IRQ_KEYBOARD)
		keyboard_irq();
}

void trap_user_return(struct trapframe *tf)
{
	(void)tf;
	task_user_return();
}

/*
 * sysenter keeps TF, so a task that sets it and makes a sysenter call
 * takes a single-step trap at the entry's first instruction, in ring 0.
 * That is the task's doing, not a kernel bug: step on without TF. The
 * task loses its TF, as it would its trace across any other call.
 */
static int trap_sysenter_step(struct trapframe *tf)
{
	if (tf->trapno != VEC_DEBUG || tf->eip != (uint32_t)trap_sysenter_entry)
		return 0;
	tf->eflags &= ~EFLAGS_TF;
	return 1;
}

/*
 * Everything under the kernel lock but three: an NMI, which may come
 * while this CPU holds the lock or waits for it, and only prints; the
 * wake-up of a CPU halted waiting for the lock (klock.c), which only has
 * to end the halt; and the APIC tick or IPI that ends an idle CPU's
 * halt, where there is nothing to preempt and the idle loop takes its
 * mail next, under the lock. Taking it for those would only hold up the
 * CPUs that have work.
 */
void trap_dispatch(struct trapframe *tf)
{
	if (tf->trapno == VEC_NMI) {
		trap_nmi(tf);
		return;
	}
	/* An APIC interrupt is acknowledged before the lock is: a CPU
	 * that waits for it halted must still take the wake-up, which has
	 * the same priority class. */
	if (tf->trapno >= VEC_LAPIC_TIMER) {
		lapic_eoi();
		if (tf->trapno == VEC_WAKE || sched_idle_halted())
			return;
	}
	kernel_lock();
	if (tf->trapno >= VEC_LAPIC_TIMER)
		trap_apic(tf->trapno);
	else if (tf->trapno >= IRQ_BASE)
		trap_irq(tf->trapno - IRQ_BASE);
	else if (trapframe_from_user(tf))
		trap_user_fault(tf);
	else if (!trap_sysenter_step(tf) &&
		 (tf->trapno != VEC_PAGE_FAULT || !trap_fixup(tf)))
		trap_panic(tf);
	if (trapframe_from_user(tf) && this_cpu()->user_return_work)
		task_user_return();
	kernel_unlock();
}
