/*
 * The protocols of Drake's own servers (docs/servers.md): the name
 * server (service id SERVICE_NAMES), the file server ("files") and the
 * ping server ("ping"). Every request starts with struct drake_request.
 */
#ifndef DRAKE_SVC_H
#define DRAKE_SVC_H

#include <drake/msg.h>

#define SVC_NAME_MAX 31u

/* The name server: names to service ids. result: the service id. */
#define NS_PUBLISH 1 /* name -> service; only its owner may publish it */
#define NS_LOOKUP  2

struct ns_request {
	struct drake_request req;
	uint32_t service; /* NS_PUBLISH */
	char name[SVC_NAME_MAX + 1];
};

/* The file server. A file's data moves through the request's grant:
 * FS_READ writes into it (GRANT_WRITE), FS_WRITE reads from it
 * (GRANT_READ). result: bytes moved; FS_LIST: the next index, 0 at the
 * end, with the index-th file's name and size in the reply body. */
#define FS_LIST	 1
#define FS_READ	 2 /* name, offset */
#define FS_WRITE 3 /* name: the file becomes the grant's bytes */

struct fs_request {
	struct drake_request req;
	uint32_t index;	 /* FS_LIST */
	uint32_t offset; /* FS_READ */
	char name[SVC_NAME_MAX + 1];
	uint32_t size; /* reply body for FS_LIST */
};

/* The ping server answers PING with result = the request's value + 1. */
#define PING 1

struct ping_request {
	struct drake_request req;
	uint32_t value;
};

_Static_assert(sizeof(struct ns_request) == 80, "abi");
_Static_assert(sizeof(struct fs_request) == 88, "abi");
_Static_assert(sizeof(struct ping_request) == 48, "abi");

#endif
