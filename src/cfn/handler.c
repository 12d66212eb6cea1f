/* SPDX-License-Identifier: Apache-2.0 */
#include "cfn/handler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "cfn/handover.h"
#include "cfn/request.h"
#include "cfn/response.h"
#include "engine/gating.h"
#include "engine/ids.h"
#include "engine/run.h"
#include "engine/secrets.h"
#include "engine/service.h"
#include "engine/state.h"
#include "engine/stop.h"
#include "util/arn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/redact.h"

/* The Reason as the function's log shows it: within one log line. */
#define LOG_REASON_MAX (LOG_MESSAGE_MAX - 512)

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
    redactor *redactor; /* this request's secrets */
    int64_t received_ms;
    int64_t deadline_ms;
    int64_t stop_at_ms;
    char resource_id[IDS_STARTED_BY_MAX + 1];
    char stack_name[256];
    char stop_reason[512]; /* StopTask reason on timeout */
    run_env run;           /* what the engine works with for this request */
} event_ctx;

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

/* --- Create and Update --------------------------------------------------- */

/* The first task the run follows, or NULL. */
static const char *first_task(const run_state *st)
{
    const char *arns[RUN_MAX_TASKS];
    return run_state_arns(st, arns) ? arns[0] : NULL;
}

/* The PhysicalResourceId of an answer that names no task: an Update keeps
 * the old one, a Create the resource's stable id. */
static const char *kept_id(const event_ctx *e)
{
    return e->req.type == CFN_UPDATE ? e->req.physical_resource_id : e->resource_id;
}

/* The PhysicalResourceId of a FAILED answer: an Update keeps the old one (the
 * stack rolls back to it); a Create names the first task started, so the
 * rollback's Delete stops it, else the resource's stable id. */
static const char *failed_id(const event_ctx *e, const run_state *st)
{
    return e->req.type == CFN_UPDATE || !first_task(st) ? kept_id(e) : first_task(st);
}

static void run_outcome(event_ctx *e, const ecs_props *props, const run_state *st,
                        const run_result *res, int hops, cfn_answer *a)
{
    a->data = cfn_response_data(st, res, first_task(st) != NULL);
    if (res->status == RUN_SUCCESS) {
        cfn_answer_succeed(a, first_task(st) ? first_task(st) : e->resource_id);
        return;
    }
    if (res->status == RUN_FAILED) {
        cfn_answer_fail(a, failed_id(e, st), "%s", "");
        if (reason_copy(&a->why, &res->why) != 0)
            cfn_answer_fail(a, failed_id(e, st), "out of memory");
        return;
    }
    char why[1024];
    if (hops + 1 > STATE_MAX_HOPS)
        cfn_answer_fail(a, failed_id(e, st),
                        "Timeout %d s needs more than %d invocations of the function: raise the "
                        "function's timeout",
                        props->timeout_s, STATE_MAX_HOPS);
    else if (cfn_hand_over(e->h->aws, e->h->function_name, &e->req, st, hops + 1, why,
                           sizeof why) != 0)
        cfn_answer_fail(a, failed_id(e, st), "%s", why);
    else
        a->handed_over = 1;
}

/* The run's identity, derived from the event: the same for every delivery
 * and every invocation of one request. */
static void derive_identity(const event_ctx *e, run_state *st)
{
    ids_client_token(e->req.request_id, e->req.response_url, st->client_token,
                     sizeof st->client_token);
    ids_started_by(e->resource_id, st->client_token, st->started_by, sizeof st->started_by);
}

/* The state a re-invocation carries, checked against the event: nothing is
 * touched on the say-so of an event anyone may have written. */
static int continued_state(const event_ctx *e, run_state *st, int *hops, char *why, size_t cap)
{
    run_state expected = {0};
    derive_identity(e, &expected);
    if (state_parse(e->req.state, st, hops, why, cap) != 0)
        return -1;
    return state_check(st, expected.client_token, expected.started_by, why, cap);
}

/* Starts the run of a first receipt. Returns 1 when the answer is already
 * decided (a), 0 to go on waiting. */
