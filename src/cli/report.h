/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report: the one JSON document `ecs-tasks run --json` prints on stdout at
 * the end (README: Command line, --json):
 *
 *   {"exitCode": 3, "result": "FAILED", "reason": "Task 0f1e: ...",
 *    "cluster": "prod", "startedBy": "ecs-tasks-run-1a2b3c4d",
 *    "tasks": [{"taskArn", "startedBy", "lastStatus", "stopCode",
 *               "stoppedReason", "createdAt", "startedAt", "stoppedAt",
 *               "containers": [{"name", "exitCode", "reason", "logGroup",
 *                               "logStream"}]}]}
 *
 * result is SUCCESS, FAILED, TIMEOUT, CANCELLED (a signal stopped the run),
 * DETACHED (--attach left on a signal) or STARTED (--no-wait). Every member
 * is always there; what is not known is null. Times are UTC, ISO 8601, to
 * the second. Each task is the last state DescribeTasks gave of it; a task
 * that failed to start and was started again appears once per attempt.
 * Text from AWS (reasons) is masked with the run's redactor and made valid
 * UTF-8; JSON escapes every control character.
 */
#ifndef ECS_CLI_REPORT_H
#define ECS_CLI_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "aws/ecs.h"
#include "engine/run.h"
#include "util/redact.h"

typedef struct run_report run_report;

/* Where a container of a task logs (awslogs with a stream prefix): its group
 * and stream into the buffers; returns 0, or -1 when it does not log there or
 * that is not known. */
typedef int (*report_locator)(void *ctx, const ecs_task *t, const char *container, char *group,
                              size_t group_cap, char *stream, size_t stream_cap);

/* An empty report masking with r (borrowed, may be NULL; must outlive the
 * report). NULL when out of memory. */
run_report *report_new(const redactor *r);

void report_free(run_report *rep);

/* Records the tasks as DescribeTasks described them (borrowed): each
 * replaces what was known of the same task; new ones are added in order.
 * locate (may be NULL) gives each container's log group and stream. */
void report_tasks(run_report *rep, const ecs_task_set *set, report_locator locate, void *ctx);

/* Adds the tasks st follows that no description has named yet (a run that
 * did not wait for them): their ARN, st's startedBy and their last status. */
void report_started(run_report *rep, const run_state *st);

/* How the run ended. Strings are borrowed; NULL is written as null. */
typedef struct report_outcome {
    const char *result;
    int exit_code;
    const char *reason; /* masked again here */
    const char *cluster;
    const char *started_by;
} report_outcome;

/* The document: a new reference, or NULL when out of memory. */
json_t *report_document(const run_report *rep, const report_outcome *out);

/* "2026-11-25T10:00:00Z" for Unix ms, into out (at least 21 bytes); "" for 0. */
void report_time(int64_t ms, char *out, size_t cap);

#endif
