/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "engine/verdict.h"
#include "util/arn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strv.h"

static void fail(run_result *res, run_failure why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(run_result *res, run_failure why, const char *fmt, ...)
{
    buf b;
    buf_init(&b, RUN_REASON_MAX);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(res->reason);
    res->reason = buf_take(&b);
    res->status = RUN_FAILED;
    res->failure = why;
}

/* Adds printf-formatted text to the end of a failed result's reason. */
static void append_reason(run_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void append_reason(run_result *res, const char *fmt, ...)
{
    buf b;
    buf_init(&b, RUN_REASON_MAX);
    buf_puts(&b, res->reason ? res->reason : "");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *longer = buf_take(&b);
    if (longer) { /* else the reason stays as it was: shorter, still true */
        free(res->reason);
        res->reason = longer;
    }
}

void run_result_free(run_result *res)
{
    free(res->reason);
    memset(res, 0, sizeof *res);
}

/* --- starting ------------------------------------------------------------ */

/* The RunTask/StartTask request, or NULL when out of memory (a request with
 * a member missing must never be sent). */
static json_t *start_request(const ecs_props *props, const run_state *st)
{
    json_t *req = json_deep_copy(props->run_task);
    int rc = req ? 0 : -1;
    rc |= json_object_set_new(req, "cluster", json_string(props->cluster));
    rc |= json_object_set_new(req, "taskDefinition", json_string(props->task_definition));
    rc |= json_object_set_new(req, "startedBy", json_string(st->started_by));
    if (props->instances) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < props->n_instances; i++)
            rc |= json_array_append_new(list, json_string(props->instances[i]));
        rc |= json_object_set_new(req, "containerInstances", list);
    } else {
        rc |= json_object_set_new(req, "count", json_integer(props->count));
        rc |= json_object_set_new(req, "clientToken", json_string(st->client_token));
    }
    if (rc != 0) {
        json_decref(req);
        return NULL;
    }
    return req;
}

static void describe_failures(const ecs_task_set *set, buf *out)
{
    for (size_t i = 0; i < set->n_failures; i++) {
        const ecs_failure *f = &set->failures[i];
        buf_printf(out, "%s%s: %s%s%s%s", i ? "; " : "", f->arn ? f->arn : "(no arn)",
                   f->reason ? f->reason : "unknown reason", f->detail ? " (" : "",
                   f->detail ? f->detail : "", f->detail ? ")" : "");
    }
}

/* Copies a task ARN into the state; -1 when it does not fit (never cut: a
 * cut ARN names no task). */
static int keep_arn(run_state *st, const char *arn)
{
    size_t n = strlen(arn);
    if (n >= sizeof st->task_arns[0] || st->n_tasks == RUN_MAX_TASKS)
        return -1;
    memcpy(st->task_arns[st->n_tasks++], arn, n + 1);
    return 0;
}

static int record_tasks(const ecs_task_set *set, run_state *st, run_result *res)
{
    st->n_tasks = 0;
    for (size_t i = 0; i < set->n_tasks; i++)
        if (keep_arn(st, set->tasks[i].arn) != 0) {
            fail(res, RUN_FAIL_START,
                 "ECS answered a task ARN of %zu characters (or more than %d tasks): more than "
                 "ecs-tasks handles",
                 strlen(set->tasks[i].arn), RUN_MAX_TASKS);
            return -1;
        }
    return 0;
}

/* StartTask has no clientToken: a repeated delivery finds the tasks the first
 * one started by their startedBy and adopts them. */
static int adopt_started(const run_env *env, const ecs_props *props, run_state *st)
{
    char **arns = NULL;
    size_t n = 0;
    aws_error err;
    if (ecs_list_tasks(env->aws, props->cluster, st->started_by, NULL, &arns, &n, &err) != 0)
        return 0;
    st->n_tasks = 0;
    for (size_t i = 0; i < n && st->n_tasks < RUN_MAX_TASKS; i++)
        if (keep_arn(st, arns[i]) != 0)
            break;
    strv_free(arns, n);
    if (st->n_tasks)
        log_msg(LOG_INFO, "found %zu task(s) already started by %s: not starting again",
                st->n_tasks, st->started_by);
    return st->n_tasks > 0;
}

