/* Region, endpoints, shared config files and the credential chain's local
 * sources (the HTTP sources are covered by tests/integration/test_credentials.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/profile.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ecs-tasks-config-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    const char *vars[] = {"AWS_REGION",
                          "AWS_DEFAULT_REGION",
                          "AWS_PROFILE",
                          "AWS_DEFAULT_PROFILE",
                          "AWS_ACCESS_KEY_ID",
                          "AWS_SECRET_ACCESS_KEY",
                          "AWS_SESSION_TOKEN",
                          "AWS_ENDPOINT_URL",
                          "AWS_ENDPOINT_URL_ECS",
                          "AWS_CONFIG_FILE",
                          "AWS_SHARED_CREDENTIALS_FILE",
                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    setenv("HOME", dir, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char config_text[] = "# comment\n"
                                  "[default]\n"
                                  "region = eu-west-1\n"
                                  "; another comment\n"
                                  "[profile ci]\n"
                                  "Region=us-west-2\n"
                                  "s3 =\n"
                                  "  region = nested-should-be-ignored\n"
                                  "aws_access_key_id = CONFIGKEY\n"
                                  "aws_secret_access_key = configsecret\n";

static const char credentials_text[] = "[ci]\n"
                                       "aws_access_key_id = CREDKEY\n"
                                       "aws_secret_access_key = credsecret\n"
                                       "aws_session_token = tok\n"
                                       "[profile ci]\n"
                                       "aws_access_key_id = WRONG\n";

static void test_profile_parse(void **state)
{
    (void)state;
    aws_profile p = {0};
    assert_int_equal(aws_profile_parse(config_text, "ci", 1, &p), 1);
    assert_string_equal(p.region, "us-west-2");
    assert_string_equal(p.access_key_id, "CONFIGKEY");
    memset(&p, 0, sizeof p);
    assert_int_equal(aws_profile_parse(config_text, "default", 1, &p), 1);
    assert_string_equal(p.region, "eu-west-1");
    memset(&p, 0, sizeof p);
    assert_int_equal(aws_profile_parse(config_text, "nope", 1, &p), 0);
    /* In the credentials file a section is the bare name. */
    memset(&p, 0, sizeof p);
    assert_int_equal(aws_profile_parse(credentials_text, "ci", 0, &p), 1);
    assert_string_equal(p.access_key_id, "CREDKEY");
    assert_int_equal(aws_profile_parse("[profile default]\nregion=x\n", "default", 1, &p), 1);
    assert_string_equal(p.region, "x");
}

static void test_profile_load_files_and_precedence(void **state)
{
    (void)state;
    write_file("config", config_text);
    write_file("credentials", credentials_text);
    char cfg[256], creds[256];
    snprintf(cfg, sizeof cfg, "%s/config", dir);
    snprintf(creds, sizeof creds, "%s/credentials", dir);
    setenv("AWS_CONFIG_FILE", cfg, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
    setenv("AWS_PROFILE", "ci", 1);
    aws_profile p;
    assert_int_equal(aws_profile_load(NULL, &p), 1);
    assert_string_equal(p.name, "ci");
    assert_string_equal(p.region, "us-west-2");
    assert_string_equal(p.access_key_id, "CREDKEY"); /* the credentials file wins */
    assert_string_equal(p.session_token, "tok");
    unsetenv("AWS_PROFILE");
    setenv("AWS_DEFAULT_PROFILE", "ci", 1);
    assert_string_equal(aws_profile_name(), "ci");
    unsetenv("AWS_DEFAULT_PROFILE");
    assert_string_equal(aws_profile_name(), "default");
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
}

static void test_region_order(void **state)
{
    (void)state;
    char region[64];
    aws_error err;
    assert_int_equal(aws_region_resolve(region, sizeof region, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_REGION"));
    mkdir(strcat(strcpy(region, dir), "/.aws"), 0700);
    write_file(".aws/config", "[default]\nregion = ap-south-1\n");
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

static int64_t fake_now;
static int64_t fake_now_ms(void *ctx)
{
    (void)ctx;
    return fake_now;
}
static void fake_sleep(void *ctx, int64_t ms)
{
    (void)ctx;
    fake_now += ms;
}
static double fake_jitter(void *ctx)
{
    (void)ctx;
    return 0.5;
}
static const clk fake_clock = {fake_now_ms, fake_sleep, fake_jitter, NULL};

static void test_credentials_chain_local_sources(void **state)
{
    (void)state;
    http_client *http = http_client_new();
    aws_credentials_provider *p = aws_credentials_provider_new(http, &fake_clock);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(p, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    assert_non_null(strstr(err.message, "environment"));
    assert_non_null(strstr(err.message, "profile default"));
    assert_non_null(strstr(err.message, "container (not configured)"));
    assert_non_null(strstr(err.message, "IMDS (AWS_EC2_METADATA_DISABLED)"));
    aws_credentials_provider_free(p);

    write_file("creds", "[default]\naws_access_key_id=PROFKEY\naws_secret_access_key=s\n");
    char path[256];
    snprintf(path, sizeof path, "%s/creds", dir);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    p = aws_credentials_provider_new(http, &fake_clock);
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    assert_string_equal(c.access_key_id, "PROFKEY");
    aws_credentials_provider_free(p);

    /* The environment wins, but only with both key and secret. */
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    p = aws_credentials_provider_new(http, &fake_clock);
    assert_int_equal(aws_credentials_get(p, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    aws_credentials_provider_free(p);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    setenv("AWS_SESSION_TOKEN", "envtoken", 1);
    p = aws_credentials_provider_new(http, &fake_clock);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_profile_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_load_files_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_chain_local_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_json, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
