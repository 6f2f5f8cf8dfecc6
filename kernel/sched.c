/*
 * The scheduler, one per CPU, in the spirit of DragonFly's LWKT. Each
 * CPU owns its run queue and its current task (cpu.h); each task belongs
 * to one CPU (t->cpu) and runs only there. To make a task of another
 * CPU runnable (a wake-up, a new task placed there, a task the balancer
 * moves) a CPU posts it to that CPU's mailbox and sends it an IPI; the
 * owner takes its mail into its run queue at its next look (the IPI
 * handler, a switch, its clock tick, its idle loop).
 *
 * Each queue is round-robin, and user code is preempted on its CPU's
 * clock tick; the kernel itself is never preempted. The balancer is the
 * simplest that spreads work: a new task goes to the least loaded CPU,
 * and on each tick a CPU with tasks waiting hands one to a CPU that has
 * nothing to run.
 *
 * Everything here runs under the kernel lock (klock.c), the mailboxes
 * included; the queues themselves need no lock of their own because
 * only their CPU touches them.
 */
#include "sched.h"

#include <drake/msg.h>

#include "arch.h"
#include "cpu.h"
#include "kernel.h"
#include "klock.h"
#include "kmsg.h"
#include "task.h"
#include "upcall.h"

struct cpu cpus[CPU_MAX];
static unsigned sched_cpus = 1; /* CPUs scheduling tasks */

/* Set up CPU id's data before anything on it asks for current: its boot
 * thread becomes its idle task, which never enters user mode. */
void sched_init_cpu(unsigned id)
{
	struct cpu *c = &cpus[id];
	c->self = c;
	c->id = id;
	list_init(&c->run_queue);
	list_init(&c->mailbox);
	c->idle = (struct task){.name = "idle", .state = TASK_RUNNING};
	c->idle.cpu = id;
	list_init(&c->idle.run_link);
	list_init(&c->idle.all_link);
	list_init(&c->idle.deferred);
	list_init(&c->idle.returns);
	c->running = &c->idle;
}

/* CPUs 0..n-1 run tasks from now on. */
void sched_start_cpus(unsigned n)
{
	sched_cpus = n;
}

static void sched_queue(struct cpu *c, struct task *t)
{
	list_push_back(&c->run_queue, &t->run_link);
	c->nqueued++;
}

/* Send t to run on CPU `to` (not this one). */
static void sched_post(struct cpu *to, struct task *t)
{
	t->cpu = to->id;
	list_push_back(&to->mailbox, &t->run_link);
	to->nposted++;
	arch_cpu_kick(to->id);
}

static void sched_take_mail(struct cpu *c)
{
	struct list_node *n;
	while ((n = list_pop_front(&c->mailbox))) {
		c->nposted--;
		sched_queue(c, list_entry(n, struct task, run_link));
	}
}

void sched_ready(struct task *t)
{
	struct cpu *c = this_cpu();
	t->state = TASK_READY;
	if (t->cpu == c->id)
		sched_queue(c, t);
	else
		sched_post(&cpus[t->cpu], t);
}

/* A new task: to the least loaded CPU, this one when it ties. */
void sched_start(struct task *t)
{
	struct cpu *best = this_cpu();
	for (unsigned i = 0; i < sched_cpus; i++)
		if (cpu_load(&cpus[i]) < cpu_load(best))
			best = &cpus[i];
	t->cpu = best->id;
	sched_ready(t);
}

void sched_wake(struct task *t)
{
	if (t->state == TASK_BLOCKED)
		sched_ready(t);
}

/* t has new work for its way back to user mode (an upcall, a kill): if
 * it is in user mode on another CPU right now, interrupt it there. */
void sched_kick(struct task *t)
{
	if (t->state == TASK_RUNNING && t->cpu != this_cpu()->id)
		arch_cpu_kick(t->cpu);
}

/* Is t in user mode on another CPU, or might it be any moment, without
 * this CPU's say? (A task on another CPU that is in the kernel there
 * either waits for the kernel lock or is between steps of a long
 * operation: it looks at what it was sent before user mode.) */
bool sched_running_elsewhere(const struct task *t)
{
	return t->state == TASK_RUNNING && t->cpu != this_cpu()->id;
}

/* Runs first on the new stack after every switch, including a task's
 * very first one (arch: task_first_entry). */
void sched_finish_switch(void)
{
	struct cpu *c = this_cpu();
	c->need_resched = false;
	c->user_return_work = task_has_user_work(c->running);
	if (c->dead) {
		task_release(c->dead);
		c->dead = NULL;
	}
}

static void sched_switch(void)
{
	struct cpu *c = this_cpu();
	if (c->lock_depth != 1)
		panic("sched: switch with the kernel lock held %u deep",
		      c->lock_depth);
	sched_take_mail(c);
	struct list_node *n = list_pop_front(&c->run_queue);
	struct task *next = &c->idle;
	if (n) {
		c->nqueued--;
		next = list_entry(n, struct task, run_link);
	}
	next->state = TASK_RUNNING;
	if (next == c->running)
		return;
	struct task *prev = c->running;
	c->running = next;
	c->switches++;
	arch_task_switch(prev, next);
	sched_finish_switch();
}

