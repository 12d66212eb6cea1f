/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reason: why a request failed, as a head and a container's log tail, fitted
 * into whatever room the reader has.
 *
 * The head names the cause ("Task 0f1e: container app exited with code 3");
 * the tail is the last lines of the failed container's log, oldest first.
 * Where the room is short (the 4096-byte CloudFormation response, a log
 * line), the newest log lines matter most (the error is usually the last
 * line): reason_compose keeps the head whole, then adds lines newest first
 * while they fit, drops the oldest, shortens an over-long line in its
 * middle, and always keeps the newest one. Every piece is masked whole with
 * the request's redactor before anything is cut, and every cut falls on a
 * UTF-8 character boundary.
 */
#ifndef ECS_ENGINE_REASON_H
#define ECS_ENGINE_REASON_H

#include <stddef.h>

#include "util/redact.h"

/* The longest head kept; a log line is shortened to REASON_LINE_MAX when the
 * room is limited. */
#define REASON_HEAD_MAX (256u * 1024u)
#define REASON_LINE_MAX 1024
#define REASON_CUT_MARKER " [...cut to fit]"
#define REASON_LINE_CUT " [...] "

typedef struct reason {
    char *head;   /* owned; NULL when unset (or out of memory) */
    char *title;  /* owned: what the tail is ("/ecs/app ecs/app/0f1e"); NULL when no tail */
    char **lines; /* owned, oldest first */
    size_t n_lines;
} reason;

/* Sets the head to printf-formatted text (replacing it). */
void reason_set(reason *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends printf-formatted text to the head. */
void reason_append(reason *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the tail: title copied; lines (n of them, each malloc'd, the list
 * too) taken over. */
void reason_set_tail(reason *r, const char *title, char **lines, size_t n);

/* Copies src into dst (dst freed first). Returns 0, or -1 when out of memory. */
int reason_copy(reason *dst, const reason *src);

void reason_free(reason *r);

/*
 * The reason as text (caller frees; NULL when out of memory), masked with red
 * (may be NULL), of at most `budget` bytes (0 = no limit):
 *   HEAD. Last log lines (TITLE):\nLINE\nLINE...
 * or, when not every line fits, "Last N of M log lines". When even the head
 * does not fit, it is cut and ends with REASON_CUT_MARKER. budget, when not
 * 0, must be at least sizeof REASON_CUT_MARKER.
 */
char *reason_compose(const reason *r, const redactor *red, size_t budget);

#endif
