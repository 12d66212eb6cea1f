/* SPDX-License-Identifier: Apache-2.0 */
/*
 * retry: the AWS SDKs' "standard" retry mode: pure decisions, and the one
 * deadline-aware loop that applies them.
 *
 *   - retryable: throttling error codes, transient codes, HTTP 500/502/503/504,
 *     transport errors and timeouts;
 *   - max attempts: AWS_MAX_ATTEMPTS (default 3), counting the first try;
 *   - delay before retry i (1-based): jitter * min(2^(i-1) s, 20 s), jitter in [0,1);
 *   - a retry quota (500 tokens; a retry costs 5, 10 after a timeout or transport
 *     error; a success refunds 1 or the cost of the retry that led to it), so a
 *     failing endpoint is not hammered by every call of a long-lived process.
 *
 * The decisions do no I/O, so every rule is tested with plain values.
 * retry_run() is the loop every retried call goes through (the AWS calls of
 * aws/client.c and the CloudFormation response PUT): it never starts an
 * attempt, or sleeps, past the caller's deadline.
 */
#ifndef ECS_AWS_RETRY_H
#define ECS_AWS_RETRY_H

#include <stdint.h>

#include "aws/error.h"
#include "util/clock.h"

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

/* One attempt of a retried operation: returns 0 on success, or -1 with err
 * set. timeout_ms is how long the attempt may take. */
typedef int (*retry_attempt)(void *ctx, int64_t timeout_ms, aws_error *err);

typedef struct retry_policy {
    const clk *clock;
    int64_t deadline_ms;        /* Unix ms; 0 = none */
    int max_attempts;           /* >= 1, counting the first */
    int64_t attempt_timeout_ms; /* per attempt, cut to the time left */
    int64_t min_attempt_ms;     /* an attempt with less time left is not made */
    retry_kind (*classify)(const aws_error *err);
    retry_quota *quota; /* may be NULL: no quota */
    const char *what;   /* names the operation in log lines: "ECS RunTask" */
} retry_policy;

/*
 * Runs attempt until it succeeds, an error is not retryable (classify), the
 * attempts or the quota are used up, or the deadline leaves no room for the
 * backoff and one more attempt. Sleeps the backoff with the policy's clock.
 * Returns 0, or -1 with err holding the last error (AWS_ERR_DEADLINE when no
 * attempt could be made at all); err->attempts counts the attempts made.
 */
int retry_run(const retry_policy *p, retry_attempt attempt, void *ctx, aws_error *err);

#endif
