/* Tasks: a user address space, a kernel stack and a place in the scheduler. */
#ifndef DRAKE_TASK_H
#define DRAKE_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "list.h"
#include "timer.h"

#define TASK_NAME_MAX 32
#define TASK_INIT_ID  1u

enum task_state {
	TASK_READY,
	TASK_RUNNING,
	TASK_BLOCKED,
	TASK_ZOMBIE,
};

struct task {
	uint32_t id;
	char name[TASK_NAME_MAX];
	enum task_state state;
	uint32_t cpu; /* the CPU it runs on, or will when it runs (sched.c) */
	struct arch_task arch;
	vm_space vm;
	struct task *parent;
	uint32_t nchildren;	   /* running or zombie, not yet waited for */
	struct list_node run_link; /* run queue */
	struct list_node all_link; /* every task, for listing */
	struct list_node console_link; /* waiting to WRITE (svc_sys.c) */
	struct task *id_next;	       /* its chain in task_by_id (task.c) */
	uint32_t waiting_for; /* child id this task is blocked in wait on */
	int32_t exit_status;

	/* messaging (kmsg.c, port.c, upcall.c) */
	uint32_t sysport;	   /* the system port of its last sendsys */
	struct list_node inflight; /* accepted, not yet completed */
	struct kmsg **msg_by_addr; /* the same, by user address (kmsg.c) */
	struct list_node signals;  /* its live SIGNAL messages */
	uint32_t ninflight;
	uint32_t nlive;
	struct list_node deferred; /* to complete on the way to user mode */
	struct list_node returns;  /* handed over by other CPUs (kmsg.c) */
	struct list_node ports;	   /* kports */
	uint32_t nports;
	uint32_t nservices;    /* services it owns (service.c) */
	uint32_t upcall_ready; /* ports owed an upcall */
	bool in_upcall;	       /* an upcall handler is running */
	uint32_t upcall_frame; /* user address of its frame */
	bool in_waitsys;       /* any message returned wakes it */
	bool interruptible;    /* an owed upcall wakes it */

	uint32_t trace; /* TRACE_* flags (trace.c) */

	bool killed;  /* terminate on the way back to user mode */
	bool exiting; /* in task_exit: nothing more is written to it */
	int32_t kill_status;

	uint32_t heap_base;   /* the first page after the program */
	uint32_t heap_break;  /* the program break (BRK) */
	uint32_t heap_mapped; /* heap pages are mapped up to here */
};

/* The task running on this CPU (arch_cpu.h). */
#define current arch_current()

struct task *task_find(uint32_t id);
bool task_is_init(const struct task *t);
bool task_is_descendant(const struct task *t, const struct task *ancestor);
int task_spawn(const char *name, const char *args, uint32_t *tid);
int task_wait(uint32_t tid, int32_t *status);
__attribute__((noreturn)) void task_exit(int32_t status);
__attribute__((noreturn)) void task_kill(struct task *t, const char *why);
void task_terminate(struct task *t, int32_t status, int signo);
int task_brk(struct task *t, uint32_t end);
struct task *task_at(uint32_t index);
void task_release(struct task *t);
bool task_has_user_work(struct task *t);
int task_copyin(struct task *t, void *dst, uint32_t usrc, size_t n);
int task_copyout(struct task *t, uint32_t udst, const void *src, size_t n);
void task_wake_waiter(struct task *t);
void task_notify(struct task *t);
int task_block_interruptible(struct task *t);

#endif
