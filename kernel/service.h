/*
 * Services: ports between tasks, the microkernel half of Drake
 * (docs/servers.md). A server owns a service; a client's request is the
 * client's own message, accepted like any other, parked on the service
 * and copied into the server's memory when the server RECEIVEs it. The
 * server REPLYs, which completes the client's message exactly as a
 * kernel service completes one: a synchronous client wakes, an
 * asynchronous one gets it back through its reply port. While a request
 * is open (received, not replied) the server may COPY to or from the one
 * buffer its client granted, and nowhere else.
 *
 * Failure, exactly once: a client that exits, aborts or is interrupted
 * gives its request up (the server's REPLY or COPY then gets ECANCELED);
 * a server that exits fails every request queued or open with EPIPE.
 */
#ifndef DRAKE_SERVICE_H
#define DRAKE_SERVICE_H

#include <stdint.h>

struct kmsg;
struct task;

struct service *service_find(uint32_t id);
uint32_t service_id(const struct service *s);
int service_create(struct task *t, uint32_t flags, uint32_t *id);
int service_submit(struct kmsg *k);
int service_receive(struct kmsg *k);
int service_reply(struct kmsg *k);
int service_copy(struct kmsg *k);
int service_owner(uint32_t id, uint32_t *tid);
void service_rundown(struct task *t);

#endif
