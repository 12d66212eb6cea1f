#include "cfn/handler.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/cloudformation.h"
#include "aws/ecs.h"
#include "aws/lambda_api.h"
#include "aws/secretsmanager.h"
#include "aws/ssm.h"
#include "cfn/request.h"
#include "cfn/response.h"
#include "engine/gating.h"
#include "engine/ids.h"
#include "engine/props.h"
#include "engine/run.h"
#include "engine/secrets.h"
#include "engine/verdict.h"
#include "util/buf.h"
#include "util/log.h"

/* Without a deadline header (ecs-tasks invoke), allow Lambda's maximum. */
#define DEFAULT_BUDGET_MS (15 * 60 * 1000)
/* Time kept back before the deadline to hand over or answer: a quarter of
 * the invocation, at least 2 s, at most 10 s. AWS calls may use the first
 * half of it; the second half is the answer's, whatever a slow call did. */
#define MARGIN_MIN_MS 2000
#define MARGIN_MAX_MS 10000

struct cfn_handler {
    aws_client *aws;
    const clk *clock;
    char function_name[256];
};

/* One event being served. */
typedef struct event_ctx {
    cfn_handler *h;
    const lambda_invocation *inv;
    cfn_request req;
    int64_t received_ms;
    int64_t deadline_ms;
    int64_t stop_at_ms;
    char resource_id[IDS_STARTED_BY_MAX + 1];
    char stack_name[256];
} event_ctx;

/* What the handler decided: an answer for CloudFormation, or a hand-over. */
typedef struct answer {
    int handed_over;
    int success;
    char reason[8192];
    char physical_id[1024];
    json_t *data; /* owned; NULL for none */
} answer;

cfn_handler *cfn_handler_new_with_clock(const clk *clock, char *why, size_t cap)
{
    cfn_handler *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    h->clock = clock ? clock : clk_system();
    aws_error err;
    h->aws = aws_client_new(h->clock, &err);
    if (!h->aws) {
        snprintf(why, cap, "%s: %s", err.code, err.message);
        free(h);
        return NULL;
    }
    const char *name = getenv("AWS_LAMBDA_FUNCTION_NAME");
    snprintf(h->function_name, sizeof h->function_name, "%s", name ? name : "");
    return h;
}

cfn_handler *cfn_handler_new(char *why, size_t cap)
{
    return cfn_handler_new_with_clock(NULL, why, cap);
}

void cfn_handler_free(cfn_handler *h)
{
    if (!h)
        return;
    aws_client_free(h->aws);
    free(h);
}

/* --- answers ------------------------------------------------------------- */

static void answer_failed(answer *a, const char *physical_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void answer_failed(answer *a, const char *physical_id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->reason, sizeof a->reason, fmt, ap);
    va_end(ap);
    a->success = 0;
    snprintf(a->physical_id, sizeof a->physical_id, "%s", physical_id);
}

static void answer_success(answer *a, const char *physical_id)
{
    a->success = 1;
    snprintf(a->physical_id, sizeof a->physical_id, "%s", physical_id);
}

static json_t *run_data(const run_state *st, const run_result *res, int ran)
{
    buf arns;
    buf_init(&arns, 4096);
    for (size_t i = 0; i < st->n_tasks; i++)
        buf_printf(&arns, "%s%s", i ? "," : "", st->task_arns[i]);
    char code[16] = "";
    if (res && res->has_exit_code)
        snprintf(code, sizeof code, "%d", res->exit_code);
    json_t *data =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "TaskArn", st->n_tasks ? st->task_arns[0] : "",
                  "TaskArns", buf_cstr(&arns), "ExitCode", code, "StoppedReason",
                  res ? res->stopped_reason : "", "Ran", ran ? "true" : "false");
    buf_free(&arns);
    return data;
}

static json_t *not_run_data(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "TaskArn", "", "TaskArns", "", "ExitCode", "",
                     "StoppedReason", "", "Ran", "false");
}

/* --- secrets ------------------------------------------------------------- */

