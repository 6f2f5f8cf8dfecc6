/*
 * Segmentation, set up once and then left alone: flat 4 GiB code and data
 * segments for ring 0 and ring 3, one TSS whose only job is to give the
 * CPU the kernel stack to use when a trap arrives from ring 3, and a
 * second TSS for the double-fault task.
 *
 * A double fault usually means the kernel stack itself is unusable (an
 * overflow into its guard page: the CPU cannot push the page fault's
 * frame). Only a task switch gets the CPU onto a known-good stack from
 * there, so vector 8 is a task gate (idt.c) to df_tss, which runs
 * trap_double_fault_entry on a stack of its own. The switch saves the
 * state of the faulting code in `tss`, where the handler reads it.
 */
#include <stdint.h>

#include "i386.h"
#include "x86.h"

#define TSS_AVAILABLE 0x89 /* present, DPL 0, 32-bit TSS, not busy */
#define EFLAGS_RSVD   0x2u

struct gdt_entry {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, gran, base_hi;
} __attribute__((packed));

static struct gdt_entry gdt[7];
static struct tss tss, df_tss;
static uint8_t df_stack[4096] __attribute__((aligned(16)));

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

/* The task switch loads CR3 from df_tss: any space with the kernel
 * mapped will do, and this is called once paging is on. */
void gdt_set_double_fault_cr3(uint32_t cr3)
{
	df_tss.cr3 = cr3;
}

/* The registers of the code that double-faulted, as the switch to the
 * double-fault task saved them. */
const struct tss *gdt_faulting_state(void)
{
	return &tss;
}

/* Interrupts stay off in the double-fault task (eflags has no IF). */
static void gdt_init_double_fault(void)
{
	df_tss.eip = (uint32_t)trap_double_fault_entry;
	df_tss.esp = (uint32_t)(df_stack + sizeof(df_stack));
	df_tss.eflags = EFLAGS_RSVD;
	df_tss.cs = SEL_KCODE;
	df_tss.ss = df_tss.ds = df_tss.es = SEL_KDATA;
	df_tss.iomap = sizeof(df_tss);
	gdt[6] = gdt_make((uint32_t)&df_tss, sizeof(df_tss) - 1, TSS_AVAILABLE,
			  0x00);
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
	gdt[5] = gdt_make((uint32_t)&tss, sizeof(tss) - 1, TSS_AVAILABLE, 0x00);
	gdt_init_double_fault();

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
