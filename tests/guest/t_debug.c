/*
 * The program the debugger tests (tests/tools.sh) stop in: it prints the
 * port, message and size it is about to trap with, then makes exactly
 * that int 0x81 at the global label debug_trap_site, with patterns in
 * ebx, esi and edi so that a register the trap fails to restore shows.
 * debug_after_trap is where it lands again in user mode. Then the same
 * call through the entry page's sysenter stub (drake/entry.h), called
 * at debug_sysenter_site and back at debug_after_sysenter, when the
 * kernel uses sysenter.
 */
#include <drake/entry.h>
#include <drake/sys.h>

static struct msg_write msg;

int main(void)
{
	static const char text[] = "debug: message delivered\n";
	msg = (struct msg_write){
	    .hdr = {.cmd = CMD_WRITE, .size = sizeof(msg)},
	    .buf = (drake_uaddr)text,
	    .len = sizeof(text) - 1,
	};
	printf("debug: port=%08x msg=%08x size=%08x\n", (uint32_t)&sys_port,
	       (uint32_t)&msg, (uint32_t)sizeof(msg));
	int err;
	__asm__ volatile("movl $0xb0b0b0b0, %%ebx\n\t"
			 "movl $0x51515151, %%esi\n\t"
			 "movl $0xd1d1d1d1, %%edi\n"
			 ".globl debug_trap_site\n"
			 "debug_trap_site:\n\t"
			 "int $0x81\n"
			 ".globl debug_after_trap\n"
			 "debug_after_trap:"
			 : "=a"(err)
			 : "a"(&sys_port), "c"(&msg), "d"(sizeof(msg))
			 : "ebx", "esi", "edi", "memory");
	printf("debug: result=%d\n", err);
	if (err || *(volatile uint32_t *)DRAKE_ENTRY_KIND !=
		       DRAKE_ENTRY_KIND_SYSENTER) {
		printf("debug: no sysenter\n");
		return err;
	}
	__asm__ volatile("movl $0xb0b0b0b0, %%ebx\n\t"
			 "movl $0x51515151, %%esi\n\t"
			 "movl $0xd1d1d1d1, %%edi\n"
			 ".globl debug_sysenter_site\n"
			 "debug_sysenter_site:\n\t"
			 "call %P4\n"
			 ".globl debug_after_sysenter\n"
			 "debug_after_sysenter:"
			 : "=a"(err)
			 : "a"(&sys_port), "c"(&msg), "d"(sizeof(msg)),
			   "i"(DRAKE_ENTRY_SYSENTER)
			 : "ebx", "esi", "edi", "memory");
	printf("debug: sysenter result=%d\n", err);
	return err;
}
