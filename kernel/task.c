/*
 * Task life: created from a boot module's ELF image into a fresh address
 * space, run by the scheduler, and torn down on exit. A task that exits
 * gives back its user memory at once; its kernel stack and page directory
 * go once the CPU has left them (sched_finish_switch), and its struct
 * stays as a zombie until the parent collects the exit status.
 */
#include "task.h"

#include <drake/errno.h>
#include <drake/fmt.h>
#include <drake/msg.h>
#include <drake/string.h>

#include "cpu.h"
#include "elf.h"
#include "signal.h"
#include "kmsg.h"
#include "port.h"
#include "kernel.h"
#include "sched.h"
#include "service.h"
#include "trace.h"
#include "upcall.h"

_Static_assert(TASK_READY == TASK_STATE_READY &&
		   TASK_RUNNING == TASK_STATE_RUNNING &&
		   TASK_BLOCKED == TASK_STATE_BLOCKED &&
		   TASK_ZOMBIE == TASK_STATE_ZOMBIE,
	       "TASKINFO reports the kernel's task states");

static struct list_node all_tasks = {&all_tasks, &all_tasks};
static uint32_t task_next_id = TASK_INIT_ID;
static uint32_t task_count; /* on all_tasks: living and zombies */

/* The kernel starts init first, so it is task 1. */
bool task_is_init(const struct task *t)
{
	return t->id == TASK_INIT_ID;
}

/* Is t `ancestor` itself or one of its descendants? The walk is bounded:
 * there are at most TASK_MAX tasks. */
bool task_is_descendant(const struct task *t, const struct task *ancestor)
{
	for (; t; t = t->parent)
		if (t == ancestor)
			return true;
	return false;
}

/* Tasks by id: ids are handed out in order and at most TASK_MAX tasks
 * exist, so with twice as many chains a lookup is one step or two. */
#define TASK_BY_ID 128u
_Static_assert(TASK_BY_ID >= 2 * TASK_MAX, "short chains");
static struct task *task_by_id[TASK_BY_ID];

static struct task **task_id_chain(uint32_t id)
{
	return &task_by_id[id & (TASK_BY_ID - 1)];
}

