/* SPDX-License-Identifier: Apache-2.0 */
/* The response builder: fields, the 4096-byte bound whatever the inputs, the
 * newest log lines kept, masking, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/request.h"
#include "cfn/response.h"
#include "util/redact.h"

#define EVENT(type, extra)                                                                         \
    "{\"RequestType\":\"" type "\",\"ResponseURL\":\"https://s3.example/r?X-Amz-Signature=S\","    \
    "\"StackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/s/1\",\"RequestId\":"       \
    "\"r-1\",\"LogicalResourceId\":\"Migrate\",\"ResourceType\":\"Custom::ECSTask\","              \
    "\"ResourceProperties\":{\"Cluster\":\"c\"}" extra "}"

static cfn_parse_status parse(const char *text, cfn_request *req, char *why)
{
    return cfn_request_parse(text, strlen(text), req, why, 512);
}

static cfn_request parsed(void)
{
    cfn_request req;
    char why[512];
    if (parse(EVENT("Create", ""), &req, why) != CFN_PARSE_OK)
        fail_msg("parse: %s", why);
    return req;
}

static void test_response_fields(void **state)
{
    (void)state;
    cfn_request req = parsed();
    json_t *data = json_pack("{s:s, s:s}", "TaskArn", "arn:t", "Ran", "true");
    cfn_answer o = {.success = 1, .physical_id = "arn:t", .data = data};
    char *body = cfn_response_build(&req, &o, NULL);
    json_t *j = json_loads(body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "Status")), "SUCCESS");
    assert_string_equal(json_string_value(json_object_get(j, "PhysicalResourceId")), "arn:t");
    assert_string_equal(json_string_value(json_object_get(j, "RequestId")), "r-1");
    assert_string_equal(json_string_value(json_object_get(j, "LogicalResourceId")), "Migrate");
    assert_non_null(json_object_get(j, "StackId"));
    assert_null(json_object_get(j, "Reason"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "Data"), "Ran")),
                        "true");
    json_decref(j);
    json_decref(data);
    free(body);
    cfn_request_free(&req);
}

static void test_response_reason_cut_to_fit(void **state)
{
    (void)state;
    cfn_request req = parsed();
    /* Quotes and control characters grow when JSON-escaped. */
    size_t n = 20000;
    char *long_reason = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        long_reason[i] = "ab\"\n\x01\xc3\xa9"[i % 7];
    long_reason[n] = '\0';
    cfn_answer o = {.success = 0, .why = {.head = long_reason}, .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    assert_true(strlen(body) <= CFN_RESPONSE_MAX);
    assert_true(strlen(body) > CFN_RESPONSE_MAX - 64);
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j); /* still valid JSON and valid UTF-8 */
    const char *r = json_string_value(json_object_get(j, "Reason"));
    size_t len = strlen(r);
    assert_string_equal(r + len - strlen(REASON_CUT_MARKER), REASON_CUT_MARKER);
    assert_string_equal(json_string_value(json_object_get(j, "Status")), "FAILED");
    json_decref(j);
    free(body);
    free(long_reason);
    cfn_request_free(&req);
}

static void test_response_short_reason_untouched(void **state)
{
    (void)state;
    cfn_request req = parsed();
    cfn_answer o = {.success = 0,
                    .why = {.head = "Task 1: container app exited with code 3"},
                    .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    assert_non_null(strstr(body, "\"Reason\":\"Task 1: container app exited with code 3\""));
    free(body);
    cfn_request_free(&req);
}

static void test_response_reason_redacted(void **state)
{
    (void)state;
    cfn_request req = parsed();
    redactor *r = redact_new();
    redact_add(r, "hunter22");
    cfn_answer o = {.success = 0,
                    .why = {.head = "login failed for hunter22 at https://x/y?X-Amz-Signature=abc"},
                    .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, r);
    assert_null(strstr(body, "hunter22"));
    assert_null(strstr(body, "X-Amz-Signature"));
    assert_non_null(strstr(body, "login failed for ****"));
    redact_free(r);
    free(body);
    cfn_request_free(&req);
}

static json_t *reason_of(const char *body)
{
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j);
    return j;
}

/* The example: a migration logs thirty 450-byte progress lines, then
 * its two error lines. The Reason must end with the errors, not be cut
 * before them. */
static void test_newest_log_lines_kept(void **state)
{
    (void)state;
    cfn_request req = parsed();
    char **lines = calloc(32, sizeof *lines);
    for (int i = 0; i < 30; i++) {
        lines[i] = malloc(451);
        memset(lines[i], 'p', 450);
        snprintf(lines[i], 20, "progress %02d ", i + 1);
        lines[i][strlen(lines[i])] = 'p';
        lines[i][450] = '\0';
    }
    lines[30] = strdup("ERROR: relation \"users\" already exists");
    lines[31] = strdup("migration 42 failed");
    cfn_answer o = {.success = 0, .physical_id = "p"};
    reason_set(&o.why, "Task 0f1e: container app exited with code 3");
    reason_set_tail(&o.why, "/ecs/migrate ecs/app/0f1e", lines, 32);
    char *body = cfn_response_build(&req, &o, NULL);
    assert_true(strlen(body) <= CFN_RESPONSE_MAX);
    json_t *j = reason_of(body);
    const char *r = json_string_value(json_object_get(j, "Reason"));
    assert_true(!strncmp(r, "Task 0f1e: container app exited with code 3. Last ", 50));
    assert_non_null(strstr(r, "of 32 log lines (/ecs/migrate ecs/app/0f1e):"));
    size_t len = strlen(r);
    const char *end = "\nERROR: relation \"users\" already exists\nmigration 42 failed";
    assert_string_equal(r + len - strlen(end), end);
    assert_non_null(strstr(r, "progress 30 "));
    assert_null(strstr(r, "progress 01 "));
    json_decref(j);
    free(body);
    cfn_answer_free(&o);
    cfn_request_free(&req);
}

