/* SPDX-License-Identifier: Apache-2.0 */
/* `ecs-tasks run --logs` (cli/follow.c) against the canned server playing ECS
 * (DescribeTaskDefinition) and CloudWatch Logs (GetLogEvents): each new line
 * printed once with its container's name across polls, secrets masked, and a
 * task definition that cannot be read refused cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "cli/follow.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"
#include "support/capture.h"
#include "support/fake_clock.h"
#include "util/log.h"
#include "util/redact.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define TASK_ARN "arn:aws:ecs:us-east-1:123456789012:task/prod/abc123"
#define TASK_ARN_2 "arn:aws:ecs:us-east-1:123456789012:task/prod/def456"
#define SECRET "hunter2-swordfish"

/* Three containers: one logging with awslogs, one with another driver, one
 * without a log configuration. Only the first is followed. */
static const canned_response task_definition = {
    200, JSON_HDR,
    "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:123456789012:"
    "task-definition/app:3\",\"family\":\"app\",\"revision\":3,\"containerDefinitions\":["
    "{\"name\":\"app\",\"essential\":true,\"logConfiguration\":{\"logDriver\":\"awslogs\","
    "\"options\":{\"awslogs-group\":\"/ecs/app\",\"awslogs-region\":\"us-east-1\","
    "\"awslogs-stream-prefix\":\"ecs\"}}},"
    "{\"name\":\"proxy\",\"logConfiguration\":{\"logDriver\":\"splunk\",\"options\":{}}},"
    "{\"name\":\"quiet\"}]}}"};

#define PAGE(events, token)                                                                        \
    {                                                                                              \
        200, JSON_HDR,                                                                             \
            "{\"events\":[" events "],\"nextForwardToken\":\"" token                               \
            "\",\"nextBackwardToken\":\"b/0\"}"                                                    \
    }
#define EVENT(ts, msg) "{\"timestamp\":" #ts ",\"message\":\"" msg "\",\"ingestionTime\":" #ts "}"

static fake_clock fc;
static aws_client *aws;
static char *out_text;
static size_t out_len;
static FILE *out;

static void setup_client(const canned_response *script, size_t n)
{
    aws = canned_aws_client(script, n, &fc);
    assert_non_null(aws);
    out = open_memstream(&out_text, &out_len);
    assert_non_null(out);
}

static void teardown_client(void)
{
    fclose(out);
    free(out_text);
    out_text = NULL;
    canned_aws_stop(aws);
}

/* What was printed so far. */
static const char *printed(void)
{
    fflush(out);
    return out_text ? out_text : "";
}

static ecs_task_set tasks_of(ecs_task *tasks, size_t n)
{
    ecs_task_set set = {.tasks = tasks, .n_tasks = n};
    return set;
}

/* Request i is a GetLogEvents for the app stream of task id, from the head,
 * with nextToken `token` (NULL: none). */
static void assert_get_log_events(size_t i, const char *id, const char *token)
{
    assert_non_null(strstr(canned_server_request(i), "X-Amz-Target: Logs_20140328.GetLogEvents"));
    json_error_t e;
    json_t *body = json_loads(canned_server_body(i), 0, &e);
    assert_non_null(body);
    assert_string_equal(json_string_value(json_object_get(body, "logGroupName")), "/ecs/app");
    char stream[128];
    snprintf(stream, sizeof stream, "ecs/app/%s", id);
    assert_string_equal(json_string_value(json_object_get(body, "logStreamName")), stream);
    assert_true(json_is_true(json_object_get(body, "startFromHead")));
    const char *sent = json_string_value(json_object_get(body, "nextToken"));
    if (token && (!sent || strcmp(sent, token) != 0))
        fail_msg("request %zu: nextToken %s, expected %s", i, sent ? sent : "(none)", token);
    if (!token)
        assert_null(json_object_get(body, "nextToken"));
    json_decref(body);
}

static void test_lines_printed_once_across_polls(void **state)
{
    (void)state;
    const canned_response script[] = {
        task_definition,
        /* poll 1: two lines, then the end (the same token, no events) */
        PAGE(EVENT(1, "migrating") "," EVENT(2, "step 1 of 2"), "f/1"),
        PAGE("", "f/1"),
        /* poll 2: two pages of new lines, then the end */
        PAGE(EVENT(3, "step 2 of 2"), "f/2"),
        PAGE(EVENT(4, "done \\u00e9t\\u00e9"), "f/3"),
        PAGE("", "f/3"),
        /* poll 3: nothing new */
        PAGE("", "f/3"),
    };
    setup_client(script, sizeof script / sizeof script[0]);
    log_follower *f = follow_new(aws, "app:3", NULL, out);
    assert_non_null(f);
    assert_int_equal(canned_server_requests(), 1);
    assert_non_null(strstr(canned_server_request(0),
                           "X-Amz-Target: AmazonEC2ContainerServiceV20141113."
                           "DescribeTaskDefinition"));
    assert_string_equal(canned_server_body(0), "{\"taskDefinition\":\"app:3\"}");
    assert_string_equal(printed(), "");

    ecs_task tasks[] = {{.arn = TASK_ARN}};
    ecs_task_set set = tasks_of(tasks, 1);
    follow_poll(f, &set);
    assert_string_equal(printed(), "[app] migrating\n[app] step 1 of 2\n");
    assert_int_equal(canned_server_requests(), 3);
    assert_get_log_events(1, "abc123", NULL);
    assert_get_log_events(2, "abc123", "f/1");

    follow_poll(f, &set);
    assert_string_equal(printed(), "[app] migrating\n[app] step 1 of 2\n[app] step 2 of 2\n"
                                   "[app] done \xc3\xa9t\xc3\xa9\n");
    assert_int_equal(canned_server_requests(), 6);
    assert_get_log_events(3, "abc123", "f/1");
    assert_get_log_events(4, "abc123", "f/2");
    assert_get_log_events(5, "abc123", "f/3");

    follow_poll(f, &set);
    assert_int_equal(canned_server_requests(), 7);
    assert_get_log_events(6, "abc123", "f/3");
    assert_string_equal(printed(), "[app] migrating\n[app] step 1 of 2\n[app] step 2 of 2\n"
                                   "[app] done \xc3\xa9t\xc3\xa9\n");
    /* Only the awslogs container was read. */
    assert_int_equal(canned_server_count("GetLogEvents"), 6);
    assert_int_equal(canned_server_count("proxy"), 0);
    follow_free(f);
    teardown_client();
}

