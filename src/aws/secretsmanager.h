/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secretsmanager: GetSecretValue, for {{resolve:secretsmanager:...}}.
 */
#ifndef ECS_AWS_SECRETSMANAGER_H
#define ECS_AWS_SECRETSMANAGER_H

#include "aws/client.h"

/* The SecretString of secret_id (name or ARN), at version_stage or
 * version_id when given (NULL otherwise). *value_out is the caller's to free.
 * A secret that holds only SecretBinary is an error: CloudFormation's own
 * dynamic references resolve SecretString only, and so do we. */
int secretsmanager_get_secret_value(aws_client *c, const char *secret_id, const char *version_stage,
                                    const char *version_id, char **value_out, aws_error *err);

#endif
