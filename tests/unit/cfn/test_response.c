/* SPDX-License-Identifier: Apache-2.0 */
/* The response builder: fields, the 4096-byte bound, masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cfn/request.h"
#include "cfn/response.h"
#include "util/redact.h"

#define EVENT(type, extra)                                                                         \
    "{\"RequestType\":\"" type "\",\"ResponseURL\":\"https://s3.example/r?X-Amz-Signature=S\","    \
    "\"StackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/s/1\",\"RequestId\":"       \
    "\"r-1\",\"LogicalResourceId\":\"Migrate\",\"ResourceType\":\"Custom::ECSTask\","              \
    "\"ResourceProperties\":{\"Cluster\":\"c\"}" extra "}"

static cfn_parse_status parse(const char *text, cfn_request *req, char *why)
{
    return cfn_request_parse(text, strlen(text), req, why, 512);
}

static cfn_request parsed(void)
{
    cfn_request req;
    char why[512];
    if (parse(EVENT("Create", ""), &req, why) != CFN_PARSE_OK)
        fail_msg("parse: %s", why);
    return req;
}

static void test_response_fields(void **state)
{
    (void)state;
    cfn_request req = parsed();
    json_t *data = json_pack("{s:s, s:s}", "TaskArn", "arn:t", "Ran", "true");
    cfn_answer o = {.success = 1, .physical_id = "arn:t", .data = data};
    char *body = cfn_response_build(&req, &o, NULL);
    json_t *j = json_loads(body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "Status")), "SUCCESS");
    assert_string_equal(json_string_value(json_object_get(j, "PhysicalResourceId")), "arn:t");
    assert_string_equal(json_string_value(json_object_get(j, "RequestId")), "r-1");
    assert_string_equal(json_string_value(json_object_get(j, "LogicalResourceId")), "Migrate");
    assert_non_null(json_object_get(j, "StackId"));
    assert_null(json_object_get(j, "Reason"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "Data"), "Ran")),
                        "true");
    json_decref(j);
    json_decref(data);
    free(body);
    cfn_request_free(&req);
}

static void test_response_reason_cut_to_fit(void **state)
{
    (void)state;
    cfn_request req = parsed();
    /* Quotes and control characters grow when JSON-escaped. */
    size_t n = 20000;
    char *reason = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        reason[i] = "ab\"\n\x01\xc3\xa9"[i % 7];
    reason[n] = '\0';
    cfn_answer o = {.success = 0, .reason = reason, .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    assert_true(strlen(body) <= CFN_RESPONSE_MAX);
    assert_true(strlen(body) > CFN_RESPONSE_MAX - 64);
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j); /* still valid JSON and valid UTF-8 */
    const char *r = json_string_value(json_object_get(j, "Reason"));
    size_t len = strlen(r);
    assert_string_equal(r + len - strlen(CFN_REASON_CUT_MARKER), CFN_REASON_CUT_MARKER);
    assert_string_equal(json_string_value(json_object_get(j, "Status")), "FAILED");
    json_decref(j);
    free(body);
    free(reason);
    cfn_request_free(&req);
}

static void test_response_short_reason_untouched(void **state)
{
    (void)state;
    cfn_request req = parsed();
    cfn_answer o = {
        .success = 0, .reason = "Task 1: container app exited with code 3", .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    assert_non_null(strstr(body, "\"Reason\":\"Task 1: container app exited with code 3\""));
    free(body);
    cfn_request_free(&req);
}

static void test_response_reason_redacted(void **state)
{
    (void)state;
    cfn_request req = parsed();
    redactor *r = redact_new();
    redact_add(r, "hunter22");
    cfn_answer o = {.success = 0,
                    .reason = "login failed for hunter22 at https://x/y?X-Amz-Signature=abc",
                    .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, r);
    assert_null(strstr(body, "hunter22"));
    assert_null(strstr(body, "X-Amz-Signature"));
    assert_non_null(strstr(body, "login failed for ****"));
    redact_free(r);
    free(body);
    cfn_request_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_fields),
        cmocka_unit_test(test_response_reason_cut_to_fit),
        cmocka_unit_test(test_response_short_reason_untouched),
        cmocka_unit_test(test_response_reason_redacted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