struct task *task_find(uint32_t id)
{
	struct task *t = *task_id_chain(id);
	while (t && t->id != id)
		t = t->id_next;
	return t;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Give t a fresh zeroed page at va: every page a task is given starts
 * clean. Answers its kernel address, 0 if none could be had. */
static uint32_t task_map_zeroed(struct task *t, uint32_t va, bool writable)
{
	uint32_t pa = pmm_alloc();
	if (!pa)
		return 0;
	memset((void *)pa, 0, PAGE_SIZE);
	if (arch_vm_map(t->vm, va, pa, writable)) {
		pmm_free(pa);
		return 0;
	}
	return pa;
}

/* Map fresh zeroed pages over a segment and fill them from the file. */
static int task_load_segment(struct task *t, const uint8_t *image,
			     const struct elf_segment *s)
{
	uint32_t end = s->vaddr + s->memsz;
	uint32_t file_end = s->vaddr + s->filesz;
	for (uint32_t va = s->vaddr & ~(PAGE_SIZE - 1); va < end;
	     va += PAGE_SIZE) {
		uint32_t pa = task_map_zeroed(t, va, s->writable);
		if (!pa)
			return ENOMEM;
		uint32_t lo = va > s->vaddr ? va : s->vaddr;
		uint32_t hi = min_u32(va + PAGE_SIZE, file_end);
		if (lo < hi)
			memcpy((void *)(pa + (lo - va)),
			       image + s->offset + (lo - s->vaddr), hi - lo);
	}
	return 0;
}

/*
 * The user stack, with the command line ("name args") copied to its top
 * and laid out as a cdecl call _start(cmdline) with a null return address.
 */
static int task_load_stack(struct task *t, const char *cmdline, uint32_t *esp)
{
	uint32_t top_pa = 0;
	for (uint32_t va = USER_STACK_BOTTOM; va < USER_STACK_TOP;
	     va += PAGE_SIZE)
		if (!(top_pa = task_map_zeroed(t, va, true)))
			return ENOMEM;
	size_t len = strlen(cmdline) + 1;
	uint32_t str_off = (PAGE_SIZE - len) & ~3u;
	memcpy((void *)(top_pa + str_off), cmdline, len);
	uint32_t *frame = (uint32_t *)(top_pa + str_off) - 2;
	frame[0] = 0;
	frame[1] = USER_STACK_TOP - PAGE_SIZE + str_off;
	*esp =
	    USER_STACK_TOP - PAGE_SIZE + (uint32_t)((uint32_t)frame - top_pa);
	return 0;
}

static uint32_t task_program_end(const struct elf_image *img);

static int task_load(struct task *t, const struct boot_module *m,
		     const char *cmdline)
{
	struct elf_image img;
	uint32_t esp;
	int err = elf_parse((const void *)m->start, m->end - m->start,
			    USER_BASE, USER_ENTRY_PAGE, &img);
	for (unsigned i = 0; !err && i < img.nsegments; i++)
		err = task_load_segment(t, (const uint8_t *)m->start,
					&img.segments[i]);
	if (!err)
		err = task_load_stack(t, cmdline, &esp);
	if (!err)
		err = arch_vm_map_entry(t->vm);
	if (!err)
		arch_task_init_user(t, img.entry, esp);
	t->heap_base = t->heap_break = t->heap_mapped = task_program_end(&img);
	return err;
}

/* The page after the highest byte any segment occupies. */
static uint32_t task_program_end(const struct elf_image *img)
{
	uint32_t end = USER_BASE;
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		if (s->vaddr + s->memsz > end)
			end = s->vaddr + s->memsz;
	}
	return (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Take back the pages mapped in [start, end), page tables included. */
static void task_unmap(struct task *t, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end; va += PAGE_SIZE)
		pmm_free(arch_vm_unmap(t->vm, va));
	arch_vm_trim(t->vm, start, end);
}

/*
 * Move the program break. The heap only ever gains pages: a lower break
 * keeps them mapped for the next rise, so no message in flight ever
 * points at memory that disappeared. ENOMEM leaves the break and the
 * mapped pages as they were. Zeroing megabytes takes a while, so other
 * tasks get the CPU between pages; a task killed meanwhile stops there
 * (the break unmoved, the pages mapped so far kept: its exit frees
 * them).
 */
int task_brk(struct task *t, uint32_t end)
{
	/* Never into the entry page, wherever the program ends. */
	uint32_t limit = USER_ENTRY_PAGE;
	if (end < t->heap_base || end - t->heap_base > USER_HEAP_MAX ||
	    end > limit)
		return ENOMEM;
	uint32_t mapped = t->heap_mapped;
	while (mapped < end) {
		if (!task_map_zeroed(t, mapped, true)) {
			task_unmap(t, t->heap_mapped, mapped);
			return ENOMEM;
		}
		mapped += PAGE_SIZE;
		if (mapped < end && sched_preempt_point()) {
			t->heap_mapped = mapped;
			return EINTR;
		}
	}
	t->heap_mapped = mapped;
	t->heap_break = end;
	return 0;
}

/* The index-th task in creation order, for listings. */
struct task *task_at(uint32_t index)
{
	list_for_each(pos, &all_tasks)
	{
		if (!index--)
			return list_entry(pos, struct task, all_link);
	}
	return NULL;
}

_Static_assert(KSTACK_TASKS >= TASK_MAX, "a kernel stack for every task");

static struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->arch.kstack = arch_kstack_alloc();
	t->vm = arch_vm_create();
	t->msg_by_addr = kmsg_table_alloc();
	if (!t->arch.kstack || !t->vm || !t->msg_by_addr) {
		if (t->arch.kstack)
			arch_kstack_free(t->arch.kstack);
		if (t->vm)
			arch_vm_free(t->vm);
		kfree(t->msg_by_addr);
		kfree(t);
		return NULL;
	}
	size_t n = strlen(name);
	memcpy(t->name, name, n < TASK_NAME_MAX ? n + 1 : TASK_NAME_MAX - 1);
	list_init(&t->run_link);
	list_init(&t->console_link);
	list_init(&t->inflight);
	list_init(&t->signals);
	list_init(&t->deferred);
	list_init(&t->returns);
	list_init(&t->ports);
	return t;
}

