/* SPDX-License-Identifier: Apache-2.0 */
/* aws/secretsmanager.c against a canned Secrets Manager: the GetSecretValue
 * request (SecretId, VersionStage and VersionId only when given), the
 * SecretString returned, and the errors for an error answer and for a secret
 * that holds only SecretBinary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/secretsmanager.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"

#define J CANNED_AWS_JSON

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    aws_client *c = canned_aws_client(script, n, &fc);
    assert_non_null(c);
    return c;
}

static void assert_request(size_t i, json_t *expect)
{
    char v[128];
    assert_non_null(canned_server_header(i, "X-Amz-Target", v, sizeof v));
    assert_string_equal(v, "secretsmanager.GetSecretValue");
    json_t *sent = canned_aws_json(i);
    assert_true(json_equal(sent, expect));
    json_decref(sent);
    json_decref(expect);
}

static void test_secret_string(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J,
         "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:1:secret:db-AbCd\",\"Name\":\"db\","
         "\"SecretString\":\"{\\\"password\\\":\\\"p@ss w\\\\u00f6rd\\\"}\","
         "\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"]}"},
        {200, J, "{\"SecretString\":\"\"}"},
    };
    aws_client *c = client_for(script, 2);
    char *value = NULL;
    aws_error err;
    assert_int_equal(secretsmanager_get_secret_value(c, "db", NULL, NULL, &value, &err), 0);
    assert_string_equal(value, "{\"password\":\"p@ss w\\u00f6rd\"}");
    free(value);
    assert_request(0, json_pack("{s:s}", "SecretId", "db"));

    assert_int_equal(
        secretsmanager_get_secret_value(c, "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCd",
                                        "AWSPREVIOUS", "0123-abcd", &value, &err),
        0);
    assert_string_equal(value, "");
    free(value);
    assert_request(1, json_pack("{s:s, s:s, s:s}", "SecretId",
                                "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCd", "VersionStage",
                                "AWSPREVIOUS", "VersionId", "0123-abcd"));
    canned_aws_stop(c);
}

static void test_binary_only_is_an_error(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J, "{\"Name\":\"blob\",\"SecretBinary\":\"AAEC\",\"VersionId\":\"v1\"}"},
        {200, J, "{\"Name\":\"odd\",\"SecretString\":42}"},
    };
    aws_client *c = client_for(script, 2);
    char *value = (char *)1;
    aws_error err;
    assert_int_equal(secretsmanager_get_secret_value(c, "blob", "AWSCURRENT", NULL, &value, &err),
                     -1);
    assert_null(value);
    assert_string_equal(err.code, AWS_ERR_PARSE);
    assert_int_equal(err.http_status, 200);
    assert_non_null(strstr(err.message, "blob"));
    assert_non_null(strstr(err.message, "no SecretString"));
    assert_null(strstr(err.message, "AAEC"));
    /* A SecretString that is not a string is no better. */
    assert_int_equal(secretsmanager_get_secret_value(c, "odd", NULL, NULL, &value, &err), -1);
    assert_null(value);
    assert_string_equal(err.code, AWS_ERR_PARSE);
    canned_aws_stop(c);
}

static void test_error_answer(void **state)
{
    (void)state;
    canned_response script[] = {
        {400, J,
         "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find "
         "the specified secret.\"}"}};
    aws_client *c = client_for(script, 1);
    char *value = (char *)1;
    aws_error err;
    assert_int_equal(secretsmanager_get_secret_value(c, "nope", NULL, NULL, &value, &err), -1);
    assert_null(value);
    assert_string_equal(err.code, "ResourceNotFoundException");
    assert_string_equal(err.message, "Secrets Manager can't find the specified secret.");
    assert_int_equal(err.http_status, 400);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_secret_string),
        T(test_binary_only_is_an_error),
        T(test_error_answer),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
