/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/credentials.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/client.h"
#include "aws/credential_process.h"
#include "aws/endpoint.h"
#include "aws/metadata_credentials.h"
#include "aws/profile.h"
#include "aws/sts.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/redact.h"

/* The most profiles one role chain may go through. */
#define MAX_CHAIN 8
/* The largest web identity token file read (OIDC tokens are a few KiB). */
#define WEB_TOKEN_MAX (64u * 1024u)
/* STS's limits on DurationSeconds. */
#define DURATION_MIN 900
#define DURATION_MAX 43200

struct aws_credentials_provider {
    http_client *http;
    const clk *clock;
    char region[64]; /* "" = resolve when STS is needed */
    int64_t deadline_ms;
    aws_credentials cached;
    int have_cached;
};

static const char *const env_names[3] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                         "AWS_SESSION_TOKEN"};
static const char *const profile_names[3] = {"aws_access_key_id", "aws_secret_access_key",
                                             "aws_session_token"};

aws_credentials_provider *aws_credentials_provider_new(http_client *http, const clk *clock,
                                                       const char *region)
{
    aws_credentials_provider *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->http = http;
    p->clock = clock ? clock : clk_system();
    if (region)
        snprintf(p->region, sizeof p->region, "%s", region);
    return p;
}

void aws_credentials_provider_free(aws_credentials_provider *p)
{
    if (p)
        aws_credentials_wipe(&p->cached);
    free(p);
}

void aws_credentials_provider_set_deadline(aws_credentials_provider *p, int64_t deadline_ms)
{
    p->deadline_ms = deadline_ms;
}

void aws_credentials_wipe(aws_credentials *c)
{
    explicit_bzero(c, sizeof *c);
}

int aws_credentials_fill(aws_credentials *out, const char *key, const char *secret,
                         const char *token, const char *const names[3], const char *where,
                         char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    const char *values[3] = {key, secret, token ? token : ""};
    char *fields[3] = {out->access_key_id, out->secret_access_key, out->session_token};
    const size_t caps[3] = {sizeof out->access_key_id, sizeof out->secret_access_key,
                            sizeof out->session_token};
    for (int i = 0; i < 3; i++) {
        const char *problem = NULL;
        if (i < 2 && (!values[i] || !*values[i]))
            problem = "is missing or empty";
        else if (strlen(values[i]) >= caps[i])
            problem = "is too long";
        else if (!http_header_value_ok(values[i]))
            problem = "holds a control character; refusing to use it";
        if (problem) {
            snprintf(why, cap, "%s from %s %s", names[i], where, problem);
            aws_credentials_wipe(out);
            return -1;
        }
    }
    for (int i = 0; i < 3; i++)
        memcpy(fields[i], values[i], strlen(values[i]) + 1);
    return 0;
}

int64_t aws_credentials_parse_time(const char *s)
{
    struct tm tm = {0};
    int n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
        return -1;
    if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    const char *p = s + n;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int64_t offset_s = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int hh = 0, mm = 0, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &k) != 2 || k != 5 || hh > 23 || mm > 59)
            return -1;
        offset_s = (int64_t)(hh * 60 + mm) * 60 * (*p == '-' ? -1 : 1);
        p += 1 + k;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return ((int64_t)timegm(&tm) - offset_s) * 1000;
}

/* --- helpers of the sources ------------------------------------------------ */