static int fetch_secret(void *ctx, const secrets_ref *ref, char **value, char *why, size_t cap)
{
    aws_client *aws = ctx;
    aws_error err;
    char text[1024];
    if (ref->source == SECRETS_SSM_SECURE) {
        if (ssm_get_parameter(aws, ref->id, 1, value, &err) == 0)
            return 0;
        snprintf(why, cap, "{{resolve:ssm-secure:%s}}: %s", ref->id,
                 aws_error_str(&err, text, sizeof text));
        return -1;
    }
    char *whole = NULL;
    if (secretsmanager_get_secret_value(
            aws, ref->id, ref->version_stage[0] ? ref->version_stage : NULL,
            ref->version_id[0] ? ref->version_id : NULL, &whole, &err) != 0) {
        snprintf(why, cap, "{{resolve:secretsmanager:%s}}: %s", ref->id,
                 aws_error_str(&err, text, sizeof text));
        return -1;
    }
    log_add_secret(whole);
    if (!ref->json_key[0]) {
        *value = whole;
        return 0;
    }
    char inner[512];
    *value = secrets_json_key(whole, ref->json_key, inner, sizeof inner);
    free(whole);
    if (*value)
        return 0;
    snprintf(why, cap, "{{resolve:secretsmanager:%s}}: %s", ref->id, inner);
    return -1;
}

/* --- update gating ------------------------------------------------------- */

/* Returns 1 when the Update runs the tasks, 0 when not (a SUCCESS keeping the
 * old PhysicalResourceId), -1 when a lookup failed (FAILED, reason in a). */
static int update_runs(event_ctx *e, const ecs_props *props, answer *a)
{
    const char *old_id = e->req.physical_resource_id;
    aws_error err;
    char text[1024];
    if (!props->run_on_update) {
        log_msg(LOG_INFO, "Update: RunOnUpdate is false, nothing to run");
        return 0;
    }
    if (!props->run_on_rollback) {
        char status[128];
        if (cloudformation_stack_status(e->h->aws, e->req.stack_id, status, sizeof status, &err) !=
            0) {
            answer_failed(a, old_id, "RunOnRollback: DescribeStacks failed: %s",
                          aws_error_str(&err, text, sizeof text));
            return -1;
        }
        if (gating_is_rollback(status)) {
            log_msg(LOG_INFO, "Update: stack is in %s and RunOnRollback is false, nothing to run",
                    status);
            return 0;
        }
    }
    if (!props->update_criteria)
        return 1;
    const char *old_td =
        json_string_value(json_object_get(e->req.old_properties, "TaskDefinition"));
    if (!old_td)
        return 1;
    ecs_task_definition before = {0}, after = {0};
    int rc = -1;
    if (ecs_describe_task_definition(e->h->aws, old_td, &before, &err) != 0 ||
        ecs_describe_task_definition(e->h->aws, props->task_definition, &after, &err) != 0) {
        answer_failed(a, old_id, "UpdateCriteria: DescribeTaskDefinition failed: %s",
                      aws_error_str(&err, text, sizeof text));
    } else {
        char why[512];
        rc = gating_environment_changed(props->update_criteria, props->n_update_criteria, &before,
                                        &after, why, sizeof why);
        log_msg(LOG_INFO, "Update: %s", why);
    }
    ecs_task_definition_free(&before);
    ecs_task_definition_free(&after);
    return rc;
}

/* --- state carried across invocations ----------------------------------- */

static json_t *state_to_json(const run_state *st, int hops)
{
    json_t *arns = json_array();
    for (size_t i = 0; i < st->n_tasks; i++)
        json_array_append_new(arns, json_string(st->task_arns[i]));
    return json_pack("{s:I, s:s, s:s, s:o, s:i}", "firstReceiptMs",
                     (json_int_t)st->first_receipt_ms, "startedBy", st->started_by, "clientToken",
                     st->client_token, "taskArns", arns, "hops", hops);
}

static int state_from_json(const json_t *j, run_state *st, int *hops)
{
    memset(st, 0, sizeof *st);
    json_int_t first = 0;
    const char *started_by = NULL, *token = NULL;
    json_t *arns = NULL;
    if (json_unpack((json_t *)j, "{s:I, s:s, s:s, s:o, s:i}", "firstReceiptMs", &first, "startedBy",
                    &started_by, "clientToken", &token, "taskArns", &arns, "hops", hops) != 0 ||
        !json_is_array(arns) || json_array_size(arns) > RUN_MAX_TASKS)
        return -1;
    st->first_receipt_ms = first;
    snprintf(st->started_by, sizeof st->started_by, "%s", started_by);
    snprintf(st->client_token, sizeof st->client_token, "%s", token);
    size_t i;
    json_t *v;
    json_array_foreach(arns, i, v)
    {
        if (!json_is_string(v))
            return -1;
        snprintf(st->task_arns[st->n_tasks++], sizeof st->task_arns[0], "%s", json_string_value(v));
    }
    return 0;
}

