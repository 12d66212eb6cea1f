/* SPDX-License-Identifier: Apache-2.0 */
/* aws/ecs.c against a canned ECS: the request each call sends (X-Amz-Target,
 * body fields), DescribeTasks in batches of 100, ListTasks across pages,
 * the parsed results, AWS error answers, and answers too malformed to use
 * (which fail as InvalidResponse and leave nothing to free). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ecs.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"
#include "util/strv.h"

#define J CANNED_AWS_JSON
#define TARGET "AmazonEC2ContainerServiceV20141113."

static fake_clock fc;

static aws_client *client_for(const canned_response *script, size_t n)
{
    aws_client *c = canned_aws_client(script, n, &fc);
    assert_non_null(c);
    return c;
}

/* The X-Amz-Target operation of request i. */
static const char *target_of(size_t i)
{
    static char v[256];
    const char *t = canned_server_header(i, "X-Amz-Target", v, sizeof v);
    assert_non_null(t);
    assert_true(!strncmp(t, TARGET, strlen(TARGET)));
    return t + strlen(TARGET);
}

/* Checks the string member key of request i's JSON body: equal to expect,
 * or absent when expect is NULL. */
static void assert_sent(size_t i, const char *key, const char *expect)
{
    json_t *body = canned_aws_json(i);
    assert_non_null(body);
    json_t *m = json_object_get(body, key);
    if (!expect) {
        assert_null(m);
    } else {
        if (!json_is_string(m))
            fail_msg("request %zu: %s is not a string", i, key);
        assert_string_equal(json_string_value(m), expect);
    }
    json_decref(body);
}

/* An InvalidResponse that names the call ("ECS RunTask answered a task
 * without taskArn", "ECS DescribeTaskDefinition: malformed answer"). */
static void assert_malformed(const aws_error *err, const char *op)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "ECS %s", op);
    assert_string_equal(err->code, AWS_ERR_PARSE);
    assert_int_equal(err->http_status, 200);
    assert_true(!strncmp(err->message, prefix, strlen(prefix)));
}

static const char run_answer[] =
    "{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:us-east-1:1:task/c/t1\","
    "\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:1:task-definition/app:3\","
    "\"clusterArn\":\"arn:aws:ecs:us-east-1:1:cluster/c\",\"lastStatus\":\"STOPPED\","
    "\"desiredStatus\":\"STOPPED\",\"stoppedReason\":\"Essential container in task exited\","
    "\"stopCode\":\"EssentialContainerExited\",\"startedBy\":\"cfn-abc\",\"group\":\"family:app\","
    "\"containers\":[{\"name\":\"app\",\"lastStatus\":\"STOPPED\",\"exitCode\":3},"
    "{\"name\":\"side\",\"lastStatus\":\"STOPPED\",\"reason\":\"CannotPullContainerError: no\","
    "\"exitCode\":\"7\"}]},"
    "{\"taskArn\":\"arn:aws:ecs:us-east-1:1:task/c/t2\",\"lastStatus\":\"PROVISIONING\"}],"
    "\"failures\":[{\"arn\":\"arn:aws:ecs:us-east-1:1:container-instance/i\","
    "\"reason\":\"RESOURCE:MEMORY\",\"detail\":\"not enough\"}]}";

