#include "kmalloc.h"

#include <drake/string.h>
#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "machine.h"

/*
 * Sits at the start of every page kmalloc owns. Objects never handed out
 * yet are carved from `fresh` on demand, so a new page costs the same
 * whatever its class; freed ones go on the `free` list.
 */
struct slab {
	struct list_node link; /* on its class's partial list while not full */
	void *free;	       /* singly linked freed objects */
	uint16_t size;	       /* object size of the class */
	uint16_t inuse;
	uint16_t fresh; /* offset of the first never-used object */
};

/* Header room, rounded up so objects stay 16-byte aligned; large enough
 * for the header of a 64-bit host build too (tests/host). */
#define SLAB_OBJ_START	32u
#define KMALLOC_CLASSES 8
_Static_assert(sizeof(struct slab) <= SLAB_OBJ_START, "slab header");
_Static_assert(2 * KMALLOC_MAX + SLAB_OBJ_START == PAGE_SIZE, "max class");

static const uint16_t kmalloc_sizes[KMALLOC_CLASSES] = {
    16, 32, 64, 128, 256, 512, 1024, KMALLOC_MAX};
static struct list_node kmalloc_partial[KMALLOC_CLASSES];
static size_t kmalloc_pages;
static int kmalloc_ready;

static void kmalloc_setup(void)
{
	for (int i = 0; i < KMALLOC_CLASSES; i++)
		list_init(&kmalloc_partial[i]);
	kmalloc_ready = 1;
}

static int kmalloc_class(size_t size)
{
	for (int i = 0; i < KMALLOC_CLASSES; i++)
		if (size <= kmalloc_sizes[i])
			return i;
	return -1;
}

static struct slab *slab_create(int c)
{
	struct slab *s = kpage_alloc();
	if (!s)
		return NULL;
	s->size = kmalloc_sizes[c];
	s->inuse = 0;
	s->free = NULL;
	s->fresh = SLAB_OBJ_START;
	list_push_back(&kmalloc_partial[c], &s->link);
	kmalloc_pages++;
	return s;
}

static bool slab_full(const struct slab *s)
{
	return !s->free && s->fresh + s->size > PAGE_SIZE;
}

static void *slab_take(struct slab *s)
{
	void *obj = s->free;
	if (obj) {
		s->free = *(void **)obj;
	} else {
		obj = (char *)s + s->fresh;
		s->fresh += s->size;
	}
	s->inuse++;
	return obj;
}

void *kmalloc(size_t size)
{
	if (!kmalloc_ready)
		kmalloc_setup();
	int c = kmalloc_class(size ? size : 1);
	if (c < 0)
		return NULL;
	struct slab *s;
	if (list_empty(&kmalloc_partial[c]))
		s = slab_create(c);
	else
		s = list_entry(kmalloc_partial[c].next, struct slab, link);
	if (!s)
		return NULL;
	void *obj = slab_take(s);
	if (slab_full(s))
		list_remove(&s->link);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct slab *s =
	    (struct slab *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
	bool was_full = slab_full(s);
	*(void **)p = s->free;
	s->free = p;
	s->inuse--;
	if (s->inuse == 0) {
		if (!was_full)
			list_remove(&s->link);
		kmalloc_pages--;
		kpage_free(s);
	} else if (was_full) {
		list_push_back(&kmalloc_partial[kmalloc_class(s->size)],
			       &s->link);
	}
}

size_t kmalloc_pages_in_use(void)
{
	return kmalloc_pages;
}
