/*
 * cat NAME: the file NAME from the file server ("files"), streamed to
 * the console through one buffer: each FS_READ grants the buffer
 * (GRANT_WRITE) with the next offset, and the server copies the chunk
 * into it. cat -c NAME reads the same way but prints only what came:
 * the byte count, the reads it took, the size the server reports and
 * the first bytes in hex (an ELF module starts 7f 45 4c 46).
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

#define CHUNK 512

static char buf[CHUNK];
static uint8_t head[4];

/* The next chunk of `name` at offset into buf: bytes read, or -error;
 * *size gets the file's size. */
static long cat_read(struct drake_svcport *port, const char *name,
		     uint32_t offset, uint32_t *size)
{
	struct fs_request r = {.offset = offset};
	memcpy(r.name, name, strlen(name) + 1);
	svc_grant(&r, buf, sizeof(buf), GRANT_WRITE);
	int err = svc_call(port, &r, FS_READ, sizeof(r));
	*size = r.size;
	return err ? -err : (long)r.req.hdr.result;
}

/* Stream the file; answers 0 or -error. */
static int cat(struct drake_svcport *port, const char *name, bool count)
{
	uint32_t offset = 0, size = 0, reads = 0;
	long n;
	do {
		if ((n = cat_read(port, name, offset, &size)) < 0)
			return (int)n;
		reads++;
		if (!count)
			sys_write(buf, (uint32_t)n);
		for (long i = 0; i < n && offset + i < sizeof(head); i++)
			head[offset + i] = (uint8_t)buf[i];
		offset += (uint32_t)n;
	} while (n && offset < size);
	if (count)
		printf("%s: %u bytes in %u reads, size %u, starts %02x %02x "
		       "%02x %02x\n",
		       name, offset, reads, size, head[0], head[1], head[2],
		       head[3]);
	return 0;
}

int main(int argc, char **argv)
{
	bool count = argc > 1 && !strcmp(argv[1], "-c");
	const char *name = argv[count ? 2 : 1];
	if (!name) {
		printf("usage: cat [-c] NAME\n");
		return 2;
	}
	if (strlen(name) > SVC_NAME_MAX) {
		printf("cat: %s: name too long\n", name);
		return 1;
	}
	int id = svc_lookup("files");
	if (id < 0) {
		printf("cat: cannot find the file server: %s\n",
		       id == -ENOENT ? "files is not running" : strerror(id));
		return 1;
	}
	struct drake_svcport port;
	svc_port_init(&port, (uint32_t)id);
	int err = cat(&port, name, count);
	if (err)
		printf("cat: %s: %s\n", name,
		       err == -ENOENT ? "no such file" : strerror(err));
	return err ? 1 : 0;
}
