/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/retry.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/strv.h"

static const char *const throttling_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    NULL,
};

static const char *const transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    NULL,
};

int retry_is_throttling_code(const char *code)
{
    return strv_contains(throttling_codes, code);
}

retry_kind retry_classify(const aws_error *err)
{
    if (!strcmp(err->code, AWS_ERR_DEADLINE))
        return RETRY_NONE;
    if (err->http_status == 0 &&
        (!strcmp(err->code, AWS_ERR_TRANSPORT) || !strcmp(err->code, AWS_ERR_TIMEOUT)))
        return RETRY_TRANSPORT;
    if (retry_is_throttling_code(err->code) || err->http_status == 429)
        return RETRY_THROTTLING;
    if (strv_contains(transient_codes, err->code))
        return RETRY_TRANSIENT;
    switch (err->http_status) {
    case 500:
    case 502:
    case 503:
    case 504:
        return RETRY_TRANSIENT;
    default:
        return RETRY_NONE;
    }
}

int retry_max_attempts_from_env(void)
{
    const char *s = getenv("AWS_MAX_ATTEMPTS");
    if (!s || !*s)
        return RETRY_DEFAULT_MAX_ATTEMPTS;
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 1 || n > 100)
        return RETRY_DEFAULT_MAX_ATTEMPTS;
    return (int)n;
}

int64_t retry_backoff_ms(int retry, double jitter)
{
    if (retry < 1)
        retry = 1;
    int64_t ceiling = RETRY_MAX_BACKOFF_MS;
    if (retry <= 15) {
        int64_t exp = (int64_t)1000 << (retry - 1);
        ceiling = exp < RETRY_MAX_BACKOFF_MS ? exp : RETRY_MAX_BACKOFF_MS;
    }
    if (jitter < 0)
        jitter = 0;
    if (jitter >= 1)
        jitter = 0.999999;
    return (int64_t)(jitter * (double)ceiling);
}

void retry_quota_init(retry_quota *q)
{
    q->tokens = RETRY_QUOTA_INITIAL;
}

int retry_quota_acquire(retry_quota *q, retry_kind kind)
{
    int cost = kind == RETRY_TRANSPORT ? RETRY_TIMEOUT_COST : RETRY_COST;
    if (q->tokens < cost)
        return -1;
    q->tokens -= cost;
    return cost;
}

void retry_quota_release(retry_quota *q, int cost)
{
    q->tokens += cost > 0 ? cost : 1;
    if (q->tokens > RETRY_QUOTA_INITIAL)
        q->tokens = RETRY_QUOTA_INITIAL;
}

static int64_t time_left(const retry_policy *p)
{
    return p->deadline_ms ? p->deadline_ms - clk_now(p->clock) : INT64_MAX;
}

int retry_run(const retry_policy *p, retry_attempt attempt, void *ctx, aws_error *err)
{
    aws_error_clear(err);
    int cost = 0;
    for (int n = 1;; n++) {
        int64_t left = time_left(p);
        if (left < p->min_attempt_ms) {
            if (n == 1 || !err->code[0])
                aws_error_set(err, 0, AWS_ERR_DEADLINE, "%s: no time left before the deadline",
                              p->what);
            return -1;
        }
        int64_t timeout = left < p->attempt_timeout_ms ? left : p->attempt_timeout_ms;
        int rc = attempt(ctx, timeout, err);
        err->attempts = n;
        if (rc == 0) {
            if (p->quota)
                retry_quota_release(p->quota, cost);
            return 0;
        }
        retry_kind kind = p->classify(err);
        if (kind == RETRY_NONE || n >= p->max_attempts)
            return -1;
        if (p->quota && (cost = retry_quota_acquire(p->quota, kind)) < 0) {
            log_msg(LOG_WARN, "%s: retry quota exhausted", p->what);
            return -1;
        }
        int64_t delay = retry_backoff_ms(n, clk_jitter(p->clock));
        if (time_left(p) - delay < p->min_attempt_ms)
            return -1;
        log_msg(LOG_WARN, "%s: %s, retry %d/%d in %lld ms", p->what, err->code, n,
                p->max_attempts - 1, (long long)delay);
        clk_sleep(p->clock, delay);
    }
}
