/* SPDX-License-Identifier: Apache-2.0 */
/* Running "like the service": what DescribeServices gives the request, and
 * that explicit properties win. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/service.h"
#include "support/canned_aws.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define NETWORK                                                                                    \
    "\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":[\"subnet-1\"],"               \
    "\"securityGroups\":[\"sg-1\"],\"assignPublicIp\":\"DISABLED\"}}"

static const canned_response fargate_service = {
    200, JSON_HDR,
    "{\"services\":[{\"serviceArn\":\"arn:svc\",\"status\":\"ACTIVE\",\"launchType\":\"FARGATE\","
    "\"platformVersion\":\"1.4.0\",\"enableExecuteCommand\":true," NETWORK "}],\"failures\":[]}"};
static const canned_response capacity_service = {
    200, JSON_HDR,
    "{\"services\":[{\"serviceArn\":\"arn:svc\",\"status\":\"ACTIVE\","
    "\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":1}]," NETWORK
    "}],\"failures\":[]}"};

static fake_clock fc;
static aws_client *aws;
static json_t *holder;

static ecs_props start(const canned_response *answer, const char *props)
{
    aws = canned_aws_client(answer, 1, &fc);
    assert_non_null(aws);
    ecs_props p;
    char why[512];
    holder = json_loads(props, 0, NULL);
    if (props_parse(holder, &p, why, sizeof why) != 0)
        fail_msg("props: %s", why);
    return p;
}

static void finish(ecs_props *p)
{
    props_free(p);
    json_decref(holder);
    canned_aws_stop(aws);
}

static const char *string_at(const json_t *req, const char *key)
{
    return json_string_value(json_object_get(req, key));
}

static void test_takes_what_the_service_has(void **state)
{
    (void)state;
    ecs_props p = start(&fargate_service,
                        "{\"Cluster\":\"prod\",\"TaskDefinition\":\"t\",\"Service\":\"web\"}");
    char why[512];
    assert_int_equal(service_apply(aws, &p, why, sizeof why), 0);
    assert_non_null(strstr(canned_server_request(0), "DescribeServices"));
    assert_non_null(strstr(canned_server_body(0), "\"services\":[\"web\"]"));
    assert_non_null(strstr(canned_server_body(0), "\"cluster\":\"prod\""));
    assert_string_equal(string_at(p.run_task, "launchType"), "FARGATE");
    assert_string_equal(string_at(p.run_task, "platformVersion"), "1.4.0");
    assert_true(json_is_true(json_object_get(p.run_task, "enableExecuteCommand")));
    json_t *vpc =
        json_object_get(json_object_get(p.run_task, "networkConfiguration"), "awsvpcConfiguration");
    assert_string_equal(json_string_value(json_array_get(json_object_get(vpc, "subnets"), 0)),
                        "subnet-1");
    finish(&p);
}

static void test_explicit_properties_win(void **state)
{
    (void)state;
    ecs_props p = start(&capacity_service,
                        "{\"Cluster\":\"prod\",\"TaskDefinition\":\"t\",\"Service\":\"web\","
                        "\"LaunchType\":\"EC2\",\"NetworkConfiguration\":{\"AwsvpcConfiguration\":"
                        "{\"Subnets\":[\"subnet-mine\"]}}}");
    char why[512];
    assert_int_equal(service_apply(aws, &p, why, sizeof why), 0);
    assert_string_equal(string_at(p.run_task, "launchType"), "EC2");
    /* A launch type given keeps the service's capacity providers out. */
    assert_null(json_object_get(p.run_task, "capacityProviderStrategy"));
    json_t *vpc =
        json_object_get(json_object_get(p.run_task, "networkConfiguration"), "awsvpcConfiguration");
    assert_string_equal(json_string_value(json_array_get(json_object_get(vpc, "subnets"), 0)),
                        "subnet-mine");
    finish(&p);
}

static void test_capacity_providers_taken(void **state)
{
    (void)state;
    ecs_props p = start(&capacity_service,
                        "{\"Cluster\":\"prod\",\"TaskDefinition\":\"t\",\"Service\":\"web\"}");
    char why[512];
    assert_int_equal(service_apply(aws, &p, why, sizeof why), 0);
    assert_null(json_object_get(p.run_task, "launchType"));
    assert_string_equal(
        string_at(json_array_get(json_object_get(p.run_task, "capacityProviderStrategy"), 0),
                  "capacityProvider"),
        "FARGATE_SPOT");
    finish(&p);
}

static void test_unknown_service_named(void **state)
{
    (void)state;
    canned_response missing = {200, JSON_HDR,
                               "{\"services\":[],\"failures\":[{\"arn\":\"arn:svc/nope\","
                               "\"reason\":\"MISSING\"}]}"};
    ecs_props p =
        start(&missing, "{\"Cluster\":\"prod\",\"TaskDefinition\":\"t\",\"Service\":\"nope\"}");
    char why[512];
    assert_int_equal(service_apply(aws, &p, why, sizeof why), -1);
    assert_string_equal(why, "Service: DescribeServices of nope failed: ServiceNotFoundException: "
                             "service nope is MISSING in cluster prod");
    finish(&p);
}

static void test_no_service_no_call(void **state)
{
    (void)state;
    ecs_props p = start(&fargate_service, "{\"Cluster\":\"prod\",\"TaskDefinition\":\"t\"}");
    char why[512];
    assert_int_equal(service_apply(aws, &p, why, sizeof why), 0);
    assert_int_equal(canned_server_requests(), 0);
    finish(&p);
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_takes_what_the_service_has),
        cmocka_unit_test(test_explicit_properties_win),
        cmocka_unit_test(test_capacity_providers_taken),
        cmocka_unit_test(test_unknown_service_named),
        cmocka_unit_test(test_no_service_no_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
