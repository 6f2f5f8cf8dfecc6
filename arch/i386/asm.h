/* Constants shared by the assembly files of arch/i386. */
#ifndef DRAKE_ASM_H
#define DRAKE_ASM_H

/* Segment selectors (gdt.c). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1b
#define SEL_UDATA 0x23
#define SEL_TSS	  0x28
#define SEL_DFTSS 0x30 /* the double-fault task */

#define VEC_MSG 0x81
#define TF_EAX	28 /* offsets in struct trapframe */
#define TF_ERR	52

/* err of a message trap that came in by sysenter (trapframe.h). */
#define TF_ERR_SYSENTER 1

#define EFLAGS_IF_BIT 9

#endif
