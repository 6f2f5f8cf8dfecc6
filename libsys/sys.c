/* The synchronous service wrappers: one message each. */
#include <drake/string.h>
#include <drake/sys.h>

void upcall_entry(void);

struct drake_sysport sys_port = {
    .version = DRAKE_ABI_VERSION,
    .upcall_entry = (drake_uaddr)upcall_entry,
};

void msg_init(void *msg, uint16_t cmd, uint32_t size, uint16_t flags,
	      struct drake_port *reply)
{
	struct drake_msg *m = msg;
	m->cmd = cmd;
	m->flags = flags;
	m->error = 0;
	m->result = 0;
	m->reply = (drake_uaddr)reply;
	m->size = size;
	m->count = 0;
	m->link = 0;
}

int sys_send(void *msg, uint16_t cmd, uint32_t size)
{
	msg_init(msg, cmd, size, 0, NULL);
	return sendsys(&sys_port, msg, size);
}

long sys_write(const void *buf, uint32_t len)
{
	struct msg_write m = {.buf = (drake_uaddr)buf, .len = len};
	int err = sys_send(&m, CMD_WRITE, sizeof(m));
	return err ? -err : (long)m.hdr.result;
}

void sys_exit(int status)
{
	struct msg_exit m = {.status = status};
	for (;;)
		sys_send(&m, CMD_EXIT, sizeof(m));
}

int sys_spawn(const char *name, const char *args)
{
	struct msg_spawn m = {
	    .name = (drake_uaddr)name,
	    .namelen = strlen(name),
	    .args = (drake_uaddr)args, /* NULL: no arguments */
	    .argslen = args ? strlen(args) : 0,
	};
	int err = sys_send(&m, CMD_SPAWN, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

/* An upcall interrupts a synchronous WAIT (EINTR); it is sent again. */
int sys_wait(int tid, int *status)
{
	struct msg_wait m = {.tid = (uint32_t)tid};
	int err;
	while ((err = sys_send(&m, CMD_WAIT, sizeof(m))) == EINTR)
		;
	if (!err && status)
		*status = (int)m.hdr.result;
	return -err;
}

int sys_gettid(void)
{
	struct drake_msg m;
	int err = sys_send(&m, CMD_GETTID, sizeof(m));
	return err ? -err : (int)m.result;
}

void sys_yield(void)
{
	struct drake_msg m;
	sys_send(&m, CMD_YIELD, sizeof(m));
}

/* An upcall interrupts a synchronous SLEEP (EINTR), which then tells
 * how long it had left: sleeping that long again keeps the deadline. */
int sys_sleep(uint32_t ms)
{
	struct msg_sleep m = {.ms = ms};
	int err;
	while ((err = sys_send(&m, CMD_SLEEP, sizeof(m))) == EINTR)
		m.ms = (uint32_t)m.hdr.result;
	return -err;
}

uint64_t sys_uptime(void)
{
	struct drake_msg m;
	sys_send(&m, CMD_UPTIME, sizeof(m));
	return m.result;
}

int sys_cpuinfo(uint32_t *ncpus)
{
	struct drake_msg m;
	int err = sys_send(&m, CMD_CPUINFO, sizeof(m));
	if (err)
		return -err;
	if (ncpus)
		*ncpus = (uint32_t)(m.result >> 32);
	return (int)(uint32_t)m.result;
}

int sys_cpustat(uint32_t index, struct drake_cpustat *info)
{
	struct msg_cpustat m = {.index = index, .info = (drake_uaddr)info};
	int err = sys_send(&m, CMD_CPUSTAT, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

int sys_meminfo(uint32_t *free_pages, uint32_t *total_pages)
{
	struct drake_msg m;
	int err = sys_send(&m, CMD_MEMINFO, sizeof(m));
	if (err)
		return -err;
	if (free_pages)
		*free_pages = (uint32_t)m.result;
	if (total_pages)
		*total_pages = (uint32_t)(m.result >> 32);
	return 0;
}

long sys_read(void *buf, uint32_t len)
{
	struct msg_read m = {.buf = (drake_uaddr)buf, .len = len};
	int err = sys_send(&m, CMD_READ, sizeof(m));
	return err ? -err : (long)m.hdr.result;
}

int sys_brk(uint32_t end, uint32_t *now)
{
	struct msg_brk m = {.end = end};
	int err = sys_send(&m, CMD_BRK, sizeof(m));
	if (now)
		*now = (uint32_t)m.hdr.result;
	return -err;
}

/* malloc's memory: raise the break by `more` bytes. */
void *heap_grow(size_t more)
{
	uint32_t end;
	if (sys_brk(0, &end) || sys_brk(end + more, NULL))
		return NULL;
	return (void *)end;
}

int sys_taskinfo(uint32_t index, struct drake_taskinfo *info)
{
	struct msg_taskinfo m = {.index = index, .info = (drake_uaddr)info};
	int err = sys_send(&m, CMD_TASKINFO, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

int task_info(int tid, struct drake_taskinfo *info)
{
	int next = 0;
	do {
		next = sys_taskinfo((uint32_t)next, info);
		if (next >= 0 && info->tid == (uint32_t)tid)
			return 0;
	} while (next > 0);
	return -ESRCH;
}

int sys_trace(int tid, uint32_t flags)
{
	struct msg_trace m = {.tid = (uint32_t)tid, .flags = flags};
	int err = sys_send(&m, CMD_TRACE, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

int sys_msginfo(int tid, uint32_t index, struct drake_msginfo *info)
{
	struct msg_msginfo m = {
	    .tid = (uint32_t)tid, .index = index, .info = (drake_uaddr)info};
	int err = sys_send(&m, CMD_MSGINFO, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

int sys_modinfo(uint32_t index, struct drake_modinfo *info)
{
	struct msg_modinfo m = {.index = index, .info = (drake_uaddr)info};
	int err = sys_send(&m, CMD_MODINFO, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}

long sys_modread(uint32_t index, uint32_t offset, void *buf, uint32_t len)
{
	struct msg_modread m = {.index = index,
				.offset = offset,
				.buf = (drake_uaddr)buf,
				.len = len};
	int err = sys_send(&m, CMD_MODREAD, sizeof(m));
	return err ? -err : (long)m.hdr.result;
}

/* Returns only when refused: only init may halt. */
int sys_halt(void)
{
	struct drake_msg m;
	return -sys_send(&m, CMD_HALT, sizeof(m));
}

/* Entries with no port go through this program's system port. */
int sys_batch(struct drake_batch_entry *e, uint32_t n)
{
	struct msg_batch m = {.list = (drake_uaddr)e, .count = n};
	for (uint32_t i = 0; i < n && i < BATCH_MAX; i++)
		if (!e[i].port)
			e[i].port = (drake_uaddr)&sys_port;
	int err = sys_send(&m, CMD_BATCH, sizeof(m));
	return err ? -err : (int)m.hdr.result;
}
