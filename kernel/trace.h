/*
 * The message tracer (trace.c, docs/trace.md). Callers test
 * trace_active first, so while no task is traced each hook costs one
 * test; each trace_* function then looks at its task's TRACE_ON.
 */
#ifndef DRAKE_TRACE_H
#define DRAKE_TRACE_H

#include <stdint.h>

struct kmsg;
struct kport;
struct task;

extern uint32_t trace_active;
/* Set a task's TRACE_* flags (keeps trace_active right). */
void trace_set(struct task *t, uint32_t flags);
void trace_done(const struct kmsg *k, int err);
void trace_waits(const struct kmsg *k);
void trace_queued(const struct kmsg *k);
void trace_refused(uint32_t umsg, uint32_t size, int err);
void trace_returned(const struct kmsg *k);
void trace_finished_in_place(const struct kmsg *k);
void trace_upcall(const struct task *t, const struct kport *p);
void trace_upcall_held(const struct task *t);
void trace_timeout(const struct kport *p);
void trace_exit(const struct task *t, int32_t status);
/* Should a task named `name` be traced from its start (trace=NAME)? */
int trace_at_boot(const char *name);

#endif
