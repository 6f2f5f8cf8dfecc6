/*
 * Declarations shared across kernel subsystems (xv6's defs.h). Each group
 * names the file that implements it.
 */
#ifndef DRAKE_KERNEL_H
#define DRAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmalloc.h"
#include "pmm.h"

#define DRAKE_NAME    "Drake"
#define DRAKE_VERSION "0.3"

struct task;

/* console.c, conin.c */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *buf, size_t n);
void console_fresh_line(void);
void console_input(char c);

/* panic.c */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							   ...);
__attribute__((noreturn)) void panic_stop(void);

/* main.c: the exit codes a test boot reports through arch_exit_emulator */
#define EXIT_PASS  0
#define EXIT_FAIL  1
#define EXIT_PANIC 2
extern bool kernel_test_mode;
void kernel_task_exited(uint32_t id, int32_t status);

/* bootinfo.c: what the boot loader told us, copied to kernel memory */
#define BOOT_MODULES_MAX 32
#define BOOT_NAME_MAX	 32
#define BOOT_ARGS_MAX	 256
#define BOOT_REGIONS_MAX 32

struct boot_module {
	char name[BOOT_NAME_MAX]; /* first word of its string, path removed */
	char args[BOOT_ARGS_MAX]; /* the rest of its string */
	uint32_t start, end;
};

struct boot_region {
	uint64_t base, len;
};

struct boot_info {
	char cmdline[BOOT_ARGS_MAX];
	struct boot_module modules[BOOT_MODULES_MAX];
	uint32_t nmodules;
	struct boot_region regions[BOOT_REGIONS_MAX];
	uint32_t nregions;
};

extern struct boot_info boot_info;
void bootinfo_parse(uint32_t magic, uint32_t mbi);
const char *bootinfo_option(const char *key);
const struct boot_module *bootinfo_module(const char *name);

/* clock.c: time in ticks of 1/TIMER_HZ s */
uint64_t clock_ticks(void);
uint64_t clock_uptime_ms(void);
uint64_t clock_ms_to_ticks(uint64_t ms);
void clock_tick(void);

/* fault reports from arch (task.c) */
struct fault_info {
	unsigned vector;
	const char *name;
	uint32_t eip, err, addr;
	bool has_addr;
	int soft_int; /* the vector of a refused `int n`, or -1 */
	int signo;    /* the signal it is, or 0: always fatal */
};
/* Kill the faulting task, unless it asked for the fault as a message. */
void task_fault(const struct fault_info *f);
void task_user_return(void);

/* ktest.c */
void ktest_run(const char *name);

#endif
