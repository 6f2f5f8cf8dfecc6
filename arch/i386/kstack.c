/*
 * Kernel stacks. Each is KSTACK_PAGES pages in the KSTACK_REGION window
 * (machine.h, vm.c) with one unmapped guard page below it, so running
 * off the bottom of a stack faults instead of silently overwriting
 * whatever page lay below it. That fault cannot be delivered on the
 * overflowed stack, so it becomes a double fault, which runs as a task
 * of its own (gdt.c) and reports the overflow (trap.c).
 *
 * Slot i is [guard page][stack pages], from KSTACK_REGION + i * slot
 * size up. The physical pages come from the page allocator one at a
 * time: they need not be contiguous.
 */
#include "arch.h"
#include "i386.h"
#include "kernel.h"

#define KSTACK_SLOT  (KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_SLOTS (KSTACK_REGION_SIZE / KSTACK_SLOT)

static bool kstack_used[KSTACK_SLOTS];

static uint32_t kstack_base(uint32_t slot)
{
	return KSTACK_REGION + slot * KSTACK_SLOT + PAGE_SIZE;
}

static void kstack_unmap(uint32_t base, uint32_t pages)
{
	for (uint32_t i = 0; i < pages; i++)
		pmm_free(vm_kstack_unmap(base + i * PAGE_SIZE));
}

uint32_t arch_kstack_alloc(void)
{
	uint32_t slot = 0;
	while (slot < KSTACK_SLOTS && kstack_used[slot])
		slot++;
	if (slot == KSTACK_SLOTS)
		return 0;
	uint32_t base = kstack_base(slot);
	for (uint32_t i = 0; i < KSTACK_PAGES; i++) {
		uint32_t pa = pmm_alloc();
		if (!pa) {
			kstack_unmap(base, i);
			return 0;
		}
		vm_kstack_map(base + i * PAGE_SIZE, pa);
	}
	kstack_used[slot] = true;
	return base;
}

void arch_kstack_free(uint32_t base)
{
	kstack_unmap(base, KSTACK_PAGES);
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
