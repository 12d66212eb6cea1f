/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "util/log.h"

#define MAX_ENDPOINTS 10
#define MAX_EXTRA_HEADERS 8
/* An attempt needs at least this long to be worth making. */
#define MIN_ATTEMPT_MS 100

typedef struct endpoint_entry {
    const aws_service *svc;
    char url[512];
} endpoint_entry;

struct aws_client {
    const clk *clock;
    http_client *http;
    int own_http;
    aws_credentials_provider *creds; /* NULL with fixed credentials or unsigned */
    aws_credentials fixed;
    int has_fixed;
    int unsigned_requests;
    char region[64];
    int max_attempts;
    int64_t deadline_ms;
    retry_quota quota;
    endpoint_entry endpoints[MAX_ENDPOINTS];
    size_t n_endpoints;
    const redactor *redactor; /* borrowed; masks error messages */
};

/* One request before signing: what the protocol functions hand to send(). */
typedef struct call {
    const aws_service *svc;
    const char *operation; /* for messages and logs */
    const char *method;
    const char *path;  /* encoded, starts with '/' */
    const char *query; /* encoded, may be NULL */
    http_header headers[MAX_EXTRA_HEADERS];
    size_t n_headers;
    const char *body;
    size_t body_len;
} call;

aws_client *aws_client_new(const clk *clock, aws_error *err)
{
    aws_client_config config = {.clock = clock};
    return aws_client_new_config(&config, err);
}

