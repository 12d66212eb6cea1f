/* SPDX-License-Identifier: Apache-2.0 */
/*
 * term: text that came from a container or from AWS, made safe to print.
 *
 * Whoever controls what a container logs controls the bytes of its log lines
 * and, through the task's stopped reason, part of a failure Reason. Printed
 * as they are, they could move the cursor or rewrite the screen (terminal
 * escape sequences start with a control character), or act as a CI
 * workflow command (GitHub Actions runs "::error::..." or
 * "::stop-commands::..." found at the start of a line, after leading
 * blanks). So every line written here starts with a visible prefix of
 * ours, the text's own line breaks start new prefixed lines, every other
 * control character (C0, DEL and the C1 range) is written as '?', and
 * invalid UTF-8 as U+FFFD.
 */
#ifndef ECS_CLI_TERM_H
#define ECS_CLI_TERM_H

#include <stdio.h>

#include "util/buf.h"

/* Appends text to out as lines: the first begins with `first` and the others
 * with `next` (both ours, printed as given; neither may be blank). Every line
 * ends with '\n'. Same return as buf_append. */
int term_lines(buf *out, const char *first, const char *next, const char *text);

/* term_lines written to f. */
void term_print(FILE *f, const char *first, const char *next, const char *text);

/* text as one safe line (line breaks written as spaces), into out (cap bytes,
 * cut on a character boundary): for a short value such as a task status. */
void term_inline(const char *text, char *out, size_t cap);

#endif
