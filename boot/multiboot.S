/*
 * The multiboot (v1) header and the first instructions of the kernel.
 * GRUB (or QEMU's -kernel loader) enters _start in 32-bit protected mode
 * with paging off, eax = the multiboot magic and ebx = the info block.
 */
	.section .note.GNU-stack, "", @progbits

	.set MB_MAGIC, 0x1badb002
	.set MB_FLAGS, 0x3 /* page-align modules, provide a memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .bss
	.align 4096
	.globl boot_stack
boot_stack:
	.skip 16384
boot_stack_top:

	.text
	.globl _start
_start:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp
	pushl $0
	popfl
	pushl %ebx
	pushl %eax
	call kmain
1:	cli
	hlt
	jmp 1b
