/* SPDX-License-Identifier: Apache-2.0 */
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = 0;
}

/* Marks the buffer failed and drops what it held, so nothing half-built can
 * be used by mistake. Returns -1 for the caller to pass on. */
static int fail(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 1;
    return -1;
}

/* Makes room for `extra` more bytes plus the terminator. */
static int buf_reserve(buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > b->max || b->len > b->max - extra)
        return fail(b);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
    if (cap - 1 > b->max) /* not cap > max + 1: max may be SIZE_MAX */
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return fail(b);
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_append(buf *b, const void *data, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_append_file(buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(b);
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(b, chunk, n);
    if (rc == 0 && ferror(f))
        rc = fail(b);
    fclose(f);
    return rc;
}

int buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return fail(b);
    if (buf_reserve(b, (size_t)n) != 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int buf_failed(const buf *b)
{
    return b->failed;
}

const char *buf_cstr(const buf *b)
{
    return b->data ? b->data : "";
}

void buf_reset(buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *buf_take(buf *b)
{
    if (b->failed) {
        b->failed = 0;
        return NULL;
    }
    char *p = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}
