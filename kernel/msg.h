/*
 * The message trap: the one entry from user mode. Dispatch follows the
 * proposal's register encoding; each command is served by a handler that
 * gets the kernel's own copy of the message and fills in its result.
 */
#ifndef DRAKE_MSG_KERNEL_H
#define DRAKE_MSG_KERNEL_H

#include <drake/msg.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

/* Called by the arch trap entry, which has already decoded the register
 * encoding; the return value goes back to user mode in eax. */
ARCH_TRAP_ENTRY int msg_sendsys(uint32_t port, uint32_t msg, uint32_t size);
/* Tried first for a sendsys of MSG_FAST_SIZE bytes: the answer for eax
 * (low half), or MSG_SLOW for msg_sendsys to take the message. */
ARCH_TRAP_ENTRY uint64_t msg_fast(uint32_t port, uint32_t msg);
ARCH_TRAP_ENTRY int msg_waitsys(uint32_t port, uint32_t msg);

/* Send one entry of a BATCH exactly as sendsys would, except that BATCH
 * and UPCALL_RETURN are refused (EINVAL); *refused says whether it was.
 * Returns sendsys's code. */
int msg_send_batched(uint32_t port, uint32_t msg, uint32_t size, bool *refused);

struct kmsg;

/*
 * One handler per command (drake/cmds.h), in the svc_*.c files. Each
 * returns the message's error, or EASYNC after parking it (kmsg.h), or
 * MSG_RESUMED when it replaced the caller's context (UPCALL_RETURN):
 * then nothing is written back and eax becomes hdr.result.
 */
#define MSG_RESUMED (-1)
#define MSG_SLOW    (1ull << 32) /* msg_fast: not for the fast path */
#define MSG_HANDLER_DECL(num, NAME, name, type, fields)                        \
	int svc_##name(struct kmsg *k);
DRAKE_COMMANDS(MSG_HANDLER_DECL)
#undef MSG_HANDLER_DECL

#endif
