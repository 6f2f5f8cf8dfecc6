/*
 * Test helper for the issue-10 isolation tests: one program, many
 * roles, chosen by the first argument. Results come back as the exit
 * status (an error code, a count, or 0 for "every check held").
 *
 *   hold               block for good (a long synchronous sleep)
 *   kill TID SIGNO     exit with KILL's error code (0 if sent)
 *   halt               exit with HALT's error code
 *   fgself             exit with FOREGROUND(0)'s error code
 *   fg TID             exit with FOREGROUND(TID)'s error code
 *   fgchild            (made foreground by its parent) spawn a child,
 *                      FOREGROUND it (must work), then FOREGROUND 1
 *                      (must be EPERM): 0, or which step failed
 *   spawnhold          spawn "isokid hold", then hold
 *   catchsegv          catch SIGSEGV (live, queue port), wait for it;
 *                      exit with the return's sender, or -1 if it
 *                      carried a fault address
 *   segvpair           spawn "isokid catchsegv", send it SIGSEGV, exit
 *                      with its status (its sender: our tid)
 *   forker MAX         on SIGUSR2 (once every forker exists), spawn
 *                      "isokid hold" until refused or MAX, then
 *                      wait for SIGUSR1, kill and collect them; exit
 *                      with error * 1000 + children spawned
 *   timerhog           put MSG_LIVE_MAX long live timers and
 *                      MSG_INFLIGHT_MAX long sleeps in flight (as many
 *                      as the kernel takes), then hold
 *   fasttimers         MSG_LIVE_MAX periodic 1 ms timers, never re-armed
 *                      after their first return, then hold
 *   inflight64 MS      MSG_INFLIGHT_MAX long async sleeps, then a
 *                      synchronous sleep of MS: exit with its error
 *   intrsleep          catch SIGUSR1, then a synchronous 300 ms SLEEP
 *                      its parent interrupts at ~50 ms: 0 if it returned
 *                      EINTR with the time left and the handler ran early
 *   intrsyssleep       the same through sys_sleep(300): 0 if it still
 *                      lasted 300 ms and the handler ran early
 *   write N            one WRITE of N bytes
 *   eat MB             raise the break by MB MiB, then hold
 */
#include "iso.h"

static struct drake_port port;

static int hold(void)
{
	for (;;)
		sys_sleep(1000000);
	return 0;
}

static int send_halt(void)
{
	struct drake_msg m;
	return sys_send(&m, CMD_HALT, sizeof(m));
}

static int fgchild(void)
{
	sys_sleep(20); /* let the parent make us the foreground task */
	int kid = sys_spawn("isokid", "hold");
	if (kid <= 0)
		return 1;
	int r = sys_foreground(kid);
	int r2 = sys_foreground(1);
	sys_kill(kid, SIGKILL);
	sys_wait(kid, NULL);
	if (r != sys_gettid())
		return 2; /* refused, or not answering us as the previous */
	if (r2 != -EPERM)
		return 3;
	return 0;
}

static int spawnhold(void)
{
	if (sys_spawn("isokid", "hold") <= 0)
		return 1;
	return hold();
}

static struct msg_signal segv;

static int catchsegv(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	segv.mask = SIGBIT(SIGSEGV);
	segv.sender = 0xdeadbeef;
	segv.hdr.flags = MSGF_LIVE;
	if (sys_send_async(&segv, CMD_SIGNAL, sizeof(segv), &port) != EASYNC)
		return -2;
	while (!port.head)
		waitsys(&port, NULL);
	if (segv.hdr.result >> 32)
		return -1;
	return (int)segv.sender;
}

static int segvpair(void)
{
	int kid = sys_spawn("isokid", "catchsegv");
	int status = -3;
	if (kid <= 0)
		return -4;
	if (!iso_wait_settled((uint32_t)kid, 1, 0, 2000))
		return -5;
	if (sys_kill(kid, SIGSEGV))
		return -6;
	sys_wait(kid, &status);
	return status;
}

static volatile int go, start;

/* SIGUSR2: start spawning; SIGUSR1: finish. */
static void on_go(uint32_t bits, uint32_t count, uint32_t addr, uint32_t sender)
{
	(void)count;
	(void)addr;
	(void)sender;
	start |= (bits & SIGBIT(SIGUSR2)) != 0;
	go |= (bits & SIGBIT(SIGUSR1)) != 0;
}

static int forker(int max)
{
	static int kids[64];
	int n = 0, err = 0;
	if (signal_catch(SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2), on_go) < 0)
		return -1;
	while (!start)
		sys_sleep(10);
	while (n < max && n < 64) {
		int tid = sys_spawn("isokid", "hold");
		if (tid < 0) {
			err = -tid;
			break;
		}
		kids[n++] = tid;
	}
	while (!go)
		sys_sleep(10);
	for (int i = 0; i < n; i++) {
		sys_kill(kids[i], SIGKILL);
		sys_wait(kids[i], NULL);
	}
	return err * 1000 + n;
}

static struct msg_timer timers[MSG_LIVE_MAX];
static struct msg_sleep sleeps[MSG_INFLIGHT_MAX];

