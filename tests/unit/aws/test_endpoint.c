/* SPDX-License-Identifier: Apache-2.0 */
/* Region and endpoint resolution: environment, profile, defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/endpoint.h"
#include "support/aws_env.h"

static void test_region_order(void **state)
{
    (void)state;
    char region[64];
    aws_error err;
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_REGION"));
    aws_env_write(".aws/config", "[default]\nregion = ap-south-1\n");
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), 0);
    assert_string_equal(region, "ap-south-1");
    setenv("AWS_DEFAULT_REGION", "eu-central-1", 1);
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), 0);
    assert_string_equal(region, "eu-central-1");
    setenv("AWS_REGION", "us-east-2", 1);
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), 0);
    assert_string_equal(region, "us-east-2");
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
}

/* A region becomes part of a host name: anything but [a-z0-9-] is refused,
 * naming where it came from. */
static void test_region_validated(void **state)
{
    (void)state;
    char region[64];
    aws_error err;
    assert_true(aws_region_valid("us-east-1"));
    assert_true(aws_region_valid("cn-northwest-1"));
    static const char *const bad[] = {
        "",       "US-EAST-1", "us_east_1", "us-east-1 ", "@evil.example/", "us-east-1.evil",
        "a\r\nb", NULL};
    for (const char *const *b = bad; *b; b++)
        assert_false(aws_region_valid(*b));
    assert_false(aws_region_valid(NULL));
    char long_region[80];
    memset(long_region, 'a', sizeof long_region - 1);
    long_region[sizeof long_region - 1] = '\0';
    assert_false(aws_region_valid(long_region));

    setenv("AWS_REGION", "@127.0.0.1:1/#", 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_REGION '@127.0.0.1:1/#' is not a region name"));
    unsetenv("AWS_REGION");
    setenv("AWS_DEFAULT_REGION", "eu-west-1\r\nX: y", 1);
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_non_null(strstr(err.message, "AWS_DEFAULT_REGION 'eu-west-1\\x0d\\x0aX: y'"));
    unsetenv("AWS_DEFAULT_REGION");
    aws_env_write(".aws/config", "[default]\nregion = eu-west-1.evil.example\n");
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_non_null(strstr(err.message, "the region of profile default 'eu-west-1.evil.example'"));
    /* A named profile that does not exist is named when it was to give the region. */
    setenv("AWS_PROFILE", "nope", 1);
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_non_null(strstr(err.message, "the profile nope named by AWS_PROFILE does not exist"));
    unsetenv("AWS_PROFILE");
}

static void test_endpoints(void **state)
{
    (void)state;
    char url[512];
    aws_error err;
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_ECS, "us-east-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "https://ecs.us-east-1.amazonaws.com");
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_LOGS, "cn-north-1", url, sizeof url, &err),
                     0);
    assert_string_equal(url, "https://logs.cn-north-1.amazonaws.com.cn");
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_STS, "eu-west-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "https://sts.eu-west-1.amazonaws.com");
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000/", 1);
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_ECS, "us-east-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "http://127.0.0.1:5000");
    setenv("AWS_ENDPOINT_URL_ECS", "http://localhost:6000", 1);
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_ECS, "us-east-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "http://localhost:6000");
    assert_int_equal(
        aws_endpoint_resolve(&AWS_SERVICE_SECRETS_MANAGER, "us-east-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "http://127.0.0.1:5000");
    setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "ftp://x", 1);
    assert_int_equal(
        aws_endpoint_resolve(&AWS_SERVICE_SECRETS_MANAGER, "us-east-1", url, sizeof url, &err), -1);
    assert_non_null(strstr(err.message, "not an http(s) URL"));
    setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:5000/\r\nX: y", 1);
    assert_int_equal(
        aws_endpoint_resolve(&AWS_SERVICE_SECRETS_MANAGER, "us-east-1", url, sizeof url, &err), -1);
    assert_non_null(strstr(err.message, "holds a space or a control character"));
    setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:7000", 1);
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_STS, "eu-west-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "http://127.0.0.1:7000");
    unsetenv("AWS_ENDPOINT_URL_STS");
    assert_int_equal(aws_endpoint_resolve(&AWS_SERVICE_STS, "eu-west-1", url, sizeof url, &err), 0);
    assert_string_equal(url, "http://127.0.0.1:5000");
    unsetenv("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    unsetenv("AWS_ENDPOINT_URL_ECS");
    unsetenv("AWS_ENDPOINT_URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_region_order, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_region_validated, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_endpoints, aws_env_setup, aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
