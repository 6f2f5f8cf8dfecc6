/* The 8253/8254 PIT, channel 0 in rate-generator mode on IRQ 0. */
#include "i386.h"
#include "x86.h"

#define PIT_HZ 1193182u

void pit_init(unsigned hz)
{
	unsigned divisor = (PIT_HZ + hz / 2) / hz;
	outb(0x43, 0x34); /* channel 0, lo/hi byte, mode 2 */
	outb(0x40, divisor & 0xff);
	outb(0x40, divisor >> 8);
	pic_unmask(IRQ_TIMER);
}

/*
 * Busy-wait at least us microseconds (up to 54 ms), on channel 2, the
 * speaker's: its gate and output are bits 0 and 5 of port 0x61, so it
 * times a wait with interrupts off while channel 0 keeps ticking.
 * Mode 0 raises the output when the count runs out. The poll is bounded
 * so that a machine without the channel cannot hang the boot.
 */
void pit_delay_us(unsigned us)
{
	unsigned count = us * (PIT_HZ / 1000) / 1000 + 1;
	outb(0x61, inb(0x61) & ~0x03); /* gate low, speaker off */
	outb(0x43, 0xb0);	       /* channel 2, lo/hi byte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	outb(0x61, inb(0x61) | 0x01); /* gate high: counting starts */
	for (uint32_t i = 0; i < 0x1000000 && !(inb(0x61) & 0x20); i++)
		;
}
