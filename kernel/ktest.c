/*
 * Kernel self-tests, run in the guest when the command line says
 * ktest=self, and deliberate panics for ktest=de|ud|bp|gp|pf|kstack.
 * Each test prints one line, "PASS: name" or "FAIL: name", before the
 * summary, so a hang or a panic points at the test that was running.
 */
#include <drake/errno.h>
#include <drake/fmt.h>
#include <drake/string.h>

#include "arch.h"
#include "elf.h"
#include "kernel.h"
#include "timer.h"

#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!(cond)) {                                                 \
			kprintf("  line %d: %s\n", __LINE__, #cond);           \
			return false;                                          \
		}                                                              \
	} while (0)

extern char kernel_start[], kernel_end[];

static bool page_is_reserved(uint32_t pa)
{
	if (pa < 0x100000u ||
	    (pa >= (uint32_t)kernel_start && pa < (uint32_t)kernel_end))
		return true;
	for (uint32_t i = 0; i < boot_info.nmodules; i++)
		if (pa + PAGE_SIZE > boot_info.modules[i].start &&
		    pa < boot_info.modules[i].end)
			return true;
	return false;
}

static bool kt_pmm_alloc_free(void)
{
	uint32_t before = pmm_free_count();
	uint32_t a = pmm_alloc(), b = pmm_alloc();
	KT_ASSERT(a && b && a != b);
	KT_ASSERT(a % PAGE_SIZE == 0 && b % PAGE_SIZE == 0);
	KT_ASSERT(pmm_free_count() == before - 2);
	KT_ASSERT(!pmm_is_free(a));
	pmm_free(a);
	pmm_free(b);
	KT_ASSERT(pmm_is_free(a));
	KT_ASSERT(pmm_free_count() == before);
	return true;
}

/* Drain the allocator: no page handed out may be reserved. The pages
 * are chained through their first word so no other memory is needed. */
static bool kt_pmm_never_reserved(void)
{
	uint32_t before = pmm_free_count(), n = 0, head = 0, pa;
	bool clean = true;
	while ((pa = pmm_alloc())) {
		clean = clean && !page_is_reserved(pa);
		*(uint32_t *)pa = head;
		head = pa;
		n++;
	}
	KT_ASSERT(pmm_free_count() == 0);
	while (head) {
		uint32_t next = *(uint32_t *)head;
		pmm_free(head);
		head = next;
	}
	KT_ASSERT(clean);
	KT_ASSERT(n == before);
	KT_ASSERT(pmm_free_count() == before);
	return true;
}

static bool kt_kmalloc_patterns(void)
{
	enum { N = 300 };
	static unsigned char *objs[N];
	uint32_t pages = pmm_free_count();
	for (int i = 0; i < N; i++) {
		size_t size = 1 + (size_t)(i * 97) % KMALLOC_MAX;
		objs[i] = kmalloc(size);
		KT_ASSERT(objs[i]);
		memset(objs[i], i & 0xff, size);
	}
	for (int i = 0; i < N; i++) {
		size_t size = 1 + (size_t)(i * 97) % KMALLOC_MAX;
		for (size_t j = 0; j < size; j++)
			KT_ASSERT(objs[i][j] == (i & 0xff));
	}
	for (int i = 0; i < N; i += 2)
		kfree(objs[i]);
	for (int i = 1; i < N; i += 2)
		kfree(objs[i]);
	KT_ASSERT(kmalloc(KMALLOC_MAX + 1) == NULL);
	KT_ASSERT(pmm_free_count() == pages);
	return true;
}

