/*
 * Live messages made easy: a signal handler or a periodic timer is one
 * live message, one upcall port and a callback. The port's handler (the
 * dispatcher below) takes each return off the port, calls the callback,
 * and only then re-arms the message, so the kernel never returns it
 * while the callback still runs; events meanwhile arrive as a count.
 */
#include <drake/string.h>
#include <drake/sys.h>

#define LIVE_SLOTS 16

struct live_slot {
	union {
		struct drake_msg hdr;
		struct msg_signal signal;
		struct msg_timer timer;
	} msg;
	struct drake_port port;
	signal_fn on_signal;
	timer_fn on_timer;
	bool used;
};

static struct live_slot live_slots[LIVE_SLOTS];

static struct live_slot *live_slot_of(struct drake_port *port)
{
	return (struct live_slot *)((char *)port -
				    offsetof(struct live_slot, port));
}

int sys_rearm(void *msg)
{
	struct msg_rearm m = {.target = (drake_uaddr)msg};
	return -sys_send(&m, CMD_REARM, sizeof(m));
}

static void live_call(struct live_slot *s, struct drake_msg *m)
{
	uint32_t lo = (uint32_t)m->result, hi = (uint32_t)(m->result >> 32);
	if (m->error)
		return; /* aborted: its last return */
	if (s->on_signal)
		s->on_signal(lo, m->count, hi, s->msg.signal.sender);
	else
		s->on_timer(lo, hi, m->count);
}

static void live_dispatch(struct drake_port *port)
{
	struct live_slot *s = live_slot_of(port);
	port_for_each(m, port_take(port))
	{
		live_call(s, m);
		if (m->flags & MSGF_HELD)
			sys_rearm(m);
	}
}

static struct live_slot *live_alloc(void)
{
	for (int i = 0; i < LIVE_SLOTS; i++) {
		if (!live_slots[i].used) {
			memset(&live_slots[i], 0, sizeof(live_slots[i]));
			live_slots[i].used = true;
			port_init(&live_slots[i].port, PORT_UPCALL,
				  live_dispatch, 0);
			return &live_slots[i];
		}
	}
	return NULL;
}

static int live_send(struct live_slot *s, uint16_t cmd, uint32_t size)
{
	s->msg.hdr.flags = MSGF_LIVE;
	int err = sys_send_async(&s->msg, cmd, size, &s->port);
	if (err == EASYNC)
		return (int)(s - live_slots);
	s->used = false;
	return err ? -err : -EINVAL;
}

int signal_catch(uint32_t mask, signal_fn fn)
{
	struct live_slot *s = live_alloc();
	if (!s)
		return -EAGAIN;
	s->msg.signal.mask = mask;
	s->on_signal = fn;
	return live_send(s, CMD_SIGNAL, sizeof(s->msg.signal));
}

int timer_start(uint32_t delay_ms, uint32_t period_ms, timer_fn fn)
{
	struct live_slot *s = live_alloc();
	if (!s)
		return -EAGAIN;
	s->msg.timer.delay_ms = delay_ms;
	s->msg.timer.period_ms = period_ms;
	s->on_timer = fn;
	return live_send(s, CMD_TIMER, sizeof(s->msg.timer));
}

/* Stop a signal handler or timer: its message is aborted, and its
 * last return (ECANCELED) reaches no callback. */
int live_stop(int handle)
{
	if (handle < 0 || handle >= LIVE_SLOTS || !live_slots[handle].used)
		return -EINVAL;
	int err = sys_abort(&live_slots[handle].msg);
	live_slots[handle].used = false;
	return err;
}

int sys_kill(int tid, int signo)
{
	struct msg_kill m = {.tid = (uint32_t)tid, .signo = (uint32_t)signo};
	return -sys_send(&m, CMD_KILL, sizeof(m));
}

int sys_foreground(int tid)
{
	struct msg_foreground m = {.tid = (uint32_t)tid};
	int err = sys_send(&m, CMD_FOREGROUND, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}
