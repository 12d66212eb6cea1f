/* SPDX-License-Identifier: Apache-2.0 */
/* The container and IMDSv2 credential sources against a canned server: the
 * JSON they answer, the refusals (a RELATIVE_URI that is not a path, a token
 * or a token file with a control character, an IMDS answer that would go
 * into a header or a path), and that nothing refused is ever sent. The
 * FULL_URI host rules end to end: tests/integration/test_credentials.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/metadata_credentials.h"
#include "support/aws_env.h"
#include "support/canned_server.h"

#define CREDS_JSON                                                                                 \
    "{\"AccessKeyId\":\"ASIA1\",\"SecretAccessKey\":\"container-secret\",\"Token\":\"t\","         \
    "\"Expiration\":\"2030-01-01T00:00:00Z\"}"

static http_client *http;

static int setup(void **state)
{
    http = http_client_new();
    return http ? aws_env_setup(state) : -1;
}

static int teardown(void **state)
{
    http_client_free(http);
    return aws_env_teardown(state);
}

/* Stops the canned server, closing the kept-alive connections first (the
 * server would wait on them). */
static void stop_server(void)
{
    http_client_free(http);
    canned_server_stop();
    http = http_client_new();
}

static void test_parse(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    assert_int_equal(metadata_parse_credentials(CREDS_JSON, "x", &c, why, sizeof why), 0);
    assert_string_equal(c.access_key_id, "ASIA1");
    assert_string_equal(c.session_token, "t");
    assert_int_equal(c.expiration_ms, 1893456000000LL);
    assert_int_equal(metadata_parse_credentials(
                         "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":"
                         "\"2026-11-25T12:00:00.123Z\"}",
                         "x", &c, why, sizeof why),
                     0);
    assert_int_equal(c.expiration_ms, 1795608000000LL);
    assert_int_equal(
        metadata_parse_credentials("{\"AccessKeyId\":\"A\"}", "the answer", &c, why, sizeof why),
        -1);
    assert_string_equal(why, "SecretAccessKey from the answer is missing or empty");
    assert_int_equal(metadata_parse_credentials("not json", "the answer", &c, why, sizeof why), -1);
    assert_int_equal(metadata_parse_credentials("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\","
                                                "\"Token\":\"t\\r\\nX: y\"}",
                                                "the answer", &c, why, sizeof why),
                     -1);
    assert_string_equal(why, "Token from the answer holds a control character; refusing to use it");
    assert_int_equal(metadata_parse_credentials("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\","
                                                "\"Expiration\":\"tomorrow\"}",
                                                "the answer", &c, why, sizeof why),
                     -1);
}

static metadata_status container(aws_credentials *c, char *why, size_t cap)
{
    return metadata_container_credentials(http, c, why, cap);
}

static void test_container_full_uri_and_token_file(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, CREDS_JSON}};
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/creds", canned_server_start(script, 1));
    aws_credentials c;
    char why[512];
    assert_int_equal(container(&c, why, sizeof why), METADATA_ABSENT);
    assert_string_equal(why, "not configured");
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_FOUND);
    assert_string_equal(c.source, "container");
    assert_null(strstr(canned_server_request(0), "Authorization"));
    /* The token file: one trailing line end dropped, and it wins over the variable. */
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer from-variable", 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", aws_env_write("token", "Bearer from-file\r\n"),
           1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_FOUND);
    assert_non_null(strstr(canned_server_request(1), "Authorization: Bearer from-file\r\n"));
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/token", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_FAILED);
    assert_non_null(strstr(why, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
    assert_int_equal(canned_server_requests(), 2);
    stop_server();
}

/* A path that does not start with '/' would make the host part of the URL:
 * http://169.254.170.2@127.0.0.1:PORT/creds goes to 127.0.0.1:PORT. */
static void test_relative_uri_must_be_a_path(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, CREDS_JSON}};
    int port = canned_server_start(script, 1);
    char rel[128];
    aws_credentials c;
    char why[512];
    snprintf(rel, sizeof rel, "@127.0.0.1:%d/creds", port);
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", rel, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer container-auth-token", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_non_null(strstr(why, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting "
                                "with '/'"));
    assert_null(strstr(why, "127.0.0.1")); /* the value is not shown */
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds\r\nX-Evil: 1", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds with space", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_int_equal(canned_server_requests(), 0);
    stop_server();
}