static bool kt_vm_map_release(void)
{
	uint32_t before = pmm_free_count();
	vm_space vm = arch_vm_create();
	uint32_t pa = pmm_alloc();
	KT_ASSERT(vm && pa);
	KT_ASSERT(arch_vm_map(vm, USER_BASE + 0x5000, pa, true) == 0);
	KT_ASSERT(arch_vm_map(vm, USER_BASE + 0x5000, pa, true) == EINVAL);
	arch_vm_activate(vm);
	*(volatile uint32_t *)(USER_BASE + 0x5000 + 8) = 0x600dcafe;
	arch_vm_activate(0);
	KT_ASSERT(((uint32_t *)pa)[2] == 0x600dcafe);
	arch_vm_release_user(vm);
	arch_vm_free(vm);
	KT_ASSERT(pmm_free_count() == before);
	return true;
}

/* One writable and one read-only page at USER_BASE; nothing after. */
static bool kt_usercopy_checks(void)
{
	uint32_t rw = USER_BASE, ro = USER_BASE + PAGE_SIZE, v;
	char buf[16];
	KT_ASSERT(copyin(buf, rw, 8) == 0);
	KT_ASSERT(copyout(rw, "drake!", 7) == 0);
	KT_ASSERT(copyin(buf, rw, 7) == 0 && !strcmp(buf, "drake!"));
	KT_ASSERT(fetch_user32(rw, &v) == 0 && v == 0x6b617264);
	KT_ASSERT(copyin(buf, ro + PAGE_SIZE, 4) == EFAULT);	 /* unmapped */
	KT_ASSERT(copyin(buf, ro + PAGE_SIZE - 2, 4) == EFAULT); /* straddle */
	KT_ASSERT(copyin(buf, 0x100000, 4) == EFAULT);	     /* kernel memory */
	KT_ASSERT(copyin(buf, 0xfffffff0u, 0x20) == EFAULT); /* wraps */
	KT_ASSERT(copyin(buf, USER_END - 2, 4) == EFAULT);   /* past the end */
	KT_ASSERT(!user_range_ok(USER_END, 0));		     /* at the end */
	KT_ASSERT(!user_range_ok(USER_END + 1, 1)); /* above: no wrap */
	KT_ASSERT(!user_range_ok(0xffffffffu, 1));
	KT_ASSERT(user_range_ok(USER_END - 1, 1));
	KT_ASSERT(fetch_user32(USER_BASE - 4, &v) == EFAULT);
	KT_ASSERT(fetch_user32(ro + PAGE_SIZE, &v) == EFAULT);
	KT_ASSERT(copyout(ro, "x", 1) == EFAULT); /* read-only, CR0.WP */
	KT_ASSERT(copyin(buf, ro, 1) == 0 && buf[0] == 0);
	return true;
}

static bool kt_usercopy(void)
{
	uint32_t before = pmm_free_count();
	vm_space vm = arch_vm_create();
	uint32_t a = pmm_alloc(), b = pmm_alloc();
	KT_ASSERT(vm && a && b);
	memset((void *)a, 0, PAGE_SIZE);
	memset((void *)b, 0, PAGE_SIZE);
	KT_ASSERT(arch_vm_map(vm, USER_BASE, a, true) == 0);
	KT_ASSERT(arch_vm_map(vm, USER_BASE + PAGE_SIZE, b, false) == 0);
	arch_vm_activate(vm);
	bool ok = kt_usercopy_checks();
	arch_vm_activate(0);
	arch_vm_release_user(vm);
	arch_vm_free(vm);
	KT_ASSERT(pmm_free_count() == before);
	return ok;
}

static void kt_wait_ticks(uint64_t n)
{
	uint64_t until = clock_ticks() + n;
	for (int i = 0; i < 10000 && clock_ticks() < until; i++)
		arch_idle_wait();
}

static bool kt_clock_ticks(void)
{
	uint64_t t0 = clock_ticks();
	kt_wait_ticks(3);
	KT_ASSERT(clock_ticks() >= t0 + 3);
	KT_ASSERT(clock_uptime_ms() == clock_ticks() * (1000 / TIMER_HZ));
	KT_ASSERT(clock_ms_to_ticks(1) == 1 && clock_ms_to_ticks(100) == 10);
	return true;
}

static int kt_fired[3], kt_nfired;

