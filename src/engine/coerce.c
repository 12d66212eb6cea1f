/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/coerce.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

/* --- the schema: the ECS API reference (RunTask, StartTask), the members
 * users pass; checked against botocore's service model of ECS 2014-11-13 --- */

static const char *const assign_public_ip_values[] = {"ENABLED", "DISABLED", NULL};
static const char *const launch_type_values[] = {"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES",
                                                 NULL};
static const char *const propagate_tags_values[] = {"TASK_DEFINITION", "SERVICE", "NONE", NULL};
static const char *const placement_constraint_values[] = {"distinctInstance", "memberOf", NULL};
static const char *const placement_strategy_values[] = {"random", "spread", "binpack", NULL};
static const char *const environment_file_values[] = {"s3", NULL};
static const char *const resource_type_values[] = {"GPU", "InferenceAccelerator", NULL};

static const coerce_field string_elem[] = {{.name = "", .kind = COERCE_STRING}};

/* KeyValuePair */
static const coerce_field key_value_pair[] = {{.name = "name", .kind = COERCE_STRING},
                                              {.name = "value", .kind = COERCE_STRING},
                                              {.name = NULL}};
static const coerce_field key_value_pair_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = key_value_pair}};

/* EnvironmentFile */
static const coerce_field environment_file[] = {
    {.name = "value", .kind = COERCE_STRING, .required = 1},
    {.name = "type", .kind = COERCE_STRING, .required = 1, .allowed = environment_file_values},
    {.name = NULL}};
static const coerce_field environment_file_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = environment_file}};

/* ResourceRequirement */
static const coerce_field resource_requirement[] = {
    {.name = "value", .kind = COERCE_STRING, .required = 1},
    {.name = "type", .kind = COERCE_STRING, .required = 1, .allowed = resource_type_values},
    {.name = NULL}};
static const coerce_field resource_requirement_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = resource_requirement}};

/* ContainerOverride */
static const coerce_field container_override[] = {
    {.name = "name", .kind = COERCE_STRING},
    {.name = "command", .kind = COERCE_ARRAY, .fields = string_elem},
    {.name = "environment", .kind = COERCE_ARRAY, .fields = key_value_pair_elem},
    {.name = "environmentFiles", .kind = COERCE_ARRAY, .fields = environment_file_elem},
    {.name = "cpu", .kind = COERCE_INT},
    {.name = "memory", .kind = COERCE_INT},
    {.name = "memoryReservation", .kind = COERCE_INT},
    {.name = "resourceRequirements", .kind = COERCE_ARRAY, .fields = resource_requirement_elem},
    {.name = NULL}};
static const coerce_field container_override_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = container_override}};

/* EphemeralStorage */
static const coerce_field ephemeral_storage[] = {
    {.name = "sizeInGiB", .kind = COERCE_INT, .required = 1}, {.name = NULL}};

/* InferenceAcceleratorOverride */
static const coerce_field accelerator_override[] = {{.name = "deviceName", .kind = COERCE_STRING},
                                                    {.name = "deviceType", .kind = COERCE_STRING},
                                                    {.name = NULL}};
static const coerce_field accelerator_override_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = accelerator_override}};

/* TaskOverride: its cpu and memory are strings ("1 vCPU", "512"), unlike a
 * container's. */
static const coerce_field task_override[] = {
    {.name = "containerOverrides", .kind = COERCE_ARRAY, .fields = container_override_elem},
    {.name = "cpu", .kind = COERCE_STRING},
    {.name = "inferenceAcceleratorOverrides",
     .kind = COERCE_ARRAY,
     .fields = accelerator_override_elem},
    {.name = "executionRoleArn", .kind = COERCE_STRING},
    {.name = "memory", .kind = COERCE_STRING},
    {.name = "taskRoleArn", .kind = COERCE_STRING},
    {.name = "ephemeralStorage", .kind = COERCE_OBJECT, .fields = ephemeral_storage},
    {.name = NULL}};

/* NetworkConfiguration, AwsVpcConfiguration */
static const coerce_field awsvpc_configuration[] = {
    {.name = "subnets", .kind = COERCE_ARRAY, .fields = string_elem, .required = 1},
    {.name = "securityGroups", .kind = COERCE_ARRAY, .fields = string_elem},
    {.name = "assignPublicIp", .kind = COERCE_STRING, .allowed = assign_public_ip_values},
    {.name = NULL}};
static const coerce_field network_configuration[] = {
    {.name = "awsvpcConfiguration", .kind = COERCE_OBJECT, .fields = awsvpc_configuration},
    {.name = NULL}};

