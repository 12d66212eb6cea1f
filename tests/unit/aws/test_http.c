/* SPDX-License-Identifier: Apache-2.0 */
/* http: a header name or value with a control character is never sent (the
 * last line of defence behind the callers' own checks); ordinary requests
 * go out with their headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "aws/http.h"
#include "support/canned_server.h"

static void test_header_value_ok(void **state)
{
    (void)state;
    assert_true(http_header_value_ok("Bearer abc=/+"));
    assert_true(http_header_value_ok(""));
    assert_true(http_header_value_ok("caf\xc3\xa9"));
    assert_false(http_header_value_ok("a\r\nX-Evil: 1"));
    assert_false(http_header_value_ok("a\nb"));
    assert_false(http_header_value_ok("tab\there"));
    assert_false(http_header_value_ok("del\x7f"));
    assert_false(http_header_value_ok(NULL));
}

static void test_control_characters_never_sent(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, "ok"}};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", canned_server_start(script, 1));
    http_client *c = http_client_new();
    http_response resp;
    aws_error err;
    http_header good = {"X-Token", "abc"};
    http_request req = {.method = "GET", .url = url, .headers = &good, .n_headers = 1};
    assert_int_equal(http_send(c, &req, &resp, &err), 0);
    assert_int_equal(resp.status, 200);
    http_response_free(&resp);
    assert_non_null(strstr(canned_server_request(0), "X-Token: abc\r\n"));

    http_header bad[] = {{"X-Token", "secret-token-value\r\nX-Injected: 1"},
                         {"X-Bad\r\nName", "v"},
                         {"X-Colon:", "v"},
                         {"", "v"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        req.headers = &bad[i];
        assert_int_equal(http_send(c, &req, &resp, &err), -1);
        assert_string_equal(err.code, AWS_ERR_CONFIG);
        assert_null(strstr(err.message, "secret-token-value"));
        http_response_free(&resp); /* safe on the empty response */
    }
    assert_non_null(strstr(err.message, "refusing to send header"));
    assert_int_equal(canned_server_requests(), 1);
    http_client_free(c);
    canned_server_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_value_ok),
        cmocka_unit_test(test_control_characters_never_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
