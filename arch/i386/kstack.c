/*
 * Kernel stacks. Each is KSTACK_PAGES pages in the KSTACK_REGION window
 * (machine.h, vm.c) with one unmapped guard page below it, so running
 * off the bottom of a stack faults instead of silently overwriting
 * whatever page lay below it. That fault cannot be delivered on the
 * overflowed stack, so it becomes a double fault, which runs as a task
 * of its own (gdt.c) and reports the overflow (trap.c).
 *
 * Slot i is [guard page][stack pages], from KSTACK_REGION + i * slot
 * size up. All KSTACK_POOL stacks are mapped once, at boot, and never
 * unmapped: a task's stack is read and written by other CPUs too (a
 * synchronous message's kmsg lives there, and the CPU that completes it
 * may be any), and a mapping that changed would need every CPU's TLB
 * flushed before its page could be used again. A stack that never moves
 * needs no shootdown (docs/smp.md).
 */
#include "arch.h"
#include "i386.h"
#include "kernel.h"

#define KSTACK_SLOT  (KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_SLOTS (KSTACK_REGION_SIZE / KSTACK_SLOT)
/* Every task's, each AP's idle task's, and one for the self-tests. */
#define KSTACK_POOL (KSTACK_TASKS + CPU_MAX + 1)

_Static_assert(KSTACK_POOL <= KSTACK_SLOTS, "the window holds the pool");

static bool kstack_used[KSTACK_POOL];
static uint32_t kstack_mapped; /* slots with their pages, from 0 */

static uint32_t kstack_base(uint32_t slot)
{
	return KSTACK_REGION + slot * KSTACK_SLOT + PAGE_SIZE;
}

/* Map every stack of the pool; a slot whose pages are missing (no
 * memory) and the ones after it are never handed out. */
void arch_kstack_init(void)
{
	for (uint32_t slot = 0; slot < KSTACK_POOL; slot++) {
		for (uint32_t i = 0; i < KSTACK_PAGES; i++) {
			uint32_t pa = pmm_alloc();
			if (!pa)
				return;
			vm_kstack_map(kstack_base(slot) + i * PAGE_SIZE, pa);
		}
		kstack_mapped = slot + 1;
	}
}

uint32_t arch_kstack_alloc(void)
{
	for (uint32_t slot = 0; slot < kstack_mapped; slot++) {
		if (!kstack_used[slot]) {
			kstack_used[slot] = true;
			return kstack_base(slot);
		}
	}
	return 0;
}

void arch_kstack_free(uint32_t base)
{
	kstack_used[(base - KSTACK_REGION) / KSTACK_SLOT] = false;
}

/* The guard page holding addr, or 0 if addr is in no guard page. */
uint32_t kstack_guard_page(uint32_t addr)
{
	if (addr < KSTACK_REGION || addr - KSTACK_REGION >= KSTACK_REGION_SIZE)
		return 0;
	uint32_t off = (addr - KSTACK_REGION) % KSTACK_SLOT;
	return off < PAGE_SIZE ? addr & ~(PAGE_SIZE - 1) : 0;
}