static void test_run_task(void **state)
{
    (void)state;
    canned_response script[] = {{200, J, run_answer}};
    aws_client *c = client_for(script, 1);
    json_t *req = json_pack("{s:s, s:s, s:i, s:s, s:s}", "cluster", "c", "taskDefinition", "app:3",
                            "count", 2, "startedBy", "cfn-abc", "clientToken", "tok-1");
    ecs_task_set set;
    aws_error err;
    assert_int_equal(ecs_run_task(c, req, &set, &err), 0);

    assert_string_equal(target_of(0), "RunTask");
    json_t *sent = canned_aws_json(0);
    assert_true(json_equal(sent, req)); /* the caller's request, as built */
    json_decref(sent);

    assert_int_equal(set.n_tasks, 2);
    const ecs_task *t = &set.tasks[0];
    assert_string_equal(t->arn, "arn:aws:ecs:us-east-1:1:task/c/t1");
    assert_string_equal(t->task_definition_arn, "arn:aws:ecs:us-east-1:1:task-definition/app:3");
    assert_string_equal(t->cluster_arn, "arn:aws:ecs:us-east-1:1:cluster/c");
    assert_string_equal(t->last_status, "STOPPED");
    assert_string_equal(t->desired_status, "STOPPED");
    assert_string_equal(t->stopped_reason, "Essential container in task exited");
    assert_string_equal(t->stop_code, "EssentialContainerExited");
    assert_string_equal(t->started_by, "cfn-abc");
    assert_string_equal(t->group, "family:app");
    assert_int_equal(t->n_containers, 2);
    assert_string_equal(t->containers[0].name, "app");
    assert_string_equal(t->containers[0].last_status, "STOPPED");
    assert_null(t->containers[0].reason);
    assert_true(t->containers[0].has_exit_code);
    assert_int_equal(t->containers[0].exit_code, 3);
    assert_string_equal(t->containers[1].name, "side");
    assert_string_equal(t->containers[1].reason, "CannotPullContainerError: no");
    assert_false(t->containers[1].has_exit_code); /* "7" is not an exit code */

    t = &set.tasks[1];
    assert_string_equal(t->arn, "arn:aws:ecs:us-east-1:1:task/c/t2");
    assert_string_equal(t->last_status, "PROVISIONING");
    assert_null(t->task_definition_arn);
    assert_null(t->stopped_reason);
    assert_null(t->started_by);
    assert_int_equal(t->n_containers, 0);

    assert_int_equal(set.n_failures, 1);
    assert_string_equal(set.failures[0].arn, "arn:aws:ecs:us-east-1:1:container-instance/i");
    assert_string_equal(set.failures[0].reason, "RESOURCE:MEMORY");
    assert_string_equal(set.failures[0].detail, "not enough");
    ecs_task_set_free(&set);
    assert_null(set.tasks);
    assert_int_equal(set.n_tasks, 0);
    json_decref(req);
    canned_aws_stop(c);
}

static void test_start_task(void **state)
{
    (void)state;
    canned_response script[] = {{200, J, "{\"tasks\":[],\"failures\":[]}"}, {200, J, "{}"}};
    aws_client *c = client_for(script, 2);
    json_t *req = json_pack("{s:s, s:[s]}", "taskDefinition", "app", "containerInstances", "ci");
    ecs_task_set set;
    aws_error err;
    assert_int_equal(ecs_start_task(c, req, &set, &err), 0);
    assert_string_equal(target_of(0), "StartTask");
    json_t *sent = canned_aws_json(0);
    assert_true(json_equal(sent, req));
    json_decref(sent);
    assert_int_equal(set.n_tasks, 0);
    assert_int_equal(set.n_failures, 0);
    ecs_task_set_free(&set);
    /* Neither member at all: an empty set too. */
    assert_int_equal(ecs_start_task(c, req, &set, &err), 0);
    assert_int_equal(set.n_tasks + set.n_failures, 0);
    ecs_task_set_free(&set);
    json_decref(req);
    canned_aws_stop(c);
}

static void test_error_answer(void **state)
{
    (void)state;
    canned_response script[] = {{400, J,
                                 "{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\","
                                 "\"message\":\"Cluster not found.\"}"}};
    aws_client *c = client_for(script, 1);
    json_t *req = json_pack("{s:s}", "cluster", "nope");
    ecs_task_set set;
    aws_error err;
    assert_int_equal(ecs_run_task(c, req, &set, &err), -1);
    assert_string_equal(err.code, "ClusterNotFoundException");
    assert_string_equal(err.message, "Cluster not found.");
    assert_int_equal(err.http_status, 400);
    assert_int_equal(set.n_tasks, 0);
    assert_null(set.tasks);
    ecs_task_set_free(&set); /* safe on what a failure leaves */
    json_decref(req);
    canned_aws_stop(c);
}

/* Answers RunTask cannot use. Each fails as InvalidResponse and leaves an
 * empty set (ASan checks that the part parsed before the fault is freed). */
