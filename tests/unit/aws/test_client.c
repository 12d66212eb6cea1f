/* SPDX-License-Identifier: Apache-2.0 */
/* aws/client.c against a canned HTTP server, with an injected clock and
 * jitter. The retry loop: which sleeps are taken, how many attempts are made,
 * and that nothing waits past the deadline. The three protocols: the request
 * each builds (path, query, headers, body) and its signature, and how each
 * reads the answer. The redactor that masks AWS error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/sigv4.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"
#include "util/log.h"

#define JSON_HDR CANNED_AWS_JSON

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
    aws_client *c = canned_aws_client(script, n, &fc);
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
    canned_aws_stop(c);
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
    canned_aws_stop(c);
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
    canned_aws_stop(c);
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
    canned_aws_stop(c);
}

/* --- the three protocols ------------------------------------------------- */

/* The Authorization header sigv4.h makes for this request, as the client
 * should have signed it (Host first, then the extra headers). */
static void expected_authorization(const char *method, const char *path, const char *query,
                                   const sigv4_header *extra, size_t n_extra, const char *body,
                                   const char *service, char *out, size_t cap)
{
    sigv4_header h[8];
    h[0] = (sigv4_header){"Host", canned_aws_authority()};
    for (size_t i = 0; i < n_extra; i++)
        h[i + 1] = extra[i];
    char date[17];
    sigv4_format_date(1700000000000, date);
    sigv4_request req = {method, path, query, h, n_extra + 1, body, body ? strlen(body) : 0};
    sigv4_params p = {
        CANNED_AWS_KEY_ID, CANNED_AWS_SECRET, NULL, CANNED_AWS_REGION, service, date, 1, 1, 0};
    sigv4_result r;
    assert_int_equal(sigv4_sign(&req, &p, &r), 0);
    snprintf(out, cap, "%s", r.authorization);
    sigv4_result_free(&r);
}

