/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credentials: the AWS credential provider chain (README: AWS access).
 *
 * In order, the first that yields credentials wins:
 *   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
 *   2. shared files: the profile's aws_access_key_id / aws_secret_access_key /
 *      aws_session_token (see profile.h);
 *   3. container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2)
 *      or AWS_CONTAINER_CREDENTIALS_FULL_URI, with the Authorization header from
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN or the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
 *   4. EC2 instance metadata, IMDSv2 (PUT token, then the role's credentials),
 *      at AWS_EC2_METADATA_SERVICE_ENDPOINT or http://169.254.169.254,
 *      skipped when AWS_EC2_METADATA_DISABLED=true.
 * Credentials with an expiration are cached until 5 minutes before it, then
 * fetched again; static ones are cached for the life of the provider.
 */
#ifndef ECS_AWS_CREDENTIALS_H
#define ECS_AWS_CREDENTIALS_H

#include <stdint.h>

#include "aws/error.h"
#include "aws/http.h"
#include "util/clock.h"

typedef struct aws_credentials {
    char access_key_id[128];
    char secret_access_key[256];
    char session_token[4096]; /* "" when none */
    int64_t expiration_ms;    /* Unix ms; 0 = does not expire */
    char source[32];          /* "environment", "profile", "container", "imds" */
} aws_credentials;

/* Refresh this long before expiry. */
#define AWS_CREDENTIALS_REFRESH_MARGIN_MS (5 * 60 * 1000)

typedef struct aws_credentials_provider aws_credentials_provider;

/* A provider using http (borrowed; must outlive it) for the container and IMDS
 * sources and clock (borrowed) for expiry. NULL when out of memory. */
aws_credentials_provider *aws_credentials_provider_new(http_client *http, const clk *clock);
void aws_credentials_provider_free(aws_credentials_provider *p);

/* Copies current credentials into *out. Returns 0, or -1 with err
 * (AWS_ERR_CREDENTIALS, naming every source tried) when no source has any. */
int aws_credentials_get(aws_credentials_provider *p, aws_credentials *out, aws_error *err);

/* Parses the JSON document the container and IMDS sources return
 * ({"AccessKeyId","SecretAccessKey","Token","Expiration":"2026-...Z"}).
 * Returns 0 or -1. Exposed for tests. */
int aws_credentials_parse_json(const char *json, aws_credentials *out);

#endif
