/*
 * Paging. Every address space shares the kernel's first 256 page-directory
 * entries: 4 MiB pages mapping physical memory 1:1, supervisor-only, so the
 * kernel reaches any page by its physical address and user code reaches
 * none of it. User mappings are ordinary 4 KiB pages above USER_BASE, in
 * page tables that belong to that one space. CR0.WP makes the kernel obey
 * read-only user pages too, so copyout into one faults (and is fixed up).
 *
 * The kernel stacks live in one more shared page table, at KSTACK_REGION
 * (machine.h), mapped page by page so that each stack can have an
 * unmapped guard page below it (kstack.c). Every page directory points
 * at that one table, so a stack mapped once is there in every space.
 */
#include <drake/errno.h>
#include <drake/string.h>

#include "arch.h"
#include "i386.h"
#include "kernel.h"
#include "x86.h"

#define PTE_P	     0x001u
#define PTE_W	     0x002u
#define PTE_U	     0x004u
#define PTE_PWT	     0x008u
#define PTE_PCD	     0x010u
#define PTE_PS	     0x080u
#define PTE_ADDR     0xfffff000u
#define PDE_KERNEL   (KERNEL_PHYS_LIMIT >> 22)
#define PDE_USER_END (USER_END >> 22)
#define PDE_KSTACK   (KSTACK_REGION >> 22)

_Static_assert(KSTACK_REGION >= USER_END &&
		   KSTACK_REGION % KSTACK_REGION_SIZE == 0 &&
		   KSTACK_REGION_SIZE == 1024 * PAGE_SIZE,
	       "the kernel stacks fill one page table above user space");

static uint32_t kernel_pd[1024] __attribute__((aligned(4096)));
static uint32_t kstack_pt[1024] __attribute__((aligned(4096)));

void arch_vm_init(void)
{
	for (uint32_t i = 0; i < PDE_KERNEL; i++)
		kernel_pd[i] = (i << 22) | PTE_P | PTE_W | PTE_PS;
	kernel_pd[PDE_KSTACK] = (uint32_t)kstack_pt | PTE_P | PTE_W;
	write_cr4(read_cr4() | CR4_PSE);
	write_cr3((uint32_t)kernel_pd);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	gdt_set_double_fault_cr3((uint32_t)kernel_pd);
}

/*
 * Map the 4 MiB holding device registers at pa 1:1, uncached: the local
 * APIC (lapic.c), which every CPU touches from any address space (EOI,
 * IPIs). Mapped at boot, before any task's space is made, so each copies
 * it (arch_vm_create). Only the top 1 GiB can hold it, and not the
 * kernel stacks' 4 MiB.
 */
bool vm_map_device(uint32_t pa)
{
	if (pa < USER_END || pa >> 22 == PDE_KSTACK)
		return false;
	kernel_pd[pa >> 22] =
	    (pa & ~0x3fffffu) | PTE_P | PTE_W | PTE_PS | PTE_PWT | PTE_PCD;
	return true;
}

static uint32_t *vm_kstack_pte(uint32_t va)
{
	return &kstack_pt[(va - KSTACK_REGION) >> PAGE_SHIFT];
}

/* Once per stack, at boot (kstack.c): never unmapped. */
void vm_kstack_map(uint32_t va, uint32_t pa)
{
	*vm_kstack_pte(va) = pa | PTE_P | PTE_W;
}

vm_space arch_vm_create(void)
{
	uint32_t *pd = (uint32_t *)pmm_alloc();
	if (!pd)
		return 0;
	memcpy(pd, kernel_pd, PDE_KERNEL * sizeof(uint32_t));
	memset(pd + PDE_KERNEL, 0,
	       (PDE_USER_END - PDE_KERNEL) * sizeof(uint32_t));
	/* the kernel stacks, and the local APIC's registers if mapped */
	memcpy(pd + PDE_USER_END, kernel_pd + PDE_USER_END,
	       (1024 - PDE_USER_END) * sizeof(uint32_t));
	return (vm_space)pd;
}

int arch_vm_map(vm_space vm, uint32_t va, uint32_t pa, bool writable)
{
	uint32_t *pde = (uint32_t *)vm + (va >> 22);
	if (!(*pde & PTE_P)) {
		uint32_t pt = pmm_alloc();
		if (!pt)
			return ENOMEM;
		memset((void *)pt, 0, PAGE_SIZE);
		*pde = pt | PTE_P | PTE_W | PTE_U;
	}
	uint32_t *pte = (uint32_t *)(*pde & PTE_ADDR) + ((va >> 12) & 1023);
	if (*pte & PTE_P)
		return EINVAL;
	*pte = pa | PTE_P | PTE_U | (writable ? PTE_W : 0);
	return 0;
}

