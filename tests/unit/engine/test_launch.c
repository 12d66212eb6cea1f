/* SPDX-License-Identifier: Apache-2.0 */
/* The start rounds' rules: the backoff, when a slot may start again, what a
 * waiting slot keeps, and StartTask's request (the RunTask side is driven
 * through run_start in test_run.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/launch.h"
#include "support/canned_aws.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"

static ecs_props props_of(const char *json, json_t **holder)
{
    ecs_props p;
    char why[512];
    *holder = json_loads(json, 0, NULL);
    if (props_parse(*holder, &p, why, sizeof why) != 0)
        fail_msg("props: %s", why);
    return p;
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(launch_backoff_ms(1), 10000);
    assert_int_equal(launch_backoff_ms(2), 20000);
    assert_int_equal(launch_backoff_ms(3), 40000);
    assert_int_equal(launch_backoff_ms(4), 60000);
    assert_int_equal(launch_backoff_ms(10), 60000);
}

static void test_can_retry(void **state)
{
    (void)state;
    json_t *j;
    ecs_props p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Timeout\":100,"
                           "\"StartRetries\":2}",
                           &j);
    run_state st = {.first_receipt_ms = 0};
    run_slot s = {.attempts = 1};
    assert_true(launch_can_retry(&p, &st, &s, 0));      /* next start at 10 s */
    assert_false(launch_can_retry(&p, &st, &s, 90000)); /* it would fall at 100 s */
    s.attempts = 3;                                     /* two retries used */
    assert_false(launch_can_retry(&p, &st, &s, 0));
    props_free(&p);
    json_decref(j);
    p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"StartRetries\":0}", &j);
    s.attempts = 1;
    assert_false(launch_can_retry(&p, &st, &s, 0));
    props_free(&p);
    json_decref(j);
}

static void test_schedule_and_note(void **state)
{
    (void)state;
    json_t *j;
    ecs_props p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\"}", &j);
    run_slot s = {.attempts = 1};
    snprintf(s.task_arn, sizeof s.task_arn, "%s", ARN1);
    snprintf(s.status, sizeof s.status, "STOPPED");
    launch_schedule(&s, 1000, "TaskFailedToStart: RESOURCE:ENI");
    assert_string_equal(s.task_arn, "");
    assert_string_equal(s.status, "");
    assert_int_equal(s.start_at_ms, 11000);
    s.attempts = 2;
    launch_schedule(&s, 20000, "RESOURCE:MEMORY");
    assert_int_equal(s.start_at_ms, 40000);
    assert_string_equal(s.causes, "TaskFailedToStart: RESOURCE:ENI; RESOURCE:MEMORY");
    char note[600];
    s.attempts = 3;
    launch_attempts_note(&p, &s, note, sizeof note);
    assert_string_equal(note, " (attempt 3 of at most 3; earlier attempts: TaskFailedToStart: "
                              "RESOURCE:ENI; RESOURCE:MEMORY)");
    run_slot fresh = {.attempts = 1};
    launch_attempts_note(&p, &fresh, note, sizeof note);
    assert_string_equal(note, "");
    props_free(&p);
    json_decref(j);
}

static void test_next_due(void **state)
{
    (void)state;
    run_state st = {.n_slots = 3};
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, "%s", ARN1);
    st.slots[1].start_at_ms = 5000;
    st.slots[2].start_at_ms = 3000;
    assert_int_equal(launch_next_due(&st), 3000);
    st.n_slots = 1;
    assert_int_equal(launch_next_due(&st), 0);
}

/* StartTask puts one task on each instance: a restart names the waiting
 * slot's own instance, and sends no clientToken (StartTask has none). */
static void test_start_task_restarts_on_its_instance(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, JSON_HDR, "{\"tasks\":[{\"taskArn\":\"" ARN1 "\",\"lastStatus\":\"PENDING\"}]}"}};
    fake_clock fc;
    aws_client *aws = canned_aws_client(script, 1, &fc);
    assert_non_null(aws);
    const int64_t now = fc.now_ms;
    json_t *j;
    ecs_props p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Instances\":[\"ci-1\","
                           "\"ci-2\"]}",
                           &j);
    run_state st = {.first_receipt_ms = now, .rounds = 1, .n_slots = 2};
    snprintf(st.started_by, sizeof st.started_by, "by");
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, "arn:aws:ecs:r:1:task/c/x");
    st.slots[1].attempts = 1;
    st.slots[1].start_at_ms = now;
    run_env env = {.aws = aws, .clock = &fc.clock};
    run_result res = {0};
    assert_int_equal(launch_due(&env, &p, &st, now, &res), 0);
    assert_string_equal(st.slots[1].task_arn, ARN1);
    assert_int_equal(st.slots[1].attempts, 2);
    assert_int_equal(st.rounds, 2);
    json_t *sent = json_loads(canned_server_body(0), 0, NULL);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(sent, "containerInstances"), 0)), "ci-2");
    assert_int_equal(json_array_size(json_object_get(sent, "containerInstances")), 1);
    assert_null(json_object_get(sent, "clientToken"));
    assert_int_equal(canned_server_count("ListTasks"), 0); /* adoption is for the first round */
    json_decref(sent);
    run_result_free(&res);
    props_free(&p);
    json_decref(j);
    canned_aws_stop(aws);
}

/* The first round's request, as the run sends it (test_run.c checks the
 * sent one): RunTask of Count tasks with round 1's token, or StartTask on
 * every instance; nothing for Count 0. */
static void test_first_request(void **state)
{
    (void)state;
    json_t *j;
    ecs_props p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t:3\",\"Count\":3,"
                           "\"LaunchType\":\"FARGATE\",\"Group\":\"g\"}",
                           &j);
    run_state st = {0};
    snprintf(st.started_by, sizeof st.started_by, "by-me");
    snprintf(st.client_token, sizeof st.client_token, "0123456789abcdef0123456789abcdef");
    json_t *req = launch_first_request(&p, &st);
    json_t *want = json_loads("{\"launchType\":\"FARGATE\",\"group\":\"g\",\"cluster\":\"c\","
                              "\"taskDefinition\":\"t:3\",\"startedBy\":\"by-me\",\"count\":3,"
                              "\"clientToken\":\"0123456789abcdef0123456789abcdef\"}",
                              0, NULL);
    assert_true(json_equal(req, want));
    json_decref(req);
    json_decref(want);
    props_free(&p);
    json_decref(j);

    p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Instances\":[\"ci-1\",\"ci-2\"]}",
                 &j);
    req = launch_first_request(&p, &st);
    want = json_loads("{\"cluster\":\"c\",\"taskDefinition\":\"t\",\"startedBy\":\"by-me\","
                      "\"containerInstances\":[\"ci-1\",\"ci-2\"]}",
                      0, NULL);
    assert_true(json_equal(req, want));
    json_decref(req);
    json_decref(want);
    props_free(&p);
    json_decref(j);

    p = props_of("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Count\":0}", &j);
    assert_null(launch_first_request(&p, &st));
    props_free(&p);
    json_decref(j);
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_can_retry),
        cmocka_unit_test(test_schedule_and_note),
        cmocka_unit_test(test_next_due),
        cmocka_unit_test(test_start_task_restarts_on_its_instance),
        cmocka_unit_test(test_first_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
