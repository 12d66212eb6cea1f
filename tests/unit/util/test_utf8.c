/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8: cuts on character boundaries, what counts as valid, and the lossy
 * repair that replaces every invalid sequence by U+FFFD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* Sequences that are not UTF-8, each with its length. */
static const struct {
    const char *s;
    size_t len;
    const char *what;
} invalid[] = {
    {"\x80", 1, "stray continuation byte"},
    {"\xBF", 1, "stray continuation byte"},
    {"\xC0\x80", 2, "overlong NUL"},
    {"\xC1\xBF", 2, "overlong 2-byte"},
    {"\xE0\x80\x80", 3, "overlong 3-byte"},
    {"\xE0\x9F\xBF", 3, "overlong U+07FF"},
    {"\xF0\x80\x80\x80", 4, "overlong 4-byte"},
    {"\xF0\x8F\xBF\xBF", 4, "overlong U+FFFF"},
    {"\xED\xA0\x80", 3, "surrogate U+D800"},
    {"\xED\xBF\xBF", 3, "surrogate U+DFFF"},
    {"\xF4\x90\x80\x80", 4, "U+110000"},
    {"\xF5\x80\x80\x80", 4, "lead byte F5"},
    {"\xF8\x88\x80\x80\x80", 5, "5-byte form"},
    {"\xFE", 1, "byte FE"},
    {"\xFF", 1, "byte FF"},
    {"\xC3", 1, "truncated 2-byte"},
    {"\xE2\x82", 2, "truncated 3-byte"},
    {"\xF0\x9F\x98", 3, "truncated 4-byte"},
    {"\xE2\x28\xA1", 3, "bad continuation"},
    {"\xC3\x28", 2, "bad continuation"},
    {"\0", 1, "NUL"},
};

/* Valid characters of each length, including the edges of each range. */
static const char *const valid_chars[] = {
    "\x01",
    "\x7F",
    "\xC2\x80",
    "\xC3\xA9",
    "\xDF\xBF",
    "\xE0\xA0\x80",
    "\xE2\x82\xAC",
    "\xED\x9F\xBF",
    "\xEE\x80\x80",
    "\xEF\xBF\xBD",
    "\xEF\xBF\xBF",
    "\xF0\x90\x80\x80",
    "\xF0\x9F\x98\x80",
    "\xF4\x8F\xBF\xBF",
};

static void test_char_len_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_chars / sizeof *valid_chars; i++) {
        const char *c = valid_chars[i];
        size_t n = strlen(c);
        assert_int_equal(utf8_char_len((const unsigned char *)c, n), n);
        /* Only the first character counts. */
        char two[16];
        memcpy(two, c, n);
        memcpy(two + n, "zz", 2);
        assert_int_equal(utf8_char_len((const unsigned char *)two, n + 2), n);
    }
    assert_int_equal(utf8_char_len((const unsigned char *)"a", 1), 1);
}

static void test_char_len_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        if (utf8_char_len((const unsigned char *)invalid[i].s, invalid[i].len) != 0)
            fail_msg("%s taken as a character", invalid[i].what);
    }
    assert_int_equal(utf8_char_len((const unsigned char *)"a", 0), 0);
    /* A valid sequence is not read past len. */
    assert_int_equal(utf8_char_len((const unsigned char *)"\xE2\x82\xAC", 2), 0);
    assert_int_equal(utf8_char_len((const unsigned char *)"\xF0\x9F\x98\x80", 3), 0);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    const char *ascii = "plain ascii, tabs\tand\nnewlines";
    assert_true(utf8_valid(ascii, strlen(ascii)));
    const char *mixed = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
    assert_true(utf8_valid(mixed, strlen(mixed)));
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char s[32];
        size_t n = invalid[i].len;
        memcpy(s, "ok", 2);
        memcpy(s + 2, invalid[i].s, n);
        memcpy(s + 2 + n, "ok", 2);
        if (utf8_valid(s, n + 4))
            fail_msg("%s taken as valid", invalid[i].what);
    }
    /* Valid up to len: what follows is not looked at. */
    assert_true(utf8_valid("ok\xFF", 2));
    /* A character cut by len is not valid. */
    assert_false(utf8_valid(mixed, 2));
}

static void test_cut_short_text_untouched(void **state)
{
    (void)state;
    assert_int_equal(utf8_cut("", 0, 0), 0);
    assert_int_equal(utf8_cut("abc", 3, 3), 3);
    assert_int_equal(utf8_cut("abc", 3, 100), 3);
    assert_int_equal(utf8_cut("abcdef", 6, 4), 4);
    assert_int_equal(utf8_cut("abcdef", 6, 0), 0);
}

/* For a character of every length after "ab", every max cuts before it or
 * after it, never inside. */
static void test_cut_never_inside_a_character(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_chars / sizeof *valid_chars; i++) {
        const char *c = valid_chars[i];
        size_t n = strlen(c);
        char s[16];
        memcpy(s, "ab", 2);
        memcpy(s + 2, c, n);
        memcpy(s + 2 + n, "yz", 2);
        size_t len = n + 4;
        for (size_t max = 0; max <= len; max++) {
            size_t got = utf8_cut(s, len, max);
            size_t want = max < 2 ? max : max < 2 + n ? 2 : max;
            if (got != want)
                fail_msg("char %zu, max %zu: cut at %zu, want %zu", i, max, got, want);
            assert_true(utf8_valid(s, got));
        }
    }
}

