/* Intrusive lists (kernel/list.h) and the kernel timer heap. */
#include <stdlib.h>

#include "../../kernel/list.h"
#include "../../kernel/timer.c"
#include "../check.h"

struct item {
	int v;
	struct list_node link;
};

static bool list_fifo_order(void)
{
	struct list_node head;
	struct item it[3] = {{.v = 1}, {.v = 2}, {.v = 3}};
	list_init(&head);
	CHECK(list_empty(&head));
	for (int i = 0; i < 3; i++)
		list_push_back(&head, &it[i].link);
	CHECK(list_length(&head) == 3);
	for (int i = 0; i < 3; i++)
		CHECK(list_entry(list_pop_front(&head), struct item, link)->v ==
		      i + 1);
	CHECK(list_pop_front(&head) == NULL);
	return true;
}

static bool list_remove_middle_and_twice(void)
{
	struct list_node head;
	struct item it[3] = {{.v = 1}, {.v = 2}, {.v = 3}};
	list_init(&head);
	for (int i = 0; i < 3; i++)
		list_push_front(&head, &it[i].link);
	list_remove(&it[1].link);
	list_remove(&it[1].link); /* self-linked: harmless */
	CHECK(list_length(&head) == 2);
	CHECK(list_entry(head.next, struct item, link)->v == 3);
	CHECK(list_entry(head.prev, struct item, link)->v == 1);
	return true;
}

static int fired[8], nfired;

static void record(struct ktimer *t)
{
	fired[nfired++] = (int)t->due;
}

static bool timer_fires_in_deadline_order(void)
{
	struct ktimer t[4];
	nfired = 0;
	for (int i = 0; i < 4; i++)
		timer_init(&t[i], record);
	timer_arm(&t[0], 30);
	timer_arm(&t[1], 10);
	timer_arm(&t[2], 20);
	timer_arm(&t[3], 40);
	timer_run(25);
	CHECK(nfired == 2 && fired[0] == 10 && fired[1] == 20);
	timer_cancel(&t[3]);
	timer_run(100);
	CHECK(nfired == 3 && fired[2] == 30);
	return true;
}

static bool timer_rearm_moves_it(void)
{
	struct ktimer a, b;
	nfired = 0;
	timer_init(&a, record);
	timer_init(&b, record);
	timer_arm(&a, 5);
	timer_arm(&b, 6);
	timer_arm(&a, 7); /* re-arming must not leave a stale entry */
	timer_run(6);
	CHECK(nfired == 1 && fired[0] == 6);
	timer_run(7);
	CHECK(nfired == 2 && fired[1] == 7);
	timer_run(100);
	CHECK(nfired == 2);
	return true;
}

/* Thousands of timers armed, re-armed and cancelled at random: they
 * must fire exactly once each, never early, in (due, arming) order. */
enum { MANY = 3000 };
static struct ktimer many[MANY];
static uint64_t last_due;
static int many_fired, out_of_order;
static uint8_t fired_count[MANY];

static void record_many(struct ktimer *t)
{
	if (t->due < last_due)
		out_of_order++;
	last_due = t->due;
	fired_count[t - many]++;
	many_fired++;
}

static bool timer_heap_many_random(void)
{
	srand(11);
	for (int i = 0; i < MANY; i++) {
		timer_init(&many[i], record_many);
		CHECK(timer_arm(&many[i], 1 + (uint64_t)(rand() % 500)));
	}
	int cancelled = 0;
	for (int i = 0; i < MANY; i += 7) {
		timer_cancel(&many[i]);
		cancelled++;
	}
	for (int i = 3; i < MANY; i += 11)
		if (timer_armed(&many[i]))
			CHECK(
			    timer_arm(&many[i], 600 + (uint64_t)(rand() % 50)));
	CHECK(timer_count() == (uint32_t)(MANY - cancelled));
	for (uint64_t now = 0; now < 700; now++) {
		timer_run(now);
		CHECK(timer_count() == 0 || last_due <= now);
	}
	CHECK(out_of_order == 0);
	CHECK(many_fired == MANY - cancelled);
	for (int i = 0; i < MANY; i++)
		CHECK(fired_count[i] == (i % 7 == 0 ? 0 : 1));
	CHECK(timer_count() == 0);
	return true;
}

static bool timer_heap_full(void)
{
	static struct ktimer full[TIMER_MAX + 1];
	for (uint32_t i = 0; i < TIMER_MAX; i++) {
		timer_init(&full[i], record);
		CHECK(timer_arm(&full[i], 5));
	}
	timer_init(&full[TIMER_MAX], record);
	CHECK(!timer_arm(&full[TIMER_MAX], 5));
	for (uint32_t i = 0; i < TIMER_MAX; i++)
		timer_cancel(&full[i]);
	CHECK(timer_count() == 0);
	return true;
}

int main(void)
{
	RUN(list_fifo_order);
	RUN(list_remove_middle_and_twice);
	RUN(timer_fires_in_deadline_order);
	RUN(timer_rearm_moves_it);
	RUN(timer_heap_many_random);
	RUN(timer_heap_full);
	return check_summary();
}
