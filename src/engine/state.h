/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state: what one invocation hands to the next when the tasks outlive it.
 *
 * When Timeout reaches past the Lambda deadline, the handler re-invokes its
 * own function with the original event plus this state under the key
 * "EcsTasksState":
 *
 *   {"version": 2, "firstReceiptMs": 1764547200000, "hops": 1,
 *    "clientToken": "<32 hex>", "startedBy": "<resource id>-<8 hex>", "rounds": 1,
 *    "slots": [{"taskArn": "arn:aws:ecs:...:task/CLUSTER/ID", "attempts": 1,
 *               "status": "RUNNING", "since": 1764547212000,
 *               "phases": "PROVISIONING 9s, PENDING 3s"},
 *              {"attempts": 1, "startAtMs": 1764547230000,
 *               "causes": "RESOURCE:MEMORY"}]}
 *
 * A slot follows a task (taskArn) or waits to start one again (startAtMs).
 * Anyone allowed to invoke the function can write such an event, so
 * state_parse trusts nothing: every member must be present with its type and
 * shape, there are 1 to RUN_MAX_TASKS slots, each naming an ECS task ARN or
 * waiting, and state_check then requires the token and startedBy to be the
 * ones the handler recomputes from the event itself. The engine also checks,
 * before it judges or stops anything, that every task it follows carries
 * that startedBy (engine/run.h).
 */
#ifndef ECS_ENGINE_STATE_H
#define ECS_ENGINE_STATE_H

#include <jansson.h>
#include <stddef.h>

#include "engine/run.h"

#define STATE_VERSION 2
/* Lambda stops a chain of recursive invocations after about 16 hops. */
#define STATE_MAX_HOPS 15

/* A new JSON object holding st and the hop count (caller decrefs), or NULL
 * when out of memory. */
json_t *state_serialise(const run_state *st, int hops);

/* Reads a state written by state_serialise. Returns 0, or -1 with why (cap
 * bytes) naming what is wrong; *st and *hops are then zeroed. */
int state_parse(const json_t *j, run_state *st, int *hops, char *why, size_t cap);

/* Whether st belongs to the run the caller recomputed: same client token and
 * startedBy. Returns 0, or -1 with why. */
int state_check(const run_state *st, const char *client_token, const char *started_by, char *why,
                size_t cap);

#endif
