/*
 * retry: the AWS SDKs' "standard" retry mode, as pure decisions.
 *
 *   - retryable: throttling error codes, transient codes, HTTP 500/502/503/504,
 *     transport errors and timeouts;
 *   - max attempts: AWS_MAX_ATTEMPTS (default 3), counting the first try;
 *   - delay before retry i (1-based): jitter * min(2^(i-1) s, 20 s), jitter in [0,1);
 *   - a retry quota (500 tokens; a retry costs 5, 10 after a timeout or transport
 *     error; a success refunds 1 or the cost of the retry that led to it), so a
 *     failing endpoint is not hammered by every call of a long-lived process.
 *
 * The loop that sends requests (aws/client.c) asks these functions; nothing
 * here does I/O, so every rule is tested with plain values.
 */
#ifndef ECS_AWS_RETRY_H
#define ECS_AWS_RETRY_H

#include <stdint.h>

#include "aws/error.h"

typedef enum {
    RETRY_NONE = 0,   /* not retryable */
    RETRY_THROTTLING, /* a throttling error code */
    RETRY_TRANSIENT,  /* 5xx or a transient error code */
    RETRY_TRANSPORT,  /* no answer: connection or timeout */
} retry_kind;

typedef struct retry_quota {
    int tokens; /* starts at RETRY_QUOTA_INITIAL */
} retry_quota;

#define RETRY_QUOTA_INITIAL 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10
#define RETRY_DEFAULT_MAX_ATTEMPTS 3
#define RETRY_MAX_BACKOFF_MS 20000

/* Classifies a failed attempt. */
retry_kind retry_classify(const aws_error *err);

/* Whether code is one of the standard throttling codes. */
int retry_is_throttling_code(const char *code);

/* Max attempts from AWS_MAX_ATTEMPTS (a positive integer), else the default. */
int retry_max_attempts_from_env(void);

/* Delay in ms before retry number `retry` (1 = the first retry), given a
 * jitter in [0,1). */
int64_t retry_backoff_ms(int retry, double jitter);

void retry_quota_init(retry_quota *q);

/* Takes the cost of retrying after an error of this kind. Returns that cost
 * (to give back on success), or -1 when the quota is exhausted (do not retry). */
int retry_quota_acquire(retry_quota *q, retry_kind kind);

/* Records a success: refunds `cost` (the value retry_quota_acquire returned for
 * the retry that succeeded), or 1 when the first attempt succeeded (cost 0). */
void retry_quota_release(retry_quota *q, int cost);

#endif
