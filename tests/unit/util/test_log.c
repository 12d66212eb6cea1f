/* SPDX-License-Identifier: Apache-2.0 */
/* The logger: levels from the environment, text and JSON lines, the request
 * id, masking before the cut, valid UTF-8 whatever the message holds, one
 * line per message, URL query strings dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/redact.h"
#include "util/utf8.h"

#define FFFD "\xEF\xBF\xBD"
#define SECRET "SECRETvalue-0123456789-ABCDEFGHIJKLMNOP"

static FILE *out;

static void reset_env(void)
{
    unsetenv("AWS_LAMBDA_LOG_LEVEL");
    unsetenv("LOG_LEVEL");
    unsetenv("AWS_LAMBDA_LOG_FORMAT");
    log_init_from_env();
}

static int setup(void **state)
{
    (void)state;
    reset_env();
    out = tmpfile();
    assert_non_null(out);
    log_set_output(out);
    log_set_request_id(NULL);
    log_set_redactor(NULL);
    log_set_one_line_per_message(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    log_set_output(NULL);
    log_set_redactor(NULL);
    log_set_request_id(NULL);
    log_set_one_line_per_message(0);
    fclose(out);
    reset_env();
    return 0;
}

/* Everything logged since the last call (caller frees); starts afresh. */
static char *captured(void)
{
    fflush(out);
    long n = ftell(out);
    assert_true(n >= 0);
    char *text = malloc((size_t)n + 1);
    rewind(out);
    assert_int_equal(fread(text, 1, (size_t)n, out), (size_t)n);
    text[n] = '\0';
    fclose(out);
    out = tmpfile();
    assert_non_null(out);
    log_set_output(out);
    return text;
}

static void use_json(void)
{
    setenv("AWS_LAMBDA_LOG_FORMAT", "JSON", 1);
    log_init_from_env();
}

/* The one JSON line logged since the last call, parsed; fails unless there
 * is exactly one line, valid UTF-8 and valid JSON. */
static json_t *json_captured(void)
{
    char *text = captured();
    size_t len = strlen(text);
    assert_true(len > 0);
    assert_int_equal(text[len - 1], '\n');
    assert_ptr_equal(strchr(text, '\n'), text + len - 1);
    assert_true(utf8_valid(text, len));
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    if (!doc)
        fail_msg("not JSON (%s): %.200s", err.text, text);
    assert_true(json_is_object(doc));
    free(text);
    return doc;
}

static const char *member(const json_t *doc, const char *key)
{
    const char *s = json_string_value(json_object_get(doc, key));
    if (!s)
        fail_msg("no string member %s", key);
    return s;
}

/* Asserts that exactly one text line was logged and returns its message
 * part (after "LEVEL " or "LEVEL [id] "; caller frees the whole line via
 * *line). */
static const char *text_message(char **line, const char *prefix)
{
    *line = captured();
    size_t len = strlen(*line);
    assert_true(len > 0);
    assert_int_equal((*line)[len - 1], '\n');
    assert_ptr_equal(strchr(*line, '\n'), *line + len - 1);
    assert_true(utf8_valid(*line, len));
    assert_memory_equal(*line, prefix, strlen(prefix));
    (*line)[len - 1] = '\0';
    return *line + strlen(prefix);
}

/* Fails if any prefix of SECRET of 4 bytes or more occurs in s. */
static void assert_no_secret_prefix(const char *s)
{
    for (size_t n = 4; n <= strlen(SECRET); n++) {
        char prefix[64];
        memcpy(prefix, SECRET, n);
        prefix[n] = '\0';
        if (strstr(s, prefix))
            fail_msg("\"%s\" shown", prefix);
    }
}

static void assert_logged(const char *want)
{
    char *got = captured();
    assert_string_equal(got, want);
    free(got);
}

