/* Message handlers for the console, time and memory services. */
#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "conin.h"
#include "cpu.h"
#include "kernel.h"
#include "kmsg.h"
#include "msg.h"
#include "sched.h"
#include "task.h"

int svc_nop(struct kmsg *k)
{
	(void)k;
	return 0;
}

/*
 * The console belongs to one WRITE at a time, so that each message's
 * bytes appear together: its windows between chunks let other CPUs into
 * the kernel, and another task's WRITE then waits here, blocked, for
 * the writer to finish (or be killed at its next window).
 */
static struct task *console_writer;
static struct list_node console_waiting = {&console_waiting, &console_waiting};

/* False if the task was killed while it waited: it writes nothing. */
static bool svc_console_take(void)
{
	while (console_writer && !current->killed) {
		list_push_back(&console_waiting, &current->console_link);
		sched_block();
		list_remove(&current->console_link);
	}
	if (current->killed)
		return false;
	console_writer = current;
	return true;
}

/* Every waiter looks again: one takes the console, the others wait on. */
static void svc_console_give_back(void)
{
	console_writer = NULL;
	list_for_each(pos, &console_waiting)
	{
		sched_wake(list_entry(pos, struct task, console_link));
	}
}

/* Copy through a small bounce buffer: user memory is only touched by
 * copyin, and a fault midway still reports what was written. Between
 * chunks the clock and other tasks get their turn, so a long write never
 * holds the machine; a task killed meanwhile stops writing. */
int svc_write(struct kmsg *k)
{
	struct msg_write *m = (struct msg_write *)&k->m;
	char buf[32]; /* a real 115200-baud UART takes ~3 ms for 32 bytes */
	uint32_t done = 0;
	if (!user_range_ok(m->buf, m->len))
		return EFAULT;
	if (!svc_console_take())
		return 0; /* killed: it never sees the answer */
	while (done < m->len) {
		uint32_t n = m->len - done;
		if (n > sizeof(buf))
			n = sizeof(buf);
		if (copyin_checked(buf, m->buf + done, n))
			break;
		console_write(buf, n);
		done += n;
		if (done < m->len && sched_preempt_point())
			break;
	}
	svc_console_give_back();
	m->hdr.result = done;
	return done == m->len ? 0 : EFAULT;
}

int svc_read(struct kmsg *k)
{
	struct msg_read *m = (struct msg_read *)&k->m;
	if (!user_range_ok(m->buf, m->len))
		return EFAULT;
	return conin_read(k, m->buf, m->len);
}

static void svc_timer_fire(struct ktimer *timer)
{
	struct kmsg *k = container_of(timer, struct kmsg, timer);
	k->m.hdr.result = clock_ticks();
	kmsg_complete(k, 0);
}

static void svc_timer_cancel(struct kmsg *k)
{
	timer_cancel(&k->timer);
}

/* Complete k at clock tick `due`; result: the tick count then. */
static int svc_at_tick(struct kmsg *k, uint64_t due,
		       void (*cancel)(struct kmsg *k))
{
	timer_init(&k->timer, svc_timer_fire);
	timer_arm(&k->timer, due);
	kmsg_park(k, cancel);
	return EASYNC;
}

/* An aborted or interrupted SLEEP tells how long it had left (at least
 * 1 ms), so sleeping that long again keeps the original deadline. */
static void svc_sleep_cancel(struct kmsg *k)
{
	uint64_t left = k->timer.due - clock_ticks() - 1;
	k->m.hdr.result = left ? left * (1000 / TIMER_HZ) : 1;
	timer_cancel(&k->timer);
}

/* At least ms: the current tick is partly gone, so one more is waited. */
int svc_sleep(struct kmsg *k)
{
	struct msg_sleep *m = (struct msg_sleep *)&k->m;
	k->m.hdr.result = clock_ticks();
	if (!m->ms)
		return 0;
	return svc_at_tick(k, clock_ticks() + 1 + clock_ms_to_ticks(m->ms),
			   svc_sleep_cancel);
}

static void svc_deferred_cancel(struct kmsg *k)
{
	list_remove(&k->wait_link);
}

/*
 * TICKS exists for tests and benchmarks: it completes after a number of
 * clock ticks. With 0 ticks an asynchronous one is returned on the
 * sender's way back to user mode, before sendsys has even returned
 * EASYNC: the whole asynchronous path with no time passing.
 */
int svc_ticks(struct kmsg *k)
{
	struct msg_ticks *m = (struct msg_ticks *)&k->m;
	k->m.hdr.result = clock_ticks();
	if (m->ticks)
		return svc_at_tick(k, clock_ticks() + m->ticks,
				   svc_timer_cancel);
	if (!k->async)
		return 0;
	list_push_back(&current->deferred, &k->wait_link);
	kmsg_park(k, svc_deferred_cancel);
	this_cpu()->user_return_work = 1;
	return EASYNC;
}

int svc_uptime(struct kmsg *k)
{
	k->m.hdr.result = clock_uptime_ms();
	return 0;
}

/* result: this CPU in the low 32 bits, how many run tasks in the high 32.
 * The task may run elsewhere by the time it reads it. */
int svc_cpuinfo(struct kmsg *k)
{
	k->m.hdr.result = (uint64_t)sched_ncpus() << 32 | sched_cpu_id();
	return 0;
}

int svc_cpustat(struct kmsg *k)
{
	struct msg_cpustat *m = (struct msg_cpustat *)&k->m;
	struct drake_cpustat s;
	if (!sched_cpustat(m->index, &s))
		return ESRCH;
	int err = copyout(m->info, &s, sizeof(s));
	if (!err)
		m->hdr.result = m->index + 1 < sched_ncpus() ? m->index + 1 : 0;
	return err;
}

/* result: free pages in the low 32 bits, total pages in the high 32. */
int svc_meminfo(struct kmsg *k)
{
	k->m.hdr.result = (uint64_t)pmm_total_count() << 32 | pmm_free_count();
	return 0;
}
