/* SPDX-License-Identifier: Apache-2.0 */
/* The command line of `ecs-tasks run` (cli/options.c): each option into the
 * property it stands for, the values with a syntax of their own, --attach
 * and what goes with it, and usage errors (exit code 2, message on stderr). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "cli/run.h"
#include "support/capture.h"

#define MAX_ARGS 40
#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/prod/aaaa"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/prod/bbbb"

static char said[4096];
static run_options o;

/* Parses `run ARGS...` (NULL-terminated) into o; stderr into said. */
static int parse(const char *first, ...)
{
    static char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "run";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        assert_true(argc < MAX_ARGS);
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    argv[argc] = NULL;
    options_free(&o);
    capture err;
    assert_int_equal(capture_begin(&err, stderr), 0);
    int code = options_parse(argc, argv, &o);
    snprintf(said, sizeof said, "%s", capture_end(&err));
    capture_free(&err);
    return code;
}

static void expect_props(const char *want_text)
{
    json_error_t e;
    json_t *want = json_loads(want_text, 0, &e);
    if (!want)
        fail_msg("bad JSON: %s", e.text);
    if (!json_equal(o.props, want)) {
        char *got = json_dumps(o.props, JSON_SORT_KEYS);
        fail_msg("props %s", got);
    }
    json_decref(want);
}

static void expect_usage_at(int code, const char *message, int line)
{
    if (code != CLI_EXIT_USAGE || !strstr(said, message))
        fail_msg("line %d: exit %d, stderr '%s', expected '%s'", line, code, said, message);
}
#define expect_usage(code, message) expect_usage_at((code), (message), __LINE__)

#define TD "--cluster", "c", "--task-definition", "t"

static void test_run_task_members(void **state)
{
    (void)state;
    assert_int_equal(parse(TD, "--count", "3", "--capacity-provider", "FARGATE",
                           "--capacity-provider", "SPOT:2:1", "--platform-version", "1.4.0",
                           "--tag", "a=b=c", "--tag", "e=", "--propagate-tags", "SERVICE",
                           "--enable-execute-command", "--enable-ecs-managed-tags", "--group", "g",
                           "--placement-constraint", "memberOf:attribute:x == y",
                           "--placement-strategy", "binpack:memory", "--placement-strategy",
                           "random", "--started-by", "My_run-1", NULL),
                     -1);
    expect_props("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Count\":\"3\","
                 "\"CapacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE\"},"
                 "{\"capacityProvider\":\"SPOT\",\"weight\":2,\"base\":1}],"
                 "\"PlatformVersion\":\"1.4.0\",\"Tags\":[{\"key\":\"a\",\"value\":\"b=c\"},"
                 "{\"key\":\"e\",\"value\":\"\"}],\"PropagateTags\":\"SERVICE\","
                 "\"EnableExecuteCommand\":true,\"EnableECSManagedTags\":true,\"Group\":\"g\","
                 "\"PlacementConstraints\":[{\"type\":\"memberOf\",\"expression\":"
                 "\"attribute:x == y\"}],\"PlacementStrategy\":[{\"type\":\"binpack\","
                 "\"field\":\"memory\"},{\"type\":\"random\"}]}");
    assert_string_equal(o.started_by, "My_run-1");
    assert_int_equal(o.n_attach, 0);
}

static void test_flags_and_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse(TD, "--json", "--dry-run", "--no-wait", "--logs", "--subnets", "s1,s2",
                           "--assign-public-ip", "--container-instance", "ci-1",
                           "--check-container", "app", "--no-stop-on-timeout",
                           "--rerun-on-interruption", NULL),
                     -1);
    assert_true(o.json && o.dry_run && o.no_wait && o.logs);
    expect_props("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Count\":\"1\","
                 "\"NetworkConfiguration\":{\"AwsvpcConfiguration\":{\"Subnets\":[\"s1\",\"s2\"],"
                 "\"AssignPublicIp\":\"ENABLED\"}},\"Instances\":[\"ci-1\"],"
                 "\"CheckContainers\":[\"app\"],\"StopOnTimeout\":false,"
                 "\"RerunOnInterruption\":true}");
    assert_int_equal(parse("--help", NULL), 0);
}

