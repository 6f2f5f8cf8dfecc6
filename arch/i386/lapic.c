/*
 * The local APIC (Intel SDM Vol. 3A, chapter 10): starting the other
 * CPUs, IPIs between CPUs, and a clock tick on each application
 * processor. The boot CPU keeps its 8259A and PIT: their interrupts
 * reach it through its APIC in virtual-wire mode (LINT0 as ExtINT), and
 * the PIT stays the one clock of the machine (clock.c). Nothing here
 * runs with one CPU.
 */
#include "i386.h"
#include "machine.h"

#define LAPIC_ID	 0x020
#define LAPIC_VERSION	 0x030
#define LAPIC_SVR	 0x0f0 /* spurious-interrupt vector register */
#define LAPIC_EOI	 0x0b0
#define LAPIC_ICR_LO	 0x300
#define LAPIC_ICR_HI	 0x310
#define LAPIC_LVT_TIMER	 0x320
#define LAPIC_LVT_LINT0	 0x350
#define LAPIC_LVT_LINT1	 0x360
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_NOW	 0x390
#define LAPIC_TIMER_DIV	 0x3e0
#define SVR_ENABLE	 0x100
#define LVT_MASKED	 0x10000
#define LVT_PERIODIC	 0x20000
#define LVT_NMI		 0x400
#define LVT_EXTINT	 0x700
#define ICR_FIXED	 0x000
#define ICR_INIT	 0x500
#define ICR_STARTUP	 0x600
#define ICR_PENDING	 0x1000 /* delivery status: not yet accepted */
#define ICR_ASSERT	 0x4000
#define TIMER_DIV_16	 0x3
#define CALIBRATE_US	 10000
#define INIT_DELAY_US	 10000
#define STARTUP_DELAY_US 200

static volatile uint32_t *lapic;
static uint32_t lapic_timer_count; /* APIC timer counts per clock tick */

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

/* Send `vector` to one CPU (a fixed IPI: sched_ipi on its side). */
void lapic_send(uint32_t apic_id, unsigned vector)
{
	lapic_ipi(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* The boot CPU takes IPIs too: enable its APIC in virtual-wire mode,
 * the 8259A on LINT0 and NMI on LINT1, as the BIOS most likely left it
 * (MP spec 3.6.2.2), and said so here rather than assumed. */
void lapic_init_bsp(void)
{
	lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/* How far the APIC timer counts in one clock tick, timed against the
 * PIT on the boot CPU; every CPU's timer runs at the same bus clock. */
void lapic_timer_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	pit_delay_us(CALIBRATE_US);
	uint32_t counted = 0xffffffffu - lapic_read(LAPIC_TIMER_NOW);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_timer_count =
	    (uint32_t)((uint64_t)counted * (1000000 / TIMER_HZ) / CALIBRATE_US);
	if (!lapic_timer_count)
		lapic_timer_count = 1;
}

/* On an AP: its clock tick, TIMER_HZ times a second (sched_tick). */
void lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_count);
}

/* On an AP: stop its tick while it idles (nothing to preempt there),
 * and start it again when it has work. */
void lapic_timer_mask(bool masked)
{
	lapic_write(LAPIC_LVT_TIMER, (masked ? LVT_MASKED : 0) | LVT_PERIODIC |
					 VEC_LAPIC_TIMER);
}

/* On an AP: software-enable its APIC so that it takes IPIs; INIT left
 * every LVT entry masked (its timer is started later). */
void lapic_init_ap(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}
