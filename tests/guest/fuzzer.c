/*
 * A fuzz child (tests/guest/fuzz.c is the driver that runs it):
 * `fuzzer run SEED BUDGET BYSTANDER SKIP` makes BUDGET raw int 0x81 calls
 * (half of them through the entry page's sysenter stub instead, when the
 * kernel uses sysenter), every register and message byte drawn from a
 * xorshift PRNG seeded with SEED, and exits with the number of calls it
 * made. Mostly well-formed
 * messages with random fields (so they get past the header checks), some
 * waitsys and flushsys, some pure garbage registers. SKIP is a mask of
 * commands sent as NOP instead (exploration only). Started any other way
 * (a fuzz child spawning "fuzzer" with garbage) it exits at once.
 *
 * It never blocks for long on purpose: synchronous SLEEP and TICKS are
 * short, a synchronous READ asks for nothing or points where the kernel
 * must refuse it, a waitsys on a port first sends an "alarm" TICKS to
 * that port, and a waitsys on a message only picks one that is short or
 * was never held for long. So a child that stalls is the kernel's fault.
 *
 * This program holds no PASS/FAIL/SUMMARY text: wherever a bogus upcall
 * makes it jump, it cannot forge the driver's verdict.
 */
#include <drake/entry.h>
#include <drake/string.h>
#include <drake/sys.h>

#include "fuzzargs.h"

int main(int argc, char **argv);

/* --- the PRNG --------------------------------------------------------- */

static uint32_t rs = 1;

static inline uint32_t rnd(void)
{
	uint32_t x = rs;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rs = x;
}

static inline uint32_t below(uint32_t n)
{
	return rnd() % n;
}

/* True one time in n. */
static inline int one_in(uint32_t n)
{
	return below(n) == 0;
}

/* --- the fuzz child --------------------------------------------------- */

#define ARENA_SIZE (64 * 1024)
#define NSLOTS	   48
#define SLOT_SIZE  256
#define NPORTS	   8
#define NSYSPORTS  4
#define TEXT_OFF   16384
#define TEXT_SIZE  8192
#define SCRATCH	   24576
#define RING	   32

/*
 * Everything the kernel may write lives in the arena: message slots,
 * reply ports, system ports, WRITE text, buffers. The child's own state
 * (below) is never handed to the kernel, so a kernel write can corrupt
 * only what the fuzzer treats as garbage anyway.
 */
static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
#define SLOT(i)	 (arena + (i)*SLOT_SIZE)
#define PORTS	 ((struct drake_port *)(arena + NSLOTS * SLOT_SIZE))
#define SYSPORTS ((struct drake_sysport *)(PORTS + NPORTS))
#define ALARM(i) (arena + NSLOTS * SLOT_SIZE + 512 + (i)*SLOT_SIZE)
/* A BATCH's list. */
#define LIST	 ((struct drake_batch_entry *)ALARM(3))
#define LIST_MAX 100

static uint32_t calls, self_tid, bystander_tid, skip_mask;
static uint32_t heap_start, heap_mapped_end;
static uint32_t good_entry;
static uint32_t ring[RING];	    /* addresses of accepted async sends */
static uint32_t kids[8];	    /* tids this child spawned */
static uint32_t short_addr[NSLOTS]; /* slot's message in flight, short */
static uint8_t tainted[NSLOTS];	    /* a long message was ever in flight here */
static volatile uint32_t upcalls;
static uint32_t my_service, last_handle; /* from SERVICE and RECEIVE */
static bool own_names;			 /* we claimed SERVICE_NAMES */

static const uint32_t cmd_size[CMD_COUNT] = {
#define CMD_SIZE(num, NAME, name, type, fields) [num] = sizeof(type),
    DRAKE_COMMANDS(CMD_SIZE)
#undef CMD_SIZE
};

static bool have_sysenter;

