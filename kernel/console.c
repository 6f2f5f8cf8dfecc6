/* Kernel output: everything goes to every console the machine has. */
#include <drake/fmt.h>
#include <stdarg.h>

#include "arch.h"
#include "kernel.h"

struct console_buf {
	char data[80];
	size_t len;
};

static void console_put(void *ctx, char c)
{
	struct console_buf *b = ctx;
	if (b->len == sizeof(b->data)) {
		arch_console_write(b->data, b->len);
		b->len = 0;
	}
	b->data[b->len++] = c;
}

void console_write(const char *buf, size_t n)
{
	arch_console_write(buf, n);
}

int kprintf(const char *fmt, ...)
{
	struct console_buf b = {.len = 0};
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(console_put, &b, fmt, ap);
	va_end(ap);
	arch_console_write(b.data, b.len);
	return n;
}
