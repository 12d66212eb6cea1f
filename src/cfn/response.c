/* SPDX-License-Identifier: Apache-2.0 */
#include "cfn/response.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/retry.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/utf8.h"

/* Per-attempt limit of the PUT: S3 answers in well under a second. */
#define CFN_PUT_TIMEOUT_MS 15000
/* Stop retrying when less than this is left before the deadline: a PUT to
 * S3 in the same region takes tens of milliseconds. */
#define CFN_PUT_MIN_TIME_MS 300

/* --- the answer ------------------------------------------------------------ */

void cfn_answer_succeed(cfn_answer *a, const char *physical_id)
{
    a->success = 1;
    snprintf(a->physical_id, sizeof a->physical_id, "%s", physical_id);
}

void cfn_answer_fail(cfn_answer *a, const char *physical_id, const char *fmt, ...)
{
    buf b;
    buf_init(&b, REASON_HEAD_MAX);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    reason_free(&a->why);
    a->why.head = buf_take(&b);
    a->success = 0;
    snprintf(a->physical_id, sizeof a->physical_id, "%s", physical_id);
}

void cfn_answer_free(cfn_answer *a)
{
    reason_free(&a->why);
    json_decref(a->data);
    memset(a, 0, sizeof *a);
}

/* --- Data ----------------------------------------------------------------- */

/* The task ARNs, comma-separated: as many whole ARNs as fit. */
static char *arn_list(const char *const *arns, size_t n_arns)
{
    size_t used = 0, n = 0;
    for (; n < n_arns; n++) {
        size_t add = strlen(arns[n]) + (n ? 1 : 0);
        if (used + add > CFN_DATA_ARNS_MAX)
            break;
        used += add;
    }
    buf b;
    buf_init(&b, CFN_DATA_ARNS_MAX);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? "," : "", arns[i]);
    return buf_take(&b);
}

/* s cut to max bytes on a character boundary, "..." marking a cut. */
static char *bounded(const char *s, size_t max)
{
    size_t len = strlen(s);
    size_t keep = len <= max ? len : utf8_cut(s, len, max - 3);
    char *out = malloc(keep + 4);
    if (!out)
        return NULL;
    memcpy(out, s, keep);
    strcpy(out + keep, keep < len ? "..." : "");
    return out;
}

json_t *cfn_response_data(const run_state *st, const run_result *res, int ran)
{
    char code[16] = "";
    if (res && res->has_exit_code)
        snprintf(code, sizeof code, "%d", res->exit_code);
    const char *list[RUN_MAX_TASKS];
    size_t n = st ? run_state_arns(st, list) : 0;
    char *arns = arn_list(list, n);
    char *stopped = bounded(res ? res->stopped_reason : "", CFN_DATA_REASON_MAX);
    json_t *data =
        arns && stopped
            ? json_pack("{s:s, s:s, s:s, s:s, s:s}", "TaskArn", n ? list[0] : "", "TaskArns", arns,
                        "ExitCode", code, "StoppedReason", stopped, "Ran", ran ? "true" : "false")
            : NULL;
    free(arns);
    free(stopped);
    return data;
}

/* --- the body --------------------------------------------------------------- */