static void test_text_lines(void **state)
{
    (void)state;
    log_msg(LOG_INFO, "hello %d %s", 42, "world");
    assert_logged("INFO hello 42 world\n");
    log_msg(LOG_WARN, "careful");
    log_msg(LOG_ERROR, "broken");
    assert_logged("WARN careful\nERROR broken\n");
    /* The message is text, not a format. */
    log_msg(LOG_INFO, "%s", "100%s %d done");
    assert_logged("INFO 100%s %d done\n");
    log_msg(LOG_INFO, "%s", "");
    assert_logged("INFO \n");
}

static void test_default_level_is_info(void **state)
{
    (void)state;
    assert_false(log_enabled(LOG_DEBUG));
    assert_true(log_enabled(LOG_INFO));
    assert_true(log_enabled(LOG_ERROR));
    log_msg(LOG_DEBUG, "hidden");
    assert_logged("");
    log_msg(LOG_INFO, "shown");
    assert_logged("INFO shown\n");
}

static void test_log_level_from_env(void **state)
{
    (void)state;
    setenv("LOG_LEVEL", "debug", 1);
    log_init_from_env();
    assert_true(log_enabled(LOG_DEBUG));
    log_msg(LOG_DEBUG, "now shown");
    assert_logged("DEBUG now shown\n");

    setenv("LOG_LEVEL", "TRACE", 1);
    log_init_from_env();
    assert_true(log_enabled(LOG_DEBUG));

    setenv("LOG_LEVEL", "WARNING", 1);
    log_init_from_env();
    assert_false(log_enabled(LOG_INFO));
    log_msg(LOG_INFO, "hidden");
    log_msg(LOG_WARN, "shown");
    assert_logged("WARN shown\n");

    setenv("LOG_LEVEL", "fatal", 1);
    log_init_from_env();
    assert_false(log_enabled(LOG_WARN));
    assert_true(log_enabled(LOG_ERROR));

    /* Unknown: the default. */
    setenv("LOG_LEVEL", "verbose", 1);
    log_init_from_env();
    assert_false(log_enabled(LOG_DEBUG));
    assert_true(log_enabled(LOG_INFO));
}

static void test_lambda_level_wins(void **state)
{
    (void)state;
    setenv("AWS_LAMBDA_LOG_LEVEL", "ERROR", 1);
    setenv("LOG_LEVEL", "DEBUG", 1);
    log_init_from_env();
    assert_false(log_enabled(LOG_WARN));
    log_msg(LOG_WARN, "hidden");
    log_msg(LOG_DEBUG, "hidden");
    log_msg(LOG_ERROR, "shown");
    assert_logged("ERROR shown\n");

    setenv("AWS_LAMBDA_LOG_LEVEL", "DEBUG", 1);
    setenv("LOG_LEVEL", "ERROR", 1);
    log_init_from_env();
    assert_true(log_enabled(LOG_DEBUG));

    /* Empty counts as unset. */
    setenv("AWS_LAMBDA_LOG_LEVEL", "", 1);
    setenv("LOG_LEVEL", "WARN", 1);
    log_init_from_env();
    assert_false(log_enabled(LOG_INFO));
    assert_true(log_enabled(LOG_WARN));
}

static void test_request_id_in_text(void **state)
{
    (void)state;
    log_set_request_id("req-1234");
    log_msg(LOG_INFO, "working");
    assert_logged("INFO [req-1234] working\n");
    log_set_request_id("req-5678"); /* replaced */
    log_msg(LOG_ERROR, "x");
    assert_logged("ERROR [req-5678] x\n");
    log_set_request_id(NULL); /* cleared */
    log_msg(LOG_INFO, "y");
    assert_logged("INFO y\n");
    /* Copied, not borrowed. */
    char id[] = "req-copied";
    log_set_request_id(id);
    id[0] = 'X';
    log_msg(LOG_INFO, "z");
    assert_logged("INFO [req-copied] z\n");
}