static void stop_all(const run_env *env, const char *cluster, const run_state *st,
                     const char *reason)
{
    for (size_t i = 0; i < st->n_tasks; i++) {
        aws_error err;
        if (ecs_stop_task(env->aws, cluster, st->task_arns[i], reason, &err) != 0)
            log_msg(LOG_WARN, "StopTask %s: %s: %s", arn_last_part(st->task_arns[i]), err.code,
                    err.message);
    }
}

run_status run_start(const run_env *env, const ecs_props *props, run_state *st, run_result *res)
{
    run_result_free(res);
    const char *op = props->instances ? "StartTask" : "RunTask";
    if (props->instances && adopt_started(env, props, st))
        return RUN_SUCCESS;
    json_t *req = start_request(props, st);
    ecs_task_set set = {0};
    aws_error err;
    aws_error_set(&err, 0, AWS_ERR_INTERNAL, "out of memory");
    int rc = !req               ? -1
             : props->instances ? ecs_start_task(env->aws, req, &set, &err)
                                : ecs_run_task(env->aws, req, &set, &err);
    json_decref(req);
    if (rc != 0) {
        char text[1024];
        fail(res, RUN_FAIL_START, "%s failed: %s", op, aws_error_str(&err, text, sizeof text));
        return RUN_FAILED;
    }
    if (record_tasks(&set, st, res) != 0) {
        stop_all(env, props->cluster, st, "ecs-tasks: a task could not be followed");
        ecs_task_set_free(&set);
        return RUN_FAILED;
    }
    size_t wanted = props->instances ? props->n_instances : (size_t)props->count;
    if (set.n_failures || st->n_tasks < wanted) {
        buf why;
        buf_init(&why, 2048);
        describe_failures(&set, &why);
        fail(res, RUN_FAIL_START, "%s started %zu of %zu task(s)%s%s", op, st->n_tasks, wanted,
             why.len ? ": " : "", buf_cstr(&why));
        buf_free(&why);
        if (st->n_tasks) {
            stop_all(env, props->cluster, st, "ecs-tasks: other tasks of this run failed to start");
            append_reason(res, "; the %zu task(s) that started were stopped", st->n_tasks);
        }
    }
    for (size_t i = 0; i < st->n_tasks; i++)
        log_msg(LOG_INFO, "%s started task %s (startedBy %s)", op, st->task_arns[i],
                st->started_by);
    ecs_task_set_free(&set);
    return res->status;
}

/* --- judging ------------------------------------------------------------- */

typedef struct checked_set {
    const char **names;
    size_t n;
    ecs_task_definition td; /* fetched at most once per wait, when needed */
    int have_td;
} checked_set;

static int fetch_task_definition(const run_env *env, const char *td_name, checked_set *cs,
                                 aws_error *err)
{
    if (cs->have_td)
        return 0;
    if (ecs_describe_task_definition(env->aws, td_name, &cs->td, err) != 0) {
        log_msg(LOG_WARN, "DescribeTaskDefinition %s: %s: %s", td_name, err->code, err->message);
        return -1;
    }
    cs->have_td = 1;
    return 0;
}

/* Copies name into the checked set (which owns its names). */
static int add_checked(checked_set *cs, const char *name)
{
    char *copy = strdup(name);
    if (!copy)
        return -1;
    cs->names[cs->n++] = copy;
    return 0;
}

/* The containers whose exit codes decide: CheckContainers, else the essential
 * containers. A task with one container needs no lookup: ECS requires at
 * least one essential container, so that one is it. */
