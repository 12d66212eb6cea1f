/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run: start ECS tasks, follow them, start again those that could not start,
 * judge them, stop them.
 *
 * The engine knows nothing of Lambda or of a terminal: the custom resource
 * (cfn/handler.c) and the command line (cli/run.c) call the same functions
 * for the same behaviour. Time is injected (clk) and every wait is bounded by
 * `stop_at`, so a caller with a deadline (a Lambda invocation) gets control
 * back in time to hand the run's state over to its next invocation.
 *
 * A run of Count tasks has Count slots. Each slot holds the task it follows
 * now; when ECS could not start that task for a reason that goes away by
 * itself (engine/verdict.h: capacity, an agent, network-interface
 * provisioning), or a Spot interruption stopped it and RerunOnInterruption
 * is set, the slot waits (10 s, doubling to at most 60 s, never past the
 * Timeout) and its task is started again, at most StartRetries times, while
 * the other slots' tasks keep running. Every start is one RunTask call per
 * round whose clientToken is derived from the run's token and the round
 * (engine/ids.h), so a duplicate delivery starts nothing twice. The run
 * succeeds when every slot's task succeeded; it fails as soon as a slot
 * cannot start (a cause that does not go away, or retries used up), or when
 * every slot is done and one failed.
 */
#ifndef ECS_ENGINE_RUN_H
#define ECS_ENGINE_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/client.h"
#include "aws/ecs.h"
#include "engine/ids.h"
#include "engine/props.h"
#include "engine/reason.h"
#include "util/clock.h"
#include "util/redact.h"

#define RUN_MAX_TASKS 10
/* A task ARN: arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID with a cluster name
 * of up to 255 characters is about 340; ECS sets no lower bound. */
#define RUN_ARN_MAX 512
#define RUN_LOG_TAIL_LINES 20
#define RUN_CAUSES_MAX 512
#define RUN_STATUS_MAX 24
#define RUN_PHASES_MAX 160
/* The wait before a start is tried again: 10 s, doubling, at most 60 s. */
#define RUN_RETRY_FIRST_MS 10000
#define RUN_RETRY_MAX_MS 60000

/* One of the Count tasks of a run, across its attempts. */
typedef struct run_slot {
    char task_arn[RUN_ARN_MAX];  /* the task followed now; "" while waiting to start */
    int attempts;                /* starts made so far */
    int64_t start_at_ms;         /* while waiting: when its next start is due */
    char causes[RUN_CAUSES_MAX]; /* why earlier attempts did not run, "; "-separated */
    char status[RUN_STATUS_MAX]; /* its task's last status seen, "" before the first */
    int64_t status_since_ms;     /* when that status was first seen */
    char phases[RUN_PHASES_MAX]; /* the statuses before it: "PROVISIONING 20s, PENDING 4s" */
} run_slot;

/* What identifies one run and where it stands, across invocations
 * (engine/state.h serialises it). */
typedef struct run_state {
    int64_t first_receipt_ms; /* Timeout counts from here */
    char started_by[IDS_STARTED_BY_MAX + 1];
    char client_token[IDS_TOKEN_LEN + 1];
    int rounds; /* start calls made so far (their tokens: ids_round_token) */
    run_slot slots[RUN_MAX_TASKS];
    size_t n_slots;
} run_state;

/* The ARNs of the tasks followed now, in slot order, into arns (room for
 * RUN_MAX_TASKS; borrowed from st). Returns how many. */
size_t run_state_arns(const run_state *st, const char **arns);

/* Makes st (zeroed by this call) follow n tasks started elsewhere
 * (`ecs-tasks run --attach`): one slot per ARN, in order, each counted as
 * started once, and first_receipt_ms = now. started_by stays empty, so
 * run_wait refuses no task for its startedBy; with props->start_retries 0
 * (and no RerunOnInterruption) it starts nothing. Returns 0, or -1 when n is
 * 0 or above RUN_MAX_TASKS or an ARN is RUN_ARN_MAX characters or longer. */
int run_state_follow(run_state *st, const char *const *arns, size_t n, int64_t now);

