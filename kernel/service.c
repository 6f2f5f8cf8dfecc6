#include "service.h"

#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "sched.h"
#include "task.h"

/*
 * A service id carries its slot in the table (low 8 bits) and a
 * generation, so an id outlives its service harmlessly: a request to a
 * service that is gone finds another id in the slot and fails with
 * EPIPE. Slot 1 is the name server's, whose id is always 1.
 */
#define SERVICE_SLOT_BITS 8
#define SERVICE_SLOTS	  (1u << SERVICE_SLOT_BITS)
_Static_assert(TASK_MAX *SERVICE_PER_TASK + SERVICE_NAMES < SERVICE_SLOTS,
	       "every task's share of services has a slot");

/* A handle names one open request: its slot in the service (low 5
 * bits), the service's slot, and a generation that makes it unique, so
 * a handle used twice, or after its request is gone, matches nothing. */
#define OPEN_BITS    5
#define HANDLE_SHIFT (OPEN_BITS + SERVICE_SLOT_BITS)
_Static_assert(SERVICE_OPEN_MAX == 1u << OPEN_BITS, "handle layout");

struct service_open {
	struct kmsg *k; /* the client's request; NULL once it gave it up */
	uint32_t gen;	/* 0: the slot is free */
};

struct service {
	uint32_t id;
	struct task *owner;
	struct list_node requests;  /* sent, not yet received */
	struct list_node receivers; /* RECEIVE messages waiting for one */
	struct service_open open[SERVICE_OPEN_MAX];
	uint32_t nopen;
};

static struct service *services[SERVICE_SLOTS];
static uint32_t service_gen;
static uint32_t service_open_gen;

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

struct service *service_find(uint32_t id)
{
	struct service *s = services[id & (SERVICE_SLOTS - 1)];
	return s && s->id == id ? s : NULL;
}

static uint32_t service_free_slot(void)
{
	for (uint32_t i = SERVICE_NAMES + 1; i < SERVICE_SLOTS; i++)
		if (!services[i])
			return i;
	return 0;
}

/* Only init or a child of init may become the name server. */
static int service_names_slot(struct task *t, uint32_t *slot)
{
	if (!task_is_init(t) && !(t->parent && task_is_init(t->parent)))
		return EPERM;
	if (services[SERVICE_NAMES])
		return EBUSY;
	*slot = SERVICE_NAMES;
	return 0;
}

int service_create(struct task *t, uint32_t flags, uint32_t *id)
{
	uint32_t slot = 0;
	int err = 0;
	if (flags & ~SVC_NAMES)
		return EINVAL;
	if (t->nservices >= SERVICE_PER_TASK)
		return EAGAIN;
	if (flags & SVC_NAMES)
		err = service_names_slot(t, &slot);
	else if (!(slot = service_free_slot()))
		err = EAGAIN;
	if (err)
		return err;
	struct service *s = kzalloc(sizeof(*s));
	if (!s)
		return ENOMEM;
	s->id = slot == SERVICE_NAMES
		    ? SERVICE_NAMES
		    : (++service_gen << SERVICE_SLOT_BITS | slot);
	s->owner = t;
	list_init(&s->requests);
	list_init(&s->receivers);
	services[slot] = s;
	t->nservices++;
	*id = s->id;
	return 0;
}

uint32_t service_id(const struct service *s)
{
	return s->id;
}

int service_owner(uint32_t id, uint32_t *tid)
{
	struct service *s = service_find(id);
	if (!s)
		return EPIPE;
	*tid = s->owner->id;
	return 0;
}

static uint32_t service_slot_of(const struct service *s)
{
	return s->id & (SERVICE_SLOTS - 1);
}

/*
 * Open request k for the server whose RECEIVE is rk: copy it into the
 * server's buffer, header first with only cmd and size kept (the rest
 * of the client's header is its own business), and give it a handle.
 */
