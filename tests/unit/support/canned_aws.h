/* SPDX-License-Identifier: Apache-2.0 */
/* An aws_client pointed at the canned server, for the unit tests of the AWS
 * layer: AWS_ENDPOINT_URL is the server, the region us-east-1, the
 * credentials CANNED_AWS_KEY_ID / CANNED_AWS_SECRET, the clock a fake one.
 * Use it inside aws_env_setup/aws_env_teardown (aws_env.h), which clear the
 * environment it sets. */
#ifndef TEST_CANNED_AWS_H
#define TEST_CANNED_AWS_H

#include <jansson.h>
#include <stddef.h>

#include "aws/client.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"

#define CANNED_AWS_KEY_ID "AKIDTEST"
#define CANNED_AWS_SECRET "secret"
#define CANNED_AWS_REGION "us-east-1"

/* The JSON 1.1 answer header, for canned_response.headers. */
#define CANNED_AWS_JSON "Content-Type: application/x-amz-json-1.1\r\n"

/* Starts the canned server with script[0..n), starts fc (Unix ms
 * 1700000000000, that is 20231114T221320Z) and returns a client that talks
 * to the server; NULL when the client cannot be made. */
aws_client *canned_aws_client(const canned_response *script, size_t n, fake_clock *fc);

/* Frees the client (closing its connection), then stops the server: in this
 * order, as the server serves one connection at a time. */
void canned_aws_stop(aws_client *c);

/* The authority ("127.0.0.1:PORT") the client signs as Host. */
const char *canned_aws_authority(void);

/* The body of request i parsed as JSON (a new reference: json_decref it), or
 * NULL when it is not JSON. */
json_t *canned_aws_json(size_t i);

#endif
