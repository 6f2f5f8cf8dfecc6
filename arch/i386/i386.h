/* Declarations shared between the files of arch/i386 only. */
#ifndef DRAKE_I386_H
#define DRAKE_I386_H

#include <stdbool.h>
#include <stdint.h>

#include "asm.h"
#include "machine.h"
#include "trapframe.h"

/* A 32-bit task-state segment, as the CPU reads and writes it. */
struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

/* A descriptor-table register, as lgdt and lidt load it. */
struct dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

/* The CPUs the firmware lists (cpus.c): at most CPU_MAX of the
 * `listed` enabled ones, by local APIC id, and where they were found. */
struct cpu_map {
	uint32_t lapic; /* the local APICs' physical address */
	unsigned n, listed;
	uint8_t apic_id[CPU_MAX];
	const char *source;
};
bool cpus_find(struct cpu_map *m);

/* The local APIC (lapic.c); lapic_map first. */
bool lapic_map(uint32_t pa);
uint32_t lapic_id(void);
bool lapic_integrated(void);
void lapic_start_ap(uint32_t apic_id, uint32_t addr);
void lapic_init_bsp(void);
void lapic_init_ap(void);
void lapic_timer_calibrate(void);
void lapic_timer_start(void);
void lapic_timer_mask(bool masked);
void lapic_send(uint32_t apic_id, unsigned vector);
void lapic_eoi(void);

void gdt_init(void);
void gdt_init_cpu(unsigned cpu, uint32_t esp0);
void gdt_load(unsigned cpu);
struct dtr gdt_pointer(unsigned cpu);
void gdt_set_kernel_stack(uint32_t esp0);
void gdt_set_double_fault_cr3(uint32_t cr3);
const struct tss *gdt_faulting_state(void);
void idt_init(void);
void idt_load(void);
void pic_init(void);
void pic_eoi(unsigned irq);
void pic_unmask(unsigned irq);
void pit_init(unsigned hz);
void pit_delay_us(unsigned us);
void serial_init(void);
void serial_putc(char c);
void serial_enable_input(void);
void serial_irq(void);
void serial_flush(void);
void keyboard_init(void);
void keyboard_irq(void);
void vga_init(void);
void vga_putc(char c);
void vga_cursor(void);
void fpu_init(void);
void fpu_init_cpu(void);

void trap_dispatch(struct trapframe *tf);
void trap_user_return(struct trapframe *tf);
void entry_init(void);
void entry_init_cpu(void);
void entry_set_kernel_stack(uint32_t esp0);
__attribute__((noreturn)) void trap_double_fault(void);

/* The kernel-stack window (kstack.c, vm.c). */
uint32_t kstack_guard_page(uint32_t addr);
void vm_kstack_map(uint32_t va, uint32_t pa);
bool vm_map_device(uint32_t pa);

/* Assembly entry points (trap.S, switch.S). */
extern const uint32_t trap_vectors[51];
void trap_msg_entry(void);
void trap_sysenter_entry(void);
void trap_double_fault_entry(void);
void trap_bench_entry(void);
void trap_spurious_entry(void);
void trap_return(void);
void task_switch_stacks(uint32_t *save_esp, uint32_t load_esp);

#define IRQ_BASE     32
#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4
#define VEC_BENCH    0x82

#endif
