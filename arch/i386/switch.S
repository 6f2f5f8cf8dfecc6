/*
 * task_switch_stacks(uint32_t *save_esp, uint32_t load_esp)
 * Saves the callee-saved registers on the current kernel stack, records
 * the stack pointer, and resumes the other stack where it was saved. A
 * new task's stack is built to look like one saved here (task.c).
 */
	.section .note.GNU-stack, "", @progbits
	.text
	.globl task_switch_stacks
task_switch_stacks:
	movl 4(%esp), %eax
	movl 8(%esp), %edx
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
