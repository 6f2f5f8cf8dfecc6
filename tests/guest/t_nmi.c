/*
 * NMIs belong to the machine, not to the task that happens to run
 * (tests/nmi.sh injects them through QEMU's monitor). This program is
 * running in user mode for the first, and blocked in the kernel for the
 * second; each time tests/nmi.sh then types a line, and the program
 * says it is still alive.
 */
#include <drake/sys.h>

/* Spin in user mode, making no call, until an asynchronous READ is
 * returned: the CPU is almost always in ring 3 when the NMI comes. */
static long spin_until_line(char *buf, uint32_t len)
{
	static struct msg_read m;
	m.buf = (drake_uaddr)buf;
	m.len = len;
	int err = sys_send_async(&m, CMD_READ, sizeof(m), NULL);
	if (err && err != EASYNC)
		return -err;
	printf("nmi: spinning in user mode\n");
	while (!(((volatile struct drake_msg *)&m.hdr)->flags & MSGF_DONE))
		;
	return m.hdr.error ? -(long)m.hdr.error : (long)m.hdr.result;
}

int main(void)
{
	char line[16];
	long n = spin_until_line(line, sizeof(line));
	printf("nmi: alive after spinning (%ld bytes)\n", n);
	printf("nmi: blocked in the kernel\n");
	n = sys_read(line, sizeof(line));
	printf("nmi: alive after blocking (%ld bytes)\n", n);
	return 0;
}
