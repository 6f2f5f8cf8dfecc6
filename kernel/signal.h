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

void signal_send(struct task *t, int signo);
bool signal_fault(struct task *t, int signo, uint32_t addr);
void signal_interrupt(void);
void signal_set_foreground(uint32_t tid);
uint32_t signal_foreground(void);

#endif
