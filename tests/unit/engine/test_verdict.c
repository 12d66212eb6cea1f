/* SPDX-License-Identifier: Apache-2.0 */
/* Verdicts: how did a stopped task end, and what does it mean, in words.
 * Pure: tasks are built here as DescribeTasks would describe them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/verdict.h"

#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/c/aaaa1111"

static ecs_container exited(char *name, int code)
{
    return (ecs_container){
        .name = name, .last_status = "STOPPED", .has_exit_code = 1, .exit_code = code};
}

static ecs_container no_exit(char *name, char *reason)
{
    return (ecs_container){.name = name, .last_status = "STOPPED", .reason = reason};
}

static ecs_task task(char *status, ecs_container *c, size_t n)
{
    return (ecs_task){.arn = ARN1, .last_status = status, .containers = c, .n_containers = n};
}

static const char *app[] = {"app"};
static const verdict_checks check_app = {.names = app, .n = 1};

static void test_running(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 0)};
    ecs_task t = task("RUNNING", c, 1);
    task_verdict v = {0};
    verdict_task(&t, &check_app, &v);
    assert_int_equal(v.outcome, TASK_RUNNING);
    assert_null(v.reason);
    verdict_free(&v);
}

static void test_success_reports_exit_code(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 0), exited("side", 7)};
    ecs_task t = task("STOPPED", c, 2);
    task_verdict v = {0};
    verdict_task(&t, &check_app, &v);
    assert_int_equal(v.outcome, TASK_SUCCEEDED);
    assert_int_equal(v.has_exit_code, 1);
    assert_int_equal(v.exit_code, 0);
    assert_null(v.reason);
    verdict_free(&v);
}

static void test_non_zero_exit(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 3)};
    ecs_task t = task("STOPPED", c, 1);
    t.stop_code = "EssentialContainerExited";
    t.stopped_reason = "Essential container in task exited";
    task_verdict v = {0};
    verdict_task(&t, &check_app, &v);
    assert_int_equal(v.outcome, TASK_FAILED);
    assert_int_equal(v.exit_code, 3);
    assert_string_equal(v.container, "app");
    assert_string_equal(v.reason, "Task aaaa1111: container app exited with code 3; task stopped: "
                                  "EssentialContainerExited (an essential container exited): "
                                  "Essential container in task exited");
    verdict_free(&v);
}

static void test_no_exit_code_names_its_reason(void **state)
{
    (void)state;
    ecs_container c[] = {no_exit("app", "CannotPullContainerError: pull access denied")};
    ecs_task t = task("STOPPED", c, 1);
    t.stop_code = "TaskFailedToStart";
    task_verdict v = {0};
    verdict_task(&t, &check_app, &v);
    /* Not a cause that goes away by itself: a failure, not a restart. */
    assert_int_equal(v.outcome, TASK_FAILED);
    assert_int_equal(v.has_exit_code, 0);
    assert_string_equal(v.reason, "Task aaaa1111: container app has no exit code: "
                                  "CannotPullContainerError: pull access denied; task stopped: "
                                  "TaskFailedToStart (the task failed to start)");
    verdict_free(&v);
}

static void test_not_started_for_capacity_or_network(void **state)
{
    (void)state;
    const char *reasons[] = {"Timeout waiting for network interface provisioning to complete.",
                             "RESOURCE:ENI", "Capacity is unavailable at this time."};
    for (size_t i = 0; i < 3; i++) {
        ecs_container c[] = {no_exit("app", NULL)};
        ecs_task t = task("STOPPED", c, 1);
        t.stop_code = "TaskFailedToStart";
        t.stopped_reason = (char *)reasons[i];
        task_verdict v = {0};
        verdict_task(&t, &check_app, &v);
        assert_int_equal(v.outcome, TASK_NOT_STARTED);
        verdict_free(&v);
    }
}

static void test_interrupted_only_before_exit(void **state)
{
    (void)state;
    ecs_container c[] = {no_exit("app", NULL)};
    ecs_task t = task("STOPPED", c, 1);
    t.stop_code = "SpotInterruption";
    task_verdict v = {0};
    verdict_task(&t, &check_app, &v);
    assert_int_equal(v.outcome, TASK_INTERRUPTED);
    assert_non_null(strstr(v.reason, "interrupted before its containers exited"));
    assert_non_null(strstr(v.reason, "SpotInterruption (Spot capacity was reclaimed)"));
    /* A container that did exit, non-zero, before the interruption: its
     * exit code is the verdict. */
    ecs_container d[] = {exited("app", 1)};
    t = task("STOPPED", d, 1);
    t.stop_code = "TerminationNotice";
    verdict_task(&t, &check_app, &v);
    assert_int_equal(v.outcome, TASK_FAILED);
    assert_int_equal(v.exit_code, 1);
    verdict_free(&v);
}

