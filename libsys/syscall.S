/*
 * The three system-call primitives: arguments from the C stack into the
 * registers the proposal assigns, then a call into the kernel's entry
 * page (drake/entry.h), which enters by sysenter or int 0x81, whichever
 * the kernel chose at boot; error code back in eax.
 *   sendsys(port, msg, size): eax=port ecx=msg edx=size
 *   waitsys(port, msg):       eax=port ecx=msg edx=0
 *   flushsys():               eax=ecx=edx=0
 */
#include <drake/entry.h>

	.section .note.GNU-stack, "", @progbits
	.text

/* jmp DRAKE_ENTRY_CALL, spelled out: clang's assembler refuses a jmp to
 * an absolute address, though both take this (a PC32 relocation). */
.macro JMP_ENTRY_CALL
	.byte 0xe9 /* jmp rel32 */
	.long DRAKE_ENTRY_CALL - . - 4
.endm

	.globl sendsys
sendsys:
	movl 4(%esp), %eax
	movl 8(%esp), %ecx
	movl 12(%esp), %edx
	JMP_ENTRY_CALL /* a tail call: the stub returns to our caller */

	.globl waitsys
waitsys:
	movl 4(%esp), %eax
	movl 8(%esp), %ecx
	xorl %edx, %edx
	JMP_ENTRY_CALL

	.globl flushsys
flushsys:
	xorl %eax, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	JMP_ENTRY_CALL
