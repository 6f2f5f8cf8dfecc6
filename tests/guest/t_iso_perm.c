/*
 * Issue 10, permissions (spec item 6): KILL only to the caller or its
 * descendants (ESRCH, then EPERM, then EINVAL), HALT only from init,
 * FOREGROUND only from init or the foreground holder and only to itself
 * or a descendant, and every signal return naming its sender.
 */
#include <drake/fmt.h>

#include "../check.h"
#include "iso.h"

static volatile uint32_t usr1_count, usr1_sender;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)bits;
	(void)addr;
	usr1_count += count;
	usr1_sender = sender;
}

/* Spawn isokid with `args` and answer its exit status (or -9999). */
static int kid(const char *args)
{
	int status = -9999;
	int tid = sys_spawn("isokid", args);
	if (tid <= 0)
		return -9999;
	sys_wait(tid, &status);
	return status;
}

static int usr1_handle = -1;

/* A child cannot signal its parent or a sibling; a parent can signal
 * its child and grandchild; anyone can signal itself. */
static bool kill_needs_descendant(void)
{
	char args[48];
	int status;
	usr1_count = 0;
	if (usr1_handle < 0)
		usr1_handle = signal_catch(SIGBIT(SIGUSR1), on_usr1);
	CHECK(usr1_handle >= 0);
	/* child -> parent */
	CHECK_EQ(kid("kill 1 10"), EPERM);
	sys_sleep(20);
	CHECK_EQ(usr1_count, 0);
	/* child -> sibling */
	int b = sys_spawn("isokid", "hold");
	CHECK(b > 0);
	fmt_snprintf(args, sizeof(args), "kill %d 10", b);
	int r = kid(args);
	CHECK(iso_wait_settled((uint32_t)b, 0, 0, 2000));
	CHECK_EQ(sys_kill(b, SIGKILL), 0);
	CHECK_EQ(sys_wait(b, &status), 0);
	CHECK_EQ(r, EPERM);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGKILL)); /* not SIGUSR1 */
	/* parent -> grandchild */
	int a = sys_spawn("isokid", "spawnhold");
	CHECK(a > 0);
	uint32_t g = 0;
	for (int i = 0; i < 100 && !(g = iso_child_of((uint32_t)a)); i++)
		sys_sleep(10);
	CHECK(g > 0);
	CHECK(iso_wait_settled(g, 0, 0, 2000));
	CHECK_EQ(sys_kill((int)g, SIGTERM), 0);
	iso_kill_wait(a);
	/* self */
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(usr1_count, 1);
	return true;
}

/* ESRCH (no task, or a zombie) first, then EPERM, then EINVAL. */
static bool kill_error_order(void)
{
	CHECK_EQ(sys_kill(999, 0), -ESRCH);
	CHECK_EQ(sys_kill(999, SIGUSR1), -ESRCH);
	int z = sys_spawn("exitcode", "0");
	CHECK(z > 0);
	sys_sleep(50); /* exited, not collected: a zombie */
	CHECK_EQ(sys_kill(z, 0), -ESRCH);
	CHECK_EQ(sys_kill(z, SIGUSR1), -ESRCH);
	CHECK_EQ(sys_wait(z, NULL), 0);
	CHECK_EQ(kid("kill 1 0"), EPERM);  /* EPERM before EINVAL */
	CHECK_EQ(kid("kill 1 99"), EPERM); /* ditto */
	CHECK_EQ(kid("kill 999 0"), ESRCH);
	CHECK_EQ(sys_kill(sys_gettid(), 0), -EINVAL);
	CHECK_EQ(sys_kill(sys_gettid(), SIG_MAX), -EINVAL);
	int c = sys_spawn("isokid", "hold");
	CHECK(c > 0);
	int r = sys_kill(c, 99);
	iso_kill_wait(c);
	CHECK_EQ(r, -EINVAL);
	return true;
}

/* FOREGROUND: only init or the foreground holder, and only to itself
 * or a descendant. */
static bool foreground_rules(void)
{
	CHECK_EQ(kid("fgself"), EPERM); /* not init, not the holder */
	CHECK_EQ(sys_foreground(0), 1); /* still init's */
	CHECK_EQ(kid("fg 1"), EPERM);
	CHECK_EQ(sys_foreground(0), 1);
	/* a holder may pass it to its child, but not back up to init */
	int a = sys_spawn("isokid", "fgchild");
	CHECK(a > 0);
	CHECK_EQ(sys_foreground(a), 1);
	int status = -1;
	CHECK_EQ(sys_wait(a, &status), 0);
	CHECK_EQ(sys_foreground(1) >= 0, 1); /* init always may */
	CHECK_EQ(status, 0);
	CHECK_EQ(sys_foreground(0), 1);
	return true;
}

static struct drake_port qport, uport;
static struct msg_signal qsig, usig;

/* A signal's return records its sender: the killer's tid, 0 for the
 * kernel; a forged SIGSEGV has no fault address. */
