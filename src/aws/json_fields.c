#include "aws/json_fields.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds since the epoch beyond which a timestamp is not one (year 5138):
 * keeps the conversion to milliseconds far from int64_t overflow. */
#define JF_MAX_EPOCH_S 1e11

void jf_init(jf_reader *r, const char *what)
{
    memset(r, 0, sizeof *r);
    r->what = what;
}

void jf_fail(jf_reader *r, const char *key, const char *problem)
{
    if (r->failed)
        return;
    r->failed = 1;
    snprintf(r->problem, sizeof r->problem, "%s: %s", key, problem);
}

static void fail_nomem(jf_reader *r)
{
    if (!r->failed)
        r->nomem = 1;
    r->failed = 1;
}

/* The member to read, or NULL when there is nothing to read: the reader has
 * failed, the member is absent or null (a problem only when required), or
 * it is not of the wanted type (always a problem). */
static const json_t *member(jf_reader *r, const json_t *obj, const char *key, jf_need need,
                            json_type want, const char *want_name)
{
    if (r->failed)
        return NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (need == JF_REQUIRED)
            jf_fail(r, key, "missing");
        return NULL;
    }
    if (json_typeof(v) != want) {
        char why[64];
        snprintf(why, sizeof why, "not %s", want_name);
        jf_fail(r, key, why);
        return NULL;
    }
    return v;
}

/* What a getter returns when member() gave nothing. */
static int nothing(const jf_reader *r)
{
    return r->failed ? -1 : 0;
}

int jf_str(jf_reader *r, const json_t *obj, const char *key, jf_need need, char **dst)
{
    const json_t *v = member(r, obj, key, need, JSON_STRING, "a string");
    if (!v)
        return nothing(r);
    char *copy = strdup(json_string_value(v));
    if (!copy) {
        fail_nomem(r);
        return -1;
    }
    *dst = copy;
    return 1;
}

int jf_int64(jf_reader *r, const json_t *obj, const char *key, jf_need need, int64_t *dst)
{
    const json_t *v = member(r, obj, key, need, JSON_INTEGER, "an integer");
    if (!v)
        return nothing(r);
    *dst = (int64_t)json_integer_value(v);
    return 1;
}

int jf_int(jf_reader *r, const json_t *obj, const char *key, jf_need need, int *dst)
{
    int64_t wide;
    int rc = jf_int64(r, obj, key, need, &wide);
    if (rc != 1)
        return rc;
    if (wide < INT_MIN || wide > INT_MAX) {
        jf_fail(r, key, "out of range");
        return -1;
    }
    *dst = (int)wide;
    return 1;
}

int jf_bool(jf_reader *r, const json_t *obj, const char *key, jf_need need, int *dst)
{
    if (r->failed)
        return -1;
    const json_t *v = json_object_get(obj, key);
    /* true and false are two JSON types, so member() cannot check them. */
    if (v && json_is_boolean(v)) {
        *dst = json_is_true(v);
        return 1;
    }
    if (v && !json_is_null(v)) {
        jf_fail(r, key, "not a boolean");
        return -1;
    }
    if (need == JF_REQUIRED)
        jf_fail(r, key, "missing");
    return nothing(r);
}

int jf_epoch_ms(jf_reader *r, const json_t *obj, const char *key, jf_need need, int64_t *dst)
{
    if (r->failed)
        return -1;
    const json_t *v = json_object_get(obj, key);
    if (v && json_is_number(v)) {
        double s = json_number_value(v);
        if (s < 0 || s > JF_MAX_EPOCH_S) {
            jf_fail(r, key, "not a timestamp");
            return -1;
        }
        *dst = (int64_t)llround(s * 1000.0);
        return 1;
    }
    if (v && !json_is_null(v)) {
        jf_fail(r, key, "not a number");
        return -1;
    }
    if (need == JF_REQUIRED)
        jf_fail(r, key, "missing");
    return nothing(r);
}

const json_t *jf_array(jf_reader *r, const json_t *obj, const char *key, jf_need need)
{
    return member(r, obj, key, need, JSON_ARRAY, "an array");
}

const json_t *jf_object(jf_reader *r, const json_t *obj, const char *key, jf_need need)
{
    return member(r, obj, key, need, JSON_OBJECT, "an object");
}

void *jf_calloc(jf_reader *r, size_t n, size_t size)
{
    if (r->failed)
        return NULL;
    void *p = calloc(n ? n : 1, size);
    if (!p)
        fail_nomem(r);
    return p;
}

void jf_error(const jf_reader *r, aws_error *err)
{
    if (r->nomem)
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "%s: out of memory", r->what);
    else
        aws_error_set(err, 200, AWS_ERR_PARSE, "%s: unexpected answer (%s)", r->what,
                      r->problem);
}

int jf_put_str(json_t *obj, const char *key, const char *value)
{
    if (!obj)
        return -1;
    if (!value)
        return 0;
    return json_object_set_new(obj, key, json_string(value));
}
