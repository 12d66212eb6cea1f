/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/overrides.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "environment" -> "Environment", into out (64 bytes). */
static void pascal_of(const char *camel, char out[64])
{
    snprintf(out, 64, "%s", camel);
    out[0] = (char)toupper((unsigned char)out[0]);
}

/* A member of an object from the user, whose keys may be camelCase or
 * PascalCase: `camel` ("environment") or its PascalCase twin. Borrowed. */
static json_t *member_either(json_t *obj, const char *camel)
{
    json_t *v = json_object_get(obj, camel);
    if (v || !json_is_object(obj))
        return v;
    char pascal[64];
    pascal_of(camel, pascal);
    return json_object_get(obj, pascal);
}

/* Sets `camel` in obj (value: a new reference, stolen), written as obj's
 * "name" is written (Name: PascalCase), removing the other spelling so that
 * the value is given once. */
static int set_either(json_t *obj, const char *camel, json_t *value)
{
    char pascal[64];
    pascal_of(camel, pascal);
    int is_pascal = json_object_get(obj, "Name") != NULL;
    json_object_del(obj, is_pascal ? camel : pascal);
    return json_object_set_new(obj, is_pascal ? pascal : camel, value);
}

/* The element of `list` whose name is `name` (the first, if several); NULL
 * when none. */
static json_t *named_entry(json_t *list, const char *name)
{
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        const char *n = json_string_value(member_either(entry, "name"));
        if (n && !strcmp(n, name))
            return entry;
    }
    return NULL;
}

/* One --env variable into a container's environment: replaces the value of
 * a variable of that name, or adds one. */
static int set_variable(json_t *environment, const json_t *variable)
{
    const char *name = json_string_value(json_object_get(variable, "name"));
    json_t *value = json_object_get(variable, "value");
    json_t *given = named_entry(environment, name);
    if (given)
        return set_either(given, "value", json_copy(value));
    return json_array_append_new(environment, json_deep_copy(variable));
}

static int merge_into(json_t *entry, const json_t *command, const json_t *environment)
{
    int rc = 0;
    if (command)
        rc |= set_either(entry, "command", json_deep_copy(command));
    if (!json_array_size(environment))
        return rc;
    json_t *given = member_either(entry, "environment");
    if (!given) {
        given = json_array();
        rc |= set_either(entry, "environment", given);
    }
    if (!json_is_array(given))
        return rc;
    size_t i;
    json_t *variable;
    json_array_foreach(environment, i, variable)
    {
        rc |= set_variable(given, variable);
    }
    return rc;
}

int overrides_merge(json_t *props, const char *container, const json_t *command,
                    const json_t *environment)
{
    if (!command && !json_array_size(environment))
        return 0;
    json_t *ov = json_object_get(props, "Overrides");
    if (!ov) {
        ov = json_object();
        if (json_object_set_new(props, "Overrides", ov) != 0)
            return -1;
    }
    json_t *list = member_either(ov, "containerOverrides");
    if (!list) {
        list = json_array();
        if (json_object_set_new(ov, "containerOverrides", list) != 0)
            return -1;
    }
    if (!json_is_array(list))
        return 0;
    json_t *entry = named_entry(list, container);
    if (!entry) {
        entry = json_pack("{s:s}", "name", container);
        if (json_array_append_new(list, entry) != 0)
            return -1;
    }
    return merge_into(entry, command, environment) ? -1 : 0;
}
