/* SPDX-License-Identifier: Apache-2.0 */
/* The redactor: every derived form of a secret is masked (JSON-escaped,
 * \u-escaped, URL-encoded, strings inside a JSON secret), the longest match
 * wins, short forms are ignored, URL query strings always go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/redact.h"
#include "util/utf8.h"

static redactor *with(const char *secret)
{
    redactor *r = redact_new();
    assert_non_null(r);
    assert_int_equal(redact_add(r, secret), 0);
    return r;
}

/* Asserts that r masks `text` into `want`. */
static void assert_masks(const redactor *r, const char *text, const char *want)
{
    char *got = redact_dup(r, text);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("masked \"%s\"\n  into \"%s\"\n  want \"%s\"", text, got, want);
    free(got);
}

/* How many times needle occurs in s. */
static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + strlen(needle), needle))
        n++;
    return n;
}

static void test_raw_value(void **state)
{
    (void)state;
    redactor *r = with("hunter2-secret");
    assert_masks(r, "password=hunter2-secret;", "password=****;");
    assert_masks(r, "hunter2-secret", "****");
    assert_masks(r, "a hunter2-secret b hunter2-secret", "a **** b ****");
    assert_masks(r, "hunter2-secre", "hunter2-secre"); /* a prefix is not the secret */
    assert_masks(r, "nothing here", "nothing here");
    assert_masks(r, "", "");
    redact_free(r);
}

/* A plain secret has one form: each derived form equals the raw one. */
static void test_identical_forms_counted_once(void **state)
{
    (void)state;
    redactor *r = with("Abc-123_x.y~z");
    assert_int_equal(redact_forms(r), 1);
    assert_int_equal(redact_add(r, "Abc-123_x.y~z"), 0);
    assert_int_equal(redact_forms(r), 1);
    redact_free(r);
    /* Raw, %-encoded, and '+' for space: three forms. */
    r = with("a b!");
    assert_int_equal(redact_forms(r), 3);
    redact_free(r);
}

static void test_json_escaped(void **state)
{
    (void)state;
    const char *secret = "pa\"ss\\wo\nrd\t/x";
    redactor *r = with(secret);
    /* As jansson writes it. */
    json_t *doc = json_pack("{s:s}", "password", secret);
    char *text = json_dumps(doc, JSON_COMPACT);
    assert_non_null(strstr(text, "pa\\\"ss\\\\wo\\nrd\\t/x"));
    assert_masks(r, text, "{\"password\":\"****\"}");
    free(text);
    json_decref(doc);
    /* Written by hand, in a message. */
    assert_masks(r, "got \"pa\\\"ss\\\\wo\\nrd\\t/x\" back", "got \"****\" back");
    /* And raw. */
    assert_masks(r, "raw: pa\"ss\\wo\nrd\t/x.", "raw: ****.");
    redact_free(r);
}

