/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handler: the Custom::ECSTask resource, one Lambda invocation at a time.
 *
 * A thin adapter between CloudFormation and the engine: it reads the
 * request, derives the run's identity from it (engine/ids.h), asks the
 * engine to gate an Update, resolve secrets, start, wait, or stop a deleted
 * resource's run, and sends exactly one response to CloudFormation per
 * request: either in this invocation, or in a later one it hands over to by
 * invoking its own function asynchronously with the run's state
 * (engine/state.h). An event that is not a CloudFormation request is
 * reported as a Lambda error; every CloudFormation request gets an answer,
 * whatever happens.
 *
 * Each event gets its own redactor (util/redact.h), set on the logger and
 * the AWS client while the event is served and freed after it.
 */
#ifndef ECS_CFN_HANDLER_H
#define ECS_CFN_HANDLER_H

#include <stddef.h>

#include "lambda/runtime.h"
#include "util/clock.h"

typedef struct cfn_handler cfn_handler;

/* A handler using the environment's AWS configuration and the given clock
 * (borrowed; NULL = clk_system()). NULL with why (cap bytes) on failure. */
cfn_handler *cfn_handler_new_with_clock(const clk *clock, char *why, size_t cap);
cfn_handler *cfn_handler_new(char *why, size_t cap);
void cfn_handler_free(cfn_handler *h);

/* The lambda_handler: ctx is the cfn_handler. */
void cfn_handler_invoke(const lambda_invocation *inv, lambda_result *result, void *ctx);

#endif
