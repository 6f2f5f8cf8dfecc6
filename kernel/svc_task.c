/* Message handlers for task services: spawn, wait, exit, id, yield. */
#include <drake/errno.h>
#include <drake/msg.h>
#include <drake/string.h>

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "msg.h"
#include "sched.h"
#include "port.h"
#include "service.h"
#include "task.h"
#include "trace.h"

/* Never returned: an asynchronous EXIT's kernel copy is freed here, as
 * nothing else will. */
int svc_exit(struct kmsg *k)
{
	int32_t status = ((struct msg_exit *)&k->m)->status;
	if (k->async)
		kmsg_free(k);
	task_exit(status);
}

/* A user string (address, length) into a NUL-terminated kernel buffer.
 * An empty string reads nothing, so its address does not matter. */
static int svc_copy_string(char *dst, size_t max, uint32_t src, uint32_t len)
{
	if (len > max)
		return E2BIG;
	int err = len ? copyin(dst, src, len) : 0;
	if (err)
		return err;
	dst[len] = '\0';
	for (uint32_t i = 0; i < len; i++)
		if (dst[i] == '\0')
			return EINVAL;
	return 0;
}

int svc_spawn(struct kmsg *k)
{
	struct msg_spawn *m = (struct msg_spawn *)&k->m;
	char name[SPAWN_NAME_MAX + 1], args[SPAWN_ARGS_MAX + 1];
	uint32_t tid;
	int err = svc_copy_string(name, SPAWN_NAME_MAX, m->name, m->namelen);
	if (!err)
		err =
		    svc_copy_string(args, SPAWN_ARGS_MAX, m->args, m->argslen);
	if (!err)
		err = task_spawn(name, args, &tid);
	if (!err)
		m->hdr.result = tid;
	return err;
}

int svc_wait(struct kmsg *k)
{
	struct msg_wait *m = (struct msg_wait *)&k->m;
	int32_t status;
	int err = task_wait(m->tid, &status);
	if (!err)
		m->hdr.result = (uint64_t)(int64_t)status;
	return err;
}

int svc_gettid(struct kmsg *k)
{
	k->m.hdr.result = current->id;
	return 0;
}

int svc_yield(struct kmsg *k)
{
	(void)k;
	sched_yield();
	return 0;
}

int svc_brk(struct kmsg *k)
{
	struct msg_brk *m = (struct msg_brk *)&k->m;
	int err = m->end ? task_brk(current, m->end) : 0;
	m->hdr.result = current->heap_break;
	return err;
}

int svc_taskinfo(struct kmsg *k)
{
	struct msg_taskinfo *m = (struct msg_taskinfo *)&k->m;
	struct task *t = task_at(m->index);
	if (!t)
		return ESRCH;
	struct drake_taskinfo info = {
	    .tid = t->id,
	    .parent = t->parent ? t->parent->id : 0,
	    .state = t->state,
	    .inflight = t->ninflight,
	    .live = t->nlive,
	};
	memcpy(info.name, t->name, sizeof(info.name));
	int err = copyout(m->info, &info, sizeof(info));
	if (!err)
		m->hdr.result = task_at(m->index + 1) ? m->index + 1 : 0;
	return err;
}

/* Power off (QEMU, Bochs) or halt: the shell's `halt`, and init's
 * alone. A test boot reports success instead, as when its init exits
 * cleanly. */
int svc_halt(struct kmsg *k)
{
	(void)k;
	if (!task_is_init(current))
		return EPERM;
	kprintf("system halted by task %u (%s)\n", current->id, current->name);
	if (kernel_test_mode)
		arch_exit_emulator(EXIT_PASS);
	arch_poweroff();
}

/* TRACE: a task may trace itself and its descendants. */
int svc_trace(struct kmsg *k)
{
	struct msg_trace *m = (struct msg_trace *)&k->m;
	struct task *t = m->tid ? task_find(m->tid) : current;
	if (!t || t->state == TASK_ZOMBIE)
		return ESRCH;
	if (!task_is_descendant(t, current))
		return EPERM;
	if (m->flags & ~(TRACE_ON | TRACE_CHILDREN))
		return EINVAL;
	m->hdr.result = t->trace;
	trace_set(t, m->flags);
	return 0;
}

static uint32_t svc_msg_state(const struct kmsg *k)
{
	if (k->live && k->state.held)
		return MSG_STATE_HELD;
	if (k->request)
		return k->req.handle ? MSG_STATE_OPEN : MSG_STATE_QUEUED;
	return MSG_STATE_WAITING;
}

/* MSGINFO: the index-th message of a task's in flight, for `msgs`. */
int svc_msginfo(struct kmsg *k)
{
	struct msg_msginfo *m = (struct msg_msginfo *)&k->m;
	struct task *t = m->tid ? task_find(m->tid) : current;
	if (!t)
		return ESRCH;
	uint32_t i = 0;
	list_for_each(pos, &t->inflight)
	{
		const struct kmsg *f = list_entry(pos, struct kmsg, task_link);
		if (i++ != m->index)
			continue;
		struct drake_msginfo info = {
		    .msg = f->umsg,
		    .cmd = f->m.hdr.cmd,
		    .flags = f->m.hdr.flags,
		    .reply = f->async && f->port ? f->port->uaddr : 0,
		    .state = svc_msg_state(f),
		    .service = f->request ? service_id(f->req.svc) : 0,
		};
		int err = copyout(m->info, &info, sizeof(info));
		if (!err)
			m->hdr.result = pos->next != &t->inflight ? i : 0;
		return err;
	}
	return ENOENT;
}