static void fail(aws_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(aws_error *err, const char *fmt, ...)
{
    char message[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    aws_error_set(err, 0, AWS_ERR_CREDENTIALS, "%s", message);
}

/* The region STS calls go to. */
static int sts_region(aws_credentials_provider *p, aws_error *err)
{
    if (p->region[0])
        return 0;
    aws_error inner;
    aws_error_clear(&inner);
    if (aws_region_resolve(p->region, sizeof p->region, &inner) != 0) {
        p->region[0] = '\0';
        fail(err, "STS needs a region: %s", inner.message);
        return -1;
    }
    return 0;
}

/* "ecs-tasks-<Unix seconds>" when configured is empty. */
static void session_name(const aws_credentials_provider *p, const char *configured, char *out,
                         size_t cap)
{
    if (configured && *configured)
        snprintf(out, cap, "%s", configured);
    else
        snprintf(out, cap, AWS_CREDENTIALS_SESSION_PREFIX "%lld",
                 (long long)(clk_now(p->clock) / 1000));
}

/* A client for one STS call: signed with source, or unsigned when source is
 * NULL; error messages masked with r. */
static aws_client *sts_client(aws_credentials_provider *p, const aws_credentials *source,
                              const redactor *r, aws_error *err)
{
    if (sts_region(p, err) != 0)
        return NULL;
    aws_client_config config = {.clock = p->clock,
                                .region = p->region,
                                .http = p->http,
                                .credentials = source,
                                .unsigned_requests = source == NULL};
    aws_error inner;
    aws_error_clear(&inner);
    aws_client *c = aws_client_new_config(&config, &inner);
    if (!c) {
        fail(err, "%s", inner.message);
        return NULL;
    }
    aws_client_set_deadline(c, p->deadline_ms);
    aws_client_set_redactor(c, r);
    return c;
}

/* Reads a web identity token file: at most WEB_TOKEN_MAX bytes, trailing
 * white space dropped, non-empty, no control character. what names the file
 * in messages. Returns a copy (caller wipes and frees) or NULL with err. */
static char *read_token_file(const char *path, const char *what, aws_error *err)
{
    buf b;
    buf_init(&b, WEB_TOKEN_MAX);
    if (buf_append_file(&b, path) != 0) {
        buf_free(&b);
        fail(err,
             "cannot read the web identity token file %.512s (%s), or it is larger than %u "
             "bytes",
             path, what, WEB_TOKEN_MAX);
        return NULL;
    }
    char *token = buf_take(&b);
    if (!token) {
        fail(err, "out of memory");
        return NULL;
    }
    size_t n = strlen(token);
    while (n && isspace((unsigned char)token[n - 1]))
        token[--n] = '\0';
    if (!n || !http_header_value_ok(token)) {
        explicit_bzero(token, n);
        free(token);
        fail(err, "the web identity token file %.512s (%s) is empty or holds a control character",
             path, what);
        return NULL;
    }
    return token;
}

static void token_free(char *token)
{
    if (token) {
        explicit_bzero(token, strlen(token));
        free(token);
    }
}

/* AssumeRoleWithWebIdentity with the token in token_file. what names the
 * configuration in messages ("AWS_WEB_IDENTITY_TOKEN_FILE", "profile ci"). */
static int web_identity(aws_credentials_provider *p, const char *token_file, const char *role_arn,
                        const char *configured_session, int duration, const char *what,
                        aws_credentials *out, aws_error *err)
{
    char *token = read_token_file(token_file, what, err);
    if (!token)
        return -1;
    redactor *r = redact_new();
    if (!r || redact_add(r, token) != 0) {
        redact_free(r);
        token_free(token);
        fail(err, "out of memory");
        return -1;
    }
    int rc = -1;
    aws_client *c = sts_client(p, NULL, r, err);
    if (c) {
        char session[128];
        session_name(p, configured_session, session, sizeof session);
        sts_role_request req = {
            .role_arn = role_arn, .session_name = session, .duration_seconds = duration};
        aws_error inner;
        aws_error_clear(&inner);
        rc = sts_assume_role_with_web_identity(c, &req, token, out, &inner);
        if (rc != 0)
            fail(err, "web identity (%s): %s", what, inner.message);
        aws_client_free(c);
    }
    redact_free(r);
    token_free(token);
    return rc;
}

/* duration_seconds of a profile: 0 when unset; -1 (err set) when not a whole
 * number of seconds STS accepts. */
static int profile_duration(const aws_profile *prof, aws_error *err)
{
    const char *s = prof->duration_seconds;
    if (!*s)
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (!isdigit((unsigned char)*s) || *end || v < DURATION_MIN || v > DURATION_MAX) {
        fail(err, "duration_seconds in profile %s must be a number of seconds from %d to %d",
             prof->name, DURATION_MIN, DURATION_MAX);
        return -1;
    }
    return (int)v;
}

/* AssumeRole of the profile's role_arn, signed with source. */
static int assume_role(aws_credentials_provider *p, const aws_credentials *source,
                       const aws_profile *prof, aws_credentials *out, aws_error *err)
{
    int duration = profile_duration(prof, err);
    if (duration < 0)
        return -1;
    redactor *r = redact_new();
    if (!r || redact_add(r, source->secret_access_key) != 0 ||
        (source->session_token[0] && redact_add(r, source->session_token) != 0)) {
        redact_free(r);
        fail(err, "out of memory");
        return -1;
    }
    int rc = -1;
    aws_client *c = sts_client(p, source, r, err);
    if (c) {
        char session[128];
        session_name(p, prof->role_session_name, session, sizeof session);
        sts_role_request req = {.role_arn = prof->role_arn,
                                .session_name = session,
                                .external_id = prof->external_id,
                                .duration_seconds = duration};
        aws_error inner;
        aws_error_clear(&inner);
        rc = sts_assume_role(c, &req, out, &inner);
        if (rc != 0)
            fail(err, "profile %s: %s", prof->name, inner.message);
        aws_client_free(c);
    }
    redact_free(r);
    return rc;
}

/* --- profiles --------------------------------------------------------------- */

/* The profiles of one chain so far, for loop detection (borrowed names). */
typedef struct visited {
    const char *names[MAX_CHAIN];
    size_t n;
} visited;

static int was_visited(const visited *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->names[i], name))
            return 1;
    return 0;
}

