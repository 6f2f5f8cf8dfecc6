/*
 * Hostile review: promises of docs/abi.md and docs/servers.md that an
 * attacker (or just an unlucky program) can break, each checked from
 * the outside. This test is init, so every helper (hkid) is its child
 * and may be killed; it owns one service, S, which it serves itself.
 */
#include "../check.h"
#include "iso.h"

#include <drake/fmt.h>

struct hreq {
	struct drake_request req;
	uint32_t value;
};

static uint32_t S;

/* Wait (up to 2 s) until task tid has a request in flight in `state`. */
static bool req_state(int tid, uint32_t state)
{
	struct drake_msginfo mi;
	uint64_t end = sys_uptime() + 2000;
	while (sys_uptime() < end) {
		if (sys_msginfo(tid, 0, &mi) >= 0 && mi.state == state)
			return true;
		sys_sleep(5);
	}
	return false;
}

/* Collect tid, killing it first if it is still there after ms. */
static int reap(int tid, uint32_t ms)
{
	struct drake_taskinfo t;
	uint64_t end = sys_uptime() + ms;
	while (sys_uptime() < end && iso_taskinfo((uint32_t)tid, &t) &&
	       t.state != TASK_STATE_ZOMBIE)
		sys_sleep(5);
	if (iso_taskinfo((uint32_t)tid, &t) && t.state != TASK_STATE_ZOMBIE)
		sys_kill(tid, SIGKILL);
	int status = 0;
	sys_wait(tid, &status);
	return status;
}

/*
 * A request's command number is the service's own (abi.md: "never
 * checked by the kernel"), and a request is not a SIGNAL message: a
 * task with no SIGNAL message dies of SIGUSR1 whatever requests it has
 * in flight. kernel/signal.c's signal_catcher looks only at cmd and the
 * word at offset 32, so a request with cmd 14 (CMD_SIGNAL) whose grant
 * address has the signal's bit is taken for a signal message, and the
 * live-message code then works on the request's kmsg.
 */
static bool request_is_not_a_signal(void)
{
	int kid = sys_spawn("hkid", "sigreq");
	CHECK(kid > 0);
	CHECK_EQ(reap(kid, 2000), TASK_SIGNALED_STATUS(SIGUSR1));
	return true;
}

/*
 * A client killed just after its request was replied to (woken, not
 * yet run) must not touch the request slot it had: the server's next
 * request, from another client, may already be open in it. Today
 * msg_wait_sync() calls kmsg_forget() on the completed message, and
 * service_cancel() clears open[slot].k of the new request: its REPLY
 * gets ECANCELED and its client is never answered (not even with
 * EPIPE when the server exits).
 */
static bool killed_client_spares_the_next(void)
{
	char args[32];
	fmt_snprintf(args, sizeof(args), "call %u 1", S);
	int a = sys_spawn("hkid", args);
	CHECK(a > 0);
	CHECK(req_state(a, MSG_STATE_QUEUED));
	fmt_snprintf(args, sizeof(args), "call %u 2", S);
	int b = sys_spawn("hkid", args);
	CHECK(b > 0);
	CHECK(req_state(b, MSG_STATE_QUEUED));

	struct hreq r;
	uint32_t ha, hb, client;
	CHECK_EQ(svc_receive(S, &r, sizeof(r), &ha, &client), 0);
	CHECK_EQ(client, (uint32_t)a);
	/* From here to the KILL, a does not run on one CPU: it is ready,
	 * we are not preempted within a few calls. With more CPUs it may
	 * run at once elsewhere, and be gone (ESRCH) with its answer. */
	CHECK_EQ(svc_reply(ha, 0, 111, NULL, 0), 0);
	CHECK_EQ(svc_receive(S, &r, sizeof(r), &hb, &client), 0);
	CHECK_EQ(client, (uint32_t)b);
	uint32_t ncpus = 1;
	sys_cpuinfo(&ncpus);
	int killed = sys_kill(a, SIGKILL);
	if (ncpus > 1) { /* exited already, or on its way out, or killed */
		CHECK(killed == 0 || killed == -ESRCH);
		int sa = reap(a, 500);
		CHECK(sa == 111 || sa == TASK_SIGNALED_STATUS(SIGKILL));
	} else {
		CHECK_EQ(killed, 0);
		sys_sleep(30); /* a runs and exits */
		CHECK_EQ(reap(a, 500), TASK_SIGNALED_STATUS(SIGKILL));
	}
	int err = svc_reply(hb, 0, 222, NULL, 0);
	int status = reap(b, 500);
	CHECK_EQ(err, 0);
	CHECK_EQ(status, 222);
	return true;
}