/* CapacityProviderStrategyItem */
static const coerce_field capacity_provider_item[] = {
    {.name = "capacityProvider", .kind = COERCE_STRING, .required = 1},
    {.name = "weight", .kind = COERCE_INT},
    {.name = "base", .kind = COERCE_INT},
    {.name = NULL}};
static const coerce_field capacity_provider_item_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = capacity_provider_item}};

/* PlacementConstraint */
static const coerce_field placement_constraint[] = {
    {.name = "type", .kind = COERCE_STRING, .allowed = placement_constraint_values},
    {.name = "expression", .kind = COERCE_STRING},
    {.name = NULL}};
static const coerce_field placement_constraint_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = placement_constraint}};

/* PlacementStrategy */
static const coerce_field placement_strategy[] = {
    {.name = "type", .kind = COERCE_STRING, .allowed = placement_strategy_values},
    {.name = "field", .kind = COERCE_STRING},
    {.name = NULL}};
static const coerce_field placement_strategy_elem[] = {
    {.name = "", .kind = COERCE_OBJECT, .fields = placement_strategy}};

/* Tag */
static const coerce_field tag[] = {{.name = "key", .kind = COERCE_STRING},
                                   {.name = "value", .kind = COERCE_STRING},
                                   {.name = NULL}};
static const coerce_field tag_elem[] = {{.name = "", .kind = COERCE_OBJECT, .fields = tag}};

const coerce_field COERCE_RUN_TASK_FIELDS[] = {
    {.name = "overrides", .kind = COERCE_OBJECT, .fields = task_override},
    {.name = "launchType", .kind = COERCE_STRING, .allowed = launch_type_values},
    {.name = "capacityProviderStrategy",
     .kind = COERCE_ARRAY,
     .fields = capacity_provider_item_elem},
    {.name = "networkConfiguration", .kind = COERCE_OBJECT, .fields = network_configuration},
    {.name = "platformVersion", .kind = COERCE_STRING},
    {.name = "placementConstraints", .kind = COERCE_ARRAY, .fields = placement_constraint_elem},
    {.name = "placementStrategy", .kind = COERCE_ARRAY, .fields = placement_strategy_elem},
    {.name = "propagateTags", .kind = COERCE_STRING, .allowed = propagate_tags_values},
    {.name = "tags", .kind = COERCE_ARRAY, .fields = tag_elem},
    {.name = "enableExecuteCommand", .kind = COERCE_BOOL},
    {.name = "enableECSManagedTags", .kind = COERCE_BOOL},
    {.name = "group", .kind = COERCE_STRING},
    {.name = NULL}};

/* --- scalars ------------------------------------------------------------- */

void coerce_camel_case(const char *key, char *out, size_t cap)
{
    snprintf(out, cap, "%s", key);
    if (out[0])
        out[0] = (char)tolower((unsigned char)out[0]);
}

int coerce_bool(const json_t *v, int *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s)
        return -1;
    if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
        *out = 0;
        return 0;
    }
    return -1;
}

int coerce_int(const json_t *v, long long *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = n;
    return 0;
}

void coerce_quote(const json_t *v, char *out, size_t cap)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *shown = json_is_string(v) ? json_string_value(v) : text ? text : "?";
    const char *quote = json_is_string(v) ? "'" : "";
    size_t len = strlen(shown);
    if (len > COERCE_QUOTE_MAX)
        snprintf(out, cap, "%s%.*s...%s", quote, (int)utf8_cut(shown, len, COERCE_QUOTE_MAX - 3),
                 shown, quote);
    else
        snprintf(out, cap, "%s%s%s", quote, shown, quote);
    free(text);
}

/* --- names: misspellings and the case the user writes ------------------ */

/* Longer names are never close to ours (the longest schema name has 29
 * characters), so the rows of the distance table stay on the stack. */
#define NEAR_MAX 64

int coerce_near(const char *given, const char *known)
{
    size_t m = strlen(given), n = strlen(known);
    if (n > NEAR_MAX || m > NEAR_MAX)
        return -1;
    int row[NEAR_MAX + 1], next[NEAR_MAX + 1];
    for (size_t j = 0; j <= n; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= m; i++) {
        next[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int same = tolower((unsigned char)given[i - 1]) == tolower((unsigned char)known[j - 1]);
            int best = row[j - 1] + !same;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (next[j - 1] + 1 < best)
                best = next[j - 1] + 1;
            next[j] = best;
        }
        memcpy(row, next, sizeof row);
    }
    int d = row[n], limit = (int)n / 3 > 2 ? (int)n / 3 : 2;
    return d <= limit ? d : -1;
}

