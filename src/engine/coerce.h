/* SPDX-License-Identifier: Apache-2.0 */
/*
 * coerce: CloudFormation-shaped values into the shapes the ECS API wants.
 *
 * CloudFormation hands a custom resource every scalar as a string and lets
 * users write keys in PascalCase. ECS wants camelCase keys and real integers
 * and booleans. coerce walks a value against a schema of the ECS RunTask and
 * StartTask request members a user may pass through (written from the ECS API
 * reference: TaskOverride, ContainerOverride, NetworkConfiguration, ...),
 * converting keys to camelCase and scalars to the schema's type.
 *
 * The schema is strict, because ECS is not: it ignores a member it does not
 * know, so a misspelt "Comand" would run the task with its default command
 * and succeed. A key the schema does not know is refused, naming the nearest
 * known key ("Overrides.ContainerOverrides[0].Comand: unknown key (did you
 * mean Command?)"); so are a missing required member and a value outside an
 * enumeration (ECS would refuse those itself, but later and less clearly).
 * The price: a member ECS adds later is refused until the schema learns it.
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
    COERCE_OBJECT, /* `fields` lists the known members; any other key is refused */
    COERCE_ARRAY,  /* `fields` points at one entry: the element's schema */
} coerce_kind;

typedef struct coerce_field {
    const char *name; /* camelCase; NULL ends a list */
    coerce_kind kind;
    const struct coerce_field *fields;
    int required;               /* an object without this member is refused */
    const char *const *allowed; /* COERCE_STRING: the only values ECS takes
                                   (NULL-terminated); NULL = any string */
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

/* How far a misspelling may be from a known name to be suggested: the edit
 * distance (Levenshtein, ignoring case) of `given` to `known`, when it is at
 * most 2 or a third of the known name's length; otherwise -1. */
int coerce_near(const char *given, const char *known);

/*
 * Returns a new value: `in` converted along `field`'s schema. `path` names
 * the value in messages ("Overrides"). On a value that cannot be converted,
 * returns NULL and writes why (cap bytes), naming the path as the user wrote
 * its keys, the value and what is allowed, e.g.
 *   "Overrides.containerOverrides[0].memory: 'lots' is not an integer"
 *   "Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)"
 * Names are suggested in the case the user writes them (PascalCase when the
 * key, or for a missing member the key above it, starts with a capital).
 */
json_t *coerce_value(const json_t *in, const coerce_field *field, const char *path, char *why,
                     size_t cap);

#endif
