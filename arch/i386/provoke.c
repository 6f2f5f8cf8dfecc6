/* Kernel-mode faults on request, for the harness's panic tests. */
#include <drake/string.h>

#include "arch.h"
#include "kernel.h"

#define PROVOKE_KIND(k)                                                        \
	void provoke_##k(void);                                                \
	extern char provoke_##k##_site[];
PROVOKE_KIND(de)
PROVOKE_KIND(ud)
PROVOKE_KIND(bp)
PROVOKE_KIND(gp)
PROVOKE_KIND(pf)

static const struct {
	const char *kind;
	void (*fn)(void);
	const char *site;
} provocations[] = {
    {"de", provoke_de, provoke_de_site}, {"ud", provoke_ud, provoke_ud_site},
    {"bp", provoke_bp, provoke_bp_site}, {"gp", provoke_gp, provoke_gp_site},
    {"pf", provoke_pf, provoke_pf_site},
};

void provoke_on_stack(uint32_t top, void (*fn)(void));

static volatile uint32_t provoke_depth;

/* Each level keeps its frame live across the call, so the compiler can
 * turn none of them into a jump; the depth never reaches the end. */
static uint32_t provoke_recurse(uint32_t n)
{
	volatile uint32_t frame[16];
	frame[n % 16] = n;
	provoke_depth = n;
	if (n == UINT32_MAX)
		return 0;
	return provoke_recurse(n + 1) + frame[n % 16];
}

static void provoke_recurse_from_top(void)
{
	provoke_recurse(0);
}

/* Recurse on a fresh kernel stack, as a task's kernel code would, until
 * it overflows: the overflow must be caught at the page below it. */
static void provoke_kstack(void)
{
	uint32_t base = arch_kstack_alloc();
	if (!base)
		return;
	kprintf("provoke: expect guard=%08x\n", base - PAGE_SIZE);
	provoke_on_stack(base + KSTACK_SIZE, provoke_recurse_from_top);
}

/* Print where the fault will be reported, then fault; false if `kind`
 * names no fault (or the fault, impossibly, returned). */
bool arch_provoke_fault(const char *kind)
{
	if (!strcmp(kind, "kstack")) {
		provoke_kstack();
		return false;
	}
	for (size_t i = 0; i < sizeof(provocations) / sizeof(provocations[0]);
	     i++) {
		if (strcmp(provocations[i].kind, kind))
			continue;
		kprintf("provoke: expect eip=%08x\n",
			(uint32_t)provocations[i].site);
		provocations[i].fn();
	}
	return false;
}
