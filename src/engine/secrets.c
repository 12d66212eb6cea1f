/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/secretsmanager.h"
#include "aws/ssm.h"
#include "util/buf.h"
#include "util/log.h"

#define REF_OPEN "{{resolve:"
#define REF_CLOSE "}}"
#define SM_PREFIX "secretsmanager:"
#define SSM_PREFIX "ssm-secure:"
/* arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME has 6 colons. */
#define ARN_COLONS 6

/* Copies the next ':'-separated field of *p into out and advances *p past it. */
static void next_field(const char **p, char *out, size_t cap)
{
    const char *end = strchr(*p, ':');
    size_t n = end ? (size_t)(end - *p) : strlen(*p);
    snprintf(out, cap, "%.*s", (int)n, *p);
    *p = end ? end + 1 : *p + n;
}

static int parse_secretsmanager(const char *spec, secrets_ref *out, char *why, size_t cap)
{
    const char *p = spec;
    size_t id_len;
    if (!strncmp(p, "arn:", 4)) {
        const char *q = p;
        for (int i = 0; i < ARN_COLONS && q; i++)
            q = strchr(q + 1, ':');
        q = q ? strchr(q + 1, ':') : NULL;
        id_len = q ? (size_t)(q - p) : strlen(p);
    } else {
        id_len = strcspn(p, ":");
    }
    if (id_len == 0 || id_len >= sizeof out->id) {
        snprintf(why, cap, "{{resolve:secretsmanager:...}} has no secret id");
        return -1;
    }
    snprintf(out->id, sizeof out->id, "%.*s", (int)id_len, p);
    p += id_len;
    if (*p == ':')
        p++;
    char field[256];
    next_field(&p, field, sizeof field);
    if (field[0] && strcmp(field, "SecretString") != 0) {
        snprintf(why, cap,
                 "{{resolve:secretsmanager:%s:%s...}}: only SecretString can be "
                 "resolved",
                 out->id, field);
        return -1;
    }
    next_field(&p, out->json_key, sizeof out->json_key);
    next_field(&p, out->version_stage, sizeof out->version_stage);
    next_field(&p, out->version_id, sizeof out->version_id);
    if (*p) {
        snprintf(why, cap, "{{resolve:secretsmanager:%s...}}: too many fields", out->id);
        return -1;
    }
    return 0;
}

int secrets_parse_ref(const char *inner, secrets_ref *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (!strncmp(inner, SM_PREFIX, strlen(SM_PREFIX))) {
        out->source = SECRETS_MANAGER;
        return parse_secretsmanager(inner + strlen(SM_PREFIX), out, why, cap);
    }
    if (!strncmp(inner, SSM_PREFIX, strlen(SSM_PREFIX))) {
        out->source = SECRETS_SSM_SECURE;
        const char *name = inner + strlen(SSM_PREFIX);
        if (!*name || strlen(name) >= sizeof out->id) {
            snprintf(why, cap, "{{resolve:ssm-secure:...}} has no parameter name");
            return -1;
        }
        snprintf(out->id, sizeof out->id, "%s", name);
        return 0;
    }
    snprintf(why, cap,
             "{{resolve:%.40s...}}: only secretsmanager and ssm-secure references "
             "are resolved by ecs-tasks",
             inner);
    return -1;
}

char *secrets_json_key(const char *secret_string, const char *key, char *why, size_t cap)
{
    json_t *doc = json_loads(secret_string, 0, NULL);
    json_t *v = json_object_get(doc, key);
    char *out = NULL;
    if (!json_is_object(doc))
        snprintf(why, cap, "the secret is not a JSON object, so it has no key '%s'", key);
    else if (!v)
        snprintf(why, cap, "the secret has no JSON key '%s'", key);
    else if (json_is_string(v))
        out = strdup(json_string_value(v));
    else
        out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(doc);
    return out;
}

static int string_has_ref(const char *s)
{
    return strstr(s, REF_OPEN "secretsmanager:") || strstr(s, REF_OPEN "ssm-secure:");
}

int secrets_present(const json_t *value)
{
    if (json_is_string(value))
        return string_has_ref(json_string_value(value)) != 0;
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object(value))
        json_object_foreach((json_t *)value, key, v) if (secrets_present(v)) return 1;
    if (json_is_array(value))
        json_array_foreach(value, i, v) if (secrets_present(v)) return 1;
    return 0;
}

/* The value a reference stands for: fetched, registered with r whole, and
 * narrowed to its JSON key when it names one. NULL with why on failure. */
static char *value_of(const secrets_ref *ref, const char *written, secrets_fetch fetch, void *ctx,
                      redactor *r, char *why, size_t cap)
{
    char *stored = NULL;
    if (fetch(ctx, ref, &stored, why, cap) != 0)
        return NULL;
    redact_add(r, stored);
    char *value = stored;
    if (ref->json_key[0]) {
        char inner[512];
        value = secrets_json_key(stored, ref->json_key, inner, sizeof inner);
        free(stored);
        if (!value) {
            snprintf(why, cap, "{{resolve:%s}}: %s", written, inner);
            return NULL;
        }
        redact_add(r, value);
    }
    if (strlen(value) < REDACT_MIN_LEN) {
        snprintf(why, cap,
                 "{{resolve:%s}} resolves to a value shorter than %d characters, which ecs-tasks "
                 "cannot mask in its output; use a longer value",
                 written, REDACT_MIN_LEN);
        free(value);
        return NULL;
    }
    return value;
}