static bool sender_checks(void)
{
	port_init(&qport, PORT_QUEUE, NULL, 0);
	qsig.mask = SIGBIT(SIGUSR2) | SIGBIT(SIGSEGV);
	qsig.sender = 0xdeadbeef;
	qsig.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&qsig, CMD_SIGNAL, sizeof(qsig), &qport),
		 EASYNC);
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR2), 0);
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&qsig);
	CHECK_EQ(qsig.sender, (uint32_t)sys_gettid());
	CHECK_EQ(qsig.hdr.result, SIGBIT(SIGUSR2));
	qsig.sender = 0xdeadbeef;
	CHECK_EQ(sys_rearm(&qsig), 0);
	CHECK_EQ(sys_kill(sys_gettid(), SIGSEGV), 0); /* forged */
	CHECK_EQ((uint32_t)port_take(&qport), (uint32_t)&qsig);
	CHECK_EQ(qsig.sender, (uint32_t)sys_gettid());
	CHECK_EQ(qsig.hdr.result, SIGBIT(SIGSEGV)); /* fault address 0 */
	CHECK_EQ(sys_abort(&qsig), 0);
	port_take(&qport);
	/* another task's forged SIGSEGV names that task */
	int a = sys_spawn("isokid", "segvpair");
	CHECK(a > 0);
	int status = -1;
	CHECK_EQ(sys_wait(a, &status), 0);
	CHECK_EQ(status, a);
	/* libsys passes the sender to the callback */
	usr1_count = 0;
	usr1_sender = 0xdeadbeef;
	if (usr1_handle < 0)
		usr1_handle = signal_catch(SIGBIT(SIGUSR1), on_usr1);
	CHECK_EQ(sys_kill(sys_gettid(), SIGUSR1), 0);
	CHECK_EQ(usr1_count, 1);
	CHECK_EQ(usr1_sender, (uint32_t)sys_gettid());
	return true;
}

static volatile uint32_t seen_sender, seen_addr, seen_bits, faults;
static uint32_t resume_at;
extern char resume_iso_pf[];

static void on_segv(struct drake_port *p)
{
	port_for_each(m, port_take(p))
	{
		struct msg_signal *s = (struct msg_signal *)m;
		if (m->error)
			continue; /* aborted: its last return */
		seen_sender = s->sender;
		seen_addr = (uint32_t)(m->result >> 32);
		seen_bits = (uint32_t)m->result;
		faults++;
		if (seen_addr) /* a real fault: skip the instruction */
			upcall_frame()->ctx.eip = resume_at;
		s->sender = 0xdeadbeef;
		sys_rearm(m);
	}
}

static bool signal_sender_recorded(void)
{
	bool ok = sender_checks();
	sys_abort(&qsig); /* whatever happened, catch SIGSEGV no more */
	port_take(&qport);
	return ok;
}

/* A CPU fault's return: sender 0 and the fault address; the next
 * return, a forged SIGSEGV, has no stale fault address. */
static bool fault_checks(void)
{
	port_init(&uport, PORT_UPCALL, on_segv, 0);
	usig.mask = SIGBIT(SIGSEGV);
	usig.sender = 0xdeadbeef;
	usig.hdr.flags = MSGF_LIVE;
	CHECK_EQ(sys_send_async(&usig, CMD_SIGNAL, sizeof(usig), &uport),
		 EASYNC);
	faults = 0;
	resume_at = (uint32_t)resume_iso_pf;
	__asm__ volatile("movl 0x100000, %%eax\n\t"
			 ".globl resume_iso_pf\n"
			 "resume_iso_pf:" ::
			     : "eax", "memory");
	CHECK_EQ(faults, 1);
	CHECK_EQ(seen_bits, SIGBIT(SIGSEGV));
	CHECK_EQ(seen_addr, 0x100000);
	CHECK_EQ(seen_sender, 0);
	CHECK_EQ(sys_kill(sys_gettid(), SIGSEGV), 0);
	CHECK_EQ(faults, 2);
	CHECK_EQ(seen_bits, SIGBIT(SIGSEGV));
	CHECK_EQ(seen_addr, 0); /* never a stale address */
	CHECK_EQ(seen_sender, (uint32_t)sys_gettid());
	CHECK_EQ(sys_abort(&usig), 0);
	return true;
}

static bool fault_sender_is_kernel(void)
{
	bool ok = fault_checks();
	sys_abort(&usig);
	return ok;
}

/* HALT from anyone but init is refused and halts nothing. (Today's
 * kernel halts: the boot then ends without its SUMMARY.) */
static bool halt_only_init(void)
{
	CHECK_EQ(kid("halt"), EPERM);
	return true;
}

int main(void)
{
	RUN(kill_needs_descendant);
	RUN(kill_error_order);
	RUN(foreground_rules);
	RUN(signal_sender_recorded);
	RUN(fault_sender_is_kernel);
	RUN(halt_only_init);
	return check_summary();
}
