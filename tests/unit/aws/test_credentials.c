/* SPDX-License-Identifier: Apache-2.0 */
/* The credential chain: its local sources in order, the JSON the container and
 * IMDS sources answer, and caching until shortly before expiry (against a canned
 * container endpoint). The HTTP sources end to end: tests/integration/test_credentials.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "support/aws_env.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"

static fake_clock fc;

static void test_credentials_chain_local_sources(void **state)
{
    (void)state;
    fake_clock_init(&fc, 1700000000000);
    http_client *http = http_client_new();
    aws_credentials_provider *p = aws_credentials_provider_new(http, &fc.clock);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(p, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    assert_non_null(strstr(err.message, "environment"));
    assert_non_null(strstr(err.message, "profile default"));
    assert_non_null(strstr(err.message, "container (not configured)"));
    assert_non_null(strstr(err.message, "IMDS (AWS_EC2_METADATA_DISABLED)"));
    aws_credentials_provider_free(p);

    setenv(
        "AWS_SHARED_CREDENTIALS_FILE",
        aws_env_write("creds", "[default]\naws_access_key_id=PROFKEY\naws_secret_access_key=s\n"),
        1);
    p = aws_credentials_provider_new(http, &fc.clock);
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    assert_string_equal(c.access_key_id, "PROFKEY");
    aws_credentials_provider_free(p);

    /* The environment wins, but only with both key and secret. */
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    p = aws_credentials_provider_new(http, &fc.clock);
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    aws_credentials_provider_free(p);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    setenv("AWS_SESSION_TOKEN", "envtoken", 1);
    p = aws_credentials_provider_new(http, &fc.clock);
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "environment");
    assert_string_equal(c.session_token, "envtoken");
    assert_int_equal(c.expiration_ms, 0);
    aws_credentials_provider_free(p);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    http_client_free(http);
}

static void test_credentials_json(void **state)
{
    (void)state;
    aws_credentials c;
    assert_int_equal(aws_credentials_parse_json(
                         "{\"AccessKeyId\":\"ASIA1\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
                         "\"Expiration\":\"2026-11-25T12:00:00Z\"}",
                         &c),
                     0);
    assert_string_equal(c.access_key_id, "ASIA1");
    assert_string_equal(c.session_token, "t");
    assert_int_equal(c.expiration_ms, 1795608000000LL);
    assert_int_equal(aws_credentials_parse_json(
                         "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":"
                         "\"2026-11-25T12:00:00.123Z\"}",
                         &c),
                     0);
    assert_int_equal(c.expiration_ms, 1795608000000LL);
    assert_int_equal(aws_credentials_parse_json("{\"AccessKeyId\":\"A\"}", &c), -1);
    assert_int_equal(aws_credentials_parse_json("not json", &c), -1);
}

static void test_credentials_cached_until_expiry(void **state)
{
    (void)state;
    char body[256];
    snprintf(body, sizeof body,
             "{\"AccessKeyId\":\"ASIA1\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
             "\"Expiration\":\"2030-01-01T00:00:00Z\"}");
    canned_response script[] = {{200, NULL, body}};
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/creds", canned_server_start(script, 1));
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    setenv("HOME", "/nonexistent", 1);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz", 1);
    http_client *http = http_client_new();
    aws_credentials_provider *p = aws_credentials_provider_new(http, &fc.clock);
    aws_credentials c;
    aws_error err;
    const int64_t expiry = 1893456000000LL; /* 2030-01-01 */
    fake_clock_init(&fc, 0);
    fc.now_ms = expiry - AWS_CREDENTIALS_REFRESH_MARGIN_MS - 60000;
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "container");
    assert_int_equal(c.expiration_ms, expiry);
    assert_non_null(strstr(canned_server_request(0), "Authorization: Bearer xyz"));
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 1); /* cached */
    fc.now_ms += 60001;                            /* inside the refresh margin */
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 2);
    aws_credentials_provider_free(p);
    http_client_free(http);
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    canned_server_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credentials_chain_local_sources, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_credentials_json, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_credentials_cached_until_expiry, aws_env_setup,
                                        aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
