/*
 * The interrupt descriptor table. CPU exceptions, device IRQs, the local
 * APIC timer and the IPIs (48-50) and the APIC's spurious vector use
 * interrupt gates (IF cleared on entry) reachable only from ring 0, so
 * `int n` from user mode for any of them is a #GP; the double fault
 * alone has a task gate (gdt.c), ring 0 only too. The message trap, 0x81,
 * is a 32-bit trap gate with DPL 3, as the proposal specifies: the one
 * door from ring 3 into the kernel.
 */
#include <stdint.h>

#include "i386.h"
#include "x86.h"

#define GATE_TASK   0x85
#define GATE_INTR32 0x8e
#define GATE_TRAP32 0x8f
#define GATE_DPL3   0x60
#define VEC_DOUBLE  8

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

static struct idt_entry idt[256];

static void idt_set(unsigned vec, uint32_t handler, uint8_t type)
{
	idt[vec] = (struct idt_entry){
	    .off_lo = handler & 0xffff,
	    .sel = SEL_KCODE,
	    .type = type,
	    .off_hi = handler >> 16,
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < 51; v++)
		idt_set(v, trap_vectors[v], GATE_INTR32);
	idt_set(VEC_SPURIOUS, (uint32_t)trap_spurious_entry, GATE_INTR32);
	/* A task gate: a double fault gets a stack of its own (gdt.c). */
	idt[VEC_DOUBLE] =
	    (struct idt_entry){.sel = SEL_DFTSS, .type = GATE_TASK};
	idt_set(VEC_MSG, (uint32_t)trap_msg_entry, GATE_TRAP32 | GATE_DPL3);
#ifdef BENCH
	/* Measurement-only: the floor an empty int/iret costs (make bench). */
	idt_set(VEC_BENCH, (uint32_t)trap_bench_entry, GATE_TRAP32 | GATE_DPL3);
#endif
	idt_load();
}

/* Every CPU loads the one table (its GDT gives the double fault's task
 * gate a TSS of its own). */
void idt_load(void)
{
	struct dtr idtr = {sizeof(idt) - 1, (uint32_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
