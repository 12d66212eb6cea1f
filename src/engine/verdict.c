/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arn.h"
#include "util/buf.h"

#define EXIT_KILLED 137 /* 128 + SIGKILL: what the kernel's OOM killer leaves */

static int is(const char *s, const char *want)
{
    return s && !strcmp(s, want);
}

int verdict_transient(const char *reason)
{
    if (!reason)
        return 0;
    return !strncmp(reason, "RESOURCE:", 9) || strstr(reason, " RESOURCE:") ||
           is(reason, "AGENT") || strstr(reason, "Capacity is unavailable") ||
           strstr(reason, "network interface provisioning");
}

const char *verdict_stop_code_words(const char *stop_code)
{
    static const struct {
        const char *code, *words;
    } known[] = {
        {"SpotInterruption", "Spot capacity was reclaimed"},
        {"TerminationNotice", "its container instance was being terminated"},
        {"TaskFailedToStart", "the task failed to start"},
        {"EssentialContainerExited", "an essential container exited"},
        {"UserInitiated", "it was stopped by a StopTask call"},
        {"ServiceSchedulerInitiated", "the service scheduler stopped it"},
    };
    for (size_t i = 0; stop_code && i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(stop_code, known[i].code))
            return known[i].words;
    return NULL;
}

static int is_stopped(const ecs_task *t)
{
    return is(t->last_status, "STOPPED");
}

static const ecs_container *find_container(const ecs_task *t, const char *name)
{
    for (size_t i = 0; i < t->n_containers; i++)
        if (t->containers[i].name && !strcmp(t->containers[i].name, name))
            return &t->containers[i];
    return NULL;
}

static const char *memory_limit(const verdict_checks *c, const char *container)
{
    for (size_t i = 0; i < c->n_memory_limits; i++)
        if (c->memory_limits[i].name && !strcmp(c->memory_limits[i].name, container))
            return c->memory_limits[i].value;
    return NULL;
}

/* The containers that decide: a list of n names into names (borrowed from
 * the task or the checks). */
static size_t checked_names(const ecs_task *t, const verdict_checks *c, const char **names,
                            size_t cap)
{
    size_t n = 0;
    if (c->all)
        for (size_t i = 0; i < t->n_containers && n < cap; i++)
            names[n++] = t->containers[i].name;
    else
        for (size_t i = 0; i < c->n && n < cap; i++)
            names[n++] = c->names[i];
    return n;
}

/* "exited with code 137: killed for exceeding its memory limit of 512 MiB
 * (OutOfMemoryError: ...)" and the like, for one container. */
static void describe_container(buf *b, const verdict_checks *checks, const char *name,
                               const ecs_container *c)
{
    if (!c) {
        buf_printf(b, "container %s is not in the task", name);
        return;
    }
    const char *why = c->reason && *c->reason ? c->reason : NULL;
    if (!c->has_exit_code) {
        buf_printf(b, "container %s has no exit code%s%s", name, why ? ": " : "", why ? why : "");
        return;
    }
    buf_printf(b, "container %s exited with code %d", name, c->exit_code);
    if (c->exit_code == EXIT_KILLED && why && strstr(why, "OutOfMemoryError")) {
        const char *limit = memory_limit(checks, name);
        buf_printf(b, ": killed for exceeding its memory limit%s%s%s", limit ? " of " : "",
                   limit ? limit : "", limit ? " MiB" : "");
    }
    if (why)
        buf_printf(b, " (%s)", why);
}

/* "; task stopped: SpotInterruption (Spot capacity was reclaimed): reason" */
static void describe_stop(buf *b, const ecs_task *t)
{
    const char *code = t->stop_code && *t->stop_code ? t->stop_code : NULL;
    const char *stopped = t->stopped_reason && *t->stopped_reason ? t->stopped_reason : NULL;
    if (!code && !stopped)
        return;
    const char *words = verdict_stop_code_words(code);
    buf_printf(b, "; task stopped: %s%s%s%s%s%s", code ? code : "", words ? " (" : "",
               words ? words : "", words ? ")" : "", code && stopped ? ": " : "",
               stopped ? stopped : "");
}

static int exited_0(const ecs_container *c)
{
    return c && c->has_exit_code && c->exit_code == 0;
}

static int exited(const ecs_container *c)
{
    return c && c->has_exit_code;
}

void verdict_task(const ecs_task *t, const verdict_checks *checks, task_verdict *out)
{
    verdict_free(out);
    if (!is_stopped(t)) {
        out->outcome = TASK_RUNNING;
        return;
    }
    const char *names[64];
    size_t n = checked_names(t, checks, names, sizeof names / sizeof names[0]);
    size_t failed = n, not_exited = 0;
    for (size_t i = 0; i < n; i++) {
        const ecs_container *c = find_container(t, names[i]);
        not_exited += !exited(c);
        if (failed == n && !exited_0(c))
            failed = i;
    }
    if (failed == n) {
        const ecs_container *first = n ? find_container(t, names[0]) : NULL;
        out->outcome = TASK_SUCCEEDED;
        out->has_exit_code = exited(first);
        out->exit_code = first ? first->exit_code : 0;
        return;
    }
    const ecs_container *bad = find_container(t, names[failed]);
    out->container = bad ? bad->name : NULL;
    out->has_exit_code = exited(bad);
    out->exit_code = bad ? bad->exit_code : 0;
    if (is(t->stop_code, "TaskFailedToStart") && verdict_transient(t->stopped_reason))
        out->outcome = TASK_NOT_STARTED;
    else if ((is(t->stop_code, "SpotInterruption") || is(t->stop_code, "TerminationNotice")) &&
             not_exited)
        out->outcome = TASK_INTERRUPTED;
    else
        out->outcome = TASK_FAILED;
    buf b;
    buf_init(&b, VERDICT_REASON_MAX);
    buf_printf(&b, "Task %s: ", arn_last_part(t->arn));
    if (out->outcome == TASK_INTERRUPTED)
        buf_puts(&b, "interrupted before its containers exited: ");
    for (size_t i = 0, shown = 0; i < n; i++) {
        const ecs_container *c = find_container(t, names[i]);
        /* The failing container first-class; the others only when they
         * failed too (a sidecar that exited 0 adds nothing). */
        if (i != failed && exited_0(c))
            continue;
        buf_puts(&b, shown++ ? "; " : "");
        describe_container(&b, checks, names[i], c);
    }
    describe_stop(&b, t);
    out->reason = buf_take(&b);
}

void verdict_free(task_verdict *v)
{
    free(v->reason);
    memset(v, 0, sizeof *v);
}
