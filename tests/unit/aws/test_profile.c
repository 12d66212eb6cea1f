/* SPDX-License-Identifier: Apache-2.0 */
/* The shared credentials and config files: sections, precedence, profile names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/profile.h"
#include "support/aws_env.h"

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
    setenv("AWS_CONFIG_FILE", aws_env_write("config", config_text), 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", aws_env_write("credentials", credentials_text), 1);
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

static void test_profile_role_settings(void **state)
{
    (void)state;
    char long_arn[2100];
    memset(long_arn, 'a', sizeof long_arn - 1);
    long_arn[sizeof long_arn - 1] = '\0';
    char text[4096];
    snprintf(text, sizeof text,
             "[profile deploy]\r\n"
             "role_arn = arn:aws:iam::123456789012:role/deploy\r\n"
             "source_profile = base\r\n"
             "External_ID = ext-1\r\n"
             "duration_seconds = 900\r\n"
             "role_session_name = ci\r\n"
             "mfa_serial = arn:aws:iam::123456789012:mfa/me\r\n"
             "credential_source = Environment\r\n"
             "web_identity_token_file = /var/run/token\r\n"
             "credential_process = /usr/bin/helper --profile \"x y\"\r\n"
             "[profile sso]\nsso_session = corp\n"
             "[profile long]\nrole_arn = %s\ncredential_process = short\n"
             "[profile regional]\nregion = eu-west-1\n",
             long_arn);
    aws_profile *p = calloc(1, sizeof *p);
    assert_int_equal(aws_profile_parse(text, "deploy", 1, p), 1);
    assert_string_equal(p->role_arn, "arn:aws:iam::123456789012:role/deploy");
    assert_string_equal(p->source_profile, "base");
    assert_string_equal(p->external_id, "ext-1");
    assert_string_equal(p->duration_seconds, "900");
    assert_string_equal(p->role_session_name, "ci");
    assert_string_equal(p->mfa_serial, "arn:aws:iam::123456789012:mfa/me");
    assert_string_equal(p->credential_source, "Environment");
    assert_string_equal(p->web_identity_token_file, "/var/run/token");
    assert_string_equal(p->credential_process, "/usr/bin/helper --profile \"x y\"");
    assert_true(aws_profile_has_credential_settings(p));
    memset(p, 0, sizeof *p);
    assert_int_equal(aws_profile_parse(text, "sso", 1, p), 1);
    assert_true(p->sso);
    assert_true(aws_profile_has_credential_settings(p));
    /* A value too long is not cut: it is named, and the field stays empty. */
    memset(p, 0, sizeof *p);
    assert_int_equal(aws_profile_parse(text, "long", 1, p), 1);
    assert_string_equal(p->too_long, "role_arn");
    assert_string_equal(p->role_arn, "");
    assert_string_equal(p->credential_process, "short");
    memset(p, 0, sizeof *p);
    assert_int_equal(aws_profile_parse(text, "regional", 1, p), 1);
    assert_false(aws_profile_has_credential_settings(p));
    aws_profile_wipe(p);
    free(p);
}

static void test_profile_named_by(void **state)
{
    (void)state;
    assert_null(aws_profile_named_by());
    assert_string_equal(aws_profile_name(), "default");
    setenv("AWS_DEFAULT_PROFILE", "b", 1);
    assert_string_equal(aws_profile_named_by(), "AWS_DEFAULT_PROFILE");
    assert_string_equal(aws_profile_name(), "b");
    setenv("AWS_PROFILE", "a", 1);
    assert_string_equal(aws_profile_named_by(), "AWS_PROFILE");
    assert_string_equal(aws_profile_name(), "a");
    setenv("AWS_PROFILE", "", 1);
    assert_string_equal(aws_profile_named_by(), "AWS_DEFAULT_PROFILE");
    char config[256], credentials[256];
    setenv("AWS_CONFIG_FILE", "/etc/aws-config", 1);
    aws_profile_paths(config, sizeof config, credentials, sizeof credentials);
    assert_string_equal(config, "/etc/aws-config");
    assert_non_null(strstr(credentials, "/.aws/credentials"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_profile_parse, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_profile_load_files_and_precedence, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_profile_role_settings, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_profile_named_by, aws_env_setup, aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
