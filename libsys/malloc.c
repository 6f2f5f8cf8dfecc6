#include <drake/malloc.h>
#include <drake/string.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A block: [size|used] payload... [size]. Sizes count the whole block
 * and are multiples of 8, so bit 0 can say "in use". A free block's
 * payload starts with the free-list links.
 */
struct heap_free {
	struct heap_free *next, *prev;
};

#define HEAP_ALIGN    8u
#define HEAP_TAG      sizeof(size_t)
#define HEAP_OVERHEAD (2 * HEAP_TAG)
#define HEAP_MIN_BLOCK                                                         \
	((HEAP_OVERHEAD + sizeof(struct heap_free) + HEAP_ALIGN - 1) &         \
	 ~(HEAP_ALIGN - 1))
#define HEAP_CHUNK 16384u /* grow at least this much at a time */
#define HEAP_USED  1u

static char *heap_start, *heap_end;
static struct heap_free *heap_free_list;

static size_t *tag_head(char *b)
{
	return (size_t *)b;
}

static size_t block_size(char *b)
{
	return *tag_head(b) & ~(size_t)HEAP_USED;
}

static bool block_used(char *b)
{
	return *tag_head(b) & HEAP_USED;
}

static size_t *tag_foot(char *b)
{
	return (size_t *)(b + block_size(b) - HEAP_TAG);
}

static void block_set(char *b, size_t size, bool used)
{
	*tag_head(b) = size | (used ? HEAP_USED : 0);
	*tag_foot(b) = size | (used ? HEAP_USED : 0);
}

static struct heap_free *block_links(char *b)
{
	return (struct heap_free *)(b + HEAP_TAG);
}

static char *links_block(struct heap_free *f)
{
	return (char *)f - HEAP_TAG;
}

static void free_list_add(char *b)
{
	struct heap_free *f = block_links(b);
	f->prev = NULL;
	f->next = heap_free_list;
	if (heap_free_list)
		heap_free_list->prev = f;
	heap_free_list = f;
}

static void free_list_remove(char *b)
{
	struct heap_free *f = block_links(b);
	if (f->prev)
		f->prev->next = f->next;
	else
		heap_free_list = f->next;
	if (f->next)
		f->next->prev = f->prev;
}

/* Free block b, merging it with free neighbours; returns the result. */
static char *block_release(char *b)
{
	size_t size = block_size(b);
	char *next = b + size;
	if (next < heap_end && !block_used(next)) {
		free_list_remove(next);
		size += block_size(next);
	}
	if (b > heap_start && !(*(size_t *)(b - HEAP_TAG) & HEAP_USED)) {
		char *prev =
		    b - (*(size_t *)(b - HEAP_TAG) & ~(size_t)HEAP_USED);
		free_list_remove(prev);
		size += block_size(prev);
		b = prev;
	}
	block_set(b, size, false);
	free_list_add(b);
	return b;
}

static bool heap_extend(size_t need)
{
	size_t more = need > HEAP_CHUNK ? need : HEAP_CHUNK;
	char *p = heap_grow(more);
	if (!p && more > need)
		p = heap_grow(more = need);
	if (!p)
		return false;
	if (!heap_start)
		heap_start = p;
	heap_end = p + more;
	block_set(p, more, true);
	block_release(p);
	return true;
}

/* Take `size` bytes from free block b, leaving any usable rest free. */
static void *block_take(char *b, size_t size)
{
	size_t have = block_size(b);
	free_list_remove(b);
	if (have - size >= HEAP_MIN_BLOCK) {
		block_set(b + size, have - size, false);
		free_list_add(b + size);
		have = size;
	}
	block_set(b, have, true);
	return b + HEAP_TAG;
}

static char *heap_fit(size_t size)
{
	for (struct heap_free *f = heap_free_list; f; f = f->next)
		if (block_size(links_block(f)) >= size)
			return links_block(f);
	return NULL;
}

static size_t heap_block_for(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	size_t size = (n + HEAP_OVERHEAD + HEAP_ALIGN - 1) & ~(HEAP_ALIGN - 1);
	return size < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : size;
}

void *malloc(size_t n)
{
	size_t size = heap_block_for(n);
	if (!size)
		return NULL;
	char *b = heap_fit(size);
	if (!b && heap_extend(size))
		b = heap_fit(size);
	return b ? block_take(b, size) : NULL;
}

void free(void *p)
{
	if (p)
		block_release((char *)p - HEAP_TAG);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t have = block_size((char *)p - HEAP_TAG) - HEAP_OVERHEAD;
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}

int heap_check(void)
{
	size_t free_blocks = 0, listed = 0;
	bool prev_free = false;
	for (char *b = heap_start; b && b < heap_end; b += block_size(b)) {
		size_t size = block_size(b);
		if (size < HEAP_MIN_BLOCK || size % HEAP_ALIGN ||
		    size > (size_t)(heap_end - b))
			return 1; /* a size that cannot be */
		if (*tag_head(b) != *tag_foot(b))
			return 2; /* head and foot tags disagree */
		if (!block_used(b) && prev_free)
			return 3; /* two free neighbours not merged */
		prev_free = !block_used(b);
		free_blocks += prev_free;
	}
	for (struct heap_free *f = heap_free_list; f; f = f->next) {
		char *b = links_block(f);
		if (b < heap_start || b >= heap_end || block_used(b))
			return 4; /* the list holds something not free */
		if (f->next && f->next->prev != f)
			return 5; /* broken links */
		if (++listed > free_blocks)
			return 6;
	}
	return listed == free_blocks ? 0 : 6; /* a free block not listed */
}