static void test_oom_words(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 137)};
    c[0].reason = "OutOfMemoryError: Container killed due to memory usage";
    ecs_task t = task("STOPPED", c, 1);
    ecs_kv limits[] = {{"app", "512"}};
    verdict_checks checks = check_app;
    checks.memory_limits = limits;
    checks.n_memory_limits = 1;
    task_verdict v = {0};
    verdict_task(&t, &checks, &v);
    assert_string_equal(v.reason, "Task aaaa1111: container app exited with code 137: killed for "
                                  "exceeding its memory limit of 512 MiB (OutOfMemoryError: "
                                  "Container killed due to memory usage)");
    /* Without a known limit, the words still say what happened. */
    verdict_task(&t, &check_app, &v);
    assert_non_null(strstr(v.reason, "killed for exceeding its memory limit (OutOfMemoryError"));
    /* 137 without OutOfMemoryError is a plain kill: no words added. */
    c[0].reason = NULL;
    verdict_task(&t, &check_app, &v);
    assert_string_equal(v.reason, "Task aaaa1111: container app exited with code 137");
    verdict_free(&v);
}

static void test_every_container_with_star(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 0), exited("side", 2), exited("log", 0)};
    ecs_task t = task("STOPPED", c, 3);
    verdict_checks all = {.all = 1};
    task_verdict v = {0};
    verdict_task(&t, &all, &v);
    assert_int_equal(v.outcome, TASK_FAILED);
    assert_int_equal(v.exit_code, 2);
    assert_string_equal(v.container, "side");
    /* Only the containers that failed are named. */
    assert_string_equal(v.reason, "Task aaaa1111: container side exited with code 2");
    verdict_free(&v);
}

static void test_each_failed_container_named(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 4), no_exit("side", "CannotStartContainerError: x")};
    ecs_task t = task("STOPPED", c, 2);
    const char *both[] = {"app", "side"};
    verdict_checks checks = {.names = both, .n = 2};
    task_verdict v = {0};
    verdict_task(&t, &checks, &v);
    assert_string_equal(v.reason, "Task aaaa1111: container app exited with code 4; container "
                                  "side has no exit code: CannotStartContainerError: x");
    verdict_free(&v);
}

static void test_checked_container_missing(void **state)
{
    (void)state;
    ecs_container c[] = {exited("app", 0)};
    ecs_task t = task("STOPPED", c, 1);
    const char *web[] = {"web"};
    verdict_checks checks = {.names = web, .n = 1};
    task_verdict v = {0};
    verdict_task(&t, &checks, &v);
    assert_int_equal(v.outcome, TASK_FAILED);
    assert_non_null(strstr(v.reason, "container web is not in the task"));
    verdict_free(&v);
}

static void test_transient_reasons(void **state)
{
    (void)state;
    const char *yes[] = {"RESOURCE:MEMORY",
                         "RESOURCE:CPU",
                         "RESOURCE:PORTS",
                         "RESOURCE:ENI",
                         "RESOURCE:GPU",
                         "AGENT",
                         "Capacity is unavailable at this time. Please try again later",
                         "Timeout waiting for network interface provisioning to complete."};
    const char *no[] = {"ATTRIBUTE",
                        "MISSING",
                        "INACTIVE",
                        "CannotPullContainerError: x",
                        "InvalidParameterException",
                        "AccessDenied",
                        "AGENTS",
                        "",
                        NULL};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(verdict_transient(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(verdict_transient(no[i]));
}

static void test_stop_code_words(void **state)
{
    (void)state;
    assert_string_equal(verdict_stop_code_words("SpotInterruption"), "Spot capacity was reclaimed");
    assert_string_equal(verdict_stop_code_words("TaskFailedToStart"), "the task failed to start");
    assert_null(verdict_stop_code_words("SomethingNew"));
    assert_null(verdict_stop_code_words(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_running),
        cmocka_unit_test(test_success_reports_exit_code),
        cmocka_unit_test(test_non_zero_exit),
        cmocka_unit_test(test_no_exit_code_names_its_reason),
        cmocka_unit_test(test_not_started_for_capacity_or_network),
        cmocka_unit_test(test_interrupted_only_before_exit),
        cmocka_unit_test(test_oom_words),
        cmocka_unit_test(test_every_container_with_star),
        cmocka_unit_test(test_each_failed_container_named),
        cmocka_unit_test(test_checked_container_missing),
        cmocka_unit_test(test_transient_reasons),
        cmocka_unit_test(test_stop_code_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
