/* SPDX-License-Identifier: Apache-2.0 */
/* The handler's decisions, one invocation at a time, against a canned
 * server that plays ECS, CloudFormation, Lambda and the ResponseURL, with the
 * fake clock: what is asked of AWS, what is answered to CloudFormation, and
 * when it hands over to the next invocation instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/handler.h"
#include "engine/ids.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"
#define STACK "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1111-2222"
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"
#define SIGNED_AT "20261201T000000Z"

static fake_clock fc;
static cfn_handler *handler;
static int port;
static char started_by[IDS_STARTED_BY_MAX + 1];
static char token[IDS_TOKEN_LEN + 1];

static const canned_response put_ok = {200, NULL, ""};

/* The startedBy and token the handler derives for request "req-1". */
static void derive(void)
{
    char url[256], resource[IDS_STARTED_BY_MAX + 1];
    snprintf(url, sizeof url, "http://127.0.0.1:1/cfn?X-Amz-Date=" SIGNED_AT);
    ids_client_token("req-1", url, token, sizeof token);
    ids_resource_id(STACK, "Migrate", resource, sizeof resource);
    ids_started_by(resource, token, started_by, sizeof started_by);
}

static void start(const canned_response *script, size_t n)
{
    port = canned_server_start(script, n);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    setenv("AWS_LAMBDA_FUNCTION_NAME", "ecsTasks", 1);
    fake_clock_init(&fc, 1764547200000);
    char why[256];
    handler = cfn_handler_new_with_clock(&fc.clock, why, sizeof why);
    assert_non_null(handler);
}

static void finish(void)
{
    cfn_handler_free(handler);
    canned_server_stop();
}

/* A request whose ResponseURL is the canned server; extra is appended to
 * the event's members. */
static char *event(const char *type, const char *props, const char *extra)
{
    char *text = NULL;
    int n = asprintf(&text,
                     "{\"RequestType\":\"%s\",\"ResponseURL\":\"http://127.0.0.1:%d/cfn?X-Amz-Date="
                     "%s&X-Amz-Signature=abc\",\"StackId\":\"" STACK "\",\"RequestId\":\"req-1\","
                     "\"LogicalResourceId\":\"Migrate\",\"ResourceType\":\"Custom::ECSTask\","
                     "\"ResourceProperties\":{\"ServiceToken\":\"arn:f\",\"Cluster\":\"test\","
                     "\"TaskDefinition\":\"migrate\",\"PollInterval\":\"10\"%s}%s}",
                     type, port, SIGNED_AT, props, extra);
    assert_true(n > 0);
    return text;
}

/* Runs one invocation with `budget_ms` before its deadline. */
static lambda_result invoke(const char *ev, int64_t budget_ms)
{
    lambda_invocation inv = {.request_id = "inv-1",
                             .deadline_ms = fc.now_ms + budget_ms,
                             .function_arn = "",
                             .trace_id = "",
                             .event = ev,
                             .event_len = strlen(ev)};
    lambda_result result = {.ok = 0};
    buf_init(&result.response, 1u << 20);
    cfn_handler_invoke(&inv, &result, handler);
    return result;
}

/* The JSON body of the last PUT to the ResponseURL, or NULL. */
static json_t *response_put(void)
{
    json_t *found = NULL;
    for (size_t i = 0; i < canned_server_requests(); i++)
        if (!strncmp(canned_server_request(i), "PUT /cfn?", 9)) {
            json_decref(found);
            found = json_loads(canned_server_body(i), 0, NULL);
        }
    return found;
}

