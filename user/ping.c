/*
 * ping [N]: N synchronous request/reply round trips to the ping server
 * ("ping", served by pingd), each checked, and the time they took. A
 * round trip is: the request sent through a service port, copied into
 * pingd's memory, pingd's REPLY, and this task resumed with the result.
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 1 ? (uint32_t)atoi(argv[1]) : 1000;
	int id = svc_lookup("ping");
	if (id < 0) {
		printf("ping: no ping server (%s): start pingd first\n",
		       strerror(id));
		return 1;
	}
	struct drake_svcport port;
	svc_port_init(&port, (uint32_t)id);
	uint64_t start = sys_uptime();
	for (uint32_t i = 0; i < rounds; i++) {
		struct ping_request r = {.value = i};
		int err = svc_call(&port, &r, PING, sizeof(r));
		if (err || r.req.hdr.result != i + 1ull) {
			printf("ping: round trip %u failed: %s\n", i,
			       err ? strerror(err) : "wrong answer");
			return 1;
		}
	}
	uint64_t ms = sys_uptime() - start;
	printf("ping: %u round trips to service %d in %llu ms (%llu us "
	       "each)\n",
	       rounds, id, ms, rounds ? ms * 1000 / rounds : 0);
	return 0;
}
