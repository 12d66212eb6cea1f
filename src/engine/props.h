/* SPDX-License-Identifier: Apache-2.0 */
/*
 * props: the Custom::ECSTask resource properties, validated (README: Resource
 * properties).
 *
 * Every scalar accepts its JSON type and its string form (CloudFormation
 * sends "1" and "true"). A validation failure names the property, the value
 * given and what is allowed, e.g.
 *   "Count: '11' is not allowed (an integer from 0 to 10)".
 * Unknown property names are refused, naming the known ones: a typo such as
 * "Timout" would otherwise silently run with the default.
 */
#ifndef ECS_ENGINE_PROPS_H
#define ECS_ENGINE_PROPS_H

#include <jansson.h>
#include <stddef.h>

#define PROPS_MAX_COUNT 10
#define PROPS_MAX_TIMEOUT 3600
#define PROPS_DEFAULT_TIMEOUT 290
#define PROPS_DEFAULT_POLL 10
#define PROPS_MAX_POLL 300
#define PROPS_MAX_INSTANCES 10
#define PROPS_MAX_START_RETRIES 10
#define PROPS_DEFAULT_START_RETRIES 2

typedef struct props_update_criterion {
    const char *container;         /* borrowed from the properties */
    const char **environment_keys; /* owned array of borrowed strings */
    size_t n_keys;
} props_update_criterion;

typedef struct ecs_props {
    const char *cluster;         /* borrowed from the properties object */
    const char *task_definition; /* borrowed */
    int count;
    int timeout_s;
    int poll_interval_s;
    int run_on_update;
    int run_on_rollback;
    int stop_on_timeout;
    props_update_criterion *update_criteria; /* owned; NULL when none */
    size_t n_update_criteria;
    const char **instances; /* owned array of borrowed strings; NULL when none */
    size_t n_instances;
    const char **check_containers; /* owned array of borrowed strings; NULL = essential */
    size_t n_check_containers;
    int check_all;             /* CheckContainers "*": every container of the task decides */
    int start_retries;         /* StartRetries: restarts of a task that failed to start */
    int rerun_on_interruption; /* RerunOnInterruption: restart a Spot-interrupted task */
    const char *service;       /* Service: borrowed; NULL when none */
    json_t *run_task;          /* owned: the RunTask/StartTask members other than
                                  cluster, taskDefinition, count, startedBy and
                                  clientToken (overrides, launchType, ...),
                                  camelCase and typed */
} ecs_props;

/* Validates `properties` (borrowed; must outlive *out). Returns 0, or -1 with
 * why (cap bytes) set; *out is then empty (props_free is still safe). */
int props_parse(const json_t *properties, ecs_props *out, char *why, size_t cap);

/* How a front end names a property in messages (the CLI says "--count" where
 * the custom resource says "Count"): returns the name to show, or NULL to
 * keep the property's. */
typedef const char *(*props_namer)(const char *property);

/* props_parse, with the property that a message starts with named by namer. */
int props_parse_named(const json_t *properties, props_namer namer, ecs_props *out, char *why,
                      size_t cap);

void props_free(ecs_props *p);

#endif
