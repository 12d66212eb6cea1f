/* SPDX-License-Identifier: Apache-2.0 */
/* aws/lambda_api.c against a canned Lambda: the Invoke request (POST to the
 * function's percent-encoded path, X-Amz-Invocation-Type: Event, the payload
 * as body), 202 as the only success, and error answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aws/lambda_api.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    aws_client *c = canned_aws_client(script, n, &fc);
    assert_non_null(c);
    return c;
}

static void test_invoke_event(void **state)
{
    (void)state;
    canned_response script[] = {{202, NULL, ""}};
    aws_client *c = client_for(script, 1);
    const char *payload = "{\"RequestType\":\"Create\",\"n\":1}";
    aws_error err;
    assert_int_equal(
        lambda_api_invoke_event(c, "stack-EcsTasksFunction-AB12", payload, strlen(payload), &err),
        0);
    const char *line = "POST /2015-03-31/functions/stack-EcsTasksFunction-AB12/invocations "
                       "HTTP/1.1\r\n";
    assert_true(!strncmp(canned_server_request(0), line, strlen(line)));
    char v[512];
    assert_non_null(canned_server_header(0, "X-Amz-Invocation-Type", v, sizeof v));
    assert_string_equal(v, "Event");
    assert_non_null(canned_server_header(0, "Content-Type", v, sizeof v));
    assert_string_equal(v, "application/json");
    assert_string_equal(canned_server_body(0), payload);
    /* Signed for Lambda, with the invocation type. */
    assert_non_null(canned_server_header(0, "Authorization", v, sizeof v));
    assert_non_null(strstr(v, "/us-east-1/lambda/aws4_request"));
    assert_non_null(strstr(v, "x-amz-invocation-type"));
    canned_aws_stop(c);
}

/* Whatever is in the name, it stays one path segment. */
static void test_name_percent_encoded(void **state)
{
    (void)state;
    canned_response script[] = {{202, NULL, ""}};
    aws_client *c = client_for(script, 1);
    aws_error err;
    assert_int_equal(
        lambda_api_invoke_event(c, "arn:aws:lambda:us-east-1:1:function:f/x y?z", "{}", 2, &err),
        0);
    const char *line = "POST /2015-03-31/functions/"
                       "arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af%2Fx%20y%3Fz/"
                       "invocations HTTP/1.1\r\n";
    assert_true(!strncmp(canned_server_request(0), line, strlen(line)));
    canned_aws_stop(c);
}

/* Only 202 means Lambda queued the event: a 200 (a synchronous answer) is
 * not what was asked for. */
static void test_not_202(void **state)
{
    (void)state;
    canned_response script[] = {{200, "X-Amz-Executed-Version: $LATEST\r\n", "null"},
                                {204, NULL, ""}};
    aws_client *c = client_for(script, 2);
    aws_error err;
    assert_int_equal(lambda_api_invoke_event(c, "f", "{}", 2, &err), -1);
    assert_string_equal(err.code, AWS_ERR_PARSE);
    assert_int_equal(err.http_status, 200);
    assert_string_equal(err.message, "Lambda Invoke answered HTTP 200 instead of 202");
    assert_int_equal(lambda_api_invoke_event(c, "f", "{}", 2, &err), -1);
    assert_int_equal(err.http_status, 204);
    assert_int_equal(canned_server_requests(), 2); /* not retried */
    canned_aws_stop(c);
}

static void test_error_answers(void **state)
{
    (void)state;
    canned_response script[] = {
        {404, "X-Amzn-ErrorType: ResourceNotFoundException\r\n" CANNED_AWS_JSON,
         "{\"Type\":\"User\",\"Message\":\"Function not found: arn:aws:lambda:us-east-1:1:"
         "function:f\"}"},
        {429, "X-Amzn-ErrorType: TooManyRequestsException\r\n" CANNED_AWS_JSON,
         "{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\","
         "\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}"},
        {202, NULL, ""},
    };
    aws_client *c = client_for(script, 3);
    aws_error err;
    assert_int_equal(lambda_api_invoke_event(c, "f", "{}", 2, &err), -1);
    assert_string_equal(err.code, "ResourceNotFoundException");
    assert_string_equal(err.message, "Function not found: arn:aws:lambda:us-east-1:1:function:f");
    assert_int_equal(err.http_status, 404);
    /* Throttling is retried, and then the event is accepted. */
    assert_int_equal(lambda_api_invoke_event(c, "f", "{}", 2, &err), 0);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(fc.n_sleeps, 1);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_invoke_event),
        T(test_name_percent_encoded),
        T(test_not_202),
        T(test_error_answers),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
