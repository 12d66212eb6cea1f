/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/ecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonx.h"
#include "util/strv.h"

/* A container needs a name: verdicts and log streams are keyed by it. */
static int parse_container(const json_t *j, ecs_container *c, char *why, size_t cap)
{
    c->name = jsonx_strdup_member(j, "name");
    if (!c->name) {
        snprintf(why, cap, "a container without a name");
        return -1;
    }
    c->last_status = jsonx_strdup_member(j, "lastStatus");
    c->reason = jsonx_strdup_member(j, "reason");
    json_t *code = json_object_get(j, "exitCode");
    c->has_exit_code = json_is_integer(code);
    c->exit_code = c->has_exit_code ? (int)json_integer_value(code) : 0;
    return 0;
}

/* A timestamp member in Unix ms: JSON 1.1 sends epoch seconds, with a
 * fraction. 0 when absent, not a number, or out of range. */
static int64_t epoch_ms(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    if (!json_is_number(v))
        return 0;
    double s = json_number_value(v);
    if (!(s > 0 && s < 1e11)) /* also false for NaN */
        return 0;
    return (int64_t)(s * 1000.0 + 0.5);
}

/* A task needs its ARN and its status: without them it can be neither
 * followed nor judged. */
static int parse_task(const json_t *j, ecs_task *t, char *why, size_t cap)
{
    t->arn = jsonx_strdup_member(j, "taskArn");
    t->last_status = jsonx_strdup_member(j, "lastStatus");
    if (!t->arn || !t->last_status) {
        snprintf(why, cap, "a task without %s", t->arn ? "lastStatus" : "taskArn");
        return -1;
    }
    t->task_definition_arn = jsonx_strdup_member(j, "taskDefinitionArn");
    t->cluster_arn = jsonx_strdup_member(j, "clusterArn");
    t->desired_status = jsonx_strdup_member(j, "desiredStatus");
    t->stopped_reason = jsonx_strdup_member(j, "stoppedReason");
    t->stop_code = jsonx_strdup_member(j, "stopCode");
    t->started_by = jsonx_strdup_member(j, "startedBy");
    t->group = jsonx_strdup_member(j, "group");
    t->created_at_ms = epoch_ms(j, "createdAt");
    t->started_at_ms = epoch_ms(j, "startedAt");
    t->stopped_at_ms = epoch_ms(j, "stoppedAt");
    json_t *containers = json_object_get(j, "containers");
    if (containers && !json_is_array(containers)) {
        snprintf(why, cap, "task %s: containers is not a list", t->arn);
        return -1;
    }
    size_t n = json_array_size(containers);
    t->containers = calloc(n ? n : 1, sizeof *t->containers);
    if (!t->containers) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        t->n_containers = i + 1;
        if (parse_container(json_array_get(containers, i), &t->containers[i], why, cap) != 0) {
            char inner[64];
            snprintf(inner, sizeof inner, "%s", why);
            snprintf(why, cap, "task %s: %s", t->arn, inner);
            return -1;
        }
    }
    return 0;
}

static int grow(void **array, size_t n, size_t more, size_t size)
{
    void *p = realloc(*array, (n + more ? n + more : 1) * size);
    if (!p)
        return -1;
    memset((char *)p + n * size, 0, more * size);
    *array = p;
    return 0;
}

int ecs_parse_task_set(const json_t *answer, ecs_task_set *out, char *why, size_t cap)
{
    json_t *tasks = json_object_get(answer, "tasks");
    json_t *failures = json_object_get(answer, "failures");
    if ((tasks && !json_is_array(tasks)) || (failures && !json_is_array(failures))) {
        snprintf(why, cap, "tasks or failures is not a list");
        return -1;
    }
    size_t nt = json_array_size(tasks), nf = json_array_size(failures);
    if (grow((void **)&out->tasks, out->n_tasks, nt, sizeof *out->tasks) != 0 ||
        grow((void **)&out->failures, out->n_failures, nf, sizeof *out->failures) != 0) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nt; i++) {
        /* Counted first, so that ecs_task_set_free releases a half-parsed task. */
        out->n_tasks++;
        if (parse_task(json_array_get(tasks, i), &out->tasks[out->n_tasks - 1], why, cap) != 0) {
            ecs_task_set_free(out);
            return -1;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        json_t *f = json_array_get(failures, i);
        ecs_failure *e = &out->failures[out->n_failures++];
        e->arn = jsonx_strdup_member(f, "arn");
        e->reason = jsonx_strdup_member(f, "reason");
        e->detail = jsonx_strdup_member(f, "detail");
    }
    return 0;
}

static int call_task_set(aws_client *c, const char *op, const json_t *req, ecs_task_set *out,
                         aws_error *err)
{
    json_t *answer;
    if (aws_call_json(c, &AWS_SERVICE_ECS, op, req, &answer, err) != 0)
        return -1;
    char why[512];
    int rc = ecs_parse_task_set(answer, out, why, sizeof why);
    json_decref(answer);
    if (rc != 0)
        aws_error_set(err, 200, AWS_ERR_PARSE, "ECS %s answered %s", op, why);
    return rc;
}

