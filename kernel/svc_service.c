/* Message handlers for services (service.c) and the boot modules the
 * file server serves. */
#include <drake/errno.h>
#include <drake/msg.h>
#include <drake/string.h>

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "msg.h"
#include "sched.h"
#include "service.h"
#include "task.h"

int svc_service(struct kmsg *k)
{
	struct msg_service *m = (struct msg_service *)&k->m;
	uint32_t id;
	int err = service_create(current, m->flags, &id);
	if (!err)
		m->hdr.result = id;
	return err;
}

int svc_receive(struct kmsg *k)
{
	return service_receive(k);
}

int svc_reply(struct kmsg *k)
{
	return service_reply(k);
}

int svc_copy(struct kmsg *k)
{
	return service_copy(k);
}

int svc_svcinfo(struct kmsg *k)
{
	struct msg_svcinfo *m = (struct msg_svcinfo *)&k->m;
	uint32_t tid;
	int err = service_owner(m->service, &tid);
	if (!err)
		m->hdr.result = tid;
	return err;
}

int svc_modinfo(struct kmsg *k)
{
	struct msg_modinfo *m = (struct msg_modinfo *)&k->m;
	if (m->index >= boot_info.nmodules)
		return ENOENT;
	const struct boot_module *b = &boot_info.modules[m->index];
	struct drake_modinfo info = {.size = b->end - b->start};
	memcpy(info.name, b->name, sizeof(info.name));
	int err = copyout(m->info, &info, sizeof(info));
	if (!err)
		m->hdr.result =
		    m->index + 1 < boot_info.nmodules ? m->index + 1 : 0;
	return err;
}

/* Modules are kernel memory: copied out in chunks, clamped to the
 * module. */
int svc_modread(struct kmsg *k)
{
	struct msg_modread *m = (struct msg_modread *)&k->m;
	if (m->index >= boot_info.nmodules)
		return ENOENT;
	const struct boot_module *b = &boot_info.modules[m->index];
	uint32_t size = b->end - b->start;
	uint32_t n = m->offset < size ? size - m->offset : 0;
	if (n > m->len)
		n = m->len;
	if (!user_range_ok(m->buf, n))
		return EFAULT;
	uint32_t done = 0;
	while (done < n) {
		uint32_t chunk = n - done < PAGE_SIZE ? n - done : PAGE_SIZE;
		if (copyout_checked(m->buf + done,
				    (const void *)(b->start + m->offset + done),
				    chunk))
			return EFAULT;
		done += chunk;
		if (done < n && sched_preempt_point())
			break;
	}
	m->hdr.result = done;
	return 0;
}
