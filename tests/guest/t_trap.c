/*
 * The int 0x81 trap itself: every register but eax survives each call
 * form, through a raw int 0x81 and through the entry page (its chosen
 * stub, and its sysenter stub when the kernel uses sysenter), and every
 * kind of bad input is refused with its documented error while the
 * task carries on.
 */
#include <drake/entry.h>
#include <drake/string.h>

#include "../check.h"

#define USER_END 0xc0000000u

/* The register state around one int 0x81, captured by trap_capture. */
struct cpu {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags;
	uint32_t ds, es, fs, gs, ss, cs;
};

struct cpu cap_in, cap_before, cap_after;
/* Where trap_capture enters: trap_int_site (a raw int 0x81), or
 * trap_call_site, which calls cap_entry (an entry page stub). */
uint32_t cap_jump, cap_entry;
void trap_int_site(void), trap_call_site(void);

/*
 * Load cap_in into every register (eflags included: CF, PF, AF, ZF, SF,
 * DF and OF set, gs null), record what the CPU holds, trap, record again.
 */
__asm__(".text\n"
	"trap_capture:\n\t"
	"pushl %ebp; pushl %ebx; pushl %esi; pushl %edi\n\t"
	"pushfl\n\t"
	"pushl %gs\n\t"
	"movw $0, %ax; movw %ax, %gs\n\t"
	"pushl cap_in+32; popfl\n\t"
	"movl cap_in+4, %ebx; movl cap_in+16, %esi\n\t"
	"movl cap_in+20, %edi; movl cap_in+24, %ebp\n\t"
	"movl cap_in+0, %eax; movl cap_in+8, %ecx; movl cap_in+12, %edx\n\t"
	"movl %ebx, cap_before+4; movl %ecx, cap_before+8\n\t"
	"movl %edx, cap_before+12; movl %esi, cap_before+16\n\t"
	"movl %edi, cap_before+20; movl %ebp, cap_before+24\n\t"
	"movl %esp, cap_before+28\n\t"
	"pushfl; popl cap_before+32\n\t"
	"movw %ds, cap_before+36; movw %es, cap_before+40\n\t"
	"movw %fs, cap_before+44; movw %gs, cap_before+48\n\t"
	"movw %ss, cap_before+52; movw %cs, cap_before+56\n\t"
	"jmp *cap_jump\n"
	"trap_int_site:\n\t"
	"int $0x81\n\t"
	"jmp 1f\n"
	"trap_call_site:\n\t"
	"call *cap_entry\n"
	"1:\n\t"
	"movl %esp, cap_after+28\n\t"
	"pushfl; popl cap_after+32\n\t"
	"cld\n\t"
	"movl %eax, cap_after+0; movl %ebx, cap_after+4\n\t"
	"movl %ecx, cap_after+8; movl %edx, cap_after+12\n\t"
	"movl %esi, cap_after+16; movl %edi, cap_after+20\n\t"
	"movl %ebp, cap_after+24\n\t"
	"movw %ds, cap_after+36; movw %es, cap_after+40\n\t"
	"movw %fs, cap_after+44; movw %gs, cap_after+48\n\t"
	"movw %ss, cap_after+52; movw %cs, cap_after+56\n\t"
	"popl %gs\n\t"
	"popfl\n\t"
	"popl %edi; popl %esi; popl %ebx; popl %ebp\n\t"
	"ret\n");
void trap_capture(void);

#define TEST_FLAGS 0x0ed7u /* CF PF AF ZF SF IF DF OF + reserved bit 1 */

static bool entry_is_sysenter(void)
{
	return *(volatile uint32_t *)DRAKE_ENTRY_KIND ==
	       DRAKE_ENTRY_KIND_SYSENTER;
}

/* Trap with eax/ecx/edx as given and every other register set to a
 * pattern; returns eax and fails the caller's test if anything else
 * changed. */
static bool trap_preserves_once(uint32_t eax, uint32_t ecx, uint32_t edx,
				uint32_t *result)
{
	cap_in = (struct cpu){.eax = eax,
			      .ebx = 0xb0b0b0b0,
			      .ecx = ecx,
			      .edx = edx,
			      .esi = 0x51515151,
			      .edi = 0xd1d1d1d1,
			      .ebp = 0xbebebebe,
			      .eflags = TEST_FLAGS};
	trap_capture();
	*result = cap_after.eax;
	const uint32_t *b = &cap_before.ebx, *a = &cap_after.ebx;
	static const char *const names[] = {
	    "ebx",    "ecx", "edx", "esi", "edi", "ebp", "esp",
	    "eflags", "ds",  "es",  "fs",  "gs",  "ss",	 "cs"};
	for (int i = 0; i < 14; i++) {
		if (a[i] != b[i]) {
			printf("  %s changed: %08x -> %08x\n", names[i], b[i],
			       a[i]);
			return false;
		}
	}
	CHECK_EQ(cap_before.ebx, 0xb0b0b0b0);
	CHECK_EQ(cap_before.eflags & 0xcd5, TEST_FLAGS & 0xcd5);
	CHECK_EQ(cap_before.gs, 0);
	return true;
}