/* One enormous newest line: shortened in its middle, its end kept. */
static void test_overlong_newest_line_shortened(void **state)
{
    (void)state;
    cfn_request req = parsed();
    char **lines = calloc(2, sizeof *lines);
    lines[0] = strdup("starting");
    lines[1] = malloc(20001);
    memset(lines[1], 'x', 20000);
    memcpy(lines[1], "Traceback: ", 11);
    memcpy(lines[1] + 20000 - 18, "ValueError: broken", 18);
    lines[1][20000] = '\0';
    cfn_answer o = {.success = 0, .physical_id = "p"};
    reason_set(&o.why, "Task t: container app exited with code 1");
    reason_set_tail(&o.why, "g s", lines, 2);
    char *body = cfn_response_build(&req, &o, NULL);
    assert_true(strlen(body) <= CFN_RESPONSE_MAX);
    json_t *j = reason_of(body);
    const char *r = json_string_value(json_object_get(j, "Reason"));
    assert_non_null(strstr(r, "\nTraceback: "));
    assert_non_null(strstr(r, REASON_LINE_CUT));
    assert_string_equal(r + strlen(r) - 18, "ValueError: broken");
    json_decref(j);
    free(body);
    cfn_answer_free(&o);
    cfn_request_free(&req);
}

/* A Reason that is not UTF-8 goes out repaired, never dropped. */
static void test_invalid_utf8_reason_kept(void **state)
{
    (void)state;
    cfn_request req = parsed();
    cfn_answer o = {.success = 0,
                    .why = {.head = "Task t: container app exited with code 3: \xc3(\xff\xfe)"},
                    .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    json_t *j = reason_of(body);
    const char *r = json_string_value(json_object_get(j, "Reason"));
    assert_non_null(r);
    assert_non_null(strstr(r, "exited with code 3: \xef\xbf\xbd("));
    json_decref(j);
    free(body);
    cfn_request_free(&req);
}

/* Ten tasks of a cluster with a long name, a long stopped reason and a long
 * Reason: the Data values are bounded, the body stays within 4096 bytes. */
static void test_bound_with_ten_long_arns(void **state)
{
    (void)state;
    cfn_request req = parsed();
    run_state st = {.n_slots = 10};
    char cluster[201];
    memset(cluster, 'c', 200);
    cluster[200] = '\0';
    for (size_t i = 0; i < 10; i++)
        snprintf(st.slots[i].task_arn, sizeof st.slots[i].task_arn,
                 "arn:aws:ecs:us-east-1:123456789012:task/%s/%032zx", cluster, i);
    run_result res = {.has_exit_code = 1, .exit_code = 1};
    memset(res.stopped_reason, 'r', sizeof res.stopped_reason - 1);
    cfn_answer o = {.success = 0, .physical_id = "p", .data = cfn_response_data(&st, &res, 1)};
    char head[3000];
    memset(head, 'h', sizeof head - 1);
    head[sizeof head - 1] = '\0';
    reason_set(&o.why, "%s", head);
    char *body = cfn_response_build(&req, &o, NULL);
    assert_true(strlen(body) <= CFN_RESPONSE_MAX);
    json_t *j = reason_of(body);
    json_t *data = json_object_get(j, "Data");
    const char *arns = json_string_value(json_object_get(data, "TaskArns"));
    assert_true(strlen(arns) <= CFN_DATA_ARNS_MAX);
    assert_int_equal(strlen(arns) % (strlen(st.slots[0].task_arn) + 1),
                     strlen(st.slots[0].task_arn)); /* whole ARNs only */
    assert_true(strlen(json_string_value(json_object_get(data, "StoppedReason"))) <=
                CFN_DATA_REASON_MAX);
    assert_true(strlen(json_string_value(json_object_get(j, "Reason"))) >= CFN_REASON_MIN);
    json_decref(j);
    free(body);
    cfn_answer_free(&o);
    cfn_request_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_fields),
        cmocka_unit_test(test_response_reason_cut_to_fit),
        cmocka_unit_test(test_response_short_reason_untouched),
        cmocka_unit_test(test_response_reason_redacted),
        cmocka_unit_test(test_newest_log_lines_kept),
        cmocka_unit_test(test_overlong_newest_line_shortened),
        cmocka_unit_test(test_invalid_utf8_reason_kept),
        cmocka_unit_test(test_bound_with_ten_long_arns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
