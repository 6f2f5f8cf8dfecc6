/*
 * kmain: bring the machine up, say hello, and hand the CPU to the first
 * user program. The boot thread then becomes the boot CPU's idle task.
 *
 * Kernel command line options (after the kernel path):
 *   init=NAME   the module to start first (default "init")
 *   test        test-harness boot: report init's exit status and panics
 *               to the emulator's exit port instead of halting
 *   ktest=NAME  run a kernel self-test suite instead of init (ktest.c)
 *   entry=int|sysenter  how libsys enters the kernel (arch: entry.c);
 *               by default sysenter when the CPU has it
 *   cpus=N      start at most N CPUs, the boot CPU included (default:
 *               all the firmware lists); cpus=1 starts no other
 */
#include <drake/fmt.h>
#include <drake/string.h>

#include "arch.h"
#include "kernel.h"
#include "klock.h"
#include "sched.h"
#include "signal.h"
#include "task.h"

#define LOW_MEMORY 0x100000u /* BIOS, VGA and boot data: never handed out */

bool kernel_test_mode;
static uint32_t init_id;
static unsigned ncpus;
extern char kernel_start[], kernel_end[];

static void memory_init(void)
{
	pmm_init();
	for (uint32_t i = 0; i < boot_info.nregions; i++)
		pmm_add_range(boot_info.regions[i].base,
			      boot_info.regions[i].len);
	pmm_reserve_range(0, LOW_MEMORY);
	pmm_reserve_range((uint32_t)kernel_start,
			  (uint32_t)(kernel_end - kernel_start));
	for (uint32_t i = 0; i < boot_info.nmodules; i++)
		pmm_reserve_range(boot_info.modules[i].start,
				  boot_info.modules[i].end -
				      boot_info.modules[i].start);
}

/* kmalloc's page source. The kernel maps all RAM 1:1 (machine.h), so a
 * physical page address is also the kernel's pointer to it. */
void *kpage_alloc(void)
{
	return (void *)pmm_alloc();
}

void kpage_free(void *page)
{
	pmm_free((uint32_t)page);
}

static void banner(void)
{
	uint32_t free = pmm_free_count();
	kprintf("%s %s (i386): %u KiB free memory (%u pages), %u modules:",
		DRAKE_NAME, DRAKE_VERSION, free * (PAGE_SIZE / 1024), free,
		boot_info.nmodules);
	for (uint32_t i = 0; i < boot_info.nmodules; i++)
		kprintf(" %s", boot_info.modules[i].name);
	kprintf("\nsystem calls: %s, through the entry page at 0x%08x "
		"(int 0x81 always works)\n",
		arch_entry_name(), USER_ENTRY_PAGE);
	kprintf("cpus: %u\n", ncpus);
}

/* cpus=N caps the CPUs started; absent, 0 or not a number: no cap. */
static unsigned cpus_wanted(void)
{
	const char *opt = bootinfo_option("cpus");
	int n = opt ? atoi(opt) : 0;
	if (opt && n < 1)
		kprintf("cpus=%s: not a count of CPUs, ignored\n", opt);
	return n < 1 ? ~0u : (unsigned)n;
}

static void start_init(void)
{
	const char *opt = bootinfo_option("init");
	char name[BOOT_NAME_MAX];
	fmt_snprintf(name, sizeof(name), "%s", opt ? opt : "init");
	const struct boot_module *m = bootinfo_module(name);
	if (!m)
		panic("init program '%s' is not among the boot modules", name);
	int err = task_spawn(name, m->args, &init_id);
	if (err)
		panic("cannot start init program '%s': error %d", name, err);
	signal_set_foreground(init_id);
}

void kernel_task_exited(uint32_t id, int32_t status)
{
	if (id != init_id)
		return;
	kprintf("init exited with status %d\n", status);
	if (kernel_test_mode)
		arch_exit_emulator(status == 0 ? EXIT_PASS : EXIT_FAIL);
	kprintf("system halted: powering off\n");
	arch_poweroff(); /* as the shell's halt does: QEMU and Bochs exit */
}

void kmain(uint32_t magic, uint32_t mbi)
{
	arch_console_init();
	bootinfo_parse(magic, mbi);
	kernel_test_mode = bootinfo_option("test") != NULL;
	sched_init_cpu(0);
	arch_init_cpu();
	kernel_lock(); /* the other CPUs wait for it until kmain idles */
	memory_init();
	arch_kstack_init();
	arch_init_devices();
	ncpus = arch_start_cpus(cpus_wanted());
	sched_start_cpus(ncpus);
	banner();
	const char *suite = bootinfo_option("ktest");
	if (suite)
		ktest_run(suite);
	start_init();
	sched_idle_loop();
}
