/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws-probe: drives the AWS layer from Python integration tests.
 *
 *   aws-probe [--deadline-ms N] [--max-attempts N] COMMAND ARGS...
 *
 * Prints the typed result as JSON on stdout and exits 0, or prints
 * {"error": {"status", "code", "message", "attempts"}} and exits 1. Every
 * answer carries "elapsed_ms". Configuration comes from the environment, as
 * in the product (region, endpoints, credentials).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/cloudformation.h"
#include "aws/credentials.h"
#include "aws/ecs.h"
#include "aws/lambda_api.h"
#include "aws/logs.h"
#include "aws/secretsmanager.h"
#include "aws/ssm.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/strv.h"

static const char usage[] =
    "usage: aws-probe [--deadline-ms N] [--max-attempts N] COMMAND ARGS...\n"
    "  json SERVICE OPERATION JSON      (SERVICE: ecs secretsmanager ssm logs)\n"
    "  credentials\n"
    "  query SERVICE ACTION VERSION [NAME=VALUE...]   (SERVICE: sts cloudformation)\n"
    "  ecs-run-task JSON | ecs-start-task JSON\n"
    "  ecs-describe-tasks CLUSTER ARN...\n"
    "  ecs-list-tasks CLUSTER STARTED_BY|- [STATUS]\n"
    "  ecs-stop-task CLUSTER ARN REASON\n"
    "  ecs-describe-task-definition TD\n"
    "  lambda-invoke-event NAME PAYLOAD\n"
    "  cfn-stack-status STACK\n"
    "  secret-get ID [STAGE|-] [VERSION_ID|-]\n"
    "  ssm-get NAME\n"
    "  logs-get GROUP STREAM [TOKEN|-] [LIMIT]\n"
    "  logs-tail GROUP STREAM N\n";

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *dash_null(const char *s)
{
    return s && strcmp(s, "-") != 0 ? s : NULL;
}

static json_t *task_set_json(const ecs_task_set *s)
{
    json_t *tasks = json_array(), *failures = json_array();
    for (size_t i = 0; i < s->n_tasks; i++) {
        const ecs_task *t = &s->tasks[i];
        json_t *containers = json_array();
        for (size_t k = 0; k < t->n_containers; k++) {
            const ecs_container *c = &t->containers[k];
            json_array_append_new(
                containers,
                json_pack("{s:o, s:o, s:o, s:o}", "name", str_or_null(c->name), "lastStatus",
                          str_or_null(c->last_status), "reason", str_or_null(c->reason), "exitCode",
                          c->has_exit_code ? json_integer(c->exit_code) : json_null()));
        }
        json_array_append_new(
            tasks,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "arn",
                      str_or_null(t->arn), "taskDefinitionArn", str_or_null(t->task_definition_arn),
                      "clusterArn", str_or_null(t->cluster_arn), "lastStatus",
                      str_or_null(t->last_status), "desiredStatus", str_or_null(t->desired_status),
                      "stoppedReason", str_or_null(t->stopped_reason), "stopCode",
                      str_or_null(t->stop_code), "startedBy", str_or_null(t->started_by), "group",
                      str_or_null(t->group), "containers", containers));
    }
    for (size_t i = 0; i < s->n_failures; i++)
        json_array_append_new(failures,
                              json_pack("{s:o, s:o, s:o}", "arn", str_or_null(s->failures[i].arn),
                                        "reason", str_or_null(s->failures[i].reason), "detail",
                                        str_or_null(s->failures[i].detail)));
    return json_pack("{s:o, s:o}", "tasks", tasks, "failures", failures);
}

static json_t *task_definition_json(const ecs_task_definition *td)
{
    json_t *containers = json_array();
    for (size_t i = 0; i < td->n_containers; i++) {
        const ecs_container_definition *d = &td->containers[i];
        json_t *env = json_object();
        for (size_t k = 0; k < d->n_environment; k++)
            json_object_set_new(env, d->environment[k].name, str_or_null(d->environment[k].value));
        json_array_append_new(
            containers,
            json_pack("{s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "name", str_or_null(d->name),
                      "essential", d->essential, "environment", env, "logDriver",
                      str_or_null(d->log_driver), "awslogsGroup", str_or_null(d->awslogs_group),
                      "awslogsRegion", str_or_null(d->awslogs_region), "awslogsStreamPrefix",
                      str_or_null(d->awslogs_stream_prefix)));
    }
    return json_pack("{s:o, s:o, s:i, s:o}", "arn", str_or_null(td->arn), "family",
                     str_or_null(td->family), "revision", td->revision, "containers", containers);
}

