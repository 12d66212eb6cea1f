/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/run.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "cli/cancel.h"
#include "cli/display.h"
#include "cli/follow.h"
#include "cli/github.h"
#include "cli/naming.h"
#include "cli/options.h"
#include "cli/report.h"
#include "engine/launch.h"
#include "engine/props.h"
#include "engine/run.h"
#include "engine/secrets.h"
#include "engine/service.h"
#include "util/arn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/redact.h"
#include "util/token.h"

/* One `ecs-tasks run`, from its options to its exit code. */
typedef struct session {
    const run_options *o;
    FILE *logs_out; /* where --logs lines go: stdout, or stderr with --json */
    aws_client *aws;
    redactor *r;
    ecs_props props;
    json_t *resolved;
    run_env env;
    run_state st;
    run_result res;
    display view;
    log_follower *follower;
    run_report *report;
    /* How it ended. */
    const char *result; /* cli/report.h's result words */
    char *reason;       /* masked: what went wrong, or the cancellation; NULL on success */
    int code;
} session;

/* text: owned from here on (may be NULL). */
static void set_outcome(session *s, const char *result, int code, char *text)
{
    s->result = result;
    s->code = code;
    free(s->reason);
    s->reason = text;
}

/* printf into a new string (caller frees); NULL when out of memory. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    buf b;
    buf_init(&b, 1u << 20);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return buf_take(&b);
}

/* A failure: printed whole, with its log tail, and kept for --json and the
 * ::error:: annotation; `before` (may be "") goes in front of it. */
static void fail(session *s, const char *result, int code, const char *before, const reason *why)
{
    char *text = reason_compose(why, s->r, 0);
    char *whole = format("%s%s", before, text ? text : "(out of memory)");
    free(text);
    display_failure(&s->view, s->r, whole ? whole : before);
    set_outcome(s, result, code, whole);
}

static void fail_text(session *s, int code, const char *text)
{
    reason why = {0};
    reason_set(&why, "%s", text);
    fail(s, "FAILED", code, "", &why);
    reason_free(&why);
}

static int exit_code_of(const run_result *res)
{
    switch (res->failure) {
    case RUN_FAIL_NONE:
        return 0;
    case RUN_FAIL_EXIT_CODE:
        return res->exit_code > 0 && res->exit_code < 256 ? res->exit_code : 1;
    case RUN_FAIL_TIMEOUT:
        return CLI_EXIT_TIMEOUT;
    default:
        return CLI_EXIT_FAILED;
    }
}

/* After each DescribeTasks: the display, the --json report, --logs. */
static void on_progress(void *ctx, const run_state *st, const ecs_task_set *set, int64_t elapsed_ms)
{
    session *s = ctx;
    display_progress(&s->view, st, elapsed_ms);
    if (s->report)
        report_tasks(s->report, set, s->follower ? follow_location : NULL, s->follower);
    if (s->follower && s->o->logs) {
        follow_poll(s->follower, set);
        display_scrolled(&s->view); /* log lines scrolled the live display away */
    }
}

/* --- before anything starts ------------------------------------------------ */

/* The AWS client and the redactor, the secrets resolved, the service's
 * settings read. Returns -1 to go on, or an exit code (outcome set). */
static int prepare(session *s, const json_t *raw)
{
    aws_error err;
    s->r = redact_new();
    s->aws = s->r ? aws_client_new(NULL, &err) : NULL;
    if (!s->aws) {
        char *text =
            format("%s: %s", s->r ? err.code : "OutOfMemory", s->r ? err.message : "out of memory");
        fail_text(s, CLI_EXIT_FAILED, text ? text : "out of memory");
        free(text);
        return s->code;
    }
    /* Log lines (AWS retries) go to stderr beside the progress. */
    log_set_output(stderr);
    log_set_redactor(s->r);
    aws_client_set_redactor(s->aws, s->r);
    char why[2048];
    secrets_load_status st = secrets_load_props(raw, secrets_fetch_aws, s->aws, s->r, 0, &s->props,
                                                &s->resolved, why, sizeof why);
    if (st == SECRETS_INVALID) {
        naming_explain(why, sizeof why);
        fprintf(stderr, "ecs-tasks run: %s\n(see ecs-tasks run --help)\n", why);
        return CLI_EXIT_USAGE;
    }
    if (st == SECRETS_UNRESOLVED || service_apply(s->aws, &s->props, why, sizeof why) != 0) {
        fail_text(s, CLI_EXIT_FAILED, why);
        return s->code;
    }
    return -1;
}

