#include "engine/gating.h"

#include <stdio.h>
#include <string.h>

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
