/*
 * The message tracer (docs/trace.md): for a traced task, one console
 * line per message it sends and per return, decoded from the command
 * list (drake/cmds.h), so a learner sees the proposal at work the way
 * strace shows Unix. The kernel runs with interrupts off, so the pieces
 * of one line are never interleaved with another's.
 */
#include "trace.h"

#include <drake/errno.h>
#include <drake/msg.h>
#include <drake/string.h>

#include "kernel.h"
#include "kmsg.h"
#include "port.h"
#include "service.h"
#include "task.h"

struct trace_cmd {
	const char *name, *fields;
};

#define TRACE_ENTRY(num, NAME, name, type, fields)                             \
	[CMD_##NAME] = {#NAME, fields},
static const struct trace_cmd trace_cmds[CMD_COUNT] = {
    DRAKE_COMMANDS(TRACE_ENTRY)};
#undef TRACE_ENTRY

/* Tasks with TRACE_ON: while there are none, each hook on the message
 * path costs one test of this word, and the hooks check the task. */
uint32_t trace_active;

void trace_set(struct task *t, uint32_t flags)
{
	trace_active += (flags & TRACE_ON) != 0;
	trace_active -= (t->trace & TRACE_ON) != 0;
	t->trace = flags;
}

static const char *const trace_modes[] = {"queue", "upcall", "crit", "timeout"};

static const char *trace_error(int err)
{
	switch (err) {
	case 0:
		return "ok";
#define TRACE_ERROR(code, NAME, text)                                          \
	case code:                                                             \
		return #NAME;
		DRAKE_ERRORS(TRACE_ERROR)
#undef TRACE_ERROR
	}
	return "?";
}

static void trace_who(const struct task *t)
{
	console_fresh_line();
	kprintf("trace: [%u %s] ", t->id, t->name);
}

/* A user address in hex, anything else in decimal. */
static void trace_value(const char *name, size_t len, uint32_t v)
{
	char field[24];
	memcpy(field, name, len);
	field[len] = '\0';
	kprintf(v >= USER_BASE ? " %s=0x%x" : " %s=%u", field, v);
}

/* "WRITE buf=0x40001000 len=22", or "request 1 to service 258". */
static void trace_what(const struct kmsg *k)
{
	uint16_t cmd = k->m.hdr.cmd;
	if (k->request) {
		kprintf("request %u to service %u (%u bytes)", cmd,
			service_id(k->req.svc), k->m.hdr.size);
		return;
	}
	kprintf("%s", trace_cmds[cmd].name);
	const char *f = trace_cmds[cmd].fields;
	const uint32_t *body = (const uint32_t *)&k->m.bytes[sizeof(k->m.hdr)];
	for (int i = 0; *f; i++) {
		size_t n = 0;
		while (f[n] && f[n] != ' ')
			n++;
		trace_value(f, n, body[i]);
		f += n + (f[n] == ' ');
	}
}

static void trace_port(const struct kport *p)
{
	if (p)
		kprintf(", reply port 0x%x (%s)", p->uaddr,
			trace_modes[p->mode]);
	else
		kprintf(", no reply port");
}

static void trace_result(const struct kmsg *k, int err)
{
	kprintf(" -> %s", trace_error(err));
	uint64_t r = k->m.hdr.result;
	if (r >= USER_BASE)
		kprintf(" result=0x%llx", r);
	else if (r)
		kprintf(" result=%u", (uint32_t)r);
	kprintf("\n");
}

/* A message completed in its sender's call: sync, or async at once. */
void trace_done(const struct kmsg *k, int err)
{
	if (!(current->trace & TRACE_ON))
		return;
	trace_who(current);
	trace_what(k);
	kprintf(k->async ? " (async, done at once)" : " (sync)");
	trace_result(k, err);
}

/* A synchronous sender about to block until its message completes. */
void trace_waits(const struct kmsg *k)
{
	if (!(current->trace & TRACE_ON))
		return;
	trace_who(current);
	trace_what(k);
	kprintf(" (sync) waits\n");
}

/* An asynchronous message accepted and in flight (EASYNC). */
void trace_queued(const struct kmsg *k)
{
	if (!(current->trace & TRACE_ON))
		return;
	trace_who(current);
	trace_what(k);
	kprintf(" (async%s", k->live ? ", live" : "");
	trace_port(k->port);
	kprintf(") -> EASYNC, in flight\n");
}

/* Refused: eax gets the error, the message is untouched. */
void trace_refused(uint32_t umsg, uint32_t size, int err)
{
	if (!(current->trace & TRACE_ON))
		return;
	trace_who(current);
	kprintf("message at 0x%x (%u bytes) refused: %s\n", umsg, size,
		trace_error(err));
}

/* An asynchronous message returned to its owner, through its port. */
void trace_returned(const struct kmsg *k)
{
	if (!(k->owner->trace & TRACE_ON))
		return;
	trace_who(k->owner);
	trace_what(k);
	kprintf(" returned");
	if (k->live)
		kprintf(" (live, count %u, held)", k->m.hdr.count);
	trace_port(k->port);
	trace_result(k, k->m.hdr.error);
}

/* A held live message finished where it is, never pushed again. */
void trace_finished_in_place(const struct kmsg *k)
{
	if (!(k->owner->trace & TRACE_ON))
		return;
	trace_who(k->owner);
	trace_what(k);
	kprintf(" finished in place (held), count %u\n", k->m.hdr.count);
}

void trace_upcall(const struct task *t, const struct kport *p)
{
	if (!(t->trace & TRACE_ON))
		return;
	trace_who(t);
	kprintf("upcall: handler 0x%x for port 0x%x (%s)\n", p->handler,
		p->uaddr, trace_modes[p->mode]);
}

void trace_upcall_held(const struct task *t)
{
	if (!(t->trace & TRACE_ON))
		return;
	trace_who(t);
	kprintf("upcall held: in a critical section, sysport.pending set\n");
}

void trace_timeout(const struct kport *p)
{
	if (!(p->owner->trace & TRACE_ON))
		return;
	trace_who(p->owner);
	kprintf("port 0x%x: timeout with messages still on it, upcall owed\n",
		p->uaddr);
}

void trace_exit(const struct task *t, int32_t status)
{
	if (!(t->trace & TRACE_ON))
		return;
	trace_who(t);
	kprintf("exits, status %d\n", status);
}

int trace_at_boot(const char *name)
{
	const char *want = bootinfo_option("trace");
	return want && (!strcmp(want, name) || !strcmp(want, "all"));
}
