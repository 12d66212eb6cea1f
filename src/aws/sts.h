/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sts: the two AWS STS calls the credential chain makes, in the query
 * protocol (Version 2011-06-15), through aws_call_query:
 *
 *   AssumeRole                 signed with the source credentials: make c
 *                              with aws_client_new_config and .credentials;
 *   AssumeRoleWithWebIdentity  unsigned (the token is the proof): make c with
 *                              .unsigned_requests = 1.
 *
 * The answer's <Credentials> (AccessKeyId, SecretAccessKey, SessionToken,
 * Expiration) is parsed with expat and checked as aws_credentials_fill says.
 * Errors are STS's own (AccessDenied, InvalidIdentityToken, ...) as
 * aws_error_decode reads them, prefixed with the call and the role ARN; they
 * never hold a token or a secret.
 */
#ifndef ECS_AWS_STS_H
#define ECS_AWS_STS_H

#include <stddef.h>

#include "aws/client.h"
#include "aws/credentials.h"

#define STS_API_VERSION "2011-06-15"

typedef struct sts_role_request {
    const char *role_arn;     /* required */
    const char *session_name; /* required */
    const char *external_id;  /* AssumeRole only; NULL or "" = none */
    int duration_seconds;     /* 0 = STS's default (one hour) */
} sts_role_request;

/* AssumeRole. On success returns 0 and fills *out (source "assume_role");
 * otherwise -1 with err. All strings are borrowed for the call. */
int sts_assume_role(aws_client *c, const sts_role_request *r, aws_credentials *out, aws_error *err);

/* AssumeRoleWithWebIdentity with token (borrowed). On success returns 0 and
 * fills *out (source "web_identity"); otherwise -1 with err. */
int sts_assume_role_with_web_identity(aws_client *c, const sts_role_request *r, const char *token,
                                      aws_credentials *out, aws_error *err);

/* Parses an AssumeRole or AssumeRoleWithWebIdentity answer's Credentials
 * into *out. Returns 0, or -1 with why (never a value). Exposed for tests and
 * the fuzzer. */
int sts_parse_credentials(const char *xml, size_t len, aws_credentials *out, char *why, size_t cap);

#endif
