/* SPDX-License-Identifier: Apache-2.0 */
/* The CloudFormation request parser: what is a request, what is answered
 * through /error, what is answered FAILED. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cfn/request.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
