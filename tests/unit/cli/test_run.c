/* SPDX-License-Identifier: Apache-2.0 */
/* `ecs-tasks run` usage errors (cli/run.c): each is exit code 2 with its
 * message on stderr, decided before any AWS call (the AWS endpoint is a
 * canned server that must see no request); --help exits 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"
#include "support/aws_env.h"
#include "support/canned_server.h"
#include "support/capture.h"

#define MAX_ARGS 16

static char said_out[8192], said_err[8192];

/* Should a usage error slip through, the run would reach this server (and be
 * refused) instead of AWS. */
static int setup(void **state)
{
    static const canned_response denied = {
        400, "Content-Type: application/x-amz-json-1.1\r\n",
        "{\"__type\":\"AccessDeniedException\",\"message\":\"not in a unit test\"}"};
    if (aws_env_setup(state) != 0)
        return -1;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(&denied, 1));
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    setenv("AWS_MAX_ATTEMPTS", "1", 1);
    return 0;
}

static int teardown(void **state)
{
    canned_server_stop();
    return aws_env_teardown(state);
}

/* Runs `ecs-tasks run ARGS...` (NULL-terminated) with stdout and stderr
 * captured into said_out and said_err. Returns the exit code. */
static int run(const char *first, ...)
{
    char *argv[MAX_ARGS + 2] = {"run"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        assert_true(argc < MAX_ARGS);
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    capture out, err;
    assert_int_equal(capture_begin(&out, stdout), 0);
    assert_int_equal(capture_begin(&err, stderr), 0);
    int code = cli_run(argc, argv);
    snprintf(said_err, sizeof said_err, "%s", capture_end(&err));
    snprintf(said_out, sizeof said_out, "%s", capture_end(&out));
    capture_free(&err);
    capture_free(&out);
    return code;
}

/* A usage error: exit 2, `message` on stderr after "ecs-tasks run: ", the
 * pointer to --help (when `pointer`), nothing on stdout, no AWS call. */
static void expect_usage_at(int code, const char *message, int pointer, int line)
{
    if (code != CLI_EXIT_USAGE)
        fail_msg("line %d: exit code %d, stderr '%s'", line, code, said_err);
    char want[1024];
    snprintf(want, sizeof want, "ecs-tasks run: %s", message);
    if (!strstr(said_err, want))
        fail_msg("line %d: expected '%s' in stderr '%s'", line, want, said_err);
    if (pointer && !strstr(said_err, "(see ecs-tasks run --help)\n"))
        fail_msg("line %d: no pointer to --help in '%s'", line, said_err);
    if (said_out[0])
        fail_msg("line %d: stdout '%s'", line, said_out);
    if (canned_server_requests() != 0)
        fail_msg("line %d: %zu AWS requests", line, canned_server_requests());
}
#define expect_usage(code, message) expect_usage_at((code), (message), 1, __LINE__)
/* The one usage error printed without the pointer to --help. */
#define expect_usage_bare(code, message) expect_usage_at((code), (message), 0, __LINE__)

static void test_required_options(void **state)
{
    (void)state;
    expect_usage(run("--task-definition", "td", NULL), "--cluster: required\n");
    expect_usage(run("--cluster", "c", NULL), "--task-definition: required\n");
    expect_usage(run(NULL), "--cluster: required\n");
    expect_usage(run("--cluster", "", "--task-definition", "td", NULL),
                 "--cluster: '' is not allowed (a non-empty string)");
}

static void test_ranges(void **state)
{
    (void)state;
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--count", "11", NULL),
                 "--count: '11' is not allowed (an integer from 0 to 10)\n");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--count", "two", NULL),
                 "--count: 'two' is not allowed");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--timeout", "3601", NULL),
                 "--timeout: '3601' is not allowed (an integer from 0 to 3600)");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--poll-interval", "0", NULL),
                 "--poll-interval: '0' is not allowed (an integer from 1 to 300)");
}

static void test_unknown_or_incomplete_option(void **state)
{
    (void)state;
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--bogus", NULL),
                 "unknown or incomplete option --bogus\n");
    expect_usage(run("--cluster", "c", "--task-definition", NULL),
                 "unknown or incomplete option --task-definition\n");
    expect_usage(run("-x", "--cluster", "c", "--task-definition", "td", NULL),
                 "unknown or incomplete option -x\n");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--no-wait=yes", NULL),
                 "unknown or incomplete option --no-wait=yes\n");
}

static void test_env(void **state)
{
    (void)state;
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--container", "app", "--env",
                     "MODE", NULL),
                 "--env MODE is not K=V\n");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--container", "app", "--env",
                     "=fast", NULL),
                 "--env =fast is not K=V\n");
}

