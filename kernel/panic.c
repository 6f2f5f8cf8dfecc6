/*
 * The end of the line for kernel bugs. A test boot reports EXIT_PANIC to
 * the harness at once instead of letting it wait for its timeout.
 */
#include <drake/fmt.h>
#include <stdarg.h>

#include "arch.h"
#include "kernel.h"

void panic_stop(void)
{
	kprintf("kernel halted\n");
	if (kernel_test_mode)
		arch_exit_emulator(EXIT_PANIC);
	arch_halt();
}

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("PANIC: %s\n", msg);
	panic_stop();
}
