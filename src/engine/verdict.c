/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arn.h"
#include "util/buf.h"

static const ecs_container *find_container(const ecs_task *t, const char *name)
{
    for (size_t i = 0; i < t->n_containers; i++)
        if (t->containers[i].name && !strcmp(t->containers[i].name, name))
            return &t->containers[i];
    return NULL;
}

static int is_stopped(const ecs_task *t)
{
    return t->last_status && !strcmp(t->last_status, "STOPPED");
}

/* "CannotPullContainerError: pull access denied (task stopped: TaskFailedToStart: ...)" */
static void why_no_exit_code(const ecs_task *t, const ecs_container *c, buf *out)
{
    const char *creason = c && c->reason && *c->reason ? c->reason : NULL;
    const char *code = t->stop_code && *t->stop_code ? t->stop_code : NULL;
    const char *stopped = t->stopped_reason && *t->stopped_reason ? t->stopped_reason : NULL;
    if (creason && (code || stopped))
        buf_printf(out, "%s (task stopped: %s%s%s)", creason, code ? code : "",
                   code && stopped ? ": " : "", stopped ? stopped : "");
    else if (creason)
        buf_puts(out, creason);
    else if (code || stopped)
        buf_printf(out, "%s%s%s", code ? code : "", code && stopped ? ": " : "",
                   stopped ? stopped : "");
    else
        buf_puts(out, "no reason given");
}

/* Checks one stopped task. Returns 0 when every checked container exited 0. */
static int judge_task(const ecs_task *t, const char *const *checked, size_t n_checked, verdict *out)
{
    for (size_t i = 0; i < n_checked; i++) {
        const ecs_container *c = find_container(t, checked[i]);
        const char *id = arn_last_part(t->arn);
        if (c && c->has_exit_code && c->exit_code == 0)
            continue;
        out->status = VERDICT_FAILED;
        out->failed_task = t;
        out->failed_container = checked[i];
        buf reason;
        buf_init(&reason, VERDICT_REASON_MAX);
        if (c && c->has_exit_code) {
            out->has_exit_code = 1;
            out->exit_code = c->exit_code;
            buf_printf(&reason, "Task %s: container %s exited with code %d", id, checked[i],
                       c->exit_code);
        } else {
            out->has_exit_code = 0;
            buf_printf(&reason,
                       c ? "Task %s: container %s has no exit code: "
                         : "Task %s: container %s is not in the task: ",
                       id, checked[i]);
            why_no_exit_code(t, c, &reason);
        }
        out->reason = buf_take(&reason);
        return -1;
    }
    return 0;
}

void verdict_judge(const ecs_task *tasks, size_t n_tasks, const char *const *checked,
                   size_t n_checked, verdict *out)
{
    verdict_free(out);
    for (size_t i = 0; i < n_tasks; i++)
        if (!is_stopped(&tasks[i]))
            out->n_running++;
    if (out->n_running) {
        out->status = VERDICT_RUNNING;
        return;
    }
    for (size_t i = 0; i < n_tasks; i++)
        if (judge_task(&tasks[i], checked, n_checked, out) != 0)
            return;
    out->status = VERDICT_SUCCESS;
    if (n_tasks && n_checked) {
        const ecs_container *c = find_container(&tasks[0], checked[0]);
        out->has_exit_code = c && c->has_exit_code;
        out->exit_code = c ? c->exit_code : 0;
    }
}

void verdict_free(verdict *v)
{
    free(v->reason);
    memset(v, 0, sizeof *v);
}