static int timerhog(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (unsigned i = 0; i < MSG_LIVE_MAX; i++) {
		timers[i].period_ms = 3600000;
		timers[i].hdr.flags = MSGF_LIVE;
		sys_send_async(&timers[i], CMD_TIMER, sizeof(timers[i]), &port);
	}
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++) {
		sleeps[i].ms = 3600000;
		sys_send_async(&sleeps[i], CMD_SLEEP, sizeof(sleeps[i]), &port);
	}
	for (;;)
		waitsys(&port, NULL);
	return 0;
}

static int fasttimers(void)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (unsigned i = 0; i < MSG_LIVE_MAX; i++) {
		timers[i].period_ms = 1;
		timers[i].hdr.flags = MSGF_LIVE;
		sys_send_async(&timers[i], CMD_TIMER, sizeof(timers[i]), &port);
	}
	return hold();
}

static int inflight64(uint32_t ms)
{
	port_init(&port, PORT_QUEUE, NULL, 0);
	for (unsigned i = 0; i < MSG_INFLIGHT_MAX; i++) {
		sleeps[i].ms = 3600000;
		if (sys_send_async(&sleeps[i], CMD_SLEEP, sizeof(sleeps[i]),
				   &port) != EASYNC)
			return 100;
	}
	return -sys_sleep(ms);
}

static volatile uint64_t handled_at;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)bits;
	(void)count;
	(void)addr;
	(void)sender;
	handled_at = sys_uptime();
}

/* 0 if a synchronous 300 ms sleep that a SIGUSR1 interrupts ~50 ms in
 * returns EINTR with the time it had left, the handler having run first
 * and early; otherwise which check failed. */
static int intrsleep(void)
{
	if (signal_catch(SIGBIT(SIGUSR1), on_usr1) < 0)
		return 1;
	struct msg_sleep s = {.ms = 300};
	uint64_t t0 = sys_uptime();
	int err = sys_send(&s, CMD_SLEEP, sizeof(s));
	uint64_t t1 = sys_uptime();
	printf("isokid intrsleep: err %d result %u handler at +%u back at "
	       "+%u\n",
	       err, (uint32_t)s.hdr.result, (uint32_t)(handled_at - t0),
	       (uint32_t)(t1 - t0));
	if (!handled_at)
		return 2;
	if (handled_at - t0 >= 200)
		return 3; /* the handler waited for the sleep to end */
	if (err != EINTR)
		return 4;
	if (s.hdr.error != EINTR || !(s.hdr.flags & MSGF_DONE))
		return 5;
	if (s.hdr.result < 100 || s.hdr.result > 300)
		return 6; /* not the milliseconds it had left */
	if (t1 - t0 >= 200)
		return 7;
	return 0;
}

static int intrsyssleep(void)
{
	if (signal_catch(SIGBIT(SIGUSR1), on_usr1) < 0)
		return 1;
	uint64_t t0 = sys_uptime();
	int err = sys_sleep(300);
	uint64_t t1 = sys_uptime();
	printf("isokid intrsyssleep: err %d handler at +%u back at +%u\n", err,
	       (uint32_t)(handled_at - t0), (uint32_t)(t1 - t0));
	if (!handled_at)
		return 2;
	if (handled_at - t0 >= 200)
		return 3;
	if (err)
		return 4;
	if (t1 - t0 < 300 || t1 - t0 > 350)
		return 5; /* did not keep its deadline */
	return 0;
}

static int bigwrite(uint32_t n)
{
	char *buf = malloc(n);
	if (!buf)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		buf[i] = (i % 64 == 63) ? '\n' : '.';
	long r = sys_write(buf, n);
	return r == (long)n ? 0 : -2;
}

static int eat(uint32_t mb)
{
	uint32_t base;
	sys_brk(0, &base);
	sys_brk(base + mb * 1024 * 1024, NULL);
	return hold();
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	int a = argc > 2 ? atoi(argv[2]) : 0;
	int b = argc > 3 ? atoi(argv[3]) : 0;
	if (!strcmp(role, "hold"))
		return hold();
	if (!strcmp(role, "kill"))
		return -sys_kill(a, b);
	if (!strcmp(role, "halt"))
		return send_halt();
	if (!strcmp(role, "fgself")) {
		int r = sys_foreground(0);
		return r < 0 ? -r : 0;
	}
	if (!strcmp(role, "fg")) {
		int r = sys_foreground(a);
		return r < 0 ? -r : 0;
	}
	if (!strcmp(role, "fgchild"))
		return fgchild();
	if (!strcmp(role, "spawnhold"))
		return spawnhold();
	if (!strcmp(role, "catchsegv"))
		return catchsegv();
	if (!strcmp(role, "segvpair"))
		return segvpair();
	if (!strcmp(role, "forker"))
		return forker(a);
	if (!strcmp(role, "timerhog"))
		return timerhog();
	if (!strcmp(role, "fasttimers"))
		return fasttimers();
	if (!strcmp(role, "inflight64"))
		return inflight64((uint32_t)a);
	if (!strcmp(role, "intrsleep"))
		return intrsleep();
	if (!strcmp(role, "intrsyssleep"))
		return intrsyssleep();
	if (!strcmp(role, "write"))
		return bigwrite((uint32_t)a);
	if (!strcmp(role, "eat"))
		return eat((uint32_t)a);
	printf("isokid: unknown role '%s'\n", role);
	return -99;
}