static inline uint32_t trap(uint32_t a, uint32_t c, uint32_t d)
{
	uint32_t r;
	if (have_sysenter && one_in(2))
		__asm__ volatile("call %P4"
				 : "=a"(r)
				 : "a"(a), "c"(c), "d"(d),
				   "i"(DRAKE_ENTRY_SYSENTER)
				 : "memory", "cc");
	else
		__asm__ volatile("int $0x81"
				 : "=a"(r)
				 : "a"(a), "c"(c), "d"(d)
				 : "memory", "cc");
	calls++;
	return r;
}

static void good_handler(struct drake_port *p)
{
	(void)p;
	upcalls++;
}

/* An address the kernel must refuse (or that straddles into refusal). */
static uint32_t ptr_bad(void)
{
	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return below(0x40000000);
	case 2:
		return 0x100000 + below(0x10000); /* the kernel image */
	case 3:
		return 0x40000000 - 1 - below(64); /* kernel -> user */
	case 4:
		return 0xc0000000 - 1 - below(64); /* user end */
	case 5:
		return 0xc0000000 + below(0x1000);
	case 6:
		return 0xfffffff0 + below(16); /* wraps */
	case 7:
		return 0xbffef000 + below(0x1000); /* stack guard page */
	case 8:
		return 0xbfff0000 - 1 - below(64); /* guard -> stack */
	case 9:
		return heap_mapped_end - 1 - below(64); /* heap -> unmapped */
	case 10:
		return 0x60000000 + (rnd() & 0x3ffffff); /* never mapped */
	default:
		return rnd();
	}
}

/* An address where no 4 bytes are readable user memory. */
static uint32_t ptr_refused(void)
{
	switch (below(6)) {
	case 0:
		return below(0x40000000);
	case 1:
		return 0xc0000000 - 1 - below(3); /* straddles the end */
	case 2:
		return 0xc0000000 + below(0x3fff0000);
	case 3:
		return 0xbffef000 + below(0xffd); /* stack guard page */
	case 4:
		return 0x60000000 + (rnd() & 0x3ffffff); /* never mapped */
	default:
		return 0;
	}
}

/* Any address: mostly valid user memory, sometimes not. */
static uint32_t ptr_any(void)
{
	switch (below(10)) {
	case 0:
	case 1:
	case 2:
		return (uint32_t)(arena + SCRATCH +
				  below(ARENA_SIZE - SCRATCH - 64));
	case 3:
		return (uint32_t)SLOT(below(NSLOTS)) +
		       (one_in(4) ? below(4) : 0);
	case 4:
		return (uint32_t)main + below(256); /* read-only text */
	case 5:
		return (uint32_t)(arena + below(ARENA_SIZE));
	default:
		return ptr_bad();
	}
}

static uint32_t tid_any(void)
{
	switch (below(16)) {
	case 0:
		return self_tid;
	case 1:
		return 0;
	case 2:
	case 3:
		return 1; /* the driver */
	case 4:
	case 5:
		return bystander_tid;
	case 6:
	case 7:
	case 8:
		return kids[below(8)];
	case 9:
		return rnd();
	default:
		return below(80);
	}
}

static uint32_t target_any(void)
{
	switch (below(10)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
		return ring[below(RING)];
	case 5:
	case 6:
		return (uint32_t)SLOT(below(NSLOTS));
	default:
		return ptr_any();
	}
}

static struct drake_port *port_any(void)
{
	return &PORTS[below(NPORTS)];
}

/* The system port for eax. */
static uint32_t sysport_any(void)
{
	uint32_t r = below(100);
	if (r < 75)
		return (uint32_t)&sys_port;
	if (r < 95)
		return (uint32_t)&SYSPORTS[below(NSYSPORTS)];
	if (r < 98)
		return ptr_bad();
	return ptr_any();
}

/* Reset or scramble a reply port (no call). */
static void port_scramble(struct drake_port *p)
{
	uint32_t r = below(20);
	p->mode = r < 17 ? r % 4 : (r == 17 ? 4 + below(4) : rnd());
	p->handler = one_in(16) ? ptr_any() : (uint32_t)good_handler;
	p->timeout_ms = below(4) ? below(30) : rnd();
}

