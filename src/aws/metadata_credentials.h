/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metadata_credentials: the two credential sources the platform serves over
 * plain HTTP on a local address, used by the chain (credentials.h) and by a
 * profile's credential_source.
 *
 * Container (ECS, EKS Pod Identity, Fargate, Lambda's own agent):
 *   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, a path on http://169.254.170.2:
 *     it must start with '/' (else "@evil.example/x" would make the URL
 *     http://169.254.170.2@evil.example/x and send the token elsewhere);
 *   else AWS_CONTAINER_CREDENTIALS_FULL_URI: https, or plain http to
 *     loopback (127.0.0.0/8, ::1, localhost) or the ECS/EKS link-local hosts,
 *     judged on the host curl's URL parser finds, with no user info;
 *   Authorization header: the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
 *     (read at every fetch; one trailing line end dropped; at most 16 KiB), else
 *     AWS_CONTAINER_AUTHORIZATION_TOKEN.
 *   A URI or token with a control character is refused, naming the variable
 *   or the file; nothing is sent.
 *
 * IMDSv2: PUT /latest/api/token, then the role name and the role's
 * credentials, at AWS_EC2_METADATA_SERVICE_ENDPOINT or http://169.254.169.254;
 * skipped when AWS_EC2_METADATA_DISABLED=true. The session token and the
 * role name it answers are checked before they go into a header or a path.
 *
 * Each request has a 2 s timeout (1 s to connect): these are local services.
 * Credentials in the answers are checked as aws_credentials_fill says.
 */
#ifndef ECS_AWS_METADATA_CREDENTIALS_H
#define ECS_AWS_METADATA_CREDENTIALS_H

#include <stddef.h>

#include "aws/credentials.h"
#include "aws/http.h"

typedef enum {
    METADATA_FOUND = 0, /* *out filled */
    METADATA_ABSENT,    /* not configured (or IMDS disabled); why says so */
    METADATA_FAILED,    /* configured, but no credentials came; why says why */
    METADATA_REFUSED,   /* the configuration is unsafe or malformed; why names it */
} metadata_status;

/* The container source. why (cap bytes) never holds a token or a secret.
 * out->source is "container". */
metadata_status metadata_container_credentials(http_client *http, aws_credentials *out, char *why,
                                               size_t cap);

/* The IMDSv2 source. out->source is "imds". */
metadata_status metadata_imds_credentials(http_client *http, aws_credentials *out, char *why,
                                          size_t cap);

/* Parses the JSON document both sources answer
 * ({"AccessKeyId","SecretAccessKey","Token","Expiration":"2026-...Z"}) into
 * *out, checked as aws_credentials_fill says (where names the source for
 * why). Returns 0, or -1 with why. Exposed for tests and the fuzzer. */
int metadata_parse_credentials(const char *json, const char *where, aws_credentials *out, char *why,
                               size_t cap);

#endif