static void test_json_protocol(void **state)
{
    (void)state;
    canned_response script[] = {{200, JSON_HDR, "{\"clusterArns\":[\"arn:c\"]}"}};
    aws_client *c = client_for(script, 1);
    json_t *req = json_pack("{s:i, s:s}", "maxResults", 5, "note", "caf\xc3\xa9");
    json_t *out = NULL;
    aws_error err;
    assert_int_equal(aws_call_json(c, &AWS_SERVICE_ECS, "ListClusters", req, &out, &err), 0);
    assert_true(json_is_object(out));
    assert_string_equal(json_string_value(json_array_get(json_object_get(out, "clusterArns"), 0)),
                        "arn:c");
    json_decref(out);

    /* A NULL request sends {}. */
    assert_int_equal(aws_call_json(c, &AWS_SERVICE_SSM, "DescribeParameters", NULL, &out, &err), 0);
    json_decref(out);

    char v[512];
    assert_true(!strncmp(canned_server_request(0), "POST / HTTP/1.1\r\n", 17));
    assert_string_equal(canned_server_header(0, "X-Amz-Target", v, sizeof v),
                        "AmazonEC2ContainerServiceV20141113.ListClusters");
    assert_string_equal(canned_server_header(0, "Content-Type", v, sizeof v),
                        "application/x-amz-json-1.1");
    json_t *sent = canned_aws_json(0);
    assert_true(json_equal(sent, req));
    json_decref(sent);
    /* Both headers are signed, with the body. */
    sigv4_header extra[] = {{"Content-Type", "application/x-amz-json-1.1"},
                            {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"}};
    char expect[512];
    expected_authorization("POST", "/", NULL, extra, 2, canned_server_body(0), "ecs", expect,
                           sizeof expect);
    assert_string_equal(canned_server_header(0, "Authorization", v, sizeof v), expect);
    assert_non_null(
        strstr(v, "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="));

    assert_string_equal(canned_server_header(1, "X-Amz-Target", v, sizeof v),
                        "AmazonSSM.DescribeParameters");
    assert_string_equal(canned_server_body(1), "{}");
    assert_non_null(strstr(canned_server_header(1, "Authorization", v, sizeof v),
                           "/us-east-1/ssm/aws4_request"));
    json_decref(req);
    canned_aws_stop(c);
}

/* A 2xx answer that is not a JSON object is InvalidResponse; an empty one is
 * an empty object. */
static void test_json_answer_not_an_object(void **state)
{
    (void)state;
    canned_response script[] = {{200, JSON_HDR, "[1,2]"},
                                {200, JSON_HDR, "\"text\""},
                                {200, JSON_HDR, "{\"cut\": "},
                                {200, JSON_HDR, ""}};
    aws_client *c = client_for(script, 4);
    for (int i = 0; i < 3; i++) {
        json_t *out = (json_t *)1;
        aws_error err;
        assert_int_equal(aws_call_json(c, &AWS_SERVICE_ECS, "ListClusters", NULL, &out, &err), -1);
        assert_null(out);
        assert_string_equal(err.code, AWS_ERR_PARSE);
        assert_int_equal(err.http_status, 200);
        assert_non_null(strstr(err.message, "ListClusters"));
        assert_int_equal(err.attempts, 1); /* not retried */
    }
    json_t *out = NULL;
    aws_error err;
    assert_int_equal(aws_call_json(c, &AWS_SERVICE_ECS, "ListClusters", NULL, &out, &err), 0);
    assert_true(json_is_object(out));
    assert_int_equal(json_object_size(out), 0);
    json_decref(out);
    assert_int_equal(canned_server_requests(), 4);
    canned_aws_stop(c);
}

static void test_rest_protocol(void **state)
{
    (void)state;
    canned_response script[] = {{202, NULL, ""},
                                {404, "X-Amzn-ErrorType: ResourceNotFoundException\r\n",
                                 "{\"Message\":\"Function not found\"}"}};
    aws_client *c = client_for(script, 2);
    const char *path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/"
                       "invocations";
    const char *query = "Qualifier=v%201&b=2";
    http_header h[] = {{"X-Amz-Invocation-Type", "Event"}};
    http_response resp;
    aws_error err;
    assert_int_equal(
        aws_call_rest(c, &AWS_SERVICE_LAMBDA, "POST", path, query, h, 1, "{}", 2, &resp, &err), 0);
    assert_int_equal(resp.status, 202);
    http_response_free(&resp);

    char line[512], v[512];
    snprintf(line, sizeof line, "POST %s?%s HTTP/1.1\r\n", path, query);
    assert_true(!strncmp(canned_server_request(0), line, strlen(line)));
    assert_string_equal(canned_server_header(0, "X-Amz-Invocation-Type", v, sizeof v), "Event");
    assert_string_equal(canned_server_body(0), "{}");
    /* Signed as sent: the path and the query string are in the signature. */
    sigv4_header extra[] = {{"X-Amz-Invocation-Type", "Event"}};
    char expect[512], without_query[512];
    expected_authorization("POST", path, query, extra, 1, "{}", "lambda", expect, sizeof expect);
    expected_authorization("POST", path, NULL, extra, 1, "{}", "lambda", without_query,
                           sizeof without_query);
    assert_string_not_equal(expect, without_query);
    assert_string_equal(canned_server_header(0, "Authorization", v, sizeof v), expect);

    /* A non-2xx answer is an error, decoded; no query, no '?'. */
    assert_int_equal(aws_call_rest(c, &AWS_SERVICE_LAMBDA, "GET", "/2015-03-31/functions/f", NULL,
                                   NULL, 0, NULL, 0, &resp, &err),
                     -1);
    assert_string_equal(err.code, "ResourceNotFoundException");
    assert_string_equal(err.message, "Function not found");
    assert_int_equal(err.http_status, 404);
    assert_true(!strncmp(canned_server_request(1), "GET /2015-03-31/functions/f HTTP/1.1\r\n", 38));
    canned_aws_stop(c);
}

static void test_query_protocol(void **state)
{
    (void)state;
    const char *xml = "<DescribeStacksResponse><x>1</x></DescribeStacksResponse>";
    canned_response script[] = {
        {200, "Content-Type: text/xml\r\n", xml},
        {400, "Content-Type: text/xml\r\n",
         "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
         "<Message>Stack with id s does not exist</Message></Error></ErrorResponse>"}};
    aws_client *c = client_for(script, 2);
    http_header params[] = {{"StackName", "my stack/\xc3\xa9&x=1+2"}, {"NextToken", "a~b_c.d-e"}};
    buf out;
    buf_init(&out, 1u << 20);
    aws_error err;
    assert_int_equal(aws_call_query(c, &AWS_SERVICE_CLOUDFORMATION, "DescribeStacks", "2010-05-15",
                                    params, 2, &out, &err),
                     0);
    assert_string_equal(buf_cstr(&out), xml);
    assert_true(!strncmp(canned_server_request(0), "POST / HTTP/1.1\r\n", 17));
    assert_string_equal(canned_server_body(0), "Action=DescribeStacks&Version=2010-05-15"
                                               "&StackName=my%20stack%2F%C3%A9%26x%3D1%2B2"
                                               "&NextToken=a~b_c.d-e");
    char v[512];
    assert_string_equal(canned_server_header(0, "Content-Type", v, sizeof v),
                        "application/x-www-form-urlencoded; charset=utf-8");
    assert_non_null(strstr(canned_server_header(0, "Authorization", v, sizeof v),
                           "/us-east-1/cloudformation/aws4_request"));

    /* The XML error answer is decoded. */
    assert_int_equal(aws_call_query(c, &AWS_SERVICE_CLOUDFORMATION, "DescribeStacks", "2010-05-15",
                                    params, 1, &out, &err),
                     -1);
    assert_string_equal(err.code, "ValidationError");
    assert_string_equal(err.message, "Stack with id s does not exist");
    buf_free(&out);
    canned_aws_stop(c);
}

/* An AWS error message that echoes a registered secret comes back masked. */
static void test_redactor_masks_error_messages(void **state)
{
    (void)state;
    canned_response script[] = {{400, JSON_HDR,
                                 "{\"__type\":\"ValidationException\",\"message\":\"value "
                                 "hunter2-topsecret is not valid\"}"}};
    aws_client *c = client_for(script, 1);
    aws_error err;
    /* No redactor: the message as AWS sent it. */
    assert_int_equal(list_clusters(c, &err), -1);
    assert_non_null(strstr(err.message, "hunter2-topsecret"));

    redactor *r = redact_new();
    assert_int_equal(redact_add(r, "hunter2-topsecret"), 0);
    aws_client_set_redactor(c, r);
    assert_int_equal(list_clusters(c, &err), -1);
    assert_string_equal(err.code, "ValidationException");
    assert_string_equal(err.message, "value " REDACT_MASK " is not valid");

    /* A blind redactor withholds the message. */
    redact_set_blind(r);
    assert_int_equal(list_clusters(c, &err), -1);
    assert_null(strstr(err.message, "hunter2"));
    assert_null(strstr(err.message, "not valid"));

    aws_client_set_redactor(c, NULL);
    assert_int_equal(list_clusters(c, &err), -1);
    assert_non_null(strstr(err.message, "hunter2-topsecret"));
    canned_aws_stop(c);
    redact_free(r);
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
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_throttled_twice_then_ok),
        T(test_gives_up_after_max_attempts),
        T(test_not_retried),
        T(test_backoff_bounded_by_deadline),
        T(test_json_protocol),
        T(test_json_answer_not_an_object),
        T(test_rest_protocol),
        T(test_query_protocol),
        T(test_redactor_masks_error_messages),
        T(test_fixed_and_unsigned_clients),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