static void sysport_scramble(int i)
{
	struct drake_sysport *s = &SYSPORTS[i];
	s->version = DRAKE_ABI_VERSION;
	s->crit = 0;
	s->pending = 0;
	s->upcall_entry = good_entry;
	switch (i) {
	case 1: /* in a critical section */
		s->crit = one_in(4) ? rnd() : 1 + below(3);
		s->pending = below(2);
		break;
	case 2: /* wrong version */
		s->version = one_in(2) ? DRAKE_ABI_VERSION + 1 : rnd();
		break;
	case 3: /* bogus upcall entry */
		s->upcall_entry = one_in(2) ? ptr_any() : ptr_bad();
		break;
	}
}

static void child_init(uint32_t seed)
{
	rs = seed * 2654435761u ^ 0x5bd1e995u;
	if (!rs)
		rs = 1;
	for (int i = 0; i < 8; i++)
		rnd();
	good_entry = sys_port.upcall_entry;
	have_sysenter =
	    *(volatile uint32_t *)DRAKE_ENTRY_KIND == DRAKE_ENTRY_KIND_SYSENTER;
	for (uint32_t i = 0; i < ARENA_SIZE; i++)
		arena[i] = (uint8_t)rnd();
	for (uint32_t i = 0; i < TEXT_SIZE; i++)
		arena[TEXT_OFF + i] = (uint8_t)('a' + i % 26);
	memcpy(arena + TEXT_OFF, "fuzzer\0fuzzby\0fuzz\0fu\0zz\0", 26);
	for (int i = 0; i < NPORTS; i++) {
		PORTS[i] =
		    (struct drake_port){.mode = (uint32_t)i % 4,
					.handler = (uint32_t)good_handler,
					.timeout_ms = 5};
	}
	PORTS[6].mode = 7;
	PORTS[7].handler = one_in(4) ? 0x12345678 : (uint32_t)good_handler;
	for (int i = 0; i < NSYSPORTS; i++)
		sysport_scramble(i);
	/* One heap page: messages straddling its end must not touch the
	 * child's own variables in the last page of .bss. */
	struct msg_brk b = {.hdr = {.cmd = CMD_BRK, .size = sizeof(b)}};
	trap((uint32_t)&sys_port, (uint32_t)&b, sizeof(b));
	heap_start = (uint32_t)b.hdr.result;
	b = (struct msg_brk){.hdr = {.cmd = CMD_BRK, .size = sizeof(b)},
			     .end = heap_start + 4096};
	trap((uint32_t)&sys_port, (uint32_t)&b, sizeof(b));
	heap_mapped_end = heap_start + 4096;
}

/* A name for SPAWN: (address, length). */
static void spawn_string(uint32_t *addr, uint32_t *len, int is_name)
{
	uint8_t *text = arena + TEXT_OFF;
	switch (below(8)) {
	case 0:
		*addr = (uint32_t)text, *len = 6; /* fuzzer */
		break;
	case 1:
		*addr = (uint32_t)text + 7, *len = 6; /* fuzzby */
		break;
	case 2:
		*addr = (uint32_t)text + 14, *len = 4; /* fuzz: the driver */
		break;
	case 3:
		*addr = (uint32_t)text + 19, *len = 5; /* fu\0zz */
		break;
	case 4:
		*addr = (uint32_t)text + 30, *len = below(300);
		break;
	case 5:
		*addr = ptr_any(), *len = below(40);
		break;
	case 6:
		*addr = ptr_bad(), *len = one_in(2) ? rnd() : below(300);
		break;
	default:
		*addr = is_name ? (uint32_t)text : (uint32_t)text + 30;
		*len = 0;
		break;
	}
}

static uint32_t scratch_any(void)
{
	return (uint32_t)(arena + SCRATCH + below(4096));
}

/* A service id: ours, the name server's, or (almost surely) none. */
static uint32_t service_any(void)
{
	uint32_t r = below(8);
	return r < 3 ? my_service : r < 4 ? SERVICE_NAMES : rnd();
}

static void fill_batch(uint32_t *w, const uint8_t *home);

