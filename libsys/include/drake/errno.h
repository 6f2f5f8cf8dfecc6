/*
 * Drake error codes: the only value a system call returns in eax, and the
 * value the kernel stores in a returned message's `error` field.
 * 0 means success. One list, so the kernel, libsys and the trace/strerror
 * table can never disagree. X(code, NAME, description)
 */
#ifndef DRAKE_ERRNO_H
#define DRAKE_ERRNO_H

#define DRAKE_ERRORS(X)                                                        \
	X(1, EPERM, "operation not permitted")                                 \
	X(2, ENOENT, "no such module, file or name")                           \
	X(3, ESRCH, "no such task")                                            \
	X(4, EINTR, "interrupted by an upcall")                                \
	X(7, E2BIG, "argument too long")                                       \
	X(8, ENOEXEC, "not a valid executable")                                \
	X(10, ECHILD, "not a child of the caller")                             \
	X(11, EAGAIN, "resource temporarily unavailable")                      \
	X(12, ENOMEM, "out of memory")                                         \
	X(14, EFAULT, "bad user address")                                      \
	X(16, EBUSY, "message already in flight")                              \
	X(22, EINVAL, "invalid argument")                                      \
	X(32, EPIPE, "the service is gone")                                    \
	X(38, ENOSYS, "unknown command")                                       \
	X(42, ENOMSG, "message not in flight")                                 \
	X(90, EMSGSIZE, "bad message size")                                    \
	X(125, ECANCELED, "message aborted")                                   \
	X(200, EVERSION, "system port ABI version mismatch")                   \
	X(201, EASYNC, "queued: the message will be returned")

enum drake_errno {
	EOK = 0,
#define DRAKE_ERRNO_ENUM(code, name, text) name = code,
	DRAKE_ERRORS(DRAKE_ERRNO_ENUM)
#undef DRAKE_ERRNO_ENUM
};

#endif
