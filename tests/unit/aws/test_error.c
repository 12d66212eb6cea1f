/* AWS error decoding: every shape the services (and moto) answer with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aws/error.h"

static aws_error decode(int status, const char *header, const char *body)
{
    aws_error e;
    aws_error_clear(&e);
    aws_error_decode(&e, status, header, body, body ? strlen(body) : 0, NULL);
    return e;
}

static void test_json_plain_and_namespaced(void **state)
{
    (void)state;
    aws_error e = decode(400, NULL,
                         "{\"__type\": \"ClusterNotFoundException\", \"message\": \"Cluster not "
                         "found.\", \"Message\": \"Cluster not found.\"}");
    assert_int_equal(e.http_status, 400);
    assert_string_equal(e.code, "ClusterNotFoundException");
    assert_string_equal(e.message, "Cluster not found.");
    e = decode(400, NULL,
               "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\","
               "\"Message\":\"no\"}");
    assert_string_equal(e.code, "AccessDeniedException");
    assert_string_equal(e.message, "no");
    e = decode(400, NULL, "{\"code\":\"ValidationException\",\"message\":\"bad\"}");
    assert_string_equal(e.code, "ValidationException");
}

static void test_header_only(void **state)
{
    (void)state;
    aws_error e = decode(400, "ThrottlingException:http://internal.amazon.com/coral/", "");
    assert_string_equal(e.code, "ThrottlingException");
    e = decode(403, "UnrecognizedClientException", "not json at all");
    assert_string_equal(e.code, "UnrecognizedClientException");
    assert_string_equal(e.message, "not json at all");
}

static void test_query_xml(void **state)
{
    (void)state;
    aws_error e = decode(400, NULL,
                         "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/"
                         "2010-05-15/\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
                         "<Message>Stack with id nope does not exist</Message></Error>"
                         "<RequestId>1</RequestId></ErrorResponse>");
    assert_string_equal(e.code, "ValidationError");
    assert_string_equal(e.message, "Stack with id nope does not exist");
}

static void test_moto_auth_xml_and_s3(void **state)
{
    (void)state;
    aws_error e = decode(403, NULL,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Errors><Error>"
                         "<Code>SignatureDoesNotMatch</Code><Message>The request signature we "
                         "calculated does not match</Message><Type>Sender</Type></Error></Errors>"
                         "</ErrorResponse>");
    assert_string_equal(e.code, "SignatureDoesNotMatch");
    e = decode(403, NULL,
               "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
               "</Error>");
    assert_string_equal(e.code, "AccessDenied");
}

static void test_unparsable_bodies(void **state)
{
    (void)state;
    aws_error e = decode(500, NULL,
                         "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error"
                         "</title>\n");
    assert_string_equal(e.code, "HTTP500");
    assert_non_null(strstr(e.message, "500 Internal Server Error"));
    e = decode(503, NULL, "");
    assert_string_equal(e.code, "HTTP503");
    assert_string_equal(e.message, "HTTP status 503");
    e = decode(502, NULL, NULL);
    assert_string_equal(e.code, "HTTP502");
    const char garbage[] = {'\x01', '\xff', 'x', '\0'};
    e = decode(500, NULL, garbage);
    assert_string_equal(e.message, "HTTP status 500");
}

static void test_huge_message_truncated(void **state)
{
    (void)state;
    char body[5000];
    strcpy(body, "{\"__type\":\"X\",\"message\":\"");
    size_t n = strlen(body);
    memset(body + n, 'm', 4000);
    strcpy(body + n + 4000, "\"}");
    aws_error e = decode(400, NULL, body);
    assert_string_equal(e.code, "X");
    assert_int_equal(strlen(e.message), sizeof e.message - 1);
}

static void test_attempts_kept_and_str(void **state)
{
    (void)state;
    aws_error e;
    aws_error_clear(&e);
    e.attempts = 3;
    aws_error_decode(&e, 400, "Throttling", NULL, 0, NULL);
    assert_int_equal(e.attempts, 3);
    char text[256];
    aws_error_set(&e, 0, AWS_ERR_TRANSPORT, "connection refused");
    assert_string_equal(aws_error_str(&e, text, sizeof text), "TransportError: connection refused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_plain_and_namespaced),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_query_xml),
        cmocka_unit_test(test_moto_auth_xml_and_s3),
        cmocka_unit_test(test_unparsable_bodies),
        cmocka_unit_test(test_huge_message_truncated),
        cmocka_unit_test(test_attempts_kept_and_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
