#include "timer.h"

static struct list_node timer_queue = {&timer_queue, &timer_queue};

void timer_init(struct ktimer *t, void (*fire)(struct ktimer *t))
{
	list_init(&t->link);
	t->due = 0;
	t->fire = fire;
}

/* Insert after every timer due no later, so equal deadlines fire FIFO. */
void timer_arm(struct ktimer *t, uint64_t due)
{
	list_remove(&t->link);
	t->due = due;
	struct list_node *pos = timer_queue.prev;
	while (pos != &timer_queue &&
	       list_entry(pos, struct ktimer, link)->due > due)
		pos = pos->prev;
	list_insert_before(pos->next, &t->link);
}

void timer_cancel(struct ktimer *t)
{
	list_remove(&t->link);
}

void timer_run(uint64_t now)
{
	while (!list_empty(&timer_queue)) {
		struct ktimer *t =
		    list_entry(timer_queue.next, struct ktimer, link);
		if (t->due > now)
			break;
		list_remove(&t->link);
		t->fire(t);
	}
}
