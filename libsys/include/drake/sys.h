/*
 * libsys: the user side of Drake. Three primitives make the trap
 * (syscall.S); every other function here builds a message and sends it.
 * Wrappers return a value >= 0 on success and a negative error code
 * (-EFAULT, ...) on failure.
 */
#ifndef DRAKE_SYS_H
#define DRAKE_SYS_H

#include <drake/errno.h>
#include <drake/msg.h>
#include <stdint.h>

/* The raw trap (int 0x81); each returns 0 or an error code. */
int sendsys(struct drake_sysport *port, void *msg, uint32_t size);
int waitsys(void *port, void *msg);
int flushsys(void);

/* This program's system port, passed to every sendsys. */
extern struct drake_sysport sys_port;

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
int sys_meminfo(uint32_t *free_pages, uint32_t *total_pages);

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

/* The userland critical section: PORT_CRIT upcalls wait until the
 * outermost crit_exit(), which calls flushsys() if one was held back. */
void crit_enter(void);
void crit_exit(void);

/* Formatted output to the console, through WRITE messages. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);
const char *strerror(int err);

#endif
