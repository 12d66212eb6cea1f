/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/props.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/coerce.h"
#include "util/buf.h"
#include "util/strv.h"

/* The RunTask members a user may pass, by their CloudFormation names. */
static const char *const pass_through[] = {"Overrides",
                                           "LaunchType",
                                           "CapacityProviderStrategy",
                                           "NetworkConfiguration",
                                           "PlatformVersion",
                                           "PlacementConstraints",
                                           "PlacementStrategy",
                                           "PropagateTags",
                                           "Tags",
                                           "EnableExecuteCommand",
                                           "EnableECSManagedTags",
                                           "Group",
                                           NULL};

static const char *const own_names[] = {"ServiceToken",
                                        "Cluster",
                                        "TaskDefinition",
                                        "Count",
                                        "Timeout",
                                        "PollInterval",
                                        "RunOnUpdate",
                                        "RunOnRollback",
                                        "UpdateCriteria",
                                        "Instances",
                                        "Triggers",
                                        "StopOnTimeout",
                                        "CheckContainers",
                                        "StartRetries",
                                        "RerunOnInterruption",
                                        "Service",
                                        NULL};

static void append_names(buf *b, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(*names, "ServiceToken") != 0)
            buf_printf(b, "%s%s", b->len ? ", " : "", *names);
}

static int check_names(const json_t *props, char *why, size_t cap)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)props, key, value)
    {
        if (strv_contains(own_names, key) || strv_contains(pass_through, key))
            continue;
        buf known;
        buf_init(&known, 4096);
        append_names(&known, own_names);
        append_names(&known, pass_through);
        snprintf(why, cap, "%s: unknown property (known: %s)", key, buf_cstr(&known));
        buf_free(&known);
        return -1;
    }
    return 0;
}

static int required_string(const json_t *props, const char *name, const char **out, char *why,
                           size_t cap)
{
    const json_t *v = json_object_get(props, name);
    const char *s = json_string_value(v);
    if (s && *s) {
        *out = s;
        return 0;
    }
    if (!v) {
        snprintf(why, cap, "%s: required property is missing", name);
    } else {
        char text[80];
        coerce_quote(v, text, sizeof text);
        snprintf(why, cap, "%s: %s is not allowed (a non-empty string)", name, text);
    }
    return -1;
}

static int ranged_int(const json_t *props, const char *name, int lo, int hi, int fallback, int *out,
                      char *why, size_t cap)
{
    const json_t *v = json_object_get(props, name);
    if (!v) {
        *out = fallback;
        return 0;
    }
    long long n;
    if (coerce_int(v, &n) == 0 && n >= lo && n <= hi) {
        *out = (int)n;
        return 0;
    }
    char text[80];
    coerce_quote(v, text, sizeof text);
    snprintf(why, cap, "%s: %s is not allowed (an integer from %d to %d)", name, text, lo, hi);
    return -1;
}

static int boolean(const json_t *props, const char *name, int fallback, int *out, char *why,
                   size_t cap)
{
    const json_t *v = json_object_get(props, name);
    if (!v) {
        *out = fallback;
        return 0;
    }
    if (coerce_bool(v, out) == 0)
        return 0;
    char text[80];
    coerce_quote(v, text, sizeof text);
    snprintf(why, cap, "%s: %s is not allowed (true, false, yes or no)", name, text);
    return -1;
}

/* A list of non-empty strings (at most max; 0 = no limit) as an owned array
 * of borrowed pointers. An absent property leaves *out NULL. */
static int string_list(const json_t *props, const char *name, size_t max, const char ***out,
                       size_t *n, char *why, size_t cap)
{
    const json_t *v = json_object_get(props, name);
    *out = NULL;
    *n = 0;
    if (!v)
        return 0;
    char text[80];
    if (!json_is_array(v) || (max && json_array_size(v) > max)) {
        coerce_quote(v, text, sizeof text);
        if (max)
            snprintf(why, cap, "%s: %s is not allowed (a list of at most %zu strings)", name, text,
                     max);
        else
            snprintf(why, cap, "%s: %s is not allowed (a list of strings)", name, text);
        return -1;
    }
    size_t count = json_array_size(v);
    *out = calloc(count ? count : 1, sizeof **out);
    if (!*out) {
        snprintf(why, cap, "%s: out of memory", name);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s || !*s) {
            coerce_quote(json_array_get(v, i), text, sizeof text);
            snprintf(why, cap, "%s[%zu]: %s is not allowed (a non-empty string)", name, i, text);
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[i] = s;
    }
    *n = count;
    return 0;
}

