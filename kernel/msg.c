/*
 * sendsys, waitsys and flushsys.
 *
 * A message is first checked and copied: the system port must be
 * readable and carry our ABI version, the size must be within [header,
 * MSG_MAX_SIZE], the whole message readable, the command known, and the
 * size exactly the command's. Failing any of these the call is refused:
 * the error comes back in eax and the user's message is not touched.
 *
 * An accepted message runs its handler on the kernel's copy. A handler
 * either completes at once or parks the message and answers EASYNC. A
 * synchronous sender then blocks until it completes; an asynchronous
 * one (MSGF_ASYNC) gets EASYNC back and the message is returned later
 * through its reply port (kmsg.c). Either way only the result area
 * (flags, error, result) of the user's message is written.
 *
 * Three other ways in end here too: msg_fast, which the trap entry tries
 * first for a bare header and which answers the simplest commands on the
 * user's words; a port that is a service port, whose message is a
 * request to a user-level server (service.c); and BATCH, whose entries
 * each go through msg_send as their own sendsys would.
 */
#include "msg.h"

#include <drake/errno.h>
#include <drake/string.h>

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "port.h"
#include "sched.h"
#include "service.h"
#include "trace.h"
#include "task.h"
#include "upcall.h"

struct msg_command {
	int (*handler)(struct kmsg *k);
	uint32_t size;
};

