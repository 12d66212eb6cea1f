/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4: AWS Signature Version 4 for request headers, on OpenSSL.
 *
 * Our own signer rather than libcurl's CURLOPT_AWS_SIGV4 (doc/architecture.md):
 * it must sign Lambda paths holding ARNs, unsorted and unencoded query
 * strings, repeated headers and any body exactly as botocore does.
 *
 * The caller gives the request as it will be sent; sigv4_sign computes the
 * canonical request, the string to sign, the signature and the headers to add.
 * It is tested against the official AWS SigV4 test suite and against botocore.
 */
#ifndef ECS_AWS_SIGV4_H
#define ECS_AWS_SIGV4_H

#include <stddef.h>

typedef struct sigv4_header {
    const char *name;  /* any case; repeated names are joined with ',' */
    const char *value; /* leading/trailing spaces trimmed, inner runs folded */
} sigv4_header;

typedef struct sigv4_request {
    const char *method;
    const char *path;            /* as sent on the wire (may be already encoded) */
    const char *query;           /* without '?', as sent; may be NULL or "" */
    const sigv4_header *headers; /* must include Host; borrowed */
    size_t n_headers;
    const void *payload; /* may be NULL when payload_len is 0 */
    size_t payload_len;
} sigv4_request;

typedef struct sigv4_params {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL or "" when none */
    const char *region;
    const char *service;     /* signing name: "ecs", "lambda", ... */
    const char *amz_date;    /* "YYYYMMDDTHHMMSSZ" */
    int normalize_path;      /* remove dot segments and empty segments (all but S3) */
    int double_encode_path;  /* encode the already-encoded path again (all but S3) */
    int sign_payload_header; /* add and sign X-Amz-Content-Sha256 (S3) */
} sigv4_params;

/* What signing produced. Every string is owned by the result. */
typedef struct sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char signature[65];  /* lower-case hex */
    char *authorization; /* value of the Authorization header */
    /* Headers the caller must add to the request, besides Authorization:
     * X-Amz-Date, then X-Amz-Security-Token when a token was given, then
     * X-Amz-Content-Sha256 when sign_payload_header. Names and values are
     * owned by the result. */
    sigv4_header added[3];
    size_t n_added;
} sigv4_result;

/* Signs. Returns 0, or -1 (out of memory or invalid input: missing Host,
 * malformed amz_date); *out is then empty and need not be freed. */
int sigv4_sign(const sigv4_request *req, const sigv4_params *p, sigv4_result *out);

void sigv4_result_free(sigv4_result *r);

/* "YYYYMMDDTHHMMSSZ" for a Unix time in ms; out must hold 17 bytes. */
void sigv4_format_date(long long epoch_ms, char out[17]);

/* RFC 3986 percent-encoding of s, leaving A-Z a-z 0-9 - _ . ~ and, when
 * keep_slash, '/'. Returns a new string (caller frees) or NULL. */
char *sigv4_uri_encode(const char *s, int keep_slash);

#endif
