/* SPDX-License-Identifier: Apache-2.0 */
/*
 * overrides: `ecs-tasks run --container NAME --command '...' --env K=V`
 * merged into the --overrides the user gave (README: Command line).
 *
 * ECS takes one override per container, and a second entry for the same
 * container would drop the first one's other members. So --command and --env
 * go into the --overrides entry of that container when there is one (`name`
 * or `Name`): every member it has is kept, --command replaces its command,
 * each --env variable replaces the one of the same name in its environment or
 * is added. Otherwise a new entry is added. Other containers' entries and the
 * task-level members stay as given. Keys may be camelCase or PascalCase; what
 * is added is written in the entry's own case.
 */
#ifndef ECS_CLI_OVERRIDES_H
#define ECS_CLI_OVERRIDES_H

#include <jansson.h>

/* Merges into props' "Overrides" (created when absent): command (an array
 * of strings, or NULL) and environment (an array of {name, value}, or NULL)
 * for container. A member that is not what ECS wants (containerOverrides
 * or environment that is not a list) is left alone for the validation of the
 * properties to refuse with its path. Returns 0, or -1 when memory ran out. */
int overrides_merge(json_t *props, const char *container, const json_t *command,
                    const json_t *environment);

#endif
