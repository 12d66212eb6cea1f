/* SPDX-License-Identifier: Apache-2.0 */
/* What the code under test writes to stdout or stderr, for a unit test to
 * check: the stream's file descriptor is pointed at a temporary file between
 * capture_begin and capture_end (so output written by any means, stdio or
 * write(2), is caught), then restored. One capture per stream at a time. */
#ifndef TEST_CAPTURE_H
#define TEST_CAPTURE_H

#include <stdio.h>

typedef struct capture {
    FILE *stream; /* stdout or stderr */
    int saved_fd;
    FILE *file;
    char *text;
} capture;

/* Starts capturing stream (flushed first). Returns 0, or -1. */
int capture_begin(capture *c, FILE *stream);

/* Stops capturing and returns what was written, NUL-terminated (owned by c,
 * valid until capture_free or the next capture_begin on c). */
const char *capture_end(capture *c);

void capture_free(capture *c);

#endif
