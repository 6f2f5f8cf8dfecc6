/*
 * In-flight messages. A message the kernel accepted but could not
 * complete at once is a struct kmsg: the kernel's own copy of the user's
 * message plus what it takes to finish it later. A synchronous sender's
 * kmsg lives on its kernel stack while it blocks; an asynchronous one is
 * allocated and outlives the sendsys that queued it.
 *
 * Its life: accepted (msg.c) -> parked by the handler on whatever it waits
 * for (a timer, the console's readers) -> completed exactly once, by the
 * event or by an abort -> returned: results written into the user's
 * message, pushed on its reply port, the port's action taken.
 *
 * The return is the owner's to do when it runs in user mode on another
 * CPU right then: it may be taking messages off that very port. The
 * message then waits on the owner's `returns` list, and the owner
 * returns it itself before it next runs in user mode or asks the kernel
 * anything (kmsg_catch_up): a message handed to another CPU, as LWKT
 * does it, rather than a lock userland would have to share.
 */
#ifndef DRAKE_KMSG_H
#define DRAKE_KMSG_H

#include <drake/msg.h>
#include <stdbool.h>

#include "list.h"
#include "timer.h"

struct task;
struct kport;
struct service;

struct kmsg {
	struct list_node task_link;	/* owner's in-flight list */
	struct kmsg *addr_next;		/* its chain in msg_by_addr */
	struct list_node wait_link;	/* a service's queue of waiters */
	struct list_node return_link;	/* owner's returns, if handed over */
	struct ktimer timer;		/* for services that wait on time */
	void (*cancel)(struct kmsg *k); /* take it off what it waits on */
	struct task *owner;
	uint32_t umsg;	    /* the user's copy */
	struct kport *port; /* reply port, NULL for none */
	bool async;
	bool done;	     /* synchronous: completed */
	bool live;	     /* MSGF_LIVE: returned once per event (live.c) */
	bool request;	     /* to a service (service.c): `req` below */
	uint8_t handed_over; /* on its owner's returns: KMSG_HANDED_* */
	union {
		struct kmsg_live {
			bool held;	       /* returned, not yet re-armed */
			uint32_t pending;      /* events not yet returned */
			uint32_t pending_bits; /* signals: which */
			uint32_t fault_addr;   /* signals: the latest fault's */
			uint32_t sender;       /* signals: the latest sender */
			uint32_t expiry;       /* timers: expiries counted */
			uint32_t period;       /* timers: ticks, 0: one-shot */
			uint64_t first_due;    /* timers: expiry 1's tick */
		} state;
		struct kmsg_request {	     /* a request to a service */
			struct service *svc; /* service.c */
			uint32_t handle;     /* while open (received) */
		} req;
	};
	union {
		struct drake_msg hdr;
		uint8_t bytes[MSG_MAX_SIZE];
	} m;
};

/* Mark k, the current task's, in flight on what `cancel` undoes; the
 * handler then returns EASYNC and someone calls kmsg_complete() later. */
void kmsg_park(struct kmsg *k, void (*cancel)(struct kmsg *k));

/* Finish a parked message: exactly once, from any context. */
void kmsg_complete(struct kmsg *k, int error);

/* Write an async message's results into its owner's memory and push it
 * on its reply port (which stays referenced: the caller decides). */
void kmsg_return(struct kmsg *k);

/* Finish a message userland holds already (a held live message) where
 * it is: results written, never pushed on its port again; then freed. */
void kmsg_finish_in_place(struct kmsg *k, int error);

/* An asynchronous message's kernel copy: alloc, and free (with its
 * reply port's reference). */
struct kmsg *kmsg_alloc(uint32_t size, bool live);
void kmsg_free(struct kmsg *k);
void kmsg_forget(struct kmsg *k);
struct kmsg *kmsg_find(struct task *t, uint32_t umsg);
struct kmsg **kmsg_table_alloc(void);
void kmsg_abort(struct kmsg *k);
void kmsg_rundown(struct task *t);
void kmsg_run_deferred(struct task *t);
/* Return the messages other CPUs handed over to t, the current task. */
void kmsg_catch_up(struct task *t);
/* A live message's return (live.c): now, or handed over. */
void kmsg_return_live(struct kmsg *k);

#endif
