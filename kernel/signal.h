/*
 * Signals, the proposal's way: a task asks for signals by sending a live
 * SIGNAL message; the kernel returns that message each time one of its
 * signals occurs (live.c). A signal nobody asked for takes its default
 * action, which for every signal Drake has is to terminate the task.
 */
#ifndef DRAKE_SIGNAL_H
#define DRAKE_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct task;

/* sender: the sending task's id, 0 for the kernel. */
void signal_send(struct task *t, int signo, uint32_t sender);
bool signal_fault(struct task *t, int signo, uint32_t addr);
void signal_interrupt(void);
void signal_set_foreground(uint32_t tid);
int signal_pass_foreground(struct task *from, struct task *to, uint32_t *prev);
void signal_task_exiting(struct task *t);

#endif
