/*
 * The user heap: malloc and friends over memory the program break (BRK)
 * provides. Blocks carry their size at both ends (boundary tags), so a
 * freed block merges with free neighbours at once; free blocks sit on one
 * list, searched first-fit. malloc returns NULL when the kernel will not
 * grow the heap any further.
 */
#ifndef DRAKE_MALLOC_H
#define DRAKE_MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* Walk the whole heap: 0 if every block and the free list agree, else a
 * number saying which rule broke (for tests and the curious). */
int heap_check(void);

/* The heap's source of memory: `more` more bytes at its current end,
 * returning that address, or NULL. libsys implements it with BRK. */
void *heap_grow(size_t more);

#endif
