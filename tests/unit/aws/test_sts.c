/* SPDX-License-Identifier: Apache-2.0 */
/* STS AssumeRole (signed with given credentials) and
 * AssumeRoleWithWebIdentity (unsigned) against a canned server: the query
 * parameters, the XML answer, and errors that name the role but never the
 * token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts.h"
#include "support/aws_env.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define XML_HDR "Content-Type: text/xml\r\n"
#define ANSWER                                                                                     \
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"   \
    "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/a/s</Arn></AssumedRoleUser>"     \
    "<Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret"                 \
    "</SecretAccessKey><SessionToken>role-token</SessionToken><Expiration>"                        \
    "2030-01-01T00:00:00.000Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"

static fake_clock fc;

static aws_client *client(const canned_response *script, size_t n, const aws_credentials *creds)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(script, n));
    setenv("AWS_ENDPOINT_URL_STS", url, 1);
    fake_clock_init(&fc, 1700000000000);
    aws_client_config config = {.clock = &fc.clock,
                                .region = "eu-west-1",
                                .credentials = creds,
                                .unsigned_requests = creds == NULL};
    aws_error err;
    aws_client *c = aws_client_new_config(&config, &err);
    assert_non_null(c);
    return c;
}

static void test_parse(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    assert_int_equal(sts_parse_credentials(ANSWER, strlen(ANSWER), &c, why, sizeof why), 0);
    assert_string_equal(c.access_key_id, "ASIAROLE");
    assert_string_equal(c.secret_access_key, "role-secret");
    assert_string_equal(c.session_token, "role-token");
    assert_int_equal(c.expiration_ms, 1893456000000LL);
    static const char *const bad[] = {
        "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>",
        "<Credentials><AccessKeyId>A</AccessKeyId></Credentials>",
        "<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
        "<SessionToken>t&#13;&#10;X: y</SessionToken></Credentials>",
        "<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
        "<Expiration>later</Expiration></Credentials>",
        "<Credentials><AccessKeyId>A</AccessKeyId>",
        "not xml",
        NULL};
    for (const char *const *b = bad; *b; b++)
        assert_int_equal(sts_parse_credentials(*b, strlen(*b), &c, why, sizeof why), -1);
    assert_int_equal(sts_parse_credentials(bad[2], strlen(bad[2]), &c, why, sizeof why), -1);
    assert_string_equal(why,
                        "SessionToken from the STS answer holds a control character; refusing to "
                        "use it");
    /* Only the first Credentials element's direct children count. */
    const char *nested = "<R><Credentials><X><AccessKeyId>WRONG</AccessKeyId></X><AccessKeyId>"
                         "RIGHT</AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials>"
                         "<Credentials><AccessKeyId>LATER</AccessKeyId></Credentials></R>";
    assert_int_equal(sts_parse_credentials(nested, strlen(nested), &c, why, sizeof why), 0);
    assert_string_equal(c.access_key_id, "RIGHT");
}

static void test_assume_role_signed_with_given_credentials(void **state)
{
    (void)state;
    canned_response script[] = {{200, XML_HDR, ANSWER}};
    aws_credentials source = {.access_key_id = "AKIDSOURCE",
                              .secret_access_key = "source-secret",
                              .session_token = "source-token"};
    aws_client *c = client(script, 1, &source);
    sts_role_request r = {.role_arn = "arn:aws:iam::123456789012:role/a",
                          .session_name = "s1",
                          .external_id = "ext id&=",
                          .duration_seconds = 1800};
    aws_credentials out;
    aws_error err;
    assert_int_equal(sts_assume_role(c, &r, &out, &err), 0);
    assert_string_equal(out.source, "assume_role");
    assert_string_equal(out.access_key_id, "ASIAROLE");
    const char *head = canned_server_request(0);
    assert_non_null(strstr(head, "POST / HTTP/1.1"));
    assert_non_null(strstr(head, "Credential=AKIDSOURCE/20231114/eu-west-1/sts/aws4_request"));
    assert_non_null(strstr(head, "X-Amz-Security-Token: source-token"));
    assert_non_null(strstr(head, "Content-Type: application/x-www-form-urlencoded"));
    assert_string_equal(canned_server_body(0),
                        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
                        "3A123456789012%3Arole%2Fa&RoleSessionName=s1&DurationSeconds=1800&"
                        "ExternalId=ext%20id%26%3D");
    aws_client_free(c);
    canned_server_stop();
}

static void test_web_identity_unsigned(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, XML_HDR, ANSWER},
        {400, XML_HDR,
         "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>"
         "Couldn't retrieve verification key from your identity provider for token "
         "eyJ-the-token-value</Message></Error></ErrorResponse>"}};
    aws_client *c = client(script, 2, NULL);
    redactor *r = redact_new();
    redact_add(r, "eyJ-the-token-value");
    aws_client_set_redactor(c, r);
    sts_role_request req = {.role_arn = "arn:aws:iam::123456789012:role/web",
                            .session_name = "s2",
                            .external_id = "ignored-here"};
    aws_credentials out;
    aws_error err;
    assert_int_equal(sts_assume_role_with_web_identity(c, &req, "eyJ-the-token-value", &out, &err),
                     0);
    assert_string_equal(out.source, "web_identity");
    assert_null(strstr(canned_server_request(0), "Authorization"));
    assert_null(strstr(canned_server_request(0), "X-Amz-Date"));
    assert_string_equal(canned_server_body(0),
                        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%"
                        "3Aiam%3A%3A123456789012%3Arole%2Fweb&RoleSessionName=s2&"
                        "WebIdentityToken=eyJ-the-token-value");
    /* An error names the call and the role; the token STS echoed is masked. */
    assert_int_equal(sts_assume_role_with_web_identity(c, &req, "eyJ-the-token-value", &out, &err),
                     -1);
    assert_string_equal(err.code, "InvalidIdentityToken");
    assert_non_null(
        strstr(err.message, "STS AssumeRoleWithWebIdentity arn:aws:iam::123456789012:role/web"));
    assert_null(strstr(err.message, "eyJ-the-token-value"));
    aws_client_free(c);
    redact_free(r);
    canned_server_stop();
}

static void test_answer_without_credentials(void **state)
{
    (void)state;
    canned_response script[] = {{200, XML_HDR, "<AssumeRoleResponse/>"}};
    aws_credentials source = {.access_key_id = "AKID", .secret_access_key = "s"};
    aws_client *c = client(script, 1, &source);
    sts_role_request r = {.role_arn = "arn:aws:iam::1:role/a", .session_name = "s"};
    aws_credentials out;
    aws_error err;
    assert_int_equal(sts_assume_role(c, &r, &out, &err), -1);
    assert_string_equal(err.code, AWS_ERR_PARSE);
    assert_non_null(strstr(err.message, "no Credentials"));
    aws_client_free(c);
    canned_server_stop();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_assume_role_signed_with_given_credentials,
                                        aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_web_identity_unsigned, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_answer_without_credentials, aws_env_setup,
                                        aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