/* Fill in the body of a message for cmd. */
static void fill_body(uint8_t *m, uint32_t cmd, uint16_t flags)
{
	uint32_t *w = (uint32_t *)(m + 32);
	int async = flags & MSGF_ASYNC;
	switch (cmd) {
	case CMD_WRITE:
		if (below(8)) {
			w[0] = (uint32_t)arena + TEXT_OFF + 30 + below(4096);
			w[1] = one_in(50) ? below(200) : below(9);
		} else {
			/* ptr_bad() may be mapped after all: a length that
			 * can reach megabytes of heap would print them, so
			 * long ones are ones the range check refuses */
			w[0] = ptr_bad();
			w[1] = one_in(4) ? (one_in(2) ? rnd() | 0x80000000u
						      : below(8192))
					 : below(64);
		}
		break;
	case CMD_EXIT:
		w[0] = calls + 1; /* honest: this call is the last */
		break;
	case CMD_SPAWN:
		spawn_string(&w[0], &w[1], 1);
		spawn_string(&w[2], &w[3], 0);
		break;
	case CMD_WAIT:
	case CMD_FOREGROUND:
		w[0] = tid_any();
		break;
	case CMD_KILL:
		w[0] = tid_any();
		switch (below(8)) {
		case 0:
			w[1] = 0;
			break;
		case 1:
			w[1] = SIGKILL;
			break;
		case 2:
			w[1] = 32 + below(8);
			break;
		case 3:
			w[1] = rnd();
			break;
		default:
			w[1] = 1 + below(31);
		}
		break;
	case CMD_SLEEP:
		if (async)
			w[0] = one_in(4) ? rnd() : below(60);
		else
			w[0] = one_in(40) ? 1 + below(25) : 0;
		break;
	case CMD_TICKS:
		if (async)
			w[0] = one_in(4) ? rnd() : below(5);
		else
			w[0] = one_in(60) ? 1 + below(2) : 0;
		break;
	case CMD_READ:
		if (async) {
			w[0] = ptr_any();
			w[1] = one_in(4) ? rnd() : below(64);
		} else if (one_in(2)) {
			w[0] = ptr_any();
			w[1] = 0;
		} else {
			/* Must be refused at once: never parks. */
			static const uint32_t bad[] = {0, 0x1000, 0x100000,
						       0xc0000000};
			w[0] =
			    one_in(2) ? bad[below(4)] : 0xc0000000 - below(16);
			w[1] = 1 + below(64);
			if (w[0] < 0xc0000000 && w[0] >= 0x40000000)
				w[1] += 0x10; /* reaches 0xc0000000 */
		}
		break;
	case CMD_ABORT:
	case CMD_REARM:
		w[0] = target_any();
		break;
	case CMD_SIGNAL:
		switch (below(4)) {
		case 0:
			w[0] = rnd();
			break;
		case 1:
			w[0] = SIGBIT(below(32));
			break;
		default:
			w[0] = SIGBIT(1 + below(31)) | SIGBIT(1 + below(31));
		}
		break;
	case CMD_TIMER:
		w[0] = one_in(8) ? rnd() : below(40);
		w[1] = one_in(8) ? rnd() : (one_in(3) ? 0 : below(20));
		break;
	case CMD_BRK:
		switch (below(8)) {
		case 0:
			w[0] = 0;
			break;
		case 1:
			w[0] = heap_start + USER_HEAP_MAX - below(2) * 4096 +
			       below(2);
			break;
		case 2:
			w[0] = heap_start - below(4096);
			break;
		case 3:
			w[0] = rnd();
			break;
		case 4:
			w[0] = 0xbffef000 + below(0x11000);
			break;
		default:
			w[0] = heap_start + below(256 * 1024);
		}
		break;
	case CMD_TASKINFO:
		w[0] = one_in(4) ? rnd() : below(12);
		w[1] = below(4) ? (uint32_t)(arena + SCRATCH + below(4096))
				: ptr_any();
		break;
	case CMD_SERVICE:
		w[0] = one_in(4) ? rnd() : below(3);
		break;
	case CMD_RECEIVE:
		/* only an asynchronous RECEIVE may wait on our own service:
		 * a synchronous one could wait for ever */
		w[0] = async && below(4) ? my_service : service_any();
		if (!async && (w[0] == my_service ||
			       (w[0] == SERVICE_NAMES && own_names)))
			w[0] = 0;
		w[1] = below(4) ? scratch_any() : ptr_any();
		w[2] = one_in(4) ? rnd() : below(300);
		break;
	case CMD_REPLY:
		w[0] = below(4) ? last_handle : rnd();
		w[1] = one_in(8) ? rnd() : below(260);
		w[2] = rnd();
		w[3] = rnd();
		w[4] = below(4) ? scratch_any() : ptr_any();
		w[5] = one_in(4) ? rnd() : below(240);
		break;
	case CMD_COPY:
		w[0] = below(4) ? last_handle : rnd();
		w[1] = below(3);
		w[2] = one_in(4) ? rnd() : below(300);
		w[3] = below(4) ? scratch_any() : ptr_any();
		w[4] = one_in(4) ? rnd() : below(600);
		break;
	case CMD_SVCINFO:
		w[0] = service_any();
		break;
	case CMD_MODINFO:
	case CMD_MODREAD:
		w[0] = one_in(4) ? rnd() : below(4);
		w[1] = cmd == CMD_MODINFO ? scratch_any() : below(70000);
		w[2] = below(4) ? scratch_any() : ptr_any();
		w[3] = one_in(4) ? rnd() : below(5000);
		break;
	case CMD_TRACE:
		/* never on: a traced fuzzer would drown the log */
		w[0] = tid_any();
		w[1] = one_in(2) ? 0 : 4 + rnd();
		break;
	case CMD_MSGINFO:
		w[0] = tid_any();
		w[1] = below(80);
		w[2] = below(4) ? scratch_any() : ptr_any();
		break;
	case CMD_BATCH:
		fill_batch(w, m);
		break;
	default: /* header-only commands: random trailing bytes are fine */
		break;
	}
}

