/* Intrusive circular doubly-linked lists with a sentinel head. */
#ifndef DRAKE_LIST_H
#define DRAKE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next, *prev;
};

#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define list_entry(node, type, member) container_of(node, type, member)

#define list_for_each(pos, head)                                               \
	for (struct list_node *pos = (head)->next; pos != (head);              \
	     pos = pos->next)

static inline void list_init(struct list_node *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_before(struct list_node *pos,
				      struct list_node *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
	list_insert_before(head, n);
}

static inline void list_push_front(struct list_node *head, struct list_node *n)
{
	list_insert_before(head->next, n);
}

/* Unlink n and leave it self-linked, so removing twice is harmless. */
static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
	struct list_node *n = head->next;
	if (n == head)
		return NULL;
	list_remove(n);
	return n;
}

static inline size_t list_length(const struct list_node *head)
{
	size_t n = 0;
	list_for_each(pos, head) n++;
	return n;
}

#endif