int ecs_run_task(aws_client *c, const json_t *request, ecs_task_set *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    return call_task_set(c, "RunTask", request, out, err);
}

int ecs_start_task(aws_client *c, const json_t *request, ecs_task_set *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    return call_task_set(c, "StartTask", request, out, err);
}

int ecs_describe_tasks(aws_client *c, const char *cluster, const char *const *task_arns, size_t n,
                       ecs_task_set *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t start = 0; start < n; start += ECS_DESCRIBE_BATCH) {
        json_t *arns = json_array();
        for (size_t i = start; i < n && i < start + ECS_DESCRIBE_BATCH; i++)
            json_array_append_new(arns, json_string(task_arns[i]));
        json_t *req = json_pack("{s:s, s:o}", "cluster", cluster, "tasks", arns);
        int rc = call_task_set(c, "DescribeTasks", req, out, err);
        json_decref(req);
        if (rc != 0) {
            ecs_task_set_free(out);
            return -1;
        }
    }
    return 0;
}

int ecs_list_tasks(aws_client *c, const char *cluster, const char *started_by,
                   const char *desired_status, char ***arns_out, size_t *n_out, aws_error *err)
{
    *arns_out = NULL;
    *n_out = 0;
    char *token = NULL;
    do {
        json_t *req = json_pack("{s:s}", "cluster", cluster);
        if (started_by)
            json_object_set_new(req, "startedBy", json_string(started_by));
        if (desired_status)
            json_object_set_new(req, "desiredStatus", json_string(desired_status));
        if (token)
            json_object_set_new(req, "nextToken", json_string(token));
        free(token);
        token = NULL;
        json_t *answer;
        int rc = aws_call_json(c, &AWS_SERVICE_ECS, "ListTasks", req, &answer, err);
        json_decref(req);
        if (rc != 0) {
            strv_free(*arns_out, *n_out);
            *arns_out = NULL;
            *n_out = 0;
            return -1;
        }
        json_t *arns = json_object_get(answer, "taskArns");
        size_t n = json_array_size(arns);
        if (grow((void **)arns_out, *n_out, n, sizeof **arns_out) == 0)
            for (size_t i = 0; i < n; i++) {
                const char *s = json_string_value(json_array_get(arns, i));
                if (s)
                    (*arns_out)[(*n_out)++] = strdup(s);
            }
        token = jsonx_strdup_member(answer, "nextToken");
        json_decref(answer);
    } while (token);
    return 0;
}

int ecs_stop_task(aws_client *c, const char *cluster, const char *task_arn, const char *reason,
                  aws_error *err)
{
    json_t *req =
        json_pack("{s:s, s:s, s:s}", "cluster", cluster, "task", task_arn, "reason", reason);
    json_t *answer;
    int rc = aws_call_json(c, &AWS_SERVICE_ECS, "StopTask", req, &answer, err);
    json_decref(req);
    if (rc == 0)
        json_decref(answer);
    return rc;
}

static void parse_container_definition(const json_t *j, ecs_container_definition *d)
{
    d->name = jsonx_strdup_member(j, "name");
    json_t *memory = json_object_get(j, "memory");
    d->memory_mib = json_is_integer(memory) && json_integer_value(memory) > 0 &&
                            json_integer_value(memory) < 1000000000
                        ? (int)json_integer_value(memory)
                        : 0;
    json_t *essential = json_object_get(j, "essential");
    d->essential = essential ? json_is_true(essential) : 1;
    json_t *env = json_object_get(j, "environment");
    size_t n = json_array_size(env);
    d->environment = calloc(n ? n : 1, sizeof *d->environment);
    for (size_t i = 0; d->environment && i < n; i++) {
        d->environment[i].name = jsonx_strdup_member(json_array_get(env, i), "name");
        d->environment[i].value = jsonx_strdup_member(json_array_get(env, i), "value");
        d->n_environment++;
    }
    json_t *log = json_object_get(j, "logConfiguration");
    json_t *options = json_object_get(log, "options");
    d->log_driver = jsonx_strdup_member(log, "logDriver");
    d->awslogs_group = jsonx_strdup_member(options, "awslogs-group");
    d->awslogs_region = jsonx_strdup_member(options, "awslogs-region");
    d->awslogs_stream_prefix = jsonx_strdup_member(options, "awslogs-stream-prefix");
}

