/*
 * Issue 11, services under load: 10,000 requests from four client
 * tasks (svcc storm) to two server tasks (svcd storm), the servers
 * holding up to 12 requests open and answering them in a shuffled
 * order, receiving in every mode (synchronous RECEIVE, asynchronous
 * RECEIVEs returned to a PORT_QUEUE, PORT_UPCALL, PORT_CRIT and
 * PORT_TIMEOUT port) while the clients send in every mode (synchronous,
 * and asynchronous to the same four port modes). Every answer is
 * checked (result, body, grant copies) by its client, which counts the
 * returns of every message: exactly one each, none lost. The servers'
 * own counts must add up to the 10,000 and show that requests really
 * were held several at a time and answered out of order.
 */
#include "../check.h"
#include "iso.h"
#include "svct.h"

#define CLIENTS	     4
#define PER_CLIENT   2500
#define SERVER_PHASE 100

static int svcs[2], servers[2];

static bool start_servers(void)
{
	char args[48];
	CHECK(sys_spawn("ns", NULL) > 0);
	for (int i = 0; i < 2; i++) {
		fmt_snprintf(args, sizeof(args), "storm storm%d %d %d", i, i,
			     SERVER_PHASE);
		CHECK((servers[i] = sys_spawn("svcd", args)) > 0);
		fmt_snprintf(args, sizeof(args), "storm%d", i);
		CHECK((svcs[i] = svct_lookup(args)) > 0);
		CHECK_EQ(svc_owner((uint32_t)svcs[i]), servers[i]);
	}
	return true;
}

static bool ten_thousand_requests(void)
{
	char args[64];
	int tids[CLIENTS];
	uint64_t t0 = sys_uptime();
	for (int c = 0; c < CLIENTS; c++) {
		fmt_snprintf(args, sizeof(args), "storm %d %d %d %d", c,
			     svcs[0], svcs[1], PER_CLIENT);
		CHECK((tids[c] = sys_spawn("svcc", args)) > 0);
	}
	for (int c = 0; c < CLIENTS; c++) {
		int status = -1;
		CHECK_EQ(sys_wait(tids[c], &status), 0);
		CHECK_EQ(status, 0);
	}
	printf("  %d requests in %u ms\n", CLIENTS * PER_CLIENT,
	       (uint32_t)(sys_uptime() - t0));
	return true;
}

/* Stop both servers with SVCT_QUIT and check what they counted. */
static bool servers_counted_everything(void)
{
	uint32_t total = 0;
	for (int i = 0; i < 2; i++) {
		struct drake_svcport port;
		struct svct_quit q;
		memset(&q, 0, sizeof(q));
		svc_port_init(&port, (uint32_t)svcs[i]);
		CHECK_EQ(svc_call(&port, &q, SVCT_QUIT, sizeof(q)), 0);
		const uint32_t *st = q.stats;
		printf("  server %d: %u handled, %u batches of 2+, %u "
		       "reordered, %u held at most, %u upcalls (%u timeout), "
		       "modes %u/%u/%u/%u/%u\n",
		       i, st[ST_HANDLED], st[ST_MULTI], st[ST_REORDERED],
		       st[ST_MAX_HELD], st[ST_UPCALLS], st[ST_TIMEOUTS],
		       st[ST_MODE0], st[ST_MODE0 + 1], st[ST_MODE0 + 2],
		       st[ST_MODE0 + 3], st[ST_MODE0 + 4]);
		CHECK_EQ(q.req.hdr.result, st[ST_HANDLED]);
		/* each client sends half its requests to each server */
		CHECK_EQ(st[ST_HANDLED], CLIENTS * PER_CLIENT / 2);
		CHECK_EQ(st[ST_ERRORS], 0);
		CHECK_EQ(st[ST_CRIT_BAD], 0);
		CHECK(st[ST_MULTI] > 0);
		CHECK(st[ST_REORDERED] > 0);
		CHECK(st[ST_MAX_HELD] >= 4);
		CHECK(st[ST_MAX_HELD] <= SERVICE_OPEN_MAX);
		CHECK(st[ST_UPCALLS] > 0);
		CHECK(st[ST_TIMEOUTS] > 0);
		uint32_t sum = 0;
		for (int m = 0; m < 5; m++) {
			CHECK(st[ST_MODE0 + m] > 0);
			sum += st[ST_MODE0 + m];
		}
		CHECK_EQ(sum, st[ST_HANDLED]);
		total += st[ST_HANDLED];
		int status = -1;
		CHECK_EQ(sys_wait(servers[i], &status), 0);
		CHECK_EQ(status, 0);
		/* gone with its server: refused */
		struct svct_req r;
		memset(&r, 0, sizeof(r));
		CHECK_EQ(svc_call(&port, &r, SVCT_WORK, sizeof(r)), EPIPE);
		CHECK_EQ(svc_owner((uint32_t)svcs[i]), -EPIPE);
	}
	CHECK_EQ(total, CLIENTS * PER_CLIENT);
	return true;
}

int main(void)
{
	RUN(start_servers);
	RUN(ten_thousand_requests);
	RUN(servers_counted_everything);
	return check_summary();
}
