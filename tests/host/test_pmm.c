/* Page-allocator bookkeeping (kernel/pmm.c) with a made-up memory map. */
#include <stdlib.h>

#include "../../kernel/pmm.c"
#include "../check.h"

void panic(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

#define MiB (1024u * 1024u)

static bool pmm_counts_available_pages(void)
{
	pmm_init();
	CHECK(pmm_free_count() == 0);
	pmm_add_range(MiB, 4 * MiB);
	CHECK(pmm_free_count() == 1024);
	pmm_add_range(MiB, 4 * MiB); /* overlapping report: no double count */
	CHECK(pmm_free_count() == 1024);
	return true;
}

static bool pmm_partial_pages_are_not_usable(void)
{
	pmm_init();
	pmm_add_range(MiB + 100, 3 * PAGE_SIZE); /* spans 2 whole pages */
	CHECK(pmm_free_count() == 2);
	return true;
}

static bool pmm_page_zero_never_free(void)
{
	pmm_init();
	pmm_add_range(0, 64 * 1024);
	CHECK(pmm_free_count() == 15);
	CHECK(!pmm_is_free(0));
	return true;
}

static bool pmm_reserved_ranges_never_allocated(void)
{
	pmm_init();
	pmm_add_range(MiB, MiB);
	pmm_reserve_range(MiB + 0x1800, 0x2000); /* touches 3 pages */
	CHECK(pmm_free_count() == 256 - 3);
	uint32_t pa;
	unsigned n = 0;
	while ((pa = pmm_alloc())) {
		CHECK(pa >= MiB && pa < 2 * MiB);
		CHECK(pa < MiB + 0x1000 || pa >= MiB + 0x4000);
		n++;
	}
	CHECK(n == 253);
	return true;
}

static bool pmm_free_returns_and_rejects_double_free(void)
{
	pmm_init();
	pmm_add_range(MiB, 8 * PAGE_SIZE);
	uint32_t a = pmm_alloc(), b = pmm_alloc();
	CHECK(a != b && a && b);
	CHECK(pmm_free_count() == 6);
	CHECK(pmm_release(a));
	CHECK(!pmm_release(a));
	CHECK(!pmm_release(a + 1));		/* unaligned */
	CHECK(!pmm_release(KERNEL_PHYS_LIMIT)); /* beyond the map */
	CHECK(pmm_free_count() == 7);
	CHECK(pmm_alloc() == a); /* lowest free page first */
	return true;
}

static bool pmm_ignores_memory_beyond_limit(void)
{
	pmm_init();
	pmm_add_range(KERNEL_PHYS_LIMIT - PAGE_SIZE, 16 * MiB);
	CHECK(pmm_free_count() == 1);
	CHECK(pmm_total_count() == 1);
	return true;
}

int main(void)
{
	RUN(pmm_counts_available_pages);
	RUN(pmm_partial_pages_are_not_usable);
	RUN(pmm_page_zero_never_free);
	RUN(pmm_reserved_ranges_never_allocated);
	RUN(pmm_free_returns_and_rejects_double_free);
	RUN(pmm_ignores_memory_beyond_limit);
	return check_summary();
}