static void task_free_unstarted(struct task *t)
{
	arch_vm_release_user(t->vm);
	arch_vm_free(t->vm);
	arch_kstack_free(t->arch.kstack);
	kfree(t->msg_by_addr);
	kfree(t);
}

/* May `parent` (NULL: the kernel) start one more task? Within its own
 * share of children, and of the task table less the part kept for init. */
static int task_room(const struct task *parent)
{
	if (!parent)
		return 0;
	uint32_t max =
	    task_is_init(parent) ? TASK_MAX : TASK_MAX - TASK_RESERVED_INIT;
	if (parent->nchildren >= TASK_CHILDREN_MAX || task_count >= max)
		return EAGAIN;
	return 0;
}

/* A new task is traced if its parent traces its children, or if the
 * kernel command line asks for it by name (trace=NAME). */
static uint32_t task_trace_inherited(const struct task *parent,
				     const char *name)
{
	if ((parent && (parent->trace & TRACE_CHILDREN)) || trace_at_boot(name))
		return TRACE_ON | TRACE_CHILDREN;
	return 0;
}

static void task_free(struct task *t)
{
	struct task **p = task_id_chain(t->id);
	while (*p != t)
		p = &(*p)->id_next;
	*p = t->id_next;
	list_remove(&t->all_link);
	task_count--;
	kfree(t);
}

/* Start the module `name` as a child of the current task. */
int task_spawn(const char *name, const char *args, uint32_t *tid)
{
	char cmdline[TASK_NAME_MAX + BOOT_ARGS_MAX + 1];
	struct task *parent = current->vm ? current : NULL;
	const struct boot_module *m = bootinfo_module(name);
	if (!m)
		return ENOENT;
	int err = task_room(parent);
	if (err)
		return err;
	fmt_snprintf(cmdline, sizeof(cmdline), *args ? "%s %s" : "%s", name,
		     args);
	struct task *t = task_alloc(name);
	if (!t)
		return ENOMEM;
	err = task_load(t, m, cmdline);
	if (err) {
		task_free_unstarted(t);
		return err;
	}
	t->id = task_next_id++;
	t->parent = parent;
	trace_set(t, task_trace_inherited(parent, name));
	if (parent)
		parent->nchildren++;
	list_push_back(&all_tasks, &t->all_link);
	t->id_next = *task_id_chain(t->id);
	*task_id_chain(t->id) = t;
	task_count++;
	sched_start(t);
	*tid = t->id;
	return 0;
}

/* Called once the CPU has left t's stack and address space for good. */
void task_release(struct task *t)
{
	arch_vm_free(t->vm);
	arch_kstack_free(t->arch.kstack);
	if (!t->parent)
		task_free(t);
}

static void task_orphan_children(struct task *t)
{
	struct list_node *pos = all_tasks.next;
	while (pos != &all_tasks) {
		struct task *c = list_entry(pos, struct task, all_link);
		pos = pos->next;
		if (c->parent != t)
			continue;
		c->parent = NULL;
		if (c->state == TASK_ZOMBIE)
			task_free(c);
	}
}

void task_exit(int32_t status)
{
	struct task *t = current;
	t->exiting = true;
	if (trace_active)
		trace_exit(t, status);
	trace_set(t, 0);
	signal_task_exiting(t);
	kmsg_rundown(t);
	kfree(t->msg_by_addr);
	t->msg_by_addr = NULL;
	service_rundown(t);
	port_rundown(t);
	arch_vm_release_user(t->vm);
	task_orphan_children(t);
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	if (t->parent && t->parent->waiting_for == t->id)
		sched_wake(t->parent);
	kernel_task_exited(t->id, status);
	sched_exit();
}

