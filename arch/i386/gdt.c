/*
 * Segmentation, set up once and then left alone: flat 4 GiB code and data
 * segments for ring 0 and ring 3, one TSS whose only job is to give the
 * CPU the kernel stack to use when a trap arrives from ring 3, a second
 * TSS for the double-fault task, and a small data segment over the CPU's
 * own struct cpu, which every kernel entry loads into %fs (arch_cpu.h). Each
 * CPU has a GDT of its own (smp.c): a TSS is marked busy in the GDT that `ltr`
 * loaded it from, and each CPU needs its own esp0 and its own double-fault
 * stack.
 *
 * A double fault usually means the kernel stack itself is unusable (an
 * overflow into its guard page: the CPU cannot push the page fault's
 * frame). Only a task switch gets the CPU onto a known-good stack from
 * there, so vector 8 is a task gate (idt.c) to df_tss, which runs
 * trap_double_fault_entry on a stack of its own. The switch saves the
 * state of the faulting code in `tss`, where the handler reads it.
 */
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "i386.h"
#include "x86.h"

_Static_assert(offsetof(struct cpu, self) == 0 &&
		   offsetof(struct cpu, running) == 4 &&
		   offsetof(struct cpu, user_return_work) ==
		       CPU_USER_RETURN_WORK,
	       "arch_cpu.h and trap.S know where these are");

#define TSS_AVAILABLE 0x89 /* present, DPL 0, 32-bit TSS, not busy */
#define EFLAGS_RSVD   0x2u

struct gdt_entry {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, gran, base_hi;
} __attribute__((packed));

struct cpu_tables {
	struct gdt_entry gdt[8];
	struct tss tss, df_tss;
	uint8_t df_stack[4096] __attribute__((aligned(16)));
};

static struct cpu_tables cpu_tables[CPU_MAX];

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

/* This CPU's: the task about to run here enters through it. */
void gdt_set_kernel_stack(uint32_t esp0)
{
	cpu_tables[this_cpu()->id].tss.esp0 = esp0;
}

/* The task switch loads CR3 from df_tss: any space with the kernel
 * mapped will do, and this is called once paging is on. */
void gdt_set_double_fault_cr3(uint32_t cr3)
{
	for (unsigned i = 0; i < CPU_MAX; i++)
		cpu_tables[i].df_tss.cr3 = cr3;
}

/* The registers of the code that double-faulted, as the switch to the
 * double-fault task saved them. We run on some CPU's df_stack: that
 * CPU's TSS holds them. */
const struct tss *gdt_faulting_state(void)
{
	uint32_t sp = (uint32_t)__builtin_frame_address(0);
	for (unsigned i = 1; i < CPU_MAX; i++) {
		uint32_t base = (uint32_t)cpu_tables[i].df_stack;
		if (sp - base < sizeof(cpu_tables[i].df_stack))
			return &cpu_tables[i].tss;
	}
	return &cpu_tables[0].tss;
}

/* Interrupts stay off in the double-fault task (eflags has no IF). */
static void gdt_init_double_fault(struct cpu_tables *c)
{
	struct tss *df = &c->df_tss;
	df->eip = (uint32_t)trap_double_fault_entry;
	df->esp = (uint32_t)(c->df_stack + sizeof(c->df_stack));
	df->eflags = EFLAGS_RSVD;
	df->cs = SEL_KCODE;
	df->ss = df->ds = df->es = SEL_KDATA;
	df->iomap = sizeof(*df);
	c->gdt[6] =
	    gdt_make((uint32_t)df, sizeof(*df) - 1, TSS_AVAILABLE, 0x00);
}

/* Fill CPU cpu's tables; esp0 is where its traps from ring 3 land. */
void gdt_init_cpu(unsigned cpu, uint32_t esp0)
{
	struct cpu_tables *c = &cpu_tables[cpu];
	c->gdt[1] = gdt_make(0, 0xfffff, 0x9a, 0xc0); /* kernel code */
	c->gdt[2] = gdt_make(0, 0xfffff, 0x92, 0xc0); /* kernel data */
	c->gdt[3] = gdt_make(0, 0xfffff, 0xfa, 0xc0); /* user code, DPL 3 */
	c->gdt[4] = gdt_make(0, 0xfffff, 0xf2, 0xc0); /* user data, DPL 3 */
	/* An iomap offset past the TSS limit: ring 3 gets no I/O ports. */
	c->tss.ss0 = SEL_KDATA;
	c->tss.esp0 = esp0;
	c->tss.iomap = sizeof(c->tss);
	c->gdt[5] = gdt_make((uint32_t)&c->tss, sizeof(c->tss) - 1,
			     TSS_AVAILABLE, 0x00);
	gdt_init_double_fault(c);
	c->gdt[7] = gdt_make((uint32_t)&cpus[cpu], sizeof(struct cpu) - 1, 0x92,
			     0x40); /* this CPU's data, bytes */
}

/* What lgdt loads for CPU cpu (the AP trampoline loads it too). */
struct dtr gdt_pointer(unsigned cpu)
{
	return (struct dtr){sizeof(cpu_tables[cpu].gdt) - 1,
			    (uint32_t)cpu_tables[cpu].gdt};
}

void gdt_init(void)
{
	gdt_init_cpu(0, 0);
	gdt_load(0);
}

/* Load CPU cpu's GDT, segments and TSS, on that CPU. */
void gdt_load(unsigned cpu)
{
	struct dtr gdtr = gdt_pointer(cpu);
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%ss\n\t"
			 "mov %4, %%ax\n\t"
			 "mov %%ax, %%fs\n\t"
			 "xor %%ax, %%ax\n\t"
			 "mov %%ax, %%gs\n\t"
			 "mov %3, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA),
			   "i"(SEL_TSS), "i"(SEL_KPERCPU)
			 : "eax", "memory");
}