/* Invokes this function again with the event and the run's state. */
static int hand_over(event_ctx *e, const run_state *st, int hops, char *why, size_t cap)
{
    if (!e->h->function_name[0]) {
        snprintf(why, cap,
                 "AWS_LAMBDA_FUNCTION_NAME is not set, so the function cannot "
                 "re-invoke itself to keep waiting");
        return -1;
    }
    json_t *event = json_deep_copy(e->req.event);
    json_object_set_new(event, CFN_STATE_KEY, state_to_json(st, hops));
    char *payload = json_dumps(event, JSON_COMPACT);
    json_decref(event);
    aws_error err;
    int rc = payload ? lambda_api_invoke_event(e->h->aws, e->h->function_name, payload,
                                               strlen(payload), &err)
                     : -1;
    free(payload);
    if (rc != 0) {
        char text[1024];
        snprintf(why, cap, "Lambda Invoke of %s failed: %s", e->h->function_name,
                 aws_error_str(&err, text, sizeof text));
        return -1;
    }
    log_msg(LOG_INFO, "still waiting for %zu task(s): handed over to invocation %d of %s",
            st->n_tasks, hops + 1, e->h->function_name);
    return 0;
}

/* --- Create and Update --------------------------------------------------- */

static void run_outcome(event_ctx *e, const ecs_props *props, const run_state *st,
                        const run_result *res, int hops, answer *a)
{
    const char *old_id = e->req.type == CFN_UPDATE ? e->req.physical_resource_id : NULL;
    const char *first = st->n_tasks ? st->task_arns[0] : e->resource_id;
    a->data = run_data(st, res, st->n_tasks > 0);
    if (res->status == RUN_SUCCESS) {
        answer_success(a, first);
        return;
    }
    if (res->status == RUN_FAILED) {
        answer_failed(a, old_id ? old_id : first, "%s", res->reason);
        return;
    }
    char why[1024];
    if (hops + 1 > CFN_MAX_HOPS) {
        answer_failed(a, old_id ? old_id : first,
                      "Timeout %d s needs more than %d invocations of the function: raise the "
                      "function's timeout",
                      props->timeout_s, CFN_MAX_HOPS);
    } else if (hand_over(e, st, hops + 1, why, sizeof why) != 0) {
        answer_failed(a, old_id ? old_id : first, "%s", why);
    } else {
        a->handed_over = 1;
    }
}

static run_env engine_env(event_ctx *e, char *stop_reason, size_t cap)
{
    snprintf(stop_reason, cap, "ecs-tasks: Timeout passed (stack %s, resource %s)", e->stack_name,
             e->req.logical_resource_id);
    run_env env = {.aws = e->h->aws, .clock = e->h->clock, .stop_reason = stop_reason};
    return env;
}

/* Validates (resolving secrets first on a first receipt). *resolved owns the
 * properties the props borrow from. */
static int load_props(event_ctx *e, int first_receipt, ecs_props *props, json_t **resolved,
                      char *why, size_t cap)
{
    *resolved = json_deep_copy(e->req.properties);
    if (first_receipt && secrets_present(*resolved)) {
        int n = secrets_resolve(*resolved, fetch_secret, e->h->aws, why, cap);
        if (n < 0)
            return -1;
        log_msg(LOG_INFO, "resolved %d secret reference(s)", n);
    }
    return props_parse(*resolved, props, why, cap);
}

