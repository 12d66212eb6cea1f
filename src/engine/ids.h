/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids: the names that tie ECS tasks to a CloudFormation resource (README:
 * Lifecycle rules).
 *
 * resource id  "<stack>-<logical>-<hash8>": stable for one resource (StackId +
 *              LogicalResourceId): the first 10 characters of the stack name
 *              and 7 of the logical id, readable in the ECS console, and 8
 *              hex of SHA-256(StackId, LogicalResourceId) that make it unique.
 * client token 32 hex chars of SHA-256(RequestId, the ResponseURL's signing
 *              time): the same for a retried or duplicated delivery of one
 *              request, different when CloudFormation retries a whole stack
 *              operation with the same RequestId (it signs a new URL).
 * startedBy    "<resource id>-<token8>": one run of the resource. Delete lists
 *              tasks by the startedBy of the run it deletes, so the cleanup
 *              Delete after an Update never touches the new run's tasks.
 * startedBy is at most IDS_STARTED_BY_LEN (36) characters of [A-Za-z0-9_-]:
 * RunTask would take 128, but StartTask takes 36, and ECS has refused
 * ListTasks filters longer than that ("ownerId longer than 36").
 */
#ifndef ECS_ENGINE_IDS_H
#define ECS_ENGINE_IDS_H

#include <stddef.h>

/* The longest startedBy accepted (RunTask's limit); ids write at most
 * IDS_STARTED_BY_LEN. */
#define IDS_STARTED_BY_MAX 128
#define IDS_STARTED_BY_LEN 36
#define IDS_TOKEN_LEN 32

/* The resource id; out holds at least IDS_STARTED_BY_MAX + 1 bytes. */
void ids_resource_id(const char *stack_id, const char *logical_id, char *out, size_t cap);

/* The client token; out holds at least IDS_TOKEN_LEN + 1 bytes. */
void ids_client_token(const char *request_id, const char *response_url, char *out, size_t cap);

/* The RunTask clientToken of start round `round` (1 = the first RunTask of
 * the run, 2 = the first restart of tasks that failed to start, ...): the
 * run's client token itself for round 1, else 32 hex chars of
 * SHA-256(token, round). A duplicate delivery replays the same rounds with
 * the same tokens, so ECS starts nothing twice. out holds IDS_TOKEN_LEN + 1
 * bytes. */
void ids_round_token(const char *client_token, int round, char *out, size_t cap);

/* startedBy of one run: resource id + '-' + the token's first 8 characters. */
void ids_started_by(const char *resource_id, const char *client_token, char *out, size_t cap);

/* The signing time of a pre-signed URL: the X-Amz-Date parameter (SigV4),
 * else Expires (SigV2), else the whole query. Writes "" when there is none. */
void ids_url_signing_time(const char *url, char *out, size_t cap);

#endif
