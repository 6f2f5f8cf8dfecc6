/*
 * Kernel stacks: one page each, straight from the page allocator, inside
 * the kernel's 1:1 mapping of RAM.
 */
#include "arch.h"
#include "kernel.h"

uint32_t arch_kstack_alloc(void)
{
	return pmm_alloc();
}

void arch_kstack_free(uint32_t base)
{
	pmm_free(base);
}
