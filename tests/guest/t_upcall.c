/*
 * Upcalls land in the middle of user code and must leave no trace: every
 * register and flag of the interrupted computation is intact after each
 * one, including an upcall delivered to a task blocked in waitsys; and a
 * handler still running (or returning) is never upcalled on top of.
 */
#include "../check.h"

#define UPCALLS 6

static struct msg_ticks msgs[UPCALLS];
volatile uint32_t left; /* named in asm */
static volatile uint32_t handled;
static volatile int depth, max_depth;

static void count_down(struct drake_port *port)
{
	if (++depth > max_depth)
		max_depth = depth;
	/* use the FPU and string ops: none of it may leak back */
	volatile double x = 1.25 * (double)handled;
	(void)x;
	for (struct drake_msg *m = port_take(port); m; m = port_next(m)) {
		handled++;
		left--;
	}
	depth--;
}

struct regs {
	uint32_t eax, ebx, edx, esi, edi, ebp, eflags;
};

struct regs out; /* named in the asm below: not static */

/*
 * Load a pattern into every register but ecx, set CF PF AF ZF SF OF DF,
 * then spin on `left` using only instructions that touch neither flags
 * nor those registers, until the upcalls have all been handled.
 */
static void spin_under_upcalls(void)
{
	__asm__ volatile("pushl %%ebp\n\t"
			 "pushfl\n\t"
			 "pushl $0x0ed7\n\t"
			 "popfl\n\t"
			 "movl $0xa0a0a0a0, %%eax\n\t"
			 "movl $0xb1b1b1b1, %%ebx\n\t"
			 "movl $0xd3d3d3d3, %%edx\n\t"
			 "movl $0x5e5e5e5e, %%esi\n\t"
			 "movl $0xd1d1d1d1, %%edi\n\t"
			 "movl $0xbebebebe, %%ebp\n\t"
			 "1: movl left, %%ecx\n\t"
			 "jecxz 2f\n\t"
			 "jmp 1b\n\t"
			 "2: pushfl\n\t"
			 "popl out+24\n\t"
			 "movl %%eax, out\n\t"
			 "movl %%ebx, out+4\n\t"
			 "movl %%edx, out+8\n\t"
			 "movl %%esi, out+12\n\t"
			 "movl %%edi, out+16\n\t"
			 "movl %%ebp, out+20\n\t"
			 "popfl\n\t"
			 "popl %%ebp"
			 :
			 :
			 : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory",
			   "cc");
}

static bool send_staggered(struct drake_port *port)
{
	left = UPCALLS;
	handled = 0;
	depth = max_depth = 0;
	for (int i = 0; i < UPCALLS; i++) {
		msgs[i].ticks = 2 + 3 * (uint32_t)i;
		CHECK_EQ(
		    sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]), port),
		    EASYNC);
	}
	return true;
}

static bool registers_survive_upcalls(void)
{
	struct drake_port port;
	port_init(&port, PORT_UPCALL, count_down, 0);
	CHECK(send_staggered(&port));
	double f = 3.5;
	__asm__ volatile("fldl %0" : : "m"(f));
	spin_under_upcalls();
	double g;
	__asm__ volatile("fstpl %0" : "=m"(g));
	CHECK_EQ(handled, UPCALLS);
	CHECK_EQ(out.eax, 0xa0a0a0a0);
	CHECK_EQ(out.ebx, 0xb1b1b1b1);
	CHECK_EQ(out.edx, 0xd3d3d3d3);
	CHECK_EQ(out.esi, 0x5e5e5e5e);
	CHECK_EQ(out.edi, 0xd1d1d1d1);
	CHECK_EQ(out.ebp, 0xbebebebe);
	CHECK_EQ(out.eflags & 0x0cd5, 0x0cd5);
	CHECK(g == f);
	CHECK_EQ(max_depth, 1);
	CHECK_EQ(sys_port.crit, 0);
	return true;
}

/* An upcall arriving while blocked in waitsys: the wait ends with EINTR
 * once the handler has run, and the caller's registers are intact. */
static bool upcall_interrupts_waitsys(void)
{
	struct drake_port up, quiet;
	struct msg_sleep s = {.ms = 100000};
	port_init(&up, PORT_UPCALL, count_down, 0);
	port_init(&quiet, PORT_QUEUE, NULL, 0);
	left = 1;
	handled = 0;
	msgs[0].ticks = 3;
	CHECK_EQ(sys_send_async(&s, CMD_SLEEP, sizeof(s), &quiet), EASYNC);
	CHECK_EQ(sys_send_async(&msgs[0], CMD_TICKS, sizeof(msgs[0]), &up),
		 EASYNC);
	CHECK_EQ(waitsys(&quiet, NULL), EINTR);
	CHECK_EQ(handled, 1);
	CHECK_EQ(sys_abort(&s), 0);
	CHECK_EQ((uint32_t)port_take(&quiet), (uint32_t)&s);
	return true;
}

static volatile int slow_handled;

/* A handler that blocks for a while: returns keep arriving meanwhile. */
static void slow(struct drake_port *port)
{
	if (++depth > max_depth)
		max_depth = depth;
	for (struct drake_msg *m = port_take(port); m; m = port_next(m))
		slow_handled++;
	sys_sleep(30);
	depth--;
}

static bool no_upcall_on_a_running_one(void)
{
	struct drake_port port;
	port_init(&port, PORT_UPCALL, slow, 0);
	depth = max_depth = 0;
	slow_handled = 0;
	for (int i = 0; i < UPCALLS; i++) {
		msgs[i].ticks = 1 + (uint32_t)i;
		CHECK_EQ(
		    sys_send_async(&msgs[i], CMD_TICKS, sizeof(msgs[i]), &port),
		    EASYNC);
	}
	while (slow_handled < UPCALLS)
		sys_sleep(10);
	CHECK_EQ(slow_handled, UPCALLS);
	CHECK_EQ(max_depth, 1);
	CHECK_EQ(sys_port.crit, 0);
	return true;
}

/* The upcall lands on the way out of the very trap that sent the
 * message, whose answer is EASYNC: the caller must still see EASYNC. */
static bool upcall_on_the_sending_trap(void)
{
	struct drake_port port;
	port_init(&port, PORT_UPCALL, count_down, 0);
	for (int i = 0; i < 10; i++) {
		left = 1;
		handled = 0;
		msgs[0].ticks = 0;
		CHECK_EQ(
		    sys_send_async(&msgs[0], CMD_TICKS, sizeof(msgs[0]), &port),
		    EASYNC);
		CHECK_EQ(handled, 1);
	}
	CHECK_EQ(sys_port.crit, 0);
	return true;
}

int main(void)
{
	RUN(upcall_on_the_sending_trap);
	RUN(registers_survive_upcalls);
	RUN(upcall_interrupts_waitsys);
	RUN(no_upcall_on_a_running_one);
	return check_summary();
}
