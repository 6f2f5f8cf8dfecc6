/*
 * Trap entry and exit. Every entry builds a struct trapframe (trapframe.h)
 * on the kernel stack and every exit unwinds one with iret.
 *
 * Every entry loads the kernel's segments, %fs included: it is based at
 * this CPU's struct cpu (arch_cpu.h), where user_return_work lives.
 *
 * The message trap (int 0x81) has its own entry so its path stays short:
 * it decodes the proposal's register encoding (edx != 0: sendsys; else
 * waitsys, which is flushsys when eax and ecx are 0 too), passes the
 * registers on as regparm arguments and puts the error code returned
 * into the saved eax. The gate is a trap gate (the proposal's
 * choice), so interrupts are still on at the first instruction; the
 * kernel is non-preemptible, so the entry masks them at once. An IRQ
 * that slips in before the cli sees a ring-0 frame and only requests a
 * reschedule, which user_return_work carries to the exit.
 *
 * A bare header goes to msg_fast first, without the kernel lock
 * (kernel/klock.c): it answers from the caller's own state. Everything
 * else takes the lock, and gives it up just before the exit's iret or
 * sysexit, after the last look at user_return_work; anything another
 * CPU owes this task after that arrives as an IPI in user mode.
 *
 * The sysenter entry (trap_sysenter_entry) builds the very same frame,
 * with err = TF_ERR_SYSENTER, and shares the rest of the path. Its exit
 * uses sysexit only when the frame still holds the context the entry
 * saved and nothing is owed on the way out; otherwise, and whenever the
 * context was replaced (an upcall, UPCALL_RETURN, a reschedule, a kill),
 * it leaves by iret like any trap.
 */
#include <drake/entry.h>

#include "asm.h"

	.section .note.GNU-stack, "", @progbits
	.text

/* Build the frame's middle (segments, then pusha), clear DF for C. */
.macro TRAP_SAVE
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	cld /* user code may leave DF set; C and rep movs assume it clear */
.endm

/* Data segments for the kernel, through ebx (saved in the frame). */
.macro KERNEL_SEGMENTS
	movw $SEL_KDATA, %bx
	movw %bx, %ds
	movw %bx, %es
	movw $SEL_KPERCPU, %bx
	movw %bx, %fs
.endm

/* Unwind a whole trapframe and return to the interrupted code. */
.macro TRAP_RESTORE
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp /* trapno, err */
	iret
.endm

/* Vectors without a CPU error code push a zero so all frames match. */
.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50
trap_vec\n:
	pushl $0
	pushl $\n
	jmp trap_common
.endr
.irp n, 8,10,11,12,13,14,17,21,29,30
trap_vec\n:
	pushl $\n
	jmp trap_common
.endr

trap_common:
	TRAP_SAVE
	KERNEL_SEGMENTS
	pushl %esp
	call trap_dispatch
	addl $4, %esp
	.globl trap_return
trap_return:
	TRAP_RESTORE

	.globl trap_msg_entry
trap_msg_entry:
#ifdef DEBUG_TRAPS
	xchgw %bx, %bx /* Bochs magic breakpoint: stop at every message */
#endif
	cli
	pushl $0
	pushl $VEC_MSG
	TRAP_SAVE
	KERNEL_SEGMENTS /* ebx is saved; eax/ecx/edx are arguments */
	testl %edx, %edx
	jz 3f
	xchgl %ecx, %edx /* regparm(3): eax=port, edx=msg, ecx=size */
	cmpl $MSG_FAST_SIZE, %ecx
	jne 5f
	call msg_fast /* a bare header: perhaps answered at once */
	testl %edx, %edx
	jnz 5f
	movl %eax, TF_EAX(%esp)
	cmpl $0, %fs:CPU_USER_RETURN_WORK
	jne 6f
	TRAP_RESTORE /* inline, not a jmp: the message path stays short */
5:	call kernel_lock
	movl TF_EAX(%esp), %eax /* the arguments again, as above */
	movl TF_ECX(%esp), %edx
	movl TF_EDX(%esp), %ecx
	call msg_sendsys
msg_exit:
	movl %eax, TF_EAX(%esp)
	cmpl $0, %fs:CPU_USER_RETURN_WORK
	jne 2f
1:	call kernel_unlock
	TRAP_RESTORE
2:	pushl %esp
	call trap_user_return
	addl $4, %esp
	jmp 1b
