/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct run_report {
    const redactor *redactor;
    json_t *tasks; /* array of task objects, in the order first seen */
};

run_report *report_new(const redactor *r)
{
    run_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return NULL;
    rep->redactor = r;
    rep->tasks = json_array();
    if (!rep->tasks) {
        free(rep);
        return NULL;
    }
    return rep;
}

void report_free(run_report *rep)
{
    if (!rep)
        return;
    json_decref(rep->tasks);
    free(rep);
}

/* s masked and made valid UTF-8, as a JSON string; null for NULL. */
static json_t *text(const redactor *r, const char *s)
{
    if (!s)
        return json_null();
    char *clean = redact_dup_clean(r, s);
    json_t *j = json_string(clean ? clean : "(out of memory)");
    free(clean);
    return j ? j : json_null();
}

void report_time(int64_t ms, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (ms <= 0)
        return;
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&secs, &tm))
        strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *time_of(int64_t ms)
{
    char iso[32];
    report_time(ms, iso, sizeof iso);
    return iso[0] ? json_string(iso) : json_null();
}

static json_t *container_of(const run_report *rep, const ecs_task *t, const ecs_container *c,
                            report_locator locate, void *ctx)
{
    char group[512], stream[1024];
    int located =
        locate && locate(ctx, t, c->name, group, sizeof group, stream, sizeof stream) == 0;
    json_t *j = json_object();
    json_object_set_new(j, "name", text(NULL, c->name));
    json_object_set_new(j, "exitCode", c->has_exit_code ? json_integer(c->exit_code) : json_null());
    json_object_set_new(j, "reason", text(rep->redactor, c->reason));
    json_object_set_new(j, "logGroup", located ? text(NULL, group) : json_null());
    json_object_set_new(j, "logStream", located ? text(NULL, stream) : json_null());
    return j;
}

static json_t *task_of(const run_report *rep, const ecs_task *t, report_locator locate, void *ctx)
{
    json_t *containers = json_array();
    for (size_t i = 0; i < t->n_containers; i++)
        json_array_append_new(containers, container_of(rep, t, &t->containers[i], locate, ctx));
    json_t *j = json_object();
    json_object_set_new(j, "taskArn", text(NULL, t->arn));
    json_object_set_new(j, "startedBy", text(NULL, t->started_by));
    json_object_set_new(j, "lastStatus", text(NULL, t->last_status));
    json_object_set_new(j, "stopCode", text(NULL, t->stop_code));
    json_object_set_new(j, "stoppedReason", text(rep->redactor, t->stopped_reason));
    json_object_set_new(j, "createdAt", time_of(t->created_at_ms));
    json_object_set_new(j, "startedAt", time_of(t->started_at_ms));
    json_object_set_new(j, "stoppedAt", time_of(t->stopped_at_ms));
    json_object_set_new(j, "containers", containers);
    return j;
}

/* The index of the task with this ARN, or -1. */
static long find(const run_report *rep, const char *arn)
{
    size_t i;
    json_t *t;
    json_array_foreach(rep->tasks, i, t)
    {
        if (!strcmp(json_string_value(json_object_get(t, "taskArn")), arn))
            return (long)i;
    }
    return -1;
}

void report_tasks(run_report *rep, const ecs_task_set *set, report_locator locate, void *ctx)
{
    for (size_t i = 0; i < set->n_tasks; i++) {
        json_t *j = task_of(rep, &set->tasks[i], locate, ctx);
        if (!json_is_string(json_object_get(j, "taskArn"))) {
            json_decref(j);
            continue;
        }
        long at = find(rep, set->tasks[i].arn);
        if (at >= 0)
            json_array_set_new(rep->tasks, (size_t)at, j);
        else
            json_array_append_new(rep->tasks, j);
    }
}

void report_started(run_report *rep, const run_state *st)
{
    for (size_t i = 0; i < st->n_slots; i++) {
        const run_slot *slot = &st->slots[i];
        if (!slot->task_arn[0] || find(rep, slot->task_arn) >= 0)
            continue;
        ecs_task t = {.arn = (char *)slot->task_arn,
                      .started_by = st->started_by[0] ? (char *)st->started_by : NULL,
                      .last_status = slot->status[0] ? (char *)slot->status : NULL};
        json_array_append_new(rep->tasks, task_of(rep, &t, NULL, NULL));
    }
}

json_t *report_document(const run_report *rep, const report_outcome *out)
{
    json_t *doc = json_object();
    int rc = doc ? 0 : -1;
    rc |= json_object_set_new(doc, "exitCode", json_integer(out->exit_code));
    rc |= json_object_set_new(doc, "result", text(NULL, out->result));
    rc |= json_object_set_new(doc, "reason", text(rep->redactor, out->reason));
    rc |= json_object_set_new(doc, "cluster", text(NULL, out->cluster));
    rc |= json_object_set_new(doc, "startedBy", text(NULL, out->started_by));
    rc |= json_object_set_new(doc, "tasks", json_deep_copy(rep->tasks));
    if (rc != 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}
