/*
 * The user heap: malloc/free under stress with the heap checked
 * consistent, BRK's limits, and running out of memory, in one task and
 * in several at once, answered with NULL while the kernel carries on.
 */
#include <drake/string.h>

#include "../check.h"

enum { SLOTS = 2000 };
static unsigned char *slot[SLOTS];
static uint32_t slot_size[SLOTS];
static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static bool malloc_stress(void)
{
	for (int round = 0; round < 12000; round++) {
		int i = (int)(rnd() % SLOTS);
		if (slot[i]) {
			for (uint32_t k = 0; k < slot_size[i]; k++)
				CHECK(slot[i][k] == (unsigned char)i);
			free(slot[i]);
			slot[i] = NULL;
		} else {
			slot_size[i] = 1 + rnd() % (rnd() % 8 ? 300 : 9000);
			slot[i] = malloc(slot_size[i]);
			CHECK(slot[i]);
			memset(slot[i], i & 0xff, slot_size[i]);
		}
		if (round % 500 == 0)
			CHECK_EQ(heap_check(), 0);
	}
	for (int i = 0; i < SLOTS; i++) {
		free(slot[i]);
		slot[i] = NULL;
	}
	CHECK_EQ(heap_check(), 0);
	return true;
}

static bool brk_limits(void)
{
	uint32_t now;
	CHECK_EQ(sys_brk(0, &now), 0);
	CHECK(now > 0x40000000u && now % 4096 == 0);
	CHECK_EQ(sys_brk(now + 5000, NULL), 0);
	*(volatile char *)(now + 4999) = 1;	       /* mapped and writable */
	CHECK_EQ(sys_brk(0x40000000u, NULL), -ENOMEM); /* below the heap */
	CHECK_EQ(sys_brk(now + USER_HEAP_MAX + 4096, NULL), -ENOMEM);
	CHECK_EQ(sys_brk(now, NULL), 0); /* back down: allowed */
	return true;
}

static bool out_of_memory_is_null(void)
{
	uint32_t before, after;
	int status = 0;
	CHECK_EQ(sys_wait(sys_spawn("heapfill", ""), &status), 0);
	CHECK(status > 16 && status <= (int)(USER_HEAP_MAX / 65536));
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	/* Five at once ask for 160 MiB of a 128 MiB machine. */
	int tids[5];
	for (int i = 0; i < 5; i++)
		CHECK((tids[i] = sys_spawn("heapfill", "")) > 0);
	int total = 0;
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(sys_wait(tids[i], &status), 0);
		CHECK(status > 0);
		total += status;
	}
	CHECK(total < 5 * (int)(USER_HEAP_MAX / 65536)); /* someone ran dry */
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

int main(void)
{
	RUN(malloc_stress);
	RUN(brk_limits);
	RUN(out_of_memory_is_null);
	return check_summary();
}