/* --dry-run: the request the first round would send, masked, on stdout. */
static void dry_run(session *s)
{
    if (cancel_exit_code()) {
        fprintf(stderr, "ecs-tasks run: --dry-run: cancelled by %s\n", cancel_signal_name());
        set_outcome(s, "CANCELLED", cancel_exit_code(), NULL);
        return;
    }
    json_t *req = launch_first_request(&s->props, &s->st);
    const char *op = s->props.instances ? "StartTask" : "RunTask";
    if (!req) {
        fprintf(stderr, "ecs-tasks run: --dry-run: %s\n",
                s->props.count == 0 ? "--count 0 starts nothing" : "out of memory");
        set_outcome(s, "SUCCESS", s->props.count == 0 ? 0 : CLI_EXIT_FAILED, NULL);
        return;
    }
    char *text = json_dumps(req, JSON_INDENT(2));
    char *masked = text ? redact_dup(s->r, text) : NULL;
    if (masked) {
        printf("%s\n", masked);
        fflush(stdout);
        fprintf(stderr, "ecs-tasks run: --dry-run: this %s request was not sent; nothing started\n",
                op);
    }
    set_outcome(s, "SUCCESS", masked ? 0 : CLI_EXIT_FAILED, NULL);
    free(masked);
    free(text);
    json_decref(req);
}

/* --- waiting and its endings ---------------------------------------------- */

/* The verdict of a wait that ran to its end. */
static void judged(session *s)
{
    int code = exit_code_of(&s->res);
    if (s->res.status == RUN_FAILED) {
        fail(s, s->res.failure == RUN_FAIL_TIMEOUT ? "TIMEOUT" : "FAILED", code, "", &s->res.why);
        return;
    }
    fprintf(stderr, "ecs-tasks run: success (exit code %d)\n", s->res.exit_code);
    set_outcome(s, "SUCCESS", 0, NULL);
}

/* "0f1e (RUNNING), 2a3b (STOPPING)" of the tasks st follows. */
static void still_running(const run_state *st, buf *out)
{
    for (size_t i = 0; i < st->n_slots; i++)
        if (strcmp(st->slots[i].status, "STOPPED") != 0)
            buf_printf(out, "%s%s (%s)", out->len ? ", " : "", arn_last_part(st->slots[i].task_arn),
                       st->slots[i].status[0] ? st->slots[i].status : "unknown");
}

/* A signal during the wait: stop what the run started, follow it while it
 * stops (at most CLI_SETTLE_MS, starting nothing; a second signal ends the
 * process), and report its final state. */
static void stop_and_settle(session *s, const char *cause)
{
    size_t n = run_state_forget_waiting(&s->st);
    fprintf(stderr, "ecs-tasks run: %s: stopping %zu task(s) (a second signal exits at once)\n",
            cause, n);
    launch_stop_all(&s->env, s->props.cluster, &s->st, CLI_CANCEL_REASON);
    int code = cancel_exit_code();
    if (n == 0) {
        set_outcome(s, "CANCELLED", code, format("%s: no task was running", cause));
        return;
    }
    run_env env = s->env;
    env.cancel = NULL;
    env.clock = clk_system();
    ecs_props settle = s->props;
    int64_t now = clk_now(env.clock);
    settle.poll_interval_s =
        settle.poll_interval_s < CLI_SETTLE_POLL_S ? settle.poll_interval_s : CLI_SETTLE_POLL_S;
    settle.timeout_s = (int)((now - s->st.first_receipt_ms + 2 * CLI_SETTLE_MS) / 1000);
    settle.stop_on_timeout = 0;
    settle.start_retries = 0;
    settle.rerun_on_interruption = 0;
    run_status rs = run_wait(&env, &settle, &s->st, now + CLI_SETTLE_MS, &s->res);
    char before[128];
    snprintf(before, sizeof before, "%s: the task(s) were stopped. ", cause);
    if (rs == RUN_FAILED) {
        fail(s, "CANCELLED", code, before, &s->res.why);
    } else if (rs == RUN_SUCCESS) {
        fprintf(stderr, "ecs-tasks run: %s: the task(s) stopped (exit code %d)\n", cause,
                s->res.exit_code);
        set_outcome(s, "CANCELLED", code,
                    format("%sexit code %d", before, s->res.has_exit_code ? s->res.exit_code : 0));
    } else {
        buf running;
        buf_init(&running, 8192);
        still_running(&s->st, &running);
        reason why = {0};
        reason_set(&why, "StopTask was sent, but %s had not stopped after %d s", buf_cstr(&running),
                   CLI_SETTLE_MS / 1000);
        fail(s, "CANCELLED", code, before, &why);
        reason_free(&why);
        buf_free(&running);
    }
}

static void wait_for_tasks(session *s)
{
    run_status rs = run_wait(&s->env, &s->props, &s->st, 0, &s->res);
    if (rs != RUN_CANCELLED) {
        judged(s);
        return;
    }
    char cause[64];
    snprintf(cause, sizeof cause, "cancelled by %s", cancel_signal_name());
    if (!s->o->n_attach) {
        stop_and_settle(s, cause);
        return;
    }
    buf arns;
    buf_init(&arns, 8192);
    still_running(&s->st, &arns);
    fprintf(stderr, "ecs-tasks run: detached (%s): left running: %s\n", cancel_signal_name(),
            arns.len ? buf_cstr(&arns) : "none");
    set_outcome(s, "DETACHED", cancel_exit_code(),
                format("detached by %s; the tasks keep running", cancel_signal_name()));
    buf_free(&arns);
}

