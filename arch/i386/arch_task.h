/* The machine state a task carries besides its trap frame. */
#ifndef DRAKE_ARCH_TASK_H
#define DRAKE_ARCH_TASK_H

#include <stdint.h>

struct arch_task {
	uint32_t kesp;	  /* saved kernel stack pointer while switched out */
	uint32_t kstack;  /* base (lowest address) of the kernel stack */
	uint8_t fpu[108]; /* x87 state (fnsave image) */
	/* what an upcall handler must not disturb, kept in the kernel */
	uint32_t upcall_segs[4]; /* gs, fs, es, ds */
	uint8_t upcall_fpu[108];
};

#endif
