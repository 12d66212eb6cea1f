/* SPDX-License-Identifier: Apache-2.0 */
/*
 * follow: `ecs-tasks run --logs`, each container's CloudWatch log while its
 * task runs, prefixed by the container name; and where each container logs,
 * for `--json`.
 *
 * The streams come from the awslogs configuration of each task's own task
 * definition (PREFIX/CONTAINER/TASK-ID), read once per definition
 * (DescribeTaskDefinition), so tasks of several definitions (--attach) are
 * followed alike. Each stream is read forward from its head with
 * GetLogEvents' nextForwardToken, so no line is printed twice or skipped.
 * With GitHub groups on, the lines a task gained in one poll are one group
 * (::group::task ID ... ::endgroup::, cli/github.h).
 */
#ifndef ECS_CLI_FOLLOW_H
#define ECS_CLI_FOLLOW_H

#include <stddef.h>
#include <stdio.h>

#include "aws/client.h"
#include "aws/ecs.h"
#include "util/redact.h"

typedef struct log_follower log_follower;

/* A follower printing to out through r (borrowed, may be NULL). out NULL:
 * it prints nothing (not even its errors) and only answers follow_location.
 * task_definition (may be NULL) is read at once, for the tasks whose
 * description names none; NULL, with a message on stderr, when it cannot be
 * read or memory runs out. A task definition named by a task that cannot be
 * read is reported once on stderr (when out is set) and not asked again. */
log_follower *follow_new(aws_client *aws, const char *task_definition, const redactor *r,
                         FILE *out);

/* Wraps each task's new lines in a GitHub Actions group. */
void follow_set_groups(log_follower *f, int on);

/* Prints what each task's streams gained since the last call (nothing when
 * out is NULL). */
void follow_poll(log_follower *f, const ecs_task_set *tasks);

/* Where `container` of task t logs: its awslogs group and stream, into the
 * buffers. Returns 0, or -1 when it does not log with awslogs and a stream
 * prefix or its task definition cannot be read. A report_locator
 * (cli/report.h) with ctx the follower. */
int follow_location(void *f, const ecs_task *t, const char *container, char *group,
                    size_t group_cap, char *stream, size_t stream_cap);

void follow_free(log_follower *f);

#endif