static uint16_t flags_any(uint32_t cmd)
{
	uint32_t r = below(100);
	if (cmd == CMD_SIGNAL || cmd == CMD_TIMER) {
		if (r < 60)
			return MSGF_ASYNC | MSGF_LIVE;
		if (r < 85)
			return MSGF_ASYNC;
	}
	if (r < 55)
		return 0;
	if (r < 82)
		return MSGF_ASYNC;
	if (r < 88)
		return MSGF_ASYNC | MSGF_LIVE;
	if (r < 91)
		return MSGF_LIVE;
	if (r < 96)
		return (uint16_t)(below(16) & ~0u);
	return (uint16_t)rnd();
}

/* Short enough that waitsys on it returns soon. */
static int is_short(const uint8_t *m)
{
	const struct drake_msg *h = (const void *)m;
	const uint32_t *w = (const uint32_t *)(m + 32);
	if (h->flags & MSGF_LIVE)
		return 0;
	switch (h->cmd) {
	case CMD_SLEEP:
		return w[0] <= 60;
	case CMD_TICKS:
		return w[0] <= 5;
	case CMD_TIMER:
		return w[1] == 0 && w[0] <= 40;
	default:
		return 0;
	}
}

/* After a send: remember a message the kernel now holds, and that
 * waitsys must not wait for it. */
static void note_async(uint32_t ecx, uint32_t r)
{
	if (r != EASYNC)
		return;
	ring[below(RING)] = ecx;
	uint32_t off = ecx - (uint32_t)arena;
	if (off < NSLOTS * SLOT_SIZE) {
		tainted[off / SLOT_SIZE] = 1;
		if (off % SLOT_SIZE > SLOT_SIZE - 64)
			tainted[(off / SLOT_SIZE + 1) % NSLOTS] = 1;
	}
}

/* A well-formed-looking message in slot s (or a few bytes in), for a
 * sendsys of *edx bytes; *cmd_out is its command. */
