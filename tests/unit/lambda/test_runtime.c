/* SPDX-License-Identifier: Apache-2.0 */
/* The Lambda Runtime API loop (lambda/runtime.c) against the canned server
 * playing the Runtime API: what the handler is given, what is posted back for
 * a result and for an error, when the loop gives up, and the header checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda/runtime.h"
#include "support/canned_server.h"
#include "util/log.h"

#define REQUEST_ID "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
#define TRACE "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
#define FUNCTION_ARN "arn:aws:lambda:us-east-1:123456789012:function:ecs-tasks"
#define EVENT "{\"RequestType\":\"Create\"}"

#define INVOCATION_HEADERS(id)                                                                     \
    "Lambda-Runtime-Aws-Request-Id: " id "\r\n"                                                    \
    "Lambda-Runtime-Deadline-Ms: 1764547260000\r\n"                                                \
    "Lambda-Runtime-Invoked-Function-Arn: " FUNCTION_ARN "\r\n"                                    \
    "Lambda-Runtime-Trace-Id: " TRACE "\r\n"                                                       \
    "Content-Type: application/json\r\n"

static const canned_response next_event = {200, INVOCATION_HEADERS(REQUEST_ID), EVENT};
static const canned_response accepted = {202, "Content-Type: application/json\r\n",
                                         "{\"status\":\"OK\"}"};

/* What the handler saw, copied, and what it is to answer. */
#define MAX_CALLS 4
typedef struct seen {
    char request_id[300];
    int64_t deadline_ms;
    char function_arn[256];
    char trace_id[256];
    char trace_env[256]; /* _X_AMZN_TRACE_ID while it ran; "(unset)" when unset */
    char event[256];
    size_t event_len;
} seen;

typedef struct script {
    /* Per call: ok, the response body (NULL = none), the error. */
    struct {
        int ok;
        const char *response;
        const char *error_type;
        const char *error_message;
    } answer[MAX_CALLS];
    seen calls[MAX_CALLS];
    size_t n_calls;
} script;

static void handler(const lambda_invocation *inv, lambda_result *result, void *ctx)
{
    script *s = ctx;
    assert_true(s->n_calls < MAX_CALLS);
    seen *c = &s->calls[s->n_calls];
    snprintf(c->request_id, sizeof c->request_id, "%s", inv->request_id);
    c->deadline_ms = inv->deadline_ms;
    snprintf(c->function_arn, sizeof c->function_arn, "%s", inv->function_arn);
    snprintf(c->trace_id, sizeof c->trace_id, "%s", inv->trace_id);
    const char *env = getenv("_X_AMZN_TRACE_ID");
    snprintf(c->trace_env, sizeof c->trace_env, "%s", env ? env : "(unset)");
    snprintf(c->event, sizeof c->event, "%s", inv->event);
    c->event_len = inv->event_len;
    result->ok = s->answer[s->n_calls].ok;
    if (s->answer[s->n_calls].response)
        buf_puts(&result->response, s->answer[s->n_calls].response);
    if (s->answer[s->n_calls].error_type)
        snprintf(result->error_type, sizeof result->error_type, "%s",
                 s->answer[s->n_calls].error_type);
    if (s->answer[s->n_calls].error_message)
        snprintf(result->error_message, sizeof result->error_message, "%s",
                 s->answer[s->n_calls].error_message);
    s->n_calls++;
}

static char api[64];

static const char *start(const canned_response *responses, size_t n)
{
    snprintf(api, sizeof api, "127.0.0.1:%d", canned_server_start(responses, n));
    return api;
}

static void assert_request_line(size_t i, const char *line)
{
    const char *head = canned_server_request(i);
    if (strncmp(head, line, strlen(line)) != 0 || strncmp(head + strlen(line), " HTTP/1.1\r\n", 11))
        fail_msg("request %zu: expected '%s', got '%.80s'", i, line, head);
}

/* Request i's body is the JSON document `expected`. */
static void assert_body_json(size_t i, const char *expected)
{
    json_error_t e;
    json_t *got = json_loads(canned_server_body(i), 0, &e);
    json_t *want = json_loads(expected, 0, &e);
    assert_non_null(want);
    if (!got || !json_equal(got, want))
        fail_msg("request %zu: body '%s', expected %s", i, canned_server_body(i), expected);
    json_decref(got);
    json_decref(want);
}

