/*
 * Deliberate kernel-mode faults for the harness's panic tests. Each
 * provoke_X_site label marks the EIP the CPU reports for the fault: the
 * faulting instruction itself, or for the #BP trap the one after it.
 */
	.section .note.GNU-stack, "", @progbits
	.text

	.globl provoke_de, provoke_de_site
provoke_de:
	xorl %ecx, %ecx
provoke_de_site:
	divl %ecx
	ret

	.globl provoke_ud, provoke_ud_site
provoke_ud:
provoke_ud_site:
	ud2
	ret

	.globl provoke_bp, provoke_bp_site
provoke_bp:
	int3
provoke_bp_site:
	ret

	.globl provoke_gp, provoke_gp_site
provoke_gp:
	movw $0x33, %ax  /* past the end of the GDT */
provoke_gp_site:
	movw %ax, %ds
	ret

/* provoke_on_stack(top, fn): call fn with esp at top, for good. */
	.globl provoke_on_stack
provoke_on_stack:
	movl 8(%esp), %eax
	movl 4(%esp), %esp
	call *%eax
	ud2

	.globl provoke_pf, provoke_pf_site
provoke_pf:
provoke_pf_site:
	movl 0xdeadbeec, %eax /* above USER_END: never mapped */
	ret
