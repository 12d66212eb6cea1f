/* SPDX-License-Identifier: Apache-2.0 */
/*
 * response: the answer to CloudFormation.
 *
 * A JSON body of at most CFN_RESPONSE_MAX bytes, whatever the inputs, PUT to
 * the pre-signed ResponseURL with an empty Content-Type (the URL's signature
 * covers it). What goes in, in order of priority:
 *   1. Status and the identifiers CloudFormation matches the answer with
 *      (StackId, RequestId, LogicalResourceId, PhysicalResourceId), as they
 *      are (cfn/request.c bounds the ones that come from the event);
 *   2. the Reason (on FAILED), composed to fit (engine/reason.h: its head
 *      whole, then the newest log lines that fit), masked with the request's
 *      redactor, made valid UTF-8 (lossily: a Reason is never dropped for a
 *      bad byte), cut on a character boundary;
 *   3. Data, each value masked, made valid UTF-8 and bounded
 *      (cfn_response_data), and dropped whole only when even a short Reason
 *      would not fit beside it.
 */
#ifndef ECS_CFN_RESPONSE_H
#define ECS_CFN_RESPONSE_H

#include <jansson.h>
#include <stdint.h>

#include "aws/error.h"
#include "aws/http.h"
#include "cfn/request.h"
#include "engine/reason.h"
#include "engine/run.h"
#include "util/clock.h"
#include "util/redact.h"

#define CFN_RESPONSE_MAX 4096
/* Attempts of the PUT (retried on 5xx and connection errors). */
#define CFN_PUT_ATTEMPTS 5
/* Data bounds: TaskArns keeps the whole ARNs that fit in CFN_DATA_ARNS_MAX
 * bytes; StoppedReason is cut (with "...") to CFN_DATA_REASON_MAX bytes. */
#define CFN_DATA_ARNS_MAX 1536
#define CFN_DATA_REASON_MAX 256
/* Below this many bytes of Reason, Data gives way to the Reason. */
#define CFN_REASON_MIN 512

/* What the handler decided for one request: the answer to send, or that a
 * later invocation will send it (handed_over). Zero it before use; free it
 * with cfn_answer_free. */
typedef struct cfn_answer {
    int handed_over;
    int success;
    reason why;             /* owned; FAILED only */
    char physical_id[1025]; /* CloudFormation allows 1 KB */
    json_t *data;           /* owned; NULL for none */
} cfn_answer;

void cfn_answer_succeed(cfn_answer *a, const char *physical_id);
void cfn_answer_fail(cfn_answer *a, const char *physical_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cfn_answer_free(cfn_answer *a);

/*
 * The Fn::GetAtt attributes of a run: TaskArn, TaskArns (comma-separated),
 * ExitCode (first checked container, or the failing one), StoppedReason and
 * Ran. st and res may be NULL (nothing ran). A new object (caller decrefs),
 * or NULL when out of memory.
 */
json_t *cfn_response_data(const run_state *st, const run_result *res, int ran);

/* Builds the body answering req, masking with r (may be NULL). Returns a new
 * string of at most CFN_RESPONSE_MAX bytes (caller frees), or NULL when out
 * of memory. */
char *cfn_response_build(const cfn_request *req, const cfn_answer *a, const redactor *r);

/*
 * PUTs body to url. Retries 5xx answers and transport errors with backoff
 * (clock injected) until CFN_PUT_ATTEMPTS or deadline_ms (Unix ms; 0 = none),
 * through the same loop as every AWS call (aws/retry.h). Returns 0 when S3
 * answered 2xx, else -1 with err set. Nothing it logs or returns holds the
 * URL's query string.
 */
int cfn_response_send(http_client *http, const clk *clock, const char *url, const char *body,
                      int64_t deadline_ms, aws_error *err);

#endif
