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

/*
 * What one task may make the kernel hold (docs/abi.md, "Limits"). Each
 * is the task's own share: reaching it refuses that task's request, with
 * EAGAIN, and nobody else's.
 */
#define MSG_INFLIGHT_MAX  64u	/* asynchronous ordinary messages in flight */
#define MSG_LIVE_MAX	  1024u /* live messages (signals, timers) */
#define PORT_MAX	  16u	/* reply ports with messages in flight */
#define TASK_CHILDREN_MAX 16u	/* children, running or not yet waited for */
/* Tasks in the whole system, zombies included; the last
 * TASK_RESERVED_INIT of them only init (task 1) may take, so a runaway
 * family of tasks cannot stop the shell from starting a program. */
#define TASK_MAX	   64u
#define TASK_RESERVED_INIT 4u

/* Message flags (drake_msg.flags). */
#define MSGF_ASYNC 0x0001u /* caller allows the kernel to queue it */
#define MSGF_DONE  0x0002u /* kernel has returned the message */
#define MSGF_LIVE  0x0004u /* live message: returned once per event */
#define MSGF_HELD  0x0008u /* live-message interlock: userland holds it */

/* The header every message starts with. */
struct drake_msg {
	uint16_t cmd;	/* command number (drake/cmds.h) */
	uint16_t flags; /* MSGF_* */
	int32_t error;	/* written by the kernel when it returns the msg */
	uint64_t result /* written by the kernel: the command's result */
	    __attribute__((packed,
			   aligned(4))); /* i386's layout on any compiler */
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
 * the signals its return covers (low 32 bits) and, when the return
 * covers a CPU fault, the faulting address (high 32 bits; 0 otherwise).
 * `sender` tells who sent the latest of them: a task id, or 0 for the
 * kernel (Ctrl-C, a fault), so a fault cannot be forged with KILL. */
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
	uint32_t sender; /* written by the kernel at each return */
};

/* Timers. Delay and period are rounded up to whole clock ticks
 * (1000 / TIMER_HZ ms). Sent during tick s, the first expiry is due at
 * tick s + 1 + delay (so at least delay_ms pass), the n-th at
 * first + (n - 1) * period; period_ms 0 makes it one-shot. A timer is
 * returned at most once per tick, with result = the number n of the
 * latest expiry it covers (low 32 bits) and the tick that expiry was
 * due at (high 32 bits); hdr.count = the expiries it covers (1, plus
 * those that fell due while it was held). */
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
/* CPUSTAT: one CPU's scheduler, as it was when asked (docs/smp.md). */
struct drake_cpustat {
	uint32_t cpu;	     /* its number, from 0 */
	uint32_t running;    /* the task it runs, 0 for its idle task */
	uint32_t load;	     /* tasks to run there, the running one included */
	uint32_t switches;   /* task switches since boot */
	uint32_t ipis;	     /* IPIs taken from other CPUs */
	uint32_t migrations; /* tasks its balancer gave other CPUs */
	uint32_t ticks;	     /* clock ticks taken while busy */
};

struct msg_cpustat {
	struct drake_msg hdr; /* result: the index to ask for next, 0 at end */
	uint32_t index;	      /* 0 for the boot CPU */
	drake_uaddr info;     /* where to write a struct drake_cpustat */
};

/*
 * Services (docs/servers.md): ports between tasks. A server creates a
 * service and receives requests on it; a client sends a request with
 * the same sendsys, eax pointing at a struct drake_svcport instead of
 * the system port (its first word tells the two apart).
 */
#define DRAKE_SVCPORT_MAGIC 0x53565032u /* "2PVS": not an ABI version */
#define SERVICE_NAMES	    1u		/* the name server's service id */
#define SERVICE_PER_TASK    2u		/* services one task may own */
#define SERVICE_OPEN_MAX    32u		/* requests a service holds unreplied */

