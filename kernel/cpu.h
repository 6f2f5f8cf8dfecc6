/*
 * Per-CPU state. Each CPU runs its own scheduler (sched.c) over its own
 * run queue, as DragonFly's LWKT does: no other CPU ever touches that
 * queue or the CPU's current task. A CPU that wants a task to run on
 * another one posts it to that CPU's mailbox and interrupts it (an IPI);
 * the owner moves it into its run queue. docs/smp.md tells the whole
 * story, locks included.
 */
#ifndef DRAKE_CPU_H
#define DRAKE_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "list.h"
#include "task.h"

struct cpu {
	/* The first three words are the arch's (arch_cpu.h, trap.S): a
	 * pointer to this struct, the running task, and the flag every
	 * return to user mode tests. */
	struct cpu *self;
	struct task *running;
	volatile uint32_t user_return_work; /* see task_user_return */

	uint32_t id;	      /* 0 is the boot CPU */
	uint32_t lock_depth;  /* the kernel lock, held this deep (klock.c) */
	uint32_t lock_ticket; /* its turn, while lock_waiting */
	bool lock_waiting;
	bool need_resched; /* the running task's slice is over */
	struct task *dead; /* exited; its stack is still in use */

	struct list_node run_queue; /* ready tasks: this CPU's alone */
	uint32_t nqueued;
	struct list_node mailbox; /* tasks other CPUs sent to run here */
	uint32_t nposted;
	struct task idle; /* runs when nothing else can: it halts */

	/* counters, for people watching (CPUSTAT, the shell's `cpus`);
	 * ticks: those that found a task running */
	uint32_t switches, ipis, migrations, ticks;
};

extern struct cpu cpus[CPU_MAX];

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

/* How many tasks this CPU has to run, the running one included: the
 * load the balancer evens out (read racily by other CPUs: a hint). */
static inline uint32_t cpu_load(const struct cpu *c)
{
	return c->nqueued + c->nposted + (c->running != &c->idle);
}

#endif
