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

/* An event with the standard members, the one named `key` replaced by the
 * string value (or added); the text is built with jansson so any value is
 * encoded properly. Caller frees. */
static char *event_with(const char *key, const char *value)
{
    json_error_t e;
    json_t *j = json_loads(EVENT("Update", ",\"PhysicalResourceId\":\"p-1\""), 0, &e);
    assert_non_null(j);
    assert_int_equal(json_object_set_new(j, key, json_string(value)), 0);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    assert_non_null(text);
    return text;
}

static cfn_parse_status parse_with(const char *key, const char *value, char *why)
{
    char *text = event_with(key, value);
    cfn_request req;
    cfn_parse_status st = parse(text, &req, why);
    if (st == CFN_PARSE_OK || st == CFN_PARSE_INVALID)
        cfn_request_free(&req);
    free(text);
    return st;
}

/* Identifiers no CloudFormation request has: too long for its own limits,
 * or holding a control character. Each limit itself is still a request. */
static void test_identifiers_cloudformation_never_sends(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        size_t max;
    } ids[] = {{"StackId", 512},
               {"LogicalResourceId", 255},
               {"RequestId", 128},
               {"PhysicalResourceId", 1024}};
    char why[512];
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *value = malloc(ids[i].max + 2);
        assert_non_null(value);
        memset(value, 'a', ids[i].max);
        value[ids[i].max] = '\0';
        if (parse_with(ids[i].key, value, why) != CFN_PARSE_OK)
            fail_msg("%s of %zu characters refused: %s", ids[i].key, ids[i].max, why);
        value[ids[i].max] = 'a';
        value[ids[i].max + 1] = '\0';
        if (parse_with(ids[i].key, value, why) != CFN_PARSE_NOT_CFN)
            fail_msg("%s of %zu characters accepted", ids[i].key, ids[i].max + 1);
        assert_non_null(strstr(why, "not a CloudFormation request"));
        assert_non_null(strstr(why, ids[i].key));
        free(value);

        const char *controls[] = {"a\nb", "a\rb", "\tab", "ab\x1b[31m", "ab\x7f", "ab\x01"};
        for (size_t k = 0; k < sizeof controls / sizeof controls[0]; k++) {
            if (parse_with(ids[i].key, controls[k], why) != CFN_PARSE_NOT_CFN)
                fail_msg("%s with a control character accepted", ids[i].key);
            assert_non_null(strstr(why, ids[i].key));
        }
    }
    /* Non-ASCII text is not a control character. */
    assert_int_equal(parse_with("LogicalResourceId", "Migr\xc3\xa9", why), CFN_PARSE_OK);
}

/* EcsTasksState is exposed whatever its JSON type (the handler checks it);
 * only its absence reads as a first receipt. */
static void test_state_of_any_type(void **state)
{
    (void)state;
    const char *states[] = {"{\"version\":1,\"hops\":1}",
                            "{}",
                            "[1,2]",
                            "[]",
                            "\"resume\"",
                            "\"\"",
                            "0",
                            "false",
                            "null"};
    char why[512];
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        json_error_t e;
        json_t *want = json_loads(states[i], JSON_DECODE_ANY, &e);
        json_t *j = json_loads(EVENT("Create", ""), 0, &e);
        assert_non_null(want);
        assert_non_null(j);
        assert_int_equal(json_object_set(j, CFN_STATE_KEY, want), 0);
        char *event = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        assert_non_null(event);
        cfn_request req;
        assert_int_equal(parse(event, &req, why), CFN_PARSE_OK);
        if (!req.state)
            fail_msg("state %s not exposed", states[i]);
        assert_true(json_equal(req.state, want));
        json_decref(want);
        free(event);
        cfn_request_free(&req);
    }
    /* Also on a request answered FAILED. */
    cfn_request req;
    assert_int_equal(parse(EVENT("Delete", ",\"" CFN_STATE_KEY "\":[]"), &req, why),
                     CFN_PARSE_INVALID);
    assert_non_null(req.state);
    assert_true(json_is_array(req.state));
    cfn_request_free(&req);
    /* Absent: NULL. */
    assert_int_equal(parse(EVENT("Create", ""), &req, why), CFN_PARSE_OK);
    assert_null(req.state);
    cfn_request_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_classes),
        cmocka_unit_test(test_identifiers_cloudformation_never_sends),
        cmocka_unit_test(test_state_of_any_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
