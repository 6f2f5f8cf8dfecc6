/*
 * The Drake message ABI, shared by the kernel and libsys (docs/abi.md).
 *
 * Every system call is a message in user memory:
 *   sendsys(port, msg, size): int 0x81 with eax=port, ecx=msg, edx=size
 *   waitsys(port, msg):       int 0x81 with eax=port, ecx=msg, edx=0
 *   flushsys():               int 0x81 with eax=ecx=edx=0
 * eax comes back holding 0 or an error code (drake/errno.h); every other
 * register is preserved. Results are stored in the message itself.
 *
 * All structures are little-endian i386 layouts with 4-byte alignment; the
 * _Static_asserts pin every size and offset the kernel relies on.
 */
#ifndef DRAKE_MSG_H
#define DRAKE_MSG_H

#include <stddef.h>
#include <stdint.h>

/* A user-space address. The kernel never dereferences one directly. */
typedef uint32_t drake_uaddr;

#define DRAKE_ABI_VERSION 2u

/* The largest message any command takes; sendsys rejects larger sizes. */
#define MSG_MAX_SIZE 256u

/* The most messages one task may have in flight at once. */
#define MSG_INFLIGHT_MAX 64u
/* ... plus this many live messages (signals, timers). */
#define MSG_LIVE_MAX 1024u
/* Distinct reply ports with messages in flight, per task. */
#define PORT_MAX 16u
/* Children per task, running or unreaped. */
#define TASK_CHILDREN_MAX 16u
/* Tasks system-wide (zombies included); the last TASK_RESERVED_INIT
 * slots only init (tid 1) may take. */
#define TASK_MAX	   64u
#define TASK_RESERVED_INIT 4u

/* Message flags (drake_msg.flags). */
#define MSGF_ASYNC 0x0001u /* caller allows the kernel to queue it */
#define MSGF_DONE  0x0002u /* kernel has returned the message */
#define MSGF_LIVE  0x0004u /* live message: returned once per event */
#define MSGF_HELD  0x0008u /* live-message interlock: userland holds it */

/* The header every message starts with. */
struct drake_msg {
	uint16_t cmd;	   /* command number (drake/cmds.h) */
	uint16_t flags;	   /* MSGF_* */
	int32_t error;	   /* written by the kernel when it returns the msg */
	uint64_t result;   /* written by the kernel: the command's result */
	drake_uaddr reply; /* reply port, or 0: the caller waits or polls */
	uint32_t size;	   /* must equal the size passed in edx */
	uint32_t count;	   /* live messages: occurrences this return covers */
	drake_uaddr link;  /* reply-port queue link, written by the kernel */
};

/*
 * The userland system port eax points at. The kernel reads `version` on
 * every call and refuses a mismatch with EVERSION. The rest is the upcall
 * protocol (docs/abi.md): `crit` is userland's critical-section depth
 * (the kernel adds one while an upcall handler runs), `pending` is set by
 * the kernel when it held an upcall back, and `upcall_entry` is the
 * trampoline upcalls enter through.
 */
struct drake_sysport {
	uint32_t version; /* DRAKE_ABI_VERSION */
	uint32_t crit;	  /* userland critical-section depth */
	uint32_t pending; /* set by the kernel: flushsys() needed */
	drake_uaddr upcall_entry;
};

/* Reply-port modes: what happens when a message is returned to it. */
#define PORT_QUEUE   0u /* queue without notification */
#define PORT_UPCALL  1u /* queue and upcall the port's handler */
#define PORT_CRIT    2u /* upcall unless userland is in a critical section */
#define PORT_TIMEOUT 3u /* queue; upcall if still uncollected after timeout */

/*
 * A reply port. The kernel reads mode, handler and timeout_ms whenever a
 * message naming the port is sent. Returned messages are pushed on `head`
 * (newest first, chained through drake_msg.link); userland takes the
 * whole chain at once by exchanging `head` with 0 (libsys port_take()).
 */
struct drake_port {
	uint32_t mode;
	drake_uaddr handler; /* void handler(struct drake_port *) */
	uint32_t timeout_ms; /* PORT_TIMEOUT */
	drake_uaddr head;
};

/* The user registers an upcall saved, then restored on UPCALL_RETURN. */
struct drake_context {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t eflags, eip;
};

/* What the kernel pushes on the user stack for an upcall; esp points at
 * it when the trampoline (drake_sysport.upcall_entry) starts. */
struct drake_upcall_frame {
	drake_uaddr port;    /* the handler's argument */
	drake_uaddr handler; /* the port's handler */
	struct drake_context ctx;
};

/* Command messages. A string or buffer is (address, length), no NUL. */
struct msg_write {
	struct drake_msg hdr; /* result: bytes written */
	drake_uaddr buf;
	uint32_t len;
};

struct msg_exit {
	struct drake_msg hdr; /* never returned */
	int32_t status;
};

#define SPAWN_NAME_MAX 31u
#define SPAWN_ARGS_MAX 255u

struct msg_spawn {
	struct drake_msg hdr; /* result: the new task's id */
	drake_uaddr name;     /* module name, at most SPAWN_NAME_MAX bytes */
	uint32_t namelen;
	drake_uaddr args; /* argument string, at most SPAWN_ARGS_MAX */
	uint32_t argslen;
};