static void chain_text(const visited *v, const char *last, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < v->n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s -> ", v->names[i]);
    if (o < cap)
        snprintf(out + o, cap - o, "%s", last);
}

static int resolve_profile(aws_credentials_provider *p, const char *name, const char *named_by,
                           int is_source, visited *v, aws_credentials *out, aws_error *err);

static int env_keys(aws_credentials *out, char *why, size_t cap)
{
    if (aws_credentials_fill(out, getenv(env_names[0]), getenv(env_names[1]), getenv(env_names[2]),
                             env_names, "the environment", why, cap) != 0)
        return -1;
    snprintf(out->source, sizeof out->source, "environment");
    return 0;
}

/* The source credentials of a role profile: source_profile or
 * credential_source. */
static int role_source(aws_credentials_provider *p, const aws_profile *prof, visited *v,
                       aws_credentials *source, aws_error *err)
{
    char why[1024];
    const char *cs = prof->credential_source;
    if (prof->source_profile[0] && cs[0]) {
        fail(err, "profile %s sets both source_profile and credential_source; keep one",
             prof->name);
        return -1;
    }
    if (prof->source_profile[0]) {
        const char *src = prof->source_profile;
        int has_static = prof->access_key_id[0] && prof->secret_access_key[0];
        if (was_visited(v, src)) {
            /* A profile may name itself to sign with its own keys (botocore). */
            if (!strcmp(src, prof->name) && has_static) {
                if (aws_credentials_fill(source, prof->access_key_id, prof->secret_access_key,
                                         prof->session_token, profile_names, prof->name, why,
                                         sizeof why) != 0) {
                    fail(err, "profile %s: %s", prof->name, why);
                    return -1;
                }
                return 0;
            }
            char chain[512];
            chain_text(v, src, chain, sizeof chain);
            fail(err, "profile %s: its source_profile chain is a loop (%s)", prof->name, chain);
            return -1;
        }
        if (v->n == MAX_CHAIN) {
            fail(err, "profile %s: more than %d profiles chained through source_profile",
                 prof->name, MAX_CHAIN);
            return -1;
        }
        char by[192];
        snprintf(by, sizeof by, "source_profile of profile %.128s", prof->name);
        return resolve_profile(p, src, by, 1, v, source, err);
    }
    if (!cs[0]) {
        fail(err, "profile %s sets role_arn but neither source_profile nor credential_source",
             prof->name);
        return -1;
    }
    if (!strcmp(cs, "Environment")) {
        const char *key = getenv(env_names[0]), *secret = getenv(env_names[1]);
        if (!key || !*key || !secret || !*secret) {
            fail(err,
                 "profile %s: credential_source Environment, but AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY are not both set",
                 prof->name);
            return -1;
        }
        if (env_keys(source, why, sizeof why) != 0) {
            fail(err, "profile %s: %s", prof->name, why);
            return -1;
        }
        return 0;
    }
    metadata_status st;
    if (!strcmp(cs, "EcsContainer"))
        st = metadata_container_credentials(p->http, source, why, sizeof why);
    else if (!strcmp(cs, "Ec2InstanceMetadata"))
        st = metadata_imds_credentials(p->http, source, why, sizeof why);
    else {
        char shown[64];
        size_t i = 0;
        for (; cs[i] && i + 1 < sizeof shown; i++)
            shown[i] = isprint((unsigned char)cs[i]) ? cs[i] : '?';
        shown[i] = '\0';
        fail(err,
             "profile %s: unknown credential_source '%s' (Environment, EcsContainer or "
             "Ec2InstanceMetadata)",
             prof->name, shown);
        return -1;
    }
    if (st != METADATA_FOUND) {
        fail(err, "profile %s: credential_source %s: %s", prof->name, cs, why);
        return -1;
    }
    return 0;
}

