/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny HTTP/1.1 server on 127.0.0.1 for unit tests: answers each request
 * with the next canned response, keeping connections alive, and keeps what
 * it received (head and body) for the test to check. */
#ifndef TEST_CANNED_SERVER_H
#define TEST_CANNED_SERVER_H

#include <stddef.h>

typedef struct canned_response {
    int status;
    const char *headers; /* extra header lines, each ending "\r\n"; may be NULL */
    const char *body;
} canned_response;

/* Starts serving responses[0..n) in order (the last one repeats). Returns the
 * port. */
int canned_server_start(const canned_response *responses, size_t n);

/* Requests received so far, and how many TCP connections carried them. */
size_t canned_server_requests(void);
size_t canned_server_connections(void);

/* The request line and headers of request i (0-based), NUL-terminated; ""
 * when there is no such request. */
const char *canned_server_request(size_t i);

/* The value of header `name` (any case) in request i, without the spaces
 * around it, copied into out (cap bytes, cut to fit); NULL when request i
 * has no such header. The first one when it is repeated. */
const char *canned_server_header(size_t i, const char *name, char *out, size_t cap);

/* The body of request i, NUL-terminated; "" when none. */
const char *canned_server_body(size_t i);

/* How many requests so far hold `needle` in their head or body (for
 * example an X-Amz-Target operation name). */
size_t canned_server_count(const char *needle);

void canned_server_stop(void);

#endif
