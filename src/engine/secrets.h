/*
 * secrets: dynamic references to secure values, resolved by us (SPEC section 2).
 *
 * CloudFormation does not resolve {{resolve:secretsmanager:...}} or
 * {{resolve:ssm-secure:...}} for custom resources, so every string in the
 * properties is searched and each reference replaced by its value:
 *
 *   {{resolve:secretsmanager:SECRET_ID[:SecretString[:JSON_KEY[:VERSION_STAGE[:VERSION_ID]]]]}}
 *   {{resolve:ssm-secure:NAME[:VERSION]}}
 *
 * SECRET_ID may be a name or a full ARN (whose own colons are kept). Every
 * resolved value is registered with log_add_secret, so it is masked in logs
 * and in the Reason sent to CloudFormation.
 */
#ifndef ECS_ENGINE_SECRETS_H
#define ECS_ENGINE_SECRETS_H

#include <jansson.h>
#include <stddef.h>

typedef enum { SECRETS_MANAGER, SECRETS_SSM_SECURE } secrets_source;

typedef struct secrets_ref {
    secrets_source source;
    char id[2048];      /* secret id / parameter name (with ":VERSION" for SSM) */
    char json_key[256]; /* "" = the whole SecretString */
    char version_stage[128];
    char version_id[128];
} secrets_ref;

/* Fetches one value: sets *value (malloc'd, caller frees) and returns 0, or
 * returns -1 with why set (without the value, which is unknown anyway). */
typedef int (*secrets_fetch)(void *ctx, const secrets_ref *ref, char **value, char *why,
                             size_t cap);

/* Parses the text between "{{resolve:" and "}}". Returns 0, or -1 with why set. */
int secrets_parse_ref(const char *inner, secrets_ref *out, char *why, size_t cap);

/* Whether any string in value holds a reference. */
int secrets_present(const json_t *value);

/*
 * Replaces every reference in every string of value (modified in place; keys
 * are left alone). Returns the number of references resolved, or -1 with why
 * naming the reference (without any secret) on the first failure.
 */
int secrets_resolve(json_t *value, secrets_fetch fetch, void *ctx, char *why, size_t cap);

/* Applies JSON_KEY: the member of the JSON object in secret_string, as a new
 * string (strings as is, other values JSON-encoded). NULL with why on error. */
char *secrets_json_key(const char *secret_string, const char *key, char *why, size_t cap);

#endif
