/* The 80x25 VGA text console: a mirror of everything on the serial line. */
#include <drake/string.h>
#include <stdint.h>

#include "i386.h"
#include "x86.h"

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x0700 /* light grey on black */

static volatile uint16_t *const vga = (volatile uint16_t *)0xb8000;
static unsigned vga_pos;

/* Moving the hardware cursor costs four port writes: done once per
 * console write, not per character. */
void vga_cursor(void)
{
	outb(0x3d4, 14);
	outb(0x3d5, (uint8_t)(vga_pos >> 8));
	outb(0x3d4, 15);
	outb(0x3d5, (uint8_t)vga_pos);
}

static void vga_scroll(void)
{
	memmove((void *)vga, (const void *)(vga + VGA_COLS),
		(VGA_ROWS - 1) * VGA_COLS * 2);
	for (unsigned i = 0; i < VGA_COLS; i++)
		vga[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
	vga_pos -= VGA_COLS;
}

void vga_init(void)
{
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga[i] = VGA_ATTR | ' ';
	vga_pos = 0;
	vga_cursor();
}

void vga_putc(char c)
{
	if (c == '\n')
		vga_pos += VGA_COLS - vga_pos % VGA_COLS;
	else if (c == '\b')
		vga_pos -= vga_pos % VGA_COLS ? 1 : 0;
	else if (c == '\r')
		vga_pos -= vga_pos % VGA_COLS;
	else if (c == '\t')
		vga_pos = (vga_pos + 8) & ~7u;
	else
		vga[vga_pos++] = VGA_ATTR | (uint8_t)c;
	if (vga_pos >= VGA_ROWS * VGA_COLS)
		vga_scroll();
}
