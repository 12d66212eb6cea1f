/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/coerce.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

/* --- the schema: the ECS RunTask API reference, the parts users pass ---- */

static const coerce_field key_value[] = {
    {"name", COERCE_STRING, NULL}, {"value", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field type_value[] = {
    {"type", COERCE_STRING, NULL}, {"value", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field string_elem[] = {{"", COERCE_STRING, NULL}};
static const coerce_field key_value_elem[] = {{"", COERCE_OBJECT, key_value}};
static const coerce_field type_value_elem[] = {{"", COERCE_OBJECT, type_value}};

static const coerce_field container_override[] = {
    {"name", COERCE_STRING, NULL},
    {"command", COERCE_ARRAY, string_elem},
    {"environment", COERCE_ARRAY, key_value_elem},
    {"environmentFiles", COERCE_ARRAY, type_value_elem},
    {"cpu", COERCE_INT, NULL},
    {"memory", COERCE_INT, NULL},
    {"memoryReservation", COERCE_INT, NULL},
    {"resourceRequirements", COERCE_ARRAY, type_value_elem},
    {NULL, 0, NULL}};
static const coerce_field container_override_elem[] = {{"", COERCE_OBJECT, container_override}};
static const coerce_field ephemeral_storage[] = {{"sizeInGiB", COERCE_INT, NULL}, {NULL, 0, NULL}};
static const coerce_field accelerator_override[] = {
    {"deviceName", COERCE_STRING, NULL}, {"deviceType", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field accelerator_override_elem[] = {{"", COERCE_OBJECT, accelerator_override}};

static const coerce_field task_override[] = {
    {"containerOverrides", COERCE_ARRAY, container_override_elem},
    {"cpu", COERCE_STRING, NULL},
    {"memory", COERCE_STRING, NULL},
    {"executionRoleArn", COERCE_STRING, NULL},
    {"taskRoleArn", COERCE_STRING, NULL},
    {"ephemeralStorage", COERCE_OBJECT, ephemeral_storage},
    {"inferenceAcceleratorOverrides", COERCE_ARRAY, accelerator_override_elem},
    {NULL, 0, NULL}};

static const coerce_field awsvpc[] = {{"subnets", COERCE_ARRAY, string_elem},
                                      {"securityGroups", COERCE_ARRAY, string_elem},
                                      {"assignPublicIp", COERCE_STRING, NULL},
                                      {NULL, 0, NULL}};
static const coerce_field network_configuration[] = {{"awsvpcConfiguration", COERCE_OBJECT, awsvpc},
                                                     {NULL, 0, NULL}};
static const coerce_field capacity_provider[] = {{"capacityProvider", COERCE_STRING, NULL},
                                                 {"weight", COERCE_INT, NULL},
                                                 {"base", COERCE_INT, NULL},
                                                 {NULL, 0, NULL}};
static const coerce_field capacity_provider_elem[] = {{"", COERCE_OBJECT, capacity_provider}};
static const coerce_field placement_constraint[] = {
    {"type", COERCE_STRING, NULL}, {"expression", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field placement_constraint_elem[] = {{"", COERCE_OBJECT, placement_constraint}};
static const coerce_field placement_strategy[] = {
    {"type", COERCE_STRING, NULL}, {"field", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field placement_strategy_elem[] = {{"", COERCE_OBJECT, placement_strategy}};
static const coerce_field tag[] = {
    {"key", COERCE_STRING, NULL}, {"value", COERCE_STRING, NULL}, {NULL, 0, NULL}};
static const coerce_field tag_elem[] = {{"", COERCE_OBJECT, tag}};

const coerce_field COERCE_RUN_TASK_FIELDS[] = {
    {"overrides", COERCE_OBJECT, task_override},
    {"launchType", COERCE_STRING, NULL},
    {"capacityProviderStrategy", COERCE_ARRAY, capacity_provider_elem},
    {"networkConfiguration", COERCE_OBJECT, network_configuration},
    {"platformVersion", COERCE_STRING, NULL},
    {"placementConstraints", COERCE_ARRAY, placement_constraint_elem},
    {"placementStrategy", COERCE_ARRAY, placement_strategy_elem},
    {"propagateTags", COERCE_STRING, NULL},
    {"tags", COERCE_ARRAY, tag_elem},
    {"enableExecuteCommand", COERCE_BOOL, NULL},
    {"enableECSManagedTags", COERCE_BOOL, NULL},
    {"group", COERCE_STRING, NULL},
    {NULL, 0, NULL}};

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

static json_t *coerce_scalar(const json_t *in, coerce_kind kind, const char *path, char *why,
                             size_t cap)
{
    char shown[80];
    if (kind == COERCE_INT) {
        long long n;
        if (coerce_int(in, &n) == 0)
            return json_integer(n);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not an integer", path, shown);
        return NULL;
    }
    if (kind == COERCE_BOOL) {
        int b;
        if (coerce_bool(in, &b) == 0)
            return json_boolean(b);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not a boolean (true, false, yes or no)", path, shown);
        return NULL;
    }
    /* COERCE_STRING: numbers and booleans become their text. */
    if (json_is_string(in))
        return json_copy((json_t *)in);
    if (json_is_integer(in) || json_is_real(in) || json_is_boolean(in)) {
        char *text = json_dumps(in, JSON_ENCODE_ANY);
        json_t *s = text ? json_string(text) : NULL;
        free(text);
        return s;
    }
    coerce_quote(in, shown, sizeof shown);
    snprintf(why, cap, "%s: %s is not a string", path, shown);
    return NULL;
}

static const coerce_field *find_field(const coerce_field *fields, const char *camel)
{
    for (const coerce_field *f = fields; f && f->name; f++)
        if (!strcmp(f->name, camel))
            return f;
    return NULL;
}

static const coerce_field any_field = {"", COERCE_ANY, NULL};

static json_t *coerce_object(const json_t *in, const coerce_field *fields, const char *path,
                             char *why, size_t cap)
{
    json_t *out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)in, key, value)
    {
        char camel[256], sub[512];
        coerce_camel_case(key, camel, sizeof camel);
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        const coerce_field *f = find_field(fields, camel);
        json_t *v = coerce_value(value, f ? f : &any_field, sub, why, cap);
        if (!v || json_object_set_new(out, camel, v) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

static json_t *coerce_array(const json_t *in, const coerce_field *elem, const char *path, char *why,
                            size_t cap)
{
    json_t *out = json_array();
    size_t i;
    json_t *value;
    json_array_foreach(in, i, value)
    {
        char sub[512];
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        json_t *v = coerce_value(value, elem ? elem : &any_field, sub, why, cap);
        if (!v || json_array_append_new(out, v) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

json_t *coerce_value(const json_t *in, const coerce_field *field, const char *path, char *why,
                     size_t cap)
{
    char shown[80];
    switch (field->kind) {
    case COERCE_OBJECT:
        if (json_is_object(in))
            return coerce_object(in, field->fields, path, why, cap);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not an object", path, shown);
        return NULL;
    case COERCE_ARRAY:
        if (json_is_array(in))
            return coerce_array(in, field->fields, path, why, cap);
        coerce_quote(in, shown, sizeof shown);
        snprintf(why, cap, "%s: %s is not a list", path, shown);
        return NULL;
    case COERCE_ANY:
        if (json_is_object(in))
            return coerce_object(in, NULL, path, why, cap);
        if (json_is_array(in))
            return coerce_array(in, NULL, path, why, cap);
        return json_copy((json_t *)in);
    default:
        return coerce_scalar(in, field->kind, path, why, cap);
    }
}
