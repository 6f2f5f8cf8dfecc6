/*
 * The kernel's allocator for variable-sized objects: power-of-two size
 * classes carved out of whole pages, each page holding objects of one
 * class behind a small header. A page whose last object is freed goes back
 * to the page allocator at once, so kernel memory returns to its baseline
 * when the objects are gone, which the leak tests rely on.
 */
#ifndef DRAKE_KMALLOC_H
#define DRAKE_KMALLOC_H

#include <stddef.h>

/* The largest request kmalloc serves; larger ones get NULL. */
#define KMALLOC_MAX 2032u

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
size_t kmalloc_pages_in_use(void);

/* The page source: provided by the kernel (pmm) or by a host test. */
void *kpage_alloc(void);
void kpage_free(void *page);

#endif
