/*
 * The entry page's two versions (drake/entry.h has the layout, entry.c
 * maps one of them into every task, read-only, at DRAKE_ENTRY_PAGE).
 * They differ only in where DRAKE_ENTRY_CALL jumps and in the kind
 * word, so no code is patched at boot. This is user-mode code: it runs
 * in ring 3, at the page's user address, so it only jumps relatively.
 *
 * The sysenter stub. sysenter saves nothing and sysexit takes the
 * return esp from ecx and eip from edx, so the stub keeps the caller's
 * ecx, edx and ebp on the user stack and passes its esp in ebp; the
 * kernel returns to the landing pad (DRAKE_ENTRY_SYSENTER_RET), whose
 * address it knows, whether by sysexit or by iret.
 */
#include <drake/entry.h>

	.section .note.GNU-stack, "", @progbits

.macro ENTRY_PAGE name, kind, target
	.section .rodata.entrypage, "a"
	.balign 4096
	.globl \name
\name:
	jmp \name + (\target - DRAKE_ENTRY_PAGE)	/* DRAKE_ENTRY_CALL */
	.org \name + (DRAKE_ENTRY_INT - DRAKE_ENTRY_PAGE), 0xcc
	int $0x81
	ret
	.org \name + (DRAKE_ENTRY_SYSENTER - DRAKE_ENTRY_PAGE), 0xcc
1:	pushl %ebp
	pushl %edx
	pushl %ecx
	movl %esp, %ebp /* the kernel's return esp */
	sysenter
	.if . - 1b != DRAKE_ENTRY_SYSENTER_RET - DRAKE_ENTRY_SYSENTER
	.error "the landing pad is not at DRAKE_ENTRY_SYSENTER_RET"
	.endif
	popl %ecx
	popl %edx
	popl %ebp
	ret
	.org \name + (DRAKE_ENTRY_KIND - DRAKE_ENTRY_PAGE), 0xcc
	.long \kind
	.balign 4096, 0xcc /* int3: a stray jump into the rest traps */
.endm

ENTRY_PAGE entry_page_int, DRAKE_ENTRY_KIND_INT, DRAKE_ENTRY_INT
ENTRY_PAGE entry_page_sysenter, DRAKE_ENTRY_KIND_SYSENTER, DRAKE_ENTRY_SYSENTER