static void test_request_id_cleaned(void **state)
{
    (void)state;
    /* Not UTF-8: repaired. */
    log_set_request_id("r\xFF");
    log_msg(LOG_INFO, "m");
    assert_logged("INFO [r" FFFD "] m\n");
    /* Too long: cut on a character boundary. */
    char id[400];
    for (size_t i = 0; i < 130; i++)
        memcpy(id + 3 * i, "\xE2\x82\xAC", 3);
    id[390] = '\0';
    log_set_request_id(id);
    log_msg(LOG_INFO, "m");
    char *line = captured();
    size_t len = strlen(line);
    assert_true(utf8_valid(line, len));
    char *lb = strchr(line, '['), *rb = strchr(line, ']');
    assert_non_null(lb);
    assert_non_null(rb);
    size_t shown = (size_t)(rb - lb - 1);
    assert_true(shown > 0 && shown < 128);
    assert_int_equal(shown % 3, 0);
    assert_memory_equal(lb + 1, id, shown);
    free(line);
}

static void test_json_lines(void **state)
{
    (void)state;
    use_json();
    log_set_request_id("req-42");
    time_t before = time(NULL);
    log_msg(LOG_WARN, "a \"quoted\" message\\ with %d fields", 4);
    time_t after = time(NULL);
    json_t *doc = json_captured();
    assert_string_equal(member(doc, "level"), "WARN");
    assert_string_equal(member(doc, "requestId"), "req-42");
    assert_string_equal(member(doc, "message"), "a \"quoted\" message\\ with 4 fields");
    const char *ts = member(doc, "timestamp");
    struct tm tm = {0};
    char z = 0;
    assert_int_equal(strlen(ts), 20);
    assert_int_equal(sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z),
                     7);
    assert_int_equal(z, 'Z');
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    assert_true(t >= before && t <= after);
    json_decref(doc);

    log_msg(LOG_ERROR, "e");
    doc = json_captured();
    assert_string_equal(member(doc, "level"), "ERROR");
    assert_string_equal(member(doc, "message"), "e");
    json_decref(doc);

    /* The level still applies; the format name is case-insensitive. */
    setenv("AWS_LAMBDA_LOG_FORMAT", "json", 1);
    log_init_from_env();
    log_msg(LOG_DEBUG, "hidden");
    assert_logged("");
    log_msg(LOG_INFO, "i");
    doc = json_captured();
    assert_string_equal(member(doc, "level"), "INFO");
    json_decref(doc);

    /* Any other format is text. */
    setenv("AWS_LAMBDA_LOG_FORMAT", "Text", 1);
    log_init_from_env();
    log_msg(LOG_INFO, "plain");
    assert_logged("INFO [req-42] plain\n");
}

static void test_secret_masked(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, SECRET), 0);
    log_set_redactor(r);
    log_msg(LOG_INFO, "password=%s; again %s", SECRET, SECRET);
    assert_logged("INFO password=****; again ****\n");
    use_json();
    log_msg(LOG_INFO, "{\"password\":\"%s\"}", SECRET);
    json_t *doc = json_captured();
    assert_string_equal(member(doc, "message"), "{\"password\":\"****\"}");
    json_decref(doc);
    /* A NULL redactor masks nothing but URL queries. */
    log_set_redactor(NULL);
    log_msg(LOG_INFO, "%s", SECRET);
    doc = json_captured();
    assert_string_equal(member(doc, "message"), SECRET);
    json_decref(doc);
    redact_free(r);
}

/* A message of about LOG_MESSAGE_MAX bytes whose secret starts `before` bytes
 * ahead of the cut, followed by `after` bytes (caller frees). */
static char *message_around_cut(size_t before, size_t after)
{
    size_t head = LOG_MESSAGE_MAX - before;
    size_t n = head + strlen(SECRET) + after;
    char *m = malloc(n + 1);
    memset(m, 'a', head);
    memcpy(m + head, SECRET, strlen(SECRET));
    memset(m + head + strlen(SECRET), 'b', after);
    m[n] = '\0';
    return m;
}

static void check_straddling_secret(const char *message)
{
    assert_no_secret_prefix(message);
    assert_non_null(strstr(message, "****"));
    size_t len = strlen(message);
    assert_true(len >= strlen(LOG_CUT_MARKER));
    assert_string_equal(message + len - strlen(LOG_CUT_MARKER), LOG_CUT_MARKER);
    assert_int_equal(len, LOG_MESSAGE_MAX + strlen(LOG_CUT_MARKER));
}

