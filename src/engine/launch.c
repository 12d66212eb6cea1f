/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verdict.h"
#include "util/arn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strv.h"

int64_t launch_backoff_ms(int attempts)
{
    int64_t ms = RUN_RETRY_FIRST_MS;
    for (int i = 1; i < attempts && ms < RUN_RETRY_MAX_MS; i++)
        ms *= 2;
    return ms < RUN_RETRY_MAX_MS ? ms : RUN_RETRY_MAX_MS;
}

static int64_t timeout_at(const ecs_props *props, const run_state *st)
{
    return st->first_receipt_ms + (int64_t)props->timeout_s * 1000;
}

int launch_can_retry(const ecs_props *props, const run_state *st, const run_slot *slot, int64_t now)
{
    return slot->attempts - 1 < props->start_retries &&
           now + launch_backoff_ms(slot->attempts) < timeout_at(props, st);
}

static void append_cause(run_slot *slot, const char *cause)
{
    size_t used = strlen(slot->causes);
    snprintf(slot->causes + used, sizeof slot->causes - used, "%s%s", used ? "; " : "", cause);
}

void launch_schedule(run_slot *slot, int64_t now, const char *cause)
{
    int64_t wait = launch_backoff_ms(slot->attempts);
    log_msg(LOG_INFO, "%s%s did not run (%s): starting it again in %lld s (attempt %d)",
            slot->task_arn[0] ? "task " : "a task",
            slot->task_arn[0] ? arn_last_part(slot->task_arn) : "", cause, (long long)(wait / 1000),
            slot->attempts + 1);
    append_cause(slot, cause);
    slot->task_arn[0] = '\0';
    slot->status[0] = '\0';
    slot->phases[0] = '\0';
    slot->start_at_ms = now + wait;
}

void launch_attempts_note(const ecs_props *props, const run_slot *slot, char *out, size_t cap)
{
    if (!slot->causes[0]) {
        out[0] = '\0';
        return;
    }
    snprintf(out, cap, " (attempt %d of at most %d; earlier attempts: %s)", slot->attempts,
             props->start_retries + 1, slot->causes);
}

int64_t launch_next_due(const run_state *st)
{
    int64_t next = 0;
    for (size_t i = 0; i < st->n_slots; i++) {
        const run_slot *s = &st->slots[i];
        if (!s->task_arn[0] && (!next || s->start_at_ms < next))
            next = s->start_at_ms;
    }
    return next;
}

void launch_stop_all(const run_env *env, const char *cluster, const run_state *st,
                     const char *stop_reason)
{
    for (size_t i = 0; i < st->n_slots; i++) {
        aws_error err;
        const char *arn = st->slots[i].task_arn;
        if (arn[0] && ecs_stop_task(env->aws, cluster, arn, stop_reason, &err) != 0)
            log_msg(LOG_WARN, "StopTask %s: %s: %s", arn_last_part(arn), err.code, err.message);
    }
}

/* The RunTask/StartTask request of start round `round` for the due slots,
 * or NULL when out of memory (a request with a member missing must never be
 * sent). */
static json_t *start_request(const ecs_props *props, const run_state *st, int round,
                             const size_t *due, size_t n_due)
{
    json_t *req = json_deep_copy(props->run_task);
    int rc = req ? 0 : -1;
    rc |= json_object_set_new(req, "cluster", json_string(props->cluster));
    rc |= json_object_set_new(req, "taskDefinition", json_string(props->task_definition));
    rc |= json_object_set_new(req, "startedBy", json_string(st->started_by));
    if (props->instances) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < n_due; i++)
            rc |= json_array_append_new(list, json_string(props->instances[due[i]]));
        rc |= json_object_set_new(req, "containerInstances", list);
    } else {
        char token[IDS_TOKEN_LEN + 1];
        ids_round_token(st->client_token, round, token, sizeof token);
        rc |= json_object_set_new(req, "count", json_integer((json_int_t)n_due));
        rc |= json_object_set_new(req, "clientToken", json_string(token));
    }
    if (rc != 0) {
        json_decref(req);
        return NULL;
    }
    return req;
}

json_t *launch_first_request(const ecs_props *props, const run_state *st)
{
    size_t n = props->instances ? props->n_instances : (size_t)props->count;
    if (n > RUN_MAX_TASKS)
        n = RUN_MAX_TASKS;
    if (n == 0)
        return NULL;
    size_t due[RUN_MAX_TASKS];
    for (size_t i = 0; i < n; i++)
        due[i] = i;
    return start_request(props, st, 1, due, n);
}

/* The failures[] entry for the i-th task that did not start: ECS may report
 * one failure for several missing tasks (one per container instance), so
 * the last one stands for the rest. NULL when it reported none. */
static const ecs_failure *failure_for(const ecs_task_set *set, size_t i)
{
    if (set->n_failures == 0)
        return NULL;
    return &set->failures[i < set->n_failures ? i : set->n_failures - 1];
}

/* "RESOURCE:MEMORY (detail)" of a failure. */
static void failure_text(const ecs_failure *f, char *out, size_t cap)
{
    if (!f) {
        snprintf(out, cap, "no task and no failure reported");
        return;
    }
    snprintf(out, cap, "%s%s%s%s", f->reason ? f->reason : "unknown reason", f->detail ? " (" : "",
             f->detail ? f->detail : "", f->detail ? ")" : "");
}

/* StartTask has no clientToken: on the first round, a repeated delivery
 * finds the tasks the first one started by their startedBy and adopts them. */
