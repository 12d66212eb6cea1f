/* SPDX-License-Identifier: Apache-2.0 */
/* credential_process: the document it must print, and running it through
 * /bin/sh -c: exit status, signals, output bound, the deadline, and that what
 * it printed never reaches a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credential_process.h"
#include "support/aws_env.h"
#include "support/fake_clock.h"

#define DOC                                                                                        \
    "{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": \"proc-secret-value\", " \
    "\"SessionToken\": \"proc-token-value\", \"Expiration\": \"2030-01-01T00:00:00Z\"}"

static fake_clock fc;

static int run(const char *command, aws_credentials *c, char *why, size_t cap)
{
    fake_clock_init(&fc, 1700000000000);
    return credential_process_run(command, "ci", &fc.clock, 0, c, why, cap);
}

static void test_parse(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    assert_int_equal(credential_process_parse(DOC, "ci", &c, why, sizeof why), 0);
    assert_string_equal(c.source, "credential_process");
    assert_string_equal(c.access_key_id, "ASIAPROC");
    assert_string_equal(c.session_token, "proc-token-value");
    assert_int_equal(c.expiration_ms, 1893456000000LL);
    assert_int_equal(credential_process_parse("{\"Version\": 2, \"AccessKeyId\": \"A\", "
                                              "\"SecretAccessKey\": \"s\"}",
                                              "ci", &c, why, sizeof why),
                     -1);
    assert_string_equal(why, "the credential_process of profile ci printed a document without "
                             "\"Version\": 1");
    assert_int_equal(credential_process_parse("{\"Version\": 1, \"AccessKeyId\": \"A\"}", "ci", &c,
                                              why, sizeof why),
                     -1);
    assert_int_equal(credential_process_parse("{\"Version\": 1, \"AccessKeyId\": \"A\", "
                                              "\"SecretAccessKey\": \"s\", \"Expiration\": 5}",
                                              "ci", &c, why, sizeof why),
                     0); /* not a string: no expiration, as the SDKs read it */
    assert_int_equal(credential_process_parse("{\"Version\": 1, \"AccessKeyId\": \"A\", "
                                              "\"SecretAccessKey\": \"s\", \"SessionToken\": "
                                              "\"a\\nb\"}",
                                              "ci", &c, why, sizeof why),
                     -1);
    assert_int_equal(credential_process_parse("proc-secret-value", "ci", &c, why, sizeof why), -1);
    assert_string_equal(why, "the credential_process of profile ci printed something that is not a "
                             "JSON object");
}

static void test_runs_through_the_shell(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    char command[512];
    /* A pipeline and quoting: the string is the shell's to read. */
    snprintf(command, sizeof command, "printf '%%s' '%s' | cat", DOC);
    assert_int_equal(run(command, &c, why, sizeof why), 0);
    assert_string_equal(c.access_key_id, "ASIAPROC");
    /* The environment is inherited. */
    setenv("ECS_TASKS_TEST_KEY", "ASIAFROMENV", 1);
    assert_int_equal(
        run("printf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"s\"}' "
            "\"$ECS_TASKS_TEST_KEY\"",
            &c, why, sizeof why),
        0);
    assert_string_equal(c.access_key_id, "ASIAFROMENV");
    unsetenv("ECS_TASKS_TEST_KEY");
}

static void test_failures_never_show_the_output(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    assert_int_equal(run("printf proc-secret-value; exit 7", &c, why, sizeof why), -1);
    assert_string_equal(why, "the credential_process of profile ci exited with status 7");
    assert_int_equal(
        run("printf '{\"SecretAccessKey\": \"proc-secret-value\"'", &c, why, sizeof why), -1);
    assert_null(strstr(why, "proc-secret-value"));
    assert_non_null(strstr(why, "profile ci"));
    assert_int_equal(run("kill -9 $$", &c, why, sizeof why), -1);
    assert_string_equal(why, "the credential_process of profile ci was killed by signal 9");
    assert_int_equal(run("/nonexistent/helper", &c, why, sizeof why), -1);
    assert_string_equal(why, "the credential_process of profile ci exited with status 127");
    assert_int_equal(run("head -c 70000 /dev/zero | tr '\\0' x", &c, why, sizeof why), -1);
    assert_string_equal(why, "the credential_process of profile ci printed more than 65536 bytes");
}

/* Past the deadline the process is killed (the real clock: it really waits). */
static void test_deadline(void **state)
{
    (void)state;
    aws_credentials c;
    char why[256];
    const clk *real = clk_system();
    int64_t start = clk_now(real);
    assert_int_equal(
        credential_process_run("exec sleep 5", "ci", real, start + 300, &c, why, sizeof why), -1);
    assert_string_equal(why,
                        "the credential_process of profile ci did not finish before the deadline");
    assert_true(clk_now(real) - start < 3000);
    /* Closing stdout early does not escape the deadline either. */
    start = clk_now(real);
    assert_int_equal(credential_process_run("exec >&-; exec sleep 5", "ci", real, start + 300, &c,
                                            why, sizeof why),
                     -1);
    assert_string_equal(why,
                        "the credential_process of profile ci did not finish before the deadline");
    assert_true(clk_now(real) - start < 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_runs_through_the_shell, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_failures_never_show_the_output, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_deadline, aws_env_setup, aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
