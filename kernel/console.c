/* Kernel output: everything goes to every console the machine has. */
#include <drake/fmt.h>
#include <stdarg.h>

#include "arch.h"
#include "kernel.h"

struct console_buf {
	char data[80];
	size_t len;
};

static char console_last = '\n'; /* the last byte shown */

static void console_out(const char *buf, size_t n)
{
	if (n)
		console_last = buf[n - 1];
	arch_console_write(buf, n);
}

/* Start a new line unless the console is at the start of one already:
 * the tracer's lines stay whole when a program's output has no newline. */
void console_fresh_line(void)
{
	if (console_last != '\n')
		console_out("\n", 1);
}

static void console_put(void *ctx, char c)
{
	struct console_buf *b = ctx;
	if (b->len == sizeof(b->data)) {
		console_out(b->data, b->len);
		b->len = 0;
	}
	b->data[b->len++] = c;
}

/* WRITE's bytes (n > 0): the message path, so no test for n. */
void console_write(const char *buf, size_t n)
{
	console_last = buf[n - 1];
	arch_console_write(buf, n);
}

int kprintf(const char *fmt, ...)
{
	struct console_buf b = {.len = 0};
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(console_put, &b, fmt, ap);
	va_end(ap);
	console_out(b.data, b.len);
	return n;
}