static void handle_run(event_ctx *e, answer *a)
{
    const char *old_id = e->req.type == CFN_UPDATE ? e->req.physical_resource_id : NULL;
    const char *keep_id = old_id ? old_id : e->resource_id;
    run_state st = {0};
    int hops = 0;
    int continuing = e->req.state != NULL;
    if (continuing && state_from_json(e->req.state, &st, &hops) != 0) {
        answer_failed(a, keep_id, "the re-invocation state in the event is damaged");
        return;
    }
    ecs_props props;
    json_t *resolved = NULL;
    char why[2048];
    if (load_props(e, !continuing, &props, &resolved, why, sizeof why) != 0) {
        answer_failed(a, keep_id, "Invalid properties: %s", why);
        json_decref(resolved);
        return;
    }
    char stop_reason[512];
    run_env env = engine_env(e, stop_reason, sizeof stop_reason);
    run_result res = {0};

    if (!continuing) {
        int runs = e->req.type == CFN_UPDATE ? update_runs(e, &props, a) : 1;
        if (runs <= 0 || props.count == 0) {
            if (runs == 0 || props.count == 0) {
                if (props.count == 0)
                    log_msg(LOG_INFO, "Count is 0: nothing to run");
                answer_success(a, keep_id);
                a->data = not_run_data();
            }
            goto done;
        }
        st.first_receipt_ms = e->received_ms;
        ids_client_token(e->req.request_id, e->req.response_url, st.client_token,
                         sizeof st.client_token);
        ids_started_by(e->resource_id, st.client_token, st.started_by, sizeof st.started_by);
        log_msg(LOG_INFO, "%s: starting %s on cluster %s", e->req.request_type,
                props.task_definition, props.cluster);
        if (run_start(&env, &props, &st, &res) != RUN_SUCCESS) {
            run_outcome(e, &props, &st, &res, hops, a);
            goto done;
        }
        if (props.timeout_s == 0) {
            log_msg(LOG_INFO, "Timeout is 0: not waiting for the tasks");
            answer_success(a, st.task_arns[0]);
            a->data = run_data(&st, NULL, 1);
            goto done;
        }
    }
    run_wait(&env, &props, &st, e->stop_at_ms, &res);
    run_outcome(e, &props, &st, &res, hops, a);
done:
    props_free(&props);
    json_decref(resolved);
}

/* --- Delete ------------------------------------------------------------- */

static int is_task_arn(const char *id)
{
    return !strncmp(id, "arn:aws", 7) && strstr(id, ":ecs:") && strstr(id, ":task/");
}

/* The cluster of a task ARN (arn:...:task/CLUSTER/ID), if it names one. */
static int cluster_of_task(const char *arn, char *out, size_t cap)
{
    const char *p = strstr(arn, ":task/");
    p = p ? p + strlen(":task/") : NULL;
    const char *slash = p ? strchr(p, '/') : NULL;
    if (!slash)
        return -1;
    snprintf(out, cap, "%.*s", (int)(slash - p), p);
    return 0;
}

static void handle_delete(event_ctx *e, answer *a)
{
    const char *id = e->req.physical_resource_id;
    answer_success(a, id);
    if (!is_task_arn(id)) {
        log_msg(LOG_INFO, "Delete: %s is not a task ARN, nothing to stop", id);
        return;
    }
    char cluster[256];
    const char *given = json_string_value(json_object_get(e->req.properties, "Cluster"));
    if (cluster_of_task(id, cluster, sizeof cluster) != 0)
        snprintf(cluster, sizeof cluster, "%s", given ? given : "default");

    ecs_task_set set = {0};
    aws_error err;
    const char *arns[1] = {id};
    if (ecs_describe_tasks(e->h->aws, cluster, arns, 1, &set, &err) != 0 || set.n_tasks == 0) {
        log_msg(LOG_INFO, "Delete: task %s not found (%s), nothing to stop", id,
                set.n_tasks   ? ""
                : err.code[0] ? err.code
                              : "MISSING");
        ecs_task_set_free(&set);
        return;
    }
    char started_by[IDS_STARTED_BY_MAX + 1];
    snprintf(started_by, sizeof started_by, "%s",
             set.tasks[0].started_by ? set.tasks[0].started_by : "");
    ecs_task_set_free(&set);
    if (strncmp(started_by, e->resource_id, strlen(e->resource_id)) != 0) {
        log_msg(LOG_WARN,
                "Delete: task %s was not started by this resource (startedBy '%s'), "
                "leaving it alone",
                id, started_by);
        return;
    }
    char reason[512];
    snprintf(reason, sizeof reason, "ecs-tasks: stack %s deleted resource %s", e->stack_name,
             e->req.logical_resource_id);
    char stop_reason[512];
    run_env env = engine_env(e, stop_reason, sizeof stop_reason);
    size_t n = 0;
    if (run_stop_started_by(&env, cluster, started_by, reason, &n, &err) != 0) {
        char text[1024];
        answer_failed(a, id, "Delete: StopTask failed: %s", aws_error_str(&err, text, sizeof text));
        return;
    }
    log_msg(LOG_INFO, "Delete: stopped %zu running task(s) of %s", n, started_by);
}

