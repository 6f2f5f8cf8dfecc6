/*
 * The list of message commands: the single place a command is declared.
 * X(number, NAME, name, message type, "its body's 32-bit fields")
 * From it come the CMD_* numbers, the kernel's dispatch table (handler
 * svc_<name>, exact size check), and the names and fields the tracer
 * prints.
 * Adding a command is one line here plus its handler and libsys wrapper.
 */
#ifndef DRAKE_CMDS_H
#define DRAKE_CMDS_H

#define DRAKE_COMMANDS(X)                                                      \
	X(0, NOP, nop, struct drake_msg, "")                                   \
	X(1, WRITE, write, struct msg_write, "buf len")                        \
	X(2, EXIT, exit, struct msg_exit, "status")                            \
	X(3, SPAWN, spawn, struct msg_spawn, "name namelen args argslen")      \
	X(4, WAIT, wait, struct msg_wait, "tid")                               \
	X(5, GETTID, gettid, struct drake_msg, "")                             \
	X(6, YIELD, yield, struct drake_msg, "")                               \
	X(7, SLEEP, sleep, struct msg_sleep, "ms")                             \
	X(8, UPTIME, uptime, struct drake_msg, "")                             \
	X(9, MEMINFO, meminfo, struct drake_msg, "")                           \
	X(10, READ, read, struct msg_read, "buf len")                          \
	X(11, TICKS, ticks, struct msg_ticks, "ticks")                         \
	X(12, ABORT, abort, struct msg_abort, "target")                        \
	X(13, UPCALL_RETURN, upcall_return, struct drake_msg, "")              \
	X(14, SIGNAL, signal, struct msg_signal, "mask")                       \
	X(15, TIMER, timer, struct msg_timer, "delay_ms period_ms")            \
	X(16, KILL, kill, struct msg_kill, "tid signo")                        \
	X(17, REARM, rearm, struct msg_rearm, "target")                        \
	X(18, FOREGROUND, foreground, struct msg_foreground, "tid")            \
	X(19, BRK, brk, struct msg_brk, "end")                                 \
	X(20, TASKINFO, taskinfo, struct msg_taskinfo, "index info")           \
	X(21, HALT, halt, struct drake_msg, "")                                \
	X(22, SERVICE, service, struct msg_service, "flags")                   \
	X(23, RECEIVE, receive, struct msg_receive, "service buf len")         \
	X(24, REPLY, reply, struct msg_reply,                                  \
	  "handle error result_lo result_hi body bodylen")                     \
	X(25, COPY, copy, struct msg_copy, "handle direction offset buf len")  \
	X(26, SVCINFO, svcinfo, struct msg_svcinfo, "service")                 \
	X(27, MODINFO, modinfo, struct msg_modinfo, "index info")              \
	X(28, MODREAD, modread, struct msg_modread, "index offset buf len")    \
	X(29, TRACE, trace, struct msg_trace, "tid flags")                     \
	X(30, MSGINFO, msginfo, struct msg_msginfo, "tid index info")          \
	X(31, BATCH, batch, struct msg_batch, "list count")                    \
	X(32, CPUINFO, cpuinfo, struct drake_msg, "")                          \
	X(33, CPUSTAT, cpustat, struct msg_cpustat, "index info")

#define DRAKE_CMD_ENUM(num, NAME, name, type, fields) CMD_##NAME = num,
enum drake_cmd { DRAKE_COMMANDS(DRAKE_CMD_ENUM) CMD_COUNT };
#undef DRAKE_CMD_ENUM

#endif
