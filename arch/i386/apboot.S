/*
 * Where an application processor starts (smp.c): a STARTUP IPI puts it
 * in real mode at the page the trampoline was copied to, cs:ip =
 * TRAMPOLINE >> 4 : 0. The trampoline loads this CPU's GDT (its
 * address, filled in by the boot CPU, sits in the trampoline itself:
 * real mode reaches only the first MiB), enters protected mode and
 * jumps to ap_start32 in the kernel, at its link address (paging is
 * still off, and the kernel runs 1:1). That turns paging on with the
 * kernel's page directory and calls smp_ap_main on the AP's own stack.
 */
#include "asm.h"

	.section .note.GNU-stack, "", @progbits
	.text

	.code16
	.globl ap_trampoline, ap_trampoline_gdtr, ap_trampoline_end
ap_trampoline:
	cli
	movw %cs, %ax
	movw %ax, %ds
	lgdtl ap_trampoline_gdtr - ap_trampoline
	movl %cr0, %eax
	orl $0x1, %eax /* CR0.PE */
	movl %eax, %cr0
	ljmpl $SEL_KCODE, $ap_start32
	.balign 4
ap_trampoline_gdtr:
	.word 0 /* limit, then base: a struct dtr */
	.long 0
ap_trampoline_end:

	.code32
ap_start32:
	movw $SEL_KDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $0x10, %eax /* CR4.PSE: the kernel maps RAM with 4 MiB pages */
	movl %eax, %cr4
	movl ap_boot_cr3, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80010000, %eax /* CR0.PG | CR0.WP, as on the boot CPU */
	movl %eax, %cr0
	movl ap_boot_esp, %esp
	xorl %ebp, %ebp
	pushl $0
	popfl /* DF clear for C, IF off */
	call smp_ap_main
