/* SPDX-License-Identifier: Apache-2.0 */
/*
 * follow: `ecs-tasks run --logs`, each container's CloudWatch log while its
 * task runs, prefixed by the container name.
 *
 * The streams come from the task definition's awslogs configuration
 * (PREFIX/CONTAINER/TASK-ID). Each stream is read forward from its head with
 * GetLogEvents' nextForwardToken, so no line is printed twice or skipped.
 */
#ifndef ECS_CLI_FOLLOW_H
#define ECS_CLI_FOLLOW_H

#include <stdio.h>

#include "aws/client.h"
#include "aws/ecs.h"
#include "util/redact.h"

typedef struct log_follower log_follower;

/* A follower for the containers of task_definition (DescribeTaskDefinition)
 * that log with awslogs and a stream prefix, printing to out through r
 * (borrowed, may be NULL). NULL, with a message on stderr, when the task
 * definition cannot be read or memory runs out. */
log_follower *follow_new(aws_client *aws, const char *task_definition, const redactor *r,
                         FILE *out);

/* Prints what each task's streams gained since the last call. */
void follow_poll(log_follower *f, const ecs_task_set *tasks);

void follow_free(log_follower *f);

#endif
