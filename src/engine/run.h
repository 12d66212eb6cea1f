/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run: start ECS tasks, follow them, judge them, stop them.
 *
 * The engine knows nothing of Lambda or of a terminal: the custom resource
 * (cfn/handler.c) and the command line (cli/run.c) call the same functions
 * for the same behaviour. Time is injected (clk) and
 * every wait is bounded by `stop_at`, so a caller with a deadline (a Lambda
 * invocation) gets control back in time to hand over to its next invocation.
 */
#ifndef ECS_ENGINE_RUN_H
#define ECS_ENGINE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "aws/client.h"
#include "aws/ecs.h"
#include "engine/ids.h"
#include "engine/props.h"
#include "util/clock.h"
#include "util/redact.h"

#define RUN_MAX_TASKS 10
/* A task ARN: arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID with a cluster name
 * of up to 255 characters is about 340; ECS sets no lower bound. */
#define RUN_ARN_MAX 512
#define RUN_LOG_TAIL_LINES 10

/* What identifies one run across invocations (serialised by the caller). */
typedef struct run_state {
    int64_t first_receipt_ms; /* Timeout counts from here */
    char started_by[IDS_STARTED_BY_MAX + 1];
    char client_token[IDS_TOKEN_LEN + 1];
    char task_arns[RUN_MAX_TASKS][RUN_ARN_MAX];
    size_t n_tasks;
} run_state;

typedef enum {
    RUN_SUCCESS = 0,
    RUN_FAILED,   /* reason says why */
    RUN_CONTINUE, /* stop_at came first: the tasks still run, wait again later */
} run_status;

/* Why a run failed, for the command line's exit codes. */
typedef enum {
    RUN_FAIL_NONE = 0,
    RUN_FAIL_START,     /* failures[] or an AWS error starting the tasks */
    RUN_FAIL_EXIT_CODE, /* a checked container exited non-zero */
    RUN_FAIL_NO_EXIT,   /* a checked container has no exit code */
    RUN_FAIL_TIMEOUT,
    RUN_FAIL_AWS, /* an AWS error while following the tasks */
} run_failure;

/* The longest Reason the engine writes (the response and the log cut it
 * further, after masking it whole). */
#define RUN_REASON_MAX (256u * 1024u)

/* What a start or a wait found. Zero it before its first use; the functions
 * that fill it free what it held, and run_result_free releases it. */
typedef struct run_result {
    run_status status;
    run_failure failure;
    char *reason;      /* owned; NULL unless FAILED (or out of memory) */
    int has_exit_code; /* ExitCode: first checked container (or the failing one) */
    int exit_code;
    char stopped_reason[512]; /* of the first task, or the failing one */
} run_result;

/* Called after each DescribeTasks with the tasks as described (borrowed). */
typedef void (*run_progress)(void *ctx, const ecs_task_set *tasks, int64_t elapsed_ms);

void run_result_free(run_result *res);

typedef struct run_env {
    aws_client *aws;
    const clk *clock;
    run_progress progress; /* may be NULL */
    void *progress_ctx;
    const char *stop_reason;  /* StopTask reason on timeout, e.g. naming the stack */
    const redactor *redactor; /* the request's; when blind, no log lines are fetched (may
                                 be NULL) */
} run_env;

/*
 * Starts props->count tasks (RunTask), or one task per instance (StartTask),
 * with st->started_by and st->client_token; records their ARNs in st.
 * Returns RUN_SUCCESS when every task started, else RUN_FAILED with the reason
 * (and any task that did start stopped again, so none is left orphaned).
 */
run_status run_start(const run_env *env, const ecs_props *props, run_state *st, run_result *res);

/*
 * Polls every props->poll_interval_s until every task is STOPPED, the Timeout
 * (from st->first_receipt_ms) passes, or stop_at (Unix ms; 0 = never) is
 * near enough that another poll would not fit. On Timeout the tasks still
 * running are stopped when props->stop_on_timeout.
 *
 * When st->started_by is set, every task described must carry it: a task
 * that does not (a state naming someone else's task) fails the run before
 * anything is judged or stopped.
 */
run_status run_wait(const run_env *env, const ecs_props *props, const run_state *st,
                    int64_t stop_at, run_result *res);

/* Stops every task of cluster whose startedBy is started_by and that is still
 * running. Returns 0, or -1 with err when a StopTask call failed (a task
 * already stopped is not a failure). *n_stopped counts the tasks stopped. */
int run_stop_started_by(const run_env *env, const char *cluster, const char *started_by,
                        const char *reason, size_t *n_stopped, aws_error *err);

/*
 * Delete: stops the still-running tasks of the run that physical_id (a task
 * ARN, the resource's PhysicalResourceId) belongs to, when that run was
 * started by the resource `resource_id` (ids.h: its startedBy starts with
 * it). Anything else (an id that is not a task ARN, a task ECS no longer
 * knows, a run of another resource) is left alone and logged. The cluster is
 * taken from the task ARN, else fallback_cluster. Returns 0, or -1 with why
 * when a StopTask call failed for a reason other than "already stopped".
 */
int run_stop_named_run(const run_env *env, const char *physical_id, const char *resource_id,
                       const char *fallback_cluster, const char *reason, char *why, size_t cap);

#endif