static void test_malformed_task_sets(void **state)
{
    (void)state;
    static const char *const answers[] = {
        "{\"tasks\":{\"taskArn\":\"a\"}}",                    /* tasks not an array */
        "{\"tasks\":\"arn\"}",                                /* nor a string */
        "{\"tasks\":[],\"failures\":{}}",                     /* failures not an array */
        "{\"tasks\":[{\"lastStatus\":\"RUNNING\"}]}",         /* a task without taskArn */
        "{\"tasks\":[{\"taskArn\":7}]}",                      /* taskArn not a string */
        "{\"tasks\":[\"arn:aws:ecs:us-east-1:1:task/c/t\"]}", /* a task not an object */
        /* a container without a name, after a task and a container parsed */
        "{\"tasks\":[{\"taskArn\":\"t1\",\"containers\":[{\"name\":\"a\"}]},"
        "{\"taskArn\":\"t2\",\"group\":\"g\",\"containers\":[{\"name\":\"b\","
        "\"lastStatus\":\"RUNNING\"},{\"lastStatus\":\"RUNNING\",\"exitCode\":0}]}]}",
    };
    size_t n = sizeof answers / sizeof answers[0];
    canned_response script[8];
    for (size_t i = 0; i < n; i++)
        script[i] = (canned_response){200, J, answers[i]};
    aws_client *c = client_for(script, n);
    json_t *req = json_pack("{s:s}", "cluster", "c");
    for (size_t i = 0; i < n; i++) {
        ecs_task_set set;
        aws_error err;
        if (ecs_run_task(c, req, &set, &err) != -1)
            fail_msg("answer %zu was accepted: %s", i, answers[i]);
        assert_malformed(&err, "RunTask");
        assert_int_equal(err.attempts, 1);
        assert_int_equal(set.n_tasks, 0);
        assert_int_equal(set.n_failures, 0);
        assert_null(set.tasks);
    }
    assert_int_equal(canned_server_requests(), n);
    json_decref(req);
    canned_aws_stop(c);
}

/* ecs_parse_task_set appends to what the set holds. */
static void test_parse_task_set_appends(void **state)
{
    (void)state;
    ecs_task_set set = {0};
    char why[256];
    json_t *a = json_loads("{\"tasks\":[{\"taskArn\":\"t1\",\"lastStatus\":\"RUNNING\"}],"
                           "\"failures\":[{\"arn\":\"f1\"}]}",
                           0, NULL);
    json_t *b = json_loads("{\"tasks\":[{\"taskArn\":\"t2\",\"lastStatus\":\"RUNNING\"},"
                           "{\"taskArn\":\"t3\",\"lastStatus\":\"STOPPED\"}],"
                           "\"failures\":[{\"reason\":\"MISSING\"}]}",
                           0, NULL);
    assert_int_equal(ecs_parse_task_set(a, &set, why, sizeof why), 0);
    assert_int_equal(ecs_parse_task_set(b, &set, why, sizeof why), 0);
    assert_int_equal(set.n_tasks, 3);
    assert_string_equal(set.tasks[0].arn, "t1");
    assert_string_equal(set.tasks[2].arn, "t3");
    assert_int_equal(set.n_failures, 2);
    assert_string_equal(set.failures[0].arn, "f1");
    assert_null(set.failures[1].arn);
    assert_string_equal(set.failures[1].reason, "MISSING");
    /* A malformed answer empties the whole set. */
    json_t *bad = json_loads("{\"tasks\":[{}]}", 0, NULL);
    assert_int_equal(ecs_parse_task_set(bad, &set, why, sizeof why), -1);
    assert_string_equal(why, "a task without taskArn");
    assert_int_equal(set.n_tasks, 0);
    assert_null(set.tasks);
    json_decref(a);
    json_decref(b);
    json_decref(bad);
}

/* createdAt, startedAt and stoppedAt: epoch seconds with a fraction, in
 * Unix ms; absent, not a number or out of range: 0. */
static void test_task_times(void **state)
{
    (void)state;
    ecs_task_set set = {0};
    char why[256];
    json_t *a = json_loads("{\"tasks\":[{\"taskArn\":\"t1\",\"lastStatus\":\"STOPPED\","
                           "\"createdAt\":1700000000.123,\"startedAt\":1700000005,"
                           "\"stoppedAt\":1700000042.9996},"
                           "{\"taskArn\":\"t2\",\"lastStatus\":\"RUNNING\","
                           "\"createdAt\":\"2023-11-14T22:13:20Z\",\"startedAt\":-5,"
                           "\"stoppedAt\":1e300}]}",
                           0, NULL);
    assert_non_null(a);
    assert_int_equal(ecs_parse_task_set(a, &set, why, sizeof why), 0);
    assert_int_equal(set.tasks[0].created_at_ms, 1700000000123);
    assert_int_equal(set.tasks[0].started_at_ms, 1700000005000);
    assert_int_equal(set.tasks[0].stopped_at_ms, 1700000043000);
    assert_int_equal(set.tasks[1].created_at_ms, 0);
    assert_int_equal(set.tasks[1].started_at_ms, 0);
    assert_int_equal(set.tasks[1].stopped_at_ms, 0);
    ecs_task_set_free(&set);
    json_decref(a);
}