aws_client *aws_client_new_config(const aws_client_config *config, aws_error *err)
{
    aws_client *c = calloc(1, sizeof *c);
    if (!c) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    c->clock = config->clock ? config->clock : clk_system();
    if (config->region) {
        if (!aws_region_valid(config->region)) {
            aws_error_set(err, 0, AWS_ERR_CONFIG, "'%.64s' is not a region name", config->region);
            free(c);
            return NULL;
        }
        snprintf(c->region, sizeof c->region, "%s", config->region);
    } else if (aws_region_resolve(c->region, sizeof c->region, err) != 0) {
        free(c);
        return NULL;
    }
    c->http = config->http;
    if (!c->http) {
        c->http = http_client_new();
        c->own_http = 1;
    }
    c->unsigned_requests = config->unsigned_requests;
    int ok = c->http != NULL;
    if (ok && config->credentials && !c->unsigned_requests) {
        c->fixed = *config->credentials;
        c->has_fixed = 1;
    } else if (ok && !c->unsigned_requests) {
        c->creds = aws_credentials_provider_new(c->http, c->clock, c->region);
        ok = c->creds != NULL;
    }
    if (!ok) {
        aws_client_free(c);
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    c->max_attempts = retry_max_attempts_from_env();
    retry_quota_init(&c->quota);
    return c;
}

void aws_client_free(aws_client *c)
{
    if (!c)
        return;
    aws_credentials_provider_free(c->creds);
    if (c->own_http)
        http_client_free(c->http);
    aws_credentials_wipe(&c->fixed);
    free(c);
}

const char *aws_client_region(const aws_client *c)
{
    return c->region;
}

http_client *aws_client_http(aws_client *c)
{
    return c->http;
}

void aws_client_set_deadline(aws_client *c, int64_t deadline_ms)
{
    c->deadline_ms = deadline_ms;
    if (c->creds)
        aws_credentials_provider_set_deadline(c->creds, deadline_ms);
}

void aws_client_set_redactor(aws_client *c, const redactor *r)
{
    c->redactor = r;
}

void aws_client_set_max_attempts(aws_client *c, int max_attempts)
{
    c->max_attempts = max_attempts >= 1 ? max_attempts : 1;
}

static const char *endpoint_for(aws_client *c, const aws_service *svc, aws_error *err)
{
    for (size_t i = 0; i < c->n_endpoints; i++)
        if (c->endpoints[i].svc == svc)
            return c->endpoints[i].url;
    char url[512];
    if (aws_endpoint_resolve(svc, c->region, url, sizeof url, err) != 0)
        return NULL;
    if (c->n_endpoints == MAX_ENDPOINTS)
        c->n_endpoints = 0;
    endpoint_entry *e = &c->endpoints[c->n_endpoints++];
    e->svc = svc;
    snprintf(e->url, sizeof e->url, "%s", url);
    return e->url;
}

/* Splits "scheme://authority/base" into its authority and base path. */
static void split_endpoint(const char *endpoint, char *authority, size_t acap, const char **base)
{
    const char *p = strstr(endpoint, "://");
    p = p ? p + 3 : endpoint;
    size_t n = strcspn(p, "/");
    snprintf(authority, acap, "%.*s", (int)n, p);
    *base = p + n;
}

/* --- one attempt --------------------------------------------------------- */

/* The credentials to sign with: fixed, or the chain's current ones. */
static int credentials_for(aws_client *c, aws_credentials *out, aws_error *err)
{
    if (c->has_fixed) {
        *out = c->fixed;
        return 0;
    }
    return aws_credentials_get(c->creds, out, err);
}

static int attempt(aws_client *c, const call *k, const char *endpoint, int64_t timeout_ms,
                   http_response *resp, aws_error *err)
{
    aws_credentials creds;
    memset(&creds, 0, sizeof creds);
    if (!c->unsigned_requests && credentials_for(c, &creds, err) != 0)
        return -1;
    /* Lambda's trace id, passed on as the AWS SDKs do (sent, not signed). */
    const char *trace = getenv("_X_AMZN_TRACE_ID");
    if (trace && *trace && !http_header_value_ok(trace)) {
        aws_error_set(err, 0, AWS_ERR_CONFIG,
                      "_X_AMZN_TRACE_ID holds a control character; refusing to send it");
        aws_credentials_wipe(&creds);
        return -1;
    }
    char authority[256], date[17];
    const char *base;
    split_endpoint(endpoint, authority, sizeof authority, &base);
    sigv4_format_date(clk_now(c->clock), date);

    buf path, url;
    buf_init(&path, 8192);
    buf_init(&url, 16384);
    buf_printf(&path, "%s%s", base, k->path);
    buf_printf(&url, "%.*s%s%s%s", (int)(base - endpoint), endpoint, buf_cstr(&path),
               k->query && *k->query ? "?" : "", k->query ? k->query : "");

    sigv4_result sig;
    memset(&sig, 0, sizeof sig);
    int rc = -1;
    if (!c->unsigned_requests) {
        sigv4_header sh[MAX_EXTRA_HEADERS + 1];
        sh[0] = (sigv4_header){"Host", authority};
        for (size_t i = 0; i < k->n_headers; i++)
            sh[i + 1] = (sigv4_header){k->headers[i].name, k->headers[i].value};
        sigv4_request sreq = {k->method,        buf_cstr(&path), k->query,   sh,
                              k->n_headers + 1, k->body,         k->body_len};
        int s3 = k->svc == &AWS_SERVICE_S3;
        sigv4_params sp = {creds.access_key_id,
                           creds.secret_access_key,
                           creds.session_token,
                           c->region,
                           k->svc->signing_name,
                           date,
                           !s3,
                           !s3,
                           s3};
        if (sigv4_sign(&sreq, &sp, &sig) != 0) {
            aws_error_set(err, 0, AWS_ERR_INTERNAL, "cannot sign %s %s", k->svc->name,
                          k->operation);
            goto done;
        }
    }
    http_header hh[MAX_EXTRA_HEADERS + 6];
    size_t n = 0;
    hh[n++] = (http_header){"Host", authority};
    for (size_t i = 0; i < k->n_headers; i++)
        hh[n++] = k->headers[i];
    if (trace && *trace)
        hh[n++] = (http_header){"X-Amzn-Trace-Id", trace};
    if (!c->unsigned_requests) {
        for (size_t i = 0; i < sig.n_added; i++)
            hh[n++] = (http_header){sig.added[i].name, sig.added[i].value};
        hh[n++] = (http_header){"Authorization", sig.authorization};
    }
    http_request req = {.method = k->method,
                        .url = buf_cstr(&url),
                        .headers = hh,
                        .n_headers = n,
                        .body = k->body,
                        .body_len = k->body_len,
                        .timeout_ms = timeout_ms,
                        .connect_timeout_ms = AWS_CONNECT_TIMEOUT_MS < timeout_ms
                                                  ? AWS_CONNECT_TIMEOUT_MS
                                                  : timeout_ms};
    rc = http_send(c->http, &req, resp, err);
    if (!c->unsigned_requests)
        sigv4_result_free(&sig);
    if (rc == 0 && (resp->status < 200 || resp->status >= 300)) {
        aws_error_decode(err, (int)resp->status, http_response_header(resp, "x-amzn-errortype"),
                         resp->body.data, resp->body.len, c->redactor);
        http_response_free(resp);
        rc = -1;
    }
done:
    aws_credentials_wipe(&creds);
    buf_free(&path);
    buf_free(&url);
    return rc;
}

/* --- the retry loop ------------------------------------------------------ */

typedef struct attempt_ctx {
    aws_client *c;
    const call *k;
    const char *endpoint;
    http_response *resp;
} attempt_ctx;

static int attempt_once(void *ctx, int64_t timeout_ms, aws_error *err)
{
    attempt_ctx *a = ctx;
    int64_t started = clk_now(a->c->clock);
    int rc = attempt(a->c, a->k, a->endpoint, timeout_ms, a->resp, err);
    if (rc == 0)
        log_msg(LOG_DEBUG, "%s %s: HTTP %ld in %lld ms", a->k->svc->name, a->k->operation,
                a->resp->status, (long long)(clk_now(a->c->clock) - started));
    return rc;
}

static int send_call(aws_client *c, const call *k, http_response *resp, aws_error *err)
{
    aws_error_clear(err);
    const char *endpoint = endpoint_for(c, k->svc, err);
    if (!endpoint)
        return -1;
    char what[160];
    snprintf(what, sizeof what, "%s %s", k->svc->name, k->operation);
    retry_policy policy = {.clock = c->clock,
                           .deadline_ms = c->deadline_ms,
                           .max_attempts = c->max_attempts,
                           .attempt_timeout_ms = AWS_ATTEMPT_TIMEOUT_MS,
                           .min_attempt_ms = MIN_ATTEMPT_MS,
                           .classify = retry_classify,
                           .quota = &c->quota,
                           .what = what};
    attempt_ctx a = {c, k, endpoint, resp};
    return retry_run(&policy, attempt_once, &a, err);
}

/* --- the three protocols -------------------------------------------------- */

int aws_call_json(aws_client *c, const aws_service *svc, const char *operation,
                  const json_t *request, json_t **out, aws_error *err)
{
    *out = NULL;
    char target[256];
    snprintf(target, sizeof target, "%s.%s", svc->json_target, operation);
    char *body = request ? json_dumps(request, JSON_COMPACT) : strdup("{}");
    if (!body) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "cannot encode the %s request", operation);
        return -1;
    }
    call k = {.svc = svc,
              .operation = operation,
              .method = "POST",
              .path = "/",
              .headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}},
              .n_headers = 2,
              .body = body,
              .body_len = strlen(body)};
    http_response resp;
    int rc = send_call(c, &k, &resp, err);
    free(body);
    if (rc != 0)
        return -1;
    json_error_t jerr;
    *out = resp.body.len ? json_loadb(resp.body.data, resp.body.len, 0, &jerr) : json_object();
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        aws_error_set(err, (int)resp.status, AWS_ERR_PARSE,
                      "%s %s answered something that is "
                      "not a JSON object",
                      svc->name, operation);
        rc = -1;
    }
    http_response_free(&resp);
    return rc;
}