static int service_hand_over(struct service *s, struct kmsg *rk, struct kmsg *k)
{
	struct msg_receive *m = (struct msg_receive *)&rk->m;
	struct task *server = s->owner;
	struct drake_msg h = {.cmd = k->m.hdr.cmd, .size = k->m.hdr.size};
	uint32_t n = min_u32(m->len, k->m.hdr.size);
	uint32_t nh = min_u32(n, sizeof(h));
	if (task_copyout(server, m->buf, &h, nh) ||
	    task_copyout(server, m->buf + nh, &k->m.bytes[nh], n - nh))
		return EFAULT;
	uint32_t i = 0;
	while (s->open[i].gen)
		i++;
	uint32_t gen = ++service_open_gen & (UINT32_MAX >> HANDLE_SHIFT);
	s->open[i] = (struct service_open){k, gen ? gen : 1};
	s->nopen++;
	k->req.handle = s->open[i].gen << HANDLE_SHIFT |
			service_slot_of(s) << OPEN_BITS | i;
	rk->m.hdr.result = (uint64_t)k->owner->id << 32 | k->req.handle;
	return 0;
}

static struct kmsg *service_first(struct list_node *list)
{
	return list_entry(list->next, struct kmsg, wait_link);
}

/* Give waiting receivers the oldest requests, while there is room. */
static void service_pump(struct service *s)
{
	while (!list_empty(&s->requests) && !list_empty(&s->receivers) &&
	       s->nopen < SERVICE_OPEN_MAX) {
		struct kmsg *rk = service_first(&s->receivers);
		struct kmsg *k = service_first(&s->requests);
		list_remove(&rk->wait_link);
		list_remove(&k->wait_link);
		int err = service_hand_over(s, rk, k);
		if (err)
			list_push_front(&s->requests, &k->wait_link);
		kmsg_complete(rk, err);
	}
}

/* A request given up by its client (abort, EINTR, exit): off the queue,
 * or, if the server holds it, left for the server to find gone. */
static void service_cancel(struct kmsg *k)
{
	if (!k->req.handle) {
		list_remove(&k->wait_link);
		return;
	}
	struct service *s = k->req.svc;
	s->open[k->req.handle & (SERVICE_OPEN_MAX - 1)].k = NULL;
}

/* The client's side: k is accepted and goes to its service's queue. */
int service_submit(struct kmsg *k)
{
	struct service *s = k->req.svc;
	k->req.handle = 0;
	kmsg_park(k, service_cancel);
	list_push_back(&s->requests, &k->wait_link);
	service_pump(s);
	return EASYNC;
}

static void service_receive_cancel(struct kmsg *rk)
{
	list_remove(&rk->wait_link);
}

/* RECEIVE: the oldest request now, or park until one comes. */
int service_receive(struct kmsg *rk)
{
	struct msg_receive *m = (struct msg_receive *)&rk->m;
	struct service *s = service_find(m->service);
	if (!s)
		return EPIPE;
	if (s->owner != current)
		return EPERM;
	if (!user_range_ok(m->buf, m->len))
		return EFAULT;
	if (s->nopen == SERVICE_OPEN_MAX)
		return EAGAIN;
	if (list_empty(&s->requests)) {
		list_push_back(&s->receivers, &rk->wait_link);
		kmsg_park(rk, service_receive_cancel);
		return EASYNC;
	}
	struct kmsg *k = service_first(&s->requests);
	list_remove(&k->wait_link);
	int err = service_hand_over(s, rk, k);
	if (err)
		list_push_front(&s->requests, &k->wait_link);
	return err;
}

/* The caller's open request named by handle, or ENOMSG. */
static int service_open_of(uint32_t handle, struct service **sp,
			   struct service_open **op)
{
	struct service *s = services[handle >> OPEN_BITS & (SERVICE_SLOTS - 1)];
	if (!s || s->owner != current)
		return ENOMSG;
	struct service_open *o = &s->open[handle & (SERVICE_OPEN_MAX - 1)];
	if (!o->gen || o->gen != handle >> HANDLE_SHIFT)
		return ENOMSG;
	*sp = s;
	*op = o;
	return 0;
}

static void service_close(struct service *s, struct service_open *o)
{
	o->gen = 0;
	o->k = NULL;
	s->nopen--;
}

/* The reply body goes into the client's message after its request
 * header; the message's size bounds it. */
