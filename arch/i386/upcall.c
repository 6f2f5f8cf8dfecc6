/*
 * Upcall frames. The general registers, eflags, eip and esp of the
 * interrupted user context go on the user stack (struct
 * drake_upcall_frame), where the handler could inspect them; segment
 * registers and the x87 state stay in the kernel, so nothing userland
 * writes into the frame can make the kernel load a bad selector. On
 * return only the arithmetic flags and DF are taken from the frame.
 */
#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "i386.h"
#include "task.h"
#include "x86.h"

#define EFLAGS_USER 0x0cd5u /* CF PF AF ZF SF DF OF */

static struct trapframe *upcall_user_frame(struct task *t)
{
	return (struct trapframe *)(t->arch.kstack + KSTACK_SIZE) - 1;
}

int arch_upcall_push(struct task *t, uint32_t entry, uint32_t port,
		     uint32_t handler, uint32_t *frame)
{
	struct trapframe *tf = upcall_user_frame(t);
	struct drake_upcall_frame f = {
	    .port = port,
	    .handler = handler,
	    .ctx = {tf->edi, tf->esi, tf->ebp, tf->esp, tf->ebx, tf->edx,
		    tf->ecx, tf->eax, tf->eflags, tf->eip},
	};
	uint32_t sp = (tf->esp - sizeof(f)) & ~15u;
	if (sp > tf->esp || copyout(sp, &f, sizeof(f)))
		return EFAULT;
	t->arch.upcall_segs[0] = tf->gs;
	t->arch.upcall_segs[1] = tf->fs;
	t->arch.upcall_segs[2] = tf->es;
	t->arch.upcall_segs[3] = tf->ds;
	/* fnsave also leaves the FPU initialised for the handler */
	__asm__ volatile("fnsave %0" : "=m"(t->arch.upcall_fpu));
	tf->gs = tf->fs = tf->es = tf->ds = SEL_UDATA;
	tf->eflags = EFLAGS_IF | 0x2;
	tf->esp = sp;
	tf->eip = entry;
	tf->err = 0; /* a new context: leave by iret (trapframe.h) */
	*frame = sp;
	return 0;
}

int arch_upcall_return(struct task *t, uint32_t frame, uint32_t *eax)
{
	struct trapframe *tf = upcall_user_frame(t);
	struct drake_upcall_frame f;
	if (copyin(&f, frame, sizeof(f)))
		return EFAULT;
	tf->edi = f.ctx.edi;
	tf->esi = f.ctx.esi;
	tf->ebp = f.ctx.ebp;
	tf->esp = f.ctx.esp;
	tf->ebx = f.ctx.ebx;
	tf->edx = f.ctx.edx;
	tf->ecx = f.ctx.ecx;
	tf->eax = f.ctx.eax;
	tf->eip = f.ctx.eip;
	tf->eflags = (f.ctx.eflags & EFLAGS_USER) | EFLAGS_IF | 0x2;
	tf->err = 0; /* the whole context restored: leave by iret */
	tf->gs = t->arch.upcall_segs[0];
	tf->fs = t->arch.upcall_segs[1];
	tf->es = t->arch.upcall_segs[2];
	tf->ds = t->arch.upcall_segs[3];
	/*
	 * The live x87 state is the handler's, which may hold an unmasked
	 * exception still pending; frstor waits for pending exceptions, so
	 * it would raise #MF here, in ring 0. The handler's state is being
	 * thrown away anyway: clear its exceptions first. The restored
	 * state keeps whatever the interrupted context itself had pending.
	 */
	__asm__ volatile("fnclex\n\t"
			 "frstor %0"
			 :
			 : "m"(t->arch.upcall_fpu));
	*eax = f.ctx.eax;
	return 0;
}
