/*
 * Hostile review 3: the newest code. The sysenter entry (a task may
 * execute sysenter itself, anywhere, with any registers), the message
 * fast path (every check of the slow path must hold there too), BATCH
 * and the tables behind them. Each test checks a promise of
 * docs/abi.md from the outside; `t_hostile3 MODE` is a child that does
 * something fatal, so the parent can look at how it ended.
 */
#include <drake/entry.h>
#include <drake/fmt.h>
#include <drake/string.h>

#include "../check.h"

#define PAGE 4096u

static bool entry_is_sysenter(void)
{
	return *(volatile uint32_t *)DRAKE_ENTRY_KIND ==
	       DRAKE_ENTRY_KIND_SYSENTER;
}

static void hdr(void *m, uint16_t cmd, uint32_t size)
{
	memset(m, 0, size);
	struct drake_msg *h = m;
	h->cmd = cmd;
	h->size = size;
}

/* A page boundary with the page below it mapped (heap) and the one
 * above it never mapped: the break is raised to it and never beyond. */
static uint32_t heap_edge(void)
{
	uint32_t now;
	if (sys_brk(0, &now))
		return 0;
	uint32_t edge = ((now + PAGE - 1) & ~(PAGE - 1)) + PAGE;
	if (sys_brk(edge, &now) || now != edge)
		return 0;
	return edge;
}

/*
 * abi.md, *Refused and accepted messages*, check 3: "the whole message,
 * size bytes at msg, is readable user memory (else EFAULT)", and a
 * refused message "is not written at all". msg_fast (kernel/msg.c)
 * loads only the words at offsets 0 and 20 and stores offsets 0..15, so
 * a 32-byte NOP or GETTID whose last 8 bytes (24..31) lie on an unmapped
 * page is answered, and written, where msg_sendsys' copyin refuses it
 * with EFAULT. With the message 20 bytes below the edge (the size word
 * itself unmapped) the fast path falls through and EFAULT comes back:
 * the same message, two answers.
 */
static bool fast_path_reads_whole_message(void)
{
	uint32_t edge = heap_edge();
	CHECK(edge);
	/* the page above the edge really is unmapped */
	CHECK_EQ(sys_write((void *)edge, 1), -EFAULT);
	struct drake_msg *m20 = (struct drake_msg *)(edge - 20);
	memset(m20, 0, 20);
	m20->cmd = CMD_NOP; /* size is beyond the edge: cannot be set */
	CHECK_EQ(sendsys(&sys_port, m20, 32), EFAULT);
	CHECK_EQ(m20->flags, 0);
	for (uint32_t off = 24; off <= 28; off += 4) {
		struct drake_msg *m = (struct drake_msg *)(edge - off);
		memset(m, 0, off);
		m->cmd = CMD_GETTID;
		m->size = 32;
		int r = sendsys(&sys_port, m, 32);
		printf("  GETTID %u bytes below an unmapped page: %d (%s), "
		       "flags 0x%x result %u\n",
		       off, r, strerror(r), m->flags, (uint32_t)m->result);
		CHECK_EQ(r, EFAULT);
		CHECK_EQ(m->flags, 0);
		CHECK_EQ(m->result, 0);
	}
	return true;
}

/* The fast path's other edges agree with the slow path: a message in
 * read-only memory (the program's text) runs and says EFAULT; one
 * straddling two mapped pages is answered; a port that is the message
 * (its first word is cmd 2, EXIT, of the wrong size) is refused. */
static const struct drake_msg ro_gettid = {.cmd = CMD_GETTID, .size = 32};

static bool fast_path_edges_agree(void)
{
	CHECK_EQ(sendsys(&sys_port, (void *)&ro_gettid, 32), EFAULT);
	CHECK_EQ(ro_gettid.flags, 0);
	uint32_t edge = heap_edge();
	CHECK(edge);
	CHECK(!sys_brk(edge + PAGE, NULL));
	for (uint32_t off = 1; off < 32; off += 3) {
		struct drake_msg *m = (struct drake_msg *)(edge - off);
		hdr(m, CMD_GETTID, 32);
		CHECK_EQ(sendsys(&sys_port, m, 32), 0);
		CHECK(m->flags & MSGF_DONE);
		CHECK_EQ(m->result, (uint64_t)sys_gettid());
	}
	static uint32_t both[8];
	both[0] = DRAKE_ABI_VERSION;
	both[5] = 32;
	CHECK_EQ(sendsys((struct drake_sysport *)both, both, 32), EMSGSIZE);
	CHECK_EQ(both[1], 0);
	return true;
}

/*
 * abi.md, *The trap*: every register but eax is preserved, eflags with
 * it; *The entry page* makes only TF an exception for sysenter. DF, AC
 * and NT set around a call through the stub come back, both on the
 * sysexit return (a fast-path GETTID) and on the iret one (an
 * asynchronous TICKS 0, returned on the way out, makes the exit take
 * the long way).
 */
