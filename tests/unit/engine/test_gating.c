/* SPDX-License-Identifier: Apache-2.0 */
/* Update gating: the pure rules (rollback states, UpdateCriteria), and
 * gating_update against a canned AWS answering DescribeStacks and
 * DescribeTaskDefinition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/gating.h"

static void test_rollback_states(void **state)
{
    (void)state;
    assert_true(gating_is_rollback("UPDATE_ROLLBACK_IN_PROGRESS"));
    assert_true(gating_is_rollback("ROLLBACK_IN_PROGRESS"));
    assert_false(gating_is_rollback("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"));
    assert_false(gating_is_rollback("UPDATE_IN_PROGRESS"));
    assert_false(gating_is_rollback(""));
}

static ecs_kv env_old[] = {{.name = "DB_VERSION", .value = "1"}, {.name = "OTHER", .value = "x"}};
static ecs_kv env_same[] = {{.name = "OTHER", .value = "y"}, {.name = "DB_VERSION", .value = "1"}};
static ecs_kv env_new[] = {{.name = "DB_VERSION", .value = "2"}};

static ecs_task_definition td(ecs_container_definition *c, size_t n)
{
    return (ecs_task_definition){
        .arn = "arn:td", .family = "f", .containers = c, .n_containers = n};
}

static void test_update_criteria(void **state)
{
    (void)state;
    ecs_container_definition before[] = {
        {.name = "app", .essential = 1, .environment = env_old, .n_environment = 2}};
    ecs_container_definition same[] = {
        {.name = "app", .essential = 1, .environment = env_same, .n_environment = 2}};
    ecs_container_definition changed[] = {
        {.name = "app", .essential = 1, .environment = env_new, .n_environment = 1}};
    ecs_container_definition other[] = {{.name = "web", .essential = 1}};
    const char *keys[] = {"DB_VERSION"};
    props_update_criterion crit[] = {{.container = "app", .environment_keys = keys, .n_keys = 1}};
    ecs_task_definition a = td(before, 1), b = td(same, 1), c = td(changed, 1), d = td(other, 1);
    char why[256];
    assert_int_equal(gating_environment_changed(crit, 1, &a, &b, why, sizeof why), 0);
    assert_int_equal(gating_environment_changed(crit, 1, &a, &c, why, sizeof why), 1);
    assert_string_equal(why, "UpdateCriteria: DB_VERSION of container app changed");
    /* The container disappearing is a change of its values. */
    assert_int_equal(gating_environment_changed(crit, 1, &a, &d, why, sizeof why), 1);
    /* A key in neither definition is no change. */
    const char *absent[] = {"NOPE"};
    props_update_criterion crit2[] = {
        {.container = "app", .environment_keys = absent, .n_keys = 1}};
    assert_int_equal(gating_environment_changed(crit2, 1, &a, &c, why, sizeof why), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rollback_states),
        cmocka_unit_test(test_update_criteria),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
