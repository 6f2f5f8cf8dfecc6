/*
 * Live messages: sent once, returned once per event until aborted.
 *
 * The interlock: a return marks the message held (MSGF_HELD in the
 * user's copy too). While it is held, events are only counted; REARM
 * (sent by the libsys dispatcher once the handler is done) releases it,
 * and if events were counted meanwhile it is returned again at once with
 * all of them in hdr.count. So nothing is lost, and a live message is
 * never returned while userland still holds it.
 */
#ifndef DRAKE_LIVE_H
#define DRAKE_LIVE_H

#include <stdint.h>

struct kmsg;
struct task;

/* One more signal for k, from task `sender` (0: the kernel). */
void live_signal(struct kmsg *k, uint32_t bits, uint32_t fault_addr,
		 uint32_t sender);
int live_rearm(struct task *t, uint32_t umsg);
int live_timer_start(struct kmsg *k, uint32_t delay_ms, uint32_t period_ms);
uint32_t live_abort(struct kmsg *k);

#endif
