/* SPDX-License-Identifier: Apache-2.0 */
/*
 * naming: messages about the run's properties that name the option the user
 * of `ecs-tasks run` typed, not the property behind it (cli/options.h turns
 * options into the resource's properties, which the engine validates).
 *
 *   "Count: '11' is not allowed ..."          -> "--count: '11' is not allowed ..."
 *   "Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)"
 *       -> "--overrides: ContainerOverrides[0].Comand: unknown key (did you mean Command?)"
 *   "CheckContainers[1]: '' is not allowed"   -> "--check-container #2: '' is not allowed"
 *   "NetworkConfiguration.AwsvpcConfiguration.SecurityGroups: ..." -> "--security-groups: ..."
 *
 * Pure: no I/O.
 */
#ifndef ECS_CLI_NAMING_H
#define ECS_CLI_NAMING_H

#include <jansson.h>
#include <stddef.h>

#include "engine/props.h"

/* The option that sets a property ("Count" -> "--count"); NULL for one no
 * option sets. A props_namer (engine/props.h). Static strings. */
const char *naming_option(const char *property);

/* Rewrites why (cap bytes) in place as above: a message that starts with a
 * property's path, or with an option followed by a nested path (what
 * props_parse_named with naming_option writes). Anything else is left as it
 * is. */
void naming_explain(char *why, size_t cap);

/* props_parse_named(props, naming_option, ...), then naming_explain. */
int naming_validate(const json_t *props, ecs_props *out, char *why, size_t cap);

#endif
