/*
 * The list of message commands: the single place a command is declared.
 * X(number, NAME, name, message type)
 * From it come the CMD_* numbers, the kernel's dispatch table (handler
 * svc_<name>, exact size check), and the names the tracer prints.
 * Adding a command is one line here plus its handler and libsys wrapper.
 */
#ifndef DRAKE_CMDS_H
#define DRAKE_CMDS_H

#define DRAKE_COMMANDS(X)                                                      \
	X(0, NOP, nop, struct drake_msg)                                       \
	X(1, WRITE, write, struct msg_write)                                   \
	X(2, EXIT, exit, struct msg_exit)                                      \
	X(3, SPAWN, spawn, struct msg_spawn)                                   \
	X(4, WAIT, wait, struct msg_wait)                                      \
	X(5, GETTID, gettid, struct drake_msg)                                 \
	X(6, YIELD, yield, struct drake_msg)                                   \
	X(7, SLEEP, sleep, struct msg_sleep)                                   \
	X(8, UPTIME, uptime, struct drake_msg)                                 \
	X(9, MEMINFO, meminfo, struct drake_msg)                               \
	X(10, READ, read, struct msg_read)                                     \
	X(11, TICKS, ticks, struct msg_ticks)                                  \
	X(12, ABORT, abort, struct msg_abort)                                  \
	X(13, UPCALL_RETURN, upcall_return, struct drake_msg)                  \
	X(14, SIGNAL, signal, struct msg_signal)                               \
	X(15, TIMER, timer, struct msg_timer)                                  \
	X(16, KILL, kill, struct msg_kill)                                     \
	X(17, REARM, rearm, struct msg_rearm)                                  \
	X(18, FOREGROUND, foreground, struct msg_foreground)                   \
	X(19, BRK, brk, struct msg_brk)                                        \
	X(20, TASKINFO, taskinfo, struct msg_taskinfo)                         \
	X(21, HALT, halt, struct drake_msg)                                    \
	X(22, SERVICE, service, struct msg_service)                            \
	X(23, RECEIVE, receive, struct msg_receive)                            \
	X(24, REPLY, reply, struct msg_reply)                                  \
	X(25, COPY, copy, struct msg_copy)                                     \
	X(26, SVCINFO, svcinfo, struct msg_svcinfo)                            \
	X(27, MODINFO, modinfo, struct msg_modinfo)                            \
	X(28, MODREAD, modread, struct msg_modread)

#define DRAKE_CMD_ENUM(num, NAME, name, type) CMD_##NAME = num,
enum drake_cmd { DRAKE_COMMANDS(DRAKE_CMD_ENUM) CMD_COUNT };
#undef DRAKE_CMD_ENUM

#endif