/* The same through each way in; every one must give the same eax. */
static bool trap_preserves(uint32_t eax, uint32_t ecx, uint32_t edx,
			   uint32_t *result)
{
	static const char *const ways[] = {"int 0x81", "DRAKE_ENTRY_CALL",
					   "DRAKE_ENTRY_INT",
					   "DRAKE_ENTRY_SYSENTER"};
	const uint32_t entries[] = {0, DRAKE_ENTRY_CALL, DRAKE_ENTRY_INT,
				    DRAKE_ENTRY_SYSENTER};
	int n = entry_is_sysenter() ? 4 : 3;
	for (int i = 0; i < n; i++) {
		uint32_t r;
		cap_entry = entries[i];
		cap_jump = (uint32_t)(i ? trap_call_site : trap_int_site);
		if (!trap_preserves_once(eax, ecx, edx, &r)) {
			printf("  (through %s)\n", ways[i]);
			return false;
		}
		CHECK(i == 0 || r == *result);
		*result = r;
	}
	return true;
}

static struct drake_msg nop_msg(void)
{
	return (struct drake_msg){.cmd = CMD_NOP,
				  .size = sizeof(struct drake_msg)};
}

static bool regs_sendsys(void)
{
	struct drake_msg m = nop_msg();
	uint32_t r;
	CHECK(trap_preserves((uint32_t)&sys_port, (uint32_t)&m, sizeof(m), &r));
	CHECK_EQ(r, 0);
	CHECK(m.flags & MSGF_DONE);
	return true;
}

static bool regs_sendsys_error(void)
{
	struct drake_msg m = nop_msg();
	uint32_t r;
	CHECK(trap_preserves((uint32_t)&sys_port, (uint32_t)&m, 8, &r));
	CHECK_EQ(r, EMSGSIZE);
	CHECK(trap_preserves(0x100, (uint32_t)&m, sizeof(m), &r));
	CHECK_EQ(r, EFAULT);
	return true;
}

static bool regs_waitsys(void)
{
	struct drake_msg m = nop_msg();
	uint32_t r;
	CHECK_EQ(sendsys(&sys_port, &m, sizeof(m)), 0);
	CHECK(trap_preserves(0, (uint32_t)&m, 0, &r));
	CHECK_EQ(r, 0);
	return true;
}

static bool regs_flushsys(void)
{
	uint32_t r;
	CHECK(trap_preserves(0, 0, 0, &r));
	CHECK_EQ(r, 0);
	return true;
}

/* Send raw: the message untouched by libsys. */
static int raw_send(void *port, void *msg, uint32_t size)
{
	return sendsys(port, msg, size);
}

static bool bad_message_pointers(void)
{
	CHECK_EQ(raw_send(&sys_port, NULL, 32), EFAULT);
	CHECK_EQ(raw_send(&sys_port, (void *)0x100000, 32), EFAULT);
	CHECK_EQ(raw_send(&sys_port, (void *)0x80000000, 32), EFAULT);
	/* the top of the stack is mapped: only the range check stops it */
	struct drake_msg *top = (struct drake_msg *)(USER_END - 16);
	CHECK_EQ(raw_send(&sys_port, top, 32), EFAULT);
	CHECK_EQ(raw_send(&sys_port, (void *)0xfffffff0u, 32), EFAULT);
	return true;
}

static bool bad_message_sizes(void)
{
	struct drake_msg m = nop_msg();
	CHECK_EQ(raw_send(&sys_port, &m, 16), EMSGSIZE); /* below header */
	CHECK_EQ(raw_send(&sys_port, &m, MSG_MAX_SIZE + 4), EMSGSIZE);
	CHECK_EQ(raw_send(&sys_port, &m, 36), EMSGSIZE); /* not NOP's size */
	m.size = 40;
	CHECK_EQ(raw_send(&sys_port, &m, 32), EMSGSIZE); /* header disagrees */
	CHECK_EQ(m.flags, 0); /* refused: never touched */
	/* size 0 is waitsys; this message was never sent */
	CHECK_EQ(raw_send(NULL, &m, 0), ENOMSG); /* waitsys(0, never sent) */
	struct msg_write w = {.hdr = {.cmd = CMD_WRITE, .size = 32}};
	CHECK_EQ(raw_send(&sys_port, &w, 32), EMSGSIZE); /* write is 40 */
	return true;
}

