/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "engine/launch.h"
#include "engine/verdict.h"
#include "util/arn.h"
#include "util/buf.h"
#include "util/log.h"

size_t run_state_arns(const run_state *st, const char **arns)
{
    size_t n = 0;
    for (size_t i = 0; i < st->n_slots; i++)
        if (st->slots[i].task_arn[0])
            arns[n++] = st->slots[i].task_arn;
    return n;
}

int run_state_follow(run_state *st, const char *const *arns, size_t n, int64_t now)
{
    memset(st, 0, sizeof *st);
    if (n == 0 || n > RUN_MAX_TASKS)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(arns[i]);
        if (len == 0 || len >= RUN_ARN_MAX) {
            memset(st, 0, sizeof *st);
            return -1;
        }
        memcpy(st->slots[i].task_arn, arns[i], len + 1);
        st->slots[i].attempts = 1;
        st->slots[i].status_since_ms = now;
    }
    st->n_slots = n;
    st->rounds = 1;
    st->first_receipt_ms = now;
    return 0;
}

size_t run_state_forget_waiting(run_state *st)
{
    size_t kept = 0;
    for (size_t i = 0; i < st->n_slots; i++) {
        if (!st->slots[i].task_arn[0])
            continue;
        if (kept != i)
            st->slots[kept] = st->slots[i];
        kept++;
    }
    for (size_t i = kept; i < st->n_slots; i++)
        memset(&st->slots[i], 0, sizeof st->slots[i]);
    st->n_slots = kept;
    return kept;
}

void run_result_free(run_result *res)
{
    reason_free(&res->why);
    memset(res, 0, sizeof *res);
}

static void failed(run_result *res, run_failure why)
{
    res->status = RUN_FAILED;
    res->failure = why;
}

/* Whether the front end asked the run to stop where it is (run_env.cancel). */
static int cancelled(const run_env *env)
{
    return env->cancel && *env->cancel;
}

run_status run_start(const run_env *env, const ecs_props *props, run_state *st, run_result *res)
{
    run_result_free(res);
    st->n_slots = props->instances ? props->n_instances : (size_t)props->count;
    if (st->n_slots > RUN_MAX_TASKS)
        st->n_slots = RUN_MAX_TASKS;
    if (cancelled(env)) {
        res->status = RUN_CANCELLED;
        return RUN_CANCELLED;
    }
    if (launch_due(env, props, st, clk_now(env->clock), res) != 0)
        return RUN_FAILED;
    return RUN_SUCCESS;
}

/* --- one wait: what is looked up at most once ------------------------------- */

typedef struct waiter {
    const run_env *env;
    const ecs_props *props;
    run_state *st;
    ecs_task_definition td; /* fetched when needed: essential containers, limits, logs */
    int have_td;
    int td_failed;     /* asked once, in vain: not asked again in this wait */
    ecs_kv limits[64]; /* container memory limits, for the words of an OOM kill */
    char limit_text[64][16];
    size_t n_limits;
    int limits_known;
    const char *essential[64];
    size_t n_essential;
} waiter;

static int fetch_task_definition(waiter *w, const ecs_task *t, aws_error *err)
{
    if (w->have_td)
        return 0;
    const char *name = t->task_definition_arn ? t->task_definition_arn : w->props->task_definition;
    if (w->td_failed) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "DescribeTaskDefinition %s failed before", name);
        return -1;
    }
    if (ecs_describe_task_definition(w->env->aws, name, &w->td, err) != 0) {
        log_msg(LOG_WARN, "DescribeTaskDefinition %s: %s: %s", name, err->code, err->message);
        w->td_failed = 1;
        return -1;
    }
    w->have_td = 1;
    for (size_t i = 0; i < w->td.n_containers && w->n_essential < 64; i++)
        if (w->td.containers[i].essential)
            w->essential[w->n_essential++] = w->td.containers[i].name;
    return 0;
}

/* A container's memory override in the run's request, or 0. */
static json_int_t override_memory(const ecs_props *props, const char *container)
{
    json_t *list =
        json_object_get(json_object_get(props->run_task, "overrides"), "containerOverrides");
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *name = json_string_value(json_object_get(o, "name"));
        if (name && !strcmp(name, container))
            return json_integer_value(json_object_get(o, "memory"));
    }
    return 0;
}

/* The memory limit of each container: its override, else its definition's,
 * else the task's (the run's task override, else the definition's). */
