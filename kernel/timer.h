/*
 * Kernel timers: a callback due at a given tick. Kept on one list sorted
 * by due tick, so each clock tick looks only at the head.
 */
#ifndef DRAKE_TIMER_H
#define DRAKE_TIMER_H

#include <stdint.h>

#include "list.h"

struct ktimer {
	struct list_node link;
	uint64_t due;
	void (*fire)(struct ktimer *t);
};

void timer_init(struct ktimer *t, void (*fire)(struct ktimer *t));
void timer_arm(struct ktimer *t, uint64_t due);
void timer_cancel(struct ktimer *t);
void timer_run(uint64_t now);

#endif
