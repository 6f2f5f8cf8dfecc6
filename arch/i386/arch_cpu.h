/*
 * Finding this CPU's data. Each CPU's GDT has a ring-0 data segment,
 * SEL_KPERCPU, based at its own struct cpu (kernel/cpu.h), and every
 * kernel entry loads %fs with it; the struct's first word points at
 * itself, its second is the running task. One instruction either way,
 * and no APIC read.
 */
#ifndef DRAKE_ARCH_CPU_H
#define DRAKE_ARCH_CPU_H

struct cpu;
struct task;

/* volatile: a task in the kernel may block on one CPU and resume on
 * another, so the answer changes across any call that can switch. */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movl %%fs:0, %0" : "=r"(c));
	return c;
}

/* Not volatile: on one kernel stack the running task is always the
 * same task, wherever it runs, so the compiler may keep the answer
 * (sched.c, which switches tasks, reads cpu->running instead). */
static inline struct task *arch_current(void)
{
	struct task *t;
	__asm__("movl %%fs:4, %0" : "=r"(t));
	return t;
}

/* A spinning CPU's hint to the core (and to a hyperthread sibling). */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
