/* SPDX-License-Identifier: Apache-2.0 */
/* --container/--command/--env merged into --overrides (cli/overrides.c):
 * one entry per container, every member kept, written in the entry's case;
 * what is not a list left for validation to refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>

#include "cli/overrides.h"

static void expect_merge(const char *props_text, const char *container, const char *command,
                         const char *environment, const char *want_text)
{
    json_t *props = json_loads(props_text, 0, NULL);
    json_t *cmd = command ? json_loads(command, 0, NULL) : NULL;
    json_t *env = environment ? json_loads(environment, 0, NULL) : NULL;
    json_t *want = json_loads(want_text, 0, NULL);
    assert_non_null(props);
    assert_non_null(want);
    assert_int_equal(overrides_merge(props, container, cmd, env), 0);
    if (!json_equal(props, want)) {
        char *got = json_dumps(props, JSON_COMPACT);
        fail_msg("got %s", got);
    }
    json_decref(props);
    json_decref(cmd);
    json_decref(env);
    json_decref(want);
}

static void test_merge(void **state)
{
    (void)state;
    /* Nothing to merge: nothing added. */
    expect_merge("{}", "app", NULL, "[]", "{}");
    /* A new entry. */
    expect_merge("{}", "app", "[\"a\",\"b\"]", "[{\"name\":\"A\",\"value\":\"1\"}]",
                 "{\"Overrides\":{\"containerOverrides\":[{\"name\":\"app\",\"command\":"
                 "[\"a\",\"b\"],\"environment\":[{\"name\":\"A\",\"value\":\"1\"}]}]}}");
    /* PascalCase entry: its members kept, written in its case. */
    expect_merge("{\"Overrides\":{\"ContainerOverrides\":[{\"Name\":\"app\",\"Cpu\":1,"
                 "\"Command\":[\"old\"],\"Environment\":[{\"Name\":\"A\",\"Value\":\"0\"}]}]}}",
                 "app", "[\"new\"]",
                 "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]",
                 "{\"Overrides\":{\"ContainerOverrides\":[{\"Name\":\"app\",\"Cpu\":1,"
                 "\"Command\":[\"new\"],\"Environment\":[{\"Name\":\"A\",\"Value\":\"1\"},"
                 "{\"name\":\"B\",\"value\":\"2\"}]}]}}");
    /* Another container's entry stays; an environment that is not a list is
     * left for validation. */
    expect_merge("{\"Overrides\":{\"containerOverrides\":[{\"name\":\"side\"},{\"name\":\"app\","
                 "\"environment\":\"A=1\"}]}}",
                 "app", NULL, "[{\"name\":\"B\",\"value\":\"2\"}]",
                 "{\"Overrides\":{\"containerOverrides\":[{\"name\":\"side\"},{\"name\":\"app\","
                 "\"environment\":\"A=1\"}]}}");
    expect_merge("{\"Overrides\":{\"containerOverrides\":7}}", "app", "[\"x\"]", NULL,
                 "{\"Overrides\":{\"containerOverrides\":7}}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