/* Does the user write PascalCase here? A key says so by its first letter;
 * one that starts with no letter keeps what the key above it said. */
static int writes_pascal(const char *key, int above)
{
    if (isupper((unsigned char)key[0]))
        return 1;
    return islower((unsigned char)key[0]) ? 0 : above;
}

/* The case of the last key of a path ("Overrides.ContainerOverrides[0]"):
 * how coerce_value's caller wrote the value's own key. The root of the
 * properties ("") is PascalCase, as CloudFormation writes it. */
static int path_pascal(const char *path)
{
    const char *dot = strrchr(path, '.');
    return writes_pascal(dot ? dot + 1 : path, 1);
}

/* A schema name ("awsvpcConfiguration") as the user would write it. */
static void shown_name(const char *camel, int pascal, char *out, size_t cap)
{
    snprintf(out, cap, "%s", camel);
    if (pascal && out[0])
        out[0] = (char)toupper((unsigned char)out[0]);
}

/* The nearest known name (of a schema's members, of a list of values) to
 * `given`; NULL when none is close. */
static const char *nearest_field(const coerce_field *fields, const char *given)
{
    const char *best = NULL;
    int best_d = -1;
    for (const coerce_field *f = fields; f->name; f++) {
        int d = coerce_near(given, f->name);
        if (d >= 0 && (best_d < 0 || d < best_d)) {
            best = f->name;
            best_d = d;
        }
    }
    return best;
}

static const char *nearest_value(const char *const *values, const char *given)
{
    const char *best = NULL;
    int best_d = -1;
    for (; *values; values++) {
        int d = coerce_near(given, *values);
        if (d >= 0 && (best_d < 0 || d < best_d)) {
            best = *values;
            best_d = d;
        }
    }
    return best;
}

static void unknown_key(const coerce_field *fields, const char *key, int pascal, const char *path,
                        char *why, size_t cap)
{
    char shown[64];
    const char *near = nearest_field(fields, key);
    if (near) {
        shown_name(near, pascal, shown, sizeof shown);
        snprintf(why, cap, "%s: unknown key (did you mean %s?)", path, shown);
        return;
    }
    char known[1024] = "";
    size_t used = 0;
    for (const coerce_field *f = fields; f->name && used < sizeof known; f++) {
        shown_name(f->name, pascal, shown, sizeof shown);
        int n = snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", shown);
        used += n > 0 ? (size_t)n : 0;
    }
    snprintf(why, cap, "%s: unknown key (known keys: %s)", path, known);
}

/* --- strings with a fixed set of values ------------------------------- */

static int is_allowed(const char *const *values, const char *s)
{
    for (; *values; values++)
        if (!strcmp(*values, s))
            return 1;
    return 0;
}

/* ECS takes only these values (exactly: "enabled" is not "ENABLED"). */
static int check_allowed(const json_t *s, const char *const *values, const char *path, char *why,
                         size_t cap)
{
    if (!values || is_allowed(values, json_string_value(s)))
        return 0;
    char shown[80];
    coerce_quote(s, shown, sizeof shown);
    const char *near = nearest_value(values, json_string_value(s));
    if (near) {
        snprintf(why, cap, "%s: %s is not allowed (did you mean %s?)", path, shown, near);
        return -1;
    }
    char list[256] = "";
    size_t used = 0;
    for (const char *const *v = values; *v && used < sizeof list; v++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *v);
        used += n > 0 ? (size_t)n : 0;
    }
    snprintf(why, cap, "%s: %s is not allowed (one of %s)", path, shown, list);
    return -1;
}

static json_t *coerce_string(const json_t *in, const coerce_field *field, const char *path,
                             char *why, size_t cap)
{
    /* Numbers and booleans become their text. */
    json_t *s = NULL;
    if (json_is_string(in)) {
        s = json_copy((json_t *)in);
    } else if (json_is_integer(in) || json_is_real(in) || json_is_boolean(in)) {
        char *text = json_dumps(in, JSON_ENCODE_ANY);
        s = text ? json_string(text) : NULL;
        free(text);
    } else {
        char shown[80];
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not a string", path, shown);
        return NULL;
    }
    if (!s) {
        snprintf(why, cap, "%s: out of memory", path);
        return NULL;
    }
    if (check_allowed(s, field->allowed, path, why, cap) != 0) {
        json_decref(s);
        return NULL;
    }
    return s;
}