static void test_values_refused(void **state)
{
    (void)state;
    expect_usage(parse(TD, "--capacity-provider", "", NULL), "--capacity-provider: '' is not");
    expect_usage(parse(TD, "--capacity-provider", "F:x", NULL), "--capacity-provider: 'F:x'");
    expect_usage(parse(TD, "--capacity-provider", "F:1:100001", NULL), "'F:1:100001'");
    expect_usage(parse(TD, "--capacity-provider", "F:1:2:3", NULL), "'F:1:2:3'");
    expect_usage(parse(TD, "--capacity-provider", "F:-1", NULL), "'F:-1'");
    expect_usage(parse(TD, "--capacity-provider", "F", "--launch-type", "EC2", NULL),
                 "--capacity-provider and --launch-type exclude each other");
    expect_usage(parse(TD, "--tag", "=v", NULL), "--tag: '=v' is not K=V");
    expect_usage(parse(TD, "--placement-constraint", "distinctInstance:x", NULL),
                 "--placement-constraint: 'distinctInstance:x' is not allowed");
    expect_usage(parse(TD, "--placement-constraint", "memberOf:", NULL), "'memberOf:'");
    expect_usage(parse(TD, "--placement-strategy", "spread", NULL), "'spread' is not allowed");
    expect_usage(parse(TD, "--started-by", "", NULL), "--started-by: '' is not allowed");
    expect_usage(parse(TD, "--started-by", "0123456789012345678901234567890123456", NULL),
                 "(1 to 36 characters of A-Z, a-z, 0-9, _ and -)");
    expect_usage(parse(TD, "--started-by", "a.b", NULL), "--started-by: 'a.b'");
    assert_int_equal(parse(TD, "--started-by", "012345678901234567890123456789012345", NULL), -1);
}

static void test_attach(void **state)
{
    (void)state;
    /* The cluster from the ARNs; further ARNs as arguments. */
    assert_int_equal(parse("--attach", ARN1, ARN2, "--logs", "--timeout", "60", NULL), -1);
    assert_int_equal(o.n_attach, 2);
    assert_string_equal(o.attach[0], ARN1);
    assert_string_equal(o.attach[1], ARN2);
    expect_props("{\"Cluster\":\"prod\",\"TaskDefinition\":\"" OPTIONS_ATTACHED_TD "\","
                 "\"Timeout\":\"60\",\"StartRetries\":0,\"StopOnTimeout\":false}");
    assert_int_equal(parse("--attach", ARN1, "--attach", ARN2, "--cluster", "other", NULL), -1);
    assert_string_equal(json_string_value(json_object_get(o.props, "Cluster")), "other");
    /* What does not apply, or cannot be followed. */
    expect_usage(parse("--attach", ARN1, "--task-definition", "t", NULL),
                 "--attach: --task-definition does not apply (--attach starts nothing)");
    expect_usage(parse("--attach", ARN1, "--no-wait", NULL), "--attach: --no-wait does not apply");
    expect_usage(parse("--attach", ARN1, "--started-by", "x", NULL), "--started-by does not apply");
    expect_usage(parse("--attach", "i-123", NULL), "--attach: 'i-123' is not a task ARN");
    expect_usage(parse("--attach", ARN1, "arn:aws:ecs:us-east-1:123456789012:task/dev/c", NULL),
                 "--attach: the tasks are in different clusters");
    expect_usage(parse("--attach", "arn:aws:ecs:us-east-1:1:task/0123", NULL),
                 "--cluster: required with --attach");
    expect_usage(
        parse("--attach", ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, ARN1, NULL),
        "--attach: at most 10 tasks");
    expect_usage(parse(TD, "stray", NULL), "unexpected argument stray");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_task_members),
        cmocka_unit_test(test_flags_and_defaults),
        cmocka_unit_test(test_values_refused),
        cmocka_unit_test(test_attach),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    options_free(&o);
    return rc;
}
