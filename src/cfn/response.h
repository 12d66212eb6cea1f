/*
 * response: the answer to CloudFormation (SPEC section 5).
 *
 * A JSON body of at most CFN_RESPONSE_MAX bytes, PUT to the pre-signed
 * ResponseURL with an empty Content-Type (the URL's signature covers it).
 * The Reason is cut, with a marker, when the body would not fit; secrets
 * registered with log_add_secret never appear in it.
 */
#ifndef ECS_CFN_RESPONSE_H
#define ECS_CFN_RESPONSE_H

#include <jansson.h>
#include <stdint.h>

#include "aws/error.h"
#include "aws/http.h"
#include "cfn/request.h"
#include "util/clock.h"

#define CFN_RESPONSE_MAX 4096
#define CFN_REASON_CUT_MARKER " [...cut to fit]"
/* Attempts of the PUT (retried on 5xx and connection errors). */
#define CFN_PUT_ATTEMPTS 5

typedef struct cfn_outcome {
    int success;
    const char *reason;               /* may be NULL on success */
    const char *physical_resource_id; /* never NULL */
    const json_t *data;               /* object of strings, or NULL; borrowed */
} cfn_outcome;

/* Builds the body for req. Returns a new string of at most CFN_RESPONSE_MAX
 * bytes (caller frees), or NULL when out of memory. */
char *cfn_response_build(const cfn_request *req, const cfn_outcome *outcome);

/*
 * PUTs body to url. Retries 5xx answers and transport errors with backoff
 * (clock injected) until CFN_PUT_ATTEMPTS or deadline_ms (Unix ms; 0 = none).
 * Returns 0 when S3 answered 2xx, else -1 with err set.
 */
int cfn_response_send(http_client *http, const clk *clock, const char *url, const char *body,
                      int64_t deadline_ms, aws_error *err);

#endif
