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
