/* SPDX-License-Identifier: Apache-2.0 */
/* The run loop (start, poll, judge, stop) against a canned ECS with the fake
 * clock: what is sent, when it stops waiting, what it stops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/run.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/test/bbbb2222"
#define STARTED_BY "stack-Migrate-12345678-abcdef01"

#define TASK(arn, status, extra)                                                                   \
    "{\"taskArn\":\"" arn "\",\"lastStatus\":\"" status "\",\"startedBy\":\"" STARTED_BY           \
    "\",\"containers\":[{\"name\":\"app\"" extra "}]}"

static const canned_response run_one = {
    200, JSON_HDR, "{\"tasks\":[" TASK(ARN1, "PROVISIONING", "") "],\"failures\":[]}"};
static const canned_response running = {200, JSON_HDR,
                                        "{\"tasks\":[" TASK(ARN1, "RUNNING", "") "]}"};
static const canned_response stopped_ok = {
    200, JSON_HDR, "{\"tasks\":[" TASK(ARN1, "STOPPED", ",\"exitCode\":0") "]}"};
static const canned_response stopped_3 = {
    200, JSON_HDR, "{\"tasks\":[" TASK(ARN1, "STOPPED", ",\"exitCode\":3") "]}"};
static const canned_response empty_ok = {200, JSON_HDR, "{}"};

static fake_clock fc;
static aws_client *aws;
static json_t *holder;

static void start(const canned_response *script, size_t n)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(script, n));
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    fake_clock_init(&fc, 1700000000000);
    aws_error err;
    aws = aws_client_new(&fc.clock, &err);
    assert_non_null(aws);
}

static void finish(void)
{
    aws_client_free(aws);
    canned_server_stop();
    json_decref(holder);
    holder = NULL;
}

static ecs_props props_of(const char *json)
{
    ecs_props p;
    char why[512];
    holder = json_loads(json, 0, NULL);
    assert_non_null(holder);
    if (props_parse(holder, &p, why, sizeof why) != 0)
        fail_msg("props: %s", why);
    return p;
}

static run_env env_of(void)
{
    return (run_env){.aws = aws, .clock = &fc.clock, .stop_reason = "ecs-tasks: timeout test"};
}

static run_state state_of(size_t n_tasks)
{
    run_state st = {.first_receipt_ms = fc.now_ms, .n_tasks = n_tasks};
    snprintf(st.started_by, sizeof st.started_by, "%s", STARTED_BY);
    snprintf(st.client_token, sizeof st.client_token, "%s", "0123456789abcdef0123456789abcdef");
    snprintf(st.task_arns[0], sizeof st.task_arns[0], "%s", ARN1);
    return st;
}

static json_t *body_of(size_t i)
{
    json_t *j = json_loads(canned_server_body(i), 0, NULL);
    assert_non_null(j);
    return j;
}

static void test_start_sends_identity(void **state)
{
    (void)state;
    canned_response script[] = {run_one};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Count\":\"1\","
                           "\"LaunchType\":\"FARGATE\"}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_SUCCESS);
    assert_int_equal(st.n_tasks, 1);
    assert_string_equal(st.task_arns[0], ARN1);
    json_t *sent = body_of(0);
    assert_string_equal(json_string_value(json_object_get(sent, "cluster")), "test");
    assert_string_equal(json_string_value(json_object_get(sent, "taskDefinition")), "migrate");
    assert_string_equal(json_string_value(json_object_get(sent, "startedBy")), STARTED_BY);
    assert_string_equal(json_string_value(json_object_get(sent, "clientToken")),
                        "0123456789abcdef0123456789abcdef");
    assert_int_equal(json_integer_value(json_object_get(sent, "count")), 1);
    assert_string_equal(json_string_value(json_object_get(sent, "launchType")), "FARGATE");
    json_decref(sent);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_partial_start_stops_the_started(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, JSON_HDR,
         "{\"tasks\":[" TASK(ARN1, "PROVISIONING", "") "],\"failures\":[{\"arn\":\"arn:ci/x\","
                                                       "\"reason\":\"RESOURCE:MEMORY\"}]}"},
        empty_ok};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Count\":2}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_START);
    assert_non_null(strstr(res.reason, "RunTask started 1 of 2 task(s)"));
    assert_non_null(strstr(res.reason, "RESOURCE:MEMORY"));
    assert_non_null(strstr(res.reason, "were stopped"));
    assert_int_equal(canned_server_count("StopTask"), 1);
    assert_non_null(strstr(canned_server_body(1), ARN1));
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_aws_error_on_start(void **state)
{
    (void)state;
    canned_response script[] = {{400, JSON_HDR,
                                 "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster "
                                 "not found.\"}"}};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"nope\",\"TaskDefinition\":\"migrate\"}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_FAILED);
    assert_string_equal(res.reason, "RunTask failed: ClusterNotFoundException: Cluster not found.");
    assert_int_equal(st.n_tasks, 0);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_polls_until_stopped(void **state)
{
    (void)state;
    canned_response script[] = {running, running, stopped_ok};
    start(script, 3);
    ecs_props p = props_of(
        "{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"PollInterval\":7,\"Timeout\":60}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    assert_int_equal(res.has_exit_code, 1);
    assert_int_equal(res.exit_code, 0);
    assert_int_equal(canned_server_count("DescribeTasks"), 3);
    /* One container: no DescribeTaskDefinition needed to find the essential one. */
    assert_int_equal(canned_server_count("DescribeTaskDefinition"), 0);
    assert_int_equal(fc.n_sleeps, 2);
    assert_int_equal(fc.sleeps[0], 7000);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_exit_code_fails(void **state)
{
    (void)state;
    canned_response script[] = {
        stopped_3, {400, JSON_HDR, "{\"__type\":\"ClientException\",\"message\":\"no\"}"}};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\"}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_EXIT_CODE);
    assert_int_equal(res.exit_code, 3);
    assert_non_null(strstr(res.reason, "Task aaaa1111: container app exited with code 3"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_timeout_stops_the_tasks(void **state)
{
    (void)state;
    canned_response script[] = {running, running, running, running, empty_ok};
    start(script, 5);
    ecs_props p = props_of(
        "{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"PollInterval\":10,\"Timeout\":25}");
    run_env env = env_of();
    run_state st = state_of(1);
    int64_t t0 = fc.now_ms;
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_TIMEOUT);
    /* Polls at 0, 10, 20 and at the Timeout itself (25), then stops. */
    assert_int_equal(canned_server_count("DescribeTasks"), 4);
    assert_int_equal(fc.now_ms - t0, 25000);
    assert_int_equal(canned_server_count("StopTask"), 1);
    assert_non_null(strstr(canned_server_body(4), "ecs-tasks: timeout test"));
    assert_non_null(strstr(res.reason, "Timeout: 25 s passed with 1 of 1 task(s) still running"));
    assert_non_null(strstr(res.reason, "they were stopped"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_timeout_without_stop(void **state)
{
    (void)state;
    canned_response script[] = {running};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":5,"
                           "\"StopOnTimeout\":\"false\"}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(canned_server_count("StopTask"), 0);
    assert_non_null(strstr(res.reason, "left running"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_continue_before_stop_at(void **state)
{
    (void)state;
    canned_response script[] = {running};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\","
                           "\"PollInterval\":10,\"Timeout\":3600}");
    run_env env = env_of();
    run_state st = state_of(1);
    int64_t stop_at = fc.now_ms + 35000;
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, stop_at, &res), RUN_CONTINUE);
    /* Polls at 0, 10, 20, 30; the next (40) would pass stop_at. */
    assert_int_equal(canned_server_count("DescribeTasks"), 4);
    assert_true(fc.now_ms <= stop_at);
    assert_int_equal(canned_server_count("StopTask"), 0);
    assert_null(res.reason);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_foreign_task_is_left_alone(void **state)
{
    (void)state;
    canned_response script[] = {{200, JSON_HDR,
                                 "{\"tasks\":[{\"taskArn\":\"" ARN1
                                 "\",\"lastStatus\":\"RUNNING\",\"startedBy\":"
                                 "\"someone-else\",\"containers\":[{\"name\":\"app\"}]}]}"}};
    start(script, 1);
    /* Timeout 0 has passed at the first poll: a task of this run would be
     * stopped; a task of someone else's is not. */
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":0}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(canned_server_count("StopTask"), 0);
    assert_non_null(strstr(res.reason, "was not started by this run"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_delete_stops_own_run_only(void **state)
{
    (void)state;
    canned_response script[] = {
        running, {200, JSON_HDR, "{\"taskArns\":[\"" ARN1 "\",\"" ARN2 "\"]}"}, empty_ok, empty_ok};
    start(script, 4);
    run_env env = env_of();
    char why[256];
    assert_int_equal(
        run_stop_named_run(&env, ARN1, "stack-Migrate-12345678", NULL, "deleted", why, sizeof why),
        0);
    assert_int_equal(canned_server_count("ListTasks"), 1);
    assert_non_null(strstr(canned_server_body(1), STARTED_BY));
    assert_int_equal(canned_server_count("StopTask"), 2);
    finish();

    /* Another resource's run (its startedBy has another prefix): left alone. */
    canned_response foreign[] = {running};
    start(foreign, 1);
    env = env_of();
    assert_int_equal(
        run_stop_named_run(&env, ARN1, "stack-Other-87654321", NULL, "deleted", why, sizeof why),
        0);
    assert_int_equal(canned_server_requests(), 1);
    finish();

    /* Not a task ARN (a failed Create's stable id): nothing is asked at all. */
    start(foreign, 1);
    env = env_of();
    assert_int_equal(run_stop_named_run(&env, "stack-Migrate-12345678", "stack-Migrate-12345678",
                                        "test", "deleted", why, sizeof why),
                     0);
    assert_int_equal(canned_server_requests(), 0);
    finish();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_sends_identity),
        cmocka_unit_test(test_partial_start_stops_the_started),
        cmocka_unit_test(test_aws_error_on_start),
        cmocka_unit_test(test_polls_until_stopped),
        cmocka_unit_test(test_exit_code_fails),
        cmocka_unit_test(test_timeout_stops_the_tasks),
        cmocka_unit_test(test_timeout_without_stop),
        cmocka_unit_test(test_continue_before_stop_at),
        cmocka_unit_test(test_foreign_task_is_left_alone),
        cmocka_unit_test(test_delete_stops_own_run_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