static void test_json_unicode_escaped(void **state)
{
    (void)state;
    /* Non-ASCII text, with a character outside the BMP (a surrogate pair). */
    const char *secret = "p\xC3\xA4ssw\xC3\xB6rd-\xE2\x82\xAC-\xF0\x9F\x98\x80";
    redactor *r = with(secret);
    json_t *s = json_string(secret);
    char *ascii = json_dumps(s, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
    json_decref(s);
    assert_null(strchr(ascii, '\xC3'));
    size_t cap = strlen(ascii) + 16;
    char *line = malloc(cap);
    snprintf(line, cap, "{\"v\":%s}", ascii);
    assert_masks(r, line, "{\"v\":\"****\"}");
    free(line);
    free(ascii);
    /* As jansson writes it (upper-case hex)... */
    assert_masks(r, "p\\u00E4ssw\\u00F6rd-\\u20AC-\\uD83D\\uDE00", "****");
    /* ...and as Python's json.dumps and the AWS SDKs write it (lower case). */
    assert_masks(r, "{\"v\": \"p\\u00e4ssw\\u00f6rd-\\u20ac-\\ud83d\\ude00\"}",
                 "{\"v\": \"****\"}");
    /* The raw value too. */
    assert_masks(r, secret, "****");
    redact_free(r);

    /* Control characters are \u-escaped by every encoder. */
    r = with("ctl\x01\x1f-secret");
    assert_masks(r, "[ctl\\u0001\\u001F-secret]", "[****]");
    assert_masks(r, "[ctl\\u0001\\u001f-secret]", "[****]");
    redact_free(r);
}

static void test_url_encoded(void **state)
{
    (void)state;
    const char *secret = "p@ss word/\xC3\xA4&=+";
    redactor *r = with(secret);
    assert_masks(r, "body=p%40ss%20word%2F%C3%A4%26%3D%2B&next=1", "body=****&next=1");
    assert_masks(r, "body=p%40ss+word%2F%C3%A4%26%3D%2B&next=1", "body=****&next=1");
    assert_masks(r, "raw p@ss word/\xC3\xA4&=+ end", "raw **** end");
    redact_free(r);
}

static void test_json_secret_members(void **state)
{
    (void)state;
    const char *doc = "{\"username\":\"admin-user\",\"password\":\"s3cr\\\"et pw\","
                      "\"port\":5432,\"tiny\":\"ab\","
                      "\"nested\":{\"list\":[\"deep-secret-1\",{\"x\":\"deeper-secret-2\"}]}}";
    redactor *r = with(doc);
    /* The whole document. */
    assert_masks(r, doc, "****");
    /* Each string inside it, at any depth, in each form. */
    assert_masks(r, "user admin-user logged in", "user **** logged in");
    assert_masks(r, "pw s3cr\"et pw!", "pw ****!");
    assert_masks(r, "{\"p\":\"s3cr\\\"et pw\"}", "{\"p\":\"****\"}");
    assert_masks(r, "p=s3cr%22et%20pw&", "p=****&");
    assert_masks(r, "p=s3cr%22et+pw&", "p=****&");
    assert_masks(r, "[deep-secret-1]", "[****]");
    assert_masks(r, "[deeper-secret-2]", "[****]");
    /* Members shorter than REDACT_MIN_LEN are not registered. */
    assert_masks(r, "tiny ab", "tiny ab");
    redact_free(r);

    r = with("[\"alpha-one\",[\"beta-two\"]]");
    assert_masks(r, "alpha-one beta-two", "**** ****");
    redact_free(r);
}

static void test_longest_match_wins(void **state)
{
    (void)state;
    const char *text = "x abcd1234efgh y abcd1234 z";
    const char *want = "x **** y **** z";
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, "abcd1234"), 0);
    assert_int_equal(redact_add(r, "abcd1234efgh"), 0);
    assert_masks(r, text, want);
    redact_free(r);
    r = redact_new();
    assert_int_equal(redact_add(r, "abcd1234efgh"), 0);
    assert_int_equal(redact_add(r, "abcd1234"), 0);
    assert_masks(r, text, want);
    redact_free(r);
    /* A JSON secret and one of its members: the document masks whole. */
    r = with("{\"k\":\"member-value\"}");
    assert_masks(r, "{\"k\":\"member-value\"} and member-value", "**** and ****");
    redact_free(r);
}

static void test_short_forms_not_registered(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, ""), 0);
    assert_int_equal(redact_add(r, "ab"), 0);
    assert_int_equal(redact_add(r, "abc"), 0);
    assert_int_equal(redact_add(r, NULL), 0);
    assert_int_equal(redact_forms(r), 0);
    assert_masks(r, "abc ab abcabc", "abc ab abcabc");
    /* REDACT_MIN_LEN bytes is enough. */
    assert_int_equal(redact_add(r, "wxyz"), 0);
    assert_int_equal(redact_forms(r), 1);
    assert_masks(r, "abc wxyz", "abc ****");
    redact_free(r);
    /* A short value whose encoded form is long enough: only that form. */
    r = with("\xC3\xA9"); /* é: 2 bytes raw, %C3%A9 and \u00E9 are 6 */
    assert_masks(r, "\xC3\xA9", "\xC3\xA9");
    assert_masks(r, "%C3%A9", "****");
    redact_free(r);
}

