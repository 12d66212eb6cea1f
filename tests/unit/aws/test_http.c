/* SPDX-License-Identifier: Apache-2.0 */
/* aws/http.c against a canned HTTP server: the request as sent (method, path,
 * headers, body; no "Expect:", no libcurl default Content-Type, an empty
 * Content-Type kept empty), the answer as parsed (any status, lower-cased and
 * trimmed header names and values), one kept-alive connection per origin,
 * errors that never show the URL, the body size limit and timeouts (the trust
 * store: test_trust.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aws/http.h"
#include "support/aws_env.h"
#include "support/canned_server.h"

static int port;

static const char *url_for(const char *path_and_query)
{
    static char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path_and_query);
    return url;
}

static void start(const canned_response *script, size_t n)
{
    port = canned_server_start(script, n);
}

/* Sends one request and expects an answer. */
static void send_ok(http_client *c, const http_request *req, http_response *resp)
{
    aws_error err;
    aws_error_clear(&err);
    int rc = http_send(c, req, resp, &err);
    if (rc != 0)
        fail_msg("http_send: %s: %s", err.code, err.message);
}

/* Whether the message holds any part of the URLs the tests use. */
static void assert_no_url(const char *message)
{
    assert_null(strstr(message, "127.0.0.1"));
    assert_null(strstr(message, "http://"));
    assert_null(strstr(message, "/hidden/path"));
    assert_null(strstr(message, "X-Amz-Signature"));
    assert_null(strstr(message, "deadbeef"));
}

/* A port on 127.0.0.1 where nothing listens. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_request_as_given(void **state)
{
    (void)state;
    canned_response script[] = {{201, NULL, "made"}};
    start(script, 1);
    http_client *c = http_client_new();
    assert_non_null(c);
    http_header h[] = {{"X-Test-One", "a b"},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    const char *body = "{\"k\":\"v\"}";
    http_request req = {.method = "PUT",
                        .url = url_for("/some/path?a=1&b=%2F"),
                        .headers = h,
                        .n_headers = 3,
                        .body = body,
                        .body_len = strlen(body),
                        .timeout_ms = 5000};
    http_response resp;
    send_ok(c, &req, &resp);
    assert_int_equal(resp.status, 201);
    assert_int_equal(resp.body.len, 4);
    assert_string_equal(buf_cstr(&resp.body), "made");
    http_response_free(&resp);

    const char *head = canned_server_request(0);
    assert_true(!strncmp(head, "PUT /some/path?a=1&b=%2F HTTP/1.1\r\n", 35));
    assert_non_null(strstr(head, "\r\nX-Test-One: a b\r\n"));
    assert_non_null(strstr(head, "\r\nContent-Type: application/json\r\n"));
    assert_non_null(strstr(head, "\r\nAccept: application/json\r\n"));
    assert_int_equal(canned_server_count("Accept"), 1);
    assert_non_null(strstr(head, "\r\nContent-Length: 9\r\n"));
    char host[64];
    snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", port);
    assert_non_null(strstr(head, host));
    assert_string_equal(canned_server_body(0), body);
    http_client_free(c);
    canned_server_stop();
}

/* Every header on the wire is one the caller gave, or Host, or
 * Content-Length (http.h): nothing libcurl would add by itself. */
static void test_no_header_added(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, ""}};
    start(script, 1);
    http_client *c = http_client_new();
    http_header h[] = {{"X-Given", "1"}};
    const char *methods[] = {"GET", "POST"};
    for (size_t m = 0; m < 2; m++) {
        http_request req = {.method = methods[m],
                            .url = url_for("/"),
                            .headers = h,
                            .n_headers = 1,
                            .body = m ? "x=1" : NULL,
                            .body_len = m ? 3 : 0};
        http_response resp;
        send_ok(c, &req, &resp);
        http_response_free(&resp);
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", canned_server_request(m));
        char *save = NULL;
        char *line = strtok_r(copy, "\r\n", &save); /* the request line */
        assert_non_null(line);
        assert_true(!strncmp(line, methods[m], strlen(methods[m])));
        size_t n = 0;
        while ((line = strtok_r(NULL, "\r\n", &save))) {
            n++;
            if (strncasecmp(line, "Host:", 5) && strncasecmp(line, "Content-Length:", 15) &&
                strncasecmp(line, "X-Given:", 8))
                fail_msg("%s sent a header the caller did not give: %s", methods[m], line);
        }
        assert_int_equal(n, m ? 3 : 2);
    }
    /* In particular, a POST gets no "Content-Type:
     * application/x-www-form-urlencoded" from libcurl. */
    assert_int_equal(canned_server_count("Content-Type"), 0);
    assert_int_equal(canned_server_count("Accept"), 0);
    http_client_free(c);
    canned_server_stop();
}