struct msg_wait {
	struct drake_msg hdr; /* result: the child's exit status */
	uint32_t tid;
};

struct msg_sleep {
	struct drake_msg hdr;
	uint32_t ms;
};

struct msg_read {
	struct drake_msg hdr; /* result: bytes read */
	drake_uaddr buf;
	uint32_t len;
};

struct msg_ticks {
	struct drake_msg hdr; /* result: the tick count when it completed */
	uint32_t ticks;
};

struct msg_abort {
	struct drake_msg hdr;
	drake_uaddr target; /* the in-flight message to abort */
};

/*
 * Live messages (MSGF_ASYNC | MSGF_LIVE): sent once, returned once per
 * event until aborted. Each return sets MSGF_DONE and MSGF_HELD; the
 * kernel returns it again only after userland re-arms it (REARM).
 * Events meanwhile are counted, and the next return reports them all in
 * hdr.count.
 */

/* Signals. A signal message is returned with result = the bit mask of
 * the signals its return covers and, for a fault, the faulting address
 * in the high 32 bits. */
#define SIGINT	  2 /* Ctrl-C on the console, to the foreground task */
#define SIGILL	  4 /* invalid opcode */
#define SIGFPE	  8 /* divide error */
#define SIGKILL	  9 /* cannot be caught */
#define SIGUSR1	  10
#define SIGSEGV	  11 /* page fault, general protection fault */
#define SIGUSR2	  12
#define SIGTERM	  15
#define SIG_MAX	  32
#define SIGBIT(s) (1u << (s))

struct msg_signal {
	struct drake_msg hdr;
	uint32_t mask;	 /* SIGBIT()s of the signals to receive */
	uint32_t sender; /* kernel: who sent the latest signal, 0 the kernel */
};

/* Timers. A timer is returned at each expiry with result = the expiry
 * number n (low 32 bits) and the clock tick it was returned at (high 32
 * bits); hdr.count is 1 plus the expiries it missed while held. The
 * n-th expiry is due at send time + delay_ms + (n - 1) * period_ms;
 * period_ms 0 makes it one-shot. */
struct msg_timer {
	struct drake_msg hdr;
	uint32_t delay_ms; /* to the first expiry (0: one period) */
	uint32_t period_ms;
};

struct msg_kill {
	struct drake_msg hdr;
	uint32_t tid;
	uint32_t signo;
};

struct msg_rearm {
	struct drake_msg hdr;
	drake_uaddr target; /* a returned, held live message */
};

struct msg_foreground {
	struct drake_msg hdr; /* result: the previous foreground task */
	uint32_t tid;	      /* who gets Ctrl-C; 0 for the caller */
};

/* The heap: the program break starts at the page after the program's
 * last segment and may grow to USER_HEAP_MAX bytes above that. */
#define USER_HEAP_MAX (32u * 1024 * 1024)

struct msg_brk {
	struct drake_msg hdr; /* result: the break, after the change */
	drake_uaddr end;      /* the new break; 0 asks for the current one */
};

/* One task, as TASKINFO describes it. */
#define TASK_STATE_READY   0
#define TASK_STATE_RUNNING 1
#define TASK_STATE_BLOCKED 2
#define TASK_STATE_ZOMBIE  3

struct drake_taskinfo {
	uint32_t tid, parent, state;
	uint32_t inflight; /* ordinary messages in flight */
	uint32_t live;	   /* live messages */
	char name[32];	   /* NUL-terminated */
};

struct msg_taskinfo {
	struct drake_msg hdr; /* result: the index to ask for next, 0 at end */
	uint32_t index;	      /* 0 for the first task */
	drake_uaddr info;     /* where to write a struct drake_taskinfo */
};
/* Exit status of a task the kernel killed for a fault. */
#define TASK_KILLED_STATUS(vector) (-1000 - (int32_t)(vector))
/* Exit status of a task a signal terminated. */
#define TASK_SIGNALED_STATUS(signo) (-2000 - (int32_t)(signo))

_Static_assert(sizeof(struct drake_msg) == 32, "header is 32 bytes");
_Static_assert(offsetof(struct drake_msg, flags) == 2, "abi");
_Static_assert(offsetof(struct drake_msg, error) == 4, "abi");
_Static_assert(offsetof(struct drake_msg, result) == 8, "abi");
_Static_assert(offsetof(struct drake_msg, reply) == 16, "abi");
_Static_assert(offsetof(struct drake_msg, size) == 20, "abi");
_Static_assert(offsetof(struct drake_msg, count) == 24, "abi");
_Static_assert(offsetof(struct drake_msg, link) == 28, "abi");
_Static_assert(sizeof(struct drake_sysport) == 16, "abi");
_Static_assert(sizeof(struct drake_port) == 16, "abi");
_Static_assert(offsetof(struct drake_port, head) == 12, "abi");
_Static_assert(sizeof(struct drake_upcall_frame) == 48, "abi");
_Static_assert(sizeof(struct msg_write) == 40, "abi");
_Static_assert(sizeof(struct msg_spawn) == 48, "abi");
_Static_assert(sizeof(struct msg_signal) == 40, "abi");
_Static_assert(sizeof(struct drake_taskinfo) == 52, "abi");

#include <drake/cmds.h>

#endif
