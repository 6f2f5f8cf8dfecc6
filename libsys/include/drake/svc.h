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

/*
 * The file server ("files", user/files.c): the boot modules plus files
 * written at run time, in RAM. A file's data moves through the
 * request's grant: FS_READ copies into it (GRANT_WRITE), FS_WRITE reads
 * all of it (GRANT_READ). A successful reply's body is the file's size
 * and name, over the request's own `size` and `name` (the reply body
 * lands right after struct drake_request). result: FS_LIST: the next
 * index, 0 after the last file; FS_READ: bytes copied, 0 at or past the
 * end; FS_WRITE: bytes written. Errors: ENOENT no such file or index,
 * EAGAIN FS_FILES_MAX files already, E2BIG larger than FS_FILE_MAX,
 * ENOMEM the server's heap is full, EINVAL an empty name, EFAULT a
 * grant that does not allow the copy, EMSGSIZE, ENOSYS.
 */
#define FS_LIST	 1 /* index */
#define FS_READ	 2 /* name, offset: at most grant_len bytes */
#define FS_WRITE 3 /* name: the file becomes the grant's bytes */

#define FS_FILES_MAX 64u	  /* files, the boot modules included */
#define FS_FILE_MAX  (64u * 1024) /* bytes in one written file */

struct fs_request {
	struct drake_request req;
	uint32_t size;		     /* reply: the file's size */
	char name[SVC_NAME_MAX + 1]; /* NUL-terminated */
	uint32_t index;		     /* FS_LIST */
	uint32_t offset;	     /* FS_READ */
};

/* The ping server answers PING with result = the request's value + 1. */
#define PING 1

struct ping_request {
	struct drake_request req;
	uint32_t value;
};

_Static_assert(sizeof(struct ns_request) == 80, "abi");
_Static_assert(sizeof(struct fs_request) == 88, "abi");
_Static_assert(offsetof(struct fs_request, size) ==
		   sizeof(struct drake_request),
	       "the FS reply body (size, name) starts the request's own part");
_Static_assert(sizeof(struct ping_request) == 48, "abi");

#endif
