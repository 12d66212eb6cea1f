/* SPDX-License-Identifier: Apache-2.0 */
/* The re-invocation state (engine/state.c): what state_serialise writes
 * state_parse reads back, and every event a stranger could forge instead is
 * refused with the state zeroed and a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/state.h"

#define TOKEN "0123456789abcdef0123456789abcdef"
#define STARTED_BY "stack-Migrate-0a1b2c3d-01234567"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/fedcba9876543210"

static run_state sample(void)
{
    run_state st;
    memset(&st, 0, sizeof st);
    st.first_receipt_ms = 1764547200000;
    snprintf(st.client_token, sizeof st.client_token, "%s", TOKEN);
    snprintf(st.started_by, sizeof st.started_by, "%s", STARTED_BY);
    st.rounds = 2;
    /* One slot follows a task, the other waits to start again. */
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, "%s", ARN1);
    st.slots[0].attempts = 1;
    snprintf(st.slots[0].status, sizeof st.slots[0].status, "RUNNING");
    st.slots[0].status_since_ms = 1764547212000;
    snprintf(st.slots[0].phases, sizeof st.slots[0].phases, "PROVISIONING 9s, PENDING 3s");
    st.slots[1].attempts = 1;
    st.slots[1].start_at_ms = 1764547230000;
    snprintf(st.slots[1].causes, sizeof st.slots[1].causes, "RESOURCE:MEMORY");
    st.n_slots = 2;
    return st;
}

/* A valid serialised state (caller decrefs). */
static json_t *valid(void)
{
    run_state st = sample();
    json_t *j = state_serialise(&st, 3);
    assert_non_null(j);
    return j;
}

static int is_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

/* state_parse refuses j (stolen): -1, *st and *hops zeroed, why holding
 * `expected`. */
static void expect_rejected_at(json_t *j, const char *expected, int line)
{
    run_state st;
    memset(&st, 0xa5, sizeof st);
    int hops = 77;
    char why[256] = "";
    int rc = state_parse(j, &st, &hops, why, sizeof why);
    if (rc != -1) {
        char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        fail_msg("line %d: accepted %s", line, text ? text : "?");
    }
    if (!is_zero(&st, sizeof st))
        fail_msg("line %d: the state is not zeroed", line);
    if (hops != 0)
        fail_msg("line %d: hops is %d, not 0", line, hops);
    if (!strstr(why, "the re-invocation state is not valid: "))
        fail_msg("line %d: why = '%s'", line, why);
    if (!strstr(why, expected))
        fail_msg("line %d: expected '%s' in '%s'", line, expected, why);
    json_decref(j);
}
#define expect_rejected(j, expected) expect_rejected_at((j), (expected), __LINE__)

/* A valid state with member `key` set to v (stolen), or removed when v is
 * NULL. */
static json_t *with(const char *key, json_t *v)
{
    json_t *j = valid();
    if (v)
        assert_int_equal(json_object_set_new(j, key, v), 0);
    else
        assert_int_equal(json_object_del(j, key), 0);
    return j;
}

/* A valid state whose slots are `slots` (stolen). */
static json_t *with_slots(json_t *slots)
{
    return with("slots", slots);
}

/* A valid state with one slot: a task-following slot with member key set to
 * v (stolen), or removed when v is NULL. */
static json_t *with_slot(const char *key, json_t *v)
{
    json_t *slot =
        json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "attempts", 1, "causes", "", "taskArn", ARN1,
                  "status", "RUNNING", "since", (json_int_t)1764547212000, "phases", "");
    if (v)
        json_object_set_new(slot, key, v);
    else
        json_object_del(slot, key);
    return with_slots(json_pack("[o]", slot));
}

/* The ARN of the slot of a one-slot state. */
static json_t *with_arns(json_t *arns)
{
    json_t *slots = json_array();
    size_t i;
    json_t *a;
    if (!json_is_array(arns))
        return with_slot("taskArn", arns);
    json_array_foreach(arns, i, a)
    {
        json_t *slot =
            json_pack("{s:i, s:s, s:O, s:s, s:I, s:s}", "attempts", 1, "causes", "", "taskArn", a,
                      "status", "RUNNING", "since", (json_int_t)1, "phases", "");
        json_array_append_new(slots, slot);
    }
    json_decref(arns);
    return with_slots(slots);
}

/* The members of two states are the same (padding aside). */
static void assert_same_state(const run_state *a, const run_state *b)
{
    assert_true(a->first_receipt_ms == b->first_receipt_ms);
    assert_string_equal(a->client_token, b->client_token);
    assert_string_equal(a->started_by, b->started_by);
    assert_int_equal(a->rounds, b->rounds);
    assert_int_equal(a->n_slots, b->n_slots);
    assert_memory_equal(a->slots, b->slots, sizeof a->slots);
}

