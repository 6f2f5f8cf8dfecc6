/*
 * libsys: the user side of Drake. Three primitives make the trap
 * (syscall.S); every other function here builds a message and sends it.
 * Wrappers return a value >= 0 on success and a negative error code
 * (-EFAULT, ...) on failure; sys_send() and sys_send_async() alone
 * return sendsys()'s code unchanged: 0, EASYNC or a positive error.
 */
#ifndef DRAKE_SYS_H
#define DRAKE_SYS_H

#include <drake/errno.h>
#include <drake/malloc.h>
#include <drake/msg.h>
#include <stdbool.h>
#include <stdint.h>

/* The raw trap (int 0x81); each returns 0 or an error code. */
int sendsys(struct drake_sysport *port, void *msg, uint32_t size);
int waitsys(void *port, void *msg);
int flushsys(void);

/* This program's system port, passed to every sendsys. */
extern struct drake_sysport sys_port;

/* Fill in a message header: the command, its size, flags and reply
 * port, and the kernel's fields cleared. */
void msg_init(void *msg, uint16_t cmd, uint32_t size, uint16_t flags,
	      struct drake_port *reply);
/* Fill in a message header for `cmd` and send it synchronously. */
int sys_send(void *msg, uint16_t cmd, uint32_t size);

long sys_write(const void *buf, uint32_t len);
__attribute__((noreturn)) void sys_exit(int status);
int sys_spawn(const char *name, const char *args);
int sys_wait(int tid, int *status);
int sys_gettid(void);
void sys_yield(void);
int sys_sleep(uint32_t ms);
uint64_t sys_uptime(void);
/* The CPU the caller runs on (it may move at any time after), from 0;
 * *ncpus (if not NULL) gets how many CPUs run tasks. */
int sys_cpuinfo(uint32_t *ncpus);
/* Describe the index-th CPU; answers the next index, 0 after the last. */
int sys_cpustat(uint32_t index, struct drake_cpustat *info);
int sys_meminfo(uint32_t *free_pages, uint32_t *total_pages);
/* Set the program break to `end` (0: leave it); *now gets the break. */
int sys_brk(uint32_t end, uint32_t *now);
/* Describe the index-th task; answers the next index, 0 after the last. */
int sys_taskinfo(uint32_t index, struct drake_taskinfo *info);
/* Describe the task `tid`: 0, or -ESRCH. */
int task_info(int tid, struct drake_taskinfo *info);
int sys_halt(void); /* init only; else -EPERM */
/* The tracer: set tid's TRACE_* flags (0: the caller); the old flags. */
int sys_trace(int tid, uint32_t flags);
/* The index-th message tid has in flight: the next index, 0 at the end,
 * or -ENOENT past the end. */
int sys_msginfo(int tid, uint32_t index, struct drake_msginfo *info);
/* Boot modules: describe the index-th (answers the next index, 0 after
 * the last); read up to len bytes of it at offset (answers bytes read,
 * 0 at or past its end). */
int sys_modinfo(uint32_t index, struct drake_modinfo *info);
long sys_modread(uint32_t index, uint32_t offset, void *buf, uint32_t len);

/*
 * Send n messages (their headers filled in: cmd, flags, reply, size) in
 * one BATCH: e[i] names each (port 0: sys_port). Answers how many were
 * accepted; each entry's error and state say what its sendsys did.
 */
int sys_batch(struct drake_batch_entry *e, uint32_t n);

/* Read from the console: returns when a line, or len bytes, is there. */
long sys_read(void *buf, uint32_t len);

/*
 * Asynchronous messages. sys_send_async() fills in the header with
 * MSGF_ASYNC and `reply` and sends it: EASYNC means it is in flight and
 * will be returned (MSGF_DONE set, pushed on `reply` if not NULL); 0 or
 * another code means it completed at once, as a synchronous send would.
 */
int sys_send_async(void *msg, uint16_t cmd, uint32_t size,
		   struct drake_port *reply);
int sys_abort(void *msg);