/* --- the invocation ------------------------------------------------------ */

static void set_deadlines(event_ctx *e)
{
    int64_t now = e->received_ms;
    e->deadline_ms = e->inv->deadline_ms > now ? e->inv->deadline_ms : now + DEFAULT_BUDGET_MS;
    int64_t margin = (e->deadline_ms - now) / 4;
    margin = margin < MARGIN_MIN_MS   ? MARGIN_MIN_MS
             : margin > MARGIN_MAX_MS ? MARGIN_MAX_MS
                                      : margin;
    e->stop_at_ms = e->deadline_ms - margin;
    /* AWS calls may use half of the margin; the rest is for the answer. */
    aws_client_set_deadline(e->h->aws, e->deadline_ms - margin / 2);
}

static void stack_name_of(const char *stack_id, char *out, size_t cap)
{
    const char *p = strstr(stack_id, ":stack/");
    p = p ? p + strlen(":stack/") : stack_id;
    size_t n = strcspn(p, "/");
    snprintf(out, cap, "%.*s", (int)n, p);
}

static void send_answer(event_ctx *e, const answer *a, lambda_result *result)
{
    cfn_outcome out = {.success = a->success,
                       .reason = a->success ? NULL : a->reason,
                       .physical_resource_id = a->physical_id,
                       .data = a->data};
    char *body = cfn_response_build(&e->req, &out);
    if (!body) {
        snprintf(result->error_type, sizeof result->error_type, "ResponseNotBuilt");
        snprintf(result->error_message, sizeof result->error_message, "out of memory");
        return;
    }
    log_msg(a->success ? LOG_INFO : LOG_WARN, "%s %s: %s%s%s", e->req.request_type,
            e->req.logical_resource_id, a->success ? "SUCCESS" : "FAILED", a->success ? "" : ": ",
            a->success ? "" : a->reason);
    aws_error err;
    /* The PUT may use the time up to the deadline itself. */
    if (cfn_response_send(aws_client_http(e->h->aws), e->h->clock, e->req.response_url, body,
                          e->deadline_ms - 200, &err) != 0) {
        log_msg(LOG_ERROR, "response to CloudFormation not delivered: %s: %s", err.code,
                err.message);
        snprintf(result->error_type, sizeof result->error_type, "ResponseNotDelivered");
        snprintf(result->error_message, sizeof result->error_message, "%s: %s", err.code,
                 err.message);
        free(body);
        return;
    }
    result->ok = 1;
    buf_puts(&result->response, body);
    free(body);
}

void cfn_handler_invoke(const lambda_invocation *inv, lambda_result *result, void *ctx)
{
    event_ctx e = {.h = ctx, .inv = inv};
    e.received_ms = clk_now(e.h->clock);
    char why[1024];
    cfn_parse_status st = cfn_request_parse(inv->event, inv->event_len, &e.req, why, sizeof why);
    if (st == CFN_PARSE_NOT_JSON || st == CFN_PARSE_NOT_CFN) {
        log_msg(LOG_ERROR, "invalid event: %s", why);
        snprintf(result->error_type, sizeof result->error_type, "InvalidEvent");
        snprintf(result->error_message, sizeof result->error_message, "%s", why);
        return;
    }
    set_deadlines(&e);
    stack_name_of(e.req.stack_id, e.stack_name, sizeof e.stack_name);
    ids_resource_id(e.req.stack_id, e.req.logical_resource_id, e.resource_id, sizeof e.resource_id);
    log_msg(LOG_INFO, "%s %s %s (stack %s)%s", e.req.request_type, e.req.resource_type,
            e.req.logical_resource_id, e.stack_name, e.req.state ? ", continuing" : "");

    answer a = {0};
    if (st == CFN_PARSE_INVALID)
        answer_failed(&a, e.req.physical_resource_id ? e.req.physical_resource_id : e.resource_id,
                      "Invalid request: %s", why);
    else if (e.req.type == CFN_DELETE)
        handle_delete(&e, &a);
    else
        handle_run(&e, &a);

    if (a.handed_over) {
        result->ok = 1;
        buf_puts(&result->response, "{\"handedOver\":true}");
    } else {
        send_answer(&e, &a, result);
    }
    json_decref(a.data);
    cfn_request_free(&e.req);
    log_clear_secrets();
}