/* Collect a child's exit status, waiting for it to exit. An upcall owed
 * meanwhile interrupts the wait (EINTR) and leaves the child alone. */
int task_wait(uint32_t tid, int32_t *status)
{
	struct task *c = task_find(tid);
	if (!c)
		return ESRCH;
	if (c->parent != current)
		return ECHILD;
	while (c->state != TASK_ZOMBIE) {
		current->waiting_for = tid;
		int err = task_block_interruptible(current);
		current->waiting_for = 0;
		if (err)
			return err;
		if (current->killed)
			task_exit(current->kill_status);
	}
	*status = c->exit_status;
	current->nchildren--;
	task_free(c);
	return 0;
}

void task_fault(const struct fault_info *f)
{
	/* killed from another CPU while it trapped: the kill came first */
	if (current->killed)
		task_exit(current->kill_status);
	if (f->signo &&
	    signal_fault(current, f->signo, f->has_addr ? f->addr : 0))
		return;
	kprintf("task %u (%s) killed: %s at eip %08x", current->id,
		current->name, f->name, f->eip);
	if (f->has_addr)
		kprintf(" addr %08x", f->addr);
	if (f->soft_int >= 0)
		kprintf(" (int 0x%x)", f->soft_int);
	kprintf("\n");
	task_exit(TASK_KILLED_STATUS(f->vector));
}

/* Kill the current task for something other than a CPU fault. */
void task_kill(struct task *t, const char *why)
{
	kprintf("task %u (%s) killed: %s\n", t->id, t->name, why);
	task_exit(TASK_KILLED_STATUS(0x81));
}

/* Must t pass through task_user_return() before it re-enters user mode? */
bool task_has_user_work(struct task *t)
{
	return t->killed || t->upcall_ready || !list_empty(&t->deferred) ||
	       !list_empty(&t->returns);
}

/*
 * Make t exit with `status` as soon as it runs: at once on its way back
 * to user mode, or from whatever wait it is blocked in (each wait loop
 * checks `killed` when it wakes).
 */
void task_terminate(struct task *t, int32_t status, int signo)
{
	if (t->state == TASK_ZOMBIE || t->killed)
		return;
	kprintf("task %u (%s) terminated by signal %d\n", t->id, t->name,
		signo);
	t->killed = true;
	t->kill_status = status;
	if (t == current)
		this_cpu()->user_return_work = 1;
	else if (t->state == TASK_BLOCKED)
		sched_ready(t);
	else
		sched_kick(t);
}

/* t's user memory, from any context: directly when t is running (the
 * common case, and the cheap one), else through its page tables. */
int task_copyin(struct task *t, void *dst, uint32_t usrc, size_t n)
{
	return t == current ? copyin(dst, usrc, n)
			    : arch_vm_copyin(t->vm, dst, usrc, n);
}

int task_copyout(struct task *t, uint32_t udst, const void *src, size_t n)
{
	return t == current ? copyout(udst, src, n)
			    : arch_vm_copyout(t->vm, udst, src, n);
}

/* One of t's messages came back: wake it if it waits in waitsys. */
void task_wake_waiter(struct task *t)
{
	if (t->in_waitsys)
		sched_wake(t);
}

/* t is owed an upcall: see that it gets it soon, interrupting any wait
 * an upcall may interrupt. */
void task_notify(struct task *t)
{
	if (t == current)
		this_cpu()->user_return_work = 1;
	else if (t->interruptible)
		sched_wake(t);
	else
		sched_kick(t);
}

/*
 * Block the current task t in a wait an upcall may interrupt (waitsys,
 * a synchronous call), or answer EINTR at once if an upcall could run
 * now: then the caller gives up its wait and the upcall runs on the way
 * out. Callers loop: look at what they wait for, at t->killed, and call
 * this again, so a wait that is over wins over an upcall.
 */
int task_block_interruptible(struct task *t)
{
	if (t->killed)
		return 0; /* killed while it ran: never block again */
	if (upcall_deliverable(t))
		return EINTR;
	t->interruptible = true;
	sched_block();
	t->interruptible = false;
	return 0;
}