static int role_profile(aws_credentials_provider *p, const aws_profile *prof, visited *v,
                        aws_credentials *out, aws_error *err)
{
    if (prof->mfa_serial[0]) {
        fail(err,
             "profile %s sets mfa_serial: ecs-tasks cannot ask for an MFA code (it runs in "
             "Lambda and CI, without a terminal); use credentials of a session that already "
             "passed MFA, or a role that does not require it",
             prof->name);
        return -1;
    }
    aws_credentials source;
    if (role_source(p, prof, v, &source, err) != 0)
        return -1;
    int rc = assume_role(p, &source, prof, out, err);
    aws_credentials_wipe(&source);
    return rc;
}

/*
 * Credentials of profile `name`, which must exist and give some. named_by
 * says who named it ("AWS_PROFILE", "source_profile of profile x", "default")
 * for messages; is_source selects botocore's rule for source profiles (their
 * keys win over their own role_arn).
 */
static int resolve_profile(aws_credentials_provider *p, const char *name, const char *named_by,
                           int is_source, visited *v, aws_credentials *out, aws_error *err)
{
    aws_profile *prof = calloc(1, sizeof *prof);
    if (!prof) {
        fail(err, "out of memory");
        return -1;
    }
    int rc = -1;
    char why[1024];
    if (!aws_profile_load(name, prof)) {
        char config[512], credentials[512];
        aws_profile_paths(config, sizeof config, credentials, sizeof credentials);
        fail(err, "profile %.128s (named by %s) does not exist in %s or %s", name, named_by, config,
             credentials);
        goto done;
    }
    if (prof->too_long[0]) {
        fail(err, "the value of %s in profile %s is too long", prof->too_long, prof->name);
        goto done;
    }
    v->names[v->n++] = name;
    int has_static = prof->access_key_id[0] && prof->secret_access_key[0];
    if (prof->role_arn[0] && prof->web_identity_token_file[0]) {
        char what[192];
        snprintf(what, sizeof what, "profile %.128s", prof->name);
        int duration = profile_duration(prof, err);
        if (duration >= 0)
            rc = web_identity(p, prof->web_identity_token_file, prof->role_arn,
                              prof->role_session_name, duration, what, out, err);
    } else if (prof->role_arn[0] && !(is_source && has_static)) {
        rc = role_profile(p, prof, v, out, err);
    } else if (prof->access_key_id[0] || prof->secret_access_key[0]) {
        char where[192];
        snprintf(where, sizeof where, "profile %.128s", prof->name);
        rc = aws_credentials_fill(out, prof->access_key_id, prof->secret_access_key,
                                  prof->session_token, profile_names, where, why, sizeof why);
        if (rc != 0)
            fail(err, "%s", why);
        else
            snprintf(out->source, sizeof out->source, "profile");
    } else if (prof->credential_process[0]) {
        rc = credential_process_run(prof->credential_process, prof->name, p->clock, p->deadline_ms,
                                    out, why, sizeof why);
        if (rc != 0)
            fail(err, "%s", why);
    } else if (prof->web_identity_token_file[0]) {
        fail(err, "profile %s sets web_identity_token_file but no role_arn", prof->name);
    } else if (prof->sso) {
        fail(err,
             "profile %s uses IAM Identity Center (SSO), which ecs-tasks does not read; export "
             "its credentials to the environment (aws configure export-credentials --profile "
             "%s --format env)",
             prof->name, prof->name);
    } else if (prof->source_profile[0] || prof->credential_source[0] || prof->mfa_serial[0]) {
        fail(err, "profile %s sets source_profile, credential_source or mfa_serial but no role_arn",
             prof->name);
    } else {
        fail(err,
             "profile %s (named by %s) has no credentials: no aws_access_key_id and "
             "aws_secret_access_key, role_arn or credential_process",
             prof->name, named_by);
    }
    v->n--;
done:
    aws_profile_wipe(prof);
    free(prof);
    return rc;
}