static json_t *string_list_json(char **list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static const aws_service *service_named(const char *name)
{
    static const struct {
        const char *name;
        const aws_service *svc;
    } all[] = {{"ecs", &AWS_SERVICE_ECS},
               {"secretsmanager", &AWS_SERVICE_SECRETS_MANAGER},
               {"ssm", &AWS_SERVICE_SSM},
               {"logs", &AWS_SERVICE_LOGS}};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(all[i].name, name))
            return all[i].svc;
    return NULL;
}

static const aws_service *query_service_named(const char *name)
{
    if (!strcmp(name, "sts"))
        return &AWS_SERVICE_STS;
    if (!strcmp(name, "cloudformation"))
        return &AWS_SERVICE_CLOUDFORMATION;
    return NULL;
}

static json_t *parse_arg(const char *text, aws_error *err)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j)
        aws_error_set(err, 0, "Usage", "bad JSON argument: %s", jerr.text);
    return j;
}

/* Runs one command; returns its result (new reference) or NULL with err set. */
static json_t *run(aws_client *c, int argc, char **argv, aws_error *err)
{
    const char *cmd = argv[0];
    json_t *out = NULL;
#define NEED(n)                                                                                    \
    if (argc < (n)) {                                                                              \
        aws_error_set(err, 0, "Usage", "%s needs %d argument(s)", cmd, (n)-1);                     \
        return NULL;                                                                               \
    }
    if (!strcmp(cmd, "json")) {
        NEED(4);
        const aws_service *svc = service_named(argv[1]);
        json_t *req = parse_arg(argv[3], err);
        if (!svc || !req) {
            json_decref(req);
            if (!svc)
                aws_error_set(err, 0, "Usage", "unknown service %s", argv[1]);
            return NULL;
        }
        aws_call_json(c, svc, argv[2], req, &out, err);
        json_decref(req);
    } else if (!strcmp(cmd, "credentials")) {
        aws_credentials_provider *p =
            aws_credentials_provider_new(aws_client_http(c), NULL, aws_client_region(c));
        aws_credentials cr;
        if (aws_credentials_get(p, &cr, err) == 0)
            out = json_pack("{s:s, s:s, s:b, s:I, s:s}", "source", cr.source, "access_key_id",
                            cr.access_key_id, "has_session_token", cr.session_token[0] != 0,
                            "expiration_ms", (json_int_t)cr.expiration_ms, "region",
                            aws_client_region(c));
        aws_credentials_provider_free(p);
    } else if (!strcmp(cmd, "query")) {
        NEED(4);
        const aws_service *svc = query_service_named(argv[1]);
        http_header params[16];
        size_t n = 0;
        for (int k = 4; k < argc && n < 16; k++) {
            char *eq = strchr(argv[k], '=');
            if (eq) {
                *eq = '\0';
                params[n++] = (http_header){argv[k], eq + 1};
            }
        }
        buf xml;
        buf_init(&xml, 1u << 20);
        if (!svc)
            aws_error_set(err, 0, "Usage", "unknown query service %s", argv[1]);
        else if (aws_call_query(c, svc, argv[2], argv[3], params, n, &xml, err) == 0)
            out = json_pack("{s:s}", "xml", buf_cstr(&xml));
        buf_free(&xml);
    } else if (!strcmp(cmd, "ecs-run-task") || !strcmp(cmd, "ecs-start-task")) {
        NEED(2);
        json_t *req = parse_arg(argv[1], err);
        ecs_task_set s;
        if (req && (!strcmp(cmd, "ecs-run-task") ? ecs_run_task(c, req, &s, err)
                                                 : ecs_start_task(c, req, &s, err)) == 0) {
            out = task_set_json(&s);
            ecs_task_set_free(&s);
        }
        json_decref(req);
    } else if (!strcmp(cmd, "ecs-describe-tasks")) {
        NEED(3);
        ecs_task_set s;
        if (ecs_describe_tasks(c, argv[1], (const char *const *)argv + 2, (size_t)(argc - 2), &s,
                               err) == 0) {
            out = task_set_json(&s);
            ecs_task_set_free(&s);
        }
    } else if (!strcmp(cmd, "ecs-list-tasks")) {
        NEED(3);
        char **arns;
        size_t n;
        if (ecs_list_tasks(c, argv[1], dash_null(argv[2]), argc > 3 ? argv[3] : NULL, &arns, &n,
                           err) == 0) {
            out = json_pack("{s:o}", "taskArns", string_list_json(arns, n));
            strv_free(arns, n);
        }
    } else if (!strcmp(cmd, "ecs-stop-task")) {
        NEED(4);
        if (ecs_stop_task(c, argv[1], argv[2], argv[3], err) == 0)
            out = json_object();
    } else if (!strcmp(cmd, "ecs-describe-task-definition")) {
        NEED(2);
        ecs_task_definition td;
        if (ecs_describe_task_definition(c, argv[1], &td, err) == 0) {
            out = task_definition_json(&td);
            ecs_task_definition_free(&td);
        }
    } else if (!strcmp(cmd, "lambda-invoke-event")) {
        NEED(3);
        if (lambda_api_invoke_event(c, argv[1], argv[2], strlen(argv[2]), err) == 0)
            out = json_object();
    } else if (!strcmp(cmd, "cfn-stack-status")) {
        NEED(2);
        char status[128];
        if (cloudformation_stack_status(c, argv[1], status, sizeof status, err) == 0)
            out = json_pack("{s:s}", "status", status);
    } else if (!strcmp(cmd, "secret-get")) {
        NEED(2);
        char *v;
        if (secretsmanager_get_secret_value(c, argv[1], argc > 2 ? dash_null(argv[2]) : NULL,
                                            argc > 3 ? dash_null(argv[3]) : NULL, &v, err) == 0) {
            out = json_pack("{s:s}", "value", v);
            free(v);
        }
    } else if (!strcmp(cmd, "ssm-get")) {
        NEED(2);
        char *v;
        if (ssm_get_parameter(c, argv[1], 1, &v, err) == 0) {
            out = json_pack("{s:s}", "value", v);
            free(v);
        }
    } else if (!strcmp(cmd, "logs-get")) {
        NEED(3);
        logs_page p;
        if (logs_get_log_events(c, argv[1], argv[2], argc > 3 ? dash_null(argv[3]) : NULL, 1,
                                argc > 4 ? atoi(argv[4]) : 0, &p, err) == 0) {
            json_t *events = json_array();
            for (size_t i = 0; i < p.n; i++)
                json_array_append_new(events, json_string(p.events[i].message));
            out = json_pack("{s:o, s:o}", "events", events, "nextForwardToken",
                            str_or_null(p.next_forward_token));
            logs_page_free(&p);
        }
    } else if (!strcmp(cmd, "logs-tail")) {
        NEED(4);
        char **lines;
        size_t n;
        if (logs_tail(c, argv[1], argv[2], (size_t)atoi(argv[3]), &lines, &n, err) == 0) {
            out = json_pack("{s:o}", "lines", string_list_json(lines, n));
            strv_free(lines, n);
        }
    } else {
        aws_error_set(err, 0, "Usage", "unknown command %s", cmd);
    }
    return out;
}