/*
 * The same confusion on an open synchronous request: the kernel adds
 * the signal to the request's handle (the union under kmsg.state), so
 * when its client dies the slot next to its own is cleared: another
 * client's request is given up (its REPLY gets ECANCELED, it is never
 * answered) while the dead client's slot still points at its kmsg, on
 * a kernel stack that is gone. Run alone (t_hostile uaf): on today's
 * kernel the last REPLY writes through that pointer.
 */
static bool signal_to_open_request(void)
{
	char args[32];
	fmt_snprintf(args, sizeof(args), "sigcall %u", S);
	int c1 = sys_spawn("hkid", args);
	CHECK(c1 > 0);
	CHECK(req_state(c1, MSG_STATE_QUEUED));
	fmt_snprintf(args, sizeof(args), "call %u 2", S);
	int c2 = sys_spawn("hkid", args);
	CHECK(c2 > 0);
	CHECK(req_state(c2, MSG_STATE_QUEUED));
	struct hreq r;
	uint32_t h1, h2, client;
	CHECK_EQ(svc_receive(S, &r, sizeof(r), &h1, &client), 0);
	CHECK_EQ(client, (uint32_t)c1);
	CHECK_EQ(svc_receive(S, &r, sizeof(r), &h2, &client), 0);
	CHECK_EQ(client, (uint32_t)c2);
	CHECK_EQ(sys_kill(c1, SIGUSR1), 0); /* c1 has no SIGNAL message */
	int s1 = reap(c1, 300);
	int err2 = svc_reply(h2, 0, 222, NULL, 0);
	int s2 = reap(c2, 300);
	CHECK_EQ(s1, TASK_SIGNALED_STATUS(SIGUSR1));
	CHECK_EQ(err2, 0);
	CHECK_EQ(s2, 222);
	CHECK_EQ(svc_reply(h1, 0, 111, NULL, 0), -ECANCELED);
	return true;
}

/*
 * MSGINFO describes any task's messages (abi.md): another task's
 * request is QUEUED, then OPEN once received, with its service id, and
 * gone once replied to; a task that does not exist is ESRCH.
 */
static bool msginfo_of_another(void)
{
	char args[32];
	fmt_snprintf(args, sizeof(args), "call %u 7", S);
	int c = sys_spawn("hkid", args);
	CHECK(c > 0);
	CHECK(req_state(c, MSG_STATE_QUEUED));
	struct drake_msginfo mi;
	CHECK_EQ(sys_msginfo(c, 0, &mi), 0);
	CHECK_EQ(mi.cmd, 1);
	CHECK_EQ(mi.service, S);
	CHECK_EQ(mi.reply, 0);
	struct hreq r;
	uint32_t h, client;
	CHECK_EQ(svc_receive(S, &r, sizeof(r), &h, &client), 0);
	CHECK_EQ(client, (uint32_t)c);
	CHECK_EQ(sys_msginfo(c, 0, &mi), 0);
	CHECK_EQ(mi.state, MSG_STATE_OPEN);
	CHECK_EQ(svc_reply(h, 0, 77, NULL, 0), 0);
	CHECK_EQ(sys_msginfo(c, 0, &mi), -ENOENT);
	CHECK_EQ(reap(c, 500), 77);
	CHECK_EQ(sys_msginfo(999, 0, &mi), -ESRCH);
	return true;
}

int main(int argc, char **argv)
{
	int id = svc_create(0);
	if (id < 0) {
		printf("t_hostile: no service: %s\n", strerror(id));
		return 1;
	}
	S = (uint32_t)id;
	if (argc > 1 && !strcmp(argv[1], "uaf")) {
		RUN(signal_to_open_request);
		return check_summary();
	}
	RUN(msginfo_of_another);
	RUN(killed_client_spares_the_next);
	RUN(request_is_not_a_signal);
	return check_summary();
}