/* libcurl sends "Expect: 100-continue" before a large body unless told not
 * to; a server that does not answer 100 would then stall the request. */
static void test_no_expect_header(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, "ok"}};
    start(script, 1);
    http_client *c = http_client_new();
    size_t len = 2u * 1024u * 1024u;
    char *body = malloc(len + 1);
    assert_non_null(body);
    memset(body, 'b', len);
    body[len] = '\0';
    http_header h[] = {{"Content-Type", "application/octet-stream"}};
    http_request req = {.method = "POST",
                        .url = url_for("/upload"),
                        .headers = h,
                        .n_headers = 1,
                        .body = body,
                        .body_len = len};
    http_response resp;
    send_ok(c, &req, &resp);
    assert_int_equal(resp.status, 200);
    http_response_free(&resp);
    assert_null(strcasestr(canned_server_request(0), "Expect:"));
    assert_null(strcasestr(canned_server_request(0), "100-continue"));
    assert_int_equal(strlen(canned_server_body(0)), len);
    free(body);
    http_client_free(c);
    canned_server_stop();
}

/* CloudFormation's pre-signed response URL is signed with an empty
 * Content-Type: a header given with an empty value goes out empty. */
static void test_empty_content_type_sent_empty(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, ""}};
    start(script, 1);
    http_client *c = http_client_new();
    http_header h[] = {{"Content-Type", ""}};
    const char *body = "{\"Status\":\"SUCCESS\"}";
    http_request req = {.method = "PUT",
                        .url = url_for("/response"),
                        .headers = h,
                        .n_headers = 1,
                        .body = body,
                        .body_len = strlen(body)};
    http_response resp;
    send_ok(c, &req, &resp);
    http_response_free(&resp);
    const char *head = canned_server_request(0);
    const char *ct = strcasestr(head, "\r\nContent-Type:");
    assert_non_null(ct);
    ct += strlen("\r\nContent-Type:");
    while (*ct == ' ')
        ct++;
    assert_true(!strncmp(ct, "\r\n", 2)); /* no value at all */
    assert_int_equal(canned_server_count("Content-Type"), 1);
    assert_string_equal(canned_server_body(0), body);
    http_client_free(c);
    canned_server_stop();
}

