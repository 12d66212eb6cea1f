/* The CloudFormation request parser and response builder (SPEC sections 5, 6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cfn/request.h"
#include "cfn/response.h"
#include "util/log.h"

#define EVENT(type, extra)                                                                         \
    "{\"RequestType\":\"" type "\",\"ResponseURL\":\"https://s3.example/r?X-Amz-Signature=S\","    \
    "\"StackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/s/1\",\"RequestId\":"       \
    "\"r-1\",\"LogicalResourceId\":\"Migrate\",\"ResourceType\":\"Custom::ECSTask\","              \
    "\"ResourceProperties\":{\"Cluster\":\"c\"}" extra "}"

static cfn_parse_status parse(const char *text, cfn_request *req, char *why)
{
    return cfn_request_parse(text, strlen(text), req, why, 512);
}

static void test_parse_ok(void **state)
{
    (void)state;
    cfn_request req;
    char why[512];
    assert_int_equal(parse(EVENT("Update", ",\"PhysicalResourceId\":\"p-1\","
                                           "\"OldResourceProperties\":{\"Cluster\":\"b\"}"),
                           &req, why),
                     CFN_PARSE_OK);
    assert_int_equal(req.type, CFN_UPDATE);
    assert_string_equal(req.physical_resource_id, "p-1");
    assert_string_equal(json_string_value(json_object_get(req.properties, "Cluster")), "c");
    assert_string_equal(json_string_value(json_object_get(req.old_properties, "Cluster")), "b");
    assert_null(req.state);
    cfn_request_free(&req);
}

static void test_parse_classes(void **state)
{
    (void)state;
    cfn_request req;
    char why[512];
    assert_int_equal(parse("not json", &req, why), CFN_PARSE_NOT_JSON);
    assert_int_equal(parse("[1,2]", &req, why), CFN_PARSE_NOT_JSON);
    assert_int_equal(parse("{\"hello\":\"world\"}", &req, why), CFN_PARSE_NOT_CFN);
    assert_int_equal(parse("{\"ResponseURL\":\"file:///etc/passwd\"}", &req, why),
                     CFN_PARSE_NOT_CFN);
    assert_int_equal(parse(EVENT("Destroy", ""), &req, why), CFN_PARSE_INVALID);
    assert_non_null(strstr(why, "RequestType 'Destroy'"));
    cfn_request_free(&req);
    assert_int_equal(parse(EVENT("Delete", ""), &req, why), CFN_PARSE_INVALID);
    assert_non_null(strstr(why, "no PhysicalResourceId"));
    cfn_request_free(&req);
    assert_int_equal(
        parse("{\"ResponseURL\":\"https://x/y\",\"RequestType\":\"Create\"}", &req, why),
        CFN_PARSE_INVALID);
    assert_non_null(strstr(why, "StackId"));
    assert_string_equal(req.request_id, "");
    cfn_request_free(&req);
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
    cfn_outcome o = {.success = 1, .physical_resource_id = "arn:t", .data = data};
    char *body = cfn_response_build(&req, &o);
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
    cfn_outcome o = {.success = 0, .reason = reason, .physical_resource_id = "p"};
    char *body = cfn_response_build(&req, &o);
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
    cfn_outcome o = {.success = 0,
                     .reason = "Task 1: container app exited with code 3",
                     .physical_resource_id = "p"};
    char *body = cfn_response_build(&req, &o);
    assert_non_null(strstr(body, "\"Reason\":\"Task 1: container app exited with code 3\""));
    free(body);
    cfn_request_free(&req);
}

static void test_response_reason_redacted(void **state)
{
    (void)state;
    cfn_request req = parsed();
    log_add_secret("hunter22");
    cfn_outcome o = {.success = 0,
                     .reason = "login failed for hunter22 at https://x/y?X-Amz-Signature=abc",
                     .physical_resource_id = "p"};
    char *body = cfn_response_build(&req, &o);
    assert_null(strstr(body, "hunter22"));
    assert_null(strstr(body, "X-Amz-Signature"));
    assert_non_null(strstr(body, "login failed for ****"));
    log_clear_secrets();
    free(body);
    cfn_request_free(&req);
}

static void test_log_redacts_url_query(void **state)
{
    (void)state;
    char out[256];
    log_redact("PUT https://b.s3.amazonaws.com/k?X-Amz-Credential=A&X-Amz-Signature=B done", out,
               sizeof out);
    assert_string_equal(out, "PUT https://b.s3.amazonaws.com/k done");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_classes),
        cmocka_unit_test(test_response_fields),
        cmocka_unit_test(test_response_reason_cut_to_fit),
        cmocka_unit_test(test_response_short_reason_untouched),
        cmocka_unit_test(test_response_reason_redacted),
        cmocka_unit_test(test_log_redacts_url_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