static void test_handler_gets_the_invocation(void **state)
{
    (void)state;
    static const canned_response bare = {200, "Lambda-Runtime-Aws-Request-Id: r-2\r\n", "[]"};
    canned_response responses[] = {next_event, accepted, bare, accepted};
    script s = {.answer = {{1, "{\"done\":true}", NULL, NULL}, {1, NULL, NULL, NULL}}};
    unsetenv("_X_AMZN_TRACE_ID");
    assert_int_equal(lambda_runtime_run(start(responses, 4), handler, &s, 2), 0);
    assert_int_equal(s.n_calls, 2);

    seen *c = &s.calls[0];
    assert_string_equal(c->request_id, REQUEST_ID);
    assert_true(c->deadline_ms == 1764547260000);
    assert_string_equal(c->function_arn, FUNCTION_ARN);
    assert_string_equal(c->trace_id, TRACE);
    assert_string_equal(c->trace_env, TRACE);
    assert_string_equal(c->event, EVENT);
    assert_int_equal(c->event_len, strlen(EVENT));

    /* No trace, no deadline, no ARN: the defaults, and the previous trace
     * id is not left in the environment. */
    c = &s.calls[1];
    assert_string_equal(c->request_id, "r-2");
    assert_true(c->deadline_ms == 0);
    assert_string_equal(c->function_arn, "");
    assert_string_equal(c->trace_id, "");
    assert_string_equal(c->trace_env, "(unset)");
    assert_string_equal(c->event, "[]");

    assert_int_equal(canned_server_requests(), 4);
    assert_request_line(0, "GET /2018-06-01/runtime/invocation/next");
    assert_request_line(1, "POST /2018-06-01/runtime/invocation/" REQUEST_ID "/response");
    assert_string_equal(canned_server_body(1), "{\"done\":true}");
    assert_null(strstr(canned_server_request(1), "Lambda-Runtime-Function-Error-Type"));
    assert_request_line(2, "GET /2018-06-01/runtime/invocation/next");
    /* ok with an empty response answers JSON null. */
    assert_request_line(3, "POST /2018-06-01/runtime/invocation/r-2/response");
    assert_string_equal(canned_server_body(3), "null");
    canned_server_stop();
}

static void test_failure_posts_an_error_document(void **state)
{
    (void)state;
    static const canned_response second = {200, "Lambda-Runtime-Aws-Request-Id: r-2\r\n", "{}"};
    canned_response responses[] = {next_event, accepted, second, accepted};
    /* The loop goes on after a handler error; an empty type reads "Error". */
    script s = {.answer = {{0, "ignored", "CfnParseError", "the event is \"odd\"\nline 2"},
                           {0, NULL, NULL, "no type"}}};
    assert_int_equal(lambda_runtime_run(start(responses, 4), handler, &s, 2), 0);
    assert_int_equal(s.n_calls, 2);

    assert_request_line(1, "POST /2018-06-01/runtime/invocation/" REQUEST_ID "/error");
    assert_non_null(strstr(canned_server_request(1),
                           "\r\nLambda-Runtime-Function-Error-Type: CfnParseError\r\n"));
    assert_non_null(strstr(canned_server_request(1), "\r\nContent-Type: application/json\r\n"));
    assert_body_json(1, "{\"errorType\":\"CfnParseError\",\"errorMessage\":"
                        "\"the event is \\\"odd\\\"\\nline 2\",\"stackTrace\":[]}");

    assert_request_line(3, "POST /2018-06-01/runtime/invocation/r-2/error");
    assert_non_null(
        strstr(canned_server_request(3), "\r\nLambda-Runtime-Function-Error-Type: Error\r\n"));
    assert_body_json(3, "{\"errorType\":\"Error\",\"errorMessage\":\"no type\",\"stackTrace\":[]}");
    assert_int_equal(canned_server_count("/response"), 0);
    canned_server_stop();
}

/* An event whose request id is missing or cannot go into a path stops the
 * loop: nothing is posted and the handler never runs. */
static void test_unusable_request_id_stops(void **state)
{
    (void)state;
    static const canned_response events[] = {
        {200, "Content-Type: application/json\r\n", EVENT},
        {200, "Lambda-Runtime-Aws-Request-Id: ../../init/error\r\n", EVENT},
        {200, "Lambda-Runtime-Aws-Request-Id: a?b\r\n", EVENT},
        {200, "Lambda-Runtime-Aws-Request-Id: \r\n", EVENT},
    };
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        canned_response responses[] = {events[i], accepted};
        script s = {.answer = {{1, "{}", NULL, NULL}}};
        assert_int_equal(lambda_runtime_run(start(responses, 2), handler, &s, 3), 1);
        assert_int_equal(s.n_calls, 0);
        assert_int_equal(canned_server_requests(), 1);
        assert_int_equal(canned_server_count("POST"), 0);
        canned_server_stop();
    }
}

static void test_next_refused_stops(void **state)
{
    (void)state;
    static const canned_response broken = {500, NULL, "{\"errorMessage\":\"busy\"}"};
    canned_response responses[] = {broken, next_event, accepted};
    script s = {.answer = {{1, "{}", NULL, NULL}}};
    assert_int_equal(lambda_runtime_run(start(responses, 3), handler, &s, 0), 1);
    assert_int_equal(s.n_calls, 0);
    assert_int_equal(canned_server_requests(), 1);
    canned_server_stop();

    /* A result the Runtime API refuses stops it too (after the handler). */
    static const canned_response gone = {413, NULL, "{\"errorType\":\"RequestEntityTooLarge\"}"};
    canned_response refused[] = {next_event, gone, next_event};
    script t = {.answer = {{1, "{}", NULL, NULL}, {1, "{}", NULL, NULL}}};
    assert_int_equal(lambda_runtime_run(start(refused, 3), handler, &t, 0), 1);
    assert_int_equal(t.n_calls, 1);
    assert_int_equal(canned_server_requests(), 2);
    canned_server_stop();

    /* Nobody listening. */
    assert_int_equal(lambda_runtime_run("127.0.0.1:1", handler, &t, 0), 1);
    assert_int_equal(t.n_calls, 1);
}

