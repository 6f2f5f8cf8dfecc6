/*
 * write NAME TEXT...: the file server ("files") keeps TEXT, plus a
 * newline, as the file NAME, replacing any file of that name. The text
 * goes in one FS_WRITE whose grant (GRANT_READ) is the buffer here; the
 * server copies it out of this task itself.
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

/* The whole argument string fits: the shell passes at most
 * SPAWN_ARGS_MAX bytes, of which NAME is some. */
static char text[SPAWN_ARGS_MAX + 1];

/* TEXT... joined by single spaces, and a newline: its length. */
static uint32_t join(int argc, char **argv)
{
	uint32_t len = 0;
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (i > 2)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n);
		len += (uint32_t)n;
	}
	text[len++] = '\n';
	return len;
}

static const char *why(int err)
{
	if (err == E2BIG)
		return "file too large";
	if (err == EAGAIN)
		return "too many files";
	return strerror(err);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: write NAME TEXT...\n");
		return 2;
	}
	struct fs_request r = {0};
	if (strlen(argv[1]) > SVC_NAME_MAX) {
		printf("write: %s: name too long\n", argv[1]);
		return 1;
	}
	memcpy(r.name, argv[1], strlen(argv[1]) + 1);
	int id = svc_lookup("files");
	if (id < 0) {
		printf("write: cannot find the file server: %s\n",
		       id == -ENOENT ? "files is not running" : strerror(id));
		return 1;
	}
	struct drake_svcport port;
	svc_port_init(&port, (uint32_t)id);
	svc_grant(&r, text, join(argc, argv), GRANT_READ);
	int err = svc_call(&port, &r, FS_WRITE, sizeof(r));
	if (err)
		printf("write: %s: %s\n", argv[1], why(err));
	return err ? 1 : 0;
}