static void test_many_secrets(void **state)
{
    (void)state;
    redactor *r = redact_new();
    buf text;
    buf_init(&text, 1u << 20);
    for (int i = 0; i < 200; i++) {
        char s[32];
        snprintf(s, sizeof s, "secret-value-%03d", i);
        assert_int_equal(redact_add(r, s), 0);
        buf_printf(&text, "[%s]", s);
    }
    assert_int_equal(redact_forms(r), 200);
    char *masked = redact_dup(r, buf_cstr(&text));
    assert_null(strstr(masked, "secret-value"));
    assert_int_equal(count(masked, "[****]"), 200);
    assert_int_equal(strlen(masked), 200 * strlen("[****]"));
    free(masked);
    buf_free(&text);
    redact_free(r);
}

static void test_url_query_dropped(void **state)
{
    (void)state;
    redactor *r = with("unrelated-secret");
    assert_masks(r, "GET http://h/b?x=1", "GET http://h/b");
    assert_masks(r, "PUT https://s3.example/bucket/key?X-Amz-Signature=ff&X-Amz-Credential=A done",
                 "PUT https://s3.example/bucket/key done");
    assert_masks(r, "{\"ResponseURL\":\"https://h/r?sig=S\",\"n\":1}",
                 "{\"ResponseURL\":\"https://h/r\",\"n\":1}");
    assert_masks(r, "'https://h/?q' x", "'https://h/' x");
    assert_masks(r, "a https://a/?1\tb https://b/?2\nc", "a https://a/\tb https://b/\nc");
    assert_masks(r, "end https://h/p?", "end https://h/p");
    /* A '?' outside a URL stays. */
    assert_masks(r, "why? because", "why? because");
    assert_masks(r, "https://h/p then why?", "https://h/p then why?");
    assert_masks(r, "ftp://h/p?x=1", "ftp://h/p?x=1");
    /* A secret in the URL is masked, and the query still goes. */
    assert_masks(r, "https://h/unrelated-secret/p?sig=1 ok", "https://h/****/p ok");
    redact_free(r);
}

/* A secret that is itself a URL (a webhook): the query after it still goes,
 * whatever the redactor holds. */
static void test_url_query_after_a_url_secret(void **state)
{
    (void)state;
    redactor *r = with("https://hooks.example/T0/B0/XYZ");
    assert_masks(r, "POST https://hooks.example/T0/B0/XYZ?X-Amz-Signature=ff done",
                 "POST **** done");
    redact_free(r);
    r = with("https://h.example/p?token=abcd");
    assert_masks(r, "GET https://h.example/p?token=abcd&sig=ff done", "GET **** done");
    redact_free(r);
    /* The URL starts before the secret, its query inside it. */
    r = with("tok?en-value");
    assert_masks(r, "GET https://h/tok?en-value&sig=ff end", "GET https://h/**** end");
    /* Outside a URL, a '?' in a secret drops nothing. */
    assert_masks(r, "ask tok?en-value&more", "ask ****&more");
    redact_free(r);
}

static void test_null_redactor_drops_queries_only(void **state)
{
    (void)state;
    assert_masks(NULL, "token abcdefgh https://h/p?X-Amz-Signature=abc end",
                 "token abcdefgh https://h/p end");
    assert_int_equal(redact_forms(NULL), 0);
    assert_false(redact_is_blind(NULL));
    buf b;
    buf_init(&b, 64);
    assert_int_equal(redact_append(NULL, "x https://h/?q y", 16, &b), 0);
    assert_string_equal(buf_cstr(&b), "x https://h/ y");
    buf_free(&b);
    char out[16];
    redact_copy(NULL, "see http://h/?secret", out, sizeof out);
    assert_string_equal(out, "see http://h/");
}

