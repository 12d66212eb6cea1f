#include "aws/retry.h"

#include <stdlib.h>
#include <string.h>

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

static int in_list(const char *const *list, const char *code)
{
    for (; *list; list++)
        if (!strcmp(*list, code))
            return 1;
    return 0;
}

int retry_is_throttling_code(const char *code)
{
    return in_list(throttling_codes, code);
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
    if (in_list(transient_codes, err->code))
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
