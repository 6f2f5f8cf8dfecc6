#include "conin.h"

#include <drake/errno.h>

#include "arch.h"
#include "kernel.h"
#include "kmsg.h"
#include "signal.h"
#include "task.h"

static char conin_buf[CONIN_BUFFER];
static uint32_t conin_start, conin_count;
static struct list_node conin_readers = {&conin_readers, &conin_readers};

static char conin_at(uint32_t i)
{
	return conin_buf[(conin_start + i) % CONIN_BUFFER];
}

/* How many bytes a read of len may take now, or 0 if it must wait. */
static uint32_t conin_available(uint32_t len)
{
	for (uint32_t i = 0; i < conin_count && i < len; i++)
		if (conin_at(i) == '\n')
			return i + 1;
	return conin_count >= len ? len : 0;
}

/* Move n buffered bytes into buf in the reader's address space. */
static int conin_take(struct kmsg *k, vm_space vm, uint32_t buf, uint32_t n)
{
	uint32_t first = CONIN_BUFFER - conin_start;
	if (first > n)
		first = n;
	int err = arch_vm_copyout(vm, buf, conin_buf + conin_start, first) |
		  arch_vm_copyout(vm, buf + first, conin_buf, n - first);
	conin_start = (conin_start + n) % CONIN_BUFFER;
	conin_count -= n;
	k->m.hdr.result = n;
	return err ? EFAULT : 0;
}

static void conin_serve(void);

/* A reader that goes away (abort, EINTR, exit) may have held up the
 * ones behind it: they are served from what is buffered. */
static void conin_cancel(struct kmsg *k)
{
	list_remove(&k->wait_link);
	conin_serve();
}

int conin_read(struct kmsg *k, uint32_t buf, uint32_t len)
{
	uint32_t n;
	if (len == 0)
		return 0;
	if (list_empty(&conin_readers) && (n = conin_available(len)))
		return conin_take(k, current->vm, buf, n);
	list_push_back(&conin_readers, &k->wait_link);
	kmsg_park(k, conin_cancel);
	return EASYNC;
}

static void conin_serve(void)
{
	while (!list_empty(&conin_readers)) {
		struct kmsg *k =
		    list_entry(conin_readers.next, struct kmsg, wait_link);
		struct msg_read *m = (struct msg_read *)&k->m;
		uint32_t n = conin_available(m->len);
		if (!n || k->owner->exiting)
			return; /* an exiting task's readers are run down */
		list_remove(&k->wait_link);
		kmsg_complete(k, conin_take(k, k->owner->vm, m->buf, n));
	}
}

/* Called by the input drivers, in interrupt context. When the buffer is
 * full the byte is dropped: a reader that never reads loses input, not
 * the kernel its memory. */
void console_input(char c)
{
	if (c == CONSOLE_INTR) {
		conin_count =
		    0; /* like a terminal: Ctrl-C drops typed-ahead input */
		signal_interrupt();
		return;
	}
	if (conin_count == CONIN_BUFFER)
		return;
	conin_buf[(conin_start + conin_count) % CONIN_BUFFER] = c;
	conin_count++;
	conin_serve();
}