/* Resolves the references of one string into out. Returns how many, or -1. */
static int resolve_string(const char *s, buf *out, secrets_fetch fetch, void *ctx, redactor *r,
                          char *why, size_t cap)
{
    int count = 0;
    while (*s) {
        const char *open = strstr(s, REF_OPEN);
        const char *close = open ? strstr(open, REF_CLOSE) : NULL;
        if (!open || !close) {
            buf_puts(out, s);
            break;
        }
        buf_append(out, s, (size_t)(open - s));
        const char *inner = open + strlen(REF_OPEN);
        char *spec = strndup(inner, (size_t)(close - inner));
        secrets_ref ref;
        char *value = NULL;
        if (spec && secrets_parse_ref(spec, &ref, why, cap) == 0)
            value = value_of(&ref, spec, fetch, ctx, r, why, cap);
        else if (!spec)
            snprintf(why, cap, "out of memory");
        free(spec);
        if (!value)
            return -1;
        buf_puts(out, value);
        free(value);
        count++;
        s = close + strlen(REF_CLOSE);
    }
    return count;
}

static int resolve_member(json_t *holder, json_t *v, const char *key, size_t index,
                          secrets_fetch fetch, void *ctx, redactor *r, char *why, size_t cap)
{
    if (!json_is_string(v))
        return secrets_resolve(v, fetch, ctx, r, why, cap);
    if (!string_has_ref(json_string_value(v)))
        return 0;
    buf out;
    buf_init(&out, 1u << 20);
    int n = resolve_string(json_string_value(v), &out, fetch, ctx, r, why, cap);
    if (n > 0) {
        json_t *s = buf_failed(&out) ? NULL : json_string(buf_cstr(&out));
        int set = !s    ? -1
                  : key ? json_object_set_new(holder, key, s)
                        : json_array_set_new(holder, index, s);
        if (set != 0) {
            snprintf(why, cap, "a property with a secret reference is too long or not UTF-8");
            n = -1;
        }
    }
    buf_free(&out);
    return n;
}

int secrets_resolve(json_t *value, secrets_fetch fetch, void *ctx, redactor *r, char *why,
                    size_t cap)
{
    int total = 0, n;
    const char *key;
    json_t *v;
    void *tmp;
    size_t i;
    if (json_is_object(value)) {
        json_object_foreach_safe(value, tmp, key, v)
        {
            if ((n = resolve_member(value, v, key, 0, fetch, ctx, r, why, cap)) < 0)
                return -1;
            total += n;
        }
    } else if (json_is_array(value)) {
        json_array_foreach(value, i, v)
        {
            if ((n = resolve_member(value, v, NULL, i, fetch, ctx, r, why, cap)) < 0)
                return -1;
            total += n;
        }
    }
    return total;
}

int secrets_fetch_aws(void *ctx, const secrets_ref *ref, char **value, char *why, size_t cap)
{
    aws_client *aws = ctx;
    aws_error err;
    char text[1024];
    int rc;
    if (ref->source == SECRETS_SSM_SECURE)
        rc = ssm_get_parameter(aws, ref->id, 1, value, &err);
    else
        rc = secretsmanager_get_secret_value(
            aws, ref->id, ref->version_stage[0] ? ref->version_stage : NULL,
            ref->version_id[0] ? ref->version_id : NULL, value, &err);
    if (rc != 0)
        snprintf(why, cap, "{{resolve:%s:%s}}: %s",
                 ref->source == SECRETS_SSM_SECURE ? "ssm-secure" : "secretsmanager", ref->id,
                 aws_error_str(&err, text, sizeof text));
    return rc;
}

secrets_load_status secrets_load_props(const json_t *raw, secrets_fetch fetch, void *ctx,
                                       redactor *r, int again, ecs_props *out, json_t **resolved,
                                       char *why, size_t cap)
{
    *resolved = NULL;
    if (props_parse(raw, out, why, cap) != 0)
        return SECRETS_INVALID;
    if (!secrets_present(raw))
        return SECRETS_LOADED;
    json_t *copy = json_deep_copy(raw);
    char inner[2048];
    int n = copy ? secrets_resolve(copy, fetch, ctx, r, inner, sizeof inner) : -1;
    if (n < 0) {
        snprintf(why, cap, "%s", copy ? inner : "out of memory");
        json_decref(copy);
        if (!again)
            return SECRETS_UNRESOLVED;
        log_msg(LOG_WARN,
                "cannot fetch the secret values again to mask them (%s): leaving out AWS messages "
                "and log lines",
                why);
        redact_set_blind(r);
        return SECRETS_LOADED;
    }
    ecs_props parsed;
    if (props_parse(copy, &parsed, inner, sizeof inner) != 0) {
        /* The references were valid where they stood, so only a resolved value
         * can be wrong here: say so without quoting it. */
        snprintf(why, cap, "a resolved secret value is not valid where it is used");
        json_decref(copy);
        return SECRETS_INVALID;
    }
    log_msg(LOG_INFO, "resolved %d secret reference(s)", n);
    props_free(out);
    *out = parsed;
    *resolved = copy;
    return SECRETS_LOADED;
}
