/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cloudformation: the one CloudFormation call the function makes.
 */
#ifndef ECS_AWS_CLOUDFORMATION_H
#define ECS_AWS_CLOUDFORMATION_H

#include <stddef.h>

#include "aws/client.h"

/* DescribeStacks of one stack (name or id): writes its StackStatus into
 * status (cap bytes). Returns 0, or -1 with err (ValidationError for a stack
 * that does not exist). */
int cloudformation_stack_status(aws_client *c, const char *stack, char *status, size_t cap,
                                aws_error *err);

/* Finds the first <StackStatus> in a DescribeStacks answer. Returns 0 or -1.
 * Exposed for tests. */
int cloudformation_parse_status(const char *xml, size_t len, char *status, size_t cap);

#endif
