/*
 * An upcall handler's x87 state is its own, faulty or not. Each handler
 * here unmasks the zero-divide exception, divides by zero and returns
 * with the exception still pending (no further x87 instruction would
 * raise it), so the kernel discards that state while it is armed. The
 * interrupted context must then resume with its own x87 state: the
 * value it kept on the register stack, its control word, clean status.
 *
 * QEMU's TCG never raises #MF in ring 0, so this program also runs under
 * Bochs (tests/bochs.list), which does.
 */
#include "../check.h"

#define MAIN_CW	   0x0f7fu /* all masked, round toward zero, 64-bit */
#define HANDLER_CW 0x037bu /* fninit's 0x037f with ZE (bit 2) unmasked */
#define SW_FLAGS   0x00bfu /* IE DE ZE OE UE PE SF ES */

static volatile uint32_t upcalls;
static volatile uint16_t handler_cw_at_entry;

/* Leave a zero-divide pending: ZE and ES set, #MF owed to the next
 * waiting x87 instruction, which never comes. */
static void divide_by_zero_unmasked(void)
{
	uint16_t cw, unmasked = HANDLER_CW;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	handler_cw_at_entry = cw;
	__asm__ volatile("fldcw %0\n\t"
			 "fld1\n\t"
			 "fldz\n\t"
			 "fdivrp %%st, %%st(1)" /* 1.0 / 0.0 */
			 :
			 : "m"(unmasked));
	upcalls++;
}

static void on_signal(uint32_t bits, uint32_t count, uint32_t addr,
		      uint32_t sender)
{
	(void)sender;
	(void)bits;
	(void)count;
	(void)addr;
	divide_by_zero_unmasked();
}

static void on_timer(uint32_t expiry, uint32_t due, uint32_t count)
{
	(void)expiry;
	(void)due;
	(void)count;
	divide_by_zero_unmasked();
}

struct fpu_seen {
	double value;
	uint16_t cw, sw;
};

/* Give this context its own x87 state: a value on the register stack
 * and a control word that is not fninit's. */
static void fpu_enter(const double *v)
{
	uint16_t cw = MAIN_CW;
	__asm__ volatile("fninit\n\t"
			 "fldcw %0\n\t"
			 "fldl %1"
			 :
			 : "m"(cw), "m"(*v));
}

/* The first x87 instructions after the upcall: a leaked pending
 * exception would fault right here (fnstcw/fnstsw do not wait, fstpl
 * does). */
static void fpu_leave(struct fpu_seen *s)
{
	__asm__ volatile("fnstcw %0\n\t"
			 "fnstsw %1"
			 : "=m"(s->cw), "=m"(s->sw));
	__asm__ volatile("fstpl %0" : "=m"(s->value));
}

static bool check_state(const struct fpu_seen *s, double want)
{
	CHECK(s->value == want);
	CHECK_EQ(s->cw, MAIN_CW);
	CHECK_EQ(s->sw & SW_FLAGS, 0);
	CHECK_EQ(handler_cw_at_entry, 0x037f);
	return true;
}

/* The upcall comes on the way out of the KILL message. */
static bool signal_handler_fault_stays_in_handler(void)
{
	static const double v = 2.71828125;
	struct fpu_seen s;
	upcalls = 0;
	int h = signal_catch(SIGBIT(SIGUSR1), on_signal);
	CHECK(h >= 0);
	fpu_enter(&v);
	int err = sys_kill(sys_gettid(), SIGUSR1);
	while (!upcalls)
		;
	fpu_leave(&s);
	CHECK_EQ(err, 0);
	CHECK_EQ(upcalls, 1);
	CHECK_EQ(live_stop(h), 0);
	return check_state(&s, v);
}

/* The upcall comes on the way out of a timer interrupt, in user code
 * that makes no call at all. */
static bool timer_handler_fault_stays_in_handler(void)
{
	static const double v = -1.5e10;
	struct fpu_seen s;
	upcalls = 0;
	fpu_enter(&v);
	int h = timer_start(20, 0, on_timer);
	while (!upcalls)
		;
	fpu_leave(&s);
	CHECK(h >= 0);
	CHECK_EQ(upcalls, 1);
	live_stop(h);
	return check_state(&s, v);
}

int main(void)
{
	RUN(signal_handler_fault_stays_in_handler);
	RUN(timer_handler_fault_stays_in_handler);
	return check_summary();
}
