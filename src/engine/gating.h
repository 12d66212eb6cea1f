/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gating: does this Update run the tasks?
 *
 * An Update runs as a Create unless RunOnUpdate is false, RunOnRollback is
 * false while the stack is in a *ROLLBACK_IN_PROGRESS state, or
 * UpdateCriteria finds no listed environment value changed between the old
 * and the new task definition. gating_update() applies the rule, fetching
 * only what the rule in force needs (DescribeStacks, two
 * DescribeTaskDefinition); the decisions themselves are pure functions on
 * plain values below it. When a lookup fails, the Update fails with that
 * reason rather than guess.
 */
#ifndef ECS_ENGINE_GATING_H
#define ECS_ENGINE_GATING_H

#include <stddef.h>

#include <jansson.h>

#include "aws/client.h"
#include "aws/ecs.h"
#include "engine/props.h"

typedef enum {
    GATING_FAILED = -1, /* a lookup failed: why says which */
    GATING_SKIP = 0,    /* nothing runs; why says which rule */
    GATING_RUN = 1,
} gating_decision;

/* Decides whether an Update of a resource with props (the new properties)
 * runs. stack_id names the stack for DescribeStacks; old_properties (may be
 * NULL) gives the old TaskDefinition. Writes the explanation into why. */
gating_decision gating_update(aws_client *aws, const char *stack_id, const ecs_props *props,
                              const json_t *old_properties, char *why, size_t cap);

/* Whether a stack status is one of the *ROLLBACK_IN_PROGRESS states. */
int gating_is_rollback(const char *stack_status);

/*
 * UpdateCriteria: whether any listed environment value of a listed container
 * differs between the old and the new task definition (a key present in one
 * and absent in the other counts as a change; so does a container present in
 * only one). Writes a one-line explanation into why (cap bytes).
 */
int gating_environment_changed(const props_update_criterion *criteria, size_t n,
                               const ecs_task_definition *old_td, const ecs_task_definition *new_td,
                               char *why, size_t cap);

#endif
