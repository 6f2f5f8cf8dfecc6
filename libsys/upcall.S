/*
 * The upcall trampoline (drake_sysport.upcall_entry). The kernel enters
 * here with esp at a struct drake_upcall_frame: call the port's handler
 * with the port, then end the upcall with an UPCALL_RETURN message, in
 * which the kernel restores the interrupted context. It never returns.
 */
	.section .note.GNU-stack, "", @progbits
	.text
	.globl upcall_entry
upcall_entry:
	movl %esp, %ebx /* the frame; ebx survives the handler */
	movl %ebx, upcall_current
	pushl 0(%ebx)   /* frame.port */
	call *4(%ebx)   /* frame.handler */
	call upcall_finish
	ud2