/* An answer to DescribeTasks holding one task per ARN asked for. */
static char *describe_answer(size_t first, size_t n)
{
    json_t *tasks = json_array();
    for (size_t i = first; i < first + n; i++) {
        char arn[96];
        snprintf(arn, sizeof arn, "arn:aws:ecs:us-east-1:1:task/c/%03zu", i);
        json_array_append_new(tasks,
                              json_pack("{s:s, s:s}", "taskArn", arn, "lastStatus", "RUNNING"));
    }
    json_t *answer = json_pack("{s:o, s:[]}", "tasks", tasks, "failures");
    char *s = json_dumps(answer, JSON_COMPACT);
    json_decref(answer);
    return s;
}

static void test_describe_tasks_in_batches_of_100(void **state)
{
    (void)state;
    char *first = describe_answer(0, 100), *second = describe_answer(100, 50);
    canned_response script[] = {{200, J, first}, {200, J, second}};
    aws_client *c = client_for(script, 2);
    char arns[150][96];
    const char *ptrs[150];
    for (size_t i = 0; i < 150; i++) {
        snprintf(arns[i], sizeof arns[i], "arn:aws:ecs:us-east-1:1:task/c/%03zu", i);
        ptrs[i] = arns[i];
    }
    ecs_task_set set;
    aws_error err;
    assert_int_equal(ecs_describe_tasks(c, "my-cluster", ptrs, 150, &set, &err), 0);
    assert_int_equal(canned_server_requests(), 2);
    size_t expect_n[] = {100, 50};
    for (size_t call = 0, next = 0; call < 2; call++) {
        assert_string_equal(target_of(call), "DescribeTasks");
        json_t *body = canned_aws_json(call);
        assert_string_equal(json_string_value(json_object_get(body, "cluster")), "my-cluster");
        json_t *tasks = json_object_get(body, "tasks");
        assert_int_equal(json_array_size(tasks), expect_n[call]);
        for (size_t i = 0; i < json_array_size(tasks); i++, next++)
            assert_string_equal(json_string_value(json_array_get(tasks, i)), arns[next]);
        json_decref(body);
    }
    /* Both answers, in order, in one set. */
    assert_int_equal(set.n_tasks, 150);
    assert_string_equal(set.tasks[0].arn, arns[0]);
    assert_string_equal(set.tasks[100].arn, arns[100]);
    assert_string_equal(set.tasks[149].arn, arns[149]);
    ecs_task_set_free(&set);

    /* Exactly 100: one call. None: no call. */
    assert_int_equal(ecs_describe_tasks(c, "my-cluster", ptrs, ECS_DESCRIBE_BATCH, &set, &err), 0);
    assert_int_equal(canned_server_requests(), 3);
    ecs_task_set_free(&set);
    assert_int_equal(ecs_describe_tasks(c, "my-cluster", ptrs, 0, &set, &err), 0);
    assert_int_equal(canned_server_requests(), 3);
    assert_int_equal(set.n_tasks, 0);
    canned_aws_stop(c);
    free(first);
    free(second);
}

/* A failed second batch fails the call and frees what the first one gave. */
static void test_describe_tasks_second_batch_fails(void **state)
{
    (void)state;
    char *first = describe_answer(0, 100);
    canned_response script[] = {
        {200, J, first},
        {400, J, "{\"__type\":\"InvalidParameterException\",\"message\":\"bad arn\"}"}};
    aws_client *c = client_for(script, 2);
    const char *ptrs[101];
    for (size_t i = 0; i < 101; i++)
        ptrs[i] = "arn:aws:ecs:us-east-1:1:task/c/x";
    ecs_task_set set;
    aws_error err;
    assert_int_equal(ecs_describe_tasks(c, "c", ptrs, 101, &set, &err), -1);
    assert_string_equal(err.code, "InvalidParameterException");
    assert_string_equal(err.message, "bad arn");
    assert_int_equal(set.n_tasks, 0);
    assert_null(set.tasks);
    canned_aws_stop(c);
    free(first);
}

