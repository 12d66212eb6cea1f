/* SPDX-License-Identifier: Apache-2.0 */
/* Verdicts: is the run finished, did it succeed, and if not, why. Pure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/verdict.h"

#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/c/aaaa1111"
#define ARN2 "arn:aws:ecs:us-east-1:123456789012:task/c/bbbb2222"

static ecs_container exited(char *name, int code)
{
    return (ecs_container){
        .name = name, .last_status = "STOPPED", .has_exit_code = 1, .exit_code = code};
}

static ecs_task task(char *arn, char *status, ecs_container *c, size_t n)
{
    return (ecs_task){.arn = arn, .last_status = status, .containers = c, .n_containers = n};
}

static void test_running_until_all_stopped(void **state)
{
    (void)state;
    ecs_container a[] = {exited("app", 0)};
    ecs_container b[] = {{.name = "app", .last_status = "RUNNING"}};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 1), task(ARN2, "RUNNING", b, 1)};
    const char *checked[] = {"app"};
    verdict v = {0};
    verdict_judge(t, 2, checked, 1, &v);
    assert_int_equal(v.status, VERDICT_RUNNING);
    assert_int_equal(v.n_running, 1);
    verdict_free(&v);
}

static void test_success_reports_first_exit_code(void **state)
{
    (void)state;
    ecs_container a[] = {exited("app", 0), exited("sidecar", 0)};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 2)};
    const char *checked[] = {"app", "sidecar"};
    verdict v = {0};
    verdict_judge(t, 1, checked, 2, &v);
    assert_int_equal(v.status, VERDICT_SUCCESS);
    assert_true(v.has_exit_code);
    assert_int_equal(v.exit_code, 0);
    assert_null(v.reason);
    verdict_free(&v);
}

static void test_non_zero_exit(void **state)
{
    (void)state;
    ecs_container a[] = {exited("app", 0)};
    ecs_container b[] = {exited("app", 3)};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 1), task(ARN2, "STOPPED", b, 1)};
    const char *checked[] = {"app"};
    verdict v = {0};
    verdict_judge(t, 2, checked, 1, &v);
    assert_int_equal(v.status, VERDICT_FAILED);
    assert_int_equal(v.exit_code, 3);
    assert_ptr_equal(v.failed_task, &t[1]);
    assert_string_equal(v.failed_container, "app");
    assert_string_equal(v.reason, "Task bbbb2222: container app exited with code 3");
    verdict_free(&v);
}

static void test_unchecked_sidecar_ignored(void **state)
{
    (void)state;
    ecs_container a[] = {exited("app", 0), exited("sidecar", 137)};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 2)};
    const char *checked[] = {"app"};
    verdict v = {0};
    verdict_judge(t, 1, checked, 1, &v);
    assert_int_equal(v.status, VERDICT_SUCCESS);
    verdict_free(&v);
}

static void test_no_exit_code_names_stop_code(void **state)
{
    (void)state;
    ecs_container a[] = {{.name = "app",
                          .last_status = "STOPPED",
                          .reason = "CannotPullContainerError: pull access denied"}};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 1)};
    t[0].stop_code = "TaskFailedToStart";
    t[0].stopped_reason = "Task failed to start";
    const char *checked[] = {"app"};
    verdict v = {0};
    verdict_judge(t, 1, checked, 1, &v);
    assert_int_equal(v.status, VERDICT_FAILED);
    assert_false(v.has_exit_code);
    assert_string_equal(v.reason,
                        "Task aaaa1111: container app has no exit code: CannotPullContainerError: "
                        "pull access denied (task stopped: TaskFailedToStart: Task failed to "
                        "start)");
    verdict_free(&v);
}

static void test_no_exit_code_without_container_reason(void **state)
{
    (void)state;
    ecs_container a[] = {{.name = "app", .last_status = "STOPPED"}};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 1)};
    t[0].stopped_reason = "Essential container in task exited";
    const char *checked[] = {"app"};
    verdict v = {0};
    verdict_judge(t, 1, checked, 1, &v);
    assert_string_equal(v.reason, "Task aaaa1111: container app has no exit code: Essential "
                                  "container in task exited");
    verdict_free(&v);
}

static void test_checked_container_missing(void **state)
{
    (void)state;
    ecs_container a[] = {exited("app", 0)};
    ecs_task t[] = {task(ARN1, "STOPPED", a, 1)};
    const char *checked[] = {"web"};
    verdict v = {0};
    verdict_judge(t, 1, checked, 1, &v);
    assert_int_equal(v.status, VERDICT_FAILED);
    assert_non_null(strstr(v.reason, "container web is not in the task"));
    verdict_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_running_until_all_stopped),
        cmocka_unit_test(test_success_reports_first_exit_code),
        cmocka_unit_test(test_non_zero_exit),
        cmocka_unit_test(test_unchecked_sidecar_ignored),
        cmocka_unit_test(test_no_exit_code_names_stop_code),
        cmocka_unit_test(test_no_exit_code_without_container_reason),
        cmocka_unit_test(test_checked_container_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
