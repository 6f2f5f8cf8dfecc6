/*
 * Live messages: signals and timers returned once per event, the held /
 * re-arm interlock, counts that add up, periodic timers without drift,
 * overruns, abort, faults delivered as messages, signals between tasks,
 * and 1,000 live timers in one task.
 */
#include <drake/string.h>

#include "../check.h"

static struct drake_port port;
static struct msg_signal sig;

static bool send_live(void *msg, uint16_t cmd, uint32_t size,
		      struct drake_port *p)
{
	((struct drake_msg *)msg)->flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(msg, cmd, size, p), EASYNC);
	return true;
}

static uint64_t now_tick(void)
{
	struct msg_ticks t = {.ticks = 0};
	sys_send(&t, CMD_TICKS, sizeof(t));
	return t.hdr.result;
}

static volatile uint32_t calls, total;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)sender;
	(void)addr;
	if (bits == SIGBIT(SIGUSR1))
		calls++;
	total += count;
}

/* Idle handler: every signal is its own return. */
static bool n_signals_n_returns(void)
{
	calls = total = 0;
	int h = signal_catch(SIGBIT(SIGUSR1), on_usr1);
	CHECK(h >= 0);
	for (int i = 0; i < 25; i++)
		CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(calls, 25);
	CHECK_EQ(total, 25);
	CHECK_EQ(live_stop(h), 0);
	return true;
}

/* Held: one return, then nothing until re-armed, then all the rest in
 * one return whose count says how many. */
static bool burst_while_held_adds_up(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	sig.mask = SIGBIT(SIGUSR2);
	CHECK(send_live(&sig, CMD_SIGNAL, sizeof(sig), &port));
	for (int i = 0; i < 40; i++)
		CHECK_EQ(sys_kill(sys_gettid(), SIGUSR2), 0);
	struct drake_msg *m = port_take(&port);
	CHECK_EQ((uint32_t)m, (uint32_t)&sig);
	CHECK(port_next(m) == NULL);
	CHECK_EQ(sig.hdr.count, 1);
	CHECK_EQ((uint32_t)sig.hdr.result, SIGBIT(SIGUSR2));
	CHECK((sig.hdr.flags & (MSGF_DONE | MSGF_HELD)) ==
	      (MSGF_DONE | MSGF_HELD));
	sys_sleep(30);
	CHECK(port.head == 0); /* never returned while held */
	CHECK_EQ(sys_rearm(&sig), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	CHECK_EQ(sig.hdr.count, 39);
	CHECK_EQ(sys_rearm(&sig), 0);
	CHECK(port.head == 0); /* nothing pending: stays armed */
	CHECK(!(sig.hdr.flags & MSGF_HELD));
	CHECK_EQ(sys_abort(&sig), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&sig);
	CHECK_EQ(sig.hdr.error, ECANCELED);
	CHECK_EQ(sys_rearm(&sig), -ENOMSG);
	return true;
}

static bool live_requires_async_and_live(void)
{
	struct msg_signal s = {.mask = SIGBIT(SIGUSR1)};
	CHECK_EQ(sys_send(&s, CMD_SIGNAL, sizeof(s)), EINVAL);
	CHECK_EQ(sys_send_async(&s, CMD_SIGNAL, sizeof(s), &port), EINVAL);
	s.hdr.flags = MSGF_LIVE;
	s.mask = SIGBIT(SIGKILL);
	CHECK_EQ(sys_send_async(&s, CMD_SIGNAL, sizeof(s), &port), EINVAL);
	struct msg_timer t = {.period_ms = 10};
	CHECK_EQ(sys_send_async(&t, CMD_TIMER, sizeof(t), &port), EINVAL);
	CHECK_EQ(sys_kill(999, SIGUSR1), -ESRCH);
	CHECK_EQ(sys_kill(sys_gettid(), 0), -EINVAL);
	CHECK_EQ(sys_kill(sys_gettid(), SIG_MAX), -EINVAL);
	return true;
}

/* K expiries in K periods: each due exactly one period after the last
 * (no drift), each received within one tick of its deadline. */
static bool periodic_timer_keeps_time(void)
{
	struct msg_timer t = {.period_ms = 50};
	port_init(&port, PORT_QUEUE, NULL, 0);
	uint64_t start = now_tick();
	CHECK(send_live(&t, CMD_TIMER, sizeof(t), &port));
	for (uint32_t n = 1; n <= 8; n++) {
		CHECK_EQ(waitsys(&port, NULL), 0);
		uint64_t got = now_tick();
		CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&t);
		uint32_t due = (uint32_t)(t.hdr.result >> 32);
		CHECK_EQ((uint32_t)t.hdr.result, n);
		CHECK_EQ(t.hdr.count, 1);
		CHECK(due >= start + 5 * n && due <= start + 5 * n + 1);
		CHECK(got >= due && got <= due + 1);
		CHECK_EQ(sys_rearm(&t), 0);
	}
	CHECK_EQ(sys_abort(&t), 0);
	return true;
}

