/*
 * Services from userland (docs/servers.md): a client sends requests
 * through a service port with the same sendsys as any message; a server
 * creates a service, receives requests, copies through the client's
 * grant and replies. The name server maps names to service ids.
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

void svc_port_init(struct drake_svcport *port, uint32_t service)
{
	port->magic = DRAKE_SVCPORT_MAGIC;
	port->service = service;
	port->sysport = (drake_uaddr)&sys_port;
	port->reserved = 0;
}

int svc_call(struct drake_svcport *port, void *req, uint16_t cmd, uint32_t size)
{
	msg_init(req, cmd, size, 0, NULL);
	return sendsys((struct drake_sysport *)port, req, size);
}

int svc_call_async(struct drake_svcport *port, void *req, uint16_t cmd,
		   uint32_t size, struct drake_port *reply)
{
	msg_init(req, cmd, size, MSGF_ASYNC, reply);
	return sendsys((struct drake_sysport *)port, req, size);
}

void svc_grant(void *req, void *buf, uint32_t len, uint32_t access)
{
	struct drake_request *r = req;
	r->grant = (drake_uaddr)buf;
	r->grant_len = len;
	r->grant_access = access;
}

int svc_create(uint32_t flags)
{
	struct msg_service m = {.flags = flags};
	int err = sys_send(&m, CMD_SERVICE, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

int svc_receive(uint32_t service, void *buf, uint32_t len, uint32_t *handle,
		uint32_t *client)
{
	struct msg_receive m = {
	    .service = service, .buf = (drake_uaddr)buf, .len = len};
	int err = sys_send(&m, CMD_RECEIVE, sizeof(m));
	if (err)
		return -err;
	*handle = (uint32_t)m.hdr.result;
	if (client)
		*client = (uint32_t)(m.hdr.result >> 32);
	return 0;
}

int svc_receive_async(struct msg_receive *m, uint32_t service, void *buf,
		      uint32_t len, struct drake_port *port)
{
	m->service = service;
	m->buf = (drake_uaddr)buf;
	m->len = len;
	return sys_send_async(m, CMD_RECEIVE, sizeof(*m), port);
}

int svc_reply(uint32_t handle, int error, uint64_t result, const void *body,
	      uint32_t len)
{
	struct msg_reply m = {.handle = handle,
			      .error = error,
			      .result = result,
			      .body = (drake_uaddr)body,
			      .bodylen = len};
	return -sys_send(&m, CMD_REPLY, sizeof(m));
}

long svc_copy(uint32_t handle, uint32_t direction, uint32_t offset, void *buf,
	      uint32_t len)
{
	struct msg_copy m = {.handle = handle,
			     .direction = direction,
			     .offset = offset,
			     .buf = (drake_uaddr)buf,
			     .len = len};
	int err = sys_send(&m, CMD_COPY, sizeof(m));
	return err ? -err : (long)m.hdr.result;
}

int svc_owner(uint32_t service)
{
	struct msg_svcinfo m = {.service = service};
	int err = sys_send(&m, CMD_SVCINFO, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

static int ns_call(uint16_t cmd, const char *name, uint32_t service)
{
	struct drake_svcport ns;
	struct ns_request r = {.service = service};
	size_t n = strlen(name);
	if (n > SVC_NAME_MAX)
		return -E2BIG;
	memcpy(r.name, name, n + 1);
	svc_port_init(&ns, SERVICE_NAMES);
	int err = svc_call(&ns, &r, cmd, sizeof(r));
	return err ? -err : (int)r.req.hdr.result;
}

int svc_publish(const char *name, uint32_t service)
{
	int err = ns_call(NS_PUBLISH, name, service);
	return err < 0 ? err : 0;
}

int svc_lookup(const char *name)
{
	return ns_call(NS_LOOKUP, name, 0);
}
