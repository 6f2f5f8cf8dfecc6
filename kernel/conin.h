/*
 * Console input: bytes from the serial line and the keyboard, kept in a
 * small buffer until READ messages take them. A read completes when the
 * buffer holds a whole line (up to and including '\n') or as many bytes
 * as it asked for, whichever is less; readers are served in order. The
 * kernel neither echoes nor edits: programs (the shell) do that. Ctrl-C
 * is not input: it discards what is buffered, as a terminal does, and
 * sends SIGINT to the foreground task.
 */
#ifndef DRAKE_CONIN_H
#define DRAKE_CONIN_H

#include <stdint.h>

struct kmsg;

#define CONIN_BUFFER 512
#define CONSOLE_INTR 0x03 /* Ctrl-C: SIGINT to the foreground task */

int conin_read(struct kmsg *k, uint32_t buf, uint32_t len);

#endif