static int service_reply_body(struct kmsg *c, uint32_t body, uint32_t len)
{
	uint8_t buf[MSG_MAX_SIZE - sizeof(struct drake_request)];
	if (len > c->m.hdr.size - sizeof(struct drake_request))
		return EMSGSIZE;
	if (!len)
		return 0;
	int err = copyin(buf, body, len);
	if (!err)
		task_copyout(c->owner, c->umsg + sizeof(struct drake_request),
			     buf, len);
	return err;
}

int service_reply(struct kmsg *k)
{
	struct msg_reply *m = (struct msg_reply *)&k->m;
	struct service *s;
	struct service_open *o;
	int err = service_open_of(m->handle, &s, &o);
	if (err)
		return err;
	if (m->error < 0 || m->error == EASYNC)
		return EINVAL;
	struct kmsg *c = o->k;
	if (!c) {
		service_close(s, o);
		return ECANCELED;
	}
	if ((err = service_reply_body(c, m->body, m->bodylen)))
		return err;
	c->m.hdr.result = m->result;
	c->req.handle = 0; /* answered: nothing of the service's any more */
	service_close(s, o);
	kmsg_complete(c, m->error);
	service_pump(s);
	return 0;
}

/* One chunk between the server's buf and the client's grant. */
static int service_copy_chunk(struct kmsg *c, const struct msg_copy *m,
			      uint32_t done, uint32_t n)
{
	uint8_t buf[128];
	struct drake_request *r = (struct drake_request *)&c->m;
	uint32_t theirs = r->grant + m->offset + done, ours = m->buf + done;
	if (m->direction == COPY_TO_CLIENT)
		return copyin_checked(buf, ours, n) ||
		       task_copyout(c->owner, theirs, buf, n);
	return task_copyin(c->owner, buf, theirs, n) ||
	       copyout_checked(ours, buf, n);
}

/* Is the copy inside the grant, in a direction it allows? */
static bool service_copy_ok(struct kmsg *c, const struct msg_copy *m)
{
	struct drake_request *r = (struct drake_request *)&c->m;
	uint32_t need =
	    m->direction == COPY_TO_CLIENT ? GRANT_WRITE : GRANT_READ;
	return (r->grant_access & need) && m->offset <= r->grant_len &&
	       m->len <= r->grant_len - m->offset &&
	       user_range_ok(m->buf, m->len);
}

/* Chunk by chunk, letting the clock in between; the client may give its
 * request up meanwhile, and then nothing more is touched. */
int service_copy(struct kmsg *k)
{
	struct msg_copy *m = (struct msg_copy *)&k->m;
	struct service *s;
	struct service_open *o;
	int err = service_open_of(m->handle, &s, &o);
	if (err)
		return err;
	if (m->direction > COPY_TO_CLIENT)
		return EINVAL;
	struct kmsg *c = o->k;
	if (!c)
		return ECANCELED;
	if (!service_copy_ok(c, m))
		return EFAULT;
	uint32_t done = 0;
	err = 0;
	while (!err && done < m->len) {
		uint32_t n = min_u32(m->len - done, 128);
		if (service_copy_chunk(c, m, done, n)) {
			err = EFAULT;
			break;
		}
		done += n;
		if (done < m->len && sched_preempt_point())
			break;
		if (o->k != c)
			err = ECANCELED;
	}
	k->m.hdr.result = done;
	return err;
}

/* The server t is exiting, its own messages already run down: every
 * request still queued or open fails, returned to its client once. */
void service_rundown(struct task *t)
{
	for (uint32_t i = 0; i < SERVICE_SLOTS && t->nservices; i++) {
		struct service *s = services[i];
		if (!s || s->owner != t)
			continue;
		struct list_node *n;
		while ((n = list_pop_front(&s->requests)))
			kmsg_complete(list_entry(n, struct kmsg, wait_link),
				      EPIPE);
		for (uint32_t j = 0; j < SERVICE_OPEN_MAX; j++)
			if (s->open[j].k)
				kmsg_complete(s->open[j].k, EPIPE);
		services[i] = NULL;
		kfree(s);
		t->nservices--;
	}
}