static json_t *from_text(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s", e.text);
    return j;
}

static void test_round_trip(void **state)
{
    (void)state;
    run_state st = sample();
    json_t *j = state_serialise(&st, 3);
    assert_non_null(j);
    /* The shape state.h documents, member by member. */
    assert_int_equal(json_integer_value(json_object_get(j, "version")), STATE_VERSION);
    assert_true(json_integer_value(json_object_get(j, "firstReceiptMs")) == 1764547200000);
    assert_int_equal(json_integer_value(json_object_get(j, "hops")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "clientToken")), TOKEN);
    assert_string_equal(json_string_value(json_object_get(j, "startedBy")), STARTED_BY);
    assert_int_equal(json_integer_value(json_object_get(j, "rounds")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "slots")), 2);
    assert_int_equal(json_object_size(j), 7);

    /* Through text, as the re-invocation carries it. */
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    assert_non_null(text);
    j = from_text(text);
    free(text);

    run_state back;
    int hops = 0;
    char why[256] = "";
    assert_int_equal(state_parse(j, &back, &hops, why, sizeof why), 0);
    assert_int_equal(hops, 3);
    assert_true(back.first_receipt_ms == 1764547200000);
    assert_string_equal(back.client_token, TOKEN);
    assert_string_equal(back.started_by, STARTED_BY);
    assert_int_equal(back.n_slots, 2);
    assert_string_equal(back.slots[0].task_arn, ARN1);
    assert_string_equal(back.slots[0].phases, "PROVISIONING 9s, PENDING 3s");
    assert_string_equal(back.slots[1].task_arn, "");
    assert_true(back.slots[1].start_at_ms == 1764547230000);
    assert_string_equal(back.slots[1].causes, "RESOURCE:MEMORY");
    assert_same_state(&back, &st);
    json_decref(j);
}

static void test_limits_accepted(void **state)
{
    (void)state;
    run_state st = sample();
    /* RUN_MAX_TASKS tasks, the longest startedBy, the last hop. */
    memset(st.started_by, 'x', IDS_STARTED_BY_MAX);
    st.started_by[IDS_STARTED_BY_MAX] = '\0';
    memset(st.slots, 0, sizeof st.slots);
    for (size_t i = 0; i < RUN_MAX_TASKS; i++) {
        snprintf(st.slots[i].task_arn, sizeof st.slots[i].task_arn,
                 "arn:aws:ecs:eu-west-1:123456789012:task/c/%032zx", i);
        st.slots[i].attempts = PROPS_MAX_START_RETRIES + 1;
        snprintf(st.slots[i].status, sizeof st.slots[i].status, "DEPROVISIONING");
    }
    st.n_slots = RUN_MAX_TASKS;
    /* The longest ARN a slot holds. */
    size_t prefix = strlen("arn:aws:ecs:eu-west-1:123456789012:task/c/");
    memset(st.slots[9].task_arn + prefix, 'a', sizeof st.slots[9].task_arn - 1 - prefix);
    st.slots[9].task_arn[sizeof st.slots[9].task_arn - 1] = '\0';
    json_t *j = state_serialise(&st, STATE_MAX_HOPS);
    assert_non_null(j);
    run_state back;
    int hops;
    char why[256];
    assert_int_equal(state_parse(j, &back, &hops, why, sizeof why), 0);
    assert_int_equal(hops, STATE_MAX_HOPS);
    assert_int_equal(back.n_slots, RUN_MAX_TASKS);
    assert_int_equal(strlen(back.slots[9].task_arn), sizeof back.slots[9].task_arn - 1);
    assert_same_state(&back, &st);
    json_decref(j);

    /* Hop 1 and the old task ARN format (task/ID). */
    st = sample();
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn,
             "arn:aws-cn:ecs:cn-north-1:1:task/id");
    st.n_slots = 1;
    j = state_serialise(&st, 1);
    assert_int_equal(state_parse(j, &back, &hops, why, sizeof why), 0);
    assert_int_equal(hops, 1);
    assert_string_equal(back.slots[0].task_arn, "arn:aws-cn:ecs:cn-north-1:1:task/id");
    json_decref(j);
}

