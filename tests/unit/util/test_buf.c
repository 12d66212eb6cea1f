/* SPDX-License-Identifier: Apache-2.0 */
/* The bounded buffer: growth, the max bound, NUL termination, printf, files,
 * and failures that stick until buf_reset or buf_free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

/* Writes n bytes to a new temporary file; returns its path (static). */
static const char *temp_file(const void *data, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_buf_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static int wrapped_vprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int wrapped_vprintf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_empty(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 100);
    assert_int_equal(b.len, 0);
    assert_false(buf_failed(&b));
    assert_non_null(buf_cstr(&b));
    assert_string_equal(buf_cstr(&b), "");
    /* An empty buffer still hands over a string, never NULL. */
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    buf_free(&b);
}

static void test_grows_and_keeps_content(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1u << 20);
    char expect[10001];
    for (size_t i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        expect[i] = c;
        assert_int_equal(buf_append(&b, &c, 1), 0);
        assert_int_equal(b.len, i + 1);
        assert_true(b.cap >= b.len + 1);
        assert_int_equal(b.data[b.len], '\0');
    }
    expect[10000] = '\0';
    assert_memory_equal(buf_cstr(&b), expect, 10001);
    /* One large append past the doubled capacity. */
    char big[50000];
    memset(big, 'z', sizeof big);
    assert_int_equal(buf_append(&b, big, sizeof big), 0);
    assert_int_equal(b.len, 60000);
    assert_memory_equal(b.data, expect, 10000);
    assert_memory_equal(b.data + 10000, big, sizeof big);
    assert_int_equal(b.data[60000], '\0');
    assert_false(buf_failed(&b));
    buf_free(&b);
}

static void test_binary_content_and_zero_length(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_append(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b\0", 4);
    assert_int_equal(buf_append(&b, NULL, 0), 0);
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 3);
    assert_false(buf_failed(&b));
    buf_free(&b);
}

static void test_max_is_inclusive(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "0123456789"), 0); /* exactly max */
    assert_int_equal(b.len, 10);
    assert_string_equal(buf_cstr(&b), "0123456789");
    assert_true(b.cap <= 11); /* never allocates past max + terminator */
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_int_equal(buf_puts(&b, "x"), -1); /* one past */
    assert_true(buf_failed(&b));
    buf_free(&b);

    buf_init(&b, 0);
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_puts(&b, "x"), -1);
    buf_free(&b);
}

static void test_huge_length_fails_without_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 100);
    assert_int_equal(buf_puts(&b, "abc"), 0);
    /* len + n would wrap around: must fail, not allocate or copy. */
    assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
    assert_true(buf_failed(&b));
    buf_free(&b);

    /* SIZE_MAX as max (no bound): max + 1 must not wrap to an empty allocation. */
    buf_init(&b, SIZE_MAX);
    assert_int_equal(buf_puts(&b, "abc"), 0);
    assert_string_equal(buf_cstr(&b), "abc");
    assert_true(b.cap >= 4);
    assert_int_equal(buf_append(&b, "x", SIZE_MAX - 1), -1);
    assert_true(buf_failed(&b));
    buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), 0);
    assert_int_equal(buf_printf(&b, ",%05.1f,%c", 3.14159, 'z'), 0);
    assert_string_equal(buf_cstr(&b), "n=42,003.1,z");
    assert_int_equal(b.len, strlen("n=42,003.1,z"));
    assert_int_equal(buf_printf(&b, "%s", ""), 0);
    assert_int_equal(b.len, strlen("n=42,003.1,z"));
    /* Longer than the first allocation. */
    assert_int_equal(buf_printf(&b, "%0300d", 7), 0);
    assert_int_equal(b.len, 12 + 300);
    assert_int_equal(b.data[b.len - 1], '7');
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(wrapped_vprintf(&b, "[%s|%u]", "v", 9u), 0);
    assert_string_equal(buf_cstr(&b) + 312, "[v|9]");
    buf_free(&b);
}

static void test_printf_past_max_fails(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_printf(&b, "%s", "1234"), 0);
    assert_int_equal(buf_printf(&b, "%s", "5678"), 0);
    assert_string_equal(buf_cstr(&b), "12345678");
    assert_int_equal(buf_printf(&b, "%d", 9), -1);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_printf(&b, "%s", ""), -1); /* sticks */
    buf_free(&b);
}