static int resolve_checked(const run_env *env, const ecs_props *props, const ecs_task_set *set,
                           checked_set *cs, run_result *res)
{
    if (cs->names)
        return 0;
    const ecs_task *first = &set->tasks[0];
    const char *td_name =
        first->task_definition_arn ? first->task_definition_arn : props->task_definition;
    size_t n;
    if (props->check_containers) {
        n = props->n_check_containers;
    } else if (first->n_containers == 1) {
        n = 1;
    } else {
        aws_error err;
        if (fetch_task_definition(env, td_name, cs, &err) != 0) {
            char text[1024];
            fail(res, RUN_FAIL_AWS,
                 "cannot tell the essential containers: DescribeTaskDefinition %s failed: %s",
                 td_name, aws_error_str(&err, text, sizeof text));
            return -1;
        }
        n = cs->td.n_containers;
    }
    int ok = (cs->names = calloc(n ? n : 1, sizeof *cs->names)) != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (props->check_containers)
            ok = add_checked(cs, props->check_containers[i]) == 0;
        else if (first->n_containers == 1 && !cs->have_td)
            ok = add_checked(cs, first->containers[0].name) == 0;
        else if (cs->td.containers[i].essential && cs->td.containers[i].name)
            ok = add_checked(cs, cs->td.containers[i].name) == 0;
    }
    if (!ok)
        fail(res, RUN_FAIL_AWS, "out of memory");
    return ok ? 0 : -1;
}

static void checked_free(checked_set *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free((char *)cs->names[i]);
    free(cs->names);
    if (cs->have_td)
        ecs_task_definition_free(&cs->td);
}

/* Appends the last lines of the failed container's CloudWatch log, when it
 * logs with the awslogs driver and a stream prefix (the stream is then
 * PREFIX/CONTAINER/TASK-ID). */
static void append_log_tail(const run_env *env, const char *td_name, checked_set *cs,
                            const verdict *v, run_result *res)
{
    if (redact_is_blind(env->redactor)) {
        append_reason(res, " (its log lines are left out: this request's secret values could "
                           "not be fetched again to mask them)");
        return;
    }
    aws_error err;
    if (fetch_task_definition(env, td_name, cs, &err) != 0)
        return;
    const ecs_container_definition *def = NULL;
    for (size_t i = 0; i < cs->td.n_containers; i++)
        if (!strcmp(cs->td.containers[i].name, v->failed_container))
            def = &cs->td.containers[i];
    if (!def || !def->log_driver || strcmp(def->log_driver, "awslogs") != 0 ||
        !def->awslogs_group || !def->awslogs_stream_prefix)
        return;
    char stream[768];
    snprintf(stream, sizeof stream, "%s/%s/%s", def->awslogs_stream_prefix, def->name,
             arn_last_part(v->failed_task->arn));
    char **lines = NULL;
    size_t n = 0;
    if (logs_tail(env->aws, def->awslogs_group, stream, RUN_LOG_TAIL_LINES, &lines, &n, &err) !=
        0) {
        log_msg(LOG_WARN, "GetLogEvents %s %s: %s: %s", def->awslogs_group, stream, err.code,
                err.message);
        return;
    }
    if (n)
        append_reason(res, ". Last log lines (%s %s):", def->awslogs_group, stream);
    for (size_t i = 0; i < n; i++)
        append_reason(res, "\n%s", lines[i]);
    strv_free(lines, n);
}

static void copy_stopped_reason(const ecs_task *t, run_result *res)
{
    snprintf(res->stopped_reason, sizeof res->stopped_reason, "%s",
             t && t->stopped_reason ? t->stopped_reason : "");
}

/* Applies a final verdict to res. */
static void conclude(const run_env *env, const ecs_props *props, const ecs_task_set *set,
                     checked_set *cs, const verdict *v, run_result *res)
{
    res->has_exit_code = v->has_exit_code;
    res->exit_code = v->exit_code;
    if (v->status == VERDICT_SUCCESS) {
        res->status = RUN_SUCCESS;
        copy_stopped_reason(&set->tasks[0], res);
        return;
    }
    fail(res, v->has_exit_code ? RUN_FAIL_EXIT_CODE : RUN_FAIL_NO_EXIT, "%s",
         v->reason ? v->reason : "out of memory");
    copy_stopped_reason(v->failed_task, res);
    const char *td_name = v->failed_task->task_definition_arn ? v->failed_task->task_definition_arn
                                                              : props->task_definition;
    append_log_tail(env, td_name, cs, v, res);
}

