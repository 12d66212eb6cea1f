/* SPDX-License-Identifier: Apache-2.0 */
/*
 * coerce: CloudFormation-shaped values into the shapes the ECS API wants.
 *
 * CloudFormation hands a custom resource every scalar as a string and lets
 * users write keys in PascalCase. ECS wants camelCase keys and real integers
 * and booleans. coerce walks a value against a small schema of the ECS
 * RunTask request (the parts a user may pass through), converting keys to
 * camelCase and scalars to the schema's type. Keys the schema does not know
 * are passed on, camelCased, unchanged in value: ECS may have grown them.
 */
#ifndef ECS_ENGINE_COERCE_H
#define ECS_ENGINE_COERCE_H

#include <jansson.h>
#include <stddef.h>

typedef enum {
    COERCE_ANY = 0, /* passed through as given (keys camelCased when an object) */
    COERCE_STRING,
    COERCE_INT,
    COERCE_BOOL,
    COERCE_OBJECT, /* `fields` lists the known members */
    COERCE_ARRAY,  /* `fields` points at one entry: the element's schema */
} coerce_kind;

typedef struct coerce_field {
    const char *name; /* camelCase; NULL ends a list */
    coerce_kind kind;
    const struct coerce_field *fields;
} coerce_field;

/* The schema of a RunTask request's pass-through members (overrides,
 * networkConfiguration, ...): an object schema, NULL-terminated. */
extern const coerce_field COERCE_RUN_TASK_FIELDS[];

/* "ContainerOverrides" -> "containerOverrides"; writes into out (cap bytes). */
void coerce_camel_case(const char *key, char *out, size_t cap);

/* Parses a boolean in any of its CloudFormation forms: true/false, "true",
 * "false", "yes", "no" (any case). Returns 0 and sets *out, or -1. */
int coerce_bool(const json_t *v, int *out);

/* Parses an integer given as a JSON integer or a string of digits (optional
 * sign). Returns 0 and sets *out, or -1. */
int coerce_int(const json_t *v, long long *out);

/* How much of a value a message quotes. */
#define COERCE_QUOTE_MAX 60

/* A value as validation messages quote it: a string between single quotes,
 * anything else as compact JSON, cut to COERCE_QUOTE_MAX bytes on a character
 * boundary with "..." when longer. Writes into out (cap bytes). */
void coerce_quote(const json_t *v, char *out, size_t cap);

/*
 * Returns a new value: `in` converted along `field`'s schema. `path` names
 * the value in messages ("Overrides"). On a value that cannot be converted,
 * returns NULL and writes why (cap bytes), naming the path, the value and
 * what is allowed, e.g. "Overrides.containerOverrides[0].memory: 'lots' is
 * not an integer".
 */
json_t *coerce_value(const json_t *in, const coerce_field *field, const char *path, char *why,
                     size_t cap);

#endif
