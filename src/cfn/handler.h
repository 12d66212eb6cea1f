/*
 * handler: the Custom::ECSTask resource, one Lambda invocation at a time.
 *
 * Reads the CloudFormation request, applies the lifecycle of SPEC section 3
 * (Create, Update gating, Delete, Count 0, Timeout 0, idempotent starts,
 * waiting across invocations) through the engine, and sends exactly one
 * response to CloudFormation per request: either in this invocation, or in
 * a later one it hands over to by invoking its own function asynchronously.
 * An event that is not a CloudFormation request is reported as a Lambda
 * error; every CloudFormation request gets an answer, whatever happens.
 */
#ifndef ECS_CFN_HANDLER_H
#define ECS_CFN_HANDLER_H

#include <stddef.h>

#include "lambda/runtime.h"
#include "util/clock.h"

/* Lambda stops a chain of recursive invocations after about 16 hops. */
#define CFN_MAX_HOPS 15

typedef struct cfn_handler cfn_handler;

/* A handler using the environment's AWS configuration and the given clock
 * (borrowed; NULL = clk_system()). NULL with why (cap bytes) on failure. */
cfn_handler *cfn_handler_new_with_clock(const clk *clock, char *why, size_t cap);
cfn_handler *cfn_handler_new(char *why, size_t cap);
void cfn_handler_free(cfn_handler *h);

/* The lambda_handler: ctx is the cfn_handler. */
void cfn_handler_invoke(const lambda_invocation *inv, lambda_result *result, void *ctx);

#endif