static int update_criteria(const json_t *props, ecs_props *p, char *why, size_t cap)
{
    const json_t *v = json_object_get(props, "UpdateCriteria");
    if (!v)
        return 0;
    char text[80];
    if (!json_is_array(v)) {
        coerce_quote(v, text, sizeof text);
        snprintf(why, cap,
                 "UpdateCriteria: %s is not allowed (a list of {Container, EnvironmentKeys})",
                 text);
        return -1;
    }
    size_t count = json_array_size(v);
    p->update_criteria = calloc(count ? count : 1, sizeof *p->update_criteria);
    if (!p->update_criteria)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const json_t *item = json_array_get(v, i);
        props_update_criterion *c = &p->update_criteria[i];
        p->n_update_criteria = i + 1;
        char name[64];
        snprintf(name, sizeof name, "UpdateCriteria[%zu]", i);
        const char *container = json_string_value(json_object_get(item, "Container"));
        if (!json_is_object(item) || !container || !*container) {
            coerce_quote(item, text, sizeof text);
            snprintf(why, cap,
                     "%s: %s is not allowed (an object with a Container name and "
                     "EnvironmentKeys)",
                     name, text);
            return -1;
        }
        c->container = container;
        snprintf(name, sizeof name, "UpdateCriteria[%zu].EnvironmentKeys", i);
        json_t *keys = json_object_get(item, "EnvironmentKeys");
        if (!keys) {
            snprintf(why, cap, "%s: required (the environment variable names to compare)", name);
            return -1;
        }
        /* string_list reads a named member: give it one under the full path. */
        json_t *wrapper = json_pack("{s:O}", name, keys);
        int rc = string_list(wrapper, name, 0, &c->environment_keys, &c->n_keys, why, cap);
        json_decref(wrapper);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int run_task_members(const json_t *props, ecs_props *p, char *why, size_t cap)
{
    static const coerce_field top = {
        .name = "", .kind = COERCE_OBJECT, .fields = COERCE_RUN_TASK_FIELDS};
    json_t *given = json_object();
    for (const char *const *name = pass_through; *name; name++) {
        json_t *v = json_object_get(props, *name);
        if (v)
            json_object_set(given, *name, v);
    }
    /* Coerce under a root named "" so that paths read "Overrides.cpu". */
    p->run_task = coerce_value(given, &top, "", why, cap);
    json_decref(given);
    if (!p->run_task)
        memmove(why, why + (why[0] == '.'), strlen(why + (why[0] == '.')) + 1);
    return p->run_task ? 0 : -1;
}

/* CheckContainers: a list of container names, or "*" (every container). */
static int check_containers(const json_t *props, ecs_props *p, char *why, size_t cap)
{
    const json_t *v = json_object_get(props, "CheckContainers");
    const char *s = json_string_value(v);
    if (s && !strcmp(s, "*")) {
        p->check_all = 1;
        return 0;
    }
    if (v && !json_is_array(v)) {
        char text[80];
        coerce_quote(v, text, sizeof text);
        snprintf(why, cap,
                 "CheckContainers: %s is not allowed (a list of container names, or \"*\" for "
                 "every container)",
                 text);
        return -1;
    }
    if (string_list(props, "CheckContainers", 0, &p->check_containers, &p->n_check_containers, why,
                    cap) != 0)
        return -1;
    for (size_t i = 0; i < p->n_check_containers; i++)
        if (!strcmp(p->check_containers[i], "*")) {
            if (p->n_check_containers > 1) {
                snprintf(why, cap, "CheckContainers: \"*\" stands alone (every container)");
                return -1;
            }
            p->check_all = 1;
        }
    return 0;
}

/* StartTask takes none of RunTask's placement members: refused rather than
 * sent (ECS would reject the call, or worse, ignore them). */
static int start_task_members(const json_t *props, const ecs_props *p, char *why, size_t cap)
{
    static const char *const run_task_only[] = {"LaunchType",        "CapacityProviderStrategy",
                                                "PlatformVersion",   "PlacementConstraints",
                                                "PlacementStrategy", NULL};
    if (!p->instances)
        return 0;
    for (const char *const *name = run_task_only; *name; name++)
        if (json_object_get(props, *name)) {
            snprintf(why, cap,
                     "%s: not allowed with Instances (StartTask places the tasks on the given "
                     "instances and takes no %s)",
                     *name, *name);
            return -1;
        }
    return 0;
}

static int optional_string(const json_t *props, const char *name, const char **out, char *why,
                           size_t cap)
{
    *out = NULL;
    return json_object_get(props, name) ? required_string(props, name, out, why, cap) : 0;
}

int props_parse(const json_t *properties, ecs_props *p, char *why, size_t cap)
{
    return props_parse_named(properties, NULL, p, why, cap);
}

/* Renames the property a message starts with ("Count: ..." -> "--count: ..."). */
static void rename_subject(char *why, size_t cap, props_namer namer)
{
    size_t n = strcspn(why, ":.[");
    char property[64];
    if (!namer || n == 0 || n >= sizeof property || !why[n])
        return;
    memcpy(property, why, n);
    property[n] = '\0';
    const char *shown = namer(property);
    if (!shown)
        return;
    char rest[2048];
    snprintf(rest, sizeof rest, "%s", why + n);
    snprintf(why, cap, "%s%s", shown, rest);
}

int props_parse_named(const json_t *properties, props_namer namer, ecs_props *p, char *why,
                      size_t cap)
{
    memset(p, 0, sizeof *p);
    why[0] = '\0';
    int ok =
        json_is_object(properties) && check_names(properties, why, cap) == 0 &&
        required_string(properties, "Cluster", &p->cluster, why, cap) == 0 &&
        required_string(properties, "TaskDefinition", &p->task_definition, why, cap) == 0 &&
        ranged_int(properties, "Count", 0, PROPS_MAX_COUNT, 1, &p->count, why, cap) == 0 &&
        ranged_int(properties, "Timeout", 0, PROPS_MAX_TIMEOUT, PROPS_DEFAULT_TIMEOUT,
                   &p->timeout_s, why, cap) == 0 &&
        ranged_int(properties, "PollInterval", 1, PROPS_MAX_POLL, PROPS_DEFAULT_POLL,
                   &p->poll_interval_s, why, cap) == 0 &&
        boolean(properties, "RunOnUpdate", 1, &p->run_on_update, why, cap) == 0 &&
        boolean(properties, "RunOnRollback", 1, &p->run_on_rollback, why, cap) == 0 &&
        boolean(properties, "StopOnTimeout", 1, &p->stop_on_timeout, why, cap) == 0 &&
        string_list(properties, "Instances", PROPS_MAX_INSTANCES, &p->instances, &p->n_instances,
                    why, cap) == 0 &&
        check_containers(properties, p, why, cap) == 0 &&
        ranged_int(properties, "StartRetries", 0, PROPS_MAX_START_RETRIES,
                   PROPS_DEFAULT_START_RETRIES, &p->start_retries, why, cap) == 0 &&
        boolean(properties, "RerunOnInterruption", 0, &p->rerun_on_interruption, why, cap) == 0 &&
        optional_string(properties, "Service", &p->service, why, cap) == 0 &&
        update_criteria(properties, p, why, cap) == 0 &&
        start_task_members(properties, p, why, cap) == 0 &&
        run_task_members(properties, p, why, cap) == 0;
    if (!json_is_object(properties))
        snprintf(why, cap, "ResourceProperties: not an object");
    if (!ok) {
        rename_subject(why, cap, namer);
        props_free(p);
        return -1;
    }
    return 0;
}

void props_free(ecs_props *p)
{
    for (size_t i = 0; i < p->n_update_criteria; i++)
        free(p->update_criteria[i].environment_keys);
    free(p->update_criteria);
    free(p->instances);
    free(p->check_containers);
    json_decref(p->run_task);
    memset(p, 0, sizeof *p);
}
