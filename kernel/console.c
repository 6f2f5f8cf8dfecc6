/* Kernel output: everything goes to every console the machine has. */
#include <drake/fmt.h>
#include <stdarg.h>

#include "arch.h"
#include "kernel.h"

static void console_put(void *ctx, char c)
{
	(void)ctx;
	arch_console_putc(c);
}

void console_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		arch_console_putc(buf[i]);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(console_put, NULL, fmt, ap);
	va_end(ap);
	return n;
}
