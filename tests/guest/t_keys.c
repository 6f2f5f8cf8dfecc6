/*
 * Keyboard input (tests/keyboard.sh types on the emulated PS/2 keyboard
 * through QEMU's monitor): a line read from the console must hold the
 * keys typed, shift and Ctrl-C handled by the keyboard driver.
 */
#include <drake/string.h>
#include <drake/sys.h>

static volatile uint32_t interrupts;

static void on_int(uint32_t bits, uint32_t count, uint32_t addr,
		   uint32_t sender)
{
	(void)sender;
	(void)bits;
	(void)addr;
	interrupts += count;
}

int main(void)
{
	char line[64] = {0};
	signal_catch(SIGBIT(SIGINT), on_int);
	printf("keys: ready\n");
	long n = sys_read(line, sizeof(line) - 1);
	printf("keys: read %ld bytes: %s", n, line);
	while (!interrupts)
		sys_sleep(10);
	printf("keys: Ctrl-C from the keyboard\n");
	return 0;
}