static void test_response_headers_lowercased_and_trimmed(void **state)
{
    (void)state;
    canned_response script[] = {{200,
                                 "X-Amzn-RequestId:   abc-123  \r\n"
                                 "X-Amzn-ErrorType:\tThrottling \t\r\n"
                                 "X-Empty:\r\n",
                                 "{}"}};
    start(script, 1);
    http_client *c = http_client_new();
    http_request req = {.method = "GET", .url = url_for("/")};
    http_response resp;
    send_ok(c, &req, &resp);
    int seen_id = 0, seen_type = 0, seen_empty = 0;
    for (size_t i = 0; i < resp.n_headers; i++) {
        for (const char *p = resp.header_names[i]; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        if (!strcmp(resp.header_names[i], "x-amzn-requestid")) {
            assert_string_equal(resp.header_values[i], "abc-123");
            seen_id = 1;
        } else if (!strcmp(resp.header_names[i], "x-amzn-errortype")) {
            assert_string_equal(resp.header_values[i], "Throttling");
            seen_type = 1;
        } else if (!strcmp(resp.header_names[i], "x-empty")) {
            assert_string_equal(resp.header_values[i], "");
            seen_empty = 1;
        }
    }
    assert_true(seen_id && seen_type && seen_empty);
    /* The lookup ignores case. */
    assert_string_equal(http_response_header(&resp, "X-AMZN-REQUESTID"), "abc-123");
    assert_string_equal(http_response_header(&resp, "content-length"), "2");
    assert_null(http_response_header(&resp, "x-absent"));
    http_response_free(&resp);
    http_client_free(c);
    canned_server_stop();
}

/* Any HTTP status is an answer, not an error: the caller decodes it. */
static void test_error_status_is_an_answer(void **state)
{
    (void)state;
    canned_response script[] = {{503, NULL, "busy"}};
    start(script, 1);
    http_client *c = http_client_new();
    http_request req = {.method = "POST", .url = url_for("/")};
    http_response resp;
    send_ok(c, &req, &resp);
    assert_int_equal(resp.status, 503);
    assert_string_equal(buf_cstr(&resp.body), "busy");
    http_response_free(&resp);
    http_client_free(c);
    canned_server_stop();
}

static void test_connection_reused_per_origin(void **state)
{
    (void)state;
    canned_response script[] = {{200, NULL, "1"}};
    start(script, 1);
    http_client *c = http_client_new();
    char other[64];
    snprintf(other, sizeof other, "http://127.0.0.1:%d/", closed_port());
    for (int i = 0; i < 3; i++) {
        http_request req = {.method = "POST", .url = url_for(i % 2 ? "/a?x=1" : "/b")};
        http_response resp;
        send_ok(c, &req, &resp);
        http_response_free(&resp);
        /* A failure on another origin leaves this origin's connection be. */
        http_request bad = {.method = "GET", .url = other, .connect_timeout_ms = 2000};
        aws_error err;
        assert_int_equal(http_send(c, &bad, &resp, &err), -1);
        assert_string_equal(err.code, AWS_ERR_TRANSPORT);
    }
    assert_int_equal(canned_server_requests(), 3);
    assert_int_equal(canned_server_connections(), 1);
    http_client_free(c);
    canned_server_stop();
}

/* An answer over HTTP_MAX_BODY is refused, and the message does not show the
 * URL: a pre-signed URL's query string is a credential. The next request
 * works, on a new connection. */
static void test_body_too_large(void **state)
{
    (void)state;
    size_t len = HTTP_MAX_BODY + 1;
    char *big = malloc(len + 1);
    assert_non_null(big);
    memset(big, 'x', len);
    big[len] = '\0';
    canned_response script[] = {{200, NULL, big}, {200, NULL, "small"}};
    start(script, 2);
    http_client *c = http_client_new();
    http_request req = {.method = "GET",
                        .url = url_for("/hidden/path?X-Amz-Signature=deadbeef"),
                        .timeout_ms = 60000};
    http_response resp;
    aws_error err;
    aws_error_clear(&err);
    assert_int_equal(http_send(c, &req, &resp, &err), -1);
    assert_string_equal(err.code, AWS_ERR_PARSE);
    assert_int_equal(err.http_status, 0);
    assert_non_null(strstr(err.message, "larger than"));
    assert_no_url(err.message);
    assert_int_equal(resp.n_headers, 0); /* nothing to free */
    assert_null(resp.body.data);

    send_ok(c, &req, &resp);
    assert_string_equal(buf_cstr(&resp.body), "small");
    http_response_free(&resp);
    assert_int_equal(canned_server_connections(), 2);
    http_client_free(c);
    canned_server_stop();
    free(big);
}

/* An answer of exactly HTTP_MAX_BODY bytes is accepted. */
static void test_body_at_limit(void **state)
{
    (void)state;
    size_t len = HTTP_MAX_BODY;
    char *big = malloc(len + 1);
    assert_non_null(big);
    memset(big, 'y', len);
    big[len] = '\0';
    canned_response script[] = {{200, NULL, big}};
    start(script, 1);
    http_client *c = http_client_new();
    http_request req = {.method = "GET", .url = url_for("/"), .timeout_ms = 60000};
    http_response resp;
    send_ok(c, &req, &resp);
    assert_int_equal(resp.body.len, len);
    http_response_free(&resp);
    http_client_free(c);
    canned_server_stop();
    free(big);
}

static void test_transport_error_without_url(void **state)
{
    (void)state;
    http_client *c = http_client_new();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hidden/path?X-Amz-Signature=deadbeef",
             closed_port());
    http_request req = {.method = "PUT", .url = url, .body = "b", .body_len = 1};
    http_response resp;
    aws_error err;
    aws_error_clear(&err);
    assert_int_equal(http_send(c, &req, &resp, &err), -1);
    assert_string_equal(err.code, AWS_ERR_TRANSPORT);
    assert_int_equal(err.http_status, 0);
    assert_true(err.message[0] != '\0');
    assert_no_url(err.message);
    http_client_free(c);
}

/* A server that accepts the connection (the kernel does, from the listen
 * backlog) but never answers: the request ends at timeout_ms. */
static void test_timeout(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hidden/path?X-Amz-Signature=deadbeef",
             ntohs(a.sin_port));
    http_client *c = http_client_new();
    http_request req = {.method = "GET", .url = url, .timeout_ms = 300};
    http_response resp;
    aws_error err;
    aws_error_clear(&err);
    assert_int_equal(http_send(c, &req, &resp, &err), -1);
    assert_string_equal(err.code, AWS_ERR_TIMEOUT);
    assert_no_url(err.message);
    http_client_free(c);
    close(fd);
}

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
        cmocka_unit_test_setup_teardown(test_request_as_given, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_no_header_added, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_no_expect_header, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_empty_content_type_sent_empty, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_response_headers_lowercased_and_trimmed, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_error_status_is_an_answer, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_connection_reused_per_origin, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_body_too_large, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_body_at_limit, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_transport_error_without_url, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_timeout, aws_env_setup, aws_env_teardown),
        cmocka_unit_test(test_header_value_ok),
        cmocka_unit_test(test_control_characters_never_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
