/*
 * The scheduler, one per CPU (sched.c): round-robin over each CPU's
 * ready tasks, preempting user code on every clock tick. The kernel
 * itself is never preempted: it runs with interrupts masked and gives
 * up the CPU only by blocking or yielding.
 */
#ifndef DRAKE_SCHED_H
#define DRAKE_SCHED_H

#include <stdbool.h>

struct task;
struct drake_cpustat;

void sched_init_cpu(unsigned id);
void sched_start_cpus(unsigned n);
void sched_start(struct task *t);
void sched_ready(struct task *t);
void sched_wake(struct task *t);
void sched_kick(struct task *t);
bool sched_running_elsewhere(const struct task *t);
void sched_yield(void);
void sched_block(void);
__attribute__((noreturn)) void sched_exit(void);
__attribute__((noreturn)) void sched_idle_loop(void);
void sched_tick(void);
void sched_ipi(void);
bool sched_idle_halted(void);
bool sched_preempt_point(void);
void sched_finish_switch(void);
unsigned sched_cpu_id(void);
unsigned sched_ncpus(void);
bool sched_cpustat(unsigned i, struct drake_cpustat *s);

#endif
