/*
 * upperd: the tutorial server (docs/servers.md). It publishes "upper"
 * and answers UPPER by upper-casing the client's buffer in place: COPY
 * brings the granted bytes here, COPY puts them back changed.
 */
#include <drake/sys.h>

#define UPPER 1 /* the one command; upper.c uses the same number */

/* Upper-case the grant, a chunk at a time: bytes done, or -error. */
static long upper(uint32_t handle, uint32_t len)
{
	char buf[64];
	uint32_t done = 0;
	while (done < len) {
		uint32_t n =
		    len - done < sizeof(buf) ? len - done : sizeof(buf);
		long got = svc_copy(handle, COPY_FROM_CLIENT, done, buf, n);
		if (got < 0)
			return got;
		for (uint32_t i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 'a' - 'A';
		if ((got = svc_copy(handle, COPY_TO_CLIENT, done, buf, n)) < 0)
			return got;
		done += n;
	}
	return done;
}

int main(void)
{
	int id = svc_create(0);
	int err = id < 0 ? id : svc_publish("upper", (uint32_t)id);
	if (err < 0) {
		printf("upperd: %s\n", strerror(err));
		return 1;
	}
	for (;;) {
		struct drake_request r;
		uint32_t handle;
		if (svc_receive((uint32_t)id, &r, sizeof(r), &handle, NULL))
			continue;
		long n =
		    r.hdr.cmd == UPPER ? upper(handle, r.grant_len) : -ENOSYS;
		svc_reply(handle, n < 0 ? (int)-n : 0, n < 0 ? 0 : (uint64_t)n,
			  NULL, 0);
	}
}