static uint8_t *build_send(uint32_t s, uint32_t *cmd_out, uint32_t *edx_out)
{
	uint32_t cmd;
	if (one_in(16))
		cmd = one_in(2) ? CMD_COUNT + below(16) : rnd() & 0xffff;
	else
		do
			cmd = below(CMD_COUNT);
		while (cmd == CMD_EXIT && !one_in(64));
	if (cmd < CMD_COUNT && (skip_mask >> cmd & 1))
		cmd = CMD_NOP;
	uint32_t size = cmd < CMD_COUNT ? cmd_size[cmd] : 32 + 4 * below(5);
	uint8_t *m = SLOT(s) + (one_in(16) ? 1 + below(3) : 0);
	struct drake_msg *h = (struct drake_msg *)m;
	short_addr[s] = 0;
	if (one_in(8))
		for (uint32_t i = 0; i < 64; i += 4)
			*(uint32_t *)(m + i) = rnd();
	h->cmd = (uint16_t)cmd;
	h->flags = flags_any(cmd);
	if (one_in(4)) {
		h->error = rnd();
		h->result = rnd();
		h->count = rnd();
		h->link = rnd();
	}
	if (h->flags & MSGF_ASYNC)
		h->reply = below(10) < 8 ? (uint32_t)port_any()
					 : (one_in(2) ? 0 : ptr_any());
	else
		h->reply = below(5) ? 0 : ptr_any();
	fill_body(m, cmd, h->flags);
	uint32_t edx = size;
	if (one_in(16)) {
		static const uint32_t odd[] = {1,   31,	 33,	 255,
					       256, 257, 0x10000};
		edx = one_in(2) ? odd[below(7)] : (rnd() | 1);
	} else if (one_in(32))
		edx = size + 4;
	h->size = one_in(24) ? rnd() % 300 : edx;
	*cmd_out = cmd;
	*edx_out = edx;
	return m;
}

static void note_batch(void);

/* One well-formed-looking sendsys. */
static void fuzz_send(void)
{
	uint32_t s = below(NSLOTS), cmd, edx;
	uint8_t *m = build_send(s, &cmd, &edx);
	struct drake_msg *h = (struct drake_msg *)m;
	uint32_t ecx = (uint32_t)m;
	if (one_in(24) && cmd != CMD_BATCH) {
		/* A message straddling the end of the mapped heap: its
		 * header is real, its tail is not there. (Not a BATCH:
		 * its copy could not be made harmless after.) */
		uint32_t size = cmd < CMD_COUNT ? cmd_size[cmd] : 32;
		ecx = heap_mapped_end - 4 - 4 * below(size / 4);
		memcpy((void *)ecx, m, heap_mapped_end - ecx);
	} else if (one_in(32))
		ecx = ptr_any();
	uint32_t eax = sysport_any();
	uint32_t r = trap(eax, ecx, edx);
	if (r == EASYNC && ecx == (uint32_t)m && is_short(m))
		short_addr[s] = ecx;
	else
		note_async(ecx, r);
	if (cmd == CMD_BATCH) {
		note_batch();
		/* a count of 0: sent again some day, it does nothing */
		((struct msg_batch *)m)->count = 0;
	}
	if (ecx != (uint32_t)m)
		return;
	if (r == 0) {
		if (cmd == CMD_SPAWN)
			kids[below(8)] = (uint32_t)h->result;
		else if (cmd == CMD_SERVICE && h->result == SERVICE_NAMES)
			own_names = true;
		else if (cmd == CMD_SERVICE)
			my_service = (uint32_t)h->result;
		else if (cmd == CMD_RECEIVE)
			last_handle = (uint32_t)h->result;
		else if (cmd == CMD_BRK && h->result > heap_mapped_end)
			heap_mapped_end = ((uint32_t)h->result + 4095) & ~4095u;
	}
}

/*
 * A request in slot s, through the service port sp. To our own service
 * only asynchronously (we are its only receiver: a synchronous one would
 * wait for ever); synchronously only to ids that are (almost surely) no
 * service at all, which must be refused at once.
 */