static void test_slots(void **state)
{
    (void)state;
    const char *slot_member = "a slot's member is missing or has the wrong type";
    expect_rejected(with_slot("attempts", NULL), slot_member);
    expect_rejected(with_slot("causes", NULL), slot_member);
    expect_rejected(with_slot("attempts", json_string("1")), slot_member);
    expect_rejected(with_slot("attempts", json_integer(0)), "attempts are out of range");
    expect_rejected(with_slot("attempts", json_integer(PROPS_MAX_START_RETRIES + 2)),
                    "attempts are out of range");
    expect_rejected(with_slot("causes", json_string("a\nb")), "control characters");
    expect_rejected(with_slot("status", json_string("running")), "status, since or phases");
    expect_rejected(with_slot("status", NULL), "status, since or phases");
    expect_rejected(with_slot("phases", json_string("x\x1b[2J")), "status, since or phases");
    expect_rejected(with_slot("since", json_integer(-1)), "status, since or phases");
    /* A slot that follows no task must wait for a start. */
    json_t *waiting = json_pack("{s:i, s:s}", "attempts", 1, "causes", "RESOURCE:MEMORY");
    expect_rejected(with_slots(json_pack("[o]", waiting)),
                    "follows no task and waits for no start");
    waiting = json_pack("{s:i, s:s, s:I}", "attempts", 1, "causes", "", "startAtMs", (json_int_t)0);
    expect_rejected(with_slots(json_pack("[o]", waiting)),
                    "follows no task and waits for no start");
    expect_rejected(with_slots(json_pack("[i]", 1)), slot_member);
}

