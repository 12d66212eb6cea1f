/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ecs: the Amazon ECS calls the product makes, with parsed, owned results.
 *
 * Every function returns 0, or -1 with err set (the AWS error code and
 * message, e.g. ClusterNotFoundException). Results are plain structs that
 * own their strings; free them with the matching *_free function (safe on a
 * zeroed struct). A string that ECS did not send is NULL, except those an
 * answer cannot lack: a task's ARN, a container's name, a task definition's
 * ARN, at least one container definition and its name. Without them the
 * answer is malformed (AWS_ERR_PARSE).
 */
#ifndef ECS_AWS_ECS_H
#define ECS_AWS_ECS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/client.h"

/* DescribeTasks takes at most this many tasks per call. */
#define ECS_DESCRIBE_BATCH 100

typedef struct ecs_container {
    char *name;
    char *last_status;
    char *reason; /* e.g. "CannotPullContainerError: ..." */
    int has_exit_code;
    int exit_code;
} ecs_container;

typedef struct ecs_task {
    char *arn;
    char *task_definition_arn;
    char *cluster_arn;
    char *last_status;
    char *desired_status;
    char *stopped_reason;
    char *stop_code;
    char *started_by;
    char *group;
    /* createdAt, startedAt, stoppedAt in Unix ms (ECS sends epoch seconds
     * with a fraction); 0 when ECS did not send them. */
    int64_t created_at_ms;
    int64_t started_at_ms;
    int64_t stopped_at_ms;
    ecs_container *containers;
    size_t n_containers;
} ecs_task;

typedef struct ecs_failure {
    char *arn;
    char *reason; /* e.g. "RESOURCE:MEMORY", "MISSING" */
    char *detail;
} ecs_failure;

typedef struct ecs_task_set {
    ecs_task *tasks;
    size_t n_tasks;
    ecs_failure *failures;
    size_t n_failures;
} ecs_task_set;

typedef struct ecs_kv {
    char *name;
    char *value;
} ecs_kv;

typedef struct ecs_container_definition {
    char *name;
    int essential; /* ECS's default (true) when absent */
    ecs_kv *environment;
    size_t n_environment;
    int memory_mib;   /* the container's hard limit; 0 when the definition sets none */
    char *log_driver; /* "awslogs", ... */
    char *awslogs_group;
    char *awslogs_region;
    char *awslogs_stream_prefix;
} ecs_container_definition;

typedef struct ecs_task_definition {
    char *arn;
    char *family;
    int revision;
    char *memory; /* the task's memory in MiB (Fargate), as ECS writes it; NULL when unset */
    ecs_container_definition *containers;
    size_t n_containers;
} ecs_task_definition;

/* What DescribeServices says of a service, as far as a one-off task "like
 * the service" needs it. JSON members are new references in ECS's own
 * (camelCase) shape; NULL when the service has none. */
typedef struct ecs_service {
    char *arn;
    char *launch_type; /* NULL when the service uses a capacity provider strategy */
    char *platform_version;
    json_t *network_configuration;
    json_t *capacity_provider_strategy;
    int has_enable_execute_command;
    int enable_execute_command;
} ecs_service;

/* RunTask / StartTask with a request the caller built (borrowed). */
int ecs_run_task(aws_client *c, const json_t *request, ecs_task_set *out, aws_error *err);
int ecs_start_task(aws_client *c, const json_t *request, ecs_task_set *out, aws_error *err);

/* DescribeTasks of n tasks, in calls of at most ECS_DESCRIBE_BATCH. */
int ecs_describe_tasks(aws_client *c, const char *cluster, const char *const *task_arns, size_t n,
                       ecs_task_set *out, aws_error *err);

/* ListTasks, every page. started_by and desired_status may be NULL (ECS's
 * default status filter is RUNNING). *arns_out is owned by the caller: free
 * with strv_free (util/strv.h). */
int ecs_list_tasks(aws_client *c, const char *cluster, const char *started_by,
                   const char *desired_status, char ***arns_out, size_t *n_out, aws_error *err);

int ecs_stop_task(aws_client *c, const char *cluster, const char *task_arn, const char *reason,
                  aws_error *err);

int ecs_describe_task_definition(aws_client *c, const char *task_definition,
                                 ecs_task_definition *out, aws_error *err);

/* DescribeServices of one service (name or ARN) in cluster. A service ECS
 * does not know (failures[] MISSING, or an INACTIVE one) is an error naming
 * it (code ServiceNotFoundException). Free *out with ecs_service_free. */
int ecs_describe_service(aws_client *c, const char *cluster, const char *service, ecs_service *out,
                         aws_error *err);

void ecs_service_free(ecs_service *s);

/* Parses a RunTask/StartTask/DescribeTasks answer (borrowed) into out
 * (appending). A task must have taskArn and lastStatus, a container a name:
 * an answer without them cannot be judged. Returns 0, or -1 with why (cap
 * bytes) naming what is wrong; out is then freed. Exposed for tests. */
int ecs_parse_task_set(const json_t *answer, ecs_task_set *out, char *why, size_t cap);

void ecs_task_set_free(ecs_task_set *s);
void ecs_task_definition_free(ecs_task_definition *td);

#endif