static json_t *coerce_scalar(const json_t *in, const coerce_field *field, const char *path,
                             char *why, size_t cap)
{
    char shown[80];
    if (field->kind == COERCE_INT) {
        long long n;
        if (coerce_int(in, &n) == 0)
            return json_integer(n);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not an integer", path, shown);
        return NULL;
    }
    if (field->kind == COERCE_BOOL) {
        int b;
        if (coerce_bool(in, &b) == 0)
            return json_boolean(b);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not a boolean (true, false, yes or no)", path, shown);
        return NULL;
    }
    return coerce_string(in, field, path, why, cap);
}

/* --- objects and lists --------------------------------------------------- */

static const coerce_field *find_field(const coerce_field *fields, const char *camel)
{
    for (const coerce_field *f = fields; f && f->name; f++)
        if (!strcmp(f->name, camel))
            return f;
    return NULL;
}

static const coerce_field any_field = {.name = "", .kind = COERCE_ANY};

static json_t *coerce_node(const json_t *in, const coerce_field *field, const char *path,
                           int pascal, char *why, size_t cap);

/* "Command" and "command" are one key to ECS: given both, one would be lost
 * without a word. Returns the spelling of `camel` other than `key`. */
static const char *other_spelling(const json_t *in, const char *key, const char *camel)
{
    const char *other;
    json_t *value;
    json_object_foreach((json_t *)in, other, value)
    {
        if (!strcmp(other, key))
            continue;
        char c[256];
        coerce_camel_case(other, c, sizeof c);
        if (!strcmp(c, camel))
            return other;
    }
    return "?";
}

/* Every required member of `fields` is in out (camelCase). The message names
 * it in the case the object's own keys (or the key above it) are written. */
static int check_required(const json_t *in, const json_t *out, const coerce_field *fields,
                          const char *path, int pascal, char *why, size_t cap)
{
    void *first = json_object_iter((json_t *)in);
    if (first)
        pascal = writes_pascal(json_object_iter_key(first), pascal);
    for (const coerce_field *f = fields; f && f->name; f++) {
        if (!f->required || json_object_get(out, f->name))
            continue;
        char shown[64];
        shown_name(f->name, pascal, shown, sizeof shown);
        snprintf(why, cap, "%s.%s: required key is missing", path, shown);
        return -1;
    }
    return 0;
}

/* fields NULL: a COERCE_ANY object, whose keys are camelCased, not checked. */
static json_t *coerce_object(const json_t *in, const coerce_field *fields, const char *path,
                             int pascal, char *why, size_t cap)
{
    json_t *out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)in, key, value)
    {
        char camel[256], sub[512];
        coerce_camel_case(key, camel, sizeof camel);
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        const coerce_field *f = fields ? find_field(fields, camel) : &any_field;
        json_t *v = NULL;
        if (!f)
            unknown_key(fields, key, writes_pascal(key, pascal), sub, why, cap);
        else if (json_object_get(out, camel))
            snprintf(why, cap, "%s: given twice (also as %s)", sub, other_spelling(in, key, camel));
        else
            v = coerce_node(value, f, sub, writes_pascal(key, pascal), why, cap);
        if (!v || json_object_set_new(out, camel, v) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    if (check_required(in, out, fields, path, pascal, why, cap) != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static json_t *coerce_array(const json_t *in, const coerce_field *elem, const char *path,
                            int pascal, char *why, size_t cap)
{
    json_t *out = json_array();
    size_t i;
    json_t *value;
    json_array_foreach(in, i, value)
    {
        char sub[512];
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        json_t *v = coerce_node(value, elem ? elem : &any_field, sub, pascal, why, cap);
        if (!v || json_array_append_new(out, v) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* pascal: whether the user writes the keys around this value in PascalCase,
 * for the names messages suggest. */
static json_t *coerce_node(const json_t *in, const coerce_field *field, const char *path,
                           int pascal, char *why, size_t cap)
{
    char shown[80];
    switch (field->kind) {
    case COERCE_OBJECT:
        if (json_is_object(in))
            return coerce_object(in, field->fields, path, pascal, why, cap);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not an object", path, shown);
        return NULL;
    case COERCE_ARRAY:
        if (json_is_array(in))
            return coerce_array(in, field->fields, path, pascal, why, cap);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not a list", path, shown);
        return NULL;
    case COERCE_ANY:
        if (json_is_object(in))
            return coerce_object(in, NULL, path, pascal, why, cap);
        if (json_is_array(in))
            return coerce_array(in, NULL, path, pascal, why, cap);
        return json_copy((json_t *)in);
    default:
        return coerce_scalar(in, field, path, why, cap);
    }
}

json_t *coerce_value(const json_t *in, const coerce_field *field, const char *path, char *why,
                     size_t cap)
{
    return coerce_node(in, field, path, path_pascal(path), why, cap);
}