/* --- waiting ------------------------------------------------------------- */

static void timed_out(const run_env *env, const ecs_props *props, const run_state *st,
                      const ecs_task_set *set, run_result *res)
{
    buf running;
    buf_init(&running, 2048);
    size_t n = 0;
    for (size_t i = 0; i < set->n_tasks; i++) {
        const ecs_task *t = &set->tasks[i];
        if (t->last_status && !strcmp(t->last_status, "STOPPED"))
            continue;
        buf_printf(&running, "%s%s (%s)", n++ ? ", " : "", arn_last_part(t->arn),
                   t->last_status ? t->last_status : "?");
        if (props->stop_on_timeout) {
            aws_error err;
            if (ecs_stop_task(env->aws, props->cluster, t->arn,
                              env->stop_reason ? env->stop_reason : "ecs-tasks: timeout",
                              &err) != 0)
                log_msg(LOG_WARN, "StopTask %s: %s: %s", arn_last_part(t->arn), err.code,
                        err.message);
        }
    }
    fail(res, RUN_FAIL_TIMEOUT,
         "Timeout: %d s passed with %zu of %zu task(s) still running: "
         "%s; %s",
         props->timeout_s, n, st->n_tasks, buf_cstr(&running),
         props->stop_on_timeout ? "they were stopped"
                                : "they were left running "
                                  "(StopOnTimeout is false)");
    buf_free(&running);
}

static int describe(const run_env *env, const ecs_props *props, const run_state *st,
                    ecs_task_set *set, run_result *res)
{
    const char *arns[RUN_MAX_TASKS];
    for (size_t i = 0; i < st->n_tasks; i++)
        arns[i] = st->task_arns[i];
    aws_error err;
    if (ecs_describe_tasks(env->aws, props->cluster, arns, st->n_tasks, set, &err) != 0) {
        char text[1024];
        fail(res, RUN_FAIL_AWS, "DescribeTasks failed: %s", aws_error_str(&err, text, sizeof text));
        return -1;
    }
    for (size_t i = 0; st->started_by[0] && i < set->n_tasks; i++) {
        const ecs_task *t = &set->tasks[i];
        if (!t->started_by || strcmp(t->started_by, st->started_by) != 0) {
            fail(res, RUN_FAIL_AWS,
                 "task %s was not started by this run (its startedBy is '%s', not '%s'), so "
                 "ecs-tasks leaves it alone",
                 t->arn, t->started_by ? t->started_by : "", st->started_by);
            return -1;
        }
    }
    if (set->n_tasks < st->n_tasks) {
        buf why;
        buf_init(&why, 2048);
        describe_failures(set, &why);
        fail(res, RUN_FAIL_AWS, "DescribeTasks no longer knows %zu of the %zu task(s)%s%s",
             st->n_tasks - set->n_tasks, st->n_tasks, why.len ? ": " : "", buf_cstr(&why));
        buf_free(&why);
        return -1;
    }
    return 0;
}