static void test_parse_deadline(void **state)
{
    (void)state;
    assert_true(lambda_runtime_parse_deadline("1764547260000") == 1764547260000);
    assert_true(lambda_runtime_parse_deadline("1") == 1);
    const char *zero[] = {"", "0", "-1", "-1764547260000", "abc", "12abc", "1.5", "0x10", "1 "};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (lambda_runtime_parse_deadline(zero[i]) != 0)
            fail_msg("deadline '%s' read as %lld", zero[i],
                     (long long)lambda_runtime_parse_deadline(zero[i]));
    assert_true(lambda_runtime_parse_deadline(NULL) == 0);
}

/* The budget of an invocation with `budget_ms` left at `now`. */
static lambda_budget budget_with(int64_t now, int64_t budget_ms)
{
    lambda_invocation inv = {.deadline_ms = budget_ms ? now + budget_ms : 0};
    return lambda_invocation_budget(&inv, now);
}

static void test_budget_keeps_a_quarter_back(void **state)
{
    (void)state;
    const int64_t now = 1764547200000;
    /* 20 s: 5 s kept back, AWS calls may use 2.5 s of it. */
    lambda_budget b = budget_with(now, 20000);
    assert_true(b.deadline_ms == now + 20000);
    assert_true(b.stop_at_ms == now + 15000);
    assert_true(b.calls_until_ms == now + 17500);
    /* 4 s: at least 2 s kept back. */
    b = budget_with(now, 4000);
    assert_true(b.stop_at_ms == now + 2000);
    assert_true(b.calls_until_ms == now + 3000);
    /* 15 min: at most 10 s kept back. */
    b = budget_with(now, 900000);
    assert_true(b.stop_at_ms == now + 890000);
    assert_true(b.calls_until_ms == now + 895000);
    /* No deadline (ecs-tasks invoke), or one already past: Lambda's maximum. */
    b = budget_with(now, 0);
    assert_true(b.deadline_ms == now + 900000);
    assert_true(b.stop_at_ms == now + 890000);
    lambda_invocation past = {.deadline_ms = now - 1};
    assert_true(lambda_invocation_budget(&past, now).deadline_ms == now + 900000);
}

static void test_valid_request_id(void **state)
{
    (void)state;
    char longest[257];
    memset(longest, 'a', 255);
    longest[255] = '\0';
    assert_true(lambda_runtime_valid_request_id(REQUEST_ID));
    assert_true(lambda_runtime_valid_request_id("r"));
    assert_true(lambda_runtime_valid_request_id(longest));
    longest[255] = 'a';
    longest[256] = '\0';
    assert_false(lambda_runtime_valid_request_id(longest));
    const char *bad[] = {"",    "a/b",  "../x", "a?b",  "a#b",  "a%2Fb",
                         "a b", "a\tb", "a\rb", "a\nb", "\x01", "a\x7f"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lambda_runtime_valid_request_id(bad[i]))
            fail_msg("request id '%s' accepted", bad[i]);
    assert_false(lambda_runtime_valid_request_id(NULL));
}

static void test_init_error(void **state)
{
    (void)state;
    canned_response ok[] = {accepted};
    assert_int_equal(
        lambda_runtime_init_error(start(ok, 1), "Runtime.ConfigError", "AWS_REGION is not set"), 0);
    assert_int_equal(canned_server_requests(), 1);
    assert_request_line(0, "POST /2018-06-01/runtime/init/error");
    assert_non_null(strstr(canned_server_request(0),
                           "\r\nLambda-Runtime-Function-Error-Type: Runtime.ConfigError\r\n"));
    assert_body_json(0, "{\"errorType\":\"Runtime.ConfigError\",\"errorMessage\":"
                        "\"AWS_REGION is not set\",\"stackTrace\":[]}");
    canned_server_stop();

    static const canned_response refused = {500, NULL, "{}"};
    canned_response bad[] = {refused};
    assert_int_equal(lambda_runtime_init_error(start(bad, 1), "E", "m"), -1);
    assert_int_equal(canned_server_requests(), 1);
    canned_server_stop();
    assert_int_equal(lambda_runtime_init_error("127.0.0.1:1", "E", "m"), -1);
}

int main(void)
{
    log_set_output(stderr);
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handler_gets_the_invocation),
        cmocka_unit_test(test_failure_posts_an_error_document),
        cmocka_unit_test(test_unusable_request_id_stops),
        cmocka_unit_test(test_next_refused_stops),
        cmocka_unit_test(test_parse_deadline),
        cmocka_unit_test(test_budget_keeps_a_quarter_back),
        cmocka_unit_test(test_valid_request_id),
        cmocka_unit_test(test_init_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
