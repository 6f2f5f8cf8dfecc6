/*
 * The scheduler: round-robin over ready tasks, preempting user code on
 * every clock tick. The kernel itself is never preempted: it runs with
 * interrupts masked and gives up the CPU only by blocking or yielding.
 */
#ifndef DRAKE_SCHED_H
#define DRAKE_SCHED_H

#include <stdbool.h>

struct task;

void sched_init(void);
void sched_ready(struct task *t);
void sched_wake(struct task *t);
void sched_yield(void);
void sched_block(void);
__attribute__((noreturn)) void sched_exit(void);
__attribute__((noreturn)) void sched_idle_loop(void);
void sched_tick(void);
bool sched_preempt_point(void);
void sched_finish_switch(void);
unsigned sched_cpu_id(void);
unsigned sched_ncpus(void);

#endif