#define MSG_TABLE_ENTRY(num, NAME, name, type, fields)                         \
	[CMD_##NAME] = {svc_##name, sizeof(type)},
static const struct msg_command msg_commands[CMD_COUNT] = {
    DRAKE_COMMANDS(MSG_TABLE_ENTRY)};
#undef MSG_TABLE_ENTRY

/* The part of the header the kernel writes back: flags..result. */
#define MSG_RESULT_OFFSET offsetof(struct drake_msg, flags)
#define MSG_RESULT_SIZE                                                        \
	(offsetof(struct drake_msg, reply) - offsetof(struct drake_msg, flags))

static inline __attribute__((always_inline)) int msg_port_check(uint32_t port)
{
	uint32_t version;
	int err = fetch_user32(port + offsetof(struct drake_sysport, version),
			       &version);
	if (err)
		return err;
	return version == DRAKE_ABI_VERSION ? 0 : EVERSION;
}

/* Write the result area back, inside the range the copyin that accepted
 * the message checked. */
static inline __attribute__((always_inline)) int
msg_write_result(struct kmsg *k, int error)
{
	int err =
	    copyout_checked(k->umsg + MSG_RESULT_OFFSET,
			    &k->m.bytes[MSG_RESULT_OFFSET], MSG_RESULT_SIZE);
	return err ? err : error;
}

/* msg_finish for a traced task, out of line: a call on the message path
 * itself would cost every message registers saved around it. */
static __attribute__((noinline)) int msg_finish_traced(struct kmsg *k,
						       int error)
{
	trace_done(k, error);
	return msg_write_result(k, error);
}

/* Complete in the sender's context. */
static inline __attribute__((always_inline)) int msg_finish(struct kmsg *k,
							    int error)
{
	k->m.hdr.error = error;
	k->m.hdr.flags |= MSGF_DONE;
	if (trace_active)
		return msg_finish_traced(k, error);
	return msg_write_result(k, error);
}

/*
 * A synchronous sender waits for its message here. An upcall owed
 * meanwhile (a caught signal, a return to an upcall port) interrupts
 * the call: the message is taken off what it waited on, completes with
 * EINTR, and the upcall runs on the way back to user mode.
 */
/* An asynchronous message accepted and now in flight. */
static inline __attribute__((always_inline)) int msg_queued(struct kmsg *k)
{
	if (trace_active)
		trace_queued(k);
	return EASYNC;
}

/* Every refusal passes here: off the path of accepted messages. BATCH
 * learns from *refused which of its entries were refused. */
static __attribute__((noinline)) int msg_refused(uint32_t umsg, uint32_t size,
						 int err, bool *refused)
{
	*refused = true;
	if (trace_active)
		trace_refused(umsg, size, err);
	return err;
}

static int msg_wait_sync(struct kmsg *k)
{
	if (trace_active)
		trace_waits(k);
	while (!k->done) {
		int err = task_block_interruptible(current);
		if (k->done)
			break; /* completed meanwhile: its results stand */
		if (err || current->killed)
			kmsg_forget(k);
		if (err)
			return err;
		if (current->killed)
			task_exit(current->kill_status);
	}
	return k->m.hdr.error;
}

/* Only signals and timers have events to return again and again, and
 * only asynchronously. */
static bool msg_live_ok(const struct drake_msg *h)
{
	return (h->flags & MSGF_ASYNC) &&
	       (h->cmd == CMD_SIGNAL || h->cmd == CMD_TIMER);
}

/*
 * Prepare the long-lived copy of an asynchronous message: within the
 * in-flight cap, not already in flight, its reply port readable, and
 * the message itself writable. That last check is the only write, and
 * comes last, so a refused message stays untouched: clearing DONE proves
 * the memory writable and tells a poller the message is not back yet.
 */
static int msg_async_prepare(struct kmsg *stack, uint32_t size,
			     struct kmsg **out)
{
	struct task *t = current;
	bool live = stack->m.hdr.flags & MSGF_LIVE;
	if (live && !msg_live_ok(&stack->m.hdr))
		return EINVAL;
	if (kmsg_find(t, stack->umsg))
		return EBUSY;
	if (live ? t->nlive >= MSG_LIVE_MAX : t->ninflight >= MSG_INFLIGHT_MAX)
		return EAGAIN;
	int err;
	struct kmsg *k = kmsg_alloc(size, live);
	if (!k)
		return ENOMEM;
	memcpy(&k->m, &stack->m, size);
	k->umsg = stack->umsg;
	k->live = live;
	k->request = stack->request;
	k->async = true;
	k->done = false;
	k->owner = t;
	k->port = NULL;
	list_init(&k->task_link);
	list_init(&k->wait_link);
	uint16_t flags = stack->m.hdr.flags & ~MSGF_DONE;
	struct drake_port settings;
	if ((k->m.hdr.reply &&
	     (err = port_get(t, k->m.hdr.reply, &k->port, &settings))) ||
	    (err = copyout(k->umsg + offsetof(struct drake_msg, flags), &flags,
			   sizeof(flags)))) {
		kmsg_free(k);
		return err;
	}
	if (k->port)
		port_set(k->port, &settings);
	*out = k;
	return 0;
}

static inline __attribute__((always_inline)) int
msg_send_async(struct kmsg *stack, const struct msg_command *c,
	       uint32_t sysport, uint32_t size, bool *refused)
{
	struct kmsg *k;
	int err = msg_async_prepare(stack, size, &k);
	if (err)
		return msg_refused(stack->umsg, size, err, refused);
	current->sysport = sysport; /* where upcalls for it will look */
	err = c->handler(k);
	if (err == EASYNC)
		return msg_queued(k);
	/* Completed at once: a synchronous completion, never queued. */
	err = msg_finish(k, err);
	kmsg_free(k);
	return err;
}

/*
 * A sendsys whose port is a service port (its first word is not an ABI
 * version): a request to a server (service.c). Checked like any message,
 * plus its grant, then queued on the service; the server's REPLY
 * completes it. Any command number is the service's to interpret.
 */
/* The checks of a request, before anything is written. */
static int msg_request_check(uint32_t port, uint32_t umsg, uint32_t size,
			     struct kmsg *k, struct drake_svcport *sp)
{
	struct drake_request *r = (struct drake_request *)&k->m;
	int err = copyin(sp, port, sizeof(*sp));
	if (err)
		return err;
	if (sp->magic != DRAKE_SVCPORT_MAGIC)
		return EVERSION;
	if (size < sizeof(*r) || size > MSG_MAX_SIZE)
		return EMSGSIZE;
	if ((err = copyin(&k->m, umsg, size)))
		return err;
	if (k->m.hdr.size != size)
		return EMSGSIZE;
	if ((k->m.hdr.flags & MSGF_LIVE) ||
	    (r->grant_access & ~(GRANT_READ | GRANT_WRITE)))
		return EINVAL;
	if (r->grant_len && !user_range_ok(r->grant, r->grant_len))
		return EFAULT;
	if (!(k->req.svc = service_find(sp->service)))
		return EPIPE;
	if (k->m.hdr.flags & MSGF_ASYNC)
		return msg_port_check(sp->sysport);
	return 0;
}

static int msg_send_request(uint32_t port, uint32_t umsg, uint32_t size,
			    bool *refused)
{
	struct drake_svcport sp;
	struct kmsg k, *ak;
	int err = msg_request_check(port, umsg, size, &k, &sp);
	if (err)
		return msg_refused(umsg, size, err, refused);
	k.umsg = umsg;
	k.async = k.done = k.live = false;
	k.request = true;
	k.port = NULL;
	if (!(k.m.hdr.flags & MSGF_ASYNC)) {
		service_submit(&k);
		return msg_finish(&k, msg_wait_sync(&k));
	}
	if ((err = msg_async_prepare(&k, size, &ak)))
		return msg_refused(umsg, size, err, refused);
	current->sysport = sp.sysport;
	ak->req.svc = k.req.svc;
	service_submit(ak);
	return msg_queued(ak);
}

/* Not the system port: a service port, or a refusal. Out of line, so
 * the system port's path stays short. */
static __attribute__((noinline)) int msg_send_other(int err, uint32_t port,
						    uint32_t umsg,
						    uint32_t size,
						    bool *refused)
{
	if (err == EVERSION)
		return msg_send_request(port, umsg, size, refused);
	return msg_refused(umsg, size, err, refused);
}

/* UPCALL_RETURN: the interrupted context is back, its eax with it. Out
 * of line, like every traced path. */
static __attribute__((noinline)) int msg_resumed(struct kmsg *k)
{
	if (trace_active)
		trace_done(k, 0);
	return (int)k->m.hdr.result;
}

/*
 * The fast path, tried by the trap entry for every sendsys of a bare
 * header (size 32). A synchronous message answered at once (NOP,
 * GETTID, UPTIME, CPUINFO) needs no kernel copy: the checks msg_sendsys
 * makes, in the same order, are made on the user's words directly, and
 * its result area is stored back with four stores. It runs without the
 * kernel lock, so it reads only what no other CPU changes under it: the
 * caller's own words, its id, this CPU's number and the clock. Any
 * other message, a flag, a fault or a traced task answers MSG_SLOW (in
 * the high half, so no eax can be mistaken for it), and the entry calls
 * msg_sendsys under the lock, which checks it all again and gives a
 * refusal its error.
 */
ARCH_TRAP_ENTRY uint64_t msg_fast(uint32_t port, uint32_t umsg)
{
	uint32_t version, head, hsize, lo = 0, hi = 0;
	if (trace_active || !user_range_ok(port, 4) ||
	    !user_range_ok(umsg, sizeof(struct drake_msg)) ||
	    load_user32x4_checked(
		port, umsg, umsg + offsetof(struct drake_msg, size),
		umsg + sizeof(struct drake_msg) - 4, &version, &head, &hsize) ||
	    version != DRAKE_ABI_VERSION || hsize != sizeof(struct drake_msg) ||
	    (head >> 16) & (MSGF_ASYNC | MSGF_LIVE))
		return MSG_SLOW;
	switch (head & 0xffff) {
	case CMD_NOP:
		break;
	case CMD_GETTID:
		lo = current->id;
		break;
	case CMD_UPTIME: {
		uint64_t ms = clock_uptime_ms();
		lo = (uint32_t)ms;
		hi = (uint32_t)(ms >> 32);
		break;
	}
	case CMD_CPUINFO:
		lo = sched_cpu_id();
		hi = sched_ncpus();
		break;
	default:
		return MSG_SLOW;
	}
	/* as msg_finish, a fault here loses the results: the command ran */
	return (uint32_t)store_user32x4_checked(
	    umsg, head | (uint32_t)MSGF_DONE << 16, 0, lo, hi);
}

/*
 * What sendsys does with one message, from the checks to its completion;
 * BATCH sends each of its entries through it too (batched), and then
 * also refuses BATCH itself and UPCALL_RETURN, which cannot be nested in
 * a batch. Inlined into both, so the trap's path has no extra call.
 */
static inline __attribute__((always_inline)) int
msg_send(uint32_t port, uint32_t umsg, uint32_t size, bool *refused,
	 bool batched)
{
	struct kmsg k;
	int err = msg_port_check(port);
	if (err)
		return msg_send_other(err, port, umsg, size, refused);
	if (size < sizeof(k.m.hdr) || size > MSG_MAX_SIZE)
		return msg_refused(umsg, size, EMSGSIZE, refused);
	err = copyin(&k.m, umsg, size);
	if (err)
		return msg_refused(umsg, size, err, refused);
	if (k.m.hdr.cmd >= CMD_COUNT)
		return msg_refused(umsg, size, ENOSYS, refused);
	const struct msg_command *c = &msg_commands[k.m.hdr.cmd];
	if (size != c->size || k.m.hdr.size != size)
		return msg_refused(umsg, size, EMSGSIZE, refused);
	if (batched &&
	    (k.m.hdr.cmd == CMD_BATCH || k.m.hdr.cmd == CMD_UPCALL_RETURN))
		return msg_refused(umsg, size, EINVAL, refused);

	k.umsg = umsg;
	k.async = false;
	k.done = false;
	k.live = false;
	k.request = false;
	if (k.m.hdr.flags & (MSGF_ASYNC | MSGF_LIVE))
		return msg_send_async(&k, c, port, size, refused);
	err = c->handler(&k);
	if (err == EASYNC)
		err = msg_wait_sync(&k);
	else if (err == MSG_RESUMED)
		return msg_resumed(&k);
	return msg_finish(&k, err);
}

/* The general path: every message the fast path does not take. */
/* What another CPU did to this task while it ran there comes first. A
 * kill: the task may have trapped while the killer held the kernel lock
 * (its IPI is still pending here), and a killed task acts no more, so it
 * exits before the call does anything. Returns handed to it: the task
 * sees its ports as they are before it acts on them. */
static inline __attribute__((always_inline)) void msg_catch_up(void)
{
	if (current->killed)
		task_exit(current->kill_status);
	if (!list_empty(&current->returns))
		kmsg_catch_up(current);
}

ARCH_TRAP_ENTRY int msg_sendsys(uint32_t port, uint32_t umsg, uint32_t size)
{
	bool refused; /* only BATCH asks */
	msg_catch_up();
	return msg_send(port, umsg, size, &refused, false);
}

int msg_send_batched(uint32_t port, uint32_t umsg, uint32_t size, bool *refused)
{
	*refused = false;
	return msg_send(port, umsg, size, refused, true);
}

/* 0: the wait is over; an error; EASYNC: keep waiting; or ENOMSG:
 * nothing in flight could ever end it. */
static int msg_wait_check(struct task *t, uint32_t port, uint32_t umsg)
{
	uint32_t word;
	bool possible = false;
	if (umsg) {
		int err = fetch_user32(umsg, &word);
		if (err)
			return err;
		if ((word >> 16) & MSGF_DONE)
			return 0;
		possible = kmsg_find(t, umsg);
	}
	if (port) {
		int err = fetch_user32(port + offsetof(struct drake_port, head),
				       &word);
		if (err)
			return err;
		if (word)
			return 0;
		possible = possible || port_expects(t, port);
	}
	return possible ? EASYNC : ENOMSG;
}

/*
 * Block until msg is returned, or a message is on port, or either. No
 * wake-up is lost: returns happen only while the kernel runs, and the
 * kernel is not preempted between this check and the block.
 */
static int msg_waitsys_block(uint32_t port, uint32_t umsg)
{
	struct task *t = current;
	for (;;) {
		int r = msg_wait_check(t, port, umsg);
		if (r != EASYNC)
			return r;
		t->in_waitsys = true;
		r = task_block_interruptible(t);
		t->in_waitsys = false;
		if (r)
			return r;
		if (t->killed)
			task_exit(t->kill_status);
	}
}

ARCH_TRAP_ENTRY int msg_waitsys(uint32_t port, uint32_t umsg)
{
	msg_catch_up();
	if (!port && !umsg)
		return upcall_flush(current);
	return msg_waitsys_block(port, umsg);
}