static void find_limits(waiter *w)
{
    const char *task_memory = json_string_value(
        json_object_get(json_object_get(w->props->run_task, "overrides"), "memory"));
    if (!task_memory || !*task_memory)
        task_memory = w->td.memory;
    for (size_t i = 0; i < w->td.n_containers && w->n_limits < 64; i++) {
        const ecs_container_definition *d = &w->td.containers[i];
        json_int_t mib = override_memory(w->props, d->name);
        if (mib <= 0)
            mib = d->memory_mib;
        char *text = w->limit_text[w->n_limits];
        if (mib > 0)
            snprintf(text, sizeof w->limit_text[0], "%lld", (long long)mib);
        else if (task_memory)
            snprintf(text, sizeof w->limit_text[0], "%s", task_memory);
        else
            continue;
        w->limits[w->n_limits++] = (ecs_kv){d->name, text};
    }
    w->limits_known = 1;
}

/* The containers that decide: CheckContainers, "*", or the essential ones
 * (a task with one container needs no lookup: ECS requires an essential
 * container, so that one is it). */
static int checks_for(waiter *w, const ecs_task *t, verdict_checks *c, run_result *res)
{
    *c = (verdict_checks){.all = w->props->check_all,
                          .names = w->props->check_containers,
                          .n = w->props->n_check_containers,
                          .memory_limits = w->limits,
                          .n_memory_limits = w->n_limits};
    if (c->all || c->names)
        return 0;
    if (t->n_containers == 1 && !w->have_td) {
        static const char *one[1];
        one[0] = t->containers[0].name;
        c->names = one;
        c->n = 1;
        return 0;
    }
    aws_error err;
    if (fetch_task_definition(w, t, &err) != 0) {
        char text[1024];
        reason_set(&res->why,
                   "cannot tell the essential containers: DescribeTaskDefinition failed: %s",
                   aws_error_str(&err, text, sizeof text));
        failed(res, RUN_FAIL_AWS);
        return -1;
    }
    c->names = w->essential;
    c->n = w->n_essential;
    return 0;
}

/* Judges a stopped task. A failure is judged again once the task definition
 * is known: the words of an OOM kill name the memory limit. */
static int judge(waiter *w, const ecs_task *t, task_verdict *v, run_result *res)
{
    verdict_checks c;
    if (checks_for(w, t, &c, res) != 0)
        return -1;
    verdict_task(t, &c, v);
    if (v->outcome != TASK_FAILED || w->limits_known)
        return 0;
    aws_error err;
    if (fetch_task_definition(w, t, &err) != 0)
        return 0; /* the words go without the limit */
    find_limits(w);
    if (checks_for(w, t, &c, res) != 0)
        return -1;
    verdict_task(t, &c, v);
    return 0;
}

/* The failed container's last log lines, when it logs with the awslogs
 * driver and a stream prefix (its stream is then PREFIX/CONTAINER/TASK-ID). */
static void add_log_tail(waiter *w, const ecs_task *t, const char *container, run_result *res)
{
    if (redact_is_blind(w->env->redactor)) {
        reason_append(&res->why, " (its log lines are left out: this request's secret values "
                                 "could not be fetched again to mask them)");
        return;
    }
    aws_error err;
    if (!container || fetch_task_definition(w, t, &err) != 0)
        return;
    const ecs_container_definition *def = NULL;
    for (size_t i = 0; i < w->td.n_containers; i++)
        if (!strcmp(w->td.containers[i].name, container))
            def = &w->td.containers[i];
    if (!def || !def->log_driver || strcmp(def->log_driver, "awslogs") != 0 ||
        !def->awslogs_group || !def->awslogs_stream_prefix)
        return;
    char stream[1024], title[1536];
    snprintf(stream, sizeof stream, "%s/%s/%s", def->awslogs_stream_prefix, def->name,
             arn_last_part(t->arn));
    char **lines = NULL;
    size_t n = 0;
    if (logs_tail(w->env->aws, def->awslogs_group, stream, RUN_LOG_TAIL_LINES, &lines, &n, &err) !=
        0) {
        log_msg(LOG_WARN, "GetLogEvents %s %s: %s: %s", def->awslogs_group, stream, err.code,
                err.message);
        return;
    }
    snprintf(title, sizeof title, "%s %s", def->awslogs_group, stream);
    if (n)
        reason_set_tail(&res->why, title, lines, n);
    else
        free(lines);
}

/* --- following ------------------------------------------------------------- */

static int describe(const waiter *w, ecs_task_set *set, run_result *res)
{
    const char *arns[RUN_MAX_TASKS];
    size_t n = run_state_arns(w->st, arns);
    aws_error err;
    if (ecs_describe_tasks(w->env->aws, w->props->cluster, arns, n, set, &err) != 0) {
        char text[1024];
        reason_set(&res->why, "DescribeTasks failed: %s", aws_error_str(&err, text, sizeof text));
        failed(res, RUN_FAIL_AWS);
        return -1;
    }
    for (size_t i = 0; w->st->started_by[0] && i < set->n_tasks; i++) {
        const ecs_task *t = &set->tasks[i];
        if (!t->started_by || strcmp(t->started_by, w->st->started_by) != 0) {
            reason_set(&res->why,
                       "task %s was not started by this run (its startedBy is '%s', not '%s'), so "
                       "ecs-tasks leaves it alone",
                       t->arn, t->started_by ? t->started_by : "", w->st->started_by);
            failed(res, RUN_FAIL_AWS);
            return -1;
        }
    }
    if (set->n_tasks < n) {
        reason_set(&res->why, "DescribeTasks no longer knows %zu of the %zu task(s)",
                   n - set->n_tasks, n);
        failed(res, RUN_FAIL_AWS);
        return -1;
    }
    return 0;
}

