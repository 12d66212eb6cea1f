/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_error: what went wrong in one AWS call, as plain data.
 *
 * Fixed-size fields, so an error can be copied, returned and logged with no
 * ownership to track. `code` is the AWS error code without any namespace
 * ("ClusterNotFoundException", not "com.amazonaws...#ClusterNotFoundException"),
 * or one of the AWS_ERR_* codes below for failures that never reached AWS.
 */
#ifndef ECS_AWS_ERROR_H
#define ECS_AWS_ERROR_H

#include <stddef.h>

#include "util/redact.h"

/* Codes for errors that are not AWS error codes. */
#define AWS_ERR_TRANSPORT "TransportError"     /* connection refused/reset, DNS, TLS */
#define AWS_ERR_TIMEOUT "RequestTimeout"       /* no answer within the request timeout */
#define AWS_ERR_DEADLINE "DeadlineExceeded"    /* the caller's deadline left no time */
#define AWS_ERR_CREDENTIALS "CredentialsError" /* no usable credentials */
#define AWS_ERR_CONFIG "ConfigurationError"    /* region, endpoint or profile problem */
#define AWS_ERR_PARSE "InvalidResponse"        /* a 2xx answer we could not understand */
#define AWS_ERR_INTERNAL "InternalError"       /* out of memory, a bug */

typedef struct aws_error {
    int http_status; /* 0 when no HTTP answer was received */
    char code[128];  /* never empty once set */
    char message[768];
    int attempts; /* how many HTTP attempts the call made */
} aws_error;

/* Clears an error to "no error" (code and message empty). */
void aws_error_clear(aws_error *err);

/* Fills an error. The message is printf-formatted and truncated to fit. */
void aws_error_set(aws_error *err, int http_status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Decodes an AWS error answer (status >= 300) into err. Understands, in order:
 *   - a JSON body {"__type": "ns#Code", "message"|"Message": "..."};
 *   - the X-Amzn-ErrorType header ("Code:http://..." forms too), errortype may be NULL;
 *   - an XML body <Error><Code>..</Code><Message>..</Message></Error>, at any depth
 *     (query protocol, S3, and moto's auth errors);
 *   - otherwise: code "HTTP<status>" (e.g. "HTTP503"), and a message made from the
 *     start of the body when it is printable text.
 * The message is masked whole with r (may be NULL), then cut to fit on a UTF-8
 * boundary; when r is blind (redact_is_blind) the message is withheld, since
 * it could echo a secret that cannot be masked. The code keeps only the
 * characters an error code has ([A-Za-z0-9._-]).
 * Never fails; body may be NULL.
 */
void aws_error_decode(aws_error *err, int http_status, const char *errortype, const char *body,
                      size_t body_len, const redactor *r);

/* "Code: message" (or just the code), for reasons and logs. Borrowed from err. */
const char *aws_error_str(const aws_error *err, char *out, size_t cap);

#endif
