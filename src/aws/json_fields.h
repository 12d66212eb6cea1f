/*
 * json_fields: reading AWS JSON answers into owned C values, and putting
 * optional members into requests.
 *
 * The typed calls (ecs, logs, secretsmanager, ssm) turn a json_t answer into
 * plain structs. A jf_reader remembers the first problem met while doing so
 * (a required member missing, a member of the wrong type, memory running
 * out) and stays failed from then on: a parser reads every field in straight
 * lines and checks once at the end, and jf_error() then tells the caller
 * which field was wrong (AWS_ERR_PARSE) or that memory ran out
 * (AWS_ERR_INTERNAL).
 *
 * Getters return 1 when the member was read into *dst, 0 when an optional
 * member is absent (dst untouched), -1 on a problem or when the reader has
 * already failed (dst untouched). A JSON null counts as absent: AWS omits
 * empty members, but emulators and proxies sometimes write null instead.
 */
#ifndef ECS_AWS_JSON_FIELDS_H
#define ECS_AWS_JSON_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/error.h"

typedef enum jf_need { JF_OPTIONAL = 0, JF_REQUIRED = 1 } jf_need;

typedef struct jf_reader {
    const char *what;  /* the call, for messages: "ECS RunTask"; borrowed */
    int failed;
    int nomem;
    char problem[160]; /* "taskArn: missing" */
} jf_reader;

void jf_init(jf_reader *r, const char *what);

/* A string member, copied (the caller owns *dst and frees it). */
int jf_str(jf_reader *r, const json_t *obj, const char *key, jf_need need, char **dst);

/* An integer member that fits an int / an int64_t. */
int jf_int(jf_reader *r, const json_t *obj, const char *key, jf_need need, int *dst);
int jf_int64(jf_reader *r, const json_t *obj, const char *key, jf_need need, int64_t *dst);

/* A boolean member, as 0/1. */
int jf_bool(jf_reader *r, const json_t *obj, const char *key, jf_need need, int *dst);

/* A timestamp in the JSON protocol's form (seconds since the epoch, with a
 * fraction), as milliseconds. */
int jf_epoch_ms(jf_reader *r, const json_t *obj, const char *key, jf_need need, int64_t *dst);

/* An array / object member (borrowed from obj), or NULL when absent or on a
 * problem. */
const json_t *jf_array(jf_reader *r, const json_t *obj, const char *key, jf_need need);
const json_t *jf_object(jf_reader *r, const json_t *obj, const char *key, jf_need need);

/* calloc of n elements (at least one, so an empty array is not NULL), or
 * NULL with the reader failed for lack of memory. Caller frees. */
void *jf_calloc(jf_reader *r, size_t n, size_t size);

/* Marks the reader failed for a problem of the caller's own finding. */
void jf_fail(jf_reader *r, const char *key, const char *problem);

/* Fills err from a failed reader: AWS_ERR_INTERNAL when memory ran out,
 * otherwise AWS_ERR_PARSE naming the call and the field. */
void jf_error(const jf_reader *r, aws_error *err);

/* Sets obj[key] to the string value; a NULL value sets nothing (the member is
 * optional in the request). Returns 0, or -1 when obj is NULL or memory runs
 * out. */
int jf_put_str(json_t *obj, const char *key, const char *value);

#endif
