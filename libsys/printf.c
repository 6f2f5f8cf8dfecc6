/* printf for user programs: formatted by the shared formatter into a
 * buffer, written with as few WRITE messages as possible. */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/sys.h>

struct printf_buf {
	char data[128];
	uint32_t len;
};

static void printf_flush(struct printf_buf *b)
{
	if (b->len)
		sys_write(b->data, b->len);
	b->len = 0;
}

static void printf_put(void *ctx, char c)
{
	struct printf_buf *b = ctx;
	if (b->len == sizeof(b->data))
		printf_flush(b);
	b->data[b->len++] = c;
}

int printf(const char *fmt, ...)
{
	struct printf_buf b = {.len = 0};
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(printf_put, &b, fmt, ap);
	va_end(ap);
	printf_flush(&b);
	return n;
}

int puts(const char *s)
{
	sys_write(s, strlen(s));
	sys_write("\n", 1);
	return 0;
}

const char *strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
#define STRERROR_CASE(code, name, text)                                        \
	case name:                                                             \
		return text;
		DRAKE_ERRORS(STRERROR_CASE)
#undef STRERROR_CASE
	}
	return "unknown error";
}
