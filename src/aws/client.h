/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client: one signed, retried AWS call, in each of the three wire protocols.
 *
 * The only place that builds AWS URLs and headers. An aws_client holds the
 * region, the credential provider, the HTTP connections (one per endpoint,
 * reused) and the retry quota; it is not thread-safe.
 *
 * Every call:
 *   - resolves the service endpoint (endpoint.h) once and remembers it;
 *   - signs with SigV4 (sigv4.h) using current credentials;
 *   - retries as the standard retry mode says (retry.h), sleeping with the
 *     injected clock, and never sleeps or waits past the deadline: the
 *     per-attempt timeout is cut to the time left, and a retry whose backoff
 *     would end after the deadline is not made (the last error is returned);
 *   - on an error answer, decodes it (error.h) into err.
 */
#ifndef ECS_AWS_CLIENT_H
#define ECS_AWS_CLIENT_H

#include <jansson.h>
#include <stdint.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/error.h"
#include "aws/http.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/redact.h"

/* Default whole-request timeout of one attempt (cut to the deadline). */
#define AWS_ATTEMPT_TIMEOUT_MS 20000
#define AWS_CONNECT_TIMEOUT_MS 5000

typedef struct aws_client aws_client;

/* A client for the region aws_region_resolve() finds, with the standard
 * credential chain. clock is borrowed (NULL = clk_system()). Returns NULL with
 * err set when no region is configured or memory runs out. */
aws_client *aws_client_new(const clk *clock, aws_error *err);

/* How aws_client_new_config makes a client; a zeroed struct gives what
 * aws_client_new gives. */
typedef struct aws_client_config {
    const clk *clock;   /* borrowed; NULL = clk_system() */
    const char *region; /* copied, checked with aws_region_valid; NULL = aws_region_resolve() */
    http_client *http;  /* borrowed, must outlive the client; NULL = one of its own */
    /* Copied (and wiped on free): sign with these and only these; NULL = the
     * standard chain (credentials.h). The credential chain uses it for STS
     * AssumeRole with a role's source credentials. */
    const aws_credentials *credentials;
    /* Send requests unsigned (no credentials looked up, no Authorization):
     * for STS AssumeRoleWithWebIdentity, whose token is the proof. */
    int unsigned_requests;
} aws_client_config;

/* A client made as config says. Returns NULL with err set when the region is
 * missing or invalid, or memory runs out. */
aws_client *aws_client_new_config(const aws_client_config *config, aws_error *err);
void aws_client_free(aws_client *c);

/* The region in use. Borrowed. */
const char *aws_client_region(const aws_client *c);

/* The HTTP client underneath (borrowed), shared with whoever needs plain HTTP. */
http_client *aws_client_http(aws_client *c);

/* Calls made from now on must end by deadline_ms (Unix ms); 0 = no deadline.
 * The credential chain's own calls (STS, credential_process) keep it too. */
void aws_client_set_deadline(aws_client *c, int64_t deadline_ms);

/* The redactor that masks AWS error messages from now on (borrowed: the
 * caller keeps it alive while set; NULL = none). See aws_error_decode. */
void aws_client_set_redactor(aws_client *c, const redactor *r);

/* Overrides AWS_MAX_ATTEMPTS (>= 1). */
void aws_client_set_max_attempts(aws_client *c, int max_attempts);

/*
 * JSON 1.1 protocol (ECS, Secrets Manager, SSM, Logs): POST / with
 * X-Amz-Target: <svc->json_target>.<operation>. request is borrowed (NULL
 * sends {}). On success returns 0 and *out holds the parsed answer (a new
 * reference; json_decref it). On failure returns -1 with err set.
 */
int aws_call_json(aws_client *c, const aws_service *svc, const char *operation,
                  const json_t *request, json_t **out, aws_error *err);

/*
 * REST protocol (Lambda): method and path (already percent-encoded; the
 * signer encodes it again as SigV4 requires), optional query (encoded, no '?')
 * and extra headers. On a 2xx answer returns 0 and fills *resp (free with
 * http_response_free); otherwise returns -1 with err set.
 */
int aws_call_rest(aws_client *c, const aws_service *svc, const char *method, const char *path,
                  const char *query, const http_header *headers, size_t n_headers, const char *body,
                  size_t body_len, http_response *resp, aws_error *err);

/*
 * Query protocol (CloudFormation): POST / form-encoded
 * Action=<action>&Version=<version>&<params...>. params is an array of
 * n_params name/value pairs (values are encoded here). On success returns 0
 * and *xml holds the answer body (initialise it with buf_init; the caller
 * frees it); otherwise -1 with err set.
 */
int aws_call_query(aws_client *c, const aws_service *svc, const char *action, const char *version,
                   const http_header *params, size_t n_params, buf *xml, aws_error *err);

#endif
