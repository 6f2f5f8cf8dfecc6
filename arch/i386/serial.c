/* COM1 at 115200 8N1: the console the test harness reads. */
#include "i386.h"
#include "kernel.h"
#include "x86.h"

#define COM1	       0x3f8
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define LSR_TX_IDLE    0x40 /* nothing left to send, shift register too */
#define IER_RX	       0x01

/* Hand every received byte to the console; terminals send CR for
 * Enter, programs expect '\n'. */
static void serial_drain(void)
{
	while (inb(COM1 + 5) & LSR_DATA_READY) {
		char c = (char)inb(COM1);
		console_input(c == '\r' ? '\n' : c);
	}
}

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts yet */
	outb(COM1 + 3, 0x80); /* DLAB on: set the divisor */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
	/*
	 * No FIFOs: switching them on empties them, losing input that races
	 * with it, and a console has no use for them. Without them the
	 * sender holds each byte until the last one was read.
	 */
	outb(COM1 + 2, 0x00);
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

/* Start receive interrupts (IRQ 4) once the kernel can take input. */
void serial_enable_input(void)
{
	outb(COM1 + 1, IER_RX);
	pic_unmask(IRQ_COM1);
}

void serial_irq(void)
{
	serial_drain();
}

/* Before the machine stops: let the last byte leave the UART, which an
 * emulator pacing the line (Bochs) would otherwise cut off. Bounded, in
 * case there is no UART at all. */
void serial_flush(void)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_TX_IDLE); i++)
		;
}