static const ecs_task *task_of(const ecs_task_set *set, const char *arn)
{
    for (size_t i = 0; i < set->n_tasks; i++)
        if (!strcmp(set->tasks[i].arn, arn))
            return &set->tasks[i];
    return NULL;
}

/* Notes a task's move to a new status, with the time it spent in the last.
 * It is logged unless the front end shows progress itself (a terminal would
 * get each phase twice). */
static void track_phase(run_slot *slot, const ecs_task *t, int64_t now, int log_it)
{
    if (!strcmp(slot->status, t->last_status))
        return;
    if (slot->status[0]) {
        long long secs = (long long)((now - slot->status_since_ms) / 1000);
        if (log_it)
            log_msg(LOG_INFO, "task %s: %s after %lld s in %s", arn_last_part(t->arn),
                    t->last_status, secs, slot->status);
        size_t used = strlen(slot->phases);
        snprintf(slot->phases + used, sizeof slot->phases - used, "%s%s %llds", used ? ", " : "",
                 slot->status, secs);
    }
    snprintf(slot->status, sizeof slot->status, "%s", t->last_status);
    slot->status_since_ms = now;
}

/* The first failed slot says why the run failed; others are counted. */
typedef struct outcome {
    size_t done, failures;
    const ecs_task *failed_task;
    const run_slot *failed_slot;
    task_verdict failed_verdict;
    task_verdict first_success;
} outcome;

/* Judges every slot's task; a task that did not start (or was interrupted,
 * with RerunOnInterruption) makes its slot wait for a new start when it may.
 * Returns -1 when the run must stop here (res set). */
static int judge_all(waiter *w, const ecs_task_set *set, int64_t now, outcome *o, run_result *res)
{
    for (size_t i = 0; i < w->st->n_slots; i++) {
        run_slot *slot = &w->st->slots[i];
        const ecs_task *t = slot->task_arn[0] ? task_of(set, slot->task_arn) : NULL;
        if (!t)
            continue;
        track_phase(slot, t, now, w->env->progress == NULL);
        task_verdict v = {0};
        if (judge(w, t, &v, res) != 0)
            return -1;
        int again = v.outcome == TASK_NOT_STARTED ||
                    (v.outcome == TASK_INTERRUPTED && w->props->rerun_on_interruption);
        if (again && launch_can_retry(w->props, w->st, slot, now)) {
            char cause[256];
            snprintf(cause, sizeof cause, "%s: %s", t->stop_code ? t->stop_code : "stopped",
                     t->stopped_reason ? t->stopped_reason : "");
            launch_schedule(slot, now, cause);
        } else if (v.outcome == TASK_SUCCEEDED) {
            o->done++;
            if (!o->first_success.outcome) {
                o->first_success = v;
                v = (task_verdict){0};
            }
        } else if (v.outcome != TASK_RUNNING) {
            o->done++;
            if (!o->failures++) {
                o->failed_task = t;
                o->failed_slot = slot;
                o->failed_verdict = v;
                v = (task_verdict){0};
            }
        }
        verdict_free(&v);
    }
    return 0;
}

static run_failure failure_of(const task_verdict *v)
{
    switch (v->outcome) {
    case TASK_NOT_STARTED:
        return RUN_FAIL_START;
    case TASK_INTERRUPTED:
        return RUN_FAIL_INTERRUPTED;
    default:
        return v->has_exit_code ? RUN_FAIL_EXIT_CODE : RUN_FAIL_NO_EXIT;
    }
}

static void copy_stopped_reason(const ecs_task *t, run_result *res)
{
    snprintf(res->stopped_reason, sizeof res->stopped_reason, "%s",
             t && t->stopped_reason ? t->stopped_reason : "");
}

/* Every slot is done: success, or the first failure with its words, the
 * attempts it took and its container's log tail. */
