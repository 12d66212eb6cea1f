/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secrets: dynamic references to secure values, resolved by us.
 *
 * CloudFormation does not resolve {{resolve:secretsmanager:...}} or
 * {{resolve:ssm-secure:...}} for custom resources, so every string in the
 * properties is searched and each reference replaced by its value:
 *
 *   {{resolve:secretsmanager:SECRET_ID[:SecretString[:JSON_KEY[:VERSION_STAGE[:VERSION_ID]]]]}}
 *   {{resolve:ssm-secure:NAME[:VERSION]}}
 *
 * SECRET_ID may be a name or a full ARN (whose own colons are kept).
 *
 * Every value fetched is registered with the request's redactor before it is
 * used (the whole SecretString too when a JSON key is taken from it), so it
 * is masked in logs, AWS error messages, the Reason and the CLI's output. A
 * value shorter than REDACT_MIN_LEN characters is refused: it cannot be told
 * apart from ordinary text, so it could not be masked without garbling every
 * message, and it is not worth calling a secret.
 *
 * Properties are validated before they are resolved, so a validation message
 * quotes what the user wrote (the reference), never a resolved value.
 */
#ifndef ECS_ENGINE_SECRETS_H
#define ECS_ENGINE_SECRETS_H

#include <jansson.h>
#include <stddef.h>

#include "aws/client.h"
#include "engine/props.h"
#include "util/redact.h"

typedef enum { SECRETS_MANAGER, SECRETS_SSM_SECURE } secrets_source;

typedef struct secrets_ref {
    secrets_source source;
    char id[2048];      /* secret id / parameter name (with ":VERSION" for SSM) */
    char json_key[256]; /* "" = the whole SecretString */
    char version_stage[128];
    char version_id[128];
} secrets_ref;

/* Fetches one stored value: the SecretString (at ref's stage or version) or
 * the SSM parameter's decrypted value, without applying json_key. Sets *value
 * (malloc'd, caller frees) and returns 0, or returns -1 with why set. */
typedef int (*secrets_fetch)(void *ctx, const secrets_ref *ref, char **value, char *why,
                             size_t cap);

/* The fetcher that asks AWS (Secrets Manager GetSecretValue, SSM GetParameter
 * with decryption); ctx is an aws_client. */
int secrets_fetch_aws(void *ctx, const secrets_ref *ref, char **value, char *why, size_t cap);

/* Parses the text between "{{resolve:" and "}}". Returns 0, or -1 with why set. */
int secrets_parse_ref(const char *inner, secrets_ref *out, char *why, size_t cap);

/* Whether any string in value holds a reference. */
int secrets_present(const json_t *value);

/*
 * Replaces every reference in every string of value (modified in place; keys
 * are left alone), registering each fetched value with r. Returns the number
 * of references resolved, or -1 with why naming the reference (never a
 * value) on the first failure.
 */
int secrets_resolve(json_t *value, secrets_fetch fetch, void *ctx, redactor *r, char *why,
                    size_t cap);

/* Applies JSON_KEY: the member of the JSON object in secret_string, as a new
 * string (strings as is, other values JSON-encoded). NULL with why on error. */
char *secrets_json_key(const char *secret_string, const char *key, char *why, size_t cap);

typedef enum {
    SECRETS_LOADED = 0, /* *out holds the resolved, validated properties */
    SECRETS_INVALID,    /* the properties are not valid (why quotes what was written) */
    SECRETS_UNRESOLVED, /* valid, but a reference could not be resolved; *out then
                           holds the unresolved properties (references as written) */
} secrets_load_status;

/*
 * The properties of a request, ready to run: validates raw (borrowed), then,
 * when it holds references, resolves them on a copy with fetch/ctx
 * (registering the values with r) and validates that copy. *resolved owns
 * what *out borrows (json_decref it after props_free, also on failure).
 *
 * `again`: an earlier invocation already ran with these values (a
 * hand-over); they are fetched again so that they are masked here too. When
 * that fails, r is marked blind (redact_set_blind: whatever could hold them
 * is left out) and the unresolved properties are returned as SECRETS_LOADED.
 */
secrets_load_status secrets_load_props(const json_t *raw, secrets_fetch fetch, void *ctx,
                                       redactor *r, int again, ecs_props *out, json_t **resolved,
                                       char *why, size_t cap);

#endif
