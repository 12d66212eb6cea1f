/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stop: stopping a run that is no longer wanted (a deleted resource).
 *
 * Delete stops the still-running tasks of the run the resource's
 * PhysicalResourceId names, found by that task's startedBy, and only when
 * that run belongs to the resource: the cleanup Delete that CloudFormation
 * sends for the old PhysicalResourceId after an Update never touches the new
 * run, and a stack deletion is never blocked by what cannot be found.
 */
#ifndef ECS_ENGINE_STOP_H
#define ECS_ENGINE_STOP_H

#include <stddef.h>

#include "aws/client.h"

/* Stops every task of cluster whose startedBy is started_by and that is still
 * running (ListTasks by startedBy alone: ECS lists RUNNING tasks by default). Returns 0, or -1 with
 * err when a StopTask call failed (a task already stopped, or a cluster gone, is not a failure).
 * *n_stopped counts the tasks stopped. */
int stop_started_by(aws_client *aws, const char *cluster, const char *started_by,
                    const char *reason, size_t *n_stopped, aws_error *err);

/*
 * Stops the still-running tasks of the run that physical_id (a task ARN)
 * belongs to, when that run was started by the resource `resource_id`
 * (engine/ids.h: its startedBy is the resource id, '-', 8 hex). Anything else
 * (an id that is not a task ARN, a task ECS no longer knows, a run of
 * another resource) is left alone and logged. The cluster is taken from the
 * task ARN, else fallback_cluster (else "default"). Returns 0, or -1 with
 * why when a StopTask call failed.
 */
int stop_named_run(aws_client *aws, const char *physical_id, const char *resource_id,
                   const char *fallback_cluster, const char *reason, char *why, size_t cap);

#endif