/* The message is masked whole and only then cut: a secret across the cut
 * point is masked, no prefix of it shows. */
static void test_secret_across_the_cut_is_masked(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, SECRET), 0);
    log_set_redactor(r);
    for (size_t before = 4; before < strlen(SECRET); before += 7) {
        char *m = message_around_cut(before, 100);
        log_msg(LOG_INFO, "%s", m);
        char *line;
        check_straddling_secret(text_message(&line, "INFO "));
        free(line);

        use_json();
        log_msg(LOG_INFO, "%s", m);
        json_t *doc = json_captured();
        check_straddling_secret(member(doc, "message"));
        json_decref(doc);
        reset_env();
        free(m);
    }
    log_set_redactor(NULL);
    redact_free(r);
}

/* A raw message longer than LOG_MESSAGE_MAX that fits once masked is not cut. */
static void test_masking_can_make_a_message_fit(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, SECRET), 0);
    log_set_redactor(r);
    char *m = message_around_cut(10, 6);
    assert_true(strlen(m) > LOG_MESSAGE_MAX);
    log_msg(LOG_INFO, "%s", m);
    char *line;
    const char *shown = text_message(&line, "INFO ");
    assert_int_equal(strlen(shown), LOG_MESSAGE_MAX);
    assert_string_equal(shown + LOG_MESSAGE_MAX - 10, "****bbbbbb");
    assert_null(strstr(shown, LOG_CUT_MARKER));
    free(line);
    free(m);
    log_set_redactor(NULL);
    redact_free(r);
}

static void test_long_message_cut_on_a_boundary(void **state)
{
    (void)state;
    /* "x" then two-byte characters: byte LOG_MESSAGE_MAX falls inside one. */
    size_t n = LOG_MESSAGE_MAX + 100;
    char *m = malloc(n + 1);
    m[0] = 'x';
    for (size_t i = 1; i + 1 < n; i += 2)
        memcpy(m + i, "\xC3\xA9", 2);
    m[n - 1] = 'x';
    m[n] = '\0';
    assert_int_equal((unsigned char)m[LOG_MESSAGE_MAX], 0xA9);
    log_msg(LOG_INFO, "%s", m);
    char *line;
    const char *shown = text_message(&line, "INFO ");
    size_t len = strlen(shown);
    assert_int_equal(len, LOG_MESSAGE_MAX - 1 + strlen(LOG_CUT_MARKER));
    assert_string_equal(shown + len - strlen(LOG_CUT_MARKER), LOG_CUT_MARKER);
    assert_memory_equal(shown, m, LOG_MESSAGE_MAX - 1);
    free(line);

    /* Exactly LOG_MESSAGE_MAX bytes: whole, no marker. */
    m[LOG_MESSAGE_MAX - 1] = 'x';
    m[LOG_MESSAGE_MAX] = '\0';
    log_msg(LOG_INFO, "%s", m);
    shown = text_message(&line, "INFO ");
    assert_string_equal(shown, m);
    free(line);
    free(m);
}

#define BAD_TEXT                                                                                   \
    "bad \xFF\xFE \xC3 ctl \x01\x1B[31m\x7F overlong \xC0\xAF surrogate \xED\xA0\x80 end\xE2\x82"

static void test_invalid_utf8_and_controls_in_text(void **state)
{
    (void)state;
    log_msg(LOG_INFO, "%s", BAD_TEXT);
    char *line;
    const char *shown = text_message(&line, "INFO "); /* checks the line is UTF-8 */
    assert_non_null(strstr(shown, "bad " FFFD FFFD " " FFFD " ctl \x01\x1B[31m\x7F overlong "));
    assert_non_null(strstr(shown, " end" FFFD));
    assert_null(strstr(shown, "\xED\xA0\x80"));
    free(line);
}

