/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handover: keep waiting in a new invocation of this function.
 *
 * When the tasks outlive the invocation, the handler invokes its own
 * function asynchronously (Lambda Invoke, InvocationType Event, by the name
 * Lambda gives it in AWS_LAMBDA_FUNCTION_NAME) with the original event plus
 * the run's state under CFN_STATE_KEY (engine/state.h). That invocation sends
 * the one CloudFormation response, or hands over again.
 */
#ifndef ECS_CFN_HANDOVER_H
#define ECS_CFN_HANDOVER_H

#include <stddef.h>

#include "aws/client.h"
#include "cfn/request.h"
#include "engine/run.h"

/* Invokes function_name with req's event and st at hop count `hops`. Returns
 * 0 when Lambda accepted the event, or -1 with why (cap bytes). */
int cfn_hand_over(aws_client *aws, const char *function_name, const cfn_request *req,
                  const run_state *st, int hops, char *why, size_t cap);

#endif