struct drake_svcport {
	uint32_t magic;	     /* DRAKE_SVCPORT_MAGIC */
	uint32_t service;    /* the service id */
	drake_uaddr sysport; /* the sender's system port, for upcalls */
	uint32_t reserved;   /* 0 */
};

/* Every request starts with this: the header, then the one buffer of
 * the client's that the server may copy from (GRANT_READ) or into
 * (GRANT_WRITE) while the request is open. The rest is the service's. */
#define GRANT_READ  0x1u
#define GRANT_WRITE 0x2u

struct drake_request {
	struct drake_msg hdr; /* cmd: the service's own command number */
	drake_uaddr grant;    /* 0 and grant_len 0: none */
	uint32_t grant_len;
	uint32_t grant_access; /* GRANT_* */
};

/* SERVICE: create a service owned by the caller. result: its id. */
#define SVC_NAMES 0x1u /* claim SERVICE_NAMES (init or its children) */

struct msg_service {
	struct drake_msg hdr;
	uint32_t flags;
};

/* RECEIVE: the oldest request to `service` is copied (at most len
 * bytes, header included) into buf. result: the request's handle (low
 * 32 bits) and the client's task id (high 32 bits). */
struct msg_receive {
	struct drake_msg hdr;
	uint32_t service;
	drake_uaddr buf;
	uint32_t len;
};

/* REPLY: finish the request `handle`: its error and result, and
 * bodylen bytes from body copied into the client's message after its
 * struct drake_request. */
struct msg_reply {
	struct drake_msg hdr;
	uint32_t handle;
	int32_t error;
	uint64_t result __attribute__((packed, aligned(4)));
	drake_uaddr body;
	uint32_t bodylen;
};

/* COPY: between the server's buf and the client's grant, at offset.
 * result: bytes copied. */
#define COPY_FROM_CLIENT 0u
#define COPY_TO_CLIENT	 1u

struct msg_copy {
	struct drake_msg hdr;
	uint32_t handle;
	uint32_t direction; /* COPY_* */
	uint32_t offset;    /* into the grant */
	drake_uaddr buf;
	uint32_t len;
};

/* SVCINFO: result: the task id that owns `service`. */
struct msg_svcinfo {
	struct drake_msg hdr;
	uint32_t service;
};

/* Boot modules, for the file server. MODINFO writes the index-th
 * module's description to info; result: the next index, 0 at the end.
 * MODREAD copies len bytes at offset of it into buf; result: bytes. */
struct drake_modinfo {
	uint32_t size;
	char name[32]; /* NUL-terminated */
};

struct msg_modinfo {
	struct drake_msg hdr;
	uint32_t index;
	drake_uaddr info;
};

struct msg_modread {
	struct drake_msg hdr;
	uint32_t index;
	uint32_t offset;
	drake_uaddr buf;
	uint32_t len;
};

/*
 * The message tracer (docs/trace.md). TRACE sets a task's trace flags
 * (the caller's own or a descendant's; tid 0: the caller): TRACE_ON
 * prints one console line per message it sends and per return;
 * TRACE_CHILDREN makes the tasks it spawns from now on traced, with
 * their own children. MSGINFO describes the index-th message task `tid`
 * has in flight; result: the next index, 0 after the last.
 */
#define TRACE_ON       0x1u
#define TRACE_CHILDREN 0x2u

struct msg_trace {
	struct drake_msg hdr; /* result: the flags before */
	uint32_t tid;
	uint32_t flags;
};

#define MSG_STATE_WAITING 0 /* parked on what it waits for */
#define MSG_STATE_HELD	  1 /* a live message userland holds */
#define MSG_STATE_QUEUED  2 /* a request its server has not received */
#define MSG_STATE_OPEN	  3 /* a request its server is serving */

struct drake_msginfo {
	drake_uaddr msg;   /* where the message is in the task */
	uint16_t cmd;	   /* its command (a request: the service's) */
	uint16_t flags;	   /* MSGF_* as sent */
	drake_uaddr reply; /* its reply port, or 0 */
	uint32_t state;	   /* MSG_STATE_* */
	uint32_t service;  /* a request: its service id; else 0 */
};

