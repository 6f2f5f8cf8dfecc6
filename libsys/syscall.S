/*
 * The three system-call primitives: arguments from the C stack into the
 * registers the proposal assigns, int 0x81, error code back in eax.
 *   sendsys(port, msg, size): eax=port ecx=msg edx=size
 *   waitsys(port, msg):       eax=port ecx=msg edx=0
 *   flushsys():               eax=ecx=edx=0
 */
	.section .note.GNU-stack, "", @progbits
	.text

	.globl sendsys
sendsys:
	movl 4(%esp), %eax
	movl 8(%esp), %ecx
	movl 12(%esp), %edx
	int $0x81
	ret

	.globl waitsys
waitsys:
	movl 4(%esp), %eax
	movl 8(%esp), %ecx
	xorl %edx, %edx
	int $0x81
	ret

	.globl flushsys
flushsys:
	xorl %eax, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	int $0x81
	ret