run_status run_wait(const run_env *env, const ecs_props *props, const run_state *st,
                    int64_t stop_at, run_result *res)
{
    run_result_free(res);
    const int64_t timeout_at = st->first_receipt_ms + (int64_t)props->timeout_s * 1000;
    const int64_t interval = (int64_t)props->poll_interval_s * 1000;
    checked_set cs = {0};
    for (;;) {
        ecs_task_set set = {0};
        if (describe(env, props, st, &set, res) != 0) {
            ecs_task_set_free(&set);
            break;
        }
        int64_t now = clk_now(env->clock);
        if (env->progress)
            env->progress(env->progress_ctx, &set, now - st->first_receipt_ms);
        if (resolve_checked(env, props, &set, &cs, res) != 0) {
            ecs_task_set_free(&set);
            break;
        }
        verdict v = {0};
        verdict_judge(set.tasks, set.n_tasks, cs.names, cs.n, &v);
        if (v.status != VERDICT_RUNNING) {
            conclude(env, props, &set, &cs, &v, res);
            verdict_free(&v);
            ecs_task_set_free(&set);
            break;
        }
        verdict_free(&v);
        if (now >= timeout_at) {
            timed_out(env, props, st, &set, res);
            ecs_task_set_free(&set);
            break;
        }
        ecs_task_set_free(&set);
        int64_t next = now + interval < timeout_at ? now + interval : timeout_at;
        if (stop_at && next > stop_at) {
            res->status = RUN_CONTINUE;
            break;
        }
        clk_sleep(env->clock, next - now);
    }
    checked_free(&cs);
    return res->status;
}

/* --- stopping ------------------------------------------------------------ */

int run_stop_started_by(const run_env *env, const char *cluster, const char *started_by,
                        const char *reason, size_t *n_stopped, aws_error *err)
{
    *n_stopped = 0;
    char **arns = NULL;
    size_t n = 0;
    if (ecs_list_tasks(env->aws, cluster, started_by, "RUNNING", &arns, &n, err) != 0) {
        log_msg(LOG_WARN, "ListTasks %s startedBy %s: %s: %s (nothing to stop)", cluster,
                started_by, err->code, err->message);
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        aws_error e;
        if (ecs_stop_task(env->aws, cluster, arns[i], reason, &e) == 0) {
            (*n_stopped)++;
            log_msg(LOG_INFO, "stopped task %s", arns[i]);
        } else if (strstr(e.message, "stopped") || !strcmp(e.code, "ClusterNotFoundException")) {
            log_msg(LOG_INFO, "task %s: %s", arns[i], e.message);
        } else {
            *err = e;
            rc = -1;
        }
    }
    strv_free(arns, n);
    return rc;
}

int run_stop_named_run(const run_env *env, const char *physical_id, const char *resource_id,
                       const char *fallback_cluster, const char *reason, char *why, size_t cap)
{
    if (!arn_is_ecs_task(physical_id)) {
        log_msg(LOG_INFO, "Delete: %s is not a task ARN, nothing to stop", physical_id);
        return 0;
    }
    char cluster[256];
    if (arn_ecs_task_cluster(physical_id, cluster, sizeof cluster) != 0)
        snprintf(cluster, sizeof cluster, "%s", fallback_cluster ? fallback_cluster : "default");

    ecs_task_set set = {0};
    aws_error err;
    const char *arns[1] = {physical_id};
    if (ecs_describe_tasks(env->aws, cluster, arns, 1, &set, &err) != 0 || set.n_tasks == 0) {
        log_msg(LOG_INFO, "Delete: task %s not found (%s), nothing to stop", physical_id,
                set.n_tasks   ? ""
                : err.code[0] ? err.code
                              : "MISSING");
        ecs_task_set_free(&set);
        return 0;
    }
    char started_by[IDS_STARTED_BY_MAX + 1];
    snprintf(started_by, sizeof started_by, "%s",
             set.tasks[0].started_by ? set.tasks[0].started_by : "");
    ecs_task_set_free(&set);
    size_t id_len = strlen(resource_id);
    if (strncmp(started_by, resource_id, id_len) != 0 || started_by[id_len] != '-') {
        log_msg(LOG_WARN,
                "Delete: task %s was not started by this resource (startedBy '%s'), leaving it "
                "alone",
                physical_id, started_by);
        return 0;
    }
    size_t n = 0;
    if (run_stop_started_by(env, cluster, started_by, reason, &n, &err) != 0) {
        char text[1024];
        snprintf(why, cap, "Delete: StopTask failed: %s", aws_error_str(&err, text, sizeof text));
        return -1;
    }
    log_msg(LOG_INFO, "Delete: stopped %zu running task(s) of %s", n, started_by);
    return 0;
}
