/* SPDX-License-Identifier: Apache-2.0 */
/* The signed, retried call loop of aws/client.c, with an injected clock and
 * jitter, against a canned HTTP server: which sleeps are taken, how many
 * attempts are made, and that nothing waits past the deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"
#include "util/log.h"

#define JSON_HDR "Content-Type: application/x-amz-json-1.1\r\n"

static const canned_response throttle = {400, JSON_HDR,
                                         "{\"__type\":\"ThrottlingException\",\"message\":\"slow "
                                         "down\"}"};
static const canned_response unavailable = {503, NULL, "<html>busy</html>"};
static const canned_response ok = {200, JSON_HDR, "{\"clusterArns\":[]}"};
static const canned_response denied = {400, JSON_HDR,
                                       "{\"__type\":\"AccessDeniedException\",\"message\":\"no\"}"};

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(script, n));
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    unsetenv("AWS_MAX_ATTEMPTS");
    fake_clock_init(&fc, 1700000000000);
    aws_error err;
    aws_client *c = aws_client_new(&fc.clock, &err);
    assert_non_null(c);
    return c;
}

static int list_clusters(aws_client *c, aws_error *err)
{
    json_t *out = NULL;
    int rc = aws_call_json(c, &AWS_SERVICE_ECS, "ListClusters", NULL, &out, err);
    json_decref(out);
    return rc;
}

static void test_throttled_twice_then_ok(void **state)
{
    (void)state;
    canned_response script[] = {throttle, throttle, ok};
    aws_client *c = client_for(script, 3);
    aws_error err;
    assert_int_equal(list_clusters(c, &err), 0);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(fc.n_sleeps, 2);
    assert_int_equal(fc.sleeps[0], 500);  /* 0.5 * 1 s */
    assert_int_equal(fc.sleeps[1], 1000); /* 0.5 * 2 s */
    assert_int_equal(canned_server_requests(), 3);
    assert_int_equal(canned_server_connections(), 1); /* kept alive across retries */
    const char *first = canned_server_request(0);
    assert_non_null(strstr(first, "POST / HTTP/1.1"));
    assert_non_null(strstr(first, "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters"));
    assert_non_null(strstr(first, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
    assert_null(strstr(first, "Expect:"));
    aws_client_free(c);
    canned_server_stop();
}

static void test_gives_up_after_max_attempts(void **state)
{
    (void)state;
    canned_response script[] = {unavailable};
    aws_client *c = client_for(script, 1);
    aws_client_set_max_attempts(c, 4);
    aws_error err;
    assert_int_equal(list_clusters(c, &err), -1);
    assert_string_equal(err.code, "HTTP503");
    assert_int_equal(err.http_status, 503);
    assert_int_equal(err.attempts, 4);
    assert_int_equal(fc.n_sleeps, 3);
    assert_int_equal(fc.sleeps[2], 2000);
    aws_client_free(c);
    canned_server_stop();
}

static void test_not_retried(void **state)
{
    (void)state;
    canned_response script[] = {denied, ok};
    aws_client *c = client_for(script, 2);
    aws_error err;
    assert_int_equal(list_clusters(c, &err), -1);
    assert_string_equal(err.code, "AccessDeniedException");
    assert_int_equal(err.attempts, 1);
    assert_int_equal(fc.n_sleeps, 0);
    aws_client_free(c);
    canned_server_stop();
}

static void test_backoff_bounded_by_deadline(void **state)
{
    (void)state;
    canned_response script[] = {throttle};
    aws_client *c = client_for(script, 1);
    aws_client_set_max_attempts(c, 10);
    int64_t deadline = fc.now_ms + 1550;
    aws_client_set_deadline(c, deadline);
    aws_error err;
    assert_int_equal(list_clusters(c, &err), -1);
    /* Sleeps 500; a second sleep of 1000 would leave 50 ms, less than an
     * attempt needs: it stops instead. */
    assert_int_equal(fc.n_sleeps, 1);
    assert_true(fc.now_ms <= deadline);
    assert_string_equal(err.code, "ThrottlingException");
    assert_int_equal(err.attempts, 2);
    /* A deadline already passed makes no attempt at all. */
    aws_client_set_deadline(c, fc.now_ms - 1);
    size_t before = canned_server_requests();
    assert_int_equal(list_clusters(c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_DEADLINE);
    assert_int_equal(canned_server_requests(), before);
    aws_client_free(c);
    canned_server_stop();
}

/* A client made with fixed credentials signs with them and never looks at
 * the chain; an unsigned one sends no Authorization at all. */
static void test_fixed_and_unsigned_clients(void **state)
{
    (void)state;
    canned_response script[] = {ok};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", canned_server_start(script, 1));
    setenv("AWS_ENDPOINT_URL", url, 1);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    setenv("AWS_PROFILE", "does-not-exist", 1);
    fake_clock_init(&fc, 1700000000000);
    http_client *http = http_client_new();
    aws_credentials fixed = {.access_key_id = "AKIDFIXED",
                             .secret_access_key = "fixed-secret",
                             .session_token = "fixed-token"};
    aws_client_config config = {
        .clock = &fc.clock, .region = "ap-south-1", .http = http, .credentials = &fixed};
    aws_error err;
    aws_client *c = aws_client_new_config(&config, &err);
    assert_non_null(c);
    assert_string_equal(aws_client_region(c), "ap-south-1");
    assert_ptr_equal(aws_client_http(c), http);
    assert_int_equal(list_clusters(c, &err), 0);
    assert_non_null(
        strstr(canned_server_request(0), "Credential=AKIDFIXED/20231114/ap-south-1/ecs/"));
    assert_non_null(strstr(canned_server_request(0), "X-Amz-Security-Token: fixed-token"));
    aws_client_free(c);

    config.credentials = NULL;
    config.unsigned_requests = 1;
    c = aws_client_new_config(&config, &err);
    assert_non_null(c);
    assert_int_equal(list_clusters(c, &err), 0);
    assert_null(strstr(canned_server_request(1), "Authorization"));
    assert_null(strstr(canned_server_request(1), "X-Amz-Security-Token"));
    aws_client_free(c);

    config.region = "eu-west-1.evil.example";
    assert_null(aws_client_new_config(&config, &err));
    assert_string_equal(err.code, AWS_ERR_CONFIG);
    http_client_free(http); /* borrowed by the clients: still usable until here */
    unsetenv("AWS_PROFILE");
    canned_server_stop();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_throttled_twice_then_ok),
        cmocka_unit_test(test_gives_up_after_max_attempts),
        cmocka_unit_test(test_not_retried),
        cmocka_unit_test(test_backoff_bounded_by_deadline),
        cmocka_unit_test(test_fixed_and_unsigned_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