static void test_container_needed(void **state)
{
    (void)state;
    expect_usage_bare(
        run("--cluster", "c", "--task-definition", "td", "--command", "migrate up", NULL),
        "--command and --env need --container NAME\n");
    expect_usage_bare(run("--cluster", "c", "--task-definition", "td", "--env", "A=1", NULL),
                      "--command and --env need --container NAME\n");
}

static void test_overrides(void **state)
{
    (void)state;
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", "[1]", NULL),
                 "--overrides [1] is not a JSON object (or @FILE holding one)\n");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", "{cpu:1}", NULL),
                 "--overrides {cpu:1} is not a JSON object (or @FILE holding one)\n");
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", "\"x\"", NULL),
                 "--overrides \"x\" is not a JSON object");

    char missing[600], message[700];
    snprintf(missing, sizeof missing, "@%s/none.json", aws_env_dir());
    snprintf(message, sizeof message,
             "--overrides %s is not a JSON object (or @FILE holding one)\n", missing);
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", missing, NULL),
                 message);

    char file[600];
    snprintf(file, sizeof file, "@%s", aws_env_write("list.json", "[{\"cpu\":\"256\"}]"));
    snprintf(message, sizeof message,
             "--overrides %s is not a JSON object (or @FILE holding one)\n", file);
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", file, NULL),
                 message);

    /* An object, read and then validated like the resource's Overrides. */
    snprintf(file, sizeof file, "@%s",
             aws_env_write("ov.json", "{\"containerOverrides\":[{\"name\":\"app\","
                                      "\"memory\":\"lots\"}]}"));
    expect_usage(run("--cluster", "c", "--task-definition", "td", "--overrides", file, NULL),
                 "--overrides: containerOverrides[0].memory: 'lots' is not an integer");
}

static void test_unexpected_argument(void **state)
{
    (void)state;
    expect_usage(run("--cluster", "c", "--task-definition", "td", "now", NULL),
                 "unexpected argument now\n");
    /* Wherever it stands. */
    expect_usage(run("please", "--cluster", "c", "--task-definition", "td", NULL),
                 "unexpected argument please\n");
}

static void test_help(void **state)
{
    (void)state;
    assert_int_equal(run("--help", NULL), 0);
    assert_non_null(strstr(said_out, "usage: ecs-tasks run --cluster C --task-definition T"));
    assert_non_null(strstr(said_out, "--count N"));
    assert_string_equal(said_err, "");
    /* Whatever else is given. */
    assert_int_equal(run("--cluster", "c", "--help", "--count", "99", NULL), 0);
    assert_non_null(strstr(said_out, "usage: ecs-tasks run"));
    assert_int_equal(canned_server_requests(), 0);
}

/* The control: a valid command line goes past these checks to AWS (here the
 * canned server, which refuses), so "no AWS request" above means something. */
static void test_valid_line_reaches_aws(void **state)
{
    (void)state;
    assert_int_equal(run("--cluster", "c", "--task-definition", "td", "--container", "app", "--env",
                         "A=1", "--command", "migrate up", NULL),
                     CLI_EXIT_FAILED);
    assert_int_equal(canned_server_count("RunTask"), 1);
    assert_non_null(strstr(said_err, "AccessDeniedException"));
    json_error_t e;
    json_t *body = json_loads(canned_server_body(0), 0, &e);
    assert_non_null(body);
    json_t *want = json_loads("[{\"name\":\"app\",\"command\":[\"migrate\",\"up\"],"
                              "\"environment\":[{\"name\":\"A\",\"value\":\"1\"}]}]",
                              0, &e);
    assert_true(json_equal(
        json_object_get(json_object_get(body, "overrides"), "containerOverrides"), want));
    json_decref(want);
    json_decref(body);
}

/* --- --container, --command and --env merged into --overrides ------------ */

#define TD "--cluster", "c", "--task-definition", "td"

/* The run that ended in request `request` reached AWS (the canned server,
 * which refuses it) with exactly these overrides (JSON text). */
static void expect_sent_at(size_t request, int code, const char *expected, int line)
{
    if (code != CLI_EXIT_FAILED || canned_server_requests() != request + 1)
        fail_msg("line %d: exit code %d after %zu requests, stderr '%s'", line, code,
                 canned_server_requests(), said_err);
    json_error_t e;
    json_t *body = json_loads(canned_server_body(request), 0, &e);
    json_t *want = json_loads(expected, 0, &e);
    if (!body || !want)
        fail_msg("line %d: bad JSON: %s", line, e.text);
    json_t *sent = json_object_get(body, "overrides");
    if (!json_equal(sent, want)) {
        char *got = json_dumps(sent, JSON_COMPACT);
        fail_msg("line %d: sent overrides %s", line, got ? got : "(none)");
    }
    json_decref(want);
    json_decref(body);
}
#define expect_sent(request, code, expected) expect_sent_at((request), (code), (expected), __LINE__)

