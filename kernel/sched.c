#include "sched.h"

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "task.h"
#include "upcall.h"

volatile uint32_t user_return_work;
struct task *current;

static struct list_node run_queue = {&run_queue, &run_queue};
static struct task idle_task = {.name = "idle", .state = TASK_RUNNING};
static struct task *sched_dead; /* exited; its stack is still in use */
static bool sched_need_resched; /* the running task's slice is over */

/* The boot thread becomes the idle task; it never enters user mode. */
void sched_init(void)
{
	list_init(&idle_task.run_link);
	list_init(&idle_task.all_link);
	current = &idle_task;
}

void sched_ready(struct task *t)
{
	t->state = TASK_READY;
	list_push_back(&run_queue, &t->run_link);
}

void sched_wake(struct task *t)
{
	if (t->state == TASK_BLOCKED)
		sched_ready(t);
}

/* Runs first on the new stack after every switch, including a task's
 * very first one (arch: task_first_entry). */
void sched_finish_switch(void)
{
	sched_need_resched = false;
	user_return_work = task_has_user_work(current);
	if (sched_dead) {
		task_release(sched_dead);
		sched_dead = NULL;
	}
}

static void sched_switch(void)
{
	struct list_node *n = list_pop_front(&run_queue);
	struct task *next =
	    n ? list_entry(n, struct task, run_link) : &idle_task;
	if (next == current) {
		next->state = TASK_RUNNING;
		return;
	}
	struct task *prev = current;
	current = next;
	next->state = TASK_RUNNING;
	arch_task_switch(prev, next);
	sched_finish_switch();
}

void sched_yield(void)
{
	if (current != &idle_task)
		sched_ready(current);
	sched_switch();
}

void sched_block(void)
{
	current->state = TASK_BLOCKED;
	sched_switch();
}

void sched_exit(void)
{
	sched_dead = current;
	sched_switch();
	panic("sched_exit: a dead task was scheduled");
}

/*
 * A preemption point for long kernel work, between two of its steps
 * (Linux calls it cond_resched): pending interrupts are taken, the task
 * gives up the CPU if its slice is over, and the answer says whether it
 * was killed meanwhile and should stop.
 */
bool sched_preempt_point(void)
{
	arch_irq_window();
	if (sched_need_resched)
		sched_yield();
	return current->killed;
}

/* Preempt the running task at its next return to user mode, if anyone
 * else wants the CPU. */
void sched_tick(void)
{
	if (!list_empty(&run_queue)) {
		sched_need_resched = true;
		user_return_work = 1;
	}
}

void sched_idle_loop(void)
{
	for (;;) {
		while (list_empty(&run_queue))
			arch_idle_wait();
		sched_yield();
	}
}

/* The last stop before ring 3 when user_return_work is set: give up the
 * CPU if the slice is over, then finish deferred messages and deliver an
 * owed upcall, in this task's context. */
void task_user_return(void)
{
	user_return_work = 0;
	if (sched_need_resched)
		sched_yield();
	if (current->killed)
		task_exit(current->kill_status);
	kmsg_run_deferred(current);
	upcall_deliver(current);
}

unsigned sched_cpu_id(void)
{
	return 0;
}

unsigned sched_ncpus(void)
{
	return 1;
}
