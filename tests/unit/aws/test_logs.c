/* SPDX-License-Identifier: Apache-2.0 */
/* aws/logs.c against a canned CloudWatch Logs: the GetLogEvents request
 * (group, stream, direction, token and limit only when given), the parsed
 * page, logs_tail's last lines oldest first, and error answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"
#include "util/strv.h"

#define J CANNED_AWS_JSON

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    aws_client *c = canned_aws_client(script, n, &fc);
    assert_non_null(c);
    return c;
}

static void assert_target(size_t i)
{
    char v[128];
    const char *t = canned_server_header(i, "X-Amz-Target", v, sizeof v);
    assert_non_null(t);
    assert_string_equal(t, "Logs_20140328.GetLogEvents");
}

static const char page_answer[] =
    "{\"events\":[{\"timestamp\":1700000000123,\"message\":\"first line\","
    "\"ingestionTime\":1700000000200},{\"timestamp\":1700000000456,\"message\":\"second\"},"
    "{\"timestamp\":1700000000789}],"
    "\"nextForwardToken\":\"f/3861\",\"nextBackwardToken\":\"b/3859\"}";

static void test_get_log_events(void **state)
{
    (void)state;
    canned_response script[] = {{200, J, page_answer}, {200, J, "{\"events\":[]}"}};
    aws_client *c = client_for(script, 2);
    logs_page page;
    aws_error err;
    assert_int_equal(
        logs_get_log_events(c, "/ecs/app", "ecs/app/abc123", "f/3860", 1, 50, &page, &err), 0);
    assert_target(0);
    json_t *expect =
        json_pack("{s:s, s:s, s:b, s:s, s:i}", "logGroupName", "/ecs/app", "logStreamName",
                  "ecs/app/abc123", "startFromHead", 1, "nextToken", "f/3860", "limit", 50);
    json_t *sent = canned_aws_json(0);
    assert_true(json_equal(sent, expect));
    json_decref(sent);
    json_decref(expect);

    assert_int_equal(page.n, 3);
    assert_string_equal(page.events[0].message, "first line");
    assert_int_equal(page.events[0].timestamp, 1700000000123);
    assert_string_equal(page.events[1].message, "second");
    assert_int_equal(page.events[1].timestamp, 1700000000456);
    assert_null(page.events[2].message);
    assert_string_equal(page.next_forward_token, "f/3861");
    assert_string_equal(page.next_backward_token, "b/3859");
    logs_page_free(&page);
    assert_null(page.events);
    assert_int_equal(page.n, 0);

    /* No token, no limit: neither is sent; from the end. No tokens back. */
    assert_int_equal(logs_get_log_events(c, "g", "s", NULL, 0, 0, &page, &err), 0);
    expect =
        json_pack("{s:s, s:s, s:b}", "logGroupName", "g", "logStreamName", "s", "startFromHead", 0);
    sent = canned_aws_json(1);
    assert_true(json_equal(sent, expect));
    json_decref(sent);
    json_decref(expect);
    assert_int_equal(page.n, 0);
    assert_null(page.next_forward_token);
    assert_null(page.next_backward_token);
    logs_page_free(&page);
    canned_aws_stop(c);
}

static void test_get_log_events_error(void **state)
{
    (void)state;
    canned_response script[] = {{400, J,
                                 "{\"__type\":\"ResourceNotFoundException\","
                                 "\"message\":\"The specified log stream does not exist.\"}"}};
    aws_client *c = client_for(script, 1);
    logs_page page;
    aws_error err;
    assert_int_equal(logs_get_log_events(c, "g", "s", NULL, 1, 0, &page, &err), -1);
    assert_string_equal(err.code, "ResourceNotFoundException");
    assert_string_equal(err.message, "The specified log stream does not exist.");
    assert_int_equal(page.n, 0);
    assert_null(page.events);
    logs_page_free(&page); /* safe on what a failure leaves */
    canned_aws_stop(c);
}

static void test_tail(void **state)
{
    (void)state;
    canned_response script[] = {
        /* more events than asked for: only the last max_lines are kept */
        {200, J,
         "{\"events\":[{\"message\":\"1\"},{\"message\":\"2\"},{\"message\":\"3\"},"
         "{\"message\":\"4\"},{\"timestamp\":5}],\"nextForwardToken\":\"f\"}"},
        {200, J, "{\"events\":[{\"message\":\"only\"}]}"},
        {200, J, "{}"},
    };
    aws_client *c = client_for(script, 3);
    char **lines;
    size_t n;
    aws_error err;
    assert_int_equal(logs_tail(c, "/ecs/app", "ecs/app/t", 3, &lines, &n, &err), 0);
    assert_target(0);
    json_t *expect = json_pack("{s:s, s:s, s:b, s:i}", "logGroupName", "/ecs/app", "logStreamName",
                               "ecs/app/t", "startFromHead", 0, "limit", 3);
    json_t *sent = canned_aws_json(0);
    assert_true(json_equal(sent, expect)); /* the last 3, from the end */
    json_decref(sent);
    json_decref(expect);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "3");
    assert_string_equal(lines[1], "4");
    assert_string_equal(lines[2], ""); /* an event without a message */
    strv_free(lines, n);

    /* Fewer than asked for: all of them. */
    assert_int_equal(logs_tail(c, "g", "s", 10, &lines, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "only");
    strv_free(lines, n);

    /* None. */
    assert_int_equal(logs_tail(c, "g", "s", 10, &lines, &n, &err), 0);
    assert_int_equal(n, 0);
    strv_free(lines, n);
    canned_aws_stop(c);
}

static void test_tail_error(void **state)
{
    (void)state;
    canned_response script[] = {
        {400, J, "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}"}};
    aws_client *c = client_for(script, 1);
    char **lines = (char **)1;
    size_t n = 7;
    aws_error err;
    assert_int_equal(logs_tail(c, "g", "s", 5, &lines, &n, &err), -1);
    assert_string_equal(err.code, "AccessDeniedException");
    assert_string_equal(err.message, "not allowed");
    assert_null(lines);
    assert_int_equal(n, 0);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_get_log_events),
        T(test_get_log_events_error),
        T(test_tail),
        T(test_tail_error),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
