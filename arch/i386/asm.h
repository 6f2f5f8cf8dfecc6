/* Constants shared by the assembly files of arch/i386. */
#ifndef DRAKE_ASM_H
#define DRAKE_ASM_H

/* Segment selectors (gdt.c). */
#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE   0x1b
#define SEL_UDATA   0x23
#define SEL_TSS	    0x28
#define SEL_DFTSS   0x30 /* the double-fault task */
#define SEL_KPERCPU 0x38 /* this CPU's struct cpu (arch_cpu.h) */

/* struct cpu's first words (kernel/cpu.h), for trap.S. */
#define CPU_USER_RETURN_WORK 8

#define VEC_MSG		0x81
#define VEC_LAPIC_TIMER 48 /* after the 8259A's 32..47 */
#define VEC_IPI		49
#define VEC_WAKE	50   /* only ends a halt (klock.c) */
#define VEC_SPURIOUS	0xff /* low nibble all ones, as P6 parts need */
#define TF_EDX		20   /* offsets in struct trapframe */
#define TF_ECX		24
#define TF_EAX		28
#define TF_ERR		52

/* err of a message trap that came in by sysenter (trapframe.h). */
#define TF_ERR_SYSENTER 1

#define EFLAGS_IF_BIT 9

/* The message fast path (kernel/msg.c: msg_fast) takes sendsys of a
 * bare header; edx non-zero on its return (MSG_SLOW) leaves it to
 * msg_sendsys. */
#define MSG_FAST_SIZE 32

#endif