#define FL_DF 0x400u
#define FL_AC 0x40000u
#define FL_NT 0x4000u

uint32_t flags_set, flags_after; /* named in the asm below */

/* eax, ecx, edx for the call; the entry in ebx; flags_set around it. */
static uint32_t call_with_flags(uint32_t entry, void *m, uint32_t size,
				uint32_t set, uint32_t *after)
{
	uint32_t r;
	flags_set = set;
	__asm__ volatile("pushfl\n\t"
			 "movl flags_set, %%esi\n\t"
			 "orl %%esi, (%%esp)\n\t"
			 "popfl\n\t"
			 "call *%%ebx\n\t"
			 "pushfl\n\t"
			 "popl flags_after\n\t"
			 "pushfl\n\t"
			 "orl $0x100, %%esi\n\t"
			 "notl %%esi\n\t"
			 "andl %%esi, (%%esp)\n\t"
			 "popfl"
			 : "=a"(r), "+c"(m), "+d"(size), "+b"(entry)
			 : "a"(&sys_port)
			 : "esi", "memory", "cc");
	*after = flags_after;
	return r;
}

static bool entry_keeps_flags(void)
{
	static const uint32_t sets[] = {FL_DF, FL_AC, FL_NT,
					FL_DF | FL_AC | FL_NT};
	uint32_t entries[2] = {DRAKE_ENTRY_INT, DRAKE_ENTRY_SYSENTER};
	int n = entry_is_sysenter() ? 2 : 1;
	for (int e = 0; e < n; e++) {
		for (unsigned i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
			struct drake_msg g;
			struct msg_ticks t;
			uint32_t after;
			hdr(&g, CMD_GETTID, 32);
			CHECK_EQ(call_with_flags(entries[e], &g, 32, sets[i],
						 &after),
				 0);
			CHECK_EQ(after & sets[i], sets[i]);
			CHECK_EQ(g.result, (uint64_t)sys_gettid());
			hdr(&t, CMD_TICKS, sizeof(t));
			t.hdr.flags = MSGF_ASYNC;
			CHECK_EQ(call_with_flags(entries[e], &t, sizeof(t),
						 sets[i], &after),
				 EASYNC);
			CHECK_EQ(after & sets[i], sets[i]);
			CHECK(t.hdr.flags & MSGF_DONE);
		}
	}
	return true;
}

/*
 * A sysenter made anywhere but the stub "still returns to the landing
 * pad" (abi.md): with ebp pointing at [ecx, edx, ebp, return address]
 * the call works like the stub's. With garbage in ebp the kernel must
 * record it as the user esp and carry on: the landing pad's pop then
 * faults in user mode and kills the task (#PF), and nothing panics.
 */
__asm__(".text\n"
	"stray_sysenter:\n\t" /* eax, ecx, edx as sendsys; esi = ebp */
	"pushl %ebp; pushl %edx; pushl %ecx\n\t"
	"movl %esp, %ebp\n\t"
	"testl %esi, %esi\n\t"
	"jz 1f\n\t"
	"movl %esi, %ebp\n"
	"1:\tnop; nop; nop\n\t"
	"sysenter\n\t"
	"ud2\n");
void stray_sysenter(void);

static int stray(uint32_t ebp, void *m, uint32_t size)
{
	int r;
	__asm__ volatile("call stray_sysenter"
			 : "=a"(r)
			 : "a"(&sys_port), "c"(m), "d"(size), "S"(ebp)
			 : "memory", "cc");
	return r;
}

static bool stray_sysenter_lands(void)
{
	if (!entry_is_sysenter()) {
		printf("  (the kernel uses int 0x81: nothing to test)\n");
		return true;
	}
	struct drake_msg g;
	hdr(&g, CMD_GETTID, 32);
	CHECK_EQ(stray(0, &g, 32), 0);
	CHECK_EQ(g.result, (uint64_t)sys_gettid());
	struct msg_sleep s;
	hdr(&s, CMD_SLEEP, sizeof(s));
	s.ms = 20; /* blocks: the task is switched out and back */
	CHECK_EQ(stray(0, &s, sizeof(s)), 0);
	CHECK(s.hdr.flags & MSGF_DONE);
	return true;
}

static struct drake_port uport;
static volatile int upcalls;
static void on_return(struct drake_port *p)
{
	port_take(p);
	upcalls++;
}

