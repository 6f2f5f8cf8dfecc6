/* Message handlers about messages themselves: abort and upcall return. */
#include <drake/errno.h>
#include <drake/msg.h>

#include "kmsg.h"
#include "live.h"
#include "msg.h"
#include "task.h"
#include "upcall.h"

/* result: for a held live message, the events it had counted since its
 * last return (they come back in it, not again on its port); else 0. */
int svc_abort(struct kmsg *k)
{
	struct msg_abort *m = (struct msg_abort *)&k->m;
	struct kmsg *target = kmsg_find(current, m->target);
	if (!target || !target->async)
		return ENOMSG;
	k->m.hdr.result = 0;
	if (target->live)
		k->m.hdr.result = live_abort(target);
	else
		kmsg_abort(target);
	return 0;
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
