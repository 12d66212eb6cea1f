/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/reason.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/strv.h"
#include "util/utf8.h"

static char *vformat(const char *prefix, const char *fmt, va_list ap)
{
    buf b;
    buf_init(&b, REASON_HEAD_MAX);
    buf_puts(&b, prefix ? prefix : "");
    buf_vprintf(&b, fmt, ap);
    return buf_take(&b);
}

void reason_set(reason *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *head = vformat(NULL, fmt, ap);
    va_end(ap);
    free(r->head);
    r->head = head;
}

void reason_append(reason *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *head = vformat(r->head, fmt, ap);
    va_end(ap);
    if (head) { /* else the head stays as it was: shorter, still true */
        free(r->head);
        r->head = head;
    }
}

void reason_set_tail(reason *r, const char *title, char **lines, size_t n)
{
    free(r->title);
    strv_free(r->lines, r->n_lines);
    r->title = title ? strdup(title) : NULL;
    r->lines = lines;
    r->n_lines = n;
}

int reason_copy(reason *dst, const reason *src)
{
    reason_free(dst);
    dst->head = src->head ? strdup(src->head) : NULL;
    dst->title = src->title ? strdup(src->title) : NULL;
    dst->lines = src->n_lines ? calloc(src->n_lines, sizeof *dst->lines) : NULL;
    int ok =
        (!src->head || dst->head) && (!src->title || dst->title) && (!src->n_lines || dst->lines);
    for (size_t i = 0; ok && i < src->n_lines; i++) {
        dst->lines[i] = strdup(src->lines[i]);
        ok = dst->lines[i] != NULL;
        dst->n_lines = i + 1;
    }
    if (!ok)
        reason_free(dst);
    return ok ? 0 : -1;
}

void reason_free(reason *r)
{
    free(r->head);
    free(r->title);
    strv_free(r->lines, r->n_lines);
    memset(r, 0, sizeof *r);
}

/* Appends s cut to max bytes in its middle: its start and its end, which
 * usually say what and why, around REASON_LINE_CUT. */
static void append_shortened(buf *out, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max) {
        buf_puts(out, s);
        return;
    }
    size_t keep = max > sizeof REASON_LINE_CUT ? max - (sizeof REASON_LINE_CUT - 1) : 0;
    size_t front = utf8_cut(s, len, keep / 2);
    size_t back_start = len - (keep - keep / 2);
    while (back_start < len && ((unsigned char)s[back_start] & 0xC0) == 0x80)
        back_start++;
    buf_append(out, s, front);
    buf_puts(out, REASON_LINE_CUT);
    buf_puts(out, s + back_start);
}

/* How many of the newest lines fit in `room` bytes, each costing its length
 * (shortened to REASON_LINE_MAX) plus a line break. */
static size_t lines_that_fit(char *const *lines, size_t n, size_t room)
{
    size_t used = 0, k = 0;
    for (; k < n; k++) {
        size_t len = strlen(lines[n - 1 - k]);
        size_t cost = (len < REASON_LINE_MAX ? len : REASON_LINE_MAX) + 1;
        if (used + cost > room)
            break;
        used += cost;
    }
    return k;
}

static void append_tail(buf *out, char *const *lines, size_t n, const char *title, size_t budget)
{
    char head[1024];
    snprintf(head, sizeof head, ". Last log lines (%s):", title);
    if (!budget) {
        buf_puts(out, head);
        for (size_t i = 0; i < n; i++) {
            buf_puts(out, "\n");
            buf_puts(out, lines[i]);
        }
        return;
    }
    /* A header naming how many lines are shown is at most this much longer. */
    size_t header_max = strlen(head) + 32;
    size_t room = budget > out->len + header_max ? budget - out->len - header_max : 0;
    size_t k = lines_that_fit(lines, n, room);
    if (k < n)
        snprintf(head, sizeof head, ". Last %zu of %zu log lines (%s):", k ? k : 1, n, title);
    buf_puts(out, head);
    if (k == 0) { /* not even the newest line fits whole: shorten it */
        size_t left = budget > out->len + 1 ? budget - out->len - 1 : 0;
        buf_puts(out, "\n");
        append_shortened(out, lines[n - 1], left);
        return;
    }
    for (size_t i = n - k; i < n; i++) {
        buf_puts(out, "\n");
        append_shortened(out, lines[i], REASON_LINE_MAX);
    }
}

char *reason_compose(const reason *r, const redactor *red, size_t budget)
{
    char *head = redact_dup_clean(red, r->head ? r->head : "out of memory");
    char **lines = r->n_lines ? calloc(r->n_lines, sizeof *lines) : NULL;
    int ok = head && (!r->n_lines || lines);
    for (size_t i = 0; ok && i < r->n_lines; i++)
        ok = (lines[i] = redact_dup_clean(red, r->lines[i] ? r->lines[i] : "")) != NULL;
    char *title = ok && r->title ? redact_dup_clean(red, r->title) : NULL;
    buf out;
    buf_init(&out, 2 * REASON_HEAD_MAX + r->n_lines * (1u << 20));
    size_t head_len = head ? strlen(head) : 0;
    if (ok && budget && head_len > budget) {
        size_t keep = budget - (sizeof REASON_CUT_MARKER - 1);
        buf_append(&out, head, utf8_cut(head, head_len, keep));
        buf_puts(&out, REASON_CUT_MARKER);
    } else if (ok) {
        buf_puts(&out, head);
        /* The tail, when there is room for its header and a few bytes of a line. */
        if (r->n_lines && title && (!budget || budget >= out.len + strlen(title) + 128))
            append_tail(&out, lines, r->n_lines, title, budget);
    }
    free(head);
    free(title);
    for (size_t i = 0; lines && i < r->n_lines; i++)
        free(lines[i]);
    free(lines);
    char *text = ok ? buf_take(&out) : NULL;
    buf_free(&out);
    /* The sums above keep within the budget; a cut here is a safety net. */
    if (text && budget && strlen(text) > budget)
        text[utf8_cut(text, strlen(text), budget)] = '\0';
    return text;
}
