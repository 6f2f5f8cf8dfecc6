/* Message handlers about messages themselves: abort and upcall return. */
#include <drake/errno.h>
#include <drake/msg.h>

#include "kmsg.h"
#include "msg.h"
#include "task.h"
#include "upcall.h"

int svc_abort(struct kmsg *k)
{
	struct msg_abort *m = (struct msg_abort *)&k->m;
	return kmsg_abort(current, m->target);
}

/*
 * The end of every upcall (the libsys trampoline sends it). It never
 * returns to its sender: the interrupted context is restored instead,
 * eax included (the trap exit puts it where the error code would go).
 */
int svc_upcall_return(struct kmsg *k)
{
	uint32_t eax;
	if (k->async)
		return EINVAL; /* it replaces the context: nothing to queue */
	int err = upcall_return(current, &eax);
	if (err)
		return err;
	k->m.hdr.result = eax;
	return MSG_RESUMED;
}
