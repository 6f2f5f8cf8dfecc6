/*
 * Test helper for the hostile-review tests (t_hostile.c): one program,
 * many roles, chosen by the first argument. Results come back as the
 * exit status.
 *
 *   sigreq           own a service, send it an asynchronous request
 *                    whose cmd is CMD_SIGNAL's number and whose grant
 *                    word has SIGBIT(SIGUSR1) set (grant_len 0), then
 *                    KILL itself with SIGUSR1. It has no SIGNAL
 *                    message, so it must die of it (status -2010); if
 *                    it lives it exits with 1 (the request came back
 *                    as a "signal"), 2 (MSGINFO no longer calls the
 *                    queued request queued) or 3 (neither)
 *   call SVC VALUE   a synchronous request (cmd 1, no grant) to SVC:
 *                    exit with its result, or 100000 + error
 *   sigcall SVC      a synchronous request to SVC shaped like sigreq's
 *                    (cmd CMD_SIGNAL, grant word SIGBIT(SIGUSR1)):
 *                    exit with 100000 + error, or the result
 */
#include <drake/string.h>
#include <drake/sys.h>

struct hreq {
	struct drake_request req;
	uint32_t value;
};

static int sigreq(void)
{
	static struct hreq r;
	static struct drake_port port;
	struct drake_svcport sp;
	int id = svc_create(0);
	if (id < 0)
		return 10;
	svc_port_init(&sp, (uint32_t)id);
	port_init(&port, PORT_QUEUE, NULL, 0);
	/* the grant word is an address, and addresses have bits; with
	 * grant_len 0 the kernel does not look at it at all */
	svc_grant(&r, (void *)SIGBIT(SIGUSR1), 0, 0);
	if (svc_call_async(&sp, &r, CMD_SIGNAL, sizeof(r), &port) != EASYNC)
		return 11;
	sys_kill(sys_gettid(), SIGUSR1); /* no SIGNAL message: fatal */
	sys_sleep(20);
	if (r.req.hdr.flags & MSGF_DONE)
		return 1;
	struct drake_msginfo mi;
	if (sys_msginfo(0, 0, &mi) >= 0 && mi.state != MSG_STATE_QUEUED)
		return 2;
	return 3;
}

static int call(uint32_t svc, uint32_t value, uint16_t cmd, uint32_t grant)
{
	struct hreq r;
	struct drake_svcport sp;
	memset(&r, 0, sizeof(r));
	svc_port_init(&sp, svc);
	svc_grant(&r, (void *)grant, 0, 0);
	r.value = value;
	int err = svc_call(&sp, &r, cmd, sizeof(r));
	return err ? 100000 + err : (int)r.req.hdr.result;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	uint32_t a = argc > 2 ? (uint32_t)atoi(argv[2]) : 0;
	uint32_t b = argc > 3 ? (uint32_t)atoi(argv[3]) : 0;
	if (!strcmp(role, "sigreq"))
		return sigreq();
	if (!strcmp(role, "call"))
		return call(a, b, 1, 0);
	if (!strcmp(role, "sigcall"))
		return call(a, 0, CMD_SIGNAL, SIGBIT(SIGUSR1));
	return 99;
}