static void test_list_tasks_pages(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J, "{\"taskArns\":[\"a\",\"b\"],\"nextToken\":\"tok-1\"}"},
        {200, J, "{\"taskArns\":[],\"nextToken\":\"tok-2\"}"},
        {200, J, "{\"taskArns\":[\"c\"]}"},
        {200, J, "{\"taskArns\":[\"d\"]}"},
    };
    aws_client *c = client_for(script, 4);
    char **arns;
    size_t n;
    aws_error err;
    assert_int_equal(ecs_list_tasks(c, "clu", "cfn-xyz", "STOPPED", &arns, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(arns[0], "a");
    assert_string_equal(arns[1], "b");
    assert_string_equal(arns[2], "c");
    strv_free(arns, n);
    assert_int_equal(canned_server_requests(), 3);
    const char *tokens[] = {NULL, "tok-1", "tok-2"};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(target_of(i), "ListTasks");
        assert_sent(i, "cluster", "clu");
        assert_sent(i, "startedBy", "cfn-xyz");
        assert_sent(i, "desiredStatus", "STOPPED");
        assert_sent(i, "nextToken", tokens[i]);
    }

    /* No filters: none sent (ECS's defaults apply). */
    assert_int_equal(ecs_list_tasks(c, "clu", NULL, NULL, &arns, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(arns[0], "d");
    strv_free(arns, n);
    json_t *body = canned_aws_json(3);
    assert_int_equal(json_object_size(body), 1);
    assert_string_equal(json_string_value(json_object_get(body, "cluster")), "clu");
    json_decref(body);
    canned_aws_stop(c);
}

/* A failed page fails the call and gives nothing back. */
static void test_list_tasks_page_fails(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J, "{\"taskArns\":[\"a\"],\"nextToken\":\"t\"}"},
        {400, J, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"gone\"}"},
    };
    aws_client *c = client_for(script, 2);
    char **arns = (char **)1;
    size_t n = 99;
    aws_error err;
    assert_int_equal(ecs_list_tasks(c, "clu", "x", NULL, &arns, &n, &err), -1);
    assert_string_equal(err.code, "ClusterNotFoundException");
    assert_null(arns);
    assert_int_equal(n, 0);
    canned_aws_stop(c);
}

static void test_stop_task(void **state)
{
    (void)state;
    canned_response script[] = {
        {200, J, "{\"task\":{\"taskArn\":\"t\",\"desiredStatus\":\"STOPPED\"}}"},
        {400, J,
         "{\"__type\":\"InvalidParameterException\",\"message\":\"The referenced task "
         "was not found.\"}"}};
    aws_client *c = client_for(script, 2);
    aws_error err;
    assert_int_equal(ecs_stop_task(c, "clu", "arn:aws:ecs:us-east-1:1:task/clu/t",
                                   "Stopped by CloudFormation: stack deleted", &err),
                     0);
    assert_string_equal(target_of(0), "StopTask");
    json_t *body = canned_aws_json(0);
    json_t *expect =
        json_pack("{s:s, s:s, s:s}", "cluster", "clu", "task", "arn:aws:ecs:us-east-1:1:task/clu/t",
                  "reason", "Stopped by CloudFormation: stack deleted");
    assert_true(json_equal(body, expect));
    json_decref(body);
    json_decref(expect);

    assert_int_equal(ecs_stop_task(c, "clu", "t", "r", &err), -1);
    assert_string_equal(err.code, "InvalidParameterException");
    assert_string_equal(err.message, "The referenced task was not found.");
    canned_aws_stop(c);
}

static const char td_answer[] =
    "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:1:task-definition/app:4\","
    "\"family\":\"app\",\"revision\":4,\"containerDefinitions\":["
    "{\"name\":\"init\",\"essential\":false,\"environment\":[{\"name\":\"A\",\"value\":\"1\"},"
    "{\"name\":\"B\",\"value\":\"two words\"}],\"logConfiguration\":{\"logDriver\":\"awslogs\","
    "\"options\":{\"awslogs-group\":\"/ecs/app\",\"awslogs-region\":\"eu-west-1\","
    "\"awslogs-stream-prefix\":\"ecs\"}}},"
    "{\"name\":\"main\",\"image\":\"x\"},"
    "{\"name\":\"side\",\"essential\":true,\"logConfiguration\":{\"logDriver\":\"json-file\"}}]}}";