int aws_call_rest(aws_client *c, const aws_service *svc, const char *method, const char *path,
                  const char *query, const http_header *headers, size_t n_headers, const char *body,
                  size_t body_len, http_response *resp, aws_error *err)
{
    if (n_headers > MAX_EXTRA_HEADERS) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "too many headers");
        return -1;
    }
    call k = {.svc = svc,
              .operation = path,
              .method = method,
              .path = path,
              .query = query,
              .n_headers = n_headers,
              .body = body,
              .body_len = body_len};
    for (size_t i = 0; i < n_headers; i++)
        k.headers[i] = headers[i];
    return send_call(c, &k, resp, err);
}

int aws_call_query(aws_client *c, const aws_service *svc, const char *action, const char *version,
                   const http_header *params, size_t n_params, buf *xml, aws_error *err)
{
    buf form;
    buf_init(&form, 1u << 20);
    buf_printf(&form, "Action=%s&Version=%s", action, version);
    for (size_t i = 0; i < n_params; i++) {
        char *k = sigv4_uri_encode(params[i].name, 0);
        char *v = sigv4_uri_encode(params[i].value, 0);
        buf_printf(&form, "&%s=%s", k ? k : "", v ? v : "");
        free(k);
        free(v);
    }
    call q = {.svc = svc,
              .operation = action,
              .method = "POST",
              .path = "/",
              .headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
              .n_headers = 1,
              .body = buf_cstr(&form),
              .body_len = form.len};
    http_response resp;
    int rc = send_call(c, &q, &resp, err);
    buf_free(&form);
    if (rc != 0)
        return -1;
    buf_reset(xml);
    if (buf_append(xml, resp.body.data ? resp.body.data : "", resp.body.len) != 0) {
        aws_error_set(err, (int)resp.status, AWS_ERR_PARSE, "%s answer too large", action);
        rc = -1;
    }
    http_response_free(&resp);
    return rc;
}
