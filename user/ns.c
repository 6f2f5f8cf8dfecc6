/*
 * ns: the name server, the one server every other is found through.
 *
 * It owns the well-known service SERVICE_NAMES (id 1), so a client needs
 * no name to reach it, and maps names to service ids: NS_PUBLISH from a
 * server (only for a service it owns: the kernel's SVCINFO says who owns
 * an id), NS_LOOKUP from anyone. A name whose service has gone is
 * dropped when next looked at. The kernel keeps no names at all: this
 * is policy, and it lives in user space (docs/servers.md).
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

#define NAMES_MAX 32

struct name {
	char name[SVC_NAME_MAX + 1];
	uint32_t service; /* 0: a free entry */
	uint32_t owner;
};

static struct name names[NAMES_MAX];

/* Is n's service still the one its owner published? Else forget it. */
static bool ns_alive(struct name *n)
{
	int owner = svc_owner(n->service);
	if (owner < 0 || (uint32_t)owner != n->owner)
		n->service = 0;
	return n->service != 0;
}

static struct name *ns_find(const char *name)
{
	for (int i = 0; i < NAMES_MAX; i++)
		if (names[i].service && !strcmp(names[i].name, name) &&
		    ns_alive(&names[i]))
			return &names[i];
	return NULL;
}

static struct name *ns_free_entry(void)
{
	for (int i = 0; i < NAMES_MAX; i++)
		if (!names[i].service || !ns_alive(&names[i]))
			return &names[i];
	return NULL;
}

static int ns_publish(const struct ns_request *r, uint32_t client)
{
	if (svc_owner(r->service) != (int)client)
		return EPERM;
	struct name *n = ns_find(r->name);
	if (n && n->owner != client)
		return EBUSY;
	if (!n && !(n = ns_free_entry()))
		return EAGAIN;
	memcpy(n->name, r->name, sizeof(n->name));
	n->service = r->service;
	n->owner = client;
	return 0;
}

static int ns_serve(struct ns_request *r, uint32_t client, uint64_t *result)
{
	if (r->req.hdr.size != sizeof(*r))
		return EMSGSIZE;
	r->name[SVC_NAME_MAX] = '\0';
	if (r->req.hdr.cmd == NS_PUBLISH)
		return ns_publish(r, client);
	if (r->req.hdr.cmd != NS_LOOKUP)
		return ENOSYS;
	struct name *n = ns_find(r->name);
	if (!n)
		return ENOENT;
	*result = n->service;
	return 0;
}

int main(void)
{
	int id = svc_create(SVC_NAMES);
	if (id < 0) {
		printf("ns: cannot be the name server: %s\n", strerror(id));
		return 1;
	}
	for (;;) {
		struct ns_request r;
		uint32_t handle, client;
		uint64_t result = 0;
		if (svc_receive(SERVICE_NAMES, &r, sizeof(r), &handle, &client))
			continue;
		int err = ns_serve(&r, client, &result);
		svc_reply(handle, err, result, NULL, 0);
	}
}
