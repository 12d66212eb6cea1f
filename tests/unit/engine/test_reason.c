/* SPDX-License-Identifier: Apache-2.0 */
/* A Reason fitted into its room: the head whole, the newest log lines
 * first, an over-long line shortened in its middle, everything masked whole
 * before any cut, every cut on a character boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/reason.h"
#include "util/utf8.h"

static char **lines_of(size_t n, size_t len, char fill)
{
    char **lines = calloc(n, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        lines[i] = malloc(len + 1);
        memset(lines[i], fill, len);
        snprintf(lines[i], len + 1, "line %02zu ", i + 1);
        lines[i][strlen(lines[i])] = fill;
        lines[i][len] = '\0';
    }
    return lines;
}

static void test_no_limit_keeps_everything(void **state)
{
    (void)state;
    reason r = {0};
    reason_set(&r, "Task t: container app exited with code %d", 3);
    reason_set_tail(&r, "/ecs/app ecs/app/t", lines_of(3, 10, 'x'), 3);
    char *text = reason_compose(&r, NULL, 0);
    assert_string_equal(text, "Task t: container app exited with code 3. Last log lines "
                              "(/ecs/app ecs/app/t):\nline 01 xx\nline 02 xx\nline 03 xx");
    free(text);
    reason_free(&r);
}

static void test_oldest_lines_dropped_first(void **state)
{
    (void)state;
    reason r = {0};
    reason_set(&r, "head");
    reason_set_tail(&r, "g s", lines_of(30, 450, 'p'), 30);
    char *text = reason_compose(&r, NULL, 2000);
    assert_true(strlen(text) <= 2000);
    assert_non_null(strstr(text, "head. Last 4 of 30 log lines (g s):\nline 27 "));
    assert_non_null(strstr(text, "\nline 30 "));
    assert_null(strstr(text, "line 26 "));
    free(text);
    reason_free(&r);
}

static void test_newest_line_shortened_in_its_middle(void **state)
{
    (void)state;
    reason r = {0};
    reason_set(&r, "head");
    char **lines = calloc(1, sizeof *lines);
    lines[0] = malloc(5001);
    memset(lines[0], 'm', 5000);
    memcpy(lines[0], "START", 5);
    memcpy(lines[0] + 4997, "END", 3);
    lines[0][5000] = '\0';
    reason_set_tail(&r, "g s", lines, 1);
    char *text = reason_compose(&r, NULL, 600);
    assert_true(strlen(text) <= 600);
    assert_non_null(strstr(text, "\nSTART"));
    assert_non_null(strstr(text, REASON_LINE_CUT));
    assert_string_equal(text + strlen(text) - 3, "END");
    free(text);
    reason_free(&r);
}

static void test_head_too_long_is_cut_with_marker(void **state)
{
    (void)state;
    reason r = {0};
    char head[1000];
    memset(head, 'h', sizeof head - 1);
    head[sizeof head - 1] = '\0';
    reason_set(&r, "%s", head);
    reason_set_tail(&r, "g s", lines_of(2, 10, 'x'), 2);
    char *text = reason_compose(&r, NULL, 100);
    assert_int_equal(strlen(text), 100);
    assert_string_equal(text + 100 - strlen(REASON_CUT_MARKER), REASON_CUT_MARKER);
    free(text);
    reason_free(&r);
}

static void test_masked_whole_before_cut(void **state)
{
    (void)state;
    redactor *red = redact_new();
    redact_add(red, "s3cret-password");
    reason r = {0};
    char head[200];
    memset(head, 'h', sizeof head);
    memcpy(head + 90, "s3cret-password", 15);
    head[199] = '\0';
    reason_set(&r, "%s", head);
    char **lines = calloc(1, sizeof *lines);
    lines[0] = strdup("login as admin with s3cret-password failed");
    reason_set_tail(&r, "g s", lines, 1);
    /* A budget that cuts the head inside the secret, and one that keeps all. */
    char *cut = reason_compose(&r, red, 100);
    assert_null(strstr(cut, "s3cr"));
    char *whole = reason_compose(&r, red, 0);
    assert_null(strstr(whole, "s3cret"));
    assert_non_null(strstr(whole, "with **** failed"));
    free(cut);
    free(whole);
    reason_free(&r);
    redact_free(red);
}

static void test_cuts_on_character_boundaries(void **state)
{
    (void)state;
    reason r = {0};
    reason_set(&r, "%s",
               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
               "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
               "\xa9\xc3\xa9\xc3\xa9");
    for (size_t budget = sizeof REASON_CUT_MARKER; budget < 50; budget++) {
        char *text = reason_compose(&r, NULL, budget);
        assert_true(strlen(text) <= budget);
        assert_true(utf8_valid(text, strlen(text)));
        free(text);
    }
    reason_free(&r);
}

static void test_copy(void **state)
{
    (void)state;
    reason a = {0}, b = {0};
    reason_set(&a, "head");
    reason_append(&a, " and %s", "more");
    reason_set_tail(&a, "g s", lines_of(2, 12, 'z'), 2);
    assert_int_equal(reason_copy(&b, &a), 0);
    reason_free(&a);
    char *text = reason_compose(&b, NULL, 0);
    assert_string_equal(text, "head and more. Last log lines (g s):\nline 01 zzzz\nline 02 zzzz");
    free(text);
    reason_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_limit_keeps_everything),
        cmocka_unit_test(test_oldest_lines_dropped_first),
        cmocka_unit_test(test_newest_line_shortened_in_its_middle),
        cmocka_unit_test(test_head_too_long_is_cut_with_marker),
        cmocka_unit_test(test_masked_whole_before_cut),
        cmocka_unit_test(test_cuts_on_character_boundaries),
        cmocka_unit_test(test_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
