/* SPDX-License-Identifier: Apache-2.0 */
/* Delete's stopping, against a canned ECS: only the run the
 * PhysicalResourceId names, only when it is this resource's, never blocked
 * by what cannot be found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/stop.h"
#include "support/canned_aws.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/test/bbbb2222"
#define RESOURCE "stack-Migrate-12345678"
#define STARTED_BY RESOURCE "-abcdef01"

#define DESCRIBED(by)                                                                              \
    {                                                                                              \
        200, JSON_HDR,                                                                             \
            "{\"tasks\":[{\"taskArn\":\"" ARN1 "\",\"lastStatus\":\"RUNNING\",\"startedBy\":\"" by \
            "\",\"containers\":[{\"name\":\"app\"}]}]}"                                            \
    }

static const canned_response listed = {200, JSON_HDR, "{\"taskArns\":[\"" ARN1 "\",\"" ARN2 "\"]}"};
static const canned_response empty_ok = {200, JSON_HDR, "{}"};

static fake_clock fc;
static aws_client *aws;

static void start(const canned_response *script, size_t n)
{
    aws = canned_aws_client(script, n, &fc);
    assert_non_null(aws);
}

static void finish(void)
{
    canned_aws_stop(aws);
}

static void test_stops_own_run(void **state)
{
    (void)state;
    canned_response script[] = {DESCRIBED(STARTED_BY), listed, empty_ok, empty_ok};
    start(script, 4);
    char why[256];
    assert_int_equal(stop_named_run(aws, ARN1, RESOURCE, NULL, "deleted", why, sizeof why), 0);
    assert_int_equal(canned_server_count("ListTasks"), 1);
    assert_non_null(strstr(canned_server_body(1), STARTED_BY));
    assert_null(strstr(canned_server_body(1), "desiredStatus")); /* startedBy is the one filter */
    /* The cluster comes from the task ARN. */
    assert_non_null(strstr(canned_server_body(1), "\"cluster\":\"test\""));
    assert_int_equal(canned_server_count("StopTask"), 2);
    assert_non_null(strstr(canned_server_body(2), "\"reason\":\"deleted\""));
    finish();
}

static void test_foreign_run_left_alone(void **state)
{
    (void)state;
    /* Another resource's run, and one whose id merely starts the same. */
    const canned_response others[] = {DESCRIBED("stack-Other-87654321-abcdef01"),
                                      DESCRIBED(RESOURCE "9-abcdef01")};
    for (size_t i = 0; i < 2; i++) {
        start(&others[i], 1);
        char why[256];
        assert_int_equal(stop_named_run(aws, ARN1, RESOURCE, NULL, "deleted", why, sizeof why), 0);
        assert_int_equal(canned_server_requests(), 1);
        finish();
    }
}

static void test_nothing_blocks_a_deletion(void **state)
{
    (void)state;
    char why[256];
    /* Not a task ARN (a failed Create's stable id): nothing is asked at all. */
    canned_response none[] = {empty_ok};
    start(none, 1);
    assert_int_equal(stop_named_run(aws, RESOURCE, RESOURCE, "test", "deleted", why, sizeof why),
                     0);
    assert_int_equal(canned_server_requests(), 0);
    finish();
    /* A task ECS no longer knows, and a cluster that is gone. */
    canned_response gone[] = {
        {400, JSON_HDR, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"x\"}"}};
    start(gone, 1);
    assert_int_equal(stop_named_run(aws, ARN1, RESOURCE, NULL, "deleted", why, sizeof why), 0);
    finish();
}

static void test_failed_stop_reported(void **state)
{
    (void)state;
    canned_response script[] = {
        DESCRIBED(STARTED_BY),
        listed,
        {400, JSON_HDR, "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}"}};
    start(script, 3);
    char why[256];
    assert_int_equal(stop_named_run(aws, ARN1, RESOURCE, NULL, "deleted", why, sizeof why), -1);
    assert_string_equal(why, "Delete: StopTask failed: AccessDeniedException: not allowed");
    finish();
}

static void test_already_stopped_is_fine(void **state)
{
    (void)state;
    canned_response script[] = {{200, JSON_HDR, "{\"taskArns\":[\"" ARN1 "\"]}"},
                                {400, JSON_HDR,
                                 "{\"__type\":\"InvalidParameterException\",\"message\":\"The task "
                                 "is already stopped.\"}"}};
    start(script, 2);
    size_t n = 9;
    aws_error err;
    assert_int_equal(stop_started_by(aws, "test", STARTED_BY, "r", &n, &err), 0);
    assert_int_equal(n, 0);
    finish();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stops_own_run),
        cmocka_unit_test(test_foreign_run_left_alone),
        cmocka_unit_test(test_nothing_blocks_a_deletion),
        cmocka_unit_test(test_failed_stop_reported),
        cmocka_unit_test(test_already_stopped_is_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
