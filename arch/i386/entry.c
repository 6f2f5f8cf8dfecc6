/*
 * The entry page and the sysenter entry. At boot the kernel picks how
 * libsys enters it: sysenter when the CPU has it (no gate, descriptor or
 * stack-switch checks, so cheaper than int and iret on real CPUs), else
 * int 0x81, which always works and stays the documented ABI. `entry=int`
 * or `entry=sysenter` on the kernel command line forces the choice.
 * Programs never name the instruction: they call the entry page
 * (entrypage.S, drake/entry.h), of which the kernel maps the version for
 * its choice into every task, read-only.
 */
#include <drake/entry.h>
#include <drake/string.h>

#include "arch.h"
#include "i386.h"
#include "kernel.h"
#include "x86.h"

#define MSR_SYSENTER_CS	 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define CPUID_EDX_SEP	 (1u << 11)

_Static_assert(DRAKE_ENTRY_PAGE == USER_ENTRY_PAGE,
	       "the ABI's entry page is the one the kernel maps");
/* sysexit loads cs and ss from SYSENTER_CS + 16 and + 24 (RPL 3). */
_Static_assert(SEL_UCODE == (SEL_KCODE + 16) + 3 &&
		   SEL_UDATA == (SEL_KCODE + 24) + 3 &&
		   SEL_KDATA == SEL_KCODE + 8,
	       "the GDT is in sysenter/sysexit order");

extern const char entry_page_int[], entry_page_sysenter[];

static bool entry_sysenter;

/*
 * CPUID's SEP bit. Early Pentium Pros (family 6, model < 3, stepping
 * < 3) set it without having the instructions (Intel SDM, SYSENTER).
 */
static bool entry_cpu_has_sysenter(void)
{
	uint32_t r[4];
	cpuid(0, r);
	if (r[0] < 1)
		return false;
	cpuid(1, r);
	uint32_t family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf,
		 stepping = r[0] & 0xf;
	if (family == 6 && model < 3 && stepping < 3)
		return false;
	return r[3] & CPUID_EDX_SEP;
}

void entry_init(void)
{
	const char *opt = bootinfo_option("entry");
	bool has = entry_cpu_has_sysenter();
	entry_sysenter = has;
	if (opt && !strcmp(opt, "int"))
		entry_sysenter = false;
	else if (opt && strcmp(opt, "sysenter"))
		kprintf("entry=%s: unknown, choosing by the CPU\n", opt);
	else if (opt && !has)
		kprintf("entry=sysenter: this CPU has no sysenter\n");
	entry_init_cpu();
}

/* Each CPU has its own MSRs: every one that runs tasks sets them. */
void entry_init_cpu(void)
{
	if (!entry_sysenter)
		return; /* the MSRs stay 0: a stray sysenter is a #GP */
	wrmsr(MSR_SYSENTER_CS, SEL_KCODE);
	wrmsr(MSR_SYSENTER_EIP, (uint32_t)trap_sysenter_entry);
}

/* sysenter finds the kernel stack in the MSR: kept equal to esp0. */
void entry_set_kernel_stack(uint32_t esp0)
{
	if (entry_sysenter)
		wrmsr(MSR_SYSENTER_ESP, esp0);
}

const char *arch_entry_name(void)
{
	return entry_sysenter ? "sysenter" : "int 0x81";
}

int arch_vm_map_entry(vm_space vm)
{
	const char *page =
	    entry_sysenter ? entry_page_sysenter : entry_page_int;
	return arch_vm_map(vm, USER_ENTRY_PAGE, (uint32_t)page, false);
}