static uint8_t *build_request(uint32_t s, struct drake_svcport *sp,
			      uint32_t *edx)
{
	uint8_t *m = SLOT(s);
	struct drake_request *r = (struct drake_request *)m;
	uint32_t size = 44 + 4 * below(53);
	short_addr[s] = 0;
	sp->magic = one_in(16) ? rnd() : DRAKE_SVCPORT_MAGIC;
	sp->sysport = one_in(16) ? ptr_any() : (uint32_t)&sys_port;
	r->hdr.cmd = (uint16_t)rnd();
	r->hdr.flags = one_in(16) ? (uint16_t)rnd() : MSGF_ASYNC;
	if (one_in(3))
		r->hdr.flags &= (uint16_t)~MSGF_ASYNC;
	sp->service = r->hdr.flags & MSGF_ASYNC ? service_any() : rnd() | 1u;
	if (!(r->hdr.flags & MSGF_ASYNC) &&
	    (sp->service == my_service || sp->service == SERVICE_NAMES))
		sp->service = 0;
	r->hdr.reply = below(8) ? (uint32_t)port_any() : ptr_any();
	r->hdr.size = one_in(24) ? rnd() % 300 : size;
	r->grant = below(4) ? scratch_any() : ptr_any();
	r->grant_len = one_in(4) ? rnd() : below(600);
	r->grant_access = one_in(8) ? rnd() : below(4);
	*edx = one_in(16) ? 32 + below(300) : size;
	return m;
}

static void fuzz_request(void)
{
	struct drake_svcport *sp = (struct drake_svcport *)ALARM(2);
	uint32_t edx;
	uint8_t *m = build_request(below(NSLOTS), sp, &edx);
	note_async((uint32_t)m, trap((uint32_t)sp, (uint32_t)m, edx));
}

/*
 * A BATCH's list: messages built in other slots as fuzz_send and
 * fuzz_request would build them, and garbage entries. Its slots are
 * marked tainted, so waitsys never waits on one of them: what the
 * kernel writes into the list cannot be trusted to say which are short.
 * A BATCH inside a batch is refused before its body is read; its count
 * of 0 keeps it harmless if it is ever sent on its own. Requests go
 * through read-only service ports of services that (almost surely) do
 * not exist: an entry run before them cannot scribble one into a port
 * of our own service, where a synchronous request would wait for ever.
 */
static const struct drake_svcport no_service[3] = {
    {.magic = DRAKE_SVCPORT_MAGIC, .service = 0},
    {.magic = DRAKE_SVCPORT_MAGIC, .service = 0x7fffffff},
    {.magic = DRAKE_SVCPORT_MAGIC + 1},
};
static bool in_batch;
static uint32_t batch_n;

static void batch_entry(struct drake_batch_entry *e, uint32_t home)
{
	uint32_t s, r = below(10), cmd;
	do
		s = below(NSLOTS);
	while (s == home);
	if (r < 7) {
		e->msg = (uint32_t)build_send(s, &cmd, &e->size);
		e->port = sysport_any();
	} else if (r < 8) {
		struct drake_svcport unused;
		e->msg = (uint32_t)build_request(s, &unused, &e->size);
		e->port = (uint32_t)&no_service[below(3)];
	} else {
		e->port = sysport_any();
		e->msg = ptr_any();
		e->size = one_in(2) ? cmd_size[below(CMD_COUNT)] : below(300);
	}
	tainted[s] = 1;
	e->error = (int32_t)rnd(); /* the kernel must write both */
	e->state = rnd();
}

static void fill_batch(uint32_t *w, const uint8_t *home)
{
	uint32_t n = one_in(8) ? below(LIST_MAX + 1) : below(17);
	w[0] = (uint32_t)LIST;
	w[1] = 0;
	if (in_batch)
		return;
	in_batch = true;
	for (uint32_t i = 0; i < n; i++)
		batch_entry(&LIST[i], (uint32_t)(home - arena) / SLOT_SIZE);
	in_batch = false;
	batch_n = n;
	w[1] = n;
	if (one_in(16)) /* entries seen askew: garbage ports */
		w[0] += 4 * (1 + below(4));
	else if (one_in(16))
		w[0] = ptr_bad();
	else if (one_in(16))
		w[1] = BATCH_MAX + 1 + (rnd() >> 1); /* E2BIG */
}

