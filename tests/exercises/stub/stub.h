/*
 * What the exercises add to libsys, declared so that their tests build
 * before they are solved (tests/docs.sh, `make EXERCISE_STUB=1`): make
 * test checks that every exercise test still builds, against these if
 * not otherwise. Never used by `make exercise`.
 */
#ifndef DRAKE_EXERCISE_STUB_H
#define DRAKE_EXERCISE_STUB_H

#include <drake/sys.h>

int sys_getppid(void);

#ifndef PORT_BATCH
#define PORT_BATCH 4u
#endif

typedef void (*child_fn)(uint32_t tid, int32_t status, uint32_t count);
int child_watch(child_fn fn);

#endif