static void test_not_an_object(void **state)
{
    (void)state;
    const char *texts[] = {"[]", "[1]", "\"state\"", "42", "1.5", "true", "null", "{}"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_rejected(from_text(texts[i]), "a member is missing or has the wrong type");
    run_state st;
    int hops = 5;
    char why[256] = "";
    memset(&st, 1, sizeof st);
    assert_int_equal(state_parse(NULL, &st, &hops, why, sizeof why), -1);
    assert_true(is_zero(&st, sizeof st));
    assert_int_equal(hops, 0);
}

static void test_member_missing(void **state)
{
    (void)state;
    const char *keys[] = {"version",   "firstReceiptMs", "hops", "clientToken",
                          "startedBy", "rounds",         "slots"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        expect_rejected(with(keys[i], NULL), "a member is missing or has the wrong type");
}

static void test_member_wrong_type(void **state)
{
    (void)state;
    const char *missing = "a member is missing or has the wrong type";
    /* Integers given as text, reals, booleans or null. */
    expect_rejected(with("version", json_string("1")), missing);
    expect_rejected(with("version", json_real(1.0)), missing);
    expect_rejected(with("version", json_true()), missing);
    expect_rejected(with("firstReceiptMs", json_string("1764547200000")), missing);
    expect_rejected(with("firstReceiptMs", json_real(1764547200000.0)), missing);
    expect_rejected(with("firstReceiptMs", json_null()), missing);
    expect_rejected(with("hops", json_string("1")), missing);
    expect_rejected(with("hops", json_real(1.0)), missing);
    /* Strings given as numbers, lists or null. */
    expect_rejected(with("clientToken", json_integer(1)), missing);
    expect_rejected(with("clientToken", json_null()), missing);
    expect_rejected(with("startedBy", json_pack("[s]", STARTED_BY)), missing);
    expect_rejected(with("startedBy", json_false()), missing);
    /* The slot list given as one string or an object. */
    expect_rejected(with_slots(json_string(ARN1)), "slots must list the tasks of the run");
    expect_rejected(with_slots(json_pack("{s:s}", "0", ARN1)),
                    "slots must list the tasks of the run");
    expect_rejected(with_slots(json_null()), "slots must list the tasks of the run");
}

static void test_version(void **state)
{
    (void)state;
    const char *other = "written by another version of ecs-tasks";
    expect_rejected(with("version", json_integer(0)), other);
    expect_rejected(with("version", json_integer(STATE_VERSION + 1)), other);
    expect_rejected(with("version", json_integer(-1)), other);
}

static void test_first_receipt(void **state)
{
    (void)state;
    expect_rejected(with("firstReceiptMs", json_integer(0)), "firstReceiptMs must be a positive");
    expect_rejected(with("firstReceiptMs", json_integer(-1764547200000)),
                    "firstReceiptMs must be a positive");
    /* The smallest positive time is a time. */
    json_t *j = with("firstReceiptMs", json_integer(1));
    run_state st;
    int hops;
    char why[256];
    assert_int_equal(state_parse(j, &st, &hops, why, sizeof why), 0);
    assert_true(st.first_receipt_ms == 1);
    json_decref(j);
}

static void test_hops(void **state)
{
    (void)state;
    const char *range = "hops is out of range";
    expect_rejected(with("hops", json_integer(0)), range);
    expect_rejected(with("hops", json_integer(-1)), range);
    expect_rejected(with("hops", json_integer(STATE_MAX_HOPS + 1)), range);
    expect_rejected(with("hops", json_integer(4294967297LL)), range); /* 1 once cut to 32 bits */
}

static void test_client_token(void **state)
{
    (void)state;
    const char *hex = "clientToken must be 32 lower-case hex digits";
    const char *bad[] = {
        "",
        "0123456789abcdef0123456789abcde",        /* 31 */
        "0123456789abcdef0123456789abcdef0",      /* 33 */
        "0123456789ABCDEF0123456789ABCDEF",       /* upper case */
        "0123456789abcdef0123456789abcdeg",       /* not hex */
        "0123456789abcdef 123456789abcdef",       /* a space */
        "0123456789abcdef0123456789abcd\xc3\xa9", /* 32 bytes, not 32 digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *s = json_string(bad[i]);
        assert_non_null(s);
        expect_rejected(with("clientToken", s), hex);
    }
}

static void test_started_by(void **state)
{
    (void)state;
    const char *rule = "startedBy must be 1-128 characters of [A-Za-z0-9_-]";
    char long_one[IDS_STARTED_BY_MAX + 2];
    memset(long_one, 'a', sizeof long_one - 1);
    long_one[sizeof long_one - 1] = '\0'; /* 129 */
    const char *bad[] = {"", long_one, "a b", "stack/Migrate", "a.b", "a:b", "caf\xc3\xa9", "a\nb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_rejected(with("startedBy", json_string(bad[i])), rule);
}

static void test_task_arns(void **state)
{
    (void)state;
    const char *not_arn = "a slot names something that is not an ECS task ARN";
    expect_rejected(with_slots(json_array()), "slots must list the tasks of the run");

    json_t *eleven = json_array();
    for (int i = 0; i <= RUN_MAX_TASKS; i++)
        json_array_append_new(eleven, json_string(ARN1));
    expect_rejected(with_arns(eleven), "slots lists more tasks than a run has");

    /* A task ARN that is not a string. */
    expect_rejected(with_slot("taskArn", json_integer(1)),
                    "a slot's member is missing or has the wrong type");

    /* Strings that are not ECS task ARNs, first or after a good one. */
    const char *bad[] = {
        "",
        "0123456789abcdef",
        "arn:aws:lambda:us-east-1:123456789012:function:ecs-tasks",
        "arn:aws:ecs:r:1:service/x",
        "arn:aws:ecs:r:1:container-instance/c/i",
        "arn:aws:ecs:r:1:task/",
        "arn:aws:ecs:r:1:task/c/",
        "arn:aws:ecs:r:1:task//id",
        "arn:aws:ecs:r:1:task/c/id/more",
        "arn:aws:ecr:r:1:task/c/id",
        "task/c/id",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_rejected(with_arns(json_pack("[s]", bad[i])), not_arn);
        expect_rejected(with_arns(json_pack("[s,s]", ARN1, bad[i])), not_arn);
    }

    /* One byte longer than a slot holds. */
    run_state slot;
    char over[sizeof slot.slots[0].task_arn + 1];
    const char *prefix = "arn:aws:ecs:us-east-1:123456789012:task/c/";
    memset(over, 'a', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    memcpy(over, prefix, strlen(prefix));
    assert_int_equal(strlen(over), sizeof slot.slots[0].task_arn);
    expect_rejected(with_arns(json_pack("[s,s]", ARN1, over)), not_arn);
}

static void test_why_fits_cap(void **state)
{
    (void)state;
    json_t *j = with("hops", json_integer(0));
    run_state st;
    int hops;
    char why[16];
    memset(why, 'z', sizeof why);
    assert_int_equal(state_parse(j, &st, &hops, why, 8), -1);
    assert_int_equal(strlen(why), 7);
    assert_int_equal(why[8], 'z');
    json_decref(j);
}

static void test_check(void **state)
{
    (void)state;
    run_state st = sample();
    char why[256] = "";
    assert_int_equal(state_check(&st, TOKEN, STARTED_BY, why, sizeof why), 0);

    const char *belong = "does not belong to this request";
    assert_int_equal(
        state_check(&st, "fedcba9876543210fedcba9876543210", STARTED_BY, why, sizeof why), -1);
    assert_non_null(strstr(why, belong));
    why[0] = '\0';
    assert_int_equal(state_check(&st, TOKEN, "stack-Migrate-0a1b2c3d-76543210", why, sizeof why),
                     -1);
    assert_non_null(strstr(why, belong));
    why[0] = '\0';
    /* A prefix is not the same value. */
    assert_int_equal(state_check(&st, TOKEN, "stack-Migrate-0a1b2c3d", why, sizeof why), -1);
    assert_non_null(strstr(why, belong));
    assert_int_equal(state_check(&st, "0123456789abcdef", STARTED_BY, why, sizeof why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_limits_accepted),
        cmocka_unit_test(test_not_an_object),     cmocka_unit_test(test_member_missing),
        cmocka_unit_test(test_member_wrong_type), cmocka_unit_test(test_version),
        cmocka_unit_test(test_first_receipt),     cmocka_unit_test(test_hops),
        cmocka_unit_test(test_client_token),      cmocka_unit_test(test_started_by),
        cmocka_unit_test(test_task_arns),         cmocka_unit_test(test_slots),
        cmocka_unit_test(test_why_fits_cap),      cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
