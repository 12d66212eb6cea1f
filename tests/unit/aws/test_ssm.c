/* SPDX-License-Identifier: Apache-2.0 */
/* aws/ssm.c against a canned SSM: the GetParameter request (Name,
 * WithDecryption as a JSON boolean), the value returned, and the errors for
 * an error answer and for an answer without Parameter.Value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/ssm.h"
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

static void assert_request(size_t i, const char *name, int with_decryption)
{
    char v[128];
    assert_non_null(canned_server_header(i, "X-Amz-Target", v, sizeof v));
    assert_string_equal(v, "AmazonSSM.GetParameter");
    json_t *expect = json_pack("{s:s, s:b}", "Name", name, "WithDecryption", with_decryption);
    json_t *sent = canned_aws_json(i);
    assert_true(json_equal(sent, expect));
    json_decref(sent);
    json_decref(expect);
}

static void test_get_parameter(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J,
         "{\"Parameter\":{\"Name\":\"/app/db\",\"Type\":\"SecureString\","
         "\"Value\":\"s3cr3t value\",\"Version\":3}}"},
        {200, J, "{\"Parameter\":{\"Name\":\"/app/plain\",\"Type\":\"String\",\"Value\":\"\"}}"},
    };
    aws_client *c = client_for(script, 2);
    char *value = NULL;
    aws_error err;
    assert_int_equal(ssm_get_parameter(c, "/app/db:3", 1, &value, &err), 0);
    assert_string_equal(value, "s3cr3t value");
    free(value);
    assert_request(0, "/app/db:3", 1);

    assert_int_equal(ssm_get_parameter(c, "/app/plain", 0, &value, &err), 0);
    assert_string_equal(value, "");
    free(value);
    assert_request(1, "/app/plain", 0);
    canned_aws_stop(c);
}

static void test_no_value(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J, "{}"},
        {200, J, "{\"Parameter\":{\"Name\":\"/p\",\"Type\":\"String\"}}"},
        {200, J, "{\"Parameter\":{\"Name\":\"/p\",\"Value\":[\"a\"]}}"},
    };
    aws_client *c = client_for(script, 3);
    for (int i = 0; i < 3; i++) {
        char *value = (char *)1;
        aws_error err;
        assert_int_equal(ssm_get_parameter(c, "/p", 1, &value, &err), -1);
        assert_null(value);
        assert_string_equal(err.code, AWS_ERR_PARSE);
        assert_int_equal(err.http_status, 200);
        assert_string_equal(err.message, "SSM GetParameter: no Parameter.Value");
    }
    canned_aws_stop(c);
}

static void test_error_answer(void **state)
{
    (void)state;
    canned_response script[] = {{400, J, "{\"__type\":\"ParameterNotFound\"}"}};
    aws_client *c = client_for(script, 1);
    char *value = (char *)1;
    aws_error err;
    assert_int_equal(ssm_get_parameter(c, "/missing", 1, &value, &err), -1);
    assert_null(value);
    assert_string_equal(err.code, "ParameterNotFound");
    assert_int_equal(err.http_status, 400);
    assert_int_equal(err.attempts, 1);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_get_parameter),
        T(test_no_value),
        T(test_error_answer),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