/* Starts the tasks (or takes the ones to --attach to) and follows them. */
static void run_tasks(session *s)
{
    if (s->o->n_attach) {
        run_state_follow(&s->st, s->o->attach, s->o->n_attach, clk_now(s->env.clock));
    } else {
        run_status rs = run_start(&s->env, &s->props, &s->st, &s->res);
        if (rs == RUN_CANCELLED) {
            fprintf(stderr, "ecs-tasks run: cancelled by %s before any task started\n",
                    cancel_signal_name());
            set_outcome(s, "CANCELLED", cancel_exit_code(),
                        format("cancelled by %s before any task started", cancel_signal_name()));
            return;
        }
        if (rs != RUN_SUCCESS) {
            fail(s, "FAILED", CLI_EXIT_FAILED, "", &s->res.why);
            return;
        }
    }
    if (!s->o->json)
        display_arns(stdout, &s->st);
    if (s->report)
        report_started(s->report, &s->st);
    if (s->o->no_wait) {
        int code = cancel_exit_code();
        set_outcome(s, code ? "CANCELLED" : "STARTED", code,
                    code ? format("cancelled by %s; the tasks that started keep running",
                                  cancel_signal_name())
                         : NULL);
        return;
    }
    wait_for_tasks(s);
}

/* --- the end ------------------------------------------------------------- */

static void print_document(session *s)
{
    report_outcome out = {.result = s->result,
                          .exit_code = s->code,
                          .reason = s->reason,
                          .cluster = s->props.cluster,
                          .started_by = s->st.started_by[0] ? s->st.started_by : NULL};
    json_t *doc = s->report ? report_document(s->report, &out) : NULL;
    char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
    if (text)
        printf("%s\n", text);
    else
        fprintf(stderr, "ecs-tasks run: --json: out of memory\n");
    fflush(stdout);
    free(text);
    json_decref(doc);
}

static void finish(session *s)
{
    if (s->o->json)
        print_document(s);
    if (!github_active())
        return;
    const char *arns[RUN_MAX_TASKS];
    size_t n = run_state_arns(&s->st, arns);
    char why[512];
    if (github_write_outputs(arns, n, s->code, why, sizeof why) != 0)
        fprintf(stderr, "ecs-tasks run: %s\n", why);
    if (s->code != 0) {
        char *masked = redact_dup(s->r, s->reason ? s->reason : "failed");
        github_error(stderr, masked ? masked : "failed (out of memory)");
        free(masked);
    }
}

/* Everything after the options were read. */
static int execute(session *s)
{
    const run_options *o = s->o;
    char why[2048];
    /* Usage errors first: they need no AWS configuration. */
    if (naming_validate(o->props, &s->props, why, sizeof why) != 0) {
        fprintf(stderr, "ecs-tasks run: %s\n(see ecs-tasks run --help)\n", why);
        return CLI_EXIT_USAGE;
    }
    props_free(&s->props);
    cancel_arm();
    int code = prepare(s, o->props);
    if (code == CLI_EXIT_USAGE)
        return code;
    s->env = (run_env){.aws = s->aws,
                       .clock = cancel_clock(),
                       .progress = on_progress,
                       .progress_ctx = s,
                       .stop_reason = "ecs-tasks run: --timeout passed",
                       .redactor = s->r,
                       .cancel = cancel_flag()};
    s->st.first_receipt_ms = clk_now(s->env.clock);
    token_random_hex(s->st.client_token, sizeof s->st.client_token);
    if (o->started_by)
        snprintf(s->st.started_by, sizeof s->st.started_by, "%s", o->started_by);
    else if (!o->n_attach)
        snprintf(s->st.started_by, sizeof s->st.started_by, "ecs-tasks-run-%.8s",
                 s->st.client_token);
    if (code < 0 && o->dry_run) {
        dry_run(s);
        return s->code;
    }
    if (code < 0) {
        if (o->json)
            s->report = report_new(s->r);
        if ((o->logs && !o->no_wait) || o->json) {
            const char *td = o->n_attach ? NULL : s->props.task_definition;
            s->follower = follow_new(s->aws, o->logs ? td : NULL, s->r,
                                     o->logs && !o->no_wait ? s->logs_out : NULL);
            follow_set_groups(s->follower, github_active());
        }
        run_tasks(s);
    }
    finish(s);
    return s->code;
}

int cli_run(int argc, char **argv)
{
    run_options o;
    int code = options_parse(argc, argv, &o);
    if (code < 0) {
        session s = {.o = &o, .logs_out = o.json ? stderr : stdout};
        display_init(&s.view, stderr);
        code = execute(&s);
        cancel_disarm();
        follow_free(s.follower);
        report_free(s.report);
        run_result_free(&s.res);
        props_free(&s.props);
        json_decref(s.resolved);
        aws_client_free(s.aws);
        log_set_redactor(NULL);
        redact_free(s.r);
        free(s.reason);
    }
    options_free(&o);
    return code;
}
