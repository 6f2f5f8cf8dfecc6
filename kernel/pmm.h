/*
 * The physical page allocator: one bit per 4 KiB page of the RAM the kernel
 * maps (the first KERNEL_PHYS_LIMIT bytes). Pages start out used; the boot
 * code frees what the memory map calls available and then reserves the
 * kernel image and the boot modules again. Page 0 is never free, so 0 can
 * mean "no page".
 */
#ifndef DRAKE_PMM_H
#define DRAKE_PMM_H

#include <stdbool.h>
#include <stdint.h>

void pmm_init(void);
void pmm_add_range(uint64_t base, uint64_t len);
void pmm_reserve_range(uint32_t base, uint32_t len);
uint32_t pmm_alloc(void);
bool pmm_release(uint32_t pa);
void pmm_free(uint32_t pa);
uint32_t pmm_free_count(void);
uint32_t pmm_total_count(void);
bool pmm_is_free(uint32_t pa);

#endif
