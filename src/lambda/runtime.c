/* SPDX-License-Identifier: Apache-2.0 */
#include "lambda/runtime.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/http.h"
#include "util/log.h"

#define RUNTIME_PREFIX "/2018-06-01/runtime"
/* Posting a result to the local Runtime API takes milliseconds; a limit only
 * guards against a wedged API. */
#define RUNTIME_POST_TIMEOUT_MS 10000

static int build_url(char *out, size_t cap, const char *api, const char *path)
{
    int n = snprintf(out, cap, "http://%s" RUNTIME_PREFIX "%s", api, path);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int post_json(http_client *http, const char *api, const char *path, const char *body,
                     const http_header *extra, size_t n_extra)
{
    char url[512];
    if (build_url(url, sizeof url, api, path) != 0)
        return -1;
    http_header headers[3] = {{"Content-Type", "application/json"}};
    size_t n = 1;
    for (size_t i = 0; i < n_extra && n < 3; i++)
        headers[n++] = extra[i];
    http_request req = {.method = "POST",
                        .url = url,
                        .headers = headers,
                        .n_headers = n,
                        .body = body,
                        .body_len = strlen(body),
                        .timeout_ms = RUNTIME_POST_TIMEOUT_MS};
    http_response resp;
    aws_error err;
    if (http_send(http, &req, &resp, &err) != 0) {
        log_msg(LOG_ERROR, "Runtime API %s: %s", path, err.message);
        return -1;
    }
    long status = resp.status;
    http_response_free(&resp);
    if (status < 200 || status >= 300) {
        log_msg(LOG_ERROR, "Runtime API %s answered HTTP %ld", path, status);
        return -1;
    }
    return 0;
}

/* The error document the Runtime API expects, JSON-encoded by jansson. */
static char *error_body(const char *type, const char *message)
{
    json_t *doc =
        json_pack("{s:s, s:s, s:[]}", "errorType", type, "errorMessage", message, "stackTrace");
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

static int post_error(http_client *http, const char *api, const char *path, const char *type,
                      const char *message)
{
    char *body = error_body(type, message);
    if (!body)
        return -1;
    http_header h = {"Lambda-Runtime-Function-Error-Type", type};
    int rc = post_json(http, api, path, body, &h, 1);
    free(body);
    return rc;
}

int lambda_runtime_init_error(const char *api, const char *error_type, const char *message)
{
    http_client *http = http_client_new();
    if (!http)
        return -1;
    int rc = post_error(http, api, "/init/error", error_type, message);
    http_client_free(http);
    return rc;
}

int64_t lambda_runtime_parse_deadline(const char *header)
{
    if (!header)
        return 0;
    char *end;
    long long v = strtoll(header, &end, 10);
    return end != header && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

lambda_budget lambda_invocation_budget(const lambda_invocation *inv, int64_t now_ms)
{
    lambda_budget b;
    b.deadline_ms = inv->deadline_ms > now_ms ? inv->deadline_ms : now_ms + LAMBDA_MAX_BUDGET_MS;
    int64_t margin = (b.deadline_ms - now_ms) / 4;
    margin = margin < LAMBDA_MARGIN_MIN_MS   ? LAMBDA_MARGIN_MIN_MS
             : margin > LAMBDA_MARGIN_MAX_MS ? LAMBDA_MARGIN_MAX_MS
                                             : margin;
    b.stop_at_ms = b.deadline_ms - margin;
    b.calls_until_ms = b.deadline_ms - margin / 2;
    return b;
}

int lambda_runtime_valid_request_id(const char *id)
{
    if (!id || !*id || strlen(id) > 255)
        return 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("/?#%", *p))
            return 0;
    return 1;
}

/* Runs the handler on one event and reports its outcome. Returns -1 only
 * when the Runtime API could not be told. */
static int serve_one(http_client *http, const char *api, const http_response *next,
                     lambda_handler handler, void *ctx)
{
    const char *request_id = http_response_header(next, "lambda-runtime-aws-request-id");
    if (!lambda_runtime_valid_request_id(request_id)) {
        log_msg(LOG_ERROR, "Runtime API sent an event without a usable request id");
        return -1;
    }
    const char *trace = http_response_header(next, "lambda-runtime-trace-id");
    const char *arn = http_response_header(next, "lambda-runtime-invoked-function-arn");
    lambda_invocation inv = {
        .request_id = request_id,
        .deadline_ms =
            lambda_runtime_parse_deadline(http_response_header(next, "lambda-runtime-deadline-ms")),
        .function_arn = arn ? arn : "",
        .trace_id = trace ? trace : "",
        .event = buf_cstr(&next->body),
        .event_len = next->body.len,
    };
    if (trace)
        setenv("_X_AMZN_TRACE_ID", trace, 1);
    else
        unsetenv("_X_AMZN_TRACE_ID");
    log_set_request_id(request_id);

    lambda_result result = {.ok = 0};
    buf_init(&result.response, 6u * 1024u * 1024u);
    handler(&inv, &result, ctx);

    char path[256];
    int rc;
    if (result.ok) {
        snprintf(path, sizeof path, "/invocation/%s/response", request_id);
        rc = post_json(http, api, path, result.response.len ? buf_cstr(&result.response) : "null",
                       NULL, 0);
    } else {
        snprintf(path, sizeof path, "/invocation/%s/error", request_id);
        rc = post_error(http, api, path, result.error_type[0] ? result.error_type : "Error",
                        result.error_message);
    }
    buf_free(&result.response);
    log_set_request_id(NULL);
    return rc;
}

int lambda_runtime_run(const char *api, lambda_handler handler, void *ctx, long max_events)
{
    http_client *http = http_client_new();
    if (!http)
        return 1;
    char url[512];
    if (build_url(url, sizeof url, api, "/invocation/next") != 0) {
        http_client_free(http);
        return 1;
    }
    int rc = 0;
    for (long served = 0; max_events == 0 || served < max_events; served++) {
        /* No timeout: `next` blocks until Lambda has an event for us. */
        http_request req = {.method = "GET", .url = url};
        http_response next;
        aws_error err;
        if (http_send(http, &req, &next, &err) != 0) {
            log_msg(LOG_ERROR, "Runtime API next: %s", err.message);
            rc = 1;
            break;
        }
        int ok = next.status == 200 && serve_one(http, api, &next, handler, ctx) == 0;
        if (next.status != 200)
            log_msg(LOG_ERROR, "Runtime API next answered HTTP %ld", next.status);
        http_response_free(&next);
        if (!ok) {
            rc = 1;
            break;
        }
    }
    http_client_free(http);
    return rc;
}
