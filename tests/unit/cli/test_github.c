/* SPDX-License-Identifier: Apache-2.0 */
/* GitHub Actions (cli/github.c): command data escaped so that text from a
 * container can neither end our command nor start one, the GITHUB_OUTPUT
 * lines in both forms, appended to the file the variable names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/github.h"
#include "support/aws_env.h"

static char *escaped(const char *text)
{
    static char out[1024];
    buf b;
    buf_init(&b, sizeof out);
    assert_int_equal(github_escape(&b, text), 0);
    snprintf(out, sizeof out, "%s", buf_cstr(&b));
    buf_free(&b);
    return out;
}

static void test_escape(void **state)
{
    (void)state;
    assert_string_equal(escaped("plain text: a::b"), "plain text: a::b");
    assert_string_equal(escaped("100% done"), "100%25 done");
    assert_string_equal(escaped("a\nb\r\nc"), "a%0Ab%0D%0Ac");
    assert_string_equal(escaped("x\n::stop-commands::tok"), "x%0A::stop-commands::tok");
    assert_string_equal(escaped("%0A"), "%250A");
    /* Terminal control: C0, DEL, C1 as '?'; a tab kept; bad UTF-8 repaired. */
    assert_string_equal(escaped("\x1b[31mred\x7f\xc2\x9b!\tok"), "?[31mred?"
                                                                 "?!\tok");
    assert_string_equal(escaped("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \xef\xbf\xbd");
    assert_string_equal(escaped(""), "");
}

static char *printed_by(void (*print)(FILE *, const char *), const char *text)
{
    static char out[1024];
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    print(f, text);
    fclose(f);
    snprintf(out, sizeof out, "%s", mem);
    free(mem);
    return out;
}

static void test_commands(void **state)
{
    (void)state;
    assert_string_equal(printed_by(github_error, "Task 1: exited 3.\n::error::x\n50%"),
                        "::error title=ecs-tasks run::Task 1: exited 3.%0A::error::x%0A50%25\n");
    assert_string_equal(printed_by(github_group, "task 0f1e\n::x"), "::group::task 0f1e%0A::x\n");
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    github_endgroup(f);
    fclose(f);
    assert_string_equal(mem, "::endgroup::\n");
    free(mem);
}

static void test_active(void **state)
{
    (void)state;
    unsetenv("GITHUB_ACTIONS");
    assert_false(github_active());
    setenv("GITHUB_ACTIONS", "1", 1);
    assert_false(github_active());
    setenv("GITHUB_ACTIONS", "true", 1);
    assert_true(github_active());
    unsetenv("GITHUB_ACTIONS");
}

#define ARN1 "arn:aws:ecs:us-east-1:1:task/c/a1"
#define ARN2 "arn:aws:ecs:us-east-1:1:task/c/b2"

static void test_output_text(void **state)
{
    (void)state;
    const char *arns[] = {ARN1, ARN2};
    buf b;
    buf_init(&b, 4096);
    assert_int_equal(github_output_text(&b, "EOF_1", arns, 2, 3), 0);
    assert_string_equal(buf_cstr(&b), "exit-code=3\n"
                                      "task-arn<<EOF_1\n" ARN1 "\nEOF_1\n"
                                      "task-arns<<EOF_1\n" ARN1 " " ARN2 "\nEOF_1\n");
    buf_free(&b);
    /* Nothing started: empty values. */
    buf_init(&b, 4096);
    assert_int_equal(github_output_text(&b, "D", arns, 0, 125), 0);
    assert_string_equal(buf_cstr(&b), "exit-code=125\ntask-arn<<D\n\nD\ntask-arns<<D\n\nD\n");
    buf_free(&b);
    /* A value that could end itself early is refused. */
    const char *bad[] = {"arn:x\nD"};
    buf_init(&b, 4096);
    assert_int_equal(github_output_text(&b, "D", bad, 1, 0), -1);
    buf_free(&b);
    const char *holds[] = {"arn:xEOF_1y"};
    buf_init(&b, 4096);
    assert_int_equal(github_output_text(&b, "EOF_1", holds, 1, 0), -1);
    buf_free(&b);
}

static void test_write_outputs(void **state)
{
    (void)state;
    char why[256];
    const char *arns[] = {ARN1};
    unsetenv("GITHUB_OUTPUT");
    assert_int_equal(github_write_outputs(arns, 1, 0, why, sizeof why), 0);
    const char *path = aws_env_write("github_output", "before=1\n");
    setenv("GITHUB_OUTPUT", path, 1);
    assert_int_equal(github_write_outputs(arns, 1, 7, why, sizeof why), 0);
    FILE *f = fopen(path, "r");
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_true(!strncmp(text, "before=1\nexit-code=7\ntask-arn<<ghadelimiter_", 44));
    char delimiter[64];
    assert_int_equal(sscanf(strstr(text, "task-arn<<") + 10, "%63[^\n]", delimiter), 1);
    assert_int_equal(strlen(delimiter), strlen("ghadelimiter_") + 32);
    char want[1024];
    snprintf(want, sizeof want,
             "before=1\nexit-code=7\ntask-arn<<%s\n" ARN1 "\n%s\ntask-arns<<%s\n" ARN1 "\n%s\n",
             delimiter, delimiter, delimiter, delimiter);
    assert_string_equal(text, want);
    /* A file that cannot be written. */
    setenv("GITHUB_OUTPUT", "/nonexistent/dir/output", 1);
    assert_int_equal(github_write_outputs(arns, 1, 0, why, sizeof why), -1);
    assert_non_null(strstr(why, "GITHUB_OUTPUT /nonexistent/dir/output: "));
    unsetenv("GITHUB_OUTPUT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_active),
        cmocka_unit_test(test_output_text),
        cmocka_unit_test_setup_teardown(test_write_outputs, aws_env_setup, aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
