/* Message handlers for the console, time and memory services. */
#include <drake/errno.h>
#include <drake/msg.h>

#include "arch.h"
#include "kernel.h"
#include "msg.h"
#include "task.h"

int svc_nop(void *msg)
{
	(void)msg;
	return 0;
}

/* Copy through a small bounce buffer: user memory is only touched by
 * copyin, and a fault midway still reports what was written. */
int svc_write(void *msg)
{
	struct msg_write *m = msg;
	char buf[128];
	uint32_t done = 0;
	if (!user_range_ok(m->buf, m->len))
		return EFAULT;
	while (done < m->len) {
		uint32_t n = m->len - done;
		if (n > sizeof(buf))
			n = sizeof(buf);
		if (copyin(buf, m->buf + done, n))
			break;
		console_write(buf, n);
		done += n;
	}
	m->hdr.result = done;
	return done == m->len ? 0 : EFAULT;
}

int svc_sleep(void *msg)
{
	struct msg_sleep *m = msg;
	task_sleep_ticks(clock_ms_to_ticks(m->ms));
	return 0;
}

int svc_uptime(void *msg)
{
	struct drake_msg *m = msg;
	m->result = clock_uptime_ms();
	return 0;
}

/* result: free pages in the low 32 bits, total pages in the high 32. */
int svc_meminfo(void *msg)
{
	struct drake_msg *m = msg;
	m->result = (uint64_t)pmm_total_count() << 32 | pmm_free_count();
	return 0;
}
