/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verdict: is this run finished, did it succeed, and if not, why? (README:
 * Failures and the Reason)
 *
 * Pure: takes the tasks as DescribeTasks last described them and the names of
 * the containers whose exit codes decide, returns a plain struct. The Reason
 * names the task, the container and the exit code, or the stop code and
 * stopped reason when a container has no exit code (it never ran).
 */
#ifndef ECS_ENGINE_VERDICT_H
#define ECS_ENGINE_VERDICT_H

#include <stddef.h>

#include "aws/ecs.h"

typedef enum {
    VERDICT_RUNNING = 0, /* some task has not stopped yet */
    VERDICT_SUCCESS,     /* every task stopped, every checked container exited 0 */
    VERDICT_FAILED,      /* a checked container exited non-zero or has no exit code */
} verdict_status;

typedef struct verdict {
    verdict_status status;
    size_t n_running;  /* tasks not yet STOPPED */
    int has_exit_code; /* of the first checked container of the first task
                          (SUCCESS) or of the failing container (FAILED) */
    int exit_code;
    const ecs_task *failed_task;  /* borrowed from the input; NULL unless FAILED */
    const char *failed_container; /* borrowed; NULL unless FAILED */
    char *reason;                 /* owned; NULL unless FAILED (or out of memory) */
} verdict;

/* The longest reason a verdict writes (the text comes from ECS: masked and
 * cut later, by whoever shows it). */
#define VERDICT_REASON_MAX (64u * 1024u)

/* Judges tasks (n_tasks >= 1) by the containers named in checked. *out must
 * be zeroed before its first use; it is freed and refilled. */
void verdict_judge(const ecs_task *tasks, size_t n_tasks, const char *const *checked,
                   size_t n_checked, verdict *out);

void verdict_free(verdict *v);

#endif
