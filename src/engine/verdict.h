/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verdict: how did one stopped task end, and what does that mean? Pure: takes
 * a task as DescribeTasks described it and returns plain values.
 *
 * A stopped task ended in one of four ways:
 *   SUCCEEDED    every checked container exited 0;
 *   FAILED       a checked container exited non-zero, or has no exit code;
 *   NOT_STARTED  ECS could not start it for a reason that goes away by
 *                itself (stop code TaskFailedToStart because of capacity or
 *                network-interface provisioning): start it again;
 *   INTERRUPTED  its infrastructure stopped it (SpotInterruption,
 *                TerminationNotice) before the checked containers exited.
 * The reason says it in words a user can act on: the task, each checked
 * container's exit code or reason, and what the stop code means (exit 137
 * with OutOfMemoryError is "killed for exceeding its memory limit of 512
 * MiB"; SpotInterruption is "Spot capacity was reclaimed").
 *
 * The transient reasons (README: Failures to start): RunTask failures[]
 * whose reason is RESOURCE:* (CPU, MEMORY, PORTS, ENI, GPU ...), AGENT, or
 * "Capacity is unavailable at this time"; a stopped reason with
 * "network interface provisioning", RESOURCE:* or "Capacity is
 * unavailable". Anything else (ATTRIBUTE, MISSING, INACTIVE,
 * CannotPullContainerError, ...) is not transient.
 */
#ifndef ECS_ENGINE_VERDICT_H
#define ECS_ENGINE_VERDICT_H

#include <stddef.h>

#include "aws/ecs.h"

typedef enum {
    TASK_RUNNING = 0, /* not STOPPED yet */
    TASK_SUCCEEDED,
    TASK_FAILED,
    TASK_NOT_STARTED,
    TASK_INTERRUPTED,
} task_outcome;

/* Which containers decide, and what is known of their memory limits. */
typedef struct verdict_checks {
    const char *const *names; /* borrowed; ignored when all */
    size_t n;
    int all;                     /* every container of the task decides */
    const ecs_kv *memory_limits; /* container name -> limit in MiB ("512"); may be NULL */
    size_t n_memory_limits;
} verdict_checks;

typedef struct task_verdict {
    task_outcome outcome;
    int has_exit_code; /* of the first checked container (SUCCEEDED), or the failing one */
    int exit_code;
    const char *container; /* the failing checked container (borrowed from the task), or NULL */
    char *reason;          /* owned: "Task ID: ..." for FAILED, NOT_STARTED, INTERRUPTED */
} task_verdict;

/* The longest reason a verdict writes (the text comes from ECS: masked and
 * cut later, by whoever shows it). */
#define VERDICT_REASON_MAX (64u * 1024u)

/* Judges t. *out must be zeroed before its first use; it is freed and refilled. */
void verdict_task(const ecs_task *t, const verdict_checks *checks, task_verdict *out);

void verdict_free(task_verdict *v);

/* Whether a RunTask/StartTask failures[] reason, or a task's stopped reason,
 * names a cause that goes away by itself. */
int verdict_transient(const char *reason);

/* What a stop code means, in words ("Spot capacity was reclaimed"), or NULL
 * for a code with nothing to add. Borrowed, static. */
const char *verdict_stop_code_words(const char *stop_code);

#endif