/* Each task has its own stream and position; a stream that does not exist
 * yet is read from its head at the next poll. */
static void test_streams_per_task(void **state)
{
    (void)state;
    static const canned_response not_yet = {
        400, JSON_HDR,
        "{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log stream does "
        "not exist.\"}"};
    const canned_response script[] = {
        task_definition,
        /* poll 1: task 1 has a line; task 2's stream is not there yet */
        PAGE(EVENT(1, "one"), "f/a1"),
        PAGE("", "f/a1"),
        not_yet,
        /* poll 2: task 1 nothing new; task 2 from its head */
        PAGE("", "f/a1"),
        PAGE(EVENT(5, "two"), "f/b1"),
        PAGE("", "f/b1"),
    };
    setup_client(script, sizeof script / sizeof script[0]);
    log_follower *f = follow_new(aws, "app", NULL, out);
    assert_non_null(f);
    ecs_task tasks[] = {{.arn = TASK_ARN}, {.arn = TASK_ARN_2}};
    ecs_task_set set = tasks_of(tasks, 2);
    follow_poll(f, &set);
    assert_string_equal(printed(), "[app] one\n");
    assert_get_log_events(3, "def456", NULL);
    follow_poll(f, &set);
    assert_string_equal(printed(), "[app] one\n[app] two\n");
    assert_int_equal(canned_server_requests(), 7);
    assert_get_log_events(4, "abc123", "f/a1");
    assert_get_log_events(5, "def456", NULL);
    assert_get_log_events(6, "def456", "f/b1");
    follow_free(f);
    teardown_client();
}

static void test_secrets_masked(void **state)
{
    (void)state;
    const canned_response script[] = {
        task_definition,
        PAGE(EVENT(1, "connecting with " SECRET) "," EVENT(2, "{\\\"password\\\":\\\"" SECRET
                                                              "\\\"}") "," EVENT(3, "ok"),
             "f/1"),
        PAGE("", "f/1"),
    };
    setup_client(script, sizeof script / sizeof script[0]);
    redactor *r = redact_new();
    assert_non_null(r);
    assert_int_equal(redact_add(r, SECRET), 0);
    log_follower *f = follow_new(aws, "app", r, out);
    assert_non_null(f);
    ecs_task tasks[] = {{.arn = TASK_ARN}};
    ecs_task_set set = tasks_of(tasks, 1);
    follow_poll(f, &set);
    assert_string_equal(printed(), "[app] connecting with " REDACT_MASK "\n"
                                   "[app] {\"password\":\"" REDACT_MASK "\"}\n"
                                   "[app] ok\n");
    assert_null(strstr(printed(), SECRET));
    follow_free(f);
    redact_free(r);
    teardown_client();
}

static void test_task_definition_unreadable(void **state)
{
    (void)state;
    static const canned_response refused = {
        400, JSON_HDR,
        "{\"__type\":\"ClientException\",\"message\":\"Unable to describe task definition.\"}"};
    const canned_response script[] = {refused};
    setup_client(script, 1);
    capture err;
    assert_int_equal(capture_begin(&err, stderr), 0);
    log_follower *f = follow_new(aws, "missing:1", NULL, out);
    const char *said = capture_end(&err);
    assert_null(f);
    assert_non_null(strstr(said, "ClientException"));
    assert_non_null(strstr(said, "Unable to describe task definition."));
    assert_int_equal(canned_server_count("GetLogEvents"), 0);
    assert_string_equal(printed(), "");
    capture_free(&err);
    follow_free(NULL);
    teardown_client();

    /* An answer without the task definition's ARN is malformed. */
    static const canned_response malformed = {200, JSON_HDR, "{\"taskDefinition\":{}}"};
    const canned_response script2[] = {malformed};
    setup_client(script2, 1);
    assert_int_equal(capture_begin(&err, stderr), 0);
    f = follow_new(aws, "app", NULL, out);
    said = capture_end(&err);
    assert_null(f);
    assert_non_null(strstr(said, "ecs-tasks run: --logs: "));
    capture_free(&err);
    teardown_client();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lines_printed_once_across_polls, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_streams_per_task, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_secrets_masked, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_task_definition_unreadable, aws_env_setup,
                                        aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
