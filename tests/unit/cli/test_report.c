/* SPDX-License-Identifier: Apache-2.0 */
/* The --json document (cli/report.c): every member always there, tasks
 * replaced by their later descriptions, times in ISO 8601, log streams from
 * the locator, reasons masked and made valid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"

#define ARN1 "arn:aws:ecs:us-east-1:1:task/c/aaaa"
#define ARN2 "arn:aws:ecs:us-east-1:1:task/c/bbbb"
#define SECRET "s3cret-value-123"

static int locate(void *ctx, const ecs_task *t, const char *container, char *group,
                  size_t group_cap, char *stream, size_t stream_cap)
{
    (void)ctx;
    if (strcmp(container, "app") != 0)
        return -1;
    snprintf(group, group_cap, "/ecs/app");
    snprintf(stream, stream_cap, "ecs/app/%s", strrchr(t->arn, '/') + 1);
    return 0;
}

static void expect_json(json_t *got, const char *want_text)
{
    json_error_t e;
    json_t *want = json_loads(want_text, 0, &e);
    if (!want)
        fail_msg("bad expected JSON: %s", e.text);
    if (!json_equal(got, want)) {
        char *text = json_dumps(got, JSON_SORT_KEYS);
        fail_msg("got %s", text);
    }
    json_decref(want);
}

static void test_time(void **state)
{
    (void)state;
    char out[32];
    report_time(1700000000123, out, sizeof out);
    assert_string_equal(out, "2023-11-14T22:13:20Z");
    report_time(0, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_document(void **state)
{
    (void)state;
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, SECRET), 0);
    run_report *rep = report_new(r);
    assert_non_null(rep);
    /* First poll: one task running. */
    ecs_container running_app[] = {{.name = "app", .last_status = "RUNNING"}};
    ecs_task first[] = {{.arn = ARN1,
                         .last_status = "RUNNING",
                         .started_by = "by",
                         .created_at_ms = 1700000000123,
                         .containers = running_app,
                         .n_containers = 1}};
    ecs_task_set set = {.tasks = first, .n_tasks = 1};
    report_tasks(rep, &set, locate, NULL);
    /* Second poll: it stopped (replacing it), another appears. */
    ecs_container stopped[] = {{.name = "app", .has_exit_code = 1, .exit_code = 3},
                               {.name = "side", .reason = "saw " SECRET " \xff"}};
    ecs_task second[] = {{.arn = ARN2, .last_status = "PENDING"},
                         {.arn = ARN1,
                          .last_status = "STOPPED",
                          .started_by = "by",
                          .stop_code = "EssentialContainerExited",
                          .stopped_reason = "Essential container in task exited",
                          .created_at_ms = 1700000000123,
                          .started_at_ms = 1700000005000,
                          .stopped_at_ms = 1700000042999,
                          .containers = stopped,
                          .n_containers = 2}};
    set = (ecs_task_set){.tasks = second, .n_tasks = 2};
    report_tasks(rep, &set, locate, NULL);
    report_outcome out = {.result = "FAILED",
                          .exit_code = 3,
                          .reason = "container app exited with code 3: " SECRET,
                          .cluster = "c",
                          .started_by = "by"};
    json_t *doc = report_document(rep, &out);
    expect_json(
        doc,
        "{\"exitCode\":3,\"result\":\"FAILED\",\"reason\":\"container app exited with code 3: "
        "****\",\"cluster\":\"c\",\"startedBy\":\"by\",\"tasks\":["
        "{\"taskArn\":\"" ARN1 "\",\"startedBy\":\"by\",\"lastStatus\":\"STOPPED\","
        "\"stopCode\":\"EssentialContainerExited\",\"stoppedReason\":\"Essential container in task "
        "exited\",\"createdAt\":\"2023-11-14T22:13:20Z\",\"startedAt\":\"2023-11-14T22:13:25Z\","
        "\"stoppedAt\":\"2023-11-14T22:14:02Z\",\"containers\":["
        "{\"name\":\"app\",\"exitCode\":3,\"reason\":null,\"logGroup\":\"/ecs/app\","
        "\"logStream\":\"ecs/app/aaaa\"},"
        "{\"name\":\"side\",\"exitCode\":null,\"reason\":\"saw **** \\ufffd\",\"logGroup\":null,"
        "\"logStream\":null}]},"
        "{\"taskArn\":\"" ARN2 "\",\"startedBy\":null,\"lastStatus\":\"PENDING\",\"stopCode\":null,"
        "\"stoppedReason\":null,\"createdAt\":null,\"startedAt\":null,\"stoppedAt\":null,"
        "\"containers\":[]}]}");
    json_decref(doc);
    report_free(rep);
    redact_free(r);
}

/* A run that did not wait: the tasks as the start left them. */
static void test_started_only(void **state)
{
    (void)state;
    run_report *rep = report_new(NULL);
    run_state st = {.n_slots = 3};
    snprintf(st.started_by, sizeof st.started_by, "ecs-tasks-run-1");
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, ARN1);
    snprintf(st.slots[0].status, sizeof st.slots[0].status, "PROVISIONING");
    snprintf(st.slots[2].task_arn, sizeof st.slots[2].task_arn, ARN2);
    /* A task already described keeps its description. */
    ecs_task described[] = {{.arn = ARN2, .last_status = "RUNNING", .started_by = "x"}};
    ecs_task_set set = {.tasks = described, .n_tasks = 1};
    report_tasks(rep, &set, NULL, NULL);
    report_started(rep, &st);
    report_outcome out = {.result = "STARTED"};
    json_t *doc = report_document(rep, &out);
    expect_json(doc,
                "{\"exitCode\":0,\"result\":\"STARTED\",\"reason\":null,\"cluster\":null,"
                "\"startedBy\":null,\"tasks\":["
                "{\"taskArn\":\"" ARN2 "\",\"startedBy\":\"x\",\"lastStatus\":\"RUNNING\","
                "\"stopCode\":null,\"stoppedReason\":null,\"createdAt\":null,\"startedAt\":null,"
                "\"stoppedAt\":null,\"containers\":[]},"
                "{\"taskArn\":\"" ARN1 "\",\"startedBy\":\"ecs-tasks-run-1\",\"lastStatus\":"
                "\"PROVISIONING\",\"stopCode\":null,\"stoppedReason\":null,\"createdAt\":null,"
                "\"startedAt\":null,\"stoppedAt\":null,\"containers\":[]}]}");
    json_decref(doc);
    report_free(rep);
    report_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_started_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
