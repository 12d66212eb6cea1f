/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display: what `ecs-tasks run` shows of a run on stderr.
 *
 * On a terminal, one live line per task (status, elapsed time, the phases it
 * went through), redrawn in place; otherwise one timestamped line per status
 * change, naming the phases it leaves. Failures are printed whole, masked,
 * with their log tail's lines behind a visible mark. Everything that came
 * from AWS or a container goes through cli/term.h.
 */
#ifndef ECS_CLI_DISPLAY_H
#define ECS_CLI_DISPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "engine/run.h"
#include "util/redact.h"

typedef struct display {
    FILE *out;
    int tty;
    char last[RUN_MAX_TASKS][RUN_STATUS_MAX + 8]; /* the status last shown, per slot */
    size_t n_lines;                               /* lines drawn by the live display */
} display;

/* A display on out (stderr): live when it is a terminal. */
void display_init(display *d, FILE *out);

/* The tasks' statuses after a poll, elapsed_ms after the run began. */
void display_progress(display *d, const run_state *st, int64_t elapsed_ms);

/* Something else scrolled the live lines away: the next call draws anew. */
void display_scrolled(display *d);

/* "ecs-tasks run: TEXT" with TEXT masked by r (may be NULL) and its further
 * lines behind "  | ". */
void display_failure(display *d, const redactor *r, const char *text);

/* The task ARNs st follows, one per line, on f. */
void display_arns(FILE *f, const run_state *st);

#endif
