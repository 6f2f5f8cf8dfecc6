/*
 * The local APIC, as far as starting the other CPUs needs it (Intel SDM
 * Vol. 3A, chapter 10). The boot CPU's is left as the BIOS set it: the
 * 8259A's interrupts still reach that CPU through it (virtual-wire
 * mode), and a software-disabled APIC still sends IPIs (SDM 10.4.7.2).
 * On the boot CPU the kernel reads the id and version and writes the
 * interrupt command register, nothing else.
 */
#include "i386.h"

#define LAPIC_ID	 0x020
#define LAPIC_VERSION	 0x030
#define LAPIC_SVR	 0x0f0 /* spurious-interrupt vector register */
#define LAPIC_ICR_LO	 0x300
#define LAPIC_ICR_HI	 0x310
#define LAPIC_LVT_TIMER	 0x320
#define SVR_ENABLE	 0x100
#define LVT_MASKED	 0x10000
#define ICR_INIT	 0x500
#define ICR_STARTUP	 0x600
#define ICR_PENDING	 0x1000 /* delivery status: not yet accepted */
#define ICR_ASSERT	 0x4000
#define VEC_SPURIOUS	 0xff /* low nibble all ones, as P6 parts need */
#define INIT_DELAY_US	 10000
#define STARTUP_DELAY_US 200

static volatile uint32_t *lapic;

static uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

bool lapic_map(uint32_t pa)
{
	if (!vm_map_device(pa))
		return false;
	lapic = (volatile uint32_t *)pa;
	return true;
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

/* Versions 0x1X are APICs inside the CPU; the external 82489DX
 * (0x0X) knows no STARTUP IPI. */
bool lapic_integrated(void)
{
	return (lapic_read(LAPIC_VERSION) & 0xf0) == 0x10;
}

/* Send an IPI and wait (boundedly) until the target APIC accepted it. */
static void lapic_ipi(uint32_t apic_id, uint32_t cmd)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, cmd); /* this write sends it */
	for (int i = 0; i < 100000 && (lapic_read(LAPIC_ICR_LO) & ICR_PENDING);
	     i++)
		;
}

/*
 * INIT, 10 ms, STARTUP, 200 us, STARTUP, 200 us (SDM 8.4.4.1, MP spec
 * B.4): the AP starts in real mode at addr (a page below 1 MiB). The
 * second STARTUP is ignored by a CPU that the first one started.
 */
void lapic_start_ap(uint32_t apic_id, uint32_t addr)
{
	lapic_ipi(apic_id, ICR_INIT | ICR_ASSERT);
	pit_delay_us(INIT_DELAY_US);
	for (int i = 0; i < 2; i++) {
		lapic_ipi(apic_id, ICR_STARTUP | (addr >> 12));
		pit_delay_us(STARTUP_DELAY_US);
	}
}

/*
 * On an AP: software-enable its APIC, so that it can take IPIs once
 * there is SMP scheduling, with the timer masked (INIT left every LVT
 * entry masked; this says so). Its timer stays off until then; the boot
 * CPU's PIT is the one clock.
 */
void lapic_init_ap(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}
