/*
 * Kernel timers: a callback due at a given tick. They live in one binary
 * min-heap ordered by (due tick, order of arming), so a clock tick with
 * nothing due costs one comparison however many timers exist, and arming,
 * cancelling or firing one costs O(log n). Equal deadlines fire in the
 * order they were armed.
 */
#ifndef DRAKE_TIMER_H
#define DRAKE_TIMER_H

#include <drake/msg.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * How many timers can be armed at once, system-wide: room for every
 * task's whole share, so arming one never fails. A task arms at most one
 * timer per asynchronous message, live message and reply port it holds,
 * plus one for its blocked synchronous call.
 */
#define TIMER_PER_TASK (MSG_INFLIGHT_MAX + MSG_LIVE_MAX + PORT_MAX + 1)
#define TIMER_MAX      (TASK_MAX * TIMER_PER_TASK)

struct ktimer {
	uint64_t due;
	uint64_t seq;	/* arming order: the tie-breaker */
	uint32_t index; /* position in the heap, TIMER_IDLE when not armed */
	void (*fire)(struct ktimer *t);
};

#define TIMER_IDLE UINT32_MAX

void timer_init(struct ktimer *t, void (*fire)(struct ktimer *t));
bool timer_arm(struct ktimer *t, uint64_t due);
void timer_cancel(struct ktimer *t);
bool timer_armed(const struct ktimer *t);
void timer_run(uint64_t now);
uint32_t timer_count(void);

#endif