static void conclude(waiter *w, const ecs_task_set *set, outcome *o, run_result *res)
{
    if (!o->failures) {
        res->status = RUN_SUCCESS;
        res->has_exit_code = o->first_success.has_exit_code;
        res->exit_code = o->first_success.exit_code;
        copy_stopped_reason(set->n_tasks ? &set->tasks[0] : NULL, res);
        return;
    }
    const task_verdict *v = &o->failed_verdict;
    failed(res, failure_of(v));
    res->has_exit_code = v->has_exit_code;
    res->exit_code = v->exit_code;
    copy_stopped_reason(o->failed_task, res);
    char note[RUN_CAUSES_MAX + 128];
    launch_attempts_note(w->props, o->failed_slot, note, sizeof note);
    reason_set(&res->why, "%s%s", v->reason ? v->reason : "out of memory", note);
    if (v->outcome == TASK_INTERRUPTED && !w->props->rerun_on_interruption)
        reason_append(&res->why, " (set RerunOnInterruption to start it again)");
    else if (v->outcome == TASK_NOT_STARTED || v->outcome == TASK_INTERRUPTED)
        reason_append(&res->why, " (no retry left before the Timeout)");
    if (o->failures > 1)
        reason_append(&res->why, "; %zu more task(s) failed", o->failures - 1);
    add_log_tail(w, o->failed_task, v->container, res);
}

static void timed_out(waiter *w, const ecs_task_set *set, run_result *res)
{
    const ecs_props *props = w->props;
    buf running;
    buf_init(&running, 8192);
    size_t n = 0, waiting = 0;
    for (size_t i = 0; i < w->st->n_slots; i++) {
        const run_slot *slot = &w->st->slots[i];
        const ecs_task *t = slot->task_arn[0] ? task_of(set, slot->task_arn) : NULL;
        waiting += !slot->task_arn[0];
        if (!t || !strcmp(t->last_status, "STOPPED"))
            continue;
        buf_printf(&running, "%s%s (%s)", n++ ? ", " : "", arn_last_part(t->arn), t->last_status);
        aws_error err;
        if (props->stop_on_timeout &&
            ecs_stop_task(w->env->aws, props->cluster, t->arn,
                          w->env->stop_reason ? w->env->stop_reason : "ecs-tasks: timeout",
                          &err) != 0)
            log_msg(LOG_WARN, "StopTask %s: %s: %s", arn_last_part(t->arn), err.code, err.message);
    }
    failed(res, RUN_FAIL_TIMEOUT);
    reason_set(&res->why, "Timeout: %d s passed with %zu of %zu task(s) still running%s%s",
               props->timeout_s, n, w->st->n_slots, n ? ": " : "", buf_cstr(&running));
    if (waiting)
        reason_append(&res->why, "; %zu waiting to be started again", waiting);
    if (n)
        reason_append(&res->why, "; %s",
                      props->stop_on_timeout ? "they were stopped"
                                             : "they were left running (StopOnTimeout is false)");
    buf_free(&running);
}

/* When the loop wakes next: the next poll, a start that falls due, or the
 * Timeout, whichever comes first. */
static int64_t next_wake(const run_state *st, int64_t now, int64_t interval, int64_t timeout_at)
{
    int64_t next = now + interval;
    int64_t due = launch_next_due(st);
    if (due && due < next)
        next = due > now ? due : now;
    return next < timeout_at ? next : timeout_at;
}

static int any_followed(const run_state *st)
{
    for (size_t i = 0; i < st->n_slots; i++)
        if (st->slots[i].task_arn[0])
            return 1;
    return 0;
}

run_status run_wait(const run_env *env, const ecs_props *props, run_state *st, int64_t stop_at,
                    run_result *res)
{
    run_result_free(res);
    const int64_t timeout_at = st->first_receipt_ms + (int64_t)props->timeout_s * 1000;
    const int64_t interval = (int64_t)props->poll_interval_s * 1000;
    waiter w = {.env = env, .props = props, .st = st};
    for (;;) {
        /* Before every start and poll, so also right after every sleep. */
        if (cancelled(env)) {
            res->status = RUN_CANCELLED;
            break;
        }
        int64_t now = clk_now(env->clock);
        if (launch_due(env, props, st, now, res) != 0)
            break;
        ecs_task_set set = {0};
        if (any_followed(st) && describe(&w, &set, res) != 0) {
            ecs_task_set_free(&set);
            break;
        }
        outcome o = {0};
        int stop = judge_all(&w, &set, now, &o, res) != 0;
        if (env->progress)
            env->progress(env->progress_ctx, st, &set, now - st->first_receipt_ms);
        if (!stop && o.done == st->n_slots)
            conclude(&w, &set, &o, res);
        else if (!stop && now >= timeout_at)
            timed_out(&w, &set, res);
        verdict_free(&o.failed_verdict);
        verdict_free(&o.first_success);
        ecs_task_set_free(&set);
        if (stop || res->status != RUN_SUCCESS || o.done == st->n_slots)
            break;
        int64_t next = next_wake(st, now, interval, timeout_at);
        if (stop_at && next > stop_at) {
            res->status = RUN_CONTINUE;
            break;
        }
        clk_sleep(env->clock, next - now);
    }
    if (w.have_td)
        ecs_task_definition_free(&w.td);
    return res->status;
}
