/*
 * printf-style formatting, shared by the kernel's kprintf and libsys'
 * printf so both print exactly the same way. Pure code: no I/O, no state.
 * Supports %d %i %u %x %X %s %c %p %%, the l and ll length modifiers,
 * a field width, '0' padding and '-' left alignment.
 */
#ifndef DRAKE_FMT_H
#define DRAKE_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_put_fn)(void *ctx, char c);

/* Format into `put`, one character at a time; returns characters emitted. */
int fmt_vformat(fmt_put_fn put, void *ctx, const char *fmt, va_list ap);

/* Format into buf (always NUL-terminated when size > 0); returns the
 * length the full output would have had. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