/* Forgets the slots that wait to be started again (no task yet), keeping the
 * others in order: after a cancelled wait, run_wait on st then follows only
 * the tasks that did start and starts none. Returns the slots left. */
size_t run_state_forget_waiting(run_state *st);

typedef enum {
    RUN_SUCCESS = 0, /* run_start: under way; run_wait: every task succeeded */
    RUN_FAILED,      /* why says why */
    RUN_CONTINUE,    /* stop_at came first: the tasks still run, wait again later */
    RUN_CANCELLED,   /* *env->cancel was set: nothing more started, nothing stopped */
} run_status;

/* Why a run failed, for the command line's exit codes. */
typedef enum {
    RUN_FAIL_NONE = 0,
    RUN_FAIL_START,       /* a task could not be started, or AWS refused to start it */
    RUN_FAIL_EXIT_CODE,   /* a checked container exited non-zero */
    RUN_FAIL_NO_EXIT,     /* a checked container has no exit code */
    RUN_FAIL_INTERRUPTED, /* a Spot interruption or a termination stopped a task */
    RUN_FAIL_TIMEOUT,
    RUN_FAIL_AWS, /* an AWS error while following the tasks */
} run_failure;

/* What a start or a wait found. Zero it before its first use; the functions
 * that fill it free what it held, and run_result_free releases it. */
typedef struct run_result {
    run_status status;
    run_failure failure;
    reason why;        /* FAILED: the cause and, when known, the failed container's log tail */
    int has_exit_code; /* ExitCode: first checked container (or the failing one) */
    int exit_code;
    char stopped_reason[512]; /* of the first task, or the failing one */
} run_result;

void run_result_free(run_result *res);

/* Called after each DescribeTasks: the run's state (phases included) and the
 * tasks as described (both borrowed), elapsed_ms after the first receipt. */
typedef void (*run_progress)(void *ctx, const run_state *st, const ecs_task_set *tasks,
                             int64_t elapsed_ms);

typedef struct run_env {
    aws_client *aws;
    const clk *clock;
    run_progress progress; /* may be NULL; when set, phase changes are its to show, not logged */
    void *progress_ctx;
    const char *stop_reason;  /* StopTask reason on timeout, e.g. naming the stack */
    const redactor *redactor; /* the request's; when blind, no log lines are fetched (may
                                 be NULL) */
    /* May be NULL. Once *cancel is non-zero (a front end's signal handler
     * sets it), run_start and run_wait return RUN_CANCELLED: it is checked
     * before every start and after every sleep, so give a clock whose sleep
     * returns early once it is set. The engine then stops nothing: the
     * caller decides what becomes of the tasks st names. */
    const volatile sig_atomic_t *cancel;
} run_env;

/*
 * Starts the run: props->count tasks (RunTask), or one task per instance
 * (StartTask), with st->started_by and, for RunTask, the round's token;
 * st->first_receipt_ms, started_by and client_token must be set, the rest
 * zeroed. Returns RUN_SUCCESS when the run is under way (some tasks may wait
 * to be started again), RUN_CANCELLED when env->cancel was set before the
 * start (nothing started), else RUN_FAILED (any task that did start stopped
 * again, so none is left orphaned).
 */
run_status run_start(const run_env *env, const ecs_props *props, run_state *st, run_result *res);

/*
 * Follows the run every props->poll_interval_s, starting again the tasks
 * that wait to be, until every slot is done, the Timeout (from
 * st->first_receipt_ms) passes, or stop_at (Unix ms; 0 = never) is near
 * enough that another poll would not fit. On Timeout the tasks still running
 * are stopped when props->stop_on_timeout.
 *
 * When st->started_by is set, every task described must carry it: a task
 * that does not (a state naming someone else's task) fails the run before
 * anything is judged or stopped.
 *
 * Returns RUN_CANCELLED (res->status too) as soon as env->cancel is seen set,
 * before the next start or poll: the tasks keep running, st still names them.
 */
run_status run_wait(const run_env *env, const ecs_props *props, run_state *st, int64_t stop_at,
                    run_result *res);

#endif