static void test_cut_runs_of_characters(void **state)
{
    (void)state;
    /* 100 euro signs: every cut is a multiple of 3. */
    char s[300];
    for (size_t i = 0; i < 100; i++)
        memcpy(s + 3 * i, "\xE2\x82\xAC", 3);
    for (size_t max = 0; max < 300; max++) {
        size_t got = utf8_cut(s, sizeof s, max);
        assert_int_equal(got, max - max % 3);
    }
    /* Four-byte emoji. */
    char e[40];
    for (size_t i = 0; i < 10; i++)
        memcpy(e + 4 * i, "\xF0\x9F\x98\x80", 4);
    for (size_t max = 0; max < 40; max++)
        assert_int_equal(utf8_cut(e, sizeof e, max), max - max % 4);
}

static void test_cut_in_bytes_that_are_not_utf8(void **state)
{
    (void)state;
    /* A run of continuation bytes longer than any character: the cut stays
     * where it was asked rather than walking back without end. */
    const char *s = "ab\x80\x80\x80\x80\x80\x80";
    assert_int_equal(utf8_cut(s, 8, 7), 7);
    assert_true(utf8_cut(s, 8, 3) <= 3);
    assert_int_equal(utf8_cut("\x80\x80\x80", 3, 1), 1);
}

static char *lossy(const char *s, size_t len)
{
    buf b;
    buf_init(&b, 1024);
    assert_int_equal(utf8_append_lossy(&b, s, len), 0);
    return buf_take(&b);
}

static void test_append_lossy_keeps_valid_text(void **state)
{
    (void)state;
    const char *s = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD \t\x01";
    char *out = lossy(s, strlen(s));
    assert_string_equal(out, s);
    free(out);
    out = lossy("", 0);
    assert_string_equal(out, "");
    free(out);
}

static void test_append_lossy_replaces_single_bytes(void **state)
{
    (void)state;
    char *out = lossy("a\xFF"
                      "b",
                      3);
    assert_string_equal(out, "a" FFFD "b");
    free(out);
    out = lossy("\x80", 1);
    assert_string_equal(out, FFFD);
    free(out);
    out = lossy("a\0b", 3);
    assert_string_equal(out, "a" FFFD "b");
    free(out);
    out = lossy("\xC3", 1); /* truncated at the end */
    assert_string_equal(out, FFFD);
    free(out);
    out = lossy("\xC3(", 2); /* bad continuation: the next byte is kept */
    assert_string_equal(out, FFFD "(");
    free(out);
}

static void test_append_lossy_every_invalid_sequence(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char s[32];
        size_t n = invalid[i].len;
        memcpy(s, "<\xC3\xA9", 3);
        memcpy(s + 3, invalid[i].s, n);
        memcpy(s + 3 + n, "\xC3\xA9>", 3);
        char *out = lossy(s, n + 6);
        size_t len = strlen(out);
        if (!utf8_valid(out, len))
            fail_msg("%s: result not valid", invalid[i].what);
        assert_non_null(strstr(out, FFFD));
        /* The valid text either side survives. */
        assert_memory_equal(out, "<\xC3\xA9", 3);
        assert_string_equal(out + len - 3, "\xC3\xA9>");
        /* Nothing but replacement characters (and ASCII the sequence
         * carried, e.g. '(') in between. */
        for (size_t j = 3; j < len - 3;) {
            if (!memcmp(out + j, FFFD, 3))
                j += 3;
            else if ((unsigned char)out[j] < 0x80)
                j++;
            else
                fail_msg("%s: byte 0x%02x kept", invalid[i].what, (unsigned char)out[j]);
        }
        free(out);
    }
}

static void test_append_lossy_bounded(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 5);
    assert_int_equal(utf8_append_lossy(&b, "ab\xFF", 3), 0); /* 2 + 3 bytes */
    assert_string_equal(buf_cstr(&b), "ab" FFFD);
    assert_int_equal(utf8_append_lossy(&b, "c", 1), -1);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

static void test_dup_lossy(void **state)
{
    (void)state;
    char *s = utf8_dup_lossy("ok \xC3\xA9");
    assert_string_equal(s, "ok \xC3\xA9");
    free(s);
    /* Every byte invalid: the result is three times as long. */
    s = utf8_dup_lossy("\xFF\xFE\x80");
    assert_string_equal(s, FFFD FFFD FFFD);
    free(s);
    s = utf8_dup_lossy("x\xED\xA0\x80y");
    assert_true(utf8_valid(s, strlen(s)));
    assert_int_equal(s[0], 'x');
    assert_int_equal(s[strlen(s) - 1], 'y');
    assert_null(strstr(s, "\xED\xA0\x80"));
    free(s);
    s = utf8_dup_lossy("");
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_char_len_valid),
        cmocka_unit_test(test_char_len_invalid),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_cut_short_text_untouched),
        cmocka_unit_test(test_cut_never_inside_a_character),
        cmocka_unit_test(test_cut_runs_of_characters),
        cmocka_unit_test(test_cut_in_bytes_that_are_not_utf8),
        cmocka_unit_test(test_append_lossy_keeps_valid_text),
        cmocka_unit_test(test_append_lossy_replaces_single_bytes),
        cmocka_unit_test(test_append_lossy_every_invalid_sequence),
        cmocka_unit_test(test_append_lossy_bounded),
        cmocka_unit_test(test_dup_lossy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
