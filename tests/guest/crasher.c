/*
 * Test helper: commit the fault named by the first argument. Every one of
 * them must get this task killed; reaching the end is a failure (99).
 */
#include <drake/entry.h>
#include <drake/string.h>
#include <drake/sys.h>

static volatile int zero;
static volatile int depth_limit = 1 << 30;

/* Recursion deep enough to run off the stack into its guard page. */
static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	if (n > depth_limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";
	if (!strcmp(kind, "kread"))
		return *(volatile int *)0x100000;
	if (!strcmp(kind, "kwrite"))
		*(volatile int *)0x100000 = 1;
	else if (!strcmp(kind, "null"))
		((void (*)(void))0)();
	else if (!strcmp(kind, "div0"))
		return 10 / zero;
	else if (!strcmp(kind, "cli"))
		__asm__ volatile("cli");
	else if (!strcmp(kind, "hlt"))
		__asm__ volatile("hlt");
	else if (!strcmp(kind, "io"))
		__asm__ volatile("outb %%al, $0x80" : : "a"(0));
	else if (!strcmp(kind, "int80"))
		__asm__ volatile("int $0x80");
	else if (!strcmp(kind, "int3"))
		__asm__ volatile("int3");
	else if (!strcmp(kind, "ud2"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "stack"))
		return recurse(0);
	else if (!strcmp(kind, "rodata"))
		*(volatile char *)"constant" = 'C';
	else if (!strcmp(kind, "entrypage"))
		*(volatile uint32_t *)DRAKE_ENTRY_KIND = 1; /* read-only */
	else if (!strcmp(kind, "sysenter"))
		((void (*)(void))DRAKE_ENTRY_SYSENTER)(); /* when left off */
	return 99;
}
