/*
 * Helpers shared by the service tests (t_service.c, t_service_storm.c)
 * and their helper programs (svcd.c, a test server; svcc.c, a test
 * client): the test protocol, its expected answers, and finding a
 * service by name through the name server.
 */
#ifndef DRAKE_SVCT_H
#define DRAKE_SVCT_H

#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

/* Commands of the test protocol (the service's own numbers). */
#define SVCT_WORK 1  /* answer with svct_result(), body, grant copies */
#define SVCT_QUIT 99 /* answer with the server's statistics, then exit */

/* A request; the reply body (struct svct_body) overwrites the fields
 * after the drake_request, so a client can tell the body arrived. */
struct svct_req {
	struct drake_request req;
	uint32_t value;
	uint32_t index;
	uint32_t client;
	uint32_t check;
};

struct svct_body {
	uint32_t value;	 /* the request's */
	uint32_t index;	 /* the request's */
	uint32_t server; /* which server answered */
	uint32_t check;	 /* svct_check(value, server) */
};

/* Statistics a storm server answers SVCT_QUIT with (the reply body). */
enum {
	ST_HANDLED,   /* SVCT_WORK requests replied to */
	ST_MULTI,     /* batches that held two or more requests open */
	ST_REORDERED, /* batches replied in another order than received */
	ST_MAX_HELD,  /* most requests held open at once */
	ST_UPCALLS,   /* receive-port upcall handler runs */
	ST_TIMEOUTS,  /* of which PORT_TIMEOUT reversions */
	ST_CRIT_BAD,  /* handler runs inside a critical section */
	ST_ERRORS,    /* unexpected errors or data */
	ST_MODE0,     /* requests received in each mode: sync, QUEUE, */
	ST_MODE_LAST = ST_MODE0 + 4, /* UPCALL, CRIT, TIMEOUT */
	ST_COUNT
};

struct svct_quit {
	struct drake_request req;
	uint32_t stats[ST_COUNT];
};

static inline uint64_t svct_result(uint32_t value, uint32_t server)
{
	return (uint64_t)(value ^ (0x9e3779b9u * (server + 1))) << 32 |
	       (value * 2654435761u + server);
}

static inline uint32_t svct_check(uint32_t value, uint32_t server)
{
	return value * 7u + server * 0x01000193u + 1;
}

/* What the server writes into the second half of a 16-byte grant whose
 * first half it read as (a, b). */
static inline uint32_t svct_grant0(uint32_t a, uint32_t server)
{
	return a + server + 1;
}

static inline uint32_t svct_grant1(uint32_t b)
{
	return b ^ 0xa5a5a5a5u;
}

/* The service published as `name`, waiting up to 3 s for it. */
static inline int svct_lookup(const char *name)
{
	uint64_t end = sys_uptime() + 3000;
	int id;
	while ((id = svc_lookup(name)) < 0 && sys_uptime() < end)
		sys_sleep(5);
	return id;
}

/* A small deterministic random number generator. */
static inline uint32_t svct_rand(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

#endif