/* The child: a sysenter with garbage ebp (args: mode, ebp in hex). */
static int child(const char *mode, uint32_t ebp)
{
	static struct drake_msg g;
	static struct msg_ticks t;
	hdr(&g, CMD_GETTID, 32);
	if (!strcmp(mode, "srv")) {
		/* a server whose every reply says EINTR */
		int id = svc_create(0);
		for (;;) {
			static char buf[64];
			uint32_t h, client;
			if (svc_receive((uint32_t)id, buf, sizeof(buf), &h,
					&client))
				return 98;
			svc_reply(h, EINTR, 0, NULL, 0);
		}
	}
	if (!strcmp(mode, "nop"))
		stray(ebp, &g, 32);
	else if (!strcmp(mode, "upcall")) {
		/* a returned message owes an upcall on the way out: the
		 * kernel must push its frame below the garbage esp */
		port_init(&uport, PORT_UPCALL, on_return, 0);
		hdr(&t, CMD_TICKS, sizeof(t));
		t.hdr.flags = MSGF_ASYNC;
		t.hdr.reply = (drake_uaddr)&uport;
		stray(ebp, &t, sizeof(t));
	} else if (!strcmp(mode, "kill")) {
		static struct msg_kill k;
		hdr(&k, CMD_KILL, sizeof(k));
		k.tid = (uint32_t)sys_gettid();
		k.signo = SIGTERM;
		stray(ebp, &k, sizeof(k));
	}
	return 99; /* never: the landing pad cannot pop from there */
}

static uint32_t parse_hex(const char *s)
{
	uint32_t v = 0;
	for (; *s; s++)
		v = v * 16 +
		    (uint32_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
	return v;
}

static bool garbage_ebp(void)
{
	if (!entry_is_sysenter()) {
		printf("  (the kernel uses int 0x81: nothing to test)\n");
		return true;
	}
	static const char *const modes[] = {"nop", "upcall", "kill"};
	static const char *const ebps[] = {"100000",   "bffef000", "fffffff0",
					   "c0000000", "4",	   "bfffffff"};
	for (unsigned i = 0; i < 3; i++) {
		for (unsigned j = 0; j < 6; j++) {
			char args[40];
			fmt_snprintf(args, sizeof(args), "%s %s", modes[i],
				     ebps[j]);
			int tid = sys_spawn("t_hostile3", args);
			CHECK(tid > 0);
			int status = 0;
			CHECK_EQ(sys_wait(tid, &status), 0);
			printf("  %s ebp=%s: status %d\n", modes[i], ebps[j],
			       status);
			CHECK(status != 99 && status != 0);
		}
	}
	return true;
}

/*
 * abi.md, *Batches*: "A synchronous entry that is interrupted (EINTR: an
 * upcall became deliverable while it waited) ends the batch"; every
 * other entry is sent in order. svc_batch (kernel/svc_msg.c) stops on
 * any accepted entry whose error is EINTR, so a request a server
 * merely *answers* with EINTR (REPLY allows any error but EASYNC), with
 * no upcall anywhere, ends the batch: the NOP after it stays
 * BATCH_UNSENT and BATCH says 1 accepted instead of 2.
 */
static bool batch_reply_eintr_is_not_interrupt(void)
{
	int tid = sys_spawn("t_hostile3", "srv 0");
	CHECK(tid > 0);
	int id = 0;
	for (int tries = 0; !id && tries < 200; tries++) {
		/* ids are a generation above an 8-bit slot (service.c) */
		for (int i = 0x100; i < 0x1000 && !id; i++)
			if (svc_owner((uint32_t)i) == tid)
				id = i;
		if (!id)
			sys_sleep(5);
	}
	CHECK(id);
	static struct drake_svcport sp;
	static struct drake_request req;
	static struct drake_msg nop;
	static struct drake_batch_entry e[2];
	svc_port_init(&sp, (uint32_t)id);
	msg_init(&req, 1, sizeof(req), 0, NULL);
	hdr(&nop, CMD_NOP, 32);
	e[0] = (struct drake_batch_entry){.port = (drake_uaddr)&sp,
					  .msg = (drake_uaddr)&req,
					  .size = sizeof(req)};
	e[1] = (struct drake_batch_entry){.msg = (drake_uaddr)&nop, .size = 32};
	int n = sys_batch(e, 2);
	printf("  accepted %d; entry 0: state %u error %d; entry 1: state "
	       "%u error %d\n",
	       n, e[0].state, e[0].error, e[1].state, e[1].error);
	sys_kill(tid, SIGKILL);
	int status;
	sys_wait(tid, &status);
	CHECK_EQ(e[0].state, BATCH_ACCEPTED);
	CHECK_EQ(e[0].error, EINTR);
	CHECK_EQ(e[1].state, BATCH_ACCEPTED);
	CHECK_EQ(n, 2);
	CHECK(nop.flags & MSGF_DONE);
	return true;
}

int main(int argc, char **argv)
{
	if (argc > 2)
		return child(argv[1], parse_hex(argv[2]));
	RUN(fast_path_edges_agree);
	RUN(entry_keeps_flags);
	RUN(stray_sysenter_lands);
	RUN(garbage_ebp);
	RUN(fast_path_reads_whole_message);
	RUN(batch_reply_eintr_is_not_interrupt);
	return check_summary();
}
