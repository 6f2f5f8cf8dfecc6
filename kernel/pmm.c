#include "pmm.h"

#include <drake/string.h>

#include "kernel.h"
#include "machine.h"

#define PMM_PAGES (KERNEL_PHYS_LIMIT / PAGE_SIZE)
#define PMM_WORDS (PMM_PAGES / 32)

static uint32_t pmm_used[PMM_WORDS]; /* bit set: page not available */
static uint32_t pmm_free_pages;
static uint32_t pmm_total_pages;
static uint32_t pmm_hint; /* first word that may have a free bit */

void pmm_init(void)
{
	memset(pmm_used, 0xff, sizeof(pmm_used));
	pmm_free_pages = pmm_total_pages = 0;
	pmm_hint = 0;
}

static bool pmm_bit(uint32_t page)
{
	return pmm_used[page / 32] & (1u << (page % 32));
}

static void pmm_set(uint32_t page, bool used)
{
	if (used)
		pmm_used[page / 32] |= 1u << (page % 32);
	else
		pmm_used[page / 32] &= ~(1u << (page % 32));
}

/* Free every whole page inside [base, base+len), page 0 excepted. */
void pmm_add_range(uint64_t base, uint64_t len)
{
	uint64_t first = (base + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t end = (base + len) / PAGE_SIZE;
	if (end > PMM_PAGES)
		end = PMM_PAGES;
	for (uint64_t p = first ? first : 1; p < end; p++) {
		if (pmm_bit((uint32_t)p)) {
			pmm_set((uint32_t)p, false);
			pmm_free_pages++;
			pmm_total_pages++;
		}
	}
	pmm_hint = 0;
}

/* Take back every page that overlaps [base, base+len). */
void pmm_reserve_range(uint32_t base, uint32_t len)
{
	uint64_t end = ((uint64_t)base + len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (end > PMM_PAGES)
		end = PMM_PAGES;
	for (uint64_t p = base / PAGE_SIZE; p < end; p++) {
		if (!pmm_bit((uint32_t)p)) {
			pmm_set((uint32_t)p, true);
			pmm_free_pages--;
			pmm_total_pages--;
		}
	}
}

uint32_t pmm_alloc(void)
{
	for (uint32_t w = pmm_hint; w < PMM_WORDS; w++) {
		if (pmm_used[w] == 0xffffffffu)
			continue;
		uint32_t bit = (uint32_t)__builtin_ctz(~pmm_used[w]);
		pmm_used[w] |= 1u << bit;
		pmm_free_pages--;
		pmm_hint = w;
		return (w * 32 + bit) * PAGE_SIZE;
	}
	pmm_hint = PMM_WORDS;
	return 0;
}

/* Give a page back; false if it was not an allocated page. */
bool pmm_release(uint32_t pa)
{
	uint32_t page = pa / PAGE_SIZE;
	if (pa % PAGE_SIZE || page == 0 || page >= PMM_PAGES || !pmm_bit(page))
		return false;
	pmm_set(page, false);
	pmm_free_pages++;
	if (page / 32 < pmm_hint)
		pmm_hint = page / 32;
	return true;
}

void pmm_free(uint32_t pa)
{
	if (!pmm_release(pa))
		panic("pmm_free: bad or double free of page %08x", pa);
}

bool pmm_is_free(uint32_t pa)
{
	return pa / PAGE_SIZE < PMM_PAGES && !pmm_bit(pa / PAGE_SIZE);
}

uint32_t pmm_free_count(void)
{
	return pmm_free_pages;
}

uint32_t pmm_total_count(void)
{
	return pmm_total_pages;
}
