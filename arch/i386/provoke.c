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

/* Print where the fault will be reported, then fault; false if `kind`
 * names no fault (or the fault, impossibly, returned). */
bool arch_provoke_fault(const char *kind)
{
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