static void test_describe_task_definition(void **state)
{
    (void)state;
    canned_response script[] = {{200, J, td_answer}};
    aws_client *c = client_for(script, 1);
    ecs_task_definition td;
    aws_error err;
    assert_int_equal(ecs_describe_task_definition(c, "app:4", &td, &err), 0);
    assert_string_equal(target_of(0), "DescribeTaskDefinition");
    json_t *body = canned_aws_json(0);
    assert_int_equal(json_object_size(body), 1);
    assert_string_equal(json_string_value(json_object_get(body, "taskDefinition")), "app:4");
    json_decref(body);

    assert_string_equal(td.arn, "arn:aws:ecs:us-east-1:1:task-definition/app:4");
    assert_string_equal(td.family, "app");
    assert_int_equal(td.revision, 4);
    assert_int_equal(td.n_containers, 3);
    const ecs_container_definition *d = &td.containers[0];
    assert_string_equal(d->name, "init");
    assert_false(d->essential);
    assert_int_equal(d->n_environment, 2);
    assert_string_equal(d->environment[0].name, "A");
    assert_string_equal(d->environment[0].value, "1");
    assert_string_equal(d->environment[1].name, "B");
    assert_string_equal(d->environment[1].value, "two words");
    assert_string_equal(d->log_driver, "awslogs");
    assert_string_equal(d->awslogs_group, "/ecs/app");
    assert_string_equal(d->awslogs_region, "eu-west-1");
    assert_string_equal(d->awslogs_stream_prefix, "ecs");
    d = &td.containers[1];
    assert_string_equal(d->name, "main");
    assert_true(d->essential); /* ECS's default */
    assert_int_equal(d->n_environment, 0);
    assert_null(d->log_driver);
    assert_null(d->awslogs_group);
    d = &td.containers[2];
    assert_true(d->essential);
    assert_string_equal(d->log_driver, "json-file");
    assert_null(d->awslogs_stream_prefix);
    ecs_task_definition_free(&td);
    assert_null(td.containers);
    canned_aws_stop(c);
}

static void test_describe_task_definition_malformed(void **state)
{
    (void)state;
    static const char *const answers[] = {
        "{}",
        "{\"taskDefinition\":{\"family\":\"app\",\"containerDefinitions\":[{\"name\":\"a\"}]}}",
        /* no container definitions: no container could ever be checked */
        "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:td\"}}",
        "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:td\",\"containerDefinitions\":[]}}",
        /* a container definition without a name, after one with everything */
        "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:td\",\"containerDefinitions\":["
        "{\"name\":\"a\",\"environment\":[{\"name\":\"K\",\"value\":\"V\"}]},"
        "{\"essential\":true,\"environment\":[{\"name\":\"K\",\"value\":\"V\"}],"
        "\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"g\"}}}"
        "]}}",
    };
    size_t n = sizeof answers / sizeof answers[0];
    canned_response script[8];
    for (size_t i = 0; i < n; i++)
        script[i] = (canned_response){200, J, answers[i]};
    script[n] = (canned_response){
        400, J,
        "{\"__type\":\"ClientException\",\"message\":\"Unable to describe task definition.\"}"};
    aws_client *c = client_for(script, n + 1);
    for (size_t i = 0; i < n; i++) {
        ecs_task_definition td;
        aws_error err;
        if (ecs_describe_task_definition(c, "app", &td, &err) != -1)
            fail_msg("answer %zu was accepted: %s", i, answers[i]);
        assert_malformed(&err, "DescribeTaskDefinition");
        assert_null(td.arn);
        assert_null(td.containers);
        assert_int_equal(td.n_containers, 0);
    }
    ecs_task_definition td;
    aws_error err;
    assert_int_equal(ecs_describe_task_definition(c, "app", &td, &err), -1);
    assert_string_equal(err.code, "ClientException");
    assert_string_equal(err.message, "Unable to describe task definition.");
    assert_null(td.containers);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_run_task),
        T(test_start_task),
        T(test_error_answer),
        T(test_malformed_task_sets),
        cmocka_unit_test(test_parse_task_set_appends),
        cmocka_unit_test(test_task_times),
        T(test_describe_tasks_in_batches_of_100),
        T(test_describe_tasks_second_batch_fails),
        T(test_list_tasks_pages),
        T(test_list_tasks_page_fails),
        T(test_stop_task),
        T(test_describe_task_definition),
        T(test_describe_task_definition_malformed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
