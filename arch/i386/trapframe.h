/*
 * The register frame every trap, interrupt and system call builds on the
 * kernel stack (trap.S). Its layout is shared with the assembly: the order
 * is what `push %ds..%gs; pusha` leaves, under what the CPU pushed.
 */
#ifndef DRAKE_TRAPFRAME_H
#define DRAKE_TRAPFRAME_H

#include <stdint.h>

struct trapframe {
	uint32_t edi, esi, ebp, kesp, ebx, edx, ecx, eax; /* pusha */
	uint32_t gs, fs, es, ds;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags; /* pushed by the CPU */
	uint32_t esp, ss;	  /* only when coming from ring 3 */
};

#define TF_EAX_OFFSET 28

/*
 * A message trap's err says how it came in: 0 by int 0x81, or
 * TF_ERR_SYSENTER (asm.h) by sysenter, whose exit may then use sysexit.
 * Whatever replaces the user context in the frame (an upcall pushed or
 * returned from) clears it, so that the context leaves by iret whole.
 */

static inline int trapframe_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

#endif