struct msg_msginfo {
	struct drake_msg hdr;
	uint32_t tid;
	uint32_t index;
	drake_uaddr info; /* where to write a struct drake_msginfo */
};

/*
 * BATCH: one trap sends many messages. `list` points at `count` entries
 * (at most BATCH_MAX), each the registers of one sendsys: the kernel
 * sends them in order, each exactly as its own sendsys(port, msg, size)
 * would (accepted or refused on its own), and writes what that sendsys
 * would have returned, and whether it refused the message, into the
 * entry. result: how many were accepted.
 */
#define BATCH_MAX 64u

#define BATCH_UNSENT   0u /* not reached: the batch stopped before it */
#define BATCH_ACCEPTED 1u /* error: sendsys's code (EASYNC: in flight) */
#define BATCH_REFUSED  2u /* error: why; the message was not written */

struct drake_batch_entry {
	drake_uaddr port; /* eax: a system port or a service port */
	drake_uaddr msg;  /* ecx */
	uint32_t size;	  /* edx */
	int32_t error;	  /* written by the kernel: sendsys's code */
	uint32_t state;	  /* written by the kernel: BATCH_* */
};

struct msg_batch {
	struct drake_msg hdr; /* result: entries accepted */
	drake_uaddr list;     /* struct drake_batch_entry[count] */
	uint32_t count;
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
_Static_assert(sizeof(struct drake_context) == 40, "abi");
_Static_assert(sizeof(struct msg_exit) == 36, "abi");
_Static_assert(sizeof(struct msg_wait) == 36, "abi");
_Static_assert(sizeof(struct msg_sleep) == 36, "abi");
_Static_assert(sizeof(struct msg_read) == 40, "abi");
_Static_assert(sizeof(struct msg_ticks) == 36, "abi");
_Static_assert(sizeof(struct msg_abort) == 36, "abi");
_Static_assert(sizeof(struct msg_kill) == 40, "abi");
_Static_assert(sizeof(struct msg_rearm) == 36, "abi");
_Static_assert(sizeof(struct msg_foreground) == 36, "abi");
_Static_assert(sizeof(struct msg_brk) == 36, "abi");
_Static_assert(sizeof(struct msg_spawn) == 48, "abi");
_Static_assert(sizeof(struct msg_signal) == 40, "abi");
_Static_assert(sizeof(struct msg_timer) == 40, "abi");
_Static_assert(sizeof(struct drake_taskinfo) == 52, "abi");
_Static_assert(sizeof(struct msg_taskinfo) == 40, "abi");
_Static_assert(sizeof(struct drake_cpustat) == 28, "abi");
_Static_assert(sizeof(struct msg_cpustat) == 40, "abi");
_Static_assert(sizeof(struct drake_svcport) == 16, "abi");
_Static_assert(sizeof(struct drake_request) == 44, "abi");
_Static_assert(sizeof(struct msg_service) == 36, "abi");
_Static_assert(sizeof(struct msg_receive) == 44, "abi");
_Static_assert(sizeof(struct msg_reply) == 56, "abi");
_Static_assert(sizeof(struct msg_copy) == 52, "abi");
_Static_assert(sizeof(struct msg_svcinfo) == 36, "abi");
_Static_assert(sizeof(struct drake_modinfo) == 36, "abi");
_Static_assert(sizeof(struct msg_modinfo) == 40, "abi");
_Static_assert(sizeof(struct msg_modread) == 48, "abi");
_Static_assert(sizeof(struct msg_trace) == 40, "abi");
_Static_assert(sizeof(struct drake_msginfo) == 20, "abi");
_Static_assert(sizeof(struct msg_msginfo) == 44, "abi");
_Static_assert(sizeof(struct drake_batch_entry) == 20, "abi");
_Static_assert(offsetof(struct drake_batch_entry, error) == 12, "abi");
_Static_assert(sizeof(struct msg_batch) == 40, "abi");

#include <drake/cmds.h>

#endif