static const char *member(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static void test_create_runs_and_answers(void **state)
{
    (void)state;
    derive();
    char run[512], stopped[512];
    snprintf(run, sizeof run,
             "{\"tasks\":[{\"taskArn\":\"" ARN1
             "\",\"lastStatus\":\"PENDING\",\"startedBy\":\"%s\","
             "\"containers\":[{\"name\":\"app\"}]}],\"failures\":[]}",
             started_by);
    snprintf(stopped, sizeof stopped,
             "{\"tasks\":[{\"taskArn\":\"" ARN1
             "\",\"lastStatus\":\"STOPPED\",\"startedBy\":\"%s\","
             "\"containers\":[{\"name\":\"app\",\"exitCode\":0}]}]}",
             started_by);
    canned_response script[] = {{200, JSON_HDR, run}, {200, JSON_HDR, stopped}, put_ok};
    start(script, 3);
    char *ev = event("Create", "", "");
    lambda_result r = invoke(ev, 60000);
    assert_true(r.ok);
    assert_int_equal(canned_server_count("RunTask"), 1);
    assert_non_null(strstr(canned_server_body(0), token));
    json_t *body = response_put();
    assert_non_null(body);
    assert_string_equal(member(body, "Status"), "SUCCESS");
    assert_string_equal(member(body, "PhysicalResourceId"), ARN1);
    assert_string_equal(member(json_object_get(body, "Data"), "Ran"), "true");
    assert_string_equal(member(json_object_get(body, "Data"), "ExitCode"), "0");
    json_decref(body);
    buf_free(&r.response);
    free(ev);
    finish();
}

static void test_update_gated_runs_nothing(void **state)
{
    (void)state;
    canned_response script[] = {put_ok};
    start(script, 1);
    char *ev = event("Update", ",\"RunOnUpdate\":\"false\"",
                     ",\"PhysicalResourceId\":\"" ARN1 "\",\"OldResourceProperties\":{}");
    lambda_result r = invoke(ev, 60000);
    assert_true(r.ok);
    assert_int_equal(canned_server_requests(), 1); /* the PUT alone */
    json_t *body = response_put();
    assert_string_equal(member(body, "Status"), "SUCCESS");
    assert_string_equal(member(body, "PhysicalResourceId"), ARN1);
    assert_string_equal(member(json_object_get(body, "Data"), "Ran"), "false");
    json_decref(body);
    buf_free(&r.response);
    free(ev);
    finish();
}

static void test_update_during_rollback_runs_nothing(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, "Content-Type: text/xml\r\n",
         "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackStatus>"
         "UPDATE_ROLLBACK_IN_PROGRESS</StackStatus></member></Stacks></DescribeStacksResult>"
         "</DescribeStacksResponse>"},
        put_ok};
    start(script, 2);
    char *ev = event("Update", ",\"RunOnRollback\":\"false\"",
                     ",\"PhysicalResourceId\":\"" ARN1 "\",\"OldResourceProperties\":{}");
    lambda_result r = invoke(ev, 60000);
    assert_true(r.ok);
    assert_int_equal(canned_server_count("Action=DescribeStacks"), 1);
    assert_int_equal(canned_server_count("RunTask"), 0);
    json_t *body = response_put();
    assert_string_equal(member(body, "Status"), "SUCCESS");
    assert_string_equal(member(body, "PhysicalResourceId"), ARN1);
    json_decref(body);
    buf_free(&r.response);
    free(ev);
    finish();
}

static void test_delete_of_foreign_run_stops_nothing(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, JSON_HDR,
         "{\"tasks\":[{\"taskArn\":\"" ARN1 "\",\"lastStatus\":\"RUNNING\",\"startedBy\":"
         "\"other-Thing-99999999-00000000\",\"containers\":[{\"name\":\"app\"}]}]}"},
        put_ok};
    start(script, 2);
    char *ev = event("Delete", "", ",\"PhysicalResourceId\":\"" ARN1 "\"");
    lambda_result r = invoke(ev, 60000);
    assert_true(r.ok);
    assert_int_equal(canned_server_count("DescribeTasks"), 1);
    assert_int_equal(canned_server_count("ListTasks"), 0);
    assert_int_equal(canned_server_count("StopTask"), 0);
    json_t *body = response_put();
    assert_string_equal(member(body, "Status"), "SUCCESS");
    json_decref(body);
    buf_free(&r.response);
    free(ev);
    finish();
}