static void test_invalid_utf8_and_controls_in_json(void **state)
{
    (void)state;
    use_json();
    log_set_request_id("req-\xFF");
    log_msg(LOG_ERROR, "%s", BAD_TEXT);
    json_t *doc = json_captured(); /* checks UTF-8 and JSON */
    const char *msg = member(doc, "message");
    assert_true(utf8_valid(msg, strlen(msg)));
    assert_non_null(strstr(msg, "bad " FFFD FFFD " " FFFD " ctl \x01\x1B[31m\x7F overlong "));
    assert_non_null(strstr(msg, " end" FFFD));
    assert_string_equal(member(doc, "requestId"), "req-" FFFD);
    json_decref(doc);
}

/* Bytes that are not UTF-8 grow threefold when replaced: a long run of them
 * is still shown (cut), not lost. */
static void test_long_run_of_invalid_bytes(void **state)
{
    (void)state;
    size_t n = LOG_MESSAGE_MAX + 1000;
    char *m = malloc(n + 1);
    memset(m, 0xFF, n);
    m[n] = '\0';
    log_msg(LOG_INFO, "%s", m);
    char *line;
    const char *shown = text_message(&line, "INFO ");
    assert_int_equal(strlen(shown), 3 * LOG_MESSAGE_MAX + strlen(LOG_CUT_MARKER));
    assert_memory_equal(shown, FFFD FFFD FFFD, 9);
    assert_string_equal(shown + 3 * LOG_MESSAGE_MAX, LOG_CUT_MARKER);
    free(line);

    use_json();
    log_msg(LOG_INFO, "%s", m);
    json_t *doc = json_captured();
    const char *msg = member(doc, "message");
    assert_int_equal(strlen(msg), 3 * LOG_MESSAGE_MAX + strlen(LOG_CUT_MARKER));
    json_decref(doc);
    free(m);
}

static void test_one_line_per_message(void **state)
{
    (void)state;
    log_msg(LOG_INFO, "first\nsecond");
    assert_logged("INFO first\nsecond\n");
    log_set_one_line_per_message(1);
    log_msg(LOG_INFO, "first\nsecond\n\nthird");
    assert_logged("INFO first\rsecond\r\rthird\n");
    log_set_request_id("r-1");
    log_msg(LOG_WARN, "a\nb");
    assert_logged("WARN [r-1] a\rb\n");
    /* JSON escapes line breaks itself: the message is kept as it was. */
    use_json();
    log_msg(LOG_INFO, "first\nsecond\rthird");
    json_t *doc = json_captured();
    assert_string_equal(member(doc, "message"), "first\nsecond\rthird");
    json_decref(doc);
    log_set_one_line_per_message(0);
}

static void test_url_query_dropped(void **state)
{
    (void)state;
    log_msg(LOG_INFO, "PUT %s done", "https://s3.example/r?X-Amz-Signature=S&X-Amz-Credential=C");
    assert_logged("INFO PUT https://s3.example/r done\n");
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, SECRET), 0);
    log_set_redactor(r);
    use_json();
    log_msg(LOG_INFO, "GET \"http://h/%s?sig=1\"", SECRET);
    json_t *doc = json_captured();
    assert_string_equal(member(doc, "message"), "GET \"http://h/****\"");
    json_decref(doc);
    log_set_redactor(NULL);
    redact_free(r);
}

static void test_output_null_restores_stdout(void **state)
{
    (void)state;
    FILE *capture = tmpfile();
    assert_non_null(capture);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(capture), STDOUT_FILENO) >= 0);
    log_set_output(NULL);
    log_msg(LOG_INFO, "to stdout");
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    log_set_output(out);
    char text[64] = "";
    rewind(capture);
    size_t n = fread(text, 1, sizeof text - 1, capture);
    text[n] = '\0';
    fclose(capture);
    assert_string_equal(text, "INFO to stdout\n");
    assert_logged("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_level_is_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_level_from_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lambda_level_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_id_in_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_id_cleaned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_across_the_cut_is_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_masking_can_make_a_message_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message_cut_on_a_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_and_controls_in_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_and_controls_in_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_run_of_invalid_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_line_per_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_query_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_null_restores_stdout, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