/* After a BATCH: its entries in flight can be ABORTed and REARMed. */
static void note_batch(void)
{
	for (uint32_t i = 0; i < batch_n; i++)
		if (LIST[i].state == BATCH_ACCEPTED)
			note_async(LIST[i].msg, (uint32_t)LIST[i].error);
	batch_n = 0;
}

/* Send the alarm that guarantees waitsys on port p wakes up. */
static int alarm_to(struct drake_port *p)
{
	for (int i = 0; i < 2; i++) {
		struct msg_ticks *t = (struct msg_ticks *)ALARM(i);
		t->hdr = (struct drake_msg){.cmd = CMD_TICKS,
					    .flags = MSGF_ASYNC,
					    .reply = (uint32_t)p,
					    .size = sizeof(*t)};
		t->ticks = one_in(32) ? 1 : 0;
		uint32_t r = trap((uint32_t)&sys_port, (uint32_t)t, sizeof(*t));
		if (r == EASYNC || r == 0)
			return 1;
		if (r != EBUSY)
			return 0;
	}
	return 0;
}

static void fuzz_waitsys(void)
{
	switch (below(6)) {
	case 0:
	case 1: { /* a port, maybe a message too: the alarm wakes it */
		struct drake_port *p = port_any();
		if (!alarm_to(p))
			return;
		uint32_t msg = one_in(2) ? 0 : ptr_any();
		trap((uint32_t)p, msg, 0);
		break;
	}
	case 2: { /* a short message in flight, or one that is not */
		uint32_t s = below(NSLOTS);
		uint32_t msg = short_addr[s];
		if (!msg) {
			/* done, or never in flight: unless a long one ever
			 * was (it may still be), which could block forever */
			if (tainted[s])
				return;
			msg = (uint32_t)SLOT(s) + below(4);
		}
		trap(0, msg, 0);
		break;
	}
	case 3: /* bad port, any message */
		trap(ptr_refused() | 1, one_in(2) ? 0 : ptr_any(), 0);
		break;
	case 4: /* bad message, no port */
		trap(0, ptr_refused() | 1, 0);
		break;
	default: /* flushsys */
		trap(0, 0, 0);
	}
}

/* Registers drawn from anywhere. A waitsys that could block forever is
 * turned into one the kernel must refuse. */
static void fuzz_garbage(void)
{
	uint32_t v[3];
	for (int i = 0; i < 3; i++) {
		switch (below(5)) {
		case 0:
			v[i] = rnd();
			break;
		case 1:
			v[i] = ptr_any();
			break;
		case 2:
			v[i] = below(512);
			break;
		case 3:
			v[i] = 0;
			break;
		default:
			v[i] = ptr_bad();
		}
	}
	if (v[2] == 0 && (v[0] || v[1]))
		v[1] = ptr_refused() | 1; /* EFAULT, never a block */
	note_async(v[1], trap(v[0], v[1], v[2]));
}

static int run_child(uint32_t seed, uint32_t budget)
{
	child_init(seed);
	while (calls < budget) {
		uint32_t r = below(100);
		if (r < 76)
			fuzz_send();
		else if (r < 84)
			fuzz_request();
		else if (r < 91)
			fuzz_waitsys();
		else
			fuzz_garbage();
		/* No-call housekeeping, like a real program would do. */
		if (one_in(16)) {
			struct drake_port *p = port_any();
			__atomic_exchange_n(&p->head, 0, __ATOMIC_SEQ_CST);
		}
		if (one_in(64))
			port_scramble(port_any());
		if (one_in(64))
			sysport_scramble((int)below(NSYSPORTS));
	}
	return (int)calls;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "run")) {
		self_tid = (uint32_t)sys_gettid();
		bystander_tid = parse_u32(argv[4]);
		skip_mask = parse_u32(argv[5]);
		return run_child(parse_u32(argv[2]), parse_u32(argv[3]));
	}
	return 0;
}