static bool unknown_command(void)
{
	struct drake_msg m = nop_msg();
	m.cmd = 999;
	m.error = 12345;
	CHECK_EQ(raw_send(&sys_port, &m, sizeof(m)), ENOSYS);
	CHECK_EQ(m.error, 12345);
	m.cmd = CMD_COUNT;
	CHECK_EQ(raw_send(&sys_port, &m, sizeof(m)), ENOSYS);
	return true;
}

static bool bad_write_buffers(void)
{
	CHECK_EQ(sys_write((void *)0x100000, 4), -EFAULT);
	CHECK_EQ(sys_write((void *)0x80000000, 4), -EFAULT);
	CHECK_EQ(sys_write((void *)(USER_END - 2), 4), -EFAULT);
	CHECK_EQ(sys_write("ok\n", 3), 3);
	return true;
}

static bool bad_system_ports(void)
{
	struct drake_msg m = nop_msg();
	struct drake_sysport old = {.version = DRAKE_ABI_VERSION + 1};
	CHECK_EQ(raw_send(NULL, &m, sizeof(m)), EFAULT);
	CHECK_EQ(raw_send((void *)0x100000, &m, sizeof(m)), EFAULT);
	CHECK_EQ(raw_send((void *)0x80000000, &m, sizeof(m)), EFAULT);
	CHECK_EQ(raw_send(&old, &m, sizeof(m)), EVERSION);
	CHECK_EQ(m.flags, 0);
	CHECK_EQ(raw_send(&sys_port, &m, sizeof(m)), 0);
	return true;
}

static const struct drake_msg readonly_msg = {.cmd = CMD_NOP,
					      .size = sizeof(struct drake_msg)};

static bool readonly_message(void)
{
	CHECK_EQ(raw_send(&sys_port, (void *)&readonly_msg, 32), EFAULT);
	CHECK_EQ(readonly_msg.flags, 0);
	return true;
}

static bool bad_spawn_strings(void)
{
	char longname[64];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[63] = 0;
	CHECK_EQ(sys_spawn(longname, ""), -E2BIG);
	CHECK_EQ(sys_spawn("no-such-program", ""), -ENOENT);
	struct msg_spawn s = {.name = 0x100000, .namelen = 4};
	CHECK_EQ(sys_send(&s, CMD_SPAWN, sizeof(s)), EFAULT);
	CHECK_EQ(s.hdr.error, EFAULT); /* accepted, then failed: recorded */
	return true;
}

/*
 * sysenter keeps TF: a call that sets it just before sysenter (popf
 * delays the trap by one instruction) takes a single-step trap at the
 * kernel's first instruction. The kernel must step on (without TF), not
 * panic, and return through the landing pad as usual.
 */
__asm__(".text\n"
	"sysenter_with_tf:\n\t"
	"pushl %ebp; pushl %edx; pushl %ecx\n\t"
	"movl %esp, %ebp\n\t"
	"pushfl; orl $0x100, (%esp); popfl\n\t"
	"sysenter\n");
void sysenter_with_tf(void);

static bool sysenter_traced(void)
{
	if (!entry_is_sysenter()) {
		printf("  (the kernel uses int 0x81: nothing to test)\n");
		return true;
	}
	struct drake_msg m = nop_msg();
	uint32_t r, flags;
	__asm__ volatile("call sysenter_with_tf\n\t"
			 "pushfl\n\t"
			 "popl %1"
			 : "=a"(r), "=r"(flags)
			 : "a"(&sys_port), "c"(&m), "d"(sizeof(m))
			 : "memory", "cc");
	CHECK_EQ(r, 0);
	CHECK(m.flags & MSGF_DONE);
	CHECK_EQ(flags & 0x100, 0);
	return true;
}

/* The entry page: its kind word names one of the two entries, and the
 * chosen stub answers like a raw int 0x81. */
static bool entry_page(void)
{
	uint32_t kind = *(volatile uint32_t *)DRAKE_ENTRY_KIND;
	CHECK(kind == DRAKE_ENTRY_KIND_INT ||
	      kind == DRAKE_ENTRY_KIND_SYSENTER);
	struct drake_msg m = nop_msg();
	CHECK_EQ(sendsys(&sys_port, &m, sizeof(m)), 0);
	CHECK(m.flags & MSGF_DONE);
	printf("  entry page kind %u (%s)\n", kind,
	       kind ? "sysenter" : "int 0x81");
	return true;
}

int main(void)
{
	RUN(entry_page);
	RUN(sysenter_traced);
	RUN(regs_sendsys);
	RUN(regs_sendsys_error);
	RUN(regs_waitsys);
	RUN(regs_flushsys);
	RUN(bad_message_pointers);
	RUN(bad_message_sizes);
	RUN(unknown_command);
	RUN(bad_write_buffers);
	RUN(bad_system_ports);
	RUN(readonly_message);
	RUN(bad_spawn_strings);
	return check_summary();
}
