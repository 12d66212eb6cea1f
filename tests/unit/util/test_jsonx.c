/* SPDX-License-Identifier: Apache-2.0 */
/* jsonx_strdup_member: a copy of a string member, NULL for anything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonx.h"

static void test_string_member_copied(void **state)
{
    (void)state;
    json_t *obj = json_loads("{\"taskArn\":\"arn:aws:ecs:r:1:task/c/i\",\"empty\":\"\","
                             "\"utf8\":\"caf\\u00e9\"}",
                             0, NULL);
    assert_non_null(obj);
    char *s = jsonx_strdup_member(obj, "taskArn");
    assert_non_null(s);
    assert_string_equal(s, "arn:aws:ecs:r:1:task/c/i");
    /* A copy: it outlives the document. */
    assert_ptr_not_equal(s, json_string_value(json_object_get(obj, "taskArn")));
    char *e = jsonx_strdup_member(obj, "empty");
    assert_non_null(e);
    assert_string_equal(e, "");
    char *u = jsonx_strdup_member(obj, "utf8");
    assert_string_equal(u, "caf\xC3\xA9");
    json_decref(obj);
    assert_string_equal(s, "arn:aws:ecs:r:1:task/c/i");
    free(s);
    free(e);
    free(u);
}

static void test_not_a_string_member(void **state)
{
    (void)state;
    json_t *obj = json_loads("{\"n\":5,\"null\":null,\"t\":true,\"o\":{\"k\":\"v\"},"
                             "\"a\":[\"v\"],\"f\":1.5}",
                             0, NULL);
    assert_non_null(obj);
    static const char *const keys[] = {"n", "null", "t", "o", "a", "f", "absent", "k", ""};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (jsonx_strdup_member(obj, keys[i]) != NULL)
            fail_msg("member \"%s\" copied", keys[i]);
    json_decref(obj);
}

static void test_not_an_object(void **state)
{
    (void)state;
    assert_null(jsonx_strdup_member(NULL, "k"));
    json_t *arr = json_pack("[s]", "k");
    assert_null(jsonx_strdup_member(arr, "k"));
    json_decref(arr);
    json_t *str = json_string("k");
    assert_null(jsonx_strdup_member(str, "k"));
    json_decref(str);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_member_copied),
        cmocka_unit_test(test_not_a_string_member),
        cmocka_unit_test(test_not_an_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