static void test_env_joins_the_overrides_entry(void **state)
{
    (void)state;
    /* The case: one override for app, with its cpu and both
     * variables (a second entry for app would have dropped cpu and A). */
    expect_sent(0,
                run(TD, "--overrides",
                    "{\"containerOverrides\":[{\"name\":\"app\",\"cpu\":256,\"environment\":"
                    "[{\"name\":\"A\",\"value\":\"1\"}]}]}",
                    "--container", "app", "--env", "B=2", NULL),
                "{\"containerOverrides\":[{\"name\":\"app\",\"cpu\":256,\"environment\":"
                "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}]}");
    /* PascalCase: every member of the entry kept, --command replaces the
     * command, --env replaces a variable of the same name and adds the
     * others; the other container and the task-level members untouched. */
    expect_sent(1,
                run(TD, "--container", "app", "--command", "new cmd", "--env", "B=2", "--env",
                    "C=3", "--overrides",
                    "{\"ContainerOverrides\":[{\"Name\":\"app\",\"Cpu\":\"256\",\"Command\":"
                    "[\"old\"],\"Environment\":[{\"Name\":\"A\",\"Value\":\"1\"},{\"Name\":\"B\","
                    "\"Value\":\"old\"}]},{\"Name\":\"side\",\"Memory\":\"64\",\"Command\":"
                    "[\"s\"]}],\"Cpu\":\"512\"}",
                    NULL),
                "{\"containerOverrides\":[{\"name\":\"app\",\"cpu\":256,\"command\":[\"new\","
                "\"cmd\"],\"environment\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\","
                "\"value\":\"2\"},{\"name\":\"C\",\"value\":\"3\"}]},{\"name\":\"side\","
                "\"memory\":64,\"command\":[\"s\"]}],\"cpu\":\"512\"}");
    /* A container --overrides does not name gets an entry of its own. */
    expect_sent(2,
                run(TD, "--overrides", "{\"containerOverrides\":[{\"name\":\"side\",\"cpu\":1}]}",
                    "--container", "app", "--env", "A=1", NULL),
                "{\"containerOverrides\":[{\"name\":\"side\",\"cpu\":1},{\"name\":\"app\","
                "\"environment\":[{\"name\":\"A\",\"value\":\"1\"}]}]}");
    /* --command alone keeps the entry's environment; the same --env twice: the
     * last one. */
    expect_sent(3,
                run(TD, "--overrides",
                    "{\"containerOverrides\":[{\"name\":\"app\",\"environment\":[{\"name\":\"A\","
                    "\"value\":\"1\"}]}]}",
                    "--container", "app", "--command", "x", NULL),
                "{\"containerOverrides\":[{\"name\":\"app\",\"environment\":[{\"name\":\"A\","
                "\"value\":\"1\"}],\"command\":[\"x\"]}]}");
    expect_sent(4, run(TD, "--container", "app", "--env", "A=1", "--env", "A=2", NULL),
                "{\"containerOverrides\":[{\"name\":\"app\",\"environment\":[{\"name\":\"A\","
                "\"value\":\"2\"}]}]}");
    /* --overrides without containerOverrides. */
    expect_sent(5,
                run(TD, "--overrides", "{\"TaskRoleArn\":\"arn:r\"}", "--container", "app", "--env",
                    "A=1", NULL),
                "{\"taskRoleArn\":\"arn:r\",\"containerOverrides\":[{\"name\":\"app\","
                "\"environment\":[{\"name\":\"A\",\"value\":\"1\"}]}]}");
}

static void test_overrides_keys_checked(void **state)
{
    (void)state;
    expect_usage(
        run(TD, "--overrides", "{\"containerOverrides\":[{\"name\":\"app\",\"comand\":[]}]}", NULL),
        "--overrides: containerOverrides[0].comand: unknown key (did you mean command?)\n");
    /* An environment that is not a list is refused, not overwritten by --env. */
    expect_usage(run(TD, "--overrides",
                     "{\"containerOverrides\":[{\"name\":\"app\",\"environment\":\"A=1\"}]}",
                     "--container", "app", "--env", "B=2", NULL),
                 "--overrides: containerOverrides[0].environment: 'A=1' is not a list\n");
    expect_usage(run(TD, "--launch-type", "FARGATE", "--assign-public-ip", NULL),
                 "--subnets: required with --security-groups or --assign-public-ip (the awsvpc "
                 "network configuration)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_required_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_or_incomplete_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unexpected_argument, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_line_reaches_aws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_joins_the_overrides_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrides_keys_checked, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