static bool periodic_timer_reports_overruns(void)
{
	struct msg_timer t = {.period_ms = 20};
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_live(&t, CMD_TIMER, sizeof(t), &port));
	CHECK_EQ(waitsys(&port, NULL), 0);
	port_take(&port);
	CHECK_EQ((uint32_t)t.hdr.result, 1);
	uint32_t first_due = (uint32_t)(t.hdr.result >> 32);
	sys_sleep(100); /* sleep through ~5 expiries, still holding it */
	CHECK(port.head == 0);
	CHECK_EQ(sys_rearm(&t), 0); /* returned at once with the misses */
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&t);
	uint32_t n = (uint32_t)t.hdr.result;
	CHECK(t.hdr.count >= 4 && t.hdr.count <= 6);
	CHECK_EQ(n, 1 + t.hdr.count);
	CHECK_EQ((uint32_t)(t.hdr.result >> 32), first_due + 2 * (n - 1));
	CHECK_EQ(sys_abort(&t), 0);
	return true;
}

static bool one_shot_timer_returns_once(void)
{
	struct msg_timer t = {.delay_ms = 30};
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK_EQ(sys_send_async(&t, CMD_TIMER, sizeof(t), &port), EASYNC);
	CHECK_EQ(waitsys(&port, &t), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&t);
	CHECK_EQ((uint32_t)t.hdr.result, 1);
	CHECK(!(t.hdr.flags & MSGF_HELD));
	CHECK_EQ(sys_abort(&t), -ENOMSG); /* no longer in flight */
	sys_sleep(60);
	CHECK(port.head == 0);
	return true;
}

static bool abort_stops_timer_for_good(void)
{
	struct msg_timer t = {.period_ms = 10};
	port_init(&port, PORT_QUEUE, NULL, 0);
	CHECK(send_live(&t, CMD_TIMER, sizeof(t), &port));
	CHECK_EQ(waitsys(&port, NULL), 0);
	port_take(&port);
	CHECK_EQ(sys_rearm(&t), 0);
	CHECK_EQ(sys_abort(&t), 0);
	CHECK_EQ((uint32_t)port_take(&port), (uint32_t)&t);
	CHECK_EQ(t.hdr.error, ECANCELED);
	sys_sleep(80);
	CHECK(port.head == 0);
	return true;
}

/* A child that asked for SIGUSR1 and then aborted that message dies of
 * the next SIGUSR1, as if it had never asked. */
static bool abort_restores_default_action(void)
{
	int status = 0;
	CHECK_EQ(sys_wait(sys_spawn("sigcount", "abort"), &status), 0);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGUSR1));
	return true;
}

static volatile uint32_t fault_bits, fault_addr_seen;
static uint32_t resume_at;
extern char resume_pf[], resume_gp[];

/* Resume past the faulting instruction instead of dying. */
static void on_fault(uint32_t bits, uint32_t count, uint32_t addr,
		     uint32_t sender)
{
	(void)sender;
	(void)count;
	fault_bits = bits;
	fault_addr_seen = addr;
	upcall_frame()->ctx.eip = resume_at;
}

