/*
 * gating: does this Update run the tasks? (SPEC section 3)
 *
 * Pure decisions on plain values; the caller fetches the stack status
 * (DescribeStacks) and the two task definitions (DescribeTaskDefinition)
 * only when the rule in force needs them.
 */
#ifndef ECS_ENGINE_GATING_H
#define ECS_ENGINE_GATING_H

#include <stddef.h>

#include "aws/ecs.h"
#include "engine/props.h"

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