int ecs_describe_task_definition(aws_client *c, const char *task_definition,
                                 ecs_task_definition *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *req = json_pack("{s:s}", "taskDefinition", task_definition);
    json_t *answer;
    int rc = aws_call_json(c, &AWS_SERVICE_ECS, "DescribeTaskDefinition", req, &answer, err);
    json_decref(req);
    if (rc != 0)
        return -1;
    json_t *td = json_object_get(answer, "taskDefinition");
    json_t *defs = json_object_get(td, "containerDefinitions");
    out->arn = jsonx_strdup_member(td, "taskDefinitionArn");
    out->family = jsonx_strdup_member(td, "family");
    out->memory = jsonx_strdup_member(td, "memory");
    out->revision = (int)json_integer_value(json_object_get(td, "revision"));
    size_t n = json_array_size(defs);
    out->containers = calloc(n ? n : 1, sizeof *out->containers);
    int unnamed = 0;
    for (size_t i = 0; out->containers && i < n; i++) {
        parse_container_definition(json_array_get(defs, i), &out->containers[i]);
        unnamed |= !out->containers[i].name;
        out->n_containers++;
    }
    json_decref(answer);
    /* No container definition would make every task look successful (no
     * container to check); a definition without a name cannot be matched. */
    if (!out->arn || !out->containers || n == 0 || unnamed) {
        ecs_task_definition_free(out);
        aws_error_set(err, 200, AWS_ERR_PARSE, "ECS DescribeTaskDefinition: malformed answer");
        return -1;
    }
    return 0;
}

static void task_free(ecs_task *t)
{
    free(t->arn);
    free(t->task_definition_arn);
    free(t->cluster_arn);
    free(t->last_status);
    free(t->desired_status);
    free(t->stopped_reason);
    free(t->stop_code);
    free(t->started_by);
    free(t->group);
    for (size_t i = 0; i < t->n_containers; i++) {
        free(t->containers[i].name);
        free(t->containers[i].last_status);
        free(t->containers[i].reason);
    }
    free(t->containers);
}

void ecs_task_set_free(ecs_task_set *s)
{
    for (size_t i = 0; i < s->n_tasks; i++)
        task_free(&s->tasks[i]);
    for (size_t i = 0; i < s->n_failures; i++) {
        free(s->failures[i].arn);
        free(s->failures[i].reason);
        free(s->failures[i].detail);
    }
    free(s->tasks);
    free(s->failures);
    memset(s, 0, sizeof *s);
}

void ecs_task_definition_free(ecs_task_definition *td)
{
    for (size_t i = 0; i < td->n_containers; i++) {
        ecs_container_definition *d = &td->containers[i];
        free(d->name);
        for (size_t k = 0; k < d->n_environment; k++) {
            free(d->environment[k].name);
            free(d->environment[k].value);
        }
        free(d->environment);
        free(d->log_driver);
        free(d->awslogs_group);
        free(d->awslogs_region);
        free(d->awslogs_stream_prefix);
    }
    free(td->containers);
    free(td->arn);
    free(td->family);
    free(td->memory);
    memset(td, 0, sizeof *td);
}

/* The member of obj if it is a non-empty object or array, as a new reference. */
static json_t *shape_member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if ((json_is_object(v) && json_object_size(v)) || (json_is_array(v) && json_array_size(v)))
        return json_deep_copy(v);
    return NULL;
}

int ecs_describe_service(aws_client *c, const char *cluster, const char *service, ecs_service *out,
                         aws_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *req = json_pack("{s:s, s:[s]}", "cluster", cluster, "services", service);
    json_t *answer;
    int rc = req ? aws_call_json(c, &AWS_SERVICE_ECS, "DescribeServices", req, &answer, err) : -1;
    json_decref(req);
    if (rc != 0)
        return -1;
    json_t *svc = json_array_get(json_object_get(answer, "services"), 0);
    const char *status = json_string_value(json_object_get(svc, "status"));
    if (!json_is_object(svc) || (status && !strcmp(status, "INACTIVE"))) {
        const char *why = json_string_value(
            json_object_get(json_array_get(json_object_get(answer, "failures"), 0), "reason"));
        aws_error_set(err, 200, "ServiceNotFoundException", "service %s is %s in cluster %s",
                      service,
                      svc   ? "INACTIVE"
                      : why ? why
                            : "MISSING",
                      cluster);
        json_decref(answer);
        return -1;
    }
    out->arn = jsonx_strdup_member(svc, "serviceArn");
    out->launch_type = jsonx_strdup_member(svc, "launchType");
    if (out->launch_type && !*out->launch_type) {
        free(out->launch_type);
        out->launch_type = NULL;
    }
    out->platform_version = jsonx_strdup_member(svc, "platformVersion");
    out->network_configuration = shape_member(svc, "networkConfiguration");
    out->capacity_provider_strategy = shape_member(svc, "capacityProviderStrategy");
    json_t *exec = json_object_get(svc, "enableExecuteCommand");
    out->has_enable_execute_command = json_is_boolean(exec);
    out->enable_execute_command = json_is_true(exec);
    json_decref(answer);
    return 0;
}

void ecs_service_free(ecs_service *s)
{
    free(s->arn);
    free(s->launch_type);
    free(s->platform_version);
    json_decref(s->network_configuration);
    json_decref(s->capacity_provider_strategy);
    memset(s, 0, sizeof *s);
}
