/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/display.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/term.h"
#include "util/arn.h"

void display_init(display *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->tty = isatty(fileno(out));
}

static void timestamp(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%H:%M:%S", &tm);
}

void display_progress(display *d, const run_state *st, int64_t elapsed_ms)
{
    char ts[16];
    timestamp(ts, sizeof ts);
    if (d->tty && d->n_lines)
        fprintf(d->out, "\033[%zuA", d->n_lines);
    for (size_t i = 0; i < st->n_slots; i++) {
        const run_slot *slot = &st->slots[i];
        char id[80], status[32], phases[RUN_PHASES_MAX];
        term_inline(slot->task_arn[0] ? arn_last_part(slot->task_arn) : "(waiting to start)", id,
                    sizeof id);
        term_inline(slot->status[0] ? slot->status : "WAITING", status, sizeof status);
        term_inline(slot->phases, phases, sizeof phases);
        if (d->tty)
            fprintf(d->out, "\r\033[2Ktask %s  %-14s %6.1fs%s%s%s\n", id, status,
                    (double)elapsed_ms / 1000.0, phases[0] ? "  (" : "", phases,
                    phases[0] ? ")" : "");
        else if (strcmp(d->last[i], status) != 0)
            fprintf(d->out, "%s task %s %s (%.0fs)%s%s\n", ts, id, status,
                    (double)elapsed_ms / 1000.0, phases[0] ? " after " : "", phases);
        snprintf(d->last[i], sizeof d->last[i], "%s", status);
    }
    if (d->tty)
        d->n_lines = st->n_slots;
    fflush(d->out);
}

void display_scrolled(display *d)
{
    d->n_lines = 0;
}

void display_failure(display *d, const redactor *r, const char *text)
{
    char *masked = redact_dup(r, text);
    term_print(d->out, "ecs-tasks run: ", "  | ", masked ? masked : "(out of memory)");
    free(masked);
    d->n_lines = 0;
    fflush(d->out);
}

void display_arns(FILE *f, const run_state *st)
{
    const char *arns[RUN_MAX_TASKS];
    size_t n = run_state_arns(st, arns);
    for (size_t i = 0; i < n; i++) {
        char arn[RUN_ARN_MAX];
        term_inline(arns[i], arn, sizeof arn);
        fprintf(f, "%s\n", arn);
    }
    fflush(f);
}