/* A CR or LF in the token would end the Authorization header and start others. */
static void test_token_with_control_character_refused(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, CREDS_JSON}};
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/creds", canned_server_start(script, 1));
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    aws_credentials c;
    char why[512];
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer container-auth-token\r\nX-Injected: 1", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_non_null(strstr(why, "AWS_CONTAINER_AUTHORIZATION_TOKEN holds a control character"));
    assert_null(strstr(why, "container-auth-token"));
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *path = aws_env_write("token", "Bearer container-auth-token\nX-Injected: 1\n");
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_non_null(strstr(why, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
    assert_non_null(strstr(why, path));
    assert_null(strstr(why, "container-auth-token"));
    aws_env_write("token", "Bearer container\x01-auth-token");
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_int_equal(canned_server_requests(), 0);
    stop_server();
}

static void test_full_uri_refused_without_showing_it(void **state)
{
    (void)state;
    aws_credentials c;
    char why[512];
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://user:hunter2-password@127.0.0.1/c", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
    assert_non_null(strstr(why, "AWS_CONTAINER_CREDENTIALS_FULL_URI is refused"));
    assert_null(strstr(why, "hunter2"));
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/c\r\nX: y", 1);
    assert_int_equal(container(&c, why, sizeof why), METADATA_REFUSED);
}

static void test_imds(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, NULL, "IMDSTOKEN"}, {200, NULL, "my-role\n"}, {200, NULL, CREDS_JSON}};
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", canned_server_start(script, 3));
    aws_credentials c;
    char why[512];
    assert_int_equal(metadata_imds_credentials(http, &c, why, sizeof why), METADATA_ABSENT);
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
    assert_int_equal(metadata_imds_credentials(http, &c, why, sizeof why), METADATA_FOUND);
    assert_string_equal(c.source, "imds");
    assert_non_null(strstr(canned_server_request(0), "PUT /latest/api/token HTTP/1.1"));
    assert_non_null(
        strstr(canned_server_request(0), "X-aws-ec2-metadata-token-ttl-seconds: 21600"));
    assert_non_null(strstr(canned_server_request(2),
                           "GET /latest/meta-data/iam/security-credentials/my-role HTTP/1.1"));
    assert_non_null(strstr(canned_server_request(2), "X-aws-ec2-metadata-token: IMDSTOKEN"));
    stop_server();
}

/* What IMDS answers goes into a header (the token) and a path (the role):
 * checked first. */
static void test_imds_answers_checked(void **state)
{
    (void)state;
    canned_response bad_token[] = {{200, NULL, "TOKEN\r\nX-Evil: 1"}};
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(bad_token, 1));
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
    aws_credentials c;
    char why[512];
    assert_int_equal(metadata_imds_credentials(http, &c, why, sizeof why), METADATA_FAILED);
    assert_non_null(strstr(why, "session token IMDS answered holds a control character"));
    assert_int_equal(canned_server_requests(), 1);
    stop_server();

    canned_response bad_role[] = {{200, NULL, "IMDSTOKEN"}, {200, NULL, "../../user-data"}};
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(bad_role, 2));
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
    assert_int_equal(metadata_imds_credentials(http, &c, why, sizeof why), METADATA_FAILED);
    assert_non_null(strstr(why, "not a role name"));
    assert_int_equal(canned_server_requests(), 2);
    stop_server();

    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://127.0.0.1", 1);
    assert_int_equal(metadata_imds_credentials(http, &c, why, sizeof why), METADATA_REFUSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_full_uri_and_token_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_uri_must_be_a_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_with_control_character_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_uri_refused_without_showing_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imds_answers_checked, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
