/*
 * Reply ports. A reply port is user memory (struct drake_port); the
 * kernel keeps a struct kport for each one a task has messages in flight
 * to, holding what it read from the port when the message was sent (mode,
 * handler, timeout) and the state of its notifications. Anything that
 * needs the kport holds a reference: a message in flight, an upcall owed,
 * an armed timeout. An unreferenced kport is kept for the next message
 * to that port (or, at the limit, another port) and freed at task exit,
 * so a task's ports cost at most PORT_MAX kernel objects.
 */
#ifndef DRAKE_PORT_H
#define DRAKE_PORT_H

#include <drake/msg.h>
#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "timer.h"

struct task;

struct kport {
	struct list_node link; /* owner's ports */
	struct task *owner;
	uint32_t uaddr;
	uint32_t mode;
	uint32_t handler;
	uint32_t timeout_ms;
	uint32_t refs;
	uint32_t msgs;	       /* messages in flight that name it */
	bool want_upcall;      /* an upcall is owed for this port */
	struct ktimer timeout; /* PORT_TIMEOUT: armed while messages wait */
};

int port_get(struct task *t, uint32_t uaddr, struct kport **out,
	     struct drake_port *settings);

void port_msg_done(struct kport *p);
void port_put(struct kport *p);
bool port_expects(struct task *t, uint32_t uaddr);
uint32_t port_head(struct kport *p);
void port_push(struct kport *p, uint32_t umsg);
void port_notify(struct kport *p);
void port_flush(struct task *t);
void port_rundown(struct task *t);

/* The message naming p is accepted: the settings read when it was sent
 * are the port's now (a refused message changes nothing). */
static inline void port_set(struct kport *p, const struct drake_port *settings)
{
	p->mode = settings->mode;
	p->handler = settings->handler;
	p->timeout_ms = settings->timeout_ms;
}

#endif