uint32_t arch_vm_unmap(vm_space vm, uint32_t va)
{
	uint32_t pde = ((uint32_t *)vm)[va >> 22];
	if (!(pde & PTE_P))
		return 0;
	uint32_t *pte = (uint32_t *)(pde & PTE_ADDR) + ((va >> 12) & 1023);
	uint32_t pa = *pte & PTE_P ? *pte & PTE_ADDR : 0;
	*pte = 0;
	if (read_cr3() == vm)
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	return pa;
}

/* A page table with no mapping left in it. */
static bool vm_table_empty(const uint32_t *pt)
{
	for (int i = 0; i < 1024; i++)
		if (pt[i] & PTE_P)
			return false;
	return true;
}

void arch_vm_trim(vm_space vm, uint32_t start, uint32_t end)
{
	uint32_t *pd = (uint32_t *)vm;
	for (uint32_t i = start >> 22; i < ((end + (1u << 22) - 1) >> 22);
	     i++) {
		if (!(pd[i] & PTE_P) ||
		    !vm_table_empty((uint32_t *)(pd[i] & PTE_ADDR)))
			continue;
		pmm_free(pd[i] & PTE_ADDR);
		pd[i] = 0;
	}
	if (read_cr3() == vm)
		write_cr3(vm);
}

static void vm_free_table(uint32_t pt)
{
	uint32_t *pte = (uint32_t *)pt;
	for (int i = 0; i < 1024; i++)
		if (pte[i] & PTE_P)
			pmm_free(pte[i] & PTE_ADDR);
	pmm_free(pt);
}

void arch_vm_release_user(vm_space vm)
{
	uint32_t *pd = (uint32_t *)vm;
	arch_vm_unmap(vm, USER_ENTRY_PAGE); /* the kernel's page: not freed */
	for (uint32_t i = PDE_KERNEL; i < PDE_USER_END; i++) {
		if (pd[i] & PTE_P)
			vm_free_table(pd[i] & PTE_ADDR);
		pd[i] = 0;
	}
	if (read_cr3() == vm)
		write_cr3(vm); /* drop stale user TLB entries */
}

void arch_vm_free(vm_space vm)
{
	pmm_free(vm);
}

void arch_vm_activate(vm_space vm)
{
	uint32_t pd = vm ? vm : (uint32_t)kernel_pd;
	if (read_cr3() != pd)
		write_cr3(pd);
}

/* The kernel address of user page va in vm, or 0 if the task cannot
 * access it (or write it, when asked). */
static uint32_t vm_user_page(vm_space vm, uint32_t va, bool write)
{
	uint32_t pde = ((uint32_t *)vm)[va >> 22];
	if ((pde & (PTE_P | PTE_U)) != (PTE_P | PTE_U) || (pde & PTE_PS))
		return 0;
	uint32_t pte = ((uint32_t *)(pde & PTE_ADDR))[(va >> 12) & 1023];
	uint32_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	return (pte & need) == need ? pte & PTE_ADDR : 0;
}

/* Copy between kernel memory and vm's user memory, page by page. */
static int vm_copy(vm_space vm, uint32_t uaddr, void *kbuf, size_t n,
		   bool to_user)
{
	if (!user_range_ok(uaddr, n))
		return EFAULT;
	char *k = kbuf;
	while (n) {
		uint32_t off = uaddr & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
		uint32_t page = vm_user_page(vm, uaddr, to_user);
		if (!page)
			return EFAULT;
		if (to_user)
			memcpy((void *)(page + off), k, chunk);
		else
			memcpy(k, (const void *)(page + off), chunk);
		uaddr += chunk;
		k += chunk;
		n -= chunk;
	}
	return 0;
}

int arch_vm_copyin(vm_space vm, void *dst, uint32_t usrc, size_t n)
{
	return vm_copy(vm, usrc, dst, n, false);
}

int arch_vm_copyout(vm_space vm, uint32_t udst, const void *src, size_t n)
{
	return vm_copy(vm, udst, (void *)src, n, true);
}