/* Whether AWS_PROFILE names a profile whose role chain takes its source
 * credentials from credential_source = Environment (see credentials.h). */
static int named_profile_uses_environment(void)
{
    if (!aws_profile_named_by())
        return 0;
    aws_profile *prof = calloc(1, sizeof *prof);
    if (!prof)
        return 0;
    char name[sizeof prof->name];
    snprintf(name, sizeof name, "%s", aws_profile_name());
    int uses = 0;
    for (int hop = 0; hop < MAX_CHAIN && aws_profile_load(name, prof); hop++) {
        int has_static = prof->access_key_id[0] && prof->secret_access_key[0];
        if (!prof->role_arn[0] || prof->web_identity_token_file[0] || (hop > 0 && has_static))
            break;
        if (!strcmp(prof->credential_source, "Environment") && !prof->source_profile[0]) {
            uses = 1;
            break;
        }
        if (!prof->source_profile[0] || !strcmp(prof->source_profile, name))
            break;
        snprintf(name, sizeof name, "%s", prof->source_profile);
    }
    aws_profile_wipe(prof);
    free(prof);
    return uses;
}

/* --- the chain ----------------------------------------------------------- */

typedef enum {
    SRC_FOUND,  /* *out filled */
    SRC_ABSENT, /* not configured (or, for container and IMDS, no answer): noted in tried */
    SRC_ERROR,  /* configured but unusable: err set, the chain stops */
} src_status;

static src_status from_environment(aws_credentials *out, buf *tried, aws_error *err)
{
    const char *key = getenv(env_names[0]);
    const char *secret = getenv(env_names[1]);
    if (!key || !*key || !secret || !*secret) {
        buf_puts(tried, "environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset)");
        return SRC_ABSENT;
    }
    char why[512];
    if (env_keys(out, why, sizeof why) != 0) {
        fail(err, "%s", why);
        return SRC_ERROR;
    }
    return SRC_FOUND;
}

