/* SPDX-License-Identifier: Apache-2.0 */
/* The run loop against a canned ECS with the fake clock: what is sent, when
 * it waits, what it starts again and with which token, what it stops, and
 * what the Reason says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ids.h"
#include "engine/run.h"
#include "support/canned_aws.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/test/bbbb2222"
#define STARTED_BY "stack-Migrate-12345678-abcdef01"
#define TOKEN "0123456789abcdef0123456789abcdef"

#define TASK_X(arn, status, stop, containers)                                                      \
    "{\"taskArn\":\"" arn "\",\"lastStatus\":\"" status "\",\"startedBy\":\"" STARTED_BY "\"" stop \
    ",\"containers\":[" containers "]}"
#define TASK(arn, status, extra) TASK_X(arn, status, "", "{\"name\":\"app\"" extra "}")
#define TASKS(...)                                                                                 \
    {                                                                                              \
        200, JSON_HDR, "{\"tasks\":[" __VA_ARGS__ "],\"failures\":[]}"                             \
    }
#define FAILURE(reason)                                                                            \
    "{\"arn\":\"arn:aws:ecs:us-east-1:123456789012:container-instance/i\",\"reason\":\"" reason    \
    "\"}"
#define STARTED_WITH_FAILURES(tasks, failures)                                                     \
    {                                                                                              \
        200, JSON_HDR, "{\"tasks\":[" tasks "],\"failures\":[" failures "]}"                       \
    }

static const canned_response run_one = TASKS(TASK(ARN1, "PROVISIONING", ""));
static const canned_response running = TASKS(TASK(ARN1, "RUNNING", ""));
static const canned_response stopped_ok = TASKS(TASK(ARN1, "STOPPED", ",\"exitCode\":0"));
static const canned_response stopped_3 = TASKS(TASK(ARN1, "STOPPED", ",\"exitCode\":3"));
static const canned_response empty_ok = {200, JSON_HDR, "{}"};
static const canned_response no_td = {400, JSON_HDR,
                                      "{\"__type\":\"ClientException\",\"message\":\"no\"}"};

static fake_clock fc;
static aws_client *aws;
static json_t *holder;

static void start(const canned_response *script, size_t n)
{
    aws = canned_aws_client(script, n, &fc);
    assert_non_null(aws);
}

static void finish(void)
{
    canned_aws_stop(aws);
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

/* A fresh run (nothing started), or one following ARN1 when n_followed is 1. */
static run_state state_of(size_t n_followed)
{
    run_state st = {.first_receipt_ms = fc.now_ms, .n_slots = n_followed};
    snprintf(st.started_by, sizeof st.started_by, "%s", STARTED_BY);
    snprintf(st.client_token, sizeof st.client_token, "%s", TOKEN);
    if (n_followed) {
        snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, "%s", ARN1);
        st.slots[0].attempts = 1;
        st.rounds = 1;
    }
    return st;
}

static json_t *body_of(size_t i)
{
    json_t *j = json_loads(canned_server_body(i), 0, NULL);
    assert_non_null(j);
    return j;
}

/* The i-th request that holds needle (an operation), or fails. */
static size_t nth(const char *needle, size_t k)
{
    for (size_t i = 0, seen = 0; i < canned_server_requests(); i++)
        if (strstr(canned_server_request(i), needle) && seen++ == k)
            return i;
    fail_msg("no request %zu holding %s", k, needle);
    return 0;
}

