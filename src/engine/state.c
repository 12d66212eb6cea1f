/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/state.h"

#include <stdio.h>
#include <string.h>

#include "engine/ids.h"
#include "util/arn.h"

json_t *state_serialise(const run_state *st, int hops)
{
    json_t *arns = json_array();
    for (size_t i = 0; arns && i < st->n_tasks; i++)
        if (json_array_append_new(arns, json_string(st->task_arns[i])) != 0) {
            json_decref(arns);
            return NULL;
        }
    if (!arns)
        return NULL;
    return json_pack("{s:i, s:I, s:i, s:s, s:s, s:o}", "version", STATE_VERSION, "firstReceiptMs",
                     (json_int_t)st->first_receipt_ms, "hops", hops, "clientToken",
                     st->client_token, "startedBy", st->started_by, "taskArns", arns);
}

static int is_hex(const char *s)
{
    for (; *s; s++)
        if (!strchr("0123456789abcdef", *s))
            return 0;
    return 1;
}

/* startedBy as ECS allows it: 1-128 characters of [A-Za-z0-9_-]. */
static int valid_started_by(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > IDS_STARTED_BY_MAX)
        return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int fail(char *why, size_t cap, const char *what)
{
    snprintf(why, cap, "the re-invocation state is not valid: %s", what);
    return -1;
}

static int read_arns(const json_t *arns, run_state *st, char *why, size_t cap)
{
    if (!json_is_array(arns) || json_array_size(arns) == 0)
        return fail(why, cap, "taskArns must list the tasks of the run");
    if (json_array_size(arns) > RUN_MAX_TASKS)
        return fail(why, cap, "taskArns lists more tasks than a run has");
    size_t i;
    const json_t *v;
    json_array_foreach(arns, i, v)
    {
        const char *arn = json_string_value(v);
        if (!arn || !arn_is_ecs_task(arn) || strlen(arn) >= sizeof st->task_arns[0])
            return fail(why, cap, "taskArns holds something that is not an ECS task ARN");
        memcpy(st->task_arns[st->n_tasks++], arn, strlen(arn) + 1);
    }
    return 0;
}

static int parse(const json_t *j, run_state *st, int *hops, char *why, size_t cap)
{
    json_int_t version = 0, first = 0, h = 0;
    const char *token = NULL, *started_by = NULL;
    json_t *arns = NULL;
    if (!json_is_object(j) ||
        json_unpack((json_t *)j, "{s:I, s:I, s:I, s:s, s:s, s:o}", "version", &version,
                    "firstReceiptMs", &first, "hops", &h, "clientToken", &token, "startedBy",
                    &started_by, "taskArns", &arns) != 0)
        return fail(why, cap, "a member is missing or has the wrong type");
    if (version != STATE_VERSION)
        return fail(why, cap, "it was written by another version of ecs-tasks");
    if (first <= 0)
        return fail(why, cap, "firstReceiptMs must be a positive time");
    if (h < 1 || h > STATE_MAX_HOPS)
        return fail(why, cap, "hops is out of range");
    if (strlen(token) != IDS_TOKEN_LEN || !is_hex(token))
        return fail(why, cap, "clientToken must be 32 lower-case hex digits");
    if (!valid_started_by(started_by))
        return fail(why, cap, "startedBy must be 1-128 characters of [A-Za-z0-9_-]");
    st->first_receipt_ms = first;
    *hops = (int)h;
    memcpy(st->client_token, token, strlen(token) + 1);
    memcpy(st->started_by, started_by, strlen(started_by) + 1);
    return read_arns(arns, st, why, cap);
}

int state_parse(const json_t *j, run_state *st, int *hops, char *why, size_t cap)
{
    memset(st, 0, sizeof *st);
    *hops = 0;
    if (parse(j, st, hops, why, cap) == 0)
        return 0;
    memset(st, 0, sizeof *st);
    *hops = 0;
    return -1;
}

int state_check(const run_state *st, const char *client_token, const char *started_by, char *why,
                size_t cap)
{
    if (strcmp(st->client_token, client_token) != 0 || strcmp(st->started_by, started_by) != 0) {
        snprintf(why, cap,
                 "the re-invocation state does not belong to this request (its client token or "
                 "startedBy differs from the one derived from the event)");
        return -1;
    }
    return 0;
}