static int first_receipt(event_ctx *e, ecs_props *props, run_state *st, run_result *res,
                         cfn_answer *a)
{
    const char *keep_id = kept_id(e);
    char why[1024];
    if (e->req.type == CFN_UPDATE) {
        gating_decision d = gating_update(e->h->aws, e->req.stack_id, props, e->req.old_properties,
                                          why, sizeof why);
        if (d == GATING_FAILED) {
            cfn_answer_fail(a, keep_id, "%s", why);
            return 1;
        }
        log_msg(LOG_INFO, "Update: %s%s", why, d == GATING_SKIP ? ": nothing to run" : "");
        if (d == GATING_SKIP) {
            cfn_answer_succeed(a, keep_id);
            a->data = cfn_response_data(NULL, NULL, 0);
            return 1;
        }
    }
    if (props->count == 0) {
        log_msg(LOG_INFO, "Count is 0: nothing to run");
        cfn_answer_succeed(a, keep_id);
        a->data = cfn_response_data(NULL, NULL, 0);
        return 1;
    }
    if (service_apply(e->h->aws, props, why, sizeof why) != 0) {
        cfn_answer_fail(a, keep_id, "%s", why);
        return 1;
    }
    st->first_receipt_ms = e->received_ms;
    derive_identity(e, st);
    log_msg(LOG_INFO, "%s: starting %s on cluster %s", e->req.request_type, props->task_definition,
            props->cluster);
    if (run_start(&e->run, props, st, res) != RUN_SUCCESS) {
        run_outcome(e, props, st, res, 0, a);
        return 1;
    }
    if (props->timeout_s == 0) {
        log_msg(LOG_INFO, "Timeout is 0: not waiting for the tasks");
        cfn_answer_succeed(a, first_task(st) ? first_task(st) : e->resource_id);
        a->data = cfn_response_data(st, NULL, 1);
        return 1;
    }
    return 0;
}

static void handle_run(event_ctx *e, cfn_answer *a)
{
    const char *keep_id = kept_id(e);
    run_state st = {0};
    int hops = 0;
    int continuing = e->req.state != NULL;
    char why[2048];
    if (continuing && continued_state(e, &st, &hops, why, sizeof why) != 0) {
        cfn_answer_fail(a, keep_id, "%s; no task was touched", why);
        return;
    }
    ecs_props props;
    json_t *resolved = NULL;
    /* Service is read when a task may start: on the first receipt once the
     * Update rule and Count say one will, on a later one for restarts. */
    if (secrets_load_props(e->req.properties, secrets_fetch_aws, e->h->aws, e->redactor, continuing,
                           &props, &resolved, why, sizeof why) != SECRETS_LOADED) {
        cfn_answer_fail(a, keep_id, "Invalid properties: %s", why);
    } else if (continuing && service_apply(e->h->aws, &props, why, sizeof why) != 0) {
        cfn_answer_fail(a, failed_id(e, &st), "%s", why);
    } else {
        run_result res = {0};
        if (continuing || !first_receipt(e, &props, &st, &res, a)) {
            run_wait(&e->run, &props, &st, e->stop_at_ms, &res);
            run_outcome(e, &props, &st, &res, hops, a);
        }
        run_result_free(&res);
    }
    props_free(&props);
    json_decref(resolved);
}

/* --- Delete ------------------------------------------------------------- */

static void handle_delete(event_ctx *e, cfn_answer *a)
{
    const char *id = e->req.physical_resource_id;
    cfn_answer_succeed(a, id);
    char stop_reason[512], why[1024];
    snprintf(stop_reason, sizeof stop_reason, "ecs-tasks: stack %s deleted resource %s",
             e->stack_name, e->req.logical_resource_id);
    const char *cluster = json_string_value(json_object_get(e->req.properties, "Cluster"));
    if (stop_named_run(e->h->aws, id, e->resource_id, cluster, stop_reason, why, sizeof why) != 0)
        cfn_answer_fail(a, id, "%s", why);
}

/* --- the invocation ------------------------------------------------------ */

/* Stops waiting in time to answer or hand over (lambda/runtime.h). */
static void set_deadlines(event_ctx *e)
{
    lambda_budget b = lambda_invocation_budget(e->inv, e->received_ms);
    e->deadline_ms = b.deadline_ms;
    e->stop_at_ms = b.stop_at_ms;
    aws_client_set_deadline(e->h->aws, b.calls_until_ms);
}

