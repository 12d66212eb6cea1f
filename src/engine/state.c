/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/state.h"

#include <stdio.h>
#include <string.h>

#include "engine/ids.h"
#include "util/arn.h"

static json_t *slot_to_json(const run_slot *s)
{
    json_t *j = json_pack("{s:i}", "attempts", s->attempts);
    int rc = j ? 0 : -1;
    if (s->task_arn[0]) {
        rc |= json_object_set_new(j, "taskArn", json_string(s->task_arn));
        rc |= json_object_set_new(j, "status", json_string(s->status));
        rc |= json_object_set_new(j, "since", json_integer((json_int_t)s->status_since_ms));
        rc |= json_object_set_new(j, "phases", json_string(s->phases));
    } else {
        rc |= json_object_set_new(j, "startAtMs", json_integer((json_int_t)s->start_at_ms));
    }
    rc |= json_object_set_new(j, "causes", json_string(s->causes));
    if (rc != 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *state_serialise(const run_state *st, int hops)
{
    json_t *slots = json_array();
    for (size_t i = 0; slots && i < st->n_slots; i++)
        if (json_array_append_new(slots, slot_to_json(&st->slots[i])) != 0) {
            json_decref(slots);
            return NULL;
        }
    if (!slots)
        return NULL;
    return json_pack("{s:i, s:I, s:i, s:s, s:s, s:i, s:o}", "version", STATE_VERSION,
                     "firstReceiptMs", (json_int_t)st->first_receipt_ms, "hops", hops,
                     "clientToken", st->client_token, "startedBy", st->started_by, "rounds",
                     st->rounds, "slots", slots);
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

/* A status as ECS writes them: upper-case letters and '_'. */
static int valid_status(const char *s)
{
    size_t n = strlen(s);
    return n < RUN_STATUS_MAX && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == n;
}

/* Text of ours carried along (causes, phases): bounded, no control character. */
static int valid_text(const char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

static int read_slot(const json_t *j, run_slot *s, char *why, size_t cap)
{
    json_int_t attempts = 0, start_at = 0, since = 0;
    const char *arn = NULL, *status = NULL, *phases = NULL, *causes = NULL;
    if (json_unpack((json_t *)j, "{s:I, s:s, s?s, s?s, s?I, s?s, s?I}", "attempts", &attempts,
                    "causes", &causes, "taskArn", &arn, "status", &status, "since", &since,
                    "phases", &phases, "startAtMs", &start_at) != 0)
        return fail(why, cap, "a slot's member is missing or has the wrong type");
    if (attempts < 1 || attempts > PROPS_MAX_START_RETRIES + 1)
        return fail(why, cap, "a slot's attempts are out of range");
    if (!valid_text(causes, sizeof s->causes))
        return fail(why, cap, "a slot's causes are too long or hold control characters");
    memcpy(s->causes, causes, strlen(causes) + 1);
    s->attempts = (int)attempts;
    if (!arn) {
        if (start_at <= 0)
            return fail(why, cap, "a slot follows no task and waits for no start");
        s->start_at_ms = start_at;
        return 0;
    }
    if (!arn_is_ecs_task(arn) || strlen(arn) >= sizeof s->task_arn)
        return fail(why, cap, "a slot names something that is not an ECS task ARN");
    if (!status || !phases || !valid_status(status) || since < 0 ||
        !valid_text(phases, sizeof s->phases))
        return fail(why, cap, "a slot's status, since or phases are missing or not valid");
    memcpy(s->task_arn, arn, strlen(arn) + 1);
    memcpy(s->status, status, strlen(status) + 1);
    memcpy(s->phases, phases, strlen(phases) + 1);
    s->status_since_ms = since;
    return 0;
}

static int read_slots(const json_t *slots, run_state *st, char *why, size_t cap)
{
    if (!json_is_array(slots) || json_array_size(slots) == 0)
        return fail(why, cap, "slots must list the tasks of the run");
    if (json_array_size(slots) > RUN_MAX_TASKS)
        return fail(why, cap, "slots lists more tasks than a run has");
    size_t i;
    const json_t *v;
    json_array_foreach(slots, i, v)
    {
        if (read_slot(v, &st->slots[st->n_slots++], why, cap) != 0)
            return -1;
    }
    return 0;
}

static int parse(const json_t *j, run_state *st, int *hops, char *why, size_t cap)
{
    json_int_t version = 0, first = 0, h = 0, rounds = 0;
    const char *token = NULL, *started_by = NULL;
    json_t *slots = NULL;
    if (!json_is_object(j) || json_unpack((json_t *)j, "{s:I}", "version", &version) != 0)
        return fail(why, cap, "a member is missing or has the wrong type");
    if (version != STATE_VERSION)
        return fail(why, cap, "it was written by another version of ecs-tasks");
    if (json_unpack((json_t *)j, "{s:I, s:I, s:s, s:s, s:I, s:o}", "firstReceiptMs", &first, "hops",
                    &h, "clientToken", &token, "startedBy", &started_by, "rounds", &rounds, "slots",
                    &slots) != 0)
        return fail(why, cap, "a member is missing or has the wrong type");
    if (first <= 0)
        return fail(why, cap, "firstReceiptMs must be a positive time");
    if (h < 1 || h > STATE_MAX_HOPS)
        return fail(why, cap, "hops is out of range");
    if (rounds < 1 || rounds > RUN_MAX_TASKS * (PROPS_MAX_START_RETRIES + 1))
        return fail(why, cap, "rounds is out of range");
    if (strlen(token) != IDS_TOKEN_LEN || !is_hex(token))
        return fail(why, cap, "clientToken must be 32 lower-case hex digits");
    if (!valid_started_by(started_by))
        return fail(why, cap, "startedBy must be 1-128 characters of [A-Za-z0-9_-]");
    st->first_receipt_ms = first;
    st->rounds = (int)rounds;
    *hops = (int)h;
    memcpy(st->client_token, token, strlen(token) + 1);
    memcpy(st->started_by, started_by, strlen(started_by) + 1);
    return read_slots(slots, st, why, cap);
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
