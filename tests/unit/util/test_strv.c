/* SPDX-License-Identifier: Apache-2.0 */
/* String lists: freeing a counted heap list, membership in a fixed list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/strv.h"

/* The leak checker of the sanitizer build verifies that every string and
 * the list itself are released. */
static void test_free_list(void **state)
{
    (void)state;
    size_t n = 3;
    char **list = malloc(n * sizeof *list);
    list[0] = strdup("arn:aws:ecs:r:1:task/c/a");
    list[1] = strdup("");
    list[2] = strdup("arn:aws:ecs:r:1:task/c/b");
    strv_free(list, n);

    /* An empty list still owns its array. */
    strv_free(malloc(sizeof(char *)), 0);
    strv_free(NULL, 0);
    strv_free(NULL, 5);
}

static void test_contains(void **state)
{
    (void)state;
    static const char *const list[] = {"Cluster", "TaskDefinition", "", "Subnets", NULL};
    assert_true(strv_contains(list, "Cluster"));
    assert_true(strv_contains(list, "Subnets")); /* the last one */
    assert_true(strv_contains(list, ""));
    assert_false(strv_contains(list, "cluster")); /* case matters */
    assert_false(strv_contains(list, "Task"));    /* a prefix is not a member */
    assert_false(strv_contains(list, "TaskDefinitions"));
    assert_false(strv_contains(list, "Missing"));

    static const char *const empty[] = {NULL};
    assert_false(strv_contains(empty, "Cluster"));
    assert_false(strv_contains(empty, ""));
    assert_false(strv_contains(NULL, "Cluster"));

    /* Nothing after the terminator is looked at. */
    static const char *const cut[] = {"a", NULL, "b", NULL};
    assert_true(strv_contains(cut, "a"));
    assert_false(strv_contains(cut, "b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_list),
        cmocka_unit_test(test_contains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
