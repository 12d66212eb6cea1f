/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/gating.h"

#include <stdio.h>
#include <string.h>

#include "aws/cloudformation.h"

int gating_is_rollback(const char *stack_status)
{
    const char *suffix = "ROLLBACK_IN_PROGRESS";
    size_t n = strlen(stack_status), m = strlen(suffix);
    return n >= m && !strcmp(stack_status + n - m, suffix);
}

static const ecs_container_definition *find_def(const ecs_task_definition *td, const char *name)
{
    for (size_t i = 0; td && i < td->n_containers; i++)
        if (td->containers[i].name && !strcmp(td->containers[i].name, name))
            return &td->containers[i];
    return NULL;
}

/* The value of an environment variable, or NULL when the container or the
 * variable is absent. */
static const char *env_value(const ecs_container_definition *c, const char *key)
{
    for (size_t i = 0; c && i < c->n_environment; i++)
        if (c->environment[i].name && !strcmp(c->environment[i].name, key))
            return c->environment[i].value ? c->environment[i].value : "";
    return NULL;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

int gating_environment_changed(const props_update_criterion *criteria, size_t n,
                               const ecs_task_definition *old_td, const ecs_task_definition *new_td,
                               char *why, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        const props_update_criterion *c = &criteria[i];
        const ecs_container_definition *before = find_def(old_td, c->container);
        const ecs_container_definition *after = find_def(new_td, c->container);
        for (size_t k = 0; k < c->n_keys; k++) {
            const char *key = c->environment_keys[k];
            if (!same(env_value(before, key), env_value(after, key))) {
                snprintf(why, cap, "UpdateCriteria: %s of container %s changed", key, c->container);
                return 1;
            }
        }
    }
    snprintf(why, cap, "UpdateCriteria: no listed environment value changed");
    return 0;
}

static gating_decision rollback_rule(aws_client *aws, const char *stack_id, char *why, size_t cap)
{
    char status[128], text[1024];
    aws_error err;
    if (cloudformation_stack_status(aws, stack_id, status, sizeof status, &err) != 0) {
        snprintf(why, cap, "RunOnRollback: DescribeStacks failed: %s",
                 aws_error_str(&err, text, sizeof text));
        return GATING_FAILED;
    }
    if (gating_is_rollback(status)) {
        snprintf(why, cap, "the stack is in %s and RunOnRollback is false", status);
        return GATING_SKIP;
    }
    return GATING_RUN;
}

static gating_decision criteria_rule(aws_client *aws, const ecs_props *props, const char *old_td,
                                     char *why, size_t cap)
{
    ecs_task_definition before = {0}, after = {0};
    aws_error err;
    gating_decision d = GATING_FAILED;
    if (ecs_describe_task_definition(aws, old_td, &before, &err) != 0 ||
        ecs_describe_task_definition(aws, props->task_definition, &after, &err) != 0) {
        char text[1024];
        snprintf(why, cap, "UpdateCriteria: DescribeTaskDefinition failed: %s",
                 aws_error_str(&err, text, sizeof text));
    } else {
        d = gating_environment_changed(props->update_criteria, props->n_update_criteria, &before,
                                       &after, why, cap)
                ? GATING_RUN
                : GATING_SKIP;
    }
    ecs_task_definition_free(&before);
    ecs_task_definition_free(&after);
    return d;
}

gating_decision gating_update(aws_client *aws, const char *stack_id, const ecs_props *props,
                              const json_t *old_properties, char *why, size_t cap)
{
    snprintf(why, cap, "the Update runs the tasks");
    if (!props->run_on_update) {
        snprintf(why, cap, "RunOnUpdate is false");
        return GATING_SKIP;
    }
    if (!props->run_on_rollback) {
        gating_decision d = rollback_rule(aws, stack_id, why, cap);
        if (d != GATING_RUN)
            return d;
    }
    const char *old_td = json_string_value(json_object_get(old_properties, "TaskDefinition"));
    if (!props->update_criteria || !old_td)
        return GATING_RUN;
    return criteria_rule(aws, props, old_td, why, cap);
}
