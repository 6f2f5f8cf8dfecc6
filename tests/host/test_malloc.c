/* libsys' malloc (libsys/malloc.c) over a fixed host arena. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define malloc	drake_malloc
#define calloc	drake_calloc
#define realloc drake_realloc
#define free	drake_free
#include "../../libsys/malloc.c"
#undef malloc
#undef calloc
#undef realloc
#undef free
#include "../check.h"

#define ARENA (4u * 1024 * 1024)
static _Alignas(16) char arena[ARENA];
static size_t arena_used, arena_limit = ARENA;

void *heap_grow(size_t more)
{
	if (more > arena_limit - arena_used)
		return NULL;
	arena_used += more;
	return arena + arena_used - more;
}

static bool malloc_basic(void)
{
	char *a = drake_malloc(10), *b = drake_malloc(100);
	CHECK(a && b && a != b);
	CHECK((uintptr_t)a % 8 == 0 && (uintptr_t)b % 8 == 0);
	memset(a, 1, 10);
	memset(b, 2, 100);
	CHECK(heap_check() == 0);
	drake_free(a);
	drake_free(b);
	drake_free(NULL);
	CHECK(heap_check() == 0);
	return true;
}

static bool free_neighbours_merge(void)
{
	char *p[3];
	for (int i = 0; i < 3; i++)
		p[i] = drake_malloc(200);
	drake_free(p[0]);
	drake_free(p[2]);
	drake_free(p[1]); /* merges with both sides */
	CHECK(heap_check() == 0);
	char *big = drake_malloc(600); /* fits where the three were */
	CHECK(big == p[0]);
	drake_free(big);
	return true;
}

enum { SLOTS = 3000 };
static unsigned char *slot[SLOTS];
static size_t slot_size[SLOTS];

static bool slot_intact(int i)
{
	for (size_t k = 0; k < slot_size[i]; k++)
		if (slot[i][k] != (unsigned char)i)
			return false;
	return true;
}

/* Thousands of allocations of random sizes, freed in random order,
 * the heap checked throughout and every block's contents intact. */
static bool malloc_random_stress(void)
{
	srand(3);
	for (int round = 0; round < 20000; round++) {
		int i = rand() % SLOTS;
		if (slot[i]) {
			CHECK(slot_intact(i));
			drake_free(slot[i]);
			slot[i] = NULL;
		} else {
			slot_size[i] =
			    1 + (size_t)(rand() % (rand() % 8 ? 200 : 5000));
			slot[i] = drake_malloc(slot_size[i]);
			CHECK(slot[i]);
			memset(slot[i], i & 0xff, slot_size[i]);
		}
		if (round % 97 == 0)
			CHECK(heap_check() == 0);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slot[i]) {
			CHECK(slot_intact(i));
			drake_free(slot[i]);
			slot[i] = NULL;
		}
	}
	CHECK(heap_check() == 0);
	return true;
}

static bool realloc_and_calloc(void)
{
	char *p = drake_malloc(16);
	memcpy(p, "drake-realloc!!", 16);
	p = drake_realloc(p, 4000);
	CHECK(p && !memcmp(p, "drake-realloc!!", 16));
	int *z = drake_calloc(100, sizeof(int));
	CHECK(z);
	for (int i = 0; i < 100; i++)
		CHECK(z[i] == 0);
	CHECK(drake_calloc(SIZE_MAX / 2, 4) == NULL); /* overflow */
	drake_free(p);
	drake_free(z);
	CHECK(heap_check() == 0);
	return true;
}

static bool out_of_memory_returns_null(void)
{
	arena_limit = arena_used; /* the kernel says no more */
	void *huge = drake_malloc(ARENA);
	CHECK(huge == NULL);
	CHECK(drake_malloc(SIZE_MAX) == NULL);
	int n = 0;
	void *p;
	while ((p = drake_malloc(1000)))
		n++; /* what is already there still serves */
	CHECK(n > 0);
	CHECK(heap_check() == 0);
	arena_limit = ARENA;
	return true;
}

int main(void)
{
	RUN(malloc_basic);
	RUN(free_neighbours_merge);
	RUN(malloc_random_stress);
	RUN(realloc_and_calloc);
	RUN(out_of_memory_returns_null);
	return check_summary();
}
