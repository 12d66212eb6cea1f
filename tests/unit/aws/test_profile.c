/* SPDX-License-Identifier: Apache-2.0 */
/* The shared credentials and config files: sections, precedence, profile names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_profile_parse, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_profile_load_files_and_precedence, aws_env_setup,
                                        aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