static src_status from_web_identity_env(aws_credentials_provider *p, aws_credentials *out,
                                        buf *tried, aws_error *err)
{
    const char *file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (!file || !*file) {
        buf_puts(tried, ", web identity (AWS_WEB_IDENTITY_TOKEN_FILE unset)");
        return SRC_ABSENT;
    }
    const char *role = getenv("AWS_ROLE_ARN");
    if (!role || !*role) {
        fail(err, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: web identity "
                  "needs the role to assume");
        return SRC_ERROR;
    }
    return web_identity(p, file, role, getenv("AWS_ROLE_SESSION_NAME"), 0,
                        "AWS_WEB_IDENTITY_TOKEN_FILE", out, err) == 0
               ? SRC_FOUND
               : SRC_ERROR;
}

static src_status from_profile(aws_credentials_provider *p, aws_credentials *out, buf *tried,
                               aws_error *err)
{
    const char *named_by = aws_profile_named_by();
    if (!named_by) {
        /* The default profile may be absent, or hold only a region. */
        aws_profile *prof = calloc(1, sizeof *prof);
        if (!prof) {
            fail(err, "out of memory");
            return SRC_ERROR;
        }
        int found = aws_profile_load("default", prof);
        int settings = found && aws_profile_has_credential_settings(prof);
        aws_profile_wipe(prof);
        free(prof);
        if (!settings) {
            buf_printf(tried, ", profile default (%s)",
                       found ? "no credentials in it" : "not in the shared files");
            return SRC_ABSENT;
        }
    }
    visited v = {.n = 0};
    return resolve_profile(p, aws_profile_name(), named_by ? named_by : "default", 0, &v, out,
                           err) == 0
               ? SRC_FOUND
               : SRC_ERROR;
}

static src_status from_metadata(metadata_status st, const char *what, const char *why, buf *tried,
                                aws_error *err)
{
    switch (st) {
    case METADATA_FOUND:
        return SRC_FOUND;
    case METADATA_REFUSED:
        fail(err, "%s credentials: %s", what, why);
        return SRC_ERROR;
    case METADATA_ABSENT:
    case METADATA_FAILED:
        break;
    }
    buf_printf(tried, ", %s (%s)", what, why);
    return SRC_ABSENT;
}

static int cache_valid(const aws_credentials_provider *p)
{
    if (!p->have_cached)
        return 0;
    if (!p->cached.expiration_ms)
        return 1;
    return clk_now(p->clock) + AWS_CREDENTIALS_REFRESH_MARGIN_MS < p->cached.expiration_ms;
}

int aws_credentials_get(aws_credentials_provider *p, aws_credentials *out, aws_error *err)
{
    if (cache_valid(p)) {
        *out = p->cached;
        return 0;
    }
    memset(out, 0, sizeof *out);
    buf tried;
    buf_init(&tried, 4096);
    char why[1024];
    src_status st;
    const char *step = "";
    if (named_profile_uses_environment()) {
        buf_puts(&tried, "environment (the profile's role takes it through credential_source)");
        st = SRC_ABSENT;
    } else {
        st = from_environment(out, &tried, err);
    }
    if (st == SRC_ABSENT)
        st = from_web_identity_env(p, out, &tried, err);
    if (st == SRC_ABSENT) {
        step = aws_profile_name();
        st = from_profile(p, out, &tried, err);
    }
    if (st == SRC_ABSENT) {
        step = "";
        st = from_metadata(metadata_container_credentials(p->http, out, why, sizeof why),
                           "container", why, &tried, err);
    }
    if (st == SRC_ABSENT)
        st = from_metadata(metadata_imds_credentials(p->http, out, why, sizeof why), "IMDS", why,
                           &tried, err);
    if (st == SRC_ABSENT)
        aws_error_set(err, 0, AWS_ERR_CREDENTIALS, "no AWS credentials: %s", buf_cstr(&tried));
    buf_free(&tried);
    if (st != SRC_FOUND) {
        aws_credentials_wipe(out);
        return -1;
    }
    p->cached = *out;
    p->have_cached = 1;
    log_msg(LOG_DEBUG, "AWS credentials from %s%s%s", out->source, *step ? ", profile " : "", step);
    return 0;
}