void sched_yield(void)
{
	struct cpu *c = this_cpu();
	if (c->running != &c->idle)
		sched_ready(c->running);
	sched_switch();
}

void sched_block(void)
{
	this_cpu()->running->state = TASK_BLOCKED;
	sched_switch();
}

void sched_exit(void)
{
	struct cpu *c = this_cpu();
	c->dead = c->running;
	sched_switch();
	panic("sched_exit: a dead task was scheduled");
}

/*
 * A preemption point for long kernel work, between two of its steps
 * (Linux calls it cond_resched): pending interrupts are taken, other
 * CPUs get the kernel lock, the task gives up the CPU if its slice is
 * over, and the answer says whether it was killed meanwhile and should
 * stop.
 */
bool sched_preempt_point(void)
{
	kernel_lock_window();
	kmsg_catch_up(current);
	if (this_cpu()->need_resched)
		sched_yield();
	return current->killed;
}

/* A CPU with nothing to run, other than c; NULL if none. */
static struct cpu *sched_idle_cpu(const struct cpu *c)
{
	for (unsigned i = 0; i < sched_cpus; i++)
		if (&cpus[i] != c && cpu_load(&cpus[i]) == 0)
			return &cpus[i];
	return NULL;
}

/* This CPU's clock tick: hand a waiting task to an idle CPU, and
 * preempt the running task at its next return to user mode if others
 * still wait here. */
void sched_tick(void)
{
	struct cpu *c = this_cpu();
	c->ticks += c->running != &c->idle;
	sched_take_mail(c);
	if (c->running == &c->idle)
		return; /* what waits here runs next, here: nothing to share */
	struct cpu *idle = sched_idle_cpu(c);
	if (idle && !list_empty(&c->run_queue)) {
		c->nqueued--;
		c->migrations++;
		sched_post(idle, list_entry(list_pop_front(&c->run_queue),
					    struct task, run_link));
	}
	if (!list_empty(&c->run_queue)) {
		c->need_resched = true;
		c->user_return_work = 1;
	}
}

/* Another CPU interrupted this one: take its mail, and have the running
 * task look at what it was sent (a kill, an upcall) before user mode. */
void sched_ipi(void)
{
	struct cpu *c = this_cpu();
	c->ipis++;
	sched_take_mail(c);
	if (task_has_user_work(c->running))
		c->user_return_work = 1;
}

/* Is this CPU's idle task halted, holding nothing (arch_idle_wait)? */
bool sched_idle_halted(void)
{
	struct cpu *c = this_cpu();
	return c->running == &c->idle && c->lock_depth == 0;
}

/* A racy look, for the idle loop: the counts change under the kernel
 * lock, by this CPU's own interrupts or by posts from others. */
static bool sched_idle_has_work(const struct cpu *c)
{
	return __atomic_load_n(&c->nposted, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&c->nqueued, __ATOMIC_RELAXED);
}

void sched_idle_loop(void)
{
	struct cpu *c = this_cpu();
	for (;;) {
		sched_take_mail(c);
		if (!list_empty(&c->run_queue)) {
			sched_yield();
			continue;
		}
		/* An IPI sent after the unlock waits for the sti in
		 * arch_idle_wait, and then ends its hlt. An interrupt ends it
		 * too: halt again, without the lock, until it brought work
		 * (a post always comes with an IPI, so a peek that misses
		 * one is woken again). */
		kernel_unlock();
		arch_cpu_tick(false); /* nothing to preempt */
		do
			arch_idle_wait();
		while (!sched_idle_has_work(c));
		arch_cpu_tick(true);
		kernel_lock();
	}
}

/* The last stop before ring 3 when user_return_work is set: give up the
 * CPU if the slice is over, then finish deferred messages and deliver an
 * owed upcall, in this task's context. */
void task_user_return(void)
{
	this_cpu()->user_return_work = 0;
	if (this_cpu()->need_resched)
		sched_yield();
	if (current->killed)
		task_exit(current->kill_status);
	kmsg_catch_up(current);
	kmsg_run_deferred(current);
	upcall_deliver(current);
}

/* CPU i's counters (CPUSTAT); false past the last CPU. */
bool sched_cpustat(unsigned i, struct drake_cpustat *s)
{
	if (i >= sched_cpus)
		return false;
	const struct cpu *c = &cpus[i];
	*s = (struct drake_cpustat){
	    .cpu = i,
	    .running = c->running->id,
	    .load = cpu_load(c),
	    .switches = c->switches,
	    .ipis = c->ipis,
	    .migrations = c->migrations,
	    .ticks = c->ticks,
	};
	return true;
}

unsigned sched_cpu_id(void)
{
	return this_cpu()->id;
}

unsigned sched_ncpus(void)
{
	return sched_cpus;
}