3:	call kernel_lock /* waitsys(port, msg), or flushsys() when both 0 */
	movl TF_EAX(%esp), %eax
	movl TF_ECX(%esp), %edx
	call msg_waitsys
	jmp msg_exit
6:	call kernel_lock
	jmp 2b

/*
 * sysenter from the entry page's stub (entrypage.S): eax, ecx, edx as
 * for int 0x81, ebp = the user esp. The CPU saved nothing, cleared IF
 * and VM, and put esp at the top of this task's kernel stack (the
 * SYSENTER_ESP MSR, set at every switch like the TSS's esp0). Push what
 * an int 0x81 from the stub would have: the return is always to the
 * stub's landing pad, and the user eflags are the live ones.
 */
	.globl trap_sysenter_entry
trap_sysenter_entry:
#ifdef DEBUG_TRAPS
	xchgw %bx, %bx
#endif
	pushl $SEL_UDATA
	pushl %ebp
	pushfl
	orl $(1 << EFLAGS_IF_BIT), (%esp) /* on again in user mode */
	pushl $SEL_UCODE
	pushl $DRAKE_ENTRY_SYSENTER_RET
	pushl $TF_ERR_SYSENTER
	pushl $VEC_MSG
	TRAP_SAVE
	/* NT and AC are the user's to set and sysenter keeps them: off
	 * before the kernel can iret or touch memory. IF stays off. */
	pushl $2
	popfl
	KERNEL_SEGMENTS
	testl %edx, %edx
	jz 3f
	xchgl %ecx, %edx
	cmpl $MSG_FAST_SIZE, %ecx
	jne 5f
	call msg_fast /* as for int 0x81 */
	testl %edx, %edx
	jnz 5f
	movl %eax, TF_EAX(%esp)
	cmpl $0, %fs:CPU_USER_RETURN_WORK
	jne 6f
	jmp sysexit_now
5:	call kernel_lock
	movl TF_EAX(%esp), %eax
	movl TF_ECX(%esp), %edx
	movl TF_EDX(%esp), %ecx
	call msg_sendsys
sysenter_exit:
	movl %eax, TF_EAX(%esp)
	cmpl $0, %fs:CPU_USER_RETURN_WORK
	jne 2f
	call kernel_unlock
	cmpl $TF_ERR_SYSENTER, TF_ERR(%esp)
	jne 1f
sysexit_now:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	movl 8(%esp), %edx  /* eip: the landing pad, which restores ecx/edx */
	movl 20(%esp), %ecx /* esp */
	addl $16, %esp	    /* trapno, err, eip, cs: esp at eflags */
	/* The user's flags with IF still off; sti's one-instruction shadow
	 * then covers sysexit, so an IRQ is taken in user mode, where it
	 * can preempt, never in between. */
	btrl $EFLAGS_IF_BIT, (%esp)
	popfl
	sti
	sysexit
1:	TRAP_RESTORE
2:	pushl %esp
	call trap_user_return
	addl $4, %esp
	call kernel_unlock
	jmp 1b
3:	call kernel_lock
	movl TF_EAX(%esp), %eax
	movl TF_ECX(%esp), %edx
	call msg_waitsys
	jmp sysenter_exit
6:	call kernel_lock
	jmp 2b

/*
 * The double-fault task (gdt.c) starts here, after a task switch, on its
 * own stack with the CPU's error code (always 0) on it; the faulting
 * code's registers are in the main TSS. It reports and stops.
 */
	.globl trap_double_fault_entry
trap_double_fault_entry:
	cld
	call trap_double_fault

/* A new task's first switch lands here, then leaves through its frame
 * (at esp now); the switch handed it the kernel lock. It may have been
 * killed before it ever ran. */
	.globl task_first_entry
task_first_entry:
	call sched_finish_switch
	cmpl $0, %fs:CPU_USER_RETURN_WORK
	je 1f
	pushl %esp
	call trap_user_return
	addl $4, %esp
1:	call kernel_unlock
	jmp trap_return

/* A spurious interrupt (the local APIC's) needs no EOI, and no lock. */
	.globl trap_spurious_entry
trap_spurious_entry:
	iret

#ifdef BENCH
/* The floor for make bench: the cheapest possible ring-3 round trip. */
	.globl trap_bench_entry
trap_bench_entry:
	iret
#endif

	.section .rodata
	.globl trap_vectors
trap_vectors:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50
	.long trap_vec\n
.endr