static bool fault_as_message(void)
{
	int h = signal_catch(SIGBIT(SIGSEGV), on_fault);
	CHECK(h >= 0);
	fault_bits = 0;
	resume_at = (uint32_t)resume_pf;
	__asm__ volatile("movl 0x100000, %%eax\n\t"
			 ".globl resume_pf\n"
			 "resume_pf:" ::
			     : "eax", "memory");
	CHECK_EQ(fault_bits, SIGBIT(SIGSEGV));
	CHECK_EQ(fault_addr_seen, 0x100000);
	fault_bits = 0;
	resume_at = (uint32_t)resume_gp;
	__asm__ volatile("int $0x80\n\t"
			 ".globl resume_gp\n"
			 "resume_gp:" ::
			     : "memory");
	CHECK_EQ(fault_bits, SIGBIT(SIGSEGV));
	CHECK_EQ(live_stop(h), 0);
	return true;
}

/* Wait until task tid has a live message in flight. */
static bool wait_live(int tid)
{
	struct drake_taskinfo info;
	for (int i = 0; i < 500; i++) {
		CHECK_EQ(task_info(tid, &info), 0);
		if (info.live)
			return true;
		sys_sleep(10);
	}
	return false;
}

/* Another task counts our SIGUSR1s, each marked as ours, and exits with
 * the count. */
static bool signals_between_tasks(void)
{
	int tid = sys_spawn("sigcount", "30");
	CHECK(tid > 0);
	CHECK(wait_live(tid));
	for (int i = 0; i < 30; i++)
		CHECK_EQ(sys_kill(tid, SIGUSR1), 0);
	int status = -1;
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(status, 30);
	/* and a task without a handler is terminated by the default */
	tid = sys_spawn("busy", "5000");
	CHECK_EQ(sys_kill(tid, SIGTERM), 0);
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGTERM));
	return true;
}

/* Tasks killed or exiting with live messages in flight give it all back. */
static bool exit_with_live_messages_leaks_nothing(void)
{
	uint32_t before, after;
	int status;
	CHECK_EQ(sys_wait(sys_spawn("livemany", "300"), NULL), 0);
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	CHECK_EQ(sys_wait(sys_spawn("livemany", "300"), &status), 0);
	CHECK_EQ(status, 0);
	int tid = sys_spawn("livemany", "300 wait");
	sys_sleep(100);
	CHECK_EQ(sys_kill(tid, SIGKILL), 0);
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGKILL));
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

/* 1,000 live timers in one task all fire (each at least 3 times, with
 * the expiry numbers and deadlines the period implies) while another
 * task's one-tick timers keep completing exactly on their tick. */
enum { TIMERS = 1000 };
static struct msg_timer timers[TIMERS];
static uint32_t seen_n[TIMERS];

static bool thousand_timers(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (int i = 0; i < TIMERS; i++) {
		timers[i].period_ms = 100 + 10 * (uint32_t)(i % 10);
		CHECK(
		    send_live(&timers[i], CMD_TIMER, sizeof(timers[i]), &port));
	}
	int lat = sys_spawn("latency", "40");
	CHECK(lat > 0);
	uint32_t done = 0;
	while (done < TIMERS) {
		CHECK_EQ(waitsys(&port, NULL), 0);
		port_for_each(m, port_take(&port))
		{
			struct msg_timer *t = (struct msg_timer *)m;
			int i = (int)(t - timers);
			uint32_t n = (uint32_t)m->result;
			CHECK(n == seen_n[i] + m->count);
			seen_n[i] = n;
			if (n >= 3 && n - m->count < 3)
				done++;
			CHECK_EQ(sys_rearm(m), 0);
		}
	}
	int status = -1;
	CHECK_EQ(sys_wait(lat, &status), 0);
	CHECK_EQ(status, 0);
	for (int i = 0; i < TIMERS; i++)
		CHECK_EQ(sys_abort(&timers[i]), 0);
	return true;
}

int main(void)
{
	RUN(n_signals_n_returns);
	RUN(burst_while_held_adds_up);
	RUN(live_requires_async_and_live);
	RUN(periodic_timer_keeps_time);
	RUN(periodic_timer_reports_overruns);
	RUN(one_shot_timer_returns_once);
	RUN(abort_stops_timer_for_good);
	RUN(abort_restores_default_action);
	RUN(fault_as_message);
	RUN(signals_between_tasks);
	RUN(exit_with_live_messages_leaks_nothing);
	RUN(thousand_timers);
	return check_summary();
}
