/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf: a growable byte buffer with a hard maximum size, whose failures stick.
 *
 * Everything read from the network or built for it goes through a buf, so no
 * answer, however large or malicious, can make the process allocate without
 * bound. The content is always NUL-terminated (the terminator is not counted
 * in len), so a buf holding text can be handed to C string functions.
 *
 * Failures stick: when an append would pass max or memory runs out, the
 * content is freed and the buf is marked failed; later appends do nothing and
 * return -1, buf_cstr() gives "", and buf_take() returns NULL. A caller may
 * therefore append many pieces and check once, at the end (buf_failed() or
 * the result of buf_take()), without ever sending a body with a silent gap.
 * buf_reset() and buf_free() clear the failure.
 *
 * Ownership: a buf owns its data. buf_take() hands the data to the caller
 * (free() it) and leaves the buf empty. buf_free() releases it.
 */
#ifndef ECS_UTIL_BUF_H
#define ECS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NULL until the first append, and after a failure */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the most len may ever reach */
    int failed; /* an append failed: see above */
} buf;

/* Initialises an empty buffer that will refuse to grow past max bytes. */
void buf_init(buf *b, size_t max);

/* Appends n bytes. Returns 0, or -1 when the result would exceed max, memory
 * runs out, or the buffer had already failed (it is then failed). */
int buf_append(buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string. Same return as buf_append. */
int buf_puts(buf *b, const char *s);

/* Appends printf-formatted text. Same return as buf_append. */
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends the whole content of the file at path. Returns 0, or -1 when the
 * file cannot be opened or read (the buffer is then failed), or would not fit
 * under max. */
int buf_append_file(buf *b, const char *path);

/* Whether an append has failed since the last reset. */
int buf_failed(const buf *b);

/* The content as a C string: never NULL ("" when empty or failed). Borrowed. */
const char *buf_cstr(const buf *b);

/* Empties the buffer and clears a failure, keeping its allocation. */
void buf_reset(buf *b);

/* Returns the content (caller frees) and leaves the buffer empty; NULL when
 * the buffer had failed or memory runs out. */
char *buf_take(buf *b);

/* Releases the content; the buffer is empty, not failed, and reusable. */
void buf_free(buf *b);

#endif
