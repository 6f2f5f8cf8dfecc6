/*
 * ls: every file the file server ("files") has, one per line with its
 * size, in the server's order: the boot modules, then files written
 * since. One FS_LIST round trip per file; the reply names the next.
 */
#include <drake/svc.h>
#include <drake/sys.h>

int main(void)
{
	int id = svc_lookup("files");
	if (id < 0) {
		printf("ls: cannot find the file server: %s\n",
		       id == -ENOENT ? "files is not running" : strerror(id));
		return 1;
	}
	struct drake_svcport port;
	svc_port_init(&port, (uint32_t)id);
	uint32_t index = 0;
	do {
		struct fs_request r = {.index = index};
		int err = svc_call(&port, &r, FS_LIST, sizeof(r));
		if (err) {
			printf("ls: %s\n", strerror(err));
			return 1;
		}
		printf("%-16s %8u\n", r.name, r.size);
		index = (uint32_t)r.req.hdr.result;
	} while (index);
	return 0;
}
