/*
 * Per-task machine state: the kernel stack a task enters through, its
 * first trap frame, and its x87 state, which is saved and restored on
 * every switch so floating point in one task never leaks into another.
 */
#include <drake/string.h>

#include "arch.h"
#include "i386.h"
#include "kernel.h"
#include "task.h"
#include "x86.h"

static uint8_t fpu_initial[108];

/* Every CPU: a native x87 (#MF for its errors), initialised. */
void fpu_init_cpu(void)
{
	uint32_t cr0 = read_cr0();
	cr0 &= ~(CR0_EM | CR0_TS);
	write_cr0(cr0 | CR0_MP | CR0_NE);
	__asm__ volatile("fninit");
}

/* The boot CPU: also keep the state every new task starts with. */
void fpu_init(void)
{
	fpu_init_cpu();
	__asm__ volatile("fnsave %0" : "=m"(fpu_initial));
}

void task_first_entry(void);

/*
 * Lay out a new task's kernel stack: its user-mode trap frame at the top
 * and, under it, a frame task_switch_stacks() can "return" through into
 * task_first_entry, which leaves through the trap frame into ring 3.
 */
void arch_task_init_user(struct task *t, uint32_t entry, uint32_t esp)
{
	struct trapframe *tf =
	    (struct trapframe *)(t->arch.kstack + KSTACK_SIZE) - 1;
	memset(tf, 0, sizeof(*tf));
	tf->cs = SEL_UCODE;
	tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEL_UDATA;
	tf->eflags = EFLAGS_IF | 0x2;
	tf->eip = entry;
	tf->esp = esp;

	uint32_t *sp = (uint32_t *)tf;
	*--sp = (uint32_t)task_first_entry;
	for (int i = 0; i < 4; i++)
		*--sp = 0; /* ebp, ebx, esi, edi */
	t->arch.kesp = (uint32_t)sp;
	memcpy(t->arch.fpu, fpu_initial, sizeof(fpu_initial));
}

void arch_task_switch(struct task *from, struct task *to)
{
	gdt_set_kernel_stack(to->arch.kstack + KSTACK_SIZE);
	entry_set_kernel_stack(to->arch.kstack + KSTACK_SIZE);
	arch_vm_activate(to->vm);
	/*
	 * fnsave never waits, so a pending x87 exception of `from` cannot
	 * fault here, and it leaves the FPU initialised (nothing pending)
	 * for frstor, which does wait. An exception `to` had pending stays
	 * pending until its next x87 instruction, in user mode. No x87
	 * instruction that waits may run in the kernel between the two.
	 */
	__asm__ volatile("fnsave %0\n\t"
			 "frstor %1"
			 : "=m"(from->arch.fpu)
			 : "m"(to->arch.fpu));
	task_switch_stacks(&from->arch.kesp, to->arch.kesp);
}
