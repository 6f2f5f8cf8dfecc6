/* COM1 at 115200 8N1: the console the test harness reads. */
#include "i386.h"
#include "x86.h"

#define COM1	      0x3f8
#define LSR_THR_EMPTY 0x20

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts yet */
	outb(COM1 + 3, 0x80); /* DLAB on: set the divisor */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2 */
}

static void serial_out(char c)
{
	while (!(inb(COM1 + 5) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_out('\r');
	serial_out(c);
}
