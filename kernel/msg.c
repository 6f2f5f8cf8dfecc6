/*
 * sendsys, waitsys and flushsys. A message is first checked and copied:
 * the system port must be readable and carry our ABI version, the size
 * must be within [header, MSG_MAX_SIZE], the whole message readable, the
 * command known, and the size exactly the command's. Failing any of these
 * the call is refused: the error comes back in eax and the user's message
 * is not touched. An accepted message runs its handler on the kernel's
 * copy, then only the result area (flags, error, result) is written back.
 */
#include "msg.h"

#include <drake/errno.h>

#include "arch.h"
#include "kernel.h"

struct msg_command {
	int (*handler)(void *msg);
	uint32_t size;
};

#define MSG_TABLE_ENTRY(num, NAME, name, type)                                 \
	[CMD_##NAME] = {svc_##name, sizeof(type)},
static const struct msg_command msg_commands[CMD_COUNT] = {
    DRAKE_COMMANDS(MSG_TABLE_ENTRY)};
#undef MSG_TABLE_ENTRY

/* The part of the header the kernel writes back: flags..result. */
#define MSG_RESULT_OFFSET offsetof(struct drake_msg, flags)
#define MSG_RESULT_SIZE                                                        \
	(offsetof(struct drake_msg, reply) - offsetof(struct drake_msg, flags))

static int msg_port_check(uint32_t port)
{
	uint32_t version;
	int err = fetch_user32(port + offsetof(struct drake_sysport, version),
			       &version);
	if (err)
		return err;
	return version == DRAKE_ABI_VERSION ? 0 : EVERSION;
}

ARCH_TRAP_ENTRY int msg_sendsys(uint32_t port, uint32_t umsg, uint32_t size)
{
	union {
		struct drake_msg hdr;
		uint8_t bytes[MSG_MAX_SIZE];
	} m;
	int err = msg_port_check(port);
	if (err)
		return err;
	if (size < sizeof(m.hdr) || size > MSG_MAX_SIZE)
		return EMSGSIZE;
	err = copyin(&m, umsg, size);
	if (err)
		return err;
	if (m.hdr.cmd >= CMD_COUNT)
		return ENOSYS;
	const struct msg_command *c = &msg_commands[m.hdr.cmd];
	if (size != c->size || m.hdr.size != size)
		return EMSGSIZE;

	m.hdr.error = c->handler(&m);
	m.hdr.flags |= MSGF_DONE;
	err = copyout(umsg + MSG_RESULT_OFFSET, &m.bytes[MSG_RESULT_OFFSET],
		      MSG_RESULT_SIZE);
	return err ? err : m.hdr.error;
}

/* Nothing is ever held back while all messages are synchronous. */
static int msg_flushsys(void)
{
	return 0;
}

/*
 * Every message completes before sendsys returns, so a message waitsys
 * is asked about is either done already or was never sent.
 */
ARCH_TRAP_ENTRY int msg_waitsys(uint32_t port, uint32_t umsg)
{
	struct drake_msg hdr;
	if (!port && !umsg)
		return msg_flushsys();
	if (!umsg)
		return EINVAL;
	int err = copyin(&hdr, umsg, sizeof(hdr));
	if (err)
		return err;
	return hdr.flags & MSGF_DONE ? 0 : EINVAL;
}
