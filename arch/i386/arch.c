/* Machine bring-up and the small services kernel/ asks of the machine. */
#include "arch.h"
#include "i386.h"
#include "kernel.h"
#include "x86.h"

#define DEBUG_EXIT_PORT	    0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900
#define QEMU_ACPI_PM1A_CNT  0x604
#define ACPI_SLP_EN_S5	    0x2000

void arch_init_cpu(void)
{
	gdt_init();
	idt_init();
	entry_init();
	fpu_init();
	arch_vm_init();
}

void arch_init_devices(void)
{
	pic_init();
	pit_init(TIMER_HZ);
	serial_enable_input();
	keyboard_init();
}

void arch_console_init(void)
{
	serial_init();
	vga_init();
}

void arch_console_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		serial_putc(buf[i]);
		vga_putc(buf[i]);
	}
	vga_cursor();
}

/*
 * QEMU's isa-debug-exit device turns the write into exit status
 * (code << 1) | 1; Bochs shuts down on the "Shutdown" string. On real
 * hardware neither port does anything and the machine halts.
 */
void arch_exit_emulator(int code)
{
	cli();
	serial_flush();
	outb(DEBUG_EXIT_PORT, (uint8_t)code);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	arch_halt();
}

/* ACPI power-off for QEMU's PC machine, Bochs' shutdown port, then a
 * plain halt for machines with neither. */
void arch_poweroff(void)
{
	cli();
	serial_flush();
	outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	arch_halt();
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* sti takes effect after the next instruction, so no IRQ can slip in
 * between the check the caller made and the hlt. */
void arch_idle_wait(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* sti takes effect after the next instruction: the nop is the window. */
void arch_irq_window(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}