static void kt_timer_fire(struct ktimer *t)
{
	kt_fired[kt_nfired++] = (int)t->due;
}

static bool kt_timer_order(void)
{
	struct ktimer t[3];
	uint64_t now = clock_ticks();
	kt_nfired = 0;
	for (int i = 0; i < 3; i++)
		timer_init(&t[i], kt_timer_fire);
	timer_arm(&t[0], now + 3);
	timer_arm(&t[1], now + 1);
	timer_arm(&t[2], now + 2);
	kt_wait_ticks(4);
	KT_ASSERT(kt_nfired == 3);
	KT_ASSERT(kt_fired[0] == (int)(now + 1) &&
		  kt_fired[1] == (int)(now + 2) &&
		  kt_fired[2] == (int)(now + 3));
	return true;
}

static bool kt_format(void)
{
	char buf[64];
	fmt_snprintf(buf, sizeof(buf), "%lld|%08x|%-4s|%llu", -9000000000LL,
		     0xbeefu, "ab", 18446744073709551615ULL);
	KT_ASSERT(
	    !strcmp(buf, "-9000000000|0000beef|ab  |18446744073709551615"));
	return true;
}

/* The harness boots this suite with "module .../hello hello arg1". */
static bool kt_boot_modules(void)
{
	const struct boot_module *m = bootinfo_module("hello");
	KT_ASSERT(m);
	KT_ASSERT(!strcmp(m->args, "arg1"));
	KT_ASSERT(m->start % PAGE_SIZE == 0 && m->end > m->start);
	struct elf_image img;
	KT_ASSERT(elf_parse((const void *)m->start, m->end - m->start,
			    USER_BASE, USER_END, &img) == 0);
	KT_ASSERT(img.entry >= USER_BASE && img.nsegments >= 1);
	return true;
}

/* Kernel stacks are usable end to end, distinct, and given back. */
static bool kt_kstack_alloc_free(void)
{
	uint32_t before = pmm_free_count();
	uint32_t a = arch_kstack_alloc(), b = arch_kstack_alloc();
	KT_ASSERT(a && b && a != b);
	KT_ASSERT(a + KSTACK_SIZE <= b - PAGE_SIZE ||
		  b + KSTACK_SIZE <= a - PAGE_SIZE);
	for (uint32_t *w = (uint32_t *)a; w < (uint32_t *)(a + KSTACK_SIZE);
	     w++)
		*w = (uint32_t)w;
	KT_ASSERT(*(uint32_t *)(a + KSTACK_SIZE - 4) == a + KSTACK_SIZE - 4);
	arch_kstack_free(a);
	arch_kstack_free(b);
	KT_ASSERT(pmm_free_count() == before);
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} ktests[] = {
    {"pmm_alloc_free", kt_pmm_alloc_free},
    {"pmm_never_reserved", kt_pmm_never_reserved},
    {"kmalloc_patterns", kt_kmalloc_patterns},
    {"vm_map_release", kt_vm_map_release},
    {"usercopy", kt_usercopy},
    {"clock_ticks", kt_clock_ticks},
    {"timer_order", kt_timer_order},
    {"format", kt_format},
    {"boot_modules", kt_boot_modules},
    {"kstack_alloc_free", kt_kstack_alloc_free},
};

static void ktest_self(void)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(ktests) / sizeof(ktests[0]); i++) {
		kprintf("TEST: %s\n", ktests[i].name);
		bool ok = ktests[i].fn();
		kprintf("%s: %s\n", ok ? "PASS" : "FAIL", ktests[i].name);
		ok ? passed++ : failed++;
	}
	kprintf("SUMMARY: %d passed, %d failed\n", passed, failed);
	arch_exit_emulator(failed ? EXIT_FAIL : EXIT_PASS);
}

void ktest_run(const char *name)
{
	if (!strcmp(name, "self"))
		ktest_self();
	arch_provoke_fault(name);
	panic("ktest: unknown suite '%s'", name);
}
