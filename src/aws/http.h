/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http: HTTP/1.1 requests through libcurl, one reused connection per origin.
 *
 * An http_client keeps one CURL easy handle per scheme://host:port, so the
 * TCP connection and the TLS session are set up once and reused for every
 * call to that endpoint. Nothing is set up before the first request: libcurl
 * (and with it OpenSSL and the resolver) and the trust store on first use.
 *
 * TLS verification is always on, against the trust store aws/trust.h
 * chooses at the first https request. Proxies: libcurl's own reading of
 * HTTPS_PROXY / https_proxy, HTTP_PROXY / http_proxy and NO_PROXY / no_proxy.
 *
 * No header is added that the caller did not give, except Host and
 * Content-Length; libcurl's automatic "Expect: 100-continue" and
 * "Content-Type: application/x-www-form-urlencoded" are suppressed (both would
 * break signatures or CloudFormation's empty Content-Type).
 *
 * A header name or value holding a control character (a CR or LF would end
 * the header and start another) is never sent: http_send refuses the whole
 * request. Callers check values from outside first (http_header_value_ok), so
 * that their error can name where the value came from.
 */
#ifndef ECS_AWS_HTTP_H
#define ECS_AWS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "aws/error.h"
#include "util/buf.h"

/* Largest response body accepted (bigger answers fail as AWS_ERR_PARSE). */
#define HTTP_MAX_BODY (16u * 1024u * 1024u)

typedef struct http_header {
    const char *name;
    const char *value;
} http_header;

typedef struct http_request {
    const char *method;         /* "GET", "POST", "PUT" */
    const char *url;            /* absolute, already percent-encoded */
    const http_header *headers; /* borrowed; may be NULL when n_headers is 0 */
    size_t n_headers;
    const char *body; /* borrowed; may be NULL */
    size_t body_len;
    int64_t timeout_ms;         /* whole-request limit; 0 = none (long polls) */
    int64_t connect_timeout_ms; /* 0 = libcurl's default */
} http_request;

typedef struct http_response {
    long status;
    buf body;             /* owned by the response */
    char **header_names;  /* owned; lower-cased */
    char **header_values; /* owned; trimmed */
    size_t n_headers;
} http_response;

typedef struct http_client http_client;

/* Whether value can be sent as a header value: no control character (bytes
 * below 0x20, and 0x7f; a tab is refused too). NULL gives 0. */
int http_header_value_ok(const char *value);

/* A new client, or NULL when out of memory. Free with http_client_free. */
http_client *http_client_new(void);
void http_client_free(http_client *c);

/*
 * Sends one request. Returns 0 when an HTTP answer of any status arrived
 * (*resp filled; free it with http_response_free), or -1 with err set to
 * AWS_ERR_TRANSPORT or AWS_ERR_TIMEOUT (resp left empty, nothing to free),
 * or AWS_ERR_CONFIG without sending anything when a header fails
 * http_header_value_ok (the message names the header, never its value).
 */
int http_send(http_client *c, const http_request *req, http_response *resp, aws_error *err);

/* First value of a response header, case-insensitive name; NULL if absent.
 * Borrowed from resp. */
const char *http_response_header(const http_response *resp, const char *name);

void http_response_free(http_response *resp);

#endif