int main(int argc, char **argv)
{
    int64_t deadline_rel = 0;
    int max_attempts = 0;
    int i = 1;
    for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
        if (!strcmp(argv[i], "--deadline-ms"))
            deadline_rel = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-attempts"))
            max_attempts = atoi(argv[i + 1]);
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    /* Log lines go to stderr, so stdout holds only the JSON answer. */
    log_init_from_env();
    log_set_output(stderr);
    const clk *clock = clk_system();
    int64_t start = clk_now(clock);
    aws_error err;
    aws_error_clear(&err);
    aws_client *c = aws_client_new(clock, &err);
    json_t *out = NULL;
    if (c) {
        if (deadline_rel)
            aws_client_set_deadline(c, start + deadline_rel);
        if (max_attempts)
            aws_client_set_max_attempts(c, max_attempts);
        out = run(c, argc - i, argv + i, &err);
    }
    json_t *doc =
        out ? json_pack("{s:o}", "result", out)
            : json_pack("{s:{s:i, s:s, s:s, s:i}}", "error", "status", err.http_status, "code",
                        err.code, "message", err.message, "attempts", err.attempts);
    json_object_set_new(doc, "elapsed_ms", json_integer(clk_now(clock) - start));
    char *text = json_dumps(doc, JSON_COMPACT);
    puts(text);
    free(text);
    json_decref(doc);
    aws_client_free(c);
    return out ? 0 : 1;
}
