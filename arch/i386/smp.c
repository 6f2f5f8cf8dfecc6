/*
 * Starting the other CPUs (application processors, APs). Each AP gets
 * its own GDT, TSS and per-CPU segment (gdt.c) and kernel stack, loads
 * the shared IDT, enables its local APIC (lapic.c), its x87 and its
 * sysenter MSRs, counts itself in smp_started, and then waits for the
 * kernel lock to enter its idle loop (sched.c), its APIC timer ticking.
 * The lock is the boot CPU's until kmain idles, so no AP schedules
 * anything before the kernel is up.
 *
 * An AP starts in real mode at a page below 1 MiB: the kernel copies
 * the trampoline (apboot.S) to TRAMPOLINE, a page of the low memory
 * memory_init() keeps from the page allocator, after the firmware
 * tables were read. The APs start one at a time, the boot CPU waiting
 * for each, so they share the ap_boot_* parameters. kmain calls this
 * with interrupts still off, as the SDM asks during the IPI sequence.
 */
#include <stdatomic.h>

#include <drake/string.h>

#include "arch.h"
#include "cpu.h"
#include "i386.h"
#include "kernel.h"
#include "klock.h"
#include "sched.h"
#include "x86.h"

#define TRAMPOLINE 0x8000u /* conventional memory; SIPI vector 0x08 */
#define AP_WAIT_MS 100	   /* an AP that has not counted itself by then */

extern const char ap_trampoline[], ap_trampoline_gdtr[], ap_trampoline_end[];

/* Read by apboot.S on the AP being started. */
uint32_t ap_boot_cr3, ap_boot_esp, ap_boot_cpu;

static atomic_uint smp_started;
static uint8_t smp_apic_id[CPU_MAX]; /* CPU number -> local APIC id */

/* The C side of an AP's start, on its own kernel stack with paging on;
 * that stack is its idle task's from now on. */
__attribute__((noreturn)) void smp_ap_main(void)
{
	unsigned id = ap_boot_cpu;
	sched_init_cpu(id);
	cpus[id].idle.arch.kstack = ap_boot_esp - KSTACK_SIZE;
	gdt_load(id);
	idt_load();
	lapic_init_ap();
	fpu_init_cpu();
	entry_init_cpu();
	atomic_fetch_add(&smp_started, 1);
	kernel_lock();
	lapic_timer_start();
	sched_idle_loop();
}

void arch_cpu_kick(unsigned cpu)
{
	lapic_send(smp_apic_id[cpu], VEC_IPI);
}

/* The boot CPU's tick is the PIT, the machine's clock: it never stops. */
void arch_cpu_tick(bool on)
{
	if (this_cpu()->id)
		lapic_timer_mask(!on);
}

void arch_cpu_wake(unsigned cpu)
{
	lapic_send(smp_apic_id[cpu], VEC_WAKE);
}

/* Start the AP with APIC id apic_id as CPU cpu; false if it did not
 * count itself within AP_WAIT_MS. */
static bool smp_start_ap(unsigned cpu, uint32_t apic_id)
{
	uint32_t stack = arch_kstack_alloc();
	if (!stack)
		return false;
	gdt_init_cpu(cpu, stack + KSTACK_SIZE);
	struct dtr gdtr = gdt_pointer(cpu);
	memcpy((void *)(TRAMPOLINE + (ap_trampoline_gdtr - ap_trampoline)),
	       &gdtr, sizeof(gdtr));
	ap_boot_cpu = cpu;
	ap_boot_esp = stack + KSTACK_SIZE;
	unsigned before = atomic_load(&smp_started);
	lapic_start_ap(apic_id, TRAMPOLINE);
	for (int ms = 0; ms < AP_WAIT_MS; ms++) {
		if (atomic_load(&smp_started) != before)
			return true;
		pit_delay_us(1000);
	}
	/* Its stack stays allocated: the AP may still come up late. */
	return atomic_load(&smp_started) != before;
}

unsigned arch_start_cpus(unsigned max)
{
	struct cpu_map m;
	if (!cpus_find(&m)) {
		kprintf("cpus: no ACPI MADT or MP table: the boot CPU only\n");
		return 1;
	}
	kprintf("cpus: %u listed in %s", m.listed, m.source);
	if (m.listed > m.n)
		kprintf(", the first %u used", m.n);
	if (max < m.n)
		kprintf(", at most %u by cpus=%u", max, max);
	kprintf("\n");
	if (m.n < 2 || max < 2)
		return 1;
	if (!lapic_map(m.lapic)) {
		kprintf("cpus: local APIC at %08x: cannot map it\n", m.lapic);
		return 1;
	}
	if (!lapic_integrated()) {
		kprintf("cpus: an 82489DX APIC: no STARTUP IPI\n");
		return 1;
	}
	memcpy((void *)TRAMPOLINE, ap_trampoline,
	       (size_t)(ap_trampoline_end - ap_trampoline));
	ap_boot_cr3 = read_cr3();
	lapic_init_bsp();
	lapic_timer_calibrate();
	smp_apic_id[0] = (uint8_t)lapic_id();
	unsigned running = 1;
	for (unsigned i = 0; i < m.n && running < max; i++) {
		if (m.apic_id[i] == smp_apic_id[0])
			continue;
		smp_apic_id[running] = m.apic_id[i];
		if (!smp_start_ap(running, m.apic_id[i])) {
			/* A late AP would read the next one's parameters. */
			kprintf("cpus: the CPU with APIC id %u did not start; "
				"starting no more\n",
				m.apic_id[i]);
			break;
		}
		running++;
	}
	return running;
}
