/*
 * upper TEXT...: the tutorial client (docs/servers.md). It grants its
 * buffer to the "upper" server, to read and to write, and prints what
 * the server made of it.
 */
#include <drake/string.h>
#include <drake/sys.h>

#define UPPER 1 /* the one command; upperd.c uses the same number */

/* TEXT... joined by single spaces, as much as fits: its length. */
static uint32_t join(char *text, uint32_t size, int argc, char **argv)
{
	uint32_t len = 0;
	for (int i = 1; i < argc; i++) {
		uint32_t n = strlen(argv[i]);
		if (len + n + 1 >= size)
			break;
		if (i > 1)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n);
		len += n;
	}
	text[len] = '\0';
	return len;
}

int main(int argc, char **argv)
{
	char text[128];
	uint32_t len = join(text, sizeof(text), argc, argv);
	int id = svc_lookup("upper");
	if (id < 0) {
		printf("upper: no upper server: run upperd & first\n");
		return 1;
	}
	struct drake_svcport port;
	struct drake_request r;
	svc_port_init(&port, (uint32_t)id);
	svc_grant(&r, text, len, GRANT_READ | GRANT_WRITE);
	int err = svc_call(&port, &r, UPPER, sizeof(r));
	if (err) {
		printf("upper: %s\n", strerror(err));
		return 1;
	}
	printf("%s (%llu bytes)\n", text, r.hdr.result);
	return 0;
}
