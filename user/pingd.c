/*
 * pingd: the smallest server. It publishes "ping" and answers every
 * PING request with its value plus one; `ping` is its client.
 */
#include <drake/svc.h>
#include <drake/sys.h>

int main(void)
{
	int id = svc_create(0);
	int err = id < 0 ? id : svc_publish("ping", (uint32_t)id);
	if (err < 0) {
		printf("pingd: %s\n", strerror(err));
		return 1;
	}
	for (;;) {
		struct ping_request r;
		uint32_t handle;
		if (svc_receive((uint32_t)id, &r, sizeof(r), &handle, NULL))
			continue;
		if (r.req.hdr.cmd == PING && r.req.hdr.size == sizeof(r))
			svc_reply(handle, 0, r.value + 1ull, NULL, 0);
		else
			svc_reply(handle, ENOSYS, 0, NULL, 0);
	}
}
