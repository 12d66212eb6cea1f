/*
 * buf: a growable byte buffer with a hard maximum size.
 *
 * Everything read from the network or built for it goes through a buf, so no
 * answer, however large or malicious, can make the process allocate without
 * bound. The content is always NUL-terminated (the terminator is not counted
 * in len), so a buf holding text can be handed to C string functions.
 *
 * Ownership: a buf owns its data. buf_take() hands the data to the caller
 * (free() it) and leaves the buf empty. buf_free() releases it.
 */
#ifndef ECS_UTIL_BUF_H
#define ECS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NULL until the first append */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the most len may ever reach */
} buf;

/* Initialises an empty buffer that will refuse to grow past max bytes. */
void buf_init(buf *b, size_t max);

/* Appends n bytes. Returns 0, or -1 (buffer unchanged) when the result would
 * exceed max or memory runs out. */
int buf_append(buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string. Same return as buf_append. */
int buf_puts(buf *b, const char *s);

/* Appends printf-formatted text. Same return as buf_append. */
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends the whole content of the file at path. Returns 0, or -1 when the
 * file cannot be opened or read, or would not fit under max (the content
 * appended so far stays). */
int buf_append_file(buf *b, const char *path);

/* The content as a C string: never NULL ("" when empty). Borrowed. */
const char *buf_cstr(const buf *b);

/* Empties the buffer, keeping its allocation. */
void buf_reset(buf *b);

/* Returns the content (caller frees; never NULL unless out of memory) and
 * leaves the buffer empty. */
char *buf_take(buf *b);

/* Releases the content; the buffer is empty and reusable afterwards. */
void buf_free(buf *b);

#endif
