#include "cfn/response.h"

#include <stdlib.h>
#include <string.h>

#include "aws/retry.h"
#include "util/log.h"

/* Per-attempt limit of the PUT: S3 answers in well under a second. */
#define CFN_PUT_TIMEOUT_MS 15000
/* Stop retrying when less than this is left before the deadline: a PUT to
 * S3 in the same region takes tens of milliseconds. */
#define CFN_PUT_MIN_TIME_MS 300

static json_t *body_object(const cfn_request *req, const cfn_outcome *o, const char *reason)
{
    json_t *body = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:b}", "Status", o->success ? "SUCCESS" : "FAILED",
        "PhysicalResourceId", o->physical_resource_id, "StackId", req->stack_id, "RequestId",
        req->request_id, "LogicalResourceId", req->logical_resource_id, "NoEcho", 0);
    if (!body)
        return NULL;
    if (reason && *reason)
        json_object_set_new(body, "Reason", json_string(reason));
    if (o->data)
        json_object_set_new(body, "Data", json_deep_copy(o->data));
    return body;
}

/* The length of the longest prefix of s, at most n bytes, that ends on a
 * UTF-8 character boundary. */
static size_t utf8_prefix(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static char *dump(const cfn_request *req, const cfn_outcome *o, const char *reason)
{
    json_t *body = body_object(req, o, reason);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

/* The body with the first `keep` bytes of reason and the cut marker. */
static char *dump_cut(const cfn_request *req, const cfn_outcome *o, const char *reason, size_t keep)
{
    char *marked = malloc(keep + sizeof CFN_REASON_CUT_MARKER);
    if (!marked)
        return NULL;
    memcpy(marked, reason, keep);
    memcpy(marked + keep, CFN_REASON_CUT_MARKER, sizeof CFN_REASON_CUT_MARKER);
    char *text = dump(req, o, marked);
    free(marked);
    return text;
}

char *cfn_response_build(const cfn_request *req, const cfn_outcome *o)
{
    size_t reason_len = o->reason ? strlen(o->reason) : 0;
    char *reason = malloc(reason_len + 1);
    if (!reason)
        return NULL;
    log_redact(o->reason ? o->reason : "", reason, reason_len + 1);

    char *text = dump(req, o, reason);
    if (text && strlen(text) > CFN_RESPONSE_MAX && reason[0]) {
        /* Escaping makes a reason byte cost 1 to 6 body bytes, so search for
         * the longest prefix that fits rather than computing it. */
        free(text);
        text = NULL;
        size_t lo = 0, hi = strlen(reason);
        while (lo < hi) {
            size_t mid = utf8_prefix(reason, lo + (hi - lo + 1) / 2);
            char *t = mid > lo ? dump_cut(req, o, reason, mid) : NULL;
            if (t && strlen(t) <= CFN_RESPONSE_MAX)
                lo = mid;
            else
                hi = mid > lo ? mid - 1 : lo;
            free(t);
        }
        text = dump_cut(req, o, reason, utf8_prefix(reason, lo));
    }
    free(reason);
    return text;
}

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
        aws_error_decode(err, (int)resp.status, NULL, resp.body.data, resp.body.len);
        rc = -1;
    }
    http_response_free(&resp);
    return rc;
}

static int is_retryable(const aws_error *err)
{
    return err->http_status == 0 || err->http_status >= 500;
}

int cfn_response_send(http_client *http, const clk *clock, const char *url, const char *body,
                      int64_t deadline_ms, aws_error *err)
{
    aws_error_clear(err);
    for (int attempt = 1;; attempt++) {
        int64_t timeout = CFN_PUT_TIMEOUT_MS;
        if (deadline_ms) {
            int64_t left = deadline_ms - clk_now(clock);
            if (left < CFN_PUT_MIN_TIME_MS) {
                if (!err->code[0])
                    aws_error_set(err, 0, AWS_ERR_DEADLINE, "no time left to send the response");
                return -1;
            }
            timeout = left < timeout ? left : timeout;
        }
        int rc = put_once(http, url, body, timeout, err);
        err->attempts = attempt;
        if (rc == 0) {
            log_msg(LOG_INFO, "response sent to CloudFormation (attempt %d)", attempt);
            return 0;
        }
        if (!is_retryable(err) || attempt >= CFN_PUT_ATTEMPTS)
            return -1;
        int64_t delay = retry_backoff_ms(attempt, clk_jitter(clock));
        if (deadline_ms && clk_now(clock) + delay + CFN_PUT_MIN_TIME_MS > deadline_ms)
            return -1;
        log_msg(LOG_WARN, "response PUT failed (%s: %s), retry %d in %lld ms", err->code,
                err->message, attempt, (long long)delay);
        clk_sleep(clock, delay);
    }
}