/* Reply ports. port_take() removes every returned message, oldest
 * first; walk them with port_next(). */
void port_init(struct drake_port *port, uint32_t mode,
	       void (*handler)(struct drake_port *), uint32_t timeout_ms);
struct drake_msg *port_take(struct drake_port *port);
struct drake_msg *port_next(struct drake_msg *m);
/* Walk what port_take() answered, reading each message's successor
 * before the body runs: a body that sends or re-arms the message may
 * have it returned at once, and a return writes the link anew. */
#define port_for_each(m, first)                                                \
	for (struct drake_msg *m = (first), *m##_next = m ? port_next(m) : 0;  \
	     m; m = m##_next, m##_next = m ? port_next(m) : 0)

/*
 * Live messages (libsys/live.c). Each helper sends one live message to
 * an upcall port of its own; the callback runs as an upcall, and the
 * message is re-armed when it returns. They answer a handle (>= 0) for
 * live_stop(), or a negative error.
 *   signal_fn(sigbits, count, fault_addr, sender): the SIGBIT()s that
 *     occurred, how many times in all, the address of a fault (0
 *     otherwise), and who sent the latest (a task id; 0: the kernel)
 *   timer_fn(expiry, due_tick, count): the expiry number, the tick it
 *     was due at, and 1 + the expiries missed while the callback ran
 */
typedef void (*signal_fn)(uint32_t sigbits, uint32_t count, uint32_t fault_addr,
			  uint32_t sender);
typedef void (*timer_fn)(uint32_t expiry, uint32_t due_tick, uint32_t count);
int signal_catch(uint32_t mask, signal_fn fn);
int timer_start(uint32_t delay_ms, uint32_t period_ms, timer_fn fn);
int live_stop(int handle);
int sys_rearm(void *msg);
int sys_kill(int tid, int signo);
int sys_foreground(int tid); /* answers the previous foreground task */

/*
 * Services (libsys/service.c, docs/servers.md). Clients: svc_call and
 * svc_call_async send a request (a struct that starts with struct
 * drake_request) through a service port and return sendsys's code, like
 * sys_send and sys_send_async; svc_grant names the one buffer the server
 * may copy. Servers: the rest return a value >= 0 or -error.
 */
void svc_port_init(struct drake_svcport *port, uint32_t service);
void svc_grant(void *req, void *buf, uint32_t len, uint32_t access);
int svc_call(struct drake_svcport *port, void *req, uint16_t cmd,
	     uint32_t size);
int svc_call_async(struct drake_svcport *port, void *req, uint16_t cmd,
		   uint32_t size, struct drake_port *reply);
int svc_create(uint32_t flags); /* the new service's id */
int svc_receive(uint32_t service, void *buf, uint32_t len, uint32_t *handle,
		uint32_t *client);
int svc_receive_async(struct msg_receive *m, uint32_t service, void *buf,
		      uint32_t len, struct drake_port *port);
int svc_reply(uint32_t handle, int error, uint64_t result, const void *body,
	      uint32_t len);
long svc_copy(uint32_t handle, uint32_t direction, uint32_t offset, void *buf,
	      uint32_t len);
int svc_owner(uint32_t service); /* the owner's task id */
/* The name server: publish a service of yours, look one up (its id). */
int svc_publish(const char *name, uint32_t service);
int svc_lookup(const char *name);

/* Inside an upcall handler: the interrupted context, which the handler
 * may change (say, to resume a faulting task somewhere else). */
struct drake_upcall_frame *upcall_frame(void);

/* The userland critical section: PORT_CRIT upcalls wait until the
 * outermost crit_exit(), which calls flushsys() if one was held back. */
void crit_enter(void);
void crit_exit(void);

/* Stop in the Bochs debugger here (magic_break: xchg %bx,%bx); a no-op
 * anywhere else. */
#define BOCHS_BREAK() __asm__ volatile("xchgw %%bx, %%bx" ::: "memory")

/* Formatted output to the console, through WRITE messages. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);
const char *strerror(int err);

#endif
