/* SPDX-License-Identifier: Apache-2.0 */
/* util/token.c: 32 lower-case hex characters, a new value each call, cut to
 * whole characters when the buffer is smaller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/token.h"

static void test_32_hex_characters(void **state)
{
    (void)state;
    char t[33];
    token_random_hex(t, sizeof t);
    assert_int_equal(strlen(t), 32);
    assert_int_equal(strspn(t, "0123456789abcdef"), 32);
}

static void test_new_value_each_call(void **state)
{
    (void)state;
    char a[33], b[33];
    token_random_hex(a, sizeof a);
    token_random_hex(b, sizeof b);
    assert_string_not_equal(a, b);
}

static void test_cut_to_the_buffer(void **state)
{
    (void)state;
    char t[64];
    memset(t, 'x', sizeof t);
    token_random_hex(t, 6); /* two whole bytes, 4 characters, and the NUL */
    assert_int_equal(strlen(t), 4);
    assert_int_equal(t[6], 'x');
    token_random_hex(t, 1);
    assert_string_equal(t, "");
    token_random_hex(t, sizeof t); /* never more than 32 */
    assert_int_equal(strlen(t), 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_32_hex_characters),
        cmocka_unit_test(test_new_value_each_call),
        cmocka_unit_test(test_cut_to_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