static void send_answer(event_ctx *e, const cfn_answer *a, lambda_result *result)
{
    char *body = cfn_response_build(&e->req, a, e->redactor);
    if (!body) {
        snprintf(result->error_type, sizeof result->error_type, "ResponseNotBuilt");
        snprintf(result->error_message, sizeof result->error_message, "out of memory");
        return;
    }
    char *text = a->success ? NULL : reason_compose(&a->why, e->redactor, LOG_REASON_MAX);
    log_msg(a->success ? LOG_INFO : LOG_WARN, "%s %s: %s%s%s", e->req.request_type,
            e->req.logical_resource_id, a->success ? "SUCCESS" : "FAILED", a->success ? "" : ": ",
            a->success ? ""
            : text     ? text
                       : "out of memory");
    free(text);
    aws_error err;
    /* The PUT may use the time up to the deadline itself. */
    if (cfn_response_send(aws_client_http(e->h->aws), e->h->clock, e->req.response_url, body,
                          e->deadline_ms - 200, &err) != 0) {
        log_msg(LOG_ERROR, "response to CloudFormation not delivered: %s: %s", err.code,
                err.message);
        snprintf(result->error_type, sizeof result->error_type, "ResponseNotDelivered");
        redact_copy(e->redactor, err.message, result->error_message, sizeof result->error_message);
    } else {
        result->ok = 1;
        buf_puts(&result->response, body);
    }
    free(body);
}

static void serve(event_ctx *e, cfn_parse_status parsed, const char *why, lambda_result *result)
{
    set_deadlines(e);
    arn_stack_name(e->req.stack_id, e->stack_name, sizeof e->stack_name);
    ids_resource_id(e->req.stack_id, e->req.logical_resource_id, e->resource_id,
                    sizeof e->resource_id);
    snprintf(e->stop_reason, sizeof e->stop_reason,
             "ecs-tasks: Timeout passed (stack %s, resource %s)", e->stack_name,
             e->req.logical_resource_id);
    e->run = (run_env){.aws = e->h->aws,
                       .clock = e->h->clock,
                       .stop_reason = e->stop_reason,
                       .redactor = e->redactor};
    log_msg(LOG_INFO, "%s %s %s (stack %s)%s", e->req.request_type, e->req.resource_type,
            e->req.logical_resource_id, e->stack_name, e->req.state ? ", continuing" : "");

    cfn_answer a = {0};
    if (parsed == CFN_PARSE_INVALID)
        cfn_answer_fail(&a,
                        e->req.physical_resource_id ? e->req.physical_resource_id : e->resource_id,
                        "Invalid request: %s", why);
    else if (e->req.type == CFN_DELETE)
        handle_delete(e, &a);
    else
        handle_run(e, &a);

    if (a.handed_over) {
        result->ok = 1;
        buf_puts(&result->response, "{\"handedOver\":true}");
    } else {
        send_answer(e, &a, result);
    }
    cfn_answer_free(&a);
}

void cfn_handler_invoke(const lambda_invocation *inv, lambda_result *result, void *ctx)
{
    event_ctx e = {.h = ctx, .inv = inv};
    e.received_ms = clk_now(e.h->clock);
    char why[1024];
    cfn_parse_status parsed =
        cfn_request_parse(inv->event, inv->event_len, &e.req, why, sizeof why);
    if (parsed == CFN_PARSE_NOT_JSON || parsed == CFN_PARSE_NOT_CFN) {
        log_msg(LOG_ERROR, "invalid event: %s", why);
        snprintf(result->error_type, sizeof result->error_type, "InvalidEvent");
        redact_copy(NULL, why, result->error_message, sizeof result->error_message);
        return;
    }
    e.redactor = redact_new();
    if (!e.redactor) {
        snprintf(result->error_type, sizeof result->error_type, "OutOfMemory");
        snprintf(result->error_message, sizeof result->error_message, "out of memory");
        cfn_request_free(&e.req);
        return;
    }
    log_set_redactor(e.redactor);
    aws_client_set_redactor(e.h->aws, e.redactor);
    serve(&e, parsed, why, result);
    aws_client_set_redactor(e.h->aws, NULL);
    log_set_redactor(NULL);
    redact_free(e.redactor);
    cfn_request_free(&e.req);
}