static json_t *clean_data(const json_t *data, const redactor *r)
{
    json_t *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)data, key, v)
    {
        char *text = redact_dup_clean(r, json_is_string(v) ? json_string_value(v) : "");
        int rc = text ? json_object_set_new(out, key, json_string(text)) : -1;
        free(text);
        if (rc != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* The body with reason_text (NULL: none) and data (NULL: none). */
static char *dump(const cfn_request *req, const cfn_answer *o, const char *reason_text,
                  const json_t *data)
{
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "Status", o->success ? "SUCCESS" : "FAILED",
                  "PhysicalResourceId", o->physical_id, "StackId", req->stack_id, "RequestId",
                  req->request_id, "LogicalResourceId", req->logical_resource_id, "NoEcho", 0);
    if (!body)
        return NULL;
    if (reason_text && *reason_text)
        json_object_set_new(body, "Reason", json_string(reason_text));
    if (data)
        json_object_set(body, "Data", (json_t *)data);
    char *out = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return out;
}

static int fits(const char *body)
{
    return body && strlen(body) <= CFN_RESPONSE_MAX;
}

/* The body with the Reason composed in `budget` bytes (0: whole). */
static char *dump_with(const cfn_request *req, const cfn_answer *o, const redactor *r,
                       size_t budget, const json_t *data)
{
    char *text = reason_compose(&o->why, r, budget);
    char *body = text ? dump(req, o, text, data) : NULL;
    free(text);
    return body;
}

/* The body with the longest Reason that fits beside data, when at least
 * `least` bytes of it do. Escaping makes a reason byte cost 1 to 6 body
 * bytes, so the budget is searched for. */
static char *fit_reason(const cfn_request *req, const cfn_answer *o, const redactor *r,
                        const json_t *data, size_t least)
{
    char *whole = dump_with(req, o, r, 0, data);
    if (!whole || fits(whole))
        return whole;
    free(whole);
    size_t lo = 0, hi = CFN_RESPONSE_MAX;
    while (lo < hi) { /* the largest budget whose body fits */
        size_t mid = lo + (hi - lo + 1) / 2;
        char *t = mid >= sizeof REASON_CUT_MARKER ? dump_with(req, o, r, mid, data) : NULL;
        if (fits(t))
            lo = mid;
        else
            hi = mid - 1;
        free(t);
    }
    if (lo < least || lo < sizeof REASON_CUT_MARKER)
        return NULL;
    return dump_with(req, o, r, lo, data);
}

char *cfn_response_build(const cfn_request *req, const cfn_answer *o, const redactor *r)
{
    json_t *data = o->data ? clean_data(o->data, r) : NULL;
    if (o->data && !data)
        return NULL;
    char *body;
    if (o->success) {
        body = dump(req, o, NULL, data);
        if (body && !fits(body)) { /* identifiers too long beside Data: drop Data */
            free(body);
            body = dump(req, o, NULL, NULL);
        }
    } else {
        body = fit_reason(req, o, r, data, CFN_REASON_MIN);
        if (!body && data)
            body = fit_reason(req, o, r, NULL, 0);
        if (!body) /* identifiers too long for anything else (request.c bounds them) */
            body = dump(req, o, NULL, NULL);
    }
    json_decref(data);
    return body;
}

/* --- sending ------------------------------------------------------------- */

static int put_once(http_client *http, const char *url, const char *body, int64_t timeout_ms,
                    aws_error *err)
{
    /* An empty Content-Type: the pre-signed URL was signed without one. */
    http_header headers[] = {{"Content-Type", ""}};
    http_request req = {.method = "PUT",
                        .url = url,
                        .headers = headers,
                        .n_headers = 1,
                        .body = body,
                        .body_len = strlen(body),
                        .timeout_ms = timeout_ms,
                        .connect_timeout_ms = 5000};
    http_response resp;
    if (http_send(http, &req, &resp, err) != 0)
        return -1;
    int rc = 0;
    if (resp.status < 200 || resp.status >= 300) {
        aws_error_decode(err, (int)resp.status, NULL, resp.body.data, resp.body.len, NULL);
        rc = -1;
    }
    http_response_free(&resp);
    return rc;
}

/* S3 answers a PUT with 5xx when it is briefly unable to; anything else
 * (403: the URL expired or was tampered with) will not change on a retry. */
static retry_kind classify_put(const aws_error *err)
{
    if (err->http_status == 0)
        return RETRY_TRANSPORT;
    return err->http_status >= 500 ? RETRY_TRANSIENT : RETRY_NONE;
}

typedef struct put_ctx {
    http_client *http;
    const char *url;
    const char *body;
} put_ctx;

static int put_attempt(void *ctx, int64_t timeout_ms, aws_error *err)
{
    put_ctx *p = ctx;
    return put_once(p->http, p->url, p->body, timeout_ms, err);
}

int cfn_response_send(http_client *http, const clk *clock, const char *url, const char *body,
                      int64_t deadline_ms, aws_error *err)
{
    retry_policy policy = {.clock = clock,
                           .deadline_ms = deadline_ms,
                           .max_attempts = CFN_PUT_ATTEMPTS,
                           .attempt_timeout_ms = CFN_PUT_TIMEOUT_MS,
                           .min_attempt_ms = CFN_PUT_MIN_TIME_MS,
                           .classify = classify_put,
                           .quota = NULL,
                           .what = "response PUT"};
    put_ctx ctx = {http, url, body};
    if (retry_run(&policy, put_attempt, &ctx, err) != 0)
        return -1;
    log_msg(LOG_INFO, "response sent to CloudFormation (attempt %d)", err->attempts);
    return 0;
}
