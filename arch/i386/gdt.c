/*
 * Segmentation, set up once and then left alone: flat 4 GiB code and data
 * segments for ring 0 and ring 3, and one TSS whose only job is to give
 * the CPU the kernel stack to use when a trap arrives from ring 3.
 */
#include <stdint.h>

#include "i386.h"
#include "x86.h"

struct gdt_entry {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, gran, base_hi;
} __attribute__((packed));

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

static struct gdt_entry gdt[6];
static struct tss tss;

static struct gdt_entry gdt_make(uint32_t base, uint32_t limit, uint8_t access,
				 uint8_t gran)
{
	return (struct gdt_entry){
	    .limit_lo = limit & 0xffff,
	    .base_lo = base & 0xffff,
	    .base_mid = (base >> 16) & 0xff,
	    .access = access,
	    .gran = (uint8_t)(gran | ((limit >> 16) & 0x0f)),
	    .base_hi = base >> 24,
	};
}

void gdt_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}

void gdt_init(void)
{
	gdt[1] = gdt_make(0, 0xfffff, 0x9a, 0xc0); /* kernel code */
	gdt[2] = gdt_make(0, 0xfffff, 0x92, 0xc0); /* kernel data */
	gdt[3] = gdt_make(0, 0xfffff, 0xfa, 0xc0); /* user code, DPL 3 */
	gdt[4] = gdt_make(0, 0xfffff, 0xf2, 0xc0); /* user data, DPL 3 */
	/* An iomap offset past the TSS limit: ring 3 gets no I/O ports. */
	tss.ss0 = SEL_KDATA;
	tss.iomap = sizeof(tss);
	gdt[5] = gdt_make((uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x00);

	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint32_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%ss\n\t"
			 "xor %%ax, %%ax\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%gs\n\t"
			 "mov %3, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA),
			   "i"(SEL_TSS)
			 : "eax", "memory");
}