static const char *member(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static char *head_of(const run_result *res)
{
    return res->why.head ? res->why.head : "";
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
    assert_int_equal(st.n_slots, 1);
    assert_string_equal(st.slots[0].task_arn, ARN1);
    assert_int_equal(st.slots[0].attempts, 1);
    assert_string_equal(st.slots[0].status, "PROVISIONING");
    json_t *sent = body_of(0);
    assert_string_equal(member(sent, "cluster"), "test");
    assert_string_equal(member(sent, "taskDefinition"), "migrate");
    assert_string_equal(member(sent, "startedBy"), STARTED_BY);
    assert_string_equal(member(sent, "clientToken"), TOKEN);
    assert_int_equal(json_integer_value(json_object_get(sent, "count")), 1);
    assert_string_equal(member(sent, "launchType"), "FARGATE");
    json_decref(sent);
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A transient failure to start: the started task keeps running, the other
 * is started again after 10 s with a token of its own. */
static void test_transient_start_retried_with_backoff(void **state)
{
    (void)state;
    canned_response script[] = {
        STARTED_WITH_FAILURES(TASK(ARN1, "PROVISIONING", ""), FAILURE("RESOURCE:MEMORY")),
        running,                               /* poll at 0 */
        TASKS(TASK(ARN2, "PROVISIONING", "")), /* round 2 at 10 s */
        TASKS(
            TASK(ARN1, "STOPPED", ",\"exitCode\":0") "," TASK(ARN2, "STOPPED", ",\"exitCode\":0"))};
    start(script, 4);
    ecs_props p = props_of(
        "{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Count\":2,\"PollInterval\":30}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    int64_t t0 = fc.now_ms;
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_SUCCESS);
    assert_string_equal(st.slots[0].task_arn, ARN1);
    assert_string_equal(st.slots[1].task_arn, "");
    assert_int_equal(st.slots[1].start_at_ms, t0 + 10000);
    assert_string_equal(st.slots[1].causes, "RESOURCE:MEMORY");
    assert_int_equal(canned_server_count("StopTask"), 0); /* the started one keeps running */
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    /* The restart came when it was due, not at the next poll (30 s). */
    json_t *again = body_of(nth("RunTask", 1));
    assert_int_equal(json_integer_value(json_object_get(again, "count")), 1);
    char token2[IDS_TOKEN_LEN + 1];
    ids_round_token(TOKEN, 2, token2, sizeof token2);
    assert_string_equal(member(again, "clientToken"), token2);
    assert_string_not_equal(token2, TOKEN);
    json_decref(again);
    assert_int_equal(fc.sleeps[0], 10000);
    assert_string_equal(st.slots[1].task_arn, ARN2);
    assert_int_equal(st.slots[1].attempts, 2);
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* Backoff doubles: 10 s, 20 s; with StartRetries 2 the third failure ends
 * the run, naming every attempt. */
static void test_retries_exhausted(void **state)
{
    (void)state;
    canned_response script[] = {
        STARTED_WITH_FAILURES("", FAILURE("RESOURCE:CPU")),
        STARTED_WITH_FAILURES("", FAILURE("RESOURCE:CPU")),
        STARTED_WITH_FAILURES("", FAILURE("Capacity is unavailable at this time. Please try again "
                                          "later or in a different availability zone"))};
    start(script, 3);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":600}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    int64_t t0 = fc.now_ms;
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_SUCCESS);
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_START);
    assert_int_equal(canned_server_count("RunTask"), 3);
    assert_int_equal(fc.now_ms - t0, 30000); /* 10 s, then 20 s */
    assert_non_null(strstr(head_of(&res), "RunTask started 0 of 1 task(s)"));
    assert_non_null(strstr(head_of(&res), "Capacity is unavailable"));
    assert_non_null(strstr(head_of(&res), "attempt 3 of at most 3"));
    assert_non_null(strstr(head_of(&res), "RESOURCE:CPU; RESOURCE:CPU"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A cause that does not go away fails at once, stopping what started. */
static void test_non_transient_failure_fails_at_once(void **state)
{
    (void)state;
    canned_response script[] = {
        STARTED_WITH_FAILURES(TASK(ARN1, "PROVISIONING", ""), FAILURE("ATTRIBUTE")), empty_ok};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Count\":2}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_START);
    assert_non_null(strstr(head_of(&res), "RunTask started 1 of 2 task(s)"));
    assert_non_null(strstr(head_of(&res), ": ATTRIBUTE"));
    assert_non_null(strstr(head_of(&res), "the 1 task(s) that started were stopped"));
    assert_int_equal(canned_server_count("StopTask"), 1);
    assert_non_null(strstr(canned_server_body(1), ARN1));
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A transient failure with no room before the Timeout is not retried. */
static void test_no_retry_past_the_timeout(void **state)
{
    (void)state;
    canned_response script[] = {STARTED_WITH_FAILURES("", FAILURE("RESOURCE:MEMORY"))};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":5}");
    run_env env = env_of();
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_FAILED);
    assert_non_null(strstr(head_of(&res), "no retry left before the Timeout"));
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
    assert_string_equal(head_of(&res),
                        "RunTask failed: ClusterNotFoundException: Cluster not found.");
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* TaskFailedToStart for a network interface: started again. */
static void test_task_failed_to_start_restarted(void **state)
{
    (void)state;
    canned_response script[] = {
        TASKS(TASK_X(ARN1, "STOPPED",
                     ",\"stopCode\":\"TaskFailedToStart\",\"stoppedReason\":\"Timeout waiting "
                     "for network interface provisioning to complete.\"",
                     "{\"name\":\"app\"}")),
        TASKS(TASK(ARN2, "PROVISIONING", "")), TASKS(TASK(ARN2, "STOPPED", ",\"exitCode\":0"))};
    start(script, 3);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":600}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    assert_int_equal(canned_server_count("RunTask"), 1);
    assert_string_equal(st.slots[0].task_arn, ARN2);
    assert_non_null(strstr(st.slots[0].causes, "network interface provisioning"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

#define SPOT_STOPPED                                                                               \
    TASKS(TASK_X(ARN1, "STOPPED",                                                                  \
                 ",\"stopCode\":\"SpotInterruption\",\"stoppedReason\":\"Your Spot Task was "      \
                 "interrupted.\"",                                                                 \
                 "{\"name\":\"app\"}"))

static void test_spot_interruption_without_rerun(void **state)
{
    (void)state;
    canned_response script[] = {SPOT_STOPPED, no_td};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\"}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_INTERRUPTED);
    assert_non_null(strstr(head_of(&res), "interrupted before its containers exited"));
    assert_non_null(strstr(head_of(&res), "SpotInterruption (Spot capacity was reclaimed)"));
    assert_non_null(strstr(head_of(&res), "set RerunOnInterruption"));
    assert_int_equal(canned_server_count("RunTask"), 0);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_spot_interruption_rerun(void **state)
{
    (void)state;
    canned_response script[] = {SPOT_STOPPED, TASKS(TASK(ARN2, "PROVISIONING", "")),
                                TASKS(TASK(ARN2, "STOPPED", ",\"exitCode\":0"))};
    start(script, 3);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\","
                           "\"RerunOnInterruption\":true,\"Timeout\":600}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    assert_int_equal(canned_server_count("RunTask"), 1);
    assert_string_equal(st.slots[0].task_arn, ARN2);
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_polls_until_stopped_and_tracks_phases(void **state)
{
    (void)state;
    canned_response script[] = {TASKS(TASK(ARN1, "PENDING", "")), running, stopped_ok};
    start(script, 3);
    ecs_props p = props_of(
        "{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"PollInterval\":7,\"Timeout\":60}");
    run_env env = env_of();
    run_state st = state_of(1);
    snprintf(st.slots[0].status, sizeof st.slots[0].status, "PROVISIONING");
    st.slots[0].status_since_ms = fc.now_ms - 3000;
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    assert_int_equal(res.has_exit_code, 1);
    assert_int_equal(res.exit_code, 0);
    assert_int_equal(canned_server_count("DescribeTasks"), 3);
    /* One container: no DescribeTaskDefinition needed to find the essential one. */
    assert_int_equal(canned_server_count("DescribeTaskDefinition"), 0);
    assert_int_equal(fc.sleeps[0], 7000);
    assert_string_equal(st.slots[0].phases, "PROVISIONING 3s, PENDING 7s, RUNNING 7s");
    run_result_free(&res);
    props_free(&p);
    finish();
}

static void test_exit_code_fails(void **state)
{
    (void)state;
    canned_response script[] = {stopped_3, no_td};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\"}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_EXIT_CODE);
    assert_int_equal(res.exit_code, 3);
    assert_non_null(strstr(head_of(&res), "Task aaaa1111: container app exited with code 3"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* Exit 137 with OutOfMemoryError: the words name the limit of the override. */
static void test_oom_words_name_the_limit(void **state)
{
    (void)state;
    canned_response script[] = {
        TASKS(TASK_X(ARN1, "STOPPED", ",\"stopCode\":\"EssentialContainerExited\"",
                     "{\"name\":\"app\",\"exitCode\":137,\"reason\":\"OutOfMemoryError: "
                     "Container killed due to memory usage\"}")),
        {200, JSON_HDR,
         "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:td\",\"containerDefinitions\":[{"
         "\"name\":\"app\",\"memory\":256}]}}"}};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Overrides\":{"
                           "\"ContainerOverrides\":[{\"Name\":\"app\",\"Memory\":\"512\"}]}}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_string_equal(head_of(&res),
                        "Task aaaa1111: container app exited with code 137: killed for exceeding "
                        "its memory limit of 512 MiB (OutOfMemoryError: Container killed due to "
                        "memory usage); task stopped: EssentialContainerExited (an essential "
                        "container exited)");
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A container without a limit of its own is under the task's: the task's
 * memory override when the run gives one, not the definition's. */
static void test_oom_words_name_the_task_override(void **state)
{
    (void)state;
    canned_response script[] = {
        TASKS(TASK_X(ARN1, "STOPPED", ",\"stopCode\":\"EssentialContainerExited\"",
                     "{\"name\":\"app\",\"exitCode\":137,\"reason\":\"OutOfMemoryError\"}")),
        {200, JSON_HDR,
         "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:td\",\"memory\":\"256\","
         "\"containerDefinitions\":[{\"name\":\"app\"}]}}"}};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Overrides\":{"
                           "\"Memory\":\"1024\"}}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_non_null(strstr(head_of(&res), "killed for exceeding its memory limit of 1024 MiB"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* CheckContainers "*": a sidecar's exit code decides too. */
static void test_every_container_decides(void **state)
{
    (void)state;
    canned_response script[] = {
        TASKS(TASK_X(ARN1, "STOPPED", "",
                     "{\"name\":\"app\",\"exitCode\":0},{\"name\":\"side\",\"exitCode\":2}")),
        no_td};
    start(script, 2);
    ecs_props p =
        props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"CheckContainers\":\"*\"}");
    run_env env = env_of();
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.exit_code, 2);
    assert_non_null(strstr(head_of(&res), "container side exited with code 2"));
    /* "*" needs no DescribeTaskDefinition to know who decides. */
    assert_int_equal(canned_server_count("DescribeTaskDefinition"), 1); /* for the log tail */
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
    assert_non_null(
        strstr(head_of(&res), "Timeout: 25 s passed with 1 of 1 task(s) still running"));
    assert_non_null(strstr(head_of(&res), "they were stopped"));
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
    fc.now_ms += 6000;
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(canned_server_count("StopTask"), 0);
    assert_non_null(strstr(head_of(&res), "left running"));
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
    assert_null(res.why.head);
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A waiting slot is carried across a hand-over and started when due. */
static void test_waiting_slot_started_after_continue(void **state)
{
    (void)state;
    canned_response script[] = {TASKS(TASK(ARN2, "PROVISIONING", "")),
                                TASKS(TASK(ARN2, "STOPPED", ",\"exitCode\":0"))};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Timeout\":600}");
    run_env env = env_of();
    run_state st = state_of(0);
    st.n_slots = 1;
    st.rounds = 1;
    st.slots[0].attempts = 1;
    st.slots[0].start_at_ms = fc.now_ms + 5000;
    snprintf(st.slots[0].causes, sizeof st.slots[0].causes, "RESOURCE:MEMORY");
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_SUCCESS);
    assert_int_equal(fc.sleeps[0], 5000);
    char token2[IDS_TOKEN_LEN + 1];
    ids_round_token(TOKEN, 2, token2, sizeof token2);
    json_t *sent = body_of(0);
    assert_string_equal(member(sent, "clientToken"), token2);
    json_decref(sent);
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
    assert_non_null(strstr(head_of(&res), "was not started by this run"));
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* --- cancellation (run_env.cancel) ------------------------------------------ */

static volatile sig_atomic_t cancel_flag;

/* The fake clock, except that a sleep is where the signal arrives. */
static void sleep_then_cancel(void *ctx, int64_t ms)
{
    fc.clock.sleep_ms(ctx, ms);
    cancel_flag = 2;
}

static void test_cancel_before_start(void **state)
{
    (void)state;
    canned_response script[] = {run_one};
    start(script, 1);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"Count\":2}");
    run_env env = env_of();
    cancel_flag = 15;
    env.cancel = &cancel_flag;
    run_state st = state_of(0);
    run_result res = {0};
    assert_int_equal(run_start(&env, &p, &st, &res), RUN_CANCELLED);
    assert_int_equal(res.status, RUN_CANCELLED);
    assert_int_equal(canned_server_requests(), 0);
    assert_int_equal(st.n_slots, 2);
    assert_int_equal(run_state_arns(&st, (const char *[RUN_MAX_TASKS]){0}), 0);
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* A signal during the wait between two polls: no poll, start or stop after
 * it; the state still names the task, which keeps running. */
static void test_cancel_during_wait(void **state)
{
    (void)state;
    canned_response script[] = {running, running};
    start(script, 2);
    ecs_props p = props_of(
        "{\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\",\"PollInterval\":5,\"Timeout\":1}");
    clk clock = fc.clock;
    clock.sleep_ms = sleep_then_cancel;
    run_env env = env_of();
    env.clock = &clock;
    cancel_flag = 0;
    env.cancel = &cancel_flag;
    run_state st = state_of(1);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_CANCELLED);
    assert_int_equal(res.status, RUN_CANCELLED);
    assert_int_equal(canned_server_requests(), 1);
    assert_int_equal(canned_server_count("DescribeTasks"), 1);
    assert_int_equal(fc.n_sleeps, 1);
    assert_string_equal(st.slots[0].task_arn, ARN1);
    /* Cancelled before the first poll: no request at all. */
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_CANCELLED);
    assert_int_equal(canned_server_requests(), 1);
    run_result_free(&res);
    props_free(&p);
    finish();
}

/* Tasks started elsewhere: followed and judged without a startedBy check,
 * and one that failed to start is not started again. */
static void test_follow_tasks_started_elsewhere(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, JSON_HDR,
         "{\"tasks\":[{\"taskArn\":\"" ARN1 "\",\"lastStatus\":\"STOPPED\",\"startedBy\":"
         "\"deploy-script\",\"containers\":[{\"name\":\"app\",\"exitCode\":4}]},"
         "{\"taskArn\":\"" ARN2 "\",\"lastStatus\":\"STOPPED\",\"stopCode\":"
         "\"TaskFailedToStart\",\"stoppedReason\":\"RESOURCE:MEMORY\",\"containers\":"
         "[{\"name\":\"app\"}]}]}"},
        no_td};
    start(script, 2);
    ecs_props p = props_of("{\"Cluster\":\"test\",\"TaskDefinition\":\"-\",\"StartRetries\":0}");
    run_env env = env_of();
    run_state st;
    const char *arns[] = {ARN1, ARN2};
    assert_int_equal(run_state_follow(&st, arns, 2, fc.now_ms), 0);
    assert_string_equal(st.started_by, "");
    assert_int_equal(st.first_receipt_ms, fc.now_ms);
    run_result res = {0};
    assert_int_equal(run_wait(&env, &p, &st, 0, &res), RUN_FAILED);
    assert_int_equal(res.failure, RUN_FAIL_EXIT_CODE);
    assert_int_equal(res.exit_code, 4);
    assert_int_equal(canned_server_count("RunTask"), 0);
    assert_int_equal(canned_server_count("StopTask"), 0);
    assert_non_null(strstr(head_of(&res), "1 more task(s) failed"));
    run_result_free(&res);
    props_free(&p);
    finish();
    /* What cannot be followed. */
    assert_int_equal(run_state_follow(&st, arns, 0, 1), -1);
    assert_int_equal(run_state_follow(&st, arns, RUN_MAX_TASKS + 1, 1), -1);
    char long_arn[RUN_ARN_MAX + 1];
    memset(long_arn, 'a', RUN_ARN_MAX);
    long_arn[RUN_ARN_MAX] = '\0';
    const char *too_long[] = {ARN1, long_arn};
    assert_int_equal(run_state_follow(&st, too_long, 2, 1), -1);
    assert_int_equal(st.n_slots, 0);
}

static void test_forget_waiting(void **state)
{
    (void)state;
    run_state st = {.n_slots = 4};
    snprintf(st.slots[1].task_arn, sizeof st.slots[1].task_arn, "%s", ARN1);
    snprintf(st.slots[3].task_arn, sizeof st.slots[3].task_arn, "%s", ARN2);
    st.slots[3].attempts = 2;
    st.slots[0].start_at_ms = 5;
    assert_int_equal(run_state_forget_waiting(&st), 2);
    assert_int_equal(st.n_slots, 2);
    assert_string_equal(st.slots[0].task_arn, ARN1);
    assert_string_equal(st.slots[1].task_arn, ARN2);
    assert_int_equal(st.slots[1].attempts, 2);
    assert_string_equal(st.slots[2].task_arn, "");
    assert_int_equal(st.slots[2].attempts, 0);
    run_state none = {.n_slots = 2};
    assert_int_equal(run_state_forget_waiting(&none), 0);
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_sends_identity),
        cmocka_unit_test(test_transient_start_retried_with_backoff),
        cmocka_unit_test(test_retries_exhausted),
        cmocka_unit_test(test_non_transient_failure_fails_at_once),
        cmocka_unit_test(test_no_retry_past_the_timeout),
        cmocka_unit_test(test_aws_error_on_start),
        cmocka_unit_test(test_task_failed_to_start_restarted),
        cmocka_unit_test(test_spot_interruption_without_rerun),
        cmocka_unit_test(test_spot_interruption_rerun),
        cmocka_unit_test(test_polls_until_stopped_and_tracks_phases),
        cmocka_unit_test(test_exit_code_fails),
        cmocka_unit_test(test_oom_words_name_the_limit),
        cmocka_unit_test(test_oom_words_name_the_task_override),
        cmocka_unit_test(test_every_container_decides),
        cmocka_unit_test(test_timeout_stops_the_tasks),
        cmocka_unit_test(test_timeout_without_stop),
        cmocka_unit_test(test_continue_before_stop_at),
        cmocka_unit_test(test_waiting_slot_started_after_continue),
        cmocka_unit_test(test_foreign_task_is_left_alone),
        cmocka_unit_test(test_cancel_before_start),
        cmocka_unit_test(test_cancel_during_wait),
        cmocka_unit_test(test_follow_tasks_started_elsewhere),
        cmocka_unit_test(test_forget_waiting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
