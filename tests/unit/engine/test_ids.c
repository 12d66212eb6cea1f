/* SPDX-License-Identifier: Apache-2.0 */
/* startedBy, resource id, clientToken and the tokens of start rounds
 * (README: Lifecycle rules, Failures to start). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "engine/ids.h"

#define STACK "arn:aws:cloudformation:us-east-1:123456789012:stack/my-app/0f1e2d3c-aaaa-bbbb"
#define URL_A                                                                                      \
    "https://cfn.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256"                              \
    "&X-Amz-Date=20261125T101500Z&X-Amz-Signature=abc"
#define URL_B                                                                                      \
    "https://cfn.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256"                              \
    "&X-Amz-Date=20261125T111500Z&X-Amz-Signature=def"

static void assert_started_by_charset(const char *s)
{
    assert_true(strlen(s) <= IDS_STARTED_BY_LEN);
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            fail_msg("character '%c' not allowed in startedBy", *s);
}

static void test_resource_id_stable_and_readable(void **state)
{
    (void)state;
    char a[IDS_STARTED_BY_MAX + 1], b[IDS_STARTED_BY_MAX + 1], c[IDS_STARTED_BY_MAX + 1];
    ids_resource_id(STACK, "Migrate", a, sizeof a);
    ids_resource_id(STACK, "Migrate", b, sizeof b);
    ids_resource_id(STACK, "Seed", c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_true(strncmp(a, "my-app-Migrate-", 15) == 0);
    assert_started_by_charset(a);
}

static void test_resource_id_of_long_odd_names(void **state)
{
    (void)state;
    char long_stack[600], id[IDS_STARTED_BY_MAX + 1];
    memset(long_stack, 'x', sizeof long_stack - 1);
    long_stack[sizeof long_stack - 1] = '\0';
    ids_resource_id(long_stack,
                    "Logical.With:Odd/Chars and spaces and a very long name indeed "
                    "that goes on",
                    id, sizeof id);
    assert_started_by_charset(id);
    assert_true(strncmp(id, "xxxxxxxxxx-Logical-", 19) == 0);
    /* The longest startedBy it makes fits StartTask's 36 characters. */
    char sb[IDS_STARTED_BY_MAX + 1];
    ids_started_by(id, "0123456789abcdef0123456789abcdef", sb, sizeof sb);
    assert_int_equal(strlen(sb), IDS_STARTED_BY_LEN);
    assert_started_by_charset(sb);
}

static void test_round_tokens(void **state)
{
    (void)state;
    const char *token = "0123456789abcdef0123456789abcdef";
    char r1[IDS_TOKEN_LEN + 1], r2[IDS_TOKEN_LEN + 1], r2b[IDS_TOKEN_LEN + 1],
        r3[IDS_TOKEN_LEN + 1];
    ids_round_token(token, 1, r1, sizeof r1);
    ids_round_token(token, 2, r2, sizeof r2);
    ids_round_token(token, 2, r2b, sizeof r2b);
    ids_round_token(token, 3, r3, sizeof r3);
    assert_string_equal(r1, token); /* the first RunTask uses the delivery's token */
    assert_string_equal(r2, r2b);   /* a duplicate delivery replays the same round */
    assert_string_not_equal(r2, token);
    assert_string_not_equal(r2, r3);
    assert_int_equal(strlen(r2), IDS_TOKEN_LEN);
}

static void test_client_token_per_delivery(void **state)
{
    (void)state;
    char t1[IDS_TOKEN_LEN + 1], t2[IDS_TOKEN_LEN + 1], t3[IDS_TOKEN_LEN + 1], t4[IDS_TOKEN_LEN + 1];
    ids_client_token("req-1", URL_A, t1, sizeof t1);
    ids_client_token("req-1", URL_A, t2, sizeof t2);
    ids_client_token("req-1", URL_B, t3, sizeof t3); /* whole operation retried */
    ids_client_token("req-2", URL_A, t4, sizeof t4);
    assert_int_equal(strlen(t1), IDS_TOKEN_LEN);
    assert_string_equal(t1, t2);
    assert_string_not_equal(t1, t3);
    assert_string_not_equal(t1, t4);
}

static void test_signing_time(void **state)
{
    (void)state;
    char when[64];
    ids_url_signing_time(URL_A, when, sizeof when);
    assert_string_equal(when, "20261125T101500Z");
    ids_url_signing_time("https://h/p?AWSAccessKeyId=A&Expires=1764000000&Signature=x", when,
                         sizeof when);
    assert_string_equal(when, "1764000000");
    ids_url_signing_time("https://h/p", when, sizeof when);
    assert_string_equal(when, "");
}

static void test_started_by(void **state)
{
    (void)state;
    char rid[IDS_STARTED_BY_MAX + 1], tok[IDS_TOKEN_LEN + 1], sb[IDS_STARTED_BY_MAX + 1];
    ids_resource_id(STACK, "Migrate", rid, sizeof rid);
    ids_client_token("req-1", URL_A, tok, sizeof tok);
    ids_started_by(rid, tok, sb, sizeof sb);
    assert_true(strncmp(sb, rid, strlen(rid)) == 0);
    assert_int_equal(strlen(sb), strlen(rid) + 9);
    assert_started_by_charset(sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_id_stable_and_readable),
        cmocka_unit_test(test_resource_id_of_long_odd_names),
        cmocka_unit_test(test_client_token_per_delivery),
        cmocka_unit_test(test_signing_time),
        cmocka_unit_test(test_started_by),
        cmocka_unit_test(test_round_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