static void test_append_is_bounded_and_takes_length(void **state)
{
    (void)state;
    redactor *r = with("hidden-value");
    buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_puts(&b, ">"), 0);
    /* Only len bytes are read: the secret past them is not seen. */
    const char *text = "a hidden-value b hidden-value";
    assert_int_equal(redact_append(r, text, 16, &b), 0);
    assert_string_equal(buf_cstr(&b), ">a **** b");
    /* Bytes after a NUL inside len are masked too. */
    buf_reset(&b);
    assert_int_equal(redact_append(r, "x\0hidden-value", 14, &b), 0);
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.data, "x\0****", 6);
    buf_free(&b);
    buf_init(&b, 3);
    assert_int_equal(redact_append(r, "hidden-value", 12, &b), -1);
    assert_true(buf_failed(&b));
    buf_free(&b);
    redact_free(r);
}

static void test_copy_masks_then_cuts_on_a_boundary(void **state)
{
    (void)state;
    redactor *r = with("s3cr3t-value");
    const char *text = "key=s3cr3t-value \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 end";
    const char *full = "key=**** \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 end";
    for (size_t cap = 1; cap <= strlen(text) + 4; cap++) {
        char out[64];
        memset(out, 'Z', sizeof out);
        redact_copy(r, text, out, cap);
        size_t n = strlen(out); /* NUL-terminated within cap */
        assert_true(n < cap);
        assert_true(utf8_valid(out, n));
        assert_memory_equal(out, full, n);
        assert_null(strstr(out, "s3cr"));
        /* Cut only as far as a character boundary needs. */
        size_t want = utf8_cut(full, strlen(full), cap - 1);
        assert_int_equal(n, want);
    }
    char out[8] = "keep";
    redact_copy(r, "s3cr3t-value", out, 0); /* nothing written */
    assert_string_equal(out, "keep");
    redact_copy(r, "s3cr3t-value", out, 5);
    assert_string_equal(out, "****");
    redact_free(r);
}

/* The secret masked, the byte that is not UTF-8 replaced by U+FFFD. */
static void test_dup_clean_masks_then_repairs(void **state)
{
    (void)state;
    redactor *r = with("hunter2-pass");
    char *got = redact_dup_clean(r, "pw=hunter2-pass \xff end");
    assert_non_null(got);
    assert_string_equal(got, "pw=" REDACT_MASK " \xef\xbf\xbd end");
    assert_true(utf8_valid(got, strlen(got)));
    free(got);
    redact_free(r);
}

static void test_blind(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_false(redact_is_blind(r));
    assert_int_equal(redact_add(r, "some-secret"), 0);
    assert_false(redact_is_blind(r));
    redact_set_blind(r);
    assert_true(redact_is_blind(r));
    /* Masking goes on as before. */
    assert_masks(r, "some-secret", "****");
    redact_free(r);
    redact_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_value),
        cmocka_unit_test(test_identical_forms_counted_once),
        cmocka_unit_test(test_json_escaped),
        cmocka_unit_test(test_json_unicode_escaped),
        cmocka_unit_test(test_url_encoded),
        cmocka_unit_test(test_json_secret_members),
        cmocka_unit_test(test_longest_match_wins),
        cmocka_unit_test(test_short_forms_not_registered),
        cmocka_unit_test(test_many_secrets),
        cmocka_unit_test(test_url_query_dropped),
        cmocka_unit_test(test_url_query_after_a_url_secret),
        cmocka_unit_test(test_null_redactor_drops_queries_only),
        cmocka_unit_test(test_append_is_bounded_and_takes_length),
        cmocka_unit_test(test_copy_masks_then_cuts_on_a_boundary),
        cmocka_unit_test(test_dup_clean_masks_then_repairs),
        cmocka_unit_test(test_blind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
