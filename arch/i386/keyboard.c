/*
 * The PS/2 keyboard (IRQ 1), scancode set 1, US layout: enough to type
 * at the shell. Printable keys, Enter, Backspace, Tab, Escape, Shift,
 * Ctrl (Ctrl-letter gives the control character) and the arrow keys (as
 * the VT100 sequences ESC [ A..D a serial terminal would send).
 */
#include "i386.h"
#include "kernel.h"
#include "x86.h"

#define KBD_DATA    0x60
#define KBD_RELEASE 0x80
#define SC_LSHIFT   0x2a
#define SC_RSHIFT   0x36
#define SC_CTRL	    0x1d
#define SC_EXTENDED 0xe0

static const char kbd_plain[0x3a] =
    "\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char kbd_shift[0x3a] =
    "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static bool kbd_shifted, kbd_ctrl, kbd_extended;

void keyboard_init(void)
{
	while (inb(0x64) & 1)
		inb(KBD_DATA); /* drop anything typed during boot */
	pic_unmask(IRQ_KEYBOARD);
}

static void keyboard_arrow(uint8_t sc)
{
	char key = sc == 0x48	? 'A'
		   : sc == 0x50 ? 'B'
		   : sc == 0x4d ? 'C'
		   : sc == 0x4b ? 'D'
				: 0;
	if (!key)
		return;
	console_input('\033');
	console_input('[');
	console_input(key);
}

static void keyboard_key(uint8_t sc)
{
	bool release = sc & KBD_RELEASE;
	uint8_t code = sc & ~KBD_RELEASE;
	if (code == SC_LSHIFT || code == SC_RSHIFT)
		kbd_shifted = !release;
	else if (code == SC_CTRL)
		kbd_ctrl = !release;
	else if (!release && kbd_extended)
		keyboard_arrow(code);
	else if (!release && code < sizeof(kbd_plain)) {
		char c = (kbd_shifted ? kbd_shift : kbd_plain)[code];
		if (kbd_ctrl && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 1);
		if (c)
			console_input(c);
	}
	kbd_extended = false;
}

void keyboard_irq(void)
{
	uint8_t sc = inb(KBD_DATA);
	if (sc == SC_EXTENDED)
		kbd_extended = true;
	else
		keyboard_key(sc);
}
