/* The size-class allocator (kernel/kmalloc.c) over host pages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/kmalloc.c"
#include "../check.h"

static int pages_out;

void *kpage_alloc(void)
{
	pages_out++;
	return aligned_alloc(PAGE_SIZE, PAGE_SIZE);
}

void kpage_free(void *page)
{
	pages_out--;
	free(page);
}

static bool kmalloc_objects_are_distinct_and_aligned(void)
{
	void *a = kmalloc(24), *b = kmalloc(24);
	CHECK(a && b && a != b);
	CHECK((uintptr_t)a % 8 == 0 && (uintptr_t)b % 8 == 0);
	CHECK((char *)b - (char *)a == 32 || (char *)a - (char *)b == 32);
	kfree(a);
	kfree(b);
	CHECK(pages_out == 0);
	return true;
}

static bool kmalloc_returns_pages_when_empty(void)
{
	void *p[100];
	for (int i = 0; i < 100; i++)
		p[i] = kmalloc(100);
	CHECK(pages_out == 4); /* 31 objects of 128 per page */
	for (int i = 99; i >= 0; i--)
		kfree(p[i]);
	CHECK(pages_out == 0);
	CHECK(kmalloc_pages_in_use() == 0);
	return true;
}

static bool kmalloc_random_stress_keeps_contents(void)
{
	enum { N = 2000 };
	static unsigned char *obj[N];
	static size_t size[N];
	srand(7);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < N; i++) {
			size[i] = 1 + (size_t)rand() % KMALLOC_MAX;
			obj[i] = kmalloc(size[i]);
			CHECK(obj[i]);
			memset(obj[i], i & 0xff, size[i]);
		}
		for (int i = 0; i < N; i++) {
			int j = rand() % N;
			unsigned char *o = obj[i];
			size_t s = size[i];
			obj[i] = obj[j], size[i] = size[j];
			obj[j] = o, size[j] = s;
		}
		for (int i = 0; i < N; i++) {
			unsigned char want = obj[i][0];
			for (size_t k = 0; k < size[i]; k++)
				CHECK(obj[i][k] == want);
			kfree(obj[i]);
		}
		CHECK(pages_out == 0);
	}
	return true;
}

static bool kmalloc_rejects_too_big(void)
{
	CHECK(kmalloc(KMALLOC_MAX + 1) == NULL);
	void *p = kzalloc(KMALLOC_MAX);
	CHECK(p);
	for (size_t i = 0; i < KMALLOC_MAX; i++)
		CHECK(((unsigned char *)p)[i] == 0);
	kfree(p);
	kfree(NULL);
	CHECK(pages_out == 0);
	return true;
}

int main(void)
{
	RUN(kmalloc_objects_are_distinct_and_aligned);
	RUN(kmalloc_returns_pages_when_empty);
	RUN(kmalloc_random_stress_keeps_contents);
	RUN(kmalloc_rejects_too_big);
	return check_summary();
}