static int adopt_started(const run_env *env, const ecs_props *props, run_state *st, int64_t now)
{
    char **arns = NULL;
    size_t n = 0;
    aws_error err;
    if (ecs_list_tasks(env->aws, props->cluster, st->started_by, NULL, &arns, &n, &err) != 0)
        return 0;
    size_t adopted = 0;
    for (size_t i = 0; i < n && adopted < st->n_slots; i++) {
        if (strlen(arns[i]) >= RUN_ARN_MAX)
            continue;
        run_slot *s = &st->slots[adopted++];
        memcpy(s->task_arn, arns[i], strlen(arns[i]) + 1);
        s->attempts = 1;
        s->status_since_ms = now;
    }
    strv_free(arns, n);
    if (adopted) {
        st->rounds = 1;
        log_msg(LOG_INFO, "found %zu task(s) already started by %s: not starting again", adopted,
                st->started_by);
    }
    return adopted > 0;
}

/* Records the tasks that started in the due slots, in order. Returns how
 * many; -1 (res FAILED) for an ARN too long to keep (never cut: a cut ARN
 * names no task). */
static int record_started(const ecs_task_set *set, run_state *st, const size_t *due, size_t n_due,
                          int64_t now, run_result *res)
{
    size_t k = 0;
    for (; k < set->n_tasks && k < n_due; k++) {
        run_slot *s = &st->slots[due[k]];
        const ecs_task *t = &set->tasks[k];
        if (strlen(t->arn) >= RUN_ARN_MAX) {
            reason_set(&res->why,
                       "ECS answered a task ARN of %zu characters, more than ecs-tasks "
                       "handles",
                       strlen(t->arn));
            res->status = RUN_FAILED;
            res->failure = RUN_FAIL_START;
            return -1;
        }
        memcpy(s->task_arn, t->arn, strlen(t->arn) + 1);
        snprintf(s->status, sizeof s->status, "%s", t->last_status);
        s->status_since_ms = now;
        s->attempts++;
        char attempt[32] = "";
        if (s->attempts > 1)
            snprintf(attempt, sizeof attempt, ", attempt %d", s->attempts);
        log_msg(LOG_INFO, "started task %s (startedBy %s%s)", t->arn, st->started_by, attempt);
    }
    return (int)k;
}

/* The due slots that got no task: each waits for a new start, or the run
 * fails (a cause that does not go away, or no retry left). */
static int handle_unstarted(const ecs_props *props, run_state *st, const ecs_task_set *set,
                            const size_t *due, size_t n_due, size_t started, int64_t now,
                            run_result *res)
{
    const char *op = props->instances ? "StartTask" : "RunTask";
    for (size_t k = started; k < n_due; k++) {
        run_slot *s = &st->slots[due[k]];
        const ecs_failure *f = failure_for(set, k - started);
        char cause[512];
        failure_text(f, cause, sizeof cause);
        s->attempts++;
        if (verdict_transient(cause) && launch_can_retry(props, st, s, now)) {
            launch_schedule(s, now, cause);
            continue;
        }
        char note[RUN_CAUSES_MAX + 128];
        launch_attempts_note(props, s, note, sizeof note);
        reason_set(&res->why, "%s started %zu of %zu task(s): %s%s%s", op, started, n_due,
                   f && f->arn ? f->arn : "", f && f->arn ? ": " : "", cause);
        reason_append(&res->why, "%s%s", note,
                      verdict_transient(cause) ? " (no retry left before the Timeout)" : "");
        res->status = RUN_FAILED;
        res->failure = RUN_FAIL_START;
        return -1;
    }
    return 0;
}

int launch_due(const run_env *env, const ecs_props *props, run_state *st, int64_t now,
               run_result *res)
{
    size_t due[RUN_MAX_TASKS], n_due = 0;
    for (size_t i = 0; i < st->n_slots; i++)
        if (!st->slots[i].task_arn[0] && st->slots[i].start_at_ms <= now)
            due[n_due++] = i;
    if (n_due == 0)
        return 0;
    if (st->rounds == 0 && props->instances && adopt_started(env, props, st, now))
        return 0;
    st->rounds++;
    const char *op = props->instances ? "StartTask" : "RunTask";
    json_t *req = start_request(props, st, st->rounds, due, n_due);
    ecs_task_set set = {0};
    aws_error err;
    aws_error_set(&err, 0, AWS_ERR_INTERNAL, "out of memory");
    int rc = !req               ? -1
             : props->instances ? ecs_start_task(env->aws, req, &set, &err)
                                : ecs_run_task(env->aws, req, &set, &err);
    json_decref(req);
    int started = rc == 0 ? record_started(&set, st, due, n_due, now, res) : -1;
    if (rc != 0) {
        char text[1024];
        reason_set(&res->why, "%s failed: %s", op, aws_error_str(&err, text, sizeof text));
        res->status = RUN_FAILED;
        res->failure = RUN_FAIL_START;
    } else if (started >= 0) {
        rc = handle_unstarted(props, st, &set, due, n_due, (size_t)started, now, res);
    }
    ecs_task_set_free(&set);
    if (rc != 0 || started < 0) {
        size_t running = 0;
        for (size_t i = 0; i < st->n_slots; i++)
            running += st->slots[i].task_arn[0] != '\0';
        if (running) {
            launch_stop_all(env, props->cluster, st,
                            "ecs-tasks: another task of this run failed "
                            "to start");
            reason_append(&res->why, "; the %zu task(s) that started were stopped", running);
        }
        return -1;
    }
    return 0;
}
