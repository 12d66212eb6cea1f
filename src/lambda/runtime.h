/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime: the Lambda Runtime API client loop (custom runtime, provided.al2023).
 *
 *   GET  /2018-06-01/runtime/invocation/next            -> event + headers
 *   POST /2018-06-01/runtime/invocation/{id}/response   <- handler's answer
 *   POST /2018-06-01/runtime/invocation/{id}/error      <- handler's error
 *   POST /2018-06-01/runtime/init/error                 <- start-up failure
 *
 * The loop survives any handler error: it reports it on /error and asks for
 * the next event. Each invocation's trace id is exported as _X_AMZN_TRACE_ID
 * while the handler runs.
 */
#ifndef ECS_LAMBDA_RUNTIME_H
#define ECS_LAMBDA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct lambda_invocation {
    const char *request_id;   /* Lambda-Runtime-Aws-Request-Id */
    int64_t deadline_ms;      /* Lambda-Runtime-Deadline-Ms (Unix ms); 0 if absent */
    const char *function_arn; /* Lambda-Runtime-Invoked-Function-Arn, or "" */
    const char *trace_id;     /* Lambda-Runtime-Trace-Id, or "" */
    const char *event;        /* the payload, NUL-terminated */
    size_t event_len;
} lambda_invocation;

/* A handler's outcome: on success it fills `response` (sent to /response);
 * on failure it fills error_type and error_message (sent to /error). */
typedef struct lambda_result {
    int ok;
    buf response;
    char error_type[128];
    char error_message[1024];
} lambda_result;

/* All strings in inv are borrowed for the duration of the call. */
typedef void (*lambda_handler)(const lambda_invocation *inv, lambda_result *result, void *ctx);

/*
 * Serves events from the Runtime API at `api` (host:port, the value of
 * AWS_LAMBDA_RUNTIME_API) until max_events were handled (0 = forever) or the
 * API becomes unreachable. Returns 0 after max_events, 1 when the Runtime API
 * failed (the process should exit non-zero).
 */
int lambda_runtime_run(const char *api, lambda_handler handler, void *ctx, long max_events);

/* Lambda-Runtime-Deadline-Ms as Unix ms, or 0 when absent or not a positive
 * number. */
int64_t lambda_runtime_parse_deadline(const char *header);

/*
 * How an invocation that may outlive its time spends it. A quarter of it,
 * at least LAMBDA_MARGIN_MIN_MS and at most LAMBDA_MARGIN_MAX_MS, is kept
 * back before the deadline to answer or hand over: stop waiting at
 * stop_at_ms; AWS calls may run into the first half of the margin
 * (calls_until_ms), the second half is the answer's whatever a slow call
 * did. Without a deadline in the future (ecs-tasks invoke), Lambda's
 * maximum of 15 minutes from now.
 */
#define LAMBDA_MAX_BUDGET_MS (15 * 60 * 1000)
#define LAMBDA_MARGIN_MIN_MS 2000
#define LAMBDA_MARGIN_MAX_MS 10000

typedef struct lambda_budget {
    int64_t deadline_ms;    /* Unix ms */
    int64_t stop_at_ms;     /* stop waiting, answer or hand over */
    int64_t calls_until_ms; /* the last moment an AWS call may use */
} lambda_budget;

lambda_budget lambda_invocation_budget(const lambda_invocation *inv, int64_t now_ms);

/* Whether a request id can go into a Runtime API path (non-empty, no '/',
 * '?', '#', '%', whitespace or control characters, at most 255 bytes). */
int lambda_runtime_valid_request_id(const char *id);

/* Reports a start-up failure on /init/error. Returns 0 when it was delivered. */
int lambda_runtime_init_error(const char *api, const char *error_type, const char *message);

#endif