static void test_hands_over_before_the_deadline(void **state)
{
    (void)state;
    derive();
    char run[512], running[512];
    snprintf(run, sizeof run,
             "{\"tasks\":[{\"taskArn\":\"" ARN1
             "\",\"lastStatus\":\"PENDING\",\"startedBy\":\"%s\","
             "\"containers\":[{\"name\":\"app\"}]}],\"failures\":[]}",
             started_by);
    snprintf(running, sizeof running,
             "{\"tasks\":[{\"taskArn\":\"" ARN1
             "\",\"lastStatus\":\"RUNNING\",\"startedBy\":\"%s\","
             "\"containers\":[{\"name\":\"app\"}]}]}",
             started_by);
    canned_response script[] = {{200, JSON_HDR, run},     {200, JSON_HDR, running},
                                {200, JSON_HDR, running}, {200, JSON_HDR, running},
                                {200, JSON_HDR, running}, {202, NULL, ""}};
    start(script, 6);
    char *ev = event("Create", ",\"Timeout\":\"600\"", "");
    int64_t t0 = fc.now_ms;
    /* A 40 s invocation keeps 10 s back: polls at 0, 10, 20 and 30, then
     * hands over rather than wait for the poll at 40. */
    lambda_result r = invoke(ev, 40000);
    assert_true(r.ok);
    assert_string_equal(buf_cstr(&r.response), "{\"handedOver\":true}");
    assert_int_equal(canned_server_count("DescribeTasks"), 4);
    assert_int_equal(fc.now_ms - t0, 30000);
    assert_null(response_put());
    size_t last = canned_server_requests() - 1;
    assert_non_null(
        strstr(canned_server_request(last), "POST /2015-03-31/functions/ecsTasks/invocations"));
    json_t *payload = json_loads(canned_server_body(last), 0, NULL);
    json_t *st = json_object_get(payload, "EcsTasksState");
    assert_non_null(st);
    assert_int_equal(json_integer_value(json_object_get(st, "hops")), 1);
    assert_string_equal(member(st, "startedBy"), started_by);
    assert_string_equal(member(json_array_get(json_object_get(st, "slots"), 0), "taskArn"), ARN1);
    json_decref(payload);
    buf_free(&r.response);
    free(ev);
    finish();
}

/* The state an invocation hands over, with the given hop count and token. */
static char *state_member(int hops, const char *client_token, const char *by)
{
    char *text = NULL;
    int n = asprintf(&text,
                     ",\"EcsTasksState\":{\"version\":2,\"firstReceiptMs\":%lld,\"hops\":%d,"
                     "\"clientToken\":\"%s\",\"startedBy\":\"%s\",\"rounds\":1,\"slots\":[{"
                     "\"attempts\":1,\"causes\":\"\",\"taskArn\":\"" ARN1 "\",\"status\":"
                     "\"RUNNING\",\"since\":1,\"phases\":\"\"}]}",
                     (long long)fc.now_ms, hops, client_token, by);
    assert_true(n > 0);
    return text;
}

static void test_hop_limit_fails(void **state)
{
    (void)state;
    derive();
    char running[512];
    snprintf(running, sizeof running,
             "{\"tasks\":[{\"taskArn\":\"" ARN1
             "\",\"lastStatus\":\"RUNNING\",\"startedBy\":\"%s\","
             "\"containers\":[{\"name\":\"app\"}]}]}",
             started_by);
    canned_response script[] = {{200, JSON_HDR, running},
                                {200, JSON_HDR, running},
                                {200, JSON_HDR, running},
                                {200, JSON_HDR, running},
                                put_ok};
    start(script, 5);
    char *extra = state_member(15, token, started_by);
    char *ev = event("Create", ",\"Timeout\":\"3600\"", extra);
    lambda_result r = invoke(ev, 40000);
    assert_true(r.ok);
    assert_int_equal(canned_server_count("/invocations"), 0);
    json_t *body = response_put();
    assert_string_equal(member(body, "Status"), "FAILED");
    assert_non_null(strstr(member(body, "Reason"), "needs more than 15 invocations"));
    assert_string_equal(member(body, "PhysicalResourceId"), ARN1);
    json_decref(body);
    buf_free(&r.response);
    free(extra);
    free(ev);
    finish();
}

static void test_foreign_state_touches_nothing(void **state)
{
    (void)state;
    derive();
    canned_response script[] = {put_ok};
    start(script, 1);
    char *extra = state_member(1, "ffffffffffffffffffffffffffffffff", started_by);
    char *ev = event("Create", ",\"Timeout\":\"3600\"", extra);
    lambda_result r = invoke(ev, 40000);
    assert_true(r.ok);
    assert_int_equal(canned_server_requests(), 1); /* the PUT alone: no ECS call */
    json_t *body = response_put();
    assert_string_equal(member(body, "Status"), "FAILED");
    assert_non_null(strstr(member(body, "Reason"), "does not belong to this request"));
    json_decref(body);
    buf_free(&r.response);
    free(extra);
    free(ev);
    finish();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_runs_and_answers),
        cmocka_unit_test(test_update_gated_runs_nothing),
        cmocka_unit_test(test_update_during_rollback_runs_nothing),
        cmocka_unit_test(test_delete_of_foreign_run_stops_nothing),
        cmocka_unit_test(test_hands_over_before_the_deadline),
        cmocka_unit_test(test_hop_limit_fails),
        cmocka_unit_test(test_foreign_state_touches_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
