/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lambda_api: AWS Lambda's Invoke, as this function uses it on itself.
 */
#ifndef ECS_AWS_LAMBDA_API_H
#define ECS_AWS_LAMBDA_API_H

#include <stddef.h>

#include "aws/client.h"

/* Invokes function_name (a name: moto and IAM both handle names best)
 * asynchronously (InvocationType Event) with payload. Returns 0 when Lambda
 * accepted it (HTTP 202), or -1 with err. */
int lambda_api_invoke_event(aws_client *c, const char *function_name, const char *payload,
                            size_t len, aws_error *err);

#endif