static void test_append_file(void **state)
{
    (void)state;
    /* Larger than one read chunk, with NUL bytes inside. */
    size_t n = 10000;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)(i % 251);
    const char *path = temp_file(data, n);
    buf b;
    buf_init(&b, 1u << 20);
    assert_int_equal(buf_puts(&b, "head:"), 0);
    assert_int_equal(buf_append_file(&b, path), 0);
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 5 + n);
    assert_memory_equal(b.data, "head:", 5);
    assert_memory_equal(b.data + 5, data, n);
    assert_int_equal(b.data[b.len], '\0');
    buf_free(&b);
    unlink(path);
    free(data);

    path = temp_file("", 0);
    buf_init(&b, 16);
    assert_int_equal(buf_append_file(&b, path), 0);
    assert_int_equal(b.len, 0);
    assert_false(buf_failed(&b));
    buf_free(&b);
    unlink(path);
}

static void test_append_file_missing_fails(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1024);
    assert_int_equal(buf_puts(&b, "kept?"), 0);
    assert_int_equal(buf_append_file(&b, "/nonexistent/dir/test_buf_missing"), -1);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "");
    assert_null(buf_take(&b));
    buf_free(&b);
}

static void test_append_file_too_large_fails(void **state)
{
    (void)state;
    char data[100];
    memset(data, 'q', sizeof data);
    const char *path = temp_file(data, sizeof data);
    buf b;
    buf_init(&b, 99);
    assert_int_equal(buf_append_file(&b, path), -1);
    assert_true(buf_failed(&b));
    assert_int_equal(b.len, 0);
    buf_free(&b);
    buf_init(&b, 100);
    assert_int_equal(buf_append_file(&b, path), 0);
    assert_int_equal(b.len, 100);
    buf_free(&b);
    unlink(path);
}

static void test_failure_sticks(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 16);
    assert_int_equal(buf_puts(&b, "partial "), 0);
    assert_int_equal(buf_puts(&b, "this does not fit"), -1);
    assert_true(buf_failed(&b));
    /* What was there is dropped, not left half-built. */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    /* A later append that would fit also fails and adds nothing. */
    assert_int_equal(buf_puts(&b, "ok"), -1);
    assert_int_equal(buf_append(&b, "x", 1), -1);
    assert_int_equal(buf_printf(&b, "%d", 1), -1);
    assert_int_equal(b.len, 0);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "");
    assert_null(buf_take(&b));
    buf_free(&b);
}

static void test_reset_clears_failure(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "123456789"), -1);
    assert_int_equal(buf_puts(&b, "1"), -1);
    buf_reset(&b);
    assert_false(buf_failed(&b));
    assert_int_equal(buf_puts(&b, "usable"), 0);
    assert_string_equal(buf_cstr(&b), "usable");
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "usable");
    free(s);
    buf_free(&b);
}

static void test_reset_keeps_allocation(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1024);
    assert_int_equal(buf_puts(&b, "some text"), 0);
    size_t cap = b.cap;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_puts(&b, "new"), 0);
    assert_string_equal(buf_cstr(&b), "new");
    buf_free(&b);
}

static void test_free_clears_failure(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 4);
    assert_int_equal(buf_puts(&b, "toolong"), -1);
    buf_free(&b);
    assert_false(buf_failed(&b));
    assert_int_equal(buf_puts(&b, "fine"), 0); /* max is kept */
    assert_string_equal(buf_cstr(&b), "fine");
    assert_int_equal(buf_puts(&b, "!"), -1);
    buf_free(&b);
}

static void test_take_hands_over_and_empties(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_puts(&b, "first"), 0);
    char *s = buf_take(&b);
    assert_string_equal(s, "first");
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    /* The buffer is reusable and no longer shares s. */
    assert_int_equal(buf_puts(&b, "second"), 0);
    assert_string_equal(s, "first");
    char *t = buf_take(&b);
    assert_string_equal(t, "second");
    assert_ptr_not_equal(s, t);
    free(s);
    free(t);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_grows_and_keeps_content),
        cmocka_unit_test(test_binary_content_and_zero_length),
        cmocka_unit_test(test_max_is_inclusive),
        cmocka_unit_test(test_huge_length_fails_without_overflow),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_printf_past_max_fails),
        cmocka_unit_test(test_append_file),
        cmocka_unit_test(test_append_file_missing_fails),
        cmocka_unit_test(test_append_file_too_large_fails),
        cmocka_unit_test(test_failure_sticks),
        cmocka_unit_test(test_reset_clears_failure),
        cmocka_unit_test(test_reset_keeps_allocation),
        cmocka_unit_test(test_free_clears_failure),
        cmocka_unit_test(test_take_hands_over_and_empties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
