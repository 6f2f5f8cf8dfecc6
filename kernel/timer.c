#include "timer.h"

static struct ktimer *timer_heap[TIMER_MAX];
static uint32_t timer_n;
static uint64_t timer_seq;

void timer_init(struct ktimer *t, void (*fire)(struct ktimer *t))
{
	t->due = 0;
	t->seq = 0;
	t->index = TIMER_IDLE;
	t->fire = fire;
}

bool timer_armed(const struct ktimer *t)
{
	return t->index != TIMER_IDLE;
}

uint32_t timer_count(void)
{
	return timer_n;
}

static bool timer_before(const struct ktimer *a, const struct ktimer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void timer_place(struct ktimer *t, uint32_t i)
{
	timer_heap[i] = t;
	t->index = i;
}

static void timer_sift_up(uint32_t i)
{
	struct ktimer *t = timer_heap[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!timer_before(t, timer_heap[parent]))
			break;
		timer_place(timer_heap[parent], i);
		i = parent;
	}
	timer_place(t, i);
}

static void timer_sift_down(uint32_t i)
{
	struct ktimer *t = timer_heap[i];
	for (;;) {
		uint32_t child = 2 * i + 1;
		if (child >= timer_n)
			break;
		if (child + 1 < timer_n &&
		    timer_before(timer_heap[child + 1], timer_heap[child]))
			child++;
		if (!timer_before(timer_heap[child], t))
			break;
		timer_place(timer_heap[child], i);
		i = child;
	}
	timer_place(t, i);
}

/* Arm (or re-arm) t; false only if TIMER_MAX timers are already armed. */
bool timer_arm(struct ktimer *t, uint64_t due)
{
	timer_cancel(t);
	if (timer_n == TIMER_MAX)
		return false;
	t->due = due;
	t->seq = timer_seq++;
	timer_place(t, timer_n++);
	timer_sift_up(t->index);
	return true;
}

void timer_cancel(struct ktimer *t)
{
	uint32_t i = t->index;
	if (i == TIMER_IDLE)
		return;
	t->index = TIMER_IDLE;
	struct ktimer *last = timer_heap[--timer_n];
	if (i == timer_n)
		return;
	timer_place(last, i);
	timer_sift_up(i);
	timer_sift_down(last->index);
}

void timer_run(uint64_t now)
{
	while (timer_n && timer_heap[0]->due <= now) {
		struct ktimer *t = timer_heap[0];
		timer_cancel(t);
		t->fire(t);
	}
}
