/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arn: the one place that reads Amazon Resource Names.
 *
 *   arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
 *
 * ECS task ARNs come in two shapes: task/CLUSTER/ID (current) and task/ID
 * (the old format, before 2018). CloudFormation stack ids are
 * arn:...:cloudformation:REGION:ACCOUNT:stack/NAME/UUID. Every function here
 * gives the same answer for the same odd input (an empty part, a trailing
 * slash, no "arn:" at all), so callers never disagree about what a string is.
 */
#ifndef ECS_UTIL_ARN_H
#define ECS_UTIL_ARN_H

#include <stddef.h>

typedef struct arn_parts {
    char partition[32]; /* "aws", "aws-cn", "aws-us-gov" */
    char service[32];
    char region[32];
    char account[32];
    const char *resource; /* borrowed from the input: everything after the 5th ':' */
} arn_parts;

/* Splits an ARN. Returns 0, or -1 when s is not "arn:" followed by five
 * ':'-separated fields with a non-empty partition, service and resource (or
 * when a field is too long). */
int arn_parse(const char *s, arn_parts *out);

/* Whether s is an ECS task ARN (service ecs, resource task/ID or
 * task/CLUSTER/ID with non-empty parts). */
int arn_is_ecs_task(const char *s);

/* The cluster named in an ECS task ARN (task/CLUSTER/ID). Returns 0, or -1
 * when s is not a task ARN or has the old format without a cluster. */
int arn_ecs_task_cluster(const char *s, char *out, size_t cap);

/* The last '/'-separated part of s (a task id from a task ARN), or s itself.
 * Borrowed from s. */
const char *arn_last_part(const char *s);

/* The stack name of a CloudFormation stack id (stack/NAME/UUID), or s itself
 * when it is not a stack ARN (a stack may be named instead of identified). */
void arn_stack_name(const char *s, char *out, size_t cap);

#endif
