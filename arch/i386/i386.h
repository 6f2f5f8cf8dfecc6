/* Declarations shared between the files of arch/i386 only. */
#ifndef DRAKE_I386_H
#define DRAKE_I386_H

#include <stdint.h>

#include "asm.h"
#include "trapframe.h"

void gdt_init(void);
void gdt_set_kernel_stack(uint32_t esp0);
void idt_init(void);
void pic_init(void);
void pic_eoi(unsigned irq);
void pic_unmask(unsigned irq);
void pit_init(unsigned hz);
void serial_init(void);
void serial_putc(char c);
void serial_enable_input(void);
void serial_irq(void);
void keyboard_init(void);
void keyboard_irq(void);
void vga_init(void);
void vga_putc(char c);
void vga_cursor(void);
void fpu_init(void);

void trap_dispatch(struct trapframe *tf);
void trap_user_return(struct trapframe *tf);

/* Assembly entry points (trap.S, switch.S). */
extern const uint32_t trap_vectors[48];
void trap_msg_entry(void);
void trap_bench_entry(void);
void trap_return(void);
void task_switch_stacks(uint32_t *save_esp, uint32_t load_esp);

#define IRQ_BASE     32
#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4
#define VEC_BENCH    0x82

#endif
