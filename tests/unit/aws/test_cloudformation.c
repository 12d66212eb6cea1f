/* SPDX-License-Identifier: Apache-2.0 */
/* aws/cloudformation.c: the DescribeStacks query request, the StackStatus
 * read from its XML answer (the first one, in pieces, not StackStatusReason),
 * and the errors for an error answer and for an answer without a status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aws/cloudformation.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"

#define XML "Content-Type: text/xml\r\n"

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    aws_client *c = canned_aws_client(script, n, &fc);
    assert_non_null(c);
    return c;
}

static const char describe_answer[] =
    "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\n"
    "  <DescribeStacksResult>\n"
    "    <Stacks>\n"
    "      <member>\n"
    "        <StackName>my-stack</StackName>\n"
    "        <StackId>arn:aws:cloudformation:us-east-1:1:stack/my-stack/id</StackId>\n"
    "        <StackStatusReason>User Initiated</StackStatusReason>\n"
    "        <StackStatus>UPDATE_IN_PROGRESS</StackStatus>\n"
    "      </member>\n"
    "    </Stacks>\n"
    "  </DescribeStacksResult>\n"
    "  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n"
    "</DescribeStacksResponse>\n";

static void test_stack_status(void **state)
{
    (void)state;
    canned_response script[] = {{200, XML, describe_answer}};
    aws_client *c = client_for(script, 1);
    char status[64];
    aws_error err;
    assert_int_equal(
        cloudformation_stack_status(c, "arn:aws:cloudformation:us-east-1:1:stack/my-stack/id",
                                    status, sizeof status, &err),
        0);
    assert_string_equal(status, "UPDATE_IN_PROGRESS");
    assert_true(!strncmp(canned_server_request(0), "POST / HTTP/1.1\r\n", 17));
    assert_string_equal(canned_server_body(0),
                        "Action=DescribeStacks&Version=2010-05-15&StackName=arn%3Aaws%"
                        "3Acloudformation%3Aus-east-1%3A1%3Astack%2Fmy-stack%2Fid");
    char v[512];
    assert_non_null(strstr(canned_server_header(0, "Authorization", v, sizeof v),
                           "/us-east-1/cloudformation/aws4_request"));
    canned_aws_stop(c);
}

static void test_stack_status_errors(void **state)
{
    (void)state;
    canned_response script[] = {
        {400, XML,
         "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
         "<Error><Type>Sender</Type><Code>ValidationError</Code>"
         "<Message>Stack with id gone does not exist</Message></Error>"
         "<RequestId>r</RequestId></ErrorResponse>"},
        /* no StackStatus */
        {200, XML,
         "<DescribeStacksResponse><DescribeStacksResult><Stacks/></DescribeStacksResult>"
         "</DescribeStacksResponse>"},
        /* not XML */
        {200, XML, "{\"StackStatus\":\"CREATE_COMPLETE\"}"},
        /* empty */
        {200, XML, ""},
    };
    aws_client *c = client_for(script, 4);
    char status[64];
    aws_error err;
    assert_int_equal(cloudformation_stack_status(c, "gone", status, sizeof status, &err), -1);
    assert_string_equal(err.code, "ValidationError");
    assert_string_equal(err.message, "Stack with id gone does not exist");
    assert_int_equal(err.http_status, 400);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cloudformation_stack_status(c, "s", status, sizeof status, &err), -1);
        assert_string_equal(err.code, AWS_ERR_PARSE);
        assert_int_equal(err.http_status, 200);
        assert_string_equal(err.message, "DescribeStacks: no StackStatus in the answer");
    }
    assert_int_equal(canned_server_requests(), 4);
    canned_aws_stop(c);
}

static int parse(const char *xml, char *status, size_t cap)
{
    return cloudformation_parse_status(xml, strlen(xml), status, cap);
}

static void test_parse_status(void **state)
{
    (void)state;
    char status[64];
    /* The first stack's, when there are several. */
    assert_int_equal(parse("<r><member><StackStatus>CREATE_COMPLETE</StackStatus></member>"
                           "<member><StackStatus>DELETE_FAILED</StackStatus></member></r>",
                           status, sizeof status),
                     0);
    assert_string_equal(status, "CREATE_COMPLETE");
    /* Text that arrives in pieces (an entity splits it) is joined. */
    assert_int_equal(parse("<r><StackStatus>UPDATE&#95;ROLLBACK_COMPLETE</StackStatus></r>", status,
                           sizeof status),
                     0);
    assert_string_equal(status, "UPDATE_ROLLBACK_COMPLETE");
    /* No status: none, empty, only a StackStatusReason, broken XML, no room. */
    assert_int_equal(parse("<r><StackName>s</StackName></r>", status, sizeof status), -1);
    assert_int_equal(parse("<r><StackStatus></StackStatus></r>", status, sizeof status), -1);
    assert_int_equal(
        parse("<r><StackStatusReason>x</StackStatusReason></r>", status, sizeof status), -1);
    assert_int_equal(parse("<r><StackStatus>CREATE_COMPLETE</StackStatus>", status, sizeof status),
                     -1);
    assert_int_equal(parse("<r><StackStatus>CREATE_COMPLETE</r>", status, sizeof status), -1);
    assert_int_equal(parse("", status, sizeof status), -1);
    assert_int_equal(parse("<r><StackStatus>X</StackStatus></r>", status, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stack_status, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_stack_status_errors, aws_env_setup, aws_env_teardown),
        cmocka_unit_test(test_parse_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
