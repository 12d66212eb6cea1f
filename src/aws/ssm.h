/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ssm: GetParameter, for {{resolve:ssm-secure:...}}.
 */
#ifndef ECS_AWS_SSM_H
#define ECS_AWS_SSM_H

#include "aws/client.h"

/* The value of parameter name ("NAME" or "NAME:VERSION"). *value_out is the
 * caller's to free. */
int ssm_get_parameter(aws_client *c, const char *name, int with_decryption, char **value_out,
                      aws_error *err);

#endif
