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
    unsetenv("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    unsetenv("AWS_ENDPOINT_URL_ECS");
    unsetenv("AWS_ENDPOINT_URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_region_order, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_endpoints, aws_env_setup, aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
